import autocannon from 'autocannon';
import { afterEach, describe, expect, test } from 'vitest';
import { LocalDeployments, readState, type LocalDeploySpec } from '../../src/deploy/local/manager.js';
import type { ModelVersion } from '../../src/deploy/model.js';
import { fixtureDeploySpec, getText, modelFolder, tempDir, until } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function spec(version: ModelVersion, cwd: string): LocalDeploySpec {
  // These tests are about the switch itself; the grace period has its own tests (resilience.test.ts).
  return fixtureDeploySpec(version, cwd, { health: { timeoutMs: 3000 } });
}

async function setup(): Promise<{ dir: string; manager: LocalDeployments }> {
  const { dir, cleanup } = await tempDir('mlops-deploy-local-');
  const manager = new LocalDeployments(`${dir}/.mlops`, { stopGraceMs: 2000 });
  cleanups.push(cleanup, () => manager.close());
  return { dir, manager };
}

describe('local target', () => {
  test('switching versions three times under load loses no request; the unhealthy version never serves', async () => {
    const { dir, manager } = await setup();
    const v1 = await modelFolder(dir, 'one', {});
    const first = await manager.deploy(spec(v1, dir));
    expect(first.ok).toBe(true);
    const url = first.endpoint.url;
    expect(JSON.parse((await getText(`${url}/predict`, { method: 'POST', body: '{}' })).text)).toMatchObject({ model: 'one' });

    const load = autocannon({
      url: `${url}/predict`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels: [1, 2, 3] }),
      connections: 8,
      duration: 8,
    });
    const switches: { ok: boolean; message: string; serving?: number }[] = [];
    const switching = (async () => {
      for (const [name, content] of [['two', {}], ['broken', { healthy: false }], ['four', {}]] as const) {
        const version = await modelFolder(dir, name, content);
        const result = await manager.deploy(spec(version, dir));
        switches.push({ ok: result.ok, message: result.message, ...(result.serving !== undefined ? { serving: result.serving } : {}) });
      }
    })();
    const [result] = await Promise.all([load, switching]);

    expect(switches.map((s) => s.ok)).toEqual([true, false, true]);
    expect(switches[1]?.message).toMatch(/v3 failed its checks, v2 keeps serving/);
    expect(switches[1]?.serving).toBe(2);
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.requests.total).toBeGreaterThan(0);

    expect(JSON.parse((await getText(`${url}/predict`, { method: 'POST', body: '{}' })).text)).toMatchObject({ model: 'four' });
    const metrics = (await getText(`${url}/metrics`)).text;
    const served = (version: string): number => Number(new RegExp(`mlops_proxy_requests_total\\{endpoint="demo/echo",version="${version}",code="200"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    // v4 answered more than the one request sent after the load: it took over while the load ran.
    expect([served('v1'), served('v2'), served('v4') > 1]).toEqual([expect.any(Number), expect.any(Number), true]);
    // Every answered request went through a serving version (the proxy may also count requests still in flight when the load stopped).
    expect(served('v1') + served('v2') + served('v4')).toBeGreaterThanOrEqual(result.requests.total + 2);
    expect(metrics).not.toMatch(/version="v3"/);

    const state = await readState(`${dir}/.mlops`);
    const endpoint = state.endpoints[0];
    expect(endpoint?.active).toBe(4);
    expect(endpoint?.versions.map((v) => v.status)).toEqual(['stopped', 'stopped', 'failed', 'serving']);
    // Old processes are gone: only v4 has replicas.
    expect(endpoint?.versions.filter((v) => v.replicas !== undefined).map((v) => v.number)).toEqual([4]);
  }, 30_000);

  test('a first version that fails its health check leaves nothing serving and says why', async () => {
    const { dir, manager } = await setup();
    const broken = await modelFolder(dir, 'broken', { healthy: false });
    const result = await manager.deploy({ ...spec(broken, dir), health: { timeoutMs: 5000 } });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/v1 failed its checks, nothing is serving: health check \/healthz .* \(status 500\)/);
    expect((await getText(`${result.endpoint.url}/predict`)).status).toBe(503);
  }, 15_000);

  test('a server that exits is reported with its log; rollback returns to the previous version', async () => {
    const { dir, manager } = await setup();
    const one = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir));
    const crash = await manager.deploy({ ...spec(await modelFolder(dir, 'crash', {}), dir), script: 'echo cannot load the model >&2; exit 3' });
    expect(crash.ok).toBe(false);
    expect(crash.message).toMatch(/server exited \(code 3\)[\s\S]*cannot load the model/);
    const two = await manager.deploy(spec(await modelFolder(dir, 'two', {}), dir));
    expect(two.version.number).toBe(3);
    // Rollback skips v2, which failed.
    const back = await manager.rollback('demo', 'echo');
    expect(back.ok).toBe(true);
    expect(back.version.number).toBe(1);
    expect(JSON.parse((await getText(`${one.endpoint.url}/x`, { method: 'POST' })).text)).toMatchObject({ model: 'one' });
    await expect(manager.rollback('demo', 'echo')).rejects.toThrow(/no earlier version that has not failed/);
  }, 20_000);

  test('a restarted daemon brings back what was serving, on the same port', async () => {
    const { dir } = await setup();
    const before = new LocalDeployments(`${dir}/.mlops`, { stopGraceMs: 2000 });
    const first = await before.deploy(spec(await modelFolder(dir, 'one', {}), dir));
    expect(first.ok).toBe(true);
    const url = first.endpoint.url;
    // The daemon goes away: its processes stop, state.json still says v1 serves.
    await before.close();
    await expect(fetch(`${url}/predict`, { method: 'POST' })).rejects.toThrow();
    const restarted = new LocalDeployments(`${dir}/.mlops`, { stopGraceMs: 2000 });
    cleanups.push(() => restarted.close());
    await restarted.restore();
    expect(restarted.list()[0]).toMatchObject({ active: 1, url });
    expect(JSON.parse((await getText(`${url}/predict`, { method: 'POST', body: '{}' })).text)).toMatchObject({ model: 'one' });
  }, 15_000);

  test('the supervisor restarts a serving version whose server crashed', async () => {
    const { dir, manager } = await setup();
    const first = await manager.deploy(spec(await modelFolder(dir, 'fragile', { exitOn: '/crash' }), dir));
    const pid = first.version.replicas?.[0]?.pid;
    expect(pid).toEqual(expect.any(Number));
    // The request that crashed it was taken and never answered: it may be what crashed it, so it is not resent (502).
    expect((await getText(`${first.endpoint.url}/crash`)).status).toBe(502);
    let answer = { status: 0, text: '' };
    for (let i = 0; i < 100 && answer.status !== 200; i++) {
      answer = await getText(`${first.endpoint.url}/predict`, { method: 'POST', body: '{}' }).catch(() => ({ status: 0, text: '' }));
      if (answer.status !== 200) await new Promise((done) => setTimeout(done, 100));
    }
    expect(JSON.parse(answer.text)).toMatchObject({ model: 'fragile' });
    const version = manager.list()[0]?.versions[0];
    expect(version).toMatchObject({ number: 1, status: 'serving' });
    expect(version?.restarts).toBeGreaterThanOrEqual(1);
    expect(version?.replicas?.[0]?.pid).not.toBe(pid);
  }, 20_000);

  test('the crash count resets after a healthy period', async () => {
    const { dir } = await setup();
    const manager = new LocalDeployments(`${dir}/.mlops`, { stopGraceMs: 2000, restartDelayMs: 20, healthyResetMs: 4000 });
    cleanups.push(() => manager.close());
    const first = await manager.deploy(spec(await modelFolder(dir, 'fragile', { exitOn: '/crash' }), dir));
    const crashAndWait = async (): Promise<number> => {
      const before = manager.list()[0]?.versions[0]?.replicas?.[0]?.pid;
      await getText(`${first.endpoint.url}/crash`).catch(() => undefined);
      await until(() => {
        const now = manager.list()[0]?.versions[0]?.replicas?.[0]?.pid;
        return now !== undefined && now !== before;
      });
      return manager.list()[0]?.versions[0]?.restarts ?? 0;
    };
    // Back to back: the count grows.
    const quick = [await crashAndWait(), await crashAndWait()];
    expect(quick[1]).toBeGreaterThan(quick[0] ?? 0);
    // After a healthy period longer than healthyResetMs, the next crash starts the count again.
    const started = Date.now();
    await until(() => Date.now() - started > 4500);
    const after = await crashAndWait();
    expect(after).toBeLessThanOrEqual(2);
    expect(after).toBeLessThan(quick[1] ?? 0);
  }, 30_000);

  test('metrics are in Prometheus text format and /metrics is not forwarded', async () => {
    const { dir, manager } = await setup();
    const result = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir));
    for (let i = 0; i < 3; i++) await getText(`${result.endpoint.url}/predict`, { method: 'POST', body: 'x' });
    const response = await fetch(`${result.endpoint.url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const lines = text.trimEnd().split('\n');
    // Every line is a HELP/TYPE comment or `name{labels} number`.
    for (const line of lines) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+\{[^}]*\} [0-9.e+-]+)$/);
    expect(text).toContain('mlops_proxy_requests_total{endpoint="demo/echo",version="v1",code="200"} 3');
    expect(text).toContain('# TYPE mlops_proxy_request_duration_seconds histogram');
    expect(text).toContain('mlops_proxy_request_duration_seconds_bucket{endpoint="demo/echo",version="v1",le="+Inf"} 3');
    expect(text).toContain('mlops_proxy_request_duration_seconds_count{endpoint="demo/echo",version="v1"} 3');
    expect(text).toContain('mlops_proxy_replicas{endpoint="demo/echo",version="v1"} 1');
    expect(text).toContain('mlops_proxy_in_flight{endpoint="demo/echo",version="v1"} 0');
    expect(text).toContain('mlops_proxy_queue{endpoint="demo/echo",version="v1"} 0');
    const buckets = lines.filter((l) => l.startsWith('mlops_proxy_request_duration_seconds_bucket')).map((l) => Number(l.split(' ')[1]));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  }, 15_000);
});
