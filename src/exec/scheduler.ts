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
import type { Pipeline, PipelineNode } from '../pipeline/model.js';
import { ContentStore } from '../store/content-store.js';
import { newRunId, projectPaths, runDir, loadRun, RunWriter, type NodeRecord, type NodeState, type RunRecord, type RunStatus } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { upstreamNodes, type UpstreamOutcome } from './edges.js';
import { requireStepImage, satisfiesDependents, type ApprovalAnswer } from './node-actions.js';
import { runNode, type ExecutionSlot, type NodeRunContext, type NodeRunPorts, type ReuseCache } from './node-run.js';
import { splitCliParameters } from './plan-run.js';
import { localReuseCache } from './reuse-cache.js';
import { runLookups, type RunLookups } from './run-lookups.js';
import { lockRun } from './run-lock.js';
import { settleRun } from './run-life.js';
import { checkCliArguments } from './cli-arguments.js';
import { findHardcodedValohaiPaths, hardcodedPathsAdvice } from './valohai-paths.js';
import { remainingPathLengths } from './critical-path.js';
import type { RunEvent, RunPipelineOptions } from './run-options.js';

export type { RunEvent, RunPipelineOptions } from './run-options.js';

const TERMINAL: ReadonlySet<NodeState> = new Set(['succeeded', 'failed', 'skipped', 'reused', 'cancelled', 'awaiting-approval']);

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

