import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployToKubernetes, finishCanary, rollbackKubernetes, type KubeDeployOptions } from '../../src/deploy/kubernetes/apply.js';
import { kubernetesOptions } from '../../src/deploy/kubernetes/manifests.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { FakeKubeApi, templateVersion as podTemplateVersion } from '../support/kube-api-server.js';
import { sampleRequest } from './helpers.js';

let kube: FakeKubeApi;
let endpoint: Server;
let endpointUrl = '';
/** Model versions whose server answers 500 (a model that loads but is broken). */
const brokenModels = new Set<string>();

/** The Service as users reach it: routes to the ready pods of the Deployment(s) its selector picks. */
function servingVersion(): string | undefined {
  const service = kube.get('services', 'ml', 'digits-predict-digit') as { spec?: { selector?: Record<string, string> } } | undefined;
  const colour = service?.spec?.selector?.['mlops.dev/track'];
  return kube.readyVersion('ml', colour ? `digits-predict-digit-${colour}` : 'digits-predict-digit');
}

beforeEach(async () => {
  kube = new FakeKubeApi();
  await kube.start();
  brokenModels.clear();
  endpoint = createServer((_req, res) => {
    const version = servingVersion();
    res.writeHead(version === undefined ? 503 : brokenModels.has(version) ? 500 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ version: version ?? null }));
  });
  await new Promise<void>((done) => endpoint.listen(0, '127.0.0.1', () => done()));
  const address = endpoint.address();
  endpointUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/predict`;
});

afterEach(async () => {
  await kube.close();
  await new Promise<void>((done) => endpoint.close(() => done()));
});

function options(extra: Partial<KubeDeployOptions> = {}, target: Record<string, unknown> = {}): KubeDeployOptions {
  return {
    kubeconfig: kube.kubeconfig(),
    options: kubernetesOptions({ namespace: 'ml', 'artifact-base-url': 'https://artifacts.example.com/sha256', image: 'ghcr.io/acme/digits/server:v1', ...target }),
    smoke: { url: endpointUrl, body: '{"pixels":[]}', expectedStatus: 200, maxLatencyMs: 5000 },
    rolloutTimeoutMs: 1500,
    pollMs: 20,
    ...extra,
  };
}

function templateVersion(name: string): string | undefined {
  const deployment = kube.get('deployments', 'ml', name) as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } } | undefined;
  return deployment?.spec?.template?.metadata?.annotations?.['mlops.dev/model-version'];
}

describe('kubernetes target (rolling)', () => {
  test('a healthy rollout applies all four objects and serves the new version', async () => {
    const first = await deployToKubernetes(sampleRequest('v1aaaaaaaaaa'), options());
    expect(first).toMatchObject({ ok: true, outcome: 'deployed', serving: 'v1aaaaaaaaaa' });
    const second = await deployToKubernetes(sampleRequest('v2bbbbbbbbbb'), options());
    expect(second).toMatchObject({ ok: true, outcome: 'deployed', serving: 'v2bbbbbbbbbb' });
    expect(servingVersion()).toBe('v2bbbbbbbbbb');
    expect([...kube.objects.keys()].sort()).toEqual([
      'deployments/ml/digits-predict-digit',
      'horizontalpodautoscalers/ml/digits-predict-digit',
      'poddisruptionbudgets/ml/digits-predict-digit',
      'services/ml/digits-predict-digit',
    ]);
    expect(second.steps.join('\n')).toMatch(/replace Deployment digits-predict-digit[\s\S]*rollout of digits-predict-digit complete[\s\S]*smoke test .*: 200/);
    expect(kube.invalid).toEqual([]);
    // The previous template is recorded, so a manual rollback works later.
    const back = await rollbackKubernetes(sampleRequest('v2bbbbbbbbbb'), options());
    expect(back).toMatchObject({ ok: true, outcome: 'rolled-back', serving: 'v1aaaaaaaaaa' });
    expect(servingVersion()).toBe('v1aaaaaaaaaa');
  }, 20_000);

  test('a rollout that never becomes ready is rolled back; the previous version keeps serving', async () => {
    await deployToKubernetes(sampleRequest('v1aaaaaaaaaa'), options());
    kube.readiness = (deployment) => podTemplateVersion(deployment) === 'v1aaaaaaaaaa';
    const result = await deployToKubernetes(sampleRequest('v2neverready'), options());
    expect(result.ok).toBe(false);
    expect(result.outcome).toBe('rolled-back');
    expect(result.serving).toBe('v1aaaaaaaaaa');
    expect(result.summary).toMatch(/deploy of model v2neverready failed: rollout of digits-predict-digit not ready within \d+ s \(updated 1\/2, available 2\/2, total 3\)\. Rolled back automatically: model v1aaaaaaaaaa is serving\./);
    expect(templateVersion('digits-predict-digit')).toBe('v1aaaaaaaaaa');
    expect(servingVersion()).toBe('v1aaaaaaaaaa');
    expect(kube.invalid).toEqual([]);
  }, 20_000);

  test('a failing smoke test is rolled back', async () => {
    await deployToKubernetes(sampleRequest('v1aaaaaaaaaa'), options());
    brokenModels.add('v2smokefails');
    const result = await deployToKubernetes(sampleRequest('v2smokefails'), options());
    expect(result).toMatchObject({ ok: false, outcome: 'rolled-back', serving: 'v1aaaaaaaaaa' });
    expect(result.summary).toContain('answered 500, expected 200');
    expect(servingVersion()).toBe('v1aaaaaaaaaa');
  }, 20_000);

  test('a first version that never becomes ready fails with nothing to fall back to', async () => {
    kube.readiness = () => false;
    const result = await deployToKubernetes(sampleRequest('v1aaaaaaaaaa'), options({ rolloutTimeoutMs: 300 }));
    expect(result).toMatchObject({ ok: false, outcome: 'failed' });
    expect(result.summary).toMatch(/There was no previous version to fall back to/);
  }, 20_000);

  test('refused credentials (401) end in one clear message and change nothing', async () => {
    const failure = deployToKubernetes(sampleRequest('v1aaaaaaaaaa'), options({ kubeconfig: kube.kubeconfig('wrong-token') }));
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toThrow(/the cluster at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(401 Unauthorized\)/);
    expect(kube.objects.size).toBe(0);
  });
});

describe('kubernetes target (blue-green, canary)', () => {
  test('blue-green switches the Service only to a healthy colour', async () => {
    const first = await deployToKubernetes(sampleRequest('v1aaaaaaaaaa', 'blue-green'), options());
    expect(first).toMatchObject({ ok: true, serving: 'v1aaaaaaaaaa' });
    expect(servingVersion()).toBe('v1aaaaaaaaaa');
    kube.readiness = (deployment) => podTemplateVersion(deployment) !== 'v2neverready';
    const bad = await deployToKubernetes(sampleRequest('v2neverready', 'blue-green'), options());
    expect(bad).toMatchObject({ ok: false, outcome: 'rolled-back', serving: 'v1aaaaaaaaaa' });
    expect(bad.summary).toMatch(/The Service was not switched: blue \(model v1aaaaaaaaaa\) keeps serving/);
    expect(servingVersion()).toBe('v1aaaaaaaaaa');
    const good = await deployToKubernetes(sampleRequest('v3cccccccccc', 'blue-green'), options());
    expect(good).toMatchObject({ ok: true, serving: 'v3cccccccccc' });
    expect(good.summary).toContain('serving from green (blue kept for rollback)');
    expect(servingVersion()).toBe('v3cccccccccc');
    brokenModels.add('v4dddddddddd');
    const smokeFails = await deployToKubernetes(sampleRequest('v4dddddddddd', 'blue-green'), options());
    expect(smokeFails.summary).toMatch(/switched back to green \(model v3cccccccccc\)/);
    expect(servingVersion()).toBe('v3cccccccccc');
    expect(kube.invalid).toEqual([]);
  }, 30_000);

  test('a canary runs a share of replicas; promote moves it to stable, reject removes it', async () => {
    await deployToKubernetes(sampleRequest('v1aaaaaaaaaa', 'canary'), options({}, { replicas: 3 }));
    const canary = await deployToKubernetes(sampleRequest('v2bbbbbbbbbb', 'canary'), options({}, { replicas: 3, 'canary-share': 0.25 }));
    expect(canary).toMatchObject({ ok: true, outcome: 'canary', serving: 'v1aaaaaaaaaa' });
    expect((kube.get('deployments', 'ml', 'digits-predict-digit-canary') as { spec: { replicas: number } }).spec.replicas).toBe(1);
    const promoted = await finishCanary(sampleRequest('v2bbbbbbbbbb', 'canary'), options(), 'promote');
    expect(promoted).toMatchObject({ ok: true, outcome: 'deployed', serving: 'v2bbbbbbbbbb' });
    expect(templateVersion('digits-predict-digit')).toBe('v2bbbbbbbbbb');
    expect(kube.get('deployments', 'ml', 'digits-predict-digit-canary')).toBeUndefined();

    await deployToKubernetes(sampleRequest('v3cccccccccc', 'canary'), options());
    const rejected = await finishCanary(sampleRequest('v3cccccccccc', 'canary'), options(), 'reject');
    expect(rejected).toMatchObject({ ok: true, outcome: 'rolled-back', serving: 'v2bbbbbbbbbb' });
    expect(kube.get('deployments', 'ml', 'digits-predict-digit-canary')).toBeUndefined();
    expect(kube.invalid).toEqual([]);
  }, 30_000);
});
