import { resolve } from 'node:path';
import * as core from '@actions/core';
import type { DeployedImages, RecordedDeployment } from '../../deploy/github.js';
import type { KubeDeployOptions, KubeDeployResult } from '../../deploy/kubernetes/apply.js';
import type { ResolvedDeploy } from '../../deploy/resolve.js';
import type { LoadTestPolicy, RolloutResult } from '../../deploy/rollout.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

// What an operation needs loads with import() once the inputs are read and checked (a cold start reads
// the inputs first, bench/bundles.ts), and only on its path: `build` writes build contexts without the
// Kubernetes client or the manifest validation (the Kubernetes OpenAPI schemas); the GitHub client
// loads only to record a Deployment.

async function kubeOptions(inputs: Inputs, resolved: ResolvedDeploy): Promise<KubeDeployOptions> {
  const { kubernetesOptionsFor } = await import('../../deploy/kubernetes/manifests.js');
  const target = { ...resolved.request.target.options };
  if (inputs.namespace !== undefined) target['namespace'] = inputs.namespace;
  if (inputs.artifactBaseUrl !== undefined) target['artifact-base-url'] = inputs.artifactBaseUrl;
  if (inputs.image !== undefined) target['image'] = inputs.image;
  if (inputs.modelImage !== undefined) target['model-image'] = inputs.modelImage;
  if (inputs.imageRepository !== undefined) target['image-repository'] = inputs.imageRepository;
  if (inputs.modelImageRepository !== undefined) target['model-image-repository'] = inputs.modelImageRepository;
  const run = resolved.request.version.source;
  return {
    kubeconfig: inputs.kubeconfig,
    ...(inputs.context !== undefined ? { context: inputs.context } : {}),
    options: kubernetesOptionsFor({ ...resolved.request.target, options: target }, resolved.request.deployment, resolved.request.endpoint.name),
    provenance: {
      ...(run.kind === 'run' ? { runId: run.runId, pipeline: run.pipeline } : {}),
      ...(process.env['GITHUB_SHA'] ? { commit: process.env['GITHUB_SHA'] } : {}),
    },
    ...(inputs.smoke ? { smoke: inputs.smoke } : {}),
    rolloutTimeoutMs: inputs.rolloutTimeoutSeconds * 1000,
    log: (line) => core.info(line),
  };
}

async function startRecord(inputs: Inputs, resolved: ResolvedDeploy, images: DeployedImages = {}): Promise<RecordedDeployment | undefined> {
  const repository = process.env['GITHUB_REPOSITORY'];
  if (!inputs.recordDeployment || !inputs.token || !repository) return undefined;
  const [owner = '', repo = ''] = repository.split('/');
  const server = process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const runId = process.env['GITHUB_RUN_ID'];
  const [{ createGitHubClient }, { recordDeployment }] = await Promise.all([import('../../adapters/github-client.js'), import('../../deploy/github.js')]);
  const octokit = createGitHubClient({ token: inputs.token, ...(process.env['GITHUB_API_URL'] ? { baseUrl: process.env['GITHUB_API_URL'] } : {}) });
  const recorded = await recordDeployment(
    octokit,
    { owner, repo, ref: process.env['GITHUB_SHA'] ?? 'main', environment: inputs.environment, ...(runId ? { logUrl: `${server}/${repository}/actions/runs/${runId}` } : {}) },
    resolved.request,
    images,
  );
  await recorded.setStatus('in_progress', `${inputs.operation} ${resolved.request.deployment}/${resolved.request.endpoint.name}`);
  core.setOutput('deployment-id', String(recorded.id));
  return recorded;
}

/**
 * `operation: build`: writes the server and model images' build contexts for the workflow's
 * docker/build-push-action steps (which push them; the deploy job then deploys their digests). In a GitHub
 * job the images go to GHCR under the repository's name (lowercased, as image names must be).
 */
async function buildContexts(inputs: Inputs, resolved: ResolvedDeploy): Promise<void> {
  const repository = process.env['GITHUB_REPOSITORY']?.toLowerCase();
  const endpoint = resolved.request.endpoint.name;
  const ghcr = repository ? `ghcr.io/${repository}` : undefined;
  const [{ kubernetesOptionsFor }, { writeBuildContexts }] = await Promise.all([import('../../deploy/kubernetes/manifests.js'), import('../../deploy/kubernetes/contexts.js')]);
  const options = kubernetesOptionsFor(resolved.request.target, resolved.request.deployment, endpoint, {
    'image-repository': inputs.imageRepository ?? (resolved.request.target.options['image-repository'] === undefined && ghcr ? `${ghcr}/${endpoint}` : undefined),
    'model-image-repository': inputs.modelImageRepository ?? (resolved.request.target.options['model-image-repository'] === undefined && ghcr ? `${ghcr}/${endpoint}-model` : undefined),
  });
  const commit = process.env['GITHUB_SHA'] ?? 'HEAD';
  const built = await core.group('write the build contexts', () => writeBuildContexts(resolved, { ...options, image: undefined, modelImage: undefined }, commit, inputs.buildContext ?? 'mlops-build'));
  const server = built.server as { context: string; repository?: string; reference?: string };
  const model = built.model as { context: string; repository: string; reference: string } | undefined;
  core.info(`server image: ${server.context} → ${server.reference ?? '(no image-repository)'}`);
  if (model) core.info(`model image: ${model.context} → ${model.reference}`);
  core.setOutput('server-context', server.context);
  core.setOutput('server-repository', server.repository ?? '');
  core.setOutput('server-tag', server.reference ?? '');
  core.setOutput('model-context', model?.context ?? '');
  core.setOutput('model-repository', model?.repository ?? '');
  core.setOutput('model-tag', model?.reference ?? '');
  core.setOutput('model-version', resolved.request.version.id);
}

