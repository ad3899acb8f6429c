/**
 * One pipeline node as one GitHub job (the run-node action): artifact download, then the node runtime
 * (src/exec/node-run.ts, the same the local runner uses), then the artifact upload. Upstream results
 * arrive as artifacts of the current workflow run (node-artifact.ts); reuse goes through the Actions
 * cache; a node action or `on-error` that stops the pipeline leaves a halt marker (halt.ts) that every
 * later node job honours.
 */
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import * as core from '@actions/core';
import { codeVersion } from '../exec/code-version.js';
import type { ContainerRuntime } from '../exec/container.js';
import type { UpstreamOutcome } from '../exec/edges.js';
import { requireStepImage, type PipelineHalt } from '../exec/node-actions.js';
import { planExecutions, runNode, type NodeRunContext, type NodeRunPorts, type NodeRunResult } from '../exec/node-run.js';
import { newExecutionId, stepForNode } from '../exec/plan-run.js';
import type { OutputFile } from '../exec/types.js';
import { decideValohaiPaths, describeValohaiPathsDecision, type ValohaiPathsPolicy } from '../exec/valohai-paths.js';
import { findNode, findPipeline, loadConfigOrThrow } from '../pipeline/find.js';
import type { ParameterValue, Pipeline, PipelineConfig, PipelineNode, Step } from '../pipeline/model.js';
import { variantExecutionId } from '../plan/artifact-name.js';
import { ContentStore } from '../store/content-store.js';
import type { NodeState } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { actionsReuseCache } from './actions-reuse.js';
import { workflowRunGate } from './gate.js';
import { artifactClient } from '../adapters/lazy-clients.js';
import { artifactNameFor } from '../adapters/artifacts.js';
import { findHalt, uploadHalt } from './halt.js';
import type { NodeStatus } from '../adapters/node-manifest.js';
import {
  downloadUpstream,
  publishableInputs,
  publishedStatus,
  publishNode,
  type DownloadedUpstream,
  type ExecutionFile,
  type JobPaths,
} from './node-artifact.js';

export { EXECUTION_FILE, OUTPUTS_PREFIX, type DownloadedUpstream } from './node-artifact.js';

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
  /** The job's token: the deployment gate reads the releases registry's production model with it. */
  githubToken?: string;
}

export interface NodeJobResult {
  node: string;
  variant: number;
  /** Values the task variant varies; absent for execution nodes. */
  variedParameters?: Record<string, ParameterValue>;
  /** What the artifact says: the execution's status, `reused` or `skipped`. */
  status: NodeStatus;
  /** The node's state as the local runner would record it (this variant's share of it). */
  state: NodeState;
  reason?: string;
  /** The action that stopped the node or the pipeline, if any. */
  verdict?: string;
  /** The pipeline halt this job caused (its marker is uploaded); later node jobs end as skipped. */
  halt?: PipelineHalt;
  /** Whether dependents may run: the node succeeded, or it failed under `on-error: continue`. */
  dependentsRun: boolean;
  /** A `require-approval` after the node ran held: the workflow's approval gate must pass before dependents run. */
  approvalRequired: boolean;
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
  const { config, warnings } = await loadConfigOrThrow(path);
  for (const warning of warnings) core.warning(warning);
  return config;
}

/** With the `container` input, a node's step needs an image to run in: said before anything runs. */
export function requireContainerImage(config: PipelineConfig, node: PipelineNode): void {
  requireStepImage(config, node, 'container', 'set container: off');
}

