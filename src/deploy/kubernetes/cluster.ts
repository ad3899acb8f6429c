/**
 * One namespace of one cluster, as the rollout sees it: server-side apply under the field manager
 * `mlops`, reads of Deployments/Services/Endpoints/Pods/Events, and API discovery.
 *
 * Why server-side apply and not PUT: a PUT replaces the whole object, wiping what other tools set
 * (an HPA's replica count, a mesh's annotations, a NodePort the cluster assigned); apply merges only the
 * fields this manager owns. `force` takes over fields a human edited with kubectl: the deploy is the
 * source of truth for the fields it sets, and only for those.
 *
 * Why discovery: objects are generated for the current API versions (autoscaling/v2, policy/v1); an
 * older cluster (1.20 serves autoscaling/v2beta2 and policy/v1beta1) gets the same object under the
 * version it serves, whose schema carries the same fields. A cluster serving neither is refused before
 * anything is written.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KubeApiError, KubeClient, KubeConnectionError, resourcePath, type KubeList, type KubeObject } from '../../adapters/kube-client.js';
import { parseKubeconfig } from '../../adapters/kubeconfig.js';
import type { CoreV1Event, V1Deployment, V1Endpoints, V1Pod, V1Service } from '../../adapters/kube-types.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { validateManifest } from './validate.js';

/** The kinds the shipped OpenAPI subset validates (openapi.ts MANIFEST_ROOTS). */
const VALIDATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);

export const FIELD_MANAGER = 'mlops';

const PLURALS: Record<string, string> = {
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
  Service: 'services',
  Endpoints: 'endpoints',
  Pod: 'pods',
  Event: 'events',
  ConfigMap: 'configmaps',
  Lease: 'leases',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  PodDisruptionBudget: 'poddisruptionbudgets',
};

/** For a group whose current version an older cluster may not serve: the versions to try, newest first. */
const FALLBACKS: Record<string, string[]> = {
  'autoscaling/v2': ['autoscaling/v2', 'autoscaling/v2beta2'],
  'policy/v1': ['policy/v1', 'policy/v1beta1'],
};

/** The apiVersion to use for `wanted` on a server serving `served`; a ConfigurationError when none is served. */
export function pickVersion(wanted: string, served: Set<string>, kind: string): string {
  const candidates = FALLBACKS[wanted] ?? [wanted];
  const found = candidates.find((v) => served.has(v));
  if (found) return found;
  const group = wanted.split('/')[0] ?? wanted;
  const has = [...served].filter((v) => v.startsWith(`${group}/`)).sort();
  throw new ConfigurationError(`the cluster serves no API version for ${kind} that this tool can write (needs ${candidates.join(' or ')}; it serves ${has.length > 0 ? has.join(', ') : `nothing of ${group}`})`);
}

/** The object under the version the cluster serves (the schemas of these pairs carry the same fields). */
export function translate<T extends KubeObject>(object: T, served: Set<string>): T {
  if (!object.apiVersion || !FALLBACKS[object.apiVersion]) return object;
  const version = pickVersion(object.apiVersion, served, object.kind ?? 'object');
  return version === object.apiVersion ? object : { ...object, apiVersion: version };
}

