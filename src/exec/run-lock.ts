/**
 * Taking a run for this runner: the run's folder and lock (store/run-owner.ts), and for `--resume` the
 * end of whatever the previous runner left running (orphans.ts) before any node runs again.
 */
import { mkdir } from 'node:fs/promises';
import { runDir, type ExecutionRecord, type RunRecord } from '../store/runs.js';
import { acquireRunLock, bootId, type RunLock } from '../store/run-owner.js';
import { endLeftovers } from './orphans.js';

/** Locks `run` for this process; with `previous` (the record as the last runner left it) ends its leftovers. */
export async function lockRun(projectDir: string, run: RunRecord, previous?: RunRecord): Promise<RunLock> {
  const dir = runDir(projectDir, run.id);
  await mkdir(dir, { recursive: true });
  const lock = await acquireRunLock(dir, run.id);
  if (previous) await endLeftovers(previous);
  return lock;
}

/** What an execution records about its process group. */
export function processGroupRecord(pgid: number): NonNullable<ExecutionRecord['processGroup']> {
  const boot = bootId();
  return boot === undefined ? { pgid } : { pgid, bootId: boot };
}