/** What run-node's `parameters` input holds, in the text form the local runner's `--param` takes. */
function cliText(value: ParameterValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
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
  const storeDir = join(root, 'store');
  const paths: JobPaths = { root, store: new ContentStore(storeDir), storeDir, downloadCacheDir: join(root, 'downloads') };
  await mkdir(root, { recursive: true });

  let listing: Promise<ReadonlyMap<string, number>> | undefined;
  const artifacts = (): Promise<ReadonlyMap<string, number>> => {
    listing ??= artifactClient()
      .then((client) => client.listArtifacts({ latest: true }))
      .then((response) => new Map(response.artifacts.map((artifact) => [artifact.name, artifact.id])))
      .catch((error: unknown) => {
        throw new ConfigurationError(`Cannot list the artifacts of this workflow run: ${getErrorMessage(error)}`);
      });
    return listing;
  };
  const listed = async (): Promise<ReadonlySet<string>> => new Set((await artifacts()).keys());

  const variant = node.type === 'task' ? variantExecutionId(node.name, options.variant) : undefined;
  const executionId = newExecutionId(node.name, options.variant);
  const artifactName = artifactNameFor({
    pipeline: options.pipeline,
    node: node.name,
    ...(variant !== undefined ? { variant } : {}),
    runAttempt: options.runAttempt,
  });
  const job: JobState = { options, pipeline, node, paths, artifactName, executionId, started, downloaded: [], warnings: [] };

  // A node action or on-error of an earlier job stopped the pipeline: this node is not reached.
  const halted = await findHalt(options.pipeline, options.runAttempt, artifacts, root);
  if (halted) {
    core.notice(`Node ${node.name} skipped: ${halted.reason}`);
    return publishSkipped(job, halted.reason);
  }
  const upstream = await core.group('Download upstream artifacts', async () => {
    const result = await downloadUpstream(options, pipeline, node, paths, listed);
    for (const item of result.downloaded) core.info(`${item.node}: ${item.files} file(s) kept and verified`);
    if (result.downloaded.length === 0) core.info('No upstream nodes');
    return result;
  });
  job.downloaded = upstream.downloaded;
  if (upstream.blocking) {
    const reason = `upstream node ${upstream.blocking.node} ${upstream.blocking.state}`;
    core.notice(`Node ${node.name} skipped: ${reason}`);
    return publishSkipped(job, reason);
  }

  const context = await core.group('Plan the node', () => nodeContext(job, config, upstream.outcomes));
  let halt: PipelineHalt | undefined;
  const ports = jobPorts(job, (h) => (halt ??= h), () => halt);
  const ran = await core.group(`Run ${node.name}${node.type === 'task' ? ` (variant ${options.variant})` : ''}`, () => runNode(node, context, ports));
  if (halt) {
    const stopped: PipelineHalt = halt;
    await core.group('Stop the pipeline', async () => {
      await uploadHalt(options.pipeline, executionId, options.runAttempt, stopped, root);
      core.info(`Later node jobs of this run end as skipped: ${stopped.reason}`);
    });
  }
  return publishResult(job, ran, halt);
}

interface JobState {
  options: NodeJobOptions;
  pipeline: Pipeline;
  node: PipelineNode;
  paths: JobPaths;
  artifactName: string;
  executionId: string;
  started: number;
  downloaded: DownloadedUpstream[];
  warnings: string[];
}

/**
 * The runtime context of this job. The plan's values for task-varied parameters describe one variant,
 * so the node is first planned without them to learn which parameters vary.
 */
async function nodeContext(job: JobState, config: PipelineConfig, outcomes: Map<string, UpstreamOutcome>): Promise<NodeRunContext> {
  const { options, pipeline, node, paths } = job;
  const step = node.type === 'deployment' ? undefined : stepForNode(config, node);
  const context: NodeRunContext = {
    config,
    pipeline,
    repositoryDir: options.workspace,
    runId: options.runId ?? options.pipeline,
    outcomes,
    pipelineParameters: {},
    nodeParameters: {},
    cliInputs: {},
    storeDir: paths.storeDir,
    downloadCacheDir: paths.downloadCacheDir,
    executionDir: (id) => join(paths.root, 'executions', id),
    onlyVariant: options.variant,
    // The same code version as the local runner computes for this working copy (code-version.ts).
    codeVersion: await codeVersion(options.workspace, { exclude: [config.file] }),
  };
  // URL inputs enter the reuse key by content; without reuse they are downloaded again.
  if (!options.reuse) context.refetchUrls = true;
  if (options.commit !== undefined) context.commit = options.commit;
  if (options.container) context.container = options.container;
  if (options.reuse) context.reuse = actionsReuseCache(paths.store);
  if (node.type === 'deployment') {
    context.gate = workflowRunGate({ file: config.file, pipeline: options.pipeline, runAttempt: options.runAttempt, tempDir: options.tempDir, token: options.githubToken ?? '' });
    return context;
  }
  const probe = splitParameters(pipeline, node, step, { parameters: {}, pipelineParameters: options.pipelineParameters }, new Set());
  let varied = new Set<string>();
  if (Object.keys(options.parameters).length > 0) {
    const plan = await planExecutions(node, { ...context, pipelineParameters: probe.pipeline, nodeParameters: probe.node });
    varied = new Set(plan.executions.flatMap((e) => Object.keys(e.variant ?? {})));
  }
  const split = splitParameters(pipeline, node, step, options, varied);
  context.pipelineParameters = split.pipeline;
  context.nodeParameters = split.node;
  context.checkPlan = (plan) => {
    const execution = plan.executions[options.variant];
    if (!execution) return;
    for (const problem of mismatches(split.expected, execution.parameters)) {
      job.warnings.push(problem);
      core.warning(`node ${node.name} variant ${options.variant}: ${problem}`);
    }
    core.info(`Parameters: ${JSON.stringify(execution.parameters)}`);
    core.info(`Reuse key: ${execution.reuseKey}`);
  };
  return context;
}

