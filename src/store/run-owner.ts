/**
 * Who runs a run, and how it ended even when nothing else could be written: `<runDir>/owner.json`.
 *
 * - **A lock per run.** The runner (a new run or `--resume`) creates the file exclusively with its PID,
 *   the machine's boot id and the process start time. A second runner finds a live owner and refuses
 *   with a message; a dead owner's file (killed runner, reboot) is taken over. Takeover renames the stale
 *   file away first, so of two runners racing for a stale lock exactly one wins.
 * - **The final word.** The file is written at a fixed size (padded) when the lock is taken, and the
 *   final status is written over it in place when the run ends. Overwriting allocated bytes needs no
 *   free space, so a run that fails because the disk is full still ends `failed` with its reason even
 *   when run.json could not be rewritten. Readers (`loadRun`, `mlops runs`) apply it over the record.
 * - **No run shown running forever.** A record still `running` whose owner is gone (not alive, or
 *   another boot) reads as `interrupted`.
 */
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { processAlive } from '../util/process.js';

export const OWNER_FILE = 'owner.json';
/** Fixed size of the owner file: the final status is written over it in place. */
const OWNER_FILE_BYTES = 4096;

export interface RunOwner {
  pid: number;
  /** Linux boot id; a PID from another boot is not this process. */
  bootId?: string;
  /** The process start time (clock ticks since boot, /proc/PID/stat): a reused PID has another one. */
  startTime?: string;
  host: string;
  since: string;
  /** Written when the run ends: its status and reason. */
  final?: { status: string; reason?: string; finishedAt: string };
}

let bootIdCache: string | undefined | null = null;

/** This machine's boot id (Linux), undefined elsewhere. */
export function bootId(): string | undefined {
  if (bootIdCache === null) {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootIdCache = undefined;
    }
  }
  return bootIdCache;
}

/** The start time of a process (field 22 of /proc/PID/stat), undefined when unknown or gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}


/** Whether the process that wrote `owner` still runs (same boot, same PID, same start time). */
export function ownerAlive(owner: RunOwner): boolean {
  const boot = bootId();
  if (owner.bootId !== undefined && boot !== undefined && owner.bootId !== boot) return false;
  if (owner.host !== hostname()) return true; // another machine's runner: cannot tell, assume alive
  if (!processAlive(owner.pid)) return false;
  if (owner.startTime !== undefined) {
    const now = processStartTime(owner.pid);
    if (now !== undefined && now !== owner.startTime) return false;
  }
  return true;
}

function me(): RunOwner {
  const owner: RunOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const boot = bootId();
  if (boot !== undefined) owner.bootId = boot;
  const start = processStartTime(process.pid);
  if (start !== undefined) owner.startTime = start;
  return owner;
}

function padded(owner: RunOwner): string {
  const text = JSON.stringify(owner);
  // Too long to fit (a huge reason): the reason is shortened, never the file grown.
  if (text.length + 1 > OWNER_FILE_BYTES && owner.final?.reason !== undefined) {
    return padded({ ...owner, final: { ...owner.final, reason: `${owner.final.reason.slice(0, OWNER_FILE_BYTES / 2)}…` } });
  }
  return `${text}\n`.padEnd(OWNER_FILE_BYTES, ' ');
}

/** The owner file of a run folder, undefined when absent or unreadable. */
export async function readOwner(runDirectory: string): Promise<RunOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(runDirectory, OWNER_FILE), 'utf8')) as RunOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** The held lock of one run; `finish` writes the final status in place, `release` marks it ended. */
export class RunLock {
  private ended = false;

  constructor(
    readonly path: string,
    private readonly owner: RunOwner,
  ) {}

  /** Writes the run's final status over the owner file, in place (needs no free space). */
  async finish(status: string, reason: string | undefined): Promise<void> {
    const final: NonNullable<RunOwner['final']> = { status, finishedAt: new Date().toISOString() };
    if (reason !== undefined) final.reason = reason;
    const handle = await open(this.path, 'r+');
    try {
      await handle.write(padded({ ...this.owner, final }), 0, 'utf8');
    } finally {
      await handle.close();
    }
    this.ended = true;
  }

  /** Marks the run ended without a status (the record itself holds it). */
  async release(status: string): Promise<void> {
    if (this.ended) return;
    await this.finish(status, undefined).catch(() => undefined);
  }
}

/**
 * Takes the lock of a run folder (which exists). Throws a `ConfigurationError` naming the owner when
 * another live runner holds it.
 */
export async function acquireRunLock(runDirectory: string, runId: string): Promise<RunLock> {
  const path = join(runDirectory, OWNER_FILE);
  const owner = me();
  const candidate = join(runDirectory, `.owner.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(candidate, padded(owner));
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await link(candidate, path);
        return new RunLock(path, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = await readOwner(runDirectory);
      if (current && current.final === undefined && ownerAlive(current)) {
        throw new ConfigurationError(
          `run ${runId} is being run by process ${current.pid} on ${current.host} since ${current.since}; ` +
            'wait for it to end or stop it (Ctrl-C) before resuming',
        );
      }
      // Ended or dead owner: move its file away (only one of several racing runners succeeds).
      const stale = join(runDirectory, `.owner.stale.${process.pid}.${randomBytes(4).toString('hex')}`);
      try {
        await rename(path, stale);
        await rm(stale, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw new ConfigurationError(`run ${runId}: could not take its lock ${path}; another runner keeps taking it`);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`run ${runId}: cannot lock ${path}: ${getErrorMessage(error)}`);
  } finally {
    await rm(candidate, { force: true });
  }
}

/**
 * The status a reader should show for a record: the owner's final word when the record could not be
 * rewritten, `interrupted` when the record says running and its owner is gone.
 */
export function settledStatus(
  recordStatus: string,
  owner: RunOwner | undefined,
): { status: string; reason?: string; finishedAt?: string } | undefined {
  if (recordStatus !== 'running' || owner === undefined) return undefined;
  if (owner.final !== undefined && owner.final.status !== 'running') {
    const settled: { status: string; reason?: string; finishedAt?: string } = { status: owner.final.status, finishedAt: owner.final.finishedAt };
    if (owner.final.reason !== undefined) settled.reason = owner.final.reason;
    return settled;
  }
  if (!ownerAlive(owner)) {
    return { status: 'interrupted', reason: `the runner (process ${owner.pid}) stopped without finishing the run; continue it with mlops run --resume` };
  }
  return undefined;
}
