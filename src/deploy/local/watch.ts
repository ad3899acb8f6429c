/**
 * The probation of a new version: while the previous one stays warm, its outcomes through the proxy are
 * judged every 200 ms against the fallback policy (crash loop, 5xx rate, p99). The first breach calls
 * `fallBack` with the reason; the end of the grace period calls `passed`.
 */
import type { EndpointProxy, VersionWindow } from './proxy.js';
import type { VersionState } from './types.js';

function p99(latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
}

export class VersionWatch {
  readonly version: number;
  private readonly window: VersionWindow;
  private readonly timer: NodeJS.Timeout;
  private readonly ticker: NodeJS.Timeout;
  private crashes: string[] = [];
  private ended = false;

  constructor(
    private readonly proxy: EndpointProxy,
    private readonly watched: VersionState,
    readonly previous: number,
    private readonly fallBack: (reason: string) => void,
    passed: () => void,
    /** The rest of the grace period (a daemon that restarted during it), default the whole of it. */
    graceMs = watched.fallback.graceMs,
  ) {
    this.version = watched.number;
    this.window = proxy.watch(`v${watched.number}`);
    this.timer = setTimeout(() => {
      if (!this.ended) passed();
    }, graceMs);
    this.ticker = setInterval(() => this.check(), 200);
    this.timer.unref();
    this.ticker.unref();
  }

  crashed(description: string): void {
    this.crashes.push(description.split('\n')[0] ?? description);
    this.check();
  }

  private check(): void {
    if (this.ended) return;
    const policy = this.watched.fallback;
    if (this.crashes.length >= policy.maxCrashes) {
      return this.breach(`crash loop: ${this.crashes.length} crashes within the grace period (last: ${this.crashes.at(-1) ?? ''})`);
    }
    const { requests, errors, latenciesMs } = this.window;
    if (requests < policy.minRequests) return;
    const rate = errors / requests;
    if (rate > policy.maxErrorRate) return this.breach(`${errors} of ${requests} requests failed (${(rate * 100).toFixed(1)}% > ${(policy.maxErrorRate * 100).toFixed(1)}%)`);
    if (policy.maxP99Ms !== undefined && latenciesMs.length >= policy.minRequests) {
      const observed = p99(latenciesMs);
      if (observed > policy.maxP99Ms) return this.breach(`p99 latency ${observed.toFixed(1)} ms over ${latenciesMs.length} requests is above the ${policy.maxP99Ms} ms limit`);
    }
  }

  private breach(reason: string): void {
    this.end();
    this.fallBack(reason);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.proxy.unwatch(`v${this.version}`);
  }
}
