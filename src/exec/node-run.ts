/**
 * The node runtime: one node of a pipeline from its node-starting actions to its final state, for the
 * local runner and the GitHub node job alike. Plan the executions → reuse check → run (with `on-error:
 * retry`) → outputs → record → node-complete / node-error actions, and deployment nodes.
 *
 * What differs between the two front ends is behind ports: where upstream outcomes come from (the
 * same process, or downloaded artifacts, already in `outcomes`), the reuse cache (`.mlops/reuse` or
 * the Actions cache), where the records go (the run journal, or the job's artifact), who may approve,
 * how executions get a slot, and logging. A fix to node semantics lands here, once.
 */
import { join } from 'node:path';
import type { DeploymentNode, ExecutionNode, ParameterValue, Pipeline, PipelineConfig, PipelineNode, Step, TaskNode } from '../pipeline/model.js';
import type { DeploymentRecord, ExecutionRecord, NodeState } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { gateDeployment, type DeploymentGate } from './deployment-gate.js';
import { containerReuseKey, type ContainerRuntime } from './container.js';
import { resolveEdges, toInputFile, type UpstreamOutcome } from './edges.js';
import { runExecution } from './execution.js';
import {
  actionScopes,
  decideActions,
  onErrorPolicy,
  type ActionMoment,
  type ActionVerdict,
  type ApprovalPort,
  type PipelineHalt,
} from './node-actions.js';
import { newExecutionId, planNode, type NodePlan, type PlannedExecution } from './plan-run.js';
import { runTaskExecutions } from './task-run.js';
import type { ReuseEntry } from './reuse.js';
import { processGroupRecord } from './run-lock.js';
import { oneLineReason } from './run-life.js';
import type { ExecutionRequest, ExecutionResult, MetadataEvent, OutputFile } from './types.js';

/** An earlier identical execution whose outputs are in the store. */
export interface ReuseHit {
  runId: string;
  executionId: string;
  outputs: OutputFile[];
  latestMetadata: Record<string, unknown>;
  metadata: MetadataEvent[];
  command: string;
  logPath: string;
}

/** The reuse cache: `.mlops/reuse` + the store locally, the Actions cache on GitHub. */
export interface ReuseCache {
  /** A hit only when every output is in the store (verified by the implementation). */
  lookup(reuseKey: string): Promise<ReuseHit | undefined>;
  save(entry: ReuseEntry): Promise<void>;
}

/** An execution's command slot: the local runner bounds them (`--jobs`); a GitHub job has one. */
export interface ExecutionSlot {
  /** Resolves false when the pipeline stopped meanwhile. */
  waitForTurn(): Promise<boolean>;
  /** Called once when the command is done (before the record is saved), turn or not. */
  endTurn(): void;
}

export interface NodeRunPorts {
  /** Informational lines of the runtime (warnings of the plan, retries, actions). */
  notice(message: string): void;
  /** Warnings of the executor (skipped outputs, …). */
  warning?(message: string): void;
  /** Every line a command prints. */
  onLine?(executionId: string, line: string, stream: 'stdout' | 'stderr'): void;
  /** Runs `start` when the front end has room for it; `cancel` when the pipeline stopped first. */
  schedule(node: string, start: (slot: ExecutionSlot) => Promise<void>, cancel: () => void): void;
  /** Record publishing: an execution was started (status `running`), finished or reused. */
  record(execution: ExecutionRecord, phase: 'started' | 'finished' | 'reused'): Promise<void>;
  /** Saves an execution's record mid-way (its process group once the command started), if the front end keeps one. */
  progress?(execution: ExecutionRecord): Promise<void>;
  /** The node's executions begin (its state turns `running`). */
  running(): Promise<void>;
  /** The pipeline must stop; called as soon as the node knows it. */
  halt(halt: PipelineHalt): void;
  /** The pipeline's halt, if any: queued work is not retried after it. */
  halted(): PipelineHalt | undefined;
  approval: ApprovalPort;
  /** Where `/valohai/...` paths of this command are linked to (a prepared root), or undefined. */
  valohaiRootFor?(planned: PlannedExecution): Promise<string | undefined>;
  /** Called once the node is planned (before anything runs). */
  planned?(plan: NodePlan): void;
}

