/**
 * The run-node action driven the way the runner drives a JavaScript action: `INPUT_*` variables, a
 * `GITHUB_OUTPUT` file, a job summary file, the workspace as working directory, and the artifact
 * service (a loopback double speaking the protocol of the real `@actions/artifact` client). Each
 * "job" gets fresh folders; jobs of one workflow run share the artifact server.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/run-node/main.js';
import { artifactNameFor } from '../../src/adapters/artifacts.js';
import { nodeArtifactBaseName } from '../../src/plan/artifact-name.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { PIPELINE_FILE, SCRIPTS } from './fixture.js';
import { errorsOf, restoreEnv, runAction, setEnv, type ActionRun } from './helpers.js';

let server: ArtifactServer;
let scratch: string;
let runAttempt = 1;
let runId = '1001';
let serverRunId: string | undefined;

interface JobRun extends ActionRun {
  workspace: string;
  tempDir: string;
}

interface JobOptions {
  node: string;
  variant?: number;
  parameters?: Record<string, unknown>;
  files?: Record<string, string>;
  reuse?: boolean;
}

/** One job of the workflow run: fresh workspace and temp folder, the action's inputs, then `run()`. */
async function runJob(options: JobOptions): Promise<JobRun> {
  const jobDir = await mkdtemp(join(scratch, `${options.node}-`));
  const workspace = join(jobDir, 'workspace');
  const tempDir = join(jobDir, 'temp');
  await mkdir(tempDir, { recursive: true });
  const files = { 'valohai.yaml': PIPELINE_FILE, ...SCRIPTS, ...options.files };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), content);
  }
  const outputFile = join(jobDir, 'output.txt');
  // One path for every job: @actions/core remembers the summary file of its first use in a process
  // (a runner starts one process per step); the file is emptied like a new step's would be.
  const summaryFile = join(scratch, 'step-summary.md');
  setEnv({
    ...server.envFor({ runId: serverRunId ?? server.runId }),
    'INPUT_FILE': 'valohai.yaml',
    'INPUT_PIPELINE': 'chain',
    'INPUT_NODE': options.node,
    'INPUT_VARIANT': String(options.variant ?? 0),
    'INPUT_PARAMETERS': JSON.stringify(options.parameters ?? {}),
    'INPUT_PIPELINE-PARAMETERS': '',
    'INPUT_REUSE': String(options.reuse ?? false),
    'INPUT_GITHUB-TOKEN': 'ghs_secret-token-value',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: tempDir,
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: String(runAttempt),
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  });
  const result = await runAction(run, { output: outputFile, summary: summaryFile, workspace });
  return { ...result, workspace, tempDir };
}
function metadataOf(job: JobRun): Record<string, unknown> {
  return JSON.parse(job.outputs['metadata'] ?? '{}') as Record<string, unknown>;
}

