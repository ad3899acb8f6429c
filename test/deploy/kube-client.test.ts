/**
 * The fetch-free Kubernetes client adapter: kubeconfig parsing (CA data and files, tokens, client
 * certificates, exec plugins, contexts) and the HTTPS client (the CA is really used, a client certificate
 * is really presented, errors are typed from the server's Status, server-side apply is sent as such).
 * The TLS peer is a loopback HTTPS server with certificates made by openssl; the rollout itself is tested
 * against the real API server in test/k8s/.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:https';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KubeApiError, KubeClient, KubeConnectionError, resourcePath } from '../../src/adapters/kube-client.js';
import { parseKubeconfig } from '../../src/adapters/kubeconfig.js';
import { pickVersion, translate } from '../../src/deploy/kubernetes/cluster.js';
import { microTime } from '../../src/deploy/kubernetes/lease.js';
import { ConfigurationError } from '../../src/util/errors.js';

let dir = '';
let server: Server;
let url = '';
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string; clientCert: boolean }[] = [];

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-client-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'san.ext');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=deployer/O=system:masters');
  openssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '1');
  server = createServer(
    { key: await readFile(join(dir, 'server.key')), cert: await readFile(join(dir, 'server.crt')), ca: await readFile(join(dir, 'ca.crt')), requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const socket = req.socket as import('node:tls').TLSSocket;
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, clientCert: socket.authorized });
        const path = (req.url ?? '').split('?')[0];
        res.setHeader('content-type', 'application/json');
        if (path === '/api') {
          res.end(JSON.stringify({ versions: ['v1'] }));
          return;
        }
        if (path === '/apis') {
          res.end(JSON.stringify({ groups: [{ name: 'autoscaling', versions: [{ groupVersion: 'autoscaling/v1' }, { groupVersion: 'autoscaling/v2beta2' }] }, { name: 'policy', versions: [{ groupVersion: 'policy/v1beta1' }] }] }));
          return;
        }
        if (path?.endsWith('/configmaps/taken')) {
          res.statusCode = 409;
          {
          res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', message: 'configmaps "taken" already exists', code: 409 }));
          return;
        }
        }
        if (path?.endsWith('/configmaps/missing')) {
          res.statusCode = 404;
          {
          res.end(JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'configmaps "missing" not found', code: 404 }));
          return;
        }
        }
        res.end(JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'x' } }));
      });
    },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise<void>((done) => server.close(() => done()));
  await rm(dir, { recursive: true, force: true });
});

function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown>, extra = ''): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'main',
    contexts: [
      { name: 'main', context: { cluster: 'c', user: 'u', namespace: 'ml' } },
      { name: 'other', context: { cluster: 'c', user: 'nobody' } },
    ],
    clusters: [{ name: 'c', cluster: { server: url, ...cluster } }],
    users: [{ name: 'u', user }, { name: 'nobody', user: {} }],
  }) + extra;
}

describe('kubeconfig', () => {
  test('CA data and a token; the context names the namespace', async () => {
    const target = parseKubeconfig(kubeconfig({ 'certificate-authority-data': (await readFile(join(dir, 'ca.crt'))).toString('base64') }, { token: 'abc' }));
    expect(target).toMatchObject({ server: url, context: 'main', namespace: 'ml', token: 'abc', insecure: false });
    expect(target.ca?.toString()).toContain('BEGIN CERTIFICATE');
  });

  test('files relative to the kubeconfig folder: CA, client certificate and key, token file', async () => {
    await writeFile(join(dir, 'token'), 'from-file\n');
    const target = parseKubeconfig(kubeconfig({ 'certificate-authority': 'ca.crt' }, { 'client-certificate': 'client.crt', 'client-key': 'client.key', tokenFile: 'token' }), { baseDir: dir });
    expect(target.cert?.toString()).toContain('BEGIN CERTIFICATE');
    expect(target.key?.toString()).toContain('PRIVATE KEY');
    expect(target.token).toBe('from-file');
  });

  test('an exec credential plugin (as EKS/GKE write them) gives the token', () => {
    const script = `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-' + JSON.parse(process.env.KUBERNETES_EXEC_INFO).spec.cluster.server.length } }))`;
    const target = parseKubeconfig(kubeconfig({ 'insecure-skip-tls-verify': true }, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', script] } }));
    expect(target.token).toBe(`exec-${url.length}`);
    expect(target.insecure).toBe(true);
  });

  test.each([
    ['no current context', JSON.stringify({ clusters: [], contexts: [], users: [] }), /no current-context/],
    ['a context naming an unknown cluster', JSON.stringify({ 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'nope', user: 'u' } }], clusters: [], users: [] }), /no cluster named 'nope'/],
    ['a server that is not a URL', JSON.stringify({ 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'c' } }], clusters: [{ name: 'c', cluster: { server: 'not a url' } }] }), /is not a URL/],
    ['not YAML', ': : :\n  - [', /cannot read the kubeconfig/],
  ])('%s is a clear error', (_what, text, message) => {
    expect(() => parseKubeconfig(text)).toThrow(message);
    expect(() => parseKubeconfig(text)).toThrow(ConfigurationError);
  });

  test('a chosen context', () => {
    expect(parseKubeconfig(kubeconfig({}, { token: 't' }), { context: 'other' })).toMatchObject({ context: 'other' });
    expect(() => parseKubeconfig(kubeconfig({}, {}), { context: 'absent' })).toThrow(/no context named 'absent'/);
  });
});

describe('KubeClient over HTTPS', () => {
  test('trusts the kubeconfig CA and presents the client certificate', async () => {
    const client = new KubeClient(parseKubeconfig(kubeconfig({ 'certificate-authority': 'ca.crt' }, { 'client-certificate': 'client.crt', 'client-key': 'client.key' }), { baseDir: dir }));
    await client.get('/api/v1/namespaces/ml/configmaps/x');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', clientCert: true });
    client.close();
  });

  test('without the CA the server certificate is refused (a connection error, not a Kubernetes answer)', async () => {
    const client = new KubeClient(parseKubeconfig(kubeconfig({}, { token: 't' })));
    await expect(client.get('/api')).rejects.toThrow(KubeConnectionError);
    client.close();
  });

  test('server-side apply is a PATCH with the apply content type, field manager and force; errors carry status and reason', async () => {
    const client = new KubeClient(parseKubeconfig(kubeconfig({ 'insecure-skip-tls-verify': true }, { token: 'tok' })));
    await client.apply(resourcePath('v1', 'configmaps', 'ml', 'x'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, 'mlops');
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'PATCH', url: '/api/v1/namespaces/ml/configmaps/x?fieldManager=mlops&force=true' });
    expect(request?.headers).toMatchObject({ 'content-type': 'application/apply-patch+yaml', authorization: 'Bearer tok' });
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ kind: 'ConfigMap' });
    const error = await client.create(resourcePath('v1', 'configmaps', 'ml', 'taken'), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ status: 409, reason: 'AlreadyExists', detail: 'configmaps "taken" already exists' });
    expect(await client.find(resourcePath('v1', 'configmaps', 'ml', 'missing'))).toBeUndefined();
    expect(await client.delete(resourcePath('v1', 'configmaps', 'ml', 'missing'))).toBe(false);
    expect([...(await client.servedVersions())].sort()).toEqual(['autoscaling/v1', 'autoscaling/v2beta2', 'policy/v1beta1', 'v1']);
    client.close();
  });
});

describe('API versions for older clusters', () => {
  const old = new Set(['v1', 'apps/v1', 'autoscaling/v1', 'autoscaling/v2beta2', 'policy/v1beta1']);
  const current = new Set(['v1', 'apps/v1', 'autoscaling/v2', 'autoscaling/v2beta2', 'policy/v1']);
  test.each([
    ['autoscaling/v2', old, 'autoscaling/v2beta2'],
    ['autoscaling/v2', current, 'autoscaling/v2'],
    ['policy/v1', old, 'policy/v1beta1'],
    ['policy/v1', current, 'policy/v1'],
  ])('%s on a server serving %s → %s', (wanted, served, expected) => {
    expect(pickVersion(wanted, served, 'Kind')).toBe(expected);
  });

  test('a server serving neither version is refused naming what it serves', () => {
    expect(() => pickVersion('autoscaling/v2', new Set(['v1', 'autoscaling/v1']), 'HorizontalPodAutoscaler')).toThrow(
      'the cluster serves no API version for HorizontalPodAutoscaler that this tool can write (needs autoscaling/v2 or autoscaling/v2beta2; it serves autoscaling/v1)',
    );
  });

  test('translate changes only the apiVersion, and only where needed', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { maxReplicas: 3 } };
    expect(translate(hpa, old)).toEqual({ ...hpa, apiVersion: 'autoscaling/v2beta2' });
    expect(translate(hpa, current)).toBe(hpa);
  });

  test('Lease times are MicroTime (six fractional digits)', () => {
    expect(microTime(Date.UTC(2026, 11, 6, 9, 30, 1, 234))).toBe('2026-12-06T09:30:01.234000Z');
  });
});
