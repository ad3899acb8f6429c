/**
 * Issue acceptance, end to end with real processes: the digits pipeline trains in a temporary copy of
 * the example, the CLI registers the compare winner, promotes it, and the batch-inference pipeline
 * scores new data with whatever `production` points at, through promotion of a better model and a
 * rollback. Every step is checked on disk: the file the batch execution received, the scoring log, the
 * predictions, and the alias history.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashFile } from '../../src/store/content-store.js';
import { loadRun } from '../../src/store/runs.js';
import { LocalRegistry } from '../../src/registry/local.js';
import type { AliasEvent, ModelVersion } from '../../src/registry/model.js';

const execFileAsync = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../..');
const cli = join(repoRoot, 'src/cli/index.ts');
const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');

let work: string;
let projectDir: string;

async function mlops(...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--import', tsx, cli, ...args], { cwd: work, env: { ...process.env, GITHUB_ACTOR: 'acceptance-bot' }, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`mlops ${args.join(' ')} failed:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
  }
}

function runIdOf(stdout: string): string {
  const id = /^run (\S+): succeeded/m.exec(stdout)?.[1];
  if (!id) throw new Error(`no succeeded run in:\n${stdout}`);
  return id;
}

/** Runs the batch pipeline with `production` and returns what it used and produced. */
async function batch(): Promise<{ version: number; modelSha: string; predictionsSha: string }> {
  const stdout = await mlops('run', 'valohai.yaml', '--pipeline', 'batch-inference', '--model', 'digits@production', '--no-reuse', '--jobs', '1');
  const run = await loadRun(projectDir, runIdOf(stdout));
  const execution = run.nodes['batch-inference']?.executions[0];
  if (!execution) throw new Error('no batch execution');
  // The bytes the scoring command actually read.
  const modelSha = (await hashFile(join(projectDir, 'runs', run.id, 'executions', execution.executionId, 'inputs/model/model.json'))).sha256;
  const record = JSON.parse(await readFile(join(projectDir, 'runs', run.id, 'model-version.json'), 'utf8')) as { version: number; runId: string; data: { sha256?: string }[] };
  expect(record.runId).toBe(run.id);
  expect(record.data[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  const predictions = execution.outputs.find((o) => o.path === 'predictions.csv');
  return { version: record.version, modelSha, predictionsSha: predictions?.sha256 ?? '' };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'registry-acceptance-'));
  await cp(join(repoRoot, 'examples/digits'), join(work, 'examples/digits'), { recursive: true, filter: (source) => !source.includes('.mlops') });
  await cp(join(repoRoot, 'examples/digits/valohai.yaml'), join(work, 'valohai.yaml'));
  projectDir = join(work, '.mlops');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('train → register → promote → batch → better model → batch → rollback → batch', () => {
  it('batch inference always scores with the production version, and the history shows every step', async () => {
    // A weak first training: two of the three models barely train, train-fast (≈0.914) wins.
    const weak = runIdOf(await mlops('run', 'valohai.yaml', '--pipeline', 'train-and-deploy', '--param', 'train-slow.epochs=1', '--param', 'train-medium.epochs=1', '--jobs', '2'));
    const v1 = JSON.parse(await mlops('models', 'register', '--run', weak, '--name', 'digits', '--json')) as ModelVersion;
    expect(v1.version).toBe(1);
    // The winner is evaluate-fast; the registered file is the model.json that train-fast produced.
    expect(v1.lineage).toMatchObject({ node: 'train-fast', runId: weak, selectedBy: { node: 'evaluate-fast' } });
    const weakRun = await loadRun(projectDir, weak);
    // With it, the training data's profile that preprocess wrote upstream of train-fast (for drift checks).
    const preprocess = weakRun.nodes['preprocess']?.executions[0];
    const profileSha = preprocess?.outputs.find((o) => o.path === 'profile.json')?.sha256;
    expect(profileSha).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.files).toEqual([
      { path: 'model.json', sha256: weakRun.nodes['train-fast']?.executions[0]?.outputs.find((o) => o.path === 'model.json')?.sha256, size: expect.any(Number) as number },
      { path: 'profile.json', sha256: profileSha, size: expect.any(Number) as number },
    ]);
    expect(v1.lineage.referenceProfile).toEqual({ path: 'profile.json', sha256: profileSha, node: 'preprocess', executionId: preprocess?.executionId });
    expect(v1.lineage.inputs?.[0]).toMatchObject({ input: 'train', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    await mlops('models', 'promote', 'digits@1', '--alias', 'production', '--reason', 'first model');

    const first = await batch();
    expect(first).toMatchObject({ version: 1, modelSha: v1.files[0]?.sha256 });

    // The full training: train-slow (≈0.961) wins and is promoted because it is better.
    const strong = runIdOf(await mlops('run', 'valohai.yaml', '--pipeline', 'train-and-deploy', '--jobs', '2'));
    // The compare step's baseline is the registry's production version (v1).
    const decision = JSON.parse(await mlops('compare', 'valohai.yaml', '--run', strong, '--json')) as { decision: string; selection: { baseline?: { source: string; value?: number } } };
    expect(decision.selection.baseline).toMatchObject({ source: 'registry digits@production', value: v1.metrics['accuracy'] });
    expect(decision.decision).toBe('promote');
    const v2 = JSON.parse(await mlops('models', 'register', '--run', strong, '--name', 'digits', '--json')) as ModelVersion;
    expect(v2.version).toBe(2);
    expect(v2.lineage.node).toBe('train-slow');
    expect(Number(v2.metrics['accuracy'])).toBeGreaterThan(Number(v1.metrics['accuracy']));
    const best = JSON.parse(await mlops('models', 'show', 'digits@best:accuracy', '--json')) as ModelVersion;
    expect(best.version).toBe(2);
    await mlops('models', 'promote', 'digits@best:accuracy', '--reason', 'higher accuracy');

    const second = await batch();
    expect(second).toMatchObject({ version: 2, modelSha: v2.files[0]?.sha256 });
    expect(second.predictionsSha).not.toBe(first.predictionsSha);

    await mlops('models', 'rollback', 'digits', '--alias', 'production', '--reason', 'complaints from users');
    const third = await batch();
    expect(third).toMatchObject({ version: 1, modelSha: v1.files[0]?.sha256 });
    // Same model, same data: the same predictions as the first batch.
    expect(third.predictionsSha).toBe(first.predictionsSha);

    const history = JSON.parse(await mlops('models', 'history', 'digits', '--json')) as AliasEvent[];
    expect(history.map((e) => ({ action: e.action, from: e.from ?? null, version: e.version, by: e.by, reason: e.reason }))).toEqual([
      { action: 'promote', from: null, version: 1, by: 'acceptance-bot', reason: 'first model' },
      { action: 'promote', from: 1, version: 2, by: 'acceptance-bot', reason: 'higher accuracy' },
      { action: 'rollback', from: 2, version: 1, by: 'acceptance-bot', reason: 'complaints from users' },
    ]);
    const scoring = await new LocalRegistry(projectDir).scoring('digits');
    expect(scoring.map((s) => s.version)).toEqual([1, 2, 1]);

    // pull writes verified files anywhere.
    await mlops('models', 'pull', 'digits@2', '--dest', join(work, 'pulled'));
    expect((await hashFile(join(work, 'pulled/model.json'))).sha256).toBe(v2.files[0]?.sha256);
    const pulledProfile = JSON.parse(await readFile(join(work, 'pulled/profile.json'), 'utf8')) as { format?: string };
    expect(v2.files.map((f) => f.path)).toEqual(['model.json', 'profile.json']);
    expect((await hashFile(join(work, 'pulled/profile.json'))).sha256).toBe(v2.lineage.referenceProfile?.sha256);
    expect(pulledProfile.format).toBe('mlops-profile');
  }, 240_000);

  it('explains a missing or ambiguous model input', async () => {
    await expect(mlops('run', 'valohai.yaml', '--pipeline', 'train-and-deploy', '--model', 'digits@1')).rejects.toThrow(/several inputs named model.*--model-input/s);
    await expect(mlops('run', 'valohai.yaml', '--pipeline', 'batch-inference', '--model', 'digits@1', '--model-input', 'batch-inference.nope')).rejects.toThrow(/no such node input/);
  });
});
