/**
 * `mlops deploy|promote|reject|rollback --target kubernetes` as a user runs them (the CLI in a child
 * process, a pipeline file, a kubeconfig file) against the real control plane.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { NS, startScenario, type Mode, type Scenario } from './rollout-helpers.js';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
let s: Scenario;
let dir = '';
// The smoke test's per-request limit (default 1000 ms) raised: on a loaded 2-core CI machine one request
// through the API server's service proxy once took 1.8 s; these scenarios test the rollout, not latency.
const SMOKE = ['--smoke-max-latency-ms', '10000'];

async function mlops(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/index.ts'), ...args], { cwd: dir, env: { ...process.env, KUBECONFIG: s.cluster.kubeconfigPath } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function model(name: string, mode: Mode): Promise<string> {
  const folder = join(dir, 'models', name);
  await mkdir(folder, { recursive: true });
  const content = Buffer.from(JSON.stringify({ name, mode }));
  await writeFile(join(folder, 'model.json'), content);
  s.files.set(createHash('sha256').update(content).digest('hex'), content);
  return folder;
}

async function servingVersions(): Promise<string[]> {
  const pods = await s.cluster.client.get<{ items: { metadata: { name: string; labels?: Record<string, string> } }[] }>(`/api/v1/namespaces/${NS}/pods?labelSelector=app.kubernetes.io/instance%3Dcli`);
  const endpoints = await s.cluster.client.get<{ subsets?: { addresses?: { targetRef?: { name?: string } }[] }[] }>(`/api/v1/namespaces/${NS}/endpoints/cli-predict`);
  const byName = new Map(pods.items.map((p) => [p.metadata.name, p.metadata.labels?.['mlops.dev/model-version']]));
  return [...new Set((endpoints.subsets ?? []).flatMap((x) => x.addresses ?? []).map((a) => byName.get(a.targetRef?.name ?? '') ?? '?'))];
}

beforeAll(async () => {
  s = await startScenario();
  dir = join(s.work, 'project');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'valohai.yaml'),
    `- endpoint:
    name: predict
    image: node:20-slim
    server-command: exec node server.mjs
    port: 8000
    files:
      - name: model
        path: model.json
- deployment:
    name: cli
- x-mlops:
    deploy-targets:
      cli:
        kind: kubernetes
        namespace: ${NS}
        image: ${s.image}
        artifact-base-url: ${s.artifactBaseUrl}
        replicas: 2
        cpu-request: 10m
        memory-request: 64Mi
        sample-requests:
          - path: /predict
            method: POST
            body: {"pixels": [0, 1, 2]}
`,
  );
});

afterAll(async () => {
  await s?.close();
});

describe('mlops CLI on a real control plane', () => {
  test('deploy, a manual canary promoted and another rejected, rollback, and a failure exits non-zero with the reason', async () => {
    const first = await mlops(['deploy', '--folder', await model('c1', 'ok'), ...SMOKE, '--project-dir', join(dir, '.mlops')]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/model [0-9a-f]{12} deployed to ml\/cli-predict \(rolling\)/);
    const [v1] = await servingVersions();

    const canary = await mlops(['deploy', '--folder', await model('c2', 'ok'), ...SMOKE, '--strategy', 'canary', '--manual-promote', '--project-dir', join(dir, '.mlops')]);
    expect(canary.code, canary.stdout + canary.stderr).toBe(0);
    expect(canary.stdout).toMatch(/canary analysis passed[\s\S]*run promote or reject/);
    expect((await servingVersions()).length).toBe(2);
    const promoted = await mlops(['promote', '--target', 'kubernetes']);
    expect(promoted.code, promoted.stdout + promoted.stderr).toBe(0);
    const [v2] = await servingVersions();
    expect(v2).not.toBe(v1);
    expect(await servingVersions()).toEqual([v2]);

    const rejectedCanary = await mlops(['deploy', '--folder', await model('c3', 'ok'), ...SMOKE, '--strategy', 'canary', '--manual-promote', '--project-dir', join(dir, '.mlops')]);
    expect(rejectedCanary.code).toBe(0);
    const rejected = await mlops(['reject']);
    expect(rejected.code, rejected.stdout + rejected.stderr).toBe(0);
    expect(await servingVersions()).toEqual([v2]);

    const broken = await mlops(['deploy', '--folder', await model('c4', 'crash'), ...SMOKE, '--rollout-timeout', '60s', '--project-dir', join(dir, '.mlops')]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/deploy failed: deploy of model [0-9a-f]{12} failed: .*(CrashLoopBackOff|exited with code 3).*weights file is corrupt/);
    expect(await servingVersions()).toEqual([v2]);

    // The deploy policy's load test after the rollout (src/deploy/rollout.ts): over its p99 limit, rolled back.
    const smokeUrl = `${await s.cluster.serviceUrl(NS, 'cli-predict')}/predict`;
    const slow = await mlops(['deploy', '--folder', await model('c5', 'slow'), ...SMOKE, '--smoke-url', smokeUrl, '--smoke-body', '{"pixels":[0,1,2]}', '--load-test-seconds', '1', '--max-p99-ms', '20', '--project-dir', join(dir, '.mlops')]);
    expect(slow.code, slow.stdout + slow.stderr).toBe(1);
    expect(slow.stdout).toMatch(/deploy failed: inference performance check failed \(p99 latency [\d.]+ ms is above the 20 ms limit\); rolled back to model [0-9a-f]{12}/);
    expect(await servingVersions()).toEqual([v2]);
    const missingUrl = await mlops(['deploy', '--folder', await model('c6', 'ok'), ...SMOKE, '--load-test-seconds', '1', '--project-dir', join(dir, '.mlops')]);
    expect(missingUrl.stderr).toBe('mlops: --load-test-seconds on Kubernetes needs --smoke-url (the endpoint to load)\n');

    const back = await mlops(['rollback', '--project-dir', join(dir, '.mlops')]);
    expect(back.code, back.stdout + back.stderr).toBe(0);
    expect(back.stdout).toContain(`rolled back to model ${v1}`);
    expect(await servingVersions()).toEqual([v1]);
  });
});
