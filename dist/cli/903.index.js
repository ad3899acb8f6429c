export const id = 903;
export const ids = [903];
export const modules = {

/***/ 1903:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  absoluteUnlessUrl: () => (/* binding */ absoluteUnlessUrl),
  command: () => (/* binding */ command),
  exitCodeOf: () => (/* binding */ exitCodeOf),
  loadConfigOrExplain: () => (/* binding */ loadConfigOrExplain),
  mapValues: () => (/* binding */ mapValues),
  parseJobs: () => (/* binding */ parseJobs),
  parseMultiPairs: () => (/* binding */ parseMultiPairs),
  parsePairs: () => (/* binding */ parsePairs),
  runWithProgress: () => (/* binding */ runWithProgress),
  takeContainerFlag: () => (/* binding */ takeContainerFlag)
});

// EXTERNAL MODULE: external "node:readline/promises"
var promises_ = __webpack_require__(6848);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/store/project.js
var project = __webpack_require__(879);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/pipeline/load.js + 8 modules
var load = __webpack_require__(9395);
// EXTERNAL MODULE: ./build/pipeline/diagnostics.js
var diagnostics = __webpack_require__(7479);
;// CONCATENATED MODULE: ./build/exec/progress.js
function seconds(ms) {
    return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)}s)`;
}
/** ISO time without milliseconds, as CI logs show it. */
function stamp(time) {
    return `${(time ?? new Date().toISOString()).slice(0, 19)}Z`;
}
const SYMBOL = {
    pending: '·',
    running: '▶',
    succeeded: '✔',
    reused: '↺',
    failed: '✖',
    skipped: '-',
    cancelled: '■',
    'awaiting-approval': '?',
};
function plainReporter(stream) {
    const write = (line) => {
        stream.write(`${line}\n`);
    };
    return {
        onEvent(event) {
            switch (event.kind) {
                case 'run-started':
                    write(`${stamp()} run ${event.runId}: ${event.resumed ? 'resuming' : 'starting'} pipeline ${event.pipeline} (${event.nodes.length} nodes)`);
                    break;
                case 'node': {
                    const extra = event.state === 'running' || event.executions === undefined || event.executions <= 1 ? '' : `, ${event.executions} executions`;
                    const reason = event.reason && event.state !== 'succeeded' ? `: ${event.reason}` : '';
                    write(`${stamp(event.time)} node ${event.node}: ${event.state}${seconds(event.durationMs)}${extra}${reason}`);
                    break;
                }
                case 'notice':
                    write(`${stamp()} note: ${event.message}`);
                    break;
                case 'line':
                    write(event.line);
                    break;
                case 'run-finished':
                    write(`${stamp()} run ${event.runId}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`);
                    break;
            }
        },
        close() {
            // nothing buffered
        },
        pause() {
            // lines are never redrawn
        },
        resume() {
            // lines are never redrawn
        },
    };
}
/** Width assumed when the terminal does not say. */
const DEFAULT_COLUMNS = 80;
/** `line` cut to `width` characters (code points, so no surrogate pair is split), control characters shown as `?`. */
function fit(line, width) {
    // eslint-disable-next-line no-control-regex
    return [...line.replace(/[\x00-\x1f\x7f]/g, '?')].slice(0, width).join('');
}
function liveReporter(stream) {
    const states = new Map();
    const notices = [];
    let runLine = '';
    let drawnLines = 0;
    let timer;
    let closed = false;
    let paused = false;
    const draw = () => {
        if (timer !== undefined)
            clearTimeout(timer);
        timer = undefined;
        // Every line must fit: a wrapped line takes two rows and the cursor-up count no longer matches. A
        // terminal of unknown size (a pseudo-terminal without one reports 0 columns) gets 80.
        const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
        const width = Math.max(1, columns - 1);
        const lines = [runLine];
        for (const [node, s] of states) {
            const time = s.state === 'running' ? seconds(Date.now() - s.since) : seconds(s.durationMs);
            const count = s.executions !== undefined && s.executions > 1 ? ` ×${s.executions}` : '';
            lines.push(`  ${SYMBOL[s.state]} ${node}  ${s.state}${count}${time}`);
        }
        // Move to the first line of the previous drawing, then rewrite it and clear what is below.
        const up = drawnLines > 0 ? `\x1b[${drawnLines}F` : '';
        stream.write(`${up}${lines.map((l) => `${fit(l, width)}\x1b[K`).join('\n')}\n\x1b[J`);
        drawnLines = lines.length;
    };
    const schedule = () => {
        if (!closed && !paused && timer === undefined)
            timer = setTimeout(draw, 100);
    };
    const erase = () => {
        if (drawnLines > 0)
            stream.write(`\x1b[${drawnLines}F\x1b[J`);
        drawnLines = 0;
    };
    const printAbove = (text) => {
        // After close the final drawing stays: later text goes below it.
        if (!closed)
            erase();
        stream.write(`${text}\n`);
        drawnLines = 0;
        if (!closed && !paused)
            draw();
    };
    const ticker = setInterval(schedule, 1000);
    ticker.unref();
    return {
        onEvent(event) {
            switch (event.kind) {
                case 'run-started':
                    runLine = `run ${event.runId}: pipeline ${event.pipeline}`;
                    for (const node of event.nodes)
                        if (!states.has(node))
                            states.set(node, { state: 'pending', since: Date.now() });
                    schedule();
                    break;
                case 'node': {
                    const entry = {
                        state: event.state,
                        since: event.state === 'running' ? Date.now() : (states.get(event.node)?.since ?? Date.now()),
                    };
                    if (event.durationMs !== undefined)
                        entry.durationMs = event.durationMs;
                    if (event.executions !== undefined)
                        entry.executions = event.executions;
                    states.set(event.node, entry);
                    if (event.reason && (event.state === 'failed' || event.state === 'awaiting-approval')) {
                        printAbove(`${event.node}: ${event.reason}`);
                    }
                    schedule();
                    break;
                }
                case 'notice':
                    if (!notices.includes(event.message)) {
                        notices.push(event.message);
                        printAbove(`note: ${event.message}`);
                    }
                    break;
                case 'line':
                    printAbove(event.line);
                    break;
                case 'run-finished':
                    runLine = `run ${event.runId}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`;
                    schedule();
                    break;
            }
        },
        close() {
            if (closed)
                return;
            if (timer !== undefined)
                clearTimeout(timer);
            clearInterval(ticker);
            draw();
            closed = true;
        },
        pause() {
            if (closed || paused)
                return;
            paused = true;
            if (timer !== undefined)
                clearTimeout(timer);
            timer = undefined;
            erase();
        },
        resume() {
            if (closed || !paused)
                return;
            paused = false;
            draw();
        },
    };
}
function createProgressReporter(options) {
    const live = options.live ?? options.stream.isTTY === true;
    return live ? liveReporter(options.stream) : plainReporter(options.stream);
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./build/store/content-store.js
var content_store = __webpack_require__(3043);
// EXTERNAL MODULE: ./build/store/runs.js
var runs = __webpack_require__(9366);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/exec/edges.js
var exec_edges = __webpack_require__(7354);
// EXTERNAL MODULE: ./build/exec/execution.js + 2 modules
var exec_execution = __webpack_require__(8801);
// EXTERNAL MODULE: ./build/exec/container.js
var exec_container = __webpack_require__(2067);
// EXTERNAL MODULE: ./build/pipeline/expression.js
var expression = __webpack_require__(4129);
// EXTERNAL MODULE: ./build/exec/plan-run.js
var plan_run = __webpack_require__(5265);
// EXTERNAL MODULE: ./build/exec/reuse.js
var reuse = __webpack_require__(1796);
// EXTERNAL MODULE: ./build/exec/valohai-paths.js
var valohai_paths = __webpack_require__(1247);
;// CONCATENATED MODULE: ./build/exec/scheduler.js
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












const TERMINAL = new Set([
    'succeeded',
    'failed',
    'skipped',
    'reused',
    'cancelled',
    'awaiting-approval',
]);
function now() {
    return new Date().toISOString();
}
/** Longest path (in nodes) from each node to a sink: the critical path decides who starts first. */
function remainingPathLengths(pipeline, upstream) {
    const downstream = new Map(pipeline.nodes.map((n) => [n.name, []]));
    for (const [node, ups] of upstream)
        for (const up of ups)
            downstream.get(up)?.push(node);
    const memo = new Map();
    const visiting = new Set();
    const length = (node) => {
        const known = memo.get(node);
        if (known !== undefined)
            return known;
        if (visiting.has(node))
            throw new errors/* ConfigurationError */.j(`pipeline ${pipeline.name} has a cycle through node ${node}`);
        visiting.add(node);
        let longest = 0;
        for (const next of downstream.get(node) ?? [])
            longest = Math.max(longest, length(next));
        visiting.delete(node);
        memo.set(node, longest + 1);
        return longest + 1;
    };
    for (const node of pipeline.nodes)
        length(node.name);
    return memo;
}
function describeAction(action) {
    const condition = action.if.length > 0 ? ` if ${action.if.join(' and ')}` : '';
    return `${action.when.join('/')}${condition} then ${action.then.join(', ')}`;
}
class PipelineRun {
    options;
    pipeline;
    writer;
    nodes;
    upstream;
    priority;
    outcomes = new Map();
    queue = [];
    started = new Set();
    downstream = new Map();
    /** Per node, how many of its upstream nodes are not finished yet (set when the run starts). */
    unfinishedUpstream = new Map();
    /** Nodes whose upstream nodes have all finished since the last look: the only ones worth checking. */
    newlyReady = new Set();
    controller = new AbortController();
    store;
    paths;
    jobs;
    cli;
    /** Executions taken from the queue: preparing their folder, waiting for a turn or running. */
    active = 0;
    /** Executions whose command runs: at most `jobs`. */
    commands = 0;
    turnWaiters = [];
    pendingWork = 0;
    order = 0;
    stop;
    approvalChain = Promise.resolve();
    hostNoticeGiven = false;
    valohaiPathsWarned = false;
    wake;
    constructor(options, pipeline, writer) {
        this.options = options;
        this.pipeline = pipeline;
        this.writer = writer;
        this.nodes = new Map(pipeline.nodes.map((n) => [n.name, n]));
        this.upstream = (0,exec_edges/* upstreamNodes */.z1)(pipeline);
        for (const [name, ups] of this.upstream) {
            for (const up of ups) {
                const list = this.downstream.get(up);
                if (list)
                    list.push(name);
                else
                    this.downstream.set(up, [name]);
            }
        }
        this.priority = remainingPathLengths(pipeline, this.upstream);
        this.paths = (0,runs/* projectPaths */.gW)(options.projectDir);
        this.store = new content_store/* ContentStore */.Vh(this.paths.storeDir);
        this.jobs = Math.max(1, options.jobs ?? (0,external_node_os_.availableParallelism)());
        this.cli = (0,plan_run/* splitCliParameters */.hb)(pipeline, options.parameters ?? {});
    }
    get run() {
        return this.writer.run;
    }
    emit(event) {
        this.options.onEvent?.(event);
    }
    nodeRecord(name) {
        const record = this.run.nodes[name];
        if (!record)
            throw new Error(`no record for node ${name}`);
        return record;
    }
    async setNodeState(name, state, reason) {
        const record = this.nodeRecord(name);
        const wasTerminal = TERMINAL.has(record.state);
        record.state = state;
        if (TERMINAL.has(state) && !wasTerminal)
            this.countFinished(name);
        if (state === 'running')
            record.startedAt = now();
        if (TERMINAL.has(state))
            record.finishedAt = now();
        if (reason !== undefined)
            record.reason = reason;
        const event = { kind: 'node', node: name, state, time: now(), executions: record.executions.length };
        if (record.startedAt && TERMINAL.has(state)) {
            event.durationMs = Date.parse(record.finishedAt ?? now()) - Date.parse(record.startedAt);
        }
        if (reason !== undefined)
            event.reason = reason;
        this.emit(event);
        await this.writer.saveNode(name);
    }
    /** Stops starting new work; `abort` also kills running executions. */
    halt(stop, abort) {
        if (!this.stop)
            this.stop = stop;
        if (abort)
            this.controller.abort();
        this.passTurns();
        this.poke();
    }
    /** Resolves true when this execution's command may start (a job slot), false when the run stopped. */
    takeTurn(node) {
        if (this.stop)
            return Promise.resolve(false);
        if (this.commands < this.jobs) {
            this.commands++;
            return Promise.resolve(true);
        }
        const priority = this.priority.get(node) ?? 0;
        return new Promise((resolve) => this.turnWaiters.push({ priority, order: this.order++, resolve }));
    }
    giveTurnBack() {
        this.commands--;
        this.passTurns();
    }
    /** Hands free slots to waiting executions, longest remaining path first; after a stop, tells them no. */
    passTurns() {
        while (this.turnWaiters.length > 0 && (this.stop !== undefined || this.commands < this.jobs)) {
            this.turnWaiters.sort((a, b) => b.priority - a.priority || a.order - b.order);
            const waiter = this.turnWaiters.shift();
            if (!waiter)
                break;
            if (this.stop) {
                waiter.resolve(false);
            }
            else {
                this.commands++;
                waiter.resolve(true);
            }
        }
    }
    poke() {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
    }
    /** Whether dependents may use this node's results. */
    satisfies(name) {
        const state = this.nodeRecord(name).state;
        if (state === 'succeeded' || state === 'reused')
            return true;
        return state === 'failed' && this.nodes.get(name)?.onError === 'continue';
    }
    async execute() {
        const onAbort = () => this.halt({ status: 'cancelled', reason: 'cancelled by signal' }, true);
        if (this.options.signal?.aborted)
            onAbort();
        this.options.signal?.addEventListener('abort', onAbort, { once: true });
        this.countUnfinishedUpstream();
        try {
            for (;;) {
                this.startReadyNodes();
                this.pump();
                if (this.active === 0 && this.pendingWork === 0 && this.queue.length === 0)
                    break;
                await new Promise((resolve) => {
                    this.wake = resolve;
                });
            }
        }
        finally {
            this.options.signal?.removeEventListener('abort', onAbort);
        }
        return this.finish();
    }
    /** Counts, for every node, its upstream nodes that are not finished; those with none are ready. */
    countUnfinishedUpstream() {
        for (const node of this.pipeline.nodes) {
            const unfinished = [...(this.upstream.get(node.name) ?? [])].filter((up) => !TERMINAL.has(this.nodeRecord(up).state)).length;
            this.unfinishedUpstream.set(node.name, unfinished);
            if (unfinished === 0)
                this.newlyReady.add(node.name);
        }
    }
    /** A node just finished: its dependents have one unfinished upstream node less. */
    countFinished(name) {
        for (const next of this.downstream.get(name) ?? []) {
            const left = (this.unfinishedUpstream.get(next) ?? 0) - 1;
            this.unfinishedUpstream.set(next, left);
            if (left === 0)
                this.newlyReady.add(next);
        }
    }
    /**
     * Starts every node whose upstream nodes are all finished. Only nodes that became ready since the last
     * call are looked at, so a run does work in proportion to its edges, not nodes × wake-ups.
     */
    startReadyNodes() {
        let changed = false;
        const ready = [...this.newlyReady]
            .map((name) => this.nodes.get(name))
            .filter((n) => n !== undefined && !this.started.has(n.name) && this.nodeRecord(n.name).state === 'pending')
            .sort((a, b) => (this.priority.get(b.name) ?? 0) - (this.priority.get(a.name) ?? 0));
        this.newlyReady.clear();
        for (const node of ready) {
            if (this.stop)
                break;
            this.started.add(node.name);
            changed = true;
            const blocking = [...(this.upstream.get(node.name) ?? [])].find((up) => !this.satisfies(up));
            this.track(blocking !== undefined
                ? this.setNodeState(node.name, 'skipped', `upstream node ${blocking} ${this.nodeRecord(blocking).state}`)
                : this.startNode(node));
        }
        return changed;
    }
    /** Runs async node work, counting it so that the main loop waits for it. */
    track(work) {
        this.pendingWork++;
        work
            .catch((error) => {
            this.halt({ status: 'failed', reason: (0,errors/* getErrorMessage */.u)(error) }, true);
        })
            .finally(() => {
            this.pendingWork--;
            this.poke();
        });
    }
    pump() {
        if (this.stop) {
            // Nothing new starts once the pipeline stops: queued executions end as cancelled, unrun.
            for (const queued of this.queue.splice(0))
                queued.cancel();
            return;
        }
        // Up to `jobs` executions prepare their folders (inputs, config files) while `jobs` commands run, so
        // a finished command's slot goes to an execution that is ready to start.
        while (!this.stop && this.active < this.jobs * 2 && this.queue.length > 0) {
            this.queue.sort((a, b) => b.priority - a.priority || a.order - b.order);
            const next = this.queue.shift();
            if (!next)
                break;
            this.active++;
            let released = false;
            const release = () => {
                if (released)
                    return;
                released = true;
                this.active--;
                this.poke();
            };
            this.track(next.start(release).finally(release));
        }
    }
    async startNode(node) {
        const started = await this.runActions(node, 'node-starting', []);
        if (!started)
            return;
        try {
            if (node.type === 'deployment')
                await this.runDeploymentNode(node);
            else
                await this.runExecutionNode(node);
        }
        catch (error) {
            if (!(error instanceof errors/* ConfigurationError */.j))
                throw error;
            await this.failNode(node, (0,errors/* getErrorMessage */.u)(error));
        }
    }
    /**
     * Runs the node's actions for `when`. Returns false when the node must not go on (not approved,
     * pipeline stopped). `executions` give the metadata and parameters `if` conditions see.
     */
    async runActions(node, when, executions) {
        const scopes = executions.length > 0
            ? executions.map((e) => ({ metadata: e.latestMetadata, parameters: e.parameters }))
            : [{ metadata: {}, parameters: this.startingParameters(node) }];
        for (const action of node.actions) {
            if (!action.when.includes(when))
                continue;
            const holds = scopes.some((scope) => action.if.every((expr) => (0,expression/* evaluateCondition */.F9)(expr, scope)));
            if (!holds)
                continue;
            const why = `node ${node.name} action (${describeAction(action)})`;
            for (const then of action.then) {
                if (then === 'stop-pipeline') {
                    this.emit({ kind: 'notice', node: node.name, message: `${why}: stopping the pipeline` });
                    this.halt({ status: 'stopped', reason: why }, true);
                    if (when === 'node-starting')
                        await this.setNodeState(node.name, 'skipped', `pipeline stopped by ${why}`);
                    return false;
                }
                if (then === 'error-pipeline') {
                    this.halt({ status: 'failed', reason: why }, true);
                    if (when === 'node-starting')
                        await this.setNodeState(node.name, 'skipped', `pipeline failed by ${why}`);
                    return false;
                }
                if (then === 'require-approval' && !(await this.approved(node.name)))
                    return false;
            }
        }
        return true;
    }
    /** Parameters a node-starting `if` sees: the node's step defaults (variants are not known yet). */
    startingParameters(node) {
        if (node.type === 'deployment')
            return {};
        const values = {};
        try {
            for (const p of (0,plan_run/* stepForNode */.Cb)(this.options.config, node).parameters)
                if (p.default !== undefined)
                    values[p.name] = p.default;
        }
        catch {
            // an undefined step fails the node right after, with its own message
        }
        return values;
    }
    async approved(name) {
        if (this.options.approve?.includes(name))
            return true;
        const ask = this.options.askApproval;
        if (ask) {
            // One question at a time on the terminal.
            const answer = this.approvalChain.then(() => ask(name));
            this.approvalChain = answer.catch(() => false);
            if (await answer)
                return true;
            await this.setNodeState(name, 'skipped', 'approval declined');
            this.halt({ status: 'stopped', reason: `approval for node ${name} declined` }, false);
            return false;
        }
        await this.setNodeState(name, 'awaiting-approval', `node ${name} requires approval: run again with --approve ${name} (e.g. mlops run --resume ${this.run.id} --approve ${name})`);
        return false;
    }
    /**
     * Actions and `on-error` are settled before the node's state turns terminal: dependents start as soon
     * as it does, and must not start when the failure stops the pipeline.
     */
    async failNode(node, reason) {
        await this.runActions(node, 'node-error', this.nodeRecord(node.name).executions);
        if (node.onError === 'stop-all' || node.onError === 'retry') {
            this.halt({ status: 'failed', reason: `node ${node.name} failed: ${reason}` }, true);
        }
        await this.setNodeState(node.name, 'failed', reason);
    }
    async runDeploymentNode(node) {
        await this.setNodeState(node.name, 'running');
        const edges = (0,exec_edges/* resolveEdges */.XM)(this.pipeline, node.name, this.outcomes, []);
        for (const warning of edges.warnings)
            this.emit({ kind: 'notice', node: node.name, message: warning });
        const endpoints = new Map([...this.options.config.endpoints.values()].map((e) => [e.name, e]));
        for (const file of edges.deploymentFiles) {
            if (node.endpoints.length > 0 && !node.endpoints.includes(file.endpoint)) {
                throw new errors/* ConfigurationError */.j(`deployment node ${node.name}: endpoint ${file.endpoint} is not in its endpoints (${node.endpoints.join(', ')})`);
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
        if (approved || !TERMINAL.has(this.nodeRecord(node.name).state))
            await this.setNodeState(node.name, 'succeeded');
    }
    async runExecutionNode(node) {
        const step = (0,plan_run/* stepForNode */.Cb)(this.options.config, node);
        const cliInputs = {};
        for (const [key, values] of Object.entries(this.options.inputs ?? {})) {
            if (key.startsWith(`${node.name}.`))
                cliInputs[key.slice(node.name.length + 1)] = values;
        }
        const plan = await (0,plan_run/* planNode */.wg)(node, {
            config: this.options.config,
            pipeline: this.pipeline,
            repositoryDir: this.options.repositoryDir,
            outcomes: this.outcomes,
            cliPipelineParameters: this.cli.pipeline,
            cliNodeParameters: this.cli.nodes.get(node.name) ?? {},
            cliInputs,
        });
        for (const warning of plan.warnings)
            this.emit({ kind: 'notice', node: node.name, message: warning });
        const container = this.options.container;
        // A container result and a host result of the same work are not interchangeable.
        if (container)
            for (const planned of plan.executions)
                planned.reuseKey = (0,exec_container/* containerReuseKey */.Vr)(planned.reuseKey);
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
            const hardcoded = (0,valohai_paths/* findHardcodedValohaiPaths */.Kw)(plan.executions[0]?.command ?? '');
            if (hardcoded.length > 0) {
                this.valohaiPathsWarned = true;
                this.emit({ kind: 'notice', node: node.name, message: `node ${node.name}: ${(0,valohai_paths/* hardcodedPathsAdvice */.Ll)(hardcoded)}` });
            }
        }
        // Not awaited before the executions are queued: the writer keeps the order of the lines, and a
        // runner killed before this one lands reruns the node on resume anyway.
        const runningSaved = this.setNodeState(node.name, 'running');
        runningSaved.catch(() => undefined);
        const record = this.nodeRecord(node.name);
        record.type = node.type;
        let remaining = plan.executions.length;
        const finals = new Array(remaining).fill(undefined);
        let done = () => undefined;
        const allDone = new Promise((resolve) => {
            done = resolve;
        });
        const settle = (index, execution) => {
            finals[index] = execution;
            remaining--;
            if (remaining === 0)
                done();
        };
        for (const [index, planned] of plan.executions.entries()) {
            const reused = this.options.reuse === false ? undefined : await this.tryReuse(node, index, planned);
            if (reused) {
                record.executions.push(reused);
                await this.writer.saveNode(node.name, reused);
                settle(index, reused);
                continue;
            }
            this.enqueue(node, index, planned, step, 1, settle);
        }
        await runningSaved;
        await allDone;
        const executions = finals.filter((e) => e !== undefined);
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
    async tryReuse(node, index, planned) {
        const entry = await (0,reuse/* lookupReuse */.Dx)(this.paths.reuseDir, planned.reuseKey);
        if (!entry)
            return undefined;
        for (const output of entry.outputs)
            if (!(await this.store.has(output.sha256)))
                return undefined;
        const time = now();
        const execution = {
            executionId: (0,plan_run/* newExecutionId */.eW)(node.name, index),
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
        if (planned.variant)
            execution.variant = planned.variant;
        return execution;
    }
    enqueue(node, index, planned, step, attempt, settle) {
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
    async runOne(node, index, planned, step, attempt, release) {
        const record = this.nodeRecord(node.name);
        const executionId = (0,plan_run/* newExecutionId */.eW)(node.name, index);
        const executionDir = (0,external_node_path_.join)((0,runs/* runDir */.ff)(this.options.projectDir, this.run.id), 'executions', executionId);
        const execution = {
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
            logPath: (0,external_node_path_.join)(executionDir, 'log.txt'),
        };
        if (planned.variant)
            execution.variant = planned.variant;
        record.executions.push(execution);
        // Journalled while the execution is prepared, not before: a runner killed before the line lands
        // reruns this node on resume anyway. The writer keeps the order of the lines.
        const recorded = this.writer.saveNode(node.name, execution);
        recorded.catch(() => undefined);
        const request = {
            executionId,
            step,
            parameters: planned.parameters,
            inputs: Object.fromEntries(Object.entries(planned.inputs).map(([name, files]) => [name, files.map(exec_edges/* toInputFile */.a$)])),
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
        const waitForTurn = async () => {
            turn = await this.takeTurn(node.name);
            return turn;
        };
        const endTurn = () => {
            if (turn) {
                turn = false;
                this.giveTurnBack();
            }
            release();
        };
        let result;
        try {
            // Only executions that need the links take the machine-wide root (and so run one at a time).
            const valohaiRoot = this.options.valohaiRoot;
            const links = valohaiRoot !== undefined && (0,valohai_paths/* findHardcodedValohaiPaths */.Kw)(planned.command, valohaiRoot).length > 0;
            result = await (0,exec_execution/* runExecution */._M)(request, { waitForTurn, container: this.options.container, ...(links ? { valohaiRoot } : {}) });
        }
        catch (error) {
            endTurn();
            execution.status = this.controller.signal.aborted ? 'cancelled' : 'failed';
            execution.reason = (0,errors/* getErrorMessage */.u)(error);
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
        if (result.reason !== undefined)
            execution.reason = result.reason;
        await this.writer.saveNode(node.name, execution);
        if (result.status === 'succeeded') {
            await (0,reuse/* recordReuse */.wn)(this.paths.reuseDir, {
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
    async finish() {
        const stop = this.stop;
        for (const node of this.pipeline.nodes) {
            const record = this.nodeRecord(node.name);
            if (record.state === 'pending') {
                record.state = stop?.status === 'cancelled' ? 'cancelled' : 'skipped';
                record.reason = stop ? stop.reason : 'not reached';
            }
            else if (record.state === 'running') {
                record.state = 'cancelled';
                record.reason = stop?.reason ?? 'interrupted';
            }
        }
        let status = stop?.status ?? 'succeeded';
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
            }
            else if (failed) {
                status = 'failed';
                reason = `node ${failed.name} ${this.nodeRecord(failed.name).state}: ${this.nodeRecord(failed.name).reason ?? ''}`.trim();
            }
        }
        this.run.status = status;
        this.run.finishedAt = now();
        if (reason !== undefined)
            this.run.reason = reason;
        else
            delete this.run.reason;
        await this.writer.close();
        const event = { kind: 'run-finished', runId: this.run.id, status };
        if (reason !== undefined)
            event.reason = reason;
        this.emit(event);
        return this.run;
    }
    /** Takes over the finished nodes of a resumed run. */
    adoptFinished() {
        for (const [name, record] of Object.entries(this.run.nodes)) {
            if ((record.state === 'succeeded' || record.state === 'reused') && this.nodes.has(name)) {
                const good = record.executions.filter((e) => e.status === 'succeeded');
                const deployment = this.run.deployments?.find((d) => d.node === name);
                const outcome = { executions: good };
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
function recordedInputs(planned) {
    const inputs = {};
    for (const [name, files] of Object.entries(planned.inputs)) {
        inputs[name] = files.map((f) => {
            const file = {
                relativePath: f.relativePath,
                source: f.source,
            };
            if (f.sha256 !== undefined)
                file.sha256 = f.sha256;
            if (f.size !== undefined)
                file.size = f.size;
            return file;
        });
    }
    return inputs;
}
function freshNodeRecord(node) {
    return { state: 'pending', type: node.type, executions: [] };
}
/** Under `--container` every step the pipeline runs needs an image; said before anything runs. */
function requireImages(config, pipeline) {
    for (const node of pipeline.nodes) {
        if (node.type === 'deployment')
            continue;
        const step = (0,plan_run/* stepForNode */.Cb)(config, node);
        if (!step.image)
            throw new errors/* ConfigurationError */.j(`--container: step "${step.name}" (node ${node.name}) has no image to run in; add image: to it`);
    }
}
/** Runs (or, with `resume`, continues) a pipeline and returns its final run record. */
async function runPipeline(options) {
    const pipeline = options.config.pipelines.get(options.pipeline);
    if (!pipeline) {
        const names = [...options.config.pipelines.keys()].join(', ') || 'none';
        throw new errors/* ConfigurationError */.j(`no pipeline '${options.pipeline}' in ${options.config.file} (pipelines: ${names})`);
    }
    let run;
    if (options.resume !== undefined) {
        run = await (0,runs/* loadRun */.Sj)(options.projectDir, options.resume);
        if (run.pipeline !== pipeline.name) {
            throw new errors/* ConfigurationError */.j(`run ${run.id} ran pipeline ${run.pipeline}, not ${pipeline.name}`);
        }
        const nodes = {};
        for (const node of pipeline.nodes) {
            const previous = run.nodes[node.name];
            nodes[node.name] =
                previous && (previous.state === 'succeeded' || previous.state === 'reused') ? previous : freshNodeRecord(node);
        }
        run.nodes = nodes;
        run.status = 'running';
        delete run.finishedAt;
        delete run.reason;
        if (run.deployments)
            run.deployments = run.deployments.filter((d) => nodes[d.node]?.state === 'succeeded');
    }
    else {
        const createdAt = new Date();
        run = {
            id: (0,runs/* newRunId */.F$)(createdAt),
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
        const cli = (0,plan_run/* splitCliParameters */.hb)(pipeline, options.parameters ?? {});
        for (const parameter of pipeline.parameters) {
            const value = cli.pipeline[parameter.name] ?? parameter.default;
            if (value !== undefined)
                run.parameters[parameter.name] = value;
        }
    }
    const writer = new runs/* RunWriter */.Xn(options.projectDir, run);
    // Built before anything is written: a pipeline the engine rejects (a cycle) leaves no run behind.
    if (options.container)
        requireImages(options.config, pipeline);
    const engine = new PipelineRun(options, pipeline, writer);
    await writer.save();
    if (options.resume !== undefined)
        engine.adoptFinished();
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
function resumedRequest(run) {
    const inputs = {};
    for (const [key, joined] of Object.entries(run.request?.inputs ?? {}))
        inputs[key] = joined.split('\n');
    const container = run.request?.container;
    return { parameters: run.request?.parameters ?? {}, inputs, ...(container !== undefined ? { container } : {}) };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
// EXTERNAL MODULE: ./build/registry/local.js + 1 modules
var local = __webpack_require__(7379);
// EXTERNAL MODULE: ./build/registry/model.js
var model = __webpack_require__(7415);
;// CONCATENATED MODULE: ./build/registry/batch.js
/**
 * Batch inference with a registered model: `mlops run --pipeline batch-inference --model production`
 * resolves the selector in the local registry, copies the version's verified files to a folder, hands
 * them to the pipeline's model input (`--input NODE.INPUT=…` under the hood), and after the run records
 * which model version scored which data.
 */









/** File written next to a run record that scored data with a registered model. */
const RUN_MODEL_FILE = 'model-version.json';
/** `NODE.INPUT`: the given one (checked), else the only input named `model` among the pipeline's nodes. */
function findModelInput(config, pipelineName, explicit) {
    const pipeline = config.pipelines.get(pipelineName);
    if (!pipeline)
        throw new errors/* ConfigurationError */.j(`no pipeline '${pipelineName}'`);
    const sockets = [];
    for (const node of pipeline.nodes) {
        if (node.type === 'deployment')
            continue;
        for (const input of (0,plan_run/* stepForNode */.Cb)(config, node).inputs)
            sockets.push(`${node.name}.${input.name}`);
    }
    if (explicit !== undefined) {
        if (!sockets.includes(explicit))
            throw new errors/* ConfigurationError */.j(`--model-input ${explicit}: pipeline '${pipelineName}' has no such node input (inputs: ${sockets.join(', ') || 'none'})`);
        return explicit;
    }
    const named = sockets.filter((s) => s.endsWith('.model'));
    const [only] = named;
    if (only === undefined || named.length > 1) {
        throw new errors/* ConfigurationError */.j(`pipeline '${pipelineName}' has ${named.length === 0 ? 'no input named model' : `several inputs named model (${named.join(', ')})`}: say which one gets the model with --model-input NODE.INPUT (inputs: ${sockets.join(', ') || 'none'})`);
    }
    return only;
}
/** Resolves `[NAME@]SELECTOR` and writes the version's verified files under `<projectDir>/registry/checkout/`. */
async function prepareModel(projectDir, config, pipelineName, reference, modelInput) {
    const socket = findModelInput(config, pipelineName, modelInput);
    const registry = new local/* LocalRegistry */.p(projectDir);
    const parsed = (0,model/* splitModelReference */.f7)(reference);
    const name = parsed.name ?? (await registry.defaultModelName());
    const version = await registry.resolve(name, parsed.selector);
    const dest = (0,external_node_path_.join)(registry.root, 'checkout', name, `v${version.version}`);
    const paths = await registry.pull(version, dest);
    process.stderr.write(`model ${name} ${(0,model/* formatSelector */.VH)(parsed.selector)} = v${version.version} → ${socket}\n`);
    return { version, modelInput: socket, paths };
}
async function sha256Of(path) {
    try {
        return (await (0,content_store/* hashFile */.DC)(path)).sha256;
    }
    catch {
        return undefined;
    }
}
/** After the run: which version scored which data, in the registry's scoring log and beside the run record. */
async function recordScoring(projectDir, run, prepared, now = new Date()) {
    const [node = '', input = ''] = [prepared.modelInput.slice(0, prepared.modelInput.indexOf('.')), prepared.modelInput.slice(prepared.modelInput.indexOf('.') + 1)];
    const execution = run.nodes[node]?.executions.at(-1);
    const data = [];
    for (const [name, files] of Object.entries(execution?.inputs ?? {})) {
        if (name === input)
            continue;
        for (const file of files) {
            const sha256 = file.sha256 ?? (file.source.kind === 'path' ? await sha256Of(file.source.path) : file.source.kind === 'store' ? file.source.sha256 : undefined);
            const path = file.source.kind === 'path' ? file.source.path : file.source.kind === 'url' ? file.source.url : file.relativePath;
            data.push({ input: name, path, ...(sha256 !== undefined ? { sha256 } : {}) });
        }
    }
    const record = {
        at: now.toISOString(),
        model: prepared.version.name,
        version: prepared.version.version,
        runId: run.id,
        pipeline: run.pipeline,
        modelInput: prepared.modelInput,
        data,
        outputs: (execution?.outputs ?? []).map((o) => ({ path: o.path, sha256: o.sha256 })),
        status: run.status,
    };
    await new local/* LocalRegistry */.p(projectDir).recordScoring(record);
    await (0,fs/* writeJsonAtomic */.q)((0,external_node_path_.join)((0,runs/* runDir */.ff)(projectDir, run.id), RUN_MODEL_FILE), {
        ...record,
        files: prepared.version.files,
        // One digest over the model's files, for a one-glance comparison between runs.
        modelDigest: (0,external_node_crypto_.createHash)('sha256').update(prepared.version.files.map((f) => `${f.path}:${f.sha256}`).join('\n')).digest('hex'),
    });
    return record;
}

;// CONCATENATED MODULE: ./build/cli/commands/run.js













const usage = `Usage: mlops run [FILE] --pipeline NAME [options]

Runs a pipeline of FILE (default ./valohai.yaml) on this machine. Commands run in the folder of FILE.
A node starts as soon as the nodes it depends on have finished, up to --jobs executions at a time.

Options:
  --pipeline NAME         the pipeline to run (may be left out when the file has exactly one)
  --param NAME=VALUE      a pipeline parameter, or NODE.PARAMETER=VALUE for one node (repeatable);
                          a JSON list such as [0.1,0.01] makes variants on a task node
  --input NODE.INPUT=PATH|URL  files for a node's input instead of its edges/defaults (repeatable)
  --jobs N                executions running at once (default: number of cores)
  --no-reuse              run every node even when an identical earlier execution exists
  --approve NODE          approve a node that requires approval (repeatable)
  --resume RUN            continue a run that was killed or failed: finished nodes are kept
  --container[=ENGINE]    run each step in its image with docker or podman (default: the first on
                          PATH), its folders mounted at /valohai/{inputs,outputs,config,repository};
                          without it steps run on this machine and image: is only recorded
  --model [NAME@]SELECTOR a registered model for the pipeline's model input: a version number, an
                          alias (production), latest, or best:METRIC[:min|max]; NAME may be left
                          out when the registry holds one model. Which version scored the data is
                          recorded in the registry and in the run folder (model-version.json)
  --model-input NODE.INPUT  the input that gets the model (default: the only input named model)
  --project-dir DIR       where runs, the artifact store and the reuse index live (default: .mlops
                          next to FILE)

Exit code: 0 when the run succeeded (or a node action stopped it), 1 otherwise.`;
/** `k=v` pairs into a record; the first `=` splits, so values may contain `=`. */
function parsePairs(values, flag) {
    const pairs = {};
    for (const item of values) {
        const eq = item.indexOf('=');
        if (eq <= 0)
            throw new errors/* ConfigurationError */.j(`${flag} expects NAME=VALUE, got ${JSON.stringify(item)}`);
        pairs[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return pairs;
}
function parseMultiPairs(values, flag) {
    const pairs = {};
    for (const item of values) {
        const eq = item.indexOf('=');
        if (eq <= 0)
            throw new errors/* ConfigurationError */.j(`${flag} expects NAME=VALUE, got ${JSON.stringify(item)}`);
        const key = item.slice(0, eq);
        (pairs[key] ??= []).push(item.slice(eq + 1));
    }
    return pairs;
}
/** Loads a pipeline file; prints every diagnostic and throws when there are errors. */
async function loadConfigOrExplain(file) {
    const result = await (0,load/* loadPipelineFile */.fH)(file);
    for (const diagnostic of result.diagnostics) {
        if (diagnostic.severity === 'error')
            process.stderr.write(`${(0,diagnostics/* formatDiagnostic */.xy)(diagnostic)}\n`);
    }
    if (!result.config || result.diagnostics.some((d) => d.severity === 'error')) {
        throw new errors/* ConfigurationError */.j(`${file} has errors; fix them and run again (\`mlops validate ${file}\`)`);
    }
    return result.config;
}
/** Command-line input paths are relative to where the user is, not to the repository: make them absolute. */
function absoluteUnlessUrl(value) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : (0,external_node_path_.resolve)(value);
}
function mapValues(record, map) {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
function parseJobs(raw) {
    if (raw === undefined)
        return undefined;
    const jobs = Number(raw);
    if (!Number.isInteger(jobs) || jobs < 1)
        throw new errors/* ConfigurationError */.j(`--jobs expects a positive integer, got ${raw}`);
    return jobs;
}
/**
 * Runs with Ctrl-C handling and progress output: the first SIGINT/SIGTERM cancels every execution (the
 * executor kills their process groups) and marks the run cancelled; a second one exits at once.
 */
async function runWithProgress(options) {
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (signal) => {
        interrupts++;
        if (interrupts > 1) {
            // Quitting at once must not leave executions running: their groups and containers go first.
            (0,exec_execution/* killRunningExecutionsNow */.VQ)();
            process.exit(130);
        }
        process.stderr.write(`\nmlops: ${signal}: cancelling every execution (again to quit at once)\n`);
        controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const reporter = createProgressReporter({ stream: process.stderr });
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    const full = { ...options, signal: controller.signal, onEvent: (e) => reporter.onEvent(e) };
    if (interactive) {
        full.askApproval = async (node) => {
            // The live table would redraw over the question: off the screen while it is asked.
            reporter.pause();
            const rl = (0,promises_.createInterface)({ input: process.stdin, output: process.stderr });
            try {
                const answer = await rl.question(`Node ${node} requires approval. Run it? [y/N] `);
                return /^y(es)?$/i.test(answer.trim());
            }
            finally {
                rl.close();
                reporter.resume();
            }
        };
    }
    try {
        return await runPipeline(full);
    }
    finally {
        reporter.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    }
}
/**
 * Takes `--container` and `--container=ENGINE` out of argv (parseArgs has no option with an optional
 * value). `--container ENGINE` is not accepted: ENGINE would be read as the FILE.
 */
function takeContainerFlag(argv) {
    const rest = [];
    let container;
    for (const [index, arg] of argv.entries()) {
        if (arg === '--') {
            rest.push(...argv.slice(index));
            break;
        }
        if (arg === '--container')
            container = 'auto';
        else if (arg.startsWith('--container='))
            container = (0,exec_container/* parseContainerChoice */.w$)(arg.slice('--container='.length));
        else
            rest.push(arg);
    }
    return container === undefined ? { argv: rest } : { argv: rest, container };
}
function exitCodeOf(run) {
    return run.status === 'succeeded' || run.status === 'stopped' ? 0 : 1;
}
const command = {
    summary: 'run a pipeline on this machine',
    usage,
    async run(argv) {
        const flag = takeContainerFlag(argv);
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: flag.argv,
            options: {
                pipeline: { type: 'string' },
                param: { type: 'string', multiple: true, default: [] },
                input: { type: 'string', multiple: true, default: [] },
                jobs: { type: 'string' },
                'no-reuse': { type: 'boolean', default: false },
                approve: { type: 'string', multiple: true, default: [] },
                resume: { type: 'string' },
                'project-dir': { type: 'string' },
                model: { type: 'string' },
                'model-input': { type: 'string' },
            },
            allowPositionals: true,
        });
        if (positionals.length > 1)
            throw new errors/* ConfigurationError */.j(`run takes one file, got ${positionals.length}`);
        let file = positionals[0];
        let resumed;
        const projectDirOf = (f) => (0,project/* projectDirFor */.cv)(values['project-dir'], f, true);
        if (values.resume !== undefined) {
            resumed = await (0,runs/* loadRun */.Sj)(projectDirOf(file ?? 'valohai.yaml'), values.resume);
            file ??= resumed.file;
        }
        file ??= 'valohai.yaml';
        const config = await loadConfigOrExplain(file);
        let pipeline = values.pipeline ?? resumed?.pipeline;
        if (pipeline === undefined) {
            const names = [...config.pipelines.keys()];
            if (names.length !== 1 || names[0] === undefined) {
                throw new errors/* ConfigurationError */.j(`choose a pipeline with --pipeline NAME (pipelines in ${file}: ${names.join(', ') || 'none'})`);
            }
            pipeline = names[0];
        }
        const request = resumed ? resumedRequest(resumed) : undefined;
        const options = {
            config,
            pipeline,
            repositoryDir: (0,project/* repositoryRoot */.Hn)((0,external_node_path_.dirname)((0,external_node_path_.resolve)(file))),
            projectDir: projectDirOf(file),
            parameters: { ...(request?.parameters ?? {}), ...parsePairs(values.param, '--param') },
            inputs: { ...(request?.inputs ?? {}), ...mapValues(parseMultiPairs(values.input, '--input'), (list) => list.map(absoluteUnlessUrl)) },
            reuse: !values['no-reuse'],
            approve: values.approve,
        };
        const jobs = parseJobs(values.jobs);
        if (jobs !== undefined)
            options.jobs = jobs;
        // A resumed run keeps running where it started (in containers or on the host) unless told otherwise.
        const container = flag.container ?? (request?.container !== undefined ? (0,exec_container/* parseContainerChoice */.w$)(request.container) : undefined);
        if (container !== undefined)
            options.container = await (0,exec_container/* findContainerRuntime */.nW)(container);
        if (resumed)
            options.resume = resumed.id;
        if (values['model-input'] !== undefined && values.model === undefined)
            throw new errors/* ConfigurationError */.j('--model-input needs --model');
        const model = values.model === undefined ? undefined : await prepareModel(options.projectDir, config, pipeline, values.model, values['model-input']);
        if (model)
            options.inputs = { ...options.inputs, [model.modelInput]: model.paths };
        const run = await runWithProgress(options);
        if (model) {
            await recordScoring(options.projectDir, run, model);
            process.stdout.write(`model: ${model.version.name} v${model.version.version} scored the data of run ${run.id}\n`);
        }
        process.stdout.write(`run ${run.id}: ${run.status}${run.reason ? ` (${run.reason})` : ''}\n`);
        process.stdout.write(`details: mlops show ${run.id}${values['project-dir'] ? ` --project-dir ${values['project-dir']}` : ''}\n`);
        return exitCodeOf(run);
    },
};


/***/ }),

