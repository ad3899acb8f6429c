/**
 * The root action: the whole pipeline in one job with the local runner, then its outputs, metadata,
 * logs and run record uploaded as one artifact through the real `@actions/artifact` client.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { DefaultArtifactClient } from '@actions/artifact';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/run/main.js';
import type { RunRecord } from '../../src/store/runs.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { PIPELINE_FILE, SCRIPTS } from './fixture.js';
import { errorsOf, restoreEnv, runAction, setEnv, type ActionRun } from './helpers.js';

let server: ArtifactServer;
let scratch: string;
let runAttempt = 1;

async function runRootAction(parameters: string, pipeline = 'chain'): Promise<ActionRun & { workspace: string }> {
  const jobDir = await mkdtemp(join(scratch, 'job-'));
  const workspace = join(jobDir, 'workspace');
  await mkdir(join(jobDir, 'temp'), { recursive: true });
  for (const [path, content] of Object.entries({ 'valohai.yaml': PIPELINE_FILE, ...SCRIPTS })) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), content);
  }
  setEnv({
    ...server.envFor({}),
    INPUT_FILE: 'valohai.yaml',
    INPUT_PIPELINE: pipeline,
    INPUT_PARAMETERS: parameters,
    'INPUT_GITHUB-TOKEN': 'ghs_root-token',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: join(jobDir, 'temp'),
    GITHUB_RUN_ID: '2001',
    GITHUB_RUN_ATTEMPT: String(runAttempt),
  });
  // One summary path per process: @actions/core remembers the first one it used.
  const result = await runAction(run, { output: join(jobDir, 'output.txt'), summary: join(scratch, 'summary.md'), workspace });
  return { ...result, workspace };
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-run-action-test-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(() => {
  restoreEnv();
  runAttempt += 1;
});

describe('root action', () => {
  it('runs the whole pipeline in one job and uploads outputs, metadata and the run record', async () => {
    const job = await runRootAction('rows=6');
    expect(errorsOf(job)).toEqual([]);
    expect(job.failed).toBe(false);
    expect(job.outputs['status']).toBe('succeeded');
    expect(job.outputs['artifact-name']).toBe(`mlops-run-chain-${runAttempt}`);
    expect(job.outputs['run-file']).toBe(join(job.workspace, '.mlops', 'runs', job.outputs['run-id'] ?? '', 'run.json'));
    expect(job.log).toContain('::add-mask::ghs_root-token');
    expect(job.summary).toContain('Pipeline chain: succeeded');
    for (const node of ['prepare', 'train', 'evaluate']) expect(job.summary).toContain(`<td>${node}</td>`);
    expect(job.summary).toContain('threshold');

    // Read the artifact back from another job with the real client.
    const destination = join(scratch, `download-${runAttempt}`);
    const archive = await server.archive(job.outputs['artifact-name'] ?? '');
    expect(archive.includes(Buffer.from('run.json'))).toBe(true);
    expect(archive.includes(Buffer.from('nodes/evaluate/'))).toBe(true);
    expect(archive.includes(Buffer.from('/outputs/model.txt'))).toBe(true);
    const client = new DefaultArtifactClient();
    const { artifact } = await client.getArtifact(job.outputs['artifact-name'] ?? '');
    await client.downloadArtifact(artifact.id, { path: destination });
    const record = JSON.parse(await readFile(join(destination, 'run.json'), 'utf8')) as RunRecord;
    expect(record.id).toBe(job.outputs['run-id']);
    const evaluate = record.nodes['evaluate']?.executions[0];
    expect(evaluate?.latestMetadata).toMatchObject({ threshold: 6, models: 2 });
    const base = join(destination, 'nodes', 'evaluate', evaluate?.executionId ?? '');
    expect(await readFile(join(base, 'metadata.jsonl'), 'utf8')).toContain('"threshold":6');
    expect(await readFile(join(base, 'log.txt'), 'utf8')).toContain('threshold');
    const trainRuns = record.nodes['train']?.executions ?? [];
    expect(trainRuns).toHaveLength(2);
    for (const execution of trainRuns) {
      const model = await readFile(join(destination, 'nodes', 'train', execution.executionId, 'outputs', 'model.txt'), 'utf8');
      expect(model).toBe(`model lr=${String(execution.parameters['learning_rate'])} rows=6\n`);
    }
  });

  it('fails the step when a node fails, still uploading the run', async () => {
    const job = await runRootAction('{"rows": -1}');
    expect(job.failed).toBe(true);
    expect(job.outputs['status']).toBe('failed');
    expect(errorsOf(job)[0]).toMatch(/^pipeline chain failed: node evaluate failed/);
    expect(server.artifactNames()).toContain(job.outputs['artifact-name']);
    expect(job.summary).toContain('Pipeline chain: failed');
  });

  it.each([
    ['{"nope": 1}', /not a parameter of pipeline chain/],
    ['{not json', /input "parameters": parameters: not valid JSON/],
  ])('refuses bad parameters %s', async (parameters, message) => {
    const job = await runRootAction(parameters);
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toMatch(message);
  });

  it('names the pipelines when the pipeline does not exist', async () => {
    const job = await runRootAction('', 'missing');
    expect(errorsOf(job)[0]).toBe('no pipeline named "missing" in valohai.yaml; pipelines: chain');
  });
});
