/**
 * Acceptance (issue 17): rolling deploys against a real kube-apiserver and kube-controller-manager 1.20.2
 * with the test kubelet, with a load loop through the Service counting failed requests in each scenario.
 * A rolling update drops nothing; a crash-looping model, an image that cannot be pulled and a model that
 * passes /healthz but fails predictions are each rolled back automatically with the reason named; two
 * concurrent deploys of one endpoint: one refuses, naming the holder; rollback goes back more than one level.
 */
import { describe, expect, test } from 'vitest';
import { deployToKubernetes, rollbackKubernetes } from '../../src/deploy/kubernetes/apply.js';
import { deployOptions, loadLoop, modelRequest, NS, scenarioSuite, type Scenario } from './rollout-helpers.js';

let s: Scenario;
const { note } = scenarioSuite('rollout scenarios', (started) => (s = started));

interface Obj {
  apiVersion?: string;
  metadata?: { name?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, unknown> & { selector?: Record<string, string>; template?: { metadata?: { labels?: Record<string, string> } } };
  subsets?: { addresses?: { targetRef?: { name?: string } }[] }[];
}

/** Model versions (by pod label) of the pods in the Service's ready Endpoints. */
async function endpointVersions(service: string): Promise<string[]> {
  const endpoints = await s.cluster.client.get<Obj>(`/api/v1/namespaces/${NS}/endpoints/${service}`);
  const pods = await s.cluster.client.get<{ items: Obj[] }>(`/api/v1/namespaces/${NS}/pods`);
  const byName = new Map(pods.items.map((p) => [p.metadata?.name, p.metadata?.labels?.['mlops.dev/model-version']]));
  return (endpoints.subsets ?? []).flatMap((sub) => sub.addresses ?? []).map((a) => byName.get(a.targetRef?.name) ?? '?').sort();
}

describe('rolling on a real control plane', () => {
  const names: Record<string, string> = {};

  test('rolling update under load drops no request; server-side apply keeps fields other tools set; the Lease is released', async () => {
    const v1 = await modelRequest(s, 'roll', 'v1', 'ok', 'rolling');
    const first = await deployToKubernetes(v1, deployOptions(s));
    expect(first, first.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v1.version.id });
    names['v1'] = v1.version.id;
    // Another tool's annotation on the Deployment (its own field manager) survives our next apply.
    await s.cluster.client.mergePatch(`/apis/apps/v1/namespaces/${NS}/deployments/roll-predict?fieldManager=other-tool`, { metadata: { annotations: { 'other.example/owner': 'team-ml' } } });
    const url = await s.cluster.serviceUrl(NS, 'roll-predict');
    const load = loadLoop(url);
    const v2 = await modelRequest(s, 'roll', 'v2', 'ok', 'rolling');
    const second = await deployToKubernetes(v2, deployOptions(s));
    const counted = await load.stop();
    note('rolling v1 → v2', counted);
    expect(second, second.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v2.version.id });
    names['v2'] = v2.version.id;
    expect(counted.total).toBeGreaterThan(20);
    expect(counted.failed).toBe(0);
    expect(counted.versions['v2']).toBeGreaterThan(0);
    expect(await endpointVersions('roll-predict')).toEqual([v2.version.id, v2.version.id]);
    const live = await s.cluster.client.get<Obj>(`/apis/apps/v1/namespaces/${NS}/deployments/roll-predict`);
    expect(live.metadata?.annotations?.['other.example/owner']).toBe('team-ml');
    expect(second.steps.join('\n')).toMatch(/Endpoints of roll-predict: 2 stable pod\(s\) of model/);
    // Discovery: this 1.20 server has no autoscaling/v2, so the HPA went in as v2beta2.
    const hpa = await s.cluster.client.get<Obj>(`/apis/autoscaling/v2beta2/namespaces/${NS}/horizontalpodautoscalers/roll-predict`);
    expect(hpa.spec?.['maxReplicas']).toBe(6);
    expect(await s.cluster.client.find(`/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/roll-predict-deploy`)).toBeUndefined();
  });

