export const id = 374;
export const ids = [374];
export const modules = {

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
// EXTERNAL MODULE: ./build/report/markdown.js + 2 modules
var markdown = __webpack_require__(1461);
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
// EXTERNAL MODULE: ./build/cli/commands/compare.js + 1 modules
var commands_compare = __webpack_require__(9637);
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


/***/ })

};
