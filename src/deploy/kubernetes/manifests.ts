/**
 * Kubernetes manifests for an endpoint version: Deployment (probes, resources), Service,
 * HorizontalPodAutoscaler (autoscaling/v2) and PodDisruptionBudget (policy/v1).
 *
 * How model files reach the pods: an init container downloads each file from a content-addressed URL
 * (`<artifact-base-url>/<sha256>` unless a file has its own URL), checks its sha256, and puts it in an
 * emptyDir the server container mounts read-only. Why: models can be gigabytes, and baking them into an
 * image means a build and a push per model version, a registry to write to, and layers that change on
 * every retrain; the endpoint's image stays the same for every model, a new version is only a changed
 * pod template (so Kubernetes' own rollout and rollback apply), and a corrupt or swapped file fails the
 * init container, so the pod never becomes ready and the previous version keeps serving.
 */
import type { V1Deployment, V2HorizontalPodAutoscaler, V1PodDisruptionBudget, V1Service } from '../../adapters/kube-types.js';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { shellQuote } from '../../util/shell.js';
import { ConfigurationError } from '../../util/errors.js';
import { serverScript, type DeployRequest } from '../model.js';

export interface KubernetesOptions {
  namespace: string;
  replicas: number;
  minReplicas: number;
  maxReplicas: number;
  /** Average CPU utilisation (% of requests) the HPA aims at. */
  targetCpuPercent: number;
  cpuRequest: string;
  memoryRequest: string;
  cpuLimit?: string;
  memoryLimit?: string;
  healthPath: string;
  /** Where model files are fetched from: `<artifactBaseUrl>/<sha256>`. */
  artifactBaseUrl?: string;
  /** Per-file URL (by endpoint file name), overriding artifactBaseUrl. */
  fileUrls: Record<string, string>;
  fetchImage: string;
  /** Canary: share of replicas (0..1) running the new version beside the stable one. */
  canaryShare: number;
  serviceType: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
}

export const DEFAULT_KUBERNETES_OPTIONS: KubernetesOptions = {
  namespace: 'default',
  replicas: 2,
  minReplicas: 2,
  maxReplicas: 20,
  targetCpuPercent: 70,
  cpuRequest: '250m',
  memoryRequest: '256Mi',
  healthPath: '/healthz',
  fileUrls: {},
  fetchImage: 'busybox:1.36',
  canaryShare: 0.25,
  serviceType: 'ClusterIP',
};

/** Which copy of the endpoint a Deployment is: the only one (rolling), a colour, or the canary. */
export type Track = 'stable' | 'blue' | 'green' | 'canary';

export interface Provenance {
  runId?: string;
  pipeline?: string;
  commit?: string;
}

export const LABEL = {
  app: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  managedBy: 'app.kubernetes.io/managed-by',
  version: 'mlops.dev/model-version',
  track: 'mlops.dev/track',
} as const;

export const ANNOTATION = {
  version: 'mlops.dev/model-version',
  run: 'mlops.dev/run',
  pipeline: 'mlops.dev/pipeline',
  commit: 'mlops.dev/commit',
  files: 'mlops.dev/model-files',
  source: 'mlops.dev/source',
} as const;

const MOUNT = '/models';

/** A DNS-1123 label: `<deployment>-<endpoint>` shortened with a hash when too long. */
export function resourceName(deployment: string, endpoint: string, track: Track = 'stable'): string {
  const base = `${deployment}-${endpoint}`;
  const suffix = track === 'stable' ? '' : `-${track}`;
  const max = 63 - suffix.length;
  const short = base.length <= max ? base : `${base.slice(0, max - 9)}-${createHash('sha256').update(base).digest('hex').slice(0, 8)}`;
  return `${short}${suffix}`;
}

