export const id = 915;
export const ids = [915,944];
export const modules = {

/***/ 4944:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command),
/* harmony export */   formatDuration: () => (/* binding */ formatDuration)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _store_runs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9366);
/* harmony import */ var _store_project_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(879);



const usage = `Usage: mlops runs [--json] [--project-dir DIR]

Lists the runs recorded in the project folder (default: .mlops in the repository), oldest first.

Options:
  --json              print the run summaries as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;
/** Wall time of a run, `1m 3.2s` style; open runs count to now. */
function formatDuration(startIso, endIso) {
    if (startIso === undefined)
        return '-';
    const ms = Date.parse(endIso ?? new Date().toISOString()) - Date.parse(startIso);
    if (!Number.isFinite(ms))
        return '-';
    const seconds = ms / 1000;
    if (seconds < 60)
        return `${seconds.toFixed(1)}s`;
    return `${Math.floor(seconds / 60)}m ${(seconds % 60).toFixed(0)}s`;
}
function summary(run) {
    const nodes = Object.values(run.nodes);
    return {
        id: run.id,
        pipeline: run.pipeline,
        status: run.status,
        createdAt: run.createdAt,
        finishedAt: run.finishedAt ?? null,
        nodes: nodes.length,
        executions: nodes.reduce((n, node) => n + node.executions.filter((e) => !e.reusedFrom).length, 0),
        reused: nodes.reduce((n, node) => n + node.executions.filter((e) => e.reusedFrom).length, 0),
    };
}
const command = {
    summary: 'list recorded pipeline runs',
    usage,
    async run(argv) {
        const { values } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            options: { json: { type: 'boolean', default: false }, 'project-dir': { type: 'string' } },
        });
        const runs = await (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_1__/* .listRuns */ .v)((0,_store_project_js__WEBPACK_IMPORTED_MODULE_2__/* .projectDirFor */ .cv)(values['project-dir']));
        if (values.json) {
            process.stdout.write(`${JSON.stringify(runs.map(summary), null, 2)}\n`);
            return 0;
        }
        if (runs.length === 0) {
            process.stdout.write(`no runs in ${(0,_store_project_js__WEBPACK_IMPORTED_MODULE_2__/* .projectDirFor */ .cv)(values['project-dir'])}\n`);
            return 0;
        }
        const rows = runs.map((run) => {
            const s = summary(run);
            return [run.id, run.pipeline, run.status, formatDuration(run.createdAt, run.finishedAt), `${String(s['executions'])} run, ${String(s['reused'])} reused`];
        });
        const header = ['RUN', 'PIPELINE', 'STATUS', 'DURATION', 'EXECUTIONS'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
        for (const row of [header, ...rows]) {
            process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
        }
        return 0;
    },
};


/***/ }),

/***/ 8915:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command)
/* harmony export */ });
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7975);
/* harmony import */ var _store_runs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9366);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4478);
/* harmony import */ var _runs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4944);
/* harmony import */ var _store_project_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(879);





const usage = `Usage: mlops show RUN [--json] [--project-dir DIR]

Shows a run: its nodes with states and durations, and each execution's parameters, latest metadata and
outputs (path, size, sha256). RUN is a run id, a unique prefix of one, or "latest".