/** `k=v,k2=v2` for a labelSelector query. */
export function selectorText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export class Cluster {
  private served?: Set<string>;

  constructor(
    readonly client: KubeClient,
    readonly namespace: string,
  ) {}

  /** From kubeconfig text (a secret) or a file path. */
  static async connect(source: { kubeconfig?: string; kubeconfigPath?: string; context?: string }, namespace: string): Promise<Cluster> {
    let text = source.kubeconfig;
    if (text === undefined && source.kubeconfigPath) {
      try {
        text = await readFile(source.kubeconfigPath, 'utf8');
      } catch (error) {
        throw new ConfigurationError(`cannot read the kubeconfig ${source.kubeconfigPath}: ${getErrorMessage(error)}`);
      }
    }
    if (text === undefined) throw new ConfigurationError('no kubeconfig given');
    const target = parseKubeconfig(text, { ...(source.context ? { context: source.context } : {}), ...(source.kubeconfigPath ? { baseDir: dirname(source.kubeconfigPath) } : {}) });
    return new Cluster(new KubeClient(target), namespace);
  }

  close(): void {
    this.client.close();
  }

  async servedVersions(): Promise<Set<string>> {
    this.served ??= await this.client.servedVersions();
    return this.served;
  }

  path(kind: string, name?: string, apiVersion = kind === 'Deployment' || kind === 'ReplicaSet' ? 'apps/v1' : 'v1'): string {
    const plural = PLURALS[kind];
    if (!plural) throw new Error(`bug: no REST path known for kind ${kind}`);
    return resourcePath(apiVersion, plural, this.namespace, name);
  }

  /**
   * Server-side apply of a whole object (translated to a served version first). The kinds the strict
   * OpenAPI subset covers are validated before anything is sent, in their current versions: what reaches
   * a cluster is exactly what `--dry-run` checks, never a variant built on the apply path.
   */
  async apply<T extends KubeObject>(object: T): Promise<T> {
    if (object.kind && VALIDATED_KINDS.has(object.kind)) validateManifest(object);
    const translated = translate(object, await this.servedVersions());
    const name = translated.metadata?.name;
    if (!translated.apiVersion || !translated.kind || !name) throw new Error('bug: apply needs apiVersion, kind and metadata.name');
    return this.client.apply<T>(this.path(translated.kind, name, translated.apiVersion), { ...translated, metadata: { ...translated.metadata, namespace: this.namespace } }, FIELD_MANAGER, true);
  }

  deployment(name: string): Promise<V1Deployment | undefined> {
    return this.client.find<V1Deployment>(this.path('Deployment', name));
  }

  service(name: string): Promise<V1Service | undefined> {
    return this.client.find<V1Service>(this.path('Service', name));
  }

  endpoints(name: string): Promise<V1Endpoints | undefined> {
    return this.client.find<V1Endpoints>(this.path('Endpoints', name));
  }

  async deployments(labels: Record<string, string>): Promise<V1Deployment[]> {
    return (await this.client.list<V1Deployment>(this.path('Deployment'), { labelSelector: selectorText(labels) })).items;
  }

  async pods(labels: Record<string, string>): Promise<V1Pod[]> {
    return (await this.client.list<V1Pod>(this.path('Pod'), { labelSelector: selectorText(labels) })).items;
  }

  /** Events about one object (by name and kind). */
  async events(kind: string, name: string): Promise<CoreV1Event[]> {
    const list: KubeList<CoreV1Event> = await this.client.list<CoreV1Event>(this.path('Event'), { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` });
    return list.items;
  }

  /** Sets a Deployment's replica count (a merge patch: apply would drop the fields it leaves out). */
  async scale(name: string, replicas: number): Promise<void> {
    await this.client.mergePatch(this.path('Deployment', name), { spec: { replicas } }, FIELD_MANAGER);
  }

  deleteObject(kind: string, name: string, apiVersion?: string): Promise<boolean> {
    return this.client.delete(this.path(kind, name, apiVersion), { propagationPolicy: 'Background' });
  }

  /** Through the API server's service proxy: how a tool outside the cluster reaches a ClusterIP Service. */
  serviceProxyUrl(service: string, port: string | number = 'http'): string {
    return `${this.client.server}${resourcePath('v1', 'services', this.namespace, `${service}:${port}`)}/proxy`;
  }
}

/** API failures as user-facing messages: refused credentials and missing permissions are the common ones. */
export function describeKubeError(error: unknown, server: string): Error {
  if (error instanceof KubeApiError) {
    if (error.status === 401) return new ConfigurationError(`the cluster at ${server} refused the credentials (401 Unauthorized${error.detail ? `: ${error.detail}` : ''}); check the kubeconfig secret's token or certificate`);
    if (error.status === 403) return new ConfigurationError(`the cluster at ${server} forbids this (403 Forbidden: ${error.detail}); the deploying account needs get/list/patch/delete on deployments, services, horizontalpodautoscalers, poddisruptionbudgets, configmaps and leases, get on services/proxy, and list on pods, endpoints and events`);
    return new ConfigurationError(`Kubernetes API error: ${error.message}`);
  }
  if (error instanceof ConfigurationError) return error;
  if (error instanceof KubeConnectionError) return new ConfigurationError(error.message);
  return error instanceof Error ? error : new Error(getErrorMessage(error));
}
