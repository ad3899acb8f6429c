/**
 * The endpoint's revision history, kept in the cluster beside it (a ConfigMap `<name>-history`), so a
 * rollback from any machine sees the same list: each deployed model version with the Deployment it was
 * deployed as and what became of it. `mlops rollback` goes back to the newest earlier revision that
 * served well (skipping versions marked failed or rolled back), so repeated rollbacks walk further back.
 */
import type { V1ConfigMap, V1Deployment } from '../../adapters/kube-types.js';
import type { Cluster } from './cluster.js';

export type RevisionStatus = 'deploying' | 'canary' | 'serving' | 'replaced' | 'failed' | 'rolled-back';

export interface Revision {
  revision: number;
  version: string;
  strategy: string;
  status: RevisionStatus;
  at: string;
  reason?: string;
  /** Canary: the primary's replica count before the canary, restored when it ends. */
  primaryReplicas?: number;
  /** The Deployment as generated (track `stable`), re-applied on rollback. */
  manifest: V1Deployment;
}

const KEY = 'revisions.json';
/** Revisions kept; each holds a Deployment of a few kilobytes, far below a ConfigMap's 1 MiB. */
const KEEP = 20;

export class History {
  revisions: Revision[] = [];

  private constructor(
    private readonly cluster: Cluster,
    readonly name: string,
    private readonly labels: Record<string, string>,
  ) {}

  static async load(cluster: Cluster, endpointName: string, labels: Record<string, string>): Promise<History> {
    const history = new History(cluster, `${endpointName}-history`, labels);
    const map = await cluster.client.find<V1ConfigMap>(cluster.path('ConfigMap', history.name));
    const text = map?.data?.[KEY];
    if (text) {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (Array.isArray(parsed)) history.revisions = parsed as Revision[];
      } catch {
        // A hand-edited, unreadable history is not a reason to refuse a deploy: it starts again.
      }
    }
    return history;
  }

  serving(): Revision | undefined {
    return [...this.revisions].reverse().find((r) => r.status === 'serving');
  }

  /** The revision a rollback goes to: the newest one before the serving one that served and was replaced. */
  rollbackTarget(): Revision | undefined {
    const current = this.serving();
    const before = current ? this.revisions.filter((r) => r.revision < current.revision) : this.revisions;
    return [...before].reverse().find((r) => r.status === 'replaced' && r.version !== current?.version);
  }

  add(version: string, strategy: string, manifest: V1Deployment): Revision {
    const revision: Revision = { revision: (this.revisions.at(-1)?.revision ?? 0) + 1, version, strategy, status: 'deploying', at: new Date().toISOString(), manifest };
    this.revisions.push(revision);
    return revision;
  }

  /** `revision` serves now; whatever served before is `replaced` (or `rolled-back` when it is being rolled back). */
  markServing(revision: Revision, previousStatus: 'replaced' | 'rolled-back' = 'replaced'): void {
    for (const r of this.revisions) if (r.status === 'serving' && r !== revision) r.status = previousStatus;
    revision.status = 'serving';
    revision.at = new Date().toISOString();
  }

  mark(revision: Revision, status: RevisionStatus, reason?: string): void {
    revision.status = status;
    if (reason) revision.reason = reason;
  }

  async save(): Promise<void> {
    this.revisions = this.revisions.slice(-KEEP);
    await this.cluster.apply<V1ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, labels: this.labels },
      data: { [KEY]: JSON.stringify(this.revisions) },
    });
  }
}