export interface NodeRunContext {
  config: PipelineConfig;
  pipeline: Pipeline;
  /** Working directory of the commands. */
  repositoryDir: string;
  /** The pipeline run's id: what the commands see and what deployment ids are made of. */
  runId: string;
  /** The repository's commit, looked up once per run (null: not a Git work tree); else per execution. */
  commit?: string | null;
  /** Outcomes of the upstream nodes (from this process, or rebuilt from downloaded artifacts). */
  outcomes: ReadonlyMap<string, UpstreamOutcome>;
  /** `--param` values split by `splitCliParameters`: pipeline parameters, and this node's overrides. */
  pipelineParameters: Record<string, string>;
  nodeParameters: Record<string, string>;
  /** `--input NODE.INPUT=value` values of this node, by input name. */
  cliInputs: Record<string, string[]>;
  storeDir: string;
  downloadCacheDir: string;
  executionDir(executionId: string): string;
  /** Run every execution in its step's image with this engine; absent: on this machine. */
  container?: ContainerRuntime;
  /** Absent: never reuse. */
  reuse?: ReuseCache;
  signal?: AbortSignal;
  /** Only this variant runs (a GitHub job runs one task variant); absent: every execution. */
  onlyVariant?: number;
  /** The repository's code version (code-version.ts), computed once per run; computed per node when absent. */
  codeVersion?: string;
  /** Download URL inputs again whatever the cache holds (`--no-reuse`). */
  refetchUrls?: boolean;
  /** Checks the planned executions before anything runs (the GitHub job compares with its plan). */
  checkPlan?(plan: NodePlan): void;
  /** Parallel execution slots: a task stop-condition's default batch size (task-run.ts). Default 1. */
  slots?: number;
  /** The runner's environment copied once per run, for every execution (execution.ts `runnerEnvironment`). */
  runnerEnvironment?: Readonly<NodeJS.ProcessEnv>;
  /** Decides deployment nodes of a pipeline with an `x-mlops` selection rule (deployment-gate.ts). */
  gate?: DeploymentGate;
}

export interface NodeRunResult {
  state: NodeState;
  reason?: string;
  /** The final executions (one per variant run; a retried one counts once). */
  executions: ExecutionRecord[];
  /** What dependents receive. */
  outcome: UpstreamOutcome;
  deployment?: DeploymentRecord;
  /** The action that stopped the node or the pipeline, if any. */
  verdict?: Extract<ActionVerdict, { go: false }>;
  /** Moments at which a `require-approval` was asked and granted. */
  approvals: ActionMoment[];
  /** The selection gate held this deployment node: skipped by decision, which does not fail the run. */
  held?: boolean;
}

function now(): string {
  return new Date().toISOString();
}

/** Reuse lookups in flight at once: local reads overlap; a remote cache is not flooded. */
const REUSE_LOOKUPS_AT_ONCE = 8;

/** `items.map(fn)` with at most `limit` calls pending at a time; results in the items' order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function recordedInputs(planned: PlannedExecution): NonNullable<ExecutionRecord['inputs']> {
  const inputs: NonNullable<ExecutionRecord['inputs']> = {};
  for (const [name, files] of Object.entries(planned.inputs)) {
    inputs[name] = files.map((f) => {
      const file: NonNullable<ExecutionRecord['inputs']>[string][number] = { relativePath: f.relativePath, source: f.source };
      if (f.sha256 !== undefined) file.sha256 = f.sha256;
      if (f.size !== undefined) file.size = f.size;
      return file;
    });
  }
  return inputs;
}

/** Plans the node's executions; a container result and a host result of the same work never stand in for each other. */
export async function planExecutions(
  node: ExecutionNode | TaskNode,
  context: NodeRunContext,
  /** A task node's parameter sets instead of its blueprint's (bayesian_tpe proposals, task-run.ts). */
  blueprintSets?: Record<string, ParameterValue>[],
): Promise<NodePlan> {
  const plan = await planNode(node, {
    ...(blueprintSets !== undefined ? { blueprintSets } : {}),
    config: context.config,
    pipeline: context.pipeline,
    repositoryDir: context.repositoryDir,
    outcomes: context.outcomes,
    cliPipelineParameters: context.pipelineParameters,
    cliNodeParameters: context.nodeParameters,
    cliInputs: context.cliInputs,
    // URL inputs enter the reuse key by content (fetched or revalidated now).
    downloadCacheDir: context.downloadCacheDir,
    ...(context.codeVersion !== undefined ? { codeVersion: context.codeVersion } : {}),
    ...(context.refetchUrls ? { refetchUrls: true } : {}),
  });
  if (context.container) for (const planned of plan.executions) planned.reuseKey = containerReuseKey(planned.reuseKey);
  return plan;
}