function fileUrl(request: DeployRequest, name: string, sha256: string, options: KubernetesOptions): string {
  const url = options.fileUrls[name] ?? (options.artifactBaseUrl ? `${options.artifactBaseUrl.replace(/\/+$/, '')}/${sha256}` : undefined);
  if (!url) throw new ConfigurationError(`no URL for model file '${name}' of ${request.endpoint.name}: set artifact-base-url (files at <url>/<sha256>) or file-urls.${name}`);
  if (!/^https?:\/\//.test(url)) throw new ConfigurationError(`model file URL must be http(s), got '${url}'`);
  return url;
}

/** Download, verify and move into place; any mismatch exits non-zero so the pod never starts. */
function fetchScript(request: DeployRequest, options: KubernetesOptions): string {
  const lines = ['set -eu'];
  for (const file of request.version.files) {
    const target = posix.join(MOUNT, file.path);
    const partial = `${target}.partial`;
    lines.push(
      `mkdir -p ${shellQuote(posix.dirname(target))}`,
      `wget -q -O ${shellQuote(partial)} ${shellQuote(fileUrl(request, file.name, file.sha256, options))}`,
      `echo ${shellQuote(`${file.sha256}  ${partial}`)} | sha256sum -c -`,
      `mv ${shellQuote(partial)} ${shellQuote(target)}`,
    );
  }
  return lines.join('\n');
}

export function labelsFor(request: DeployRequest, track: Track): Record<string, string> {
  return {
    [LABEL.app]: request.endpoint.name,
    [LABEL.instance]: request.deployment,
    [LABEL.managedBy]: 'mlops',
    [LABEL.version]: request.version.id,
    [LABEL.track]: track,
  };
}

/** The labels that select this endpoint's pods (all tracks) or one colour. */
export function selectorFor(request: DeployRequest, colour?: 'blue' | 'green'): Record<string, string> {
  return { [LABEL.app]: request.endpoint.name, [LABEL.instance]: request.deployment, ...(colour ? { [LABEL.track]: colour } : {}) };
}

export function annotationsFor(request: DeployRequest, provenance: Provenance): Record<string, string> {
  const source = request.version.source;
  return {
    [ANNOTATION.version]: request.version.id,
    [ANNOTATION.files]: JSON.stringify(request.version.files.map((f) => ({ name: f.name, path: f.path, sha256: f.sha256, size: f.size }))),
    [ANNOTATION.source]: source.kind === 'run' ? `run ${source.runId} node ${source.node}` : `folder ${source.path}`,
    ...(provenance.runId ?? (source.kind === 'run' ? source.runId : undefined) ? { [ANNOTATION.run]: provenance.runId ?? (source.kind === 'run' ? source.runId : '') } : {}),
    ...(provenance.pipeline ?? (source.kind === 'run' ? source.pipeline : undefined) ? { [ANNOTATION.pipeline]: provenance.pipeline ?? (source.kind === 'run' ? source.pipeline : '') } : {}),
    ...(provenance.commit ?? request.version.commit ? { [ANNOTATION.commit]: provenance.commit ?? request.version.commit ?? '' } : {}),
  };
}

export function deploymentManifest(request: DeployRequest, options: KubernetesOptions, track: Track, replicas: number, provenance: Provenance = {}): V1Deployment {
  const labels = labelsFor(request, track);
  const annotations = annotationsFor(request, provenance);
  const port = request.endpoint.port;
  const modelFile = request.version.files[0];
  const probe = (initialDelaySeconds: number, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path: options.healthPath, port: 'http' },
    initialDelaySeconds,
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: resourceName(request.deployment, request.endpoint.name, track), namespace: options.namespace, labels, annotations },
    spec: {
      replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...selectorFor(request), [LABEL.track]: track } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: {
        metadata: { labels, annotations },
        spec: {
          volumes: [{ name: 'models', emptyDir: {} }],
          initContainers: [
            {
              name: 'fetch-model',
              image: options.fetchImage,
              command: ['/bin/sh', '-c', fetchScript(request, options)],
              volumeMounts: [{ name: 'models', mountPath: MOUNT }],
              resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } },
            },
          ],
          containers: [
            {
              name: 'server',
              image: request.endpoint.image,
              command: ['/bin/sh', '-c', serverScript(request.endpoint)],
              ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
              env: [
                { name: 'PORT', value: String(port) },
                { name: 'HOST', value: '0.0.0.0' },
                { name: 'MLOPS_MODEL_DIR', value: MOUNT },
                ...(modelFile ? [{ name: 'MODEL_PATH', value: posix.join(MOUNT, modelFile.path) }] : []),
              ],
              volumeMounts: [{ name: 'models', mountPath: MOUNT, readOnly: true }],
              readinessProbe: probe(2, 5, 3),
              livenessProbe: probe(15, 10, 3),
              resources: {
                requests: { cpu: options.cpuRequest, memory: options.memoryRequest },
                limits: { ...(options.cpuLimit ? { cpu: options.cpuLimit } : {}), memory: options.memoryLimit ?? options.memoryRequest },
              },
            },
          ],
        },
      },
    },
  };
}

