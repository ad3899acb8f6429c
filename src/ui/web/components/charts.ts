/**
 * Charts drawn with uPlot: lines (metadata series, trends), bars (a metric per candidate) and points
 * (parameter vs metric). Each chart has a visible caption; the numbers are always also in a table on
 * the same page, for screen readers and for copying.
 */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import type { VNode } from 'preact';
import uPlot from 'uplot';
import type { ColumnDistribution } from '../../../monitor/distribution.js';

export const PALETTE = ['#1f6feb', '#d1242f', '#1a7f37', '#8250df', '#bc4c00', '#0969da', '#bf3989', '#57606a'];

function Chart({ options, data, caption }: { options: Omit<uPlot.Options, 'width' | 'height'> & { height?: number }; data: uPlot.AlignedData; caption: string }): VNode {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const width = (): number => Math.max(240, Math.floor(element.clientWidth));
    const plot = new uPlot({ ...options, width: width(), height: options.height ?? 220 } as uPlot.Options, data, element);
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: options.height ?? 220 }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(data), JSON.stringify(options.series?.map((s) => s.label)), caption]);
  return html`<figure class="chart">
    <figcaption>${caption}</figcaption>
    <div ref=${box} class="chart-box" aria-hidden="true"></div>
  </figure>`;
}

/** Axis values' font is uPlot's 12px system-ui: about this many pixels per character, on average. */
const CHAR_PX = 7;

/**
 * A bottom axis of names (candidates, columns): horizontal while each name fits the space of its tick,
 * else written upwards, the axis tall enough for the longest name. The plot's width is known only when
 * drawn, so both the rotation and the size look at it.
 */
function namedAxis(names: string[]): { rotate: (u: uPlot) => number; size: (u: uPlot) => number } {
  const widest = Math.max(0, ...names.map((name) => name.length)) * CHAR_PX;
  const upright = (u: uPlot): boolean => widest > (u.width - 70) / Math.max(1, names.length) - 8;
  return { rotate: (u) => (upright(u) ? 90 : 0), size: (u) => (upright(u) ? Math.min(160, widest + 16) : 48) };
}

/** Several named series over a shared x (missing points as null). */
export function LineChart({ caption, xLabel, x, series, height }: { caption: string; xLabel: string; x: number[]; series: { label: string; values: (number | null)[] }[]; height?: number }): VNode {
  const options = {
    height,
    scales: { x: { time: false } },
    // Whole-number x (epochs, checks) gets whole-number ticks.
    axes: [{ label: xLabel, ...(x.every(Number.isInteger) ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] } : {}) }, {}],
    series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true, points: { show: x.length < 60 } }))],
    legend: { live: true },
  };
  return html`<${Chart} caption=${caption} options=${options} data=${[x, ...series.map((s) => s.values)] as uPlot.AlignedData} />`;
}

/** One bar per name. */
export function BarChart({ caption, names, values, label, highlight }: { caption: string; names: string[]; values: (number | null)[]; label: string; highlight?: number }): VNode {
  const x = names.map((_, i) => i);
  const bars = uPlot.paths.bars?.({ size: [0.6, 80] });
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const low = Math.min(...finite, 0);
  const high = Math.max(...finite, 0);
  const options = {
    scales: { x: { time: false, range: [-0.5, names.length - 0.5] as [number, number] }, y: { range: [Math.min(low, high - (high - low) * 1.15), high + (high - low) * 0.1 || 1] as [number, number] } },
    axes: [{ values: (_u: uPlot, ticks: number[]) => ticks.map((t) => (Number.isInteger(t) ? (names[t] ?? '') : '')), splits: () => x, gap: 6, ...namedAxis(names) }, { label }],
    series: [
      { label: 'candidate', value: (_u: uPlot, v: number | null) => (v === null ? '' : (names[v] ?? '')) },
      { label, fill: highlight === undefined ? '#1f6feb99' : '#1f6feb66', stroke: '#1f6feb', width: 1, paths: bars, points: { show: false } },
    ],
    legend: { live: true },
  };
  return html`<${Chart} caption=${caption} options=${options} data=${[x, values] as uPlot.AlignedData} />`;
}

/**
 * Reference and current distributions of one column overlaid, as shares of each sample: wide translucent
 * bars for the reference, narrow ones for the current data. Bins (x at bin centres, a numeric axis) or
 * categories (x at their index, named on the axis).
 */
