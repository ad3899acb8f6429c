/**
 * The local endpoint under faults and demand (issue 16), loopback only and bounded:
 * - failed requests during a switch to a good version, and during an automatic fallback from a version
 *   that crashes after 30 requests (4 connections in a loop through each);
 * - p50/p99 at 1 and 16 connections against a model server that answers one request at a time in 10 ms
 *   (a sleep, like a single-threaded Python model waiting on I/O or a GPU: latency-bound, so more
 *   processes help; a CPU-bound model could not scale past the cores): one replica; autoscaling 1..16
 *   (target concurrency 1) in the first seconds of the 1 → 16 step (the scale-up transient) and in steady
 *   state after it; 16 replicas started beforehand (the floor: every replica the step needs is there),
 *   without and with the warm-up of new replicas; and burst capacity (15 spare replicas): the step lands on
 *   ready replicas while the autoscaler replaces the spares it used (max-replicas 24), or without growth (16).
 *
 * The load generator (autocannon) runs in its own process, as a client would, so that it and the proxy
 * (this process) can use both cores; each part records the 1-minute load average and the proxy's CPU time
 * per request.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalDeployments, type LocalDeploySpec } from '../src/deploy/local/manager.js';
import type { ScalingPolicy, VersionPool } from '../src/deploy/local/pool.js';

/** A model server that answers one request at a time in 10 ms, like a single-threaded Python model. */
export const SERIAL_MODEL_SERVER = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const model = JSON.parse(readFileSync(process.env.MODEL_PATH, 'utf8'));
let answered = 0;
let queue = Promise.resolve();
createServer((req, res) => {
  if (req.url === '/healthz') { res.writeHead(200); res.end('ok'); return; }
  req.resume();
  req.on('end', () => {
    if (model.crashAfter !== undefined && answered >= model.crashAfter) process.exit(4);
    queue = queue.then(() => new Promise((done) => setTimeout(() => {
      answered += 1;
      const text = JSON.stringify({ prediction: 7, model: model.name });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      done();
    }, 10)));
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

async function loop(url: string, work: () => Promise<void>): Promise<{ total: number; failed: number }> {
  let running = true;
  let total = 0;
  let failed = 0;
  const client = async (): Promise<void> => {
    while (running) {
      try {
        const response = await fetch(url, { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } });
        await response.arrayBuffer();
        total += 1;
        if (response.status >= 300) failed += 1;
      } catch {
        total += 1;
        failed += 1;
      }
    }
  };
  const clients = Array.from({ length: 4 }, () => client());
  await new Promise((done) => setTimeout(done, 300));
  await work();
  await new Promise((done) => setTimeout(done, 300));
  running = false;
  await Promise.all(clients);
  return { total, failed };
}

interface Measured {
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  /** 1-minute load average when the part began. */
  load: number;
  /** The proxy's (this process's) CPU time per request, in ms. */
  proxyCpuMs: number;
}

const AUTOCANNON = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'autocannon', 'autocannon.js');

/** autocannon in a child process (`--json`): the proxy in this process keeps its own event loop. */
async function measure(url: string, connections: number, seconds: number): Promise<Measured> {
  const load = loadavg()[0] ?? 0;
  const cpu = process.cpuUsage();
  const args = [AUTOCANNON, '--json', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', '{"x":1}', url];
  const stdout = await new Promise<string>((done, fail) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, out) => (error ? fail(error) : done(out)));
  });
  const used = process.cpuUsage(cpu);
  const result = JSON.parse(stdout) as { latency: { p50: number; p99: number }; errors: number; non2xx: number; timeouts: number; requests: { total: number } };
  const requests = result.requests.total;
  return { p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx + result.timeouts, requests, load, proxyCpuMs: (used.user + used.system) / 1000 / Math.max(1, requests) };
}

/** `BENCH_START_PARALLELISM=N`: replicas started at once in the scale-up (default: the cores), to compare. */
const startParallelism = process.env['BENCH_START_PARALLELISM'] ? { startParallelism: Number(process.env['BENCH_START_PARALLELISM']) } : {};

/**
 * A version of the serial model: server.mjs in `dir`, the model file in `dir/models/<name>` (its content,
 * so its version id, from `content`), smoke-tested with one POST before it serves; no request log.
 */
