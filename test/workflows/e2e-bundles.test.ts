/**
 * The pipeline template run end to end through the committed action bundles, as GitHub would run it:
 * the workflow is read with GitHub's parser, each job's `if:`, `strategy.matrix`, step `with:` and
 * `outputs:` are evaluated with GitHub's expression engine, and every `uses: ./actions/<name>` step runs
 * `dist/<name>/index.js` as its own Node process with the runner's environment (test/support/runner.ts).
 * Jobs get fresh workspaces and temp folders; the jobs of one workflow run share a loopback artifact
 * service that speaks the real `@actions/artifact` protocol, so node outputs travel as real artifacts.
 * The winner must equal what `mlops run` + `mlops compare` pick locally for examples/digits.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredDecision } from '../../src/compare/compare.js';
import type { MatrixEntry } from '../../src/plan/plan.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { FakeGitHub } from '../support/github-api-server.js';
import { reportMarker } from '../../src/adapters/comments.js';
import { createGitHubClient } from '../../src/adapters/github-client.js';
import { GitHubRegistry } from '../../src/registry/github.js';
import { parseSelector } from '../../src/registry/model.js';
import { formatNumber } from '../../src/compare/rule.js';
import { runActionStep, type BundleRun, type RunIdentity } from '../support/runner.js';
import { toolkitActionPath } from '../support/toolkit-actions.js';
import { bundleStepRunner, runWorkflow, type JobResult } from '../support/workflow.js';

const exec = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const TEMPLATE = join(REPO, 'workflows-templates/mlops-pipeline.yml');
const PIPELINE_FILE = 'examples/digits/valohai.yaml';
const PIPELINE = 'train-and-deploy';
const BUNDLES = ['plan', 'run-node', 'compare'].map((name) => join(REPO, 'dist', name, 'index.js'));
const TOKEN = 'ghs_e2e-bundles-token';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const tsxLoader = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

let server: ArtifactServer;
let scratch: string;

/** A fresh "checkout" of what the digits steps need: they run `node examples/digits/….mjs` from the root. */
async function checkout(jobDir: string): Promise<string> {
  const workspace = join(jobDir, 'workspace');
  await mkdir(workspace, { recursive: true });
  await cp(join(REPO, 'examples/digits'), join(workspace, 'examples/digits'), { recursive: true });
  return workspace;
}

interface StepRun {
  job: string;
  matrix?: MatrixEntry;
  uses: string;
  run: BundleRun & { unexpectedInputs: string[] };
}

interface WorkflowRun {
  results: Map<string, JobResult>;
  outputs: Map<string, Record<string, string>>;
  steps: StepRun[];
  /** Errors the runner itself gave jobs (job outputs over GitHub's limit). */
  jobErrors: string[];
}

/**
 * Runs the template for one event with the shared workflow interpreter (test/support/workflow.ts): jobs in
 * `needs` order, each job's `if:` and matrix evaluated, each matrix entry a job of its own (run
 * concurrently, like GitHub), every local action step through its committed bundle. `env` overrides the
 * workflow's `env:` the way a user edits the copied template.
 */
async function runTemplate(
  identity: RunIdentity,
  env: Record<string, string>,
  runnerEnv: Record<string, string> = {},
  fakeGitHub?: FakeGitHub,
): Promise<WorkflowRun> {
  const text = await readFile(TEMPLATE, 'utf8');
  // With a fake REST API, each job's github.token carries the job's `permissions:` from the template.
  const document = parseYaml(text) as { permissions?: unknown; jobs: Record<string, { permissions?: unknown }> };
  identity = { workflowRef: `${identity.repository}/.github/workflows/mlops-pipeline.yml@${identity.ref}`, ...identity };
  const github = {
    base_ref: identity.baseRef ?? '',
    workflow_ref: identity.workflowRef,
    event_name: identity.eventName,
    event: identity.event,
    repository: identity.repository,
    sha: identity.sha,
    ref: identity.ref,
    run_id: identity.runId,
    run_attempt: String(identity.runAttempt ?? 1),
    token: TOKEN,
    workflow: 'MLOps pipeline',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
  };
  const run = await runWorkflow({
    text,
    name: 'mlops-pipeline.yml',
    github,
    env,
    scratch,
    jobToken: (id) => (fakeGitHub ? fakeGitHub.issueToken(document.jobs[id]?.permissions ?? document.permissions) : TOKEN),
    // Each job has its own runtime token (its own job id) in the same workflow run.
    runStep: bundleStepRunner({ repository: REPO, checkout, identity, env: () => ({ ...server.envFor({ runId: identity.runId }), ...runnerEnv }) }),
  });
  expect(run.errors).toEqual([]);
  const steps: StepRun[] = [];
  for (const step of run.steps) {
    const bundle = step.outcome.run;
    if (bundle === undefined) continue; // checkout and run: steps
    steps.push({ job: step.job, uses: `./${toolkitActionPath(step.uses ?? '') ?? ''}`, run: bundle, ...(step.matrix ? { matrix: step.matrix as unknown as MatrixEntry } : {}) });
  }
  return { results: run.results, outputs: run.outputs, steps, jobErrors: run.jobErrors };
}