/***/ 2067:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SI: () => (/* binding */ stopContainer),
/* harmony export */   Vr: () => (/* binding */ containerReuseKey),
/* harmony export */   W3: () => (/* binding */ containerInvocation),
/* harmony export */   Yt: () => (/* binding */ ensureImage),
/* harmony export */   nW: () => (/* binding */ findContainerRuntime),
/* harmony export */   od: () => (/* binding */ removeContainer),
/* harmony export */   w$: () => (/* binding */ parseContainerChoice)
/* harmony export */ });
/* unused harmony exports CONTAINER_ENGINES, CONTAINER_PATHS */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4478);
/* harmony import */ var _toolkit_cli_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(517);
/**
 * `--container`: runs each execution in its step's image with Docker or Podman, the folders mounted
 * where Valohai has them (`/valohai/{inputs,outputs,config,repository}`), so hard-coded Valohai paths,
 * the image's Python and its system libraries behave as on Valohai.
 *
 * Only the engine's argv is built here (never a shell string). The container gets the VH_* variables
 * (folders pointing at `/valohai/...`), the step's environment variables and the request's environment,
 * not the host environment: a host PATH would break the image. Values travel in the engine's own
 * environment (`-e NAME`), so secrets do not show in `ps`; see `engineReads`.
 *
 * Stopping: the engine CLI is only a client; killing it leaves the container running. `stopContainer`
 * asks the engine to stop it (TERM, then KILL after the grace period), and `--rm` removes it.
 */






