/**
 * Store upkeep for the user: `mlops store verify` re-hashes every object (a bad one is quarantined) and
 * `mlops store gc` removes objects nothing refers to and temporary files left by killed processes.
 *
 * What refers to an object: any record under the project folder (run records and journals, the reuse
 * index, the model registry, deployment state…) that names its sha256. The scan is deliberately broad
 * (every 64-hex token in every JSON/NDJSON file counts), so a record kind added later is safe by
 * default. Objects added in the last hour (their ctime: the store fixes mtime) and every object while a
 * live runner holds a run are kept: a running execution's outputs enter the store before its record.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ContentStore, hashFile } from './content-store.js';
import { projectPaths } from './runs.js';
import { ownerAlive, readOwner } from './run-owner.js';

const SHA256 = /^[0-9a-f]{64}$/;
const TOKEN = /[0-9a-f]{64}/g;
/** Younger than this, an object or temp file may belong to work in progress. */
export const GRACE_MS = 60 * 60 * 1000;

/** Every object of the store (sha256 names). */
export async function listObjects(store: ContentStore): Promise<string[]> {
  const out: string[] = [];
  const base = join(store.root, 'sha256');
  let prefixes: string[];
  try {
    prefixes = await readdir(base);
  } catch {
    return out;
  }
  for (const prefix of prefixes.sort()) {
    let names: string[];
    try {
      names = await readdir(join(base, prefix));
    } catch {
      continue;
    }
    for (const name of names.sort()) if (SHA256.test(name) && name.startsWith(prefix)) out.push(name);
  }
  return out;
}

export interface VerifyReport {
  objects: number;
  bytes: number;
  /** sha256 → where the bad object was moved. */
  corrupt: { sha256: string; actual: string; movedTo?: string }[];
}

/** Re-hashes every object; a mismatch is quarantined. */
export async function verifyStore(store: ContentStore, onProgress?: (done: number, total: number) => void): Promise<VerifyReport> {
  const objects = await listObjects(store);
  const report: VerifyReport = { objects: objects.length, bytes: 0, corrupt: [] };
  for (const [index, sha256] of objects.entries()) {
    const actual = await hashFile(store.pathOf(sha256));
    report.bytes += actual.size;
    if (actual.sha256 !== sha256) {
      const movedTo = await store.quarantine(sha256);
      report.corrupt.push({ sha256, actual: actual.sha256, ...(movedTo !== undefined ? { movedTo } : {}) });
    }
    onProgress?.(index + 1, objects.length);
  }
  return report;
}

async function walkFiles(dir: string, skip: Set<string>): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (skip.has(full)) continue;
    if (entry.isDirectory()) out.push(...(await walkFiles(full, skip)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** The sha256 names every record under the project folder refers to. */
export async function referencedObjects(projectDir: string): Promise<Set<string>> {
  const paths = projectPaths(projectDir);
  const skip = new Set([paths.storeDir, paths.downloadCacheDir]);
  const referenced = new Set<string>();
  for (const file of await walkFiles(paths.root, skip)) {
    if (!/\.(json|jsonl|ndjson)$/.test(file) || file.includes(`${join('executions', '')}`)) continue;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(TOKEN)) referenced.add(match[0]);
  }
  return referenced;
}

/** Runs whose live runner holds them: while any exists, gc removes no object. */
async function liveRuns(projectDir: string): Promise<string[]> {
  const runsDir = projectPaths(projectDir).runsDir;
  const live: string[] = [];
  let ids: string[];
  try {
    ids = await readdir(runsDir);
  } catch {
    return live;
  }
  for (const id of ids) {
    const owner = await readOwner(join(runsDir, id));
    if (owner && owner.final === undefined && ownerAlive(owner)) live.push(id);
  }
  return live;
}

/** Temp files of killed writers: store/tmp, partial downloads, atomic-write temporaries. */
async function abandonedTemps(projectDir: string, now: number): Promise<string[]> {
  const paths = projectPaths(projectDir);
  const candidates = [
    ...(await walkFiles(join(paths.storeDir, 'tmp'), new Set())),
    ...(await walkFiles(paths.root, new Set([join(paths.storeDir, 'sha256'), join(paths.storeDir, 'quarantine')]))).filter((f) =>
      /\/\.[^/]*\.\d+\.[0-9a-f]+\.tmp$/.test(f),
    ),
  ];
  const old: string[] = [];
  for (const file of new Set(candidates)) {
    const info = await stat(file).catch(() => undefined);
    if (info && now - info.mtimeMs > GRACE_MS) old.push(file);
  }
  return old;
}

export interface GcReport {
  objects: number;
  removed: { sha256: string; size: number }[];
  keptYoung: number;
  temps: string[];
  /** Set when objects were kept because a live runner holds these runs. */
  liveRuns: string[];
  dryRun: boolean;
}

/** Removes unreferenced objects and abandoned temp files (nothing with `dryRun`). */
export async function collectGarbage(projectDir: string, options: { dryRun?: boolean; now?: number } = {}): Promise<GcReport> {
  const now = options.now ?? Date.now();
  const store = new ContentStore(projectPaths(projectDir).storeDir);
  const dryRun = options.dryRun === true;
  const live = await liveRuns(projectDir);
  const report: GcReport = { objects: 0, removed: [], keptYoung: 0, temps: [], liveRuns: live, dryRun };
  const objects = await listObjects(store);
  report.objects = objects.length;
  if (live.length === 0) {
    const referenced = await referencedObjects(projectDir);
    for (const sha256 of objects) {
      if (referenced.has(sha256)) continue;
      const info = await stat(store.pathOf(sha256)).catch(() => undefined);
      if (!info) continue;
      if (now - info.ctimeMs < GRACE_MS) {
        report.keptYoung++;
        continue;
      }
      if (!dryRun) await rm(store.pathOf(sha256), { force: true });
      report.removed.push({ sha256, size: info.size });
    }
  }
  report.temps = await abandonedTemps(projectDir, now);
  if (!dryRun) for (const file of report.temps) await rm(file, { force: true });
  return report;
}
