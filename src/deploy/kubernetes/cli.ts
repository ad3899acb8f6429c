/** `mlops deploy --target kubernetes`: the same rollout as the action, from a workstation or a script. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import type { ResolvedDeploy } from '../resolve.js';
import { deployToKubernetes, type SmokeTest } from './apply.js';
import { kubernetesOptions } from './manifests.js';

export interface KubernetesCliOptions {
  /** Kubeconfig file (default $KUBECONFIG, else ~/.kube/config). */
  kubeconfigPath?: string;
  namespace?: string;
  smoke?: SmokeTest;
  rolloutTimeoutSeconds?: number;
}

export async function deployKubernetesFromCli(resolved: ResolvedDeploy, json: boolean, cli: KubernetesCliOptions = {}): Promise<number> {
  const path = cli.kubeconfigPath ?? process.env['KUBECONFIG']?.split(':')[0] ?? join(homedir(), '.kube', 'config');
  let kubeconfig: string;
  try {
    kubeconfig = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read the kubeconfig ${path}: ${getErrorMessage(error)}`);
  }
  const target = { ...resolved.request.target.options, ...(cli.namespace ? { namespace: cli.namespace } : {}) };
  const source = resolved.request.version.source;
  const result = await deployToKubernetes(resolved.request, {
    kubeconfig,
    options: kubernetesOptions(target),
    provenance: source.kind === 'run' ? { runId: source.runId, pipeline: source.pipeline } : {},
    ...(cli.smoke ? { smoke: cli.smoke } : {}),
    ...(cli.rolloutTimeoutSeconds ? { rolloutTimeoutMs: cli.rolloutTimeoutSeconds * 1000 } : {}),
    log: json ? undefined : (line) => process.stdout.write(`  ${line}\n`),
  });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.ok ? '' : 'deploy failed: '}${result.summary}\n`);
  return result.ok ? 0 : 1;
}
