/**
 * Reuse of unchanged nodes across workflow runs through the GitHub Actions cache (`@actions/cache`).
 * The key is the scheduler's reuse key, computed elsewhere; this module only makes it acceptable to
 * the cache service. Caching is an optimisation: a failed restore is a miss, a failed save is logged,
 * neither fails the node.
 */
import { createHash } from 'node:crypto';
import { actionsCache } from './lazy-clients.js';
import * as core from '@actions/core';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';

/** Limit the cache service puts on keys. */
export const MAX_CACHE_KEY_LENGTH = 512;
const KEY_PREFIX = 'mlops-reuse-';
/** Readable part kept in front of the hash when a key has to be hashed. */
const READABLE_PART_LENGTH = 100;

/**
 * A cache key the service accepts (≤ 512 characters, no commas, no control characters) that stays
 * distinct for distinct reuse keys: a key that is already acceptable is only prefixed; any other key
 * keeps a readable, cleaned prefix followed by the sha256 of the whole original key.
 */
export function cacheKeyFor(reuseKey: string): string {
  if (reuseKey.trim() === '') throw new ConfigurationError('The reuse key must not be empty');
  const candidate = `${KEY_PREFIX}${reuseKey}`;
  // eslint-disable-next-line no-control-regex
  const acceptable = candidate.length <= MAX_CACHE_KEY_LENGTH && !/[,\u0000-\u001f\u007f]/.test(candidate);
  // A hashed key ends in "-h<64 hex>": a plain key that looks like that is hashed too, so the two forms cannot meet.
  if (acceptable && !/-h[0-9a-f]{64}$/.test(reuseKey)) return candidate;
  // eslint-disable-next-line no-control-regex
  const readable = reuseKey.replace(/[,\u0000-\u001f\u007f]+/g, '_').slice(0, READABLE_PART_LENGTH);
  const digest = createHash('sha256').update(reuseKey).digest('hex');
  return `${KEY_PREFIX}${readable}-h${digest}`;
}

/**
 * Paths are relative to the working directory, which on a runner is GITHUB_WORKSPACE: the client
 * archives them relative to the workspace, so a later job restores them into its own workspace.
 * The cache version hashes the path list in order, so the same set must always be given in the same order. */
function canonicalPaths(paths: string[]): string[] {
  if (paths.length === 0) throw new ConfigurationError('No paths given to cache');
  return [...new Set(paths)].sort();
}

/**
 * Restores the node's cached outputs into `paths` (the same list `saveReused` was given).
 * Returns whether the exact key was found and restored.
 */
export async function restoreReused(reuseKey: string, paths: string[]): Promise<boolean> {
  const key = cacheKeyFor(reuseKey);
  const cachePaths = canonicalPaths(paths);
  const cache = await actionsCache();
  if (!cache.isFeatureAvailable()) {
    core.info('The GitHub Actions cache is not available here; the node runs without reuse');
    return false;
  }
  try {
    // No restore keys: only an exact reuse key means the node's inputs are unchanged.
    const matched = await cache.restoreCache(cachePaths, key);
    return matched === key;
  } catch (error) {
    core.warning(`Reuse cache could not be restored (the node will run): ${getErrorMessage(error)}`);
    return false;
  }
}

/**
 * Saves `paths` under the reuse key. Returns whether a new entry was saved; an existing entry for the
 * key (another job or an earlier run saved it) or any service error only logs.
 */
export async function saveReused(reuseKey: string, paths: string[]): Promise<boolean> {
  const key = cacheKeyFor(reuseKey);
  const cachePaths = canonicalPaths(paths);
  const cache = await actionsCache();
  if (!cache.isFeatureAvailable()) {
    core.info('The GitHub Actions cache is not available here; outputs are not saved for reuse');
    return false;
  }
  try {
    const cacheId = await cache.saveCache(cachePaths, key);
    // The client reports "already exists" and other reservation failures by returning -1.
    if (cacheId === -1) {
      core.info(`Reuse cache entry ${key} was not saved (it may already exist)`);
      return false;
    }
    return true;
  } catch (error) {
    if (error instanceof cache.ReserveCacheError) {
      core.info(`Reuse cache entry ${key} already exists; not saved again`);
    } else {
      core.warning(`Reuse cache entry ${key} could not be saved: ${getErrorMessage(error)}`);
    }
    return false;
  }
}