/** The runtime's ports in a job: one slot, the job log, approvals given by the workflow's gates. */
function jobPorts(job: JobState, halt: (h: PipelineHalt) => void, halted: () => PipelineHalt | undefined): NodeRunPorts {
  const { options } = job;
  const ports: NodeRunPorts = {
    notice: (message) => {
      job.warnings.push(message);
      core.warning(message);
    },
    warning: (message) => core.warning(message),
    onLine: (_id, line) => core.info(line),
    schedule: (_node, start) => {
      void start({ waitForTurn: () => Promise.resolve(true), endTurn: () => undefined });
    },
    record: () => Promise.resolve(),
    running: () => Promise.resolve(),
    halt,
    halted,
    // A node-starting approval is the job's environment (mlops compile), passed before the job started;
    // a node-complete one is the gate job after it, fed by the `approval` output.
    approval: { ask: () => Promise.resolve({ answer: 'approved' }) },
  };
  const policy = options.valohaiPaths;
  if (policy && !options.container) {
    // In a container the /valohai folders are mounted: nothing to link.
    ports.valohaiRootFor = async (planned) => {
      const decision = await decideValohaiPaths([planned.command], policy);
      const note = describeValohaiPathsDecision(decision);
      if (note !== undefined && decision.action === 'warn') {
        job.warnings.push(note);
        core.warning(note);
      } else if (note !== undefined) {
        core.info(note);
      }
      return decision.action === 'link' ? decision.root : undefined;
    };
  }
  if (options.container) {
    const container: ContainerRuntime = options.container;
    ports.planned = (plan) => core.info(`Runs in ${plan.step.image ?? ''} with ${container.engine} (${container.executable})`);
  }
  return ports;
}

/** A node that did not run still publishes an artifact, so that its dependents know why they skip. */
async function publishSkipped(job: JobState, reason: string): Promise<NodeJobResult> {
  const ran: NodeRunResult = { state: 'skipped', reason, executions: [], outcome: { executions: [] }, approvals: [] };
  return publishResult(job, ran, undefined);
}

async function publishResult(job: JobState, ran: NodeRunResult, halt: PipelineHalt | undefined): Promise<NodeJobResult> {
  const { options, node, paths } = job;
  const execution = ran.executions[0];
  const status = publishedStatus(ran.state, execution);
  const time = new Date().toISOString();
  const inputs = await publishableInputs(job.pipeline, node, execution?.inputs ?? {}, paths.store);
  const file: ExecutionFile = {
    executionId: execution?.executionId ?? job.executionId,
    inputs: inputs.recorded,
    environment: execution?.environment ?? {},
    startedAt: execution?.startedAt ?? time,
    finishedAt: execution?.finishedAt ?? time,
    nodeState: ran.state,
  };
  if (execution?.variant !== undefined) file.variant = execution.variant;
  if (execution?.command !== undefined) file.command = execution.command;
  if (execution?.exitCode !== undefined) file.exitCode = execution.exitCode;
  if (execution?.reason !== undefined) file.reason = execution.reason;
  if (execution?.reusedFrom !== undefined) file.reusedFrom = execution.reusedFrom;
  if (ran.outcome.deployment !== undefined) file.deployment = ran.outcome.deployment;
  if (ran.reason !== undefined) file.nodeReason = ran.reason;
  if (ran.verdict !== undefined) file.verdict = ran.verdict.action;
  const latest = execution?.latestMetadata ?? {};
  const metadata = execution?.metadata ?? [];
  const step = node.type === 'deployment' ? `deployment:${node.deployment}` : node.step;
  await core.group(`Upload artifact ${job.artifactName}`, async () => {
    const uploaded = await publishNode(paths, {
      name: job.artifactName,
      manifest: {
        pipeline: options.pipeline,
        node: node.name,
        step,
        ...(node.type === 'task' ? { variant: variantExecutionId(node.name, options.variant) } : {}),
        executionId: file.executionId,
        parameters: execution?.parameters ?? {},
        ...(options.commit !== undefined ? { commit: options.commit } : {}),
        metadata: { latest, events: metadata },
        status,
        ...(execution ? { reuseKey: execution.reuseKey } : {}),
      },
      execution: file,
      outputs: execution?.outputs ?? [],
      metadata,
      inputFiles: inputs.files,
      ...(execution && execution.logPath !== '' ? { logPath: execution.logPath } : {}),
      ...(ran.deployment ? { deployment: ran.deployment } : {}),
    });
    core.info(`Uploaded ${uploaded.files} file(s), ${uploaded.size} bytes`);
  });

  const result: NodeJobResult = {
    node: node.name,
    variant: options.variant,
    status,
    state: ran.state,
    dependentsRun: ran.state === 'succeeded' || ran.state === 'reused' || (ran.state === 'failed' && node.onError === 'continue'),
    approvalRequired: ran.approvals.includes('node-complete'),
    executionId: file.executionId,
    artifactName: job.artifactName,
    reused: ran.state === 'reused',
    durationMs: Date.now() - job.started,
    parameters: execution?.parameters ?? {},
    outputs: execution?.outputs ?? [],
    latestMetadata: latest,
    upstream: job.downloaded,
    warnings: job.warnings,
  };
  if (execution?.variant !== undefined) result.variedParameters = execution.variant;
  const reason = ran.reason ?? execution?.reason;
  if (reason !== undefined) result.reason = reason;
  if (ran.verdict !== undefined) result.verdict = ran.verdict.action;
  if (halt !== undefined) result.halt = halt;
  return result;
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
