export const id = 637;
export const ids = [637];
export const modules = {

/***/ 9637:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  command: () => (/* binding */ command),
  ruleOptions: () => (/* binding */ ruleOptions),
  ruleOverridesFromOptions: () => (/* binding */ ruleOverridesFromOptions)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/compare/candidates.js
var compare_candidates = __webpack_require__(5556);
// EXTERNAL MODULE: ./build/compare/compare.js
var compare = __webpack_require__(1407);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
;// CONCATENATED MODULE: ./build/compare/files.js
/** File-pattern expansion for evaluation files (Node 20 has no fs.glob). */




const globChars = /[*?[\]{}!]/;
async function walk(dir, out) {
    let entries;
    try {
        entries = await (0,promises_.readdir)(dir, { withFileTypes: true });
    }
    catch {
        return;
    }
    for (const entry of entries) {
        // Symlinks are not followed: a pattern must not lead outside the folder it names.
        if (entry.isDirectory())
            await walk((0,external_node_path_.join)(dir, entry.name), out);
        else if (entry.isFile())
            out.push((0,external_node_path_.join)(dir, entry.name));
    }
}
/**
 * Expands patterns relative to `cwd`; a plain path is kept as is (and must exist). Results are
 * sorted and de-duplicated so that the candidate order does not depend on the file system.
 */
async function expandFilePatterns(patterns, cwd) {
    const found = new Set();
    for (const pattern of patterns) {
        if (!globChars.test(pattern)) {
            const path = (0,external_node_path_.isAbsolute)(pattern) ? pattern : (0,external_node_path_.join)(cwd, pattern);
            try {
                if (!(await (0,promises_.stat)(path)).isFile())
                    throw new Error('not a file');
            }
            catch {
                throw new errors/* ConfigurationError */.j(`evaluation file ${pattern} does not exist`);
            }
            found.add(path);
            continue;
        }
        const segments = pattern.split('/');
        const firstGlob = segments.findIndex((segment) => globChars.test(segment));
        const base = segments.slice(0, firstGlob).join('/') || '.';
        const root = (0,external_node_path_.isAbsolute)(pattern) ? base || '/' : (0,external_node_path_.join)(cwd, base);
        const rest = segments.slice(firstGlob).join('/');
        const matches = picomatch(rest, { dot: false });
        const files = [];
        await walk(root, files);
        const hits = files.filter((file) => matches((0,external_node_path_.relative)(root, file).split(external_node_path_.sep).join('/')));
        if (hits.length === 0)
            throw new errors/* ConfigurationError */.j(`no evaluation file matches ${pattern}`);
        for (const hit of hits)
            found.add(hit);
    }
    return [...found].sort();
}

// EXTERNAL MODULE: ./build/compare/rule.js + 1 modules
var compare_rule = __webpack_require__(1514);
// EXTERNAL MODULE: ./build/report/markdown.js + 2 modules
var markdown = __webpack_require__(1461);
// EXTERNAL MODULE: ./build/store/project.js
var project = __webpack_require__(879);
;// CONCATENATED MODULE: ./build/cli/commands/compare.js









const usage = `Usage: mlops compare [FILE] (--run RUN | --evaluations PATTERN...) [options]

Applies the selection rule (the \`selection\` of the x-mlops item in FILE, default ./valohai.yaml,
and/or the options below) to the executions of a run or to evaluation JSON files, prints the winner,
the decision (promote / hold / no-candidate) and why. With --run the decision is stored in
.mlops/runs/RUN/compare.json.

Candidates:
  --run RUN                 executions of this run (.mlops/runs/RUN/run.json)
  --evaluations PATTERN     evaluation JSON files (repeatable; globs like 'out/*/evaluation.json')
  --nodes GLOB,...          only these nodes (default: nodes that reported the metric)
Baseline (the production model):
  --baseline FILE           JSON {metrics: {...}} or a flat object of metrics
  --baseline-run RUN        the winner of an earlier run (e.g. the base branch's latest run)
Rule (each replaces the pipeline file's value):
  --metric NAME  --goal max|min  --tie-breakers m:min,m2:max  --constraint 'latency_ms <= 50' (repeatable)
  --threshold X  --min-absolute X  --min-relative X (0.05 = 5%)  --tolerance X (default 1e-9)
Other:
  --project-dir DIR         the project folder of run records (default: .mlops in the repository)
  --pipeline NAME           name for the report marker with --evaluations (default: evaluations)
  --json                    print the whole decision and table as JSON`;
function ruleOverridesFromOptions(values) {
    const overrides = {};
    const text = (name) => (typeof values[name] === 'string' ? values[name] : undefined);
    const metric = text('metric');
    if (metric !== undefined)
        overrides.metric = metric;
    const goal = text('goal');
    if (goal !== undefined) {
        if (goal !== 'max' && goal !== 'min')
            throw new errors/* ConfigurationError */.j(`--goal must be max or min, got '${goal}'`);
        overrides.goal = goal;
    }
    const tieBreakers = text('tie-breakers');
    if (tieBreakers !== undefined)
        overrides.tieBreakers = (0,compare/* parseTieBreakers */.xR)(tieBreakers);
    const constraints = values['constraint'];
    if (Array.isArray(constraints) && constraints.length > 0)
        overrides.constraints = constraints;
    const numbers = [
        ['threshold', 'threshold'],
        ['min-absolute', 'minAbsoluteImprovement'],
        ['min-relative', 'minRelativeImprovement'],
        ['tolerance', 'tolerance'],
    ];
    for (const [option, key] of numbers) {
        const value = text(option);
        if (value !== undefined)
            overrides[key] = (0,compare/* parseNumberOption */.GU)(`--${option}`, value);
    }
    return overrides;
}
const ruleOptions = {
    metric: { type: 'string' },
    goal: { type: 'string' },
    'tie-breakers': { type: 'string' },
    constraint: { type: 'string', multiple: true },
    threshold: { type: 'string' },
    'min-absolute': { type: 'string' },
    'min-relative': { type: 'string' },
    tolerance: { type: 'string' },
};
function humanSummary(selection) {
    const lines = [`decision: ${selection.decision}`, `reason: ${selection.reason}`];
    if (selection.winner)
        lines.push(`winner: ${selection.winner.node} (execution ${selection.winner.executionId})`);
    lines.push('');
    const metric = selection.rule.metric;
    for (const row of selection.table) {
        const place = row.winner ? '*' : row.rank !== undefined ? String(row.rank) : 'x';
        const value = row.value === undefined ? '-' : (0,compare_rule/* formatNumber */.ZV)(row.value);
        const tail = row.excluded ? `excluded: ${row.excluded}` : `delta ${(0,markdown/* formatDelta */.CW)(row)}`;
        lines.push(`${place.padStart(3)}  ${row.node}  ${metric}=${value}  ${tail}`);
    }
    return lines.join('\n');
}
const command = {
    summary: 'pick the best execution by the selection rule and decide promote / hold',
    usage,
    async run(argv) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: argv,
            options: {
                run: { type: 'string' },
                evaluations: { type: 'string', multiple: true },
                nodes: { type: 'string' },
                baseline: { type: 'string' },
                'baseline-run': { type: 'string' },
                'project-dir': { type: 'string' },
                pipeline: { type: 'string' },
                json: { type: 'boolean', default: false },
                ...ruleOptions,
            },
            allowPositionals: true,
        });
        if (positionals.length > 1)
            throw new errors/* ConfigurationError */.j(`compare takes one pipeline file, got ${positionals.length}.\n${usage}`);
        const evaluations = values.evaluations ?? [];
        if ((values.run === undefined) === (evaluations.length === 0)) {
            throw new errors/* ConfigurationError */.j(`give either --run RUN or --evaluations PATTERN.\n${usage}`);
        }
        if (values.baseline !== undefined && values['baseline-run'] !== undefined)
            throw new errors/* ConfigurationError */.j('give --baseline or --baseline-run, not both');
        const projectDir = (0,project/* projectDirFor */.cv)(values['project-dir']);
        const file = positionals[0] ?? 'valohai.yaml';
        // The pipeline file is optional when the rule comes entirely from options.
        const fileRule = positionals[0] !== undefined || (0,external_node_fs_.existsSync)(file) ? await (0,compare/* ruleFromPipelineFile */.bc)(file) : undefined;
        const rule = (0,compare/* resolveRule */.rj)(fileRule, ruleOverridesFromOptions(values));
        const nodeGlobs = values.nodes?.split(',').map((glob) => glob.trim()).filter((glob) => glob !== '');
        let baseline;
        if (values.baseline !== undefined)
            baseline = await (0,compare_candidates/* loadBaselineFile */.im)(values.baseline);
        if (values['baseline-run'] !== undefined) {
            baseline = await (0,compare/* baselineFromRun */.bQ)(projectDir, values['baseline-run'], rule);
            if (!baseline)
                throw new errors/* ConfigurationError */.j(`run ${values['baseline-run']} has no winner to use as the baseline`);
        }
        let stored;
        if (values.run !== undefined) {
            const result = await (0,compare/* compareRun */.XZ)(projectDir, values.run, { rule, ...(nodeGlobs ? { nodeGlobs } : {}), ...(baseline ? { baseline } : {}) });
            stored = result.stored;
            if (!values.json)
                process.stderr.write(`decision stored in ${result.file}\n`);
        }
        else {
            const paths = await expandFilePatterns(evaluations, process.cwd());
            const candidates = (0,compare_candidates/* filterCandidates */.rZ)(await (0,compare_candidates/* candidatesFromEvaluationFiles */.Cg)(paths), rule.metric, nodeGlobs);
            stored = (0,compare/* toStoredDecision */.dC)(values.pipeline ?? 'evaluations', (0,compare_rule/* selectBest */.lJ)(candidates, rule, baseline));
        }
        process.stdout.write(values.json ? `${JSON.stringify(stored, null, 2)}\n` : `${humanSummary(stored.selection)}\n`);
        return 0;
    },
};