const CONTAINER_ENGINES = ['docker', 'podman'];
/** Where the execution's folders appear inside the container (Valohai's layout). */
const CONTAINER_PATHS = {
    inputs: '/valohai/inputs',
    outputs: '/valohai/outputs',
    config: '/valohai/config',
    repository: '/valohai/repository',
    /** The rendered command; beside the folders, so config/ holds what it holds on Valohai. */
    command: '/valohai/command.sh',
};
const FOLDER_VARIABLES = {
    VH_INPUTS_DIR: CONTAINER_PATHS.inputs,
    VH_OUTPUTS_DIR: CONTAINER_PATHS.outputs,
    VH_CONFIG_DIR: CONTAINER_PATHS.config,
    VH_REPOSITORY_DIR: CONTAINER_PATHS.repository,
};
/** `--container` / `--container=ENGINE` as given on the command line. */
function parseContainerChoice(raw) {
    if (raw === '' || raw === 'auto')
        return 'auto';
    if (CONTAINER_ENGINES.includes(raw))
        return raw;
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`--container takes ${CONTAINER_ENGINES.join(' or ')}, got ${JSON.stringify(raw)}`);
}
async function findOnPath(name, path) {
    for (const dir of (path ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_3__.delimiter)) {
        if (dir === '' || !(0,node_path__WEBPACK_IMPORTED_MODULE_3__.isAbsolute)(dir))
            continue;
        const candidate = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, name);
        try {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.access)(candidate, node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.constants.X_OK);
            return candidate;
        }
        catch {
            // not here
        }
    }
    return undefined;
}
/** The engine to run containers with; a ConfigurationError when none of the asked-for ones is on PATH. */
async function findContainerRuntime(choice, path = process.env['PATH']) {
    const engines = choice === 'auto' ? CONTAINER_ENGINES : [choice];
    for (const engine of engines) {
        const executable = await findOnPath(engine, path);
        if (executable !== undefined)
            return { engine, executable };
    }
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`--container needs ${engines.join(' or ')} on PATH; none found`);
}
/** The reuse key of a container execution: its own, so a host result never stands in for one (or back). */
function containerReuseKey(hostKey) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(`container\n${hostKey}`).digest('hex');
}
/**
 * Names the engine CLI itself reads from its environment: such a variable is passed as `-e NAME=VALUE`
 * (visible in `ps`) instead of through the engine's environment, where it would redirect the engine.
 */
