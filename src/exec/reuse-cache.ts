/**
 * The local reuse cache of the node runtime: the `.mlops/reuse` index (reuse.ts) over the content
 * store. An entry counts only while every output it names is still in the store.
 */
import type { ContentStore } from '../store/content-store.js';
import type { ReuseCache, ReuseHit } from './node-run.js';
import { lookupReuse, recordReuse } from './reuse.js';

export function localReuseCache(reuseDir: string, store: ContentStore): ReuseCache {
  return {
    async lookup(reuseKey: string): Promise<ReuseHit | undefined> {
      const entry = await lookupReuse(reuseDir, reuseKey);
      if (!entry) return undefined;
      for (const output of entry.outputs) if (!(await store.has(output.sha256))) return undefined;
      return entry;
    },
    save: (entry) => recordReuse(reuseDir, entry),
  };
}