/***/ }),

/***/ 5556:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cg: () => (/* binding */ candidatesFromEvaluationFiles),
/* harmony export */   IR: () => (/* binding */ loadRunCandidates),
/* harmony export */   im: () => (/* binding */ loadBaselineFile),
/* harmony export */   rZ: () => (/* binding */ filterCandidates),
/* harmony export */   xw: () => (/* binding */ runDirectory)
/* harmony export */ });
/* unused harmony export seriesFromMetadataEvents */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var picomatch__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4006);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4478);
/* harmony import */ var _store_runs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9366);
/**
 * What the selection rule compares: candidates (one per execution) and a baseline (the production
 * model's metrics). They come from evaluation JSON files, from a run record, or from a baseline file.
 * Everything read from disk is checked field by field: a malformed file is a ConfigurationError that
 * names the file, never a crash further down.
 */





function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function recordOrEmpty(value) {
    return isRecord(value) ? value : {};
}
function stringOr(value, fallback) {
    return typeof value === 'string' && value !== '' ? value : fallback;
}
function parseOutputs(value) {
    if (!Array.isArray(value))
        return [];
    const outputs = [];
    for (const item of value) {
        if (!isRecord(item) || typeof item['path'] !== 'string')
            continue;
        outputs.push({
            path: item['path'],
            sha256: typeof item['sha256'] === 'string' ? item['sha256'] : '',
            size: typeof item['size'] === 'number' ? item['size'] : 0,
        });
    }
    return outputs;
}
/** Series from metadata events (`[{values:{…}}]` as in ExecutionResult.metadata); only keys printed twice or more. */
function seriesFromMetadataEvents(events) {
    if (!Array.isArray(events))
        return undefined;
    const series = {};
    for (const event of events) {
        const values = isRecord(event) && isRecord(event['values']) ? event['values'] : undefined;
        if (!values)
            continue;
        for (const [key, value] of Object.entries(values)) {
            if (key.startsWith('_') || typeof value !== 'number' || !Number.isFinite(value))
                continue;
            (series[key] ??= []).push(value);
        }
    }
    for (const key of Object.keys(series)) {
        if ((series[key]?.length ?? 0) < 2)
            delete series[key];
    }
    return Object.keys(series).length > 0 ? series : undefined;
}
async function readJson(path, what) {
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(path, 'utf8');
    }
    catch (error) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`cannot read ${what} ${path}: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .getErrorMessage */ .u)(error)}`);
    }
    try {
        // Python's json.dumps writes NaN/Infinity, which JSON.parse rejects; map them to strings we report.
        return JSON.parse(text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '"$1"'));
    }
    catch (error) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`${what} ${path} is not valid JSON: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .getErrorMessage */ .u)(error)}`);
    }
}
const reservedEvaluationKeys = new Set(['node', 'executionId', 'execution_id', 'status', 'parameters', 'metrics', 'outputs', 'series']);
function candidateFromEvaluation(value, file, name, index, count) {
    if (!isRecord(value)) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`evaluation file ${file}: entry ${index + 1} is not a JSON object`);
    }
    const fallbackNode = name + (count > 1 ? `-${index + 1}` : '');
    // Either `{metrics: {…}, …}` or a flat object of metric values (what a script would json.dump).
    const metrics = isRecord(value['metrics'])
        ? value['metrics']
        : Object.fromEntries(Object.entries(value).filter(([key]) => !reservedEvaluationKeys.has(key)));
    const candidate = {
        node: stringOr(value['node'], fallbackNode),
        executionId: stringOr(value['executionId'] ?? value['execution_id'], `${fallbackNode}`),
        status: stringOr(value['status'], 'succeeded'),
        parameters: recordOrEmpty(value['parameters']),
        metrics,
        outputs: parseOutputs(value['outputs']),
    };
    if (isRecord(value['series'])) {
        const series = {};
        for (const [key, points] of Object.entries(value['series'])) {
            if (Array.isArray(points))
                series[key] = points.filter((p) => typeof p === 'number');
        }
        candidate.series = series;
    }
    return candidate;
}
/**
 * Default candidate names: the file name without extension when those are unique (`fast.json`,
 * `slow.json`), else the path below the files' common folder (`fast/evaluation`, `slow/evaluation`).
 */
function defaultNames(paths) {
    const stems = paths.map((path) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(path, (0,node_path__WEBPACK_IMPORTED_MODULE_1__.extname)(path)));
    if (new Set(stems).size === stems.length)
        return stems;
    const split = paths.map((path) => path.split(/[\\/]/));
    let common = 0;
    while (split.every((parts) => parts.length - 1 > common && parts[common] === split[0]?.[common]))
        common++;
    return split.map((parts) => {
        const rest = parts.slice(common).join('/');
        return rest.slice(0, rest.length - (0,node_path__WEBPACK_IMPORTED_MODULE_1__.extname)(rest).length);
    });
}
/**
 * Reads evaluation JSON files: each holds one object or an array of objects, either
 * `{node?, executionId?, status?, parameters?, metrics: {…}, outputs?, series?}` or a flat object of
 * metrics. The node name defaults to the file's name (see defaultNames); `-<n>` is appended for the
 * entries of an array.
 */
