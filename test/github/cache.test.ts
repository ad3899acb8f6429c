import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cacheKeyFor, MAX_CACHE_KEY_LENGTH, restoreReused, saveReused } from '../../src/adapters/cache.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';

let server: ArtifactServer;
let scratch: string;
const originalCwd = process.cwd();
const savedEnv = new Map<string, string | undefined>();

function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
}

/**
 * A fresh job: its own workspace and temp folder. Like a runner, the job's working directory is the
 * workspace: the cache client resolves paths against it and archives them relative to GITHUB_WORKSPACE.
 */
async function enterJob(): Promise<string> {
  const jobDir = await mkdtemp(join(scratch, 'job-'));
  const workspace = join(jobDir, 'workspace');
  await mkdir(workspace);
  await mkdir(join(jobDir, 'temp'));
  setEnv({ ...server.envFor({}), GITHUB_WORKSPACE: workspace, RUNNER_TEMP: join(jobDir, 'temp') });
  process.chdir(workspace);
  return workspace;
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-cache-test-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(() => {
  process.chdir(originalCwd);
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  savedEnv.clear();
});

describe('cacheKeyFor', () => {
  it('keeps an acceptable key readable and only prefixes it', () => {
    expect(cacheKeyFor('sha256:0123abcd')).toBe('mlops-reuse-sha256:0123abcd');
  });

  it.each([
    ['too long', 'k'.repeat(600)],
    ['just over the limit with the prefix', 'k'.repeat(MAX_CACHE_KEY_LENGTH - 5)],
    ['commas', 'train,lr=0.1,bs=32'],
    ['newline', 'train\nlr'],
    ['looks hashed', `x-h${'a'.repeat(64)}`],
  ])('hashes a key with %s into an acceptable one', (_label, key) => {
    const sanitized = cacheKeyFor(key);
    expect(sanitized.length).toBeLessThanOrEqual(MAX_CACHE_KEY_LENGTH);
    expect(sanitized).not.toMatch(/[,\n\r]/);
    expect(sanitized).toMatch(/^mlops-reuse-.*-h[0-9a-f]{64}$/);
    expect(cacheKeyFor(key)).toBe(sanitized);
  });

  it('keeps keys that clean up alike apart', () => {
    const keys = ['a,b', 'a_b', 'a\nb', `a_b-h${'0'.repeat(64)}`, 'x'.repeat(600), `${'x'.repeat(600)}y`];
    expect(new Set(keys.map(cacheKeyFor)).size).toBe(keys.length);
  });

  it('rejects an empty key', () => {
    expect(() => cacheKeyFor('  ')).toThrow(ConfigurationError);
  });
});

describe('reuse through the real @actions/cache client', () => {
  it('misses, saves, then restores the outputs in a fresh job', async () => {
    const reuseKey = `digits/train,lr=0.1/${'f'.repeat(600)}`;
    const producer = await enterJob();
    await mkdir(join(producer, 'outputs/model'), { recursive: true });
    await writeFile(join(producer, 'outputs/model/weights.bin'), 'weights');
    await writeFile(join(producer, 'manifest.json'), '{"node":"train"}');
    const paths = ['outputs', 'manifest.json'];

    expect(await restoreReused(reuseKey, paths)).toBe(false);
    expect(await saveReused(reuseKey, paths)).toBe(true);
    expect(server.cacheKeys()).toEqual([cacheKeyFor(reuseKey)]);

    const consumer = await enterJob();
    // The same paths in another order describe the same cache entry.
    expect(await restoreReused(reuseKey, ['manifest.json', 'outputs'])).toBe(true);
    expect(await readFile(join(consumer, 'outputs/model/weights.bin'), 'utf8')).toBe('weights');
    expect(await readFile(join(consumer, 'manifest.json'), 'utf8')).toBe('{"node":"train"}');
  });

  it('does not fail when the key already exists', async () => {
    const workspace = await enterJob();
    await writeFile(join(workspace, 'out.txt'), 'one');
    expect(await saveReused('evaluate-key', ['out.txt'])).toBe(true);

    await writeFile(join(workspace, 'out.txt'), 'two');
    expect(await saveReused('evaluate-key', ['out.txt'])).toBe(false);
    expect(server.cacheKeys().filter((key) => key === cacheKeyFor('evaluate-key'))).toHaveLength(1);

    // The first saved content is what a later job gets.
    const consumer = await enterJob();
    expect(await restoreReused('evaluate-key', ['out.txt'])).toBe(true);
    expect(await readFile(join(consumer, 'out.txt'), 'utf8')).toBe('one');
  });

  it('does not restore a different key or a different path list', async () => {
    const workspace = await enterJob();
    await writeFile(join(workspace, 'a.txt'), 'a');
    expect(await saveReused('prefix-key', ['a.txt'])).toBe(true);
    await enterJob();
    // A key that only shares a prefix is not an exact hit.
    expect(await restoreReused('prefix-key-2', ['a.txt'])).toBe(false);
    expect(await restoreReused('prefix-key', ['a.txt', 'b.txt'])).toBe(false);
  });

  it('treats a missing cache service as a miss, not an error', async () => {
    const workspace = await enterJob();
    setEnv({ ACTIONS_RESULTS_URL: '', ACTIONS_CACHE_URL: '' });
    await writeFile(join(workspace, 'a.txt'), 'a');
    expect(await saveReused('no-service', ['a.txt'])).toBe(false);
    expect(await restoreReused('no-service', ['a.txt'])).toBe(false);
  });
});
