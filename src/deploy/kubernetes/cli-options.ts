/** The Kubernetes options of `mlops deploy|rollback|promote|reject`, parsed without loading the rollout code. */
import { ConfigurationError } from '../../util/errors.js';
import type { SmokeTest } from './rollout.js';

export interface KubernetesCliOptions {
  /** Kubeconfig file (default $KUBECONFIG, else ~/.kube/config). */
  kubeconfigPath?: string;
  context?: string;
  namespace?: string;
  smoke?: SmokeTest;
  rolloutTimeoutSeconds?: number;
  graceSeconds?: number;
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
} as const;

export const KUBERNETES_CLI_USAGE = `Kubernetes target:
  --kubeconfig FILE       (default $KUBECONFIG, else ~/.kube/config)
  --context NAME          kubeconfig context (default its current-context)
  --namespace NAME        (default the deploy target's namespace)
  --rollout-timeout S     seconds a rollout may take before it is rolled back (default 300)
  --smoke-body JSON       prediction request sent (20 times, each must answer 200 within 1000 ms) through
                          the new version's own Service before it takes traffic (default: sample-requests)
  --smoke-path PATH       its path (default /predict)
  --smoke-url URL         the endpoint's public URL (its path is the default smoke path)`;

/** Kubernetes CLI options from parsed values; checks the numbers. */
export function kubernetesCliOptions(values: Record<string, string | boolean | string[] | undefined>): KubernetesCliOptions {
  const text = (key: string): string | undefined => (typeof values[key] === 'string' ? values[key] : undefined);
  const timeout = text('rollout-timeout');
  const seconds = timeout === undefined ? undefined : Number(timeout);
  if (seconds !== undefined && !(seconds > 0 && seconds <= 86_400)) throw new ConfigurationError('--rollout-timeout must be a number of seconds from 1 to 86400');
  const grace = text('grace');
  const graceSeconds = grace === undefined ? undefined : Number(grace);
  if (graceSeconds !== undefined && !(graceSeconds >= 0 && graceSeconds <= 86_400)) throw new ConfigurationError('--grace must be a number of seconds from 0 to 86400');
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
  const smoke: SmokeTest | undefined = url || path || body !== undefined ? { ...(url ? { url } : {}), ...(path ? { path } : {}), ...(body !== undefined ? { body } : {}), expectedStatus: 200, maxLatencyMs: 1000 } : undefined;
  return {
    ...(text('kubeconfig') ? { kubeconfigPath: text('kubeconfig') } : {}),
    ...(text('context') ? { context: text('context') } : {}),
    ...(text('namespace') ? { namespace: text('namespace') } : {}),
    ...(smoke ? { smoke } : {}),
    ...(seconds !== undefined ? { rolloutTimeoutSeconds: seconds } : {}),
    ...(graceSeconds !== undefined ? { graceSeconds } : {}),
    ...(values['manual-promote'] === true ? { manualPromote: true } : {}),
  };
}

