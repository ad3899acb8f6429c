/**
 * Small multiples of a drift check: one small histogram per column (reference vs current, the same
 * encoding as the large chart: wide translucent bars for the reference, narrow dark ones for the current
 * data), drifted columns first, each labelled with its column, method, score and verdict. Each tile is a
 * link to the column's large view, so it works by keyboard and can be shared. The small charts are
 * drawn as plain SVG (dozens of canvases would be heavy and blurry at this size) and hidden from screen
 * readers: each tile carries a sentence saying what the chart shows instead.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { MonitoringColumn } from '../../api-types.js';
import type { ColumnDistribution } from '../../../monitor/distribution.js';
import { num, StateBadge } from '../common.js';

const WIDTH = 200;
const HEIGHT = 56;

/** Reference and current as shares of their samples (current values outside the reference's range count in its total). */
export function shares(d: ColumnDistribution): { reference: number[]; current: number[]; outside: number } {
  const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
  const outsideCount = d.kind === 'bins' ? d.currentBelow + d.currentAbove : 0;
  const referenceTotal = sum(d.reference);
  const currentTotal = sum(d.current) + outsideCount;
  const share = (values: number[], total: number): number[] => values.map((value) => (total > 0 ? value / total : 0));
  return { reference: share(d.reference, referenceTotal), current: share(d.current, currentTotal), outside: currentTotal > 0 ? outsideCount / currentTotal : 0 };
}

function percent(share: number): string {
  return `${num(share * 100, 2)}%`;
}

/** Where reference and current differ most, as a sentence (the small chart's text alternative). */
export function describeDistribution(d: ColumnDistribution): string {
  const { reference, current, outside } = shares(d);
  const binned = d.kind === 'bins';
  let widest = 0;
  for (let i = 1; i < reference.length; i++) {
    if (Math.abs((current[i] ?? 0) - (reference[i] ?? 0)) > Math.abs((current[widest] ?? 0) - (reference[widest] ?? 0))) widest = i;
  }
  const where = binned ? `the bin [${num(d.edges[widest])}, ${num(d.edges[widest + 1])})` : `category ${d.categories[widest] ?? '?'}`;
  const parts = [`${reference.length} ${binned ? 'bins' : 'categories'}; largest difference in ${where}: reference ${percent(reference[widest] ?? 0)}, current ${percent(current[widest] ?? 0)}`];
  if (outside > 0) parts.push(`${percent(outside)} of the current values lie outside the reference's range`);
  return `${parts.join('; ')}.`;
}

/** One small histogram: bars scaled to the larger share of either sample, no axes. */
export function MiniHistogram({ distribution }: { distribution: ColumnDistribution }): VNode {
  const { reference, current } = shares(distribution);
  const bins = reference.length;
  const top = Math.max(...reference, ...current, 1e-12);
  const slot = WIDTH / Math.max(1, bins);
  const height = (share: number): number => (share / top) * (HEIGHT - 2);
  return html`<svg class="mini-histogram" viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
    ${reference.map((share, i) => html`<rect class="mini-reference" x=${i * slot + slot * 0.05} width=${slot * 0.9} y=${HEIGHT - height(share)} height=${height(share)} />`)}
    ${current.map((share, i) => html`<rect class="mini-current" x=${i * slot + slot * 0.3} width=${slot * 0.4} y=${HEIGHT - height(share)} height=${height(share)} />`)}
    <line class="mini-base" x1="0" x2=${WIDTH} y1=${HEIGHT - 0.5} y2=${HEIGHT - 0.5} />
  </svg>`;
}

/** A p-value method (drift when the score is below the threshold) or a distance (drift at or above it). */
export function isPValue(method: string): boolean {
  return method === 'ks' || method === 'chisquare';
}

/** Drifted columns first, each group in the verdict's column order. */
export function driftedFirst(columns: MonitoringColumn[]): MonitoringColumn[] {
  return [...columns.filter((c) => c.drifted), ...columns.filter((c) => !c.drifted)];
}

/** The grid: one tile per column, each a link (`hrefFor`) to its large view. */
export function ColumnMultiples({ columns, hrefFor, selected }: { columns: MonitoringColumn[]; hrefFor: (column: string) => string; selected?: string }): VNode {
  const ordered = driftedFirst(columns);
  const drifted = ordered.filter((c) => c.drifted).length;
  return html`<section class="multiples-section" aria-labelledby="multiples-title">
    <h2 id="multiples-title">Columns: reference vs current</h2>
    <p class="muted small">${drifted > 0 ? `The ${drifted} drifted ${drifted === 1 ? 'column comes' : 'columns come'} first. ` : ''}Share of values per bin or category: <span class="key key-reference">reference</span> wide, <span class="key key-current">current</span> narrow. Open a column for its large chart, counts and score over the checks.</p>
    <ul class="multiples">
      ${ordered.map((c) => {
        const role = c.role && c.role !== 'feature' ? ` (${c.role})` : '';
        const rule = `drift if ${isPValue(c.method) ? '<' : '≥'} ${num(c.threshold)}`;
        return html`<li>
          <a class=${`multiple${c.drifted ? ' drifted' : ''}${c.column === selected ? ' selected' : ''}`} href=${hrefFor(c.column)} data-column=${c.column} data-drifted=${String(c.drifted)}>
            <span class="multiple-head"><span class="multiple-name" title=${c.column}>${c.column}${role}</span><${StateBadge} state=${c.drifted ? 'drift' : 'no-drift'} /></span>
            ${c.distribution ? html`<${MiniHistogram} distribution=${c.distribution} />` : html`<span class="mini-missing">no binned data kept</span>`}
            <span class="multiple-score"><span class="multiple-method">${c.method}</span> ${num(c.score)} <span class="muted">(${rule})</span></span>
            ${c.distribution ? html`<span class="visually-hidden">${describeDistribution(c.distribution)}</span>` : null}
          </a>
        </li>`;
      })}
    </ul>
  </section>`;
}
