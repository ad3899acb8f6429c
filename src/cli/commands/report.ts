import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { readStoredDecision, resolveRule, ruleFromPipelineFile, type StoredDecision } from '../../compare/compare.js';
import { renderHtml } from '../../report/html.js';
import { renderMarkdown } from '../../report/markdown.js';
import { decide } from '../../compare/decide.js';
import { registryBaselineRequest } from '../../registry/baseline.js';
import { LocalRegistry } from '../../registry/local.js';
import { renderSvg } from '../../report/svg.js';
import { ConfigurationError } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { ruleOptions, ruleOverridesFromOptions } from './compare.js';
import { projectDirFor } from '../../store/project.js';
import { resolveRunId } from '../../store/runs.js';

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
        'project-dir': { type: 'string' },
        ...ruleOptions,
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new ConfigurationError(`report takes one run id, got ${positionals.length}.\n${usage}`);
    const projectDir = projectDirFor(values['project-dir']);
    const runId = await resolveRunId(projectDir, positionals[0] ?? 'latest');
    let stored: StoredDecision | undefined = await readStoredDecision(projectDir, runId);
    if (!stored) {
      const file = values.file ?? 'valohai.yaml';
      const fileRule = values.file !== undefined || existsSync(file) ? await ruleFromPipelineFile(file) : undefined;
      const rule = resolveRule(fileRule, ruleOverridesFromOptions(values));
      // As `mlops compare --run` without baseline options decides (and stores) it.
      const baseline = registryBaselineRequest(() => new LocalRegistry(projectDir), undefined);
      stored = (await decide({ pipeline: 'pipeline', rule, candidates: { kind: 'run', projectDir, runId }, baseline })).stored;
    }
    const input = {
      pipeline: stored.pipeline,
      runId,
      selection: stored.selection,
      links: { runUrl: join('.mlops', 'runs', runId) },
      ...(stored.deployments ? { deployments: stored.deployments } : {}),
    };
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