async function candidatesFromEvaluationFiles(paths) {
    const candidates = [];
    const names = defaultNames(paths);
    for (const [fileIndex, path] of paths.entries()) {
        const data = await readJson(path, 'evaluation file');
        const entries = Array.isArray(data) ? data : [data];
        const name = names[fileIndex] ?? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(path);
        entries.forEach((entry, index) => candidates.push(candidateFromEvaluation(entry, path, name, index, entries.length)));
    }
    return candidates;
}
/**
 * Reads a baseline file: `{metrics: {…}, source?, label?}` or a flat object of metrics.
 */
async function loadBaselineFile(path) {
    const data = await readJson(path, 'baseline file');
    if (!isRecord(data))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`baseline file ${path} must hold a JSON object`);
    if (isRecord(data['metrics'])) {
        const baseline = { source: stringOr(data['source'], path), metrics: data['metrics'] };
        if (typeof data['label'] === 'string')
            baseline.label = data['label'];
        return baseline;
    }
    return { source: path, metrics: data };
}
const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** `<project-dir>/runs/<runId>` (project dir: the `.mlops` folder); the id must be a plain folder name so that it cannot escape `runs/`. */
function runDirectory(projectDir, runId) {
    if (!runIdPattern.test(runId) || runId.includes('..')) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`run id '${runId}' is not a valid run id (letters, digits, '.', '_' and '-')`);
    }
    return (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_2__/* .runDir */ .ff)(projectDir, runId);
}
/**
 * Candidates of every execution of a run, read from `.mlops/runs/<runId>/run.json`, assumed shape:
 * `{id, pipeline, status, nodes: {[node]: {executions: [{executionId, status, parameters,
 * latestMetadata, outputs: [{path, sha256, size}], metadata?}]}}}`. Unknown or missing fields are
 * tolerated: the record belongs to the scheduler, and a partial run must still compare.
 */
async function loadRunCandidates(projectDir, runIdOrPrefix) {
    const runId = await (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_2__/* .resolveRunId */ .nv)(projectDir, runIdOrPrefix);
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(runDirectory(projectDir, runId), 'run.json');
    const data = await readJson(file, 'run record');
    if (!isRecord(data))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ConfigurationError */ .j(`run record ${file} must hold a JSON object`);
    const candidates = [];
    for (const [node, nodeRecord] of Object.entries(recordOrEmpty(data['nodes']))) {
        const executions = isRecord(nodeRecord) && Array.isArray(nodeRecord['executions']) ? nodeRecord['executions'] : [];
        executions.forEach((execution, index) => {
            if (!isRecord(execution))
                return;
            const candidate = {
                node,
                executionId: stringOr(execution['executionId'], `${node}#${index + 1}`),
                status: stringOr(execution['status'], 'unknown'),
                parameters: recordOrEmpty(execution['parameters']),
                metrics: recordOrEmpty(execution['latestMetadata']),
                outputs: parseOutputs(execution['outputs']),
            };
            const series = seriesFromMetadataEvents(execution['metadata']);
            if (series)
                candidate.series = series;
            candidates.push(candidate);
        });
    }
    return {
        runId,
        pipeline: stringOr(data['pipeline'], 'pipeline'),
        status: stringOr(data['status'], 'unknown'),
        candidates,
    };
}
/**
 * Which executions compete. By default the nodes that reported the selection metric in at least one
 * execution (so preprocessing nodes stay out, while a failed training execution of a competing node
 * stays in and is excluded with a reason). With `nodeGlobs`, the nodes whose name matches one of them.
 */
function filterCandidates(candidates, metric, nodeGlobs) {
    if (nodeGlobs && nodeGlobs.length > 0) {
        const matches = picomatch__WEBPACK_IMPORTED_MODULE_4__(nodeGlobs);
        return candidates.filter((candidate) => matches(candidate.node));
    }
    const competingNodes = new Set(candidates.filter((c) => metric in c.metrics).map((c) => c.node));
    return candidates.filter((candidate) => competingNodes.has(candidate.node));
}


/***/ }),

/***/ 1407:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GU: () => (/* binding */ parseNumberOption),
/* harmony export */   XZ: () => (/* binding */ compareRun),
/* harmony export */   bQ: () => (/* binding */ baselineFromRun),
/* harmony export */   bc: () => (/* binding */ ruleFromPipelineFile),
/* harmony export */   dC: () => (/* binding */ toStoredDecision),
/* harmony export */   mG: () => (/* binding */ readStoredDecision),
/* harmony export */   rj: () => (/* binding */ resolveRule),
/* harmony export */   xR: () => (/* binding */ parseTieBreakers)
/* harmony export */ });
/* unused harmony exports DECISION_FILE, storeDecision */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _pipeline_load_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(389);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(4478);
/* harmony import */ var _util_fs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6174);
/* harmony import */ var _candidates_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5556);
/* harmony import */ var _rule_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1514);
/* harmony import */ var _store_runs_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9366);
/**
 * The compare step as both front doors (CLI and action) use it: read the rule, gather candidates and
 * baseline, apply the rule, store the decision with the run.
 */








/** File name of the stored decision inside `.mlops/runs/<runId>/`. */
const DECISION_FILE = 'compare.json';
/** The `selection` of the pipeline file's `x-mlops` item; undefined when the file declares none. */
async function ruleFromPipelineFile(path) {
    const result = await (0,_pipeline_load_js__WEBPACK_IMPORTED_MODULE_2__/* .loadPipelineFile */ .fH)(path);
    if (!result.config) {
        const first = result.diagnostics.find((d) => d.severity === 'error');
        const where = first ? `${first.position.file}:${first.position.line}:${first.position.col}: ${first.message}` : 'unknown error';
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigurationError */ .j(`cannot read the selection rule from ${path}: ${where}`);
    }
    const selection = result.config.mlops.selection;
    return selection ? { ...selection, tieBreakers: [...selection.tieBreakers], constraints: [...selection.constraints] } : undefined;
}
/** Merges overrides onto a base rule (from the pipeline file, or nothing). A metric is required. */
function resolveRule(base, overrides) {
    const metric = overrides.metric ?? base?.metric;
    if (!metric) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigurationError */ .j('no selection metric: declare `selection: {metric: …}` in the `x-mlops` item of the pipeline file, or pass --metric / the `metric` input');
    }
    const rule = {
        metric,
        goal: overrides.goal ?? base?.goal ?? 'max',
        tieBreakers: overrides.tieBreakers ?? base?.tieBreakers ?? [],
        constraints: overrides.constraints ?? base?.constraints ?? [],
    };
    const threshold = overrides.threshold ?? base?.threshold;
    if (threshold !== undefined)
        rule.threshold = threshold;
    const absolute = overrides.minAbsoluteImprovement ?? base?.minAbsoluteImprovement;
    if (absolute !== undefined)
        rule.minAbsoluteImprovement = absolute;
    const relative = overrides.minRelativeImprovement ?? base?.minRelativeImprovement;
    if (relative !== undefined)
        rule.minRelativeImprovement = relative;
    const tolerance = overrides.tolerance ?? base?.tolerance;
    if (tolerance !== undefined)
        rule.tolerance = tolerance;
    return rule;
}
/** `metric:goal,metric:goal` (goal defaults to max), as taken by --tie-breakers and the action input. */
function parseTieBreakers(text) {
    return text
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .map((item) => {
        const [metric = '', goal = 'max', extra] = item.split(':').map((part) => part.trim());
        if (metric === '' || (goal !== 'max' && goal !== 'min') || extra !== undefined) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigurationError */ .j(`tie-breaker '${item}' must be '<metric>' or '<metric>:max' or '<metric>:min'`);
        }
        return { metric, goal };
    });
}
/** Reads a number given as text, naming the option when it is not one. */
function parseNumberOption(name, text) {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigurationError */ .j(`${name} must be a number, got '${text}'`);
    return value;
}
/**
 * The baseline taken from an earlier run (for example the latest run of the same pipeline on the
 * base branch): its stored decision's winner when there is one, else the rule applied to its
 * candidates now. Undefined when that run had no usable winner.
 */
