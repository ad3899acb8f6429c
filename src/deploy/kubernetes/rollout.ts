/**
 * The steps every strategy is built from: apply a Deployment for a track, wait until its rollout is
 * complete (or name why not), point the Service at a selector, wait until the Service's Endpoints hold
 * only the pods meant to serve, smoke-test through a Service, and scale down or remove the other tracks.
 */
import type { V1Deployment, V1Endpoints, V1Service } from '../../adapters/kube-types.js';
import { ConfigurationError } from '../../util/errors.js';
import type { DeployRequest } from '../model.js';
import { Cluster, describeKubeError, pickVersion } from './cluster.js';
import { diagnose } from './diagnose.js';
import { History } from './history.js';
import { EndpointLease } from './lease.js';
import { ANNOTATION, dnsLabel, hpaManifest, LABEL, pdbManifest, resourceName, selectorFor, serviceManifest, type KubernetesOptions, type Provenance, type Track } from './manifests.js';
import { proxySender, smokeTest, urlSender, type AnalysisOptions, type Sender, type SampleRequest } from './traffic.js';

export interface SmokeTest {
  /** The endpoint's public URL (ingress), checked after the switch; without it the Service is reached through the API server. */
  url?: string;
  /** Request path of the samples (default: the path of `url`, else /predict). */
  path?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  expectedStatus: number;
  maxLatencyMs: number;
  /** Requests in the smoke loop (default 20). */
  requests?: number;
}

export interface KubeDeployOptions {
  /** Kubeconfig YAML text (e.g. a secret), or a path in kubeconfigPath. */
  kubeconfig?: string;
  kubeconfigPath?: string;
  context?: string;
  options: KubernetesOptions;
  provenance?: Provenance;
  smoke?: SmokeTest;
  rolloutTimeoutMs?: number;
  pollMs?: number;
  /** Blue-green: seconds the previous colour stays up after the switch before it is scaled to zero (default 0: at once; a later deploy scales down one left longer). */
  graceSeconds?: number;
  /** Canary: the analysis window; promote automatically when it passes (default), or leave the canary for `promote`/`reject`. */
  analysis?: Partial<AnalysisOptions>;
  autoPromote?: boolean;
  /** How to reach a Service from here (default: the API server's service proxy). Tests pass the harness's kube-proxy. */
  serviceUrl?: (namespace: string, service: string) => Promise<string>;
  /** Who holds the endpoint's Lease (default user@host pid). */
  holder?: string;
  log?: (line: string) => void;
}

export type KubeOutcome = 'deployed' | 'canary' | 'rolled-back' | 'failed';

export interface KubeDeployResult {
  ok: boolean;
  outcome: KubeOutcome;
  strategy: DeployRequest['strategy'];
  /** Model version the endpoint serves now (as the Service's Endpoints show), if any. */
  serving?: string;
  /** Why the new version was refused, when it was. */
  reason?: string;
  summary: string;
  steps: string[];
}

const TRACKS: Track[] = ['stable', 'blue', 'green', 'canary'];
const SCALE_DOWN_AFTER = 'mlops.dev/scale-down-after';

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A model version as a Deployment (generated for track `stable`), ready to put on any track. */
export interface Release {
  version: string;
  manifest: V1Deployment;
}

export class Rollout {
  readonly steps: string[] = [];
  lease?: EndpointLease;
  history!: History;

  constructor(
    readonly cluster: Cluster,
    readonly request: DeployRequest,
    readonly opts: KubeDeployOptions,
  ) {}

  static async open(request: DeployRequest, opts: KubeDeployOptions, purpose: string): Promise<Rollout> {
    const cluster = await Cluster.connect(opts, opts.options.namespace);
    const r = new Rollout(cluster, request, opts);
    try {
      // Before anything is written: the versions this cluster serves, so an unusable one is refused now.
      const served = await cluster.servedVersions();
      pickVersion('autoscaling/v2', served, 'HorizontalPodAutoscaler');
      pickVersion('policy/v1', served, 'PodDisruptionBudget');
      r.lease = await EndpointLease.acquire(cluster, `${r.name()}-deploy`, { purpose, ...(opts.holder ? { holder: opts.holder } : {}) });
      r.history = await History.load(cluster, r.name(), r.baseLabels());
      return r;
    } catch (error) {
      await r.close();
      throw describeKubeError(error, cluster.client.server);
    }
  }

  async close(): Promise<void> {
    try {
      await this.lease?.release();
    } finally {
      this.cluster.close();
    }
  }

