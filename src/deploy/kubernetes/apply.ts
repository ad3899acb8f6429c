/**
 * Rolls a model version out to a cluster with the official client (@kubernetes/client-node 1.4):
 * create-or-replace the manifests, wait for the rollout, run the smoke test, and on failure put the
 * previous version back automatically, then report what is serving.
 *
 * Strategies:
 *   rolling     one Deployment; Kubernetes replaces pods (maxUnavailable 0, so old pods serve until new
 *               ones are ready). Failure: the previous pod template is re-applied.
 *   blue-green  two Deployments (-blue, -green); the Service selector moves to the new colour only once
 *               it is ready and has passed the smoke test (run before the switch when a preview URL is
 *               given, else after it, switching back on failure).
 *   canary      a -canary Deployment with a share of the replicas behind the same Service; `promote`
 *               moves its template to the stable Deployment, `reject` deletes it.
 */
import {
  ApiException,
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  KubeConfig,
  PolicyV1Api,
  type V1Deployment,
  type V1PodTemplateSpec,
} from '@kubernetes/client-node';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import type { DeployRequest } from '../model.js';
import {
  ANNOTATION,
  deploymentManifest,
  hpaManifest,
  LABEL,
  pdbManifest,
  resourceName,
  serviceManifest,
  type KubernetesOptions,
  type Provenance,
  type Track,
} from './manifests.js';

export interface SmokeTest {
  url: string;
  /** Checked before blue-green switches the Service (the new colour's own URL). */
  previewUrl?: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  expectedStatus: number;
  maxLatencyMs: number;
}

export interface KubeDeployOptions {
  /** Kubeconfig YAML text (e.g. a secret). */
  kubeconfig: string;
  context?: string;
  options: KubernetesOptions;
  provenance?: Provenance;
  smoke?: SmokeTest;
  rolloutTimeoutMs?: number;
  pollMs?: number;
  log?: (line: string) => void;
}

export type KubeOutcome = 'deployed' | 'canary' | 'rolled-back' | 'failed';

export interface KubeDeployResult {
  ok: boolean;
  outcome: KubeOutcome;
  strategy: DeployRequest['strategy'];
  /** Model version the endpoint serves now (as far as the cluster says), if any. */
  serving?: string;
  summary: string;
  steps: string[];
}

/** Annotation on a Deployment holding the pod template it ran before the last change (for rollback). */
export const PREVIOUS_TEMPLATE = 'mlops.dev/previous-template';

interface Clients {
  apps: AppsV1Api;
  core: CoreV1Api;
  autoscaling: AutoscalingV2Api;
  policy: PolicyV1Api;
  server: string;
}

export function kubeClients(kubeconfig: string, context?: string): Clients {
  const config = new KubeConfig();
  try {
    config.loadFromString(kubeconfig);
  } catch (error) {
    throw new ConfigurationError(`cannot read the kubeconfig: ${getErrorMessage(error)}`);
  }
  if (context) config.setCurrentContext(context);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new ConfigurationError('the kubeconfig has no current cluster');
  return {
    apps: config.makeApiClient(AppsV1Api),
    core: config.makeApiClient(CoreV1Api),
    autoscaling: config.makeApiClient(AutoscalingV2Api),
    policy: config.makeApiClient(PolicyV1Api),
    server: cluster.server,
  };
}

function statusMessage(body: unknown): string {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 200);
    }
  }
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : '';
}

/** API failures as user-facing messages: refused credentials and missing permissions are the common ones. */
export function describeKubeError(error: unknown, server: string): Error {
  if (error instanceof ApiException) {
    const code = (error as ApiException<unknown>).code;
    const detail = statusMessage((error as ApiException<unknown>).body);
    if (code === 401) return new ConfigurationError(`the cluster at ${server} refused the credentials (401 Unauthorized${detail ? `: ${detail}` : ''}); check the kubeconfig secret's token or certificate`);
    if (code === 403) return new ConfigurationError(`the cluster at ${server} forbids this (403 Forbidden${detail ? `: ${detail}` : ''}); the service account needs get/create/update on deployments, services, horizontalpodautoscalers and poddisruptionbudgets`);
    return new ConfigurationError(`Kubernetes API error ${code}${detail ? `: ${detail}` : ''}`);
  }
  if (error instanceof ConfigurationError) return error;
  return new ConfigurationError(`cannot reach the cluster at ${server}: ${getErrorMessage(error)}`);
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiException && (error as ApiException<unknown>).code === 404;
}

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

