/**
 * One deploy at a time per endpoint: a coordination.k8s.io/v1 Lease named after the endpoint, held for
 * the whole deploy, rollback, promote or reject and renewed while it runs. A second deploy of the same
 * endpoint finds it held and refuses, naming the holder; a Lease whose holder stopped renewing it (a
 * killed job) expires after its duration and is taken over.
 *
 * Every write is a compare-and-swap on resourceVersion (create fails with 409 AlreadyExists, update with
 * 409 Conflict), so two deploys racing for a free or expired Lease cannot both win.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isKubeStatus } from '../../adapters/kube-client.js';
import type { V1Lease } from '../../adapters/kube-types.js';
import { ConfigurationError } from '../../util/errors.js';
import type { Cluster } from './cluster.js';

export interface LeaseOptions {
  /** Who holds it, as shown to a refused deploy (default: user@host pid, plus the GitHub run when there is one). */
  holder?: string;
  /** What the holder is doing ("deploy model abc"), stored beside the holder. */
  purpose: string;
  durationSeconds?: number;
  /** Time source (tests). */
  now?: () => number;
}

export class LeaseHeldError extends ConfigurationError {
  override name = 'LeaseHeldError';
}

/** Kubernetes MicroTime: RFC 3339 with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function defaultHolder(): string {
  const run = process.env['GITHUB_RUN_ID'] ? ` (GitHub run ${process.env['GITHUB_REPOSITORY'] ?? ''}#${process.env['GITHUB_RUN_ID']})` : '';
  return `${process.env['USER'] ?? 'mlops'}@${hostname()} pid ${process.pid}${run}`;
}

const PURPOSE = 'mlops.dev/lease-purpose';

export class EndpointLease {
  private timer?: NodeJS.Timeout;
  private current?: V1Lease;
  private lost?: string;
  private renewing?: Promise<void>;
  readonly identity: string;

  private constructor(
    private readonly cluster: Cluster,
    readonly name: string,
    private readonly options: LeaseOptions,
  ) {
    // A random suffix: two deploys from one process (or one host) are still two holders.
    this.identity = `${options.holder ?? defaultHolder()} #${randomBytes(3).toString('hex')}`;
  }

  private get duration(): number {
    return this.options.durationSeconds ?? 60;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private body(previous?: V1Lease): V1Lease {
    const now = microTime(this.now());
    const takeover = previous?.spec?.holderIdentity !== this.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.name,
        namespace: this.cluster.namespace,
        annotations: { [PURPOSE]: this.options.purpose },
        ...(previous?.metadata?.resourceVersion ? { resourceVersion: previous.metadata.resourceVersion } : {}),
      },
      spec: {
        holderIdentity: this.identity,
        leaseDurationSeconds: this.duration,
        acquireTime: takeover ? now : (previous?.spec?.acquireTime ?? now),
        renewTime: now,
        leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (previous && takeover ? 1 : 0),
      },
    };
  }

  /** Takes the Lease for `name` or throws LeaseHeldError naming who holds it. */
  static async acquire(cluster: Cluster, name: string, options: LeaseOptions): Promise<EndpointLease> {
    const lease = new EndpointLease(cluster, name, options);
    await lease.take();
    lease.timer = setInterval(() => {
      lease.renewing ??= lease.renew().finally(() => (lease.renewing = undefined));
    }, Math.max(1000, (lease.duration * 1000) / 3));
    lease.timer.unref();
    return lease;
  }

  private async take(): Promise<void> {
    const path = this.cluster.path('Lease', this.name, 'coordination.k8s.io/v1');
    const existing = await this.cluster.client.find<V1Lease>(path);
    if (!existing) {
      try {
        this.current = await this.cluster.client.create<V1Lease>(this.cluster.path('Lease', undefined, 'coordination.k8s.io/v1'), this.body());
        return;
      } catch (error) {
        if (!isKubeStatus(error, 409)) throw error;
        return this.refuse(await this.cluster.client.find<V1Lease>(path));
      }
    }
    const spec = existing.spec ?? {};
    const renewed = Date.parse(String(spec.renewTime ?? spec.acquireTime ?? ''));
    const expired = !spec.holderIdentity || !Number.isFinite(renewed) || renewed + (spec.leaseDurationSeconds ?? this.duration) * 1000 < this.now();
    if (!expired) return this.refuse(existing);
    try {
      this.current = await this.cluster.client.replace<V1Lease>(path, this.body(existing));
    } catch (error) {
      if (!isKubeStatus(error, 409)) throw error;
      return this.refuse(await this.cluster.client.find<V1Lease>(path));
    }
  }

  private refuse(lease: V1Lease | undefined): never {
    const spec = lease?.spec ?? {};
    const purpose = lease?.metadata?.annotations?.[PURPOSE];
    const since = spec.acquireTime ? ` since ${String(spec.acquireTime)}` : '';
    throw new LeaseHeldError(
      `another deploy of this endpoint is in progress: Lease ${this.cluster.namespace}/${this.name} is held by ${spec.holderIdentity ?? 'someone'}${purpose ? ` (${purpose})` : ''}${since}; ` +
        `wait for it to finish (a holder that stops renewing loses it after ${spec.leaseDurationSeconds ?? this.duration} s)`,
    );
  }

  private async renew(): Promise<void> {
    if (!this.current || this.lost) return;
    try {
      this.current = await this.cluster.client.replace<V1Lease>(this.cluster.path('Lease', this.name, 'coordination.k8s.io/v1'), this.body(this.current));
    } catch (error) {
      // A conflict means someone took it (we were too slow to renew): stop claiming it.
      if (isKubeStatus(error, 409)) this.lost = `the Lease ${this.name} was taken over by another deploy`;
    }
  }

  /** Set when renewing found the Lease taken over: the rollout must stop writing. */
  get lostReason(): string | undefined {
    return this.lost;
  }

  /** Gives the Lease up (deleted only if still ours, by resourceVersion precondition). */
  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.renewing;
    const current = this.current;
    this.current = undefined;
    if (!current || this.lost) return;
    try {
      await this.cluster.client.delete(this.cluster.path('Lease', this.name, 'coordination.k8s.io/v1'), current.metadata?.resourceVersion ? { resourceVersion: current.metadata.resourceVersion } : {});
    } catch (error) {
      if (!isKubeStatus(error, 409)) throw error;
    }
  }
}