function engineReads(name) {
    return /^(PATH|HOME|TMPDIR|(DOCKER|PODMAN|CONTAINERS|XDG)_.*)$/.test(name);
}
/** A container name Docker and Podman accept (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`), unique per run. */
function containerName(executionId) {
    const id = executionId.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64);
    return `mlops-${id}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.randomBytes)(4).toString('hex')}`;
}
function volume(hostPath, containerPath, mode) {
    // `-v` splits on ':'; such a path cannot be mounted with it (and --mount's CSV differs between engines).
    if (hostPath.includes(':'))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`--container cannot mount ${hostPath}: the path contains ':'`);
    return mode ? `${hostPath}:${containerPath}:${mode}` : `${hostPath}:${containerPath}`;
}
/** The engine argv that runs one execution in its image. */
function containerInvocation(runtime, run) {
    if (!run.image)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`step "${run.step}" has no image: --container needs one to run it in`);
    const name = containerName(run.executionId);
    const executionDir = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(run.executionDir);
    const args = [
        'run',
        '--rm',
        '--name',
        name,
        '-v',
        volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(executionDir, 'inputs'), CONTAINER_PATHS.inputs),
        '-v',
        volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(executionDir, 'outputs'), CONTAINER_PATHS.outputs),
        '-v',
        volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(executionDir, 'config'), CONTAINER_PATHS.config),
        '-v',
        volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(run.repositoryDir), CONTAINER_PATHS.repository),
        '-v',
        volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(run.commandPath), CONTAINER_PATHS.command, 'ro'),
        '-w',
        CONTAINER_PATHS.repository,
    ];
    if (run.toolkit) {
        // Steps may call `mlops` (e.g. `mlops profile`), as they can on the host: the same CLI, the image's Node.
        args.push('-v', volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(run.toolkit.cliDir), _toolkit_cli_js__WEBPACK_IMPORTED_MODULE_4__/* .CONTAINER_TOOLKIT_DIR */ .z7, 'ro'), '-v', volume((0,node_path__WEBPACK_IMPORTED_MODULE_3__.resolve)(run.toolkit.shimPath), '/usr/local/bin/mlops', 'ro'));
    }
    // Outputs written in the container belong to the user, not to root.
    const uid = process.getuid?.();
    const gid = process.getgid?.();
    if (runtime.engine === 'docker' && uid !== undefined && gid !== undefined)
        args.push('--user', `${uid}:${gid}`);
    // As PID 1 the shell would ignore `docker stop`'s SIGTERM and every stop would wait out the grace
    // period; Docker's own init (docker-init, shipped with the engine) passes it on. Podman's needs
    // catatonit, which not every installation has, so Podman runs without.
    if (runtime.engine === 'docker')
        args.push('--init');
    // Rootless Podman maps root to the user already; keep-id makes the user the user inside too.
    if (runtime.engine === 'podman' && uid !== undefined && uid !== 0)
        args.push('--userns=keep-id');
    const passed = {};
    for (const [variable, value] of Object.entries(run.env)) {
        if (variable.startsWith('VH_') && value !== undefined)
            passed[variable] = value;
    }
    for (const variable of run.variables) {
        const value = run.env[variable];
        if (value !== undefined)
            passed[variable] = value;
    }
    Object.assign(passed, FOLDER_VARIABLES);
    if (run.toolkit)
        passed[_toolkit_cli_js__WEBPACK_IMPORTED_MODULE_4__/* .CONTAINER_TOOLKIT_VARIABLE */ .GB] = `${_toolkit_cli_js__WEBPACK_IMPORTED_MODULE_4__/* .CONTAINER_TOOLKIT_DIR */ .z7}/index.js`;
    const env = { ...process.env };
    for (const [variable, value] of Object.entries(passed)) {
        if (engineReads(variable)) {
            args.push('-e', `${variable}=${value}`);
        }
        else {
            env[variable] = value;
            args.push('-e', variable);
        }
    }
    args.push(run.image);
    if (run.hasShebang)
        args.push(CONTAINER_PATHS.command);
    else
        args.push('/bin/sh', CONTAINER_PATHS.command);
    return { executable: runtime.executable, args, env, name };
}
/** Runs `<engine> ARGS…`; resolves when it ends, never rejects, logs how it failed. */
function engineCommand(runtime, args, log) {
    return new Promise((resolveCommand) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(runtime.executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr?.on('data', (chunk) => (stderr += chunk.toString()));
        child.on('error', (error) => {
            log(`could not run ${runtime.engine} ${args[0] ?? ''}: ${error.message}`);
            resolveCommand();
        });
        child.on('close', (code) => {
            if (code !== 0)
                log(`${runtime.engine} ${args.join(' ')} ended with code ${code ?? 'unknown'}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
            resolveCommand();
        });
    });
}
/**
 * Asks the engine to stop the container: TERM, then KILL after `graceMs` (rounded up to seconds).
 * Resolves when the engine has answered; never rejects (a container already gone is fine).
 */
function stopContainer(runtime, name, graceMs, log) {
    const seconds = Math.max(0, Math.ceil(graceMs / 1000));
    return engineCommand(runtime, ['stop', '-t', String(seconds), name], log);
}
/**
 * Removes the container whatever its state. For a stopped execution once its client has ended: a stop
 * that came while the image was still being pulled found no container, and one created after that is
 * never started, so `--rm` would never remove it.
 */
function removeContainer(runtime, name, log) {
    return engineCommand(runtime, ['rm', '-f', name], log);
}
/**
 * Makes sure the image is present before the execution's clock starts: `<engine> image inspect`, and
 * `<engine> pull` when it is missing, so a pull never counts toward time-limit or no-output-timeout.
 * Returns why the image cannot be had (the pull's last error line), or undefined when it is ready.
 * `signal` aborts a pull in progress.
 */
async function ensureImage(runtime, image, log, signal) {
    const run = (args, echo) => new Promise((resolveRun) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(runtime.executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let lastError = '';
        const onAbort = () => {
            child.kill('SIGTERM');
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const watch = (stream, isError) => {
            let pending = '';
            stream?.on('data', (chunk) => {
                pending += chunk.toString();
                const lines = pending.split(/\r?\n|\r/);
                pending = lines.pop() ?? '';
                for (const line of lines) {
                    if (line.trim() === '')
                        continue;
                    if (isError)
                        lastError = line.trim();
                    if (echo)
                        log(line);
                }
            });
        };
        watch(child.stdout, false);
        watch(child.stderr, true);
        child.on('error', (error) => {
            signal?.removeEventListener('abort', onAbort);
            resolveRun({ code: null, lastError: error.message });
        });
        child.on('close', (code) => {
            signal?.removeEventListener('abort', onAbort);
            resolveRun({ code, lastError });
        });
    });
    if ((await run(['image', 'inspect', '--format', '{{.Id}}', image], false)).code === 0)
        return undefined;
    log(`pulling ${image} with ${runtime.engine}`);
    const pulled = await run(['pull', image], true);
    if (signal?.aborted)
        return 'cancelled while pulling the image';
    if (pulled.code === 0)
        return undefined;
    return `${runtime.engine} could not pull ${image}${pulled.lastError === '' ? '' : `: ${pulled.lastError}`}`;
}


/***/ }),

/***/ 7354:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fr: () => (/* binding */ resolveInputValues),
/* harmony export */   XM: () => (/* binding */ resolveEdges),
/* harmony export */   a$: () => (/* binding */ toInputFile),
/* harmony export */   yS: () => (/* binding */ mergeInputFiles),
/* harmony export */   z1: () => (/* binding */ upstreamNodes)
/* harmony export */ });
/* unused harmony export globMatcher */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var picomatch__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4006);
/* harmony import */ var _store_content_store_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3043);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4478);
/**
 * Resolving a node's incoming edges into what its executions receive (FORMAT §3.3, §3.5).
 *
 * - `X.output.<glob>` → `Y.input.<name>`: X's output files whose path relative to `outputs/` matches the
 *   glob (fnmatch-style via picomatch: `*` stays within one folder, `**` crosses folders).
 * - `X.input.<name-or-glob>` → `Y.input.<name>`: the files X's matching inputs received.
 * - Several edges (or a task node's several executions) may fill one input; files accumulate.
 *   **Name collisions:** when two different files would land on the same path of one input, every file
 *   of that input is placed under a folder named after its source: `<node>/` for a node with one
 *   execution, `<node>-<n>/` (n counting from 0) for a task node's children. The same file arriving
 *   twice is kept once.
 * - `edge-merge-mode`: `replace` (default) drops the input's defaults when an edge fills it, `append`
 *   keeps them and adds the edge files.
 * - `X.parameter.<p>` / `X.metadata.<key>` → `Y.parameter.<q>`: the value (metadata: the last value).
 *   From a node with several executions the values form a list, which spreads into variants on a task
 *   node.
 * - `X.output.<glob>` → `D.file.<endpoint>.<file>`: a deployment node's endpoint file (exactly one match).
 * - `X.environment-variable.<V>` → `Y.environment-variable.<W>`, `D.deployment.id|version_id` →
 *   `Y.parameter.<q>`, and `dependency` edges (ordering only).
 */





/** The nodes each node waits for: the sources of all its incoming edges. */
function upstreamNodes(pipeline) {
    const upstream = new Map(pipeline.nodes.map((n) => [n.name, new Set()]));
    for (const edge of pipeline.edges) {
        if (edge.source.node === edge.target.node)
            continue;
        upstream.get(edge.target.node)?.add(edge.source.node);
    }
    return upstream;
}
function globMatcher(glob) {
    return picomatch__WEBPACK_IMPORTED_MODULE_3__(glob, { dot: true });
}
function succeeded(outcome) {
    return (outcome?.executions ?? []).filter((e) => e.status === 'succeeded');
}
/** Where a file of a source lands in the target input, per `keep-directories`. */
function placeFile(path, glob, input) {
    const mode = input?.keepDirectories ?? 'none';
    if (mode === 'full')
        return path;
    if (mode === 'suffix') {
        const base = picomatch__WEBPACK_IMPORTED_MODULE_3__.scan(glob).base;
        return base && path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
    }
    return node_path__WEBPACK_IMPORTED_MODULE_1__.posix.basename(path);
}
function valueFrom(values) {
    if (values.length === 0)
        return undefined;
    if (values.length === 1)
        return values[0];
    return values;
}
/**
 * Resolves every edge into `nodeName`. `targetInputs` are the target step's inputs (after override), used
 * for `keep-directories`. Missing upstream values become warnings and leave the default in place.
 */
function resolveEdges(pipeline, nodeName, outcomes, targetInputs) {
    const result = { parameters: {}, inputs: {}, environment: {}, deploymentFiles: [], warnings: [] };
    const candidates = new Map();
    const inputsByName = new Map(targetInputs.map((i) => [i.name, i]));
    const parameterSources = new Map();
    for (const edge of pipeline.edges) {
        if (edge.target.node !== nodeName)
            continue;
        const { source, target } = edge;
        const outcome = outcomes.get(source.node);
        const executions = succeeded(outcome);
        const label = (index) => (executions.length > 1 ? `${source.node}-${index}` : source.node);
        const describe = `edge ${source.node}.${source.type}.${source.key} → ${target.node}.${target.type}.${target.key}`;
        switch (target.type) {
            case 'input': {
                const list = candidates.get(target.key) ?? [];
                candidates.set(target.key, list);
                const input = inputsByName.get(target.key);
                if (source.type === 'output') {
                    const matches = globMatcher(source.key);
                    executions.forEach((execution, index) => {
                        for (const output of execution.outputs) {
                            if (!matches(output.path))
                                continue;
                            list.push(storeCandidate(output, placeFile(output.path, source.key, input), label(index)));
                        }
                    });
                }
                else if (source.type === 'input') {
                    const matches = globMatcher(source.key);
                    executions.forEach((execution, index) => {
                        for (const [name, files] of Object.entries(execution.inputs ?? {})) {
                            if (!matches(name))
                                continue;
                            for (const file of files) {
                                const placed = {
                                    relativePath: placeFile(file.relativePath, '', input),
                                    source: file.source,
                                    sourceLabel: label(index),
                                };
                                if (file.sha256 !== undefined)
                                    placed.sha256 = file.sha256;
                                if (file.size !== undefined)
                                    placed.size = file.size;
                                list.push(placed);
                            }
                        }
                    });
                }
                break;
            }
            case 'parameter': {
                let value;
                if (source.type === 'parameter') {
                    value = valueFrom(executions.map((e) => e.parameters[source.key]).filter((v) => v !== undefined));
                }
                else if (source.type === 'metadata') {
                    value = valueFrom(executions.map((e) => e.latestMetadata[source.key]).filter((v) => v !== undefined));
                }
                else if (source.type === 'deployment') {
                    const deployment = outcome?.deployment;
                    value = deployment ? (source.key === 'version_id' ? deployment.versionId : deployment.id) : undefined;
                }
                if (value === undefined) {
                    result.warnings.push(`${describe}: ${source.node} produced no value; ${target.key} keeps its default`);
                    break;
                }
                const previous = parameterSources.get(target.key);
                if (previous !== undefined) {
                    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`${describe}: parameter ${target.key} of ${nodeName} is already filled by ${previous}; only one edge may fill a parameter`);
                }
                parameterSources.set(target.key, `${source.node}.${source.type}.${source.key}`);
                result.parameters[target.key] = value;
                break;
            }
            case 'environment-variable': {
                const values = executions
                    .map((e) => e.environment?.[source.type === 'environment-variable' ? source.key : ''])
                    .filter((v) => v !== undefined);
                const first = values[0];
                if (first === undefined)
                    result.warnings.push(`${describe}: ${source.node} has no variable ${source.key}`);
                else
                    result.environment[target.key] = first;
                break;
            }
            case 'file': {
                const dot = target.key.indexOf('.');
                if (dot <= 0)
                    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`${describe}: the target key must be \`<endpoint>.<file>\``);
                const matches = globMatcher(source.key);
                const found = [];
                for (const execution of executions) {
                    for (const output of execution.outputs) {
                        if (!matches(output.path))
                            continue;
                        found.push({
                            endpoint: target.key.slice(0, dot),
                            name: target.key.slice(dot + 1),
                            sha256: output.sha256,
                            size: output.size,
                            from: { node: source.node, executionId: execution.executionId, path: output.path },
                        });
                    }
                }
                if (found.length !== 1) {
                    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`${describe}: expected exactly one file for the endpoint, found ${found.length}` +
                        (found.length > 1 ? ` (${found.map((f) => f.from.path).join(', ')})` : ''));
                }
                result.deploymentFiles.push(...found);
                break;
            }
            default:
                // dependency edges and unknown kinds: ordering only
                break;
        }
    }
    for (const [name, list] of candidates)
        result.inputs[name] = settleCollisions(list);
    return result;
}
function storeCandidate(output, relativePath, sourceLabel) {
    return {
        relativePath,
        source: { kind: 'store', sha256: output.sha256 },
        sha256: output.sha256,
        size: output.size,
        sourceLabel,
    };
}
function identity(file) {
    if (file.sha256 !== undefined)
        return file.sha256;
    const s = file.source;
    return s.kind === 'store' ? s.sha256 : s.kind === 'path' ? `path:${s.path}` : `url:${s.url}`;
}
/** Keeps one copy of identical files; on a real collision, files go under `<source-label>/`. */
function settleCollisions(list) {
    const byPath = new Map();
    for (const file of list) {
        const same = byPath.get(file.relativePath) ?? [];
        if (!same.some((f) => identity(f) === identity(file)))
            same.push(file);
        byPath.set(file.relativePath, same);
    }
    const collides = [...byPath.values()].some((files) => files.length > 1);
    const out = [];
    for (const files of byPath.values()) {
        for (const { sourceLabel, ...file } of files) {
            out.push(collides ? { ...file, relativePath: `${sourceLabel}/${file.relativePath}` } : file);
        }
    }
    return out;
}
const SUPPORTED_URL = /^https?:\/\//i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Lists a local file or folder as input files (folders recursively, paths relative to the folder). */
async function localFiles(path, input) {
    const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path).catch(() => undefined);
    if (!info)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`input ${input.name}: ${path} does not exist`);
    if (info.isFile()) {
        const hashed = await (0,_store_content_store_js__WEBPACK_IMPORTED_MODULE_2__/* .hashFile */ .DC)(path);
        return [{ relativePath: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(path), source: { kind: 'path', path }, sha256: hashed.sha256, size: hashed.size }];
    }
    const files = [];
    const walk = async (dir) => {
        for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(dir, { withFileTypes: true })) {
            const full = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, entry.name);
            if (entry.isDirectory())
                await walk(full);
            else if (entry.isFile()) {
                const hashed = await (0,_store_content_store_js__WEBPACK_IMPORTED_MODULE_2__/* .hashFile */ .DC)(full);
                const rel = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.relative)(path, full).split(/[\\/]/).join('/');
                const relativePath = input.keepDirectories === 'none' ? node_path__WEBPACK_IMPORTED_MODULE_1__.posix.basename(rel) : rel;
                files.push({ relativePath, source: { kind: 'path', path: full }, sha256: hashed.sha256, size: hashed.size });
            }
        }
    };
    await walk(path);
    return files.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}
/**
 * Files for input values given as defaults or on the command line: http(s) URLs (the executor downloads
 * and caches them) or local paths relative to the repository. Other schemes are refused, naming the input.
 */
async function resolveInputValues(values, input, repositoryDir, nodeName) {
    const files = [];
    for (const value of values) {
        if (SUPPORTED_URL.test(value)) {
            const name = decodeURIComponent(new URL(value).pathname.split('/').filter(Boolean).at(-1) ?? input.name);
            files.push({ relativePath: name, source: { kind: 'url', url: value } });
        }
        else if (ANY_SCHEME.test(value) && !value.startsWith('file://')) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`node ${nodeName}, input ${input.name}: ${value.split('://')[0]}:// URLs are not supported locally; ` +
                `give a local path or an http(s) URL with \`--input ${nodeName}.${input.name}=PATH\``);
        }
        else {
            const path = value.startsWith('file://') ? new URL(value).pathname : value;
            files.push(...(await localFiles((0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(path) ? path : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(repositoryDir, path), input)));
        }
    }
    return files;
}
/** Edge files merged with defaults per `edge-merge-mode`, then `filename` applied to a single file. */
function mergeInputFiles(input, fromEdges, defaults, mode) {
    let files = fromEdges === undefined ? defaults : mode === 'append' ? [...defaults, ...fromEdges] : fromEdges;
    if (input.filename !== undefined && files.length === 1 && files[0] !== undefined) {
        files = [{ ...files[0], relativePath: input.filename }];
    }
    return files;
}
/** The executor's view of an input file. Relative paths are checked: no absolute paths, no `..`. */
function toInputFile(file) {
    const parts = file.relativePath.split('/');
    if ((0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(file.relativePath) || parts.some((p) => p === '..' || p === '')) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`input file path ${JSON.stringify(file.relativePath)} escapes its input folder`);
    }
    const inputFile = { relativePath: file.relativePath, source: file.source };
    if (file.sha256 !== undefined)
        inputFile.sha256 = file.sha256;
    if (file.size !== undefined)
        inputFile.size = file.size;
    return inputFile;
}


/***/ }),

/***/ 8801:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  VQ: () => (/* binding */ killRunningExecutionsNow),
  _M: () => (/* binding */ runExecution)
});

// UNUSED EXPORTS: collectOutputs

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/pipeline/command.js
var command = __webpack_require__(8334);
// EXTERNAL MODULE: ./build/store/content-store.js
var content_store = __webpack_require__(3043);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/pipeline/expression.js
var expression = __webpack_require__(4129);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
;// CONCATENATED MODULE: ./build/exec/inputs.js
/**
 * Input files of one execution: placed under `<executionDir>/inputs/<input>/<relativePath>` from the
 * content store, from local paths (added to the store first) or from http(s) URLs (downloaded once into
 * a cache keyed by URL). Writes `config/inputs.json` in Valohai's shape (FORMAT.md §8).
 */











/**
 * An input that could not be prepared for a reason other than the pipeline's configuration (a checksum
 * mismatch, a failed download): the execution fails with this message instead of starting.
 */
class InputError extends Error {
    name = 'InputError';
}
/**
 * Checks a relative, `/`-separated path: not empty, not absolute, no `..`, no NUL, no backslash.
 * Returns its segments.
 */
function checkRelativePath(relativePath, what) {
    if (relativePath === '' || relativePath.includes('\0'))
        throw new errors/* ConfigurationError */.j(`${what}: the path is empty or contains NUL.`);
    if (relativePath.startsWith('/') || (0,external_node_path_.isAbsolute)(relativePath) || /^[A-Za-z]:/.test(relativePath)) {
        throw new errors/* ConfigurationError */.j(`${what}: "${relativePath}" is absolute; give a path relative to its folder.`);
    }
    if (relativePath.includes('\\'))
        throw new errors/* ConfigurationError */.j(`${what}: "${relativePath}" contains a backslash; use "/".`);
    const segments = relativePath.split('/').filter((segment) => segment !== '' && segment !== '.');
    if (segments.includes('..'))
        throw new errors/* ConfigurationError */.j(`${what}: "${relativePath}" leaves its folder ("..").`);
    return segments;
}
function isInside(root, candidate) {
    const rel = (0,external_node_path_.relative)(root, candidate);
    return rel === '' || (!rel.startsWith('..') && !(0,external_node_path_.isAbsolute)(rel) && rel.split(external_node_path_.sep)[0] !== '..');
}
/**
 * `root/relativePath`, with its parent folders created, after checking the path cannot leave `root`
 * textually or through a symlinked folder on the way.
 */
async function preparePathInside(root, relativePath, what) {
    const segments = checkRelativePath(relativePath, what);
    const target = (0,external_node_path_.join)(root, ...segments);
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
    const realRoot = await (0,promises_.realpath)(root);
    const realParent = await (0,promises_.realpath)((0,external_node_path_.dirname)(target));
    if (!isInside(realRoot, realParent)) {
        throw new errors/* ConfigurationError */.j(`${what}: "${relativePath}" leads outside ${root} through a symbolic link.`);
    }
    return target;
}
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
function unsupportedScheme(inputName, url, scheme) {
    return new errors/* ConfigurationError */.j(`Input "${inputName}": "${url}" uses the ${scheme}:// scheme, which cannot be fetched outside Valohai. ` +
        `Download the file yourself and pass it with --input ${inputName}=path/to/file.`);
}
/** Replaces `{parameter:NAME}` in an input URL with the parameter's raw value, as the platform does. */
function interpolateInputUrl(url, parameters) {
    return url.replace(/\{parameter:([^}]+)\}/g, (whole, name) => Object.hasOwn(parameters, name) ? (0,command/* pythonStr */.qV)(parameters[name] ?? null) : whole);
}
/** The file name a URL downloads as: the last segment of its path, decoded. */
function fileNameOfUrl(url) {
    const pathname = new URL(url).pathname;
    let name = pathname.slice(pathname.lastIndexOf('/') + 1);
    try {
        name = decodeURIComponent(name);
    }
    catch {
        // A malformed escape keeps its raw text.
    }
    return name === '' || name === '.' || name === '..' || name.includes('/') ? 'download' : name;
}
/**
 * Turns one input's `default` URLs into files: http(s) URLs, and local files or folders (no scheme or
 * `file://`, relative to `repositoryDir`). Other schemes are a `ConfigurationError` telling the user to
 * pass the file with `--input`. A local folder gives one entry with relativePath `.`: its files keep
 * their sub-folders under the input folder.
 */
async function inputFilesFromDefaults(input, repositoryDir, parameters = {}) {
    const files = [];
    for (const raw of input.default) {
        const url = interpolateInputUrl(raw, parameters);
        const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
        if (scheme === 'http' || scheme === 'https') {
            files.push({ relativePath: fileNameOfUrl(url), source: { kind: 'url', url } });
            continue;
        }
        if (scheme !== undefined && scheme !== 'file')
            throw unsupportedScheme(input.name, url, scheme);
        const localPath = scheme === 'file' ? (0,external_node_url_.fileURLToPath)(url) : (0,external_node_path_.resolve)(repositoryDir, url);
        let isDirectory;
        try {
            isDirectory = (await (0,promises_.stat)(localPath)).isDirectory();
        }
        catch {
            throw new errors/* ConfigurationError */.j(`Input "${input.name}": the default "${raw}" does not exist (looked for ${localPath}).`);
        }
        files.push({ relativePath: isDirectory ? '.' : (0,external_node_path_.basename)(localPath), source: { kind: 'path', path: localPath } });
    }
    // `filename` renames a single file; with several files it has no effect (FORMAT.md §2.3).
    const only = files[0];
    if (input.filename && files.length === 1 && only && only.relativePath !== '.')
        only.relativePath = input.filename;
    return files;
}
/** The files of a local folder, relative and `/`-separated; symlinks are skipped so nothing outside is read. */
async function listFolder(folder, prefix = '') {
    const out = [];
    const entries = await (0,promises_.readdir)((0,external_node_path_.join)(folder, prefix), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
        const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
        if (entry.isDirectory())
            out.push(...(await listFolder(folder, rel)));
        else if (entry.isFile())
            out.push(rel);
    }
    return out;
}
/**
 * The cached copy of a URL, downloading it once. The cache entry is `<cache>/<sha256 of url>/` with
 * `content` and `meta.json`; both are renamed into place, so a half-finished download is never reused.
 */
