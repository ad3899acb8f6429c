/**
 * The selection rule: which candidate is best, and whether it may replace the production model.
 *
 * Semantics (modelled on MLflow's `MetricThreshold`; see src/compare/README.md for the full text):
 *
 * - **Eligibility.** A candidate is excluded, with a reason in the table, when its execution did not
 *   succeed, when the main metric is missing, not a number, NaN or infinite, when it fails the
 *   `threshold` (MLflow `threshold`: `>=` for max, `<=` for min), or when it fails a constraint.
 * - **Ranking.** Eligible candidates are ordered by the main metric in the goal's direction, then by
 *   each tie-breaker in turn (a candidate without a usable tie-breaker value ranks after those with
 *   one), then by node name and execution id in ascending code-point order, so the result is stable.
 *   Two values within `tolerance` of each other are a tie.
 * - **Gate (champion/challenger).** Let `improvement = winner − baseline` for `max` and
 *   `baseline − winner` for `min`. The winner is promoted when both
 *     `improvement >= minAbsoluteImprovement − tolerance`  (MLflow `min_absolute_change`) and
 *     `improvement / |baseline| >= minRelativeImprovement − tolerance`  (MLflow `min_relative_change`)
 *   hold; an unset minimum is 0, so with no minimum the winner must be at least as good as the
 *   baseline (equal within tolerance passes). Example: 0.85 vs 0.80 with an absolute minimum of 0.05
 *   promotes, although `0.85 − 0.80` is `0.04999999999999993` in binary floating point (MLflow's
 *   Decimal comparison rejects it).
 * - **Baseline of 0.** A relative improvement over 0 is undefined. When a relative minimum is set,
 *   it is replaced by "strictly better than the baseline by more than the tolerance" (MLflow falls
 *   back the same way) and the reason says so.
 * - **No baseline.** The best eligible candidate is promoted (first model). A baseline that lacks a
 *   usable main metric holds the decision: the comparison that was asked for cannot be made.
 * - **Tolerance** defaults to 1e-9, absolute, and applies to every numeric comparison above.
 */
import type { Baseline, Candidate } from './candidates.js';
import { checkConstraint, compareWithTolerance, parseConstraint, type Constraint } from './constraint.js';

export type Goal = 'max' | 'min';

export interface SelectionRule {
  metric: string;
  goal: Goal;
  tieBreakers: { metric: string; goal: Goal }[];
  /** `latency_ms <= 50`, `accuracy >= 0.9`: see constraint.ts for the grammar. */
  constraints: string[];
  /** A floor (max) or ceiling (min) on the main metric itself, like MLflow's `threshold`. */
  threshold?: number;
  minAbsoluteImprovement?: number;
  minRelativeImprovement?: number;
  tolerance?: number;
}

export const DEFAULT_TOLERANCE = 1e-9;

export type Decision = 'promote' | 'hold' | 'no-candidate';

export interface CandidateRow {
  node: string;
  executionId: string;
  status: string;
  parameters: Record<string, unknown>;
  metrics: Record<string, unknown>;
  /** The main metric when usable. */
  value?: number;
  eligible: boolean;
  /** Why the candidate was excluded; absent when eligible. */
  excluded?: string;
  /** 1-based position among eligible candidates. */
  rank?: number;
  winner: boolean;
  /** `value − baseline` (signed, not goal-oriented); absent without a usable baseline. */
  deltaAbsolute?: number;
  /** `(value − baseline) / |baseline|`; absent when the baseline is 0 or unusable. */
  deltaRelative?: number;
  outputs: Candidate['outputs'];
  series?: Record<string, number[]>;
  upstream?: Candidate['upstream'];
}

export interface Selection {
  winner?: CandidateRow;
  decision: Decision;
  /** One line. */
  reason: string;
  /** One row per candidate: eligible ones by rank, then excluded ones in input order. */
  table: CandidateRow[];
  rule: SelectionRule;
  baseline?: Baseline & { value?: number };
  /** The gate's numbers, for reports: present when a winner was compared with a usable baseline. */
  gate?: { improvement: number; relativeImprovement?: number; passed: boolean };
}

/** Rounds away binary noise for messages: 0.04999999999999993 prints as 0.05. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(12)));
}

/** A ratio as a percentage with 4 significant digits: 0.0237387 prints as 2.374. */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  return String(Number((ratio * 100).toPrecision(4)));
}

export function formatValue(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'missing';
  return JSON.stringify(value) ?? String(value);
}

const successStatuses = new Set(['succeeded', 'completed', 'complete', 'success']);

