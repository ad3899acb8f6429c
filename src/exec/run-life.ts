/**
 * The whole life of a run, wrapped so that it always ends with a settled record: whatever throws
 * (the scheduler, input materialisation, a store or record write, a full disk), the run record is
 * finalised `failed` with the reason and the caller gets the record back to report and exit non-zero.
 *
 * The final status is also written in place over the run's owner file (store/run-owner.ts), which
 * needs no free space: when run.json cannot be rewritten (ENOSPC), readers still see `failed`.
 *
 * A run whose work stops making progress without settling (a promise nothing will ever resolve) would
 * let Node exit 0 with nothing said once the event loop is empty; a `beforeExit` guard turns that into
 * a failed run and exit code 1.
 */
import type { RunRecord, RunStatus, RunWriter } from '../store/runs.js';
import type { RunLock } from '../store/run-owner.js';
import { getErrorMessage } from '../util/errors.js';
import { redact } from '../util/redact.js';

/** One line, secrets removed: what a person reads as the reason. */
export function oneLineReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  let message = getErrorMessage(error).split('\n')[0]?.trim() ?? '';
  if (message === '') message = 'unknown error';
  if (code === 'ENOSPC' && !message.includes('ENOSPC')) message = `ENOSPC: ${message}`;
  if (code === 'ENOSPC') message = `${message} (the disk is full: free some space, then mlops run --resume)`;
  return redact(message);
}

/** Marks what did not finish as failed/cancelled so the record reads as ended. */
function settleNodes(run: RunRecord, reason: string): void {
  for (const record of Object.values(run.nodes)) {
    if (record.state === 'running') {
      record.state = 'failed';
      record.reason = reason;
    } else if (record.state === 'pending') {
      record.state = 'skipped';
      record.reason = `not reached: ${reason}`;
    }
    for (const execution of record.executions) {
      if (execution.status === 'running') {
        execution.status = 'failed';
        execution.reason = reason;
        execution.finishedAt ??= new Date().toISOString();
      }
    }
  }
}

export interface SettleOptions {
  run: RunRecord;
  writer: RunWriter;
  lock: RunLock;
  /** Told when the run ended by a failure of the runner itself (the engine's own event did not come). */
  onFailed?: (status: RunStatus, reason: string) => void;
}

/** Runs `body` (the run's whole life) and always settles the record; never throws for a started run. */
export async function settleRun(options: SettleOptions, body: () => Promise<RunRecord>): Promise<RunRecord> {
  const { run, writer, lock } = options;
  let settled = false;
  const guard = (): void => {
    if (settled) return;
    settled = true;
    const reason = 'internal error: the run stopped making progress before it ended';
    process.stderr.write(`mlops: run ${run.id} failed: ${reason}\n`);
    run.status = 'failed';
    run.reason = reason;
    settleNodes(run, reason);
    process.exitCode = 1;
    void lock.finish('failed', reason).catch(() => undefined).finally(() => process.exit(1));
  };
  process.on('beforeExit', guard);
  try {
    const result = await body();
    settled = true;
    await lock.finish(result.status, result.reason).catch(() => undefined);
    return result;
  } catch (error) {
    settled = true;
    const reason = oneLineReason(error);
    run.status = 'failed';
    run.reason = reason;
    run.finishedAt = new Date().toISOString();
    settleNodes(run, reason);
    // The record first (it may work: the failure may not have been a write); the owner file always.
    await writer.close().catch(() => undefined);
    await lock.finish('failed', reason).catch(() => undefined);
    options.onFailed?.('failed', reason);
    return run;
  } finally {
    process.off('beforeExit', guard);
  }
}
