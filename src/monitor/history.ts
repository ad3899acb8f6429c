/**
 * The drift history of one monitored pipeline: every check appends one line `{at, verdict}` (the whole
 * verdict, the form `mlops ui` reads from the same folder), summarised on reading (drift share, schema
 * changes, and per column the method's score, its threshold and PSI), so that a trend can be shown: `mlops drift --history` in the terminal, and a chart plus sparklines in the
 * monitor action's job summary and issue. Locally the file is `.mlops/monitoring/<pipeline>/history.jsonl`;
 * the monitor action keeps the same file in a GitHub release (history-store.ts).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { isPValueMethod } from './config.js';
import type { DriftVerdict } from './drift.js';

export { HISTORY_DIR } from './history-dir.js';

export interface HistoryColumn {
  method: string;
  score: number;
  /** The threshold the decision used (the noise threshold where it was higher). */
  threshold: number;
  drifted: boolean;
  psi?: number;
}

export interface HistoryEntry {
  at: string;
  drifted: boolean;
  reasons: string[];
  reference: string;
  current: string;
  rows: number;
  share: number;
  driftedColumns: number;
  columns: Record<string, HistoryColumn>;
  schemaChanges: number;
  qualityIssues: number;
}

/** The history file of `pipeline` under `root` (a name, so no path may escape the folder). */
export function historyFile(root: string, pipeline: string): string {
  const safe = pipeline.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || 'default';
  return join(root, safe, 'history.jsonl');
}

/** The brief of one check that the trend is drawn from. */
export function historyEntry(verdict: DriftVerdict, at = new Date()): HistoryEntry {
  const columns: Record<string, HistoryColumn> = {};
  for (const column of verdict.prediction ? [...verdict.columns, verdict.prediction] : verdict.columns) {
    const threshold = isPValueMethod(column.method) ? column.threshold : Math.max(column.threshold, column.noiseThreshold ?? 0);
    const entry: HistoryColumn = { method: column.method, score: column.score, threshold, drifted: column.drifted };
    if (column.scores.psi !== undefined) entry.psi = column.scores.psi;
    columns[column.column] = entry;
  }
  return {
    at: at.toISOString(),
    drifted: verdict.drifted,
    reasons: verdict.reasons,
    reference: verdict.reference.file,
    current: verdict.current.file,
    rows: verdict.current.rows,
    share: verdict.dataset.share,
    driftedColumns: verdict.dataset.driftedColumns,
    columns,
    schemaChanges: verdict.schema.changes.length,
    qualityIssues: verdict.quality.issues.length,
  };
}

function isHistoryLine(value: unknown): value is { at: string; verdict: DriftVerdict } {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as { at?: unknown; verdict?: { format?: unknown; columns?: unknown } };
  return typeof record.at === 'string' && record.verdict?.format === 'mlops-drift' && Array.isArray(record.verdict.columns);
}

/** Parses history lines into briefs; a torn last line (a write cut short) is skipped. */
export function parseHistory(text: string, file: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (index === lines.length - 1) return;
      throw new ConfigurationError(`${file}:${index + 1}: not a history line (${getErrorMessage(error)})`);
    }
    if (!isHistoryLine(value)) throw new ConfigurationError(`${file}:${index + 1}: not a history line ({at, verdict} with an mlops-drift verdict)`);
    // Verdicts written before the schema section existed have none.
    const verdict = { ...value.verdict, schema: value.verdict.schema ?? { drifted: false, changes: [] } };
    entries.push(historyEntry(verdict, new Date(value.at)));
  });
  return entries;
}

export async function readHistory(file: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw new ConfigurationError(`cannot read the drift history ${file}: ${getErrorMessage(error)}`);
  }
  return parseHistory(text, file);
}

/** One check as a history line. */
export function historyLine(verdict: DriftVerdict, at = new Date()): string {
  return JSON.stringify({ at: at.toISOString(), verdict });
}

