export const id = 374;
export const ids = [374,49];
export const modules = {

/***/ 9049:
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
// EXTERNAL MODULE: ./build/report/markdown.js + 1 modules
var markdown = __webpack_require__(481);
// EXTERNAL MODULE: ./build/store/project.js
var project = __webpack_require__(879);
// EXTERNAL MODULE: ./build/registry/local.js + 1 modules
var local = __webpack_require__(7379);
// EXTERNAL MODULE: ./build/registry/model.js
var registry_model = __webpack_require__(7415);
;// CONCATENATED MODULE: ./build/registry/baseline.js


/**
 * The `alias` version of `model` (default: the only model in the registry) as a baseline; undefined
 * when the registry has no such model or alias yet (the first model is then compared with nothing).
 */
async function baselineFromRegistry(projectDir, model, alias = 'production') {
    const registry = new local/* LocalRegistry */.p(projectDir);
    const names = await registry.models();
    const name = model !== undefined ? (0,registry_model/* checkModelName */.Xs)(model) : names.length === 1 ? names[0] : undefined;
    if (name === undefined || !names.includes(name))
        return undefined;
    const entry = (await registry.aliases(name))[alias];
    if (!entry)
        return undefined;
    const version = (await registry.versions(name)).find((v) => v.version === entry.version);
    if (!version)
        return undefined;
    return { source: `registry ${name}@${alias}`, label: `${alias} (${name} v${version.version})`, metrics: version.metrics };
}

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
  --baseline-model NAME     the registry's production version of this model; without any baseline
                            option, the production version of the registry's only model is used
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
                'baseline-model': { type: 'string' },
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
        if (values.baseline === undefined && values['baseline-run'] === undefined) {
            baseline = await baselineFromRegistry(projectDir, values['baseline-model']);
            if (!baseline && values['baseline-model'] !== undefined)
                throw new errors/* ConfigurationError */.j(`model ${values['baseline-model']} has no production version in the registry`);
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

/***/ 1374:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  command: () => (/* binding */ command)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/compare/compare.js
var compare = __webpack_require__(1407);
// EXTERNAL MODULE: ./build/compare/rule.js + 1 modules
var rule = __webpack_require__(1514);
// EXTERNAL MODULE: ./build/report/markdown.js + 1 modules
var markdown = __webpack_require__(481);
;// CONCATENATED MODULE: ./build/report/html.js
/**
 * The comparison report as one self-contained HTML file for local use: inline CSS and an inline SVG
 * bar chart, no script, no network. Every piece of user text is escaped.
 */


function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
function barChartSvg(input) {
    const rows = input.selection.table.filter((row) => row.value !== undefined).slice(0, 30);
    if (rows.length === 0)
        return '';
    const values = rows.map((row) => row.value ?? 0);
    const baseline = input.selection.baseline?.value;
    const low = Math.min(0, ...values, baseline ?? 0);
    const high = Math.max(...values, baseline ?? Number.NEGATIVE_INFINITY, low + 1e-12);
    const barWidth = 48;
    const gap = 16;
    const height = 200;
    const width = rows.length * (barWidth + gap) + gap;
    const y = (value) => height - ((value - low) / (high - low)) * height;
    const bars = rows
        .map((row, index) => {
        const x = gap + index * (barWidth + gap);
        const top = y(Math.max(row.value ?? 0, 0));
        const bottom = y(Math.min(row.value ?? 0, 0));
        const fill = row.winner ? '#2da44e' : row.eligible ? '#8c959f' : '#d1242f';
        return `<g><title>${escapeHtml(`${row.node}: ${(0,rule/* formatNumber */.ZV)(row.value ?? 0)}`)}</title><rect x="${x}" y="${top.toFixed(1)}" width="${barWidth}" height="${Math.max(bottom - top, 1).toFixed(1)}" fill="${fill}"/><text x="${x + barWidth / 2}" y="${height + 14}" text-anchor="middle" font-size="10">${escapeHtml(row.node.slice(0, 12))}</text></g>`;
    })
        .join('');
    const baselineLine = baseline === undefined ? '' : `<line x1="0" x2="${width}" y1="${y(baseline).toFixed(1)}" y2="${y(baseline).toFixed(1)}" stroke="#0969da" stroke-dasharray="4 3"><title>baseline ${escapeHtml((0,rule/* formatNumber */.ZV)(baseline))}</title></line>`;
    return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" role="img" aria-label="${escapeHtml(input.selection.rule.metric)} per candidate">${bars}${baselineLine}</svg><figcaption>${escapeHtml(input.selection.rule.metric)} per candidate (green: winner, red: excluded${baseline === undefined ? '' : ', dashed: baseline'})</figcaption></figure>`;
}
function renderHtml(input) {
    const { selection } = input;
    const parameterKeys = [...new Set(selection.table.flatMap((row) => Object.keys(row.parameters)))];
    const metricKeys = [...new Set([selection.rule.metric, ...selection.table.flatMap((row) => Object.keys(row.metrics).filter((key) => !key.startsWith('_')))])];
    const head = ['', 'Node', 'Execution', 'Status', ...parameterKeys, ...metricKeys, `Δ ${selection.rule.metric} vs baseline`, 'Note'];
    const cell = (value) => (value === undefined ? '—' : (0,rule/* formatValue */.Fl)(value).replace(/^"(.*)"$/, '$1'));
    const body = selection.table
        .map((row) => {
        const cells = [
            row.winner ? '🏆' : row.rank !== undefined ? String(row.rank) : '✗',
            row.node,
            row.executionId,
            row.status,
            ...parameterKeys.map((key) => cell(row.parameters[key])),
            ...metricKeys.map((key) => cell(row.metrics[key])),
            (0,markdown/* formatDelta */.CW)(row),
            row.excluded ? `excluded: ${row.excluded}` : row.winner ? `winner (${selection.decision})` : '',
        ];
        return `<tr class="${row.winner ? 'winner' : row.eligible ? '' : 'excluded'}">${cells.map((text) => `<td>${escapeHtml(text)}</td>`).join('')}</tr>`;
    })
        .join('\n');
    const baseline = selection.baseline;
    const baselineText = baseline
        ? `Baseline (${baseline.label ? `${baseline.label}, ` : ''}${baseline.source}): ${baseline.value === undefined ? `no usable ${selection.rule.metric}` : `${selection.rule.metric} = ${(0,rule/* formatNumber */.ZV)(baseline.value)}`}`
        : 'No baseline: the best candidate is the first model.';
    const title = `Model comparison: ${input.pipeline}${input.runId ? ` (run ${input.runId})` : ''}`;
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #d0d7de; padding: 0.3rem 0.6rem; text-align: left; }
tr.winner { background: #dafbe1; font-weight: 600; }
tr.excluded { color: #57606a; }
.decision { font-size: 1.2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="decision"><strong>Decision: ${escapeHtml(selection.decision)}</strong>: ${escapeHtml(selection.reason)}</p>
<p>${escapeHtml(baselineText)}</p>
<table>
<thead><tr>${head.map((text) => `<th>${escapeHtml(text)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody>
</table>
${barChartSvg(input)}
</body>
</html>
`;
}

;// CONCATENATED MODULE: ./build/report/svg.js
/**
 * The report as one SVG picture (decision, table, bar chart): for READMEs and artifacts, where
 * neither Markdown tables nor Mermaid render. Every piece of user text is escaped.
 */



const width = 960;
const font = "font-family='-apple-system,Segoe UI,Helvetica,Arial,sans-serif'";
function wrap(text, max) {
    const lines = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
        if (line !== '' && line.length + word.length + 1 > max) {
            lines.push(line);
            line = word;
        }
        else {
            line = line === '' ? word : `${line} ${word}`;
        }
    }
    if (line !== '')
        lines.push(line);
    return lines;
}
function clip(text, max) {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
function renderSvg(input) {
    const { selection } = input;
    const parts = [];
    let y = 36;
    parts.push(`<text x="24" y="${y}" font-size="22" font-weight="600">Model comparison: ${escapeHtml(input.pipeline)}${input.runId ? ` · run ${escapeHtml(input.runId)}` : ''}</text>`);
    y += 34;
    const colour = selection.decision === 'promote' ? '#1a7f37' : selection.decision === 'hold' ? '#9a6700' : '#cf222e';
    parts.push(`<rect x="24" y="${y - 18}" width="132" height="26" rx="13" fill="${colour}"/><text x="90" y="${y}" font-size="14" font-weight="600" fill="#fff" text-anchor="middle">${escapeHtml(selection.decision.toUpperCase())}</text>`);
    for (const [index, line] of wrap(selection.reason, 92).entries()) {
        parts.push(`<text x="170" y="${y + index * 18}" font-size="14">${escapeHtml(line)}</text>`);
    }
    y += Math.max(1, wrap(selection.reason, 92).length) * 18 + 16;
    const metric = selection.rule.metric;
    const parameterKeys = [...new Set(selection.table.flatMap((row) => Object.keys(row.parameters)))].slice(0, 4);
    const metricKeys = [...new Set([metric, ...selection.rule.tieBreakers.map((t) => t.metric)])].slice(0, 3);
    const headers = ['', 'Node', ...parameterKeys, ...metricKeys, `Δ ${metric}`, 'Note'];
    const widths = [30, 150, ...parameterKeys.map(() => 84), ...metricKeys.map(() => 84), 150];
    widths.push(Math.max(80, width - 48 - widths.reduce((sum, w) => sum + w, 0)));
    const rowHeight = 26;
    const rows = selection.table.slice(0, 12);
    parts.push(`<rect x="24" y="${y}" width="${width - 48}" height="${rowHeight}" fill="#f6f8fa" stroke="#d0d7de"/>`);
    let x = 24;
    headers.forEach((header, index) => {
        parts.push(`<text x="${x + 6}" y="${y + 17}" font-size="13" font-weight="600">${escapeHtml(clip(header, Math.floor((widths[index] ?? 80) / 8.2)))}</text>`);
        x += widths[index] ?? 80;
    });
    y += rowHeight;
    for (const row of rows) {
        const fill = row.winner ? '#dafbe1' : '#ffffff';
        parts.push(`<rect x="24" y="${y}" width="${width - 48}" height="${rowHeight}" fill="${fill}" stroke="#d0d7de"/>`);
        const cell = (value) => (value === undefined ? '—' : (0,rule/* formatValue */.Fl)(value).replace(/^"(.*)"$/, '$1'));
        const cells = [
            row.winner ? '★' : row.rank !== undefined ? String(row.rank) : '✗',
            row.node,
            ...parameterKeys.map((key) => cell(row.parameters[key])),
            ...metricKeys.map((key) => cell(row.metrics[key])),
            (0,markdown/* formatDelta */.CW)(row),
            row.excluded ? `excluded: ${row.excluded}` : row.winner ? 'winner' : '',
        ];
        x = 24;
        cells.forEach((text, index) => {
            const columnWidth = widths[index] ?? 80;
            const weight = row.winner && index === 1 ? " font-weight='600'" : '';
            parts.push(`<text x="${x + 6}" y="${y + 17}" font-size="13"${weight}${row.eligible ? '' : " fill='#57606a'"}>${escapeHtml(clip(text, Math.floor(columnWidth / 7.6)))}</text>`);
            x += columnWidth;
        });
        y += rowHeight;
    }
    if (selection.table.length > rows.length) {
        y += 18;
        parts.push(`<text x="24" y="${y}" font-size="12" fill="#57606a">… ${selection.table.length - rows.length} more candidates</text>`);
    }
    const bars = selection.table.filter((row) => row.value !== undefined).slice(0, 12);
    if (bars.length > 0) {
        y += 30;
        parts.push(`<text x="24" y="${y}" font-size="15" font-weight="600">${escapeHtml(metric)} per candidate</text>`);
        y += 12;
        const chartHeight = 160;
        const values = bars.map((row) => row.value ?? 0);
        const baseline = selection.baseline?.value;
        // The axis starts just below the smallest value, as Mermaid's xychart does, so differences show.
        const all = baseline === undefined ? values : [...values, baseline];
        const spread = Math.max(...all) - Math.min(...all) || Math.abs(Math.max(...all)) || 1;
        const low = Math.min(...all) - spread * 0.5;
        const high = Math.max(...all) + spread * 0.1;
        const scale = (value) => y + chartHeight - ((value - low) / (high - low)) * chartHeight;
        const slot = Math.min(140, (width - 120) / bars.length);
        bars.forEach((row, index) => {
            const barX = 80 + index * slot + slot * 0.15;
            const top = scale(row.value ?? 0);
            const fill = row.winner ? '#2da44e' : row.eligible ? '#8c959f' : '#ff8182';
            parts.push(`<rect x="${barX.toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(y + chartHeight - top).toFixed(1)}" fill="${fill}"/>`);
            parts.push(`<text x="${(barX + slot * 0.35).toFixed(1)}" y="${(top - 4).toFixed(1)}" font-size="12" text-anchor="middle">${escapeHtml((0,rule/* formatNumber */.ZV)(row.value ?? 0))}</text>`);
            parts.push(`<text x="${(barX + slot * 0.35).toFixed(1)}" y="${y + chartHeight + 16}" font-size="12" text-anchor="middle">${escapeHtml(clip(row.node, Math.floor(slot / 7)))}</text>`);
        });
        parts.push(`<line x1="72" x2="${width - 24}" y1="${y + chartHeight}" y2="${y + chartHeight}" stroke="#57606a"/>`);
        if (baseline !== undefined) {
            const baseY = scale(baseline).toFixed(1);
            parts.push(`<line x1="72" x2="${width - 24}" y1="${baseY}" y2="${baseY}" stroke="#0969da" stroke-dasharray="6 4"/>`);
            parts.push(`<text x="${width - 28}" y="${Number(baseY) - 4}" font-size="12" fill="#0969da" text-anchor="end">baseline ${escapeHtml((0,rule/* formatNumber */.ZV)(baseline))}${selection.baseline?.label ? ` (${escapeHtml(selection.baseline.label)})` : ''}</text>`);
        }
        y += chartHeight + 24;
    }
    const height = y + 16;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${font} fill="#1f2328">
<rect width="${width}" height="${height}" fill="#ffffff" stroke="#d0d7de"/>
${parts.join('\n')}
</svg>
`;
}

// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
// EXTERNAL MODULE: ./build/cli/commands/compare.js + 2 modules
var commands_compare = __webpack_require__(9049);
// EXTERNAL MODULE: ./build/store/project.js
var project = __webpack_require__(879);
// EXTERNAL MODULE: ./build/store/runs.js
var runs = __webpack_require__(9366);
;// CONCATENATED MODULE: ./build/cli/commands/report.js












const usage = `Usage: mlops report [RUN] [--html FILE] [options]

Prints the comparison report of a run (default: the most recent run in .mlops/runs) as Markdown:
one row per candidate with parameters, metrics and deltas against the baseline, the winner, the
decision and its reason, and Mermaid charts. Uses the decision stored by \`mlops compare --run\`;
when there is none, applies the selection rule of the pipeline file first (and stores it).

Options:
  --html FILE         also write a self-contained HTML page
  --svg FILE          also write the report as an SVG picture (decision, table, chart)
  --file FILE         pipeline file with the selection rule (default ./valohai.yaml)
  --project-dir DIR   the project folder of run records (default: .mlops in the repository)
  --metric, --goal, --tie-breakers, --constraint, --threshold, --min-absolute, --min-relative,
  --tolerance         rule options as for \`mlops compare\`, used only when no decision is stored`;
const command = {
    summary: 'print the comparison report of a run (Markdown, optionally HTML)',
    usage,
    async run(argv) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: argv,
            options: {
                html: { type: 'string' },
                svg: { type: 'string' },
                file: { type: 'string' },
                'project-dir': { type: 'string' },
                ...commands_compare.ruleOptions,
            },
            allowPositionals: true,
        });
        if (positionals.length > 1)
            throw new errors/* ConfigurationError */.j(`report takes one run id, got ${positionals.length}.\n${usage}`);
        const projectDir = (0,project/* projectDirFor */.cv)(values['project-dir']);
        const runId = await (0,runs/* resolveRunId */.nv)(projectDir, positionals[0] ?? 'latest');
        let stored = await (0,compare/* readStoredDecision */.mG)(projectDir, runId);
        if (!stored) {
            const file = values.file ?? 'valohai.yaml';
            const fileRule = values.file !== undefined || (0,external_node_fs_.existsSync)(file) ? await (0,compare/* ruleFromPipelineFile */.bc)(file) : undefined;
            const rule = (0,compare/* resolveRule */.rj)(fileRule, (0,commands_compare.ruleOverridesFromOptions)(values));
            stored = (await (0,compare/* compareRun */.XZ)(projectDir, runId, { rule })).stored;
        }
        const input = { pipeline: stored.pipeline, runId, selection: stored.selection, links: { runUrl: (0,external_node_path_.join)('.mlops', 'runs', runId) } };
        process.stdout.write((0,markdown/* renderMarkdown */.Gc)(input));
        if (values.html !== undefined) {
            await (0,fs/* writeFileAtomic */.Z)(values.html, renderHtml(input));
            process.stderr.write(`HTML report written to ${values.html}\n`);
        }
        if (values.svg !== undefined) {
            await (0,fs/* writeFileAtomic */.Z)(values.svg, renderSvg(input));
            process.stderr.write(`SVG picture written to ${values.svg}\n`);
        }
        return 0;
    },
};


/***/ }),

/***/ 4463:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LX: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* unused harmony exports defaultRetryPolicy, httpFailure, rateLimitDelay, RateLimitError */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _octokit_rest__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(891);
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
function httpFailure(error) {
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
class RateLimitError extends Error {
    name = 'RateLimitError';
}
/** An Octokit whose every request (including pages of `paginate`) retries rate limits within bounds. */
function createGitHubClient(options) {
    if (options.token === '')
        throw new Error('a GitHub token is required');
    // `::add-mask::` makes the runner redact the value; outside Actions it would only echo the token.
    if (process.env['GITHUB_ACTIONS'] === 'true')
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(options.token);
    const policy = { ...defaultRetryPolicy, ...options.retry };
    const log = options.log ?? ((message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(message));
    const octokit = new _octokit_rest__WEBPACK_IMPORTED_MODULE_1__/* .Octokit */ .E({
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
                const failure = httpFailure(error);
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


/***/ }),

/***/ 481:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CW: () => (/* binding */ formatDelta),
  Gc: () => (/* binding */ renderMarkdown)
});

// UNUSED EXPORTS: GITHUB_COMMENT_LIMIT, escapeCell, renderMarkdownWithin

// EXTERNAL MODULE: ./build/compare/rule.js + 1 modules
var compare_rule = __webpack_require__(1514);
// EXTERNAL MODULE: ./build/github/client.js
var client = __webpack_require__(4463);
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
    for (const producer of winner.upstream ?? []) {
        lines.push(`- from ${escapeCell(producer.node)} (${code(producer.executionId)}), which it received as inputs:`);
        for (const output of producer.outputs.slice(0, 20)) {
            lines.push(`  - ${code(output.path)} (${output.size} bytes, sha256 ${code(output.sha256.slice(0, 12))})`);
        }
    }
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


/***/ })

};