export async function serialModelSpec(dir: string, name: string, options: { content?: Record<string, unknown>; scaling: Partial<ScalingPolicy>; graceMs?: number; warmupRequests?: number }): Promise<LocalDeploySpec> {
  await writeFile(join(dir, 'server.mjs'), SERIAL_MODEL_SERVER);
  const folder = join(dir, 'models', name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'model.json'), JSON.stringify({ name, ...options.content }));
  const { hashFile } = await import('../src/store/content-store.js');
  const hashed = await hashFile(join(folder, 'model.json'));
  return {
    deployment: 'bench',
    endpoint: 'model',
    modelVersion: hashed.sha256.slice(0, 12),
    source: { kind: 'folder', path: folder },
    files: [{ name: 'model', path: 'model.json', sha256: hashed.sha256, size: hashed.size, location: join(folder, 'model.json') }],
    script: 'exec node server.mjs',
    cwd: dir,
    health: { timeoutMs: 15_000 },
    checks: { samples: [{ method: 'POST', path: '/predict', body: '{"x":1}' }], maxLatencyMs: 5000, ...(options.warmupRequests !== undefined ? { warmupRequests: options.warmupRequests } : {}) },
    scaling: { minReplicas: 1, maxReplicas: 1, ...options.scaling },
    fallback: { graceMs: options.graceMs ?? 0 },
    requestLog: { sampleRate: 0 },
  };
}

