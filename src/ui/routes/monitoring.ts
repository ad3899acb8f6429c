/**
 * Drift checks kept under `<projectDir>/monitoring/`: every `mlops-drift` verdict found there, as a JSON
 * file or as lines of a JSON Lines history (a line may wrap the verdict as `{at, verdict}`), oldest
 * first. Anything else in the folder is listed as skipped with the reason, never silently dropped.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DriftVerdict } from '../../monitor/drift.js';
import type { ColumnDistribution } from '../../monitor/distribution.js';
import { projectPaths } from '../../store/runs.js';
import { getErrorMessage } from '../../util/errors.js';
import type { MonitoringCheck, MonitoringInfo } from '../api-types.js';
import { route, type Route, type RouteContext } from '../http.js';

const MAX_FILES = 2000;

export function monitoringDir(projectDir: string): string {
  return join(projectPaths(projectDir).root, 'monitoring');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isVerdict(value: unknown): value is DriftVerdict {
  return isRecord(value) && value['format'] === 'mlops-drift' && Array.isArray(value['columns']) && typeof value['drifted'] === 'boolean';
}

type Check = Omit<MonitoringCheck, 'file' | 'at' | 'pipeline'>;

const numbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => typeof v === 'number');

/** A stored distribution of the shape the page draws (a damaged or foreign one is left out, not drawn wrong). */
function isDistribution(value: unknown): value is ColumnDistribution {
  if (!isRecord(value) || !numbers(value['reference']) || !numbers(value['current']) || value['reference'].length !== value['current'].length) return false;
  const bins = value['reference'].length;
  if (value['kind'] === 'bins') return numbers(value['edges']) && value['edges'].length === bins + 1;
  return value['kind'] === 'categories' && Array.isArray(value['categories']) && value['categories'].length === bins && value['categories'].every((c) => typeof c === 'string');
}

function fromVerdict(verdict: DriftVerdict): Check {
  const columns = verdict.prediction ? [...verdict.columns, verdict.prediction] : verdict.columns;
  return {
    drifted: verdict.drifted,
    reasons: verdict.reasons,
    reference: verdict.reference.file,
    current: verdict.current.file,
    rows: verdict.current.rows,
    share: verdict.dataset.share,
    threshold: verdict.dataset.threshold,
    driftedColumns: verdict.dataset.driftedColumns,
    columns: columns.map((c) => ({
      column: c.column,
      method: c.method,
      score: c.score,
      threshold: c.threshold,
      ...(c.noiseThreshold !== undefined ? { noiseThreshold: c.noiseThreshold } : {}),
      drifted: c.drifted,
      comparedAs: c.comparedAs,
      role: c.role,
      n_ref: c.n_ref,
      n_cur: c.n_cur,
      ...(isDistribution(c.distribution) ? { distribution: c.distribution } : {}),
    })),
    quality: verdict.quality.issues.map((i) => ({ column: i.column, message: i.message })),
    qualityIssueCount: verdict.quality.issues.length,
    ...(verdict.performance ? { performance: { reference: verdict.performance.reference, current: verdict.performance.current, degraded: verdict.performance.degraded } } : {}),
  };
}

/** A line of `<pipeline>/history.jsonl` as `mlops drift` appends it (issue 18): the verdict in brief. */
function fromHistoryLine(line: Record<string, unknown>): Check | undefined {
  const columns = line['columns'];
  if (typeof line['drifted'] !== 'boolean' || typeof line['share'] !== 'number' || !isRecord(columns)) return undefined;
  const number = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);
  return {
    drifted: line['drifted'],
    reasons: Array.isArray(line['reasons']) ? line['reasons'].map(String) : [],
    reference: String(line['reference'] ?? ''),
    current: String(line['current'] ?? ''),
    ...(typeof line['rows'] === 'number' ? { rows: line['rows'] } : {}),
    share: line['share'],
    driftedColumns: typeof line['driftedColumns'] === 'number' ? line['driftedColumns'] : 0,
    columns: Object.entries(columns).filter(([, c]) => isRecord(c)).map(([column, c]) => {
      const entry = c as Record<string, unknown>;
      return { column, method: String(entry['method'] ?? ''), score: number(entry['score']), threshold: number(entry['threshold']), drifted: entry['drifted'] === true };
    }),
    quality: [],
    qualityIssueCount: typeof line['qualityIssues'] === 'number' ? line['qualityIssues'] : 0,
  };
}

/** A verdict, `{at|checkedAt, verdict}` around one, or a history line. */
function unwrap(value: unknown, fallbackAt: string): { at: string; check: Check } | undefined {
  if (!isRecord(value)) return undefined;
  const at = typeof value['at'] === 'string' ? value['at'] : typeof value['checkedAt'] === 'string' ? value['checkedAt'] : fallbackAt;
  if (isVerdict(value)) return { at, check: fromVerdict(value) };
  if (isVerdict(value['verdict'])) return { at, check: fromVerdict(value['verdict']) };
  const brief = fromHistoryLine(value);
  return brief ? { at, check: brief } : undefined;
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.(json|jsonl|ndjson)$/.test(entry.name)) found.push(path);
    }
  };
  await walk(dir);
  return found.sort();
}

/** `<pipeline>/history.jsonl` → the pipeline. */
function pipelineOf(file: string): { pipeline?: string } {
  const parts = file.split(/[\\/]/);
  return parts.length > 1 && parts[0] ? { pipeline: parts[0] } : {};
}

export async function readMonitoring(projectDir: string): Promise<MonitoringInfo> {
  const folder = monitoringDir(projectDir);
  const checks: MonitoringCheck[] = [];
  const skipped: MonitoringInfo['skipped'] = [];
  for (const path of await filesUnder(folder)) {
    const file = relative(folder, path);
    try {
      const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
      const fallbackAt = info.mtime.toISOString();
      if (path.endsWith('.json')) {
        const found = unwrap(JSON.parse(text), fallbackAt);
        if (found) checks.push({ file, at: found.at, ...pipelineOf(file), ...found.check });
        else skipped.push({ file, problem: 'not a drift verdict (format "mlops-drift") or history line' });
        continue;
      }
      let lines = 0;
      let bad = 0;
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        lines++;
        try {
          const found = unwrap(JSON.parse(line), fallbackAt);
          if (found) checks.push({ file: `${file}:${lines}`, at: found.at, ...pipelineOf(file), ...found.check });
          else bad++;
        } catch {
          bad++;
        }
      }
      if (bad > 0) skipped.push({ file, problem: `${bad} of ${lines} lines are not drift verdicts or history lines` });
    } catch (error) {
      skipped.push({ file, problem: getErrorMessage(error) });
    }
  }
  checks.sort((a, b) => a.at.localeCompare(b.at));
  return { folder, checks, skipped };
}

export const monitoringRoutes: Route[] = [route('GET', '/api/monitoring', ({ projectDir }: RouteContext) => readMonitoring(projectDir))];
