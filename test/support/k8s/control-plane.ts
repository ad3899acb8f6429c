/**
 * A real Kubernetes control plane on loopback: etcd (Debian's etcd-server), kube-apiserver and
 * kube-controller-manager v1.20.2 (built by scripts/k8s/build-control-plane.sh). Certificates come from a
 * throwaway CA made with openssl; an admin user authenticates with a static token (group system:masters).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { run, startProcess, type Supervised } from './processes.js';

export const KUBERNETES_VERSION = 'v1.20.2';
const BUILD_HINT = 'build them with `scripts/k8s/build-control-plane.sh` (about 12 minutes on 2 cores; cached in ~/.cache/mlops-k8s)';

export function binDir(): string {
  return process.env['MLOPS_K8S_BIN'] ?? join(homedir(), '.cache', 'mlops-k8s', KUBERNETES_VERSION, 'bin');
}

export function clusterAvailable(): { ok: true } | { ok: false; why: string } {
  const dir = binDir();
  for (const name of ['kube-apiserver', 'kube-controller-manager']) {
    if (!existsSync(join(dir, name))) return { ok: false, why: `${name} ${KUBERNETES_VERSION} is not in ${dir}: ${BUILD_HINT}` };
  }
  if (!existsSync('/usr/bin/etcd')) return { ok: false, why: `etcd is not installed (Debian package etcd-server): ${BUILD_HINT}` };
  for (const tool of ['/usr/bin/openssl', '/usr/sbin/ip', '/usr/bin/unshare', '/usr/bin/nsenter', '/usr/bin/setpriv']) {
    if (!existsSync(tool)) return { ok: false, why: `${tool} is missing (Debian packages openssl, iproute2, util-linux)` };
  }
  if (process.getuid?.() !== 0) return { ok: false, why: 'the test kubelet needs root (network namespaces per pod)' };
  return { ok: true };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  caPem: string;
  /** Issues a serving certificate for 127.0.0.1/localhost (and extra IPs); returns [certPath, keyPath]. */
  issue(name: string, ips?: string[]): Promise<[string, string]>;
}

export async function makePki(dir: string): Promise<Pki> {
  await mkdir(dir, { recursive: true });
  const caKey = join(dir, 'ca.key');
  const caCert = join(dir, 'ca.crt');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', caKey, '-out', caCert, '-days', '3', '-subj', '/CN=mlops-test-cluster-ca']);
  const caPem = await readFile(caCert, 'utf8');
  return {
    dir,
    caCert,
    caKey,
    caPem,
    async issue(name, ips = []) {
      const key = join(dir, `${name}.key`);
      const csr = join(dir, `${name}.csr`);
      const cert = join(dir, `${name}.crt`);
      const ext = join(dir, `${name}.ext`);
      const sans = ['DNS:localhost', 'DNS:kubernetes', 'DNS:kubernetes.default.svc', 'IP:127.0.0.1', ...ips.map((ip) => `IP:${ip}`)];
      await writeFile(ext, `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth,clientAuth\n`);
      await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
      await run('openssl', ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '3', '-extfile', ext]);
      return [cert, key];
    },
  };
}