async function downloadToCache(url, cacheDir) {
    const key = (0,external_node_crypto_.createHash)('sha256').update(url).digest('hex');
    const entryDir = (0,external_node_path_.join)(cacheDir, key);
    const contentPath = (0,external_node_path_.join)(entryDir, 'content');
    const metaPath = (0,external_node_path_.join)(entryDir, 'meta.json');
    try {
        const record = JSON.parse(await (0,promises_.readFile)(metaPath, 'utf8'));
        const info = await (0,promises_.stat)(contentPath);
        if (record.url === url && info.size === record.size)
            return { path: contentPath, record, cached: true };
    }
    catch {
        // Not cached yet (or a broken entry): download again.
    }
    await (0,promises_.mkdir)(entryDir, { recursive: true });
    const tmp = (0,external_node_path_.join)(entryDir, `.content.${process.pid}.${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`);
    let response;
    try {
        response = await fetch(url, { redirect: 'follow' });
    }
    catch (error) {
        throw new InputError(`Could not download ${redactUrl(url)}: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
    if (!response.ok || !response.body) {
        throw new InputError(`Could not download ${redactUrl(url)}: HTTP ${response.status} ${response.statusText}`.trim());
    }
    const tap = (0,content_store/* hashingTap */.Wy)();
    try {
        await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.fromWeb(response.body), tap.stream, (0,external_node_fs_.createWriteStream)(tmp));
        await (0,promises_.rename)(tmp, contentPath);
    }
    catch (error) {
        await (0,promises_.rm)(tmp, { force: true });
        throw new InputError(`Could not download ${redactUrl(url)}: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
    const record = { url, ...tap.digest(), downloadedAt: new Date().toISOString() };
    await (0,fs/* writeJsonAtomic */.q)(metaPath, record);
    return { path: contentPath, record, cached: false };
}
/** A URL without its user:password part, for messages. */
function redactUrl(url) {
    try {
        const parsed = new URL(url);
        if (parsed.username || parsed.password) {
            parsed.username = '***';
            parsed.password = '';
        }
        return parsed.toString();
    }
    catch {
        return url;
    }
}
function sourceUri(source) {
    switch (source.kind) {
        case 'store':
            return `store://sha256/${source.sha256}`;
        case 'path':
            return `file://${source.path}`;
        case 'url':
            return redactUrl(source.url);
    }
}
/** Gets one source into the store; returns its digest and a description for inputs.json. */
async function storeSource(inputName, source, request) {
    const { store } = request;
    if (source.kind === 'store') {
        if (!(await store.has(source.sha256)))
            throw new InputError(`Input "${inputName}": the store has no file ${source.sha256}.`);
        const size = (await (0,promises_.stat)(store.pathOf(source.sha256))).size;
        return { sha256: source.sha256, size };
    }
    if (source.kind === 'path') {
        const localPath = (0,external_node_path_.resolve)(request.repositoryDir, source.path);
        let info;
        try {
            info = await (0,promises_.stat)(localPath);
        }
        catch {
            throw new errors/* ConfigurationError */.j(`Input "${inputName}": ${localPath} does not exist.`);
        }
        if (info.isDirectory())
            return { sha256: '', size: 0, localFolder: localPath };
        // Copied, not linked: the user may edit this file in place later, which must not touch the store.
        return store.add(localPath);
    }
    const scheme = SCHEME.exec(source.url)?.[1]?.toLowerCase() ?? '';
    if (scheme !== 'http' && scheme !== 'https')
        throw unsupportedScheme(inputName, source.url, scheme || '(none)');
    const download = await downloadToCache(source.url, request.downloadCacheDir);
    request.log?.(`${download.cached ? 'Reused cached' : 'Downloaded'} ${redactUrl(source.url)} (${download.record.size} bytes)`);
    // The cache file is ours and never rewritten, so it can share its inode with the store.
    const stored = await store.add(download.path, { link: true });
    if (stored.sha256 !== download.record.sha256) {
        throw new InputError(`Input "${inputName}": the cached download of ${redactUrl(source.url)} changed on disk; delete ${(0,external_node_path_.dirname)(download.path)}.`);
    }
    return stored;
}
function checkExpectedDigest(inputName, relativePath, expected, actual) {
    if (expected !== undefined && expected.toLowerCase() !== actual) {
        throw new InputError(`Input "${inputName}" file "${relativePath}": sha256 is ${actual}, expected ${expected.toLowerCase()}.`);
    }
}
/**
 * Places every input file and writes `config/inputs.json`. Throws `ConfigurationError` for a user
 * mistake (bad path, unsupported scheme, missing local file) and `InputError` for anything else.
 */
async function materialiseInputs(request) {
    const inputsRoot = (0,external_node_path_.join)(request.executionDir, 'inputs');
    await (0,promises_.mkdir)(inputsRoot, { recursive: true });
    const inputsJson = {};
    for (const [inputName, files] of Object.entries(request.inputs)) {
        const nameSegments = checkRelativePath(inputName, `Input name "${inputName}"`);
        if (nameSegments.length !== 1 || nameSegments[0] !== inputName) {
            throw new errors/* ConfigurationError */.j(`Input name "${inputName}" must be a single folder name.`);
        }
        const inputDir = (0,external_node_path_.join)(inputsRoot, inputName);
        await (0,promises_.mkdir)(inputDir, { recursive: true });
        const entries = [];
        const place = async (relativePath, stored, uri) => {
            const dest = await preparePathInside(inputDir, relativePath, `Input "${inputName}" file`);
            await request.store.materialise(stored.sha256, dest);
            entries.push({ name: (0,external_node_path_.basename)(dest), path: dest, size: stored.size, uri, checksums: { sha256: stored.sha256 }, metadata: [] });
        };
        for (const file of files) {
            const what = `Input "${inputName}" file`;
            const stored = await storeSource(inputName, file.source, request);
            if (stored.localFolder !== undefined) {
                // A folder lands under relativePath, or straight in the input folder for `.`.
                const prefix = file.relativePath === '.' || file.relativePath === '' ? '' : checkRelativePath(file.relativePath, what).join('/');
                for (const rel of await listFolder(stored.localFolder)) {
                    const inFolder = await storeSource(inputName, { kind: 'path', path: (0,external_node_path_.join)(stored.localFolder, rel) }, request);
                    const target = prefix === '' ? rel : `${prefix}/${rel}`;
                    await place(target, inFolder, `file://${(0,external_node_path_.join)(stored.localFolder, rel)}`);
                }
                continue;
            }
            checkRelativePath(file.relativePath, what);
            checkExpectedDigest(inputName, file.relativePath, file.sha256, stored.sha256);
            await place(file.relativePath, stored, sourceUri(file.source));
        }
        inputsJson[inputName] = { files: entries };
    }
    // A plain write: the execution's own folder, read by its command only after this returns.
    const configDir = (0,external_node_path_.join)(request.executionDir, 'config');
    await (0,promises_.mkdir)(configDir, { recursive: true });
    await (0,promises_.writeFile)((0,external_node_path_.join)(configDir, 'inputs.json'), `${JSON.stringify(inputsJson, null, 2)}\n`);
    return inputsJson;
}
/** Whether `path` is a symlink (lstat), false when it does not exist. */
async function isSymlink(path) {
    try {
        return (await lstat(path)).isSymbolicLink();
    }
    catch {
        return false;
    }
}

// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
;// CONCATENATED MODULE: ./build/exec/metadata.js
/**
 * Metadata (metrics) from an execution's output, as Valohai reads it (FORMAT.md §8): every stdout line
 * that is a JSON object is an event; the last value of each key is what conditions and edges use.
 */

/** Splits a byte stream into lines, keeping multi-byte characters intact across chunks. */
class LineSplitter {
    decoder = new external_node_string_decoder_.StringDecoder('utf8');
    pending = '';
    /** The complete lines in this chunk (without `\n` or a trailing `\r`). */
    push(chunk) {
        this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
        const parts = this.pending.split('\n');
        this.pending = parts.pop() ?? '';
        return parts.map(stripCarriageReturn);
    }
    /** The unfinished last line, if any, at the end of the stream. */
    flush() {
        const rest = this.pending + this.decoder.end();
        this.pending = '';
        return rest === '' ? [] : [stripCarriageReturn(rest)];
    }
}
function stripCarriageReturn(line) {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
/** The JSON object a line holds, or undefined when the line is anything else. */
function parseMetadataLine(line) {
    const text = line.trim();
    if (!text.startsWith('{') || !text.endsWith('}'))
        return undefined;
    try {
        const value = JSON.parse(text);
        if (value !== null && typeof value === 'object' && !Array.isArray(value))
            return value;
    }
    catch {
        // Text that merely looks like an object is ordinary output.
    }
    return undefined;
}
/** Collects metadata events: the whole series, and the latest value of every key. */
class MetadataCollector {
    events = [];
    latest = {};
    /** Records the line when it is metadata and returns the event; undefined otherwise. */
    handleLine(line, now = new Date()) {
        const object = parseMetadataLine(line);
        if (!object)
            return undefined;
        const { _time: printedTime, ...values } = object;
        const time = typeof printedTime === 'string' && printedTime !== '' ? printedTime : now.toISOString();
        const event = { time, values };
        this.events.push(event);
        for (const [key, value] of Object.entries(values))
            this.latest[key] = value;
        return event;
    }
    /** Every value a key took, in order: the series a chart plots. */
    series(key) {
        return this.events.filter((event) => Object.hasOwn(event.values, key)).map((event) => ({ time: event.time, value: event.values[key] }));
    }
}

// EXTERNAL MODULE: ./build/exec/valohai-paths.js
var valohai_paths = __webpack_require__(1247);
// EXTERNAL MODULE: ./build/exec/toolkit-cli.js
var toolkit_cli = __webpack_require__(517);
// EXTERNAL MODULE: ./build/exec/container.js
var exec_container = __webpack_require__(2067);
;// CONCATENATED MODULE: ./build/exec/execution.js
/**
 * Runs ONE execution the way Valohai does (FORMAT.md §2.1, §8): folders `inputs/ outputs/ config/`,
 * the rendered command as one shell script in the repository, VH_* variables, metadata from stdout,
 * time-limit / no-output-timeout / stop-condition / cancellation, and every output file into the store.
 *
 * Errors: a user configuration mistake found before the command starts (unsupported input scheme,
 * input path leaving its folder, missing local input, required input or environment variable without a
 * value, bad stop-condition syntax, a pass-as template Python could not format, missing repository) is
 * THROWN as `ConfigurationError`. Everything else returns an `ExecutionResult`: a failing program, a
 * checksum mismatch or failed download (`failed`, with the reason, before the command starts), limits,
 * stop-condition and cancellation. Outputs are collected whenever the command ran, even when it failed.
 */













const DEFAULT_KILL_GRACE_MS = 10_000;
/** What `docker run` and `podman run` exit with when they fail themselves (no image, bad mount…). */
const CONTAINER_ENGINE_FAILED = 125;
/** setTimeout's ceiling (about 24.8 days); longer limits are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** VH_* variables this executor sets; inherited values are dropped so a stale one never leaks in. */
const VH_VARIABLES = [
    'VH_CONFIG_DIR',
    'VH_INPUTS_DIR',
    'VH_OUTPUTS_DIR',
    'VH_REPOSITORY_DIR',
    'VH_JOB_ID',
    'VH_EXECUTION_ID',
    'VH_PROJECT_ID',
    'VH_TASK_ID',
    'VH_PIPELINE_ID',
    'VH_PIPELINE_NODE_ID',
];
/** Serialises executions that link the machine-wide Valohai root. */
let valohaiRootQueue = Promise.resolve();
/** JSON as the config files hold it (the same text writeJsonAtomic writes). */
function jsonText(value) {
    return `${JSON.stringify(value, null, 2)}\n`;
}
function seconds(value) {
    return Number.isInteger(value) ? `${value}s` : `${value.toFixed(1)}s`;
}
/** Input files per name: the request's, then the step's defaults for inputs the request left out. */
async function resolveInputs(req) {
    const resolved = { ...req.inputs };
    for (const input of req.step.inputs) {
        if (Object.hasOwn(resolved, input.name))
            continue;
        if (input.default.length > 0) {
            resolved[input.name] = await inputFilesFromDefaults(input, req.repositoryDir, req.parameters);
        }
        else if (!input.optional) {
            throw new errors/* ConfigurationError */.j(`Input "${input.name}" of step "${req.step.name}" is required and has no default; pass it with --input ${input.name}=path/to/file.`);
        }
    }
    return resolved;
}
function buildEnvironment(req, dirs, shimDir) {
    const env = { ...process.env };
    const path = (0,toolkit_cli/* pathWithShim */.T)(env['PATH'], shimDir);
    if (path !== undefined)
        env['PATH'] = path;
    for (const name of VH_VARIABLES)
        delete env[name];
    for (const variable of req.step.environmentVariables) {
        if (variable.default !== undefined)
            env[variable.name] = variable.default;
    }
    Object.assign(env, req.environment);
    for (const variable of req.step.environmentVariables) {
        if (!variable.optional && env[variable.name] === undefined) {
            throw new errors/* ConfigurationError */.j(`Environment variable ${variable.name} of step "${req.step.name}" is required and has no value; set it in the environment or on the command line.`);
        }
    }
    const context = req.context ?? {};
    const vh = {
        VH_CONFIG_DIR: dirs.config,
        VH_INPUTS_DIR: dirs.inputs,
        VH_OUTPUTS_DIR: dirs.outputs,
        VH_REPOSITORY_DIR: (0,external_node_path_.resolve)(req.repositoryDir),
        VH_JOB_ID: `exec-${req.executionId}`,
        VH_EXECUTION_ID: req.executionId,
        VH_PROJECT_ID: context.projectName,
        VH_PIPELINE_ID: context.pipelineId,
        VH_PIPELINE_NODE_ID: context.nodeName,
    };
    for (const [name, value] of Object.entries(vh))
        if (value !== undefined)
            env[name] = value;
    return env;
}
/** A name Valohai's uploader would choke on or that cannot be shown on one line. */
function isWeirdName(name) {
    for (const ch of name) {
        const code = ch.charCodeAt(0);
        if (code < 0x20 || code === 0x7f || ch === '\\')
            return true;
    }
    return false;
}
function execution_isInside(root, candidate) {
    const rel = (0,external_node_path_.relative)(root, candidate);
    return rel !== '' && !rel.startsWith(`..${external_node_path_.sep}`) && rel !== '..' && !rel.startsWith('/');
}
/**
 * Adds every file under `outputsDir` (recursively) to the store. Symlinks are followed only to files
 * inside `outputsDir`; links leading outside and weird names are skipped with a warning.
 */
async function collectOutputs(outputsDir, store, warn) {
    const outputs = [];
    // Resolved only when a symbolic link needs checking: most executions have none.
    let realRoot;
    const walk = async (prefix) => {
        let entries;
        try {
            entries = await (0,promises_.readdir)((0,external_node_path_.join)(outputsDir, prefix), { withFileTypes: true });
        }
        catch (error) {
            // No outputs folder (the command removed it) means no outputs.
            if (prefix === '' && error.code === 'ENOENT')
                return;
            throw error;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
            if (isWeirdName(entry.name)) {
                warn(`Skipped output ${JSON.stringify(rel)}: control characters or backslashes in its name.`);
                continue;
            }
            const full = (0,external_node_path_.join)(outputsDir, rel);
            if (entry.isDirectory()) {
                await walk(rel);
            }
            else if (entry.isFile()) {
                // The finished execution's outputs are ours: they can share their inode with the store.
                const stored = await store.add(full, { link: true });
                outputs.push({ path: rel, size: stored.size, sha256: stored.sha256 });
            }
            else if (entry.isSymbolicLink()) {
                let target;
                try {
                    target = await (0,promises_.realpath)(full);
                }
                catch {
                    warn(`Skipped output ${rel}: a broken symbolic link.`);
                    continue;
                }
                realRoot ??= await (0,promises_.realpath)(outputsDir);
                if (!execution_isInside(realRoot, target) || !(await (0,promises_.stat)(target)).isFile()) {
                    warn(`Skipped output ${rel}: a symbolic link to something outside outputs/ or not a file.`);
                    continue;
                }
                const stored = await store.add(target, { link: true });
                outputs.push({ path: rel, size: stored.size, sha256: stored.sha256 });
            }
        }
    };
    await walk('');
    return outputs;
}
async function runExecution(req, options = {}) {
    if (!options.valohaiRoot)
        return runExecutionUnlocked(req, options);
    const previous = valohaiRootQueue;
    let release = () => undefined;
    valohaiRootQueue = new Promise((resolveQueue) => (release = resolveQueue));
    await previous.catch(() => undefined);
    try {
        return await runExecutionUnlocked(req, options);
    }
    finally {
        release();
    }
}
async function runExecutionUnlocked(req, options) {
    let startedAt = new Date().toISOString();
    const executionDir = (0,external_node_path_.resolve)(req.executionDir);
    const dirs = { inputs: (0,external_node_path_.join)(executionDir, 'inputs'), outputs: (0,external_node_path_.join)(executionDir, 'outputs'), config: (0,external_node_path_.join)(executionDir, 'config') };
    const logPath = (0,external_node_path_.join)(executionDir, 'log.txt');
    const store = new content_store/* ContentStore */.Vh(req.storeDir);
    const step = req.step;
    // Configuration checks first: nothing is written or downloaded for a file that cannot run.
    if (step.stopCondition !== undefined) {
        const problem = (0,expression/* checkExpression */.l4)(step.stopCondition);
        if (problem)
            throw new errors/* ConfigurationError */.j(`Step "${step.name}": stop-condition "${step.stopCondition}" is invalid: ${problem}.`);
    }
    try {
        if (!(await (0,promises_.stat)(req.repositoryDir)).isDirectory())
            throw new Error('not a folder');
    }
    catch {
        throw new errors/* ConfigurationError */.j(`The repository folder ${req.repositoryDir} does not exist.`);
    }
    const script = (0,command/* joinCommand */.u9)((0,command/* renderCommand */.CB)(step, req.parameters));
    const inputs = await resolveInputs(req);
    const env = buildEnvironment(req, dirs, await (0,toolkit_cli/* toolkitShimDir */.vI)());
    await (0,promises_.mkdir)(executionDir, { recursive: true });
    await Promise.all(Object.values(dirs).map((dir) => (0,promises_.mkdir)(dir, { recursive: true })));
    const log = (0,external_node_fs_.createWriteStream)(logPath, { flags: 'a' });
    // A log that cannot be written (disk full) must not crash the runner; the lines still reach onLine.
    let logFailure;
    log.on('error', (error) => {
        logFailure ??= (0,errors/* getErrorMessage */.u)(error);
    });
    const logLine = (stream, line) => {
        log.write(`${new Date().toISOString()} [${stream}] ${line}\n`);
    };
    const warn = (message) => {
        logLine('mlops', `warning: ${message}`);
        options.onWarning?.(message);
    };
    const closeLog = () => new Promise((resolveClose) => log.end(resolveClose));
    const metadata = new MetadataCollector();
    const commandPath = (0,external_node_path_.join)(executionDir, 'command.sh');
    const finish = async (status, exitCode, reason, outputs) => {
        logLine('mlops', `status ${status}${reason ? `: ${reason}` : ''}`);
        await closeLog();
        if (logFailure !== undefined)
            options.onWarning?.(`Could not write ${logPath}: ${logFailure}`);
        const result = {
            executionId: req.executionId,
            status,
            exitCode,
            startedAt,
            finishedAt: new Date().toISOString(),
            command: script,
            outputs,
            metadata: metadata.events,
            latestMetadata: { ...metadata.latest },
            logPath,
        };
        if (reason !== undefined)
            result.reason = reason;
        return result;
    };
    let linked = false;
    try {
        const prepareInputs = () => materialiseInputs({
            executionDir,
            repositoryDir: req.repositoryDir,
            inputs,
            store,
            downloadCacheDir: req.downloadCacheDir,
            log: (message) => logLine('mlops', message),
        }).then(() => undefined, (error) => error);
        // Inputs and the config files are independent: prepared side by side, unless there is a turn to wait
        // for and files to place (placing them is the execution's work, done once the turn comes).
        const placeAfterTurn = options.waitForTurn !== undefined && Object.values(inputs).some((files) => files.length > 0);
        let inputProblem = placeAfterTurn ? undefined : prepareInputs();
        const context = req.context ?? {};
        const parameterValues = (0,command/* commandValues */.Yz)(step, req.parameters);
        // Plain writes, not write-and-rename: the folder is this execution's own, nothing reads these files
        // before the command starts, and a runner killed before then runs the node again in a new folder.
        const configWritten = Promise.all([
            (0,promises_.writeFile)((0,external_node_path_.join)(dirs.config, 'parameters.json'), jsonText(parameterValues)),
            (0,promises_.writeFile)((0,external_node_path_.join)(dirs.config, 'execution.json'), jsonText({
                'valohai.execution-id': req.executionId,
                'valohai.execution-counter': context.counter,
                'valohai.execution-step': step.name,
                'valohai.execution-image': step.image,
                'valohai.commit-identifier': context.commit,
                'valohai.pipeline-id': context.pipelineId,
                'valohai.pipeline-node-id': context.nodeName,
                'valohai.project-name': context.projectName,
            })),
            (0,promises_.writeFile)(commandPath, `${script}\n`),
        ]);
        await configWritten;
        if (options.waitForTurn) {
            if (!(await options.waitForTurn()))
                return await finish('cancelled', null, 'cancelled before start', []);
            // The execution starts with its turn: time spent waiting for a slot is not its duration.
            startedAt = new Date().toISOString();
            inputProblem ??= prepareInputs();
        }
        const problem = await inputProblem;
        if (problem !== undefined) {
            if (problem instanceof InputError)
                return await finish('failed', null, problem.message, []);
            throw problem;
        }
        const hardcoded = (0,valohai_paths/* findHardcodedValohaiPaths */.Kw)(script);
        if (options.valohaiRoot) {
            await (0,valohai_paths/* linkValohaiPaths */.xF)(executionDir, req.repositoryDir, options.valohaiRoot);
            linked = true;
        }
        else if (hardcoded.length > 0 && !options.container) {
            warn((0,valohai_paths/* hardcodedPathsAdvice */.Ll)(hardcoded));
        }
        if (req.signal?.aborted)
            return await finish('cancelled', null, 'cancelled before start', []);
        if (options.container && step.image) {
            // Pulled before the command starts: a pull is not the step's time (time-limit, no-output-timeout).
            const problem = await (0,exec_container/* ensureImage */.Yt)(options.container, step.image, (line) => logLine('mlops', line), req.signal);
            if (req.signal?.aborted)
                return await finish('cancelled', null, 'cancelled before start', []);
            if (problem !== undefined)
                return await finish('failed', null, problem, []);
        }
        const outcome = await runProcess({
            req,
            env,
            script,
            commandPath,
            killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
            container: options.container,
            metadata,
            logLine,
            warn,
        });
        let outputs = [];
        try {
            outputs = await collectOutputs(dirs.outputs, store, warn);
        }
        catch (error) {
            warn(`Could not collect outputs: ${(0,errors/* getErrorMessage */.u)(error)}`);
            if (outcome.status === 'succeeded')
                return await finish('failed', outcome.exitCode, `collecting outputs failed: ${(0,errors/* getErrorMessage */.u)(error)}`, outputs);
        }
        return await finish(outcome.status, outcome.exitCode, outcome.reason, outputs);
    }
    catch (error) {
        if (!log.closed)
            await closeLog();
        throw error;
    }
    finally {
        if (linked && options.valohaiRoot)
            await (0,valohai_paths/* unlinkValohaiPaths */.iS)(options.valohaiRoot);
    }
}
/** Executions whose process (group) or container may still be running, for `killRunningExecutionsNow`. */
const liveExecutions = new Set();
/**
 * For a process about to exit at once (a second Ctrl-C): SIGKILL every execution's process group and
 * kill every container synchronously, so nothing is left running behind it.
 */
function killRunningExecutionsNow() {
    const containers = new Map();
    for (const { pid, container } of liveExecutions) {
        if (pid !== undefined) {
            try {
                process.kill(-pid, 'SIGKILL');
            }
            catch {
                // already gone
            }
        }
        if (container)
            containers.set(container.runtime.executable, [...(containers.get(container.runtime.executable) ?? []), container.name]);
    }
    for (const [executable, names] of containers)
        (0,external_node_child_process_.spawnSync)(executable, ['kill', ...names], { stdio: 'ignore', timeout: 10_000 });
    liveExecutions.clear();
}
/** The bundled CLI and its shim for `mlops` inside containers, when this toolkit has a bundled CLI. */
async function containerToolkit() {
    const cliDir = (0,toolkit_cli/* toolkitCliBundleDir */.M1)();
    return cliDir === undefined ? {} : { toolkit: { cliDir, shimPath: await (0,toolkit_cli/* containerShimPath */.g0)() } };
}
/** Spawns the script in its own process group and watches it until every process of the group is done. */
async function runProcess(run) {
    const { req, metadata, logLine } = run;
    const step = req.step;
    // A script with a shebang runs under its interpreter (bash, python…); anything else under /bin/sh.
    const hasShebang = run.script.startsWith('#!');
    if (hasShebang)
        await (0,promises_.chmod)(run.commandPath, 0o755);
    const container = run.container &&
        (0,exec_container/* containerInvocation */.W3)(run.container, {
            step: step.name,
            image: step.image,
            executionId: req.executionId,
            executionDir: req.executionDir,
            repositoryDir: req.repositoryDir,
            commandPath: run.commandPath,
            hasShebang,
            env: run.env,
            variables: [...step.environmentVariables.map((variable) => variable.name), ...Object.keys(req.environment)],
            ...(await containerToolkit()),
        });
    if (container)
        logLine('mlops', `running in ${step.image ?? ''} with ${container.executable} (container ${container.name})`);
    const [command, args] = container ? [container.executable, container.args] : hasShebang ? [run.commandPath, []] : ['/bin/sh', [run.commandPath]];
    const child = (0,external_node_child_process_.spawn)(command, args, {
        cwd: req.repositoryDir,
        env: container ? container.env : run.env,
        // Its own process group, so stopping it reaches every child it started.
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Stopping the engine's client does not stop the container: the engine must (awaited before outputs).
    let containerStopped;
    const live = { pid: child.pid, container: container && run.container ? { runtime: run.container, name: container.name } : undefined };
    liveExecutions.add(live);
    let stopStatus;
    let stopReason;
    let killTimer;
    const timers = [];
    const signalGroup = (signal) => {
        if (child.pid === undefined)
            return;
        try {
            process.kill(-child.pid, signal);
        }
        catch {
            // ESRCH: the group is already gone.
        }
    };
    const terminateGroup = () => {
        signalGroup('SIGTERM');
        killTimer ??= setTimeout(() => signalGroup('SIGKILL'), run.killGraceMs);
    };
    const stop = (status, reason) => {
        if (stopStatus !== undefined)
            return;
        stopStatus = status;
        stopReason = reason;
        logLine('mlops', `stopping: ${reason}`);
        terminateGroup();
        if (run.container && container)
            containerStopped = (0,exec_container/* stopContainer */.SI)(run.container, container.name, run.killGraceMs, (message) => logLine('mlops', message));
    };
    if (step.timeLimit !== undefined && step.timeLimit > 0) {
        const limit = step.timeLimit;
        timers.push(setTimeout(() => stop('timed-out', `time-limit of ${seconds(limit)} exceeded`), Math.min(limit * 1000, MAX_TIMER_MS)));
    }
    let silenceTimer;
    const armSilenceTimer = () => {
        const limit = step.noOutputTimeout;
        if (limit === undefined || limit <= 0 || stopStatus !== undefined)
            return;
        if (silenceTimer)
            clearTimeout(silenceTimer);
        silenceTimer = setTimeout(() => stop('timed-out', `no output for ${seconds(limit)} (no-output-timeout)`), Math.min(limit * 1000, MAX_TIMER_MS));
    };
    armSilenceTimer();
    const onAbort = () => stop('cancelled', 'cancelled');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    // The engine's own error (exit code 125) is its last stderr line but for the `Run '… --help'` hint
    // Docker adds: the reason a person needs.
    let lastStderrLine = '';
    const handleLine = (line, stream) => {
        logLine(stream, line);
        if (stream === 'stderr' && line.trim() !== '' && !/^Run '.*--help'/.test(line))
            lastStderrLine = line.trim();
        if (stream === 'stdout' && metadata.handleLine(line) && step.stopCondition !== undefined && stopStatus === undefined) {
            if ((0,expression/* evaluateCondition */.F9)(step.stopCondition, { metadata: metadata.latest, parameters: req.parameters })) {
                stop('stopped', `stop-condition "${step.stopCondition}" met`);
            }
        }
        if (req.onLine) {
            try {
                req.onLine(line, stream);
            }
            catch (error) {
                run.warn(`The line callback failed: ${(0,errors/* getErrorMessage */.u)(error)}`);
            }
        }
    };
    const watch = (stream, name) => {
        const splitter = new LineSplitter();
        stream.on('data', (chunk) => {
            armSilenceTimer();
            for (const line of splitter.push(chunk))
                handleLine(line, name);
        });
        stream.on('end', () => {
            for (const line of splitter.flush())
                handleLine(line, name);
        });
    };
    if (child.stdout)
        watch(child.stdout, 'stdout');
    if (child.stderr)
        watch(child.stderr, 'stderr');
    let pipesTimer;
    const outcome = await new Promise((resolveOutcome) => {
        let exit;
        child.on('error', (error) => resolveOutcome({ code: null, signal: null, error }));
        child.on('exit', (code, signal) => {
            exit = { code, signal };
            // Like a container ending with its main process: background children do not outlive the command.
            terminateGroup();
            // A process that left the group (setsid) may hold the pipes open forever; stop waiting for it.
            pipesTimer = setTimeout(() => {
                child.stdout?.destroy();
                child.stderr?.destroy();
                resolveOutcome({ code, signal });
            }, run.killGraceMs + 1000);
            pipesTimer.unref();
        });
        child.on('close', (code, signal) => resolveOutcome(exit ?? { code, signal }));
    });
    for (const timer of timers)
        clearTimeout(timer);
    // Not left pending for the grace period once the pipes have closed.
    if (pipesTimer)
        clearTimeout(pipesTimer);
    if (silenceTimer)
        clearTimeout(silenceTimer);
    if (killTimer)
        clearTimeout(killTimer);
    req.signal?.removeEventListener('abort', onAbort);
    await containerStopped;
    if (containerStopped && run.container && container)
        await (0,exec_container/* removeContainer */.od)(run.container, container.name, () => undefined);
    liveExecutions.delete(live);
    if (outcome.error)
        return { status: 'failed', exitCode: null, reason: `could not start the command: ${outcome.error.message}` };
    if (stopStatus !== undefined) {
        const result = { status: stopStatus, exitCode: outcome.code };
        if (stopReason !== undefined)
            result.reason = stopReason;
        return result;
    }
    if (outcome.code === 0)
        return { status: 'succeeded', exitCode: 0 };
    if (run.container && outcome.code === CONTAINER_ENGINE_FAILED) {
        const detail = lastStderrLine === '' ? '' : `: ${lastStderrLine.slice(0, 300)}`;
        return { status: 'failed', exitCode: outcome.code, reason: `${run.container.engine} could not run the container (exit code 125)${detail}` };
    }
    const reason = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code ?? 'unknown'}`;
    return { status: 'failed', exitCode: outcome.code, reason };
}


/***/ }),

/***/ 5265:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cb: () => (/* binding */ stepForNode),
/* harmony export */   eW: () => (/* binding */ newExecutionId),
/* harmony export */   hb: () => (/* binding */ splitCliParameters),
/* harmony export */   wg: () => (/* binding */ planNode)
/* harmony export */ });
/* unused harmony export parseCliValue */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var _pipeline_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8334);
/* harmony import */ var _pipeline_override_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(987);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4478);
/* harmony import */ var _edges_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7354);
/* harmony import */ var _reuse_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1796);
/* harmony import */ var _variants_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6568);
/**
 * Turning one pipeline node into concrete executions: the step after the node's override, parameter
 * values from defaults → pipeline parameters → edges → command line, input files from edges and
 * defaults, task variants, the rendered command and the reuse key of each execution.
 */







/** The node's step with its `override` merged (FORMAT §3.2, `applyOverride`). */
function stepForNode(config, node) {
    const step = config.steps.get(node.step);
    if (!step)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`node ${node.name}: step '${node.step}' is not defined`);
    return (0,_pipeline_override_js__WEBPACK_IMPORTED_MODULE_5__/* .applyOverride */ .T)(step, node.override);
}
/** A command-line value, typed as the parameter declares. `[a, b]` (JSON) gives a list, i.e. variants. */
function parseCliValue(raw, parameter) {
    if (raw.startsWith('[')) {
        try {
            const parsed = JSON.parse(raw);
            if (Array.isArray(parsed))
                return parsed;
        }
        catch {
            // not JSON: the literal text
        }
    }
    switch (parameter?.type) {
        case 'integer':
        case 'float': {
            const value = Number(raw);
            if (raw.trim() === '' || !Number.isFinite(value)) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`parameter ${parameter.name} expects a number, got ${JSON.stringify(raw)}`);
            }
            if (parameter.type === 'integer' && !Number.isInteger(value)) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`parameter ${parameter.name} expects an integer, got ${JSON.stringify(raw)}`);
            }
            return value;
        }
        case 'flag': {
            const lower = raw.toLowerCase();
            if (['true', '1', 'yes', 'on'].includes(lower))
                return true;
            if (['false', '0', 'no', 'off', ''].includes(lower))
                return false;
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`flag ${parameter.name} expects true or false, got ${JSON.stringify(raw)}`);
        }
        default:
            return raw;
    }
}
/** Splits `--param` values into pipeline parameters and `node.param` overrides. */
function splitCliParameters(pipeline, raw) {
    const pipelineNames = new Set(pipeline.parameters.map((p) => p.name));
    const nodeNames = new Set(pipeline.nodes.map((n) => n.name));
    const result = { pipeline: {}, nodes: new Map() };
    for (const [key, value] of Object.entries(raw)) {
        if (pipelineNames.has(key)) {
            result.pipeline[key] = value;
            continue;
        }
        const dot = key.indexOf('.');
        const node = dot > 0 ? key.slice(0, dot) : undefined;
        if (node !== undefined && nodeNames.has(node)) {
            const params = result.nodes.get(node) ?? {};
            params[key.slice(dot + 1)] = value;
            result.nodes.set(node, params);
            continue;
        }
        const known = [...pipelineNames].join(', ') || 'none';
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`--param ${key}: not a parameter of pipeline ${pipeline.name} (its parameters: ${known}); ` +
            'use NODE.PARAMETER=VALUE to set one node\'s parameter');
    }
    return result;
}
/** The executions of an execution or task node, ready to run (or to be reused). */
async function planNode(node, context) {
    const { config, pipeline } = context;
    const step = stepForNode(config, node);
    const declared = new Map(step.parameters.map((p) => [p.name, p]));
    const edges = context.edges ?? (0,_edges_js__WEBPACK_IMPORTED_MODULE_2__/* .resolveEdges */ .XM)(pipeline, node.name, context.outcomes, step.inputs);
    const parameters = (0,_pipeline_command_js__WEBPACK_IMPORTED_MODULE_1__/* .parameterDefaults */ .ex)(step);
    for (const pipelineParameter of pipeline.parameters) {
        const raw = context.cliPipelineParameters[pipelineParameter.name];
        for (const target of pipelineParameter.targets) {
            if (target.node !== node.name)
                continue;
            if (raw !== undefined)
                parameters[target.key] = parseCliValue(raw, declared.get(target.key));
            else if (pipelineParameter.default !== undefined)
                parameters[target.key] = pipelineParameter.default;
        }
    }
    Object.assign(parameters, edges.parameters);
    for (const [name, raw] of Object.entries(context.cliNodeParameters)) {
        if (!declared.has(name)) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`--param ${node.name}.${name}: step ${step.name} has no parameter ${name} ` +
                `(its parameters: ${[...declared.keys()].join(', ') || 'none'})`);
        }
        parameters[name] = parseCliValue(raw, declared.get(name));
    }
    const inputs = {};
    for (const [name] of Object.entries(context.cliInputs)) {
        if (!step.inputs.some((i) => i.name === name)) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`--input ${node.name}.${name}: step ${step.name} has no input ${name}`);
        }
    }
    for (const input of step.inputs) {
        const cli = context.cliInputs[input.name];
        if (cli !== undefined) {
            inputs[input.name] = (0,_edges_js__WEBPACK_IMPORTED_MODULE_2__/* .mergeInputFiles */ .yS)(input, await (0,_edges_js__WEBPACK_IMPORTED_MODULE_2__/* .resolveInputValues */ .Fr)(cli, input, context.repositoryDir, node.name), [], 'replace');
            continue;
        }
        const fromEdges = edges.inputs[input.name];
        const useDefaults = fromEdges === undefined || node.edgeMergeMode === 'append';
        const defaults = useDefaults ? await (0,_edges_js__WEBPACK_IMPORTED_MODULE_2__/* .resolveInputValues */ .Fr)(input.default, input, context.repositoryDir, node.name) : [];
        const files = (0,_edges_js__WEBPACK_IMPORTED_MODULE_2__/* .mergeInputFiles */ .yS)(input, fromEdges, defaults, node.edgeMergeMode);
        if (files.length === 0 && !input.optional) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`node ${node.name}: input ${input.name} has no files (no default, no edge delivered any); ` +
                `give one with --input ${node.name}.${input.name}=PATH or mark the input optional`);
        }
        inputs[input.name] = files;
    }
    const environment = {};
    for (const variable of step.environmentVariables) {
        if (variable.default !== undefined)
            environment[variable.name] = variable.default;
    }
    Object.assign(environment, edges.environment);
    const task = node.type === 'task' && node.task !== undefined ? config.tasks.get(node.task) : undefined;
    if (node.type === 'task' && node.task !== undefined && !task) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`node ${node.name}: task blueprint '${node.task}' is not defined`);
    }
    const variants = node.type === 'task'
        ? (0,_variants_js__WEBPACK_IMPORTED_MODULE_6__/* .expandVariants */ .Ts)(parameters, step.parameters, task)
        : [{ parameters, varied: undefined }];
    if (variants.length === 0)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`task node ${node.name} defines no variants`);
    const inputChecksums = {};
    for (const [name, files] of Object.entries(inputs)) {
        inputChecksums[name] = files.map((f) => ({
            relativePath: f.relativePath,
            sha256: f.sha256 ?? (f.source.kind === 'url' ? `url:${f.source.url}` : `unknown:${f.relativePath}`),
        }));
    }
    const executions = variants.map((variant) => {
        const command = (0,_pipeline_command_js__WEBPACK_IMPORTED_MODULE_1__/* .joinCommand */ .u9)((0,_pipeline_command_js__WEBPACK_IMPORTED_MODULE_1__/* .renderCommand */ .CB)(step, variant.parameters));
        const planned = {
            parameters: variant.parameters,
            inputs,
            environment,
            command,
            reuseKey: (0,_reuse_js__WEBPACK_IMPORTED_MODULE_3__/* .reuseKey */ .St)({
                stepDefinition: step,
                renderedCommand: command,
                parameters: variant.parameters,
                image: step.image,
                inputChecksums,
                environment: edges.environment,
            }),
        };
        if (variant.varied !== undefined && Object.keys(variant.varied).length > 0)
            planned.variant = variant.varied;
        return planned;
    });
    return { step, executions, warnings: edges.warnings };
}
/** A file-system-safe execution id: `<node-slug>-<index>-<random>`. */
function newExecutionId(nodeName, index) {
    const slug = nodeName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'node';
    return `${slug.slice(0, 40)}-${index}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
}


/***/ }),

/***/ 1796:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dx: () => (/* binding */ lookupReuse),
/* harmony export */   St: () => (/* binding */ reuseKey),
/* harmony export */   wn: () => (/* binding */ recordReuse)
/* harmony export */ });
/* unused harmony exports canonicalJson, REUSE_KEY_VERSION */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _util_fs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6174);
/**
 * Execution reuse: an execution whose step definition, rendered command, parameters, image and input
 * checksums equal those of an earlier successful one is not run again; its outputs and metadata are taken.
 *
 * The key is pure and deterministic (sha256 of canonical JSON with sorted keys, no paths, times or
 * machine names), so a GitHub runner computes the same key for the same work.
 *
 * Policy: locally reuse is ON by default, whatever the pipeline's `reuse-executions` says — that is what
 * makes an unchanged second run instant. `--no-reuse` turns it off. Steps that are not deterministic
 * (unseeded randomness, network reads) should be run with `--no-reuse` or get a changing parameter.
 */