export function serviceManifest(request: DeployRequest, options: KubernetesOptions, colour?: 'blue' | 'green'): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: resourceName(request.deployment, request.endpoint.name), namespace: options.namespace, labels: selectorFor(request), annotations: { [ANNOTATION.version]: request.version.id } },
    spec: { type: options.serviceType, selector: selectorFor(request, colour), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
  };
}

/** Scales on CPU between min and max replicas; scales up fast (10× demand), down slowly. */
export function hpaManifest(request: DeployRequest, options: KubernetesOptions, track: Track): V2HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: resourceName(request.deployment, request.endpoint.name, track), namespace: options.namespace, labels: labelsFor(request, track) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: resourceName(request.deployment, request.endpoint.name, track) },
      minReplicas: options.minReplicas,
      maxReplicas: options.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.targetCpuPercent } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }], selectPolicy: 'Max' },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      },
    },
  };
}

export function pdbManifest(request: DeployRequest, options: KubernetesOptions): V1PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: resourceName(request.deployment, request.endpoint.name), namespace: options.namespace, labels: selectorFor(request) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorFor(request) } },
  };
}

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigurationError(`kubernetes ${name} must be a non-negative integer, got '${String(value)}'`);
  return n;
}

function text(value: unknown, name: string, fallback: string): string;
function text(value: unknown, name: string, fallback?: string): string | undefined;
function text(value: unknown, name: string, fallback?: string): string | undefined {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new ConfigurationError(`kubernetes ${name} must be a non-empty string`);
  return value;
}

/** Options from `x-mlops.deploy-targets.<deployment>` (kebab-case keys), defaults filled in. */
export function kubernetesOptions(raw: Record<string, unknown>): KubernetesOptions {
  const d = DEFAULT_KUBERNETES_OPTIONS;
  const replicas = positiveInt(raw['replicas'], 'replicas', d.replicas);
  const minReplicas = positiveInt(raw['min-replicas'], 'min-replicas', Math.max(1, replicas));
  const maxReplicas = positiveInt(raw['max-replicas'], 'max-replicas', Math.max(d.maxReplicas, minReplicas));
  if (maxReplicas < minReplicas) throw new ConfigurationError(`kubernetes max-replicas (${maxReplicas}) is below min-replicas (${minReplicas})`);
  const share = raw['canary-share'] === undefined ? d.canaryShare : Number(raw['canary-share']);
  if (!(share > 0 && share < 1)) throw new ConfigurationError(`kubernetes canary-share must be between 0 and 1, got '${String(raw['canary-share'])}'`);
  const serviceType = text(raw['service-type'], 'service-type', d.serviceType);
  if (serviceType !== 'ClusterIP' && serviceType !== 'NodePort' && serviceType !== 'LoadBalancer') throw new ConfigurationError(`kubernetes service-type must be ClusterIP, NodePort or LoadBalancer`);
  const fileUrls: Record<string, string> = {};
  const rawUrls = raw['file-urls'];
  if (rawUrls !== undefined) {
    if (typeof rawUrls !== 'object' || rawUrls === null || Array.isArray(rawUrls)) throw new ConfigurationError('kubernetes file-urls must map file names to URLs');
    for (const [name, url] of Object.entries(rawUrls)) fileUrls[name] = text(url, `file-urls.${name}`, '');
  }
  const cpuLimit = text(raw['cpu-limit'], 'cpu-limit');
  const memoryLimit = text(raw['memory-limit'], 'memory-limit');
  const artifactBaseUrl = text(raw['artifact-base-url'], 'artifact-base-url');
  return {
    namespace: text(raw['namespace'], 'namespace', d.namespace),
    replicas,
    minReplicas,
    maxReplicas,
    targetCpuPercent: positiveInt(raw['target-cpu-percent'], 'target-cpu-percent', d.targetCpuPercent),
    cpuRequest: text(raw['cpu-request'], 'cpu-request', d.cpuRequest),
    memoryRequest: text(raw['memory-request'], 'memory-request', d.memoryRequest),
    ...(cpuLimit ? { cpuLimit } : {}),
    ...(memoryLimit ? { memoryLimit } : {}),
    healthPath: text(raw['health-path'], 'health-path', d.healthPath),
    ...(artifactBaseUrl ? { artifactBaseUrl } : {}),
    fileUrls,
    fetchImage: text(raw['fetch-image'], 'fetch-image', d.fetchImage),
    canaryShare: share,
    serviceType,
  };
}
