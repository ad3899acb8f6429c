/**
 * The node artifact codec: what a node job publishes and how a downstream job rebuilds the upstream
 * outcomes the node runtime needs from it.
 *
 * Artifact layout of a node (and task variant), uploaded as ONE artifact named by `artifactNameFor`:
 * - `manifest.json`: identity, parameters, status, metadata, every file's size and sha256 (artifacts.ts);
 * - `execution.json`: what the manifest does not hold (variant, inputs, environment, command, times,
 *   the node's state and the verdict of its actions);
 * - `outputs/<path>`: the output files, as the step wrote them under `outputs/`;
 * - `inputs/<input>/<path>`: the files the node received, only when an edge reads this node's inputs;
 * - `metadata.jsonl`: the metadata events, one JSON object per line; `log.txt`: the execution log;
 * - `deployment.json`: a deployment node's record.
 *
 * A downstream job downloads `execution.json` plus only the files its edges select, each verified
 * against the manifest, and rebuilds the `ExecutionRecord`s the local runner would have in memory.
 */
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { globMatcher, upstreamNodes, type UpstreamOutcome } from '../exec/edges.js';
import { satisfiesDependents } from '../exec/node-actions.js';
import type { MetadataEvent, OutputFile } from '../exec/types.js';
import type { ParameterValue, Pipeline, PipelineNode } from '../pipeline/model.js';
import { variantExecutionId } from '../plan/artifact-name.js';
import type { ContentStore } from '../store/content-store.js';
import type { DeploymentRecord, ExecutionRecord, NodeState, RecordedInputFile } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { redact } from '../util/redact.js';
import { artifactNameCandidates, artifactNameFor, downloadNodeArtifact, uploadNodeArtifact } from '../adapters/artifacts.js';
import { isSafeRelativePath, type NodeManifest, type NodeStatus } from '../adapters/node-manifest.js';

/** File names inside a node artifact (besides `manifest.json`). */
export const EXECUTION_FILE = 'execution.json';
export const METADATA_FILE = 'metadata.jsonl';
export const LOG_FILE = 'log.txt';
export const DEPLOYMENT_FILE = 'deployment.json';
export const OUTPUTS_PREFIX = 'outputs/';
export const INPUTS_PREFIX = 'inputs/';

/** A task node never has this many variants; the bound stops a runaway artifact search. */
const MAX_VARIANTS = 10_000;

/** The rest of an execution that the manifest does not carry. */
export interface ExecutionFile {
  executionId: string;
  variant?: Record<string, ParameterValue>;
  inputs: Record<string, RecordedInputFile[]>;
  environment: Record<string, string>;
  command?: string;
  exitCode?: number | null;
  startedAt: string;
  finishedAt: string;
  reason?: string;
  reusedFrom?: { runId: string; executionId: string };
  /** Set by a deployment node: what a `deployment.id|version_id` edge passes on. */
  deployment?: { id: string; versionId: string };
  /** The node's state as the runtime left it (a job runs one variant: that variant's share of it). */
  nodeState?: NodeState;
  nodeReason?: string;
  /** The action that stopped the node or the pipeline (`stop-pipeline`, `error-pipeline`, …). */
  verdict?: string;
}

export interface DownloadedUpstream {
  node: string;
  artifact: string;
  /** Files kept (verified) from the artifact. */
  files: number;
}

/** Jobs work in their own folder; the store holds every file by checksum. */
export interface JobPaths {
  root: string;
  store: ContentStore;
  storeDir: string;
  downloadCacheDir: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseExecutionFile(text: string, artifact: string): ExecutionFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`Artifact "${artifact}": ${EXECUTION_FILE} is not valid JSON (${getErrorMessage(error)})`);
  }
  if (!isRecord(value) || typeof value['executionId'] !== 'string' || !isRecord(value['inputs']) || !isRecord(value['environment'])) {
    throw new ConfigurationError(`Artifact "${artifact}": ${EXECUTION_FILE} is not an execution record of this tool`);
  }
  // Its checksum was verified against the manifest, which this tool wrote: the shape is ours.
  return value as unknown as ExecutionFile;
}

