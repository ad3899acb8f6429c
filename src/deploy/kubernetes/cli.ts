/** `mlops deploy --target kubernetes`: the same rollout as the action, from a workstation or a script. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { kubernetesTarget } from '../kubernetes-rollout.js';
import type { ResolvedDeploy } from '../resolve.js';
import { rollOut, type LoadTestPolicy } from '../rollout.js';
import type { SmokeTest } from './apply.js';
import { kubernetesOptions } from './manifests.js';

export interface KubernetesCliOptions {
  /** Kubeconfig file (default $KUBECONFIG, else ~/.kube/config). */
  kubeconfigPath?: string;
  namespace?: string;
  smoke?: SmokeTest;
  rolloutTimeoutSeconds?: number;
  /** The inference performance check after the rollout, at the smoke URL (the deploy policy, ../rollout.ts). */
  loadTest?: LoadTestPolicy;
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
  const log = json ? undefined : (line: string): void => void process.stdout.write(`  ${line}\n`);
  const kube = await kubernetesTarget(resolved.request, {
    kubeconfig,
    options: kubernetesOptions(target),
    provenance: source.kind === 'run' ? { runId: source.runId, pipeline: source.pipeline } : {},
    ...(cli.smoke ? { smoke: cli.smoke } : {}),
    ...(cli.rolloutTimeoutSeconds ? { rolloutTimeoutMs: cli.rolloutTimeoutSeconds * 1000 } : {}),
    log,
  }, cli.smoke?.url);
  const rollout = await rollOut(kube, { ...(cli.loadTest ? { loadTest: cli.loadTest } : {}), ...(log ? { log } : {}) });
  const result = { ...(rollout.rolledBack ?? rollout.deployed), ok: rollout.ok, summary: rollout.summary, ...(rollout.loadTest ? { loadTest: rollout.loadTest } : {}) };
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.ok ? '' : 'deploy failed: '}${result.summary}\n`);
  return result.ok ? 0 : 1;
}