async function baselineFromRun(projectDir, runId, rule) {
    const stored = await readStoredDecision(projectDir, runId);
    if (stored?.winner)
        return { source: `run ${runId}`, label: `${stored.winner.node} of run ${runId}`, metrics: stored.winner.metrics };
    const run = await (0,_candidates_js__WEBPACK_IMPORTED_MODULE_4__/* .loadRunCandidates */ .IR)(projectDir, runId);
    const winner = (0,_rule_js__WEBPACK_IMPORTED_MODULE_5__/* .selectBest */ .lJ)((0,_candidates_js__WEBPACK_IMPORTED_MODULE_4__/* .filterCandidates */ .rZ)(run.candidates, rule.metric), rule).winner;
    return winner ? { source: `run ${runId}`, label: `${winner.node} of run ${runId}`, metrics: winner.metrics } : undefined;
}
async function readStoredDecision(projectDir, runIdOrPrefix) {
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)((0,_candidates_js__WEBPACK_IMPORTED_MODULE_4__/* .runDirectory */ .xw)(projectDir, await (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_6__/* .resolveRunId */ .nv)(projectDir, runIdOrPrefix)), DECISION_FILE);
    let text;
    try {
        text = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(file, 'utf8');
    }
    catch {
        return undefined;
    }
    try {
        const data = JSON.parse(text);
        if (typeof data === 'object' && data !== null && 'version' in data && data.version === 1 && 'selection' in data)
            return data;
    }
    catch (error) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigurationError */ .j(`${file} is not valid JSON: ${(0,_util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .getErrorMessage */ .u)(error)}`);
    }
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_7__/* .ConfigurationError */ .j(`${file} is not a decision written by this version of mlops`);
}
function toStoredDecision(pipeline, selection, runId, now = new Date()) {
    const stored = { version: 1, pipeline, decidedAt: now.toISOString(), decision: selection.decision, reason: selection.reason, selection };
    if (runId !== undefined)
        stored.runId = runId;
    if (selection.winner) {
        const { node, executionId, metrics, outputs } = selection.winner;
        stored.winner = { node, executionId, metrics, outputs };
    }
    return stored;
}
/** Stores the decision with the run: `.mlops/runs/<runId>/compare.json`, written atomically. */
async function storeDecision(projectDir, runId, decision) {
    const file = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)((0,_candidates_js__WEBPACK_IMPORTED_MODULE_4__/* .runDirectory */ .xw)(projectDir, runId), DECISION_FILE);
    await (0,_util_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .writeJsonAtomic */ .q)(file, decision);
    return file;
}
/** Applies the rule to a run's executions and stores the decision with the run. */
async function compareRun(projectDir, runId, options) {
    const run = await (0,_candidates_js__WEBPACK_IMPORTED_MODULE_4__/* .loadRunCandidates */ .IR)(projectDir, runId);
    const candidates = (0,_candidates_js__WEBPACK_IMPORTED_MODULE_4__/* .filterCandidates */ .rZ)(run.candidates, options.rule.metric, options.nodeGlobs);
    const selection = (0,_rule_js__WEBPACK_IMPORTED_MODULE_5__/* .selectBest */ .lJ)(candidates, options.rule, options.baseline);
    const stored = toStoredDecision(run.pipeline, selection, run.runId);
    const file = await storeDecision(projectDir, run.runId, stored);
    return { pipeline: run.pipeline, selection, stored, file };
}


/***/ }),

/***/ 1514:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ZV: () => (/* binding */ formatNumber),
  l9: () => (/* binding */ formatPercent),
  Fl: () => (/* binding */ formatValue),
  lJ: () => (/* binding */ selectBest)
});

// UNUSED EXPORTS: DEFAULT_TOLERANCE, metricValue

// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
;// CONCATENATED MODULE: ./build/compare/constraint.js
/**
 * Constraints of a selection rule: `latency_ms <= 50`, `accuracy >= 0.9`, `model != "baseline"`.
 *
 * Grammar (one comparison, no boolean operators; list several constraints to AND them):
 *   constraint := metric op literal
 *   metric     := [A-Za-z_][A-Za-z0-9_.\-/]*   (an optional `metadata.` prefix is ignored, as in Valohai `if`)
 *   op         := <= | >= | < | > | == | !=
 *   literal    := number | true | false | "string" | 'string'
 * Numbers are compared with the rule's tolerance: two numbers closer than it are equal.
 */

const constraintPattern = /^\s*(?:metadata\.)?([A-Za-z_][A-Za-z0-9_.\-/]*)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/;
function parseLiteral(text, constraintText) {
    if (text === 'true')
        return true;
    if (text === 'false')
        return false;
    const quoted = /^"(.*)"$|^'(.*)'$/.exec(text);
    if (quoted)
        return quoted[1] ?? quoted[2] ?? '';
    // Number() accepts '', '0x10' and 'Infinity'; the pattern keeps to plain decimal notation.
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text))
        return Number(text);
    throw new errors/* ConfigurationError */.j(`constraint '${constraintText}': '${text}' is not a number, true/false or a quoted string`);
}
function parseConstraint(text) {
    const match = constraintPattern.exec(text);
    if (!match) {
        throw new errors/* ConfigurationError */.j(`constraint '${text}' is not of the form '<metric> <op> <value>' with op one of <=, >=, <, >, ==, !=`);
    }
    const [, metric, operator, literal] = match;
    if (metric === undefined || operator === undefined || literal === undefined) {
        throw new errors/* ConfigurationError */.j(`constraint '${text}' could not be parsed`);
    }
    return { text: text.trim(), metric, operator: operator, value: parseLiteral(literal, text) };
}
/** Compares two numbers: -1, 0 or 1, where values within `tolerance` of each other are equal. */
function compareWithTolerance(a, b, tolerance) {
    if (Math.abs(a - b) <= tolerance)
        return 0;
    return a < b ? -1 : 1;
}
/** Checks one constraint against a candidate's metrics. A missing or NaN metric fails with a reason. */
function checkConstraint(constraint, metrics, tolerance, formatValue) {
    const actual = metrics[constraint.metric];
    if (actual === undefined || actual === null) {
        return { ok: false, reason: `constraint ${constraint.text}: metric '${constraint.metric}' missing` };
    }
    let order;
    if (typeof constraint.value === 'number') {
        if (typeof actual !== 'number') {
            return { ok: false, reason: `constraint ${constraint.text}: '${constraint.metric}' is not a number (${formatValue(actual)})` };
        }
        if (Number.isNaN(actual)) {
            return { ok: false, reason: `constraint ${constraint.text}: '${constraint.metric}' is NaN` };
        }
        order = compareWithTolerance(actual, constraint.value, tolerance);
    }
    else if (typeof actual === typeof constraint.value) {
        // Strings and booleans: only equality makes sense; ordering operators compare strings lexically.
        order = actual === constraint.value ? 0 : String(actual) < String(constraint.value) ? -1 : 1;
    }
    else {
        return {
            ok: false,
            reason: `constraint ${constraint.text}: '${constraint.metric}' is ${formatValue(actual)}, not comparable with ${formatValue(constraint.value)}`,
        };
    }
    const passed = constraint.operator === '<=' ? order <= 0
        : constraint.operator === '>=' ? order >= 0
            : constraint.operator === '<' ? order < 0
                : constraint.operator === '>' ? order > 0
                    : constraint.operator === '==' ? order === 0
                        : order !== 0;
    if (passed)
        return { ok: true };
    return { ok: false, reason: `constraint ${constraint.text} failed (${constraint.metric} = ${formatValue(actual)})` };
}

