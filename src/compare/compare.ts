/**
 * The compare step as both front doors (CLI and action) use it: read the rule, gather candidates and
 * baseline, apply the rule, store the decision with the run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadPipelineFile } from '../pipeline/load.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { filterCandidates, loadRunCandidates, runDirectory, type Baseline, type Candidate, type DeploymentOutcome } from './candidates.js';
import { selectBest, type Selection, type SelectionRule } from './rule.js';
import { resolveRunId } from '../store/runs.js';
import type { RuleOverrides } from './rule-options.js';

export { parseNumberOption, parseTieBreakers, type RuleOverrides } from './rule-options.js';

/** File name of the stored decision inside `.mlops/runs/<runId>/`. */
export const DECISION_FILE = 'compare.json';

export interface StoredDecision {
  version: 1;
  pipeline: string;
  runId?: string;
  decidedAt: string;
  decision: Selection['decision'];
  reason: string;
  winner?: {
    node: string;
    executionId: string;
    metrics: Record<string, unknown>;
    outputs: Candidate['outputs'];
    /** The executions whose outputs the winner received (e.g. the training run of an evaluated model). */
    upstream?: Candidate['upstream'];
  };
  selection: Selection;
  /** The run's deployment nodes: deployed, or skipped by the gate (with the reason). */
  deployments?: DeploymentOutcome[];
}

/** The `selection` of the pipeline file's `x-mlops` item; undefined when the file declares none. */
export async function ruleFromPipelineFile(path: string): Promise<SelectionRule | undefined> {
  const result = await loadPipelineFile(path);
  if (!result.config) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    const where = first ? `${first.position.file}:${first.position.line}:${first.position.col}: ${first.message}` : 'unknown error';
    throw new ConfigurationError(`cannot read the selection rule from ${path}: ${where}`);
  }
  const selection = result.config.mlops.selection;
  return selection ? { ...selection, tieBreakers: [...selection.tieBreakers], constraints: [...selection.constraints] } : undefined;
}

/** Merges overrides onto a base rule (from the pipeline file, or nothing). A metric is required. */
export function resolveRule(base: SelectionRule | undefined, overrides: RuleOverrides): SelectionRule {
  const metric = overrides.metric ?? base?.metric;
  if (!metric) {
    throw new ConfigurationError('no selection metric: declare `selection: {metric: …}` in the `x-mlops` item of the pipeline file, or pass --metric / the `metric` input');
  }
  const rule: SelectionRule = {
    metric,
    goal: overrides.goal ?? base?.goal ?? 'max',
    tieBreakers: overrides.tieBreakers ?? base?.tieBreakers ?? [],
    constraints: overrides.constraints ?? base?.constraints ?? [],
  };
  const threshold = overrides.threshold ?? base?.threshold;
  if (threshold !== undefined) rule.threshold = threshold;
  const absolute = overrides.minAbsoluteImprovement ?? base?.minAbsoluteImprovement;
  if (absolute !== undefined) rule.minAbsoluteImprovement = absolute;
  const relative = overrides.minRelativeImprovement ?? base?.minRelativeImprovement;
  if (relative !== undefined) rule.minRelativeImprovement = relative;
  const tolerance = overrides.tolerance ?? base?.tolerance;
  if (tolerance !== undefined) rule.tolerance = tolerance;
  return rule;
}

/**
 * The baseline taken from an earlier run (for example the latest run of the same pipeline on the
 * base branch): its stored decision's winner when there is one, else the rule applied to its
 * candidates now. Undefined when that run had no usable winner.
 */
export async function baselineFromRun(projectDir: string, runId: string, rule: SelectionRule): Promise<Baseline | undefined> {
  const stored = await readStoredDecision(projectDir, runId);
  if (stored?.winner) return { source: `run ${runId}`, label: `${stored.winner.node} of run ${runId}`, metrics: stored.winner.metrics };
  const run = await loadRunCandidates(projectDir, runId);
  const winner = selectBest(filterCandidates(run.candidates, rule.metric), rule).winner;
  return winner ? { source: `run ${runId}`, label: `${winner.node} of run ${runId}`, metrics: winner.metrics } : undefined;
}

export async function readStoredDecision(projectDir: string, runIdOrPrefix: string): Promise<StoredDecision | undefined> {
  const file = join(runDirectory(projectDir, await resolveRunId(projectDir, runIdOrPrefix)), DECISION_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(text) as unknown;
    if (typeof data === 'object' && data !== null && 'version' in data && data.version === 1 && 'selection' in data) return data as StoredDecision;
  } catch (error) {
    throw new ConfigurationError(`${file} is not valid JSON: ${getErrorMessage(error)}`);
  }
  throw new ConfigurationError(`${file} is not a decision written by this version of mlops`);
}

export function toStoredDecision(pipeline: string, selection: Selection, runId?: string, now = new Date()): StoredDecision {
  const stored: StoredDecision = { version: 1, pipeline, decidedAt: now.toISOString(), decision: selection.decision, reason: selection.reason, selection };
  if (runId !== undefined) stored.runId = runId;
  if (selection.winner) {
    const { node, executionId, metrics, outputs, upstream } = selection.winner;
    stored.winner = { node, executionId, metrics, outputs };
    if (upstream) stored.winner.upstream = upstream;
  }
  return stored;
}

/** Stores the decision with the run: `.mlops/runs/<runId>/compare.json`, written atomically. */
export async function storeDecision(projectDir: string, runId: string, decision: StoredDecision): Promise<string> {
  const file = join(runDirectory(projectDir, runId), DECISION_FILE);
  await writeJsonAtomic(file, decision);
  return file;
}

export interface CompareRunOptions {
  rule: SelectionRule;
  nodeGlobs?: string[];
  baseline?: Baseline;
}

/** Applies the rule to a run's executions and stores the decision with the run. */
export async function compareRun(projectDir: string, runId: string, options: CompareRunOptions): Promise<{ pipeline: string; selection: Selection; stored: StoredDecision; file: string }> {
  const run = await loadRunCandidates(projectDir, runId);
  const candidates = filterCandidates(run.candidates, options.rule.metric, options.nodeGlobs);
  const selection = selectBest(candidates, options.rule, options.baseline);
  const stored = toStoredDecision(run.pipeline, selection, run.runId);
  if (run.deployments.length > 0) stored.deployments = run.deployments;
  const file = await storeDecision(projectDir, run.runId, stored);
  return { pipeline: run.pipeline, selection, stored, file };
}