/** The usable numeric value of `metric`, or why there is none. */
export function metricValue(metrics: Record<string, unknown>, metric: string): { value: number } | { problem: string } {
  const raw = metrics[metric];
  if (raw === undefined || raw === null) return { problem: `metric '${metric}' missing` };
  if (raw === 'NaN' || (typeof raw === 'number' && Number.isNaN(raw))) return { problem: `metric '${metric}' is NaN` };
  if (typeof raw !== 'number') return { problem: `metric '${metric}' is not a number (${formatValue(raw)})` };
  if (!Number.isFinite(raw)) return { problem: `metric '${metric}' is not finite (${raw})` };
  return { value: raw };
}

function validateRule(rule: SelectionRule): { constraints: Constraint[]; tolerance: number } {
  const tolerance = rule.tolerance ?? DEFAULT_TOLERANCE;
  const checks: [string, number | undefined][] = [
    ['tolerance', tolerance],
    ['minAbsoluteImprovement', rule.minAbsoluteImprovement],
    ['minRelativeImprovement', rule.minRelativeImprovement],
  ];
  for (const [name, value] of checks) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`selection rule: ${name} must be a finite number >= 0, got ${value}`);
    }
  }
  if (rule.threshold !== undefined && !Number.isFinite(rule.threshold)) {
    throw new RangeError(`selection rule: threshold must be a finite number, got ${rule.threshold}`);
  }
  return { constraints: rule.constraints.map(parseConstraint), tolerance };
}

/** Negative when `a` ranks before `b`. */
function compareGoal(a: number, b: number, goal: Goal, tolerance: number): number {
  const order = compareWithTolerance(a, b, tolerance);
  return goal === 'max' ? -order : order;
}

function compareRows(a: CandidateRow, b: CandidateRow, rule: SelectionRule, tolerance: number): number {
  const main = compareGoal(a.value ?? 0, b.value ?? 0, rule.goal, tolerance);
  if (main !== 0) return main;
  for (const breaker of rule.tieBreakers) {
    const va = metricValue(a.metrics, breaker.metric);
    const vb = metricValue(b.metrics, breaker.metric);
    if ('value' in va && 'value' in vb) {
      const order = compareGoal(va.value, vb.value, breaker.goal, tolerance);
      if (order !== 0) return order;
    } else if ('value' in va) {
      return -1;
    } else if ('value' in vb) {
      return 1;
    }
  }
  if (a.node !== b.node) return a.node < b.node ? -1 : 1;
  if (a.executionId !== b.executionId) return a.executionId < b.executionId ? -1 : 1;
  return 0;
}

function exclusionReason(candidate: Candidate, rule: SelectionRule, constraints: Constraint[], tolerance: number): string | undefined {
  if (!successStatuses.has(candidate.status)) return `execution ${candidate.status}`;
  const main = metricValue(candidate.metrics, rule.metric);
  if ('problem' in main) return main.problem;
  if (rule.threshold !== undefined) {
    const order = compareWithTolerance(main.value, rule.threshold, tolerance);
    const passes = rule.goal === 'max' ? order >= 0 : order <= 0;
    if (!passes) {
      const op = rule.goal === 'max' ? '>=' : '<=';
      return `threshold ${rule.metric} ${op} ${formatNumber(rule.threshold)} failed (${rule.metric} = ${formatNumber(main.value)})`;
    }
  }
  for (const constraint of constraints) {
    const outcome = checkConstraint(constraint, candidate.metrics, tolerance, formatValue);
    if (!outcome.ok) return outcome.reason;
  }
  return undefined;
}

function describeRequirement(rule: SelectionRule, baselineIsZero: boolean): string {
  const parts: string[] = [];
  if (rule.minAbsoluteImprovement !== undefined) parts.push(`>= ${formatNumber(rule.minAbsoluteImprovement)} absolute`);
  if (rule.minRelativeImprovement !== undefined) {
    parts.push(baselineIsZero ? 'strictly better (relative change undefined for a baseline of 0)' : `>= ${formatPercent(rule.minRelativeImprovement)}% relative`);
  }
  return parts.length > 0 ? parts.join(' and ') : 'not worse';
}