/** Runs prepare, both train variants and evaluate as separate jobs of the current run. */
async function runChain(): Promise<{ prepare: JobRun; train: JobRun[]; evaluate: JobRun }> {
  const prepare = await runJob({ node: 'prepare', parameters: { rows: 5 } });
  const train = [
    await runJob({ node: 'train', variant: 0, parameters: { learning_rate: 0.1 } }),
    await runJob({ node: 'train', variant: 1, parameters: { learning_rate: 0.2 } }),
  ];
  const evaluate = await runJob({ node: 'evaluate' });
  return { prepare, train, evaluate };
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-run-node-test-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(() => {
  restoreEnv();
  runAttempt += 1;
  runId = '1001';
  serverRunId = undefined;
});

describe('run-node action', () => {
  it('chains nodes across jobs through artifacts: selected files only, task variants, metadata → parameter', async () => {
    const { prepare, train, evaluate } = await runChain();
    for (const job of [prepare, ...train, evaluate]) {
      expect(errorsOf(job)).toEqual([]);
      expect(job.failed).toBe(false);
      expect(job.outputs['status']).toBe('succeeded');
      // The token is masked before anything could print it.
      expect(job.log).toContain('::add-mask::ghs_secret-token-value');
    }

    // The pipeline parameter given by the plan (keyed by the step parameter) reached the command.
    expect(metadataOf(prepare)).toEqual({ rows: 5 });
    expect(prepare.outputs['artifact-name']).toBe(`${nodeArtifactBaseName('chain', 'prepare')}--attempt-${runAttempt}`);
    expect(prepare.outputs['artifact-name']).toBe(artifactNameFor({ pipeline: 'chain', node: 'prepare', runAttempt }));

    // Each variant received only the file its edge selects, and ran with its own parameter.
    train.forEach((job, index) => {
      const metadata = metadataOf(job);
      expect(metadata).toMatchObject({ rows: 5, inputs: 'dataset/train.csv' });
      expect(metadata['accuracy']).toBeCloseTo([0.4, 0.8][index] ?? 0);
      expect(job.outputs['artifact-name']).toBe(`${nodeArtifactBaseName('chain', 'train', index)}--attempt-${runAttempt}`);
    });
    const trainStore = await readdir(join(train[0]?.tempDir ?? '', 'mlops', 'store', 'sha256'), { recursive: true });
    // train.csv and the model: not test.csv nor notes.txt.
    expect(trainStore.filter((p) => /^[0-9a-f]{2}[/\\][0-9a-f]{64}$/.test(String(p)))).toHaveLength(2);

    // evaluate: both variants' models (named apart), the threshold from prepare's metadata.
    const metadata = metadataOf(evaluate);
    expect(metadata).toMatchObject({
      threshold: 5,
      models: 2,
      inputs: 'models/train-0/model.txt,models/train-1/model.txt',
      summary: 'model lr=0.1 rows=5 | model lr=0.2 rows=5',
    });
    expect(evaluate.summary).toContain('Node evaluate');
    expect(evaluate.summary).toContain('threshold');
    expect(evaluate.summary).toContain('succeeded');
    expect(server.artifactNames()).toContain(evaluate.outputs['artifact-name']);
  });

  it('a step sees none of the runner\'s tokens; a token it prints is *** in the uploaded artifact', async () => {
    const leak = `
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
console.log('github=[' + (process.env.GITHUB_TOKEN ?? '') + '] runtime=[' + (process.env.ACTIONS_RUNTIME_TOKEN ?? '') + '] input=[' + (process.env['INPUT_GITHUB-TOKEN'] ?? '') + ']');
const secret = readFileSync('token.txt', 'utf8').trim();
console.log('printed ' + secret);
console.log(JSON.stringify({ rows: 1, leak: secret }));
writeFileSync(join(process.env.VH_OUTPUTS_DIR, 'notes.txt'), 'fine\\n');
`;
    process.env['GITHUB_TOKEN'] = 'ghs_secret-token-value';
    try {
      const job = await runJob({ node: 'prepare', files: { 'scripts/prepare.mjs': leak, 'token.txt': 'ghs_secret-token-value\n' } });
      expect(errorsOf(job)).toEqual([]);
      expect(metadataOf(job)).toEqual({ rows: 1, leak: '***' });
      const zip = join(scratch, 'leak.zip');
      await writeFile(zip, await server.archive(job.outputs['artifact-name'] ?? ''));
      const listing = spawnSync('python3', ['-c', 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nfor n in z.namelist(): sys.stdout.write(n + "\\n" + z.read(n).decode("latin1") + "\\n")', zip], { encoding: 'latin1' });
      expect(listing.status).toBe(0);
      expect(listing.stdout).toContain('github=[] runtime=[] input=[]');
      expect(listing.stdout).toContain('printed ***');
      expect(listing.stdout).not.toContain('ghs_secret-token-value');
      expect(job.log).not.toMatch(/printed ghs_secret/);
    } finally {
      delete process.env['GITHUB_TOKEN'];
    }
  });

  it('fails the downstream node with a clear message when an upstream artifact is corrupted', async () => {
    await runJob({ node: 'prepare' });
    const name = artifactNameFor({ pipeline: 'chain', node: 'prepare', runAttempt });
    await server.corrupt(name, 'outputs/data/train.csv');
    const job = await runJob({ node: 'train', variant: 0 });
    expect(job.failed).toBe(true);
    const [error] = errorsOf(job);
    expect(error).toMatch(new RegExp(`^Cannot use the outputs of upstream node "prepare": Artifact "${name}": `));
    expect(error).toMatch(/file "outputs\/data\/train.csv" has sha256 [0-9a-f]{64} but the manifest says [0-9a-f]{64} \(corrupted\)/);
    expect(job.outputs['status']).toBeUndefined();
  });

  it('fails the downstream node when an upstream artifact is truncated', async () => {
    await runJob({ node: 'prepare' });
    const name = artifactNameFor({ pipeline: 'chain', node: 'prepare', runAttempt });
    await server.truncate(name);
    const job = await runJob({ node: 'train', variant: 1 });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toMatch(new RegExp(`${name}.*(truncated|damaged|missing|corrupted)`));
  });

  it('fails the step when the command fails, after publishing its log and outputs', async () => {
    await runJob({ node: 'prepare', parameters: { rows: -1 } });
    // rows = -1: prepare writes no rows, the metadata edge passes -1, evaluate exits 3.
    await runJob({ node: 'train', variant: 0 });
    await runJob({ node: 'train', variant: 1 });
    const job = await runJob({ node: 'evaluate' });
    expect(job.failed).toBe(true);
    expect(job.outputs['status']).toBe('failed');
    expect(errorsOf(job)[0]).toMatch(/^node evaluate failed: execution evaluate-\S+ failed: exit code 3$/);
    expect(server.artifactNames()).toContain(job.outputs['artifact-name']);
  });

  it('reuses an unchanged node through the cache in a later run', async () => {
    const first = await runJob({ node: 'prepare', parameters: { rows: 4 }, reuse: true });
    expect(first.outputs['reused']).toBe('false');
    expect(server.cacheKeys().length).toBeGreaterThan(0);
    // The next workflow run: its own artifacts, the same cache.
    runId = '1002';
    serverRunId = 'second-run';
    const second = await runJob({ node: 'prepare', parameters: { rows: 4 }, reuse: true });
    expect(errorsOf(second)).toEqual([]);
    expect(second.outputs['reused']).toBe('true');
    expect(second.outputs['status']).toBe('reused');
    expect(metadataOf(second)).toEqual({ rows: 4 });
    // The reused outputs feed a downstream job exactly like fresh ones.
    const train = await runJob({ node: 'train', variant: 0 });
    expect(metadataOf(train)).toMatchObject({ rows: 4, inputs: 'dataset/train.csv' });
  });

  it.each([
    [{ variant: 2 }, /node "train" has 2 variants \(0 to 1\), not 2/],
    [{ node: 'nope' }, /pipeline "chain" has no node "nope"; its nodes: prepare, train, evaluate/],
    [{ parameters: { epochs: 3 } }, /"epochs" is neither a parameter of pipeline "chain" nor of node "train"; allowed: rows, learning_rate/],
  ])('refuses a bad input %#', async (change, message) => {
    await runJob({ node: 'prepare' });
    const job = await runJob({ node: 'train', ...change });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toMatch(message);
  });

  it('reports pipeline file errors as file:line:col', async () => {
    const job = await runJob({ node: 'prepare', files: { 'valohai.yaml': `${PIPELINE_FILE}\n- step: [unclosed\n` } });
    expect(job.failed).toBe(true);
    expect(job.log).toMatch(/valohai\.yaml:\d+:\d+: error/);
  });
});
