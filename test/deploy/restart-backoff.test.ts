/**
 * A crashed replica whose restart fails while other replicas still serve: the pool keeps restoring
 * min-replicas with a capped exponential back-off (every failure logged, counted in /metrics, and shown by
 * `mlops endpoints`), until a start works. Real model server processes on loopback; the model server
 * fails its starts while a marker file says so.
 */
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { LocalDeployments, type LocalDeploySpec } from '../../src/deploy/local/manager.js';
import type { ModelVersion } from '../../src/deploy/model.js';
import { fixtureDeploySpec, getText, loadLoop, modelFolder, tempDir, until } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function spec(version: ModelVersion, cwd: string, extra: Partial<LocalDeploySpec> = {}): LocalDeploySpec {
  return fixtureDeploySpec(version, cwd, {
    checks: { samples: [{ method: 'POST', path: '/predict', body: '{}' }], maxLatencyMs: 5000, warmupRequests: 1 },
    scaling: { minReplicas: 2, maxReplicas: 2 },
    ...extra,
  });
}

async function setup(): Promise<{ dir: string; manager: LocalDeployments; lines: string[]; times: number[] }> {
  const { dir, cleanup } = await tempDir('mlops-deploy-backoff-');
  const lines: string[] = [];
  const times: number[] = [];
  const log = (line: string): void => {
    lines.push(line);
    times.push(performance.now());
  };
  const manager = new LocalDeployments(join(dir, '.mlops'), { stopGraceMs: 2000, restartDelayMs: 20, backoffMs: 200, maxBackoffMs: 800, log });
  cleanups.push(cleanup, () => manager.close());
  return { dir, manager, lines, times };
}

