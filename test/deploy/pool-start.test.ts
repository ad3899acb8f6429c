/**
 * How the pool starts replicas (pool.ts, grow), with real server processes: burst capacity replaced while
 * the ready replicas cover the demand starts one replica at a time, in the background; a start at a lower
 * CPU priority gets the normal one back once ready.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_SCALING, VersionPool } from '../../src/deploy/local/pool.js';
import { freePort, ServerProcess, serverBaseEnvironment } from '../../src/deploy/local/supervisor.js';
import { FIXTURE_SERVER, tempDir, until } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverSpec(): Promise<ConstructorParameters<typeof ServerProcess>[0]> {
  const { dir, cleanup } = await tempDir('mlops-pool-start-');
  cleanups.push(cleanup);
  await writeFile(join(dir, 'model.json'), JSON.stringify({ name: 'pool' }));
  return { script: `exec node ${FIXTURE_SERVER}`, cwd: dir, versionDir: dir, env: { MODEL_PATH: join(dir, 'model.json') }, health: { path: '/healthz', timeoutMs: 10_000 }, marker: randomUUID() };
}

/** The nice value of a process (field 19 of /proc/<pid>/stat). */
function niceness(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('replica starts', () => {
  test('replacing burst capacity while the ready replicas cover the demand starts one replica at a time, in the background', async () => {
    const spec = await serverSpec();
    const starts: { background: boolean; concurrent: number }[] = [];
    let starting = 0;
    const pool = new VersionPool(
      'v1',
      { ...DEFAULT_SCALING, minReplicas: 1, maxReplicas: 6, targetConcurrency: 1, spareReplicas: 3 },
      async (background) => {
        starting += 1;
        starts.push({ background, concurrent: starting });
        try {
          const server = new ServerProcess({ ...spec, marker: randomUUID() }, await freePort());
          await server.start(serverBaseEnvironment());
          await server.waitHealthy();
          return server;
        } finally {
          starting -= 1;
        }
      },
      { crashed: () => undefined, gaveUp: () => undefined },
      { maxRestarts: 5, stopGraceMs: 2000 },
    );
    cleanups.push(() => pool.close());
    // Before traffic: min-replicas 1, but the 3 spares, started together (no traffic to protect yet).
    await pool.start();
    expect(pool.replicas.length).toBe(3);
    expect(starts.map((s) => s.background)).toEqual([false, false, false]);
    pool.startAutoscaling();
    // Two requests in flight: the demand (2) is within the 3 ready replicas, and 2 + 3 spares are wanted.
    const held = [pool.acquire(), pool.acquire()];
    await until(() => pool.replicas.length === 5);
    expect(starts.slice(3)).toEqual([
      { background: true, concurrent: 1 },
      { background: true, concurrent: 1 },
    ]);
    for (const replica of held) if (typeof replica === 'object' && !(replica instanceof Promise)) pool.release(replica);
  }, 30_000);

  test.skipIf(process.getuid?.() !== 0)('a server started at a lower priority gets the normal one back (root: the priority can be raised)', async () => {
    const spec = await serverSpec();
    const server = new ServerProcess(spec, await freePort());
    cleanups.push(() => server.stop(2000));
    await server.start(serverBaseEnvironment(), 10);
    await server.waitHealthy();
    const pid = server.pid ?? 0;
    expect(niceness(pid)).toBe(10);
    server.restorePriority();
    expect(niceness(pid)).toBe(0);
  }, 30_000);
});
