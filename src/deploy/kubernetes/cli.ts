/**
 * `mlops deploy --target kubernetes`: the same rollout as the action, from a workstation or a script.
 * Options are read and checked first (nothing touches a cluster before they pass), then, as asked:
 * `--build-context DIR` writes the server and model images' build contexts, `--dry-run` prints every object
 * as YAML documents (strictly validated), and otherwise the objects are validated and rolled out.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../util/errors.js';
import { kubernetesTarget } from '../kubernetes-rollout.js';
import type { ResolvedDeploy } from '../resolve.js';
import { rollOut } from '../rollout.js';
import type { KubeDeployOptions, KubeDeployResult } from './apply.js';
import type { KubernetesCliOptions } from './cli-options.js';
import { resolveCommit } from './build-context.js';
import { writeBuildContexts } from './contexts.js';
import { describeCanarySplit } from './canary.js';
import { manifestsYaml, planManifests } from './dry-run.js';
import { modelImageReference } from './model-image.js';
import { kubernetesOptionsFor, type KubernetesOptions } from './options.js';
import type { Provenance } from './pod.js';

export type { KubernetesCliOptions } from './cli-options.js';

const CLI_NAMES: Record<string, string> = {
  namespace: '--namespace',
  image: '--image',
  'image-repository': '--image-repository',
  'model-image': '--model-image',
  'model-image-repository': '--model-image-repository',
  'rollout-timeout-seconds': '--rollout-timeout',
};

/** The target's options (file positions kept) with the command line over them, checked before anything else. */
export function cliKubernetesOptions(resolved: ResolvedDeploy, cli: KubernetesCliOptions): KubernetesOptions {
  const { request } = resolved;
  return kubernetesOptionsFor(request.target, request.deployment, request.endpoint.name, {
    namespace: cli.namespace,
    image: cli.image,
    'image-repository': cli.imageRepository,
    'model-image': cli.modelImage,
    'model-image-repository': cli.modelImageRepository,
    'rollout-timeout-seconds': cli.rolloutTimeout ?? (cli.rolloutTimeoutSeconds !== undefined ? String(cli.rolloutTimeoutSeconds) : undefined),
  }, CLI_NAMES);
}

/** Run/pipeline and the commit the server image is (or would be) built from. */
async function provenanceFor(resolved: ResolvedDeploy, options: KubernetesOptions): Promise<Provenance> {
  const source = resolved.request.version.source;
  const base: Provenance = source.kind === 'run' ? { runId: source.runId, pipeline: source.pipeline } : {};
  const known = resolved.request.version.commit ?? process.env['GITHUB_SHA'];
  // A prebuilt image needs no commit; a built one is named by it.
  if (options.image && !known) return base;
  return { ...base, commit: await resolveCommit(resolved.repositoryDir, known ?? 'HEAD') };
}

async function printBuildContexts(resolved: ResolvedDeploy, options: KubernetesOptions, provenance: Provenance, dir: string, json: boolean): Promise<number> {
  const built = await writeBuildContexts(resolved, options, provenance.commit ?? 'HEAD', dir);
  if (json) process.stdout.write(`${JSON.stringify(built, null, 2)}\n`);
  else {
    for (const [what, entry] of Object.entries(built)) {
      const e = entry as { context?: string; reference?: string; image?: string };
      process.stdout.write(e.context ? `${what} image build context: ${e.context}${e.reference ? ` (push as ${e.reference})` : ''}\n` : `${what} image: ${e.image ?? ''} (prebuilt)\n`);
    }
  }
  return 0;
}

export async function deployKubernetesFromCli(resolved: ResolvedDeploy, json: boolean, cli: KubernetesCliOptions = {}): Promise<number> {
  const options = cliKubernetesOptions(resolved, cli);
  const provenance = await provenanceFor(resolved, options);
  if (cli.buildContext !== undefined) return printBuildContexts(resolved, options, provenance, cli.buildContext, json);
  if (!modelImageReference(resolved.request.version, options) && !options.artifactBaseUrl && Object.keys(options.fileUrls).length === 0) {
    throw new ConfigurationError(
      `the model files of ${resolved.request.endpoint.name} have no way into the pod: set model-image-repository (or --model-image-repository; the model is pushed as an image tagged by its content hash), or artifact-base-url`,
    );
  }
  const plan = planManifests(resolved.request, options, { provenance, ...(cli.colour ? { colour: cli.colour } : {}) });
  if (cli.dryRun) {
    const header = plan.canary ? `# canary traffic share: ${describeCanarySplit(plan.canary)}\n` : '';
    process.stdout.write(json ? `${JSON.stringify(plan.objects.map((o) => o.object), null, 2)}\n` : `${header}${manifestsYaml(plan.objects)}`);
    return 0;
  }
  const log = json ? undefined : (line: string): void => void process.stdout.write(`  ${line}\n`);
  const kube = await kubernetesTarget(resolved.request, clusterOptions(cli, options, provenance, log), cli.smoke?.url);
  // The deploy → load test → rollback policy shared with the deploy action.
  const rollout = await rollOut(kube, { ...(cli.loadTest ? { loadTest: cli.loadTest } : {}), ...(log ? { log } : {}) });
  const result = { ...(rollout.rolledBack ?? rollout.deployed), ok: rollout.ok, summary: rollout.summary, ...(rollout.loadTest ? { loadTest: rollout.loadTest } : {}) };
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.ok ? '' : 'deploy failed: '}${result.summary}\n`);
  return result.ok ? 0 : 1;
}

function clusterOptions(cli: KubernetesCliOptions, options: KubernetesOptions, provenance: Provenance, log: ((line: string) => void) | undefined): KubeDeployOptions {
  return {
    kubeconfigPath: cli.kubeconfigPath ?? process.env['KUBECONFIG']?.split(':')[0] ?? join(homedir(), '.kube', 'config'),
    ...(cli.context ? { context: cli.context } : {}),
    options,
    provenance,
    ...(cli.smoke ? { smoke: cli.smoke } : {}),
    rolloutTimeoutMs: options.rolloutTimeoutSeconds * 1000,
    ...(cli.graceSeconds !== undefined ? { graceSeconds: cli.graceSeconds } : {}),
    ...(cli.manualPromote ? { autoPromote: false } : {}),
    ...(log ? { log } : {}),
  };
}

/** `mlops rollback|promote|reject` on a Kubernetes endpoint (the objects' names come from the pipeline file). */
export async function operateKubernetesFromCli(operation: 'rollback' | 'promote' | 'reject', resolved: ResolvedDeploy, json: boolean, cli: KubernetesCliOptions = {}): Promise<number> {
  const options = cliKubernetesOptions(resolved, cli);
  const source = resolved.request.version.source;
  const provenance: Provenance = source.kind === 'run' ? { runId: source.runId, pipeline: source.pipeline } : {};
  const log = json ? undefined : (line: string): void => void process.stdout.write(`  ${line}\n`);
  const kube = await kubernetesTarget(resolved.request, clusterOptions(cli, options, provenance, log));
  const result: KubeDeployResult = operation === 'rollback' ? await kube.rollback() : await kube.finish(operation);
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.ok ? '' : `${operation} failed (${result.outcome}): `}${result.summary}\n`);
  return result.ok ? 0 : 1;
}
