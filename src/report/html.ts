/**
 * The comparison report as one self-contained HTML file for local use: inline CSS and an inline SVG
 * bar chart, no script, no network. Every piece of user text is escaped.
 */
import { formatNumber, formatValue } from '../compare/rule.js';
import { formatDelta, type ReportInput } from './markdown.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function barChartSvg(input: ReportInput): string {
  const rows = input.selection.table.filter((row) => row.value !== undefined).slice(0, 30);
  if (rows.length === 0) return '';
  const values = rows.map((row) => row.value ?? 0);
  const baseline = input.selection.baseline?.value;
  const low = Math.min(0, ...values, baseline ?? 0);
  const high = Math.max(...values, baseline ?? Number.NEGATIVE_INFINITY, low + 1e-12);
  const barWidth = 48;
  const gap = 16;
  const height = 200;
  const width = rows.length * (barWidth + gap) + gap;
  const y = (value: number): number => height - ((value - low) / (high - low)) * height;
  const bars = rows
    .map((row, index) => {
      const x = gap + index * (barWidth + gap);
      const top = y(Math.max(row.value ?? 0, 0));
      const bottom = y(Math.min(row.value ?? 0, 0));
      const fill = row.winner ? '#2da44e' : row.eligible ? '#8c959f' : '#d1242f';
      return `<g><title>${escapeHtml(`${row.node}: ${formatNumber(row.value ?? 0)}`)}</title><rect x="${x}" y="${top.toFixed(1)}" width="${barWidth}" height="${Math.max(bottom - top, 1).toFixed(1)}" fill="${fill}"/><text x="${x + barWidth / 2}" y="${height + 14}" text-anchor="middle" font-size="10">${escapeHtml(row.node.slice(0, 12))}</text></g>`;
    })
    .join('');
  const baselineLine =
    baseline === undefined ? '' : `<line x1="0" x2="${width}" y1="${y(baseline).toFixed(1)}" y2="${y(baseline).toFixed(1)}" stroke="#0969da" stroke-dasharray="4 3"><title>baseline ${escapeHtml(formatNumber(baseline))}</title></line>`;
  return `<figure><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20}" role="img" aria-label="${escapeHtml(input.selection.rule.metric)} per candidate">${bars}${baselineLine}</svg><figcaption>${escapeHtml(input.selection.rule.metric)} per candidate (green: winner, red: excluded${baseline === undefined ? '' : ', dashed: baseline'})</figcaption></figure>`;
}

export function renderHtml(input: ReportInput): string {
  const { selection } = input;
  const parameterKeys = [...new Set(selection.table.flatMap((row) => Object.keys(row.parameters)))];
  const metricKeys = [...new Set([selection.rule.metric, ...selection.table.flatMap((row) => Object.keys(row.metrics).filter((key) => !key.startsWith('_')))])];
  const head = ['', 'Node', 'Execution', 'Status', ...parameterKeys, ...metricKeys, `Δ ${selection.rule.metric} vs baseline`, 'Note'];
  const cell = (value: unknown): string => (value === undefined ? '—' : formatValue(value).replace(/^"(.*)"$/, '$1'));
  const body = selection.table
    .map((row) => {
      const cells = [
        row.winner ? '🏆' : row.rank !== undefined ? String(row.rank) : '✗',
        row.node,
        row.executionId,
        row.status,
        ...parameterKeys.map((key) => cell(row.parameters[key])),
        ...metricKeys.map((key) => cell(row.metrics[key])),
        formatDelta(row),
        row.excluded ? `excluded: ${row.excluded}` : row.winner ? `winner (${selection.decision})` : '',
      ];
      return `<tr class="${row.winner ? 'winner' : row.eligible ? '' : 'excluded'}">${cells.map((text) => `<td>${escapeHtml(text)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const baseline = selection.baseline;
  const baselineText = baseline
    ? `Baseline (${baseline.label ? `${baseline.label}, ` : ''}${baseline.source}): ${baseline.value === undefined ? `no usable ${selection.rule.metric}` : `${selection.rule.metric} = ${formatNumber(baseline.value)}`}`
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