/** Appends one check (one line, one write with O_APPEND: a reader never sees half of it but at the end). */
export async function appendHistory(file: string, verdict: DriftVerdict, at = new Date()): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${historyLine(verdict, at)}\n`);
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** A sparkline of `values` scaled to [0, max]; '·' where a value is missing. */
export function sparkline(values: readonly (number | undefined)[], max: number): string {
  return values
    .map((value) => {
      if (value === undefined || !Number.isFinite(value)) return '·';
      const level = max > 0 ? Math.min(BLOCKS.length - 1, Math.max(0, Math.floor((value / max) * (BLOCKS.length - 1) + 0.5))) : 0;
      return BLOCKS[level] ?? '▁';
    })
    .join('');
}

/** How close a column came to drifting: score ÷ threshold for distances, threshold ÷ p for p-values (≥ 1 is drift). */
export function pressure(column: HistoryColumn): number {
  if (isPValueMethod(column.method as 'ks')) return column.score > 0 ? Math.min(100, column.threshold / column.score) : 100;
  return column.threshold > 0 ? column.score / column.threshold : 0;
}

function columnNames(entries: readonly HistoryEntry[], limit: number): string[] {
  const last = entries[entries.length - 1];
  const names = new Set<string>();
  for (const entry of entries) for (const name of Object.keys(entry.columns)) names.add(name);
  // The columns nearest to drifting in the latest check first.
  return [...names].sort((a, b) => (last?.columns[b] ? pressure(last.columns[b]) : 0) - (last?.columns[a] ? pressure(last.columns[a]) : 0) || a.localeCompare(b)).slice(0, limit);
}

function shortDate(at: string): string {
  return at.slice(5, 16).replace('T', ' ');
}

/** The trend as text for the terminal. */
export function renderHistoryText(entries: readonly HistoryEntry[], columns = 20): string {
  if (entries.length === 0) return 'no drift checks recorded yet';
  const lines = [`${entries.length} checks, ${entries[0]?.at ?? ''} … ${entries[entries.length - 1]?.at ?? ''}`, ''];
  for (const entry of entries) {
    const detail = entry.schemaChanges > 0 ? `, ${entry.schemaChanges} schema changes` : '';
    lines.push(`${entry.at}  ${entry.drifted ? 'DRIFT   ' : 'no drift'}  ${entry.driftedColumns}/${Object.keys(entry.columns).length} columns (${(entry.share * 100).toFixed(1)}%)${detail}  ${entry.current} (${entry.rows} rows)`);
  }
  lines.push('', `drift share  ${sparkline(entries.map((entry) => entry.share), 1)}`);
  lines.push('', 'column pressure (score against its threshold; 1 = drift), oldest → newest:');
  const names = columnNames(entries, columns);
  const width = Math.min(30, Math.max(6, ...names.map((name) => name.length)));
  for (const name of names) {
    const values = entries.map((entry) => (entry.columns[name] ? pressure(entry.columns[name]) : undefined));
    const latest = values[values.length - 1];
    lines.push(`${name.slice(0, width).padEnd(width)}  ${sparkline(values, 2)}  ${latest === undefined ? '-' : latest.toFixed(2)}`);
  }
  return lines.join('\n');
}

function mermaidLabel(text: string): string {
  return `"${text.replace(/["\\]/g, "'").replace(/[<>]/g, '').replace(/[\r\n]/g, ' ')}"`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** The trend as Markdown: a Mermaid chart of the drift share per check and a table of per-column sparklines. */
export function renderHistoryMarkdown(entries: readonly HistoryEntry[], columns = 15): string {
  if (entries.length === 0) return '';
  const lines = [`### Trend: the last ${entries.length} check${entries.length === 1 ? '' : 's'}`, ''];
  lines.push(
    '```mermaid',
    'xychart-beta',
    `  title ${mermaidLabel('Share of drifted columns per check')}`,
    `  x-axis [${entries.map((entry) => mermaidLabel(shortDate(entry.at))).join(', ')}]`,
    `  y-axis ${mermaidLabel('drifted share')} 0 --> 1`,
    `  bar [${entries.map((entry) => entry.share.toFixed(4)).join(', ')}]`,
    '```',
    '',
  );
  lines.push('| Column | Pressure, oldest → newest (1 = drift) | Latest | Drifted in |', '| --- | --- | --- | --- |');
  for (const name of columnNames(entries, columns)) {
    const values = entries.map((entry) => (entry.columns[name] ? pressure(entry.columns[name]) : undefined));
    const latest = values[values.length - 1];
    const drifted = entries.filter((entry) => entry.columns[name]?.drifted).length;
    lines.push(`| ${cell(name)} | \`${sparkline(values, 2)}\` | ${latest === undefined ? '-' : latest.toFixed(2)} | ${drifted} of ${entries.length} |`);
  }
  lines.push('');
  return lines.join('\n');
}