class Rollout {
  readonly steps: string[] = [];
  readonly clients: Clients;
  readonly namespace: string;

  constructor(
    readonly request: DeployRequest,
    readonly opts: KubeDeployOptions,
  ) {
    this.clients = kubeClients(opts.kubeconfig, opts.context);
    this.namespace = opts.options.namespace;
  }

  step(line: string): void {
    this.steps.push(line);
    this.opts.log?.(line);
  }

  name(track: Track = 'stable'): string {
    return resourceName(this.request.deployment, this.request.endpoint.name, track);
  }

  readDeployment(name: string): Promise<V1Deployment | undefined> {
    return orUndefined(this.clients.apps.readNamespacedDeployment({ name, namespace: this.namespace }));
  }

  /** Create, or replace keeping the live replica count (the HPA's choice) and recording the previous template. */
  async applyDeployment(manifest: V1Deployment, existing: V1Deployment | undefined, keepReplicas = true): Promise<V1Deployment> {
    const name = manifest.metadata?.name ?? '';
    if (!existing) {
      this.step(`create Deployment ${name}`);
      return this.clients.apps.createNamespacedDeployment({ namespace: this.namespace, body: manifest });
    }
    const body: V1Deployment = {
      ...manifest,
      metadata: {
        ...manifest.metadata,
        resourceVersion: existing.metadata?.resourceVersion,
        annotations: { ...manifest.metadata?.annotations, [PREVIOUS_TEMPLATE]: JSON.stringify(existing.spec?.template) },
      },
      spec: { ...manifest.spec!, replicas: keepReplicas ? (existing.spec?.replicas ?? manifest.spec?.replicas) : manifest.spec?.replicas },
    };
    this.step(`replace Deployment ${name}`);
    return this.clients.apps.replaceNamespacedDeployment({ name, namespace: this.namespace, body });
  }

