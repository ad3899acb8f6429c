/**
 * Warm-up (warmup.ts) with real processes on loopback: the fixture server's first requests are "cold"
 * (its answer says so, like a model loaded lazily), or fail. Every replica the pool starts (the first
 * ones, a scale-up, a restart after a crash) is sent the sample requests before it takes traffic, so no
 * client ever gets a cold answer; a replica whose warm-up fails is never given traffic.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { LocalDeployments, type LocalDeploySpec } from '../../src/deploy/local/manager.js';
import type { ModelVersion } from '../../src/deploy/model.js';
import { fixtureDeploySpec, getText, modelFolder, tempDir, until } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function spec(version: ModelVersion, cwd: string, scaling: LocalDeploySpec['scaling'], warmupRequests?: number): LocalDeploySpec {
  return fixtureDeploySpec(version, cwd, {
    health: { timeoutMs: 5000 },
    checks: { samples: [{ method: 'POST', path: '/predict', body: '{"x":1}' }], maxLatencyMs: 5000, ...(warmupRequests !== undefined ? { warmupRequests } : {}) },
    scaling,
    requestLog: { sampleRate: 0 },
  });
}

async function setup(): Promise<{ dir: string; manager: LocalDeployments }> {
  const { dir, cleanup } = await tempDir('mlops-deploy-warmup-');
  const manager = new LocalDeployments(`${dir}/.mlops`, { stopGraceMs: 2000, restartDelayMs: 20 });
  cleanups.push(cleanup, () => manager.close());
  return { dir, manager };
}

/** `connections` clients POSTing until stopped, counting failed and cold answers. */
function clients(url: string, connections: number): { stop(): Promise<{ total: number; failed: number; cold: number }> } {
  let running = true;
  const seen = { total: 0, failed: 0, cold: 0 };
  const loop = async (): Promise<void> => {
    while (running) {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });
        const text = await response.text();
        seen.total += 1;
        if (response.status !== 200) seen.failed += 1;
        else if ((JSON.parse(text) as { cold?: boolean }).cold) seen.cold += 1;
      } catch {
        seen.total += 1;
        seen.failed += 1;
      }
    }
  };
  const loops = Array.from({ length: connections }, () => loop());
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return seen;
    },
  };
}

