/**
 * One run (/runs/<id>?node=<name>): the graph with node states kept live by server-sent events, the
 * nodes table with each execution's latest metrics, the stored compare decision, and the selected
 * node's executions (parameters, metadata charts, outputs with checksums and downloads, the log).
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { VNode } from 'preact';
import type { RunDetail, RunRecord } from '../../api-types.js';
import { PipelineGraph } from '../components/graph.js';
import { LineChart, seriesOf } from '../components/charts.js';
import { bytes, duration, ErrorPanel, Loading, navigate, runLabel, setTitle, short, StateBadge, useApi, valueText, when } from '../common.js';

type Execution = RunRecord['nodes'][string]['executions'][number];

/** Keeps `run` current: the record from the page load, then every `run` event of the stream. */
function useLiveRun(runId: string, initial: RunRecord | undefined): { run?: RunRecord; live: boolean } {
  const [run, setRun] = useState<RunRecord | undefined>(initial);
  const [live, setLive] = useState(false);
  useEffect(() => setRun(initial), [initial]);
  // While live, durations count up each second even when no state changes.
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!live) return undefined;
    const timer = window.setInterval(() => setTick((n) => n + 1), 1000);
    return () => window.clearInterval(timer);
  }, [live]);
  useEffect(() => {
    if (!initial || initial.status !== 'running') return undefined;
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    setLive(true);
    source.addEventListener('run', (event) => setRun(JSON.parse((event as MessageEvent<string>).data) as RunRecord));
    const stop = (): void => {
      source.close();
      setLive(false);
    };
    source.addEventListener('end', stop);
    source.addEventListener('problem', stop);
    return stop;
  }, [runId, initial?.status]);
  return { ...(run ? { run } : {}), live };
}

function metricsText(values: Record<string, unknown>): VNode[] {
  return Object.entries(values)
    .filter(([key]) => !key.startsWith('_'))
    .slice(0, 6)
    .map(([key, value]) => html`<span class="metric" data-metric=${key}><span class="metric-key">${key}</span> ${valueText(value)}</span>`);
}

