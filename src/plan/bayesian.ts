/**
 * Bayesian optimisation of a `bayesian_tpe` task, done locally the way Valohai documents it
 * (docs.valohai.com "Bayesian Optimization"): the first executions are a random search that seeds the
 * optimiser (Valohai: the first 20; with fewer than 20 executions in all, the task is a random search),
 * then batch by batch a Tree-structured Parzen Estimator proposes parameters from the completed
 * executions' target metric.
 *
 * A compact TPE in the manner of hyperopt's (Bergstra et al. 2011), univariate per parameter:
 * - the loss of an execution is |metric − optimization-target-value| when a target value is given, else
 *   −metric (higher is better, as for accuracy);
 * - the completed executions are split into the best γ = 25 % ("good") and the rest ("bad");
 * - per parameter, a Parzen density l(x) over the good values and g(x) over the bad ones, each mixed
 *   with the prior (uniform over the range; log scale for loguniform and logspace; add-one counts for
 *   discrete values); 24 candidates are drawn from l and the one with the largest l(x)/g(x) is proposed.
 * Proposals are seeded from the task's name and the batch, so a rerun proposes the same values.
 */
import type { ParameterValue, Task, TaskParameter } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

/** Valohai runs this many random executions before the optimiser takes over. */
export const BAYESIAN_SEED_EXECUTIONS = 20;
const GAMMA = 0.25;
const CANDIDATES = 24;

export type ParameterSet = Record<string, ParameterValue>;

export interface Observation {
  parameters: ParameterSet;
  /** The target metric's last value. */
  metric: number;
}

/** One dimension of the search space. */
type Dimension =
  | { kind: 'continuous'; name: string; low: number; high: number; log: boolean; integer: boolean }
  | { kind: 'discrete'; name: string; values: ParameterValue[] }
  | { kind: 'fixed'; name: string; value: ParameterValue };

function numberRule(task: Task, parameter: TaskParameter, rule: string, fallback?: number): number {
  const raw = parameter.rules[rule];
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (raw === undefined && fallback !== undefined) return fallback;
  throw new ConfigurationError(`task ${task.name}, parameter ${parameter.name} (style ${parameter.style}): rule \`${rule}\` must be a number`);
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The search space: `random` styles are ranges, `multiple`/`linear`/`logspace` choices, `single` fixed. */
export function searchSpace(task: Task, discreteValues: (parameter: TaskParameter) => ParameterValue[]): Dimension[] {
  return task.parameters.map((parameter): Dimension => {
    if (parameter.style === 'random') {
      const low = numberRule(task, parameter, 'min');
      const high = numberRule(task, parameter, 'max');
      const distribution = String(parameter.rules['distribution'] ?? 'uniform');
      const log = distribution === 'loguniform' || distribution === 'log-uniform';
      if (log && low <= 0) throw new ConfigurationError(`task ${task.name}, parameter ${parameter.name}: loguniform needs min > 0`);
      return { kind: 'continuous', name: parameter.name, low, high, log, integer: isTrue(parameter.rules['integerify']) };
    }
    if (parameter.style === 'single') {
      const value = parameter.rules['value'];
      return { kind: 'fixed', name: parameter.name, value: value === undefined ? null : (value as ParameterValue) };
    }
    return { kind: 'discrete', name: parameter.name, values: discreteValues(parameter) };
  });
}

/** The loss TPE minimises. */
export function lossOf(metric: number, targetValue: number | undefined): number {
  return targetValue === undefined ? -metric : Math.abs(metric - targetValue);
}

function normalPdf(x: number, mean: number, sigma: number): number {
  const z = (x - mean) / sigma;
  return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI));
}

/** Box–Muller from a uniform source. */
function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

interface Parzen {
  sample(random: () => number): number;
  density(x: number): number;
}

/**
 * A Parzen estimator on [low, high] over `points`, mixed with the uniform prior (weight 1/(n+1)). Each
 * point's bandwidth is the larger gap to its neighbours (hyperopt's adaptive Parzen), clipped to
 * [span / min(100, n + 1), span]; samples outside the range are drawn again (a truncated kernel).
 */
function parzen(points: number[], low: number, high: number): Parzen {
  const span = high - low || 1;
  const n = points.length;
  const sorted = [...points].sort((a, b) => a - b);
  const minSigma = span / Math.min(100, n + 1);
  const sigmas = sorted.map((point, i) => {
    const left = point - (sorted[i - 1] ?? low);
    const right = (sorted[i + 1] ?? high) - point;
    return Math.min(span, Math.max(minSigma, left, right));
  });
  const priorWeight = 1 / (n + 1);
  return {
    sample(random) {
      const pick = Math.floor(random() * (n + 1));
      const centre = sorted[pick];
      const sigma = sigmas[pick] ?? span;
      if (centre === undefined) return low + random() * span;
      for (let attempt = 0; attempt < 16; attempt++) {
        const x = centre + sigma * normal(random);
        if (x >= low && x <= high) return x;
      }
      return centre;
    },
    density(x) {
      let sum = priorWeight / span;
      sorted.forEach((point, i) => {
        sum += ((1 - priorWeight) / n) * normalPdf(x, point, sigmas[i] ?? span);
      });
      return sum;
    },
  };
}

