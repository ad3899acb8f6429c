/**
 * One pipeline node as one GitHub job (the run-node action): the same planning (`planNode`), reuse key
 * and executor (`runExecution`) as the local runner, with upstream results arriving as artifacts of the
 * current workflow run instead of from the same process.
 *
 * Artifact layout of a node (and task variant), uploaded as ONE artifact named by `artifactNameFor`:
 * - `manifest.json`: identity, parameters, status, metadata, every file's size and sha256 (artifacts.ts);
 * - `execution.json`: what the manifest does not hold (variant, inputs, environment, command, times);
 * - `outputs/<path>`: the output files, as the step wrote them under `outputs/`;
 * - `inputs/<input>/<path>`: the files the node received, only when an edge reads this node's inputs;
 * - `metadata.jsonl`: the metadata events, one JSON object per line; `log.txt`: the execution log.
 *
 * A downstream job downloads `execution.json` plus only the files its edges select, each verified
 * against the manifest, and rebuilds the `ExecutionRecord`s the local runner would have in memory.
 */
import { mkdir, mkdtemp, readFile, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { artifactClient } from './lazy-clients.js';
import { resolveEdges, toInputFile, globMatcher, upstreamNodes, type UpstreamOutcome } from '../exec/edges.js';
import { containerReuseKey, type ContainerRuntime } from '../exec/container.js';
import { runExecution } from '../exec/execution.js';
import { codeVersion } from '../exec/code-version.js';
import { redact } from '../util/redact.js';
import { decideValohaiPaths, describeValohaiPathsDecision, type ValohaiPathsPolicy } from '../exec/valohai-paths.js';
import { newExecutionId, planNode, stepForNode, type PlannedExecution } from '../exec/plan-run.js';
import type { ExecutionResult, MetadataEvent, OutputFile } from '../exec/types.js';
import { formatDiagnostic, hasErrors } from '../pipeline/diagnostics.js';
import { loadPipelineFile } from '../pipeline/load.js';
import type {
  DeploymentNode,
  ExecutionNode,
  ParameterValue,
  Pipeline,
  PipelineConfig,
  PipelineNode,
  Step,
  TaskNode,
} from '../pipeline/model.js';
import { variantExecutionId } from '../plan/artifact-name.js';
import { ContentStore } from '../store/content-store.js';
import type { ExecutionRecord, RecordedInputFile } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { artifactNameCandidates, artifactNameFor, downloadNodeArtifact, uploadNodeArtifact } from './artifacts.js';
import { restoreReused, saveReused } from './cache.js';
import { isSafeRelativePath, type NodeManifest, type NodeStatus } from './manifest.js';

/** File names inside a node artifact (besides `manifest.json`). */
export const EXECUTION_FILE = 'execution.json';
export const METADATA_FILE = 'metadata.jsonl';
export const LOG_FILE = 'log.txt';
export const OUTPUTS_PREFIX = 'outputs/';
export const INPUTS_PREFIX = 'inputs/';

/** A task node never has this many variants; the bound stops a runaway artifact search. */
const MAX_VARIANTS = 10_000;
/** The `metadata` step output is kept well below GitHub's 1 MB limit for all of a job's outputs. */
export const MAX_METADATA_OUTPUT_BYTES = 64 * 1024;

export interface NodeJobOptions {
  /** Pipeline file, relative to the workspace (or absolute). */
  file: string;
  pipeline: string;
  node: string;
  /** Index of the task variant to run; 0 for execution and deployment nodes. */
  variant: number;
  /**
   * Values from the plan's matrix entry (`toJSON(matrix.parameters)`) or pipeline parameter overrides:
   * a key naming a pipeline parameter sets it; a key naming a step parameter that a pipeline parameter
   * targets sets that pipeline parameter; a key naming a task-varied parameter is checked against the
   * variant the node computes (variants are recomputed, the same way everywhere).
   */
  parameters: Record<string, ParameterValue>;
  /** Pipeline parameter overrides by pipeline parameter name (or `node.parameter`), as `mlops compile` passes them. */
  pipelineParameters: Record<string, ParameterValue>;
  reuse: boolean;
  /** Where the repository is checked out (`GITHUB_WORKSPACE`): the commands' working directory. */
  workspace: string;
  /** Scratch folder of the job (`RUNNER_TEMP`). */
  tempDir: string;
  /** `GITHUB_RUN_ATTEMPT`. */
  runAttempt: number;
  /** `GITHUB_RUN_ID`, used as the pipeline id the commands see. */
  runId?: string;
  /** `GITHUB_SHA`. */
  commit?: string;
  /**
   * Whether hard-coded `/valohai/...` paths in the command are linked to the execution's folders (the
   * `valohai-paths` input); absent: never linked, the executor only warns.
   */
  valohaiPaths?: ValohaiPathsPolicy;
  /**
   * Run the command in the step's image with this engine (the `container` input); absent: on the
   * runner. The node then has a container reuse key, and `/valohai` is not linked (it is mounted).
   */
  container?: ContainerRuntime;
}

export interface DownloadedUpstream {
  node: string;
  artifact: string;
  /** Files kept (verified) from the artifact. */
  files: number;
}

export interface NodeJobResult {
  node: string;
  variant: number;
  /** Values the task variant varies; absent for execution nodes. */
  variedParameters?: Record<string, ParameterValue>;
  status: NodeStatus;
  reason?: string;
  executionId: string;
  artifactName: string;
  reused: boolean;
  durationMs: number;
  parameters: Record<string, ParameterValue>;
  outputs: OutputFile[];
  latestMetadata: Record<string, unknown>;
  upstream: DownloadedUpstream[];
  warnings: string[];
}


/** Loads the pipeline file; errors become one message listing `file:line:col: error: …` lines. */
export async function loadConfig(path: string): Promise<PipelineConfig> {
  const loaded = await loadPipelineFile(path);
  for (const diagnostic of loaded.diagnostics) {
    if (diagnostic.severity === 'warning') core.warning(formatDiagnostic(diagnostic));
  }
  if (hasErrors(loaded.diagnostics) || !loaded.config) {
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    throw new ConfigurationError(
      `${path} has ${errors.length || 1} error${errors.length > 1 ? 's' : ''}:\n${errors.join('\n') || `${path}:1:1: error: could not be loaded`}`,
    );
  }
  return loaded.config;
}

/**
 * With the `container` input, a node's step needs an image to run in: said before anything runs.
 * Deployment nodes run no command and need none.
 */
export function requireContainerImage(config: PipelineConfig, node: PipelineNode): void {
  if (node.type === 'deployment') return;
  const step = stepForNode(config, node);
  if (!step.image) {
    throw new ConfigurationError(
      `container: step "${step.name}" (node ${node.name}) has no image to run in; add image: to the step, or set container: off`,
    );
  }
}

/** What run-node's `parameters` input holds, in the text form the local runner's `--param` takes. */
function cliText(value: ParameterValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function findPipeline(config: PipelineConfig, name: string): Pipeline {
  const pipeline = config.pipelines.get(name);
  if (!pipeline) {
    const names = [...config.pipelines.keys()];
    throw new ConfigurationError(
      `no pipeline named "${name}" in ${config.file}; ` + (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'),
    );
  }
  return pipeline;
}

function findNode(pipeline: Pipeline, name: string): PipelineNode {
  const node = pipeline.nodes.find((n) => n.name === name);
  if (!node) {
    throw new ConfigurationError(
      `pipeline "${pipeline.name}" has no node "${name}"; its nodes: ${pipeline.nodes.map((n) => n.name).join(', ')}`,
    );
  }
  return node;
}

interface SplitParameters {
  /** Pipeline parameter name → text value. */
  pipeline: Record<string, string>;
  /** `node.parameter` overrides of this node. */
  node: Record<string, string>;
  /** Step parameter values expected from the plan; checked, not applied. */
  expected: Record<string, ParameterValue>;
}

/**
 * Sorts the `parameters` / `pipeline-parameters` values into pipeline parameter overrides, this node's
 * overrides and values only to check. `varied` are the parameters the task variants vary: the plan's
 * values for them describe one variant, so they must not become overrides of the whole node.
 */
function splitParameters(
  pipeline: Pipeline,
  node: PipelineNode,
  step: Step | undefined,
  options: Pick<NodeJobOptions, 'parameters' | 'pipelineParameters'>,
  varied: ReadonlySet<string>,
): SplitParameters {
  const result: SplitParameters = { pipeline: {}, node: {}, expected: {} };
  const pipelineNames = new Set(pipeline.parameters.map((p) => p.name));
  const stepNames = new Set((step?.parameters ?? []).map((p) => p.name));
  const targetedBy = new Map<string, string>();
  for (const parameter of pipeline.parameters) {
    for (const target of parameter.targets) {
      if (target.node === node.name && !targetedBy.has(target.key)) targetedBy.set(target.key, parameter.name);
    }
  }
  for (const [key, value] of Object.entries(options.parameters)) {
    const targeting = targetedBy.get(key);
    if (pipelineNames.has(key) && !varied.has(key)) result.pipeline[key] = cliText(value);
    else if (stepNames.has(key) && targeting !== undefined && !varied.has(key)) result.pipeline[targeting] = cliText(value);
    else if (stepNames.has(key) || pipelineNames.has(key)) result.expected[key] = value;
    else {
      const allowed = [...new Set([...pipelineNames, ...stepNames])];
      throw new ConfigurationError(
        `input "parameters": "${key}" is neither a parameter of pipeline "${pipeline.name}" nor of node "${node.name}"; ` +
          `allowed: ${allowed.length > 0 ? allowed.join(', ') : '(none)'}`,
      );
    }
  }
  for (const [key, value] of Object.entries(options.pipelineParameters)) {
    if (pipelineNames.has(key)) {
      result.pipeline[key] = cliText(value);
      continue;
    }
    const dot = key.indexOf('.');
    if (dot > 0 && key.slice(0, dot) === node.name) {
      result.node[key.slice(dot + 1)] = cliText(value);
      continue;
    }
    if (dot > 0 && pipeline.nodes.some((n) => n.name === key.slice(0, dot))) continue; // another node's override
    const known = [...pipelineNames];
    throw new ConfigurationError(
      `input "pipeline-parameters": "${key}" is not a parameter of pipeline "${pipeline.name}" ` +
        `(its parameters: ${known.length > 0 ? known.join(', ') : '(none)'}); use NODE.PARAMETER to set one node's parameter`,
    );
  }
  return result;
}

/** The rest of an execution that the manifest does not carry. */
interface ExecutionFile {
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
function executionRecordFrom(manifest: NodeManifest, execution: ExecutionFile): ExecutionRecord {
  const record: ExecutionRecord = {
    executionId: execution.executionId,
    status: manifest.status === 'reused' ? 'succeeded' : manifest.status,
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

interface JobPaths {
  root: string;
  store: ContentStore;
  storeDir: string;
  downloadCacheDir: string;
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

/** Downloads every upstream node's artifacts (verified), adds the kept files to the store, builds the outcomes. */
async function downloadUpstream(
  options: NodeJobOptions,
  pipeline: Pipeline,
  node: PipelineNode,
  paths: JobPaths,
): Promise<{ outcomes: Map<string, UpstreamOutcome>; downloaded: DownloadedUpstream[] }> {
  const outcomes = new Map<string, UpstreamOutcome>();
  const downloaded: DownloadedUpstream[] = [];
  const upstream = [...(upstreamNodes(pipeline).get(node.name) ?? [])];
  let listing: Promise<ReadonlySet<string>> | undefined;
  const listed = (): Promise<ReadonlySet<string>> => {
    listing ??= artifactClient()
      .then((client) => client.listArtifacts({ latest: true }))
      .then((response) => new Set(response.artifacts.map((artifact) => artifact.name)))
      .catch((error: unknown) => {
        throw new ConfigurationError(`Cannot list the artifacts of this workflow run: ${getErrorMessage(error)}`);
      });
    return listing;
  };
  for (const name of upstream) {
    const source = findNode(pipeline, name);
    const select = selectorFor(pipeline, node.name, name);
    const outcome: UpstreamOutcome = { executions: [] };
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
      const executionPath = join(destination, EXECUTION_FILE);
      const executionText = await readFile(executionPath, 'utf8').catch(() => {
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
      if (execution.deployment !== undefined) outcome.deployment = execution.deployment;
      if (source.type !== 'deployment') outcome.executions.push(executionRecordFrom(manifest, execution));
      downloaded.push({ node: name, artifact: artifactName, files: artifact.files.length });
      if (manifest.status !== 'succeeded' && manifest.status !== 'reused') {
        throw new ConfigurationError(`Upstream node "${name}" did not succeed (${manifest.status}); node "${node.name}" cannot run`);
      }
    }
    outcomes.set(name, outcome);
  }
  return { outcomes, downloaded };
}

/** The execution's files laid out for the artifact (see the module comment). */
interface Publication {
  dir: string;
  files: string[];
}

async function writePublication(
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
async function publishableInputs(
  pipeline: Pipeline,
  node: PipelineNode,
  planned: PlannedExecution,
  store: ContentStore,
): Promise<{ recorded: Record<string, RecordedInputFile[]>; files: { path: string; sha256: string }[] }> {
  const readByEdges = pipeline.edges.some((edge) => edge.source.node === node.name && edge.source.type === 'input');
  const recorded: Record<string, RecordedInputFile[]> = {};
  const files: { path: string; sha256: string }[] = [];
  for (const [name, list] of Object.entries(planned.inputs)) {
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

/** Reuse through the Actions cache: a folder of the workspace holding the outputs and an entry file. */
interface CachedExecution {
  executionId: string;
  runId: string;
  outputs: OutputFile[];
  latestMetadata: Record<string, unknown>;
  metadata: MetadataEvent[];
  command: string;
}

/** Relative to the working directory (the workspace on a runner), as the cache client wants it. */
function reuseCachePath(reuseKey: string): string {
  return `.mlops/github-reuse/${reuseKey}`;
}

async function tryRestore(reuseKey: string, store: ContentStore): Promise<CachedExecution | undefined> {
  const relativeDir = reuseCachePath(reuseKey);
  if (!(await restoreReused(reuseKey, [relativeDir]))) return undefined;
  const dir = resolve(relativeDir);
  try {
    const entry = JSON.parse(await readFile(join(dir, 'entry.json'), 'utf8')) as CachedExecution;
    for (const output of entry.outputs) {
      if (!isSafeRelativePath(output.path)) throw new Error(`unsafe output path ${output.path}`);
      const stored = await store.add(join(dir, 'outputs', ...output.path.split('/')));
      if (stored.sha256 !== output.sha256) throw new Error(`${output.path} does not match its checksum`);
    }
    return entry;
  } catch (error) {
    core.warning(`The reuse cache entry is damaged (${getErrorMessage(error)}); the node runs`);
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function saveToCache(reuseKey: string, store: ContentStore, entry: CachedExecution): Promise<void> {
  const relativeDir = reuseCachePath(reuseKey);
  const dir = resolve(relativeDir);
  try {
    await rm(dir, { recursive: true, force: true });
    for (const output of entry.outputs) {
      await store.materialise(output.sha256, join(dir, 'outputs', ...output.path.split('/')), { mode: 'copy' });
    }
    await writeJsonAtomic(join(dir, 'entry.json'), entry);
    const saved = await saveReused(reuseKey, [relativeDir]);
    if (saved) core.info(`Saved the outputs for reuse (key ${reuseKey})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Step parameter values the plan expected that the recomputed variant does not have (warnings). */
function mismatches(expected: Record<string, ParameterValue>, actual: Record<string, ParameterValue>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(expected)) {
    if (JSON.stringify(actual[key]) !== JSON.stringify(value)) {
      problems.push(`parameter ${key}: the plan says ${JSON.stringify(value)}, the node computed ${JSON.stringify(actual[key] ?? null)}`);
    }
  }
  return problems;
}

/** Runs (or reuses) one node or task variant of the pipeline as this job, and uploads its artifact. */
export async function runNodeJob(options: NodeJobOptions): Promise<NodeJobResult> {
  const started = Date.now();
  const file = isAbsolute(options.file) ? options.file : resolve(options.workspace, options.file);
  const config = await core.group(`Load ${options.file}`, () => loadConfig(file));
  const pipeline = findPipeline(config, options.pipeline);
  const node = findNode(pipeline, options.node);
  if (!Number.isSafeInteger(options.variant) || options.variant < 0) {
    throw new ConfigurationError(`input "variant" must be a non-negative integer, got ${options.variant}`);
  }
  if (node.type !== 'task' && options.variant !== 0) {
    throw new ConfigurationError(`node "${node.name}" is a ${node.type} node: it has only variant 0, not ${options.variant}`);
  }
  if (options.container) requireContainerImage(config, node);

  const root = join(options.tempDir, 'mlops');
  await mkdir(root, { recursive: true });
  const storeDir = join(root, 'store');
  const paths: JobPaths = { root, store: new ContentStore(storeDir), storeDir, downloadCacheDir: join(root, 'downloads') };

  const { outcomes, downloaded } = await core.group('Download upstream artifacts', async () => {
    const result = await downloadUpstream(options, pipeline, node, paths);
    for (const item of result.downloaded) core.info(`${item.node}: ${item.files} file(s) kept and verified`);
    if (result.downloaded.length === 0) core.info('No upstream nodes');
    return result;
  });

  const variant = node.type === 'task' ? variantExecutionId(node.name, options.variant) : undefined;
  const artifactName = artifactNameFor({
    pipeline: options.pipeline,
    node: node.name,
    ...(variant !== undefined ? { variant } : {}),
    runAttempt: options.runAttempt,
  });

  if (node.type === 'deployment') {
    return runDeploymentJob(options, config, pipeline, node, outcomes, paths, { artifactName, downloaded, started });
  }
  return runExecutionJob(options, config, pipeline, node, outcomes, paths, { artifactName, downloaded, started });
}

interface JobState {
  artifactName: string;
  downloaded: DownloadedUpstream[];
  started: number;
}

async function runExecutionJob(
  options: NodeJobOptions,
  config: PipelineConfig,
  pipeline: Pipeline,
  node: ExecutionNode | TaskNode,
  outcomes: Map<string, UpstreamOutcome>,
  paths: JobPaths,
  state: JobState,
): Promise<NodeJobResult> {
  const step = stepForNode(config, node);
  const warnings: string[] = [];
  const planned = await core.group('Plan the node', async () => {
    const context = {
      config,
      pipeline,
      repositoryDir: options.workspace,
      outcomes,
      cliInputs: {},
      // The same code version as the local runner computes for this working copy (code-version.ts).
      codeVersion: await codeVersion(options.workspace, { exclude: [config.file] }),
      // URL inputs enter the reuse key by content, as in the local runner.
      downloadCacheDir: paths.downloadCacheDir,
      refetchUrls: !options.reuse,
    };
    // First without the plan's values, to learn which parameters the task variants vary.
    const probe = splitParameters(pipeline, node, step, { parameters: {}, pipelineParameters: options.pipelineParameters }, new Set());
    let plan = await planNode(node, { ...context, cliPipelineParameters: probe.pipeline, cliNodeParameters: probe.node });
    const varied = new Set(plan.executions.flatMap((e) => Object.keys(e.variant ?? {})));
    const split = splitParameters(pipeline, node, step, options, varied);
    if (Object.keys(options.parameters).length > 0) {
      plan = await planNode(node, { ...context, cliPipelineParameters: split.pipeline, cliNodeParameters: split.node });
    }
    for (const warning of plan.warnings) {
      warnings.push(warning);
      core.warning(warning);
    }
    const execution = plan.executions[options.variant];
    if (!execution) {
      throw new ConfigurationError(
        `node "${node.name}" has ${plan.executions.length} variant${plan.executions.length === 1 ? '' : 's'} (0 to ${plan.executions.length - 1}), not ${options.variant}`,
      );
    }
    for (const problem of mismatches(split.expected, execution.parameters)) {
      warnings.push(problem);
      core.warning(`node ${node.name} variant ${options.variant}: ${problem}`);
    }
    // As the local scheduler does: a host result never stands in for a container one (or back).
    if (options.container) execution.reuseKey = containerReuseKey(execution.reuseKey);
    core.info(`Parameters: ${JSON.stringify(execution.parameters)}`);
    core.info(`Reuse key: ${execution.reuseKey}`);
    return execution;
  });

  const executionId = newExecutionId(node.name, options.variant);
  const inputs = await publishableInputs(pipeline, node, planned, paths.store);

  let cached: CachedExecution | undefined;
  if (options.reuse) {
    cached = await core.group('Look for a reusable result', async () => {
      const found = await tryRestore(planned.reuseKey, paths.store);
      core.info(found ? `Reusing execution ${found.executionId} (run ${found.runId})` : 'No reusable result: the node runs');
      return found;
    });
  }

  let result: ExecutionResult | undefined;
  let status: NodeStatus;
  let outputs: OutputFile[];
  let latest: Record<string, unknown>;
  let events: MetadataEvent[];
  let command: string;
  const startedAt = new Date().toISOString();
  if (cached) {
    status = 'reused';
    ({ outputs, latestMetadata: latest, metadata: events, command } = cached);
  } else {
    result = await core.group(`Run ${node.name}${node.type === 'task' ? ` (variant ${options.variant})` : ''}`, async () => {
      if (options.container) core.info(`Runs in ${step.image ?? ''} with ${options.container.engine} (${options.container.executable})`);
      // In a container the /valohai folders are mounted: nothing to link.
      const valohaiPaths =
        options.valohaiPaths && !options.container ? await decideValohaiPaths([planned.command], options.valohaiPaths) : undefined;
      const note = valohaiPaths && describeValohaiPathsDecision(valohaiPaths);
      if (note !== undefined && valohaiPaths?.action === 'warn') {
        warnings.push(note);
        core.warning(note);
      } else if (note !== undefined) {
        core.info(note);
      }
      return runExecution(
        {
          executionId,
          step,
          parameters: planned.parameters,
          inputs: Object.fromEntries(Object.entries(planned.inputs).map(([name, files]) => [name, files.map(toInputFile)])),
          environment: planned.environment,
          repositoryDir: options.workspace,
          executionDir: join(paths.root, 'executions', executionId),
          storeDir: paths.storeDir,
          downloadCacheDir: paths.downloadCacheDir,
          context: {
            pipelineId: options.runId ?? options.pipeline,
            nodeName: node.name,
            counter: options.variant,
            ...(options.commit !== undefined ? { commit: options.commit } : {}),
          },
          onLine: (line) => core.info(line),
        },
        {
          onWarning: (message) => core.warning(message),
          ...(valohaiPaths?.action === 'link' ? { valohaiRoot: valohaiPaths.root } : {}),
          ...(options.container ? { container: options.container } : {}),
        },
      );
    });
    status = result.status;
    ({ outputs, latestMetadata: latest, metadata: events, command } = result);
  }

  const execution: ExecutionFile = {
    executionId,
    inputs: inputs.recorded,
    environment: planned.environment,
    command,
    startedAt: result?.startedAt ?? startedAt,
    finishedAt: result?.finishedAt ?? new Date().toISOString(),
  };
  if (planned.variant !== undefined) execution.variant = planned.variant;
  if (result) execution.exitCode = result.exitCode;
  if (result?.reason !== undefined) execution.reason = result.reason;
  if (cached) execution.reusedFrom = { runId: cached.runId, executionId: cached.executionId };

  await core.group(`Upload artifact ${state.artifactName}`, async () => {
    const publication = await writePublication(paths, outputs, execution, events, inputs.files, result?.logPath);
    try {
      const uploaded = await uploadNodeArtifact({
        name: state.artifactName,
        rootDirectory: publication.dir,
        files: publication.files,
        manifest: {
          pipeline: options.pipeline,
          node: node.name,
          step: step.name,
          ...(node.type === 'task' ? { variant: variantExecutionId(node.name, options.variant) } : {}),
          executionId,
          parameters: planned.parameters,
          ...(options.commit !== undefined ? { commit: options.commit } : {}),
          metadata: { latest, events },
          status,
          reuseKey: planned.reuseKey,
        },
      });
      core.info(`Uploaded ${uploaded.manifest.files.length} file(s), ${uploaded.size} bytes`);
    } finally {
      await rm(publication.dir, { recursive: true, force: true });
    }
  });

  if (status === 'succeeded' && options.reuse) {
    await core.group('Save the result for reuse', () =>
      saveToCache(planned.reuseKey, paths.store, {
        executionId,
        runId: options.runId ?? '',
        outputs,
        latestMetadata: latest,
        metadata: events,
        command,
      }),
    );
  }

  const jobResult: NodeJobResult = {
    node: node.name,
    variant: options.variant,
    status,
    executionId,
    artifactName: state.artifactName,
    reused: cached !== undefined,
    durationMs: Date.now() - state.started,
    parameters: planned.parameters,
    outputs,
    latestMetadata: latest,
    upstream: state.downloaded,
    warnings,
  };
  if (planned.variant !== undefined) jobResult.variedParameters = planned.variant;
  if (result?.reason !== undefined) jobResult.reason = result.reason;
  return jobResult;
}

/**
 * A deployment node records what it would deploy (the endpoint files its edges select) like the local
 * runner does, and publishes the record so that `deployment.id|version_id` edges reach later jobs.
 */
async function runDeploymentJob(
  options: NodeJobOptions,
  config: PipelineConfig,
  pipeline: Pipeline,
  node: DeploymentNode,
  outcomes: Map<string, UpstreamOutcome>,
  paths: JobPaths,
  state: JobState,
): Promise<NodeJobResult> {
  const edges = resolveEdges(pipeline, node.name, outcomes, []);
  for (const warning of edges.warnings) core.warning(warning);
  for (const file of edges.deploymentFiles) {
    if (node.endpoints.length > 0 && !node.endpoints.includes(file.endpoint)) {
      throw new ConfigurationError(
        `deployment node ${node.name}: endpoint ${file.endpoint} is not in its endpoints (${node.endpoints.join(', ')})`,
      );
    }
  }
  const id = `${node.deployment}/${options.runId ?? 'local'}`;
  const endpoints = new Map([...config.endpoints.values()].map((e) => [e.name, e]));
  const record = {
    node: node.name,
    deployment: node.deployment,
    endpoints: node.endpoints,
    aliases: node.aliases,
    files: edges.deploymentFiles.map((f) => {
      const declared = endpoints.get(f.endpoint)?.files.find((d) => d.name === f.name);
      return declared ? { ...f, path: declared.path } : { ...f };
    }),
    createdAt: new Date().toISOString(),
  };
  const executionId = newExecutionId(node.name, 0);
  const now = new Date().toISOString();
  const execution: ExecutionFile = {
    executionId,
    inputs: {},
    environment: {},
    startedAt: now,
    finishedAt: now,
    deployment: { id, versionId: `${id}/${node.name}` },
  };
  await core.group(`Upload artifact ${state.artifactName}`, async () => {
    const dir = await mkdtemp(join(paths.root, 'publish-'));
    try {
      const files: string[] = [];
      for (const file of record.files) {
        const path = `${OUTPUTS_PREFIX}${file.from.path}`;
        if (files.includes(path)) continue;
        await paths.store.materialise(file.sha256, join(dir, ...path.split('/')));
        files.push(path);
      }
      await writeJsonAtomic(join(dir, 'deployment.json'), record);
      await writeJsonAtomic(join(dir, EXECUTION_FILE), execution);
      files.push('deployment.json', EXECUTION_FILE);
      await uploadNodeArtifact({
        name: state.artifactName,
        rootDirectory: dir,
        files,
        manifest: {
          pipeline: options.pipeline,
          node: node.name,
          step: `deployment:${node.deployment}`,
          executionId,
          parameters: {},
          ...(options.commit !== undefined ? { commit: options.commit } : {}),
          metadata: { latest: {}, events: [] },
          status: 'succeeded',
        },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  return {
    node: node.name,
    variant: 0,
    status: 'succeeded',
    executionId,
    artifactName: state.artifactName,
    reused: false,
    durationMs: Date.now() - state.started,
    parameters: {},
    outputs: [],
    latestMetadata: {},
    upstream: state.downloaded,
    warnings: edges.warnings,
  };
}

/** The latest metadata as a step output: JSON, trimmed to scalar values, then emptied, to stay small. */
export function metadataOutput(latest: Record<string, unknown>): string {
  const full = JSON.stringify(latest);
  if (Buffer.byteLength(full) <= MAX_METADATA_OUTPUT_BYTES) return full;
  const scalars = Object.fromEntries(
    Object.entries(latest).filter(([, value]) => typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 200)),
  );
  const trimmed = JSON.stringify(scalars);
  if (Buffer.byteLength(trimmed) <= MAX_METADATA_OUTPUT_BYTES) return trimmed;
  return '{}';
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** The job summary: the node's status, duration and metrics (latest metadata). */
export async function writeNodeSummary(result: NodeJobResult): Promise<void> {
  const title = result.variedParameters !== undefined ? `${result.node} (variant ${result.variant})` : result.node;
  const summary = core.summary.addHeading(`Node ${title}`, 2).addTable([
    [
      { data: 'Status', header: true },
      { data: 'Duration', header: true },
      { data: 'Execution', header: true },
      { data: 'Artifact', header: true },
    ],
    [
      result.status + (result.reason !== undefined ? `: ${result.reason}` : ''),
      formatDuration(result.durationMs),
      result.executionId,
      result.artifactName,
    ],
  ]);
  if (result.variedParameters !== undefined) {
    summary.addRaw(`Variant parameters: \`${JSON.stringify(result.variedParameters)}\`\n\n`, true);
  }
  const metrics = Object.entries(result.latestMetadata);
  if (metrics.length > 0) {
    summary.addHeading('Metrics', 3).addTable([
      [
        { data: 'Metric', header: true },
        { data: 'Value', header: true },
      ],
      ...metrics.slice(0, 100).map(([key, value]) => [key, formatValue(value)]),
    ]);
  }
  await summary.write();
}
