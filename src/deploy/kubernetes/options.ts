/**
 * Options of a Kubernetes deploy target (`x-mlops.deploy-targets.<deployment>`, kebab-case keys, an
 * endpoint's own section under `endpoints.<name>` merged over them, then command-line flags or action
 * inputs), checked before any API call: every rule the API server would enforce later (and a few it would
 * not, such as a memory limit below its request, which it accepts only to OOM-kill the pod) is one user
 * error here, pointing at the `file:line:col` where the value was written when it came from a pipeline file.
 */
import { parseDuration } from '../../pipeline/duration.js';
import type { SourcePosition } from '../../pipeline/model.js';
import { closestMatch } from '../../pipeline/diagnostics.js';
import { ConfigurationError } from '../../util/errors.js';
import { parseQuantity } from './quantity.js';

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
  /** The path the probes GET; `none` probes only that the port accepts connections (tcpSocket). */
  healthPath: string;
  /** Where model files are fetched from: `<artifactBaseUrl>/<sha256>` (when no model image is used). */
  artifactBaseUrl?: string;
  /** Per-file URL (by endpoint file name), overriding artifactBaseUrl. */
  fileUrls: Record<string, string>;
  fetchImage: string;
  /** Canary: share of the traffic (0..1) the new version should get beside the stable one. */
  canaryShare: number;
  serviceType: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** A prebuilt server image holding the repository (`--image`); skips the build. */
  image?: string;
  /** Where the built server image is pushed (`ghcr.io/owner/repo/endpoint`); tagged by the commit. */
  imageRepository?: string;
  /** The published model image (modelcar) of this version, by digest, when it has been pushed. */
  modelImage?: string;
  /** Where model images are pushed; tagged by the version's content hash. */
  modelImageRepository?: string;
  /** Numeric non-root user the containers run as (the `restricted` Pod Security profile). */
  runAsUser: number;
  /** How long a pod has between SIGTERM and SIGKILL (after the preStop sleep). */
  terminationGraceSeconds: number;
  /** preStop sleep: the time endpoints controllers and proxies take to stop routing to a terminating pod. */
  preStopSeconds: number;
  /** How long a new pod may take to answer its first probe (startupProbe) before it is restarted. */
  startupTimeoutSeconds: number;
  /** How long a rollout may take to become ready before it is rolled back (also the progress deadline). */
  rolloutTimeoutSeconds: number;
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
  runAsUser: 65532,
  terminationGraceSeconds: 30,
  preStopSeconds: 5,
  startupTimeoutSeconds: 120,
  rolloutTimeoutSeconds: 300,
};

/** Options a Kubernetes target reads. */
export const KUBERNETES_OPTION_KEYS: readonly string[] = [
  'kind', 'strategy', 'namespace', 'replicas', 'min-replicas', 'max-replicas', 'target-cpu-percent', 'cpu-request', 'cpu-limit',
  'memory-request', 'memory-limit', 'health-path', 'artifact-base-url', 'file-urls', 'fetch-image', 'canary-share', 'service-type',
  'image', 'image-repository', 'model-image', 'model-image-repository', 'run-as-user', 'termination-grace-seconds', 'pre-stop-seconds',
  'startup-timeout-seconds', 'rollout-timeout-seconds', 'smoke-url', 'smoke-body', 'load-test-seconds', 'load-test-payloads',
  'max-p99-ms', 'kubeconfig', 'context', 'endpoints',
];
/** Options of the local target, accepted (not used) so `--target kubernetes` works on a file written for local. */
const LOCAL_ONLY_KEYS: readonly string[] = [
  'port', 'health-timeout', 'sample-requests', 'smoke-max-latency-ms', 'warmup-requests', 'target-concurrency', 'spare-replicas', 'start-parallelism', 'max-concurrency', 'queue-limit',
  'scale-down-delay', 'target-p99-ms', 'fallback-grace', 'fallback-max-error-rate', 'fallback-max-p99-ms', 'fallback-min-requests',
  'fallback-max-crashes', 'connect-timeout', 'response-timeout', 'request-log',
];
const KNOWN = new Set([...KUBERNETES_OPTION_KEYS, ...LOCAL_ONLY_KEYS]);