  async applySupporting(track: Track, colour?: 'blue' | 'green', service = true): Promise<void> {
    const { autoscaling, policy } = this.clients;
    const namespace = this.namespace;
    const options = this.opts.options;
    if (service) await this.applyService(colour);
    const pdb = pdbManifest(this.request, options);
    const pdbName = pdb.metadata?.name ?? '';
    const existingPdb = await orUndefined(policy.readNamespacedPodDisruptionBudget({ name: pdbName, namespace }));
    if (existingPdb) await policy.replaceNamespacedPodDisruptionBudget({ name: pdbName, namespace, body: { ...pdb, metadata: { ...pdb.metadata, resourceVersion: existingPdb.metadata?.resourceVersion } } });
    else await policy.createNamespacedPodDisruptionBudget({ namespace, body: pdb });
    const hpa = hpaManifest(this.request, options, track);
    // One HPA per endpoint, pointed at the Deployment that takes the traffic.
    hpa.metadata = { ...hpa.metadata, name: this.name() };
    const existingHpa = await orUndefined(autoscaling.readNamespacedHorizontalPodAutoscaler({ name: this.name(), namespace }));
    if (existingHpa) await autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name: this.name(), namespace, body: { ...hpa, metadata: { ...hpa.metadata, resourceVersion: existingHpa.metadata?.resourceVersion } } });
    else await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: hpa });
    this.step(`apply PodDisruptionBudget and HorizontalPodAutoscaler → ${hpa.spec?.scaleTargetRef.name ?? ''} (${options.minReplicas}..${options.maxReplicas} replicas)`);
  }

  async applyService(colour?: 'blue' | 'green'): Promise<void> {
    const { core } = this.clients;
    const service = serviceManifest(this.request, this.opts.options, colour);
    const name = service.metadata?.name ?? '';
    const existing = await orUndefined(core.readNamespacedService({ name, namespace: this.namespace }));
    if (existing) {
      // clusterIP is immutable: keep the one the cluster assigned.
      const body = { ...service, metadata: { ...service.metadata, resourceVersion: existing.metadata?.resourceVersion }, spec: { ...service.spec, clusterIP: existing.spec?.clusterIP } };
      await core.replaceNamespacedService({ name, namespace: this.namespace, body });
    } else await core.createNamespacedService({ namespace: this.namespace, body: service });
    this.step(`apply Service ${name}${colour ? ` → ${colour}` : ''}`);
  }

  async serviceColour(): Promise<'blue' | 'green' | undefined> {
    const service = await orUndefined(this.clients.core.readNamespacedService({ name: this.name(), namespace: this.namespace }));
    const track = service?.spec?.selector?.[LABEL.track];
    return track === 'blue' || track === 'green' ? track : undefined;
  }

  /** Waits until the controller has seen the change and every replica is updated and available. */
  async waitRollout(name: string, generation: number | undefined, timeoutMs = this.opts.rolloutTimeoutMs ?? 300_000): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    // Several looks within short timeouts, at most one every 2 s otherwise; the last look is at the deadline.
    const poll = this.opts.pollMs ?? Math.min(2000, Math.max(50, timeoutMs / 20));
    let last = 'no status yet';
    for (let final = false; !final; ) {
      final = Date.now() >= deadline;
      const live = await this.clients.apps.readNamespacedDeployment({ name, namespace: this.namespace });
      const status = live.status ?? {};
      const want = live.spec?.replicas ?? 1;
      const seen = (status.observedGeneration ?? 0) >= (generation ?? live.metadata?.generation ?? 0);
      last = `updated ${status.updatedReplicas ?? 0}/${want}, available ${status.availableReplicas ?? 0}/${want}, total ${status.replicas ?? 0}`;
      const stalled = status.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
      if (seen && stalled) return `rollout of ${name} exceeded its progress deadline (${last})`;
      if (seen && (status.updatedReplicas ?? 0) === want && (status.availableReplicas ?? 0) >= want && (status.replicas ?? 0) === want) {
        this.step(`rollout of ${name} complete (${last})`);
        return undefined;
      }
      if (!final) await sleep(Math.min(poll, Math.max(0, deadline - Date.now())));
    }
    return `rollout of ${name} not ready within ${Math.round(timeoutMs / 1000)} s (${last})`;
  }

  async smoke(url?: string): Promise<string | undefined> {
    const smoke = this.opts.smoke;
    if (!smoke) return undefined;
    const target = url ?? smoke.url;
    const started = performance.now();
    let status: number;
    try {
      const response = await fetch(target, {
        method: smoke.method ?? (smoke.body ? 'POST' : 'GET'),
        ...(smoke.body !== undefined ? { body: smoke.body } : {}),
        headers: { ...(smoke.body !== undefined ? { 'content-type': 'application/json' } : {}), ...smoke.headers },
        signal: AbortSignal.timeout(Math.max(smoke.maxLatencyMs * 5, 5000)),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      return `smoke test ${target} failed: ${getErrorMessage(error)}`;
    }
    const ms = performance.now() - started;
    if (status !== smoke.expectedStatus) return `smoke test ${target} answered ${status}, expected ${smoke.expectedStatus}`;
    if (ms > smoke.maxLatencyMs) return `smoke test ${target} took ${ms.toFixed(0)} ms, above the ${smoke.maxLatencyMs} ms limit`;
    this.step(`smoke test ${target}: ${status} in ${ms.toFixed(0)} ms`);
    return undefined;
  }

  servingVersion(deployment: V1Deployment | undefined): string | undefined {
    return deployment?.spec?.template.metadata?.annotations?.[ANNOTATION.version];
  }

  result(ok: boolean, outcome: KubeOutcome, summary: string, serving: string | undefined): KubeDeployResult {
    return { ok, outcome, strategy: this.request.strategy, ...(serving ? { serving } : {}), summary, steps: this.steps };
  }

  /** Puts `template` back on Deployment `name` and waits for it; returns an error text when that fails too. */
  async restore(name: string, template: V1PodTemplateSpec): Promise<string | undefined> {
    const live = await this.clients.apps.readNamespacedDeployment({ name, namespace: this.namespace });
    this.step(`roll back ${name} to model ${template.metadata?.annotations?.[ANNOTATION.version] ?? '?'}`);
    const replaced = await this.clients.apps.replaceNamespacedDeployment({
      name,
      namespace: this.namespace,
      body: { ...live, metadata: { ...live.metadata, annotations: { ...live.metadata?.annotations, [ANNOTATION.version]: template.metadata?.annotations?.[ANNOTATION.version] ?? '' } }, spec: { ...live.spec!, template }, status: undefined },
    });
    return this.waitRollout(name, replaced.metadata?.generation);
  }
}

async function rolling(r: Rollout): Promise<KubeDeployResult> {
  const { request, opts } = r;
  const name = r.name();
  const existing = await r.readDeployment(name);
  const previous = existing?.spec?.template;
  const previousVersion = r.servingVersion(existing);
  await r.applySupporting('stable');
  const applied = await r.applyDeployment(deploymentManifest(request, opts.options, 'stable', opts.options.replicas, opts.provenance), existing);
  const failure = (await r.waitRollout(name, applied.metadata?.generation)) ?? (await r.smoke());
  if (!failure) return r.result(true, 'deployed', `model ${request.version.id} deployed to ${opts.options.namespace}/${name} (rolling)`, request.version.id);
  if (!previous) {
    return r.result(false, 'failed', `deploy of model ${request.version.id} failed: ${failure}. There was no previous version to fall back to.`, undefined);
  }
  const restoreFailure = await r.restore(name, previous);
  return r.result(
    false,
    restoreFailure ? 'failed' : 'rolled-back',
    `deploy of model ${request.version.id} failed: ${failure}. ${restoreFailure ? `Rolling back to ${previousVersion ?? 'the previous version'} also failed: ${restoreFailure}` : `Rolled back automatically: model ${previousVersion ?? '?'} is serving.`}`,
    restoreFailure ? undefined : previousVersion,
  );
}

async function blueGreen(r: Rollout): Promise<KubeDeployResult> {
  const { request, opts } = r;
  const current = await r.serviceColour();
  const next: 'blue' | 'green' = current === 'blue' ? 'green' : 'blue';
  const currentDeployment = current ? await r.readDeployment(r.name(current)) : undefined;
  const currentVersion = r.servingVersion(currentDeployment);
  const name = r.name(next);
  const existing = await r.readDeployment(name);
  const applied = await r.applyDeployment(deploymentManifest(request, opts.options, next, opts.options.replicas, opts.provenance), existing, false);
  const notReady = await r.waitRollout(name, applied.metadata?.generation);
  const earlySmoke = notReady ? undefined : opts.smoke?.previewUrl ? await r.smoke(opts.smoke.previewUrl) : undefined;
  const before = notReady ?? earlySmoke;
  if (before) {
    return r.result(false, current ? 'rolled-back' : 'failed', `deploy of model ${request.version.id} (${next}) failed: ${before}. The Service was not switched${current ? `: ${current} (model ${currentVersion ?? '?'}) keeps serving` : ''}.`, currentVersion);
  }
  await r.applySupporting(next, next);
  const after = opts.smoke?.previewUrl ? undefined : await r.smoke();
  if (after) {
    if (current) await r.applyService(current);
    return r.result(false, current ? 'rolled-back' : 'failed', `deploy of model ${request.version.id} (${next}) failed: ${after}. ${current ? `The Service was switched back to ${current} (model ${currentVersion ?? '?'}).` : 'There was no previous colour to switch back to.'}`, current ? currentVersion : undefined);
  }
  return r.result(true, 'deployed', `model ${request.version.id} serving from ${next}${current ? ` (${current} kept for rollback)` : ''}`, request.version.id);
}

async function canary(r: Rollout): Promise<KubeDeployResult> {
  const { request, opts } = r;
  const stable = await r.readDeployment(r.name());
  if (!stable) {
    r.step('no stable Deployment yet: the first version is deployed rolling');
    return rolling(r);
  }
  const stableReplicas = stable.spec?.replicas ?? opts.options.replicas;
  const share = opts.options.canaryShare;
  const replicas = Math.max(1, Math.round((share * stableReplicas) / (1 - share)));
  const name = r.name('canary');
  const existing = await r.readDeployment(name);
  const applied = await r.applyDeployment(deploymentManifest(request, opts.options, 'canary', replicas, opts.provenance), existing, false);
  const failure = (await r.waitRollout(name, applied.metadata?.generation)) ?? (await r.smoke(opts.smoke?.previewUrl));
  const stableVersion = r.servingVersion(stable);
  if (failure) {
    await r.clients.apps.deleteNamespacedDeployment({ name, namespace: r.namespace });
    r.step(`delete Deployment ${name}`);
    return r.result(false, 'rolled-back', `canary of model ${request.version.id} failed: ${failure}. The canary was removed; model ${stableVersion ?? '?'} keeps serving.`, stableVersion);
  }
  return r.result(true, 'canary', `canary of model ${request.version.id}: ${replicas} replica(s) beside ${stableReplicas} stable (model ${stableVersion ?? '?'}); promote or reject it`, stableVersion);
}

export async function deployToKubernetes(request: DeployRequest, opts: KubeDeployOptions): Promise<KubeDeployResult> {
  const r = new Rollout(request, opts);
  try {
    if (request.strategy === 'blue-green') return await blueGreen(r);
    if (request.strategy === 'canary') return await canary(r);
    return await rolling(r);
  } catch (error) {
    throw describeKubeError(error, r.clients.server);
  }
}

/** Canary verdict: `promote` gives its template to the stable Deployment (rolling, with fallback); `reject` deletes it. */
export async function finishCanary(request: DeployRequest, opts: KubeDeployOptions, verdict: 'promote' | 'reject'): Promise<KubeDeployResult> {
  const r = new Rollout(request, opts);
  try {
    const name = r.name('canary');
    const canaryDeployment = await r.readDeployment(name);
    if (!canaryDeployment?.spec) throw new ConfigurationError(`no canary ${opts.options.namespace}/${name} to ${verdict}`);
    const stableName = r.name();
    const stable = await r.readDeployment(stableName);
    if (verdict === 'reject' || !stable?.spec) {
      await r.clients.apps.deleteNamespacedDeployment({ name, namespace: r.namespace });
      r.step(`delete Deployment ${name}`);
      return r.result(verdict === 'reject', verdict === 'reject' ? 'rolled-back' : 'failed', verdict === 'reject' ? `canary rejected; model ${r.servingVersion(stable) ?? '?'} keeps serving` : 'no stable Deployment to promote into', r.servingVersion(stable));
    }
    const previous = stable.spec.template;
    const promoted = canaryDeployment.spec.template;
    const template: V1PodTemplateSpec = { ...promoted, metadata: { ...promoted.metadata, labels: { ...promoted.metadata?.labels, [LABEL.track]: 'stable' } } };
    const version = template.metadata?.annotations?.[ANNOTATION.version];
    const replaced = await r.clients.apps.replaceNamespacedDeployment({
      name: stableName,
      namespace: r.namespace,
      body: { ...stable, metadata: { ...stable.metadata, annotations: { ...stable.metadata?.annotations, [ANNOTATION.version]: version ?? '', [PREVIOUS_TEMPLATE]: JSON.stringify(previous) } }, spec: { ...stable.spec, template }, status: undefined },
    });
    r.step(`promote canary model ${version ?? '?'} into ${stableName}`);
    const failure = (await r.waitRollout(stableName, replaced.metadata?.generation)) ?? (await r.smoke());
    await r.clients.apps.deleteNamespacedDeployment({ name, namespace: r.namespace });
    r.step(`delete Deployment ${name}`);
    if (!failure) return r.result(true, 'deployed', `canary model ${version ?? '?'} promoted to ${stableName}`, version);
    const restoreFailure = await r.restore(stableName, previous);
    const before = previous.metadata?.annotations?.[ANNOTATION.version];
    return r.result(false, restoreFailure ? 'failed' : 'rolled-back', `promotion failed: ${failure}. ${restoreFailure ? `Rollback failed too: ${restoreFailure}` : `Rolled back: model ${before ?? '?'} is serving.`}`, restoreFailure ? undefined : before);
  } catch (error) {
    throw describeKubeError(error, r.clients.server);
  }
}

/** Manual rollback: re-applies the pod template recorded before the last change (rolling), or switches blue-green back. */
export async function rollbackKubernetes(request: DeployRequest, opts: KubeDeployOptions): Promise<KubeDeployResult> {
  const r = new Rollout(request, opts);
  try {
    if (request.strategy === 'blue-green') {
      const current = await r.serviceColour();
      const other = current === 'blue' ? 'green' : 'blue';
      const standby = await r.readDeployment(r.name(other));
      if (!current || !standby) throw new ConfigurationError('no previous colour to switch back to');
      const failure = await r.waitRollout(r.name(other), standby.metadata?.generation, opts.rolloutTimeoutMs);
      if (failure) return r.result(false, 'failed', `cannot switch back to ${other}: ${failure}`, r.servingVersion(await r.readDeployment(r.name(current))));
      await r.applyService(other);
      return r.result(true, 'rolled-back', `Service switched back to ${other} (model ${r.servingVersion(standby) ?? '?'})`, r.servingVersion(standby));
    }
    const name = r.name();
    const live = await r.readDeployment(name);
    const recorded = live?.metadata?.annotations?.[PREVIOUS_TEMPLATE];
    if (!live || !recorded) throw new ConfigurationError(`${opts.options.namespace}/${name} has no recorded previous version`);
    const previous = JSON.parse(recorded) as V1PodTemplateSpec;
    const failure = await r.restore(name, previous);
    const version = previous.metadata?.annotations?.[ANNOTATION.version];
    return r.result(!failure, failure ? 'failed' : 'rolled-back', failure ? `rollback failed: ${failure}` : `rolled back to model ${version ?? '?'}`, failure ? undefined : version);
  } catch (error) {
    throw describeKubeError(error, r.clients.server);
  }
}