;// CONCATENATED MODULE: ./build/compare/rule.js

const DEFAULT_TOLERANCE = 1e-9;
/** Rounds away binary noise for messages: 0.04999999999999993 prints as 0.05. */
function formatNumber(value) {
    if (!Number.isFinite(value))
        return String(value);
    return String(Number(value.toPrecision(12)));
}
/** A ratio as a percentage with 4 significant digits: 0.0237387 prints as 2.374. */
function formatPercent(ratio) {
    if (!Number.isFinite(ratio))
        return String(ratio);
    return String(Number((ratio * 100).toPrecision(4)));
}
function formatValue(value) {
    if (typeof value === 'number')
        return formatNumber(value);
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (value === undefined)
        return 'missing';
    return JSON.stringify(value) ?? String(value);
}
const successStatuses = new Set(['succeeded', 'completed', 'complete', 'success']);
/** The usable numeric value of `metric`, or why there is none. */
function metricValue(metrics, metric) {
    const raw = metrics[metric];
    if (raw === undefined || raw === null)
        return { problem: `metric '${metric}' missing` };
    if (raw === 'NaN' || (typeof raw === 'number' && Number.isNaN(raw)))
        return { problem: `metric '${metric}' is NaN` };
    if (typeof raw !== 'number')
        return { problem: `metric '${metric}' is not a number (${formatValue(raw)})` };
    if (!Number.isFinite(raw))
        return { problem: `metric '${metric}' is not finite (${raw})` };
    return { value: raw };
}
function validateRule(rule) {
    const tolerance = rule.tolerance ?? DEFAULT_TOLERANCE;
    const checks = [
        ['tolerance', tolerance],
        ['minAbsoluteImprovement', rule.minAbsoluteImprovement],
        ['minRelativeImprovement', rule.minRelativeImprovement],
    ];
    for (const [name, value] of checks) {
        if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
            throw new RangeError(`selection rule: ${name} must be a finite number >= 0, got ${value}`);
        }
    }
    if (rule.threshold !== undefined && !Number.isFinite(rule.threshold)) {
        throw new RangeError(`selection rule: threshold must be a finite number, got ${rule.threshold}`);
    }
    return { constraints: rule.constraints.map(parseConstraint), tolerance };
}
/** Negative when `a` ranks before `b`. */
function compareGoal(a, b, goal, tolerance) {
    const order = compareWithTolerance(a, b, tolerance);
    return goal === 'max' ? -order : order;
}
function compareRows(a, b, rule, tolerance) {
    const main = compareGoal(a.value ?? 0, b.value ?? 0, rule.goal, tolerance);
    if (main !== 0)
        return main;
    for (const breaker of rule.tieBreakers) {
        const va = metricValue(a.metrics, breaker.metric);
        const vb = metricValue(b.metrics, breaker.metric);
        if ('value' in va && 'value' in vb) {
            const order = compareGoal(va.value, vb.value, breaker.goal, tolerance);
            if (order !== 0)
                return order;
        }
        else if ('value' in va) {
            return -1;
        }
        else if ('value' in vb) {
            return 1;
        }
    }
    if (a.node !== b.node)
        return a.node < b.node ? -1 : 1;
    if (a.executionId !== b.executionId)
        return a.executionId < b.executionId ? -1 : 1;
    return 0;
}
function exclusionReason(candidate, rule, constraints, tolerance) {
    if (!successStatuses.has(candidate.status))
        return `execution ${candidate.status}`;
    const main = metricValue(candidate.metrics, rule.metric);
    if ('problem' in main)
        return main.problem;
    if (rule.threshold !== undefined) {
        const order = compareWithTolerance(main.value, rule.threshold, tolerance);
        const passes = rule.goal === 'max' ? order >= 0 : order <= 0;
        if (!passes) {
            const op = rule.goal === 'max' ? '>=' : '<=';
            return `threshold ${rule.metric} ${op} ${formatNumber(rule.threshold)} failed (${rule.metric} = ${formatNumber(main.value)})`;
        }
    }
    for (const constraint of constraints) {
        const outcome = checkConstraint(constraint, candidate.metrics, tolerance, formatValue);
        if (!outcome.ok)
            return outcome.reason;
    }
    return undefined;
}
function describeRequirement(rule, baselineIsZero) {
    const parts = [];
    if (rule.minAbsoluteImprovement !== undefined)
        parts.push(`>= ${formatNumber(rule.minAbsoluteImprovement)} absolute`);
    if (rule.minRelativeImprovement !== undefined) {
        parts.push(baselineIsZero ? 'strictly better (relative change undefined for a baseline of 0)' : `>= ${formatPercent(rule.minRelativeImprovement)}% relative`);
    }
    return parts.length > 0 ? parts.join(' and ') : 'not worse';
}
/** Applies the rule. Pure: same input, same output. Throws RangeError/ConfigurationError on a bad rule. */
function selectBest(candidates, rule, baseline) {
    const { constraints, tolerance } = validateRule(rule);
    const baselineValue = baseline ? metricValue(baseline.metrics, rule.metric) : undefined;
    const usableBaseline = baselineValue && 'value' in baselineValue ? baselineValue.value : undefined;
    const eligible = [];
    const excluded = [];
    for (const candidate of candidates) {
        const row = {
            node: candidate.node,
            executionId: candidate.executionId,
            status: candidate.status,
            parameters: candidate.parameters,
            metrics: candidate.metrics,
            eligible: false,
            winner: false,
            outputs: candidate.outputs,
        };
        if (candidate.series)
            row.series = candidate.series;
        const main = metricValue(candidate.metrics, rule.metric);
        if ('value' in main) {
            row.value = main.value;
            if (usableBaseline !== undefined) {
                row.deltaAbsolute = main.value - usableBaseline;
                if (usableBaseline !== 0)
                    row.deltaRelative = (main.value - usableBaseline) / Math.abs(usableBaseline);
            }
        }
        const reason = exclusionReason(candidate, rule, constraints, tolerance);
        if (reason === undefined) {
            row.eligible = true;
            eligible.push(row);
        }
        else {
            row.excluded = reason;
            excluded.push(row);
        }
    }
    eligible.sort((a, b) => compareRows(a, b, rule, tolerance));
    eligible.forEach((row, index) => {
        row.rank = index + 1;
    });
    const table = [...eligible, ...excluded];
    const selection = { decision: 'no-candidate', reason: '', table, rule };
    if (baseline)
        selection.baseline = usableBaseline === undefined ? { ...baseline } : { ...baseline, value: usableBaseline };
    const winner = eligible[0];
    if (!winner || winner.value === undefined) {
        if (candidates.length === 0) {
            selection.reason = `no execution reported the metric '${rule.metric}'`;
        }
        else {
            const why = excluded.map((row) => `${row.node}: ${row.excluded ?? 'excluded'}`).join('; ');
            selection.reason = `all ${candidates.length} candidate${candidates.length === 1 ? ' was' : 's were'} excluded (${why})`;
        }
        return selection;
    }
    winner.winner = true;
    selection.winner = winner;
    const tiedWith = eligible.filter((row) => row !== winner && compareWithTolerance(row.value ?? 0, winner.value ?? 0, tolerance) === 0);
    const tieNote = tiedWith.length > 0 ? ` (tied on ${rule.metric} with ${tiedWith.map((row) => row.node).join(', ')}; broken by ${rule.tieBreakers.length > 0 ? 'tie-breakers, then node name' : 'node name'})` : '';
    const best = `${winner.node} has the best ${rule.metric} (${formatNumber(winner.value)})${tieNote}`;
    if (!baseline) {
        selection.decision = 'promote';
        selection.reason = `${best}; no baseline to beat`;
        return selection;
    }
    if (usableBaseline === undefined) {
        selection.decision = 'hold';
        const problem = baselineValue && 'problem' in baselineValue ? baselineValue.problem : 'unusable';
        selection.reason = `${best}, but the baseline (${baseline.source}) cannot be compared: ${problem}`;
        return selection;
    }
    const improvement = rule.goal === 'max' ? winner.value - usableBaseline : usableBaseline - winner.value;
    const absoluteOk = improvement >= (rule.minAbsoluteImprovement ?? 0) - tolerance;
    let relativeOk = true;
    let relativeImprovement;
    if (usableBaseline !== 0) {
        relativeImprovement = improvement / Math.abs(usableBaseline);
        relativeOk = relativeImprovement >= (rule.minRelativeImprovement ?? 0) - tolerance;
    }
    else if (rule.minRelativeImprovement !== undefined) {
        relativeOk = improvement > tolerance;
    }
    const passed = absoluteOk && relativeOk;
    selection.gate = { improvement, passed };
    if (relativeImprovement !== undefined)
        selection.gate.relativeImprovement = relativeImprovement;
    const sign = improvement >= 0 ? '+' : '';
    const relativeText = relativeImprovement !== undefined ? `, ${sign}${formatPercent(relativeImprovement)}%` : '';
    const requirement = describeRequirement(rule, usableBaseline === 0);
    const versus = `${rule.metric} ${formatNumber(winner.value)} vs baseline ${formatNumber(usableBaseline)}: improvement ${sign}${formatNumber(improvement)}${relativeText}; required ${requirement}`;
    selection.decision = passed ? 'promote' : 'hold';
    selection.reason = `${winner.node} ${passed ? 'beats' : 'does not beat'} the baseline (${versus})${tieNote}`;
    return selection;
}