Options:
  --json              print the whole run record
  --project-dir DIR   the project folder (default: .mlops in the repository)`;
function short(value) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
const command = {
    summary: 'show a run: nodes, states, durations, parameters, metadata, outputs',
    usage,
    async run(argv) {
        const { values, positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            options: { json: { type: 'boolean', default: false }, 'project-dir': { type: 'string' } },
            allowPositionals: true,
        });
        const id = positionals[0];
        if (id === undefined || positionals.length > 1)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`show takes one run id. ${usage}`);
        const run = await (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_1__/* .loadRun */ .Sj)((0,_store_project_js__WEBPACK_IMPORTED_MODULE_3__/* .projectDirFor */ .cv)(values['project-dir']), id);
        if (values.json) {
            process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
            return 0;
        }
        const out = [];
        out.push(`run ${run.id}  pipeline ${run.pipeline}  ${run.status}  ${(0,_runs_js__WEBPACK_IMPORTED_MODULE_2__.formatDuration)(run.createdAt, run.finishedAt)}`);
        out.push(`file ${run.file}`);
        if (run.reason)
            out.push(`reason: ${run.reason}`);
        out.push(`ran ${run.request?.container ? `in containers (${run.request.container})` : 'on the host'}`);
        if (Object.keys(run.parameters).length > 0)
            out.push(`parameters: ${short(run.parameters)}`);
        for (const [name, node] of Object.entries(run.nodes)) {
            out.push('');
            out.push(`node ${name}  ${node.state}  ${(0,_runs_js__WEBPACK_IMPORTED_MODULE_2__.formatDuration)(node.startedAt, node.finishedAt)}${node.reason ? `  (${node.reason})` : ''}`);
            for (const execution of node.executions) {
                const reused = execution.reusedFrom ? `  reused from ${execution.reusedFrom.runId}/${execution.reusedFrom.executionId}` : '';
                out.push(`  execution ${execution.executionId}  ${execution.status}  ${(0,_runs_js__WEBPACK_IMPORTED_MODULE_2__.formatDuration)(execution.startedAt, execution.finishedAt)}${reused}`);
                if (execution.reason)
                    out.push(`    reason: ${execution.reason}`);
                if (execution.variant)
                    out.push(`    variant: ${short(execution.variant)}`);
                if (Object.keys(execution.parameters).length > 0)
                    out.push(`    parameters: ${short(execution.parameters)}`);
                for (const [key, value] of Object.entries(execution.latestMetadata))
                    out.push(`    metadata ${key} = ${short(value)}`);
                for (const output of execution.outputs)
                    out.push(`    output ${output.path}  ${output.size} B  sha256:${output.sha256.slice(0, 12)}`);
            }
        }
        for (const deployment of run.deployments ?? []) {
            out.push('');
            out.push(`deployment ${deployment.deployment} (node ${deployment.node})  endpoints ${deployment.endpoints.join(', ') || '-'}  aliases ${deployment.aliases.join(', ') || '-'}`);
            for (const file of deployment.files) {
                out.push(`  ${file.endpoint}.${file.name} ← ${file.from.node}:${file.from.path}  sha256:${file.sha256.slice(0, 12)}`);
            }
        }
        process.stdout.write(`${out.join('\n')}\n`);
        return 0;
    },
};


/***/ }),

/***/ 879:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hn: () => (/* binding */ repositoryRoot),
/* harmony export */   cv: () => (/* binding */ projectDirFor)
/* harmony export */ });
/* unused harmony export PROJECT_FOLDER_NAME */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);


/** The folder that holds run records, the content store and caches, unless `--project-dir` says otherwise. */
const PROJECT_FOLDER_NAME = '.mlops';
/**
 * The repository a path belongs to: the nearest folder upwards holding `.git` (a folder, or a file in a
 * worktree), else the folder itself. Commands run there, as on Valohai, whose commands run in the
 * repository root wherever the pipeline file sits.
 */
function repositoryRoot(folder) {
    const start = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(folder);
    for (let current = start;; current = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(current)) {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(current, '.git')))
            return current;
        if ((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(current) === current)
            return start;
    }
}
/** `--project-dir` when given, else `<repository of `near`>/.mlops` (near: a pipeline file or a folder). */
function projectDirFor(explicit, near = process.cwd(), nearIsFile = false) {
    if (explicit !== undefined)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(explicit);
    const folder = nearIsFile ? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(near)) : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(near);
    return (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(repositoryRoot(folder), PROJECT_FOLDER_NAME);
}


/***/ }),

/***/ 9366:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F$: () => (/* binding */ newRunId),
/* harmony export */   Sj: () => (/* binding */ loadRun),
/* harmony export */   Xn: () => (/* binding */ RunWriter),
/* harmony export */   ff: () => (/* binding */ runDir),
/* harmony export */   gW: () => (/* binding */ projectPaths),
/* harmony export */   nv: () => (/* binding */ resolveRunId),
/* harmony export */   v: () => (/* binding */ listRuns)
/* harmony export */ });
/* unused harmony exports saveRun, replayJournal */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4478);
/* harmony import */ var _util_fs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6174);
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
 * interval; once it has ended, run.json is complete.
 */





function projectPaths(projectDir) {
    const root = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(projectDir);
    return {
        root,
        runsDir: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'runs'),
        storeDir: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'store'),
        reuseDir: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'reuse'),
        downloadCacheDir: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, 'downloads'),
    };
}
/**
 * A run id that sorts by creation time as text: `20261125T100000123Z-1a2b3c` (UTC time to the
 * millisecond, then random hex so that two runs started in the same millisecond differ).
 */
function newRunId(now = new Date()) {
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    return `${stamp}-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(3).toString('hex')}`;
}
const RUN_ID = /^[0-9A-Za-z][0-9A-Za-z._-]*$/;
function runDir(projectDir, runId) {
    if (!RUN_ID.test(runId))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`'${runId}' is not a valid run id`);
    return (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(projectPaths(projectDir).runsDir, runId);
}
const SNAPSHOT = 'run.json';
const JOURNAL = 'journal.ndjson';
/** Writes a whole run record as its snapshot; a journal left next to it is stale then, and removed. */
async function saveRun(projectDir, run) {
    const dir = runDir(projectDir, run.id);
    await writeJsonAtomic(join(dir, SNAPSHOT), run);
    await rm(join(dir, JOURNAL), { force: true });
}
/** Loads a run by id, by unique prefix of its id, or `latest`. */
async function loadRun(projectDir, idOrPrefix) {
    const id = await resolveRunId(projectDir, idOrPrefix);
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(runDir(projectDir, id), 'run.json');
    try {
        return await readRunRecord(runDir(projectDir, id));
    }
    catch (error) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`cannot read run ${id} (${path}): ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .getErrorMessage */ .u)(error)}`);
    }
}
function isJournalEntry(value) {
    if (value === null || typeof value !== 'object')
        return false;
    const k = value.k;
    return k === 'run' || k === 'node' || k === 'exec';
}
/** Applies journal lines to a snapshot, in order. Unparsable lines (a torn last write) are skipped. */
function replayJournal(snapshot, journal) {
    let run = snapshot;
    for (const line of journal.split('\n')) {
        if (line === '')
            continue;
        let entry;
        try {
            entry = JSON.parse(line);
        }
        catch {
            continue;
        }
        if (!isJournalEntry(entry))
            continue;
        if (entry.k === 'run') {
            // The list of node names decides which nodes exist and in what order (resume may drop some).
            const nodes = {};
            for (const name of entry.nodes)
                nodes[name] = run.nodes[name] ?? { state: 'pending', executions: [] };
            run = { ...entry.run, nodes };
        }
        else if (entry.k === 'node') {
            const executions = run.nodes[entry.node]?.executions ?? [];
            executions.length = Math.min(executions.length, entry.executions);
            run.nodes[entry.node] = { ...entry.record, executions };
        }
        else {
            const record = (run.nodes[entry.node] ??= { state: 'pending', executions: [] });
            record.executions[entry.index] = entry.execution;
        }
    }
    // A hole can only come from a damaged journal; drop it rather than hand out `null` executions.
    for (const record of Object.values(run.nodes)) {
        if (record.executions.some((e) => e === undefined))
            record.executions = record.executions.filter((e) => e !== undefined);
    }
    return run;
}
/** The latest state of a run: its snapshot with the journal replayed over it. */
async function readRunRecord(dir) {
    const snapshot = JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, SNAPSHOT), 'utf8'));
    let journal;
    try {
        journal = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, JOURNAL), 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return snapshot;
        throw error;
    }
    return replayJournal(snapshot, journal);
}
async function runIds(projectDir) {
    try {
        const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(projectPaths(projectDir).runsDir, { withFileTypes: true });
        return entries.filter((e) => e.isDirectory() && RUN_ID.test(e.name)).map((e) => e.name).sort();
    }
    catch {
        return [];
    }
}
async function resolveRunId(projectDir, idOrPrefix) {
    const ids = await runIds(projectDir);
    if (idOrPrefix === 'latest') {
        const last = ids.at(-1);
        if (last === undefined)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`no runs in ${projectPaths(projectDir).runsDir}`);
        return last;
    }
    if (ids.includes(idOrPrefix))
        return idOrPrefix;
    const matches = ids.filter((id) => id.startsWith(idOrPrefix));
    if (matches.length === 1 && matches[0] !== undefined)
        return matches[0];
    if (matches.length > 1) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`run id '${idOrPrefix}' is ambiguous: ${matches.slice(0, 5).join(', ')}…`);
    }
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`no run '${idOrPrefix}' in ${projectPaths(projectDir).runsDir} (run \`mlops runs\` to list them)`);
}
/** All runs, oldest first. Unreadable records are skipped (a run being created, a foreign folder). */
async function listRuns(projectDir) {
    const runs = [];
    for (const id of await runIds(projectDir)) {
        try {
            runs.push(await readRunRecord(runDir(projectDir, id)));
        }
        catch {
            // not a run folder (yet)
        }
    }
    return runs;
}
/**
 * Persists one run. `saveNode` journals one node (or one of its executions), `saveRunFields` the run's
 * own fields, `save` writes a full snapshot; `close` writes the final snapshot and removes the journal.
 *
 * Saves are serialised and coalesced: a save issued while a write is in flight is folded into one
 * follow-up write that serialises the record when it starts, so every change is on disk once the promise
 * of its save resolves and the file never goes back to an older state.
 */
