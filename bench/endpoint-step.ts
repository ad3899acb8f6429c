/**
 * Where the latency of a load step goes (issue 16's 1 → 16 connection row), as a timeline: per 250 ms of
 * the step, the replicas running, ready and starting, whether the autoscaler panics, requests queued in the proxy, and the latency p50/p99/max of
 * the requests sent in that slice. Not part of `npm run bench`: a profiling aid,
 * `node --import tsx bench/endpoint-step.ts [spare-replicas [start-parallelism]]` (`BENCH_MAX_CONCURRENCY`: the
 * replicas' max-concurrency, default 64; `BENCH_MAX_REPLICAS`: max-replicas, default 16).
 */
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDeployments } from '../src/deploy/local/manager.js';
import type { VersionPool } from '../src/deploy/local/pool.js';
import { serialModelSpec } from './endpoint.js';

function post(agent: Agent, port: number): Promise<void> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': 7 } }, (res) => {
      res.resume();
      res.once('end', () => done());
    });
    req.once('error', fail);
    req.end('{"x":1}');
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function main(): Promise<void> {
  const spares = Number(process.argv[2] ?? 0);
  const parallel = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-step-'));
  const manager = new LocalDeployments(join(dir, '.mlops'), { stopGraceMs: 2000 });
  try {
    const deployed = await manager.deploy(await serialModelSpec(dir, 'm', { scaling: { minReplicas: 1, maxReplicas: Number(process.env['BENCH_MAX_REPLICAS'] ?? 16), targetConcurrency: 1, maxConcurrency: Number(process.env['BENCH_MAX_CONCURRENCY'] ?? 64), scaleDownDelayMs: 60_000, ...(spares > 0 ? { spareReplicas: spares } : {}), ...(parallel ? { startParallelism: parallel } : {}) } }));
    if (!deployed.ok) throw new Error(deployed.message);
    const port = deployed.endpoint.proxyPort;
    const pool = (manager as unknown as { live: Map<string, { pools: Map<number, VersionPool> }> }).live.get('bench/model')?.pools.get(1);
    if (!pool) throw new Error('no pool');
    const samples: { at: number; replicas: number; ready: number; starting: number; panic: boolean; queued: number }[] = [];
    const sampler = setInterval(() => samples.push({ at: performance.now(), replicas: pool.replicas.length, ready: pool.ready, starting: pool.startingReplicas, panic: pool.panicking, queued: pool.queued }), 10);
    const done: { at: number; ms: number }[] = [];
    let running = true;
    const client = async (agent: Agent): Promise<void> => {
      while (running) {
        const at = performance.now();
        await post(agent, port);
        done.push({ at, ms: performance.now() - at });
      }
    };
    const agents: Agent[] = [];
    const open = (n: number): Promise<void>[] => Array.from({ length: n }, () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(agent);
      return client(agent);
    });
    const clients = open(1);
    await new Promise((r) => setTimeout(r, 3000));
    const one = done.map((d) => d.ms).sort((a, b) => a - b);
    const step = performance.now();
    clients.push(...open(15));
    await new Promise((r) => setTimeout(r, 6000));
    running = false;
    await Promise.all(clients);
    clearInterval(sampler);
    for (const agent of agents) agent.destroy();
    process.stdout.write(`1 connection: ${one.length} requests, p50 ${percentile(one, 50).toFixed(1)} p99 ${percentile(one, 99).toFixed(1)} ms; spares ${spares}, start parallelism ${parallel ?? 'default'}\n`);
    process.stdout.write('slice(ms)  replicas ready starting panic queued  requests  p50    p99    max\n');
    for (let from = 0; from < 6000; from += 250) {
      const inSlice = done.filter((d) => d.at - step >= from && d.at - step < from + 250).map((d) => d.ms).sort((a, b) => a - b);
      const last = samples.filter((s) => s.at - step < from + 250).at(-1);
      process.stdout.write(`${String(from).padStart(5)}  ${String(last?.replicas ?? 0).padStart(8)} ${String(last?.ready ?? 0).padStart(5)} ${String(last?.starting ?? 0).padStart(8)} ${(last?.panic ? 'yes' : 'no').padStart(5)} ${String(Math.max(...samples.filter((s) => s.at - step >= from && s.at - step < from + 250).map((s) => s.queued), 0)).padStart(6)}  ${String(inSlice.length).padStart(8)}  ${percentile(inSlice, 50).toFixed(0).padStart(5)} ${percentile(inSlice, 99).toFixed(0).padStart(6)} ${(inSlice.at(-1) ?? NaN).toFixed(0).padStart(6)}\n`);
    }
    const after = done.filter((d) => d.at >= step).map((d) => d.ms).sort((a, b) => a - b);
    process.stdout.write(`whole step (6 s): ${after.length} requests, p50 ${percentile(after, 50).toFixed(1)} p99 ${percentile(after, 99).toFixed(1)} ms (${(percentile(after, 99) / percentile(one, 99)).toFixed(1)}×)\n`);
  } finally {
    await manager.stop().catch(() => undefined);
    await manager.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
