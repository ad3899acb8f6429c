/**
 * Waiting on cluster state without timed assertions: poll a condition until it holds, and on timeout fail
 * with what was last seen (so a failure names the state, not just "timed out").
 */
import type { KubeClient } from './kube-client.js';

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, options: { timeoutMs?: number; intervalMs?: number; describe?: () => Promise<string> | string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = options.describe ? await options.describe() : lastError ? String(lastError) : '';
      throw new Error(`timed out waiting for ${what}${detail ? `: ${detail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

export interface PodView {
  metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ name: string; ready: boolean; restartCount: number; state: Record<string, { reason?: string; message?: string; exitCode?: number }>; lastState: Record<string, { reason?: string; exitCode?: number }> }>;
  };
}

export async function listPods(client: KubeClient, namespace: string, selector?: string): Promise<PodView[]> {
  const query = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
  return (await client.get<{ items: PodView[] }>(`/api/v1/namespaces/${namespace}/pods${query}`)).items;
}

export function isReady(pod: PodView): boolean {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

export interface EventView {
  reason: string;
  message: string;
  type: string;
  count: number;
  involvedObject: { kind: string; name: string; fieldPath?: string };
}

export async function podEvents(client: KubeClient, namespace: string, pod: string): Promise<EventView[]> {
  const selector = encodeURIComponent(`involvedObject.kind=Pod,involvedObject.name=${pod}`);
  return (await client.get<{ items: EventView[] }>(`/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`)).items;
}

/** One-line summary of pods for failure messages. */
export async function describePods(client: KubeClient, namespace: string): Promise<string> {
  const pods = await listPods(client, namespace).catch(() => []);
  return pods
    .map((p) => {
      const cs = (p.status?.containerStatuses ?? []).map((c) => `${c.name}:${Object.keys(c.state)[0]}${Object.values(c.state)[0]?.reason ? `(${Object.values(c.state)[0]!.reason})` : ''} ready=${c.ready} restarts=${c.restartCount}`).join(' ');
      return `${p.metadata.name} ${p.status?.phase ?? '?'} ${p.status?.podIP ?? ''} ${cs}`;
    })
    .join('; ');
}