  step(line: string): void {
    this.steps.push(line);
    this.opts.log?.(line);
  }

  get namespace(): string {
    return this.cluster.namespace;
  }

  name(track: Track = 'stable'): string {
    return resourceName(this.request.deployment, this.request.endpoint.name, track);
  }

  baseLabels(): Record<string, string> {
    return selectorFor(this.request);
  }

  checkLease(): void {
    if (this.lease?.lostReason) throw new ConfigurationError(`stopped: ${this.lease.lostReason}`);
  }

  /** The release's Deployment moved to `track` (name, labels, selector), with `replicas`. */
  onTrack(release: Release, track: Track, replicas: number): V1Deployment {
    const m = release.manifest;
    const retrack = (labels: Record<string, string> | undefined) => ({ ...labels, [LABEL.track]: track });
    return {
      ...m,
      metadata: { ...m.metadata, name: this.name(track), labels: retrack(m.metadata?.labels) },
      spec: {
        ...m.spec!,
        replicas,
        selector: { matchLabels: retrack(m.spec?.selector.matchLabels) },
        template: { ...m.spec!.template, metadata: { ...m.spec?.template.metadata, labels: retrack(m.spec?.template.metadata?.labels) } },
      },
    };
  }

  async applyDeployment(release: Release, track: Track, replicas: number): Promise<V1Deployment> {
    this.checkLease();
    const applied = await this.cluster.apply(this.onTrack(release, track, replicas));
    this.step(`apply Deployment ${this.name(track)} (model ${release.version}, ${replicas} replica(s))`);
    return applied;
  }

  /** The Service with `selector` (server-side apply keeps its clusterIP and NodePorts). */
  async applyService(name: string, selector: Record<string, string>, version: string, preview = false): Promise<void> {
    this.checkLease();
    const base = serviceManifest(this.request, this.opts.options);
    const service: V1Service = {
      ...base,
      metadata: { ...base.metadata, name, annotations: { ...base.metadata?.annotations, [ANNOTATION.version]: version } },
      spec: { ...base.spec, ...(preview ? { type: 'ClusterIP' } : {}), selector },
    };
    await this.cluster.apply(service);
    this.step(`apply Service ${name} → ${Object.entries(selector).filter(([k]) => k === LABEL.track).map(([, v]) => `track ${v}`).join('') || 'all tracks'}`);
  }

  trackSelector(track?: Track): Record<string, string> {
    return { ...this.baseLabels(), ...(track ? { [LABEL.track]: track } : {}) };
  }

  /** PodDisruptionBudget, and one HorizontalPodAutoscaler per endpoint pointed at the Deployment that takes the traffic. */
  async applySupporting(track: Track): Promise<void> {
    this.checkLease();
    await this.cluster.apply(pdbManifest(this.request, this.opts.options));
    const hpa = hpaManifest(this.request, this.opts.options, track);
    await this.cluster.apply({ ...hpa, metadata: { ...hpa.metadata, name: this.name(), labels: this.baseLabels() } });
    this.step(`apply PodDisruptionBudget and HorizontalPodAutoscaler → ${this.name(track)} (${this.opts.options.minReplicas}..${this.opts.options.maxReplicas} replicas)`);
  }

  /** The track the Service sends traffic to now: a colour, `stable` (also with a canary beside it), or none. */
  async primaryTrack(): Promise<{ track: Track; service: V1Service } | undefined> {
    const service = await this.cluster.service(this.name());
    if (!service) return undefined;
    const selected = service.spec?.selector?.[LABEL.track];
    if (selected === 'blue' || selected === 'green') return { track: selected, service };
    return (await this.cluster.deployment(this.name('stable'))) ? { track: 'stable', service } : undefined;
  }

  versionOf(deployment: V1Deployment | undefined): string | undefined {
    return deployment?.spec?.template.metadata?.labels?.[LABEL.version];
  }

  replicasOf(deployment: V1Deployment | undefined): number {
    const live = deployment?.spec?.replicas ?? 0;
    return live > 0 ? live : this.opts.options.replicas;
  }

  timeoutMs(): number {
    return this.opts.rolloutTimeoutMs ?? 300_000;
  }

  pollMs(): number {
    return this.opts.pollMs ?? Math.min(1000, Math.max(50, this.timeoutMs() / 50));
  }

