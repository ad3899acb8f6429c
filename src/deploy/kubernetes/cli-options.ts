/** The Kubernetes options of `mlops deploy|rollback|promote|reject`, parsed without loading the rollout code. */
import { ConfigurationError } from '../../util/errors.js';
import type { LoadTestPolicy } from '../rollout.js';
import type { SmokeTest } from './rollout.js';

export interface KubernetesCliOptions {
  /** Kubeconfig file (default $KUBECONFIG, else ~/.kube/config). */
  kubeconfigPath?: string;
  context?: string;
  namespace?: string;
  smoke?: SmokeTest;
  /** `--rollout-timeout`: seconds or a duration (`90s`, `5m`). */
  rolloutTimeout?: string;
  /** @deprecated use rolloutTimeout */
  rolloutTimeoutSeconds?: number;
  /** `--image REF`: a prebuilt server image (no build context is written for it). */
  image?: string;
  imageRepository?: string;
  modelImage?: string;
  modelImageRepository?: string;
  /** The inference performance check after the rollout, at the smoke URL (the deploy policy, ../rollout.ts). */
  loadTest?: LoadTestPolicy;
  /** `--dry-run`: print the objects, touch no cluster. */
  dryRun?: boolean;
  /** `--build-context DIR`: write `DIR/server` and `DIR/model` (and `DIR/build.json`), touch no cluster. */
  buildContext?: string;
  /** Blue-green colour shown by `--dry-run` (default blue). */
  colour?: 'blue' | 'green';
  /** Blue-green: seconds the old colour stays up after the switch. */
  graceSeconds?: number;
  /** Canary: leave it for `mlops promote`/`reject` after its analysis. */
  manualPromote?: boolean;
}

/** Options shared by the deploy, rollback, promote and reject commands (parseArgs shapes). */
export const KUBERNETES_CLI_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string' },
  'rollout-timeout': { type: 'string' },
  'smoke-url': { type: 'string' },
  'smoke-path': { type: 'string' },
  'smoke-body': { type: 'string' },
  'smoke-max-latency-ms': { type: 'string' },
} as const;

export const KUBERNETES_CLI_USAGE = `Kubernetes target:
  --kubeconfig FILE       (default $KUBECONFIG, else ~/.kube/config)
  --context NAME          kubeconfig context (default its current-context)
  --namespace NAME        (default the deploy target's namespace)
  --rollout-timeout T     seconds or a duration (90s, 5m) the rollout may take before it is rolled back
                          (default the deploy target's rollout-timeout-seconds, else 300)
  --smoke-body JSON       prediction request sent (20 times, each must answer 200 within --smoke-max-latency-ms)
                          through the new version's own Service before it takes traffic (default: sample-requests)
  --smoke-max-latency-ms N
                          the smoke test's limit per request in milliseconds (default 1000); raise it for a
                          model whose first predictions load lazily
  --smoke-path PATH       its path (default /predict)
  --smoke-url URL         the endpoint's public URL (its path is the default smoke path)`;

/** Kubernetes CLI options from parsed values (the deploy-only ones too, when given); checks what it can alone. */
export function kubernetesCliOptions(values: Record<string, string | boolean | (string | boolean)[] | undefined>): KubernetesCliOptions {
  const text = (key: string): string | undefined => (typeof values[key] === 'string' ? values[key] : undefined);
  const grace = text('grace');
  const graceSeconds = grace === undefined ? undefined : Number(grace);
  if (graceSeconds !== undefined && !(graceSeconds >= 0 && graceSeconds <= 86_400)) throw new ConfigurationError('--grace must be a number of seconds from 0 to 86400');
  const colour = text('colour');
  if (colour !== undefined && colour !== 'blue' && colour !== 'green') throw new ConfigurationError(`--colour must be blue or green, got '${colour}'`);
  const url = text('smoke-url');
  const path = text('smoke-path');
  const body = text('smoke-body');
  if (body !== undefined) {
    try {
      JSON.parse(body);
    } catch {
      throw new ConfigurationError('--smoke-body must be a JSON document');
    }
  }
  const maxText = text('smoke-max-latency-ms');
  const maxLatencyMs = maxText === undefined ? 1000 : Number(maxText);
  if (!(Number.isInteger(maxLatencyMs) && maxLatencyMs >= 1 && maxLatencyMs <= 600_000)) throw new ConfigurationError(`--smoke-max-latency-ms must be a whole number of milliseconds from 1 to 600000, got '${maxText}'`);
  const smoke: SmokeTest | undefined =
    url || path || body !== undefined || maxText !== undefined ? { ...(url ? { url } : {}), ...(path ? { path } : {}), ...(body !== undefined ? { body } : {}), expectedStatus: 200, maxLatencyMs } : undefined;
  const passed: Array<[keyof KubernetesCliOptions, string]> = [
    ['kubeconfigPath', 'kubeconfig'],
    ['context', 'context'],
    ['namespace', 'namespace'],
    ['rolloutTimeout', 'rollout-timeout'],
    ['image', 'image'],
    ['imageRepository', 'image-repository'],
    ['modelImage', 'model-image'],
    ['modelImageRepository', 'model-image-repository'],
    ['buildContext', 'build-context'],
  ];
  const options: KubernetesCliOptions = {};
  for (const [field, flag] of passed) {
    const value = text(flag);
    if (value !== undefined) (options as Record<string, unknown>)[field] = value;
  }
  return {
    ...options,
    ...(smoke ? { smoke } : {}),
    ...(graceSeconds !== undefined ? { graceSeconds } : {}),
    ...(colour === 'blue' || colour === 'green' ? { colour } : {}),
    ...(values['dry-run'] === true ? { dryRun: true } : {}),
    ...(values['manual-promote'] === true ? { manualPromote: true } : {}),
  };
}
