// Unit tests of the truth helpers: redaction, the step environment, the code version, run ownership.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir, readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { codeVersion } from '../../src/exec/code-version.js';
import { allowListedEnvironment, cleanEnvironment, environmentForKey, forwardedEnvironment } from '../../src/exec/step-env.js';
import { acquireRunLock, readOwner, settledStatus } from '../../src/store/run-owner.js';
import { replayJournal, RunWriter, type RunRecord } from '../../src/store/runs.js';
import { redact, redactDeep, registerEnvironmentSecrets, registerSecret, resetSecretsForTesting } from '../../src/util/redact.js';
import { writeJsonAtomic } from '../../src/util/fs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-truth-unit-'));
  resetSecretsForTesting();
});
afterEach(async () => {
  resetSecretsForTesting();
  await rm(dir, { recursive: true, force: true });
});

describe('redaction', () => {
  test('credential-named variables, registered values and their JSON spelling become ***', async () => {
    registerEnvironmentSecrets({ GITHUB_TOKEN: 'ghs_abcdef123456', 'INPUT_GITHUB-TOKEN': 'ghs_abcdef123456', GIT_AUTHOR_NAME: 'Ada Lovelace', SHORT_TOKEN: 'abc' });
    registerSecret('pa"ss\\word-9');
    expect(redact('token ghs_abcdef123456 by Ada Lovelace abc')).toBe('token *** by Ada Lovelace abc');
    expect(redact(JSON.stringify({ p: 'pa"ss\\word-9' }))).toBe('{"p":"***"}');
    expect(redactDeep({ a: ['x ghs_abcdef123456'], b: 1 })).toEqual({ a: ['x ***'], b: 1 });
    await writeJsonAtomic(join(dir, 'r.json'), { secret: 'ghs_abcdef123456' });
    expect(await readFile(join(dir, 'r.json'), 'utf8')).not.toContain('ghs_abcdef123456');
  });

  test('a multi-line secret is redacted line by line too', () => {
    registerSecret('-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\n-----END KEY-----');
    expect(redact('[stdout] MIIEvQIBADANBgkqhkiG9w0B')).toBe('[stdout] ***');
  });
});

describe('the step environment', () => {
  const runner = { PATH: '/bin', HOME: '/root', LC_ALL: 'C', GITHUB_TOKEN: 'ghs_x123456', ACTIONS_RUNTIME_TOKEN: 'rt_123456', 'INPUT_GITHUB-TOKEN': 'x', AWS_SECRET_ACCESS_KEY: 'aws123456', HF_HOME: '/hf', API_TOKEN: 'tok_123456' };
  test('only the allow-list passes', () => {
    expect(allowListedEnvironment(runner)).toEqual({ PATH: '/bin', HOME: '/root', LC_ALL: 'C' });
  });
  test('forwarded names pass; ACTIONS_* and INPUT_* never', () => {
    expect(cleanEnvironment({ forward: ['HF_HOME', 'API_TOKEN', 'MISSING'], secrets: [] }, runner)).toEqual({ PATH: '/bin', HOME: '/root', LC_ALL: 'C', HF_HOME: '/hf', API_TOKEN: 'tok_123456' });
    expect(() => forwardedEnvironment({ forward: ['ACTIONS_RUNTIME_TOKEN'], secrets: [] }, runner)).toThrow(/never given to a step/);
    expect(() => forwardedEnvironment({ forward: ['INPUT_GITHUB-TOKEN'], secrets: [] }, runner)).toThrow(/never given to a step/);
    // A forwarded credential is redacted from then on, and enters the reuse key by name only.
    expect(redact('tok_123456')).toBe('***');
    expect(environmentForKey({ API_TOKEN: 'tok_123456', SEED: '1' }, undefined)).toEqual({ API_TOKEN: '(secret)', SEED: '1' });
  });
});

