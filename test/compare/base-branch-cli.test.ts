/**
 * `mlops compare --baseline-branch`: the local counterpart of a pull request's fallback baseline, in a
 * real git repository (branches, commits, ancestry by the git CLI) with run records in `.mlops`.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StoredDecision } from '../../src/compare/compare.js';

const exec = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

let project: string;

async function git(...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd: project, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  return stdout.trim();
}

async function mlops(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', tsxLoader, join(repo, 'src/cli/index.ts'), 'compare', ...args], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

/** A succeeded run of train-and-deploy at `commit` whose evaluation reported `accuracy`. */
async function runRecord(id: string, commit: string, createdAt: string, accuracy: number, pipeline = 'train-and-deploy'): Promise<void> {
  const evaluation = { executionId: `${id}-evaluate`, status: 'succeeded', parameters: {}, latestMetadata: { accuracy, loss: 0.1 }, outputs: [{ path: 'evaluation.json', sha256: 'e'.repeat(64), size: 10 }] };
  await mkdir(join(project, '.mlops/runs', id), { recursive: true });
  await writeFile(
    join(project, '.mlops/runs', id, 'run.json'),
    JSON.stringify({ id, pipeline, file: join(project, 'valohai.yaml'), status: 'succeeded', createdAt, commit, parameters: {}, nodes: { 'evaluate-slow': { executions: [evaluation] } } }),
  );
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'mlops-base-branch-cli-'));
  await copyFile(join(repo, 'examples/digits/valohai.yaml'), join(project, 'valohai.yaml'));
  await writeFile(join(project, '.gitignore'), '.mlops/\n');
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'first');
  const first = await git('rev-parse', 'HEAD');
  await writeFile(join(project, 'train.txt'), 'v2\n');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'second');
  const second = await git('rev-parse', 'HEAD');
  await git('checkout', '-q', '-b', 'feature');
  await writeFile(join(project, 'train.txt'), 'feature\n');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'feature');
  const feature = await git('rev-parse', 'HEAD');
  // main's history: run-a at its first commit, run-b at its tip (the latest on main). run-c is newer but on
  // the feature branch only; run-d is another pipeline's; run-pr is the pull request's run being compared.
  await runRecord('run-a', first, '2026-01-01T00:00:00Z', 0.9);
  await runRecord('run-b', second, '2026-01-02T00:00:00Z', 0.94);
  await runRecord('run-c', feature, '2026-01-03T00:00:00Z', 0.99);
  await runRecord('run-d', second, '2026-01-04T00:00:00Z', 0.5, 'other');
  await runRecord('run-pr', feature, '2026-01-05T00:00:00Z', 0.96);
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('mlops compare --baseline-branch', () => {
  test("without a production model, the winner of the pipeline's latest run on the branch is the baseline", async () => {
    const result = await mlops(['--run', 'run-pr', '--baseline-branch', 'main', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout) as StoredDecision;
    expect(decision.reason).toContain('(the registry has no production model yet: compared with base branch main (run run-b))');
    expect(decision.selection.baseline).toMatchObject({ label: 'base branch main (run run-b)', source: 'evaluate-slow of run run-b', value: 0.94 });
    expect(decision.selection.table[0]?.deltaAbsolute).toBeCloseTo(0.02, 9);
  });

  test('a branch with no run of the pipeline: the first model, and the reason says both were looked for', async () => {
    await git('branch', 'empty', 'main~1');
    const result = await mlops(['--run', 'run-pr', '--baseline-branch', 'empty', '--json']);
    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout) as StoredDecision;
    // run-a sits at main~1 itself: it is on that branch.
    expect(decision.reason).toContain('compared with base branch empty (run run-a)');
    await git('checkout', '-q', '--orphan', 'lonely');
    await git('commit', '-q', '--allow-empty', '-m', 'lonely');
    const lonely = await mlops(['--run', 'run-pr', '--baseline-branch', 'lonely', '--json']);
    expect(lonely.code).toBe(0);
    expect((JSON.parse(lonely.stdout) as StoredDecision).reason).toContain('(first model: the registry has no production model yet and base branch lonely has no decision yet)');
    await git('checkout', '-q', 'feature');
  });

  test('an unknown branch, or a baseline that is not the registry one, is a usage error', async () => {
    const unknown = await mlops(['--run', 'run-pr', '--baseline-branch', 'no-such-branch']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("--baseline-branch: 'no-such-branch' is not a branch (or commit) of the git repository");
    const both = await mlops(['--run', 'run-pr', '--baseline-branch', 'main', '--baseline-run', 'run-a']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('--baseline-branch is the fallback of the registry baseline');
  });
});
