/**
 * Local endpoints: versions and their status (rejected ones with the reason), and the proxy's metrics,
 * polled every two seconds: request rate and error rate from the change between two scrapes, p50/p99.
 */
import { html } from 'htm/preact';
import { useRef } from 'preact/hooks';
import type { VNode } from 'preact';
import type { EndpointInfo, EndpointMetrics, EndpointsInfo, ProjectInfo } from '../../api-types.js';
import { LineChart } from '../components/charts.js';
import { Empty, ErrorPanel, Loading, runLabel, setTitle, StateBadge, useApi, when } from '../common.js';

const POLL_MS = 2000;
const KEEP = 60;

interface Point {
  t: number;
  total: number;
  errors: number;
}

function ms(seconds: number | undefined): string {
  return seconds === undefined ? '–' : `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
}

function versionTraffic(m: EndpointMetrics['versions'][number] | undefined): string {
  if (!m) return '–';
  const parts = [`${m.requests} requests`, `${m.errors} 5xx`];
  if (m.p99 !== undefined) parts.push(`p50 ${ms(m.p50)}, p99 ${ms(m.p99)}`);
  if (m.replicas !== undefined) parts.push(`${m.replicas} replica${m.replicas === 1 ? '' : 's'}${m.inFlight ? `, ${m.inFlight} in flight` : ''}${m.queued ? `, ${m.queued} queued` : ''}`);
  return parts.join(' · ');
}

function EndpointCard({ info, history }: { info: EndpointInfo; history: Point[] }): VNode {
  const { state, metrics } = info;
  const last = history.at(-1);
  const before = history.at(-2);
  const seconds = last && before ? (last.t - before.t) / 1000 : 0;
  const rate = last && before && seconds > 0 ? (last.total - before.total) / seconds : undefined;
  const errorRate = last && before && last.total > before.total ? (last.errors - before.errors) / (last.total - before.total) : undefined;
  const rates = history.slice(1).map((p, i) => {
    const prev = history[i] as Point;
    return (p.total - prev.total) / Math.max(0.001, (p.t - prev.t) / 1000);
  });
  return html`<section class="endpoint" aria-labelledby=${`ep-${state.deployment}-${state.endpoint}`} data-endpoint=${`${state.deployment}/${state.endpoint}`}>
    <h2 id=${`ep-${state.deployment}-${state.endpoint}`}>${state.deployment}/${state.endpoint}</h2>
    <p>${state.active !== undefined ? html`<${StateBadge} state="serving" /> v${state.active} at <a href=${state.url} target="_blank" rel="noreferrer">${state.url}</a>` : html`<${StateBadge} state="stopped" /> not serving`}</p>
    ${metrics
      ? html`<dl class="stats">
          <div><dt>Requests</dt><dd>${metrics.total}</dd></div>
          <div><dt>Request rate</dt><dd>${rate === undefined ? 'measuring…' : `${rate.toFixed(1)}/s`}</dd></div>
          <div><dt>Errors (5xx)</dt><dd>${metrics.errors}${errorRate !== undefined ? ` · ${(errorRate * 100).toFixed(1)} % now` : ''}</dd></div>
          <div><dt>p50</dt><dd>${ms(metrics.p50)}</dd></div>
          <div><dt>p99</dt><dd>${ms(metrics.p99)}</dd></div>
          ${metrics.rejected !== undefined ? html`<div><dt>Turned away (503, full)</dt><dd>${metrics.rejected}</dd></div>` : null}
        </dl>
        ${rates.length > 1 ? html`<${LineChart} caption="Requests per second" xLabel="seconds ago" x=${history.slice(1).map((p) => Math.round((p.t - (last?.t ?? 0)) / 1000))} series=${[{ label: 'requests/s', values: rates }]} height=${150} />` : null}`
      : html`<p class="muted">No metrics: ${info.metricsProblem ?? 'not available'}.</p>`}
    <h3>Versions</h3>
    <div class="table-scroll">
      <table>
        <thead><tr><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Model</th><th scope="col">From</th><th scope="col">Traffic</th><th scope="col">Created</th><th scope="col">Why (when rejected or stopped)</th></tr></thead>
        <tbody>
          ${[...state.versions].reverse().map(
            (v) => html`<tr data-version=${v.number}>
              <th scope="row">v${v.number}</th>
              <td><${StateBadge} state=${v.status} />${v.restarts ? html`<div class="small muted">${v.restarts} restarts</div>` : null}
                ${v.degraded
                  ? html`<div class="small degraded" data-degraded="true">degraded: ${v.degraded.replicas} of min ${v.degraded.minReplicas} replicas running, ${v.degraded.failures} failed start${v.degraded.failures === 1 ? '' : 's'}${v.degraded.lastFailure ? html`; last: <span class="reason">${v.degraded.lastFailure}</span>` : null}</div>`
                  : null}</td>
              <td><code>${v.modelVersion}</code></td>
              <td>${v.source.kind === 'run' ? html`<a href=${`/runs/${encodeURIComponent(v.source.runId)}`}>run ${runLabel(v.source.runId)}</a> ${v.source.node}` : html`folder <code>${(v.source as { path?: string }).path ?? ''}</code>`}</td>
              <td class="small">${versionTraffic(metrics?.versions.find((m) => m.version === `v${v.number}`))}</td>
              <td>${when(v.createdAt)}</td>
              <td>${v.reason ? html`<span class="reason">${v.reason}</span>` : ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

export function EndpointsPage({ project }: { project: ProjectInfo }): VNode {
  setTitle('Endpoints');
  const data = useApi<EndpointsInfo>('/api/endpoints', { pollMs: POLL_MS });
  const histories = useRef(new Map<string, Point[]>());
  if (data.error) return html`<${ErrorPanel} error=${data.error} title="Cannot read the endpoints" retry=${data.reload} />`;
  if (!data.data) return html`<${Loading} what="endpoints" />`;
  if (data.data.endpoints.length === 0) {
    return html`<${Empty} title="No local endpoints">
      <p>Nothing has been deployed locally from <code>${project.projectDir}</code>. Deploy a run's model behind a local endpoint:</p>
      <pre><code>mlops deploy --run latest</code></pre>
    <//>`;
  }
  for (const info of data.data.endpoints) {
    const key = `${info.state.deployment}/${info.state.endpoint}`;
    const list = histories.current.get(key) ?? [];
    const metrics = info.metrics;
    if (metrics && list.at(-1)?.t !== Date.parse(metrics.scrapedAt)) list.push({ t: Date.parse(metrics.scrapedAt), total: metrics.total, errors: metrics.errors });
    histories.current.set(key, list.slice(-KEEP));
  }
  return html`<section aria-labelledby="endpoints-title">
    <h1 id="endpoints-title">Endpoints</h1>
    ${data.data.daemon ? null : html`<p class="notice">The local deploy daemon is not running: the endpoints below are as last recorded, and none is serving.</p>`}
    ${data.data.endpoints.map((info) => html`<${EndpointCard} info=${info} history=${histories.current.get(`${info.state.deployment}/${info.state.endpoint}`) ?? []} />`)}
  </section>`;
}
