/**
 * Acceptance (issue 17): blue-green and canary against a real kube-apiserver and kube-controller-manager
 * 1.20.2 with the test kubelet, a load loop through the Service counting failed requests in each scenario.
 * Blue-green with a broken model never switches; rolling after blue-green and after a canary leaves exactly
 * one version serving; a 25% canary is measured near 25%; promote/reject by hand and automatically.
 */
import { describe, expect, test } from 'vitest';
import { deployToKubernetes, finishCanary, rollbackKubernetes } from '../../src/deploy/kubernetes/apply.js';
import { deployOptions, loadLoop, modelRequest, NS, predict, scenarioSuite, type Scenario } from './rollout-helpers.js';

let s: Scenario;
const { note, line } = scenarioSuite('strategy scenarios', (started) => (s = started));

interface Obj {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { replicas?: number; selector?: Record<string, string> };
  subsets?: { addresses?: { targetRef?: { name?: string } }[] }[];
}

const SERVICE = 'ep-predict';

/** Model versions (pod labels) of the Service's ready Endpoints, sorted. */
async function endpointVersions(): Promise<string[]> {
  const endpoints = await s.cluster.client.get<Obj>(`/api/v1/namespaces/${NS}/endpoints/${SERVICE}`);
  const pods = await s.cluster.client.get<{ items: Obj[] }>(`/api/v1/namespaces/${NS}/pods`);
  const byName = new Map(pods.items.map((p) => [p.metadata?.name, p.metadata?.labels?.['mlops.dev/model-version']]));
  return (endpoints.subsets ?? []).flatMap((sub) => sub.addresses ?? []).map((a) => byName.get(a.targetRef?.name) ?? '?').sort();
}

/** The endpoint's Deployments with their replica counts. */
async function deployments(): Promise<Record<string, number>> {
  const list = await s.cluster.client.get<{ items: Obj[] }>(`/apis/apps/v1/namespaces/${NS}/deployments?labelSelector=app.kubernetes.io/instance%3Dep`);
  return Object.fromEntries(list.items.map((d) => [d.metadata?.name ?? '', d.spec?.replicas ?? 0]));
}

async function selector(): Promise<string | undefined> {
  return (await s.cluster.client.get<Obj>(`/api/v1/namespaces/${NS}/services/${SERVICE}`)).spec?.selector?.['mlops.dev/track'];
}

