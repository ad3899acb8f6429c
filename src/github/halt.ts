/**
 * A pipeline halt on GitHub: the job whose node action (`stop-pipeline`, `error-pipeline`) or
 * `on-error` stops the pipeline uploads a small marker artifact; every node job looks for one before it
 * runs and, finding it, ends as skipped, as the local runner leaves the nodes it did not reach.
 *
 * GitHub cannot cancel jobs that are already running in the same workflow run from a job; those
 * finish. The local runner cancels them: that is the one difference, documented in the README.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineHalt } from '../exec/node-actions.js';
import { getErrorMessage } from '../util/errors.js';
import { artifactClient } from '../adapters/lazy-clients.js';

const HALT_FILE = 'halt.json';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** `mlops-halt--<pipeline hash>--`: the prefix every halt marker of a pipeline shares. */
export function haltArtifactPrefix(pipeline: string): string {
  return `mlops-halt--${shortHash(pipeline)}--`;
}

/** One marker per node job (artifact names are unique in a run). */
function haltArtifactName(pipeline: string, executionId: string, runAttempt: number): string {
  return `${haltArtifactPrefix(pipeline)}${shortHash(executionId)}--attempt-${runAttempt}`;
}

export async function uploadHalt(pipeline: string, executionId: string, runAttempt: number, halt: PipelineHalt, scratch: string): Promise<void> {
  const dir = await mkdtemp(join(scratch, 'halt-'));
  try {
    const file = join(dir, HALT_FILE);
    await writeFile(file, JSON.stringify({ status: halt.status, reason: halt.reason }));
    await (await artifactClient()).uploadArtifact(haltArtifactName(pipeline, executionId, runAttempt), [file], dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The halt of this run attempt, if a node job uploaded one. */
export async function findHalt(
  pipeline: string,
  runAttempt: number,
  artifacts: () => Promise<ReadonlyMap<string, number>>,
  scratch: string,
): Promise<PipelineHalt | undefined> {
  const prefix = haltArtifactPrefix(pipeline);
  const suffix = `--attempt-${runAttempt}`;
  for (const [name, id] of await artifacts()) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const dir = await mkdtemp(join(scratch, 'halt-'));
    try {
      await (await artifactClient()).downloadArtifact(id, { path: dir });
      const recorded = JSON.parse(await readFile(join(dir, HALT_FILE), 'utf8')) as { status?: unknown; reason?: unknown };
      const status = recorded.status === 'failed' ? 'failed' : 'stopped';
      return { status, reason: typeof recorded.reason === 'string' ? recorded.reason : `pipeline ${status}`, abort: true };
    } catch (error) {
      return { status: 'failed', reason: `pipeline halted (marker ${name} unreadable: ${getErrorMessage(error)})`, abort: true };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return undefined;
}
