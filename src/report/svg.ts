/**
 * The report as one SVG picture (decision, table, bar chart): for READMEs and artifacts, where
 * neither Markdown tables nor Mermaid render. Every piece of user text is escaped.
 */
import { formatNumber, formatValue } from '../compare/rule.js';
import { escapeHtml } from './html.js';
import { formatDelta, type ReportInput } from './markdown.js';

const width = 960;
const font = "font-family='-apple-system,Segoe UI,Helvetica,Arial,sans-serif'";

function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + word.length + 1 > max) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function renderSvg(input: ReportInput): string {
  const { selection } = input;
  const parts: string[] = [];
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
    const cell = (value: unknown): string => (value === undefined ? '—' : formatValue(value).replace(/^"(.*)"$/, '$1'));
    const cells = [
      row.winner ? '★' : row.rank !== undefined ? String(row.rank) : '✗',
      row.node,
      ...parameterKeys.map((key) => cell(row.parameters[key])),
      ...metricKeys.map((key) => cell(row.metrics[key])),
      formatDelta(row),
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
    const scale = (value: number): number => y + chartHeight - ((value - low) / (high - low)) * chartHeight;
    const slot = Math.min(140, (width - 120) / bars.length);
    bars.forEach((row, index) => {
      const barX = 80 + index * slot + slot * 0.15;
      const top = scale(row.value ?? 0);
      const fill = row.winner ? '#2da44e' : row.eligible ? '#8c959f' : '#ff8182';
      parts.push(`<rect x="${barX.toFixed(1)}" y="${top.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(y + chartHeight - top).toFixed(1)}" fill="${fill}"/>`);
      parts.push(`<text x="${(barX + slot * 0.35).toFixed(1)}" y="${(top - 4).toFixed(1)}" font-size="12" text-anchor="middle">${escapeHtml(formatNumber(row.value ?? 0))}</text>`);
      parts.push(`<text x="${(barX + slot * 0.35).toFixed(1)}" y="${y + chartHeight + 16}" font-size="12" text-anchor="middle">${escapeHtml(clip(row.node, Math.floor(slot / 7)))}</text>`);
    });
    parts.push(`<line x1="72" x2="${width - 24}" y1="${y + chartHeight}" y2="${y + chartHeight}" stroke="#57606a"/>`);
    if (baseline !== undefined) {
      const baseY = scale(baseline).toFixed(1);
      parts.push(`<line x1="72" x2="${width - 24}" y1="${baseY}" y2="${baseY}" stroke="#0969da" stroke-dasharray="6 4"/>`);
      parts.push(`<text x="${width - 28}" y="${Number(baseY) - 4}" font-size="12" fill="#0969da" text-anchor="end">baseline ${escapeHtml(formatNumber(baseline))}${selection.baseline?.label ? ` (${escapeHtml(selection.baseline.label)})` : ''}</text>`);
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