describe('blue-green, canary and strategy changes on a real control plane', () => {
  const ids: Record<string, string> = {};

  test('blue-green: a broken model is smoke-tested through its preview Service and never switched to', async () => {
    const v1 = await modelRequest(s, 'ep', 'v1', 'ok', 'blue-green');
    const first = await deployToKubernetes(v1, deployOptions(s));
    expect(first, first.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v1.version.id });
    ids['v1'] = v1.version.id;
    expect(await selector()).toBe('blue');
    const load = loadLoop(await s.cluster.serviceUrl(NS, SERVICE));
    const broken = await modelRequest(s, 'ep', 'v2-broken', 'bad-predict', 'blue-green');
    const result = await deployToKubernetes(broken, deployOptions(s));
    const counted = await load.stop();
    note('blue-green, broken model', counted);
    expect(result).toMatchObject({ ok: false, outcome: 'rolled-back', serving: ids['v1'] });
    expect(result.reason).toMatch(/smoke test through Service ep-predict-green-preview failed: 20 of 20 requests failed; first: POST \/predict answered 500/);
    expect(result.summary).toContain('The Service was not switched');
    expect(await selector()).toBe('blue');
    expect(counted.failed).toBe(0);
    expect(Object.keys(counted.versions)).toEqual(['v1']);
    expect(Object.keys(await deployments())).toEqual(['ep-predict-blue']);
  });

  test('blue-green: a good model is switched to after its smoke test; the old colour is scaled to zero', async () => {
    const load = loadLoop(await s.cluster.serviceUrl(NS, SERVICE));
    const v3 = await modelRequest(s, 'ep', 'v3', 'ok', 'blue-green');
    const result = await deployToKubernetes(v3, deployOptions(s));
    const counted = await load.stop();
    note('blue-green v1 → v3', counted);
    expect(result, result.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v3.version.id });
    ids['v3'] = v3.version.id;
    expect(await selector()).toBe('green');
    expect(counted.failed).toBe(0);
    expect(await endpointVersions()).toEqual([v3.version.id, v3.version.id]);
    expect(await deployments()).toMatchObject({ 'ep-predict-blue': 0, 'ep-predict-green': 2 });
    // Rolling back a blue-green endpoint: the idle colour comes back with the previous version.
    const back = await rollbackKubernetes(v3, deployOptions(s));
    expect(back, back.summary).toMatchObject({ ok: true, outcome: 'rolled-back', serving: ids['v1'] });
    expect(await selector()).toBe('blue');
    expect(await endpointVersions()).toEqual([ids['v1'], ids['v1']]);
  });

  test('rolling after blue-green leaves exactly one version serving and no colour behind', async () => {
    const load = loadLoop(await s.cluster.serviceUrl(NS, SERVICE));
    const v4 = await modelRequest(s, 'ep', 'v4', 'ok', 'rolling');
    const result = await deployToKubernetes(v4, deployOptions(s));
    const counted = await load.stop();
    note('rolling after blue-green', counted);
    expect(result, result.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v4.version.id });
    ids['v4'] = v4.version.id;
    expect(await selector()).toBe('stable');
    expect(await endpointVersions()).toEqual([v4.version.id, v4.version.id]);
    expect(await deployments()).toEqual({ 'ep-predict': 2 });
    expect(counted.failed).toBe(0);
  });

  test('canary 25%: 1 canary pod beside 3 stable, measured near 25%; reject removes it', async () => {
    const v5 = await modelRequest(s, 'ep', 'v5', 'ok', 'canary');
    // This test measures the traffic share. Its canary still runs the analysis; one failed measurement is
    // tolerated (Argo's failureLimit) because a request through the API server's service proxy can meet a
    // connection the proxy kept to a pod that is gone. The next test keeps failureLimit 0 for analysis.
    const result = await deployToKubernetes(v5, deployOptions(s, { autoPromote: false, analysis: { failureLimit: 1 } }));
    expect(result, result.summary).toMatchObject({ ok: true, outcome: 'canary', serving: ids['v4'] });
    expect(await deployments()).toEqual({ 'ep-predict': 3, 'ep-predict-canary': 1 });
    const url = await s.cluster.serviceUrl(NS, SERVICE);
    let canary = 0;
    let failed = 0;
    const n = 400;
    for (let i = 0; i < n; i++) {
      const answer = await predict(url);
      if (answer.status !== 200) failed++;
      if (answer.version === 'v5') canary++;
    }
    const share = canary / n;
    line(`canary 25%: ${canary}/${n} = ${(share * 100).toFixed(1)}% answered by the canary, ${failed} failed`);
    // Binomial spread for n = 400 at p = 0.25 is 2.2 points; ±8 points is more than 3.5 of them.
    expect(share).toBeGreaterThan(0.17);
    expect(share).toBeLessThan(0.33);
    expect(failed).toBe(0);
    const rejected = await finishCanary(v5, deployOptions(s), 'reject');
    expect(rejected, rejected.summary).toMatchObject({ ok: true, outcome: 'rolled-back', serving: ids['v4'] });
    expect(await deployments()).toEqual({ 'ep-predict': 2 });
    // Reject returns once the canary is gone and the scale-down asked for; the third stable pod then
    // leaves the Endpoints when the endpoints controller sees it terminating (asynchronous, like any
    // controller), so the size is awaited, bounded.
    await expect.poll(endpointVersions, { timeout: 30_000, interval: 250 }).toEqual([ids['v4'], ids['v4']]);
  });

  test('canary with a failing model is aborted (its preview smoke test fails before it joins the Service); a good one passes its analysis and is promoted automatically', async () => {
    const load = loadLoop(await s.cluster.serviceUrl(NS, SERVICE));
    const broken = await modelRequest(s, 'ep', 'v6-broken', 'bad-predict', 'canary');
    const aborted = await deployToKubernetes(broken, deployOptions(s));
    expect(aborted).toMatchObject({ ok: false, outcome: 'rolled-back', serving: ids['v4'] });
    expect(aborted.reason).toMatch(/answered 500/);
    const v7 = await modelRequest(s, 'ep', 'v7', 'ok', 'canary');
    const promoted = await deployToKubernetes(v7, deployOptions(s));
    const counted = await load.stop();
    note('canary aborted, then canary promoted', counted);
    expect(promoted, promoted.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v7.version.id });
    expect(promoted.steps.join('\n')).toMatch(/canary analysis passed: 3 measurements, 0\/60 failed requests/);
    expect(await deployments()).toEqual({ 'ep-predict': 2 });
    expect(await endpointVersions()).toEqual([v7.version.id, v7.version.id]);
    expect(counted.failed).toBe(0);
  });

  test('rolling after a canary leaves exactly one version serving', async () => {
    const v8 = await modelRequest(s, 'ep', 'v8', 'ok', 'canary');
    const canary = await deployToKubernetes(v8, deployOptions(s, { autoPromote: false }));
    expect(canary.outcome).toBe('canary');
    const load = loadLoop(await s.cluster.serviceUrl(NS, SERVICE));
    const v9 = await modelRequest(s, 'ep', 'v9', 'ok', 'rolling');
    const result = await deployToKubernetes(v9, deployOptions(s));
    const counted = await load.stop();
    note('rolling after canary', counted);
    expect(result, result.summary).toMatchObject({ ok: true, outcome: 'deployed', serving: v9.version.id });
    expect(await deployments()).toEqual({ 'ep-predict': 2 });
    expect(await endpointVersions()).toEqual([v9.version.id, v9.version.id]);
    expect(counted.failed).toBe(0);
  });
});