async function mlops(projectDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', tsxLoader, join(REPO, 'src/cli/index.ts'), ...args, '--project-dir', projectDir], {
    cwd: REPO,
    env: { ...process.env, CI: 'true' },
  });
  return stdout;
}

/** What a table row says apart from the execution ids, which differ between any two runs. */
function comparableRows(table: StoredDecision['selection']['table']): unknown[] {
  return table.map(({ node, status, parameters, metrics, eligible, winner }) => ({ node, status, parameters, metrics, eligible, winner }));
}

const PUSH_RUN_ID = 'e2e-push-run';
let pushed: Promise<WorkflowRun> | undefined;

/**
 * The template on a push to main (once per file): its compare job leaves the decision artifact that a
 * later pull request's compare job finds as the base branch's latest decision.
 */
function pushRun(): Promise<WorkflowRun> {
  pushed ??= (async () => {
    // The compare job asks the releases registry for the production baseline, as it does on GitHub.
    const github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
    await github.start();
    return runTemplate(
      { runId: PUSH_RUN_ID, repository: 'octo/digits', sha: SHA, ref: 'refs/heads/main', eventName: 'push', event: { ref: 'refs/heads/main', after: SHA } },
      { MLOPS_FILE: PIPELINE_FILE, MLOPS_PIPELINE: PIPELINE },
      { GITHUB_API_URL: github.url },
      github,
    ).finally(() => github.close());
  })();
  return pushed;
}

beforeAll(async () => {
  const missing = BUNDLES.filter((bundle) => !existsSync(bundle));
  if (missing.length > 0) throw new Error(`missing bundles ${missing.join(', ')}: run npm run build`);
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-e2e-bundles-'));
});

