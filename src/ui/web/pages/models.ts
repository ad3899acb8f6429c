/**
 * The registry: each model's aliases, versions (metrics, lineage back to the run) and promotion history;
 * promote and roll back behind a confirmation dialog, done by the server with the CLI's registry calls.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { VNode } from 'preact';
import type { AliasEvent, ModelInfo, ModelVersion, ProjectInfo } from '../../api-types.js';
import { ApiFailure, postJson } from '../api.js';
import { Empty, ErrorPanel, Loading, num, runLabel, setTitle, useApi, when } from '../common.js';

type Pending = { kind: 'promote'; model: string; version: number; current?: number } | { kind: 'rollback'; model: string; alias: string; current: number; previous?: number };

function ConfirmDialog({ pending, onDone, onCancel }: { pending: Pending; onDone: (message: string) => void; onCancel: () => void }): VNode {
  const dialog = useRef<HTMLDialogElement>(null);
  const [alias, setAlias] = useState('production');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  const confirm = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (pending.kind === 'promote') {
        const done = await postJson<AliasEvent>(`/api/models/${encodeURIComponent(pending.model)}/promote`, { version: pending.version, alias, reason });
        onDone(`${pending.model}: ${done.alias} now points at v${done.version}${done.from !== undefined ? ` (was v${done.from})` : ''}.`);
      } else {
        const done = await postJson<AliasEvent>(`/api/models/${encodeURIComponent(pending.model)}/rollback`, { alias: pending.alias, reason });
        onDone(`${pending.model}: ${done.alias} rolled back to v${done.version} (was v${done.from ?? '?'}).`);
      }
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : String(failure));
      setBusy(false);
    }
  };
  const title = pending.kind === 'promote' ? `Promote ${pending.model} v${pending.version}?` : `Roll back ${pending.model}@${pending.alias}?`;
  return html`<dialog ref=${dialog} class="confirm" aria-labelledby="confirm-title" onCancel=${(e: Event) => {
    e.preventDefault();
    onCancel();
  }}>
    <form method="dialog" onSubmit=${confirm}>
      <h2 id="confirm-title">${title}</h2>
      ${pending.kind === 'promote'
        ? html`<p>The alias will point at version ${pending.version}; anything that resolves it (batch scoring, <code>--model NAME@alias</code>, the compare baseline) uses that version from then on. <code>mlops models rollback</code> undoes it.</p>
            <label>Alias <input name="alias" value=${alias} required pattern="[A-Za-z][A-Za-z0-9._-]*" onInput=${(e: Event) => setAlias((e.target as HTMLInputElement).value)} /></label>`
        : html`<p>${pending.alias} goes back from v${pending.current} to ${pending.previous !== undefined ? `v${pending.previous}` : 'the version before it'}.</p>`}
      <label>Reason (kept in the history) <input name="reason" value=${reason} onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} /></label>
      ${error ? html`<p class="problem-message" role="alert">${error}</p>` : null}
      <div class="dialog-buttons">
        <button type="button" class="secondary" onClick=${onCancel}>Cancel</button>
        <button type="submit" disabled=${busy}>${pending.kind === 'promote' ? 'Promote' : 'Roll back'}</button>
      </div>
    </form>
  </dialog>`;
}

function Lineage({ version }: { version: ModelVersion }): VNode {
  const lineage = version.lineage;
  if (!lineage.runId) return html`<span class="muted">–</span>`;
  return html`<span>
    <a href=${`/runs/${encodeURIComponent(lineage.runId)}${lineage.node ? `?node=${encodeURIComponent(lineage.node)}` : ''}`}>${lineage.pipeline ?? 'run'} ${runLabel(lineage.runId)}</a>
    ${lineage.node ? html`<br /><span class="small">produced by ${lineage.node}${lineage.selectedBy ? `, chosen by ${lineage.selectedBy.node}` : ''}</span>` : null}
    ${lineage.commit ? html`<br /><code class="small">${lineage.commit.slice(0, 8)}</code>` : null}
  </span>`;
}

function ModelCard({ model, writable, ask }: { model: ModelInfo; writable: boolean; ask: (pending: Pending) => void }): VNode {
  const aliasesOf = (n: number): string[] => Object.entries(model.aliases).filter(([, e]) => e.version === n).map(([a]) => a);
  const production = model.aliases['production']?.version;
  return html`<section class="model" aria-labelledby=${`model-${model.name}`} data-model=${model.name}>
    <h2 id=${`model-${model.name}`}>${model.name}</h2>
    <p class="aliases">
      ${Object.keys(model.aliases).length === 0 ? html`<span class="muted">No aliases yet: promote a version.</span>` : null}
      ${Object.entries(model.aliases).map(
        ([alias, entry]) => html`<span class="alias" data-alias=${alias}><span class="badge alias-badge">${alias}</span> v${entry.version}
          ${writable && entry.stack.length > 1
            ? html`<button type="button" class="secondary small" onClick=${() => ask({ kind: 'rollback', model: model.name, alias, current: entry.version, ...(entry.stack.at(-2) !== undefined ? { previous: entry.stack.at(-2) } : {}) })}>Roll back</button>`
            : null}</span>`,
      )}
    </p>
    <h3>Versions</h3>
    <div class="table-scroll">
      <table class="versions-table">
        <thead><tr><th scope="col">Version</th><th scope="col">Aliases</th><th scope="col">Metrics</th><th scope="col">Lineage</th><th scope="col">Files</th><th scope="col">Created</th>${writable ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : null}</tr></thead>
        <tbody>
          ${[...model.versions].reverse().map(
            (v) => html`<tr data-version=${v.version}>
              <th scope="row">v${v.version}</th>
              <td>${aliasesOf(v.version).map((a) => html`<span class="badge alias-badge">${a}</span> `)}</td>
              <td>${Object.entries(v.metrics).filter(([, m]) => typeof m === 'number').slice(0, 5).map(([k, m]) => html`<span class="metric"><span class="metric-key">${k}</span> ${num(m)}</span>`)}</td>
              <td><${Lineage} version=${v} /></td>
              <td>${v.files.map((f) => html`<code title=${f.sha256}>${f.path}</code> `)}</td>
              <td>${when(v.createdAt)}<br /><span class="small muted">by ${v.createdBy}</span></td>
              ${writable
                ? html`<td>${production === v.version ? html`<span class="muted small">in production</span>` : html`<button type="button" onClick=${() => ask({ kind: 'promote', model: model.name, version: v.version, ...(production !== undefined ? { current: production } : {}) })}>Promote…</button>`}</td>`
                : null}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <h3>Promotion history</h3>
    ${model.history.length === 0
      ? html`<p class="muted">No promotions yet.</p>`
      : html`<div class="table-scroll"><table class="history-table">
          <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Alias</th><th scope="col">From → to</th><th scope="col">By</th><th scope="col">Reason</th></tr></thead>
          <tbody>${[...model.history].reverse().map(
            (e) => html`<tr><td>${when(e.at)}</td><td>${e.action}</td><td>${e.alias}</td><td>${e.from !== undefined ? `v${e.from}` : 'unset'} → v${e.version}</td><td>${e.by}</td><td>${e.reason ?? ''}</td></tr>`,
          )}</tbody>
        </table></div>`}
  </section>`;
}

export function ModelsPage({ project }: { project: ProjectInfo }): VNode {
  setTitle('Models');
  const models = useApi<ModelInfo[]>('/api/models');
  const [pending, setPending] = useState<Pending | undefined>();
  const [message, setMessage] = useState('');
  if (models.error) return html`<${ErrorPanel} error=${models.error} title="Cannot read the registry" retry=${models.reload} />`;
  if (!models.data) return html`<${Loading} what="the registry" />`;
  if (models.data.length === 0) {
    return html`<${Empty} title="No models registered">
      <p>The registry in <code>${project.projectDir}/registry</code> is empty. Register the compare winner of a run:</p>
      <pre><code>mlops models register --run latest --name NAME</code></pre>
    <//>`;
  }
  return html`<section aria-labelledby="models-title">
    <h1 id="models-title">Models</h1>
    <p role="status" aria-live="polite" class=${message ? 'notice' : 'visually-hidden'}>${message}</p>
    ${models.data.map((model) => html`<${ModelCard} key=${model.name} model=${model} writable=${project.writable} ask=${setPending} />`)}
    ${pending
      ? html`<${ConfirmDialog} pending=${pending} onCancel=${() => setPending(undefined)} onDone=${(text: string) => {
          setPending(undefined);
          setMessage(text);
          models.reload();
        }} />`
      : null}
  </section>`;
}
