/**
 * Compare (/compare?runs=A,B&metric=…&x=…&series=…): the selection rule applied to the candidates of
 * one or more runs, the verdict, the table with deltas vs production, and charts. The URL holds the
 * whole view, so it can be shared.
 */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { VNode } from 'preact';
import type { CompareResult, RunDetail, RunSummary } from '../../api-types.js';
import { BarChart, LineChart, ScatterChart, seriesOf } from '../components/charts.js';
import { Empty, ErrorPanel, Loading, navigate, num, runLabel, setTitle, StateBadge, useApi, valueText } from '../common.js';
import { getJson } from '../api.js';

type Row = CompareResult['selection']['table'][number];

function pct(ratio: number | undefined): string {
  return ratio === undefined ? '' : ` (${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(2)} %)`;
}

function delta(row: Row): string {
  if (row.deltaAbsolute === undefined) return '–';
  return `${row.deltaAbsolute >= 0 ? '+' : ''}${num(row.deltaAbsolute)}${pct(row.deltaRelative)}`;
}

function RunPicker(): VNode {
  const runs = useApi<RunSummary[]>('/api/runs');
  const [chosen, setChosen] = useState<string[]>([]);
  if (runs.error) return html`<${ErrorPanel} error=${runs.error} retry=${runs.reload} />`;
  if (!runs.data) return html`<${Loading} what="runs" />`;
  if (runs.data.length === 0) return html`<${Empty} title="Nothing to compare yet"><p>Compare needs at least one run: <code>mlops run valohai.yaml --pipeline NAME</code>.</p><//>`;
  return html`<section aria-labelledby="pick-title">
    <h1 id="pick-title">Compare</h1>
    <p>Choose the runs whose executions should compete (the selection rule comes from the first run's pipeline file).</p>
    <fieldset class="picker">
      <legend>Runs</legend>
      ${runs.data.map(
        (run) => html`<label class="pick"><input type="checkbox" checked=${chosen.includes(run.id)} onChange=${() => setChosen((now) => (now.includes(run.id) ? now.filter((x) => x !== run.id) : [...now, run.id]))} />
          ${runLabel(run.id)} · ${run.pipeline} · <${StateBadge} state=${run.status} /></label>`,
      )}
    </fieldset>
    <button type="button" disabled=${chosen.length === 0} onClick=${() => navigate(`/compare?runs=${chosen.map(encodeURIComponent).join(',')}`)}>Compare</button>
  </section>`;
}

/** The series of each candidate and of the executions upstream of it (the training behind an evaluation). */
function useSeries(result: CompareResult | undefined): Record<string, Record<string, { x: number[]; values: (number | null)[]; xLabel: string }>> {
  const [found, setFound] = useState<Record<string, Record<string, { x: number[]; values: (number | null)[]; xLabel: string }>>>({});
  useEffect(() => {
    if (!result) return;
    let cancelled = false;
    void (async () => {
      const details = new Map<string, RunDetail>();
      for (const run of result.runs) {
        try {
          details.set(run.id, await getJson<RunDetail>(`/api/runs/${encodeURIComponent(run.id)}`));
        } catch {
          // charts are extras: the table stands without them
        }
      }
      const all: typeof found = {};
      for (const row of result.selection.table) {
        const ref = result.refs[`${row.node}\u0000${row.executionId}`];
        const run = ref ? details.get(ref.runId)?.run : undefined;
        if (!ref || !run) continue;
        const ids = [row.executionId, ...(row.upstream ?? []).map((u) => u.executionId)];
        for (const record of Object.values(run.nodes)) {
          for (const execution of record.executions) {
            if (!ids.includes(execution.executionId)) continue;
            const series = seriesOf(execution.metadata);
            for (const [key, values] of Object.entries(series.keys)) (all[key] ??= {})[row.node] = { x: series.x, values, xLabel: series.xLabel };
          }
        }
      }
      if (!cancelled) setFound(all);
    })();
    return () => {
      cancelled = true;
    };
  }, [result]);
  return found;
}