/** JSON with object keys sorted at every level; `undefined` members are dropped like JSON.stringify does. */
function canonicalJson(value) {
    if (value === null || typeof value !== 'object')
        return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value))
        return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
    const entries = Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
/** Removes what changes without changing the work: source positions (moving a step in the file). */
function withoutPositions(value) {
    if (Array.isArray(value))
        return value.map(withoutPositions);
    if (value !== null && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value)) {
            if (k === 'position')
                continue;
            out[k] = withoutPositions(v);
        }
        return out;
    }
    return value;
}
const REUSE_KEY_VERSION = 1;
function reuseKey(input) {
    const inputs = {};
    for (const [name, files] of Object.entries(input.inputChecksums)) {
        inputs[name] = [...files]
            .map((f) => ({ relativePath: f.relativePath, sha256: f.sha256 }))
            .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
    }
    const payload = {
        version: REUSE_KEY_VERSION,
        step: withoutPositions(input.stepDefinition),
        command: input.renderedCommand,
        parameters: input.parameters,
        image: input.image,
        inputs,
    };
    if (input.environment && Object.keys(input.environment).length > 0)
        payload['environment'] = input.environment;
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(canonicalJson(payload)).digest('hex');
}
const KEY = /^[0-9a-f]{64}$/;
async function lookupReuse(reuseDir, key) {
    if (!KEY.test(key))
        return undefined;
    try {
        const entry = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(reuseDir, `${key}.json`), 'utf8'));
        return entry.key === key ? entry : undefined;
    }
    catch {
        return undefined;
    }
}
async function recordReuse(reuseDir, entry) {
    if (!KEY.test(entry.key))
        throw new Error(`invalid reuse key ${entry.key}`);
    await (0,_util_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .writeJsonAtomic */ .q)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(reuseDir, `${entry.key}.json`), entry);
}