/**
 * What a deployment node records (the endpoint files its edges select) and what its dependents see
 * (`deployment.id|version_id`).
 */
export function deploymentOf(
  config: PipelineConfig,
  pipeline: Pipeline,
  node: DeploymentNode,
  outcomes: ReadonlyMap<string, UpstreamOutcome>,
  runId: string,
): { record: DeploymentRecord; outcome: UpstreamOutcome; warnings: string[] } {
  const edges = resolveEdges(pipeline, node.name, outcomes, []);
  for (const file of edges.deploymentFiles) {
    if (node.endpoints.length > 0 && !node.endpoints.includes(file.endpoint)) {
      throw new ConfigurationError(`deployment node ${node.name}: endpoint ${file.endpoint} is not in its endpoints (${node.endpoints.join(', ')})`);
    }
  }
  const endpoints = new Map([...config.endpoints.values()].map((e) => [e.name, e]));
  const id = `${node.deployment}/${runId}`;
  const record: DeploymentRecord = {
    node: node.name,
    deployment: node.deployment,
    endpoints: node.endpoints,
    aliases: node.aliases,
    files: edges.deploymentFiles.map((f) => {
      const declared = endpoints.get(f.endpoint)?.files.find((d) => d.name === f.name);
      return declared ? { ...f, path: declared.path } : { ...f };
    }),
    createdAt: now(),
  };
  return { record, outcome: { executions: [], deployment: { id, versionId: `${id}/${node.name}` } }, warnings: edges.warnings };
}

/** Runs one node to its final state (see the module comment). */
export async function runNode(node: PipelineNode, context: NodeRunContext, ports: NodeRunPorts): Promise<NodeRunResult> {
  const approvals: ActionMoment[] = [];
  const approval: ApprovalPort = {
    ask: async (name, when) => {
      const answer = await ports.approval.ask(name, when);
      if (answer.answer === 'approved') approvals.push(when);
      return answer;
    },
  };
  const decide = (when: ActionMoment, executions: ExecutionRecord[]): Promise<ActionVerdict> =>
    decideActions(node, when, actionScopes(context.config, node, executions), approval, (m) => ports.notice(m));

  const starting = await decide('node-starting', []);
  if (!starting.go) {
    if (starting.halt) ports.halt(starting.halt);
    const state = starting.state ?? { state: 'skipped' as const, reason: starting.action };
    return { state: state.state, reason: state.reason, executions: [], outcome: { executions: [] }, verdict: starting, approvals };
  }
  try {
    if (node.type === 'deployment') {
      await ports.running();
      const deployment = deploymentOf(context.config, context.pipeline, node, context.outcomes, context.runId);
      for (const warning of deployment.warnings) ports.notice(warning);
      // With an x-mlops selection rule, only a `promote` deploys (deployment-gate.ts).
      const held = await gateDeployment({ config: context.config, pipeline: context.pipeline, node, outcomes: context.outcomes }, deployment.record, context.gate, (m) => ports.notice(m));
      if (held !== undefined) return { state: 'skipped', reason: held, held: true, executions: [], outcome: { executions: [] }, approvals };
      const result: NodeRunResult = { state: 'succeeded', executions: [], outcome: deployment.outcome, deployment: deployment.record, approvals };
      return await complete(result, ports, decide);
    }
    return await runExecutions(node, context, ports, decide, approvals);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return fail(node, { state: 'failed', executions: [], outcome: { executions: [] }, approvals }, getErrorMessage(error), ports, decide);
  }
}

