/**
 * The stable front of a local endpoint: a reverse proxy on a fixed loopback port that forwards to the
 * active version's replicas (see pool.ts), switches atomically, and keeps the previous version as a warm
 * fallback while the new one is watched. It answers `/metrics` itself (Prometheus text format).
 *
 * Failure handling, per request:
 * - no answer from the upstream in `response-timeout` (or no connection in `connect-timeout`): 504;
 * - the upstream never answered (refused, reset before any response byte): the request is resent, to
 *   another replica or to the warm previous version; a request the upstream answered is never resent;
 * - every replica busy and the queue full (or the wait too long): 503 with `Retry-After`.
 */
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ListenerProvider } from './listener.js';
import type { Replica, VersionPool } from './pool.js';

/** Seconds; Prometheus' usual latency buckets, finer at the low end where a proxy lives. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'transfer-encoding']);

function forwardHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(key)) out[key] = value;
  return out;
}

/** Request bodies are read whole (so a request the upstream never answered can be resent); larger ones get 413. */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export interface ProxyTimeouts {
  connectMs: number;
  responseMs: number;
}

export const DEFAULT_TIMEOUTS: ProxyTimeouts = { connectMs: 30_000, responseMs: 30_000 };

/** What the watcher of a new version reads: outcomes since `watch()`. */
export interface VersionWindow {
  requests: number;
  /** Answers with a 5xx status from the version, and requests it failed at the transport level. */
  errors: number;
  latenciesMs: number[];
}

/** One request/response pair, for the request log. */
export interface Exchange {
  version: string;
  method: string;
  path: string;
  status: number;
  requestType: string | undefined;
  request: Buffer;
  responseType: string | undefined;
  /** Undefined when the response was larger than the capture limit. */
  response: Buffer | undefined;
}

interface Target {
  label: string;
  pool: VersionPool;
}

class Histogram {
  readonly counts = BUCKETS.map(() => 0);
  sum = 0;
  count = 0;
  observe(seconds: number): void {
    this.sum += seconds;
    this.count += 1;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] ?? Infinity)) this.counts[i] = (this.counts[i] ?? 0) + 1;
  }
}

type Outcome = { kind: 'answered' } | { kind: 'unanswered'; error: string; sameVersionSafe: boolean } | { kind: 'timeout'; what: string } | { kind: 'busy'; why: string };

export class EndpointProxy {
  private server: Server | undefined;
  private listeners: ListenerProvider | undefined;
  private readonly sockets = new Set<Socket>();
  private held: (() => void)[] | undefined;
  private active: Target | undefined;
  private fallback: Target | undefined;
  private readonly requests = new Map<string, number>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly windows = new Map<string, VersionWindow>();
  private readonly known = new Map<string, VersionPool>();
  private errors = 0;
  private retries = 0;
  private rejected = 0;
  timeouts: ProxyTimeouts = { ...DEFAULT_TIMEOUTS };
  /** Called for each answered request when set (the request log samples from here). */
  onExchange: ((exchange: Exchange) => void) | undefined;
  /** Response bytes captured for `onExchange`; larger responses are passed as undefined. */
  captureLimit = 64 * 1024;

  constructor(readonly endpoint: string) {}