export interface ControlPlane {
  server: string;
  token: string;
  pki: Pki;
  kubeconfigPath: string;
  dataDir: string;
  /** Milliseconds from the first process start to a ready apiserver and a started controller-manager. */
  startupMs: number;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Service ClusterIP range, e.g. 10.96.3.0/24. */
  serviceCidr: string;
  /** Where logs and state go (removed on stop unless MLOPS_K8S_KEEP is set). */
  dataDir?: string;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const available = clusterAvailable();
  if (!available.ok) throw new Error(available.why);
  const began = Date.now();
  // etcd's data on tmpfs: fsync is what makes etcd slow on a shared disk.
  const dataDir = options.dataDir ?? (await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : '/tmp', 'mlops-k8s-')));
  const processes: Supervised[] = [];
  const stop = async () => {
    for (const p of processes.reverse()) await p.stop(5000);
    if (!process.env['MLOPS_K8S_KEEP']) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const pki = await makePki(join(dataDir, 'pki'));
    const [apiCert, apiKey] = await pki.issue('apiserver');
    const saKey = join(pki.dir, 'sa.key');
    const saPub = join(pki.dir, 'sa.pub');
    await run('openssl', ['genrsa', '-out', saKey, '2048']);
    await run('openssl', ['rsa', '-in', saKey, '-pubout', '-out', saPub]);
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dataDir, 'tokens.csv');
    await writeFile(tokenFile, `${token},admin,admin,"system:masters"\n`, { mode: 0o600 });

    const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;
    const etcd = startProcess('/usr/bin/etcd', [
      '--name', 'default',
      '--data-dir', join(dataDir, 'etcd'),
      '--listen-client-urls', etcdUrl,
      '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeerPort}`,
      '--initial-cluster', `default=http://127.0.0.1:${etcdPeerPort}`,
      '--log-level', 'warn',
      '--logger', 'zap',
    ], { logFile: join(dataDir, 'etcd.log') });
    processes.push(etcd);

    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProcess(join(binDir(), 'kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      '--insecure-port=0',
      `--tls-cert-file=${apiCert}`,
      `--tls-private-key-file=${apiKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=Node,RBAC',
      `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      `--service-cluster-ip-range=${options.serviceCidr}`,
      // The default plugins of 1.20 (NamespaceLifecycle, LimitRanger, ServiceAccount, DefaultTolerationSeconds,
      // ResourceQuota, the webhooks, ...) stay on; NodeRestriction as a real cluster has it.
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      // The `kubernetes` Service would point at 127.0.0.1, which Endpoints validation refuses.
      '--endpoint-reconciler-type=none',
      `--cert-dir=${join(dataDir, 'apiserver-certs')}`,
      '--profiling=false',
      '--watch-cache=true',
      '--v=1',
    ], { logFile: join(dataDir, 'kube-apiserver.log') });
    processes.push(apiserver);

    await waitReady(server, token, pki.caPem, apiserver, join(dataDir, 'kube-apiserver.log'));

    const kubeconfigPath = join(dataDir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig(server, token, pki.caPem), { mode: 0o600 });
    const controllerManager = startProcess(join(binDir(), 'kube-controller-manager'), [
      `--kubeconfig=${kubeconfigPath}`,
      '--leader-elect=false',
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--use-service-account-credentials=false',
      '--port=0',
      '--secure-port=0',
      // Tests create and delete many objects quickly: don't let client-side rate limits pace the controllers.
      '--kube-api-qps=200',
      '--kube-api-burst=400',
      '--concurrent-deployment-syncs=10',
      '--concurrent-replicaset-syncs=10',
      '--concurrent-endpoint-syncs=10',
      '--v=1',
    ], { logFile: join(dataDir, 'kube-controller-manager.log') });
    processes.push(controllerManager);
    await new Promise((r) => setTimeout(r, 200));
    if (controllerManager.exitCode !== undefined) {
      throw new Error(`kube-controller-manager exited: ${(await readFile(join(dataDir, 'kube-controller-manager.log'), 'utf8')).slice(-2000)}`);
    }
    return { server, token, pki, kubeconfigPath, dataDir, startupMs: Date.now() - began, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitReady(server: string, token: string, ca: string, apiserver: Supervised, logFile: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    if (apiserver.exitCode !== undefined) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(`kube-apiserver exited with ${apiserver.exitCode}:\n${log.slice(-3000)}`);
    }
    last = await new Promise<string>((resolve) => {
      const req = httpsRequest(new URL('/readyz', server), { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(res.statusCode === 200 ? 'ok' : `${res.statusCode} ${body.slice(0, 300)}`));
      });
      req.on('error', (e) => resolve(String(e)));
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.end();
    });
    if (last === 'ok') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`kube-apiserver not ready after 180 s: ${last}`);
}

export function kubeconfig(server: string, token: string, caPem: string): string {
  const ca = Buffer.from(caPem).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: test',
    '  context:',
    '    cluster: test',
    '    user: admin',
    '    namespace: default',
    'current-context: test',
    '',
  ].join('\n');
}
