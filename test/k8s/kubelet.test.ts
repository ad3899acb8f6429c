/**
 * The test kubelet enforces what a real node enforces for the deploy scenarios: Pod Security admission for
 * labelled namespaces, runAsNonRoot, the container's user, read-only root with a writable emptyDir /tmp,
 * init containers and the downward API, liveness and startup probes; and the registry builds the Dockerfile
 * subset `mlops deploy` writes.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeError, startCluster, type TestCluster } from '../support/k8s/cluster.js';
import { describePods, isReady, listPods, podEvents, waitFor, type PodView } from '../support/k8s/wait.js';

const NS = 'node';
const LOCKED = 'locked';

const SERVER = `
import http from 'node:http';
import fs from 'node:fs';
const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return true; } catch { return false; } };
const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trim() : null);
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({
    uid: process.getuid(), gid: process.getgid(), cwd: process.cwd(),
    rootWritable: tryWrite('/written-by-pod'), tmpWritable: tryWrite('/tmp/written-by-pod'),
    podName: process.env.POD_NAME ?? null, podIp: process.env.POD_IP ?? null, greeting: process.env.GREETING ?? null,
    init: read('/work/init.txt'), secret: fs.existsSync('/ignored.txt'),
  }));
}).listen(Number(process.env.PORT ?? 8080), '0.0.0.0');
`;

const RESTRICTED_CONTAINER = {
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  },
  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
};
const RESTRICTED_POD = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } };

async function podInfo(cluster: TestCluster, namespace: string, name: string): Promise<Record<string, unknown>> {
  const pod = await cluster.client.get<PodView>(`/api/v1/namespaces/${namespace}/pods/${name}`);
  const response = await fetch(`http://${pod.status!.podIP}:8080/`);
  return (await response.json()) as Record<string, unknown>;
}

describe('test kubelet: what a real node enforces', () => {
  let cluster: TestCluster;
  let work: string;
  let image: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kubelet-test-'));
    await mkdir(join(work, 'app'));
    await writeFile(join(work, 'app', 'server.mjs'), SERVER);
    cluster = await startCluster({ namespaces: [NS] });
    await cluster.createNamespace(LOCKED, { 'pod-security.kubernetes.io/enforce': 'restricted' });
    image = await cluster.registry.push('ghcr.io/acme/info:v1', join(work, 'app'));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const api = () => cluster.client;
  const ready = (namespace: string, name: string) =>
    waitFor(`${name} ready`, async () => {
      const pod = (await listPods(api(), namespace)).find((p) => p.metadata.name === name);
      return pod && isReady(pod) ? pod : undefined;
    }, { describe: () => describePods(api(), namespace) });

  it('refuses a pod that breaks the restricted profile in a restricted namespace, naming the rules', async () => {
    const error = await api()
      .request('POST', `/api/v1/namespaces/${LOCKED}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'rooty' }, spec: { containers: [{ name: 'server', image, command: ['node', 'server.mjs'] }] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).message).toContain('violates PodSecurity "restricted:latest"');
    expect((error as KubeError).message).toContain('allowPrivilegeEscalation != false');
    expect((error as KubeError).message).toContain('runAsNonRoot != true');
    expect((error as KubeError).message).toContain('seccompProfile');
  });

  it('runs a restricted pod as its non-root user with a read-only root and a writable /tmp', async () => {
    await api().request('POST', `/api/v1/namespaces/${LOCKED}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'strict' },
      spec: {
        securityContext: RESTRICTED_POD,
        volumes: [{ name: 'tmp', emptyDir: {} }],
        containers: [{ name: 'server', image, command: ['node', 'server.mjs'], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }, ...RESTRICTED_CONTAINER }],
      },
    });
    await ready(LOCKED, 'strict');
    const info = await podInfo(cluster, LOCKED, 'strict');
    expect(info).toMatchObject({ uid: 1000, gid: 1000, cwd: '/app', rootWritable: false, tmpWritable: true });
  });

  it('reports CreateContainerConfigError for runAsNonRoot with an image that runs as root', async () => {
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root-image' },
      spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'server', image, command: ['node', 'server.mjs'] }] },
    });
    const waiting = await waitFor('CreateContainerConfigError', async () => {
      const pod = (await listPods(api(), NS)).find((p) => p.metadata.name === 'root-image');
      const state = pod?.status?.containerStatuses?.[0]?.state['waiting'];
      return state?.reason === 'CreateContainerConfigError' ? state : undefined;
    });
    expect(waiting.message).toContain('container has runAsNonRoot and image will run as root');
    const events = await podEvents(api(), NS, 'root-image');
    expect(events.some((e) => e.reason === 'Failed' && e.message.startsWith('Error: container has runAsNonRoot'))).toBe(true);
  });

  it('builds an image from a Dockerfile context and runs its CMD, WORKDIR, USER and ENV', async () => {
    const context = join(work, 'context');
    await mkdir(join(context, 'src'), { recursive: true });
    await writeFile(join(context, 'src', 'server.mjs'), SERVER);
    await writeFile(join(context, 'ignored.txt'), 'not in the image');
    await writeFile(join(context, '.dockerignore'), 'ignored.txt\n');
    await writeFile(
      join(context, 'Dockerfile'),
      ['FROM node:20-slim', 'WORKDIR /srv/app', 'COPY . .', 'USER 1000:1000', 'ENV PORT=8080 GREETING="hello there"', 'EXPOSE 8080', 'CMD ["node", "src/server.mjs"]', ''].join('\n'),
    );
    const built = await cluster.registry.build(context, 'ghcr.io/acme/built:sha-1');
    expect(built).toMatch(/^ghcr\.io\/acme\/built@sha256:[0-9a-f]{64}$/);
    await writeFile(join(context, 'Dockerfile.bad'), 'FROM node:20-slim\nRUN npm ci\n');
    await expect(cluster.registry.build(context, 'ghcr.io/acme/bad:1', { dockerfile: 'Dockerfile.bad' })).rejects.toThrow(/Dockerfile.bad:2: RUN cannot run commands/);
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'built' },
      spec: { containers: [{ name: 'server', image: built, readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1 } }] },
    });
    await ready(NS, 'built');
    const info = await podInfo(cluster, NS, 'built');
    expect(info).toMatchObject({ uid: 1000, cwd: '/srv/app', greeting: 'hello there', rootWritable: false, secret: false });
  });

  it('runs init containers first and passes the downward API', async () => {
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'with-init' },
      spec: {
        volumes: [{ name: 'work', emptyDir: {} }],
        initContainers: [{ name: 'fetch', image, command: ['sh', '-c', 'echo fetched-model > /work/init.txt'], volumeMounts: [{ name: 'work', mountPath: '/work' }] }],
        containers: [{
          name: 'server', image, command: ['node', 'server.mjs'],
          env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
          readinessProbe: { httpGet: { port: 8080, path: '/' }, periodSeconds: 1 },
          livenessProbe: { exec: { command: ['test', '-s', '/work/init.txt'] }, periodSeconds: 1 },
        }],
      },
    });
    const pod = await ready(NS, 'with-init');
    const info = await podInfo(cluster, NS, 'with-init');
    expect(info).toMatchObject({ init: 'fetched-model', podName: 'with-init', podIp: pod.status!.podIP });
  });

  it('honours restartPolicy Never and OnFailure, and env from ConfigMaps and Secrets', async () => {
    await api().request('POST', `/api/v1/namespaces/${NS}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { MODE: 'fast' } });
    await api().request('POST', `/api/v1/namespaces/${NS}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { token: 's3cret' } });
    const job = (name: string, policy: string, script: string, extra: Record<string, unknown> = {}, podExtra: Record<string, unknown> = {}) =>
      api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
        apiVersion: 'v1', kind: 'Pod', metadata: { name },
        spec: { restartPolicy: policy, containers: [{ name: 'job', image, command: ['sh', '-c', script], ...extra }], ...podExtra },
      });
    await job('once-failing', 'Never', 'echo "bad config" > /dev/termination-log; exit 4');
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'no-binary' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'job', image, command: ['gunicorn', 'app:app'] }] },
    });
    await job('once-ok', 'OnFailure', 'echo "$MODE $API_TOKEN $(cat /etc/creds/token)"', {
      envFrom: [{ configMapRef: { name: 'settings' } }],
      env: [{ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
      volumeMounts: [{ name: 'creds', mountPath: '/etc/creds', readOnly: true }],
    }, { volumes: [{ name: 'creds', secret: { secretName: 'creds' } }] });
    const phase = (name: string) =>
      waitFor(`${name} finished`, async () => {
        const pod = (await listPods(api(), NS)).find((p) => p.metadata.name === name);
        return pod?.status?.phase === 'Succeeded' || pod?.status?.phase === 'Failed' ? pod : undefined;
      }, { describe: () => describePods(api(), NS) });
    const failed = await phase('once-failing');
    expect(failed.status?.phase).toBe('Failed');
    expect(failed.status?.containerStatuses?.[0]).toMatchObject({ restartCount: 0, state: { terminated: { exitCode: 4, reason: 'Error', message: 'bad config\n' } } });
    const noBinary = await phase('no-binary');
    expect(noBinary.status?.containerStatuses?.[0]?.state['terminated']).toMatchObject({ exitCode: 128, reason: 'StartError' });
    expect(noBinary.status?.containerStatuses?.[0]?.state['terminated']?.message).toContain('exec: "gunicorn": executable file not found in $PATH');
    const ok = await phase('once-ok');
    expect(ok.status?.phase).toBe('Succeeded');
    expect(cluster.podLogs(NS, 'once-ok')).toBe('fast s3cret s3cret\n');
  });

  it('restarts a container whose liveness probe fails, and one whose startup probe never passes', async () => {
    const probeOnly = { name: 'server', image, command: ['node', 'server.mjs'] };
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unlive' },
      spec: { terminationGracePeriodSeconds: 2, containers: [{ ...probeOnly, livenessProbe: { exec: { command: ['sh', '-c', 'exit 1'] }, periodSeconds: 1, failureThreshold: 2 } }] },
    });
    await api().request('POST', `/api/v1/namespaces/${NS}/pods`, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unstarted' },
      spec: { terminationGracePeriodSeconds: 2, containers: [{ ...probeOnly, startupProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1, failureThreshold: 2 }, readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 } }] },
    });
    for (const [name, kind] of [['unlive', 'liveness'], ['unstarted', 'startup']] as const) {
      await waitFor(`${name} restarted`, async () => {
        const pod = (await listPods(api(), NS)).find((p) => p.metadata.name === name);
        return (pod?.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0;
      }, { describe: () => describePods(api(), NS) });
      const events = await podEvents(api(), NS, name);
      expect(events.some((e) => e.reason === 'Unhealthy' && e.message.startsWith(`${kind === 'liveness' ? 'Liveness' : 'Startup'} probe failed:`))).toBe(true);
      expect(events.some((e) => e.reason === 'Killing' && e.message === `Container server failed ${kind} probe, will be restarted`)).toBe(true);
    }
    const unstarted = (await listPods(api(), NS)).find((p) => p.metadata.name === 'unstarted')!;
    expect(isReady(unstarted)).toBe(false);
  });
});
