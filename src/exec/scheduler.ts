/**
 * Runs a pipeline on this machine: a node starts as soon as every node it depends on has finished (not
 * in waves), up to `jobs` executions at a time, longest remaining path first. Node actions, `on-error`,
 * task variants, reuse, deployment records, cancellation and resume live here; one execution is the
 * executor's business (`runExecution`), the same function the GitHub jobs call.
 *
 * `jobs` bounds the executions running at once; up to `jobs` more create their folders and config
 * files meanwhile and wait for a slot, so a slot never waits on that setup. An execution's `startedAt`
 * is when its slot came (placing its inputs is inside its duration, waiting for the slot is not).
 *
 * Every state change is journalled (store/runs.ts); a finished execution's record is on disk before
 * its node finishes, so a killed runner loses no finished execution and `resume` can continue the run.
 * run.json is rewritten at a bounded interval and at the end.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type {
  DeploymentNode,
  ExecutionNode,
  NodeAction,
  Pipeline,
  PipelineConfig,
  PipelineNode,
  TaskNode,
} from '../pipeline/model.js';
import { ContentStore } from '../store/content-store.js';
import {
  newRunId,
  projectPaths,
  runDir,
  loadRun,
  RunWriter,
  type ExecutionRecord,
  type NodeRecord,
  type NodeState,
  type RunRecord,
  type RunStatus,
} from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { resolveEdges, toInputFile, upstreamNodes, type UpstreamOutcome } from './edges.js';
import { runExecution } from './execution.js';
import { containerReuseKey, type ContainerRuntime } from './container.js';
import { evaluateCondition } from '../pipeline/expression.js';
import { newExecutionId, planNode, splitCliParameters, stepForNode, type PlannedExecution } from './plan-run.js';
import { runTaskExecutions } from './task-run.js';
import { lookupReuse, recordReuse } from './reuse.js';
import type { ExecutionRequest, ExecutionResult } from './types.js';
import { findHardcodedValohaiPaths, hardcodedPathsAdvice } from './valohai-paths.js';

export type RunEvent =
  | { kind: 'run-started'; runId: string; pipeline: string; nodes: string[]; resumed: boolean }
  | {
      kind: 'node';
      node: string;
      state: NodeState;
      time: string;
      durationMs?: number;
      reason?: string;
      executions?: number;
    }
  | { kind: 'notice'; message: string; node?: string }
  | { kind: 'line'; node: string; executionId: string; line: string; stream: 'stdout' | 'stderr' }
  | { kind: 'run-finished'; runId: string; status: RunStatus; reason?: string };

export interface RunPipelineOptions {
  config: PipelineConfig;
  pipeline: string;
  /** Working directory of the commands: the user's repository. */
  repositoryDir: string;
  /** Project folder holding runs, the store and the reuse index (default `.mlops`). */
  projectDir: string;
  /** `--param` values: pipeline parameter names, or `node.parameter`. */
  parameters?: Record<string, string>;
  /** `--input node.input=value` values (a key may repeat). */
  inputs?: Record<string, string[]>;
  /** Concurrent executions; default: the number of cores. */
  jobs?: number;
  /** Reuse earlier identical executions (default true locally, see reuse.ts). */
  reuse?: boolean;
  /** Nodes approved in advance (`--approve NODE`). */
  approve?: string[];
  /** Asks a person (on a terminal) whether a node may run; absent means no one can be asked. */
  askApproval?: (node: string) => Promise<boolean>;
  /** Run id to continue (`--resume`): succeeded nodes are kept, the rest run again. */
  resume?: string;
  /** Aborting cancels every execution and marks the run cancelled. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Passes every line the commands print as `line` events (used by `mlops exec`). */
  streamLines?: boolean;
  /** Run every execution in its step's image with this engine (`--container`); absent: on this machine. */
  container?: ContainerRuntime;
  /**
   * A prepared Valohai root (`prepareValohaiRoot`, on a machine the runner owns): executions whose
   * commands hard-code paths under it get it linked to their folders, one such execution at a time.
   */
  valohaiRoot?: string;
}

const TERMINAL: ReadonlySet<NodeState> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'reused',
  'cancelled',
  'awaiting-approval',
]);

interface QueuedExecution {
  priority: number;
  order: number;
  node: string;
  /** Runs the execution; `release` ends its turn as soon as the command is done (before saving). */
  start: (release: () => void) => Promise<void>;
  cancel: () => void;
}

interface Stop {
  status: RunStatus;
  reason: string;
}

function now(): string {
  return new Date().toISOString();
}

