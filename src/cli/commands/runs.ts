
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { listRuns, type RunRecord } from '../../store/runs.js';
import { projectDirFor } from '../../store/project.js';

const usage = `Usage: mlops runs [--json] [--project-dir DIR]

Lists the runs recorded in the project folder (default: .mlops in the repository), oldest first.

Options:
  --json              print the run summaries as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;

/** Wall time of a run, `1m 3.2s` style; open runs count to now. */
export function formatDuration(startIso: string | undefined, endIso: string | undefined): string {
  if (startIso === undefined) return '-';
  const ms = Date.parse(endIso ?? new Date().toISOString()) - Date.parse(startIso);
  if (!Number.isFinite(ms)) return '-';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m ${(seconds % 60).toFixed(0)}s`;
}

function summary(run: RunRecord): Record<string, unknown> {
  const nodes = Object.values(run.nodes);
  return {
    id: run.id,
    pipeline: run.pipeline,
    status: run.status,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt ?? null,
    nodes: nodes.length,
    executions: nodes.reduce((n, node) => n + node.executions.filter((e) => !e.reusedFrom).length, 0),
    reused: nodes.reduce((n, node) => n + node.executions.filter((e) => e.reusedFrom).length, 0),
  };
}

export const command: CliCommand = {
  summary: 'list recorded pipeline runs',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean', default: false }, 'project-dir': { type: 'string' } },
    });
    const runs = await listRuns(projectDirFor(values['project-dir']));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(runs.map(summary), null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write(`no runs in ${projectDirFor(values['project-dir'])}\n`);
      return 0;
    }
    const rows = runs.map((run) => {
      const s = summary(run);
      return [run.id, run.pipeline, run.status, formatDuration(run.createdAt, run.finishedAt), `${String(s['executions'])} run, ${String(s['reused'])} reused`];
    });
    const header = ['RUN', 'PIPELINE', 'STATUS', 'DURATION', 'EXECUTIONS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    for (const row of [header, ...rows]) {
      process.stdout.write(`${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()}\n`);
    }
    return 0;
  },
};
