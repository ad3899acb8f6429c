/**
 * The local reuse cache of the node runtime: the `.mlops/reuse` index (reuse.ts) over the content
 * store. An entry counts only while every output it names is still in the store, intact.
 */
import type { ContentStore } from '../store/content-store.js';
import type { ReuseCache, ReuseHit } from './node-run.js';
import { lookupReuse, recordReuse, unusableOutputs } from './reuse.js';

export function localReuseCache(reuseDir: string, store: ContentStore, notice?: (message: string) => void): ReuseCache {
  return {
    async lookup(reuseKey: string): Promise<ReuseHit | undefined> {
      const entry = await lookupReuse(reuseDir, reuseKey);
      if (!entry) return undefined;
      // The objects handed out are verified (one stat each; a re-hash and quarantine when touched).
      const problem = await unusableOutputs(store, entry.outputs);
      if (problem !== undefined) {
        notice?.(`node ${entry.node}: not reusing run ${entry.runId}: ${problem}; the node runs`);
        return undefined;
      }
      return entry;
    },
    save: (entry) => recordReuse(reuseDir, entry),
  };
}
