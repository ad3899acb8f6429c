/**
 * Issue 16's acceptance scenarios, with real model server processes on loopback: a bounded load loop
 * runs through each scenario and counts the requests that did not get a 2xx.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { detectDrift } from '../../src/monitor/drift.js';
import { profileFile } from '../../src/monitor/profile.js';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { LocalDeployments, type LocalDeploySpec } from '../../src/deploy/local/manager.js';
import type { ModelVersion } from '../../src/deploy/model.js';
import { FIXTURE_SERVER, fixtureDeploySpec, getText, loadLoop, modelFolder, processes, tempDir, until } from './helpers.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function spec(version: ModelVersion, cwd: string, extra: Partial<LocalDeploySpec> = {}): LocalDeploySpec {
  return fixtureDeploySpec(version, cwd, {
    checks: { samples: [{ method: 'POST', path: '/predict', body: '{"pixels":[1,2,3]}' }], maxLatencyMs: 5000 },
    ...extra,
  });
}

async function setup(): Promise<{ dir: string; manager: LocalDeployments }> {
  const { dir, cleanup } = await tempDir('mlops-deploy-resilience-');
  const manager = new LocalDeployments(join(dir, '.mlops'), { stopGraceMs: 2000, restartDelayMs: 50 });
  cleanups.push(cleanup, () => manager.close());
  return { dir, manager };
}

/** Dead, or a zombie nobody reaped yet (in a container, PID 1 may never reap an orphan). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function modelOf(text: string): unknown {
  return (JSON.parse(text) as { model?: unknown }).model;
}

describe('no traffic before proof', () => {
  test('a version whose health path answers 404 and whose /predict answers 500 is refused, with 0 failed requests', async () => {
    const { dir, manager } = await setup();
    const first = await manager.deploy(spec(await modelFolder(dir, 'good', {}), dir));
    expect(first.ok).toBe(true);
    const loop = loadLoop(`${first.endpoint.url}/predict`);
    await loop.after(20);
    const notFound = await manager.deploy(spec(await modelFolder(dir, 'no-health', { healthStatus: 404, predictStatus: 500 }), dir));
    const badPredict = await manager.deploy(spec(await modelFolder(dir, 'bad-predict', { predictStatus: 500 }), dir));
    await loop.after(20);
    const outcome = await loop.stop();
    expect(notFound.ok).toBe(false);
    expect(notFound.message).toMatch(/v2 failed its checks, v1 keeps serving: health check \/healthz .*status 404: the server has no such route/);
    expect(badPredict.ok).toBe(false);
    // The warm-up (the sample requests, before the smoke test) is the first to meet the 500s.
    expect(badPredict.message).toMatch(/v3 failed its checks, v1 keeps serving: warm-up request 1 of 5 \(POST \/predict\) on port \d+ answered 500/);
    expect(outcome.failed).toBe(0);
    expect(outcome.total).toBeGreaterThan(0);
    const endpoint = manager.list()[0];
    expect(endpoint?.versions.map((v) => v.status)).toEqual(['serving', 'failed', 'failed']);
    expect(endpoint?.versions[1]?.reason).toMatch(/^refused before any traffic: health check/);
    // `health-path: none` accepts the same server on its open port; the sample request then still proves it.
    const portOnly = await manager.deploy(spec(await modelFolder(dir, 'port-only', { healthStatus: 404 }), dir, { health: { path: null, timeoutMs: 10_000 } }));
    expect(portOnly.ok).toBe(true);
  }, 60_000);

  test('the load test runs against the candidate before the switch: a slow candidate is refused and never served', async () => {
    const { dir, manager } = await setup();
    const first = await manager.deploy(spec(await modelFolder(dir, 'fast', {}), dir));
    const loop = loadLoop(`${first.endpoint.url}/predict`);
    const slow = await manager.deploy(
      spec(await modelFolder(dir, 'slow', { delayMs: 50 }), dir, {
        checks: {
          samples: [{ method: 'POST', path: '/predict', body: '{}' }],
          maxLatencyMs: 5000,
          loadTest: { seconds: 1, path: '/predict', payloads: ['{}'], connections: 2, maxP99Ms: 5, maxErrorRate: 0 },
        },
      }),
    );
    const outcome = await loop.stop();
    expect(slow.ok).toBe(false);
    expect(slow.message).toMatch(/load test on the candidate: .* FAILED: p99 latency [\d.]+ ms is above the 5 ms limit/);
    expect(outcome.failed).toBe(0);
    const metrics = (await getText(`${first.endpoint.url}/metrics`)).text;
    expect(metrics).not.toMatch(/requests_total\{[^}]*version="v2"/);
  }, 60_000);
});

describe('automatic fallback', () => {
  test('a version that crashes after N requests falls back by itself; rollback skips it', async () => {
    const { dir, manager } = await setup();
    await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir));
    const two = await manager.deploy(spec(await modelFolder(dir, 'two', {}), dir));
    const loop = loadLoop(`${two.endpoint.url}/predict`);
    await loop.after(20);
    const crashing = await manager.deploy(spec(await modelFolder(dir, 'crashing', { crashAfter: 30 }), dir, { fallback: { graceMs: 120_000 } }));
    expect(crashing.ok).toBe(true);
    expect(crashing.message).toMatch(/v2 stays warm for 120 s as the automatic fallback/);
    await until(() => manager.list()[0]?.versions[2]?.status === 'failed');
    await loop.after(50);
    const outcome = await loop.stop();
    const endpoint = manager.list()[0];
    expect(endpoint?.active).toBe(2);
    expect(endpoint?.versions[2]?.reason).toMatch(/^automatic fallback to v2: (crash loop: 2 crashes within the grace period|\d+ of \d+ requests failed)/);
    // Requests the crashing server took and never answered were resent to v2.
    expect(outcome.failed).toBe(0);
    expect(modelOf((await getText(`${two.endpoint.url}/predict`, { method: 'POST', body: '{}' })).text)).toBe('two');
    const back = await manager.rollback('demo', 'echo');
    expect(back.version.number).toBe(1);
    await expect(manager.rollback('demo', 'echo')).rejects.toThrow(/no earlier version that has not failed/);
  }, 60_000);

  test('a 5xx rate over the limit within the grace period falls back; a rollback by hand during the grace period is instant', async () => {
    const { dir, manager } = await setup();
    const one = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir));
    // Its sample request (a GET of /healthz here) passes, but live predictions answer 500.
    const flaky = await manager.deploy(
      spec(await modelFolder(dir, 'flaky', { predictStatus: 500 }), dir, {
        checks: { samples: [{ method: 'GET', path: '/healthz' }], maxLatencyMs: 5000 },
        fallback: { graceMs: 120_000, minRequests: 10, maxErrorRate: 0.1 },
      }),
    );
    expect(flaky.ok).toBe(true);
    const statuses: number[] = [];
    while (manager.list()[0]?.versions[1]?.status !== 'failed') statuses.push((await getText(`${one.endpoint.url}/predict`, { method: 'POST', body: '{}' })).status);
    // Answered 500s are passed on (never resent); the switch back came after the policy's 10 requests.
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThanOrEqual(10);
    expect(manager.list()[0]?.versions[1]?.reason).toMatch(/^automatic fallback to v1: \d+ of \d+ requests failed \(100\.0% > 10\.0%\)/);
    expect(modelOf((await getText(`${one.endpoint.url}/predict`, { method: 'POST', body: '{}' })).text)).toBe('one');
    const three = await manager.deploy(spec(await modelFolder(dir, 'three', {}), dir, { fallback: { graceMs: 120_000 } }));
    expect(three.ok).toBe(true);
    const back = await manager.rollback('demo', 'echo');
    expect(back.message).toMatch(/v1 .* serving again .*still warm/);
    expect(manager.list()[0]?.versions.map((v) => v.status)).toEqual(['serving', 'failed', 'stopped']);
  }, 60_000);
});

describe('processes that cannot leak', () => {
  test('a hung model gets 504 within the response timeout', async () => {
    const { dir, manager } = await setup();
    const hung = await manager.deploy(spec(await modelFolder(dir, 'hung', { hang: true }), dir, { checks: { samples: [], maxLatencyMs: 1000 }, timeouts: { responseMs: 300 } }));
    expect(hung.ok).toBe(true);
    const answer = await getText(`${hung.endpoint.url}/predict`, { method: 'POST', body: '{}' });
    expect(answer.status).toBe(504);
    expect(answer.text).toContain('v1 did not answer within 300 ms');
  }, 30_000);

  test('model servers start from the clean environment: no runner token reaches them', async () => {
    const { dir, manager } = await setup();
    const saved = process.env['GITHUB_TOKEN'];
    process.env['GITHUB_TOKEN'] = 'ghs_endpointtest0123456789abcdef';
    try {
      const result = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir, { script: `printenv > "$MLOPS_MODEL_DIR/env.txt"; exec node ${FIXTURE_SERVER}` }));
      expect(result.ok).toBe(true);
      const env = await readFile(join(result.version.dir, 'env.txt'), 'utf8');
      expect(env).toContain('MLOPS_ENDPOINT_REPLICA=');
      expect(env).not.toContain('ghs_endpointtest');
    } finally {
      if (saved === undefined) delete process.env['GITHUB_TOKEN'];
      else process.env['GITHUB_TOKEN'] = saved;
    }
  }, 30_000);

  test('killing the model server or its wrapper shell recovers; stop ends every process', async () => {
    const { dir, manager } = await setup();
    // No `exec`: the shell stays as the wrapper, the server is its child.
    const wrapped = `node ${FIXTURE_SERVER}`;
    const first = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir, { script: wrapped, scaling: { minReplicas: 2, maxReplicas: 2 } }));
    const figures: Record<string, { total: number; failed: number }> = {};
    for (const victim of ['server', 'wrapper'] as const) {
      const before = manager.list()[0]?.versions[0]?.replicas ?? [];
      const shell = before[0]?.pid ?? 0;
      const server = processes().find((p) => p.ppid === shell)?.pid ?? 0;
      expect(server).toBeGreaterThan(0);
      const loop = loadLoop(`${first.endpoint.url}/predict`);
      await loop.after(20);
      process.kill(victim === 'server' ? server : shell, 'SIGKILL');
      await until(() => {
        const now = manager.list()[0]?.versions[0]?.replicas ?? [];
        return now.length === 2 && !now.some((r) => r.pid === shell);
      });
      await loop.after(20);
      figures[victim] = await loop.stop();
      // The killed replica's whole group is gone: no orphan server keeps its port.
      expect(gone(server)).toBe(true);
    }
    process.stdout.write(`kill figures: ${JSON.stringify(figures)}\n`);
    expect(figures["server"]?.failed).toBe(0);
    expect(figures['wrapper']?.failed).toBe(0);
    process.stdout.write(`kill figures: ${JSON.stringify(figures)}\n`);
    const pids = (manager.list()[0]?.versions[0]?.replicas ?? []).map((r) => r.pid);
    await manager.stop();
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(gone(pid)).toBe(true);
  }, 60_000);
});

describe('autoscaling and bounded queueing', () => {
  test('replicas grow under concurrent demand; /metrics shows replicas, in-flight and queue', async () => {
    const { dir, manager } = await setup();
    const first = await manager.deploy(
      spec(await modelFolder(dir, 'serial', { serial: true, delayMs: 20 }), dir, { scaling: { minReplicas: 1, maxReplicas: 3, targetConcurrency: 1, maxConcurrency: 4, scaleDownDelayMs: 1000 } }),
    );
    const loop = loadLoop(`${first.endpoint.url}/predict`, '{}', 6);
    await until(async () => /mlops_proxy_replicas\{endpoint="demo\/echo",version="v1"\} 3/.test((await getText(`${first.endpoint.url}/metrics`)).text));
    const outcome = await loop.stop();
    expect(outcome.failed).toBe(0);
    // A quiet period later it scales back down.
    await until(async () => /mlops_proxy_replicas\{endpoint="demo\/echo",version="v1"\} [12]\n/.test((await getText(`${first.endpoint.url}/metrics`)).text));
  }, 90_000);

  test('when every replica is busy and the queue is full, the proxy answers 503 with Retry-After', async () => {
    const { dir, manager } = await setup();
    const first = await manager.deploy(
      spec(await modelFolder(dir, 'serial', { serial: true, delayMs: 200 }), dir, { scaling: { minReplicas: 1, maxReplicas: 1, maxConcurrency: 1, queueLimit: 1 } }),
    );
    const answers = await Promise.all(Array.from({ length: 6 }, () => fetch(`${first.endpoint.url}/predict`, { method: 'POST', body: '{}' })));
    const rejected = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]?.headers.get('retry-after')).toBe('1');
    expect(await rejected[0]?.json()).toMatchObject({ error: expect.stringMatching(/endpoint saturated: v1: every replica busy and 1 requests queued/) });
    expect((await getText(`${first.endpoint.url}/metrics`)).text).toMatch(/mlops_proxy_rejected_total\{endpoint="demo\/echo"\} [1-9]/);
  }, 30_000);
});

describe('request log', () => {
  test('sampled requests land as flat JSON Lines, instances one per line, secrets and large bodies left out', async () => {
    const { dir, manager } = await setup();
    const first = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir, { requestLog: { maxBodyBytes: 2000 } }));
    const post = (body: unknown): Promise<unknown> => getText(`${first.endpoint.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer hunter2' }, body: JSON.stringify(body) });
    await post({ instances: [{ x: 1, y: 'a' }, { x: 2, y: 'b' }] });
    await post({ x: 3, y: 'c', api_key: 'hunter2', nested: { z: 4 } });
    await post({ x: 5, big: 'q'.repeat(5000) });
    await manager.stop();
    const folder = join(dir, '.mlops', 'deployments', 'demo', 'echo', 'requests');
    const files = await readdir(folder);
    expect(files.every((f) => f.endsWith('.jsonl'))).toBe(true);
    const text = (await Promise.all(files.map((f) => readFile(join(folder, f), 'utf8')))).join('');
    expect(text).not.toContain('hunter2');
    const rows = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map(({ _time, ...rest }) => ({ ...rest, time: typeof _time }))).toEqual([
      { _version: 'v1', _status: 200, x: 1, y: 'a', prediction: 0, 'prediction.confidence': 0.9, time: 'string' },
      { _version: 'v1', _status: 200, x: 2, y: 'b', prediction: 1, 'prediction.confidence': 0.9, time: 'string' },
      { _version: 'v1', _status: 200, x: 3, y: 'c', 'nested.z': 4, prediction: 7, 'prediction.model': 'one', 'prediction.received': expect.any(Number), time: 'string' },
    ]);
  }, 30_000);

  test('the request log feeds the drift check: live traffic like the reference passes, shifted traffic drifts', async () => {
    const { dir, manager } = await setup();
    const reference = join(dir, 'reference.jsonl');
    await writeFile(reference, Array.from({ length: 300 }, (_, i) => JSON.stringify({ x: (i % 50) / 10, y: ['a', 'b', 'c'][i % 3] })).join('\n'));
    const profile = await profileFile(reference);
    const first = await manager.deploy(spec(await modelFolder(dir, 'one', {}), dir));
    const send = async (shift: number): Promise<void> => {
      for (let batch = 0; batch < 10; batch++) {
        const instances = Array.from({ length: 30 }, (_, i) => ({ x: ((batch * 30 + i) % 50) / 10 + shift, y: ['a', 'b', 'c'][i % 3] }));
        await getText(`${first.endpoint.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances }) });
      }
    };
    const folder = join(dir, '.mlops', 'deployments', 'demo', 'echo', 'requests');
    await send(0);
    await manager.stop();
    const [steady] = await readdir(folder);
    const same = await detectDrift(profile, join(folder, steady ?? ''));
    expect(same.current.rows).toBe(300);
    expect(same.dataset.drifted).toBe(false);
    const again = await manager.deploy(spec(await modelFolder(dir, 'two', {}), dir));
    expect(again.ok).toBe(true);
    await send(10);
    await manager.stop();
    const shifted = (await readdir(folder)).find((name) => name !== steady);
    const drifted = await detectDrift(profile, join(folder, shifted ?? ''));
    expect(drifted.columns.find((c) => c.column === 'x')?.drifted).toBe(true);
  }, 60_000);
});
