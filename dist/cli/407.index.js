export const id = 407;
export const ids = [407];
export const modules = {

/***/ 5556:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cg: () => (/* binding */ candidatesFromEvaluationFiles),
/* harmony export */   IR: () => (/* binding */ loadRunCandidates),
/* harmony export */   im: () => (/* binding */ loadBaselineFile),
/* harmony export */   rZ: () => (/* binding */ filterCandidates),
/* harmony export */   xw: () => (/* binding */ runDirectory)
/* harmony export */ });
/* unused harmony exports seriesFromMetadataEvents, candidatesFromNodeRecords */
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
    return {
        runId,
        pipeline: stringOr(data['pipeline'], 'pipeline'),
        status: stringOr(data['status'], 'unknown'),
        candidates: candidatesFromNodeRecords(recordOrEmpty(data['nodes'])),
    };
}
/**
 * Candidates of the `nodes` of a run record (`{[node]: {executions: [...]}}`, see loadRunCandidates),
 * with lineage. Also fed with records rebuilt from a workflow run's node artifacts.
 */
function candidatesFromNodeRecords(nodes) {
    const candidates = [];
    const lineage = new RunLineage(nodes);
    for (const [node, nodeRecord] of Object.entries(nodes)) {
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
            lineage.attach(candidate, execution);
            candidates.push(candidate);
        });
    }
    return candidates;
}
/**
 * Who produced which file in a run (by sha256), so that a candidate that only evaluates a model can be
 * shown with the hyperparameters and files of the execution that trained it.
 */
class RunLineage {
    producers = new Map();
    depths = new Map();
    constructor(nodes) {
        for (const [node, nodeRecord] of Object.entries(nodes)) {
            const executions = isRecord(nodeRecord) && Array.isArray(nodeRecord['executions']) ? nodeRecord['executions'] : [];
            for (const execution of executions) {
                if (!isRecord(execution) || typeof execution['executionId'] !== 'string')
                    continue;
                const producer = {
                    node,
                    executionId: execution['executionId'],
                    parameters: recordOrEmpty(execution['parameters']),
                    outputs: parseOutputs(execution['outputs']),
                    inputs: execution['inputs'],
                };
                for (const output of producer.outputs)
                    if (!this.producers.has(output.sha256))
                        this.producers.set(output.sha256, producer);
            }
        }
    }
    /** The executions whose outputs arrived in these recorded inputs (`{name: [{sha256}]}`). */
    upstreamOf(inputs, self) {
        const found = [];
        for (const files of Object.values(recordOrEmpty(inputs))) {
            if (!Array.isArray(files))
                continue;
            for (const file of files) {
                const sha = isRecord(file) && typeof file['sha256'] === 'string' ? file['sha256'] : undefined;
                const producer = sha === undefined ? undefined : this.producers.get(sha);
                if (producer && producer.executionId !== self && !found.includes(producer))
                    found.push(producer);
            }
        }
        return found;
    }
    /** Distance from the sources; on a parameter clash the deeper (later) producer wins. */
    depth(producer, seen = new Set()) {
        const known = this.depths.get(producer);
        if (known !== undefined)
            return known;
        if (seen.has(producer))
            return 0;
        seen.add(producer);
        const parents = this.upstreamOf(producer.inputs, producer.executionId);
        const depth = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => this.depth(p, seen)));
        this.depths.set(producer, depth);
        return depth;
    }
    attach(candidate, execution) {
        const upstream = this.upstreamOf(execution['inputs'], candidate.executionId);
        if (upstream.length === 0)
            return;
        const byDepth = [...upstream].sort((a, b) => this.depth(a) - this.depth(b));
        const inherited = {};
        for (const producer of byDepth)
            Object.assign(inherited, producer.parameters);
        candidate.parameters = { ...inherited, ...candidate.parameters };
        candidate.upstream = upstream.map(({ node, executionId, outputs }) => ({ node, executionId, outputs }));
    }
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
/* harmony import */ var _pipeline_load_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9395);
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
        const { node, executionId, metrics, outputs, upstream } = selection.winner;
        stored.winner = { node, executionId, metrics, outputs };
        if (upstream)
            stored.winner.upstream = upstream;
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
        if (candidate.upstream)
            row.upstream = candidate.upstream;
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


/***/ })

};
