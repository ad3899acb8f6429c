import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, utimes, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRegistry } from '../../src/registry/local.js';
import { withLock } from '../../src/registry/lock.js';
import { parseSelector, splitModelReference } from '../../src/registry/model.js';
import { ConfigurationError } from '../../src/util/errors.js';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../..');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-local-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('selectors', () => {
  it.each([
    ['3', { kind: 'version', version: 3 }],
    ['v12', { kind: 'version', version: 12 }],
    ['latest', { kind: 'latest' }],
    ['production', { kind: 'alias', alias: 'production' }],
    ['best:accuracy', { kind: 'best', metric: 'accuracy', goal: 'max' }],
    ['best:loss:min', { kind: 'best', metric: 'loss', goal: 'min' }],
  ])('%s', (text, expected) => {
    expect(parseSelector(text)).toEqual(expected);
  });

  it.each(['0', 'best:', 'best:loss:up', '../x', 'best:a:max:b'])('rejects %s', (text) => {
    expect(() => parseSelector(text)).toThrow(ConfigurationError);
  });

  it('splits NAME@SELECTOR', () => {
    expect(splitModelReference('digits@best:loss:min')).toEqual({ name: 'digits', selector: { kind: 'best', metric: 'loss', goal: 'min' } });
    expect(splitModelReference('staging')).toEqual({ selector: { kind: 'alias', alias: 'staging' } });
    expect(() => splitModelReference('../x@1')).toThrow(ConfigurationError);
  });
});

describe('local registry', () => {
  it('registers versions with increasing numbers, resolves every kind of selector, promotes and rolls back with history', async () => {
    const times = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z', '2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z'];
    let tick = 0;
    const registry = new LocalRegistry(join(dir, '.mlops'), { actor: 'alice', now: () => new Date(times[Math.min(tick++, times.length - 1)] ?? '') });
    const v1 = await registry.register({ name: 'digits', files: [{ path: 'model.json', localPath: await file('a.json', '{"w":1}') }], metrics: { accuracy: 0.9, loss: 0.4 } });
    const v2 = await registry.register({ name: 'digits', files: [{ path: 'model.json', localPath: await file('b.json', '{"w":2}') }], metrics: { accuracy: 0.95, loss: 0.5 } });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await registry.resolve('digits', parseSelector('latest'))).version).toBe(2);
    expect((await registry.resolve('digits', parseSelector('best:accuracy'))).version).toBe(2);
    expect((await registry.resolve('digits', parseSelector('best:loss:min'))).version).toBe(1);
    await expect(registry.resolve('digits', parseSelector('production'))).rejects.toThrow(/no alias 'production'/);
    await expect(registry.resolve('digits', parseSelector('7'))).rejects.toThrow(/no version 7/);

    await registry.promote('digits', 'production', parseSelector('1'), 'first');
    await registry.promote('digits', 'production', parseSelector('best:accuracy'), 'better');
    expect((await registry.resolve('digits', parseSelector('production'))).version).toBe(2);
    const back = await registry.rollback('digits', 'production', 'regression');
    expect(back).toMatchObject({ action: 'rollback', version: 1, from: 2, by: 'alice', reason: 'regression' });
    expect((await registry.resolve('digits', parseSelector('production'))).version).toBe(1);
    await expect(registry.rollback('digits', 'production')).rejects.toThrow(/no earlier version/);

    const history = await registry.history('digits');
    expect(history.map((e) => [e.action, e.from ?? null, e.version, e.reason])).toEqual([
      ['promote', null, 1, 'first'],
      ['promote', 1, 2, 'better'],
      ['rollback', 2, 1, 'regression'],
    ]);
    // Append-only JSONL: one line per event, in order.
    const lines = (await readFile(join(dir, '.mlops/registry/models/digits/history.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);

    const written = await registry.pull(v2, join(dir, 'out'));
    expect(await readFile(written[0] ?? '', 'utf8')).toBe('{"w":2}');
  });

  it('refuses to pull a file whose stored bytes were damaged', async () => {
    const registry = new LocalRegistry(join(dir, '.mlops'), { actor: 'a' });
    const version = await registry.register({ name: 'm', files: [{ path: 'sub/model.bin', localPath: await file('m.bin', 'good') }] });
    const stored = registry.store.pathOf(version.files[0]?.sha256 ?? '');
    await chmod(stored, 0o644);
    await writeFile(stored, 'evil');
    await expect(registry.pull(version, join(dir, 'out'))).rejects.toThrow(/does not match|changed on disk/);
    // Nothing is left where the model would go: the bad bytes never take its place.
    await expect(readFile(join(dir, 'out', 'sub', 'model.bin'))).rejects.toThrow(/ENOENT/);
    expect(await registry.store.has(version.files[0]?.sha256 ?? '')).toBe(false);
  });

  it('rejects paths that leave the destination and bad names', async () => {
    const registry = new LocalRegistry(join(dir, '.mlops'), { actor: 'a' });
    const source = await file('x', 'x');
    await expect(registry.register({ name: 'm', files: [{ path: '../x', localPath: source }] })).rejects.toThrow(ConfigurationError);
    await expect(registry.register({ name: 'm', files: [{ path: '/etc/x', localPath: source }] })).rejects.toThrow(ConfigurationError);
    await expect(registry.register({ name: '../m', files: [{ path: 'x', localPath: source }] })).rejects.toThrow(ConfigurationError);
    await expect(registry.promote('m', 'latest', parseSelector('1'))).rejects.toThrow(ConfigurationError);
  });

  it('keeps version numbers unique and the alias history complete under parallel processes', async () => {
    const projectDir = join(dir, '.mlops');
    const workers = 4;
    const perWorker = 3;
    const results = await Promise.all(
      Array.from({ length: workers }, (_, i) =>
        run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'registry-worker.ts'), projectDir, `w${i}`, String(perWorker)], { cwd: repoRoot }),
      ),
    );
    const numbers = results.flatMap((r) => JSON.parse(r.stdout) as number[]);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: workers * perWorker }, (_, i) => i + 1));
    const registry = new LocalRegistry(projectDir);
    const history = await registry.history('shared');
    expect(history).toHaveLength(workers * perWorker);
    // Every move's `from` is the previous move's target: no alias move was lost or interleaved.
    history.forEach((event, i) => expect(event.from).toBe(i === 0 ? undefined : history[i - 1]?.version));
    expect((await registry.aliases('shared'))['production']?.version).toBe(history.at(-1)?.version);
  }, 60_000);
});

describe('lock file', () => {
  it('breaks a lock left by a process that no longer exists', async () => {
    const lock = join(dir, '.lock');
    const dead = await run(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    await writeFile(lock, JSON.stringify({ pid: Number(dead.stdout), host: (await import('node:os')).hostname(), token: 'old' }));
    const result = await withLock(lock, async () => 'got it', { timeoutMs: 5000 });
    expect(result).toBe('got it');
    await expect(stat(lock)).rejects.toThrow();
  });

  it('breaks a lock older than staleMs, and waits for a live one', async () => {
    const lock = join(dir, '.lock');
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere', token: 'old' }));
    await expect(withLock(lock, async () => 'x', { timeoutMs: 200, staleMs: 60_000 })).rejects.toThrow(/timed out/);
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    expect(await withLock(lock, async () => 'x', { timeoutMs: 5000, staleMs: 60_000 })).toBe('x');
  });
});