export async function benchEndpoint(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-endpoint-'));
  const manager = new LocalDeployments(join(dir, '.mlops'), { stopGraceMs: 2000, restartDelayMs: 50 });
  const lines = ['(f) local endpoint under faults and demand (loopback; model server: one request at a time, 10 ms each)'];
  try {
    let models = 0;
    const spec = (content: Record<string, unknown>, scaling: Partial<ScalingPolicy>, graceMs: number, warmupRequests?: number): Promise<LocalDeploySpec> =>
      serialModelSpec(dir, `m${++models}`, { content, scaling, graceMs, ...(warmupRequests !== undefined ? { warmupRequests } : {}) });
    const first = await manager.deploy(await spec({}, {}, 0));
    if (!first.ok) throw new Error(first.message);
    const url = `${first.endpoint.url}/predict`;
    const switched = await loop(url, async () => {
      const result = await manager.deploy(await spec({}, {}, 60_000));
      if (!result.ok) throw new Error(result.message);
    });
    lines.push(`(f) switch to a good version: ${switched.failed} of ${switched.total} requests failed (goal 0)`);
    const fellBack = await loop(url, async () => {
      const result = await manager.deploy(await spec({ crashAfter: 30 }, {}, 60_000));
      if (!result.ok) throw new Error(result.message);
      while (manager.list()[0]?.versions.at(-1)?.status !== 'failed') await new Promise((done) => setTimeout(done, 50));
    });
    lines.push(`(f) automatic fallback from a version crashing after 30 requests: ${fellBack.failed} of ${fellBack.total} requests failed (goal 0)`);

    const fmt = (m: Measured): string => `p50 ${m.p50} ms p99 ${m.p99} ms (${m.requests} requests, ${m.errors} errors, load ${m.load.toFixed(1)}, proxy CPU ${m.proxyCpuMs.toFixed(2)} ms/request)`;
    const ratio = (many: Measured, one: Measured): string => `${(many.p99 / Math.max(one.p99, 0.001)).toFixed(1)}×`;
    const replicaCount = (): number => manager.list()[0]?.versions.at(-1)?.replicas?.length ?? 0;
    const base = { maxConcurrency: 64, scaleDownDelayMs: 120_000, ...startParallelism };

    const fixed = await manager.deploy(await spec({}, { minReplicas: 1, maxReplicas: 1, maxConcurrency: 64 }, 0));
    if (!fixed.ok) throw new Error(fixed.message);
    const fixedOne = await measure(url, 1, 5);
    const fixedMany = await measure(url, 16, 5);
    lines.push(`(f) one replica: 1 connection ${fmt(fixedOne)}; 16 connections ${fmt(fixedMany)}: p99 ${ratio(fixedMany, fixedOne)}`);

    const scaled = await manager.deploy(await spec({}, { minReplicas: 1, maxReplicas: 16, targetConcurrency: 1, ...base }, 0));
    if (!scaled.ok) throw new Error(scaled.message);
    const scaledOne = await measure(url, 1, 5);
    // The load step: 16 connections right after the single one (the autocannon process starts in between).
    const transient = await measure(url, 16, 3);
    const afterTransient = replicaCount();
    // Settle under the same load until no replica is starting any more (at most 10 rounds of 2 s), then steady state.
    const pool = (manager as unknown as { live: Map<string, { pools: Map<number, VersionPool> }> }).live.get('bench/model')?.pools.get(scaled.version.number);
    if (!pool) throw new Error('bench: no pool for the autoscaled version');
    for (let round = 0; round < 10 && (round === 0 || pool.startingReplicas > 0); round++) await measure(url, 16, 2);
    const steady = await measure(url, 16, 5);
    lines.push(
      `(f) autoscaling 1..16 (target 1): 1 connection ${fmt(scaledOne)}; 16 connections, first 3 s of the step ${fmt(transient)}: p99 ${ratio(transient, scaledOne)} (${afterTransient} replicas after it); ` +
        `steady state (6 s after the step, ${replicaCount()} replicas) ${fmt(steady)}: p99 ${ratio(steady, scaledOne)} (goal ≤ 2×)`,
    );

    // The floor, its 16 replicas given only the smoke request (warm-up off), then warmed (the default).
    for (const warmup of [0, undefined]) {
      const floor = await manager.deploy(await spec({}, { minReplicas: 16, maxReplicas: 16, targetConcurrency: 1, ...base }, 0, warmup));
      if (!floor.ok) throw new Error(floor.message);
      const floorOne = await measure(url, 1, 5);
      const floorMany = await measure(url, 16, 5);
      const how = warmup === 0 ? 'warm-up off' : `warm-up ${floor.version.checks.warmupRequests ?? ''} requests each`;
      lines.push(`(f) 16 replicas started beforehand (the floor), ${how}: 1 connection ${fmt(floorOne)}; 16 connections ${fmt(floorMany)}: p99 ${ratio(floorMany, floorOne)}`);
    }

    // Burst capacity: 15 ready replicas beyond the demand (Knative's target-burst-capacity, held as replicas),
    // so the step lands on 16 ready replicas. max-replicas 24 lets the autoscaler replace the spares the
    // step used (the replicas grow during the step); 16 is the same without growth, to see what growing costs.
    for (const maxReplicas of [24, 16]) {
      const burst = await manager.deploy(await spec({}, { minReplicas: 1, maxReplicas, targetConcurrency: 1, spareReplicas: 15, ...base }, 0));
      if (!burst.ok) throw new Error(burst.message);
      const burstOne = await measure(url, 1, 5);
      const beforeStep = replicaCount();
      const burstStep = await measure(url, 16, 3);
      const afterStep = replicaCount();
      const burstPool = (manager as unknown as { live: Map<string, { pools: Map<number, VersionPool> }> }).live.get('bench/model')?.pools.get(burst.version.number);
      for (let round = 0; round < 10 && (round === 0 || (burstPool?.startingReplicas ?? 0) > 0); round++) await measure(url, 16, 2);
      const burstSteady = await measure(url, 16, 5);
      lines.push(
        `(f) burst capacity (spare-replicas 15, max-replicas ${maxReplicas}, target 1): 1 connection ${fmt(burstOne)} (${beforeStep} replicas); 16 connections, first 3 s of the step ${fmt(burstStep)}: p99 ${ratio(burstStep, burstOne)} (${afterStep} replicas after it); ` +
          `steady state (${replicaCount()} replicas) ${fmt(burstSteady)}: p99 ${ratio(burstSteady, burstOne)} (goal ≤ 2×)`,
      );
    }
    return lines.join('\n');
  } finally {
    await manager.stop().catch(() => undefined);
    await manager.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// `node --import tsx bench/endpoint.ts` runs it alone.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  benchEndpoint().then(
    (text) => process.stdout.write(`${text}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
