/**
 * The Kubernetes rollout (kubernetes/apply.ts) as a `RolloutTarget` of the deploy policy (rollout.ts), for
 * the deploy action and `mlops deploy --target kubernetes`. The cluster client is loaded here, on first use,
 * so that the action's bundle keeps it in a chunk of its own (a bad input fails fast, the start stays quick).
 */
import type { KubeDeployOptions, KubeDeployResult } from './kubernetes/apply.js';
import type { DeployRequest } from './model.js';
import type { RolloutTarget } from './rollout.js';

export interface KubernetesTarget extends RolloutTarget<KubeDeployResult> {
  /** A canary's verdict: its template becomes the stable one (promote), or it is deleted (reject). */
  finish(verdict: 'promote' | 'reject'): Promise<KubeDeployResult>;
}

/**
 * `liveUrl`: the endpoint through its Service or ingress, where a load test after the rollout goes (none
 * after a canary's start: the canary has not got the traffic the test would judge).
 */
export async function kubernetesTarget(request: DeployRequest, options: KubeDeployOptions, liveUrl?: string): Promise<KubernetesTarget> {
  const { deployToKubernetes, finishCanary, rollbackKubernetes } = await import('./kubernetes/apply.js');
  return {
    testsCandidate: false,
    deploy: () => deployToKubernetes(request, options),
    rollback: () => rollbackKubernetes(request, options),
    finish: (verdict) => finishCanary(request, options, verdict),
    liveUrl: (result) => (result.outcome === 'canary' ? undefined : liveUrl),
  };
}