export function ComparePage({ query }: { query: URLSearchParams }): VNode {
  setTitle('Compare');
  const runs = query.get('runs');
  const api = new URLSearchParams();
  for (const key of ['runs', 'executions', 'nodes', 'metric', 'goal']) {
    const value = query.get(key);
    if (value) api.set(key, value);
  }
  const result = useApi<CompareResult>(runs ? `/api/compare?${api.toString()}` : undefined);
  const series = useSeries(result.data);
  const [copied, setCopied] = useState(false);
  if (!runs) return html`<${RunPicker} />`;
  if (result.error) return html`<${ErrorPanel} error=${result.error} title="Cannot compare these runs" retry=${result.reload} />`;
  if (!result.data) return html`<${Loading} what="the comparison" />`;
  const { selection, rule, baseline } = result.data;
  const table = selection.table;
  const setQuery = (key: string, value: string): void => {
    const next = new URLSearchParams(query);
    if (value === '') next.delete(key);
    else next.set(key, value);
    navigate(`/compare?${next.toString()}`, true);
  };
  const metricKeys = [...new Set(table.flatMap((row) => Object.keys(row.metrics).filter((k) => !k.startsWith('_') && typeof row.metrics[k] === 'number')))];
  // Parameters that differ between candidates first: they are what the comparison is about.
  const varies = (key: string): boolean => new Set(table.map((row) => JSON.stringify(row.parameters[key]))).size > 1;
  const parameterKeys = [...new Set(table.flatMap((row) => Object.keys(row.parameters)))]
    .filter((key) => table.some((row) => typeof row.parameters[key] === 'number'))
    .sort((a, b) => Number(varies(b)) - Number(varies(a)));
  // Parameters equal in every candidate explain no difference between them: folded, one click away, so
  // the table fits the page and what varies stands out.
  const [showEqual, setShowEqual] = useState(false);
  const equalKeys = table.length > 1 ? parameterKeys.filter((key) => !varies(key)) : [];
  const shownParameterKeys = showEqual ? parameterKeys : parameterKeys.filter((key) => !equalKeys.includes(key));
  const xParameter = query.get('x') ?? parameterKeys[0];
  const seriesKeys = Object.keys(series);
  const seriesKey = query.get('series') ?? (seriesKeys.includes('loss') ? 'loss' : seriesKeys[0]);
  const chosenSeries = seriesKey ? series[seriesKey] : undefined;
  const longest = chosenSeries ? Object.values(chosenSeries).reduce((a, b) => (b.x.length > a.x.length ? b : a)) : undefined;

  return html`<section aria-labelledby="compare-title">
    <div class="page-head">
      <h1 id="compare-title">Compare</h1>
      <button type="button" onClick=${() => {
        void navigator.clipboard?.writeText(location.href).then(() => setCopied(true));
      }}>${copied ? 'Link copied' : 'Copy link'}</button>
    </div>
    <p>Runs: ${result.data.runs.map((r, i) => html`${i > 0 ? ', ' : ''}<a href=${`/runs/${encodeURIComponent(r.id)}`}>${runLabel(r.id)}</a> (${r.pipeline})`)}</p>
    <section class="verdict" aria-labelledby="verdict-title">
      <h2 id="verdict-title">Verdict: <${StateBadge} state=${selection.decision} /></h2>
      <p id="verdict-reason">${selection.reason}</p>
      <p class="muted small">
        Rule (from ${result.data.ruleSource}): ${rule.goal} <strong>${rule.metric}</strong>
        ${rule.tieBreakers.length > 0 ? `, ties by ${rule.tieBreakers.map((t) => `${t.metric} (${t.goal})`).join(', ')}` : ''}
        ${rule.constraints.length > 0 ? `; constraints ${rule.constraints.join(', ')}` : ''}
        ${rule.threshold !== undefined ? `; threshold ${rule.threshold}` : ''}.
        Baseline: ${baseline ? `${baseline.label ?? baseline.source}, ${rule.metric} ${valueText(baseline.metrics[rule.metric])}` : 'none (no production version in the registry)'}.
      </p>
    </section>
    <div class="table-scroll">
      <table class="compare-table">
        <thead><tr>
          <th scope="col">Rank</th><th scope="col">Candidate</th><th scope="col">Status</th>
          <th scope="col">${rule.metric}</th><th scope="col">Δ vs ${baseline ? 'production' : 'baseline'}</th>
          ${metricKeys.filter((k) => k !== rule.metric).map((k) => html`<th scope="col">${k}</th>`)}
          ${shownParameterKeys.map((k) => html`<th scope="col" class="param">${k}</th>`)}
        </tr></thead>
        <tbody>
          ${table.map(
            (row) => html`<tr data-candidate=${row.node} class=${row.winner ? 'winner' : row.excluded ? 'excluded' : ''}>
              <td>${row.winner ? html`${row.rank} <span class="badge state-promote">winner</span>` : row.rank ?? '–'}</td>
              <th scope="row">${row.node}${row.excluded ? html`<div class="muted small">excluded: ${row.excluded}</div>` : null}</th>
              <td><${StateBadge} state=${row.status} /></td>
              <td class="num" data-metric=${rule.metric}>${num(row.value)}</td>
              <td class="num">${delta(row)}</td>
              ${metricKeys.filter((k) => k !== rule.metric).map((k) => html`<td class="num">${num(row.metrics[k])}</td>`)}
              ${shownParameterKeys.map((k) => html`<td class="num param">${valueText(row.parameters[k])}</td>`)}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${equalKeys.length > 0
      ? html`<p class="small"><button type="button" class="link" aria-expanded=${showEqual} onClick=${() => setShowEqual(!showEqual)}>
          ${showEqual ? 'Hide' : 'Show'} ${equalKeys.length} parameter${equalKeys.length === 1 ? '' : 's'} equal in every candidate</button>
          ${showEqual ? null : html`<span class="muted"> (${equalKeys.map((k) => `${k} ${valueText(table[0]?.parameters[k])}`).join(', ')})</span>`}</p>`
      : null}
    <div class="controls">
      <label>Metric <select value=${rule.metric} onChange=${(e: Event) => setQuery('metric', (e.target as HTMLSelectElement).value)}>${metricKeys.map((k) => html`<option value=${k}>${k}</option>`)}</select></label>
      <label>Goal <select value=${rule.goal} onChange=${(e: Event) => setQuery('goal', (e.target as HTMLSelectElement).value)}><option value="max">max</option><option value="min">min</option></select></label>
      ${parameterKeys.length > 0 ? html`<label>Scatter x <select value=${xParameter} onChange=${(e: Event) => setQuery('x', (e.target as HTMLSelectElement).value)}>${parameterKeys.map((k) => html`<option value=${k}>${k}</option>`)}</select></label>` : null}
      ${seriesKeys.length > 0 ? html`<label>Series <select value=${seriesKey} onChange=${(e: Event) => setQuery('series', (e.target as HTMLSelectElement).value)}>${seriesKeys.map((k) => html`<option value=${k}>${k}</option>`)}</select></label>` : null}
    </div>
    <div class="charts">
      <${BarChart} caption=${`${rule.metric} per candidate`} label=${rule.metric} names=${table.map((r) => r.node)} values=${table.map((r) => r.value ?? null)} />
      ${xParameter
        ? html`<${ScatterChart} caption=${`${xParameter} vs ${rule.metric}`} xLabel=${xParameter} yLabel=${rule.metric}
            points=${table.filter((r) => typeof r.parameters[xParameter] === 'number' && r.value !== undefined).map((r) => ({ label: r.node, x: Number(r.parameters[xParameter]), y: r.value ?? 0 }))} />`
        : null}
      ${chosenSeries && longest && seriesKey
        ? html`<${LineChart} caption=${`${seriesKey} per ${longest.xLabel}, overlaid`} xLabel=${longest.xLabel} x=${longest.x}
            series=${Object.entries(chosenSeries).map(([name, s]) => ({ label: name, values: longest.x.map((_, i) => s.values[i] ?? null) }))} />`
        : null}
    </div>
  </section>`;
}