class RunWriter {
    projectDir;
    run;
    inFlight = Promise.resolve();
    queued;
    failure;
    dirtyNodes = new Map();
    dirtyRun = false;
    snapshotWanted = false;
    compactWanted = false;
    closing = false;
    /** The journal, open for appending while the run is written (one write per batch, no open/close). */
    journal;
    /** Bytes in the journal file; undefined until looked at (a resumed run may start with some). */
    journalBytes;
    snapshotTimer;
    snapshotIntervalMs;
    maxJournalBytes;
    constructor(projectDir, run, options = {}) {
        this.projectDir = projectDir;
        this.run = run;
        this.snapshotIntervalMs = options.snapshotIntervalMs ?? 1000;
        this.maxJournalBytes = options.maxJournalBytes ?? 4 * 1024 * 1024;
    }
    get dir() {
        return runDir(this.projectDir, this.run.id);
    }
    /** Writes the whole record to run.json now. */
    save() {
        this.snapshotWanted = true;
        return this.schedule();
    }
    /** Journals a node: with `execution`, only that execution (and the node's own fields); else all of it. */
    saveNode(name, execution) {
        const dirty = this.dirtyNodes.get(name);
        if (execution === undefined)
            this.dirtyNodes.set(name, 'all');
        else if (dirty === undefined)
            this.dirtyNodes.set(name, new Set([execution]));
        else if (dirty !== 'all')
            dirty.add(execution);
        return this.schedule();
    }
    /** Journals the run's own fields (status, deployments, …) and its list of nodes. */
    saveRunFields() {
        this.dirtyRun = true;
        return this.schedule();
    }
    /** Waits for every pending write; throws the first write failure, if any. */
    async flush() {
        await this.inFlight.catch(() => undefined);
        if (this.failure !== undefined)
            throw this.failure;
    }
    /** Final snapshot: run.json holds everything and the journal is removed. Throws the first write failure. */
    async close() {
        this.closing = true;
        this.clearSnapshotTimer();
        try {
            await this.save().catch(() => undefined);
            await this.flush();
        }
        finally {
            await this.closeJournal(false).catch(() => undefined);
        }
    }
    async closeJournal(remove) {
        const journal = this.journal;
        this.journal = undefined;
        await journal?.close();
        if (remove)
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(this.dir, JOURNAL), { force: true });
    }
    schedule() {
        if (this.queued)
            return this.queued;
        const next = this.inFlight
            .catch(() => undefined)
            .then(() => {
            this.queued = undefined;
            return this.write();
        });
        this.queued = next;
        this.inFlight = next;
        next.catch((error) => {
            this.failure ??= error;
        });
        return next;
    }
    /** Journal lines for what changed since the last write, serialised now. */
    dirtyLines(all) {
        const lines = [];
        const line = (entry) => {
            lines.push(JSON.stringify(entry));
        };
        if (all || this.dirtyRun) {
            const { nodes, ...fields } = this.run;
            line({ k: 'run', run: fields, nodes: Object.keys(nodes) });
        }
        const dirty = all ? Object.keys(this.run.nodes).map((name) => [name, 'all']) : [...this.dirtyNodes];
        for (const [name, which] of dirty) {
            const record = this.run.nodes[name];
            if (!record)
                continue;
            const { executions, ...fields } = record;
            line({ k: 'node', node: name, record: fields, executions: executions.length });
            executions.forEach((execution, index) => {
                if (which === 'all' || which.has(execution))
                    line({ k: 'exec', node: name, index, execution });
            });
        }
        this.dirtyRun = false;
        this.dirtyNodes.clear();
        return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    }
    async write() {
        const dir = this.dir;
        const journalPath = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, JOURNAL);
        if (this.journalBytes === undefined) {
            await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(dir, { recursive: true });
            this.journalBytes = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.stat)(journalPath).then((info) => info.size, () => 0);
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
            this.journal ??= await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(journalPath, 'a');
            await this.journal.appendFile(text);
            this.journalBytes += Buffer.byteLength(text);
        }
        if (full || compact || this.journalBytes > this.maxJournalBytes) {
            this.clearSnapshotTimer();
            await (0,_util_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .writeJsonAtomic */ .q)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, SNAPSHOT), this.run);
            // Only now that run.json holds everything may the journal go (appends continue at offset 0).
            if (this.journalBytes > 0) {
                if (this.journal)
                    await this.journal.truncate(0);
                else
                    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(journalPath, { force: true });
            }
            this.journalBytes = 0;
            if (this.closing)
                await this.closeJournal(true);
        }
        else if (this.journalBytes > 0 && !this.closing) {
            this.armSnapshotTimer();
        }
    }
    armSnapshotTimer() {
        if (this.snapshotTimer !== undefined)
            return;
        this.snapshotTimer = setTimeout(() => {
            this.snapshotTimer = undefined;
            if (this.closing)
                return;
            this.compactWanted = true;
            // A failure is kept for flush()/close(), like any other write's.
            this.schedule().catch(() => undefined);
        }, this.snapshotIntervalMs);
        // A pending snapshot must not keep the process alive; close() writes the last one.
        this.snapshotTimer.unref();
    }
    clearSnapshotTimer() {
        if (this.snapshotTimer === undefined)
            return;
        clearTimeout(this.snapshotTimer);
        this.snapshotTimer = undefined;
    }
}


/***/ }),

/***/ 6174:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ writeFileAtomic),
/* harmony export */   q: () => (/* binding */ writeJsonAtomic)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);



/**
 * Writes a file so that readers see either the old or the whole new content, never a half-written one:
 * write to a temporary sibling, then rename over the target (atomic on one filesystem).
 */
async function writeFileAtomic(path, data) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), { recursive: true });
    const tmp = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`);
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(tmp, data);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(tmp, path);
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(tmp, { force: true });
        throw error;
    }
}
async function writeJsonAtomic(path, value) {
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}


/***/ })

};