/** Where the options came from, so errors can point at them. */
export interface OptionSource {
  /** How to name the options in messages, e.g. `x-mlops.deploy-targets.digits` (default `kubernetes`). */
  where?: string;
  /** Dotted key → position of its value in the pipeline file. */
  positions?: Record<string, SourcePosition>;
  /** Merge this endpoint's section (`endpoints.<name>`) over the target's options. */
  endpoint?: string;
  /** Values given on the command line or as action inputs (no position), over everything else. */
  overrides?: Record<string, unknown>;
  /** How to name an override in messages (`rollout-timeout-seconds` → `--rollout-timeout`). */
  overrideNames?: Record<string, string>;
}

type Raw = Record<string, unknown>;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// An OCI image reference: [registry[:port]/]path[:tag][@sha256:digest] (distribution/reference, lowercase path).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?';
const REPOSITORY = new RegExp(`^${DOMAIN}${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const REFERENCE = new RegExp(`^${DOMAIN}${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$`);

/** An image reference (`name[:tag][@sha256:…]`) or, with `repositoryOnly`, a repository without tag or digest. */
export function isImageReference(text: string, repositoryOnly = false): boolean {
  return text.length <= 255 && (repositoryOnly ? REPOSITORY : REFERENCE).test(text);
}

class Reader {
  /** Which section each key's value came from: a dotted prefix for positions, or undefined for overrides. */
  private readonly origin = new Map<string, string | undefined>();
  readonly values: Raw = {};

  constructor(
    raw: Raw,
    private readonly source: OptionSource,
  ) {
    for (const [key, value] of Object.entries(raw)) this.take(key, value, '');
    const sections = raw['endpoints'];
    if (sections !== undefined && !isRecord(sections)) this.fail('endpoints', 'must map endpoint names to options');
    if (isRecord(sections)) {
      for (const [name, section] of Object.entries(sections)) {
        if (!isRecord(section)) this.failAt(`endpoints.${name}`, `endpoints.${name} must be a map of options`);
        for (const key of Object.keys(section)) {
          if (key === 'endpoints' || key === 'kind' || key === 'strategy') this.failAt(`endpoints.${name}.${key}`, `endpoints.${name}.${key}: '${key}' can only be set for the whole target`);
        }
        if (name !== source.endpoint) continue;
        for (const [key, value] of Object.entries(section)) this.take(key, value, `endpoints.${name}.`);
      }
    }
    for (const [key, value] of Object.entries(source.overrides ?? {})) {
      if (value === undefined) continue;
      this.values[key] = value;
      this.origin.set(key, undefined);
    }
    delete this.values['endpoints'];
  }

  private take(key: string, value: unknown, prefix: string): void {
    if (!KNOWN.has(key)) {
      const guess = closestMatch(key, KNOWN);
      this.failAt(`${prefix}${key}`, `${prefix}${key}: unknown option '${key}'${guess ? ` (did you mean '${guess}'?)` : ` (known: ${KUBERNETES_OPTION_KEYS.filter((k) => k !== 'kind').join(', ')})`}`);
    }
    this.values[key] = value;
    this.origin.set(key, prefix);
  }

  private failAt(dotted: string, message: string): never {
    const position = this.source.positions?.[dotted];
    const where = this.source.where ?? 'kubernetes';
    throw new ConfigurationError(`${position ? `${position.file}:${position.line}:${position.col}: ` : ''}${where}.${message}`);
  }

  /** A user error about option `key`, at the place its value was written. */
  fail(key: string, message: string): never {
    const prefix = this.origin.get(key);
    if (this.origin.has(key) && prefix === undefined) throw new ConfigurationError(`${this.source.overrideNames?.[key] ?? key} ${message}`);
    return this.failAt(`${prefix ?? ''}${key}`, `${prefix ?? ''}${key} ${message}`);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined && this.values[key] !== '';
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.values[key];
    if (value === undefined || value === '') return fallback;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) this.fail(key, `must be a whole number from ${min} to ${max}, got '${String(value)}'`);
    return n;
  }

  number(key: string, fallback: number, check: (n: number) => boolean, rule: string): number {
    const value = this.values[key];
    if (value === undefined || value === '') return fallback;
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n) || !check(n)) this.fail(key, `must be ${rule}, got '${String(value)}'`);
    return n;
  }

  text(key: string): string | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') this.fail(key, 'must be a non-empty string');
    return value.trim();
  }

  quantity(key: string, fallback: string | undefined, what: 'cpu' | 'memory'): { text: string; value: number } | undefined {
    const text = this.values[key] === undefined ? fallback : typeof this.values[key] === 'number' ? String(this.values[key]) : this.text(key);
    if (text === undefined) return undefined;
    const value = parseQuantity(text);
    const example = what === 'cpu' ? "'500m' or '2'" : "'512Mi' or '2Gi'";
    if (value === undefined) this.fail(key, `must be a Kubernetes quantity such as ${example}, got '${text}'`);
    if (!(value > 0)) this.fail(key, `must be more than zero, got '${text}'`);
    return { text, value };
  }

  seconds(key: string, fallback: number, min: number, max: number): number {
    const value = this.values[key];
    if (value === undefined || value === '') return fallback;
    let seconds: number | undefined;
    try {
      seconds = parseDuration(typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value);
    } catch (error) {
      this.fail(key, `must be seconds or a duration such as '5m' (${error instanceof Error ? error.message : String(error)})`);
    }
    if (seconds === undefined || seconds < min || seconds > max) this.fail(key, `must be from ${min} s to ${max} s, got '${String(value)}'`);
    return seconds;
  }
}

/**
 * Options from `x-mlops.deploy-targets.<deployment>` (kebab-case keys) with defaults filled in; every
 * mistake is a `ConfigurationError` naming the option (and its `file:line:col` when `source.positions` has it).
 */
export function kubernetesOptions(raw: Record<string, unknown>, source: OptionSource = {}): KubernetesOptions {
  const d = DEFAULT_KUBERNETES_OPTIONS;
  const r: Reader = new Reader(raw, source);
  const replicas = r.integer('replicas', d.replicas, 1, 1000);
  const minReplicas = r.integer('min-replicas', replicas, 1, 1000);
  const maxReplicas = r.integer('max-replicas', Math.max(d.maxReplicas, minReplicas), 1, 1000);
  if (maxReplicas < minReplicas) r.fail('max-replicas', `(${maxReplicas}) is below min-replicas (${minReplicas})`);
  const targetCpuPercent = r.integer('target-cpu-percent', d.targetCpuPercent, 1, 100);
  const canaryShare = r.number('canary-share', d.canaryShare, (n) => n > 0 && n < 1, 'a share between 0 and 1 (exclusive), such as 0.25');
  const serviceType = r.text('service-type') ?? d.serviceType;
  if (serviceType !== 'ClusterIP' && serviceType !== 'NodePort' && serviceType !== 'LoadBalancer') r.fail('service-type', `must be ClusterIP, NodePort or LoadBalancer, got '${serviceType}'`);
  const namespace = r.text('namespace') ?? d.namespace;
  if (!DNS_LABEL.test(namespace) || namespace.length > 63) r.fail('namespace', `must be a DNS label (lowercase letters, digits, '-'; at most 63), got '${namespace}'`);

  const cpuRequest = r.quantity('cpu-request', d.cpuRequest, 'cpu');
  const memoryRequest = r.quantity('memory-request', d.memoryRequest, 'memory');
  const cpuLimit = r.quantity('cpu-limit', undefined, 'cpu');
  const memoryLimit = r.quantity('memory-limit', undefined, 'memory');
  if (cpuRequest && cpuLimit && cpuLimit.value < cpuRequest.value) r.fail('cpu-limit', `(${cpuLimit.text}) is below cpu-request (${cpuRequest.text}); a limit must be at least the request`);
  if (memoryRequest && memoryLimit && memoryLimit.value < memoryRequest.value) r.fail('memory-limit', `(${memoryLimit.text}) is below memory-request (${memoryRequest.text}); a limit must be at least the request`);

  const healthPath = r.text('health-path') ?? d.healthPath;
  if (healthPath !== 'none' && (!healthPath.startsWith('/') || /\s/.test(healthPath))) r.fail('health-path', `must be a path starting with '/' (or none, to probe only the port), got '${healthPath}'`);

  const fileUrls: Record<string, string> = {};
  const rawUrls = r.values['file-urls'];
  if (rawUrls !== undefined) {
    if (!isRecord(rawUrls)) r.fail('file-urls', 'must map file names to URLs');
    for (const [name, url] of Object.entries(rawUrls)) {
      if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) r.fail('file-urls', `.${name} must be an http(s) URL, got '${String(url)}'`);
      fileUrls[name] = url;
    }
  }
  const artifactBaseUrl = r.text('artifact-base-url');
  if (artifactBaseUrl !== undefined && !/^https?:\/\/\S+$/.test(artifactBaseUrl)) r.fail('artifact-base-url', `must be an http(s) URL, got '${artifactBaseUrl}'`);

  const image = r.text('image');
  if (image !== undefined && !isImageReference(image)) r.fail('image', `must be an image reference such as ghcr.io/owner/repo/server@sha256:…, got '${image}'`);
  const modelImage = r.text('model-image');
  if (modelImage !== undefined && !isImageReference(modelImage)) r.fail('model-image', `must be an image reference, got '${modelImage}'`);
  const imageRepository = r.text('image-repository');
  if (imageRepository !== undefined && !isImageReference(imageRepository, true)) r.fail('image-repository', `must be a repository without tag or digest, such as ghcr.io/owner/repo/server, got '${imageRepository}'`);
  const modelImageRepository = r.text('model-image-repository');
  if (modelImageRepository !== undefined && !isImageReference(modelImageRepository, true)) r.fail('model-image-repository', `must be a repository without tag or digest, such as ghcr.io/owner/repo/models, got '${modelImageRepository}'`);
  const fetchImage = r.text('fetch-image') ?? d.fetchImage;
  if (!isImageReference(fetchImage)) r.fail('fetch-image', `must be an image reference, got '${fetchImage}'`);

  const runAsUser = r.integer('run-as-user', d.runAsUser, 1, 2 ** 31 - 1);
  const terminationGraceSeconds = r.integer('termination-grace-seconds', d.terminationGraceSeconds, 1, 3600);
  const preStopSeconds = r.integer('pre-stop-seconds', Math.min(d.preStopSeconds, terminationGraceSeconds - 1), 0, 300);
  if (preStopSeconds >= terminationGraceSeconds) r.fail('pre-stop-seconds', `(${preStopSeconds}) must be below termination-grace-seconds (${terminationGraceSeconds}), or the server gets no time to finish its requests`);
  const startupTimeoutSeconds = r.seconds('startup-timeout-seconds', d.startupTimeoutSeconds, 1, 3600);
  const rolloutTimeoutSeconds = r.seconds('rollout-timeout-seconds', d.rolloutTimeoutSeconds, 5, 7200);

  return {
    namespace,
    replicas,
    minReplicas,
    maxReplicas,
    targetCpuPercent,
    cpuRequest: cpuRequest?.text ?? d.cpuRequest,
    memoryRequest: memoryRequest?.text ?? d.memoryRequest,
    ...(cpuLimit ? { cpuLimit: cpuLimit.text } : {}),
    ...(memoryLimit ? { memoryLimit: memoryLimit.text } : {}),
    healthPath,
    ...(artifactBaseUrl ? { artifactBaseUrl } : {}),
    fileUrls,
    fetchImage,
    canaryShare,
    serviceType,
    ...(image ? { image } : {}),
    ...(imageRepository ? { imageRepository } : {}),
    ...(modelImage ? { modelImage } : {}),
    ...(modelImageRepository ? { modelImageRepository } : {}),
    runAsUser,
    terminationGraceSeconds,
    preStopSeconds,
    startupTimeoutSeconds,
    rolloutTimeoutSeconds,
  };
}

/** The options of a request's target, with its positions and the endpoint's own section, then `overrides`. */
export function kubernetesOptionsFor(
  target: { options: Record<string, unknown>; positions?: Record<string, SourcePosition> },
  deployment: string,
  endpoint: string,
  overrides: Record<string, unknown> = {},
  overrideNames: Record<string, string> = {},
): KubernetesOptions {
  return kubernetesOptions(target.options, {
    where: `x-mlops.deploy-targets.${deployment}`,
    ...(target.positions ? { positions: target.positions } : {}),
    endpoint,
    overrides,
    overrideNames,
  });
}
