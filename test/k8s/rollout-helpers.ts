/**
 * Shared setup of the rollout scenarios: a test cluster, the fault model server as an image in its
 * registry, an artifact server on the node address (where the init container downloads model files by
 * sha256), model versions whose content picks the server's behaviour, and a load loop through the
 * Service as clients reach it (a new connection per request, so traffic spreads over the ready pods).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeDeployOptions } from '../../src/deploy/kubernetes/apply.js';
import { kubernetesOptions } from '../../src/deploy/kubernetes/manifests.js';
import { modelVersionFromFolder, type DeployRequest } from '../../src/deploy/model.js';
import type { Endpoint } from '../../src/pipeline/model.js';
import { afterAll, beforeAll } from 'vitest';
import { startCluster, type TestCluster } from '../support/k8s/cluster.js';

export const NS = 'ml';
const SERVER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/k8s-model-server');

export interface Scenario {
  cluster: TestCluster;
  image: string;
  work: string;
  artifactBaseUrl: string;
  files: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startScenario(): Promise<Scenario> {
  const work = await mkdtemp(join(tmpdir(), 'k8s-rollout-'));
  const cluster = await startCluster({ namespaces: [NS] });
  const image = await cluster.registry.push('ghcr.io/acme/model-server:1', SERVER_DIR);
  // The init container's image: the harness's base (the node's /bin with wget and sha256sum) and no files of its own.
  await mkdir(join(work, 'empty'));
  await cluster.registry.push('busybox:1.36', join(work, 'empty'));
  const files = new Map<string, Buffer>();
  const artifacts: Server = createServer((req, res) => {
    const body = files.get((req.url ?? '').replace(/^\/+/, ''));
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((done) => artifacts.listen(0, cluster.hostIp, () => done()));
  const address = artifacts.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    cluster,
    image,
    work,
    artifactBaseUrl: `http://${cluster.hostIp}:${port}`,
    files,
    async close() {
      await new Promise<void>((done) => artifacts.close(() => done()));
      await cluster.stop();
      await rm(work, { recursive: true, force: true });
    },
  };
}

export function endpoint(image: string): Endpoint {
  return {
    name: 'predict',
    image,
    serverCommand: ['exec node server.mjs'],
    port: 8000,
    files: [{ name: 'model', path: 'model.json' }],
    extra: {},
    position: { file: 'valohai.yaml', line: 1, col: 1 },
  };
}

export type Mode = 'ok' | 'crash' | 'bad-predict' | 'slow';

/** A model version (its own content, so its own id) whose file makes the server behave as `mode`. */
export async function modelRequest(s: Scenario, deployment: string, name: string, mode: Mode, strategy: DeployRequest['strategy']): Promise<DeployRequest> {
  const ep = endpoint('node:20-slim');
  const folder = join(s.work, deployment, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'model.json'), JSON.stringify({ name, mode }));
  const version = await modelVersionFromFolder(folder, ep);
  for (const file of version.files) s.files.set(file.sha256, await readFile(join(folder, file.path)));
  return { deployment, endpoint: ep, version, target: { kind: 'kubernetes', options: {} }, strategy };
}

export function deployOptions(s: Scenario, extra: Partial<KubeDeployOptions> = {}, target: Record<string, unknown> = {}): KubeDeployOptions {
  return {
    kubeconfigPath: s.cluster.kubeconfigPath,
    options: kubernetesOptions({
      namespace: NS,
      'artifact-base-url': s.artifactBaseUrl,
      image: s.image,
      replicas: 2,
      'min-replicas': 2,
      'max-replicas': 6,
      'cpu-request': '10m',
      'memory-request': '64Mi',
      ...target,
    }),
    smoke: { path: '/predict', body: '{"pixels":[0,1,2]}', expectedStatus: 200, maxLatencyMs: 3000, requests: 20 },
    rolloutTimeoutMs: 90_000,
    analysis: { count: 3, intervalMs: 300, requestsPerMeasurement: 20, maxErrorRate: 0, maxP99Ms: 3000 },
    ...extra,
  };
}

/** One POST /predict on a new connection: the status and the model version that answered. */
export function predict(url: string): Promise<{ status: number; version?: string }> {
  return new Promise((done) => {
    const req = httpRequest(`${url}/predict`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', connection: 'close' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        let version: string | undefined;
        try {
          version = (JSON.parse(text) as { version?: string }).version;
        } catch {
          // not JSON: counted by status
        }
        done({ status: res.statusCode ?? 0, ...(version ? { version } : {}) });
      });
      res.on('error', () => done({ status: 0 }));
    });
    req.on('error', () => done({ status: 0 }));
    req.setTimeout(10_000, () => req.destroy());
    req.end('{"pixels":[0,1,2]}');
  });
}

export interface LoadResult {
  total: number;
  failed: number;
  versions: Record<string, number>;
  statuses: Record<string, number>;
}

/** A bounded load loop: `clients` callers sending back to back through the Service until stopped. */
export function loadLoop(url: string, clients = 3): { stop(): Promise<LoadResult> } {
  let running = true;
  const result: LoadResult = { total: 0, failed: 0, versions: {}, statuses: {} };
  const client = async () => {
    while (running) {
      const answer = await predict(url);
      result.total += 1;
      result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
      if (answer.status !== 200) result.failed += 1;
      if (answer.version) result.versions[answer.version] = (result.versions[answer.version] ?? 0) + 1;
    }
  };
  const running$ = Array.from({ length: clients }, () => client());
  return {
    async stop() {
      running = false;
      await Promise.all(running$);
      return result;
    },
  };
}

/**
 * A test file's scenario: started before its tests, stopped after them; `note` keeps each scenario's load
 * figures, printed with the file's duration when it ends.
 */
export function scenarioSuite(title: string, started: (s: Scenario) => void): { note(scenario: string, load: LoadResult): void; line(text: string): void } {
  let s: Scenario | undefined;
  const begun = Date.now();
  const report: string[] = [];
  beforeAll(async () => {
    s = await startScenario();
    started(s);
  });
  afterAll(async () => {
    await s?.close();
    console.log(`${title} (${Math.round((Date.now() - begun) / 1000)} s):\n${report.join('\n')}`);
  });
  return {
    note(scenario, load) {
      report.push(`  ${scenario}: ${load.failed} failed of ${load.total} requests (${JSON.stringify(load.versions)})`);
    },
    line(text) {
      report.push(`  ${text}`);
    },
  };
}
