/**
 * The pod an operator would accept: the `restricted` Pod Security profile (numeric non-root user, no
 * privilege escalation, every capability dropped, the runtime's default seccomp profile, a read-only root
 * filesystem with a writable emptyDir at /tmp), a startup probe then readiness and liveness probes (an HTTP
 * GET on the health path, or a TCP connect with `health-path: none`), a preStop sleep so the endpoints
 * controller and the proxies stop routing to a pod before it gets SIGTERM (a rolling update then drops no
 * request), a grace period after it, and the model files copied in by an init container and verified.
 */
import type { V1Container, V1PodSpec, V1Probe, V1SecurityContext } from '../../adapters/kube-types.js';
import { posix } from 'node:path';
import type { Endpoint } from '../../pipeline/model.js';
import { ConfigurationError } from '../../util/errors.js';
import { shellQuote } from '../../util/shell.js';
import { serverScript, type DeployRequest } from '../model.js';
import { MODEL_COPY_DIR, modelCopyScript, modelImageReference } from './model-image.js';
import type { KubernetesOptions } from './options.js';

/** Where the server container sees the model files (read-only). */
export const MOUNT = '/models';

export interface Provenance {
  runId?: string;
  pipeline?: string;
  commit?: string;
}

const LOOPBACK = /(^|[\s=:'"[(])(127\.0\.0\.1|localhost|\[?::1\]?)(?=$|[\s:'")\]])/;

/**
 * The server command for a pod: the endpoint's command, refused when it binds a loopback address (in a pod
 * the kubelet's probes and the Service arrive on the pod's own address, so such a server never becomes
 * ready). Pods get HOST=0.0.0.0; a WSGI endpoint binds `$HOST`.
 */
export function podServerScript(endpoint: Endpoint): string {
  const script = serverScript(endpoint);
  if (endpoint.serverCommand && LOOPBACK.test(script)) {
    const { file, line, col } = endpoint.position;
    throw new ConfigurationError(
      `${file}:${line}:${col}: endpoint ${endpoint.name}: server-command binds a loopback address (${LOOPBACK.exec(script)?.[2] ?? ''}), which nothing outside the pod can reach: bind "$HOST" (0.0.0.0 in a pod, 127.0.0.1 locally) or 0.0.0.0`,
    );
  }
  return script;
}

/** The server image: `image` (prebuilt, or the pushed digest), else `<image-repository>:<commit>`. */
export function serverImage(request: DeployRequest, options: KubernetesOptions, provenance: Provenance = {}): string {
  if (options.image) return options.image;
  const commit = provenance.commit ?? request.version.commit;
  if (options.imageRepository && commit) return `${options.imageRepository}:${commit}`;
  throw new ConfigurationError(
    `endpoint ${request.endpoint.name} runs repository code, which ${request.endpoint.image} does not contain: give a server image with --image REF (or the deploy target's image), ` +
      `or set image-repository so \`mlops deploy --build-context DIR\` writes one to build FROM ${request.endpoint.image} with the repository at the deployed commit${options.imageRepository ? ' (no commit is known for this version)' : ''}`,
  );
}

function fileUrl(request: DeployRequest, name: string, sha256: string, options: KubernetesOptions): string {
  const url = options.fileUrls[name] ?? (options.artifactBaseUrl ? `${options.artifactBaseUrl.replace(/\/+$/, '')}/${sha256}` : undefined);
  if (!url) throw new ConfigurationError(`no URL for model file '${name}' of ${request.endpoint.name}: set model-image-repository (the model is pushed as an image), or artifact-base-url (files at <url>/<sha256>) or file-urls.${name}`);
  if (!/^https?:\/\//.test(url)) throw new ConfigurationError(`model file URL must be http(s), got '${url}'`);
  return url;
}

/** Download, verify and move into place; any mismatch exits non-zero so the pod never starts. */
function fetchScript(request: DeployRequest, options: KubernetesOptions): string {
  const lines = ['set -eu'];
  for (const file of request.version.files) {
    const target = posix.join(MODEL_COPY_DIR, file.path);
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

/** The `restricted` profile's container settings. */
export function containerSecurityContext(options: KubernetesOptions): V1SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: options.runAsUser,
    runAsGroup: options.runAsUser,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

const SMALL = { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } };

/**
 * The init container that puts the model files into the emptyDir: copied from the model image (preferred;
 * pulled with the cluster's own credentials, once per node) or downloaded from artifact URLs; both check
 * every sha256 against the pod template and fail the pod naming the file on a mismatch.
 */
export function modelInitContainer(request: DeployRequest, options: KubernetesOptions): V1Container {
  const common = {
    name: 'fetch-model',
    volumeMounts: [{ name: 'models', mountPath: MODEL_COPY_DIR }],
    resources: SMALL,
    securityContext: containerSecurityContext(options),
    terminationMessagePolicy: 'FallbackToLogsOnError' as const,
  };
  const image = modelImageReference(request.version, options);
  if (image) {
    // Tagged by content, so IfNotPresent never serves other bytes under the same name, and a node that has it pulls nothing.
    return { ...common, image, imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', modelCopyScript(request.version, image)] };
  }
  return { ...common, image: options.fetchImage, imagePullPolicy: 'IfNotPresent', command: ['/bin/sh', '-c', fetchScript(request, options)] };
}

function probes(options: KubernetesOptions): { startupProbe: V1Probe; readinessProbe: V1Probe; livenessProbe: V1Probe } {
  const check = options.healthPath === 'none' ? { tcpSocket: { port: 'http' } } : { httpGet: { path: options.healthPath, port: 'http' } };
  const startupPeriod = 2;
  return {
    // Until the server first answers, only this probe runs: a slow model load is not killed by liveness.
    startupProbe: { ...check, periodSeconds: startupPeriod, timeoutSeconds: 2, failureThreshold: Math.max(1, Math.ceil(options.startupTimeoutSeconds / startupPeriod)) },
    readinessProbe: { ...check, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
    livenessProbe: { ...check, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
  };
}

export function serverContainer(request: DeployRequest, options: KubernetesOptions, provenance: Provenance = {}): V1Container {
  const port = request.endpoint.port;
  const modelFile = request.version.files[0];
  return {
    name: 'server',
    image: serverImage(request, options, provenance),
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', podServerScript(request.endpoint)],
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
    env: [
      { name: 'PORT', value: String(port) },
      { name: 'HOST', value: '0.0.0.0' },
      { name: 'HOME', value: '/tmp' },
      { name: 'MLOPS_MODEL_DIR', value: MOUNT },
      ...(modelFile ? [{ name: 'MODEL_PATH', value: posix.join(MOUNT, modelFile.path) }] : []),
    ],
    volumeMounts: [
      { name: 'models', mountPath: MOUNT, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ],
    ...probes(options),
    // The endpoints controller and every node's proxy take a moment to drop a terminating pod; until they
    // have, requests still arrive, so the server gets SIGTERM only after this sleep.
    ...(options.preStopSeconds > 0 ? { lifecycle: { preStop: { exec: { command: ['/bin/sh', '-c', `sleep ${options.preStopSeconds}`] } } } } : {}),
    resources: {
      requests: { cpu: options.cpuRequest, memory: options.memoryRequest },
      limits: { ...(options.cpuLimit ? { cpu: options.cpuLimit } : {}), memory: options.memoryLimit ?? options.memoryRequest },
    },
    securityContext: containerSecurityContext(options),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

export function podSpec(request: DeployRequest, options: KubernetesOptions, provenance: Provenance = {}): V1PodSpec {
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: options.runAsUser,
      runAsGroup: options.runAsUser,
      fsGroup: options.runAsUser,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    // A model server needs no API access: no token is mounted into it.
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: options.terminationGraceSeconds,
    volumes: [
      { name: 'models', emptyDir: {} },
      { name: 'tmp', emptyDir: {} },
    ],
    initContainers: [modelInitContainer(request, options)],
    containers: [serverContainer(request, options, provenance)],
  };
}
