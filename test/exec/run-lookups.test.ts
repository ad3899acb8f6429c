// The run's git look-ups, prefetched by the CLI before it parses the pipeline file: a run takes them only
// for the very same repository, file and project folder, once; anything else asks git afresh.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { PipelineConfig } from '../../src/pipeline/model.js';
import { discardPrefetchedRunLookups, prefetchRunLookups, runLookups } from '../../src/exec/run-lookups.js';
import type { RunPipelineOptions } from '../../src/exec/run-options.js';
import { runOrigin } from '../../src/store/origin.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-run-lookups-'));
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  await writeFile(join(dir, 'train.py'), 'print(1)\n');
  await writeFile(join(dir, 'valohai.yaml'), '[]\n');
  git('add', '.');
  git('-c', 'user.email=t@example.com', '-c', 'user.name=Tester', 'commit', '-qm', 'init');
});
afterEach(async () => {
  discardPrefetchedRunLookups();
  await rm(dir, { recursive: true, force: true });
});

function optionsFor(file: string): RunPipelineOptions {
  return { config: { file } as PipelineConfig, pipeline: 'p', repositoryDir: dir, projectDir: join(dir, '.mlops') };
}

function head(): string {
  return spawnSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout.trim();
}

test('a prefetch is taken by the run of the same subject, once, and answers as a fresh look-up would', async () => {
  const file = join(dir, 'valohai.yaml');
  prefetchRunLookups({ repositoryDir: dir, file, projectDir: join(dir, '.mlops') });
  const taken = runLookups(optionsFor(file));
  const fresh = runLookups(optionsFor(file));
  // A prefetched origin is one promise already under way; a fresh one is asked when called.
  expect(taken.origin()).toBe(taken.origin());
  expect(fresh.origin()).not.toBe(fresh.origin());
  expect(taken.codeVersion).not.toBe(fresh.codeVersion);
  expect(await taken.codeVersion).toBe(await fresh.codeVersion);
  expect(await taken.commit).toBe(head());
  const origin = await taken.origin();
  expect(origin.commit).toBe(head());
  expect(origin).toEqual(await runOrigin(dir));
});

test('a prefetch for another file is not taken (its code version leaves out a different file)', async () => {
  const file = join(dir, 'valohai.yaml');
  prefetchRunLookups({ repositoryDir: dir, file: join(dir, 'train.py'), projectDir: join(dir, '.mlops') });
  const lookups = runLookups(optionsFor(file));
  const expected = runLookups(optionsFor(file));
  expect(await lookups.codeVersion).toBe(await expected.codeVersion);
  prefetchRunLookups({ repositoryDir: dir, file: join(dir, 'train.py'), projectDir: join(dir, '.mlops') });
  const other = runLookups(optionsFor(join(dir, 'train.py')));
  expect(await other.codeVersion).not.toBe(await expected.codeVersion);
});

test('a discarded prefetch is not taken: the next run asks git afresh', async () => {
  const file = join(dir, 'valohai.yaml');
  prefetchRunLookups({ repositoryDir: dir, file, projectDir: join(dir, '.mlops') });
  discardPrefetchedRunLookups();
  const lookups = runLookups(optionsFor(file));
  // A prefetched origin is one promise already under way; a fresh one is asked when called.
  expect(lookups.origin()).not.toBe(lookups.origin());
  expect((await lookups.origin()).commit).toBe(head());
});
