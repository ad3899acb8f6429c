/**
 * Durable run records: `<projectDir>/runs/<runId>/run.json` (a snapshot, replaced atomically) plus
 * `journal.ndjson` next to it (changes since that snapshot, appended one JSON line each).
 *
 * A change is appended to the journal, never rewritten in place, so persisting one node's state costs
 * the size of that node, not of the whole run (rewriting run.json after every change made a 200-node
 * run write ~50 MB). `RunWriter` folds the journal into run.json at a bounded interval and when the
 * run ends (then the journal is removed); `loadRun`/`listRuns` read the snapshot and replay the journal,
 * so they always see the latest state. A killed runner loses no change whose save had resolved.
 *
 * Write order makes every crash point safe: a change is appended to the journal before any snapshot
 * holds it, the snapshot is renamed into place, and only then is the journal removed. Each journal line
 * carries the whole value of its key (run fields, one node's fields, one execution), so replaying a
 * journal over a snapshot that already holds it changes nothing. A torn last line (killed mid-write)
 * is ignored: its save had not resolved.
 *
 * fsync policy: none, as before the journal. A write() that returned is in the kernel and survives the
 * runner being killed; a power cut may lose the last changes (a rename may land before its data on some
 * filesystems). Forcing every change to the disk would cost milliseconds per change.
 *
 * The compare module reads `nodes.<name>.executions[].{executionId,status,parameters,latestMetadata,outputs}`
 * from run.json; keep those fields stable. While a run is going, run.json may lag by the snapshot
 * interval (stretched for a large run: SNAPSHOT_BYTES_PER_INTERVAL); once it has ended, run.json is complete.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ParameterValue } from '../pipeline/model.js';
import type { ExecutionStatus, MetadataEvent, OutputFile } from './records.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/fs.js';
import { redact } from '../util/redact.js';
import { readOwner, settledStatus } from './run-owner.js';

/** `interrupted`: the record says running but its runner is gone (killed, rebooted); only ever read, never written. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'stopped' | 'interrupted';

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
  /** The process group of the running command and the boot it ran in: `--resume` ends it if still alive. */
  processGroup?: { pgid: number; bootId?: string };
  logPath: string;
}