function metric(text: string, name: string): number {
  return Number(new RegExp(`^${name}\\{endpoint="demo/echo",version="v1"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

describe('warm-up of new replicas', () => {
  test('replicas started beforehand and by a scale-up answer no client while cold', async () => {
    const { dir, manager } = await setup();
    const model = await modelFolder(dir, 'lazy', { coldRequests: 3, coldMs: 30 });
    const deployed = await manager.deploy(spec(model, dir, { minReplicas: 2, maxReplicas: 4, targetConcurrency: 1, maxConcurrency: 4 }, 3));
    expect(deployed.ok, deployed.message).toBe(true);
    expect(deployed.message).toMatch(/each replica warmed up with 3 sample request\(s\)/);
    const url = deployed.endpoint.url;
    const load = clients(`${url}/predict`, 4);
    // Four connections at a target of one in flight per replica: the autoscaler starts two more.
    await until(async () => metric((await getText(`${url}/metrics`)).text, 'mlops_proxy_replicas') === 4);
    const seen = await load.stop();
    expect(seen.total).toBeGreaterThan(0);
    expect(seen).toMatchObject({ failed: 0, cold: 0 });
    const metrics = (await getText(`${url}/metrics`)).text;
    expect([metric(metrics, 'mlops_proxy_warmup_replicas_total'), metric(metrics, 'mlops_proxy_warmup_requests_total'), metric(metrics, 'mlops_proxy_warmup_failures_total')]).toEqual([4, 12, 0]);
    expect(metric(metrics, 'mlops_proxy_warmup_seconds_total')).toBeGreaterThan(0);
  }, 30_000);

  test('burst capacity (spare replicas) is started and warmed before the version takes traffic', async () => {
    const { dir, manager } = await setup();
    const model = await modelFolder(dir, 'lazy', { coldRequests: 2 });
    const deployed = await manager.deploy(spec(model, dir, { minReplicas: 1, maxReplicas: 6, targetConcurrency: 1, spareReplicas: 3 }, 2));
    expect(deployed.ok, deployed.message).toBe(true);
    // Idle: min-replicas is 1, but the three spares are held (and warmed) already, without panic.
    const metrics = (await getText(`${deployed.endpoint.url}/metrics`)).text;
    expect([metric(metrics, 'mlops_proxy_replicas'), metric(metrics, 'mlops_proxy_warmup_replicas_total'), metric(metrics, 'mlops_proxy_panic_mode')]).toEqual([3, 3, 0]);
    const answer = JSON.parse((await getText(`${deployed.endpoint.url}/predict`, { method: 'POST', body: '{}' })).text) as { cold?: boolean };
    expect(answer.cold).toBeUndefined();
  }, 30_000);

  test('without warm-up (warmup-requests 0) clients get the cold answers', async () => {
    const { dir, manager } = await setup();
    const model = await modelFolder(dir, 'lazy', { coldRequests: 3 });
    const deployed = await manager.deploy(spec(model, dir, { minReplicas: 2, maxReplicas: 2 }, 0));
    expect(deployed.ok, deployed.message).toBe(true);
    let cold = 0;
    for (let i = 0; i < 8; i++) {
      const answer = await getText(`${deployed.endpoint.url}/predict`, { method: 'POST', body: '{}' });
      if ((JSON.parse(answer.text) as { cold?: boolean }).cold) cold += 1;
    }
    // The smoke test took one cold request from each replica; the other two of each went to clients.
    expect(cold).toBe(4);
    expect(metric((await getText(`${deployed.endpoint.url}/metrics`)).text, 'mlops_proxy_warmup_requests_total')).toBe(0);
  }, 30_000);

  test('a version whose warm-up fails is refused before any traffic', async () => {
    const { dir, manager } = await setup();
    const failFile = join(dir, 'not-loaded');
    await writeFile(failFile, '');
    const model = await modelFolder(dir, 'unloadable', { coldRequests: 3, coldFailFile: failFile });
    const result = await manager.deploy(spec(model, dir, { minReplicas: 1, maxReplicas: 1 }, 3));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/v1 failed its checks, nothing is serving: warm-up request 1 of 3 \(POST \/predict\) on port \d+ answered 503: \{"error":"model not loaded yet"\}/);
    expect((await getText(`${result.endpoint.url}/predict`, { method: 'POST', body: '{}' })).status).toBe(503);
  }, 30_000);

  test('a replica restarted after a crash whose warm-up fails is a failed restart and never gets traffic', async () => {
    const { dir, manager } = await setup();
    const failFile = join(dir, 'not-loaded');
    const model = await modelFolder(dir, 'flaky', { coldRequests: 3, coldFailFile: failFile, exitOn: '/crash' });
    const deployed = await manager.deploy(spec(model, dir, { minReplicas: 2, maxReplicas: 2 }, 3));
    expect(deployed.ok, deployed.message).toBe(true);
    const url = deployed.endpoint.url;
    const load = clients(`${url}/predict`, 2);
    // From now on a starting server cannot load its model: its first three requests answer 503.
    await writeFile(failFile, '');
    const port = manager.list()[0]?.versions[0]?.replicas?.[0]?.port;
    await fetch(`http://127.0.0.1:${String(port)}/crash`).catch(() => undefined);
    // The failed restart is reported once the server that failed its warm-up was stopped (and retried after a back-off, restart-backoff.test.ts).
    await until(() => manager.list()[0]?.versions[0]?.degraded?.lastFailure !== undefined);
    const seen = await load.stop();
    expect(seen).toMatchObject({ failed: 0, cold: 0 });
    const metrics = (await getText(`${url}/metrics`)).text;
    expect(metric(metrics, 'mlops_proxy_warmup_failures_total')).toBeGreaterThanOrEqual(1);
    expect(metric(metrics, 'mlops_proxy_replica_start_failures_total')).toBeGreaterThanOrEqual(1);
    const version = manager.list()[0]?.versions[0];
    expect(version?.degraded?.lastFailure).toMatch(/^warm-up request 1 of 3 \(POST \/predict\) on port \d+ answered 503/);
    expect(version?.status).toBe('serving');
    expect(version?.replicas?.map((r) => r.port)).not.toContain(port);
  }, 30_000);
});
