/**
 * The local target from a `DeployRequest`: a spec for the daemon, with the target's options applied.
 *
 * Options come from `x-mlops.deploy-targets.<deployment>` (Valohai ignores `x-mlops`, so the pipeline file
 * stays loadable there), overridden per endpoint under `endpoints.<endpoint-name>`, then by CLI flags:
 *
 *   health-path, health-timeout (s)
 *   sample-requests: [{path: /predict, method: POST, body: {...}}]  (the smoke prediction), smoke-max-latency-ms,
 *   warmup-requests (sent to every new replica before it takes traffic; 0: none)
 *   min-replicas (or replicas), max-replicas, target-concurrency, max-concurrency, queue-limit,
 *   spare-replicas, start-parallelism, scale-down-delay (s), target-p99-ms
 *   fallback-grace (s), fallback-max-error-rate, fallback-max-p99-ms, fallback-min-requests, fallback-max-crashes
 *   connect-timeout (s), response-timeout (s)
 *   request-log: false | {sample-rate, max-body-bytes, max-file-bytes, max-files}
 */
import { ConfigurationError } from '../../util/errors.js';
import { serverScript, type DeployRequest } from '../model.js';
import type { ScalingPolicy } from './pool.js';
import type { ProxyTimeouts } from './proxy.js';
import type { RequestLogPolicy } from './request-log.js';
import type { HealthCheck, SampleRequest } from './supervisor.js';
import type { CandidateChecks, FallbackPolicy, LocalDeploySpec } from './types.js';

export interface LocalOptions {
  /** Proxy port for a new endpoint (default: `port` of the deploy target, else a free one). */
  port?: number;
  /** `none` (or `tcp`) checks only that the port accepts connections. */
  healthPath?: string;
  healthTimeoutSeconds?: number;
  /** Sample request bodies (`--payload` files), POSTed to `samplePath`; they replace the declared ones. */
  payloads?: string[];
  samplePath?: string;
  /** The load test against the candidate, before the switch. */
  loadTestSeconds?: number;
  maxP99Ms?: number;
  maxErrorRate?: number;
  /** Fallback grace period in seconds (0: none). */
  graceSeconds?: number;
}

const KNOWN = new Set([
  'kind', 'port', 'health-path', 'health-timeout', 'sample-requests', 'smoke-max-latency-ms', 'warmup-requests', 'replicas', 'min-replicas', 'max-replicas',
  'target-concurrency', 'spare-replicas', 'start-parallelism', 'max-concurrency', 'queue-limit', 'scale-down-delay', 'target-p99-ms', 'fallback-grace', 'fallback-max-error-rate',
  'fallback-max-p99-ms', 'fallback-min-requests', 'fallback-max-crashes', 'connect-timeout', 'response-timeout', 'request-log', 'endpoints',
  // Kubernetes-only options (accepted here, used there).
  'namespace', 'strategy', 'cpu-request', 'cpu-limit', 'memory-request', 'memory-limit', 'target-cpu-percent', 'artifact-base-url', 'file-urls',
  'canary-share', 'service-type', 'image', 'load-test-seconds', 'load-test-payloads', 'max-p99-ms', 'rollout-timeout-seconds', 'smoke-url',
  'smoke-body', 'fetch-image', 'kubeconfig', 'context',
]);

type Options = Record<string, unknown>;

function numberOption(options: Options, name: string, where: string, range: [number, number] = [0, Number.MAX_SAFE_INTEGER], integer = false): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < range[0] || n > range[1] || (integer && !Number.isInteger(n))) {
    throw new ConfigurationError(`${where}.${name} must be ${integer ? 'an integer' : 'a number'} from ${range[0]} to ${range[1]}, got '${String(value)}'`);
  }
  return n;
}

