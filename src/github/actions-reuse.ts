/**
 * The node runtime's reuse cache on GitHub: the Actions cache, one entry per reuse key holding the
 * outputs and an entry file. A restored entry counts only when every output matches its checksum.
 */
import { readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { ReuseCache, ReuseHit } from '../exec/node-run.js';
import type { ContentStore } from '../store/content-store.js';
import { getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { restoreReused, saveReused } from '../adapters/cache.js';
import { isSafeRelativePath } from '../adapters/node-manifest.js';

/** Relative to the working directory (the workspace on a runner), as the cache client wants it. */
function reuseCachePath(reuseKey: string): string {
  return `.mlops/github-reuse/${reuseKey}`;
}

export function actionsReuseCache(store: ContentStore): ReuseCache {
  return {
    async lookup(reuseKey: string): Promise<ReuseHit | undefined> {
      const relativeDir = reuseCachePath(reuseKey);
      if (!(await restoreReused(reuseKey, [relativeDir]))) {
        core.info('No reusable result: the node runs');
        return undefined;
      }
      const dir = resolve(relativeDir);
      try {
        const entry = JSON.parse(await readFile(join(dir, 'entry.json'), 'utf8')) as ReuseHit;
        for (const output of entry.outputs) {
          if (!isSafeRelativePath(output.path)) throw new Error(`unsafe output path ${output.path}`);
          const stored = await store.add(join(dir, 'outputs', ...output.path.split('/')));
          if (stored.sha256 !== output.sha256) throw new Error(`${output.path} does not match its checksum`);
        }
        core.info(`Reusing execution ${entry.executionId} (run ${entry.runId})`);
        // The log stayed with the run that made it.
        return { ...entry, logPath: '' };
      } catch (error) {
        core.warning(`The reuse cache entry is damaged (${getErrorMessage(error)}); the node runs`);
        return undefined;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async save(entry): Promise<void> {
      const relativeDir = reuseCachePath(entry.key);
      const dir = resolve(relativeDir);
      try {
        await rm(dir, { recursive: true, force: true });
        for (const output of entry.outputs) {
          await store.materialise(output.sha256, join(dir, 'outputs', ...output.path.split('/')), { mode: 'copy' });
        }
        const hit: Omit<ReuseHit, 'logPath'> = {
          executionId: entry.executionId,
          runId: entry.runId,
          outputs: entry.outputs,
          latestMetadata: entry.latestMetadata,
          metadata: entry.metadata,
          command: entry.command,
        };
        await writeJsonAtomic(join(dir, 'entry.json'), hit);
        if (await saveReused(entry.key, [relativeDir])) core.info(`Saved the outputs for reuse (key ${entry.key})`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