  /**
   * Waits until the Deployment's rollout is complete (every replica updated and available, no old
   * ones left); on timeout or a stalled rollout, the reason from the pods and their Events.
   */
  async waitRollout(track: Track, version: string): Promise<string | undefined> {
    const name = this.name(track);
    const deadline = Date.now() + this.timeoutMs();
    let last = 'no status yet';
    for (;;) {
      const live = await this.cluster.deployment(name);
      if (!live) return `Deployment ${name} disappeared`;
      const status = live.status ?? {};
      const want = live.spec?.replicas ?? 1;
      const seen = (status.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
      last = `updated ${status.updatedReplicas ?? 0}/${want}, available ${status.availableReplicas ?? 0}/${want}, total ${status.replicas ?? 0}`;
      if (seen && (status.updatedReplicas ?? 0) === want && (status.availableReplicas ?? 0) >= want && (status.replicas ?? 0) === want) {
        this.step(`rollout of ${name} complete (${last})`);
        return undefined;
      }
      const stalled = status.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
      // A pod that can never start (bad image, crash loop) is named at once rather than after the timeout.
      const reason = await diagnose(this.cluster, { ...this.trackSelector(track), [LABEL.version]: version }, name);
      const fatal = reason && /ImagePullBackOff|ErrImagePull|InvalidImageName|CrashLoopBackOff|CreateContainerConfigError|exited with code|cannot be scheduled|ReplicaSet/.test(reason);
      if (seen && (stalled || fatal)) return `rollout of ${name} failed: ${reason ?? 'progress deadline exceeded'} (${last})`;
      if (Date.now() >= deadline) return `rollout of ${name} not ready within ${Math.round(this.timeoutMs() / 1000)} s: ${reason ?? last} (${last})`;
      await sleep(this.pollMs());
    }
  }

  /**
   * Waits until the Service's ready Endpoints are all pods of `allowed` (track → version) and at least
   * one of each; returns why not on timeout. This is what "serving" means: not what a Deployment says.
   */
  async waitEndpoints(service: string, allowed: Partial<Record<Track, string>>): Promise<string | undefined> {
    const deadline = Date.now() + Math.min(this.timeoutMs(), 120_000);
    let last = '';
    for (;;) {
      const [endpoints, pods] = await Promise.all([this.cluster.endpoints(service), this.cluster.pods(this.baseLabels())]);
      const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
      const ready = (endpoints?.subsets ?? []).flatMap((s) => s.addresses ?? []);
      const seen = new Map<Track, number>();
      const strangers: string[] = [];
      for (const address of ready) {
        const pod = byName.get(address.targetRef?.name ?? '');
        const track = pod?.metadata?.labels?.[LABEL.track] as Track | undefined;
        const version = pod?.metadata?.labels?.[LABEL.version];
        if (track && version && allowed[track] === version) seen.set(track, (seen.get(track) ?? 0) + 1);
        else strangers.push(`${address.targetRef?.name ?? address.ip} (${track ?? '?'} ${version ?? '?'})`);
      }
      const missing = (Object.keys(allowed) as Track[]).filter((t) => !seen.get(t));
      last = `${ready.length} ready endpoint(s)${strangers.length ? `, not meant to serve: ${strangers.join(', ')}` : ''}${missing.length ? `, none of ${missing.join(', ')}` : ''}`;
      if (strangers.length === 0 && missing.length === 0) {
        this.step(`Endpoints of ${service}: ${[...seen].map(([t, n]) => `${n} ${t} pod(s) of model ${allowed[t] ?? '?'}`).join(', ')}, nothing else`);
        return undefined;
      }
      if (Date.now() >= deadline) return `Endpoints of Service ${service} never held only the new version: ${last}`;
      await sleep(this.pollMs());
    }
  }

  /** The ready endpoints of the Service by track (for the canary share). */
  async endpointCounts(service: string): Promise<Map<string, number>> {
    const [endpoints, pods] = await Promise.all([this.cluster.endpoints(service), this.cluster.pods(this.baseLabels())]);
    const byName = new Map(pods.map((p) => [p.metadata?.name ?? '', p]));
    const counts = new Map<string, number>();
    for (const address of (endpoints as V1Endpoints | undefined)?.subsets?.flatMap((s) => s.addresses ?? []) ?? []) {
      const track = byName.get(address.targetRef?.name ?? '')?.metadata?.labels?.[LABEL.track] ?? '?';
      counts.set(track, (counts.get(track) ?? 0) + 1);
    }
    return counts;
  }

  samples(): SampleRequest[] {
    const smoke = this.opts.smoke;
    const path = smoke?.path ?? (smoke?.url ? new URL(smoke.url).pathname : undefined);
    const configured = this.request.target.options['sample-requests'];
    if (smoke?.body !== undefined || smoke?.path || smoke?.url) {
      return [{ path: path && path !== '/' ? path : '/predict', ...(smoke.method ? { method: smoke.method } : {}), ...(smoke.body !== undefined ? { body: smoke.body } : {}), ...(smoke.headers ? { headers: smoke.headers } : {}) }];
    }
    if (Array.isArray(configured)) {
      return configured.map((entry: Record<string, unknown>) => ({
        path: typeof entry['path'] === 'string' ? entry['path'] : '/predict',
        ...(typeof entry['method'] === 'string' ? { method: entry['method'] } : {}),
        ...(entry['body'] !== undefined ? { body: typeof entry['body'] === 'string' ? entry['body'] : JSON.stringify(entry['body']) } : {}),
      }));
    }
    return [];
  }

  async sender(service: string): Promise<Sender> {
    const timeout = Math.max(5000, (this.opts.smoke?.maxLatencyMs ?? 1000) * 5);
    if (this.opts.serviceUrl) return urlSender(await this.opts.serviceUrl(this.namespace, service), timeout);
    return proxySender(this.cluster, service, timeout);
  }

  /** The bounded smoke loop through `service`; undefined when it passed (or no samples are configured). */
  async smoke(service: string): Promise<string | undefined> {
    const samples = this.samples();
    if (samples.length === 0) {
      this.step('no smoke test: give --smoke-body/--smoke-url or sample-requests in the deploy target to check predictions before traffic');
      return undefined;
    }
    const result = await smokeTest(await this.sender(service), `Service ${service}`, { samples, expectedStatus: this.opts.smoke?.expectedStatus ?? 200, maxLatencyMs: this.opts.smoke?.maxLatencyMs ?? 1000, ...(this.opts.smoke?.requests ? { requests: this.opts.smoke.requests } : {}) });
    this.step(result.line);
    return result.failure;
  }

  /** The Service that reaches one track alone (smoke tests and canary analysis before it takes traffic). */
  previewName(track: Track): string {
    // previewServiceManifest's name for a colour (`<name>-<colour>-preview`), the same shape for the other tracks.
    return dnsLabel(`${this.request.deployment}-${this.request.endpoint.name}`, `-${track}-preview`);
  }

  /** Removes the Deployments of `tracks` (and their preview Services): nothing of them can serve after. */
  async removeTracks(tracks: Track[]): Promise<void> {
    for (const track of tracks) {
      this.checkLease();
      const removed = await this.cluster.deleteObject('Deployment', this.name(track));
      await this.cluster.deleteObject('Service', this.previewName(track));
      if (removed) this.step(`delete Deployment ${this.name(track)}`);
    }
  }

  /** Scales a colour to zero now, or marks when it may be (a later deploy does it if this one does not). */
  async retire(track: Track, graceSeconds: number): Promise<void> {
    if (graceSeconds <= 0) {
      await this.cluster.scale(this.name(track), 0);
      this.step(`scale Deployment ${this.name(track)} to 0 (kept for a fast rollback)`);
      return;
    }
    const at = new Date(Date.now() + graceSeconds * 1000).toISOString();
    await this.cluster.client.mergePatch(this.cluster.path('Deployment', this.name(track)), { metadata: { annotations: { [SCALE_DOWN_AFTER]: at } } }, 'mlops');
    this.step(`keep ${this.name(track)} up until ${at} (grace period), then scale it to 0`);
    if (graceSeconds <= 60) {
      await sleep(graceSeconds * 1000);
      await this.retire(track, 0);
    }
  }

  /** Colours whose grace period ended at an earlier deploy are scaled to zero now. */
  async retireExpired(except: Track | undefined): Promise<void> {
    for (const track of TRACKS) {
      if (track === except) continue;
      const live = await this.cluster.deployment(this.name(track));
      const after = live?.metadata?.annotations?.[SCALE_DOWN_AFTER];
      if (live && after && Date.parse(after) <= Date.now() && (live.spec?.replicas ?? 0) > 0) await this.retire(track, 0);
    }
  }

  otherTracks(keep: Track[]): Track[] {
    return TRACKS.filter((t) => !keep.includes(t));
  }

  result(ok: boolean, outcome: KubeOutcome, summary: string, serving: string | undefined, reason?: string): KubeDeployResult {
    return { ok, outcome, strategy: this.request.strategy, ...(serving ? { serving } : {}), ...(reason ? { reason } : {}), summary, steps: this.steps };
  }
}