/** Which artifact files a node needs from one upstream node: its edges' globs decide. */
function selectorFor(pipeline: Pipeline, target: string, source: string): (path: string) => boolean {
  const outputGlobs: ((path: string) => boolean)[] = [];
  const inputGlobs: ((name: string) => boolean)[] = [];
  for (const edge of pipeline.edges) {
    if (edge.target.node !== target || edge.source.node !== source) continue;
    if (edge.source.type === 'output' && (edge.target.type === 'input' || edge.target.type === 'file')) {
      outputGlobs.push(globMatcher(edge.source.key));
    } else if (edge.source.type === 'input' && edge.target.type === 'input') {
      inputGlobs.push(globMatcher(edge.source.key));
    }
  }
  return (path) => {
    if (path === EXECUTION_FILE) return true;
    if (path.startsWith(OUTPUTS_PREFIX)) {
      const output = path.slice(OUTPUTS_PREFIX.length);
      return outputGlobs.some((matches) => matches(output));
    }
    if (path.startsWith(INPUTS_PREFIX)) {
      const name = path.slice(INPUTS_PREFIX.length).split('/')[0] ?? '';
      return inputGlobs.some((matches) => matches(name));
    }
    return false;
  };
}

/** An upstream execution as the local runner would hold it, rebuilt from its artifact. */
export function executionRecordFrom(manifest: NodeManifest, execution: ExecutionFile): ExecutionRecord {
  const record: ExecutionRecord = {
    executionId: execution.executionId,
    status: manifest.status === 'reused' ? 'succeeded' : manifest.status === 'skipped' ? 'cancelled' : manifest.status,
    parameters: manifest.parameters,
    latestMetadata: manifest.metadata.latest,
    metadata: manifest.metadata.events,
    outputs: manifest.files
      .filter((file) => file.path.startsWith(OUTPUTS_PREFIX))
      .map((file) => ({ path: file.path.slice(OUTPUTS_PREFIX.length), size: file.size, sha256: file.sha256 })),
    inputs: execution.inputs,
    environment: execution.environment,
    startedAt: execution.startedAt,
    finishedAt: execution.finishedAt,
    reuseKey: manifest.reuseKey ?? '',
    logPath: '',
  };
  if (execution.variant !== undefined) record.variant = execution.variant;
  if (execution.command !== undefined) record.command = execution.command;
  if (execution.reusedFrom !== undefined) record.reusedFrom = execution.reusedFrom;
  return record;
}

/** Artifact names of an upstream node in this run: one for an execution node, one per variant for a task node. */
async function upstreamArtifactNames(
  pipeline: string,
  upstream: PipelineNode,
  runAttempt: number,
  listed: () => Promise<ReadonlySet<string>>,
): Promise<string[][]> {
  if (upstream.type !== 'task') return [artifactNameCandidates({ pipeline, node: upstream.name, runAttempt })];
  const present = await listed();
  const variants: string[][] = [];
  for (let index = 0; index < MAX_VARIANTS; index++) {
    const candidates = artifactNameCandidates({ pipeline, node: upstream.name, variant: variantExecutionId(upstream.name, index), runAttempt });
    if (!candidates.some((name) => present.has(name))) break;
    variants.push(candidates);
  }
  if (variants.length === 0) {
    const first = artifactNameFor({ pipeline, node: upstream.name, variant: variantExecutionId(upstream.name, 0), runAttempt });
    throw new ConfigurationError(
      `No artifact of task node "${upstream.name}" in this workflow run (looked for "${first}" and earlier attempts); ` +
        'did its jobs finish and upload their outputs?',
    );
  }
  return variants;
}

/** The state of an upstream node as its artifact says (older artifacts carry only the manifest status). */
function upstreamState(manifest: NodeManifest, execution: ExecutionFile): NodeState {
  if (execution.nodeState !== undefined) return execution.nodeState;
  if (manifest.status === 'succeeded' || manifest.status === 'reused' || manifest.status === 'skipped') return manifest.status;
  return 'failed';
}

/** A task node's state from its variants' states: the worst of them, as the local runner settles it. */
function combinedState(states: NodeState[]): NodeState {
  for (const worst of ['failed', 'cancelled', 'skipped', 'awaiting-approval'] as const) if (states.includes(worst)) return worst;
  return states.length > 0 && states.every((s) => s === 'reused') ? 'reused' : 'succeeded';
}