afterAll(async () => {
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('pipeline template through the action bundles', () => {
  it('plan → waves → compare on a push reaches the same best model as mlops run', async () => {
    const projectDir = join(scratch, 'local-project');
    await mlops(projectDir, 'run', PIPELINE_FILE, '--pipeline', PIPELINE);
    // The same baseline the template's compare job asks for (MLOPS_MODEL@production; none here yet).
    const local = JSON.parse(await mlops(projectDir, 'compare', PIPELINE_FILE, '--run', 'latest', '--baseline-model', 'model@production', '--json')) as StoredDecision;
    expect(local.winner).toBeDefined();

    const runId = PUSH_RUN_ID;
    const workflow = await pushRun();
    expect(workflow.jobErrors).toEqual([]);
    for (const step of workflow.steps) {
      expect(step.run.errors, `${step.job} ${step.matrix?.node ?? ''}: ${step.run.stdout.slice(-2000)}`).toEqual([]);
      expect(step.run.exitCode, `${step.job} ${step.matrix?.node ?? ''}`).toBe(0);
    }

    const plan = workflow.outputs.get('plan') ?? {};
    expect(workflow.results.get('plan')).toBe('success');
    expect(plan['pipeline']).toBe(PIPELINE);
    const depth = Number(plan['depth']);
    expect(depth).toBeGreaterThan(1);
    for (let wave = 0; wave < 8; wave++) {
      expect(workflow.results.get(`wave-${wave}`), `wave-${wave}`).toBe(wave < depth ? 'success' : 'skipped');
      expect(workflow.results.get(`wave-${wave}-1`)).toBe('skipped');
    }

    // Every node ran exactly once, as its own job, and uploaded its artifact to this run.
    const nodeRuns = workflow.steps.filter((step) => step.uses === './actions/run-node');
    expect(nodeRuns.map((step) => step.matrix?.node).sort()).toEqual((JSON.parse(plan['nodes'] ?? '[]') as string[]).sort());
    for (const step of nodeRuns) {
      // The first run of these nodes on this cache: each one really ran.
      expect(step.run.outputs['status']).toBe('succeeded');
      expect(step.run.outputs['artifact-name']).toBe(`${step.matrix?.artifact ?? ''}--attempt-1`);
      expect(step.run.unexpectedInputs).toEqual([]);
      // The token the step got from `github.token` (issued by the fake GitHub for this job) was masked.
      expect(step.run.stdout).toMatch(/::add-mask::ghs_fake[0-9a-f]+/);
    }
    expect(server.artifactNames(runId).filter((name) => name.startsWith('mlops--')).sort()).toEqual(
      nodeRuns.map((step) => step.run.outputs['artifact-name']).sort(),
    );
    // Downstream jobs received their upstream outputs as artifacts: the evaluations have metrics.
    const evaluations = nodeRuns.filter((step) => step.matrix?.node.startsWith('evaluate-'));
    expect(evaluations).toHaveLength(3);
    for (const step of evaluations) {
      const metadata = JSON.parse(step.run.outputs['metadata'] ?? '{}') as Record<string, unknown>;
      expect(typeof metadata['accuracy']).toBe('number');
      expect(step.run.summary).toContain('Metrics');
    }

    expect(workflow.results.get('compare')).toBe('success');
    expect(workflow.results.get('report')).toBe('skipped');
    const compare = workflow.steps.find((step) => step.uses === './actions/compare');
    expect(compare?.run.outputs['decision']).toBe(local.decision);
    expect(compare?.run.outputs['winner-node']).toBe(local.winner?.node);
    // One compare service behind both: the same rules give the same reason, word for word.
    expect(compare?.run.outputs['reason']).toBe(local.reason);
    expect(local.reason).toContain('(first model: the registry has no model@production yet)');
    // The deployment node's gate took the same decision and deployed the winner's model.
    const deploy = nodeRuns.find((step) => step.matrix?.node === 'deploy');
    expect(deploy?.run.outputs['state']).toBe('succeeded');
    // Same candidates, same parameters (inherited from the training job through the artifacts), same metrics.
    const table = JSON.parse(compare?.run.outputs['table'] ?? '[]') as StoredDecision['selection']['table'];
    expect(comparableRows(table)).toEqual(comparableRows(local.selection.table));
    // The same model file: the trainings are seeded, so the jobs reproduced the local bytes.
    const localModel = local.winner?.upstream?.flatMap((upstream) => upstream.outputs).find((output) => output.path === 'model.json');
    const winnerRow = table.find((row) => row.winner);
    expect(localModel?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(winnerRow?.upstream?.flatMap((upstream) => upstream.outputs).find((output) => output.path === 'model.json')?.sha256).toBe(
      localModel?.sha256,
    );
    expect(compare?.run.summary).toContain(local.winner?.node ?? '?');
    // The decision left the compare job as an artifact too, for the report job.
    expect(server.artifactNames(runId).filter((name) => name.startsWith(`mlops-decision--${PIPELINE}--`))).toHaveLength(1);
  }, 400_000);

  it('on a pull request, the report job comments the decision the compare job uploaded', async () => {
    const github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
    await github.start();
    try {
      github.pulls.set(12, { fork: false });
      const runId = 'e2e-pull-request-run';
      const event = { number: 12, pull_request: { number: 12, head: { repo: { full_name: 'octo/digits' } } } };
      const workflow = await runTemplate(
        { runId, repository: 'octo/digits', sha: SHA, ref: 'refs/pull/12/merge', eventName: 'pull_request', event, baseRef: 'main' },
        { MLOPS_FILE: PIPELINE_FILE, MLOPS_PIPELINE: PIPELINE },
        { GITHUB_API_URL: github.url },
        github,
      );
      for (const step of workflow.steps) expect(step.run.errors, `${step.job}: ${step.run.stdout.slice(-2000)}`).toEqual([]);
      // After the push run, the nodes come from the reuse cache; alone, this run executes them.
      const nodeStatuses = workflow.steps.filter((step) => step.uses === './actions/run-node').map((step) => step.run.outputs['status']);
      expect(nodeStatuses.length).toBeGreaterThan(0);
      for (const status of nodeStatuses) expect(['succeeded', 'reused']).toContain(status);
      expect(workflow.results.get('compare')).toBe('success');
      expect(workflow.results.get('report')).toBe('success');
      const compare = workflow.steps.find((step) => step.uses === './actions/compare');
      const report = workflow.steps.find((step) => step.uses === './actions/report');
      expect(report?.run.outputs['decision']).toBe(compare?.run.outputs['decision']);
      expect(report?.run.outputs['comment-action']).toBe('created');
      const comments = github.comments.get(12) ?? [];
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body.startsWith(reportMarker(PIPELINE))).toBe(true);
      expect(comments[0]?.body).toContain(compare?.run.outputs['winner-node'] ?? '?');
      expect(comments[0]?.body).toContain(`https://github.com/octo/digits/actions/runs/${runId}`);
      // The registry holds no production model yet, and main has no run of this workflow: the winner is the
      // first model, and the comment says so.
      expect(compare?.run.outputs['reason']).toContain('(first model: the registry has no model@production yet and base branch main has no decision yet)');
      expect(comments[0]?.body).toContain('first model');
      expect(github.violations).toEqual([]);
      // Every call the jobs made was within the permissions the template gives each job's token.
      expect(github.refusedForPermission).toEqual([]);
    } finally {
      await github.close();
    }
  }, 150_000);
});

describe('a pull request against the production model in the releases registry', () => {
  it('compares every candidate with production: the comment shows the deltas, and a candidate below production is held', async () => {
    const github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
    await github.start();
    const work = await mkdtemp(join(scratch, 'production-'));
    try {
      // Production is a model no candidate of this pipeline reaches.
      const registry = new GitHubRegistry(createGitHubClient({ token: TOKEN, baseUrl: github.url, log: () => undefined }), { owner: 'octo', repo: 'digits', actor: 'octocat' });
      await writeFile(join(work, 'model.json'), '{"weights":[1]}');
      await registry.register({ name: 'digits', files: [{ path: 'model.json', localPath: join(work, 'model.json') }], metrics: { accuracy: 0.999, loss: 0.01 } });
      await registry.promote('digits', 'production', parseSelector('1'), 'the model in production');

      github.pulls.set(13, { fork: false });
      const runId = 'e2e-production-baseline-run';
      const event = { number: 13, pull_request: { number: 13, head: { repo: { full_name: 'octo/digits' } } } };
      const workflow = await runTemplate(
        { runId, repository: 'octo/digits', sha: SHA, ref: 'refs/pull/13/merge', eventName: 'pull_request', event },
        { MLOPS_FILE: PIPELINE_FILE, MLOPS_PIPELINE: PIPELINE, MLOPS_MODEL: 'digits' },
        { GITHUB_API_URL: github.url },
      );
      for (const step of workflow.steps) expect(step.run.errors, `${step.job}: ${step.run.stdout.slice(-2000)}`).toEqual([]);
      const compare = workflow.steps.find((step) => step.uses === './actions/compare');
      expect(compare?.run.outputs['decision']).toBe('hold');
      expect(compare?.run.outputs['reason']).toMatch(/baseline|production/);
      const table = JSON.parse(compare?.run.outputs['table'] ?? '[]') as { node: string; deltaAbsolute?: number; value?: number }[];
      const scored = table.filter((row) => row.value !== undefined);
      expect(scored.length).toBeGreaterThan(0);
      for (const row of scored) expect(row.deltaAbsolute, row.node).toBeCloseTo((row.value ?? 0) - 0.999, 9);

      expect(workflow.results.get('report')).toBe('success');
      const [comment] = github.comments.get(13) ?? [];
      expect(comment?.body).toContain('Baseline (production (digits v1), registry digits@production): `accuracy` = 0.999');
      expect(comment?.body).toContain('Δ `accuracy` vs baseline');
      expect(comment?.body).toMatch(/Decision: [^\n]*hold/i);
      // Every candidate's delta against production is negative, and says so in the comment.
      for (const row of scored) expect(comment?.body).toContain(formatNumber(row.deltaAbsolute ?? Number.NaN));
      // No deployment: the deployment node's gate held it with the compare reason, and the comment says so.
      const deploy = workflow.steps.find((step) => step.uses === './actions/run-node' && step.matrix?.node === 'deploy');
      expect(deploy?.run.exitCode).toBe(0);
      expect(deploy?.run.outputs['state']).toBe('skipped');
      expect(deploy?.run.stdout).toContain(`gate: hold: ${compare?.run.outputs['reason'] ?? '?'}`);
      expect(comment?.body).toContain(`**Deployment \`deploy\`: not deployed**: gate: hold: ${compare?.run.outputs['reason'] ?? '?'}`);
      expect(github.violations).toEqual([]);
    } finally {
      await github.close();
    }
  }, 200_000);
});

describe('a pull request before any production model', () => {
  it("compares every candidate with the base branch's latest decision: the comment shows the deltas against main", async () => {
    // main's latest successful run of this workflow: the push run, whose compare job uploaded its decision.
    const push = await pushRun();
    const pushCompare = push.steps.find((step) => step.uses === './actions/compare');
    const pushTable = JSON.parse(pushCompare?.run.outputs['table'] ?? '[]') as { node: string; winner?: boolean; metrics: Record<string, unknown> }[];
    const mainAccuracy = pushTable.find((row) => row.winner)?.metrics['accuracy'];
    expect(typeof mainAccuracy).toBe('number');

    const github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
    await github.start();
    try {
      github.workflowRuns.artifactServer = server;
      const base = { workflow: 'mlops-pipeline.yml', headBranch: 'main', headSha: SHA, status: 'completed' as const };
      github.workflowRuns.add({ ...base, id: 7017, runNumber: 17, event: 'push', conclusion: 'success', backendRunId: PUSH_RUN_ID });
      // A newer failed run on main is not a baseline.
      github.workflowRuns.add({ ...base, id: 7018, runNumber: 18, event: 'push', conclusion: 'failure', backendRunId: 'e2e-failed-run' });
      github.pulls.set(14, { fork: false });
      const runId = 'e2e-base-branch-baseline-run';
      const event = { number: 14, pull_request: { number: 14, base: { ref: 'main' }, head: { repo: { full_name: 'octo/digits' } } } };
      const workflow = await runTemplate(
        { runId, repository: 'octo/digits', sha: SHA, ref: 'refs/pull/14/merge', eventName: 'pull_request', event, baseRef: 'main' },
        { MLOPS_FILE: PIPELINE_FILE, MLOPS_PIPELINE: PIPELINE },
        { GITHUB_API_URL: github.url },
        github,
      );
      for (const step of workflow.steps) expect(step.run.errors, `${step.job}: ${step.run.stdout.slice(-2000)}`).toEqual([]);
      const compare = workflow.steps.find((step) => step.uses === './actions/compare');
      expect(compare?.run.outputs['reason']).toContain('(the registry has no model@production yet: compared with base branch main (run 17))');
      const table = JSON.parse(compare?.run.outputs['table'] ?? '[]') as { node: string; deltaAbsolute?: number; value?: number }[];
      const scored = table.filter((row) => row.value !== undefined);
      expect(scored.length).toBeGreaterThan(0);
      for (const row of scored) expect(row.deltaAbsolute, row.node).toBeCloseTo((row.value ?? 0) - Number(mainAccuracy), 9);

      expect(workflow.results.get('report')).toBe('success');
      const [comment] = github.comments.get(14) ?? [];
      expect(comment?.body).toContain(`Baseline (base branch main (run 17), `);
      expect(comment?.body).toContain(`\`accuracy\` = ${formatNumber(Number(mainAccuracy))}`);
      expect(comment?.body).toContain('Δ `accuracy` vs baseline');
      expect(comment?.body).toMatch(/Decision: /);
      // The winner's confusion matrix (an image output of its evaluation) came from its node artifact, was
      // checked against the decision's sha256 and hosted on the image branch beside the chart, inline.
      const winnerNode = compare?.run.outputs['winner-node'] ?? '?';
      const winnerSvg = (JSON.parse(compare?.run.outputs['winner-outputs'] ?? '[]') as { path: string; sha256: string }[]).find((file) => file.path === 'confusion-matrix.svg');
      expect(winnerSvg?.sha256).toMatch(/^[0-9a-f]{64}$/);
      const link = new RegExp(`!\\[${winnerNode}: confusion-matrix\\.svg \\(winner\\)\\]\\(https://github\\.com/octo/digits/blob/mlops-report-assets/([^)?]+)\\?raw=true\\)`).exec(comment?.body ?? '');
      expect(link, comment?.body).not.toBeNull();
      const hostedSvg = github.git.fileAt('mlops-report-assets', decodeURIComponent(link?.[1] ?? ''));
      expect(createHash('sha256').update(hostedSvg ?? Buffer.alloc(0)).digest('hex')).toBe(winnerSvg?.sha256);
      // The deployment node's gate held the candidates against the same baseline.
      const deploy = workflow.steps.find((step) => step.uses === './actions/run-node' && step.matrix?.node === 'deploy');
      expect(deploy?.run.stdout).toContain(`gate: ${compare?.run.outputs['decision'] ?? '?'}: ${compare?.run.outputs['reason'] ?? '?'}`);
      // Every call within the permissions the template gives each job (actions: read for the runs).
      expect(github.violations).toEqual([]);
      expect(github.refusedForPermission).toEqual([]);
      expect(github.requests.some((request) => request.path.endsWith('/actions/workflows/mlops-pipeline.yml/runs'))).toBe(true);
    } finally {
      await github.close();
    }
  }, 400_000);
});

describe('a damaged upstream artifact', () => {
  const identity = (runAttempt: number): RunIdentity => ({
    runId: server.runId,
    runAttempt,
    repository: 'octo/digits',
    sha: SHA,
    ref: 'refs/heads/main',
    eventName: 'push',
    event: {},
  });

  /** One run-node job of the server's default run (the one whose archives the server can damage). */
  async function runNode(node: string, runAttempt: number): Promise<BundleRun> {
    const jobDir = await mkdtemp(join(scratch, `${node}-`));
    return runActionStep(join(REPO, 'actions/run-node'), {
      // No reuse: these jobs must not fill the cache the workflow runs above read.
      with: { file: PIPELINE_FILE, pipeline: PIPELINE, node, variant: '0', parameters: '{}', reuse: 'false', 'github-token': TOKEN },
      expressionContext: { github: { token: TOKEN } },
      workspace: await checkout(jobDir),
      tempDir: join(jobDir, 'temp'),
      run: identity(runAttempt),
      env: server.envFor({ runId: server.runId }),
    });
  }

  it.each([
    // A flipped byte inside train.csv's data: the archive still unpacks, the file's size/sha256 differ.
    ['corrupted', 1, (name: string) => server.corrupt(name, 'outputs/train.csv'), /file "outputs\/train\.csv" .*\(corrupted/],
    // Cut at the last entry (train.csv, the manifest lists files sorted): it unpacks without the file.
    // The zip loses its last entry; which file that is depends on upload order. When it is one this node
    // selects, the per-file check names it; otherwise the digest of the whole archive catches it.
    ['truncated', 2, (name: string) => server.truncate(name), /listed in the manifest is missing from the archive \(truncated\?\)|the archive digest does not match the one recorded at upload/],
    // Cut in the middle of an entry: the archive cannot be unpacked at all.
    ['cut mid-entry', 3, async (name: string) => server.truncate(name, Math.floor((await server.archive(name)).length / 2)), /the archive is damaged or incomplete and cannot be unpacked/],
  ] as const)('fails the downstream node when it is %s, naming the artifact', async (_label, attempt, damage, problem) => {
    const upstream = await runNode('preprocess', attempt);
    expect(upstream.errors).toEqual([]);
    expect(upstream.exitCode).toBe(0);
    const name = upstream.outputs['artifact-name'] ?? '';
    expect(server.artifactNames()).toContain(name);
    await damage(name);

    const downstream = await runNode('train-fast', attempt);
    expect(downstream.exitCode).not.toBe(0);
    expect(downstream.errors).toHaveLength(1);
    const [message = ''] = downstream.errors;
    expect(message).toContain('Cannot use the outputs of upstream node "preprocess"');
    expect(message).toContain(`Artifact "${name}"`);
    expect(message).toMatch(problem);
    // Nothing ran and nothing was published for the node that got damaged inputs.
    expect(downstream.outputs['status']).toBeUndefined();
    expect(server.artifactNames().filter((artifact) => artifact.includes('train-fast'))).toEqual([]);
  }, 60_000);
});

describe('compare in a multi-job workflow', () => {
  it('fails with a clear message when the workflow run holds no node artifacts of the pipeline', async () => {
    const jobDir = await mkdtemp(join(scratch, 'compare-empty-'));
    const compare = await runActionStep(join(REPO, 'actions/compare'), {
      with: { file: PIPELINE_FILE, pipeline: PIPELINE },
      expressionContext: { github: { token: TOKEN } },
      workspace: await checkout(jobDir),
      tempDir: join(jobDir, 'temp'),
      run: { runId: 'e2e-empty-run', repository: 'octo/digits', sha: SHA, ref: 'refs/heads/main', eventName: 'push', event: {} },
      env: server.envFor({ runId: 'e2e-empty-run' }),
    });
    expect(compare.exitCode).not.toBe(0);
    expect(compare.errors).toEqual([
      `No node artifacts of pipeline "${PIPELINE}" in this workflow run: did the wave jobs run and upload their outputs?`,
    ]);
    expect(compare.outputs['decision']).toBeUndefined();
  }, 30_000);
});