/** The deploy action: deploy (with fallback), rollback, or a canary verdict on Kubernetes; GitHub Deployment statuses around it. */
export async function run(): Promise<void> {
  let record: RecordedDeployment | undefined;
  // The GitHub Deployment this action opened ends `failure` whatever stopped the step.
  const finalize = async (error: unknown): Promise<void> => {
    await record?.setStatus('failure', getErrorMessage(error));
  };
  await runAction(async () => {
    const inputs = getInputs();
    const projectDir = resolve(inputs.projectDir);
    const { resolveDeploy, resolveExisting } = await import('../../deploy/resolve.js');
    const names = { file: inputs.file, ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}), ...(inputs.deployment ? { deployment: inputs.deployment } : {}), ...(inputs.strategy ? { strategy: inputs.strategy } : {}) };
    const resolved =
      inputs.operation === 'deploy' || inputs.operation === 'build'
        ? await resolveDeploy({ projectDir, ...names, ...(inputs.run ? { run: inputs.run } : {}), ...(inputs.folder ? { folder: inputs.folder } : {}), target: 'kubernetes' })
        : await resolveExisting({ projectDir, ...names, target: 'kubernetes' });
    if (inputs.operation === 'build') return await buildContexts(inputs, resolved);
    const operation = inputs.operation;
    const options = await kubeOptions(inputs, resolved);
    const [{ kubernetesTarget }, { modelImageReference }, { rollOut }, { formatLoadTest }] = await Promise.all([
      import('../../deploy/kubernetes-rollout.js'),
      import('../../deploy/kubernetes/model-image.js'),
      import('../../deploy/rollout.js'),
      import('../../deploy/load-test.js'),
    ]);
    // Every object the rollout applies is checked strictly against the Kubernetes schemas first.
    if (inputs.operation === 'deploy') {
      const { planManifests } = await import('../../deploy/kubernetes/dry-run.js');
      planManifests(resolved.request, options.options, { ...(options.provenance ? { provenance: options.provenance } : {}) });
    }
    const target = await kubernetesTarget(resolved.request, options, inputs.smoke?.url);
    // The Deployment records where the images went: the server image and the model image by digest.
    const modelImage = inputs.operation === 'deploy' ? modelImageReference(resolved.request.version, options.options) : undefined;
    record = await startRecord(inputs, resolved, inputs.operation === 'deploy' ? { ...(options.options.image ? { server: options.options.image } : {}), ...(modelImage ? { model: modelImage } : {}) } : {});

    const { request } = resolved;
    const loadTest: LoadTestPolicy | undefined = inputs.loadTest && {
      seconds: inputs.loadTest.seconds,
      connections: inputs.loadTest.connections,
      payloads: inputs.loadTest.payloads.length > 0 ? inputs.loadTest.payloads : inputs.smoke?.body !== undefined ? [inputs.smoke.body] : [],
      ...(inputs.loadTest.maxP99Ms !== undefined ? { maxP99Ms: inputs.loadTest.maxP99Ms } : {}),
    };
    // deploy goes through the one deploy → load test → rollback policy (src/deploy/rollout.ts); the other operations are single steps.
    const rollout: RolloutResult<KubeDeployResult> = await core.group(`${inputs.operation} ${request.deployment}/${request.endpoint.name} (${request.strategy})`, async () => {
      if (operation === 'deploy') {
        return rollOut(target, {
          ...(loadTest ? { loadTest } : {}),
          record: { path: `${projectDir}/deployments/kubernetes/${request.deployment}-${request.endpoint.name}-load-test.json`, modelVersion: request.version.id },
          log: (line) => core.info(line),
        });
      }
      const done = operation === 'rollback' ? await target.rollback() : await target.finish(operation);
      return { ok: done.ok, summary: done.summary, deployed: done };
    });
    const final = rollout.rolledBack ?? rollout.deployed;
    const result: KubeDeployResult = { ...final, ok: rollout.ok, summary: rollout.summary, steps: [...rollout.deployed.steps, ...(rollout.rolledBack?.steps ?? [])] };
    const load = rollout.loadTest;

    core.setOutput('outcome', result.outcome);
    core.setOutput('serving', result.serving ?? '');
    core.setOutput('summary', result.summary);
    core.setOutput('model-version', resolved.request.version.id);
    core.setOutput('load-test', load ? JSON.stringify({ rps: load.rps, p50Ms: load.p50Ms, p99Ms: load.p99Ms, requests: load.requests, errors: load.errors, ok: load.ok }) : '');
    const rows = [
      [{ data: 'step', header: true }],
      ...result.steps.map((s) => [s]),
    ];
    await core.summary
      .addHeading(`${result.ok ? '✅' : '❌'} ${inputs.operation} ${resolved.request.deployment}/${resolved.request.endpoint.name}`, 3)
      .addRaw(`${result.summary}\n\n`)
      .addTable(rows)
      .addRaw(load ? `\nInference performance: ${formatLoadTest(load)}\n` : '')
      .write();
    await record?.setStatus(result.ok ? 'success' : 'failure', result.summary, inputs.environmentUrl);
    record = undefined;
    if (!result.ok) throw new ConfigurationError(result.summary);
  }, { finalize });
}
