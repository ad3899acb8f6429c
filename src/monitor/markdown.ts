/** The drift verdict as Markdown for a job summary or an issue: verdict, reasons, a Mermaid chart, tables. */
import type { ColumnDrift, DriftVerdict } from './drift.js';
import { renderHistoryMarkdown, type HistoryEntry } from './history.js';

/** The hidden marker of the drift issue of one pipeline (`--` would end the HTML comment early). */
export function driftMarker(pipeline: string): string {
  return `<!-- mlops-drift:${pipeline.replace(/-{2,}/g, '-').replace(/>/g, '')} -->`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function number(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (value === 0) return '0';
  if (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e6) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

function mermaidLabel(text: string): string {
  // xychart-beta labels are double-quoted strings without an escape syntax.
  return `"${text.replace(/["\\]/g, "'").replace(/[<>]/g, '').replace(/[\r\n]/g, ' ')}"`;
}

/** PSI per column: the one score computed the same way for every column, so the bars compare. */
function psiChart(columns: readonly ColumnDrift[]): string | undefined {
  const rows = columns.filter((column) => column.scores.psi !== undefined).slice(0, 30);
  if (rows.length === 0) return undefined;
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${mermaidLabel('PSI per column (drifted columns marked *)')}`,
    `  x-axis [${rows.map((row) => mermaidLabel(row.drifted ? `${row.column} *` : row.column)).join(', ')}]`,
    `  y-axis ${mermaidLabel('PSI')}`,
    // Mermaid's xychart reads plain decimals only (no exponent).
    `  bar [${rows.map((row) => Math.min(row.scores.psi ?? 0, 1e6).toFixed(4)).join(', ')}]`,
    '```',
  ].join('\n');
}

function row(column: ColumnDrift): string {
  const noise = column.noiseThreshold !== undefined && column.noiseThreshold > column.threshold ? ` and ≥ ${number(column.noiseThreshold)} (sampling noise)` : '';
  const rule = column.method === 'ks' || column.method === 'chisquare' ? `p < ${column.threshold}` : `≥ ${column.threshold}${noise}`;
  return `| ${cell(column.column)} | ${column.comparedAs} | ${column.method} | ${number(column.score)} | ${rule} | ${column.drifted ? '**drift**' : 'ok'} | ${column.n_ref} | ${column.n_cur} | ${number(column.scores.psi)} |`;
}

/** The report; with `history` (oldest first, this check last) a trend section follows the verdict. */
export function renderDriftMarkdown(verdict: DriftVerdict, pipeline?: string, history: readonly HistoryEntry[] = []): string {
  const lines: string[] = [];
  if (pipeline !== undefined) lines.push(driftMarker(pipeline));
  const title = pipeline !== undefined ? `Drift check: ${pipeline}` : 'Drift check';
  lines.push(`## ${verdict.drifted ? '🔴' : '🟢'} ${cell(title)}: ${verdict.drifted ? 'drift detected' : 'no drift'}`, '');
  const source = verdict.current.source === 'folder' ? `request log \`${cell(verdict.current.file)}\` (${verdict.current.files} files, ${verdict.current.rows} rows)` : `\`${cell(verdict.current.file)}\` (${verdict.current.rows} rows)`;
  lines.push(`Current ${source} against the reference profile of \`${cell(verdict.reference.file)}\` (${verdict.reference.rows} rows).`, '');
  for (const reason of verdict.reasons) lines.push(`- ${cell(reason)}`);
  lines.push('');
  if (verdict.schema.changes.length > 0) {
    lines.push('### Schema changes', '', '| Column | Change | Details |', '| --- | --- | --- |');
    for (const change of verdict.schema.changes) lines.push(`| ${cell(change.column)} | ${change.change} | ${cell(change.message)} |`);
    lines.push('');
  }
  if (history.length > 1) lines.push(renderHistoryMarkdown(history));
  const chart = psiChart(verdict.columns);
  if (chart) lines.push(chart, '');
  lines.push(
    `### Columns: ${verdict.dataset.driftedColumns} of ${verdict.dataset.columns} drifted (dataset drift at ${verdict.dataset.threshold * 100}%)`,
    '',
    '| Column | Compared as | Method | Score | Drift when | Result | n ref | n cur | PSI |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  // Drifted columns first, then by name, so the table opens with what matters.
  const sorted = [...verdict.columns].sort((a, b) => Number(b.drifted) - Number(a.drifted) || a.column.localeCompare(b.column));
  for (const column of sorted) lines.push(row(column));
  lines.push('');
  if (verdict.prediction) {
    lines.push('### Prediction drift', '', '| Column | Compared as | Method | Score | Drift when | Result | n ref | n cur | PSI |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |', row(verdict.prediction), '');
  }
  if (verdict.performance) {
    const p = verdict.performance;
    lines.push('### Performance', '', `Accuracy ${number(p.current)} on ${p.n} labelled rows against ${number(p.reference)} (drop ${number(p.drop)}, allowed ${p.maxDrop}): ${p.degraded ? '**degraded**' : 'ok'}.`, '');
  }
  lines.push('### Data quality', '');
  if (verdict.quality.issues.length === 0) {
    lines.push('No issues.');
  } else {
    lines.push('| Column | Check | Value | Details |', '| --- | --- | --- | --- |');
    for (const issue of verdict.quality.issues) lines.push(`| ${cell(issue.column)} | ${issue.check} | ${number(issue.value)} | ${cell(issue.message)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
