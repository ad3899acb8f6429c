/**
 * Waiting for record files to change, for the live streams (a run's node states, a log): `fs.watch` on
 * the folders that hold them (a journal line appended, a snapshot renamed into place, a log written),
 * with a short debounce because one change is several file events, and a slow safety poll because
 * fs.watch can miss events (network file systems, an inotify limit reached, a folder created later).
 */
import { watch, type FSWatcher } from 'node:fs';
import { sleep } from './http.js';

export interface WatchTiming {
  /** How long after the first event of a burst the files are read again. */
  debounceMs: number;
  /** The longest wait without any event before the files are read again anyway. */
  safetyPollMs: number;
}

export const DEFAULT_WATCH_TIMING: WatchTiming = { debounceMs: 40, safetyPollMs: 5000 };

/** The timing of `mlops ui`: MLOPS_UI_SAFETY_POLL_MS changes the safety poll (tests set it very long). */
export function watchTimingFromEnv(env: NodeJS.ProcessEnv = process.env): WatchTiming {
  const text = env['MLOPS_UI_SAFETY_POLL_MS'];
  const value = text === undefined || text === '' ? Number.NaN : Number(text);
  return { ...DEFAULT_WATCH_TIMING, ...(Number.isFinite(value) && value > 0 ? { safetyPollMs: value } : {}) };
}

export class FolderWatch {
  private readonly watchers: FSWatcher[] = [];
  private changed = false;
  private wake: (() => void) | undefined;
  /** Events seen (for tests and diagnostics). */
  events = 0;

  constructor(
    folders: readonly string[],
    private readonly timing: WatchTiming = DEFAULT_WATCH_TIMING,
  ) {
    for (const folder of folders) {
      try {
        const watcher = watch(folder, { persistent: false }, () => this.notice());
        // A watch that breaks (the folder removed) leaves the safety poll.
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // No such folder yet, or no watch possible here: the safety poll covers it.
      }
    }
  }

  /** Whether any folder is watched at all (else every wait is the safety poll). */
  get watching(): boolean {
    return this.watchers.length > 0;
  }

  private notice(): void {
    this.events++;
    this.changed = true;
    this.wake?.();
  }

  /**
   * Resolves once something changed in a watched folder (after the debounce), after the safety poll
   * interval without a change, or at once when `stop` resolves. Changes during the wait or the caller's
   * read that follows are not lost: they make the next wait return at once.
   */
  async next(stop: Promise<void>): Promise<void> {
    if (!this.changed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, this.timing.safetyPollMs);
        this.wake = done;
        void stop.then(done);
      });
    }
    if (this.changed) await sleep(this.timing.debounceMs, stop);
    this.changed = false;
  }

  close(): void {
    for (const watcher of this.watchers) watcher.close();
    this.watchers.length = 0;
    this.wake?.();
  }
}
