/**
 * CPU profile of the proxy process (this one) under a load of N connections from an autocannon child
 * process, against one version of the serial 10 ms model with R replicas started beforehand. A profiling
 * aid, not part of `npm run bench`:
 * `node --cpu-prof --cpu-prof-dir=DIR --import tsx bench/endpoint-profile.ts [connections [replicas [seconds]]]`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalDeployments } from '../src/deploy/local/manager.js';
import { serialModelSpec } from './endpoint.js';

async function main(): Promise<void> {
  const connections = Number(process.argv[2] ?? 1);
  const replicas = Number(process.argv[3] ?? 1);
  const seconds = Number(process.argv[4] ?? 5);
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-profile-'));
  const manager = new LocalDeployments(join(dir, '.mlops'), { stopGraceMs: 2000 });
  try {
    const deployed = await manager.deploy(await serialModelSpec(dir, 'm', { scaling: { minReplicas: replicas, maxReplicas: replicas, targetConcurrency: 1, maxConcurrency: 64 } }));
    if (!deployed.ok) throw new Error(deployed.message);
    const autocannon = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'autocannon', 'autocannon.js');
    const idleCpu = process.cpuUsage();
    await new Promise((done) => setTimeout(done, 3000));
    const idle = process.cpuUsage(idleCpu);
    process.stdout.write(`idle (no requests, 3 s): proxy process CPU user ${(idle.user / 1000).toFixed(0)} ms system ${(idle.system / 1000).toFixed(0)} ms\n`);
    const cpu = process.cpuUsage();
    const out = await new Promise<string>((done, fail) =>
      execFile(process.execPath, [autocannon, '--json', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', '{"x":1}', `${deployed.endpoint.url}/predict`], { maxBuffer: 1 << 24 }, (e, o) => (e ? fail(e) : done(o))),
    );
    const used = process.cpuUsage(cpu);
    const result = JSON.parse(out) as { latency: { p50: number; p99: number }; requests: { total: number } };
    process.stdout.write(`${connections} connections, ${replicas} replicas: ${result.requests.total} requests, p50 ${result.latency.p50} p99 ${result.latency.p99} ms; proxy CPU user ${(used.user / 1000).toFixed(0)} ms system ${(used.system / 1000).toFixed(0)} ms = ${((used.user + used.system) / 1000 / result.requests.total).toFixed(2)} ms/request\n`);
  } finally {
    await manager.stop().catch(() => undefined);
    await manager.close();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