export function HistogramChart({ caption, distribution }: { caption: string; distribution: ColumnDistribution }): VNode {
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  const binned = distribution.kind === 'bins';
  const referenceTotal = sum(distribution.reference);
  // Current values outside the reference's range count in the current total (its shares then add up to less than 1).
  const currentTotal = sum(distribution.current) + (binned ? distribution.currentBelow + distribution.currentAbove : 0);
  const share = (values: number[], total: number): number[] => values.map((value) => (total > 0 ? value / total : 0));
  const x = binned ? distribution.reference.map((_, i) => ((distribution.edges[i] ?? 0) + (distribution.edges[i + 1] ?? 0)) / 2) : distribution.categories.map((_, i) => i);
  const names = binned ? [] : distribution.categories;
  const options = {
    // Bins span the reference's edges (their bars are centred on the bin centres, so the outer ones are not cut).
    scales: { x: { time: false, range: (binned ? [distribution.edges[0] ?? 0, distribution.edges[distribution.edges.length - 1] ?? 1] : [-0.5, names.length - 0.5]) as [number, number] }, y: { range: (_u: uPlot, _low: number, high: number) => [0, high * 1.1 || 1] as [number, number] } },
    axes: [binned ? { label: 'value' } : { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => (Number.isInteger(t) ? (names[t] ?? '') : '')), splits: () => x, gap: 6, ...namedAxis(names) }, { label: 'share' }],
    series: [
      binned ? { label: 'bin centre' } : { label: 'category', value: (_u: uPlot, v: number | null) => (v === null ? '' : (names[v] ?? '')) },
      { label: 'reference', fill: '#1f6feb55', stroke: '#1f6feb', width: 1, paths: uPlot.paths.bars?.({ size: [0.95, 200] }), points: { show: false } },
      { label: 'current', fill: '#d1242fbb', stroke: '#d1242f', width: 1, paths: uPlot.paths.bars?.({ size: [0.45, 100] }), points: { show: false } },
    ],
    legend: { live: true },
  };
  return html`<${Chart} caption=${caption} options=${options} data=${[x, share(distribution.reference, referenceTotal), share(distribution.current, currentTotal)] as uPlot.AlignedData} />`;
}

/** Points (x, y), one per labelled item, no lines. */
export function ScatterChart({ caption, xLabel, yLabel, points }: { caption: string; xLabel: string; yLabel: string; points: { label: string; x: number; y: number }[] }): VNode {
  const sorted = [...points].sort((a, b) => a.x - b.x);
  const options = {
    scales: { x: { time: false } },
    axes: [{ label: xLabel }, { label: yLabel }],
    series: [
      { label: xLabel },
      { label: yLabel, stroke: '#1f6feb', fill: '#1f6feb', paths: () => null, points: { show: true, size: 10, fill: '#1f6feb' } },
    ],
    legend: { live: true },
  };
  return html`<${Chart} caption=${caption} options=${options} data=${[sorted.map((p) => p.x), sorted.map((p) => p.y)] as uPlot.AlignedData} />`;
}

/** Numeric metadata printed more than once, by key, in print order (x: `epoch`/`step` when printed, else the index). */
export function seriesOf(events: { values: Record<string, unknown> }[] | undefined): { x: number[]; xLabel: string; keys: Record<string, (number | null)[]> } {
  const numeric = (events ?? []).filter((e) => Object.values(e.values).some((v) => typeof v === 'number'));
  const xKey = ['epoch', 'step', 'iteration'].find((key) => numeric.filter((r) => typeof r.values[key] === 'number').length > 1);
  // With an x key, only the lines that have it (a final summary line is not a point of the curve).
  const rows = xKey ? numeric.filter((r) => typeof r.values[xKey] === 'number') : numeric;
  const keys: Record<string, (number | null)[]> = {};
  rows.forEach((row, index) => {
    for (const [key, value] of Object.entries(row.values)) {
      if (key === xKey || key.startsWith('_') || typeof value !== 'number') continue;
      (keys[key] ??= new Array<number | null>(rows.length).fill(null))[index] = value;
    }
  });
  for (const key of Object.keys(keys)) if ((keys[key]?.filter((v) => v !== null).length ?? 0) < 2) delete keys[key];
  return { x: rows.map((row, index) => (xKey ? Number(row.values[xKey]) : index + 1)), xLabel: xKey ?? 'print', keys };
}
