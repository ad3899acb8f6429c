/**
 * An execution's folder as Valohai lays it out (FORMAT.md §8): `inputs/ outputs/ config/`, the command
 * as `command.sh`, and `log.txt`, the runner's own lines about it.
 *
 * Why synchronous calls: every one of these is a single syscall on a file nobody else has yet (a new
 * folder, a new file of a few hundred bytes). Through fs/promises each cost a threadpool round trip, a
 * FileHandle, a promise and a wake-up of the main loop, and in a CPU profile of 500 no-op executions
 * those round trips (mkdir, open, write, close and their callbacks) were the largest part of the runner's
 * own time per execution, several times the syscalls themselves. Work whose size the user decides (the
 * command's output, input files, output files) stays asynchronous.
 */
import { closeSync, mkdirSync, openSync, write, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { getErrorMessage } from '../util/errors.js';

export interface ExecutionFolders {
  inputs: string;
  outputs: string;
  config: string;
}

/** The folders of an execution under `executionDir` (absolute), without making them. */
export function executionFolders(executionDir: string): ExecutionFolders {
  return { inputs: join(executionDir, 'inputs'), outputs: join(executionDir, 'outputs'), config: join(executionDir, 'config') };
}

/**
 * Makes `executionDir` and its three folders. Recursive, so a first execution makes the run's
 * `executions/` folder too and an existing folder is accepted; for a new folder under an existing parent
 * that is one mkdir each.
 */
export function makeExecutionFolders(executionDir: string, folders: ExecutionFolders): void {
  mkdirSync(executionDir, { recursive: true });
  mkdirSync(folders.inputs, { recursive: true });
  mkdirSync(folders.outputs, { recursive: true });
  mkdirSync(folders.config, { recursive: true });
}

/**
 * Writes small files of the execution's own folder. Plain writes, not write-and-rename: nothing reads them
 * before the command starts, and a runner killed before then runs the node again in a new folder.
 */
export function writeExecutionFiles(files: readonly (readonly [path: string, text: string])[]): void {
  for (const [path, text] of files) writeFileSync(path, text);
}

/**
 * Sends `signal` to process group `pgid` if any process of it is left. After every command the group is
 * signalled once (background children do not outlive it) and is usually gone already: the ESRCH error
 * is then made without a stack trace, the costly part of an exception nobody reads.
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * `log.txt`, appended to while the execution runs. Lines written while a write is in flight are joined
 * into the next one, so a chatty command costs one write per burst, not per line. A log that cannot be
 * written (disk full, no permission) never fails the execution: the first problem is kept for a warning.
 */
export class ExecutionLog {
  private fd: number | undefined;
  private pending: string[] = [];
  private writing = false;
  private drained: (() => void)[] = [];
  private problem: string | undefined;
  private ended = false;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'a');
    } catch (error) {
      this.problem = getErrorMessage(error);
    }
  }

  /** Whether `close` was called. */
  get closed(): boolean {
    return this.ended;
  }

  /** Why the log could not be written, if it could not. */
  get failure(): string | undefined {
    return this.problem;
  }

  /** Appends `text` (whole lines, each ending in a newline). */
  append(text: string): void {
    if (this.ended || this.fd === undefined) return;
    this.pending.push(text);
    if (!this.writing) this.writeNext(this.fd);
  }

  private writeNext(fd: number): void {
    const data = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.writing = true;
    const done = (error: NodeJS.ErrnoException | null, written: number): void => {
      if (error) this.problem ??= getErrorMessage(error);
      // A short write (a full disk) leaves the rest; it is written by the next round.
      else if (written === 0 && data.length > 0) this.problem ??= 'nothing could be written';
      else if (written < data.length) this.pending.unshift(data.subarray(written).toString());
      if (this.problem === undefined && this.pending.length > 0) return this.writeNext(fd);
      this.writing = false;
      this.pending = [];
      for (const resolve of this.drained.splice(0)) resolve();
    };
    write(fd, data, 0, data.length, null, done);
  }

  /**
   * Writes `last` (the execution's final line) after everything appended before, and closes the file. The
   * final line is written synchronously: the execution is over, and it saves a round trip per execution.
   */
  async close(last = ''): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (this.writing) await new Promise<void>((resolve) => this.drained.push(resolve));
    const fd = this.fd;
    if (fd === undefined) return;
    this.fd = undefined;
    try {
      let rest = Buffer.from(`${this.pending.join('')}${last}`);
      while (rest.length > 0 && this.problem === undefined) {
        const written = writeSync(fd, rest);
        if (written === 0) this.problem = 'nothing could be written';
        rest = rest.subarray(written);
      }
    } catch (error) {
      this.problem ??= getErrorMessage(error);
    } finally {
      this.pending = [];
      closeSync(fd);
    }
  }
}