  test('a crash-looping model is rolled back automatically with its exit code and message', async () => {
    const url = await s.cluster.serviceUrl(NS, 'roll-predict');
    const load = loadLoop(url);
    const bad = await modelRequest(s, 'roll', 'v3-crash', 'crash', 'rolling');
    const result = await deployToKubernetes(bad, deployOptions(s));
    const counted = await load.stop();
    note('crash-looping model', counted);
    expect(result).toMatchObject({ ok: false, outcome: 'rolled-back', serving: names['v2'] });
    expect(result.reason).toMatch(/CrashLoopBackOff|exited with code 3|keeps crashing/);
    expect(result.reason).toMatch(/exit code 3.*weights file is corrupt|code 3/);
    // Caught by the preflight pod, outside the Service: the new version never took traffic.
    expect(result.summary).toContain('It never took traffic');
    expect(counted.failed).toBe(0);
    expect(await endpointVersions('roll-predict')).toEqual([names['v2'], names['v2']]);
  });

  test('an image that cannot be pulled is rolled back with ImagePullBackOff named', async () => {
    const url = await s.cluster.serviceUrl(NS, 'roll-predict');
    const load = loadLoop(url);
    const bad = await modelRequest(s, 'roll', 'v4-noimage', 'ok', 'rolling');
    const result = await deployToKubernetes(bad, deployOptions(s, {}, { image: 'ghcr.io/acme/model-server:does-not-exist' }));
    const counted = await load.stop();
    note('ImagePullBackOff', counted);
    expect(result).toMatchObject({ ok: false, outcome: 'rolled-back', serving: names['v2'] });
    expect(result.reason).toMatch(/ImagePullBackOff|ErrImagePull/);
    expect(result.reason).toContain('ghcr.io/acme/model-server:does-not-exist');
    expect(counted.failed).toBe(0);
  });

  test('a model that passes /healthz but fails predictions is rolled back; the smoke test names the answer', async () => {
    const url = await s.cluster.serviceUrl(NS, 'roll-predict');
    const load = loadLoop(url);
    const bad = await modelRequest(s, 'roll', 'v5-badpredict', 'bad-predict', 'rolling');
    const result = await deployToKubernetes(bad, deployOptions(s));
    const counted = await load.stop();
    note('passes /healthz, fails predictions', counted);
    expect(result).toMatchObject({ ok: false, outcome: 'rolled-back', serving: names['v2'] });
    expect(result.reason).toMatch(/smoke test .* failed: \d+ of 20 requests failed; first: POST \/predict answered 500/);
    expect(result.reason).toContain('prediction failed');
    expect(result.steps.join('\n')).toMatch(/preflight: one pod of model/);
    expect(counted.failed).toBe(0);
    expect(await endpointVersions('roll-predict')).toEqual([names['v2'], names['v2']]);
  });

  test('two concurrent deploys of one endpoint: one refuses, naming the holder', async () => {
    const a = await modelRequest(s, 'roll', 'v6', 'ok', 'rolling');
    const b = await modelRequest(s, 'roll', 'v7', 'ok', 'rolling');
    const results = await Promise.allSettled([deployToKubernetes(a, deployOptions(s, { holder: 'deployer-A' })), deployToKubernetes(b, deployOptions(s, { holder: 'deployer-B' }))]);
    const refused = results.filter((r) => r.status === 'rejected');
    const done = results.filter((r) => r.status === 'fulfilled');
    expect(refused).toHaveLength(1);
    expect(done).toHaveLength(1);
    const message = String((refused[0] as PromiseRejectedResult).reason);
    expect(message).toMatch(/another deploy of this endpoint is in progress: Lease ml\/roll-predict-deploy is held by deployer-[AB] #[0-9a-f]{6} \(deploy model /);
    const winner = (done[0] as PromiseFulfilledResult<{ ok: boolean; serving?: string }>).value;
    expect(winner.ok).toBe(true);
    expect(await endpointVersions('roll-predict')).toEqual([winner.serving, winner.serving]);
    names['latest'] = winner.serving ?? '';
  });

  test('rollback goes back more than one level, skipping versions that failed', async () => {
    const request = await modelRequest(s, 'roll', 'v1', 'ok', 'rolling');
    const first = await rollbackKubernetes(request, deployOptions(s));
    expect(first, first.summary).toMatchObject({ ok: true, outcome: 'rolled-back', serving: names['v2'] });
    expect(await endpointVersions('roll-predict')).toEqual([names['v2'], names['v2']]);
    const second = await rollbackKubernetes(request, deployOptions(s));
    expect(second, second.summary).toMatchObject({ ok: true, outcome: 'rolled-back', serving: names['v1'] });
    expect(await endpointVersions('roll-predict')).toEqual([names['v1'], names['v1']]);
    await expect(rollbackKubernetes(request, deployOptions(s))).rejects.toThrow(/no earlier version that served to roll back to/);
  });
});
