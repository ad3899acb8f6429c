/**
 * Requests sent to a version before and while it takes traffic: the smoke test (a bounded loop of
 * sample requests, every one of which must answer the expected status in time: one request can be
 * answered by a pod that happens to work, or by the old colour) and the canary analysis (measurements
 * over a window, each judged on error rate and p99 against limits, as Argo Rollouts' AnalysisRun judges
 * its metrics: a measurement fails, more failures than `failureLimit` aborts).
 *
 * A Service is reached through the API server's service proxy (what a tool outside the cluster can
 * always reach, with the credentials it deploys with), or through a URL the caller supplies.
 */
import { getErrorMessage } from '../../util/errors.js';
import type { Cluster } from './cluster.js';

export interface SampleRequest {
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  text: string;
  /** Set when the first attempt was lost between the API server and the pod and this is the retry's answer. */
  retriedAfter?: string;
}

/** Sends one request to a Service (or URL) and returns its answer; throws when nothing answers. */
export type Sender = (request: SampleRequest) => Promise<Answer>;

/**
 * The API server's proxy lost a request on a connection it had kept alive to the pod: the pod closed it
 * idle (gunicorn's keep-alive is 2 s, uvicorn's and Node's 5 s) just as the proxy reused it, and Go's
 * transport never replays a POST. That is the measuring path failing, not the model, so such a request is
 * sent once more; a pod that really died answers the retry with a refused dial, which counts.
 */
export function lostOnKeptAliveConnection(answer: Answer): string | undefined {
  if (answer.status !== 500 && answer.status !== 502 && answer.status !== 503) return undefined;
  let message = '';
  try {
    const status = JSON.parse(answer.text) as { kind?: unknown; message?: unknown };
    if (status.kind !== 'Status' || typeof status.message !== 'string') return undefined;
    message = status.message;
  } catch {
    return undefined;
  }
  if (!message.startsWith('error trying to reach service:') || /\bdial\b/.test(message)) return undefined;
  return /readfrom tcp|EOF|connection reset|broken pipe|use of closed network connection/.test(message) ? message : undefined;
}

export function proxySender(cluster: Cluster, service: string, timeoutMs: number): Sender {
  const base = new URL(cluster.serviceProxyUrl(service)).pathname;
  return async (request) => {
    const headers = { ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers };
    const send = () =>
      cluster.client.raw(request.method ?? (request.body !== undefined ? 'POST' : 'GET'), `${base}${request.path.startsWith('/') ? '' : '/'}${request.path}`, {
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(Object.keys(headers).length > 0 ? { contentType: headers['content-type'] ?? 'application/json' } : {}),
        timeoutMs,
      });
    const first = await send();
    const lost = lostOnKeptAliveConnection(first);
    return lost === undefined ? first : { ...(await send()), retriedAfter: lost };
  };
}

