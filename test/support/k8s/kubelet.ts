/**
 * The test node: registers a Ready Node and renews its Lease (so the node lifecycle controller keeps it
 * Ready), binds every unscheduled pod to itself through the Binding subresource (there is no scheduler),
 * and runs a PodWorker for each pod bound to it. What it does not do: resource accounting, taints and
 * tolerations, affinity, cgroups (limits are not enforced), image pull secrets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EventRecorder } from './events.js';
import { KubeError, type Informer, type KubeClient } from './kube-client.js';
import type { NodeNetwork } from './network.js';
import type { Pod } from './pod-spec.js';
import { PodWorker, type NodeContext } from './pod-worker.js';
import type { TestRegistry } from './registry.js';

export interface KubeletOptions {
  client: KubeClient;
  network: NodeNetwork;
  registry: TestRegistry;
  nodeName?: string;
  backoff?: { initialMs: number; maxMs: number };
  workDir: string;
  log?: (message: string) => void;
}

export interface Kubelet {
  nodeName: string;
  podLogs(namespace: string, pod: string, container?: string): string;
  podIp(namespace: string, pod: string): string | undefined;
  stop(): Promise<void>;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export async function startKubelet(options: KubeletOptions): Promise<Kubelet> {
  const { client, network } = options;
  const nodeName = options.nodeName ?? 'mlops-test-node';
  const hostIp = network.gatewayIp;
  const log = options.log ?? (() => undefined);
  const podsDir = await mkdtemp(join(options.workDir, 'pods-'));
  const ctx: NodeContext = {
    client,
    events: new EventRecorder(client, 'kubelet', nodeName),
    registry: options.registry,
    network,
    nodeName,
    hostIp,
    podsDir,
    backoff: options.backoff ?? { initialMs: 2000, maxMs: 20_000 },
    log,
  };
  const schedulerEvents = new EventRecorder(client, 'default-scheduler', '');

  const labels = { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' };
  const nodeStatus = () => ({
    capacity: { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '50Gi' },
    allocatable: { cpu: '2', memory: '8Gi', pods: '110', 'ephemeral-storage': '50Gi' },
    conditions: [
      ...['MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => ({ type, status: 'False', reason: `KubeletHas${type === 'PIDPressure' ? 'SufficientPID' : type === 'MemoryPressure' ? 'SufficientMemory' : 'NoDiskPressure'}`, message: 'test kubelet', lastHeartbeatTime: now(), lastTransitionTime: started })),
      { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: started },
    ],
    addresses: [
      { type: 'InternalIP', address: hostIp },
      { type: 'Hostname', address: nodeName },
    ],
    nodeInfo: {
      machineID: 'mlops-test', systemUUID: 'mlops-test', bootID: 'mlops-test', kernelVersion: '', osImage: 'mlops test node', containerRuntimeVersion: 'mlops-test://1',
      kubeletVersion: 'v1.20.2', kubeProxyVersion: 'v1.20.2', operatingSystem: 'linux', architecture: 'amd64',
    },
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
  });
  const started = now();
  await client.request('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels }, spec: { podCIDR: network.podCidr, podCIDRs: [network.podCidr] } });
  await client.mergePatch(`/api/v1/nodes/${nodeName}/status`, { status: nodeStatus() });
  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${nodeName}`;
  const renew = async () => {
    const renewTime = new Date().toISOString().replace('Z', '000Z');
    try {
      await client.mergePatch(leasePath, { spec: { renewTime } });
    } catch (error) {
      if (!(error instanceof KubeError && error.status === 404)) throw error;
      await client.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: nodeName, namespace: 'kube-node-lease' },
        spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime },
      });
    }
    await client.mergePatch(`/api/v1/nodes/${nodeName}/status`, { status: nodeStatus() });
  };
  await renew().catch((e: unknown) => log(`lease: ${String(e)}`));
  const heartbeat = setInterval(() => void renew().catch((e: unknown) => log(`heartbeat: ${String(e)}`)), 10_000);

  const workers = new Map<string, PodWorker>();
  // Logs outlive the pod (as `kubectl logs` of a crashed pod's previous instance helps a failing test).
  const finished = new Map<string, PodWorker>();
  const retire = (uid: string, worker: PodWorker) => {
    if (workers.get(uid) === worker) workers.delete(uid);
    finished.delete(worker.key);
    finished.set(worker.key, worker);
    if (finished.size > 200) finished.delete(finished.keys().next().value!);
  };
  const bound = new Set<string>();
  const bind = async (pod: Pod) => {
    const uid = pod.metadata.uid!;
    if (bound.has(uid)) return;
    bound.add(uid);
    const selector = pod.spec.nodeSelector ?? {};
    const mismatch = Object.entries(selector).filter(([k, v]) => (labels as Record<string, string>)[k] !== v);
    if (mismatch.length) {
      schedulerEvents.record(pod, 'Warning', 'FailedScheduling', `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.`);
      return;
    }
    try {
      await client.request('POST', `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/binding`, {
        apiVersion: 'v1', kind: 'Binding', metadata: { name: pod.metadata.name, uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
      schedulerEvents.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${nodeName}`);
    } catch (error) {
      if (!(error instanceof KubeError && (error.status === 404 || error.status === 409))) log(`bind ${pod.metadata.name}: ${String(error)}`);
    }
  };

  const informer: Informer = client.informer<Pod>('/api/v1/pods', (event) => {
    const pod = event.object;
    const uid = pod.metadata.uid!;
    if (event.type === 'DELETED') {
      const worker = workers.get(uid);
      if (worker) {
        retire(uid, worker);
        void worker.forceStop();
      }
      bound.delete(uid);
      return;
    }
    if (!pod.spec.nodeName) {
      if (!pod.metadata.deletionTimestamp && (pod.spec.schedulerName ?? 'default-scheduler') === 'default-scheduler') void bind(pod);
      return;
    }
    if (pod.spec.nodeName !== nodeName) return;
    let worker = workers.get(uid);
    if (!worker) {
      const phase = pod.status?.phase;
      // A pod a previous kubelet run finished: nothing to run, only its deletion to honour.
      if ((phase === 'Succeeded' || phase === 'Failed') && !pod.metadata.deletionTimestamp) return;
      worker = new PodWorker(ctx, pod);
      workers.set(uid, worker);
      void worker.start();
      const started = worker;
      void worker.done.then(() => retire(uid, started));
    }
    worker.update(pod);
  }, (error) => log(`pod watch: ${String(error)}`));
  await informer.synced;

  const find = (namespace: string, name: string) => [...workers.values()].find((w) => w.key === `${namespace}/${name}`);
  return {
    nodeName,
    podLogs(namespace, name, container) {
      return (find(namespace, name) ?? finished.get(`${namespace}/${name}`))?.logs(container) ?? '';
    },
    podIp(namespace, name) {
      return find(namespace, name)?.podIp;
    },
    async stop() {
      clearInterval(heartbeat);
      informer.stop();
      await Promise.all([...workers.values()].map((w) => w.forceStop()));
      workers.clear();
      await rm(podsDir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