/***/ }),

/***/ 1461:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CW: () => (/* binding */ formatDelta),
  Gc: () => (/* binding */ renderMarkdown)
});

// UNUSED EXPORTS: GITHUB_COMMENT_LIMIT, escapeCell, renderMarkdownWithin

// EXTERNAL MODULE: ./build/compare/rule.js + 1 modules
var compare_rule = __webpack_require__(1514);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 13 modules
var lib_core = __webpack_require__(6811);
;// CONCATENATED MODULE: ./build/github/client.js
/**
 * The Octokit client used by the report (and anything else that talks to the GitHub REST API):
 * bounded retries on rate limits, and a token that is masked in Actions logs and never printed.
 */


const defaultRetryPolicy = {
    retries: 3,
    backoffMs: (attempt) => 1000 * 2 ** (attempt - 1),
    maxDelayMs: 60_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
function client_httpFailure(error) {
    if (typeof error !== 'object' || error === null || !('status' in error) || typeof error.status !== 'number')
        return undefined;
    const response = 'response' in error && typeof error.response === 'object' && error.response !== null ? error.response : undefined;
    const rawHeaders = response && 'headers' in response && typeof response.headers === 'object' && response.headers !== null ? response.headers : {};
    const headers = {};
    for (const [key, value] of Object.entries(rawHeaders)) {
        if (typeof value === 'string' || typeof value === 'number')
            headers[key.toLowerCase()] = value;
    }
    const message = error instanceof Error ? error.message : `HTTP ${error.status}`;
    return { status: error.status, headers, message };
}
/**
 * How long GitHub asks us to wait, when the failure is a rate limit; undefined when it is not one.
 * Primary limit: 403/429 with `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`). Secondary
 * limit: 403/429 with `retry-after` seconds, or a 429 without headers (exponential backoff).
 */
function rateLimitDelay(failure, attempt, policy, now) {
    if (failure.status !== 403 && failure.status !== 429)
        return undefined;
    const retryAfter = Number(failure.headers['retry-after']);
    if (failure.headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
        return Math.max(0, retryAfter * 1000);
    if (String(failure.headers['x-ratelimit-remaining']) === '0') {
        const reset = Number(failure.headers['x-ratelimit-reset']);
        return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : policy.backoffMs(attempt);
    }
    // A 403 without rate-limit headers is a permission problem, not something a retry fixes.
    if (failure.status === 429)
        return policy.backoffMs(attempt);
    return undefined;
}
/** Thrown when the retries are spent: says what was asked, how often it was tried, and what to do. */
class RateLimitError extends (/* unused pure expression or super */ null && (Error)) {
    name = 'RateLimitError';
}
/** An Octokit whose every request (including pages of `paginate`) retries rate limits within bounds. */
function createGitHubClient(options) {
    if (options.token === '')
        throw new Error('a GitHub token is required');
    // `::add-mask::` makes the runner redact the value; outside Actions it would only echo the token.
    if (process.env['GITHUB_ACTIONS'] === 'true')
        core.setSecret(options.token);
    const policy = { ...defaultRetryPolicy, ...options.retry };
    const log = options.log ?? ((message) => core.info(message));
    const octokit = new Octokit({
        auth: options.token,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        userAgent: 'mlops-actions',
        // Octokit logs deprecation warnings (kept) and every failed request (dropped: failures are thrown
        // and reported once by the caller, and retries are logged below).
        log: { debug: () => undefined, info: () => undefined, warn: (message) => log(message), error: () => undefined },
    });
    octokit.hook.wrap('request', async (request, requestOptions) => {
        for (let attempt = 1;; attempt++) {
            try {
                return await request(requestOptions);
            }
            catch (error) {
                const failure = client_httpFailure(error);
                const delay = failure ? rateLimitDelay(failure, attempt, policy, Date.now()) : undefined;
                if (failure === undefined || delay === undefined)
                    throw error;
                const what = `${requestOptions.method} ${String(requestOptions.url)}`;
                if (attempt > policy.retries || delay > policy.maxDelayMs) {
                    const resetAt = Number(failure.headers['x-ratelimit-reset']);
                    const when = Number.isFinite(resetAt) ? ` The limit resets at ${new Date(resetAt * 1000).toISOString()}.` : '';
                    throw new RateLimitError(`GitHub API rate limit hit on ${what} (HTTP ${failure.status}: ${failure.message}); gave up after ${attempt - 1} ${attempt - 1 === 1 ? 'retry' : 'retries'}.${when} Re-run the job later, or spread the jobs that call the API.`);
                }
                log(`GitHub API rate limit on ${what} (HTTP ${failure.status}); retry ${attempt} of ${policy.retries} in ${Math.ceil(delay / 1000)} s`);
                await policy.sleep(delay);
            }
        }
    });
    return octokit;
}

;// CONCATENATED MODULE: ./build/github/comments.js


/** The hidden marker that identifies the report comment of one pipeline. */
function reportMarker(pipeline) {
    // `--` would end the HTML comment early; the pipeline name is user text.
    return `<!-- mlops-report:${pipeline.replace(/-{2,}/g, '-').replace(/>/g, '')} -->`;
}
/**
 * Creates or updates the comment carrying `marker` on the pull request. `body` must start with the
 * marker (the report's Markdown does). Throws ConfigurationError for a pull request that does not
 * exist; returns `skipped` when the token is read-only.
 */
async function upsertStickyComment(octokit, target, marker, body) {
    if (!body.startsWith(marker))
        throw new Error('the comment body must start with its marker');
    const { owner, repo, pullNumber } = target;
    let fork = false;
    try {
        const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
        fork = pull.head.repo !== null && pull.head.repo.full_name !== pull.base.repo.full_name;
    }
    catch (error) {
        if (httpFailure(error)?.status === 404) {
            throw new ConfigurationError(`pull request #${pullNumber} was not found in ${owner}/${repo} (HTTP 404). Check the pull-request number, and that the token can read the repository.`);
        }
        throw error;
    }
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 });
    // startsWith, not includes: a reply quoting the report must not be taken for it.
    const ours = comments.filter((comment) => (comment.body ?? '').startsWith(marker));
    try {
        const [existing, ...duplicates] = ours;
        for (const duplicate of duplicates) {
            await octokit.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
        }
        if (existing) {
            if (existing.body === body) {
                return { action: 'unchanged', commentId: existing.id, url: existing.html_url, deletedDuplicates: duplicates.length };
            }
            const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
            return { action: 'updated', commentId: data.id, url: data.html_url, deletedDuplicates: duplicates.length };
        }
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
        return { action: 'created', commentId: data.id, url: data.html_url, deletedDuplicates: 0 };
    }
    catch (error) {
        const failure = httpFailure(error);
        if (failure?.status === 403) {
            const origin = fork ? 'this pull request comes from a fork, and its workflow token is read-only' : 'the token lacks `pull-requests: write`';
            return { action: 'skipped', reason: `cannot write the pull request comment (HTTP 403: ${failure.message}): ${origin}. The report is in the job summary.` };
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./build/report/markdown.js


/** GitHub rejects issue comments longer than this (characters). */
const GITHUB_COMMENT_LIMIT = 65_536;
/** Makes user text safe inside a table cell: no column breaks, no raw HTML, no line breaks. */
function escapeCell(text) {
    return text
        .replace(/\\/g, '\\\\')
        .replace(/\|/g, '\\|')
        // `<` is what starts raw HTML; a lone `>` mid-line is plain text (and `>=` must stay readable).
        .replace(/</g, '&lt;')
        .replace(/\r?\n/g, ' ');
}
function code(text) {
    // Inside a table a code span still ends the cell at `|`: GFM wants it escaped there too.
    return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}
const decisionLabel = {
    promote: '✅ promote',
    hold: '⏸️ hold',
    'no-candidate': '⛔ no candidate',
};
function formatDelta(row) {
    if (row.deltaAbsolute === undefined)
        return '—';
    const sign = row.deltaAbsolute >= 0 ? '+' : '';
    const relative = row.deltaRelative === undefined ? '' : ` (${sign}${(0,compare_rule/* formatPercent */.l9)(row.deltaRelative)}%)`;
    return `${sign}${(0,compare_rule/* formatNumber */.ZV)(row.deltaAbsolute)}${relative}`;
}
function ruleSummary(selection) {
    const { rule } = selection;
    const parts = [`${rule.goal === 'max' ? 'maximise' : 'minimise'} ${code(rule.metric)}`];
    if (rule.tieBreakers.length > 0) {
        parts.push(`ties: ${rule.tieBreakers.map((t) => `${t.goal === 'max' ? 'max' : 'min'} ${code(t.metric)}`).join(', ')}, then node name`);
    }
    if (rule.threshold !== undefined)
        parts.push(`threshold ${code(`${rule.metric} ${rule.goal === 'max' ? '>=' : '<='} ${(0,compare_rule/* formatNumber */.ZV)(rule.threshold)}`)}`);
    if (rule.constraints.length > 0)
        parts.push(`constraints ${rule.constraints.map(code).join(', ')}`);
    const gate = [];
    if (rule.minAbsoluteImprovement !== undefined)
        gate.push(`≥ ${(0,compare_rule/* formatNumber */.ZV)(rule.minAbsoluteImprovement)} absolute`);
    if (rule.minRelativeImprovement !== undefined)
        gate.push(`≥ ${(0,compare_rule/* formatPercent */.l9)(rule.minRelativeImprovement)}% relative`);
    parts.push(`gate vs baseline: ${gate.length > 0 ? gate.join(' and ') : 'not worse'} (tolerance ${(0,compare_rule/* formatNumber */.ZV)(rule.tolerance ?? 1e-9)})`);
    return parts.join('; ');
}
function baselineSummary(selection) {
    const { baseline, rule } = selection;
    if (!baseline)
        return 'No baseline: the best candidate is the first model.';
    const label = baseline.label ? `${escapeCell(baseline.label)}, ` : '';
    const value = baseline.value === undefined ? `no usable ${code(rule.metric)}` : `${code(rule.metric)} = ${(0,compare_rule/* formatNumber */.ZV)(baseline.value)}`;
    return `Baseline (${label}${escapeCell(baseline.source)}): ${value}.`;
}
/** Columns: the rule's metrics first, then other metrics with numeric values, in first-seen order. */
function metricColumns(selection, maxColumns) {
    const { rule, table } = selection;
    const ordered = [rule.metric, ...rule.tieBreakers.map((t) => t.metric)];
    for (const constraint of rule.constraints) {
        const name = /^\s*(?:metadata\.)?([A-Za-z_][A-Za-z0-9_.\-/]*)/.exec(constraint)?.[1];
        if (name)
            ordered.push(name);
    }
    for (const row of table) {
        for (const [key, value] of Object.entries(row.metrics)) {
            if (typeof value === 'number' && !key.startsWith('_'))
                ordered.push(key);
        }
    }
    return [...new Set(ordered)].slice(0, Math.max(1, maxColumns));
}
function parameterColumns(selection, maxColumns) {
    const keys = [];
    for (const row of selection.table)
        keys.push(...Object.keys(row.parameters));
    return [...new Set(keys)].slice(0, maxColumns);
}
function cellValue(value) {
    if (value === undefined)
        return '—';
    return escapeCell(typeof value === 'string' ? value : (0,compare_rule/* formatValue */.Fl)(value));
}
function mermaidLabel(text) {
    // xychart-beta labels are double-quoted strings without an escape syntax.
    return `"${text.replace(/["\\]/g, "'").replace(/[<>]/g, '').replace(/[\r\n]/g, ' ')}"`;
}
function barChart(selection) {
    const rows = selection.table.filter((row) => row.value !== undefined).slice(0, 20);
    if (rows.length === 0)
        return undefined;
    const metric = selection.rule.metric;
    return [
        '```mermaid',
        'xychart-beta',
        `  title ${mermaidLabel(`${metric} per candidate${selection.baseline?.value !== undefined ? ` (baseline ${(0,compare_rule/* formatNumber */.ZV)(selection.baseline.value)})` : ''}`)}`,
        // xychart bars cannot be coloured one by one: the label marks the winner and the excluded.
        `  x-axis [${rows.map((row) => mermaidLabel(row.winner ? `${row.node} ★` : row.eligible ? row.node : `${row.node} (excluded)`)).join(', ')}]`,
        `  y-axis ${mermaidLabel(metric)}`,
        `  bar [${rows.map((row) => (0,compare_rule/* formatNumber */.ZV)(row.value ?? 0)).join(', ')}]`,
        '```',
    ].join('\n');
}
/** A line chart of one metric series (the main metric's if printed per step, else the first found). */
function seriesChart(selection) {
    const withSeries = selection.table.filter((row) => row.series && Object.keys(row.series).length > 0).slice(0, 5);
    if (withSeries.length === 0)
        return undefined;
    const keys = withSeries.flatMap((row) => Object.keys(row.series ?? {}));
    const key = keys.includes(selection.rule.metric) ? selection.rule.metric : keys[0];
    if (key === undefined)
        return undefined;
    const lines = withSeries.filter((row) => (row.series?.[key]?.length ?? 0) > 1);
    const length = Math.max(...lines.map((row) => row.series?.[key]?.length ?? 0));
    if (lines.length === 0 || length < 2)
        return undefined;
    const steps = Array.from({ length }, (_, i) => String(i + 1));
    return [
        `${code(key)} over steps: ${lines.map((row, index) => `line ${index + 1} = ${escapeCell(row.node)}`).join(', ')}`,
        '',
        '```mermaid',
        'xychart-beta',
        `  title ${mermaidLabel(`${key} per step`)}`,
        `  x-axis [${steps.join(', ')}]`,
        `  y-axis ${mermaidLabel(key)}`,
        ...lines.map((row) => {
            const points = row.series?.[key] ?? [];
            // Shorter series are padded with their last value so that every line spans the axis.
            const padded = steps.map((_, i) => points[Math.min(i, points.length - 1)] ?? 0);
            return `  line [${padded.map(compare_rule/* formatNumber */.ZV).join(', ')}]`;
        }),
        '```',
    ].join('\n');
}
function outputsSection(selection, links) {
    const winner = selection.winner;
    if (!winner || winner.outputs.length === 0)
        return undefined;
    const shown = winner.outputs.slice(0, 20);
    const lines = shown.map((output) => `- ${code(output.path)} (${output.size} bytes, sha256 ${code(output.sha256.slice(0, 12))})`);
    if (winner.outputs.length > shown.length)
        lines.push(`- … and ${winner.outputs.length - shown.length} more`);
    const where = links?.artifactsUrl ? ` ([artifacts](${links.artifactsUrl}))` : '';
    return [`**Model files of ${escapeCell(winner.node)}**${where}:`, '', ...lines].join('\n');
}
/** Renders the report. The first line is always the marker. */
function renderMarkdown(input, options = {}) {
    const { selection, links } = input;
    const maxColumns = options.maxColumns ?? 8;
    const metrics = metricColumns(selection, maxColumns);
    const parameters = parameterColumns(selection, maxColumns);
    const rows = options.maxRows === undefined ? selection.table : selection.table.slice(0, options.maxRows);
    const header = ['', 'Node', 'Execution', 'Status', ...parameters.map(code), ...metrics.map(code), `Δ ${code(selection.rule.metric)} vs baseline`, 'Note'];
    const tableLines = [
        `| ${header.join(' | ')} |`,
        `|${header.map(() => '---').join('|')}|`,
        ...rows.map((row) => {
            const place = row.winner ? '🏆' : row.rank !== undefined ? String(row.rank) : '✗';
            const note = row.excluded ? `excluded: ${escapeCell(row.excluded)}` : row.winner ? `**winner** (${selection.decision})` : '';
            const cells = [
                place,
                row.winner ? `**${escapeCell(row.node)}**` : escapeCell(row.node),
                code(row.executionId),
                escapeCell(row.status),
                ...parameters.map((key) => cellValue(row.parameters[key])),
                ...metrics.map((key) => cellValue(row.metrics[key])),
                formatDelta(row),
                note,
            ];
            return `| ${cells.join(' | ')} |`;
        }),
    ];
    if (rows.length < selection.table.length) {
        const more = selection.table.length - rows.length;
        const where = links?.fullReportUrl ? `: [full report](${links.fullReportUrl})` : '';
        tableLines.push('', `_${more} more candidate${more === 1 ? '' : 's'} not shown (the comment would exceed GitHub's size limit)${where}._`);
    }
    const runLink = links?.runUrl ? ` · [run](${links.runUrl})` : '';
    const artifactLink = links?.artifactsUrl ? ` · [artifacts](${links.artifactsUrl})` : '';
    const runText = input.runId ? ` · run ${code(input.runId)}` : '';
    const sections = [
        reportMarker(input.pipeline),
        `## Model comparison: ${code(input.pipeline)}`,
        `**Decision: ${decisionLabel[selection.decision]}**: ${escapeCell(selection.reason)}`,
        `Rule: ${ruleSummary(selection)}.  \n${baselineSummary(selection)}${runText}${runLink}${artifactLink}`,
        selection.table.length > 0 ? tableLines.join('\n') : '_No candidate executions._',
        barChart(selection),
        seriesChart(selection),
        outputsSection(selection, links),
    ];
    return `${sections.filter((section) => section !== undefined).join('\n\n')}\n`;
}
/**
 * The report within `limit` characters: full when it fits, else with fewer table rows (and charts
 * only while they fit), ending with a link to the full report. Never cuts in the middle of a line.
 */
function renderMarkdownWithin(input, limit = GITHUB_COMMENT_LIMIT) {
    const full = renderMarkdown(input);
    if (full.length <= limit)
        return { markdown: full, shortened: false };
    let rows = input.selection.table.length;
    while (rows > 0) {
        rows = Math.floor(rows / 2);
        const shorter = renderMarkdown(input, { maxRows: rows, maxColumns: 6 });
        if (shorter.length <= limit)
            return { markdown: shorter, shortened: true };
    }
    // Even the header is too long (absurd column contents): marker, decision and the link only.
    const where = input.links?.fullReportUrl ? ` See the [full report](${input.links.fullReportUrl}).` : '';
    const minimal = `${markerFor(input.pipeline)}\n## Model comparison: ${code(input.pipeline)}\n\n**Decision: ${decisionLabel[input.selection.decision]}**: ${escapeCell(input.selection.reason).slice(0, 2000)}\n\n_The report is too long for a comment._${where}\n`;
    return { markdown: minimal.slice(0, limit), shortened: true };
}


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
