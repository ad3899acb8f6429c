/**
 * Self-test of the test:k8s harness: the real kube-apiserver and kube-controller-manager, the test kubelet
 * and the kube-proxy stand-in behave as a cluster does for what the deploy scenarios rely on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeError, startCluster, type TestCluster } from '../support/k8s/cluster.js';
import { run } from '../support/k8s/processes.js';
import { describePods, isReady, listPods, podEvents, waitFor } from '../support/k8s/wait.js';

/** Live (non-zombie) child processes of this test process. */
function children(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out.sort((a, b) => a - b);
}

const NS = 'harness';

/** A server that answers with its VERSION and pod name; BIND picks the address; CRASH exits at once. */
const SERVER = `
import http from 'node:http';
import { appendFileSync } from 'node:fs';
if (process.env.CRASH) { console.error('boom: model file missing'); process.exit(3); }
const server = http.createServer((req, res) => res.end(process.env.VERSION + ' ' + process.env.HOSTNAME + '\\n'));
server.listen(Number(process.env.PORT ?? 8080), process.env.BIND ?? '0.0.0.0', () => console.log('listening'));
process.on('SIGTERM', () => {
  if (process.env.TRACE) appendFileSync(process.env.TRACE, 'SIGTERM\\n');
  server.close(() => process.exit(0));
});
`;

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.end();
  });
}

function container(image: string, env: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    name: 'server',
    image,
    command: ['node', 'server.mjs'],
    env: Object.entries(env).map(([name, value]) => ({ name, value })),
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1, failureThreshold: 3 },
    ...extra,
  };
}

function deployment(name: string, image: string, version: string, replicas = 2) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 10,
          // As a real rollout needs: keep serving while the Endpoints change reaches the proxy.
          containers: [container(image, { VERSION: version }, { lifecycle: { preStop: { exec: { command: ['sleep', '2'] } } } })],
        },
      },
    },
  };
}

function pod(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: NS }, spec };
}

