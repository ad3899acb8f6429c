/**
 * Local endpoints as `mlops endpoints` lists them (the daemon's live state, else the recorded state marked
 * not serving), each with its proxy's Prometheus metrics scraped from `/metrics`: requests by version
 * and code, 5xx count, and p50/p99 read from the latency histogram.
 */
import { request } from 'node:http';
import { findDaemon } from '../../deploy/local/client.js';
import { readState, type EndpointState } from '../../deploy/local/manager.js';
import { getErrorMessage } from '../../util/errors.js';
import type { EndpointInfo, EndpointMetrics, EndpointsInfo } from '../api-types.js';
import { route, type Route, type RouteContext } from '../http.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition format (0.0.4): comments skipped, label values unescaped. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    const labelText = match[3] ?? '';
    for (const pair of labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1] ?? ''] = (pair[2] ?? '').replace(/\\(.)/g, (_m, ch: string) => (ch === 'n' ? '\n' : ch));
    }
    const raw = match[4] ?? '';
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    samples.push({ name: match[1] ?? '', labels, value });
  }
  return samples;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside the bucket that holds it (as
 * Prometheus' histogram_quantile does); the highest finite bound when it falls in the +Inf bucket.
 */
export function histogramQuantile(q: number, buckets: { le: number; count: number }[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let previousBound = 0;
  let previousCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (!Number.isFinite(bucket.le)) return previousBound;
      const inBucket = bucket.count - previousCount;
      return inBucket <= 0 ? bucket.le : previousBound + ((bucket.le - previousBound) * (rank - previousCount)) / inBucket;
    }
    previousBound = bucket.le;
    previousCount = bucket.count;
  }
  return previousBound;
}

/** Cumulative buckets summed by bound (the proxy keeps one histogram per version). */
function summedBuckets(samples: Sample[]): { le: number; count: number }[] {
  const byBound = new Map<number, number>();
  for (const sample of samples) {
    const le = sample.labels['le'] === '+Inf' ? Infinity : Number(sample.labels['le']);
    byBound.set(le, (byBound.get(le) ?? 0) + sample.value);
  }
  return [...byBound.entries()].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le);
}

export function endpointMetrics(text: string, now = new Date()): EndpointMetrics {
  const samples = parsePrometheusText(text);
  const requests = samples
    .filter((s) => s.name === 'mlops_proxy_requests_total')
    .map((s) => ({ version: s.labels['version'] ?? '', code: s.labels['code'] ?? '', count: s.value }));
  const bucketSamples = samples.filter((s) => s.name === 'mlops_proxy_request_duration_seconds_bucket');
  const buckets = summedBuckets(bucketSamples);
  const errors = samples.find((s) => s.name === 'mlops_proxy_errors_total')?.value ?? requests.filter((r) => Number(r.code) >= 500).reduce((n, r) => n + r.count, 0);
  const rejected = samples.find((s) => s.name === 'mlops_proxy_rejected_total')?.value;
  const active = samples.find((s) => s.name === 'mlops_proxy_active_version' && s.value === 1)?.labels['version'];
  const gauge = (name: string, version: string): number | undefined => samples.find((s) => s.name === name && s.labels['version'] === version)?.value;
  const labels = [...new Set([...requests.map((r) => r.version), ...bucketSamples.map((s) => s.labels['version']).filter((v): v is string => v !== undefined)])].sort();
  const versions: EndpointMetrics['versions'] = labels.map((version) => {
    const own = summedBuckets(bucketSamples.filter((s) => s.labels['version'] === version));
    const p50 = histogramQuantile(0.5, own);
    const p99 = histogramQuantile(0.99, own);
    const replicas = gauge('mlops_proxy_replicas', version);
    const inFlight = gauge('mlops_proxy_in_flight', version);
    const queued = gauge('mlops_proxy_queue', version);
    return {
      version,
      requests: requests.filter((r) => r.version === version).reduce((n, r) => n + r.count, 0),
      errors: requests.filter((r) => r.version === version && Number(r.code) >= 500).reduce((n, r) => n + r.count, 0),
      ...(p50 !== undefined ? { p50 } : {}),
      ...(p99 !== undefined ? { p99 } : {}),
      ...(replicas !== undefined ? { replicas } : {}),
      ...(inFlight !== undefined ? { inFlight } : {}),
      ...(queued !== undefined ? { queued } : {}),
    };
  });
  const p50 = histogramQuantile(0.5, buckets);
  const p99 = histogramQuantile(0.99, buckets);
  return {
    requests,
    total: requests.reduce((n, r) => n + r.count, 0),
    errors,
    ...(rejected !== undefined ? { rejected } : {}),
    ...(p50 !== undefined ? { p50 } : {}),
    ...(p99 !== undefined ? { p99 } : {}),
    // JSON has no Infinity: the +Inf bucket is the total anyway.
    buckets: buckets.filter((b) => Number.isFinite(b.le)),
    versions,
    ...(active !== undefined ? { activeVersion: active } : {}),
    scrapedAt: now.toISOString(),
  };
}

function scrape(url: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/metrics`, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`/metrics answered ${res.statusCode ?? '?'}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url}/metrics within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

async function endpoints({ projectDir }: RouteContext): Promise<EndpointsInfo> {
  const daemon = await findDaemon(projectDir);
  const states: EndpointState[] = daemon ? await daemon.endpoints() : (await readState(projectDir)).endpoints.map((e) => ({ ...e, active: undefined }));
  const infos: EndpointInfo[] = [];
  for (const state of states) {
    const info: EndpointInfo = { state };
    if (!daemon) info.metricsProblem = 'the deploy daemon is not running (start an endpoint with `mlops deploy`)';
    else if (!state.url) info.metricsProblem = 'the endpoint has no proxy yet';
    else {
      try {
        info.metrics = endpointMetrics(await scrape(state.url));
      } catch (error) {
        info.metricsProblem = getErrorMessage(error);
      }
    }
    infos.push(info);
  }
  return { daemon: daemon !== undefined, endpoints: infos };
}

export const endpointRoutes: Route[] = [route('GET', '/api/endpoints', endpoints)];
