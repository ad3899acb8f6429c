/** `mlops deploy|rollback|promote|reject --target kubernetes`: the same operations as the action, from a workstation or a script. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedDeploy } from '../resolve.js';
import { deployToKubernetes, finishCanary, rollbackKubernetes, type KubeDeployOptions, type KubeDeployResult } from './apply.js';
import type { KubernetesCliOptions } from './cli-options.js';
import { kubernetesOptions } from './manifests.js';

function deployOptions(resolved: ResolvedDeploy, json: boolean, cli: KubernetesCliOptions): KubeDeployOptions {
  const kubeconfigPath = cli.kubeconfigPath ?? process.env['KUBECONFIG']?.split(':')[0] ?? join(homedir(), '.kube', 'config');
  const target = { ...resolved.request.target.options, ...(cli.namespace ? { namespace: cli.namespace } : {}) };
  const source = resolved.request.version.source;
  return {
    kubeconfigPath,
    ...(cli.context ? { context: cli.context } : {}),
    options: kubernetesOptions(target),
    provenance: source.kind === 'run' ? { runId: source.runId, pipeline: source.pipeline } : {},
    ...(cli.smoke ? { smoke: cli.smoke } : {}),
    ...(cli.rolloutTimeoutSeconds ? { rolloutTimeoutMs: cli.rolloutTimeoutSeconds * 1000 } : {}),
    ...(cli.graceSeconds !== undefined ? { graceSeconds: cli.graceSeconds } : {}),
    ...(cli.manualPromote ? { autoPromote: false } : {}),
    ...(json ? {} : { log: (line: string) => process.stdout.write(`  ${line}\n`) }),
  };
}

function report(result: KubeDeployResult, json: boolean, verb: string): number {
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.ok ? '' : `${verb} failed (${result.outcome}): `}${result.summary}\n`);
  return result.ok ? 0 : 1;
}

export async function deployKubernetesFromCli(resolved: ResolvedDeploy, json: boolean, cli: KubernetesCliOptions = {}): Promise<number> {
  return report(await deployToKubernetes(resolved.request, deployOptions(resolved, json, cli)), json, 'deploy');
}

export async function operateKubernetesFromCli(operation: 'rollback' | 'promote' | 'reject', resolved: ResolvedDeploy, json: boolean, cli: KubernetesCliOptions = {}): Promise<number> {
  const options = deployOptions(resolved, json, cli);
  const result = operation === 'rollback' ? await rollbackKubernetes(resolved.request, options) : await finishCanary(resolved.request, options, operation);
  return report(result, json, operation);
}
