/** Drift checks: the trend of the dataset drift share, the chosen check's columns as small multiples, and one column's large view. */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import type { VNode } from 'preact';
import type { MonitoringCheck, MonitoringColumn, MonitoringInfo } from '../../api-types.js';
import { BarChart, HistogramChart, LineChart } from '../components/charts.js';
import { ColumnMultiples, isPValue } from '../components/small-multiples.js';
import { Empty, ErrorPanel, Loading, navigate, num, setTitle, StateBadge, useApi, when } from '../common.js';

/** What decided the column: its method's score against the threshold (and the sampling-noise threshold when there was one). */
function decision(c: MonitoringColumn): string {
  const pValue = isPValue(c.method);
  const noise = c.noiseThreshold !== undefined ? `, sampling noise ${num(c.noiseThreshold)}` : '';
  return `${c.method} ${pValue ? 'p-value' : 'distance'} ${num(c.score)} (drift when ${pValue ? '<' : '≥'} ${num(c.threshold)}${noise}): ${c.drifted ? 'drift' : 'no drift'}`;
}

/** The chosen column's reference and current data overlaid, with its score and threshold, and the numbers as a table. */
function ColumnHistogram({ column }: { column: MonitoringColumn }): VNode {
  const d = column.distribution;
  if (!d) {
    return html`<section id="column-histogram" data-column=${column.column} aria-labelledby="histogram-title"><h2 id="histogram-title">${column.column}</h2>
      <p>${decision(column)}.</p><p class="muted">This check kept no binned data for the column (checks recorded before verdicts stored it, or a history line in brief).</p></section>`;
  }
  const binned = d.kind === 'bins';
  const labels = binned ? d.reference.map((_, i) => `[${num(d.edges[i])}, ${num(d.edges[i + 1])})`) : d.categories;
  return html`<section id="column-histogram" data-column=${column.column} aria-labelledby="histogram-title">
    <h2 id="histogram-title">${column.column}: reference vs current</h2>
    <p class="histogram-decision">${decision(column)}.${binned && d.currentBelow + d.currentAbove > 0 ? ` ${d.currentBelow} current values below and ${d.currentAbove} above the reference's range.` : ''}</p>
    <${HistogramChart} caption=${`${column.column}: share of values per ${binned ? 'bin' : 'category'}, reference (wide) and current (narrow)`} distribution=${d} />
    <details><summary>The counts</summary><div class="table-scroll"><table class="histogram-table">
      <thead><tr><th scope="col">${binned ? 'Bin' : 'Category'}</th><th scope="col">Reference</th><th scope="col">Current</th></tr></thead>
      <tbody>${labels.map((label, i) => html`<tr><th scope="row">${label}</th><td class="num">${d.reference[i]}</td><td class="num">${d.current[i]}</td></tr>`)}</tbody>
    </table></div></details>
  </section>`;
}

/** The large view of one column, over the page: its histogram, counts and score per check. Esc or Close returns to the grid. */
function ColumnDialog({ column, checks, onClose }: { column: MonitoringColumn; checks: MonitoringCheck[]; onClose: () => void }): VNode {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const scores = checks.map((c) => c.columns.find((x) => x.column === column.column)?.score ?? null);
  return html`<dialog ref=${dialog} class="column-view" aria-labelledby="histogram-title" onCancel=${(e: Event) => {
    e.preventDefault();
    onClose();
  }}>
    <div class="dialog-head"><button type="button" class="secondary" onClick=${onClose}>Close</button></div>
    <${ColumnHistogram} column=${column} />
    ${checks.length > 1 ? html`<${LineChart} caption=${`${column.column}: ${column.method} score per check`} xLabel="check" x=${checks.map((_, i) => i + 1)} series=${[{ label: column.column, values: scores }]} height=${160} />` : null}
  </dialog>`;
}

export function MonitoringPage({ query }: { query: URLSearchParams }): VNode {
  setTitle('Monitoring');
  const data = useApi<MonitoringInfo>('/api/monitoring');
  if (data.error) return html`<${ErrorPanel} error=${data.error} title="Cannot read the drift checks" retry=${data.reload} />`;
  if (!data.data) return html`<${Loading} what="drift checks" />`;
  const { checks, skipped, folder } = data.data;
  if (checks.length === 0) {
    return html`<${Empty} title="No drift checks yet">
      <p>No drift checks in <code>${folder}</code>${skipped.length > 0 ? ` (${skipped.length} files there are not checks)` : ''}. Check current data against a reference profile (the training data's, e.g. the digits example's <code>profile.json</code>):</p>
      <pre><code>mlops drift --reference profile.json --current new.csv --pipeline NAME</code></pre>
      <p>Each check is appended to <code>${folder}/NAME/history.jsonl</code>; a verdict written with <code>--output</code> into that folder shows here too.</p>
    <//>`;
  }
  const index = Math.min(checks.length - 1, Math.max(0, Number(query.get('check') ?? checks.length - 1) || 0));
  const check = checks[index] ?? checks[checks.length - 1];
  if (!check) return html`<${Loading} what="drift checks" />`;
  const columns = check.columns;
  const column = query.get('column') ?? undefined;
  const open = columns.find((c) => c.column === column);
  const withQuery = (changes: Record<string, string | undefined>): string => {
    const next = new URLSearchParams(query);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) next.delete(key);
      else next.set(key, value);
    }
    const text = next.toString();
    return `/monitoring${text ? `?${text}` : ''}`;
  };
  const close = (): void => {
    navigate(withQuery({ column: undefined }));
    // Back to the tile that opened the large view.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`a.multiple[data-column="${CSS.escape(column ?? '')}"]`)?.focus());
  };
  const trend = checks.map((c) => c.share);
  const thresholds = checks.map((c) => c.threshold ?? null);

  return html`<section aria-labelledby="monitoring-title">
    <h1 id="monitoring-title">Monitoring</h1>
    <div class="monitoring-top">
      <div>
        <div class="controls">
          <label>Check <select value=${String(index)} onChange=${(e: Event) => navigate(withQuery({ check: (e.target as HTMLSelectElement).value }), true)}>
            ${checks.map((c, i) => html`<option value=${String(i)}>${i + 1}: ${when(c.at)}${c.pipeline ? ` · ${c.pipeline}` : ''} · ${c.drifted ? 'drift' : 'no drift'}</option>`)}
          </select></label>
        </div>
        <${LineChart} caption="Share of drifted feature columns per check" xLabel="check" x=${checks.map((_, i) => i + 1)} height=${150}
          series=${[{ label: 'drift share', values: trend }, ...(thresholds.some((t) => t !== null) ? [{ label: 'threshold', values: thresholds }] : [])]} />
      </div>
    <section aria-labelledby="verdict-title" class="verdict">
      <h2 id="verdict-title">Check ${index + 1}: <${StateBadge} state=${check.drifted ? 'drift' : 'no-drift'} /></h2>
      <p class="muted small">${when(check.at)}${check.pipeline ? ` · pipeline ${check.pipeline}` : ''} · reference ${check.reference} · current ${check.current}${check.rows !== undefined ? ` (${check.rows} rows)` : ''} · ${check.file}</p>
      <ul>${check.reasons.map((r) => html`<li>${r}</li>`)}</ul>
      <p>${check.driftedColumns} of ${check.columns.filter((c) => (c.role ?? 'feature') === 'feature').length} feature columns drifted (share ${num(check.share)}${check.threshold !== undefined ? `, threshold ${num(check.threshold)}` : ''}).
        ${check.performance ? ` Accuracy ${num(check.performance.current)} vs ${num(check.performance.reference)}${check.performance.degraded ? ' — degraded' : ''}.` : ''}</p>
    </section>
    </div>
    <${ColumnMultiples} columns=${columns} selected=${column} hrefFor=${(name: string) => withQuery({ check: String(index), column: name })} />
    ${open ? html`<${ColumnDialog} key=${`${index}:${open.column}`} column=${open} checks=${checks} onClose=${close} />` : null}
    <${BarChart} caption="Drift score per column (method in the table below)" label="score" names=${columns.map((c) => c.column)} values=${columns.map((c) => c.score)} />
    <div class="table-scroll">
      <table>
        <thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Method</th><th scope="col">Score</th><th scope="col">Threshold</th><th scope="col">Drift</th><th scope="col">n ref / cur</th></tr></thead>
        <tbody>${columns.map(
          (c) => html`<tr class=${c.column === column ? 'selected' : ''}><th scope="row"><a href=${withQuery({ check: String(index), column: c.column })}>${c.column}</a></th><td>${c.comparedAs ?? '–'}${c.role && c.role !== 'feature' ? ` (${c.role})` : ''}</td><td>${c.method}</td><td class="num">${num(c.score)}</td><td class="num">${num(c.threshold)}</td>
            <td>${c.drifted ? html`<${StateBadge} state="drift" />` : 'no'}</td><td class="num">${c.n_ref ?? '–'} / ${c.n_cur ?? '–'}</td></tr>`,
        )}</tbody>
      </table>
    </div>
    ${check.quality.length > 0
      ? html`<section><h2>Data quality</h2><ul>${check.quality.map((i) => html`<li><strong>${i.column}</strong>: ${i.message}</li>`)}</ul></section>`
      : check.qualityIssueCount > 0
        ? html`<p>${check.qualityIssueCount} data-quality issues (the history keeps their count; the full verdict has them).</p>`
        : null}
    ${skipped.length > 0 ? html`<details><summary>${skipped.length} files skipped</summary><ul>${skipped.map((s) => html`<li><code>${s.file}</code>: ${s.problem}</li>`)}</ul></details>` : null}
  </section>`;
}