function isRecord(value: unknown): value is Options {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `sample-requests`: a list of {path, method, body}; a body is any JSON value (sent as JSON) or a string (sent as is). */
export function parseSampleRequests(value: unknown, where: string): SampleRequest[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length === 0) throw new ConfigurationError(`${where}.sample-requests must be a non-empty list of {path, method, body}`);
  return value.map((item: unknown, i) => {
    const at = `${where}.sample-requests[${i}]`;
    if (!isRecord(item)) throw new ConfigurationError(`${at} must be an object with body (and optionally path, method)`);
    for (const name of Object.keys(item)) if (!['path', 'method', 'body'].includes(name)) throw new ConfigurationError(`${at}: unknown key '${name}' (expected path, method, body)`);
    const path = item['path'] ?? '/predict';
    if (typeof path !== 'string' || !path.startsWith('/')) throw new ConfigurationError(`${at}.path must start with '/'`);
    const method = item['method'] ?? (item['body'] === undefined ? 'GET' : 'POST');
    if (typeof method !== 'string' || !/^[A-Z]+$/.test(method)) throw new ConfigurationError(`${at}.method must be an HTTP method such as POST`);
    const body = item['body'];
    return { path, method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) };
  });
}

/** The target's options with the endpoint's own section merged over them; unknown keys are refused. */
export function endpointOptions(target: Options, endpoint: string, where: string): Options {
  for (const name of Object.keys(target)) {
    if (!KNOWN.has(name)) throw new ConfigurationError(`${where}: unknown option '${name}' (known: ${[...KNOWN].filter((k) => k !== 'kind').join(', ')})`);
  }
  const sections = target['endpoints'];
  if (sections === undefined) return target;
  if (!isRecord(sections)) throw new ConfigurationError(`${where}.endpoints must map endpoint names to options`);
  const own = sections[endpoint];
  if (own === undefined) return target;
  if (!isRecord(own)) throw new ConfigurationError(`${where}.endpoints.${endpoint} must be an object of options`);
  for (const name of Object.keys(own)) {
    if (!KNOWN.has(name) || name === 'endpoints' || name === 'kind') throw new ConfigurationError(`${where}.endpoints.${endpoint}: unknown option '${name}'`);
  }
  return { ...target, ...own };
}

function requestLogPolicy(value: unknown, where: string): Partial<RequestLogPolicy> | undefined {
  if (value === undefined) return undefined;
  if (value === false) return { sampleRate: 0 };
  if (value === true) return {};
  if (!isRecord(value)) throw new ConfigurationError(`${where}.request-log must be false or {sample-rate, max-body-bytes, max-file-bytes, max-files}`);
  const at = `${where}.request-log`;
  for (const name of Object.keys(value)) {
    if (!['sample-rate', 'max-body-bytes', 'max-file-bytes', 'max-files'].includes(name)) throw new ConfigurationError(`${at}: unknown key '${name}'`);
  }
  const policy: Partial<RequestLogPolicy> = {};
  const rate = numberOption(value, 'sample-rate', at, [0, 1]);
  const body = numberOption(value, 'max-body-bytes', at, [1, 16 * 1024 * 1024], true);
  const file = numberOption(value, 'max-file-bytes', at, [1024, Number.MAX_SAFE_INTEGER], true);
  const files = numberOption(value, 'max-files', at, [1, 10_000], true);
  if (rate !== undefined) policy.sampleRate = rate;
  if (body !== undefined) policy.maxBodyBytes = body;
  if (file !== undefined) policy.maxFileBytes = file;
  if (files !== undefined) policy.maxFiles = files;
  return policy;
}

