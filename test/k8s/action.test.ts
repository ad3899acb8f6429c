/**
 * actions/deploy against a real kube-apiserver and kube-controller-manager 1.20.2 (test kubelet): the
 * action's own code path (inputs, GitHub Deployment statuses, outputs, summary, load test) with the
 * rollout really happening. Replaces the tests that ran it against a fake API server.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/actions/deploy/main.js';
import { errorsOf, restoreEnv, runAction, setEnv, type ActionRun } from '../actions/helpers.js';
import { FakeGitHub } from '../support/github-api-server.js';
import { NS, startScenario, type Mode, type Scenario } from './rollout-helpers.js';

const PIPELINE = `
- endpoint:
    name: predict-digit
    image: node:20-slim
    server-command: exec node server.mjs
    port: 8000
    files:
      - name: model
        path: model.json
- deployment:
    name: digits
- x-mlops:
    deploy-targets:
      digits:
        kind: kubernetes
        namespace: ${NS}
        replicas: 2
        cpu-request: 10m
        memory-request: 64Mi
`;

let s: Scenario;
let github: FakeGitHub;
let workspace = '';
let kubeconfig = '';
let smokeUrl = '';

beforeAll(async () => {
  s = await startScenario();
  github = new FakeGitHub();
  await github.start();
  workspace = join(s.work, 'workspace');
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'valohai.yaml'), PIPELINE);
  kubeconfig = await readFile(s.cluster.kubeconfigPath, 'utf8');
});

afterAll(async () => {
  await github?.close();
  await s?.close();
});

afterEach(() => restoreEnv());

async function model(name: string, mode: Mode): Promise<string> {
  const folder = join(workspace, 'models', name);
  await mkdir(folder, { recursive: true });
  const content = Buffer.from(JSON.stringify({ name, mode }));
  await writeFile(join(folder, 'model.json'), content);
  s.files.set(createHash('sha256').update(content).digest('hex'), content);
  return folder;
}

async function deployAction(inputs: Record<string, string>): Promise<ActionRun> {
  const defaults: Record<string, string> = {
    operation: 'deploy',
    file: 'valohai.yaml',
    'project-dir': '.mlops',
    run: '',
    folder: '',
    endpoint: '',
    deployment: '',
    strategy: '',
    kubeconfig,
    context: '',
    namespace: '',
    'artifact-base-url': s.artifactBaseUrl,
    image: s.image,
    'model-image': '',
    'rollout-timeout-seconds': '90',
    'smoke-url': smokeUrl ? `${smokeUrl}/predict` : 'http://unused.invalid/predict',
    'smoke-body': '{"pixels":[0,1,2]}',
    'smoke-status': '200',
    'smoke-max-latency-ms': '3000',
    'load-test-seconds': '0',
    'load-test-connections': '2',
    'load-test-payloads': '',
    'max-p99-ms': '',
    environment: 'staging',
    'environment-url': 'https://models.example.com/digits',
    'record-deployment': 'true',
    'github-token': 'ghs_test',
  };
  const env: Record<string, string> = {
    GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
    GITHUB_API_URL: github.url,
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '42',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  setEnv(env);
  return runAction(run, { output: join(s.work, 'output.txt'), summary: join(s.work, 'summary.md'), workspace });
}

async function servingLabel(): Promise<string | undefined> {
  const live = await s.cluster.client.get<{ spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }>(`/apis/apps/v1/namespaces/${NS}/deployments/digits-predict-digit`);
  return live.spec?.template?.metadata?.labels?.['mlops.dev/model-version'];
}

describe('actions/deploy on a real control plane', () => {
  test('inputs are checked before anything is called', async () => {
    const job = await deployAction({ operation: 'destroy' });
    expect(errorsOf(job)).toEqual([expect.stringMatching(/^input "operation" must be one of deploy, rollback, promote, reject\b.*, got "destroy"$/) as unknown]);
    expect(github.requests).toEqual([]);
  });

  test('refused credentials fail with one clear message, recorded on the deployment', async () => {
    const job = await deployAction({ folder: await model('m0', 'ok'), kubeconfig: kubeconfig.replace(/token: .*/, 'token: expired-token') });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)).toEqual([expect.stringMatching(/^the cluster at https:\/\/127\.0\.0\.1:\d+ refused the credentials \(401 Unauthorized/) as unknown]);
    expect([...github.deployments.values()].at(-1)?.statuses.map((st) => st['state'])).toEqual(['failure', 'in_progress']);
  });

  test('a healthy rollout records a GitHub Deployment, its statuses and the load test', async () => {
    const first = await deployAction({ folder: await model('m1', 'ok') });
    expect(errorsOf(first)).toEqual([]);
    smokeUrl = await s.cluster.serviceUrl(NS, 'digits-predict-digit');
    const job = await deployAction({ folder: await model('m2', 'ok'), 'load-test-seconds': '1', 'max-p99-ms': '2000' });
    expect(errorsOf(job)).toEqual([]);
    expect(job.outputs['outcome']).toBe('deployed');
    const version = job.outputs['model-version'] ?? '';
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(job.outputs['serving']).toBe(version);
    expect(await servingLabel()).toBe(version);
    const load = JSON.parse(job.outputs['load-test'] ?? '{}') as { rps: number; ok: boolean; errors: number };
    expect(load).toMatchObject({ ok: true, errors: 0 });
    expect(github.violations).toEqual([]);
    const record = [...github.deployments.values()].at(-1);
    expect(record?.request).toMatchObject({ ref: '0123456789abcdef0123456789abcdef01234567', auto_merge: false, required_contexts: [], environment: 'staging', payload: { model_version: version, target: 'kubernetes' } });
    expect(record?.statuses.map((st) => st['state'])).toEqual(['success', 'in_progress']);
    expect(job.summary).toContain('Inference performance:');
    expect(job.summary).toMatch(/Endpoints of digits-predict-digit: 2 stable pod\(s\)/);
  });

  test('a crash-looping version is rolled back; the failure names the reason and is recorded', async () => {
    const good = await servingLabel();
    const job = await deployAction({ folder: await model('m3', 'crash') });
    expect(job.failed).toBe(true);
    expect(job.outputs['outcome']).toBe('rolled-back');
    expect(job.outputs['serving']).toBe(good);
    expect(errorsOf(job)[0]).toMatch(/CrashLoopBackOff|exited with code 3|keeps crashing/);
    expect(errorsOf(job)[0]).toMatch(/weights file is corrupt/);
    expect(await servingLabel()).toBe(good);
    expect([...github.deployments.values()].at(-1)?.statuses.map((st) => st['state'])).toEqual(['failure', 'in_progress']);
  });

  test('a p99 above the declared limit fails the deployment and rolls it back', async () => {
    const good = await servingLabel();
    const job = await deployAction({ folder: await model('m4', 'slow'), 'load-test-seconds': '1', 'max-p99-ms': '20' });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toMatch(/^inference performance check failed \(p99 latency [\d.]+ ms is above the 20 ms limit\); rolled back to model [0-9a-f]{12}/);
    expect(await servingLabel()).toBe(good);
  });
});