export interface UpstreamDownload {
  outcomes: Map<string, UpstreamOutcome>;
  downloaded: DownloadedUpstream[];
  /** The first upstream node whose state keeps this node from running, as the local runner would say it. */
  blocking?: { node: string; state: NodeState };
}

/** Downloads every upstream node's artifacts (verified), adds the kept files to the store, builds the outcomes. */
export async function downloadUpstream(
  options: { pipeline: string; runAttempt: number },
  pipeline: Pipeline,
  node: PipelineNode,
  paths: JobPaths,
  listed: () => Promise<ReadonlySet<string>>,
): Promise<UpstreamDownload> {
  const outcomes = new Map<string, UpstreamOutcome>();
  const downloaded: DownloadedUpstream[] = [];
  const upstream = [...(upstreamNodes(pipeline).get(node.name) ?? [])];
  for (const name of upstream) {
    const source = pipeline.nodes.find((n) => n.name === name);
    if (!source) throw new ConfigurationError(`pipeline "${pipeline.name}" has no node "${name}"`);
    const select = selectorFor(pipeline, node.name, name);
    const outcome: UpstreamOutcome = { executions: [] };
    const states: NodeState[] = [];
    for (const candidates of await upstreamArtifactNames(options.pipeline, source, options.runAttempt, listed)) {
      const destination = await mkdtemp(join(paths.root, 'upstream-'));
      const artifact = await downloadNodeArtifact({ name: candidates, destination, select }).catch((error: unknown) => {
        throw new ConfigurationError(`Cannot use the outputs of upstream node "${name}": ${getErrorMessage(error)}`);
      });
      const { manifest } = artifact;
      const present = await listed();
      const artifactName = candidates.find((candidate) => present.has(candidate)) ?? candidates[0] ?? '';
      if (manifest.pipeline !== options.pipeline || manifest.node !== name) {
        throw new ConfigurationError(
          `Artifact of node "${name}" holds node "${manifest.node}" of pipeline "${manifest.pipeline}"; expected pipeline "${options.pipeline}"`,
        );
      }
      const executionText = await readFile(join(destination, EXECUTION_FILE), 'utf8').catch(() => {
        throw new ConfigurationError(`Artifact of node "${name}" has no ${EXECUTION_FILE}: it was not uploaded by run-node`);
      });
      const execution = parseExecutionFile(executionText, artifactName);
      for (const file of artifact.files) {
        if (file.path === EXECUTION_FILE) continue;
        // Verified by the download; hardlinked into the store (the download folder is ours).
        const stored = await paths.store.add(join(destination, ...file.path.split('/')), { link: true });
        if (stored.sha256 !== file.sha256) {
          throw new ConfigurationError(`Artifact of node "${name}": ${file.path} changed after it was verified`);
        }
      }
      await rm(destination, { recursive: true, force: true });
      states.push(upstreamState(manifest, execution));
      if (execution.deployment !== undefined) outcome.deployment = execution.deployment;
      // Only succeeded executions reach dependents (those of an `on-error: continue` node included).
      const good = manifest.status === 'succeeded' || manifest.status === 'reused';
      if (source.type !== 'deployment' && good) outcome.executions.push(executionRecordFrom(manifest, execution));
      downloaded.push({ node: name, artifact: artifactName, files: artifact.files.length });
    }
    outcomes.set(name, outcome);
    const state = combinedState(states);
    if (!satisfiesDependents(source, state)) return { outcomes, downloaded, blocking: { node: name, state } };
  }
  return { outcomes, downloaded };
}

/** The execution's files laid out for the artifact (see the module comment). */
interface Publication {
  dir: string;
  files: string[];
}

