/**
 * The local endpoint under faults and demand (issue 16), loopback only and bounded:
 * - failed requests during a switch to a good version, and during an automatic fallback from a version
 *   that crashes after 30 requests (4 connections in a loop through each);
 * - p50/p99 at 1 and 16 connections (autocannon, 3 s each) with one replica and with autoscaling
 *   (1..16 replicas, target concurrency 1), against a model server that answers one request at a time
 *   in 10 ms, like a single-threaded Python model.
 */
import autocannon from 'autocannon';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDeployments, type LocalDeploySpec } from '../src/deploy/local/manager.js';
import type { ScalingPolicy } from '../src/deploy/local/pool.js';

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

async function measure(url: string, connections: number, seconds: number): Promise<{ p50: number; p99: number; errors: number; requests: number }> {
  const result = await autocannon({ url, method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' }, connections, duration: seconds });
  return { p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx + result.timeouts, requests: result.requests.total };
}

/** `BENCH_START_PARALLELISM=N`: replicas started at once in the scale-up (default: the cores), to compare. */
const startParallelism = process.env['BENCH_START_PARALLELISM'] ? { startParallelism: Number(process.env['BENCH_START_PARALLELISM']) } : {};

export async function benchEndpoint(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-endpoint-'));
  const manager = new LocalDeployments(join(dir, '.mlops'), { stopGraceMs: 2000, restartDelayMs: 50 });
  const lines = ['(f) local endpoint under faults and demand (loopback; model server: one request at a time, 10 ms each)'];
  try {
    await writeFile(join(dir, 'server.mjs'), SERIAL_MODEL_SERVER);
    let models = 0;
    const spec = async (content: Record<string, unknown>, scaling: Partial<ScalingPolicy>, graceMs: number): Promise<LocalDeploySpec> => {
      models += 1;
      const folder = join(dir, 'models', String(models));
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'model.json'), JSON.stringify({ name: `m${models}`, ...content }));
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
        checks: { samples: [{ method: 'POST', path: '/predict', body: '{"x":1}' }], maxLatencyMs: 5000 },
        scaling: { minReplicas: 1, maxReplicas: 1, ...scaling },
        fallback: { graceMs },
        requestLog: { sampleRate: 0 },
      };
    };
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

    const row = (name: string, one: { p50: number; p99: number }, many: { p50: number; p99: number; errors: number }, extra = ''): string =>
      `(f) ${name}: 1 connection p50 ${one.p50} ms p99 ${one.p99} ms; 16 connections p50 ${many.p50} ms p99 ${many.p99} ms (${(many.p99 / Math.max(one.p99, 0.001)).toFixed(1)}× the 1-connection p99, goal ≤ 2× with autoscaling), ${many.errors} errors${extra}`;
    const fixed = await manager.deploy(await spec({}, { minReplicas: 1, maxReplicas: 1, maxConcurrency: 64 }, 0));
    if (!fixed.ok) throw new Error(fixed.message);
    const fixedOne = await measure(url, 1, 3);
    const fixedMany = await measure(url, 16, 3);
    lines.push(row('one replica', fixedOne, fixedMany));
    const scaled = await manager.deploy(await spec({}, { minReplicas: 1, maxReplicas: 16, targetConcurrency: 1, maxConcurrency: 64, scaleDownDelayMs: 60_000, ...startParallelism }, 0));
    if (!scaled.ok) throw new Error(scaled.message);
    const scaledOne = await measure(url, 1, 3);
    // The load step: 16 connections, the first 3 s while replicas are added, then measured.
    const during = await measure(url, 16, 3);
    const scaledMany = await measure(url, 16, 3);
    const replicas = manager.list()[0]?.versions.at(-1)?.replicas?.length ?? 0;
    lines.push(row('autoscaling 1..16', scaledOne, scaledMany, `; ${replicas} replicas after the step (p99 ${during.p99} ms during the first 3 s of it)`));
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