  /**
   * Listens on `port` (0 picks one) on loopback; resolves to the port. With `listeners` (the keeper's),
   * the listening socket belongs to them and each connection is handed over.
   */
  async listen(port: number, host = '127.0.0.1', listeners?: ListenerProvider): Promise<number> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    this.server = server;
    if (listeners) {
      this.listeners = listeners;
      // A server that does not listen itself does not track its connections: close() needs them.
      return listeners.listen(this.endpoint, port, (socket) => {
        this.sockets.add(socket);
        socket.once('close', () => this.sockets.delete(socket));
        server.emit('connection', socket);
      });
    }
    await new Promise<void>((done, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => done());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  get activeVersion(): string | undefined {
    return this.active?.label;
  }

  get fallbackVersion(): string | undefined {
    return this.fallback?.label;
  }

  /**
   * New requests go to `next` from now on. `fallback` (usually the version serving until now, kept warm)
   * takes the requests `next` never answered.
   */
  route(next: Target | undefined, fallback?: Target): void {
    this.release();
    this.active = next;
    this.fallback = fallback;
    if (next) this.known.set(next.label, next.pool);
    if (fallback) this.known.set(fallback.label, fallback.pool);
  }

  /**
   * Requests wait (up to the connect timeout) until the first `route()`: a daemon coming back takes
   * connections before it has adopted the serving version's replicas.
   */
  hold(): void {
    this.held ??= [];
    const held = this.held;
    setTimeout(() => {
      if (this.held === held) this.release();
    }, this.timeouts.connectMs).unref();
  }

  private release(): void {
    const held = this.held;
    this.held = undefined;
    for (const wake of held ?? []) wake();
  }

  /** Starts a fresh outcome window for `label` (the watcher's view of a new version). */
  watch(label: string): VersionWindow {
    const window: VersionWindow = { requests: 0, errors: 0, latenciesMs: [] };
    this.windows.set(label, window);
    return window;
  }

  unwatch(label: string): void {
    this.windows.delete(label);
  }

  forget(label: string): void {
    this.known.delete(label);
  }

  private record(version: string, status: number, startedNs: bigint): number {
    const key = `${version}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (status >= 500) this.errors += 1;
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    let histogram = this.histograms.get(version);
    if (!histogram) this.histograms.set(version, (histogram = new Histogram()));
    histogram.observe(seconds);
    return seconds * 1000;
  }

  private observe(version: string, failed: boolean, ms?: number): void {
    const window = this.windows.get(version);
    if (!window) return;
    window.requests += 1;
    if (failed) window.errors += 1;
    // Bounded: the watcher needs a p99 over its window, not every sample of a long one.
    if (ms !== undefined && window.latenciesMs.length < 100_000) window.latenciesMs.push(ms);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    if (req.url === '/metrics' && req.method === 'GET') {
      const text = this.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.once('error', () => res.destroy());
    req.once('end', () => {
      if (tooLarge) return this.answer(res, 413, `request body over ${MAX_REQUEST_BYTES} bytes`, 'none', started);
      void this.dispatch(req, res, Buffer.concat(chunks), started);
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Buffer, started: bigint): Promise<void> {
    const held = this.held;
    if (held) await new Promise<void>((wake) => held.push(wake));
    // Versions already tried for this request, and whether any of them took it without answering.
    const tried = new Set<string>();
    const failedReplicas = new Set<Replica>();
    let lastFailure: Outcome | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      const target = this.choose(tried);
      if (!target) break;
      const outcome = await this.forward(target, req, res, body, started, failedReplicas);
      if (outcome.kind === 'answered') return;
      lastFailure = outcome;
      if (outcome.kind === 'timeout') {
        this.observe(target.label, true);
        return this.answer(res, 504, `${target.label} ${outcome.what}`, target.label, started);
      }
      if (outcome.kind === 'busy') {
        // Saturated: the warm previous version may take it; otherwise tell the client when to retry.
        tried.add(target.label);
        continue;
      }
      this.observe(target.label, true);
      if (res.headersSent || res.destroyed) return;
      this.retries += 1;
      // Once more on the same version when that is safe (another replica, or one restarted), else the
      // fallback. A request reset on a fresh connection may have crashed its server itself: it may try one
      // other running replica, never wait for a restart of the one it may have killed.
      const otherReady = target.pool.replicas.some((r) => r.ready && !failedReplicas.has(r));
      if (attempt >= 1 || this.fallback || !(outcome.sameVersionSafe || otherReady)) tried.add(target.label);
    }
    if (lastFailure?.kind === 'busy') {
      this.rejected += 1;
      return this.answer(res, 503, `endpoint saturated: ${lastFailure.why}`, this.active?.label ?? 'none', started, { 'retry-after': '1' });
    }
    if (lastFailure?.kind === 'unanswered') return this.answer(res, 502, `upstream failed: ${lastFailure.error}`, this.active?.label ?? 'none', started);
    this.answer(res, 503, 'no version is serving', 'none', started, { 'retry-after': '1' });
  }

  private choose(tried: Set<string>): Target | undefined {
    const candidates = [this.active, this.fallback].filter((t): t is Target => t !== undefined && !t.pool.isClosed && !tried.has(t.label));
    const first = candidates[0];
    // With no replica up on the active version (all restarting), the warm fallback answers at once.
    if (first && first.pool.ready === 0 && candidates[1] && candidates[1].pool.ready > 0) return candidates[1];
    return first;
  }

  private async forward(target: Target, req: IncomingMessage, res: ServerResponse, body: Buffer, started: bigint, failedReplicas: Set<Replica>): Promise<Outcome> {
    const first = target.pool.acquire(failedReplicas);
    const acquired = first instanceof Promise ? await first : first;
    if (acquired === 'saturated') return { kind: 'busy', why: `${target.label}: every replica busy and ${target.pool.policy.queueLimit} requests queued` };
    if (acquired === 'timeout') return { kind: 'busy', why: `${target.label}: no replica free within ${target.pool.policy.queueTimeoutMs} ms` };
    const replica: Replica = acquired;
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const sent = process.hrtime.bigint();
      const finish = (outcome: Outcome, latencyMs?: number): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(responseTimer);
        target.pool.release(replica, latencyMs);
        resolve(outcome);
      };
      const headers = forwardHeaders(req.headers);
      headers['content-length'] = String(body.length);
      const outgoing = request({ host: '127.0.0.1', port: replica.port, method: req.method, path: req.url, headers, agent: replica.agent }, (answer) => {
        clearTimeout(responseTimer);
        const status = answer.statusCode ?? 502;
        res.writeHead(status, forwardHeaders(answer.headers));
        const capture: Buffer[] | undefined = this.onExchange ? [] : undefined;
        let captured = 0;
        answer.on('data', (chunk: Buffer) => {
          if (capture && captured <= this.captureLimit) {
            captured += chunk.length;
            capture.push(chunk);
          }
          res.write(chunk);
        });
        answer.once('end', () => {
          res.end();
          const ms = this.record(target.label, status, started);
          this.observe(target.label, status >= 500, Number(process.hrtime.bigint() - sent) / 1e6);
          finish({ kind: 'answered' }, ms);
          if (capture && this.onExchange) {
            this.onExchange({
              version: target.label,
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              status,
              requestType: req.headers['content-type'],
              request: body,
              responseType: answer.headers['content-type'],
              response: captured <= this.captureLimit ? Buffer.concat(capture) : undefined,
            });
          }
        });
        answer.once('error', () => {
          res.destroy();
          this.record(target.label, 502, started);
          finish({ kind: 'answered' });
        });
      });
      const connectTimer = setTimeout(() => {
        if (outgoing.socket && !outgoing.socket.connecting) return;
        outgoing.destroy();
        finish({ kind: 'timeout', what: `did not accept a connection within ${this.timeouts.connectMs} ms` });
      }, this.timeouts.connectMs);
      const responseTimer = setTimeout(() => {
        outgoing.destroy();
        finish({ kind: 'timeout', what: `did not answer within ${this.timeouts.responseMs} ms` });
      }, this.timeouts.responseMs);
      outgoing.once('error', (error) => {
        if (settled) return;
        if (res.headersSent) {
          res.destroy();
          finish({ kind: 'answered' });
          return;
        }
        target.pool.suspect(replica);
        failedReplicas.add(replica);
        // Refused, or a kept-alive socket the server had closed: the request never reached a server. A reset
        // on a fresh connection may mean the request itself crashed it: not resent to the same version.
        const code = (error as NodeJS.ErrnoException).code;
        finish({ kind: 'unanswered', error: `${target.label}: ${error.message}`, sameVersionSafe: code === 'ECONNREFUSED' || outgoing.reusedSocket });
      });
      outgoing.end(body);
    });
  }

  private answer(res: ServerResponse, status: number, message: string, version: string, started: bigint, extra: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify({ error: message });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extra });
    res.end(text);
    this.record(version, status, started);
  }

  /** Prometheus text exposition format 0.0.4. */
  metrics(): string {
    const endpoint = labelValue(this.endpoint);
    const lines = [
      '# HELP mlops_proxy_requests_total Requests answered through the proxy, by version and status code.',
      '# TYPE mlops_proxy_requests_total counter',
    ];
    for (const [key, count] of [...this.requests.entries()].sort()) {
      const [version = '', code = ''] = key.split('\u0000');
      lines.push(`mlops_proxy_requests_total{endpoint="${endpoint}",version="${labelValue(version)}",code="${code}"} ${count}`);
    }
    lines.push(
      '# HELP mlops_proxy_errors_total Requests answered with a 5xx status (upstream failures included).',
      '# TYPE mlops_proxy_errors_total counter',
      `mlops_proxy_errors_total{endpoint="${endpoint}"} ${this.errors}`,
      '# HELP mlops_proxy_retries_total Requests resent because the upstream never answered.',
      '# TYPE mlops_proxy_retries_total counter',
      `mlops_proxy_retries_total{endpoint="${endpoint}"} ${this.retries}`,
      '# HELP mlops_proxy_rejected_total Requests answered 503 because every replica was busy and the queue full.',
      '# TYPE mlops_proxy_rejected_total counter',
      `mlops_proxy_rejected_total{endpoint="${endpoint}"} ${this.rejected}`,
      '# HELP mlops_proxy_request_duration_seconds Time from request to the end of the response, through the proxy, by version.',
      '# TYPE mlops_proxy_request_duration_seconds histogram',
    );
    for (const [version, histogram] of [...this.histograms.entries()].sort()) {
      const labels = `endpoint="${endpoint}",version="${labelValue(version)}"`;
      BUCKETS.forEach((bound, i) => lines.push(`mlops_proxy_request_duration_seconds_bucket{${labels},le="${bound}"} ${histogram.counts[i] ?? 0}`));
      lines.push(
        `mlops_proxy_request_duration_seconds_bucket{${labels},le="+Inf"} ${histogram.count}`,
        `mlops_proxy_request_duration_seconds_sum{${labels}} ${histogram.sum}`,
        `mlops_proxy_request_duration_seconds_count{${labels}} ${histogram.count}`,
      );
    }
    const pools = [...this.known.entries()].filter(([, pool]) => !pool.isClosed).sort(([a], [b]) => a.localeCompare(b));
    const gauge = (name: string, help: string, value: (pool: VersionPool) => number, type: 'gauge' | 'counter' = 'gauge'): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [version, pool] of pools) lines.push(`${name}{endpoint="${endpoint}",version="${labelValue(version)}"} ${value(pool)}`);
    };
    gauge('mlops_proxy_replicas', 'Server processes ready to take requests, by version.', (pool) => pool.ready);
    gauge('mlops_proxy_in_flight', 'Requests being answered by the replicas, by version.', (pool) => pool.inFlight);
    gauge('mlops_proxy_queue', 'Requests waiting for a free replica, by version.', (pool) => pool.queued);
    gauge('mlops_proxy_replicas_starting', 'Server processes being started by a scale-up (not yet healthy), by version.', (pool) => pool.startingReplicas);
    gauge('mlops_proxy_warmup_replicas_total', 'Replicas warmed up with the sample requests before taking traffic, by version.', (pool) => pool.warmup.replicas, 'counter');
    gauge('mlops_proxy_warmup_requests_total', 'Warm-up requests sent to new replicas, by version.', (pool) => pool.warmup.requests, 'counter');
    gauge('mlops_proxy_warmup_failures_total', 'Replicas whose warm-up failed (stopped, never given traffic), by version.', (pool) => pool.warmup.failures, 'counter');
    gauge('mlops_proxy_warmup_seconds_total', 'Time spent warming up new replicas, by version.', (pool) => pool.warmup.seconds, 'counter');
    gauge('mlops_proxy_replica_start_failures_total', 'Replicas that could not be started (replacing a crashed one, or a scale-up), by version.', (pool) => pool.startFailures, 'counter');
    gauge('mlops_proxy_degraded', 'Fewer replicas run than min-replicas (1), the pool retrying with a back-off, by version.', (pool) => (pool.degraded ? 1 : 0));
    gauge('mlops_proxy_panic_mode', 'The autoscaler is in panic mode (1): demand at least twice the ready replicas, by version.', (pool) => (pool.panicking ? 1 : 0));
    lines.push('# HELP mlops_proxy_active_version The version receiving new requests (1), by version label.', '# TYPE mlops_proxy_active_version gauge');
    if (this.active) lines.push(`mlops_proxy_active_version{endpoint="${endpoint}",version="${labelValue(this.active.label)}"} 1`);
    return `${lines.join('\n')}\n`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.active = undefined;
    this.fallback = undefined;
    if (!server) return;
    if (this.listeners) {
      this.listeners.close(this.endpoint);
      for (const socket of this.sockets) socket.destroy();
      this.sockets.clear();
      return;
    }
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }
}