/** Longest path (in nodes) from each node to a sink: the critical path decides who starts first. */
function remainingPathLengths(pipeline: Pipeline, upstream: Map<string, Set<string>>): Map<string, number> {
  const downstream = new Map<string, string[]>(pipeline.nodes.map((n) => [n.name, []]));
  for (const [node, ups] of upstream) for (const up of ups) downstream.get(up)?.push(node);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const length = (node: string): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) throw new ConfigurationError(`pipeline ${pipeline.name} has a cycle through node ${node}`);
    visiting.add(node);
    let longest = 0;
    for (const next of downstream.get(node) ?? []) longest = Math.max(longest, length(next));
    visiting.delete(node);
    memo.set(node, longest + 1);
    return longest + 1;
  };
  for (const node of pipeline.nodes) length(node.name);
  return memo;
}

function describeAction(action: NodeAction): string {
  const condition = action.if.length > 0 ? ` if ${action.if.join(' and ')}` : '';
  return `${action.when.join('/')}${condition} then ${action.then.join(', ')}`;
}

class PipelineRun {
  private readonly nodes: Map<string, PipelineNode>;
  private readonly upstream: Map<string, Set<string>>;
  private readonly priority: Map<string, number>;
  private readonly outcomes = new Map<string, UpstreamOutcome>();
  private readonly queue: QueuedExecution[] = [];
  private readonly started = new Set<string>();
  private readonly downstream = new Map<string, string[]>();
  /** Per node, how many of its upstream nodes are not finished yet (set when the run starts). */
  private readonly unfinishedUpstream = new Map<string, number>();
  /** Nodes whose upstream nodes have all finished since the last look: the only ones worth checking. */
  private readonly newlyReady = new Set<string>();
  private readonly controller = new AbortController();
  private readonly store: ContentStore;
  private readonly paths;
  private readonly jobs: number;
  private readonly cli: ReturnType<typeof splitCliParameters>;
  /** Executions taken from the queue: preparing their folder, waiting for a turn or running. */
  private active = 0;
  /** Executions whose command runs: at most `jobs`. */
  private commands = 0;
  private readonly turnWaiters: { priority: number; order: number; resolve: (go: boolean) => void }[] = [];
  private pendingWork = 0;
  private order = 0;
  private stop: Stop | undefined;
  private approvalChain: Promise<unknown> = Promise.resolve();
  private hostNoticeGiven = false;
  private valohaiPathsWarned = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: RunPipelineOptions,
    private readonly pipeline: Pipeline,
    private readonly writer: RunWriter,
  ) {
    this.nodes = new Map(pipeline.nodes.map((n) => [n.name, n]));
    this.upstream = upstreamNodes(pipeline);
    for (const [name, ups] of this.upstream) {
      for (const up of ups) {
        const list = this.downstream.get(up);
        if (list) list.push(name);
        else this.downstream.set(up, [name]);
      }
    }
    this.priority = remainingPathLengths(pipeline, this.upstream);
    this.paths = projectPaths(options.projectDir);
    this.store = new ContentStore(this.paths.storeDir);
    this.jobs = Math.max(1, options.jobs ?? availableParallelism());
    this.cli = splitCliParameters(pipeline, options.parameters ?? {});
  }

  private get run(): RunRecord {
    return this.writer.run;
  }

  private emit(event: RunEvent): void {
    this.options.onEvent?.(event);
  }

  private nodeRecord(name: string): NodeRecord {
    const record = this.run.nodes[name];
    if (!record) throw new Error(`no record for node ${name}`);
    return record;
  }

  private async setNodeState(name: string, state: NodeState, reason?: string): Promise<void> {
    const record = this.nodeRecord(name);
    const wasTerminal = TERMINAL.has(record.state);
    record.state = state;
    if (TERMINAL.has(state) && !wasTerminal) this.countFinished(name);
    if (state === 'running') record.startedAt = now();
    if (TERMINAL.has(state)) record.finishedAt = now();
    if (reason !== undefined) record.reason = reason;
    const event: RunEvent = { kind: 'node', node: name, state, time: now(), executions: record.executions.length };
    if (record.startedAt && TERMINAL.has(state)) {
      event.durationMs = Date.parse(record.finishedAt ?? now()) - Date.parse(record.startedAt);
    }
    if (reason !== undefined) event.reason = reason;
    this.emit(event);
    await this.writer.saveNode(name);
  }

  /** Stops starting new work; `abort` also kills running executions. */
  private halt(stop: Stop, abort: boolean): void {
    if (!this.stop) this.stop = stop;
    if (abort) this.controller.abort();
    this.passTurns();
    this.poke();
  }

  /** Resolves true when this execution's command may start (a job slot), false when the run stopped. */
  private takeTurn(node: string): Promise<boolean> {
    if (this.stop) return Promise.resolve(false);
    if (this.commands < this.jobs) {
      this.commands++;
      return Promise.resolve(true);
    }
    const priority = this.priority.get(node) ?? 0;
    return new Promise<boolean>((resolve) => this.turnWaiters.push({ priority, order: this.order++, resolve }));
  }

  private giveTurnBack(): void {
    this.commands--;
    this.passTurns();
  }

  /** Hands free slots to waiting executions, longest remaining path first; after a stop, tells them no. */
  private passTurns(): void {
    while (this.turnWaiters.length > 0 && (this.stop !== undefined || this.commands < this.jobs)) {
      this.turnWaiters.sort((a, b) => b.priority - a.priority || a.order - b.order);
      const waiter = this.turnWaiters.shift();
      if (!waiter) break;
      if (this.stop) {
        waiter.resolve(false);
      } else {
        this.commands++;
        waiter.resolve(true);
      }
    }
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Whether dependents may use this node's results. */
  private satisfies(name: string): boolean {
    const state = this.nodeRecord(name).state;
    if (state === 'succeeded' || state === 'reused') return true;
    return state === 'failed' && this.nodes.get(name)?.onError === 'continue';
  }

  async execute(): Promise<RunRecord> {
    const onAbort = (): void => this.halt({ status: 'cancelled', reason: 'cancelled by signal' }, true);
    if (this.options.signal?.aborted) onAbort();
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    this.countUnfinishedUpstream();
    try {
      for (;;) {
        this.startReadyNodes();
        this.pump();
        if (this.active === 0 && this.pendingWork === 0 && this.queue.length === 0) break;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } finally {
      this.options.signal?.removeEventListener('abort', onAbort);
    }
    return this.finish();
  }

  /** Counts, for every node, its upstream nodes that are not finished; those with none are ready. */
  private countUnfinishedUpstream(): void {
    for (const node of this.pipeline.nodes) {
      const unfinished = [...(this.upstream.get(node.name) ?? [])].filter((up) => !TERMINAL.has(this.nodeRecord(up).state)).length;
      this.unfinishedUpstream.set(node.name, unfinished);
      if (unfinished === 0) this.newlyReady.add(node.name);
    }
  }

  /** A node just finished: its dependents have one unfinished upstream node less. */
  private countFinished(name: string): void {
    for (const next of this.downstream.get(name) ?? []) {
      const left = (this.unfinishedUpstream.get(next) ?? 0) - 1;
      this.unfinishedUpstream.set(next, left);
      if (left === 0) this.newlyReady.add(next);
    }
  }

  /**
   * Starts every node whose upstream nodes are all finished. Only nodes that became ready since the last
   * call are looked at, so a run does work in proportion to its edges, not nodes × wake-ups.
   */
  private startReadyNodes(): boolean {
    let changed = false;
    const ready = [...this.newlyReady]
      .map((name) => this.nodes.get(name))
      .filter((n): n is PipelineNode => n !== undefined && !this.started.has(n.name) && this.nodeRecord(n.name).state === 'pending')
      .sort((a, b) => (this.priority.get(b.name) ?? 0) - (this.priority.get(a.name) ?? 0));
    this.newlyReady.clear();
    for (const node of ready) {
      if (this.stop) break;
      this.started.add(node.name);
      changed = true;
      const blocking = [...(this.upstream.get(node.name) ?? [])].find((up) => !this.satisfies(up));
      this.track(
        blocking !== undefined
          ? this.setNodeState(node.name, 'skipped', `upstream node ${blocking} ${this.nodeRecord(blocking).state}`)
          : this.startNode(node),
      );
    }
    return changed;
  }

  /** Runs async node work, counting it so that the main loop waits for it. */
  private track(work: Promise<void>): void {
    this.pendingWork++;
    work
      .catch((error: unknown) => {
        this.halt({ status: 'failed', reason: getErrorMessage(error) }, true);
      })
      .finally(() => {
        this.pendingWork--;
        this.poke();
      });
  }

  private pump(): void {
    if (this.stop) {
      // Nothing new starts once the pipeline stops: queued executions end as cancelled, unrun.
      for (const queued of this.queue.splice(0)) queued.cancel();
      return;
    }
    // Up to `jobs` executions prepare their folders (inputs, config files) while `jobs` commands run, so
    // a finished command's slot goes to an execution that is ready to start.
    while (!this.stop && this.active < this.jobs * 2 && this.queue.length > 0) {
      this.queue.sort((a, b) => b.priority - a.priority || a.order - b.order);
      const next = this.queue.shift();
      if (!next) break;
      this.active++;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        this.active--;
        this.poke();
      };
      this.track(next.start(release).finally(release));
    }
  }

  private async startNode(node: PipelineNode): Promise<void> {
    const started = await this.runActions(node, 'node-starting', []);
    if (!started) return;
    try {
      if (node.type === 'deployment') await this.runDeploymentNode(node);
      else await this.runExecutionNode(node);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      await this.failNode(node, getErrorMessage(error));
    }
  }

  /**
   * Runs the node's actions for `when`. Returns false when the node must not go on (not approved,
   * pipeline stopped). `executions` give the metadata and parameters `if` conditions see.
   */
  private async runActions(node: PipelineNode, when: string, executions: ExecutionRecord[]): Promise<boolean> {
    const scopes = executions.length > 0
      ? executions.map((e) => ({ metadata: e.latestMetadata, parameters: e.parameters }))
      : [{ metadata: {}, parameters: this.startingParameters(node) }];
    for (const action of node.actions) {
      if (!action.when.includes(when)) continue;
      const holds = scopes.some((scope) => action.if.every((expr) => evaluateCondition(expr, scope)));
      if (!holds) continue;
      const why = `node ${node.name} action (${describeAction(action)})`;
      for (const then of action.then) {
        if (then === 'stop-pipeline') {
          this.emit({ kind: 'notice', node: node.name, message: `${why}: stopping the pipeline` });
          this.halt({ status: 'stopped', reason: why }, true);
          if (when === 'node-starting') await this.setNodeState(node.name, 'skipped', `pipeline stopped by ${why}`);
          return false;
        }
        if (then === 'error-pipeline') {
          this.halt({ status: 'failed', reason: why }, true);
          if (when === 'node-starting') await this.setNodeState(node.name, 'skipped', `pipeline failed by ${why}`);
          return false;
        }
        if (then === 'require-approval' && !(await this.approved(node.name))) return false;
      }
    }
    return true;
  }

  /** Parameters a node-starting `if` sees: the node's step defaults (variants are not known yet). */
  private startingParameters(node: PipelineNode): Record<string, unknown> {
    if (node.type === 'deployment') return {};
    const values: Record<string, unknown> = {};
    try {
      for (const p of stepForNode(this.options.config, node).parameters) if (p.default !== undefined) values[p.name] = p.default;
    } catch {
      // an undefined step fails the node right after, with its own message
    }
    return values;
  }

  private async approved(name: string): Promise<boolean> {
    if (this.options.approve?.includes(name)) return true;
    const ask = this.options.askApproval;
    if (ask) {
      // One question at a time on the terminal.
      const answer = this.approvalChain.then(() => ask(name));
      this.approvalChain = answer.catch(() => false);
      if (await answer) return true;
      await this.setNodeState(name, 'skipped', 'approval declined');
      this.halt({ status: 'stopped', reason: `approval for node ${name} declined` }, false);
      return false;
    }
    await this.setNodeState(
      name,
      'awaiting-approval',
      `node ${name} requires approval: run again with --approve ${name} (e.g. mlops run --resume ${this.run.id} --approve ${name})`,
    );
    return false;
  }

  /**
   * Actions and `on-error` are settled before the node's state turns terminal: dependents start as soon
   * as it does, and must not start when the failure stops the pipeline.
   */
  private async failNode(node: PipelineNode, reason: string): Promise<void> {
    await this.runActions(node, 'node-error', this.nodeRecord(node.name).executions);
    if (node.onError === 'stop-all' || node.onError === 'retry') {
      this.halt({ status: 'failed', reason: `node ${node.name} failed: ${reason}` }, true);
    }
    await this.setNodeState(node.name, 'failed', reason);
  }

  private async runDeploymentNode(node: DeploymentNode): Promise<void> {
    await this.setNodeState(node.name, 'running');
    const edges = resolveEdges(this.pipeline, node.name, this.outcomes, []);
    for (const warning of edges.warnings) this.emit({ kind: 'notice', node: node.name, message: warning });
    const endpoints = new Map([...this.options.config.endpoints.values()].map((e) => [e.name, e]));
    for (const file of edges.deploymentFiles) {
      if (node.endpoints.length > 0 && !node.endpoints.includes(file.endpoint)) {
        throw new ConfigurationError(
          `deployment node ${node.name}: endpoint ${file.endpoint} is not in its endpoints (${node.endpoints.join(', ')})`,
        );
      }
    }
    const id = `${node.deployment}/${this.run.id}`;
    const files = edges.deploymentFiles.map((f) => {
      const declared = endpoints.get(f.endpoint)?.files.find((d) => d.name === f.name);
      return declared ? { ...f, path: declared.path } : { ...f };
    });
    this.run.deployments = [
      ...(this.run.deployments ?? []).filter((d) => d.node !== node.name),
      {
        node: node.name,
        deployment: node.deployment,
        endpoints: node.endpoints,
        aliases: node.aliases,
        files,
        createdAt: now(),
      },
    ];
    this.outcomes.set(node.name, { executions: [], deployment: { id, versionId: `${id}/${node.name}` } });
    await this.writer.saveRunFields();
    const approved = await this.runActions(node, 'node-complete', []);
    if (approved || !TERMINAL.has(this.nodeRecord(node.name).state)) await this.setNodeState(node.name, 'succeeded');
  }

  private async runExecutionNode(node: ExecutionNode | TaskNode): Promise<void> {
    const step = stepForNode(this.options.config, node);
    const cliInputs: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(this.options.inputs ?? {})) {
      if (key.startsWith(`${node.name}.`)) cliInputs[key.slice(node.name.length + 1)] = values;
    }
    const planContext = {
      config: this.options.config,
      pipeline: this.pipeline,
      repositoryDir: this.options.repositoryDir,
      outcomes: this.outcomes,
      cliPipelineParameters: this.cli.pipeline,
      cliNodeParameters: this.cli.nodes.get(node.name) ?? {},
      cliInputs,
    };
    const plan = await planNode(node, planContext);
    for (const warning of plan.warnings) this.emit({ kind: 'notice', node: node.name, message: warning });
    const container = this.options.container;
    // A container result and a host result of the same work are not interchangeable.
    if (container) for (const planned of plan.executions) planned.reuseKey = containerReuseKey(planned.reuseKey);
    if (!this.hostNoticeGiven && (step.image || container)) {
      this.hostNoticeGiven = true;
      this.emit({
        kind: 'notice',
        message: container
          ? `steps run in their images with ${container.engine} (${container.executable})`
          : `steps run on this machine, not in their images (${step.image ?? ''} is recorded, not used)`,
      });
    }
    // In a container the /valohai folders exist.
    // With a linked root (the caller said so) the paths work too.
    if (!this.valohaiPathsWarned && !container && this.options.valohaiRoot === undefined) {
      const hardcoded = findHardcodedValohaiPaths(plan.executions[0]?.command ?? '');
      if (hardcoded.length > 0) {
        this.valohaiPathsWarned = true;
        this.emit({ kind: 'notice', node: node.name, message: `node ${node.name}: ${hardcodedPathsAdvice(hardcoded)}` });
      }
    }
    // Not awaited before the executions are queued: the writer keeps the order of the lines, and a
    // runner killed before this one lands reruns the node on resume anyway.
    const runningSaved = this.setNodeState(node.name, 'running');
    runningSaved.catch(() => undefined);
    const record = this.nodeRecord(node.name);
    record.type = node.type;

    // Task nodes may start batch by batch (bayesian_tpe, a task stop-condition): task-run.ts.
    const task = node.type === 'task' && node.task !== undefined ? this.options.config.tasks.get(node.task) : undefined;
    const taskRun = await runTaskExecutions(task, plan.executions, this.options.jobs ?? 1, {
      runBatch: (batch, firstIndex) => this.runPlanned(node, batch, firstIndex, step),
      planSets: async (sets) => {
        const proposed = await planNode(node, { ...planContext, blueprintSets: sets });
        if (container) for (const planned of proposed.executions) planned.reuseKey = containerReuseKey(planned.reuseKey);
        return proposed.executions;
      },
      notice: (message) => this.emit({ kind: 'notice', node: node.name, message }),
      stopping: () => this.stop !== undefined,
    });
    await runningSaved;
    const executions = taskRun.executions;
    const good = executions.filter((e) => e.status === 'succeeded');
    this.outcomes.set(node.name, { executions: good });
    if (good.length === executions.length && !executions.some((e) => e.status !== 'succeeded')) {
      const allReused = executions.every((e) => e.reusedFrom !== undefined);
      // A declined or missing approval after completion has already set the node's state; keep it.
      const approved = await this.runActions(node, 'node-complete', executions);
      if (approved || !TERMINAL.has(this.nodeRecord(node.name).state)) {
        await this.setNodeState(node.name, allReused ? 'reused' : 'succeeded');
      }
      return;
    }
    const failed = executions.find((e) => e.status !== 'succeeded');
    const cancelled = failed?.status === 'cancelled' || (this.stop !== undefined && failed?.status === 'stopped');
    if (cancelled && this.stop) {
      await this.setNodeState(node.name, 'cancelled', this.stop.reason);
      return;
    }
    await this.failNode(node, `execution ${failed?.executionId ?? '?'} ${failed?.status ?? 'failed'}: ${failed?.reason ?? ''}`.trim());
  }

  /** Runs (or reuses) these planned executions of a node, numbered from `firstIndex`; resolves when all settle. */
  private async runPlanned(
    node: ExecutionNode | TaskNode,
    planned: PlannedExecution[],
    firstIndex: number,
    step: ReturnType<typeof stepForNode>,
  ): Promise<ExecutionRecord[]> {
    const record = this.nodeRecord(node.name);
    let remaining = planned.length;
    const finals: (ExecutionRecord | undefined)[] = new Array<ExecutionRecord | undefined>(remaining).fill(undefined);
    let done: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => {
      done = resolve;
    });
    if (remaining === 0) done();
    const settle = (index: number, execution: ExecutionRecord): void => {
      finals[index - firstIndex] = execution;
      remaining--;
      if (remaining === 0) done();
    };
    for (const [offset, execution] of planned.entries()) {
      const index = firstIndex + offset;
      const reused = this.options.reuse === false ? undefined : await this.tryReuse(node, index, execution);
      if (reused) {
        record.executions.push(reused);
        await this.writer.saveNode(node.name, reused);
        settle(index, reused);
        continue;
      }
      this.enqueue(node, index, execution, step, 1, settle);
    }
    await allDone;
    return finals.filter((e): e is ExecutionRecord => e !== undefined);
  }

  private async tryReuse(
    node: ExecutionNode | TaskNode,
    index: number,
    planned: PlannedExecution,
  ): Promise<ExecutionRecord | undefined> {
    const entry = await lookupReuse(this.paths.reuseDir, planned.reuseKey);
    if (!entry) return undefined;
    for (const output of entry.outputs) if (!(await this.store.has(output.sha256))) return undefined;
    const time = now();
    const execution: ExecutionRecord = {
      executionId: newExecutionId(node.name, index),
      status: 'succeeded',
      parameters: planned.parameters,
      latestMetadata: entry.latestMetadata,
      metadata: entry.metadata,
      outputs: entry.outputs,
      inputs: recordedInputs(planned),
      environment: planned.environment,
      command: entry.command,
      startedAt: time,
      finishedAt: time,
      reuseKey: planned.reuseKey,
      reusedFrom: { runId: entry.runId, executionId: entry.executionId },
      logPath: entry.logPath,
    };
    if (planned.variant) execution.variant = planned.variant;
    return execution;
  }

  private enqueue(
    node: ExecutionNode | TaskNode,
    index: number,
    planned: PlannedExecution,
    step: ReturnType<typeof stepForNode>,
    attempt: number,
    settle: (index: number, execution: ExecutionRecord) => void,
  ): void {
    this.queue.push({
      priority: this.priority.get(node.name) ?? 0,
      order: this.order++,
      node: node.name,
      start: async (release) => {
        const execution = await this.runOne(node, index, planned, step, attempt, release);
        const retry = execution.status !== 'succeeded' && execution.status !== 'cancelled' && !this.stop;
        if (retry && node.onError === 'retry' && attempt === 1) {
          this.emit({ kind: 'notice', node: node.name, message: `execution ${execution.executionId} ${execution.status}; retrying once (on-error: retry)` });
          this.enqueue(node, index, planned, step, attempt + 1, settle);
          return;
        }
        settle(index, execution);
      },
      cancel: () => {
        const time = now();
        settle(index, {
          executionId: '(not started)',
          status: 'cancelled',
          parameters: planned.parameters,
          latestMetadata: {},
          outputs: [],
          startedAt: time,
          finishedAt: time,
          reason: this.stop?.reason ?? 'cancelled',
          reuseKey: planned.reuseKey,
          logPath: '',
        });
      },
    });
    this.poke();
  }

  private async runOne(
    node: ExecutionNode | TaskNode,
    index: number,
    planned: PlannedExecution,
    step: ReturnType<typeof stepForNode>,
    attempt: number,
    release: () => void,
  ): Promise<ExecutionRecord> {
    const record = this.nodeRecord(node.name);
    const executionId = newExecutionId(node.name, index);
    const executionDir = join(runDir(this.options.projectDir, this.run.id), 'executions', executionId);
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
    record.executions.push(execution);
    // Journalled while the execution is prepared, not before: a runner killed before the line lands
    // reruns this node on resume anyway. The writer keeps the order of the lines.
    const recorded = this.writer.saveNode(node.name, execution);
    recorded.catch(() => undefined);

    const request: ExecutionRequest = {
      executionId,
      step,
      parameters: planned.parameters,
      inputs: Object.fromEntries(Object.entries(planned.inputs).map(([name, files]) => [name, files.map(toInputFile)])),
      environment: planned.environment,
      repositoryDir: this.options.repositoryDir,
      executionDir,
      storeDir: this.paths.storeDir,
      downloadCacheDir: this.paths.downloadCacheDir,
      context: { pipelineId: this.run.id, nodeName: node.name, counter: index },
      signal: this.controller.signal,
    };
    if (this.options.streamLines) {
      request.onLine = (line, stream) => this.emit({ kind: 'line', node: node.name, executionId, line, stream });
    }
    let turn = false;
    const waitForTurn = async (): Promise<boolean> => {
      turn = await this.takeTurn(node.name);
      return turn;
    };
    const endTurn = (): void => {
      if (turn) {
        turn = false;
        this.giveTurnBack();
      }
      release();
    };
    let result: ExecutionResult;
    try {
      // Only executions that need the links take the machine-wide root (and so run one at a time).
      const valohaiRoot = this.options.valohaiRoot;
      const links = valohaiRoot !== undefined && findHardcodedValohaiPaths(planned.command, valohaiRoot).length > 0;
      result = await runExecution(request, { waitForTurn, container: this.options.container, ...(links ? { valohaiRoot } : {}) });
    } catch (error) {
      endTurn();
      execution.status = this.controller.signal.aborted ? 'cancelled' : 'failed';
      execution.reason = getErrorMessage(error);
      execution.finishedAt = now();
      await recorded;
      await this.writer.saveNode(node.name, execution);
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
    await this.writer.saveNode(node.name, execution);
    if (result.status === 'succeeded') {
      await recordReuse(this.paths.reuseDir, {
        key: planned.reuseKey,
        runId: this.run.id,
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

  private async finish(): Promise<RecordedRun> {
    const stop = this.stop;
    for (const node of this.pipeline.nodes) {
      const record = this.nodeRecord(node.name);
      if (record.state === 'pending') {
        record.state = stop?.status === 'cancelled' ? 'cancelled' : 'skipped';
        record.reason = stop ? stop.reason : 'not reached';
      } else if (record.state === 'running') {
        record.state = 'cancelled';
        record.reason = stop?.reason ?? 'interrupted';
      }
    }
    let status: RunStatus = stop?.status ?? 'succeeded';
    let reason = stop?.reason;
    if (!stop) {
      const waiting = this.pipeline.nodes.find((n) => this.nodeRecord(n.name).state === 'awaiting-approval');
      const failed = this.pipeline.nodes.find((n) => {
        const state = this.nodeRecord(n.name).state;
        return (state === 'failed' && n.onError !== 'continue') || state === 'skipped';
      });
      if (waiting) {
        status = 'failed';
        reason = this.nodeRecord(waiting.name).reason;
      } else if (failed) {
        status = 'failed';
        reason = `node ${failed.name} ${this.nodeRecord(failed.name).state}: ${this.nodeRecord(failed.name).reason ?? ''}`.trim();
      }
    }
    this.run.status = status;
    this.run.finishedAt = now();
    if (reason !== undefined) this.run.reason = reason;
    else delete this.run.reason;
    await this.writer.close();
    const event: RunEvent = { kind: 'run-finished', runId: this.run.id, status };
    if (reason !== undefined) event.reason = reason;
    this.emit(event);
    return this.run;
  }

  /** Takes over the finished nodes of a resumed run. */
  adoptFinished(): void {
    for (const [name, record] of Object.entries(this.run.nodes)) {
      if ((record.state === 'succeeded' || record.state === 'reused') && this.nodes.has(name)) {
        const good = record.executions.filter((e) => e.status === 'succeeded');
        const deployment = this.run.deployments?.find((d) => d.node === name);
        const outcome: UpstreamOutcome = { executions: good };
        if (deployment) {
          const id = `${deployment.deployment}/${this.run.id}`;
          outcome.deployment = { id, versionId: `${id}/${name}` };
        }
        this.outcomes.set(name, outcome);
        this.started.add(name);
      }
    }
  }
}

type RecordedRun = RunRecord;

function recordedInputs(planned: PlannedExecution): ExecutionRecord['inputs'] {
  const inputs: NonNullable<ExecutionRecord['inputs']> = {};
  for (const [name, files] of Object.entries(planned.inputs)) {
    inputs[name] = files.map((f) => {
      const file: NonNullable<ExecutionRecord['inputs']>[string][number] = {
        relativePath: f.relativePath,
        source: f.source,
      };
      if (f.sha256 !== undefined) file.sha256 = f.sha256;
      if (f.size !== undefined) file.size = f.size;
      return file;
    });
  }
  return inputs;
}

function freshNodeRecord(node: PipelineNode): NodeRecord {
  return { state: 'pending', type: node.type, executions: [] };
}

/** Under `--container` every step the pipeline runs needs an image; said before anything runs. */
function requireImages(config: PipelineConfig, pipeline: Pipeline): void {
  for (const node of pipeline.nodes) {
    if (node.type === 'deployment') continue;
    const step = stepForNode(config, node);
    if (!step.image) throw new ConfigurationError(`--container: step "${step.name}" (node ${node.name}) has no image to run in; add image: to it`);
  }
}

/** Runs (or, with `resume`, continues) a pipeline and returns its final run record. */
export async function runPipeline(options: RunPipelineOptions): Promise<RunRecord> {
  const pipeline = options.config.pipelines.get(options.pipeline);
  if (!pipeline) {
    const names = [...options.config.pipelines.keys()].join(', ') || 'none';
    throw new ConfigurationError(`no pipeline '${options.pipeline}' in ${options.config.file} (pipelines: ${names})`);
  }
  let run: RunRecord;
  if (options.resume !== undefined) {
    run = await loadRun(options.projectDir, options.resume);
    if (run.pipeline !== pipeline.name) {
      throw new ConfigurationError(`run ${run.id} ran pipeline ${run.pipeline}, not ${pipeline.name}`);
    }
    const nodes: Record<string, NodeRecord> = {};
    for (const node of pipeline.nodes) {
      const previous = run.nodes[node.name];
      nodes[node.name] =
        previous && (previous.state === 'succeeded' || previous.state === 'reused') ? previous : freshNodeRecord(node);
    }
    run.nodes = nodes;
    run.status = 'running';
    delete run.finishedAt;
    delete run.reason;
    if (run.deployments) run.deployments = run.deployments.filter((d) => nodes[d.node]?.state === 'succeeded');
  } else {
    const createdAt = new Date();
    run = {
      id: newRunId(createdAt),
      pipeline: pipeline.name,
      file: options.config.file,
      status: 'running',
      createdAt: createdAt.toISOString(),
      parameters: {},
      request: {
        parameters: options.parameters ?? {},
        inputs: Object.fromEntries(Object.entries(options.inputs ?? {}).map(([k, v]) => [k, v.join('\n')])),
        repositoryDir: options.repositoryDir,
        reuse: options.reuse !== false,
        ...(options.container ? { container: options.container.engine } : {}),
      },
      nodes: Object.fromEntries(pipeline.nodes.map((n) => [n.name, freshNodeRecord(n)])),
    };
    const cli = splitCliParameters(pipeline, options.parameters ?? {});
    for (const parameter of pipeline.parameters) {
      const value = cli.pipeline[parameter.name] ?? parameter.default;
      if (value !== undefined) run.parameters[parameter.name] = value;
    }
  }
  const writer = new RunWriter(options.projectDir, run);
  // Built before anything is written: a pipeline the engine rejects (a cycle) leaves no run behind.
  if (options.container) requireImages(options.config, pipeline);
  const engine = new PipelineRun(options, pipeline, writer);
  await writer.save();
  if (options.resume !== undefined) engine.adoptFinished();
  options.onEvent?.({
    kind: 'run-started',
    runId: run.id,
    pipeline: pipeline.name,
    nodes: pipeline.nodes.map((n) => n.name),
    resumed: options.resume !== undefined,
  });
  return engine.execute();
}

/** Options of a resumed run as the original command line gave them (the new command line adds approvals). */
export function resumedRequest(run: RunRecord): { parameters: Record<string, string>; inputs: Record<string, string[]>; container?: string } {
  const inputs: Record<string, string[]> = {};
  for (const [key, joined] of Object.entries(run.request?.inputs ?? {})) inputs[key] = joined.split('\n');
  const container = run.request?.container;
  return { parameters: run.request?.parameters ?? {}, inputs, ...(container !== undefined ? { container } : {}) };
}