/** Each failed start came at least the announced back-off after the one before: no attempt is early (a lower bound only). */
function expectBackedOff(lines: string[], times: number[], pattern: RegExp): void {
  const failed = lines.flatMap((line, i) => {
    const match = pattern.exec(line);
    return match ? [{ at: times[i] ?? 0, delayMs: Number(match[1]) * 1000 }] : [];
  });
  expect(failed.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < failed.length; i++) expect((failed[i]?.at ?? 0) - (failed[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual((failed[i - 1]?.delayMs ?? 0) - 5);
}

/** A replica crashing: its process group killed (a request to /crash through the proxy may reach more than one). */
function crashOne(pid: number | undefined): void {
  expect(pid).toEqual(expect.any(Number));
  process.kill(-(pid ?? 0), 'SIGKILL');
}

const FAILED_START = /^demo\/echo v(\d+): starting a replica failed \((\d+) in a row, (\d+) of min 2 replicas running\); next attempt in ([\d.]+) s: (.*)$/;

describe('restoring min-replicas after failed restarts', () => {
  test('a restart that fails while another replica serves is retried with a capped back-off until the pool is back at min-replicas', async () => {
    const { dir, manager, lines, times } = await setup();
    const marker = join(dir, 'cannot-load');
    const first = await manager.deploy(spec(await modelFolder(dir, 'flaky', { failStartsFile: marker }), dir));
    expect(first.ok).toBe(true);
    expect(first.version.replicas).toHaveLength(2);
    const url = first.endpoint.url;
    // From now on the model cannot load: every start fails until the marker is gone.
    await writeFile(marker, 'broken');
    const loop = loadLoop(`${url}/predict`, '{}', 2);
    await loop.after(10);
    crashOne(first.version.replicas?.[0]?.pid);
    await until(() => lines.filter((l) => FAILED_START.test(l)).length >= 5);

    const version = manager.list()[0]?.versions[0];
    expect(version?.status).toBe('serving');
    expect(version?.replicas).toHaveLength(1);
    expect(version?.degraded).toMatchObject({ replicas: 1, minReplicas: 2 });
    expect(version?.degraded?.failures).toBeGreaterThanOrEqual(5);
    expect(version?.degraded?.lastFailure).toBeDefined();

    // Every failed attempt is a log line with the reason; the announced back-off doubles up to its cap.
    const failures = lines.map((l) => FAILED_START.exec(l)).filter((m) => m !== null);
    expect(failures.slice(0, 5).map((m) => [m[1], m[2], m[3], m[4]])).toEqual([
      ['1', '1', '1', '0.2'],
      ['1', '2', '1', '0.4'],
      ['1', '3', '1', '0.8'],
      ['1', '4', '1', '0.8'],
      ['1', '5', '1', '0.8'],
    ]);
    expectBackedOff(lines, times, /v1: starting a replica failed .*next attempt in ([\d.]+) s/);
    expect(failures[0]?.[5]).toMatch(/server exited \(code 5\) before it was healthy/);
    expect(version?.degraded?.lastFailure).toBe(failures.at(-1)?.[5]);

    const metrics = (await getText(`${url}/metrics`)).text;
    const counted = /mlops_proxy_replica_start_failures_total\{endpoint="demo\/echo",version="v1"\} (\d+)/.exec(metrics);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(5);
    expect(metrics).toMatch(/mlops_proxy_degraded\{endpoint="demo\/echo",version="v1"\} 1\n/);

    // `mlops endpoints` (here from state.json: no daemon) says the version is degraded, and why.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'endpoints', '--project-dir', join(dir, '.mlops')], { cwd: ROOT });
    expect(stdout).toMatch(/v1 {2}serving .* 1 replica/);
    expect(stdout).toMatch(/degraded: 1 of min 2 replicas running, \d+ failed starts, last: server exited \(code 5\) before it was healthy/);

    // The model loads again: the pool comes back to min-replicas by itself, and nothing was lost meanwhile.
    await rm(marker);
    await until(() => manager.list()[0]?.versions[0]?.replicas?.length === 2);
    const outcome = await loop.stop();
    expect(outcome.failed).toBe(0);
    expect(manager.list()[0]?.versions[0]?.degraded).toBeUndefined();
    expect((await getText(`${url}/metrics`)).text).toMatch(/mlops_proxy_degraded\{endpoint="demo\/echo",version="v1"\} 0\n/);
  }, 60_000);

  test('a model that fails N later starts and then loads: the pool gets back to min-replicas by itself', async () => {
    const { dir, manager, lines } = await setup();
    const marker = join(dir, 'fail-count');
    const first = await manager.deploy(spec(await modelFolder(dir, 'flaky', { failStartsFile: marker }), dir));
    expect(first.ok).toBe(true);
    await writeFile(marker, '3');
    crashOne(first.version.replicas?.[0]?.pid);
    await until(() => manager.list()[0]?.versions[0]?.replicas?.length === 1);
    await until(() => manager.list()[0]?.versions[0]?.replicas?.length === 2);
    expect(lines.filter((l) => FAILED_START.test(l))).toHaveLength(3);
    expect(manager.list()[0]?.versions[0]).toMatchObject({ status: 'serving' });
    expect(manager.list()[0]?.versions[0]?.degraded).toBeUndefined();
  }, 60_000);

  test('a scale-up whose starts fail waits out the back-off before the autoscaler starts another', async () => {
    const { dir, manager, lines, times } = await setup();
    const marker = join(dir, 'cannot-load');
    const scaling = { minReplicas: 1, maxReplicas: 3, targetConcurrency: 1, startParallelism: 1, stableWindowMs: 2000, panicWindowMs: 1000 };
    const first = await manager.deploy(spec(await modelFolder(dir, 'slow', { delayMs: 50, failStartsFile: marker }), dir, { scaling }));
    expect(first.ok).toBe(true);
    await writeFile(marker, 'broken');
    // Four clients back to back want four replicas at a target concurrency of 1; every start fails.
    const loop = loadLoop(`${first.endpoint.url}/predict`, '{}', 4);
    await until(() => lines.filter((l) => / failed \(4 in a row/.test(l)).length > 0);
    const outcome = await loop.stop();
    expect(outcome.failed).toBe(0);
    const announced = lines.map((l) => / failed \((\d+) in a row, 1 of min 1 replica running\); next attempt in ([\d.]+) s/.exec(l)?.slice(1, 3));
    expect(announced.slice(0, 4)).toEqual([['1', '0.2'], ['2', '0.4'], ['3', '0.8'], ['4', '0.8']]);
    expectBackedOff(lines, times, /v1: starting a replica failed .*next attempt in ([\d.]+) s/);
    // One replica serves all along: not below min-replicas, so not degraded.
    expect(manager.list()[0]?.versions[0]?.degraded).toBeUndefined();
  }, 60_000);

  test('a version marked failed by the automatic fallback is never restarted', async () => {
    const { dir, manager, lines } = await setup();
    const marker = join(dir, 'cannot-load');
    await manager.deploy(spec(await modelFolder(dir, 'good', {}), dir, { scaling: { minReplicas: 1, maxReplicas: 1 } }));
    const second = await manager.deploy(spec(await modelFolder(dir, 'flaky', { failStartsFile: marker }), dir, { fallback: { graceMs: 120_000, maxCrashes: 2 } }));
    expect(second.ok).toBe(true);
    await writeFile(marker, 'broken');
    // The crash and the failed restart that follows are two crashes within the grace period: v2 falls back.
    crashOne(second.version.replicas?.[0]?.pid);
    await until(() => manager.list()[0]?.versions[1]?.status === 'failed');
    expect(manager.list()[0]).toMatchObject({ active: 1 });
    const attempts = lines.filter((l) => FAILED_START.exec(l)?.[1] === '2').length;
    // The model could load again now; several back-off periods later v2 still has no replica and made no attempt.
    await rm(marker);
    const waited = Date.now();
    await until(() => Date.now() - waited > 3000);
    expect(lines.filter((l) => FAILED_START.exec(l)?.[1] === '2')).toHaveLength(attempts);
    expect(manager.list()[0]?.versions[1]?.replicas ?? []).toHaveLength(0);
    expect(manager.list()[0]?.versions[1]?.status).toBe('failed');
    expect(JSON.parse((await getText(`${second.endpoint.url}/predict`, { method: 'POST', body: '{}' })).text)).toMatchObject({ model: 'good' });
  }, 60_000);
});
