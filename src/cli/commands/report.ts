import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { compareRun, readStoredDecision, resolveRule, ruleFromPipelineFile, type StoredDecision } from '../../compare/compare.js';
import { renderHtml } from '../../report/html.js';
import { renderMarkdown } from '../../report/markdown.js';
import { renderSvg } from '../../report/svg.js';
import { ConfigurationError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { ruleOptions, ruleOverridesFromOptions } from './compare.js';

const usage = `Usage: mlops report [RUN] [--html FILE] [options]

Prints the comparison report of a run (default: the most recent run in .mlops/runs) as Markdown:
one row per candidate with parameters, metrics and deltas against the baseline, the winner, the
decision and its reason, and Mermaid charts. Uses the decision stored by \`mlops compare --run\`;
when there is none, applies the selection rule of the pipeline file first (and stores it).

Options:
  --html FILE         also write a self-contained HTML page
  --svg FILE          also write the report as an SVG picture (decision, table, chart)
  --file FILE         pipeline file with the selection rule (default ./valohai.yaml)
  --project DIR       project folder holding .mlops (default .)
  --metric, --goal, --tie-breakers, --constraint, --threshold, --min-absolute, --min-relative,
  --tolerance         rule options as for \`mlops compare\`, used only when no decision is stored`;

/** The run whose run.json was written last. */
export async function latestRunId(projectDir: string): Promise<string> {
  const runsDir = join(projectDir, '.mlops', 'runs');
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch {
    throw new ConfigurationError(`no runs in ${runsDir}: run a pipeline first (mlops run), or name the run`);
  }
  let latest: { name: string; time: number } | undefined;
  for (const name of names) {
    try {
      const info = await stat(join(runsDir, name, 'run.json'));
      if (!latest || info.mtimeMs > latest.time) latest = { name, time: info.mtimeMs };
    } catch {
      // A folder without run.json is not a run (yet).
    }
  }
  if (!latest) throw new ConfigurationError(`no runs in ${runsDir}: run a pipeline first (mlops run), or name the run`);
  return latest.name;
}

export const command: CliCommand = {
  summary: 'print the comparison report of a run (Markdown, optionally HTML)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        html: { type: 'string' },
        svg: { type: 'string' },
        file: { type: 'string' },
        project: { type: 'string', default: '.' },
        ...ruleOptions,
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new ConfigurationError(`report takes one run id, got ${positionals.length}.\n${usage}`);
    const projectDir = resolve(values.project);
    const runId = positionals[0] ?? (await latestRunId(projectDir));
    let stored: StoredDecision | undefined = await readStoredDecision(projectDir, runId);
    if (!stored) {
      const file = values.file ?? 'valohai.yaml';
      const fileRule = values.file !== undefined || existsSync(file) ? await ruleFromPipelineFile(file) : undefined;
      const rule = resolveRule(fileRule, ruleOverridesFromOptions(values));
      stored = (await compareRun(projectDir, runId, { rule })).stored;
    }
    const input = { pipeline: stored.pipeline, runId, selection: stored.selection, links: { runUrl: join('.mlops', 'runs', runId) } };
    process.stdout.write(renderMarkdown(input));
    if (values.html !== undefined) {
      await writeFileAtomic(values.html, renderHtml(input));
      process.stderr.write(`HTML report written to ${values.html}\n`);
    }
    if (values.svg !== undefined) {
      await writeFileAtomic(values.svg, renderSvg(input));
      process.stderr.write(`SVG picture written to ${values.svg}\n`);
    }
    return 0;
  },
};
