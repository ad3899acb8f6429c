/** The runs list: filters (status, pipeline), search, and a selection to compare. */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { VNode } from 'preact';
import type { ProjectInfo, RunSummary } from '../../api-types.js';
import { duration, Empty, ErrorPanel, Loading, navigate, runLabel, setTitle, StateBadge, useApi, when } from '../common.js';

function matches(run: RunSummary, search: string): boolean {
  if (search === '') return true;
  const text = [run.id, run.pipeline, run.status, run.startedBy ?? '', run.commit ?? '', run.reason ?? '', run.decision ?? ''].join(' ').toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

export function RunsPage({ project }: { project: ProjectInfo }): VNode {
  setTitle('Runs');
  const runs = useApi<RunSummary[]>('/api/runs', { pollMs: 2000, poll: (list) => list.some((r) => r.status === 'running') });
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('');
  const [pipeline, setPipeline] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);

  if (runs.error) return html`<${ErrorPanel} error=${runs.error} title="Cannot list the runs" retry=${runs.reload} />`;
  if (!runs.data) return html`<${Loading} what="runs" />`;
  const list = runs.data;
  if (list.length === 0) {
    return html`<${Empty} title="No runs yet">
      <p>The project folder <code>${project.projectDir}</code> holds no run records.</p>
      <p>Run a pipeline and it appears here while it runs:</p>
      <pre><code>mlops run valohai.yaml --pipeline NAME</code></pre>
      <p>Started <code>mlops ui</code> in the wrong place? Give the folder with <code>--project-dir</code>.</p>
    <//>`;
  }
  const pipelines = [...new Set(list.map((r) => r.pipeline))].sort();
  const statuses = [...new Set(list.map((r) => r.status))].sort();
  const shown = list.filter((r) => (status === '' || r.status === status) && (pipeline === '' || r.pipeline === pipeline) && matches(r, search));
  const toggle = (id: string): void => setChosen((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));

  return html`<section aria-labelledby="runs-title">
    <div class="page-head">
      <h1 id="runs-title">Runs</h1>
      <button type="button" disabled=${chosen.length === 0} onClick=${() => navigate(`/compare?runs=${chosen.map(encodeURIComponent).join(',')}`)}>
        Compare ${chosen.length > 0 ? `${chosen.length} selected` : 'selected'}
      </button>
    </div>
    <form class="filters" role="search" onSubmit=${(e: Event) => e.preventDefault()}>
      <label>Search <input type="search" value=${search} onInput=${(e: Event) => setSearch((e.target as HTMLInputElement).value)} placeholder="id, pipeline, reason…" /></label>
      <label>Status
        <select value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          ${statuses.map((s) => html`<option value=${s}>${s}</option>`)}
        </select>
      </label>
      <label>Pipeline
        <select value=${pipeline} onChange=${(e: Event) => setPipeline((e.target as HTMLSelectElement).value)}>
          <option value="">any</option>
          ${pipelines.map((p) => html`<option value=${p}>${p}</option>`)}
        </select>
      </label>
      <span class="muted" role="status">${shown.length} of ${list.length} runs</span>
    </form>
    <div class="table-scroll">
      <table class="runs-table">
        <thead>
          <tr>
            <th scope="col"><span class="visually-hidden">Select to compare</span></th>
            <th scope="col">Run</th>
            <th scope="col">Pipeline</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
            <th scope="col">Who · commit</th>
            <th scope="col">Executions</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          ${shown.map(
            (run) => html`<tr data-run=${run.id}>
              <td><input type="checkbox" checked=${chosen.includes(run.id)} onChange=${() => toggle(run.id)} aria-label=${`Select run ${run.id} to compare`} /></td>
              <td><a href=${`/runs/${encodeURIComponent(run.id)}`}>${runLabel(run.id)}</a></td>
              <td>${run.pipeline}</td>
              <td><${StateBadge} state=${run.status} />${run.reason ? html`<div class="muted small">${run.reason}</div>` : null}</td>
              <td>${when(run.createdAt)}</td>
              <td>${duration(run.createdAt, run.finishedAt)}</td>
              <td>${run.startedBy ?? '–'}${run.commit ? html` · <code>${run.commit.slice(0, 8)}</code>` : null}</td>
              <td>${run.executions} run${run.reused > 0 ? `, ${run.reused} reused` : ''} <span class="muted">(${run.nodes} nodes)</span></td>
              <td>${run.decision ? html`<${StateBadge} state=${run.decision} />` : html`<span class="muted">–</span>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${shown.length === 0 ? html`<p role="status">No run matches these filters.</p>` : null}
  </section>`;
}
