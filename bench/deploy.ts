/**
 * The local proxy's added latency: the same small POST sent sequentially over keep-alive, straight to a
 * model server and through the proxy, interleaved in batches so that both see the same machine state.
 * Reports p50/p99 of each and the difference (goal: under 1 ms at p50).
 */
import { Agent, request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VersionPool, DEFAULT_SCALING } from '../src/deploy/local/pool.js';
import { EndpointProxy } from '../src/deploy/local/proxy.js';
import { freePort, serverBaseEnvironment, ServerProcess } from '../src/deploy/local/supervisor.js';

const SERVER = `
import { createServer } from 'node:http';
createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const text = JSON.stringify({ prediction: 7, received: Buffer.concat(chunks).length });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const BODY = JSON.stringify({ pixels: Array.from({ length: 64 }, (_, i) => i % 17) });

function once(agent: Agent, port: number): Promise<number> {
  return new Promise((done, reject) => {
    const started = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/predict', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) } }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? done(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`status ${res.statusCode ?? '?'}`))));
    });
    req.once('error', reject);
    req.end(BODY);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function benchDeploy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-deploy-'));
  const proxy = new EndpointProxy('bench/model');
  let server: ServerProcess | undefined;
  try {
    await writeFile(join(dir, 'server.mjs'), SERVER);
    server = new ServerProcess({ script: 'exec node server.mjs', cwd: dir, versionDir: dir, env: {}, health: { path: null, timeoutMs: 10_000 }, marker: 'bench' }, await freePort());
    await server.start(serverBaseEnvironment());
    await server.waitHealthy();
    const proxyPort = await proxy.listen(0);
    const pool = new VersionPool('v1', DEFAULT_SCALING, () => Promise.reject(new Error('no more replicas in this bench')), { crashed: () => undefined, gaveUp: () => undefined });
    pool.add(server);
    proxy.route({ label: 'v1', pool });
    const direct: number[] = [];
    const proxied: number[] = [];
    const directAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const proxyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    // Warm-up (JIT, sockets), then 20 interleaved batches of 250.
    for (let i = 0; i < 300; i++) {
      await once(directAgent, server.port);
      await once(proxyAgent, proxyPort);
    }
    for (let batch = 0; batch < 20; batch++) {
      for (let i = 0; i < 250; i++) direct.push(await once(directAgent, server.port));
      for (let i = 0; i < 250; i++) proxied.push(await once(proxyAgent, proxyPort));
    }
    directAgent.destroy();
    proxyAgent.destroy();
    direct.sort((a, b) => a - b);
    proxied.sort((a, b) => a - b);
    const row = (p: number): string => {
      const d = percentile(direct, p);
      const x = percentile(proxied, p);
      return `(d) local proxy p${p}: direct ${d.toFixed(3)} ms, proxied ${x.toFixed(3)} ms, added ${(x - d).toFixed(3)} ms (${(x / d).toFixed(2)}×)${p === 50 ? ', goal < 1 ms added' : ''}`;
    };
    return [`(d) local proxy latency, ${direct.length} sequential keep-alive POSTs each way`, row(50), row(99)].join('\n');
  } finally {
    await proxy.close();
    await server?.stop(2000);
    await rm(dir, { recursive: true, force: true });
  }
}

// `node --import tsx bench/deploy.ts` runs it alone.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  benchDeploy().then(
    (text) => process.stdout.write(`${text}\n`),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