type Decide = (when: ActionMoment, executions: ExecutionRecord[]) => Promise<ActionVerdict>;

/** Node-complete actions: a stop keeps the node's success; an approval not given sets its state. */
async function complete(result: NodeRunResult, ports: NodeRunPorts, decide: Decide): Promise<NodeRunResult> {
  const verdict = await decide('node-complete', result.executions);
  if (verdict.go) return result;
  result.verdict = verdict;
  if (verdict.halt) ports.halt(verdict.halt);
  if (verdict.state) {
    result.state = verdict.state.state;
    result.reason = verdict.state.reason;
  }
  return result;
}

/**
 * Node-error actions and `on-error`, settled before the node's state turns terminal: dependents start
 * as soon as it does, and must not start when the failure stops the pipeline.
 */
async function fail(node: PipelineNode, result: NodeRunResult, reason: string, ports: NodeRunPorts, decide: Decide): Promise<NodeRunResult> {
  const verdict = await decide('node-error', result.executions);
  if (!verdict.go) {
    result.verdict = verdict;
    if (verdict.halt) ports.halt(verdict.halt);
  }
  if (onErrorPolicy(node).haltsPipeline) ports.halt({ status: 'failed', reason: `node ${node.name} failed: ${reason}`, abort: true });
  result.state = 'failed';
  result.reason = reason;
  return result;
}

