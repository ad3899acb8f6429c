/**
 * core/v1 Events as the kubelet writes them: one object per (object, field, reason, message), its count and
 * lastTimestamp bumped when it repeats, so `kubectl describe`-style readers and deploy code see what real
 * clusters show (Failed / BackOff / Unhealthy / Killing with the kubelet's wording).
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient, KubeObject } from './kube-client.js';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number; pending: Promise<unknown> }>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly host: string,
  ) {}

  record(object: KubeObject & { kind?: string }, type: EventType, reason: string, message: string, fieldPath?: string): void {
    const namespace = object.metadata.namespace ?? 'default';
    const key = `${object.metadata.uid}|${fieldPath ?? ''}|${reason}|${message}`;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const existing = this.seen.get(key);
    if (existing) {
      existing.count++;
      const count = existing.count;
      existing.pending = existing.pending
        .then(() => this.client.mergePatch(`/api/v1/namespaces/${namespace}/events/${existing.name}`, { count, lastTimestamp: now }))
        .catch(() => undefined);
      return;
    }
    const name = `${object.metadata.name}.${randomBytes(8).toString('hex')}`;
    const body = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: object.apiVersion ?? 'v1',
        kind: object.kind ?? 'Pod',
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component: this.component, host: this.host },
      reportingComponent: this.component,
      reportingInstance: this.host,
    };
    const pending = this.client.request('POST', `/api/v1/namespaces/${namespace}/events`, body).catch(() => undefined);
    this.seen.set(key, { name, count: 1, pending });
  }

  async flush(): Promise<void> {
    await Promise.all([...this.seen.values()].map((e) => e.pending));
  }
}
