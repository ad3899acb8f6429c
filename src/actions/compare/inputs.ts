import { parseNumberOption, parseTieBreakers, type RuleOverrides } from '../../compare/rule-options.js';
import { inputLines, optionalInput } from '../input-parsing.js';
import { parseBaselineModel } from '../../registry/model.js';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_FILE = 'file';
export const INPUT_PROJECT_DIR = 'project-dir';
export const INPUT_RUN = 'run';
export const INPUT_EVALUATIONS = 'evaluations';
export const INPUT_NODES = 'nodes';
export const INPUT_BASELINE = 'baseline';
export const INPUT_BASELINE_RUN = 'baseline-run';
export const INPUT_BASELINE_MODEL = 'baseline-model';
export const INPUT_REGISTRY = 'registry';
export const INPUT_GITHUB_TOKEN = 'github-token';
export const INPUT_PIPELINE = 'pipeline';
export const INPUT_METRIC = 'metric';
export const INPUT_GOAL = 'goal';
export const INPUT_TIE_BREAKERS = 'tie-breakers';
export const INPUT_CONSTRAINTS = 'constraints';
export const INPUT_THRESHOLD = 'threshold';
export const INPUT_MIN_ABSOLUTE = 'min-absolute-improvement';
export const INPUT_MIN_RELATIVE = 'min-relative-improvement';
export const INPUT_TOLERANCE = 'tolerance';

export interface Inputs {
  file: string;
  projectDir: string;
  run?: string;
  /** Patterns of evaluation JSON files, one per line. */
  evaluations: string[];
  nodes?: string[];
  baseline?: string;
  baselineRun?: string;
  /** `NAME@ALIAS` of the registry model whose metrics are the baseline (the production model). */
  baselineModel?: { model: string; alias: string };
  /** Where that model lives: the repository's releases (`github`) or the project folder (`local`). */
  registry: 'github' | 'local';
  token: string;
  pipeline: string;
  overrides: RuleOverrides;
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const run = optionalInput(INPUT_RUN);
  const evaluations = inputLines(INPUT_EVALUATIONS);
  if (run !== undefined && evaluations.length > 0) {
    throw new ConfigurationError(`give at most one of the inputs "${INPUT_RUN}" (a run id) and "${INPUT_EVALUATIONS}" (evaluation JSON file patterns, one per line)`);
  }
  // Neither: the candidates are the node artifacts of this workflow run, which need the pipeline's name.
  if (run === undefined && evaluations.length === 0 && optionalInput(INPUT_PIPELINE) === undefined) {
    throw new ConfigurationError(
      `give "${INPUT_PIPELINE}" to compare the node artifacts of this workflow run, or "${INPUT_RUN}" (a run id) or "${INPUT_EVALUATIONS}" (evaluation JSON file patterns)`,
    );
  }
  const baseline = optionalInput(INPUT_BASELINE);
  const baselineRun = optionalInput(INPUT_BASELINE_RUN);
  const baselineModel = optionalInput(INPUT_BASELINE_MODEL);
  if ([baseline, baselineRun, baselineModel].filter((value) => value !== undefined).length > 1) {
    throw new ConfigurationError(`give at most one of "${INPUT_BASELINE}", "${INPUT_BASELINE_RUN}" and "${INPUT_BASELINE_MODEL}"`);
  }
  const registry = optionalInput(INPUT_REGISTRY) ?? 'github';
  if (registry !== 'github' && registry !== 'local') throw new ConfigurationError(`input "${INPUT_REGISTRY}" must be github or local, got "${registry}"`);
  const overrides: RuleOverrides = {};
  const metric = optionalInput(INPUT_METRIC);
  if (metric !== undefined) overrides.metric = metric;
  const goal = optionalInput(INPUT_GOAL);
  if (goal !== undefined) {
    if (goal !== 'max' && goal !== 'min') throw new ConfigurationError(`input "${INPUT_GOAL}" must be max or min, got "${goal}"`);
    overrides.goal = goal;
  }
  const tieBreakers = optionalInput(INPUT_TIE_BREAKERS);
  if (tieBreakers !== undefined) overrides.tieBreakers = parseTieBreakers(tieBreakers);
  const constraints = inputLines(INPUT_CONSTRAINTS);
  if (constraints.length > 0) overrides.constraints = constraints;
  const numbers: [string, 'threshold' | 'minAbsoluteImprovement' | 'minRelativeImprovement' | 'tolerance'][] = [
    [INPUT_THRESHOLD, 'threshold'],
    [INPUT_MIN_ABSOLUTE, 'minAbsoluteImprovement'],
    [INPUT_MIN_RELATIVE, 'minRelativeImprovement'],
    [INPUT_TOLERANCE, 'tolerance'],
  ];
  for (const [name, key] of numbers) {
    const text = optionalInput(name);
    if (text !== undefined) overrides[key] = parseNumberOption(`input "${name}"`, text);
  }
  const inputs: Inputs = {
    file: optionalInput(INPUT_FILE) ?? 'valohai.yaml',
    projectDir: optionalInput(INPUT_PROJECT_DIR) ?? '.mlops',
    evaluations,
    pipeline: optionalInput(INPUT_PIPELINE) ?? 'evaluations',
    overrides,
    registry,
    token: optionalInput(INPUT_GITHUB_TOKEN) ?? '',
  };
  // A model name, not a path: '@production' alone (an empty MLOPS_MODEL) means no baseline was configured.
  if (baselineModel !== undefined && !baselineModel.startsWith('@')) inputs.baselineModel = parseBaselineModel(baselineModel);
  if (run !== undefined) inputs.run = run;
  const nodes = optionalInput(INPUT_NODES);
  if (nodes !== undefined) inputs.nodes = nodes.split(/[,\n]/).map((n) => n.trim()).filter((n) => n !== '');
  if (baseline !== undefined) inputs.baseline = baseline;
  if (baselineRun !== undefined) inputs.baselineRun = baselineRun;
  return inputs;
}
