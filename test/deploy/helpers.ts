import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../src/pipeline/model.js';
import { modelVersionFromFolder, serverScript, type DeployRequest, type ModelVersion } from '../../src/deploy/model.js';
import type { LocalDeploySpec } from '../../src/deploy/local/manager.js';

export const FIXTURE_SERVER = resolve(dirname(fileURLToPath(import.meta.url)), 'fixture-server.mjs');

export function fixtureEndpoint(name = 'echo'): Endpoint {
  return {
    name,
    image: 'node:20-slim',
    serverCommand: [`exec node ${FIXTURE_SERVER}`],
    port: 8000,
    files: [{ name: 'model', path: 'model.json' }],
    extra: {},
    position: { file: 'valohai.yaml', line: 1, col: 1 },
  };
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A model folder holding `model.json` = `content`, as a ModelVersion of `endpoint`. */
export async function modelFolder(root: string, name: string, content: Record<string, unknown>, endpoint = fixtureEndpoint()): Promise<ModelVersion> {
  const folder = join(root, 'models', name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'model.json'), JSON.stringify({ name, ...content }));
  return modelVersionFromFolder(folder, endpoint);
}

export async function getText(url: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

/** A Kubernetes-ready request for the digits endpoint, model version `modelVersion`. */
export function sampleRequest(modelVersion = 'abc123def456', strategy: DeployRequest['strategy'] = 'rolling'): DeployRequest {
  return {
    deployment: 'digits',
    endpoint: { ...fixtureEndpoint('predict-digit'), image: 'node:20-slim', serverCommand: ['node examples/digits/serve.mjs'] },
    version: {
      id: modelVersion,
      endpoint: 'predict-digit',
      files: [{ name: 'model', path: 'model.json', sha256: 'a'.repeat(64), size: 10, location: '/nowhere' }],
      source: { kind: 'run', runId: '20261125T100000000Z-abcdef', node: 'deploy', pipeline: 'train-and-deploy' },
      commit: '0123456789abcdef0123456789abcdef01234567',
    },
    target: { kind: 'kubernetes', options: {} },
    strategy,
  };
}

export interface LoadLoop {
  /** Stops sending and resolves to what happened. */
  stop(): Promise<{ total: number; failed: number; statuses: Record<string, number> }>;
  /** Resolves once `count` more requests have completed. */
  after(count: number): Promise<void>;
  readonly total: number;
}

/**
 * A bounded load loop: `connections` clients POSTing `body` to `url` back to back until stopped, counting
 * every request that did not get a 2xx (transport errors included).
 */
export function loadLoop(url: string, body = '{"pixels":[1,2,3]}', connections = 4): LoadLoop {
  let running = true;
  let total = 0;
  let failed = 0;
  const statuses: Record<string, number> = {};
  const waiters: { at: number; done: () => void }[] = [];
  const count = (status: string): void => {
    total += 1;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (!status.startsWith('2')) failed += 1;
    for (const waiter of waiters.filter((w) => total >= w.at)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.done();
    }
  };
  const client = async (): Promise<void> => {
    while (running) {
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(60_000) });
        await response.arrayBuffer();
        count(String(response.status));
      } catch (error) {
        count(`error:${error instanceof Error ? error.message : String(error)}`);
        await new Promise((done) => setTimeout(done, 5));
      }
    }
  };
  const clients = Array.from({ length: connections }, () => client());
  return {
    get total() {
      return total;
    },
    after(more: number) {
      return new Promise<void>((done) => waiters.push({ at: total + more, done }));
    },
    async stop() {
      running = false;
      await Promise.all(clients);
      return { total, failed, statuses };
    },
  };
}

/** Polls `check` every 50 ms until it is true (bounded by the test's own timeout, no timed assertion). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((done) => setTimeout(done, 50));
}

/** Live processes (Linux /proc, so no procps needed): pid, parent pid and command line. */
export function processes(): { pid: number; ppid: number; cmdline: string }[] {
  const found: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      found.push({ pid: Number(name), ppid: Number(fields[1]), cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/**
 * A local deployment of the fixture server: one replica, a 10 s health timeout and no grace period
 * (each test file sets what it is about through `overrides`).
 */
export function fixtureDeploySpec(version: ModelVersion, cwd: string, overrides: Partial<LocalDeploySpec> = {}): LocalDeploySpec {
  return {
    deployment: 'demo',
    endpoint: 'echo',
    modelVersion: version.id,
    source: version.source,
    files: version.files,
    script: serverScript(fixtureEndpoint()),
    cwd,
    health: { timeoutMs: 10_000 },
    scaling: { minReplicas: 1, maxReplicas: 1 },
    fallback: { graceMs: 0 },
    ...overrides,
  };
}
