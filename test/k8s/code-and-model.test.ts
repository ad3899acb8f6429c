/**
 * The code and the model reach the pod (issue 17 items 2, 3, 5) on a real kube-apiserver and
 * kube-controller-manager with the test kubelet: the server image built from the build context `mlops
 * deploy` writes (the repository at the commit, non-root), the model image (modelcar) built from its
 * context, the generated Deployment and Service applied as generated (strictly validated first) into a
 * namespace that enforces the `restricted` Pod Security profile; the digits server answers predictions
 * through the Service. A model image whose file is not the version's fails the pod, naming the file.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- the example is plain JavaScript without declarations
import { serializeModel, train } from '../../examples/digits/lib/model.mjs';
import { writeBuildContexts } from '../../src/deploy/kubernetes/contexts.js';
import { planManifests } from '../../src/deploy/kubernetes/dry-run.js';
import { kubernetesOptionsFor } from '../../src/deploy/kubernetes/options.js';
import { resolveDeploy } from '../../src/deploy/resolve.js';
import { startCluster, type TestCluster } from '../support/k8s/cluster.js';
import { describePods, isReady, listPods, waitFor } from '../support/k8s/wait.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const NS = 'models';

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd });
  return stdout.trim();
}

/** A small trained digits model: 3 classes of 64-pixel images. */
function trainedModel(id: string): unknown {
  const features: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < 60; i += 1) {
    const label = i % 3;
    features.push(Array.from({ length: 64 }, (_, p) => (p % 3 === label ? 12 + (i % 4) : i % 2)));
    labels.push(label);
  }
  const trained = (train as (f: number[][], l: number[], o: Record<string, number>) => unknown)(features, labels, { learningRate: 0.1, epochs: 3, l2: 0.0001, seed: 1, batchSize: 16, hiddenUnits: 0 });
  return (serializeModel as (t: unknown, extra: Record<string, unknown>) => unknown)(trained, { model_id: id });
}

describe('the code and the model reach the pod', () => {
  let cluster: TestCluster;
  let work: string;
  let repo: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'k8s-code-model-'));
    // A user's repository holding the digits example, committed.
    repo = join(work, 'repo');
    await mkdir(join(repo, 'examples'), { recursive: true });
    await cp(join(ROOT, 'examples/digits'), join(repo, 'examples/digits'), { recursive: true, filter: (path) => !/\/digits\/data(\/|$)/.test(path) });
    await git(repo, 'init', '-q');
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'digits');
    await mkdir(join(work, 'model'));
    await writeFile(join(work, 'model', 'model.json'), JSON.stringify(trainedModel('digits-test-model')));
    cluster = await startCluster();
    await cluster.createNamespace(NS, { 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  afterAll(async () => {
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function resolved() {
    return resolveDeploy({ projectDir: join(work, '.mlops'), file: join(repo, 'examples/digits/valohai.yaml'), folder: join(work, 'model'), target: 'kubernetes', strategy: 'rolling' });
  }

  it('builds both images from the written contexts; the restricted pods become ready and predict through the Service', async () => {
    const deploy = await resolved();
    const overrides = { namespace: NS, replicas: 2, 'image-repository': 'ghcr.io/acme/digits/server', 'model-image-repository': 'ghcr.io/acme/digits/models' };
    const options = kubernetesOptionsFor(deploy.request.target, deploy.request.deployment, deploy.request.endpoint.name, overrides);
    const built = await writeBuildContexts(deploy, options, 'HEAD', join(work, 'build'));
    const server = built.server as { context: string; reference: string };
    const model = built.model as { context: string; reference: string };
    const serverImage = await cluster.registry.build(server.context, server.reference);
    const modelImage = await cluster.registry.build(model.context, model.reference);
    const pushed = kubernetesOptionsFor(deploy.request.target, deploy.request.deployment, deploy.request.endpoint.name, { ...overrides, image: serverImage, 'model-image': modelImage });
    const plan = planManifests(deploy.request, pushed, { provenance: { commit: await git(repo, 'rev-parse', 'HEAD') } });
    for (const { object } of plan.objects.filter((o) => o.object.kind === 'Deployment' || o.object.kind === 'Service')) {
      const path = object.kind === 'Deployment' ? `/apis/apps/v1/namespaces/${NS}/deployments` : `/api/v1/namespaces/${NS}/services`;
      await cluster.client.request('POST', path, object);
    }
    const pods = await waitFor('2 ready digits pods', async () => {
      const list = await listPods(cluster.client, NS, 'app.kubernetes.io/name=predict-digit');
      return list.length === 2 && list.every(isReady) ? list : undefined;
    }, { timeoutMs: 180_000, describe: async () => `${await describePods(cluster.client, NS)}\n${(await listPods(cluster.client, NS)).map((p) => cluster.podLogs(NS, p.metadata.name, 'server').slice(-600)).join('\n')}` });
    const name = pods[0]?.metadata.name ?? '';
    expect(cluster.podLogs(NS, name, 'fetch-model')).toContain(`1 model file(s) of version ${deploy.request.version.id} copied and verified`);
    await waitFor('both pods behind the Service', async () => cluster.serviceBackends(NS, 'digits-predict-digit', 'http').length === 2);
    const url = await cluster.serviceUrl(NS, 'digits-predict-digit');
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', model_id: 'digits-test-model' });
    const prediction = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pixels: Array.from({ length: 64 }, (_, p) => (p % 3 === 1 ? 13 : 0)) }) });
    expect(prediction.status).toBe(200);
    expect(await prediction.json()).toMatchObject({ prediction: expect.any(Number) as unknown });
  });

  it('a model image whose file is not the version it claims fails the pod, naming the file', async () => {
    const deploy = await resolved();
    // An image pushed under the version's content tag but holding other bytes.
    const forged = join(work, 'forged');
    await mkdir(join(forged, 'models'), { recursive: true });
    await writeFile(join(forged, 'models', 'model.json'), '{"forged":true}');
    await writeFile(join(forged, 'Dockerfile'), 'FROM busybox:1.36\nCOPY models/ /models/\nUSER 65532\n');
    const forgedImage = await cluster.registry.build(forged, 'ghcr.io/acme/digits/models:forged');
    const serverImage = cluster.registry.references().find((r) => r.startsWith('ghcr.io/acme/digits/server')) ?? '';
    const options = kubernetesOptionsFor(deploy.request.target, 'forged', deploy.request.endpoint.name, { namespace: NS, replicas: 1, image: serverImage, 'model-image': forgedImage });
    const plan = planManifests({ ...deploy.request, deployment: 'forged' }, options, { provenance: {} });
    const deployment = plan.objects.find((o) => o.object.kind === 'Deployment')?.object;
    await cluster.client.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment);
    const failed = await waitFor('the init container fails', async () => {
      const [pod] = await listPods(cluster.client, NS, 'app.kubernetes.io/instance=forged');
      const logs = pod ? cluster.podLogs(NS, pod.metadata.name, 'fetch-model') : '';
      return logs.includes('has sha256') ? { pod, logs } : undefined;
    }, { timeoutMs: 120_000, describe: () => describePods(cluster.client, NS) });
    const expected = deploy.request.version.files[0]?.sha256 ?? '';
    expect(failed.logs).toMatch(new RegExp(`mlops: model file model\\.json from ghcr\\.io/acme/digits/models@sha256:[0-9a-f]{64} has sha256 [0-9a-f]{64}, expected ${expected}`));
    expect(failed.pod && isReady(failed.pod)).toBe(false);
  });
});