function LogView({ runId, execution }: { runId: string; execution: Execution }): VNode {
  const [text, setText] = useState('');
  const [ended, setEnded] = useState<string | undefined>();
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    setText('');
    setEnded(undefined);
    const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/executions/${encodeURIComponent(execution.executionId)}/log`);
    source.addEventListener('log', (event) => {
      const chunk = JSON.parse((event as MessageEvent<string>).data) as { text: string };
      setText((now) => now + chunk.text);
    });
    source.addEventListener('end', (event) => {
      setEnded((JSON.parse((event as MessageEvent<string>).data) as { status: string }).status);
      source.close();
    });
    source.onerror = () => {
      setEnded('unavailable');
      source.close();
    };
    return () => source.close();
  }, [runId, execution.executionId]);
  useEffect(() => {
    const element = pre.current;
    if (element && !ended) element.scrollTop = element.scrollHeight;
  }, [text]);
  return html`<section class="log" aria-label=${`Log of ${execution.executionId}`}>
    <h4>Log ${ended ? null : html`<span class="badge state-running">streaming</span>`}</h4>
    <pre ref=${pre} tabindex="0" class="log-text">${text || (ended ? '(empty log)' : '…')}</pre>
  </section>`;
}

function ExecutionPanel({ runId, execution }: { runId: string; execution: Execution }): VNode {
  const series = seriesOf(execution.metadata);
  const seriesKeys = Object.keys(series.keys);
  const base = `/api/runs/${encodeURIComponent(runId)}/executions/${encodeURIComponent(execution.executionId)}`;
  return html`<article class="execution" data-execution=${execution.executionId}>
    <h3><code>${execution.executionId}</code> <${StateBadge} state=${execution.status} /> <span class="muted">${duration(execution.startedAt, execution.finishedAt)}</span></h3>
    ${execution.reason ? html`<p class="reason">${execution.reason}</p>` : null}
    ${execution.reusedFrom
      ? html`<p>Reused from <a href=${`/runs/${encodeURIComponent(execution.reusedFrom.runId)}`}>run ${runLabel(execution.reusedFrom.runId)}</a>, execution <code>${execution.reusedFrom.executionId}</code> (same reuse key <code title=${execution.reuseKey}>${short(execution.reuseKey)}</code>).</p>`
      : null}
    <div class="two-columns">
      <section>
        <h4>Parameters</h4>
        ${Object.keys(execution.parameters).length === 0
          ? html`<p class="muted">none</p>`
          : html`<table class="kv"><tbody>${Object.entries(execution.parameters).map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${valueText(v)}</td></tr>`)}</tbody></table>`}
      </section>
      <section>
        <h4>Latest metadata</h4>
        ${Object.keys(execution.latestMetadata).length === 0
          ? html`<p class="muted">none printed</p>`
          : html`<table class="kv"><tbody>${Object.entries(execution.latestMetadata).map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${valueText(v)}</td></tr>`)}</tbody></table>`}
      </section>
    </div>
    ${seriesKeys.length > 0
      ? html`<div class="charts">${seriesKeys.map((key) => html`<${LineChart} caption=${`${key} per ${series.xLabel}`} xLabel=${series.xLabel} x=${series.x} series=${[{ label: key, values: series.keys[key] ?? [] }]} height=${180} />`)}</div>`
      : null}
    <section>
      <h4>Outputs</h4>
      ${execution.outputs.length === 0
        ? html`<p class="muted">none</p>`
        : html`<table><thead><tr><th scope="col">File</th><th scope="col">Size</th><th scope="col">sha256</th><th scope="col"><span class="visually-hidden">Download</span></th></tr></thead><tbody>
            ${execution.outputs.map(
              (o) => html`<tr><td><code>${o.path}</code></td><td>${bytes(o.size)}</td><td><code title=${o.sha256}>${short(o.sha256)}</code></td>
                <td><a href=${`${base}/outputs/${o.path.split('/').map(encodeURIComponent).join('/')}`} download aria-label=${`Download ${o.path}`}>Download</a></td></tr>`,
            )}
          </tbody></table>`}
    </section>
    ${execution.inputs && Object.keys(execution.inputs).length > 0
      ? html`<section><h4>Inputs</h4><table><thead><tr><th scope="col">Input</th><th scope="col">File</th><th scope="col">sha256</th></tr></thead><tbody>
          ${Object.entries(execution.inputs).flatMap(([name, files]) => files.map((f) => html`<tr><td>${name}</td><td><code>${f.relativePath}</code></td><td><code title=${f.sha256 ?? ''}>${f.sha256 ? short(f.sha256) : '–'}</code></td></tr>`))}
        </tbody></table></section>`
      : null}
    <${LogView} runId=${runId} execution=${execution} />
  </article>`;
}

export function RunPage({ runId, node }: { runId: string; node?: string }): VNode {
  const detail = useApi<RunDetail>(`/api/runs/${encodeURIComponent(runId)}`);
  const { run, live } = useLiveRun(runId, detail.data?.run);
  setTitle(`Run ${runId}`);
  if (detail.error) return html`<${ErrorPanel} error=${detail.error} title=${`Cannot show run ${runId}`} retry=${detail.reload} />`;
  if (!detail.data || !run) return html`<${Loading} what=${`run ${runId}`} />`;
  const { graph, decision } = detail.data;
  const states = Object.fromEntries(Object.entries(run.nodes).map(([name, record]) => [name, record.state]));
  const select = (name: string): void => navigate(`/runs/${encodeURIComponent(run.id)}?node=${encodeURIComponent(name)}`, true);
  const selected = node !== undefined ? run.nodes[node] : undefined;

  return html`<section aria-labelledby="run-title">
    <div class="page-head">
      <h1 id="run-title">Run <span class="run-id">${run.id}</span></h1>
      <a class="button" href=${`/compare?runs=${encodeURIComponent(run.id)}`}>Compare this run</a>
    </div>
    <p class="run-facts">
      <span>pipeline <strong>${run.pipeline}</strong></span>
      <span id="run-status" aria-live="polite"><${StateBadge} state=${run.status} /></span>
      ${live ? html`<span class="badge live">live</span>` : null}
      <span>started ${when(run.createdAt)}</span>
      <span>duration ${duration(run.createdAt, run.finishedAt)}</span>
      ${run.startedBy || run.commit ? html`<span>by ${run.startedBy ?? '–'}${run.commit ? html` at <code title=${run.commit}>${run.commit.slice(0, 8)}</code>` : null}</span>` : null}
      <span>ran ${run.request?.container ? `in containers (${run.request.container})` : 'on the host'}</span>
    </p>
    ${run.reason ? html`<p class="reason">${run.reason}</p>` : null}
    <${PipelineGraph} nodes=${graph.nodes} edges=${graph.edges} states=${states} selected=${node} onSelect=${select} />
    <p class="muted small">${graph.source === 'pipeline-file' ? `Edges from ${run.file}.` : 'Edges from the files the executions passed on (the pipeline file no longer matches this run).'} Select a node for its executions, outputs and log.</p>

    <section aria-labelledby="decision-title" class="decision">
      <h2 id="decision-title">Compare decision</h2>
      ${decision
        ? html`<p><${StateBadge} state=${decision.decision} /> ${decision.reason}</p>
            ${decision.winner ? html`<p>Winner: <strong>${decision.winner.node}</strong> (<code>${decision.winner.executionId}</code>), decided ${when(decision.decidedAt)}.</p>` : null}`
        : html`<p class="muted">No decision stored for this run. <a href=${`/compare?runs=${encodeURIComponent(run.id)}`}>Compare its candidates</a>, or store one with <code>mlops compare --run ${run.id}</code>.</p>`}
    </section>

    <section aria-labelledby="nodes-title">
      <h2 id="nodes-title">Nodes</h2>
      <div class="table-scroll">
        <table class="nodes-table">
          <thead><tr><th scope="col">Node</th><th scope="col">State</th><th scope="col">Duration</th><th scope="col">Executions</th><th scope="col">Latest metrics</th></tr></thead>
          <tbody>
            ${Object.entries(run.nodes).map(
              ([name, record]) => html`<tr data-node=${name} class=${name === node ? 'selected' : ''}>
                <th scope="row"><a href=${`/runs/${encodeURIComponent(run.id)}?node=${encodeURIComponent(name)}`}>${name}</a></th>
                <td><${StateBadge} state=${record.state} />${record.reason ? html`<div class="muted small">${record.reason}</div>` : null}</td>
                <td>${duration(record.startedAt, record.finishedAt)}</td>
                <td>${record.executions.length}${record.executions.some((e) => e.reusedFrom) ? ' (reused)' : ''}</td>
                <td>${record.executions.length === 1 ? metricsText(record.executions[0]?.latestMetadata ?? {}) : record.executions.length > 1 ? html`<span class="muted">${record.executions.length} executions</span>` : null}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>

    ${node !== undefined
      ? html`<section aria-labelledby="node-title" class="node-panel">
          <h2 id="node-title">Node ${node} ${selected ? html`<${StateBadge} state=${selected.state} />` : null}</h2>
          ${!selected
            ? html`<p role="alert">This run has no node ${node}.</p>`
            : selected.executions.length === 0
              ? html`<p class="muted">No executions ${selected.state === 'pending' ? 'yet' : ''}${selected.reason ? `: ${selected.reason}` : ''}.</p>`
              : selected.executions.map((execution) => html`<${ExecutionPanel} key=${execution.executionId} runId=${run.id} execution=${execution} />`)}
          ${(run.deployments ?? [])
            .filter((d) => d.node === node)
            .map(
              (d) => html`<section><h3>Deployment ${d.deployment}</h3><p>endpoints ${d.endpoints.join(', ') || '–'}; deploy it with <code>mlops deploy --run ${run.id}</code></p>
                <table><thead><tr><th scope="col">File</th><th scope="col">From</th><th scope="col">sha256</th></tr></thead><tbody>
                ${d.files.map((f) => html`<tr><td>${f.endpoint}.${f.name}</td><td>${f.from.node}: <code>${f.from.path}</code></td><td><code title=${f.sha256}>${short(f.sha256)}</code></td></tr>`)}
                </tbody></table></section>`,
            )}
        </section>`
      : null}
  </section>`;
}

