import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { parseNumberOption, parseTieBreakers, resolveRule, ruleFromPipelineFile, type RuleOverrides } from '../../compare/compare.js';
import { decide, type BaselineRequest } from '../../compare/decide.js';
import { formatNumber, type Selection, type SelectionRule } from '../../compare/rule.js';
import { localBaseBranchBaseline } from '../../compare/base-branch.js';
import { loadRun } from '../../store/runs.js';
import { formatDelta } from '../../report/markdown.js';
import { ConfigurationError } from '../../util/errors.js';
import { projectDirFor } from '../../store/project.js';
import { parseBaselineModel, registryBaselineRequest } from '../../registry/baseline.js';
import { LocalRegistry } from '../../registry/local.js';

const usage = `Usage: mlops compare [FILE] (--run RUN | --evaluations PATTERN...) [options]

Applies the selection rule (the \`selection\` of the x-mlops item in FILE, default ./valohai.yaml,
and/or the options below) to the executions of a run or to evaluation JSON files, prints the winner,
the decision (promote / hold / no-candidate) and why. With --run the decision is stored in
.mlops/runs/RUN/compare.json.

Candidates:
  --run RUN                 executions of this run (.mlops/runs/RUN/run.json)
  --evaluations PATTERN     evaluation JSON files (repeatable; globs like 'out/*/evaluation.json')
  --nodes GLOB,...          only these nodes (default: nodes that reported the metric)
Baseline (the production model):
  --baseline FILE           JSON {metrics: {...}} or a flat object of metrics
  --baseline-run RUN        the winner of an earlier run (e.g. the base branch's latest run)
  --baseline-model NAME[@ALIAS]
                            the registry's production (or ALIAS) version of this model; without any
                            baseline option, the production version of the registry's only model.
                            When the registry has none, the winner is the first model and the
                            reason says so
  --baseline-branch BRANCH  when the registry has no such model (a pull request before the first
                            production model): the winner of the latest succeeded run of the same
                            pipeline in the project folder whose commit is on BRANCH (its tip or an
                            ancestor), as the pipeline template's compare job uses the base branch's
                            latest successful run; with neither, the first model says so
  --no-baseline             rank the candidates only (the winner is promoted as a first model)
Rule (each replaces the pipeline file's value):
  --metric NAME  --goal max|min  --tie-breakers m:min,m2:max  --constraint 'latency_ms <= 50' (repeatable)
  --threshold X  --min-absolute X  --min-relative X (0.05 = 5%)  --tolerance X (default 1e-9)
Other:
  --project-dir DIR         the project folder of run records (default: .mlops in the repository)
  --pipeline NAME           name for the report marker with --evaluations (default: evaluations)
  --json                    print the whole decision and table as JSON`;

export function ruleOverridesFromOptions(values: Record<string, string | string[] | boolean | undefined>): RuleOverrides {
  const overrides: RuleOverrides = {};
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? values[name] : undefined);
  const metric = text('metric');
  if (metric !== undefined) overrides.metric = metric;
  const goal = text('goal');
  if (goal !== undefined) {
    if (goal !== 'max' && goal !== 'min') throw new ConfigurationError(`--goal must be max or min, got '${goal}'`);
    overrides.goal = goal;
  }
  const tieBreakers = text('tie-breakers');
  if (tieBreakers !== undefined) overrides.tieBreakers = parseTieBreakers(tieBreakers);
  const constraints = values['constraint'];
  if (Array.isArray(constraints) && constraints.length > 0) overrides.constraints = constraints;
  const numbers: [string, 'threshold' | 'minAbsoluteImprovement' | 'minRelativeImprovement' | 'tolerance'][] = [
    ['threshold', 'threshold'],
    ['min-absolute', 'minAbsoluteImprovement'],
    ['min-relative', 'minRelativeImprovement'],
    ['tolerance', 'tolerance'],
  ];
  for (const [option, key] of numbers) {
    const value = text(option);
    if (value !== undefined) overrides[key] = parseNumberOption(`--${option}`, value);
  }
  return overrides;
}

export const ruleOptions = {
  metric: { type: 'string' },
  goal: { type: 'string' },
  'tie-breakers': { type: 'string' },
  constraint: { type: 'string', multiple: true },
  threshold: { type: 'string' },
  'min-absolute': { type: 'string' },
  'min-relative': { type: 'string' },
  tolerance: { type: 'string' },
} as const;

/**
 * The baseline the options ask for (src/compare/decide.ts has the rules). Without any baseline option, the
 * production version of the registry's only model, as the pipeline template's compare job asks for its own.
 */
