import { createServer, type Server } from 'node:http';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../src/actions/deploy/main.js';
import { errorsOf, restoreEnv, runAction, setEnv, type ActionRun } from '../actions/helpers.js';
import { FakeGitHub } from '../support/github-api-server.js';
import { FakeKubeApi, templateVersion } from '../support/kube-api-server.js';
import { tempDir } from './helpers.js';

const PIPELINE = `
- endpoint:
    name: predict-digit
    image: node:20-slim
    server-command: node examples/digits/serve.mjs
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
        namespace: ml
        replicas: 2
`;

let kube: FakeKubeApi;
let github: FakeGitHub;
let endpoint: Server;
let endpointUrl = '';
let workspace = '';
let cleanup: () => Promise<void> = () => Promise.resolve();
/** Answer delay of the served endpoint (ms), to push p99 over a limit. */
let delayMs = 0;
/** @actions/core caches the summary file's path, so one output/summary folder serves the whole file. */
let runnerFiles = '';
let removeRunnerFiles: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  const temp = await tempDir('mlops-deploy-runner-');
  runnerFiles = temp.dir;
  removeRunnerFiles = temp.cleanup;
});
afterAll(() => removeRunnerFiles());

beforeEach(async () => {
  kube = new FakeKubeApi();
  await kube.start();
  github = new FakeGitHub();
  await github.start();
  endpoint = createServer((_req, res) => {
    const deployment = kube.get('deployments', 'ml', 'digits-predict-digit');
    setTimeout(() => {
      res.writeHead(deployment ? 200 : 503, { 'content-type': 'application/json' });
      res.end('{"prediction":3}');
    }, delayMs);
  });
  await new Promise<void>((done) => endpoint.listen(0, '127.0.0.1', () => done()));
  const address = endpoint.address();
  endpointUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/predict`;
  const temp = await tempDir('mlops-deploy-action-');
  workspace = temp.dir;
  cleanup = temp.cleanup;
  await writeFile(join(workspace, 'valohai.yaml'), PIPELINE);
  delayMs = 0;
});

afterEach(async () => {
  restoreEnv();
  await kube.close();
  await github.close();
  await new Promise<void>((done) => endpoint.close(() => done()));
  await cleanup();
});

async function model(name: string, content: string): Promise<string> {
  const folder = join(workspace, name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'model.json'), content);
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
    kubeconfig: kube.kubeconfig(),
    context: '',
    namespace: '',
    'artifact-base-url': 'https://artifacts.example.com/sha256',
    image: `ghcr.io/acme/digits/server@sha256:${'b'.repeat(64)}`,
    'model-image': '',
    'rollout-timeout-seconds': '2',
    'smoke-url': endpointUrl,
    'smoke-body': '{"pixels":[]}',
    'smoke-status': '200',
    'smoke-max-latency-ms': '5000',
    'load-test-seconds': '0',
    'load-test-connections': '4',
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
  return runAction(run, { output: join(runnerFiles, 'output.txt'), summary: join(runnerFiles, 'summary.md'), workspace });
}

describe('actions/deploy', () => {
  test('a healthy rollout records a GitHub Deployment, its statuses and the load test', async () => {
    const job = await deployAction({ folder: await model('m1', '{"w":1}'), 'load-test-seconds': '1', 'max-p99-ms': '2000' });
    expect(errorsOf(job)).toEqual([]);
    expect(job.failed).toBe(false);
    expect(job.outputs['outcome']).toBe('deployed');
    const version = job.outputs['model-version'] ?? '';
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    expect(job.outputs['serving']).toBe(version);
    const load = JSON.parse(job.outputs['load-test'] ?? '{}') as { rps: number; p99Ms: number; ok: boolean; errors: number };
    expect(load).toMatchObject({ ok: true, errors: 0 });
    expect(load.rps).toBeGreaterThan(0);
    const deployed = kube.get('deployments', 'ml', 'digits-predict-digit') ?? {};
    expect(templateVersion(deployed)).toBe(version);
    expect((deployed['metadata'] as { annotations: Record<string, string> }).annotations['mlops.dev/commit']).toBe('0123456789abcdef0123456789abcdef01234567');

    expect(github.violations).toEqual([]);
    const [record] = [...github.deployments.values()];
    expect(record?.request).toMatchObject({
      ref: '0123456789abcdef0123456789abcdef01234567',
      auto_merge: false,
      required_contexts: [],
      environment: 'staging',
      payload: { deployment: 'digits', endpoint: 'predict-digit', model_version: version, strategy: 'rolling', target: 'kubernetes' },
    });
    expect(record?.statuses.map((s) => s['state'])).toEqual(['success', 'in_progress']);
    expect(record?.statuses[0]).toMatchObject({ environment_url: 'https://models.example.com/digits', log_url: `https://github.com/${github.owner}/${github.repo}/actions/runs/42` });
    expect(job.outputs['deployment-id']).toBe(String([...github.deployments.keys()][0]));
    expect(job.summary).toContain('Inference performance:');
    const stored = JSON.parse(await readFile(join(workspace, '.mlops/deployments/kubernetes/digits-predict-digit-load-test.json'), 'utf8')) as { modelVersion: string };
    expect(stored.modelVersion).toBe(version);
  }, 30_000);

  test('a version that never becomes ready is rolled back and the deployment status is failure', async () => {
    const first = await deployAction({ folder: await model('m1', '{"w":1}') });
    const goodVersion = first.outputs['model-version'];
    kube.readiness = (deployment) => templateVersion(deployment) === goodVersion;
    const job = await deployAction({ folder: await model('m2', '{"w":2}') });
    expect(job.failed).toBe(true);
    expect(job.outputs['outcome']).toBe('rolled-back');
    expect(job.outputs['serving']).toBe(goodVersion);
    expect(errorsOf(job)[0]).toMatch(/not ready within 2 s.*Rolled back automatically: model [0-9a-f]{12} is serving\./);
    expect(templateVersion(kube.get('deployments', 'ml', 'digits-predict-digit') ?? {})).toBe(goodVersion);
    const records = [...github.deployments.values()];
    expect(records.map((r) => r.statuses.map((s) => s['state']))).toEqual([
      ['success', 'in_progress'],
      ['failure', 'in_progress'],
    ]);
    expect(github.violations).toEqual([]);
  }, 30_000);

  test('a p99 above the declared limit fails the deployment and rolls it back', async () => {
    const first = await deployAction({ folder: await model('m1', '{"w":1}') });
    delayMs = 30;
    const job = await deployAction({ folder: await model('m2', '{"w":2}'), 'load-test-seconds': '1', 'max-p99-ms': '5' });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toMatch(/^inference performance check failed \(p99 latency [\d.]+ ms is above the 5 ms limit\); rolled back to model [0-9a-f]{12}/);
    expect(templateVersion(kube.get('deployments', 'ml', 'digits-predict-digit') ?? {})).toBe(first.outputs['model-version']);
  }, 30_000);

  test('refused credentials fail with one clear message, recorded on the deployment', async () => {
    const job = await deployAction({ folder: await model('m1', '{"w":1}'), kubeconfig: kube.kubeconfig('expired') });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)).toEqual([expect.stringMatching(/^the cluster at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(401 Unauthorized/) as unknown]);
    expect([...github.deployments.values()][0]?.statuses.map((s) => s['state'])).toEqual(['failure', 'in_progress']);
    expect(kube.objects.size).toBe(0);
  }, 30_000);

  test('inputs are checked before anything is called', async () => {
    const job = await deployAction({ operation: 'destroy' });
    expect(errorsOf(job)).toEqual(['input "operation" must be one of deploy, rollback, promote, reject, got "destroy"']);
    expect(kube.calls).toEqual([]);
    expect(github.requests).toEqual([]);
  });
});