async function runExecutions(
  node: ExecutionNode | TaskNode,
  context: NodeRunContext,
  ports: NodeRunPorts,
  decide: Decide,
  approvals: ActionMoment[],
): Promise<NodeRunResult> {
  const plan = await planExecutions(node, context);
  for (const warning of plan.warnings) ports.notice(warning);
  context.checkPlan?.(plan);
  if (context.onlyVariant !== undefined && !plan.executions[context.onlyVariant]) {
    const count = plan.executions.length;
    throw new ConfigurationError(
      `node "${node.name}" has ${count} variant${count === 1 ? '' : 's'} (0 to ${count - 1}), not ${context.onlyVariant}`,
    );
  }
  ports.planned?.(plan);
  // Not awaited before the executions are queued: the front end keeps the order of its records.
  const runningSaved = ports.running();
  runningSaved.catch(() => undefined);

  const retries = onErrorPolicy(node).retries;
  /** Runs (or reuses) these executions, numbered from `firstIndex`; resolves with their records once all settle. */
  const runBatch = async (batch: PlannedExecution[], firstIndex: number): Promise<ExecutionRecord[]> => {
    const finals = new Map<number, ExecutionRecord>();
    let remaining = batch.length;
    let done: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => (done = resolve));
    const settle = (index: number, execution: ExecutionRecord): void => {
      finals.set(index, execution);
      if (--remaining === 0) done();
    };
    if (remaining === 0) done();
    const enqueue = (index: number, planned: PlannedExecution, attempt: number): void => {
      ports.schedule(
        node.name,
        async (slot) => {
          let execution: ExecutionRecord;
          try {
            execution = await runOne(node, plan.step, index, planned, attempt, context, ports, slot);
          } catch (error) {
            // The node must still settle (it would wait forever and the run never end); the error then
            // stops the run with its reason.
            settle(index, failedExecution(planned, error));
            throw error;
          }
          const failed = execution.status !== 'succeeded' && execution.status !== 'cancelled';
          if (failed && !ports.halted() && attempt <= retries) {
            ports.notice(`execution ${execution.executionId} ${execution.status}; retrying once (on-error: retry)`);
            enqueue(index, planned, attempt + 1);
            return;
          }
          settle(index, execution);
        },
        () => settle(index, notStarted(planned, ports.halted()?.reason ?? 'cancelled')),
      );
    };
    // Every lookup first, a few at a time (2,000 reused variants were 2,000 awaited reads in a row);
    // then the executions in their order.
    const reuse = context.reuse;
    const hits = reuse ? await mapConcurrently(batch, REUSE_LOOKUPS_AT_ONCE, (planned) => reuse.lookup(planned.reuseKey)) : [];
    // A reused execution's record is issued in order and awaited with the others: the front end
    // coalesces them (one journal write for many), and the batch ends only once every one is saved.
    const reusedSaved: Promise<void>[] = [];
    for (const [offset, planned] of batch.entries()) {
      const index = firstIndex + offset;
      const hit = hits[offset];
      if (hit) {
        const reused = reusedExecution(node, index, planned, hit);
        reusedSaved.push(ports.record(reused, 'reused').then(() => settle(index, reused)));
        continue;
      }
      enqueue(index, planned, 1);
    }
    await Promise.all(reusedSaved);
    await allDone;
    return batch.map((_, offset) => finals.get(firstIndex + offset)).filter((e): e is ExecutionRecord => e !== undefined);
  };

  // Task nodes may start batch by batch (bayesian_tpe, a task stop-condition): task-run.ts. A GitHub job
  // runs one variant of a matrix planned up front, where the plan said so.
  const task = node.type === 'task' && node.task !== undefined ? context.config.tasks.get(node.task) : undefined;
  const only = context.onlyVariant;
  const running =
    only !== undefined
      ? runBatch(plan.executions.slice(only, only + 1), only)
      : runTaskExecutions(task, plan.executions, context.slots ?? 1, {
          runBatch,
          planSets: async (sets) => (await planExecutions(node, context, sets)).executions,
          notice: (message) => ports.notice(message),
          stopping: () => ports.halted() !== undefined,
        }).then((taskRun) => taskRun.executions);
  await runningSaved;
  const executions = await running;
  const good = executions.filter((e) => e.status === 'succeeded');
  const result: NodeRunResult = { state: 'succeeded', executions, outcome: { executions: good }, approvals };
  const failed = executions.find((e) => e.status !== 'succeeded');
  if (!failed) {
    result.state = executions.every((e) => e.reusedFrom !== undefined) ? 'reused' : 'succeeded';
    return complete(result, ports, decide);
  }
  const halt = ports.halted();
  if (halt && (failed.status === 'cancelled' || failed.status === 'stopped')) {
    result.state = 'cancelled';
    result.reason = halt.reason;
    return result;
  }
  return fail(node, result, `execution ${failed.executionId} ${failed.status}: ${failed.reason ?? ''}`.trim(), ports, decide);
}

function failedExecution(planned: PlannedExecution, error: unknown): ExecutionRecord {
  return { ...notStarted(planned, oneLineReason(error)), executionId: '(failed)', status: 'failed' };
}

function notStarted(planned: PlannedExecution, reason: string): ExecutionRecord {
  const time = now();
  return {
    executionId: '(not started)',
    status: 'cancelled',
    parameters: planned.parameters,
    latestMetadata: {},
    outputs: [],
    startedAt: time,
    finishedAt: time,
    reason,
    reuseKey: planned.reuseKey,
    logPath: '',
  };
}

function reusedExecution(node: PipelineNode, index: number, planned: PlannedExecution, hit: ReuseHit): ExecutionRecord {
  const time = now();
  const execution: ExecutionRecord = {
    executionId: newExecutionId(node.name, index),
    status: 'succeeded',
    parameters: planned.parameters,
    latestMetadata: hit.latestMetadata,
    metadata: hit.metadata,
    outputs: hit.outputs,
    inputs: recordedInputs(planned),
    environment: planned.environment,
    command: hit.command,
    startedAt: time,
    finishedAt: time,
    reuseKey: planned.reuseKey,
    reusedFrom: { runId: hit.runId, executionId: hit.executionId },
    logPath: hit.logPath,
  };
  if (planned.variant) execution.variant = planned.variant;
  return execution;
}