function baselineRequest(
  projectDir: string,
  values: { baseline?: string | undefined; 'baseline-run'?: string | undefined; 'baseline-model'?: string | undefined; 'baseline-branch'?: string | undefined; run?: string | undefined; pipeline?: string | undefined },
  rule: SelectionRule,
): BaselineRequest {
  if (values.baseline !== undefined) return { kind: 'file', path: values.baseline };
  if (values['baseline-run'] !== undefined) return { kind: 'run', projectDir, runId: values['baseline-run'] };
  const wanted = values['baseline-model'] !== undefined ? parseBaselineModel(values['baseline-model']) : undefined;
  const request = registryBaselineRequest(() => new LocalRegistry(projectDir), wanted?.model, wanted?.alias);
  const branch = values['baseline-branch'];
  if (branch === undefined) return request;
  const candidateRun = values.run;
  return {
    ...request,
    fallback: {
      name: `base branch ${branch}`,
      lookup: async () => {
        // The candidates' pipeline: the run's own name, or --pipeline with evaluation files.
        const current = candidateRun !== undefined ? await loadRun(projectDir, candidateRun) : undefined;
        return localBaseBranchBaseline({
          projectDir,
          repositoryDir: process.cwd(),
          branch,
          pipeline: current?.pipeline ?? values.pipeline ?? 'evaluations',
          rule,
          ...(current ? { excludeRunId: current.id } : {}),
        });
      },
    },
  };
}

function humanSummary(selection: Selection): string {
  const lines = [`decision: ${selection.decision}`, `reason: ${selection.reason}`];
  if (selection.winner) lines.push(`winner: ${selection.winner.node} (execution ${selection.winner.executionId})`);
  lines.push('');
  const metric = selection.rule.metric;
  for (const row of selection.table) {
    const place = row.winner ? '*' : row.rank !== undefined ? String(row.rank) : 'x';
    const value = row.value === undefined ? '-' : formatNumber(row.value);
    const tail = row.excluded ? `excluded: ${row.excluded}` : `delta ${formatDelta(row)}`;
    lines.push(`${place.padStart(3)}  ${row.node}  ${metric}=${value}  ${tail}`);
  }
  return lines.join('\n');
}

export const command: CliCommand = {
  summary: 'pick the best execution by the selection rule and decide promote / hold',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        run: { type: 'string' },
        evaluations: { type: 'string', multiple: true },
        nodes: { type: 'string' },
        baseline: { type: 'string' },
        'baseline-run': { type: 'string' },
        'baseline-model': { type: 'string' },
        'baseline-branch': { type: 'string' },
        'no-baseline': { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
        pipeline: { type: 'string' },
        json: { type: 'boolean', default: false },
        ...ruleOptions,
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new ConfigurationError(`compare takes one pipeline file, got ${positionals.length}.\n${usage}`);
    const evaluations = values.evaluations ?? [];
    if ((values.run === undefined) === (evaluations.length === 0)) {
      throw new ConfigurationError(`give either --run RUN or --evaluations PATTERN.\n${usage}`);
    }
    if ([values.baseline, values['baseline-run'], values['baseline-model'], values['no-baseline'] ? true : undefined].filter((value) => value !== undefined).length > 1) {
      throw new ConfigurationError('give at most one of --baseline, --baseline-run, --baseline-model and --no-baseline');
    }
    if (values['baseline-branch'] !== undefined && (values.baseline !== undefined || values['baseline-run'] !== undefined || values['no-baseline'])) {
      throw new ConfigurationError('--baseline-branch is the fallback of the registry baseline: use it alone or with --baseline-model');
    }
    const projectDir = projectDirFor(values['project-dir']);
    const file = positionals[0] ?? 'valohai.yaml';
    // The pipeline file is optional when the rule comes entirely from options.
    const fileRule = positionals[0] !== undefined || existsSync(file) ? await ruleFromPipelineFile(file) : undefined;
    const rule = resolveRule(fileRule, ruleOverridesFromOptions(values));
    const nodeGlobs = values.nodes?.split(',').map((glob) => glob.trim()).filter((glob) => glob !== '');

    const baseline = values['no-baseline'] ? undefined : baselineRequest(projectDir, values, rule);
    const result = await decide({
      pipeline: values.pipeline ?? 'evaluations',
      rule,
      candidates: values.run !== undefined ? { kind: 'run', projectDir, runId: values.run } : { kind: 'evaluations', patterns: evaluations, cwd: process.cwd() },
      ...(nodeGlobs ? { nodeGlobs } : {}),
      ...(baseline ? { baseline } : {}),
    });
    const { stored } = result;
    if (result.file !== undefined && !values.json) process.stderr.write(`decision stored in ${result.file}\n`);
    process.stdout.write(values.json ? `${JSON.stringify(stored, null, 2)}\n` : `${humanSummary(stored.selection)}\n`);
    return 0;
  },
};
