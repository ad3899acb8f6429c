export const id = 491;
export const ids = [491];
export const modules = {

/***/ 3491:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   command: () => (/* binding */ command),
/* harmony export */   compareMetrics: () => (/* binding */ compareMetrics),
/* harmony export */   compareOutputs: () => (/* binding */ compareOutputs)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7975);
/* harmony import */ var _exec_execution_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8801);
/* harmony import */ var _exec_container_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2067);
/* harmony import */ var _exec_plan_run_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5265);
/* harmony import */ var _store_runs_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9366);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(4478);
/* harmony import */ var _util_fs_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6174);
/* harmony import */ var _run_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(1903);
/* harmony import */ var _store_project_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(879);










const usage = `Usage: mlops reproduce RUN [NODE...] [--tolerance 1e-9] [--json] [--project-dir DIR]

Re-executes the succeeded executions of RUN (all nodes, or the NODEs named) with the same step, inputs
and parameters, and reports outputs whose sha256 differs and metrics (latest metadata values) that
differ by more than the tolerance. Metadata keys starting with "_" are ignored.
The report is also written to <project-dir>/runs/RUN/reproduce-<time>/report.json.

Exit code: 0 when everything reproduced, 1 when something differs or failed.`;
/** Outputs compared by path and checksum: changed, missing and new files all differ. */
function compareOutputs(original, reproduced) {
    const before = new Map(original.map((o) => [o.path, o.sha256]));
    const after = new Map(reproduced.map((o) => [o.path, o.sha256]));
    const differing = [];
    for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
        const a = before.get(path);
        const b = after.get(path);
        if (a === b)
            continue;
        const entry = { path };
        if (a !== undefined)
            entry.original = a;
        if (b !== undefined)
            entry.reproduced = b;
        differing.push(entry);
    }
    return differing;
}
/** Numbers differ beyond `tolerance` (absolute); anything else differs when its JSON differs. */
function compareMetrics(original, reproduced, tolerance) {
    const differing = [];
    for (const key of [...new Set([...Object.keys(original), ...Object.keys(reproduced)])].sort()) {
        if (key.startsWith('_'))
            continue;
        const a = original[key];
        const b = reproduced[key];
        const same = typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= tolerance : JSON.stringify(a) === JSON.stringify(b);
        if (!same)
            differing.push({ key, original: a, reproduced: b });
    }
    return differing;
}
function inputFiles(execution) {
    const inputs = {};
    for (const [name, files] of Object.entries(execution.inputs ?? {})) {
        inputs[name] = files.map((f) => {
            const file = { relativePath: f.relativePath, source: f.source };
            if (f.sha256 !== undefined && f.source.kind !== 'url')
                file.sha256 = f.sha256;
            return file;
        });
    }
    return inputs;
}
const command = {
    summary: 're-execute a run and report outputs and metrics that differ',
    usage,
    async run(argv) {
        const { values, positionals } = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.parseArgs)({
            args: argv,
            options: {
                tolerance: { type: 'string', default: '1e-9' },
                json: { type: 'boolean', default: false },
                'project-dir': { type: 'string' },
            },
            allowPositionals: true,
        });
        const [id, ...nodeNames] = positionals;
        if (id === undefined)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .ConfigurationError */ .j(`reproduce needs a RUN. ${usage}`);
        const tolerance = Number(values.tolerance);
        if (!Number.isFinite(tolerance) || tolerance < 0)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .ConfigurationError */ .j(`--tolerance expects a number ≥ 0, got ${values.tolerance}`);
        const projectDir = (0,_store_project_js__WEBPACK_IMPORTED_MODULE_8__/* .projectDirFor */ .cv)(values['project-dir']);
        const run = await (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_5__/* .loadRun */ .Sj)(projectDir, id);
        const config = await (0,_run_js__WEBPACK_IMPORTED_MODULE_7__.loadConfigOrExplain)(run.file);
        const pipeline = config.pipelines.get(run.pipeline);
        if (!pipeline)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .ConfigurationError */ .j(`${run.file} no longer has pipeline ${run.pipeline}`);
        for (const name of nodeNames) {
            if (!run.nodes[name])
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_9__/* .ConfigurationError */ .j(`run ${run.id} has no node ${name} (nodes: ${Object.keys(run.nodes).join(', ')})`);
        }
        const selected = nodeNames.length > 0 ? nodeNames : Object.keys(run.nodes);
        const paths = (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_5__/* .projectPaths */ .gW)(projectDir);
        const folder = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)((0,_store_runs_js__WEBPACK_IMPORTED_MODULE_5__/* .runDir */ .ff)(projectDir, run.id), `reproduce-${new Date().toISOString().replace(/[-:.]/g, '')}`);
        const repositoryDir = run.request?.repositoryDir ?? (0,node_path__WEBPACK_IMPORTED_MODULE_0__.dirname)(run.file);
        // Re-executed where the run executed them: in the same container engine, or on the host.
        const recordedEngine = run.request?.container;
        const container = recordedEngine === undefined ? undefined : await (0,_exec_container_js__WEBPACK_IMPORTED_MODULE_3__/* .findContainerRuntime */ .nW)((0,_exec_container_js__WEBPACK_IMPORTED_MODULE_3__/* .parseContainerChoice */ .w$)(recordedEngine));
        const comparisons = [];
        for (const name of selected) {
            const node = pipeline.nodes.find((n) => n.name === name);
            if (!node || node.type === 'deployment')
                continue;
            const step = (0,_exec_plan_run_js__WEBPACK_IMPORTED_MODULE_4__/* .stepForNode */ .Cb)(config, node);
            for (const execution of run.nodes[name]?.executions ?? []) {
                if (execution.status !== 'succeeded')
                    continue;
                process.stderr.write(`reproducing ${name} ${execution.executionId}…\n`);
                const result = await (0,_exec_execution_js__WEBPACK_IMPORTED_MODULE_2__/* .runExecution */ ._M)({
                    executionId: `${execution.executionId}-reproduce`,
                    step,
                    parameters: execution.parameters,
                    inputs: inputFiles(execution),
                    environment: execution.environment ?? {},
                    repositoryDir,
                    executionDir: (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(folder, execution.executionId),
                    storeDir: paths.storeDir,
                    downloadCacheDir: paths.downloadCacheDir,
                    context: { pipelineId: run.id, nodeName: name },
                }, container ? { container } : {});
                const differingOutputs = compareOutputs(execution.outputs, result.outputs);
                const differingMetrics = compareMetrics(execution.latestMetadata, result.latestMetadata, tolerance);
                comparisons.push({
                    node: name,
                    executionId: execution.executionId,
                    status: result.status,
                    differingOutputs,
                    differingMetrics,
                    reproducible: result.status === 'succeeded' && differingOutputs.length === 0 && differingMetrics.length === 0,
                });
            }
        }
        const reproducible = comparisons.every((c) => c.reproducible);
        const report = { run: run.id, tolerance, reproducible, executions: comparisons };
        await (0,_util_fs_js__WEBPACK_IMPORTED_MODULE_6__/* .writeJsonAtomic */ .q)((0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(folder, 'report.json'), report);
        if (values.json) {
            process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        }
        else {
            for (const c of comparisons) {
                process.stdout.write(`${c.reproducible ? 'same' : 'DIFFERS'}  ${c.node} ${c.executionId}${c.status === 'succeeded' ? '' : ` (${c.status})`}\n`);
                for (const o of c.differingOutputs) {
                    process.stdout.write(`    output ${o.path}: ${o.original?.slice(0, 12) ?? 'missing'} → ${o.reproduced?.slice(0, 12) ?? 'missing'}\n`);
                }
                for (const m of c.differingMetrics) {
                    process.stdout.write(`    metric ${m.key}: ${JSON.stringify(m.original)} → ${JSON.stringify(m.reproduced)}\n`);
                }
            }
            process.stdout.write(`run ${run.id}: ${reproducible ? 'reproducible' : 'NOT reproducible'} (${comparisons.length} executions, tolerance ${tolerance})\n`);
        }
        return reproducible ? 0 : 1;
    },
};


/***/ })

};