function same(a: ParameterValue | undefined, b: ParameterValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Splits observations into the best γ and the rest, by loss. */
function split(observations: Observation[], targetValue: number | undefined): { good: Observation[]; bad: Observation[] } {
  const sorted = [...observations].sort((a, b) => lossOf(a.metric, targetValue) - lossOf(b.metric, targetValue));
  const goodCount = Math.max(1, Math.ceil(GAMMA * sorted.length));
  return { good: sorted.slice(0, goodCount), bad: sorted.slice(goodCount) };
}

function proposeValue(dimension: Dimension, good: Observation[], bad: Observation[], random: () => number): ParameterValue {
  switch (dimension.kind) {
    case 'fixed':
      return dimension.value;
    case 'discrete': {
      const k = dimension.values.length;
      if (k === 0) return null;
      const weight = (group: Observation[], value: ParameterValue): number =>
        (group.filter((o) => same(o.parameters[dimension.name], value)).length + 1) / (group.length + k);
      let best = dimension.values[0] ?? null;
      let bestScore = -Infinity;
      for (let i = 0; i < CANDIDATES; i++) {
        // Draw from l: the good counts with add-one smoothing.
        let u = random() * dimension.values.reduce<number>((sum, value) => sum + weight(good, value), 0);
        let candidate = dimension.values[k - 1] ?? null;
        for (const value of dimension.values) {
          u -= weight(good, value);
          if (u <= 0) {
            candidate = value;
            break;
          }
        }
        const score = weight(good, candidate) / weight(bad, candidate);
        if (score > bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
      return best;
    }
    case 'continuous': {
      const toSpace = (x: number): number => (dimension.log ? Math.log(x) : x);
      const fromSpace = (x: number): number => (dimension.log ? Math.exp(x) : x);
      const low = toSpace(dimension.low);
      const high = toSpace(dimension.high);
      const values = (group: Observation[]): number[] =>
        group.map((o) => o.parameters[dimension.name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).map(toSpace);
      const l = parzen(values(good), low, high);
      const g = parzen(values(bad), low, high);
      let best = l.sample(random);
      let bestScore = -Infinity;
      for (let i = 0; i < CANDIDATES; i++) {
        const x = l.sample(random);
        const score = l.density(x) / g.density(x);
        if (score > bestScore) {
          bestScore = score;
          best = x;
        }
      }
      const value = fromSpace(best);
      return dimension.integer ? Math.round(value) : Number(value.toPrecision(12));
    }
  }
}

/**
 * `count` TPE proposals from the completed observations (independent draws from one seeded generator,
 * so a batch holds different points).
 */
export function proposeBatch(
  dimensions: Dimension[],
  observations: Observation[],
  count: number,
  targetValue: number | undefined,
  random: () => number,
): ParameterSet[] {
  const { good, bad } = split(observations, targetValue);
  const proposals: ParameterSet[] = [];
  for (let i = 0; i < count; i++) {
    const set: ParameterSet = {};
    for (const dimension of dimensions) set[dimension.name] = proposeValue(dimension, good, bad, random);
    proposals.push(set);
  }
  return proposals;
}

/** Whether Bayesian optimisation (not only its random seeding) runs for this task. */
export function optimises(task: Task | undefined): boolean {
  return (
    task?.type === 'bayesian_tpe' && task.optimizationTargetMetric !== undefined && (task.executionCount ?? 1) > BAYESIAN_SEED_EXECUTIONS
  );
}

/** How a `bayesian_tpe` task runs here, in one sentence for validate, plan and run. */
export function describeBayesian(task: Task): string {
  const count = task.executionCount ?? 1;
  const metric = task.optimizationTargetMetric;
  if (metric === undefined) {
    return `task ${task.name} (bayesian_tpe) has no optimization-target-metric, so nothing guides it: its ${count} executions are a random search`;
  }
  if (count <= BAYESIAN_SEED_EXECUTIONS) {
    return `task ${task.name} (bayesian_tpe) runs ${count} executions, no more than the ${BAYESIAN_SEED_EXECUTIONS} random ones Valohai seeds the optimiser with, so it is a random search (as on Valohai)`;
  }
  const batch = task.executionBatchSize ?? count;
  const target = task.optimizationTargetValue === undefined ? `maximising ${metric}` : `bringing ${metric} to ${task.optimizationTargetValue}`;
  return (
    `task ${task.name} (bayesian_tpe): the first ${BAYESIAN_SEED_EXECUTIONS} executions are random, then TPE proposes the other ` +
    `${count - BAYESIAN_SEED_EXECUTIONS} in batches of ${Math.min(batch, count - BAYESIAN_SEED_EXECUTIONS)}, ${target}`
  );
}