export async function writePublication(
  paths: JobPaths,
  outputs: OutputFile[],
  execution: ExecutionFile,
  metadata: MetadataEvent[],
  inputFiles: { path: string; sha256: string }[],
  logPath: string | undefined,
): Promise<Publication> {
  const dir = await mkdtemp(join(paths.root, 'publish-'));
  const files: string[] = [];
  for (const output of outputs) {
    const path = `${OUTPUTS_PREFIX}${output.path}`;
    await paths.store.materialise(output.sha256, join(dir, ...path.split('/')));
    files.push(path);
  }
  for (const input of inputFiles) {
    await paths.store.materialise(input.sha256, join(dir, ...input.path.split('/')));
    files.push(input.path);
  }
  await writeJsonAtomic(join(dir, EXECUTION_FILE), execution);
  files.push(EXECUTION_FILE);
  await writeFile(join(dir, METADATA_FILE), redact(metadata.map((event) => JSON.stringify({ ...event.values, _time: event.time })).join('\n') + (metadata.length > 0 ? '\n' : '')));
  files.push(METADATA_FILE);
  if (logPath !== undefined && (await stat(logPath).then((s) => s.isFile(), () => false))) {
    await copyFile(logPath, join(dir, LOG_FILE));
    files.push(LOG_FILE);
  }
  return { dir, files };
}

/**
 * The files of the node's inputs, for the artifact, when a downstream edge reads this node's inputs
 * (`X.input.*`): they go into the store and are recorded with store sources, so another job finds them.
 */
export async function publishableInputs(
  pipeline: Pipeline,
  node: PipelineNode,
  inputsOf: Readonly<Record<string, readonly RecordedInputFile[]>>,
  store: ContentStore,
): Promise<{ recorded: Record<string, RecordedInputFile[]>; files: { path: string; sha256: string }[] }> {
  const readByEdges = pipeline.edges.some((edge) => edge.source.node === node.name && edge.source.type === 'input');
  const recorded: Record<string, RecordedInputFile[]> = {};
  const files: { path: string; sha256: string }[] = [];
  for (const [name, list] of Object.entries(inputsOf)) {
    recorded[name] = [];
    for (const file of list) {
      const entry: RecordedInputFile = { relativePath: file.relativePath, source: file.source };
      if (file.sha256 !== undefined) entry.sha256 = file.sha256;
      if (file.size !== undefined) entry.size = file.size;
      const path = `${INPUTS_PREFIX}${name}/${file.relativePath}`;
      if (readByEdges && file.source.kind !== 'url' && isSafeRelativePath(path)) {
        const sha256 = file.source.kind === 'store' ? file.source.sha256 : (await store.add(file.source.path)).sha256;
        entry.source = { kind: 'store', sha256 };
        entry.sha256 = sha256;
        if (!files.some((f) => f.path === path)) files.push({ path, sha256 });
      }
      recorded[name].push(entry);
    }
  }
  return { recorded, files };
}


/** Everything one node job publishes about its node (or task variant). */
export interface NodePublication {
  name: string;
  manifest: Omit<NodeManifest, 'version' | 'files'>;
  execution: ExecutionFile;
  outputs: OutputFile[];
  metadata: MetadataEvent[];
  inputFiles: { path: string; sha256: string }[];
  logPath?: string;
  deployment?: DeploymentRecord;
}

/** Lays the node's files out in a scratch folder and uploads them as its one artifact. */
export async function publishNode(paths: JobPaths, publication: NodePublication): Promise<{ files: number; size: number }> {
  const laid = await writePublication(paths, publication.outputs, publication.execution, publication.metadata, publication.inputFiles, publication.logPath);
  try {
    if (publication.deployment) {
      for (const file of publication.deployment.files) {
        const path = `${OUTPUTS_PREFIX}${file.from.path}`;
        if (laid.files.includes(path)) continue;
        await paths.store.materialise(file.sha256, join(laid.dir, ...path.split('/')));
        laid.files.push(path);
      }
      await writeJsonAtomic(join(laid.dir, DEPLOYMENT_FILE), publication.deployment);
      laid.files.push(DEPLOYMENT_FILE);
    }
    const uploaded = await uploadNodeArtifact({ name: publication.name, rootDirectory: laid.dir, files: laid.files, manifest: publication.manifest });
    return { files: uploaded.manifest.files.length, size: uploaded.size };
  } finally {
    await rm(laid.dir, { recursive: true, force: true });
  }
}

/** The artifact status of a node: its execution's status, `reused`, or `skipped` when nothing ran. */
export function publishedStatus(state: NodeState, execution: ExecutionRecord | undefined): NodeStatus {
  if (state === 'reused') return 'reused';
  if (!execution || state === 'skipped') return state === 'failed' ? 'failed' : state === 'succeeded' ? 'succeeded' : 'skipped';
  return execution.status === 'running' ? 'cancelled' : execution.status;
}