/** Applies the rule. Pure: same input, same output. Throws RangeError/ConfigurationError on a bad rule. */
export function selectBest(candidates: Candidate[], rule: SelectionRule, baseline?: Baseline): Selection {
  const { constraints, tolerance } = validateRule(rule);
  const baselineValue = baseline ? metricValue(baseline.metrics, rule.metric) : undefined;
  const usableBaseline = baselineValue && 'value' in baselineValue ? baselineValue.value : undefined;

  const eligible: CandidateRow[] = [];
  const excluded: CandidateRow[] = [];
  for (const candidate of candidates) {
    const row: CandidateRow = {
      node: candidate.node,
      executionId: candidate.executionId,
      status: candidate.status,
      parameters: candidate.parameters,
      metrics: candidate.metrics,
      eligible: false,
      winner: false,
      outputs: candidate.outputs,
    };
    if (candidate.series) row.series = candidate.series;
    if (candidate.upstream) row.upstream = candidate.upstream;
    const main = metricValue(candidate.metrics, rule.metric);
    if ('value' in main) {
      row.value = main.value;
      if (usableBaseline !== undefined) {
        row.deltaAbsolute = main.value - usableBaseline;
        if (usableBaseline !== 0) row.deltaRelative = (main.value - usableBaseline) / Math.abs(usableBaseline);
      }
    }
    const reason = exclusionReason(candidate, rule, constraints, tolerance);
    if (reason === undefined) {
      row.eligible = true;
      eligible.push(row);
    } else {
      row.excluded = reason;
      excluded.push(row);
    }
  }
  eligible.sort((a, b) => compareRows(a, b, rule, tolerance));
  eligible.forEach((row, index) => {
    row.rank = index + 1;
  });
  const table = [...eligible, ...excluded];
  const selection: Selection = { decision: 'no-candidate', reason: '', table, rule };
  if (baseline) selection.baseline = usableBaseline === undefined ? { ...baseline } : { ...baseline, value: usableBaseline };

  const winner = eligible[0];
  if (!winner || winner.value === undefined) {
    if (candidates.length === 0) {
      selection.reason = `no execution reported the metric '${rule.metric}'`;
    } else {
      const why = excluded.map((row) => `${row.node}: ${row.excluded ?? 'excluded'}`).join('; ');
      selection.reason = `all ${candidates.length} candidate${candidates.length === 1 ? ' was' : 's were'} excluded (${why})`;
    }
    return selection;
  }
  winner.winner = true;
  selection.winner = winner;
  const tiedWith = eligible.filter((row) => row !== winner && compareWithTolerance(row.value ?? 0, winner.value ?? 0, tolerance) === 0);
  const tieNote = tiedWith.length > 0 ? ` (tied on ${rule.metric} with ${tiedWith.map((row) => row.node).join(', ')}; broken by ${rule.tieBreakers.length > 0 ? 'tie-breakers, then node name' : 'node name'})` : '';
  const best = `${winner.node} has the best ${rule.metric} (${formatNumber(winner.value)})${tieNote}`;

  if (!baseline) {
    selection.decision = 'promote';
    selection.reason = `${best}; no baseline to beat`;
    return selection;
  }
  if (usableBaseline === undefined) {
    selection.decision = 'hold';
    const problem = baselineValue && 'problem' in baselineValue ? baselineValue.problem : 'unusable';
    selection.reason = `${best}, but the baseline (${baseline.source}) cannot be compared: ${problem}`;
    return selection;
  }

  const improvement = rule.goal === 'max' ? winner.value - usableBaseline : usableBaseline - winner.value;
  const absoluteOk = improvement >= (rule.minAbsoluteImprovement ?? 0) - tolerance;
  let relativeOk = true;
  let relativeImprovement: number | undefined;
  if (usableBaseline !== 0) {
    relativeImprovement = improvement / Math.abs(usableBaseline);
    relativeOk = relativeImprovement >= (rule.minRelativeImprovement ?? 0) - tolerance;
  } else if (rule.minRelativeImprovement !== undefined) {
    relativeOk = improvement > tolerance;
  }
  const passed = absoluteOk && relativeOk;
  selection.gate = { improvement, passed };
  if (relativeImprovement !== undefined) selection.gate.relativeImprovement = relativeImprovement;

  const sign = improvement >= 0 ? '+' : '';
  const relativeText = relativeImprovement !== undefined ? `, ${sign}${formatPercent(relativeImprovement)}%` : '';
  const requirement = describeRequirement(rule, usableBaseline === 0);
  const versus = `${rule.metric} ${formatNumber(winner.value)} vs baseline ${formatNumber(usableBaseline)}: improvement ${sign}${formatNumber(improvement)}${relativeText}; required ${requirement}`;
  selection.decision = passed ? 'promote' : 'hold';
  selection.reason = `${winner.node} ${passed ? 'beats' : 'does not beat'} the baseline (${versus})${tieNote}`;
  return selection;
}