/***/ }),

/***/ 8137:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ shellQuote)
/* harmony export */ });
/**
 * POSIX shell quoting, the same as Python's `shlex.quote`, so rendered commands match Valohai's
 * byte for byte and no value can break out of its argument.
 */
// shlex uses `[^\w@%+=:,./-]` with re.ASCII: anything else makes the string need quotes.
const UNSAFE = /[^A-Za-z0-9_@%+=:,./-]/;
function shellQuote(s) {
    if (s === '')
        return "''";
    if (!UNSAFE.test(s))
        return s;
    // Inside single quotes nothing is special except the quote itself, which is closed, escaped, reopened.
    return `'${s.replace(/'/g, `'"'"'`)}'`;
}


/***/ }),

/***/ 517:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GB: () => (/* binding */ CONTAINER_TOOLKIT_VARIABLE),
/* harmony export */   M1: () => (/* binding */ toolkitCliBundleDir),
/* harmony export */   T: () => (/* binding */ pathWithShim),
/* harmony export */   g0: () => (/* binding */ containerShimPath),
/* harmony export */   vI: () => (/* binding */ toolkitShimDir),
/* harmony export */   z7: () => (/* binding */ CONTAINER_TOOLKIT_DIR)
/* harmony export */ });
/* unused harmony export toolkitCliArgv */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8995);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6760);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3136);
/* harmony import */ var _shell_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8137);
/**
 * Makes this toolkit's own CLI callable as `mlops` from inside a step (e.g. `mlops profile` in a
 * training pipeline), with the same Node and the same code as the runner, whether the runner is the
 * source tree (tsx), the bundled CLI, or an action bundle next to `dist/cli/`. Like the helper tools
 * that Valohai's images bring, nothing has to be installed in the user's repository for it.
 */








/** The argv that runs the CLI, or undefined when no CLI entry can be found next to this code. */
function toolkitCliArgv(moduleUrl = import.meta.url) {
    const here = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_6__.fileURLToPath)(moduleUrl));
    // Bundles: dist/<name>/index.js beside dist/cli/index.js (for the CLI bundle itself, its own file).
    const bundled = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(here, '..', 'cli', 'index.js');
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(bundled))
        return [process.execPath, bundled];
    // Source tree: src/exec/ beside src/cli/index.ts, run through tsx's loader (resolved from here, not the cwd).
    const source = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(here, '..', 'cli', 'index.ts');
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(source)) {
        try {
            const tsxPackage = (0,node_module__WEBPACK_IMPORTED_MODULE_3__.createRequire)(moduleUrl).resolve('tsx/package.json');
            const loader = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_5__.dirname)(tsxPackage), 'dist', 'loader.mjs');
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(loader))
                return [process.execPath, '--import', (0,node_url__WEBPACK_IMPORTED_MODULE_6__.pathToFileURL)(loader).href, source];
        }
        catch {
            return undefined;
        }
    }
    return undefined;
}
let shimDir;
/**
 * Writes `script` as an executable `mlops` in a temp folder named after its content (so processes with
 * the same script share it), atomically; returns its path.
 */
async function installShim(prefix, script) {
    const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_4__.tmpdir)(), `${prefix}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(script).digest('hex').slice(0, 16)}`);
    const shim = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(dir, 'mlops');
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(shim)) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dir, { recursive: true });
        const temp = `${shim}.${process.pid}.tmp`;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(temp, script);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.chmod)(temp, 0o755);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rename)(temp, shim);
    }
    return shim;
}
/** A folder holding an executable `mlops` shim for this process's CLI (created once, atomically). */
function toolkitShimDir() {
    shimDir ??= (async () => {
        const argv = toolkitCliArgv();
        if (!argv)
            return undefined;
        const script = `#!/bin/sh\nexec ${argv.map(_shell_js__WEBPACK_IMPORTED_MODULE_7__/* .shellQuote */ .Z).join(' ')} "$@"\n`;
        return (0,node_path__WEBPACK_IMPORTED_MODULE_5__.dirname)(await installShim('mlops-cli', script));
    })();
    return shimDir;
}
/**
 * The bundled CLI's folder (`dist/cli`: index.js, its chunks and package.json), which is what a
 * container can run with the image's own Node: next to an action bundle, or the repository's `dist/`
 * when running from the source tree. Undefined when there is none.
 */
function toolkitCliBundleDir(moduleUrl = import.meta.url) {
    const here = (0,node_path__WEBPACK_IMPORTED_MODULE_5__.dirname)((0,node_url__WEBPACK_IMPORTED_MODULE_6__.fileURLToPath)(moduleUrl));
    for (const candidate of [(0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(here, '..', 'cli'), (0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(here, '..', '..', 'dist', 'cli')]) {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(candidate, 'index.js')))
            return candidate;
    }
    return undefined;
}
/** Where a container gets the bundled CLI, and the variable its `mlops` shim reads that from. */
const CONTAINER_TOOLKIT_DIR = '/opt/mlops/cli';
const CONTAINER_TOOLKIT_VARIABLE = 'MLOPS_TOOLKIT_CLI';
let containerShim;
/**
 * An `mlops` script for inside a container (mounted at /usr/local/bin/mlops, on every image's PATH):
 * runs the mounted CLI with the image's Node, or says plainly that the image has none.
 */
function containerShimPath() {
    containerShim ??= (async () => {
        const script = [
            '#!/bin/sh',
            'if ! command -v node >/dev/null 2>&1; then',
            `  echo "mlops: this image has no node on PATH; calling mlops inside a container needs Node.js 20 or later in the image" >&2`,
            '  exit 127',
            'fi',
            `exec node "$${CONTAINER_TOOLKIT_VARIABLE}" "$@"`,
            '',
        ].join('\n');
        return installShim('mlops-container-cli', script);
    })();
    return containerShim;
}
/** PATH with the shim folder first, so that `mlops` in a step is this very toolkit. */
function pathWithShim(path, dir) {
    if (!dir)
        return path;
    return path ? `${dir}${node_path__WEBPACK_IMPORTED_MODULE_5__.delimiter}${path}` : dir;
}


/***/ }),

/***/ 1247:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kw: () => (/* binding */ findHardcodedValohaiPaths),
/* harmony export */   Ll: () => (/* binding */ hardcodedPathsAdvice),
/* harmony export */   iS: () => (/* binding */ unlinkValohaiPaths),
/* harmony export */   xF: () => (/* binding */ linkValohaiPaths)
/* harmony export */ });
/* unused harmony exports DEFAULT_VALOHAI_ROOT, VALOHAI_PATHS_MODES, parseValohaiPathsMode, valohaiLinkTarget, isOwnedValohaiRoot, prepareValohaiRoot, decideValohaiPaths, describeValohaiPathsDecision */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7975);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4478);
/**
 * Real pipeline files hard-code `/valohai/inputs/…` and `/valohai/outputs` in their commands. Outside
 * Valohai those folders do not exist. The runner warns about them (the fix is `$VH_INPUTS_DIR` /
 * `$VH_OUTPUTS_DIR`) and, where it owns the machine (a GitHub-hosted job, `valohai-paths: auto`, or
 * `valohai-paths: link`), points `/valohai/*` at the execution's folders with symlinks.
 *
 * Linking makes `/valohai` a machine-wide singleton: while one execution's links are in place no other
 * execution can use them, so executions on such a machine run one at a time (`runExecution` serialises
 * them when linking is on).
 *
 * The root is a parameter everywhere (detection included) so tests use a temp folder, never `/`.
 */





const DEFAULT_VALOHAI_ROOT = '/valohai';
const FOLDERS = ['inputs', 'outputs', 'config', 'repository'];
/** Marks a `/valohai` folder this toolkit created, so it never takes over one it did not create. */
const OWNER_MARKER = '.mlops-owned';
/** Characters that end a path in a shell command (quotes, separators, redirections, expansions). */
const PATH_TAIL = String.raw `(?:\/[^\s'"\`;|&<>(){}$]*)?`;
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/**
 * The distinct `<root>/{inputs,outputs,config,repository}…` paths a script mentions, in order. A match
 * must start the path: `/home/valohai/inputs` is not one.
 */
function findHardcodedValohaiPaths(script, root = DEFAULT_VALOHAI_ROOT) {
    const base = root.replace(/\/+$/, '');
    const pattern = new RegExp(String.raw `(?<![\w.$/-])${escapeRegExp(base)}\/(?:inputs|outputs|config|repository)${PATH_TAIL}`, 'g');
    return [...new Set(script.match(pattern) ?? [])];
}
/** The warning to print once when a script hard-codes Valohai paths. */
function hardcodedPathsAdvice(paths) {
    return (`The command uses Valohai's fixed paths (${paths.join(', ')}), which exist only on Valohai. ` +
        'Use $VH_INPUTS_DIR, $VH_OUTPUTS_DIR, $VH_CONFIG_DIR and $VH_REPOSITORY_DIR instead ' +
        '(Valohai sets them too), run `mlops run` with --container (the folders are mounted there), or let the GitHub ' +
        'actions link /valohai on a runner they own (input valohai-paths).');
}
/** The actions' `valohai-paths` input. */
const VALOHAI_PATHS_MODES = (/* unused pure expression or super */ null && (['auto', 'link', 'warn']));
/** Reads a `valohai-paths` value ('' is the default, `auto`); a ConfigurationError names the allowed values. */
function parseValohaiPathsMode(text, inputName = 'valohai-paths') {
    const value = text.trim() || 'auto';
    const mode = VALOHAI_PATHS_MODES.find((m) => m === value);
    if (mode === undefined) {
        throw new ConfigurationError(`input "${inputName}" must be one of ${VALOHAI_PATHS_MODES.join(', ')}, got "${value}"`);
    }
    return mode;
}
async function exists(path) {
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(path);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Points `<root>/{inputs,outputs,config}` at the execution's folders and `<root>/repository` at the
 * repository. Refuses when `root` exists and was not created by this toolkit, or holds anything but
 * our symlinks. `root` is a parameter so tests use a temp folder.
 */
async function linkValohaiPaths(executionDir, repositoryDir, root = DEFAULT_VALOHAI_ROOT) {
    if (await exists(root)) {
        const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(root);
        if (!info.isDirectory() || !(await exists((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OWNER_MARKER)))) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`${root} already exists and was not created by this toolkit; not linking Valohai paths over it. ` +
                'Remove it, or use $VH_INPUTS_DIR/$VH_OUTPUTS_DIR in the command.');
        }
        for (const entry of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(root)) {
            if (entry === OWNER_MARKER)
                continue;
            if (!FOLDERS.includes(entry) || !(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, entry))).isSymbolicLink()) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`${root}/${entry} is not a link this toolkit made; not touching ${root}.`);
            }
        }
    }
    else {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(root, { recursive: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OWNER_MARKER), 'Created by mlops-actions to link Valohai paths; safe to delete.\n');
    }
    const targets = {
        inputs: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(executionDir, 'inputs'),
        outputs: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(executionDir, 'outputs'),
        config: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(executionDir, 'config'),
        repository: repositoryDir,
    };
    for (const name of FOLDERS) {
        const linkPath = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, name);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(linkPath, { force: true });
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.symlink)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(targets[name]), linkPath);
    }
}
/** Removes the links made by `linkValohaiPaths` (the owned root folder stays, empty but for the marker). */
async function unlinkValohaiPaths(root = DEFAULT_VALOHAI_ROOT) {
    if (!(await exists((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, OWNER_MARKER))))
        return;
    for (const name of FOLDERS) {
        const linkPath = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, name);
        try {
            if ((await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(linkPath)).isSymbolicLink())
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(linkPath);
        }
        catch {
            // Already gone.
        }
    }
}
/** Where `<root>/<folder>` points now, or undefined (for diagnostics and tests). */
async function valohaiLinkTarget(folder, root = DEFAULT_VALOHAI_ROOT) {
    try {
        return await readlink(join(root, folder));
    }
    catch {
        return undefined;
    }
}
/** Whether `<root>` carries this toolkit's marker. */
async function isOwnedValohaiRoot(root = DEFAULT_VALOHAI_ROOT) {
    try {
        await readFile(join(root, OWNER_MARKER));
        return true;
    }
    catch {
        return false;
    }
}
const execFileAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_3__.promisify)(node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFile);
function isPermissionError(error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}
/** What `sudo` printed when it failed: its stderr, else the error message. */
function commandFailure(error) {
    const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr).trim() : '';
    return stderr || getErrorMessage(error);
}
/**
 * Makes `root` an existing folder owned by this toolkit (its marker inside), ready for
 * `linkValohaiPaths`. When the user cannot create it (`/` belongs to root), passwordless sudo creates it
 * and hands it to the user: `sudo -n mkdir -p`, `sudo -n chown uid:gid`, argv only, no shell; the
 * marker is then written as the user. Returns why it could not, instead of throwing: the caller warns
 * and runs the command anyway.
 */
async function prepareValohaiRoot(root = DEFAULT_VALOHAI_ROOT, setup = {}) {
    if (await exists(root)) {
        if ((await lstat(root)).isDirectory() && (await isOwnedValohaiRoot(root)))
            return { ready: true };
        return { ready: false, reason: `${root} already exists and was not created by this toolkit; it is left alone` };
    }
    const createAsUser = setup.createAsUser ?? ((path) => mkdir(path, { recursive: true }).then(() => undefined));
    try {
        await createAsUser(root);
    }
    catch (error) {
        if (!isPermissionError(error))
            return { ready: false, reason: `cannot create ${root}: ${getErrorMessage(error)}` };
        const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
        try {
            await execFileAsync('sudo', ['-n', 'mkdir', '-p', root]);
            await execFileAsync('sudo', ['-n', 'chown', owner, root]);
        }
        catch (sudoError) {
            return {
                ready: false,
                reason: `cannot create ${root} (${getErrorMessage(error)}) and passwordless sudo failed too (${commandFailure(sudoError)})`,
            };
        }
    }
    try {
        await writeFile(join(root, OWNER_MARKER), 'Created by mlops-actions to link Valohai paths; safe to delete.\n');
    }
    catch (error) {
        return { ready: false, reason: `cannot write in ${root}: ${getErrorMessage(error)}` };
    }
    return { ready: true };
}
/**
 * Whether the commands about to run get `<root>` linked: only when they hard-code paths under it, and
 * `link` mode, or `auto` on a GitHub-hosted runner (self-hosted machines are not the job's to modify).
 * Prepares the root when linking.
 */