export interface NodeRecord {
  state: NodeState;
  type?: 'execution' | 'task' | 'deployment';
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  /** A deployment node the selection gate held (hold / no-candidate): skipped by decision, not by failure. */
  held?: boolean;
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
  /** Who started the run and the repository's commit then (see store/origin.ts); absent in older records. */
  startedBy?: string;
  commit?: string;
  /** Effective pipeline parameter values. */
  parameters: Record<string, ParameterValue>;
  /** What the command line asked for, kept so that `--resume` and `reproduce` use the same values. */
  request?: {
    parameters: Record<string, string>;
    inputs: Record<string, string>;
    repositoryDir: string;
    reuse: boolean;
    /** The engine of `--container` (`docker`, `podman`); absent: the steps ran on the host. */
    container?: string;
    /** `--jobs`, when given: a resumed run keeps it. */
    jobs?: number;
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

const SNAPSHOT = 'run.json';
const JOURNAL = 'journal.ndjson';

/** Writes a whole run record as its snapshot; a journal left next to it is stale then, and removed. */
export async function saveRun(projectDir: string, run: RunRecord): Promise<void> {
  const dir = runDir(projectDir, run.id);
  await writeJsonAtomic(join(dir, SNAPSHOT), run);
  await rm(join(dir, JOURNAL), { force: true });
}

/** Loads a run by id, by unique prefix of its id, or `latest`. */
export async function loadRun(projectDir: string, idOrPrefix: string): Promise<RunRecord> {
  const id = await resolveRunId(projectDir, idOrPrefix);
  const path = join(runDir(projectDir, id), 'run.json');
  try {
    return await readRunRecord(runDir(projectDir, id));
  } catch (error) {
    if (error instanceof CorruptRunRecordError) throw new CorruptRunRecordError(`cannot read run ${id}: ${error.message}`);
    throw new ConfigurationError(`cannot read run ${id} (${path}): ${getErrorMessage(error)}`);
  }
}

/** One journal line. Every line holds the whole current value of its key. */
type JournalEntry =
  | { k: 'run'; run: Omit<RunRecord, 'nodes'>; nodes: string[] }
  | { k: 'node'; node: string; record: Omit<NodeRecord, 'executions'>; executions: number }
  | { k: 'exec'; node: string; index: number; execution: ExecutionRecord };

function isJournalEntry(value: unknown): value is JournalEntry {
  if (value === null || typeof value !== 'object') return false;
  const k = (value as { k?: unknown }).k;
  return k === 'run' || k === 'node' || k === 'exec';
}

/** Applies journal lines to a snapshot, in order. Unparsable lines (a torn last write) are skipped. */
export function replayJournal(snapshot: RunRecord, journal: string): RunRecord {
  let run = snapshot;
  for (const line of journal.split('\n')) {
    if (line === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isJournalEntry(entry)) continue;
    if (entry.k === 'run') {
      // The list of node names decides which nodes exist and in what order (resume may drop some).
      const nodes: Record<string, NodeRecord> = {};
      for (const name of entry.nodes) nodes[name] = run.nodes[name] ?? { state: 'pending', executions: [] };
      run = { ...entry.run, nodes };
    } else if (entry.k === 'node') {
      const executions = run.nodes[entry.node]?.executions ?? [];
      executions.length = Math.min(executions.length, entry.executions);
      run.nodes[entry.node] = { ...entry.record, executions };
    } else {
      const record = (run.nodes[entry.node] ??= { state: 'pending', executions: [] });
      record.executions[entry.index] = entry.execution;
    }
  }
  // A hole can only come from a damaged journal; drop it rather than hand out `null` executions.
  for (const record of Object.values(run.nodes)) {
    if (record.executions.some((e) => e === undefined)) record.executions = record.executions.filter((e) => e !== undefined);
  }
  return run;
}

/** What a run.json must hold to be a run record; anything else (`{}`, a foreign file) is corrupt. */
function checkRunRecord(value: unknown, dir: string): RunRecord {
  const record = value as Partial<RunRecord> | null;
  const problem =
    record === null || typeof record !== 'object' || Array.isArray(record)
      ? 'not a JSON object'
      : typeof record.id !== 'string' || record.id !== basename(dir)
        ? `its id is ${JSON.stringify(record.id)}, not ${JSON.stringify(basename(dir))}`
        : typeof record.pipeline !== 'string'
          ? 'no pipeline name'
          : typeof record.status !== 'string'
            ? 'no status'
            : record.nodes === null || typeof record.nodes !== 'object' || Array.isArray(record.nodes)
              ? 'no nodes'
              : undefined;
  if (problem !== undefined) throw new CorruptRunRecordError(`${join(dir, SNAPSHOT)} is not a valid run record (${problem})`);
  return record as RunRecord;
}

/** A run.json that is not a run record: an error naming the file, never a silently new run. */
export class CorruptRunRecordError extends ConfigurationError {
  override name = 'CorruptRunRecordError';
}

/** The latest state of a run: its snapshot with the journal replayed over it, settled by its owner file. */
async function readRunRecord(dir: string): Promise<RunRecord> {
  const text = await readFile(join(dir, SNAPSHOT), 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CorruptRunRecordError(`${join(dir, SNAPSHOT)} is not valid JSON (${getErrorMessage(error)})`);
  }
  let run = checkRunRecord(parsed, dir);
  try {
    run = replayJournal(run, await readFile(join(dir, JOURNAL), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const settled = settledStatus(run.status, await readOwner(dir));
  if (settled) {
    run.status = settled.status as RunStatus;
    if (settled.reason !== undefined) run.reason = settled.reason;
    if (settled.finishedAt !== undefined) run.finishedAt ??= settled.finishedAt;
  }
  return run;
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
      runs.push(await readRunRecord(runDir(projectDir, id)));
    } catch {
      // not a run folder (yet)
    }
  }
  return runs;
}

/**
 * Cuts a torn last line (a runner killed mid-append) off a journal before anything is appended to it:
 * otherwise the next line would be glued to the fragment and lost too. Returns the journal's size.
 */
async function recoverTornJournal(journalPath: string): Promise<number> {
  let text: Buffer;
  try {
    text = await readFile(journalPath);
  } catch {
    return 0;
  }
  if (text.length === 0 || text[text.length - 1] === 0x0a) return text.length;
  const keep = text.lastIndexOf(0x0a) + 1;
  const handle = await open(journalPath, 'r+');
  try {
    await handle.truncate(keep);
  } finally {
    await handle.close();
  }
  return keep;
}

/**
 * Snapshot bytes that one snapshot interval pays for. A snapshot rewrites the whole run, so on a timer
 * of fixed length its cost grows with the run: a 2,000-execution run.json (~1.7 MB) rewritten every
 * second cost the runner more per execution than the execution's own records. The interval stretches
 * with the snapshot instead: about this many bytes per interval, so a small run's run.json stays within
 * one interval of the journal and a large one within a few seconds.
 */
const SNAPSHOT_BYTES_PER_INTERVAL = 256 * 1024;

export interface RunWriterOptions {
  /**
   * Longest time a journalled change waits before run.json holds it too (default 1000 ms), for a
   * run.json up to 256 KiB; proportionally longer for a larger one (SNAPSHOT_BYTES_PER_INTERVAL).
   */
  snapshotIntervalMs?: number;
  /** Journal size that triggers a snapshot sooner (default 4 MiB). */
  maxJournalBytes?: number;
}

type DirtyNode = 'all' | Set<ExecutionRecord>;

/**
 * Persists one run. `saveNode` journals one node (or one of its executions), `saveRunFields` the run's
 * own fields, `save` writes a full snapshot; `close` writes the final snapshot and removes the journal.
 *
 * Saves are serialised and coalesced: a save issued while a write is in flight is folded into one
 * follow-up write that serialises the record when it starts, so every change is on disk once the promise
 * of its save resolves and the file never goes back to an older state.
 */
export class RunWriter {
  private inFlight: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private failure: unknown;
  private readonly dirtyNodes = new Map<string, DirtyNode>();
  private dirtyRun = false;
  private snapshotWanted = false;
  private compactWanted = false;
  private closing = false;
  /**
   * The journal's descriptor, open for appending while the run is written (one write per batch, no
   * open/close). Appended to synchronously: a batch is a few KB into the page cache, and the promise
   * API's threadpool round trip and FileHandle machinery cost more than that write, once per execution.
   */
  private journal: number | undefined;
  private runDirectory: string | undefined;
  /** Bytes in the journal file; undefined until looked at (a resumed run may start with some). */
  private journalBytes: number | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private readonly snapshotIntervalMs: number;
  /** Size of the last snapshot written, which sets the next interval. */
  private snapshotBytes = 0;
  /** Where each journalled execution was last found in its node's list (appended to, never reordered). */
  private readonly executionIndex = new WeakMap<ExecutionRecord, number>();
  private readonly maxJournalBytes: number;

  constructor(
    private readonly projectDir: string,
    readonly run: RunRecord,
    options: RunWriterOptions = {},
  ) {
    this.snapshotIntervalMs = options.snapshotIntervalMs ?? 1000;
    this.maxJournalBytes = options.maxJournalBytes ?? 4 * 1024 * 1024;
  }

  private get dir(): string {
    this.runDirectory ??= runDir(this.projectDir, this.run.id);
    return this.runDirectory;
  }

  /** Writes the whole record to run.json now. */
  save(): Promise<void> {
    this.snapshotWanted = true;
    return this.schedule();
  }

  /** Journals a node: with `execution`, only that execution (and the node's own fields); else all of it. */
  saveNode(name: string, execution?: ExecutionRecord): Promise<void> {
    const dirty = this.dirtyNodes.get(name);
    if (execution === undefined) this.dirtyNodes.set(name, 'all');
    else if (dirty === undefined) this.dirtyNodes.set(name, new Set([execution]));
    else if (dirty !== 'all') dirty.add(execution);
    return this.schedule();
  }

  /** Journals the run's own fields (status, deployments, …) and its list of nodes. */
  saveRunFields(): Promise<void> {
    this.dirtyRun = true;
    return this.schedule();
  }

  /** Waits for every pending write; throws the first write failure, if any. */
  async flush(): Promise<void> {
    await this.inFlight.catch(() => undefined);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Final snapshot: run.json holds everything and the journal is removed. Throws the first write failure. */
  async close(): Promise<void> {
    this.closing = true;
    this.clearSnapshotTimer();
    try {
      await this.save().catch(() => undefined);
      await this.flush();
    } finally {
      await this.closeJournal(false).catch(() => undefined);
    }
  }

  private async closeJournal(remove: boolean): Promise<void> {
    const journal = this.journal;
    this.journal = undefined;
    if (journal !== undefined) closeSync(journal);
    if (remove) await rm(join(this.dir, JOURNAL), { force: true });
  }

  private schedule(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.write();
      });
    this.queued = next;
    this.inFlight = next;
    next.catch((error: unknown) => {
      this.failure ??= error;
    });
    return next;
  }

  /** Journal lines for what changed since the last write, serialised now. */
  private dirtyLines(all: boolean): string {
    const lines: string[] = [];
    const line = (entry: JournalEntry): void => {
      lines.push(JSON.stringify(entry));
    };
    if (all || this.dirtyRun) {
      const { nodes, ...fields } = this.run;
      line({ k: 'run', run: fields, nodes: Object.keys(nodes) });
    }
    const dirty: [string, DirtyNode][] = all ? Object.keys(this.run.nodes).map((name) => [name, 'all']) : [...this.dirtyNodes];
    for (const [name, which] of dirty) {
      const record = this.run.nodes[name];
      if (!record) continue;
      const { executions, ...fields } = record;
      line({ k: 'node', node: name, record: fields, executions: executions.length });
      if (which === 'all') {
        executions.forEach((execution, index) => line({ k: 'exec', node: name, index, execution }));
        continue;
      }
      // In list order, as a whole-node write would have them (a torn write then loses a tail, not a
      // hole); found by index, not by scanning a node of thousands of executions for every save.
      const indexed: [number, ExecutionRecord][] = [];
      for (const execution of which) {
        const index = this.indexOf(executions, execution);
        if (index >= 0) indexed.push([index, execution]);
      }
      indexed.sort((a, b) => a[0] - b[0]);
      for (const [index, execution] of indexed) line({ k: 'exec', node: name, index, execution });
    }
    this.dirtyRun = false;
    this.dirtyNodes.clear();
    return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  }

  private indexOf(executions: ExecutionRecord[], execution: ExecutionRecord): number {
    const known = this.executionIndex.get(execution);
    if (known !== undefined && executions[known] === execution) return known;
    const index = executions.lastIndexOf(execution);
    if (index >= 0) this.executionIndex.set(execution, index);
    return index;
  }

  private async write(): Promise<void> {
    const dir = this.dir;
    const journalPath = join(dir, JOURNAL);
    if (this.journalBytes === undefined) {
      await mkdir(dir, { recursive: true });
      this.journalBytes = await recoverTornJournal(journalPath);
    }
    const full = this.snapshotWanted;
    const compact = this.compactWanted;
    this.snapshotWanted = false;
    this.compactWanted = false;
    // A full save over a non-empty journal first journals everything: the record may hold changes no
    // save announced (resume resets nodes, the end of a run settles them), and replaying the old journal
    // over the new snapshot (killed before the journal is removed) must not bring older values back.
    // A compaction only folds in what was saved, so the journal is already current for every saved key.
    const text = this.dirtyLines(full && this.journalBytes > 0);
    if (text !== '') {
      this.journal ??= openSync(journalPath, 'a');
      const bytes = Buffer.from(redact(text));
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.journal, bytes, offset);
      this.journalBytes += bytes.length;
    }
    if (full || compact || this.journalBytes > this.maxJournalBytes) {
      this.clearSnapshotTimer();
      const snapshot = `${JSON.stringify(this.run, null, 2)}\n`;
      await writeFileAtomic(join(dir, SNAPSHOT), snapshot);
      this.snapshotBytes = snapshot.length;
      // Only now that run.json holds everything may the journal go (appends continue at offset 0).
      if (this.journalBytes > 0) {
        if (this.journal !== undefined) ftruncateSync(this.journal, 0);
        else await rm(journalPath, { force: true });
      }
      this.journalBytes = 0;
      if (this.closing) await this.closeJournal(true);
    } else if (this.journalBytes > 0 && !this.closing) {
      this.armSnapshotTimer();
    }
  }

  private armSnapshotTimer(): void {
    if (this.snapshotTimer !== undefined) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      if (this.closing) return;
      this.compactWanted = true;
      // A failure is kept for flush()/close(), like any other write's.
      this.schedule().catch(() => undefined);
    }, this.snapshotIntervalMs * Math.max(1, this.snapshotBytes / SNAPSHOT_BYTES_PER_INTERVAL));
    // A pending snapshot must not keep the process alive; close() writes the last one.
    this.snapshotTimer.unref();
  }

  private clearSnapshotTimer(): void {
    if (this.snapshotTimer === undefined) return;
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
  }
}
