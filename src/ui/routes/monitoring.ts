/**
 * Drift checks kept under `<projectDir>/monitoring/`: every `mlops-drift` verdict found there, as a JSON
 * file or as lines of a JSON Lines history (a line may wrap the verdict as `{at, verdict}`), oldest
 * first. Anything else in the folder is listed as skipped with the reason, never silently dropped.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DriftVerdict } from '../../monitor/drift.js';
import { projectPaths } from '../../store/runs.js';
import { getErrorMessage } from '../../util/errors.js';
import type { MonitoringCheck, MonitoringInfo } from '../api-types.js';
import { route, type Route, type RouteContext } from '../http.js';

const MAX_FILES = 2000;

export function monitoringDir(projectDir: string): string {
  return join(projectPaths(projectDir).root, 'monitoring');
}

function isVerdict(value: unknown): value is DriftVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record['format'] === 'mlops-drift' && Array.isArray(record['columns']) && typeof record['drifted'] === 'boolean';
}

/** A verdict, or `{at|checkedAt, verdict}` around one. */
function unwrap(value: unknown, fallbackAt: string): { at: string; verdict: DriftVerdict } | undefined {
  if (isVerdict(value)) {
    const own = (value as unknown as Record<string, unknown>)['checkedAt'];
    return { at: typeof own === 'string' ? own : fallbackAt, verdict: value };
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const at = typeof record['at'] === 'string' ? record['at'] : typeof record['checkedAt'] === 'string' ? record['checkedAt'] : fallbackAt;
    if (isVerdict(record['verdict'])) return { at, verdict: record['verdict'] };
  }
  return undefined;
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
        if (found) checks.push({ file, ...found });
        else skipped.push({ file, problem: 'not a drift verdict (format "mlops-drift")' });
        continue;
      }
      let lines = 0;
      let bad = 0;
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        lines++;
        try {
          const found = unwrap(JSON.parse(line), fallbackAt);
          if (found) checks.push({ file: `${file}:${lines}`, ...found });
          else bad++;
        } catch {
          bad++;
        }
      }
      if (bad > 0) skipped.push({ file, problem: `${bad} of ${lines} lines are not drift verdicts` });
    } catch (error) {
      skipped.push({ file, problem: getErrorMessage(error) });
    }
  }
  checks.sort((a, b) => a.at.localeCompare(b.at));
  return { folder, checks, skipped };
}

export const monitoringRoutes: Route[] = [route('GET', '/api/monitoring', ({ projectDir }: RouteContext) => readMonitoring(projectDir))];