export function urlSender(baseUrl: string, timeoutMs: number): Sender {
  const base = baseUrl.replace(/\/+$/, '');
  return async (request) => {
    const response = await fetch(`${base}${request.path.startsWith('/') ? '' : '/'}${request.path}`, {
      method: request.method ?? (request.body !== undefined ? 'POST' : 'GET'),
      ...(request.body !== undefined ? { body: request.body } : {}),
      headers: { ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  };
}

export interface Measurement {
  requests: number;
  errors: number;
  errorRate: number;
  p99Ms: number;
  /** The first failed request, as a line (status and the start of the body, or the error). */
  firstFailure?: string;
  /** Requests sent twice because the API server lost the first on a kept-alive connection. */
  retried?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** `count` requests, cycling through the samples, `concurrency` at a time. */
export async function measure(send: Sender, samples: SampleRequest[], options: { count: number; expectedStatus: number; concurrency?: number }): Promise<Measurement> {
  const latencies: number[] = [];
  let errors = 0;
  let firstFailure: string | undefined;
  let retried = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.count) {
      const sample = samples[next++ % samples.length];
      if (!sample) return;
      const started = performance.now();
      try {
        const answer = await send(sample);
        latencies.push(performance.now() - started);
        if (answer.retriedAfter !== undefined) retried++;
        if (answer.status !== options.expectedStatus) {
          errors++;
          firstFailure ??= `${sample.method ?? (sample.body !== undefined ? 'POST' : 'GET')} ${sample.path} answered ${answer.status} (expected ${options.expectedStatus})${answer.text ? `: ${answer.text.replace(/\s+/g, ' ').slice(0, 160)}` : ''}`;
        }
      } catch (error) {
        latencies.push(performance.now() - started);
        errors++;
        firstFailure ??= `${sample.path}: ${getErrorMessage(error)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => worker()));
  const sorted = [...latencies].sort((a, b) => a - b);
  const requests = latencies.length;
  return { requests, errors, errorRate: requests === 0 ? 1 : errors / requests, p99Ms: percentile(sorted, 99), ...(firstFailure ? { firstFailure } : {}), ...(retried > 0 ? { retried } : {}) };
}

export interface SmokeOptions {
  samples: SampleRequest[];
  expectedStatus: number;
  maxLatencyMs: number;
  /** Requests in the loop (default 20). */
  requests?: number;
}

function retriedNote(m: Measurement): string {
  return m.retried ? ` (${m.retried} sent again: the API server lost the first on a connection the pod had closed idle)` : '';
}

/** The smoke verdict: undefined when every request passed, else why not. */
export async function smokeTest(send: Sender, where: string, smoke: SmokeOptions): Promise<{ failure?: string; line: string }> {
  const m = await measure(send, smoke.samples, { count: smoke.requests ?? 20, expectedStatus: smoke.expectedStatus, concurrency: 2 });
  const line = `smoke test through ${where}: ${m.requests - m.errors}/${m.requests} requests passed, p99 ${m.p99Ms.toFixed(0)} ms${retriedNote(m)}`;
  if (m.errors > 0) return { failure: `smoke test through ${where} failed: ${m.errors} of ${m.requests} requests failed; first: ${m.firstFailure ?? '?'}`, line };
  if (m.p99Ms > smoke.maxLatencyMs) return { failure: `smoke test through ${where} failed: p99 ${m.p99Ms.toFixed(0)} ms is above the ${smoke.maxLatencyMs} ms limit`, line };
  return { line };
}

export interface AnalysisOptions {
  /** Measurements in the window (Argo's `count`). */
  count: number;
  /** Pause between measurements. */
  intervalMs: number;
  /** Requests per measurement. */
  requestsPerMeasurement: number;
  maxErrorRate: number;
  maxP99Ms: number;
  /** Failed measurements tolerated before the analysis fails (Argo's `failureLimit`, default 0). */
  failureLimit: number;
}

export const DEFAULT_ANALYSIS: AnalysisOptions = { count: 5, intervalMs: 2000, requestsPerMeasurement: 20, maxErrorRate: 0.01, maxP99Ms: 1000, failureLimit: 0 };

/** Runs the window; stops early once failures exceed the limit (as an AnalysisRun does). */
export async function analyse(
  send: Sender,
  samples: SampleRequest[],
  expectedStatus: number,
  options: AnalysisOptions,
  log: (line: string) => void,
): Promise<{ ok: boolean; summary: string; measurements: Measurement[] }> {
  const measurements: Measurement[] = [];
  let failed = 0;
  let firstProblem: string | undefined;
  for (let i = 0; i < options.count; i++) {
    if (i > 0) await new Promise((done) => setTimeout(done, options.intervalMs));
    const m = await measure(send, samples, { count: options.requestsPerMeasurement, expectedStatus, concurrency: 2 });
    measurements.push(m);
    const problems = [
      ...(m.errorRate > options.maxErrorRate ? [`error rate ${(m.errorRate * 100).toFixed(1)}% above ${(options.maxErrorRate * 100).toFixed(1)}%${m.firstFailure ? ` (${m.firstFailure})` : ''}`] : []),
      ...(m.p99Ms > options.maxP99Ms ? [`p99 ${m.p99Ms.toFixed(0)} ms above ${options.maxP99Ms} ms`] : []),
    ];
    log(`analysis ${i + 1}/${options.count}: ${m.requests - m.errors}/${m.requests} ok, p99 ${m.p99Ms.toFixed(0)} ms${retriedNote(m)}${problems.length > 0 ? ` — FAILED: ${problems.join('; ')}` : ''}`);
    if (problems.length > 0) {
      failed++;
      firstProblem ??= problems.join('; ');
      if (failed > options.failureLimit) return { ok: false, summary: `canary analysis failed at measurement ${i + 1}/${options.count}: ${firstProblem}`, measurements };
    }
  }
  const total = measurements.reduce((sum, m) => sum + m.requests, 0);
  const errors = measurements.reduce((sum, m) => sum + m.errors, 0);
  return { ok: true, summary: `canary analysis passed: ${options.count} measurements, ${errors}/${total} failed requests, worst p99 ${Math.max(...measurements.map((m) => m.p99Ms)).toFixed(0)} ms`, measurements };
}
