/**
 * The one deploy → load test → rollback policy (src/deploy/rollout.ts) behind `mlops deploy`: on
 * Kubernetes (a strict fake API server), a version whose p99 is over the limit after the rollout is rolled
 * back, as the deploy action does (action.test.ts); the local target is given the load test to run on the
 * candidate before any traffic (cli.test.ts, resilience.test.ts).
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeKubeApi } from '../support/kube-api-server.js';
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

async function mlops(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const PIPELINE = `- endpoint:
    name: predict-digit
    image: node:20-slim
    server-command: node examples/digits/serve.mjs
    port: 8000
    files:
      - name: model
        path: model.json
- x-mlops:
    deploy-targets:
      digits:
        kind: kubernetes
        namespace: ml
        replicas: 2
        artifact-base-url: https://artifacts.example.com/sha256
`;

let kube: FakeKubeApi;
let endpoint: Server;
let endpointUrl = '';
/** The model version answering fast; every other one takes 30 ms (over the 5 ms limit below). */
let fastVersion: string | undefined;
let cleanup: () => Promise<void> = () => Promise.resolve();

beforeEach(async () => {
  kube = new FakeKubeApi();
  await kube.start();
  endpoint = createServer((_req, res) => {
    const serving = kube.readyVersion('ml', 'digits-predict-digit');
    setTimeout(() => {
      res.writeHead(serving ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: serving ?? null }));
    }, serving === fastVersion ? 0 : 30);
  });
  await new Promise<void>((done) => endpoint.listen(0, '127.0.0.1', () => done()));
  const address = endpoint.address();
  endpointUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/predict`;
});

afterEach(async () => {
  await kube.close();
  await new Promise<void>((done) => endpoint.close(() => done()));
  await cleanup();
});

describe('mlops deploy --target kubernetes goes through the deploy policy', () => {
  test('a p99 over the limit after the rollout rolls back to the previous version', async () => {
    const temp = await tempDir('mlops-rollout-');
    cleanup = temp.cleanup;
    const dir = temp.dir;
    const file = join(dir, 'valohai.yaml');
    await writeFile(file, PIPELINE);
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kube.kubeconfig());
    const folder = async (name: string): Promise<string> => {
      const path = join(dir, name);
      await mkdir(path, { recursive: true });
      await writeFile(join(path, 'model.json'), JSON.stringify({ name }));
      return path;
    };
    const deploy = async (name: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> =>
      mlops(['deploy', file, '--folder', await folder(name), '--deployment', 'digits', '--project-dir', join(dir, '.mlops'), '--kubeconfig', kubeconfig, '--image', 'registry.example.com/digits:1', '--smoke-url', endpointUrl, ...extra]);

    const first = await deploy('one', ['--json']);
    expect(first.code, first.stderr).toBe(0);
    fastVersion = (JSON.parse(first.stdout) as { serving: string }).serving;
    expect(fastVersion).toMatch(/^[0-9a-f]{12}$/);

    // Without a load test the slow version is deployed; with one over its limit, it is rolled back.
    const slow = await deploy('two', ['--load-test-seconds', '1', '--max-p99-ms', '5']);
    expect(slow.code).toBe(1);
    expect(slow.stdout).toMatch(/inference performance \(after the rollout\): \d+ requests .* FAILED: p99 latency [\d.]+ ms is above the 5 ms limit/);
    expect(slow.stdout).toMatch(/deploy failed: inference performance check failed \(p99 latency [\d.]+ ms is above the 5 ms limit\); rolled back to model [0-9a-f]{12}/);
    expect(kube.readyVersion('ml', 'digits-predict-digit')).toBe(fastVersion);

    const ok = await deploy('three', ['--load-test-seconds', '1', '--max-p99-ms', '5000']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/inference performance \(after the rollout\): \d+ requests .* 0 errors\n/);
    expect(kube.readyVersion('ml', 'digits-predict-digit')).not.toBe(fastVersion);

    const missingUrl = await mlops(['deploy', file, '--folder', await folder('four'), '--deployment', 'digits', '--project-dir', join(dir, '.mlops'), '--kubeconfig', kubeconfig, '--image', 'registry.example.com/digits:1', '--load-test-seconds', '1']);
    expect(missingUrl.code).toBe(1);
    expect(missingUrl.stderr).toBe('mlops: --load-test-seconds on Kubernetes needs --smoke-url (the endpoint to load)\n');
  }, 90_000);
});
