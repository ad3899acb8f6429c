/**
 * The inference performance check after a rollout: a bounded load test (fixed duration, fixed number of
 * concurrent keep-alive connections) cycling through sample payloads, recording requests per second
 * and p50/p99 latency, failing when p99 (or the error count) is above the declared limit. Plain
 * node:http, so the action bundle needs no load-testing dependency.
 */
import { Agent, request } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface LoadTestOptions {
  url: string;
  /** Bodies sent in turn (POST with JSON content type); none: GET. */
  payloads: string[];
  durationMs: number;
  connections: number;
  /** Fails above this p99, in milliseconds. */
  maxP99Ms?: number;
  /** Fails above this p50, in milliseconds. */
  maxP50Ms?: number;
  /** Share of requests allowed to fail (non-2xx or transport error), default 0. */
  maxErrorRate?: number;
}

export interface LoadTestResult {
  ok: boolean;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  durationMs: number;
  /** Why it failed, empty when ok. */
  failures: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function once(url: URL, agent: Agent, body: string | undefined): Promise<{ ms: number; ok: boolean }> {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    const send = url.protocol === 'https:' ? httpsRequest : request;
    const req = send(
      url,
      {
        method: body === undefined ? 'GET' : 'POST',
        agent: url.protocol === 'https:' ? undefined : agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.once('end', () => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 }));
        res.once('error', () => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false }));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false }));
    req.end(body);
  });
}

export async function runLoadTest(options: LoadTestOptions): Promise<LoadTestResult> {
  const url = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = Date.now();
  const deadline = started + options.durationMs;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const body = options.payloads.length === 0 ? undefined : options.payloads[next++ % options.payloads.length];
      const result = await once(url, agent, body);
      latencies.push(result.ms);
      if (!result.ok) errors += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.connections) }, () => worker()));
  } finally {
    agent.destroy();
  }
  const durationMs = Date.now() - started;
  latencies.sort((a, b) => a - b);
  const p50Ms = percentile(latencies, 50);
  const p99Ms = percentile(latencies, 99);
  const failures: string[] = [];
  const errorRate = latencies.length === 0 ? 1 : errors / latencies.length;
  if (latencies.length === 0) failures.push('no request completed');
  if (errorRate > (options.maxErrorRate ?? 0)) failures.push(`${errors} of ${latencies.length} requests failed (${(errorRate * 100).toFixed(1)}%)`);
  if (options.maxP99Ms !== undefined && p99Ms > options.maxP99Ms) failures.push(`p99 latency ${p99Ms.toFixed(1)} ms is above the ${options.maxP99Ms} ms limit`);
  if (options.maxP50Ms !== undefined && p50Ms > options.maxP50Ms) failures.push(`p50 latency ${p50Ms.toFixed(1)} ms is above the ${options.maxP50Ms} ms limit`);
  return {
    ok: failures.length === 0,
    requests: latencies.length,
    errors,
    rps: latencies.length / (durationMs / 1000),
    p50Ms,
    p99Ms,
    maxMs: latencies.at(-1) ?? NaN,
    durationMs,
    failures,
  };
}

export function formatLoadTest(result: LoadTestResult): string {
  return `${result.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ${result.errors} errors${result.ok ? '' : ` — FAILED: ${result.failures.join('; ')}`}`;
}