describe('test:k8s harness', () => {
  let cluster: TestCluster;
  let work: string;
  let v1: string;
  let v2: string;

  let before: number[] = [];

  beforeAll(async () => {
    before = children();
    work = await mkdtemp(join(tmpdir(), 'harness-test-'));
    await mkdir(join(work, 'app'));
    await writeFile(join(work, 'app', 'server.mjs'), SERVER);
    cluster = await startCluster({ namespaces: [NS] });
    console.log(`control plane ready in ${cluster.startupMs} ms`);
    v1 = await cluster.registry.push('ghcr.io/acme/server:v1', join(work, 'app'));
    await writeFile(join(work, 'app', 'VERSION'), 'second build\n');
    v2 = await cluster.registry.push('ghcr.io/acme/server:v2', join(work, 'app'));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const api = () => cluster.client;

  it('runs a Deployment behind a Service: Ready pods answer through serviceUrl', async () => {
    expect(v1).toMatch(/^ghcr\.io\/acme\/server@sha256:[0-9a-f]{64}$/);
    await api().request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment('web', v1, 'v1'));
    await api().request('POST', `/api/v1/namespaces/${NS}/services`, {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    });
    const pods = await waitFor('2 ready web pods', async () => {
      const list = await listPods(api(), NS, 'app=web');
      return list.length === 2 && list.every(isReady) ? list : undefined;
    }, { describe: () => describePods(api(), NS) });
    expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(2);
    await waitFor('both pods in the Endpoints', async () => cluster.serviceBackends(NS, 'web').length === 2);
    const url = await cluster.serviceUrl(NS, 'web');
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      expect(body.startsWith('v1 ')).toBe(true);
      seen.add(body.trim().split(' ')[1]!);
    }
    expect([...seen].sort()).toEqual(pods.map((p) => p.metadata.name).sort());
  });

  it('reports ImagePullBackOff with events for an image the registry does not have', async () => {
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, pod('no-image', { containers: [container('ghcr.io/acme/missing:v9', { VERSION: 'x' })] }));
    const reason = await waitFor('ImagePullBackOff', async () => {
      const [p] = await listPods(api(), NS, undefined).then((l) => l.filter((x) => x.metadata.name === 'no-image'));
      const waiting = p?.status?.containerStatuses?.[0]?.state['waiting'];
      return waiting?.reason === 'ImagePullBackOff' ? waiting.reason : undefined;
    });
    expect(reason).toBe('ImagePullBackOff');
    const events = await podEvents(api(), NS, 'no-image');
    expect(events.some((e) => e.reason === 'Failed' && e.type === 'Warning' && e.message.includes('Failed to pull image "ghcr.io/acme/missing:v9"'))).toBe(true);
    expect(events.some((e) => e.reason === 'BackOff' && e.message.includes('Back-off pulling image'))).toBe(true);
  });

  it('restarts a crashing container and reports CrashLoopBackOff', async () => {
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, pod('crasher', { containers: [container(v1, { VERSION: 'x', CRASH: '1' }, { terminationMessagePolicy: 'FallbackToLogsOnError' })] }));
    const status = await waitFor('CrashLoopBackOff after a restart', async () => {
      const p = (await listPods(api(), NS)).find((x) => x.metadata.name === 'crasher');
      const cs = p?.status?.containerStatuses?.[0];
      return cs && cs.restartCount > 0 && cs.state['waiting']?.reason === 'CrashLoopBackOff' ? cs : undefined;
    }, { describe: () => describePods(api(), NS) });
    expect(status.lastState['terminated']?.exitCode).toBe(3);
    expect(status.lastState['terminated']?.reason).toBe('Error');
    expect((status.lastState['terminated'] as { message?: string }).message).toContain('boom: model file missing');
    const events = await podEvents(api(), NS, 'crasher');
    expect(events.some((e) => e.reason === 'BackOff' && e.message === 'Back-off restarting failed container')).toBe(true);
    expect(cluster.podLogs(NS, 'crasher')).toContain('boom: model file missing');
  });

  it('never readies a server bound to 127.0.0.1 inside the pod', async () => {
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, pod('loopback', { containers: [container(v1, { VERSION: 'x', BIND: '127.0.0.1' })] }));
    const events = await waitFor('three failed readiness probes', async () => {
      const list = await podEvents(api(), NS, 'loopback');
      const unhealthy = list.find((e) => e.reason === 'Unhealthy');
      return unhealthy && unhealthy.count >= 3 && cluster.podLogs(NS, 'loopback').includes('listening') ? list : undefined;
    });
    expect(events.find((e) => e.reason === 'Unhealthy')!.message).toMatch(/^Readiness probe failed: .*connection refused/);
    const p = (await listPods(api(), NS)).find((x) => x.metadata.name === 'loopback')!;
    expect(isReady(p)).toBe(false);
    expect(p.status?.containerStatuses?.[0]?.ready).toBe(false);
  });

  it('runs the preStop hook before SIGTERM when a pod is deleted, then removes the pod', async () => {
    const trace = join(work, 'trace');
    await mkdir(trace, { mode: 0o777 });
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, pod('graceful', {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'trace', hostPath: { path: trace } }],
      containers: [container(v1, { VERSION: 'x', TRACE: '/trace/log' }, {
        volumeMounts: [{ name: 'trace', mountPath: '/trace' }],
        lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo preStop >> /trace/log; sleep 1'] } } },
      })],
    }));
    await waitFor('graceful pod ready', async () => (await listPods(api(), NS)).some((x) => x.metadata.name === 'graceful' && isReady(x)));
    await api().request('DELETE', `/api/v1/namespaces/${NS}/pods/graceful`);
    await waitFor('pod object gone', async () => {
      try {
        await api().get(`/api/v1/namespaces/${NS}/pods/graceful`);
        return false;
      } catch (error) {
        return error instanceof KubeError && error.status === 404;
      }
    });
    expect((await readFile(join(trace, 'log'), 'utf8')).split('\n').filter(Boolean)).toEqual(['preStop', 'SIGTERM']);
  });

  it('moves traffic to the new pods in a rolling update done by the real controllers, dropping no request', async () => {
    const url = await cluster.serviceUrl(NS, 'web');
    const answers = { v1: 0, v2: 0, failed: 0 };
    let loading = true;
    const load = (async () => {
      while (loading) {
        try {
          const { status, body } = await get(url);
          if (status === 200 && body.startsWith('v1 ')) answers.v1++;
          else if (status === 200 && body.startsWith('v2 ')) answers.v2++;
          else answers.failed++;
        } catch {
          answers.failed++;
        }
      }
    })();
    await api().mergePatch(`/apis/apps/v1/namespaces/${NS}/deployments/web`, {
      spec: { template: { spec: { containers: [container(v2, { VERSION: 'v2' }, { lifecycle: { preStop: { exec: { command: ['sleep', '2'] } } } })] } } },
    });
    await waitFor('rollout complete', async () => {
      const d = await api().get<{ metadata: { generation: number }; status: { observedGeneration?: number; updatedReplicas?: number; replicas?: number; availableReplicas?: number } }>(`/apis/apps/v1/namespaces/${NS}/deployments/web`);
      const s = d.status;
      return s.observedGeneration === d.metadata.generation && s.updatedReplicas === 2 && s.replicas === 2 && s.availableReplicas === 2;
    }, { describe: () => describePods(api(), NS) });
    const sets = await api().get<{ items: Array<{ spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } } }> }>(`/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3Dweb`);
    expect(sets.items.map((r) => [r.spec.template.spec.containers[0]!.image, r.spec.replicas]).sort()).toEqual([[v1, 0], [v2, 2]].sort());
    await waitFor('only new pods behind the Service', async () => {
      const pods = (await listPods(api(), NS, 'app=web')).filter((p) => !p.metadata.deletionTimestamp);
      const ips = pods.map((p) => `${p.status?.podIP}:8080`).sort();
      return JSON.stringify(cluster.serviceBackends(NS, 'web').sort()) === JSON.stringify(ips) && ips.length === 2;
    });
    // Until the old pods are gone, so the load spans their whole termination.
    await waitFor('old pods deleted', async () => (await listPods(api(), NS, 'app=web')).length === 2);
    loading = false;
    await load;
    expect(answers.failed).toBe(0);
    expect(answers.v1).toBeGreaterThan(0);
    expect(answers.v2).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect((await get(url)).body.startsWith('v2 ')).toBe(true);
  });

  it('stop() leaves no process, network namespace or bridge behind', async () => {
    const bridge = (await run('ip', ['-o', 'addr', 'show'])).output.split('\n').find((l) => l.includes(`inet ${cluster.hostIp}/`))?.split(/\s+/)[1];
    expect(bridge).toMatch(/^mk8s\d+$/);
    expect(children().length).toBeGreaterThan(before.length);
    await cluster.stop();
    expect(children()).toEqual(before);
    expect((await run('ip', ['netns', 'list'])).output).not.toContain(`${bridge}-`);
    expect((await run('ip', ['link', 'show', bridge!], { allowFailure: true })).code).not.toBe(0);
  });
});