class PipelineRun {
  private readonly nodes: Map<string, PipelineNode>;
  private readonly upstream: Map<string, Set<string>>;
  private readonly priority: Map<string, number>;
  private readonly outcomes = new Map<string, UpstreamOutcome>();
  private readonly queue: QueuedExecution[] = [];
  /** Whether `queue` is in start order (by priority, then by when it was queued). */
  private queueSorted = true;
  private readonly started = new Set<string>();
  private readonly downstream = new Map<string, string[]>();
  /** Per node, how many of its upstream nodes are not finished yet (set when the run starts). */
  private readonly unfinishedUpstream = new Map<string, number>();
  /** Nodes whose upstream nodes have all finished since the last look: the only ones worth checking. */
  private readonly newlyReady = new Set<string>();
  private readonly controller = new AbortController();
  /** The environment the run started with, copied once for all its executions (execution.ts). */
  private readonly runnerEnvironment: Readonly<NodeJS.ProcessEnv> = { ...process.env };
  private readonly reuseCache: ReuseCache;
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
  private commitOnce: Promise<string | undefined> | undefined;
  private codeVersionOnce: Promise<string> | undefined;

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
    this.reuseCache = localReuseCache(this.paths.reuseDir, new ContentStore(this.paths.storeDir), (message) => this.emit({ kind: 'notice', message }));
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
    const node = this.nodes.get(name);
    return node !== undefined && satisfiesDependents(node, this.nodeRecord(name).state);
  }

  /** Takes the per-run look-ups (run-lookups.ts), started when the run was asked for, or starts them. */
  warmUp(started?: RunLookups): void {
    if (this.codeVersionOnce !== undefined && this.commitOnce !== undefined) return;
    const lookups = started ?? runLookups(this.options);
    this.codeVersionOnce = lookups.codeVersion;
    this.commitOnce = lookups.commit;
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
      // Sorted after executions were queued, not before every start: a task node queues thousands.
      if (!this.queueSorted) {
        this.queue.sort((a, b) => b.priority - a.priority || a.order - b.order);
        this.queueSorted = true;
      }
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
    const context = this.contextFor(node);
    // The code version (every reuse key) and the commit: once per run, not per node or execution.
    this.warmUp();
    context.codeVersion = await (this.codeVersionOnce as Promise<string>);
    context.commit = (await this.commitOnce) ?? null;
    const result = await runNode(node, context, this.portsFor(node));
    this.outcomes.set(node.name, result.outcome);
    if (result.deployment) {
      this.run.deployments = [...(this.run.deployments ?? []).filter((d) => d.node !== node.name), result.deployment];
      await this.writer.saveRunFields();
    }
    if (result.held) this.nodeRecord(node.name).held = true;
    // An approval declined or awaited keeps the state the runtime gave; a halt came before this.
    await this.setNodeState(node.name, result.state, result.reason);
  }

  private contextFor(node: PipelineNode): NodeRunContext {
    const cliInputs: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(this.options.inputs ?? {})) {
      if (key.startsWith(`${node.name}.`)) cliInputs[key.slice(node.name.length + 1)] = values;
    }
    const executionsRoot = join(runDir(this.options.projectDir, this.run.id), 'executions');
    const context: NodeRunContext = {
      config: this.options.config,
      pipeline: this.pipeline,
      repositoryDir: this.options.repositoryDir,
      runId: this.run.id,
      outcomes: this.outcomes,
      pipelineParameters: this.cli.pipeline,
      nodeParameters: this.cli.nodes.get(node.name) ?? {},
      cliInputs,
      storeDir: this.paths.storeDir,
      downloadCacheDir: this.paths.downloadCacheDir,
      executionDir: (executionId) => join(executionsRoot, executionId),
      signal: this.controller.signal,
      slots: this.jobs,
      runnerEnvironment: this.runnerEnvironment,
    };
    if (this.options.container) context.container = this.options.container;
    if (this.options.gate) context.gate = this.options.gate;
    if (this.options.reuse !== false) context.reuse = this.reuseCache;
    // --no-reuse also downloads URL inputs again.
    if (this.options.reuse === false) context.refetchUrls = true;
    return context;
  }

  private portsFor(node: PipelineNode): NodeRunPorts {
    const name = node.name;
    const record = this.nodeRecord(name);
    const ports: NodeRunPorts = {
      notice: (message) => this.emit({ kind: 'notice', node: name, message }),
      schedule: (_node, start, cancel) => this.enqueue(name, start, cancel),
      record: async (execution, phase) => {
        if (phase !== 'finished') record.executions.push(execution);
        await this.writer.saveNode(name, execution);
      },
      progress: (execution) => this.writer.saveNode(name, execution),
      running: async () => {
        record.type = node.type;
        await this.setNodeState(name, 'running');
      },
      halt: (halt) => this.halt({ status: halt.status, reason: halt.reason }, halt.abort),
      halted: () => (this.stop ? { ...this.stop, status: this.stop.status === 'stopped' ? 'stopped' : 'failed', abort: true } : undefined),
      approval: { ask: (node) => this.approval(node) },
      planned: (plan) => this.noticePlan(node, plan.step.image, plan.executions[0]?.command ?? ''),
    };
    if (this.options.streamLines) {
      ports.onLine = (executionId, line, stream) => this.emit({ kind: 'line', node: name, executionId, line, stream });
    }
    const valohaiRoot = this.options.valohaiRoot;
    // Only executions that need the links take the machine-wide root (and so run one at a time).
    if (valohaiRoot !== undefined) {
      ports.valohaiRootFor = (planned) =>
        Promise.resolve(findHardcodedValohaiPaths(planned.command, valohaiRoot).length > 0 ? valohaiRoot : undefined);
    }
    return ports;
  }

  /** Said once per run: where steps run, and hard-coded /valohai paths that will not work. */
  private noticePlan(node: PipelineNode, image: string | undefined, command: string): void {
    const container = this.options.container;
    if (!this.hostNoticeGiven && (image || container)) {
      this.hostNoticeGiven = true;
      this.emit({
        kind: 'notice',
        message: container
          ? `steps run in their images with ${container.engine} (${container.executable})`
          : `steps run on this machine, not in their images (${image ?? ''} is recorded, not used)`,
      });
    }
    // In a container the /valohai folders exist; with a linked root (the caller said so) the paths work too.
    if (!this.valohaiPathsWarned && !container && this.options.valohaiRoot === undefined) {
      const hardcoded = findHardcodedValohaiPaths(command);
      if (hardcoded.length > 0) {
        this.valohaiPathsWarned = true;
        this.emit({ kind: 'notice', node: node.name, message: `node ${node.name}: ${hardcodedPathsAdvice(hardcoded)}` });
      }
    }
  }

  private async approval(name: string): Promise<ApprovalAnswer> {
    if (this.options.approve?.includes(name)) return { answer: 'approved' };
    const ask = this.options.askApproval;
    if (ask) {
      // One question at a time on the terminal.
      const answer = this.approvalChain.then(() => ask(name));
      this.approvalChain = answer.catch(() => false);
      return (await answer) ? { answer: 'approved' } : { answer: 'declined' };
    }
    return {
      answer: 'pending',
      reason: `node ${name} requires approval: run again with --approve ${name} (e.g. mlops run --resume ${this.run.id} --approve ${name})`,
    };
  }

  /** Queues an execution for a slot, longest remaining path first. */
  private enqueue(node: string, start: (slot: ExecutionSlot) => Promise<void>, cancel: () => void): void {
    this.queueSorted = false;
    this.queue.push({
      priority: this.priority.get(node) ?? 0,
      order: this.order++,
      node,
      start: (release) => {
        let turn = false;
        return start({
          waitForTurn: async () => (turn = await this.takeTurn(node)),
          endTurn: () => {
            if (turn) {
              turn = false;
              this.giveTurnBack();
            }
            release();
          },
        });
      },
      cancel,
    });
    this.poke();
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
        return (state === 'failed' && n.onError !== 'continue') || (state === 'skipped' && this.nodeRecord(n.name).held !== true);
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


function freshNodeRecord(node: PipelineNode): NodeRecord {
  return { state: 'pending', type: node.type, executions: [] };
}

/** Runs (or, with `resume`, continues) a pipeline and returns its final run record. */
export async function runPipeline(options: RunPipelineOptions): Promise<RunRecord> {
  const pipeline = options.config.pipelines.get(options.pipeline);
  if (!pipeline) {
    const names = [...options.config.pipelines.keys()].join(', ') || 'none';
    throw new ConfigurationError(`no pipeline '${options.pipeline}' in ${options.config.file} (pipelines: ${names})`);
  }
  // Typos in --input/--param are errors before anything runs (not a default silently used).
  checkCliArguments(options.config, pipeline, options.parameters ?? {}, options.inputs ?? {});
  const lookups = runLookups(options);
  let run: RunRecord;
  let leftovers: RunRecord | undefined;
  if (options.resume !== undefined) {
    run = await loadRun(options.projectDir, options.resume);
    leftovers = structuredClone(run);
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
      ...(await lookups.origin()),
      parameters: {},
      request: {
        parameters: options.parameters ?? {},
        inputs: Object.fromEntries(Object.entries(options.inputs ?? {}).map(([k, v]) => [k, v.join('\n')])),
        repositoryDir: options.repositoryDir,
        reuse: options.reuse !== false,
        ...(options.container ? { container: options.container.engine } : {}),
        ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
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
  if (options.container) for (const node of pipeline.nodes) requireStepImage(options.config, node, '--container');
  const engine = new PipelineRun(options, pipeline, writer);
  engine.warmUp(lookups);
  // One runner per run (a second --resume refuses); a resumed run's leftovers are ended first.
  const lock = await lockRun(options.projectDir, run, leftovers);
  const onFailed = (status: RunStatus, reason: string): void => options.onEvent?.({ kind: 'run-finished', runId: run.id, status, reason });
  // Whatever throws from here on, the run ends failed with its reason (run-life.ts).
  return settleRun({ run, writer, lock, onFailed }, async () => {
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
  });
}

export { resumedRequest } from './run-request.js';
