/**
 * Kubernetes manifests for an endpoint version: Deployment (hardened pod, see pod.ts), Service, a preview
 * Service per blue-green colour, HorizontalPodAutoscaler (autoscaling/v2) and PodDisruptionBudget
 * (policy/v1), generated for the current API versions (applying translates for older clusters) and checked
 * strictly against the official OpenAPI (validate.ts) before they are printed or applied.
 *
 * How model files reach the pods: an init container copies them from the version's model image (a
 * modelcar tagged by the content hash, model-image.ts) or downloads them from content-addressed URLs, checks
 * every sha256 against the pod template and puts them in an emptyDir the server mounts read-only. The server
 * image holds the repository at the deployed commit (build-context.ts). A new model version is a changed
 * pod template, so Kubernetes' own rollout applies, and a corrupt or swapped file fails the init container:
 * the pod never becomes ready and the previous version keeps serving.
 */
import type { V1Deployment, V2HorizontalPodAutoscaler, V1PodDisruptionBudget, V1Service } from '../../adapters/kube-types.js';
import { createHash } from 'node:crypto';
import type { DeployRequest } from '../model.js';
import { podSpec, type Provenance } from './pod.js';
import type { KubernetesOptions } from './options.js';

export { DEFAULT_KUBERNETES_OPTIONS, kubernetesOptions, kubernetesOptionsFor, type KubernetesOptions, type OptionSource } from './options.js';
export type { Provenance } from './pod.js';

/** Which copy of the endpoint a Deployment is: the only one (rolling), a colour, or the canary. */
export type Track = 'stable' | 'blue' | 'green' | 'canary';

export const LABEL = {
  app: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  appVersion: 'app.kubernetes.io/version',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
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
  previewOf: 'mlops.dev/preview-of',
} as const;

/** A DNS-1123 label `<base><suffix>`, the base shortened with a hash when the whole is too long. */
export function dnsLabel(base: string, suffix: string): string {
  const max = 63 - suffix.length;
  const short = base.length <= max ? base : `${base.slice(0, max - 9)}-${createHash('sha256').update(base).digest('hex').slice(0, 8)}`;
  return `${short}${suffix}`;
}

/** A DNS-1123 label: `<deployment>-<endpoint>` shortened with a hash when too long. */
export function resourceName(deployment: string, endpoint: string, track: Track = 'stable'): string {
  return dnsLabel(`${deployment}-${endpoint}`, track === 'stable' ? '' : `-${track}`);
}

/** The preview Service of a blue-green colour: reaches that colour only, whichever one the main Service selects. */
export function previewServiceName(deployment: string, endpoint: string, colour: 'blue' | 'green'): string {
  return dnsLabel(`${deployment}-${endpoint}`, `-${colour}-preview`);
}

/** Kubernetes' recommended labels plus the model version and track. */
export function labelsFor(request: DeployRequest, track: Track): Record<string, string> {
  return {
    [LABEL.app]: request.endpoint.name,
    [LABEL.instance]: request.deployment,
    [LABEL.appVersion]: request.version.id,
    [LABEL.component]: 'model-server',
    [LABEL.partOf]: request.deployment,
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
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: resourceName(request.deployment, request.endpoint.name, track), namespace: options.namespace, labels, annotations },
    spec: {
      replicas,
      revisionHistoryLimit: 5,
      // The controller marks the rollout failed (ProgressDeadlineExceeded) when it has not progressed in this time.
      progressDeadlineSeconds: options.rolloutTimeoutSeconds,
      selector: { matchLabels: { ...selectorFor(request), [LABEL.track]: track } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      template: { metadata: { labels, annotations }, spec: podSpec(request, options, provenance) },
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

/**
 * A blue-green colour's own Service (always ClusterIP): the new colour is smoke-tested through it before
 * the main Service's selector moves, so the test cannot be answered by the old colour.
 */
export function previewServiceManifest(request: DeployRequest, options: KubernetesOptions, colour: 'blue' | 'green'): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: previewServiceName(request.deployment, request.endpoint.name, colour),
      namespace: options.namespace,
      labels: { ...selectorFor(request), [LABEL.track]: colour },
      annotations: { [ANNOTATION.previewOf]: resourceName(request.deployment, request.endpoint.name) },
    },
    spec: { type: 'ClusterIP', selector: selectorFor(request, colour), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
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
