// `mlops store verify` and `mlops store gc` on a real project made by real runs.
import { mkdir, open, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { ContentStore } from '../../src/store/content-store.js';
import { collectGarbage, listObjects } from '../../src/store/maintenance.js';
import { makeRepo, mlops, readRunJson, runIdOf, step, type Repo } from '../runner/truth-helpers.js';

let repo: Repo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

test('verify finds and quarantines a flipped byte; gc keeps referenced objects and removes the rest', async () => {
  repo = await makeRepo([
    step('train', ['printf model-bytes > "$VH_OUTPUTS_DIR/model.bin"']),
    { pipeline: { name: 'p', nodes: [{ name: 'train', type: 'execution', step: 'train' }], edges: [] } },
  ]);
  const run = mlops(repo.dir, ['run', '--pipeline', 'p']);
  expect(run.code).toBe(0);
  const sha = (await readRunJson(repo.mlopsDir, runIdOf(run))).nodes['train']?.executions[0]?.outputs[0]?.sha256 ?? '';
  const store = new ContentStore(join(repo.mlopsDir, 'store'));

  // An object nothing refers to, added "two hours ago", and an abandoned temp file.
  await writeFile(join(repo.dir, 'orphan.bin'), 'nobody needs me');
  const orphan = await store.add(join(repo.dir, 'orphan.bin'));
  await mkdir(join(repo.mlopsDir, 'store', 'tmp'), { recursive: true });
  const temp = join(repo.mlopsDir, 'store', 'tmp', '99999-deadbeef');
  await writeFile(temp, 'partial');
  const past = new Date(Date.now() - 3 * 60 * 60 * 1000);
  await utimes(temp, past, past);

  const dry = await collectGarbage(repo.mlopsDir, { dryRun: true, now: Date.now() + 2 * 60 * 60 * 1000 });
  expect(dry.removed.map((r) => r.sha256)).toEqual([orphan.sha256]);
  expect(dry.temps).toEqual([temp]);
  expect(await listObjects(store)).toContain(orphan.sha256);

  const gc = await collectGarbage(repo.mlopsDir, { now: Date.now() + 2 * 60 * 60 * 1000 });
  expect(gc.removed.map((r) => r.sha256)).toEqual([orphan.sha256]);
  expect(await listObjects(store)).toEqual([sha].sort());
  expect(await readdir(join(repo.mlopsDir, 'store', 'tmp'))).toEqual([]);

  // The CLI: a fresh object is kept (grace period), the verify is clean.
  const cleanGc = mlops(repo.dir, ['store', 'gc']);
  expect(cleanGc.code).toBe(0);
  expect(cleanGc.stdout).toMatch(/removed 0 of 1 stored files/);
  expect(mlops(repo.dir, ['store', 'verify']).code).toBe(0);

  const handle = await open(store.pathOf(sha), 'r+');
  await handle.write('X', 3);
  await handle.close();
  const verify = mlops(repo.dir, ['store', 'verify']);
  expect(verify.code).toBe(1);
  expect(verify.stdout).toContain(`CORRUPT ${sha}`);
  expect(await store.has(sha)).toBe(false);
  const quarantined = await readdir(join(repo.mlopsDir, 'store', 'quarantine'));
  expect(await readFile(join(repo.mlopsDir, 'store', 'quarantine', quarantined[0] ?? ''), 'utf8')).toBe('modXl-bytes');
}, 120_000);
