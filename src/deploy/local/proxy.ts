/**
 * The stable front of a local endpoint: a reverse proxy on a fixed port that forwards to the active
 * version, switches atomically, lets the previous version drain, and exposes Prometheus metrics at
 * `/metrics` (answered by the proxy itself, never forwarded).
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Upstream {
  port: number;
  /** Label for metrics, e.g. `v3`. */
  version: string;
}

interface LiveUpstream extends Upstream {
  agent: Agent;
  inFlight: number;
  idle: (() => void)[];
}

/** Seconds; Prometheus' usual latency buckets, finer at the low end where a proxy lives. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);

function forwardHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [key, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(key)) out[key] = value;
  return out;
}

/** Bodies up to this size are kept so that a request hitting a stale keep-alive socket can be resent. */
const RETRY_BODY_LIMIT = 1024 * 1024;

function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export class EndpointProxy {
  private server: Server | undefined;
  private active: LiveUpstream | undefined;
  private readonly requests = new Map<string, number>();
  private errors = 0;
  private readonly bucketCounts = BUCKETS.map(() => 0);
  private durationSum = 0;
  private durationCount = 0;

  constructor(readonly endpoint: string) {}

  /** Listens on `port` (0 picks one) on loopback; resolves to the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 65_000;
    this.server = server;
    await new Promise<void>((done, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => done());
    });
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  get activeVersion(): string | undefined {
    return this.active?.version;
  }

  /** Sends new requests to `next` from now on; returns a promise that resolves when the previous one is idle. */
  switchTo(next: Upstream | undefined): { previous?: Upstream; drained: Promise<void> } {
    const previous = this.active;
    this.active = next ? { ...next, agent: new Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 }), inFlight: 0, idle: [] } : undefined;
    if (!previous) return { drained: Promise.resolve() };
    const drained = new Promise<void>((done) => {
      if (previous.inFlight === 0) done();
      else previous.idle.push(done);
    }).then(() => previous.agent.destroy());
    return { previous: { port: previous.port, version: previous.version }, drained };
  }

  private record(version: string, status: number, startedNs: bigint): void {
    const key = `${version}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (status >= 500) this.errors += 1;
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    this.durationSum += seconds;
    this.durationCount += 1;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] ?? Infinity)) this.bucketCounts[i] = (this.bucketCounts[i] ?? 0) + 1;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    if (req.url === '/metrics' && req.method === 'GET') {
      const text = this.metrics();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const upstream = this.active;
    if (!upstream) {
      this.fail(res, 503, 'no version is serving', 'none', started);
      req.resume();
      return;
    }
    upstream.inFlight += 1;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      upstream.inFlight -= 1;
      if (upstream.inFlight === 0) for (const wake of upstream.idle.splice(0)) wake();
    };
    res.once('close', done);

    const body: Buffer[] = [];
    let bodySize = 0;
    let bodyComplete = false;
    req.on('data', (chunk: Buffer) => {
      bodySize += chunk.length;
      if (bodySize <= RETRY_BODY_LIMIT) body.push(chunk);
    });
    req.once('end', () => {
      bodyComplete = true;
    });

    const send = (attempt: number): void => {
      const outgoing = request(
        { host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers: forwardHeaders(req.headers), agent: upstream.agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, forwardHeaders(answer.headers));
          answer.pipe(res);
          answer.once('end', () => this.record(upstream.version, answer.statusCode ?? 502, started));
          answer.once('error', () => res.destroy());
        },
      );
      outgoing.once('error', (error) => {
        // A keep-alive socket the server closed between requests: resend once on a fresh one.
        if (attempt === 0 && outgoing.reusedSocket && !res.headersSent && bodyComplete && bodySize <= RETRY_BODY_LIMIT) {
          send(1);
          return;
        }
        if (!res.headersSent) this.fail(res, 502, `upstream ${upstream.version} failed: ${error.message}`, upstream.version, started);
        else res.destroy();
      });
      if (attempt === 0) req.pipe(outgoing);
      else outgoing.end(Buffer.concat(body));
    };
    send(0);
  }

  private fail(res: ServerResponse, status: number, message: string, version: string, started: bigint): void {
    const text = JSON.stringify({ error: message });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
    this.record(version, status, started);
  }

  /** Prometheus text exposition format 0.0.4. */
  metrics(): string {
    const endpoint = labelValue(this.endpoint);
    const lines = [
      '# HELP mlops_proxy_requests_total Requests answered through the proxy, by serving version and status code.',
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
      '# HELP mlops_proxy_request_duration_seconds Time from request to the end of the response, through the proxy.',
      '# TYPE mlops_proxy_request_duration_seconds histogram',
    );
    BUCKETS.forEach((bound, i) => lines.push(`mlops_proxy_request_duration_seconds_bucket{endpoint="${endpoint}",le="${bound}"} ${this.bucketCounts[i] ?? 0}`));
    lines.push(
      `mlops_proxy_request_duration_seconds_bucket{endpoint="${endpoint}",le="+Inf"} ${this.durationCount}`,
      `mlops_proxy_request_duration_seconds_sum{endpoint="${endpoint}"} ${this.durationSum}`,
      `mlops_proxy_request_duration_seconds_count{endpoint="${endpoint}"} ${this.durationCount}`,
      '# HELP mlops_proxy_active_version The version receiving new requests (1), by version label.',
      '# TYPE mlops_proxy_active_version gauge',
    );
    if (this.active) lines.push(`mlops_proxy_active_version{endpoint="${endpoint}",version="${labelValue(this.active.version)}"} 1`);
    return `${lines.join('\n')}\n`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.active?.agent.destroy();
    this.active = undefined;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }
}
