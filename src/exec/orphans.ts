/**
 * Executions left running by a runner that died (`kill -9`, a closed terminal on an old version, a
 * crash): `--resume` ends them before running their nodes again, so two copies never write one run.
 *
 * Two ways to find them, both needed:
 * - the process group each execution recorded when it started (`processGroup` in its record, with the
 *   boot id: a group id from another boot means nothing now);
 * - every process on this machine whose environment says `VH_PIPELINE_ID=<run id>` (a step that left
 *   its group with `setsid` still carries it), found through /proc (Linux).
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunRecord } from '../store/runs.js';
import { bootId } from '../store/run-owner.js';
import { processAlive } from '../util/process.js';

export interface Leftovers {
  groups: number[];
  pids: number[];
}


/** The process groups a run's unfinished executions recorded on this boot. */
export function recordedGroups(run: RunRecord): number[] {
  const boot = bootId();
  const groups: number[] = [];
  for (const node of Object.values(run.nodes)) {
    for (const execution of node.executions) {
      const group = execution.processGroup;
      if (execution.status !== 'running' || group === undefined) continue;
      if (group.bootId !== undefined && boot !== undefined && group.bootId !== boot) continue;
      if (group.pgid > 1 && group.pgid !== process.pid) groups.push(group.pgid);
    }
  }
  return groups;
}

/** Processes whose environment holds `VH_PIPELINE_ID=<runId>` (empty where /proc is not there). */
export async function processesOfRun(runId: string): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const needle = `\0VH_PIPELINE_ID=${runId}\0`;
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'latin1');
      if (`\0${environ}`.includes(needle)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function signal(target: number, sig: NodeJS.Signals): void {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

/**
 * Ends every leftover of `run`: SIGTERM to the recorded groups and the found processes, SIGKILL to what
 * is still there after `graceMs`. Returns how many were found.
 */
export async function endLeftovers(run: RunRecord, graceMs = 5000): Promise<number> {
  const groups = recordedGroups(run).filter((pgid) => processAlive(-pgid) || processAlive(pgid));
  const pids = await processesOfRun(run.id);
  if (groups.length === 0 && pids.length === 0) return 0;
  for (const pgid of groups) signal(-pgid, 'SIGTERM');
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const remaining = (): boolean => groups.some((pgid) => processAlive(-pgid)) || pids.some((pid) => processAlive(pid));
  while (remaining() && Date.now() < deadline) await sleep(50);
  for (const pgid of groups) signal(-pgid, 'SIGKILL');
  for (const pid of pids) signal(pid, 'SIGKILL');
  // Killed processes are reaped by their parent (init, for orphans); a moment for that to happen.
  for (let i = 0; i < 40 && remaining(); i++) await sleep(25);
  return groups.length + pids.length;
}