export function localSpec(request: DeployRequest, repositoryDir: string, options: LocalOptions = {}): LocalDeploySpec {
  const where = `x-mlops.deploy-targets.${request.deployment}`;
  const target = endpointOptions(request.target.options, request.endpoint.name, where);
  const healthPath = options.healthPath ?? (typeof target['health-path'] === 'string' ? target['health-path'] : undefined);
  const timeout = options.healthTimeoutSeconds ?? numberOption(target, 'health-timeout', where, [0.1, 3600]);
  const port = options.port ?? numberOption(target, 'port', where, [0, 65535], true);
  const health: Partial<HealthCheck> = {};
  if (healthPath !== undefined) {
    if (healthPath === 'none' || healthPath === 'tcp') health.path = null;
    else if (!healthPath.startsWith('/')) throw new ConfigurationError(`health path must start with '/' (or be none), got '${healthPath}'`);
    else health.path = healthPath;
  }
  if (timeout !== undefined) health.timeoutMs = timeout * 1000;

  const checks: Partial<CandidateChecks> = {};
  const declared = parseSampleRequests(target['sample-requests'], where);
  const samplePath = options.samplePath ?? '/predict';
  checks.samples = options.payloads && options.payloads.length > 0 ? options.payloads.map((body) => ({ method: 'POST', path: samplePath, body })) : declared;
  const smokeLatency = numberOption(target, 'smoke-max-latency-ms', where, [1, 600_000]);
  if (smokeLatency !== undefined) checks.maxLatencyMs = smokeLatency;
  const warmup = numberOption(target, 'warmup-requests', where, [0, 10_000], true);
  if (warmup !== undefined) checks.warmupRequests = warmup;
  if (options.loadTestSeconds !== undefined && options.loadTestSeconds > 0) {
    const payloads = checks.samples.filter((s) => s.path === samplePath && s.body !== undefined).map((s) => s.body ?? '');
    checks.loadTest = {
      seconds: options.loadTestSeconds,
      path: samplePath,
      payloads,
      connections: 8,
      maxErrorRate: options.maxErrorRate ?? 0,
      ...(options.maxP99Ms !== undefined ? { maxP99Ms: options.maxP99Ms } : {}),
    };
  }

  const scaling: Partial<ScalingPolicy> = {};
  const min = numberOption(target, 'min-replicas', where, [1, 64], true) ?? numberOption(target, 'replicas', where, [1, 64], true) ?? 1;
  const max = numberOption(target, 'max-replicas', where, [1, 64], true) ?? Math.max(min, 4);
  if (max < min) throw new ConfigurationError(`${where}: max-replicas (${max}) is below min-replicas (${min})`);
  scaling.minReplicas = min;
  scaling.maxReplicas = max;
  const setNumber = <T extends object>(into: T, field: keyof T, name: string, range: [number, number], factor = 1, integer = false): void => {
    const value = numberOption(target, name, where, range, integer);
    if (value !== undefined) (into as Record<keyof T, number>)[field] = value * factor;
  };
  setNumber(scaling, 'targetConcurrency', 'target-concurrency', [0.1, 10_000]);
  setNumber(scaling, 'spareReplicas', 'spare-replicas', [0, 64], 1, true);
  setNumber(scaling, 'startParallelism', 'start-parallelism', [1, 64], 1, true);
  setNumber(scaling, 'maxConcurrency', 'max-concurrency', [1, 10_000], 1, true);
  setNumber(scaling, 'queueLimit', 'queue-limit', [0, 100_000], 1, true);
  setNumber(scaling, 'scaleDownDelayMs', 'scale-down-delay', [0, 86_400], 1000);
  setNumber(scaling, 'targetP99Ms', 'target-p99-ms', [0.1, 600_000]);

  const fallback: Partial<FallbackPolicy> = {};
  if (options.graceSeconds !== undefined) fallback.graceMs = options.graceSeconds * 1000;
  else setNumber(fallback, 'graceMs', 'fallback-grace', [0, 86_400], 1000);
  setNumber(fallback, 'maxErrorRate', 'fallback-max-error-rate', [0, 1]);
  setNumber(fallback, 'maxP99Ms', 'fallback-max-p99-ms', [0.1, 600_000]);
  setNumber(fallback, 'minRequests', 'fallback-min-requests', [1, 1_000_000], 1, true);
  setNumber(fallback, 'maxCrashes', 'fallback-max-crashes', [1, 1000], 1, true);

  const timeouts: Partial<ProxyTimeouts> = {};
  setNumber(timeouts, 'connectMs', 'connect-timeout', [0.01, 3600], 1000);
  setNumber(timeouts, 'responseMs', 'response-timeout', [0.01, 3600], 1000);
  scaling.queueTimeoutMs = timeouts.responseMs ?? 30_000;

  const requestLog = requestLogPolicy(target['request-log'], where);
  return {
    deployment: request.deployment,
    endpoint: request.endpoint.name,
    modelVersion: request.version.id,
    source: request.version.source,
    files: request.version.files,
    script: serverScript(request.endpoint),
    cwd: repositoryDir,
    health,
    checks,
    scaling,
    fallback,
    timeouts,
    ...(requestLog ? { requestLog } : {}),
    ...(port !== undefined ? { port } : {}),
  };
}