async function decideValohaiPaths(commands, policy) {
    const root = policy.root ?? DEFAULT_VALOHAI_ROOT;
    const paths = findHardcodedValohaiPaths(commands.join('\n'), root);
    if (paths.length === 0)
        return { action: 'none' };
    if (policy.mode === 'warn')
        return { action: 'warn', root, paths, reason: 'valohai-paths is "warn"' };
    if (policy.mode === 'auto' && !policy.githubHosted) {
        return {
            action: 'warn',
            root,
            paths,
            reason: 'this is not a GitHub-hosted runner, and valohai-paths "auto" links only there; set valohai-paths to "link" to allow it on this machine',
        };
    }
    const prepared = await prepareValohaiRoot(root, policy.setup);
    return prepared.ready ? { action: 'link', root, paths } : { action: 'warn', root, paths, reason: prepared.reason };
}
/**
 * The line a front door prints for a decision (info for `link`, a warning for `warn`). The advice to use
 * `$VH_*_DIR` is the executor's own warning; this one says why the runner did not link.
 */
function describeValohaiPathsDecision(decision) {
    switch (decision.action) {
        case 'none':
            return undefined;
        case 'link':
            return `Commands hard-code ${decision.paths.join(', ')}: ${decision.root}/{inputs,outputs,config,repository} point at each execution's folders while it runs.`;
        case 'warn':
            return `Commands hard-code ${decision.paths.join(', ')}, but ${decision.root} is not linked to the execution's folders: ${decision.reason}.`;
    }
}


/***/ }),

/***/ 6568:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ts: () => (/* binding */ expandVariants)
/* harmony export */ });
/* unused harmony exports seededRandom, parameterValues, grid, blueprintVariants */
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4478);

/** Floats computed by stepping (0.1 + 0.2) are rounded to 12 significant digits, as a person would write them. */
function tidy(value) {
    return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}
function numberRule(task, parameter, rule, fallback) {
    const raw = parameter.rules[rule];
    const value = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isFinite(value))
        return value;
    if (raw === undefined && fallback !== undefined)
        return fallback;
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name} (style ${parameter.style}): rule \`${rule}\` must be a number`);
}
function integerify(parameter, values) {
    const flag = parameter.rules['integerify'];
    return values.map((v) => (flag === true || flag === 'true' ? Math.round(v) : tidy(v)));
}
/** mulberry32: small, fast, and the same sequence on every platform for a given seed. */
function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
function seedOf(text) {
    let hash = 2166136261;
    for (const char of text)
        hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    return hash;
}
/** The values one blueprint parameter takes. `count` overrides the random style's own count (random search). */
function parameterValues(task, parameter, count) {
    const rules = parameter.rules;
    switch (parameter.style) {
        case 'single': {
            const value = rules['value'];
            return [value === undefined ? null : value];
        }
        case 'multiple': {
            const items = rules['items'] ?? rules['value'];
            if (!Array.isArray(items)) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: style multiple needs a list in \`items\``);
            }
            return items;
        }
        case 'linear': {
            const start = numberRule(task, parameter, 'start');
            const end = numberRule(task, parameter, 'end');
            const values = [];
            if (rules['step'] !== undefined) {
                const step = numberRule(task, parameter, 'step');
                if (step === 0 || Math.sign(step) !== Math.sign(end - start || step)) {
                    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: \`step\` never reaches \`end\``);
                }
                // The epsilon keeps `end` itself when float stepping lands a hair past it.
                const epsilon = Math.abs(step) * 1e-9;
                for (let v = start; step > 0 ? v <= end + epsilon : v >= end - epsilon; v += step)
                    values.push(v);
            }
            else {
                const n = numberRule(task, parameter, 'count');
                for (let i = 0; i < n; i++)
                    values.push(n === 1 ? start : start + ((end - start) * i) / (n - 1));
            }
            return integerify(parameter, values);
        }
        case 'logspace': {
            const start = numberRule(task, parameter, 'start');
            const end = numberRule(task, parameter, 'end');
            const n = numberRule(task, parameter, 'count');
            const base = numberRule(task, parameter, 'base', 10);
            const values = [];
            for (let i = 0; i < n; i++)
                values.push(base ** (n === 1 ? start : start + ((end - start) * i) / (n - 1)));
            return integerify(parameter, values);
        }
        case 'random': {
            const min = numberRule(task, parameter, 'min');
            const max = numberRule(task, parameter, 'max');
            const n = count ?? numberRule(task, parameter, 'count', task.executionCount ?? 1);
            const seedRule = rules['seed'];
            const seed = typeof seedRule === 'number' ? seedRule : seedOf(`${task.name}/${parameter.name}`);
            const random = seededRandom(seed);
            const distribution = String(rules['distribution'] ?? 'uniform');
            const values = [];
            for (let i = 0; i < n; i++) {
                const u = random();
                if (distribution === 'loguniform' || distribution === 'log-uniform') {
                    if (min <= 0)
                        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: loguniform needs min > 0`);
                    values.push(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))));
                }
                else {
                    values.push(min + u * (max - min));
                }
            }
            return integerify(parameter, values);
        }
        default:
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: unknown style`);
    }
}
/** Cartesian product of named value lists, first name varying slowest. */
function grid(axes) {
    let sets = [{}];
    for (const [name, values] of axes) {
        const next = [];
        for (const set of sets)
            for (const value of values)
                next.push({ ...set, [name]: value });
        sets = next;
    }
    return sets;
}
/** The parameter sets a task blueprint defines. */
function blueprintVariants(task) {
    if (task.type === 'manual_search' || (task.parameters.length === 0 && task.parameterSets.length > 0)) {
        return task.parameterSets.map((set) => ({ ...set }));
    }
    if (task.type === 'random_search' || task.type === 'bayesian_tpe') {
        // Random search: execution-count samples; a non-random parameter cycles through its values.
        const count = task.executionCount ?? 1;
        const columns = task.parameters.map((p) => [p.name, parameterValues(task, p, count)]);
        const sets = [];
        for (let i = 0; i < count; i++) {
            const set = {};
            for (const [name, values] of columns) {
                const value = values[i % Math.max(values.length, 1)];
                if (value !== undefined)
                    set[name] = value;
            }
            sets.push(set);
        }
        return sets;
    }
    const sets = grid(task.parameters.map((p) => [p.name, parameterValues(task, p)]));
    if (task.type === 'distributed') {
        // Distributed tasks run execution-count identical members.
        const count = task.executionCount ?? 1;
        return Array.from({ length: count }, () => ({ ...(sets[0] ?? {}) }));
    }
    return sets;
}
/**
 * Expands a task node's parameters into variants: the blueprint's sets (if any), crossed with every
 * list value of a parameter that is not itself `multiple` (a list reaching a task node spreads).
 * Returns each variant's full parameter values and which of them were varied.
 */
function expandVariants(baseParameters, stepParameters, task) {
    const byName = new Map(stepParameters.map((p) => [p.name, p]));
    const spreadAxes = [];
    for (const [name, value] of Object.entries(baseParameters)) {
        const declared = byName.get(name);
        if (Array.isArray(value) && (declared === undefined || declared.multiple === 'none'))
            spreadAxes.push([name, value]);
    }
    const blueprintSets = task ? blueprintVariants(task) : [{}];
    const spreadSets = grid(spreadAxes);
    const variants = [];
    for (const fromBlueprint of blueprintSets) {
        for (const fromSpread of spreadSets) {
            const varied = { ...fromSpread, ...fromBlueprint };
            variants.push({ parameters: { ...baseParameters, ...varied }, varied });
        }
    }
    return variants;
}


/***/ }),

/***/ 8334:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CB: () => (/* binding */ renderCommand),
/* harmony export */   Yz: () => (/* binding */ commandValues),
/* harmony export */   ex: () => (/* binding */ parameterDefaults),
/* harmony export */   qV: () => (/* binding */ pythonStr),
/* harmony export */   u9: () => (/* binding */ joinCommand)
/* harmony export */ });
/* unused harmony exports pythonFloatRepr, pythonStringRepr, flagValue, formatParameter */
/* harmony import */ var _exec_shell_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8137);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4478);
/**
 * Command rendering exactly as valohai-yaml does it (FORMAT.md §2.1): `{parameters}`, `{parameter:NAME}`,
 * `{parameter-value:NAME}` and `{source-path}` placeholders, `pass-as` templates, flags, `multiple`, and
 * Python `str()` rendering of values. Every argv piece is quoted like `shlex.quote`, so parameter values
 * reach the shell only as literal text.
 */


/** Python `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
function pythonFloatRepr(x) {
    if (Number.isNaN(x))
        return 'nan';
    if (x === Infinity)
        return 'inf';
    if (x === -Infinity)
        return '-inf';
    const sign = x < 0 || Object.is(x, -0) ? '-' : '';
    const [mantissa = '0', exponentText = '0'] = Math.abs(x).toExponential().split('e');
    const digits = mantissa.replace('.', '');
    const exponent = Number.parseInt(exponentText, 10);
    if (exponent >= -4 && exponent < 16) {
        if (exponent >= 0) {
            const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
            const fraction = digits.slice(exponent + 1) || '0';
            return `${sign}${integerPart}.${fraction}`;
        }
        return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    }
    const shownMantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const shownExponent = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${shownMantissa}e${shownExponent}`;
}
/** Python `repr(str)`: single quotes unless the text has a single quote and no double quote. */
function pythonStringRepr(s) {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = quote;
    for (const ch of s) {
        const code = ch.codePointAt(0) ?? 0;
        if (ch === '\\')
            out += '\\\\';
        else if (ch === quote)
            out += `\\${quote}`;
        else if (ch === '\n')
            out += '\\n';
        else if (ch === '\r')
            out += '\\r';
        else if (ch === '\t')
            out += '\\t';
        else if (code < 0x20 || code === 0x7f)
            out += `\\x${code.toString(16).padStart(2, '0')}`;
        else
            out += ch;
    }
    return out + quote;
}
function pythonNumber(value, asFloat) {
    if (asFloat || !Number.isInteger(value))
        return pythonFloatRepr(value);
    // BigInt prints every digit, as Python's int does, where String() would switch to exponent form.
    return BigInt(value).toString();
}
function pythonRepr(value, asFloat) {
    if (typeof value === 'string')
        return pythonStringRepr(value);
    return pythonStr(value, asFloat);
}
/**
 * Python `str(value)`. JS numbers do not remember whether YAML wrote `20` or `20.0`, so `asFloat`
 * (true for `type: float` parameters) renders integral numbers as `20.0`, which is what Valohai shows
 * after it casts the value with `float()`.
 */
function pythonStr(value, asFloat = false) {
    if (value === null)
        return 'None';
    if (typeof value === 'boolean')
        return value ? 'True' : 'False';
    if (typeof value === 'number')
        return pythonNumber(value, asFloat);
    if (typeof value === 'string')
        return value;
    return `[${value.map((item) => pythonRepr(item, asFloat)).join(', ')}]`;
}
/** Python truthiness. */
function isTruthy(value) {
    if (value === null || value === false || value === 0 || value === '')
        return false;
    if (Array.isArray(value))
        return value.length > 0;
    return true;
}
const FALSE_WORDS = new Set(['false', 'no', 'off', '0', '']);
/**
 * A flag's on/off state. Values from a command line arrive as text, where Python would call any
 * non-empty string true; the platform casts flags to booleans first, so `"false"` means off here.
 */
function flagValue(value) {
    if (typeof value === 'string')
        return !FALSE_WORDS.has(value.trim().toLowerCase());
    return isTruthy(value);
}
/**
 * Python `str.format_map` for one pass-as piece, limited to what pass-as templates use:
 * `{name}`, `{value}`, `{v}`, optional `!s`/`!r`, and `{{`/`}}` escapes.
 */
function formatPassAsPiece(piece, parameter, value) {
    const asFloat = parameter.type === 'float';
    let out = '';
    let i = 0;
    while (i < piece.length) {
        const ch = piece[i];
        if (ch === '{' && piece[i + 1] === '{') {
            out += '{';
            i += 2;
        }
        else if (ch === '}' && piece[i + 1] === '}') {
            out += '}';
            i += 2;
        }
        else if (ch === '{') {
            const end = piece.indexOf('}', i);
            if (end < 0)
                throw passAsError(parameter, "a '{' is not closed");
            const field = piece.slice(i + 1, end);
            const [fieldName = '', conversion] = field.split('!', 2);
            if (fieldName.includes(':'))
                throw passAsError(parameter, `format specs such as {${field}} are not supported`);
            let rendered;
            if (fieldName === 'name')
                rendered = parameter.name;
            else if (fieldName === 'value' || fieldName === 'v') {
                rendered = conversion === 'r' ? pythonRepr(value, asFloat) : pythonStr(value, asFloat);
            }
            else
                throw passAsError(parameter, `unknown field {${fieldName}}; use {name}, {value} or {v}`);
            if (conversion !== undefined && conversion !== 's' && conversion !== 'r') {
                throw passAsError(parameter, `unknown conversion !${conversion}`);
            }
            out += rendered;
            i = end + 1;
        }
        else if (ch === '}') {
            throw passAsError(parameter, "a single '}' must be written '}}'");
        }
        else {
            out += ch;
            i += 1;
        }
    }
    return out;
}
function passAsError(parameter, detail) {
    return new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`Parameter "${parameter.name}": cannot use its pass-as template: ${detail}.`);
}
function listify(value) {
    return Array.isArray(value) ? value : [value];
}
/**
 * valohai-yaml `Parameter.format_cli`: the argv pieces of one parameter, unquoted, or undefined when
 * the parameter is left out of the command.
 */
function formatParameter(parameter, value) {
    if (value === undefined || value === null)
        return undefined;
    let template;
    let atomValue = value;
    if (parameter.type === 'flag') {
        const on = flagValue(value);
        atomValue = on;
        if (parameter.passTrueAs || parameter.passFalseAs) {
            template = (on ? parameter.passTrueAs : parameter.passFalseAs) || undefined;
        }
        else if (on) {
            template = parameter.passAs || '--{name}';
        }
    }
    else {
        template = parameter.passAs || '--{name}={value}';
    }
    if (!template)
        return undefined;
    const pieces = template.split(/\s+/).filter((piece) => piece !== '');
    const formatAtom = (atom) => pieces.map((piece) => formatPassAsPiece(piece, parameter, atom));
    if (parameter.multiple === 'repeat') {
        const out = [];
        for (const atom of listify(atomValue)) {
            if (Array.isArray(atom)) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`Parameter "${parameter.name}": nested lists are not allowed as values.`);
            }
            out.push(...formatAtom(atom));
        }
        return out;
    }
    if (parameter.multiple === 'separate') {
        const atoms = listify(atomValue);
        // Valohai guards against a bare `--foo=` when the list is empty.
        if (atoms.length === 0)
            return undefined;
        const joined = atoms.map((atom) => pythonStr(atom, parameter.type === 'float')).join(parameter.multipleSeparator);
        return formatAtom(joined);
    }
    if (Array.isArray(atomValue)) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`Parameter "${parameter.name}" takes one value but got a list ${pythonStr(atomValue)}; ` +
            `declare it with "multiple: repeat" or "multiple: separate" to pass several.`);
    }
    return formatAtom(atomValue);
}
/**
 * The values `Step.build_command` renders: non-flag defaults (wrapped in a list for `multiple`
 * parameters), overridden by `values`. Flag defaults are not applied, as in valohai-yaml; callers pass
 * effective values that already include them (see types.ts `ExecutionRequest.parameters`).
 */
function commandValues(step, values) {
    const merged = {};
    for (const parameter of step.parameters) {
        if (parameter.type === 'flag' || parameter.default === undefined || parameter.default === null)
            continue;
        merged[parameter.name] =
            parameter.multiple !== 'none' && !Array.isArray(parameter.default) ? [parameter.default] : parameter.default;
    }
    return { ...merged, ...values };
}
/**
 * Every declared default, flags included: what valohai-cli offers as each option's default. The
 * scheduler starts from these before applying pipeline parameters, edges and the command line.
 */
function parameterDefaults(step) {
    const defaults = {};
    for (const parameter of step.parameters) {
        if (parameter.default === undefined)
            continue;
        defaults[parameter.name] =
            parameter.multiple !== 'none' && parameter.default !== null && !Array.isArray(parameter.default)
                ? [parameter.default]
                : parameter.default;
    }
    return defaults;
}
function quoteAll(pieces) {
    return pieces ? pieces.map(_exec_shell_js__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .Z).join(' ') : '';
}
const PLACEHOLDER = /\{(.+?)\}/g;
/**
 * The step's command lines with placeholders replaced (valohai-yaml `Step.build_command`). Each line
 * is interpolated on its own and stripped; unknown placeholders (`{inputs}`, `${VAR}`…) stay verbatim.
 */
function renderCommand(step, values) {
    const effective = commandValues(step, values);
    const byName = new Map(step.parameters.map((parameter) => [parameter.name, parameter]));
    const special = new Map();
    if (step.sourcePath !== undefined)
        special.set('source-path', step.sourcePath);
    const replace = (whole, key) => {
        const specialValue = special.get(key);
        if (specialValue !== undefined)
            return (0,_exec_shell_js__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .Z)(specialValue);
        if (key === 'parameters' || key === 'params') {
            const pieces = step.parameters.flatMap((parameter) => formatParameter(parameter, effective[parameter.name]) ?? []);
            return quoteAll(pieces);
        }
        if (key.startsWith('parameter:')) {
            const parameter = byName.get(key.slice('parameter:'.length));
            if (parameter)
                return quoteAll(formatParameter(parameter, effective[parameter.name]));
        }
        if (key.startsWith('parameter-value:')) {
            const name = key.slice('parameter-value:'.length);
            // Valohai checks the value map, not the declarations: an undeclared name with a value renders too.
            if (Object.hasOwn(effective, name)) {
                const value = effective[name] ?? null;
                return (0,_exec_shell_js__WEBPACK_IMPORTED_MODULE_1__/* .shellQuote */ .Z)(pythonStr(value, byName.get(name)?.type === 'float'));
            }
        }
        return whole;
    };
    return step.command.map((line) => line.replace(PLACEHOLDER, replace).trim());
}
/**
 * One script for one shell session: blank items dropped, a leading `#!` line kept first, lines joined
 * with newlines so `cd` and `export` carry over and the status is the last command's.
 */
function joinCommand(lines) {
    return lines.filter((line) => line.trim() !== '').join('\n');
}


/***/ })

};