describe('the code version', () => {
  const git = (...args: string[]): void => {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    expect(result.status).toBe(0);
  };
  test('git: committed and uncommitted edits change it; untracked files and the pipeline file do not', async () => {
    await writeFile(join(dir, 'train.py'), 'print(1)\n');
    await writeFile(join(dir, 'valohai.yaml'), '- step: {}\n');
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'one');
    const options = { exclude: [join(dir, 'valohai.yaml')] };
    const first = await codeVersion(dir, options);
    expect(first).toMatch(/^git:[0-9a-f]{64}$/);
    await writeFile(join(dir, 'scratch.csv'), 'data');
    await writeFile(join(dir, 'valohai.yaml'), '- step: {name: x}\n');
    expect(await codeVersion(dir, options)).toBe(first);
    await writeFile(join(dir, 'train.py'), 'print(2)\n');
    const edited = await codeVersion(dir, options);
    expect(edited).not.toBe(first);
    git('commit', '-qam', 'two');
    expect(await codeVersion(dir, options)).toBe(edited);
    // The same tree in another clone gives the same value.
    const clone = await mkdtemp(join(tmpdir(), 'mlops-truth-clone-'));
    try {
      expect(spawnSync('git', ['clone', '-q', dir, clone]).status).toBe(0);
      expect(await codeVersion(clone, { exclude: [join(clone, 'valohai.yaml')] })).toBe(edited);
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  });

  test('outside git: source files count, data files and hidden folders do not', async () => {
    await writeFile(join(dir, 'train.py'), 'print(1)\n');
    await mkdir(join(dir, '.mlops'));
    const first = await codeVersion(dir);
    expect(first).toMatch(/^files:/);
    await writeFile(join(dir, 'counter.txt'), 'run\n');
    await writeFile(join(dir, '.mlops', 'x.py'), 'print(0)\n');
    expect(await codeVersion(dir)).toBe(first);
    await writeFile(join(dir, 'train.py'), 'print(2)\n');
    expect(await codeVersion(dir)).not.toBe(first);
  });
});

describe('run records', () => {
  const run: RunRecord = { id: 'r1', pipeline: 'p', file: 'f', status: 'running', createdAt: 'now', parameters: {}, nodes: { a: { state: 'pending', executions: [] } } };

  test('a lock refuses a second owner while the first lives; a finished lock is taken over', async () => {
    const lock = await acquireRunLock(dir, 'r1');
    await expect(acquireRunLock(dir, 'r1')).rejects.toThrow(/is being run by process \d+/);
    await lock.finish('failed', 'disk full');
    expect(settledStatus('running', await readOwner(dir))).toMatchObject({ status: 'failed', reason: 'disk full' });
    await expect(acquireRunLock(dir, 'r1')).resolves.toBeDefined();
  });

  test('a dead owner reads as interrupted', () => {
    expect(settledStatus('running', { pid: 999_999_999, host: 'x', since: 'then' })).toBeUndefined(); // another host: unknown
    expect(settledStatus('running', { pid: 2 ** 22 + 12345, host: hostname(), since: 'then' })?.status).toBe('interrupted');
  });

  test('a torn last journal line is cut before the next append, so no later line is lost', async () => {
    const runs = join(dir, 'runs', 'r1');
    await mkdir(runs, { recursive: true });
    await writeFile(join(runs, 'run.json'), JSON.stringify(run));
    await writeFile(join(runs, 'journal.ndjson'), '{"k":"node","node":"a","record":{"state":"running"},"executions":0}\n{"k":"node","no');
    const writer = new RunWriter(dir, structuredClone(run), { snapshotIntervalMs: 60_000 });
    writer.run.nodes['a'] = { state: 'succeeded', executions: [] };
    await writer.saveNode('a');
    const journal = await readFile(join(runs, 'journal.ndjson'), 'utf8');
    expect(journal.split('\n').filter(Boolean).every((line) => JSON.parse(line) !== undefined)).toBe(true);
    expect(replayJournal(structuredClone(run), journal).nodes['a']?.state).toBe('succeeded');
    await writer.close();
  });
});