/** Runs one execution through the executor and records it; a success is offered to the reuse cache. */
async function runOne(
  node: ExecutionNode | TaskNode,
  step: Step,
  index: number,
  planned: PlannedExecution,
  attempt: number,
  context: NodeRunContext,
  ports: NodeRunPorts,
  slot: ExecutionSlot,
): Promise<ExecutionRecord> {
  const executionId = newExecutionId(node.name, index);
  const executionDir = context.executionDir(executionId);
  const execution: ExecutionRecord = {
    executionId,
    status: 'running',
    parameters: planned.parameters,
    latestMetadata: {},
    outputs: [],
    inputs: recordedInputs(planned),
    environment: planned.environment,
    command: planned.command,
    startedAt: now(),
    reuseKey: planned.reuseKey,
    attempt,
    logPath: join(executionDir, 'log.txt'),
  };
  if (planned.variant) execution.variant = planned.variant;
  // Recorded while the execution is prepared, not before: a runner killed before the record lands
  // reruns this node on resume anyway.
  const recorded = ports.record(execution, 'started');
  recorded.catch(() => undefined);

  const request: ExecutionRequest = {
    executionId,
    step,
    parameters: planned.parameters,
    inputs: Object.fromEntries(Object.entries(planned.inputs).map(([name, files]) => [name, files.map(toInputFile)])),
    environment: planned.environment,
    repositoryDir: context.repositoryDir,
    executionDir,
    storeDir: context.storeDir,
    downloadCacheDir: context.downloadCacheDir,
    context: {
      pipelineId: context.runId,
      nodeName: node.name,
      counter: index,
      ...(context.commit !== undefined ? { commit: context.commit } : {}),
    },
  };
  if (context.signal) request.signal = context.signal;
  // Recorded so that --resume can end the group if this runner dies (orphans.ts).
  const progress = ports.progress;
  if (progress) {
    request.onProcessGroup = (pgid) => {
      execution.processGroup = processGroupRecord(pgid);
      progress(execution).catch(() => undefined);
    };
  }
  const onLine = ports.onLine;
  if (onLine) request.onLine = (line, stream) => onLine(executionId, line, stream);
  let turnEnded = false;
  const endTurn = (): void => {
    if (turnEnded) return;
    turnEnded = true;
    slot.endTurn();
  };
  let result: ExecutionResult;
  try {
    const valohaiRoot = await ports.valohaiRootFor?.(planned);
    result = await runExecution(request, {
      waitForTurn: () => slot.waitForTurn(),
      ...(ports.warning ? { onWarning: (message: string) => ports.warning?.(message) } : {}),
      ...(context.container ? { container: context.container } : {}),
      ...(valohaiRoot !== undefined ? { valohaiRoot } : {}),
      ...(context.runnerEnvironment ? { runnerEnvironment: context.runnerEnvironment } : {}),
    });
  } catch (error) {
    endTurn();
    execution.status = context.signal?.aborted ? 'cancelled' : 'failed';
    execution.reason = getErrorMessage(error);
    execution.finishedAt = now();
    await recorded;
    await ports.record(execution, 'finished');
    return execution;
  }
  // The command is done: its slot may take the next execution while this one is recorded.
  endTurn();
  await recorded;
  execution.status = result.status;
  execution.exitCode = result.exitCode;
  execution.outputs = result.outputs;
  execution.metadata = result.metadata;
  execution.latestMetadata = result.latestMetadata;
  execution.command = result.command;
  execution.logPath = result.logPath;
  execution.startedAt = result.startedAt;
  execution.finishedAt = result.finishedAt;
  if (result.reason !== undefined) execution.reason = result.reason;
  await ports.record(execution, 'finished');
  if (result.status === 'succeeded' && context.reuse) {
    await context.reuse.save({
      key: planned.reuseKey,
      runId: context.runId,
      node: node.name,
      executionId,
      outputs: result.outputs,
      latestMetadata: result.latestMetadata,
      metadata: result.metadata,
      command: result.command,
      logPath: result.logPath,
      finishedAt: result.finishedAt,
    });
  }
  return execution;
}
