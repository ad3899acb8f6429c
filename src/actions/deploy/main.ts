import { resolve } from 'node:path';
import * as core from '@actions/core';
import { createGitHubClient } from '../../adapters/github-client.js';
import { recordDeployment, type RecordedDeployment } from '../../deploy/github.js';
import type { KubeDeployOptions, KubeDeployResult } from '../../deploy/kubernetes/apply.js';
import { planManifests } from '../../deploy/kubernetes/dry-run.js';
import { kubernetesOptionsFor } from '../../deploy/kubernetes/manifests.js';
import { kubernetesTarget } from '../../deploy/kubernetes-rollout.js';
import { formatLoadTest } from '../../deploy/load-test.js';
import { resolveDeploy, resolveExisting, type ResolvedDeploy } from '../../deploy/resolve.js';
import { rollOut, type LoadTestPolicy, type RolloutResult } from '../../deploy/rollout.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

function kubeOptions(inputs: Inputs, resolved: ResolvedDeploy): KubeDeployOptions {
  const target = { ...resolved.request.target.options };
  if (inputs.namespace !== undefined) target['namespace'] = inputs.namespace;
  if (inputs.artifactBaseUrl !== undefined) target['artifact-base-url'] = inputs.artifactBaseUrl;
  if (inputs.image !== undefined) target['image'] = inputs.image;
  if (inputs.modelImage !== undefined) target['model-image'] = inputs.modelImage;
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

async function startRecord(inputs: Inputs, resolved: ResolvedDeploy): Promise<RecordedDeployment | undefined> {
  const repository = process.env['GITHUB_REPOSITORY'];
  if (!inputs.recordDeployment || !inputs.token || !repository) return undefined;
  const [owner = '', repo = ''] = repository.split('/');
  const server = process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const runId = process.env['GITHUB_RUN_ID'];
  const octokit = createGitHubClient({ token: inputs.token, ...(process.env['GITHUB_API_URL'] ? { baseUrl: process.env['GITHUB_API_URL'] } : {}) });
  const recorded = await recordDeployment(
    octokit,
    { owner, repo, ref: process.env['GITHUB_SHA'] ?? 'main', environment: inputs.environment, ...(runId ? { logUrl: `${server}/${repository}/actions/runs/${runId}` } : {}) },
    resolved.request,
  );
  await recorded.setStatus('in_progress', `${inputs.operation} ${resolved.request.deployment}/${resolved.request.endpoint.name}`);
  core.setOutput('deployment-id', String(recorded.id));
  return recorded;
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
    const names = { file: inputs.file, ...(inputs.endpoint ? { endpoint: inputs.endpoint } : {}), ...(inputs.deployment ? { deployment: inputs.deployment } : {}), ...(inputs.strategy ? { strategy: inputs.strategy } : {}) };
    const resolved =
      inputs.operation === 'deploy'
        ? await resolveDeploy({ projectDir, ...names, ...(inputs.run ? { run: inputs.run } : {}), ...(inputs.folder ? { folder: inputs.folder } : {}), target: 'kubernetes' })
        : await resolveExisting({ projectDir, ...names, target: 'kubernetes' });
    const options = kubeOptions(inputs, resolved);
    // Every object the rollout applies is checked strictly against the Kubernetes schemas first.
    if (inputs.operation === 'deploy') planManifests(resolved.request, options.options, { ...(options.provenance ? { provenance: options.provenance } : {}) });
    const target = await kubernetesTarget(resolved.request, options, inputs.smoke?.url);
    record = await startRecord(inputs, resolved);

    const { request } = resolved;
    const loadTest: LoadTestPolicy | undefined = inputs.loadTest && {
      seconds: inputs.loadTest.seconds,
      connections: inputs.loadTest.connections,
      payloads: inputs.loadTest.payloads.length > 0 ? inputs.loadTest.payloads : inputs.smoke?.body !== undefined ? [inputs.smoke.body] : [],
      ...(inputs.loadTest.maxP99Ms !== undefined ? { maxP99Ms: inputs.loadTest.maxP99Ms } : {}),
    };
    // deploy goes through the one deploy → load test → rollback policy (src/deploy/rollout.ts); the other operations are single steps.
    const rollout: RolloutResult<KubeDeployResult> = await core.group(`${inputs.operation} ${request.deployment}/${request.endpoint.name} (${request.strategy})`, async () => {
      if (inputs.operation === 'deploy') {
        return rollOut(target, {
          ...(loadTest ? { loadTest } : {}),
          record: { path: `${projectDir}/deployments/kubernetes/${request.deployment}-${request.endpoint.name}-load-test.json`, modelVersion: request.version.id },
          log: (line) => core.info(line),
        });
      }
      const done = inputs.operation === 'rollback' ? await target.rollback() : await target.finish(inputs.operation);
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
