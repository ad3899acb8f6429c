export const id = 944;
export const ids = [944];
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
/* unused harmony export saveRun */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4478);
/* harmony import */ var _util_fs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6174);
/**
 * Durable run records: `<projectDir>/runs/<runId>/run.json`, rewritten atomically after every state
 * change so that a killed runner never loses a finished execution (`mlops run --resume` reads it back).
 *
 * The compare module reads `nodes.<name>.executions[].{executionId,status,parameters,latestMetadata,outputs}`;
 * keep those fields stable.
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
async function saveRun(projectDir, run) {
    await (0,_util_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .writeJsonAtomic */ .q)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(runDir(projectDir, run.id), 'run.json'), run);
}
/** Loads a run by id, by unique prefix of its id, or `latest`. */
async function loadRun(projectDir, idOrPrefix) {
    const id = await resolveRunId(projectDir, idOrPrefix);
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(runDir(projectDir, id), 'run.json');
    try {
        return JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)(path, 'utf8'));
    }
    catch (error) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .ConfigurationError */ .j(`cannot read run ${id} (${path}): ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .getErrorMessage */ .u)(error)}`);
    }
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
            runs.push(JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readFile)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(runDir(projectDir, id), 'run.json'), 'utf8')));
        }
        catch {
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
class RunWriter {
    projectDir;
    run;
    inFlight = Promise.resolve();
    queued;
    failure;
    constructor(projectDir, run) {
        this.projectDir = projectDir;
        this.run = run;
    }
    save() {
        if (this.queued)
            return this.queued;
        const next = this.inFlight
            .catch(() => undefined)
            .then(() => {
            this.queued = undefined;
            return saveRun(this.projectDir, this.run);
        });
        this.queued = next;
        this.inFlight = next;
        next.catch((error) => {
            this.failure ??= error;
        });
        return next;
    }
    /** Waits for every pending write; throws the first write failure, if any. */
    async flush() {
        await this.inFlight.catch(() => undefined);
        if (this.failure !== undefined)
            throw this.failure;
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
