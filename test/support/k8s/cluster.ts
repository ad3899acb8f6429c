/**
 * A one-node Kubernetes cluster for the test:k8s tier: the real control plane (etcd, kube-apiserver and
 * kube-controller-manager 1.20.2), a test kubelet whose pods are local processes in their own network
 * namespaces, a kube-proxy stand-in reached through `serviceUrl`, a test image registry, and Pod Security
 * admission for labelled namespaces. `stop()` leaves no process, network namespace or folder behind.
 *
 *   const cluster = await startCluster({ namespaces: ['demo'] });
 *   const image = await cluster.registry.push('ghcr.io/acme/app:v1', folder);   // name@sha256:...
 *   ... create a Deployment and a Service through the API (cluster.server, cluster.kubeconfigPath) ...
 *   const url = await cluster.serviceUrl('demo', 'app');
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterAvailable, startControlPlane, type ControlPlane } from './control-plane.js';
import { KubeClient, KubeError } from './kube-client.js';
import { startKubelet, type Kubelet } from './kubelet.js';
import { createNodeNetwork, type NodeNetwork } from './network.js';
import { startPodSecurityWebhook } from './pod-security.js';
import { ServiceProxy } from './proxy.js';
import { createRegistry, type TestRegistry } from './registry.js';

export { clusterAvailable } from './control-plane.js';
export type { TestRegistry, PushOptions, Image, ImageConfig } from './registry.js';
export { KubeClient, KubeError } from './kube-client.js';

export interface TestCluster {
  /** https://127.0.0.1:<port> of the real kube-apiserver. */
  server: string;
  /** A kubeconfig file: the admin token user (system:masters) and the cluster's CA data. */
  kubeconfigPath: string;
  token: string;
  /** PEM of the CA that signed the apiserver's certificate. */
  ca: string;
  /** The harness's own API client (admin). */
  client: KubeClient;
  registry: TestRegistry;
  /** The node's address as pods see it (the bridge gateway): a server on the host that pods must reach
   *  binds this address (or 0.0.0.0), never 127.0.0.1, which inside a pod is the pod itself. */
  hostIp: string;
  nodeName: string;
  /** Milliseconds the control plane took to become ready. */
  startupMs: number;
  /** kube-proxy stand-in: a loopback URL that forwards each connection to one of the Service's ready
   *  Endpoints (the real Endpoints object, watched), so traffic share follows ready pods. */
  serviceUrl(namespace: string, service: string, port?: number): Promise<string>;
  /** Ready backends (podIP:port) the proxy would pick from now. */
  serviceBackends(namespace: string, service: string, portName?: string): string[];
  /** Output of the pod's containers (current instances, oldest first); '' for an unknown pod. */
  podLogs(namespace: string, pod: string, container?: string): string;
  /** Creates a namespace (labels optional) and waits for its default ServiceAccount and token. */
  createNamespace(name: string, labels?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  namespaces?: string[];
  /** CrashLoopBackOff/ImagePullBackOff timing (default 2 s doubling to 20 s; a real kubelet: 10 s to 5 min). */
  backoff?: { initialMs: number; maxMs: number };
  /** Lines of the harness's own diagnostics (status writes that failed, ...). */
  log?: (message: string) => void;
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const available = clusterAvailable();
  if (!available.ok) throw new Error(`test:k8s: ${available.why}`);
  const workDir = await mkdtemp(join(tmpdir(), 'mlops-k8s-node-'));
  const cleanups: Array<() => Promise<unknown>> = [async () => rm(workDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const network: NodeNetwork = await createNodeNetwork();
    cleanups.push(() => network.destroy());
    const plane: ControlPlane = await startControlPlane({ serviceCidr: network.serviceCidr });
    cleanups.push(() => plane.stop());
    const client = new KubeClient(plane.server, plane.token, plane.pki.caPem);
    cleanups.push(async () => client.close());
    const registry = await createRegistry(join(workDir, 'registry'));
    const webhook = await startPodSecurityWebhook(client, plane.pki);
    cleanups.push(() => webhook.close());
    const kubelet: Kubelet = await startKubelet({ client, network, registry, workDir, ...(options.backoff ? { backoff: options.backoff } : {}), ...(options.log ? { log: options.log } : {}) });
    cleanups.push(() => kubelet.stop());
    const proxy = new ServiceProxy(client);
    cleanups.push(() => proxy.close());

    const createNamespace = async (name: string, labels: Record<string, string> = {}) => {
      try {
        await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
      } catch (error) {
        if (!(error instanceof KubeError && error.status === 409)) throw error;
        if (Object.keys(labels).length) await client.mergePatch(`/api/v1/namespaces/${name}`, { metadata: { labels } });
      }
      await waitForServiceAccount(client, name);
    };
    await waitForServiceAccount(client, 'default');
    for (const ns of options.namespaces ?? []) await createNamespace(ns);

    return {
      server: plane.server,
      kubeconfigPath: plane.kubeconfigPath,
      token: plane.token,
      ca: plane.pki.caPem,
      client,
      registry,
      hostIp: network.gatewayIp,
      nodeName: kubelet.nodeName,
      startupMs: plane.startupMs,
      serviceUrl: (namespace, service, port) => proxy.serviceUrl(namespace, service, port),
      serviceBackends: (namespace, service, portName) => proxy.backends(namespace, service, portName),
      podLogs: (namespace, pod, container) => kubelet.podLogs(namespace, pod, container),
      createNamespace,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The ServiceAccount admission plugin refuses pods until the namespace's default account has its token. */
async function waitForServiceAccount(client: KubeClient, namespace: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const account = await client.find<{ secrets?: unknown[] }>(`/api/v1/namespaces/${namespace}/serviceaccounts/default`);
    if (account?.secrets?.length) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`namespace ${namespace}: the default ServiceAccount got no token in 60 s (is kube-controller-manager running?)`);
}
