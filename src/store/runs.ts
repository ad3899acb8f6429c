/**
 * Durable run records: `<projectDir>/runs/<runId>/run.json`, rewritten atomically after every state
 * change so that a killed runner never loses a finished execution (`mlops run --resume` reads it back).
 *
 * The compare module reads `nodes.<name>.executions[].{executionId,status,parameters,latestMetadata,outputs}`;
 * keep those fields stable.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ParameterValue } from '../pipeline/model.js';
import type { ExecutionStatus, MetadataEvent, OutputFile } from '../exec/types.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'stopped';

export type NodeState =
  | 'pending'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'reused'
  | 'cancelled'
  | 'awaiting-approval';

/** One input file as the execution received it (store files are named by checksum). */
export interface RecordedInputFile {
  relativePath: string;
  sha256?: string;
  size?: number;
  /** `store`, a local path or a URL: where the file came from. */
  source: { kind: 'store'; sha256: string } | { kind: 'path'; path: string } | { kind: 'url'; url: string };
}

export interface ExecutionRecord {
  executionId: string;
  /** The varied parameters of a task child (absent for plain executions). */
  variant?: Record<string, ParameterValue>;
  status: ExecutionStatus | 'running';
  parameters: Record<string, ParameterValue>;
  latestMetadata: Record<string, unknown>;
  metadata?: MetadataEvent[];
  outputs: OutputFile[];
  inputs?: Record<string, RecordedInputFile[]>;
  environment?: Record<string, string>;
  command?: string;
  exitCode?: number | null;
  startedAt: string;
  finishedAt?: string;
  reason?: string;
  reuseKey: string;
  /** Set when the result was taken from an earlier execution instead of running. */
  reusedFrom?: { runId: string; executionId: string };
  /** 1 for the first attempt, 2 for an `on-error: retry` rerun. */
  attempt?: number;
  logPath: string;
}

export interface NodeRecord {
  state: NodeState;
  type?: 'execution' | 'task' | 'deployment';
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  executions: ExecutionRecord[];
}

/** What a deployment node would deploy; handed to the deploy interface later. */
export interface DeploymentRecord {
  node: string;
  deployment: string;
  endpoints: string[];
  aliases: string[];
  files: {
    endpoint: string;
    name: string;
    /** Where the endpoint expects the file, relative to its code directory (endpoint `files[].path`). */
    path?: string;
    sha256: string;
    size: number;
    from: { node: string; executionId: string; path: string };
  }[];
  createdAt: string;
}

export interface RunRecord {
  id: string;
  pipeline: string;
  /** The pipeline file, absolute. */
  file: string;
  status: RunStatus;
  createdAt: string;
  finishedAt?: string;
  /** Why the run did not succeed, one line. */
  reason?: string;
  /** Effective pipeline parameter values. */
  parameters: Record<string, ParameterValue>;
  /** What the command line asked for, kept so that `--resume` and `reproduce` use the same values. */
  request?: {
    parameters: Record<string, string>;
    inputs: Record<string, string>;
    repositoryDir: string;
    reuse: boolean;
  };
  nodes: Record<string, NodeRecord>;
  deployments?: DeploymentRecord[];
}

export interface ProjectPaths {
  root: string;
  runsDir: string;
  storeDir: string;
  reuseDir: string;
  downloadCacheDir: string;
}

export function projectPaths(projectDir: string): ProjectPaths {
  const root = resolve(projectDir);
  return {
    root,
    runsDir: join(root, 'runs'),
    storeDir: join(root, 'store'),
    reuseDir: join(root, 'reuse'),
    downloadCacheDir: join(root, 'downloads'),
  };
}

/**
 * A run id that sorts by creation time as text: `20261125T100000123Z-1a2b3c` (UTC time to the
 * millisecond, then random hex so that two runs started in the same millisecond differ).
 */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

const RUN_ID = /^[0-9A-Za-z][0-9A-Za-z._-]*$/;

export function runDir(projectDir: string, runId: string): string {
  if (!RUN_ID.test(runId)) throw new ConfigurationError(`'${runId}' is not a valid run id`);
  return join(projectPaths(projectDir).runsDir, runId);
}

export async function saveRun(projectDir: string, run: RunRecord): Promise<void> {
  await writeJsonAtomic(join(runDir(projectDir, run.id), 'run.json'), run);
}

/** Loads a run by id, by unique prefix of its id, or `latest`. */
export async function loadRun(projectDir: string, idOrPrefix: string): Promise<RunRecord> {
  const id = await resolveRunId(projectDir, idOrPrefix);
  const path = join(runDir(projectDir, id), 'run.json');
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunRecord;
  } catch (error) {
    throw new ConfigurationError(`cannot read run ${id} (${path}): ${getErrorMessage(error)}`);
  }
}

async function runIds(projectDir: string): Promise<string[]> {
  try {
    const entries = await readdir(projectPaths(projectDir).runsDir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && RUN_ID.test(e.name)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

export async function resolveRunId(projectDir: string, idOrPrefix: string): Promise<string> {
  const ids = await runIds(projectDir);
  if (idOrPrefix === 'latest') {
    const last = ids.at(-1);
    if (last === undefined) throw new ConfigurationError(`no runs in ${projectPaths(projectDir).runsDir}`);
    return last;
  }
  if (ids.includes(idOrPrefix)) return idOrPrefix;
  const matches = ids.filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length > 1) {
    throw new ConfigurationError(`run id '${idOrPrefix}' is ambiguous: ${matches.slice(0, 5).join(', ')}…`);
  }
  throw new ConfigurationError(
    `no run '${idOrPrefix}' in ${projectPaths(projectDir).runsDir} (run \`mlops runs\` to list them)`,
  );
}

/** All runs, oldest first. Unreadable records are skipped (a run being created, a foreign folder). */
export async function listRuns(projectDir: string): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  for (const id of await runIds(projectDir)) {
    try {
      runs.push(JSON.parse(await readFile(join(runDir(projectDir, id), 'run.json'), 'utf8')) as RunRecord);
    } catch {
      // not a run folder (yet)
    }
  }
  return runs;
}

/**
 * Serialises saves of one run, coalescing bursts: a save issued while a write is in flight is folded into
 * one follow-up write that snapshots the record when it starts, so every change is on disk once the
 * promise of its `save()` resolves, the file never goes back to an older state, and a 200-node run does
 * not rewrite its record a thousand times.
 */
export class RunWriter {
  private inFlight: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly projectDir: string,
    readonly run: RunRecord,
  ) {}

  save(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return saveRun(this.projectDir, this.run);
      });
    this.queued = next;
    this.inFlight = next;
    next.catch((error: unknown) => {
      this.failure ??= error;
    });
    return next;
  }

  /** Waits for every pending write; throws the first write failure, if any. */
  async flush(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    if (this.failure !== undefined) throw this.failure;
  }
}
