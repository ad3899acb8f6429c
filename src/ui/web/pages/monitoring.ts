/** Drift checks: the trend of the dataset drift share, the latest verdict, and one column's scores over time. */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { MonitoringInfo, ProjectInfo } from '../../api-types.js';
import { BarChart, LineChart } from '../components/charts.js';
import { Empty, ErrorPanel, Loading, navigate, num, setTitle, StateBadge, useApi, when } from '../common.js';

export function MonitoringPage({ project, query }: { project: ProjectInfo; query: URLSearchParams }): VNode {
  setTitle('Monitoring');
  const data = useApi<MonitoringInfo>('/api/monitoring');
  if (data.error) return html`<${ErrorPanel} error=${data.error} title="Cannot read the drift checks" retry=${data.reload} />`;
  if (!data.data) return html`<${Loading} what="drift checks" />`;
  const { checks, skipped, folder } = data.data;
  if (checks.length === 0) {
    return html`<${Empty} title="No drift checks yet">
      <p>No drift verdicts in <code>${folder}</code>${skipped.length > 0 ? ` (${skipped.length} files there are not verdicts)` : ''}. Check current data against a reference profile and keep the verdict here:</p>
      <pre><code>mlops drift --reference profile.json --current new.csv --output ${project.projectDir}/monitoring/check.json</code></pre>
    <//>`;
  }
  const index = Math.min(checks.length - 1, Math.max(0, Number(query.get('check') ?? checks.length - 1) || 0));
  const check = checks[index] ?? checks[checks.length - 1];
  if (!check) return html`<${Loading} what="drift checks" />`;
  const verdict = check.verdict;
  const columns = [...verdict.columns, ...(verdict.prediction ? [verdict.prediction] : [])];
  const column = query.get('column') ?? columns.find((c) => c.drifted)?.column ?? columns[0]?.column;
  const pick = (key: string, value: string): void => {
    const next = new URLSearchParams(query);
    next.set(key, value);
    navigate(`/monitoring?${next.toString()}`, true);
  };
  const trend = checks.map((c) => c.verdict.dataset.share);
  const columnTrend = checks.map((c) => [...c.verdict.columns, ...(c.verdict.prediction ? [c.verdict.prediction] : [])].find((x) => x.column === column)?.score ?? null);

  return html`<section aria-labelledby="monitoring-title">
    <h1 id="monitoring-title">Monitoring</h1>
    <div class="charts">
      <${LineChart} caption="Share of drifted feature columns per check" xLabel="check" x=${checks.map((_, i) => i + 1)}
        series=${[{ label: 'drift share', values: trend }, { label: 'threshold', values: checks.map((c) => c.verdict.dataset.threshold) }]} />
      ${column ? html`<${LineChart} caption=${`${column}: score per check`} xLabel="check" x=${checks.map((_, i) => i + 1)} series=${[{ label: column, values: columnTrend }]} />` : null}
    </div>
    <div class="controls">
      <label>Check <select value=${String(index)} onChange=${(e: Event) => pick('check', (e.target as HTMLSelectElement).value)}>
        ${checks.map((c, i) => html`<option value=${String(i)}>${i + 1}: ${when(c.at)} · ${c.verdict.drifted ? 'drift' : 'no drift'}</option>`)}
      </select></label>
      <label>Column <select value=${column} onChange=${(e: Event) => pick('column', (e.target as HTMLSelectElement).value)}>${columns.map((c) => html`<option value=${c.column}>${c.column}</option>`)}</select></label>
    </div>
    <section aria-labelledby="verdict-title" class="verdict">
      <h2 id="verdict-title">Check ${index + 1}: <${StateBadge} state=${verdict.drifted ? 'drift' : 'no-drift'} /></h2>
      <p class="muted small">${when(check.at)} · reference ${verdict.reference.file} (${verdict.reference.rows} rows) · current ${verdict.current.file} (${verdict.current.rows} rows) · ${check.file}</p>
      <ul>${verdict.reasons.map((r) => html`<li>${r}</li>`)}</ul>
      <p>${verdict.dataset.driftedColumns} of ${verdict.dataset.columns} feature columns drifted (share ${num(verdict.dataset.share)}, threshold ${num(verdict.dataset.threshold)}).
        ${verdict.performance ? ` Accuracy ${num(verdict.performance.current)} vs ${num(verdict.performance.reference)}${verdict.performance.degraded ? ' — degraded' : ''}.` : ''}</p>
    </section>
    <${BarChart} caption="Drift score per column (method in the table below)" label="score" names=${columns.map((c) => c.column)} values=${columns.map((c) => c.score)} />
    <div class="table-scroll">
      <table>
        <thead><tr><th scope="col">Column</th><th scope="col">Type</th><th scope="col">Method</th><th scope="col">Score</th><th scope="col">Threshold</th><th scope="col">Drift</th><th scope="col">n ref / cur</th></tr></thead>
        <tbody>${columns.map(
          (c) => html`<tr class=${c.column === column ? 'selected' : ''}><th scope="row"><a href=${`/monitoring?check=${index}&column=${encodeURIComponent(c.column)}`}>${c.column}</a></th><td>${c.comparedAs}${c.role !== 'feature' ? ` (${c.role})` : ''}</td><td>${c.method}</td><td class="num">${num(c.score)}</td><td class="num">${num(c.threshold)}</td>
            <td>${c.drifted ? html`<${StateBadge} state="drift" />` : 'no'}</td><td class="num">${c.n_ref} / ${c.n_cur}</td></tr>`,
        )}</tbody>
      </table>
    </div>
    ${verdict.quality.issues.length > 0
      ? html`<section><h2>Data quality</h2><ul>${verdict.quality.issues.map((i) => html`<li><strong>${i.column}</strong>: ${i.message}</li>`)}</ul></section>`
      : null}
    ${skipped.length > 0 ? html`<details><summary>${skipped.length} files skipped</summary><ul>${skipped.map((s) => html`<li><code>${s.file}</code>: ${s.problem}</li>`)}</ul></details>` : null}
  </section>`;
}
