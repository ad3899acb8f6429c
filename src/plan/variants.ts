/**
 * Task nodes: one node, several executions with varied parameters (FORMAT §4, §3.1).
 *
 * Variants come from the node's task blueprint (`single`, `multiple`, `linear`, `logspace`, `random`
 * styles; `parameter-sets` for manual search) and from list values reaching a task node through pipeline
 * parameters or metadata edges. Everything combines as a grid (cartesian product), in parameter order.
 * Random values come from a seeded generator, so the same blueprint gives the same variants everywhere.
 */
import type { Parameter, ParameterValue, Task, TaskParameter } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

export type ParameterSet = Record<string, ParameterValue>;

/** Floats computed by stepping (0.1 + 0.2) are rounded to 12 significant digits, as a person would write them. */
function tidy(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}

function numberRule(task: Task, parameter: TaskParameter, rule: string, fallback?: number): number {
  const raw = parameter.rules[rule];
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (raw === undefined && fallback !== undefined) return fallback;
  throw new ConfigurationError(
    `task ${task.name}, parameter ${parameter.name} (style ${parameter.style}): rule \`${rule}\` must be a number`,
  );
}

function integerify(parameter: TaskParameter, values: number[]): ParameterValue[] {
  const flag = parameter.rules['integerify'];
  return values.map((v) => (flag === true || flag === 'true' ? Math.round(v) : tidy(v)));
}

/** mulberry32: small, fast, and the same sequence on every platform for a given seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/** The values one blueprint parameter takes. `count` overrides the random style's own count (random search). */
export function parameterValues(task: Task, parameter: TaskParameter, count?: number): ParameterValue[] {
  const rules = parameter.rules;
  switch (parameter.style) {
    case 'single': {
      const value = rules['value'];
      return [value === undefined ? null : (value as ParameterValue)];
    }
    case 'multiple': {
      const items = rules['items'] ?? rules['value'];
      if (!Array.isArray(items)) {
        throw new ConfigurationError(
          `task ${task.name}, parameter ${parameter.name}: style multiple needs a list in \`items\``,
        );
      }
      return items as ParameterValue[];
    }
    case 'linear': {
      const start = numberRule(task, parameter, 'start');
      const end = numberRule(task, parameter, 'end');
      const values: number[] = [];
      if (rules['step'] !== undefined) {
        const step = numberRule(task, parameter, 'step');
        if (step === 0 || Math.sign(step) !== Math.sign(end - start || step)) {
          throw new ConfigurationError(`task ${task.name}, parameter ${parameter.name}: \`step\` never reaches \`end\``);
        }
        // The epsilon keeps `end` itself when float stepping lands a hair past it.
        const epsilon = Math.abs(step) * 1e-9;
        for (let v = start; step > 0 ? v <= end + epsilon : v >= end - epsilon; v += step) values.push(v);
      } else {
        const n = numberRule(task, parameter, 'count');
        for (let i = 0; i < n; i++) values.push(n === 1 ? start : start + ((end - start) * i) / (n - 1));
      }
      return integerify(parameter, values);
    }
    case 'logspace': {
      const start = numberRule(task, parameter, 'start');
      const end = numberRule(task, parameter, 'end');
      const n = numberRule(task, parameter, 'count');
      const base = numberRule(task, parameter, 'base', 10);
      const values: number[] = [];
      for (let i = 0; i < n; i++) values.push(base ** (n === 1 ? start : start + ((end - start) * i) / (n - 1)));
      return integerify(parameter, values);
    }
    case 'random': {
      const min = numberRule(task, parameter, 'min');
      const max = numberRule(task, parameter, 'max');
      const n = count ?? numberRule(task, parameter, 'count', task.executionCount ?? 1);
      const seedRule = rules['seed'];
      const seed = typeof seedRule === 'number' ? seedRule : seedOf(`${task.name}/${parameter.name}`);
      const random = seededRandom(seed);
      const distribution = String(rules['distribution'] ?? 'uniform');
      const values: number[] = [];
      for (let i = 0; i < n; i++) {
        const u = random();
        if (distribution === 'loguniform' || distribution === 'log-uniform') {
          if (min <= 0) throw new ConfigurationError(`task ${task.name}, parameter ${parameter.name}: loguniform needs min > 0`);
          values.push(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))));
        } else {
          values.push(min + u * (max - min));
        }
      }
      return integerify(parameter, values);
    }
    default:
      throw new ConfigurationError(`task ${task.name}, parameter ${parameter.name}: unknown style`);
  }
}

/** Cartesian product of named value lists, first name varying slowest. */
export function grid(axes: [string, ParameterValue[]][]): ParameterSet[] {
  let sets: ParameterSet[] = [{}];
  for (const [name, values] of axes) {
    const next: ParameterSet[] = [];
    for (const set of sets) for (const value of values) next.push({ ...set, [name]: value });
    sets = next;
  }
  return sets;
}

/** The parameter sets a task blueprint defines. */
export function blueprintVariants(task: Task): ParameterSet[] {
  if (task.type === 'manual_search' || (task.parameters.length === 0 && task.parameterSets.length > 0)) {
    return task.parameterSets.map((set) => ({ ...set }));
  }
  if (task.type === 'random_search' || task.type === 'bayesian_tpe') {
    // Random search: execution-count samples; a non-random parameter cycles through its values.
    const count = task.executionCount ?? 1;
    const columns = task.parameters.map((p) => [p.name, parameterValues(task, p, count)] as const);
    const sets: ParameterSet[] = [];
    for (let i = 0; i < count; i++) {
      const set: ParameterSet = {};
      for (const [name, values] of columns) {
        const value = values[i % Math.max(values.length, 1)];
        if (value !== undefined) set[name] = value;
      }
      sets.push(set);
    }
    return sets;
  }
  const sets = grid(task.parameters.map((p) => [p.name, parameterValues(task, p)]));
  if (task.type === 'distributed') {
    // Distributed tasks run execution-count identical members.
    const count = task.executionCount ?? 1;
    return Array.from({ length: count }, () => ({ ...(sets[0] ?? {}) }));
  }
  return sets;
}

/**
 * Expands a task node's parameters into variants: the blueprint's sets (if any), crossed with every
 * list value of a parameter that is not itself `multiple` (a list reaching a task node spreads).
 * Returns each variant's full parameter values and which of them were varied.
 */
export function expandVariants(
  baseParameters: Record<string, ParameterValue>,
  stepParameters: readonly Parameter[],
  task?: Task,
  /** Parameter sets to use instead of the blueprint's (bayesian_tpe proposals, task-run.ts). */
  blueprintOverride?: ParameterSet[],
): { parameters: Record<string, ParameterValue>; varied: ParameterSet }[] {
  const byName = new Map(stepParameters.map((p) => [p.name, p]));
  const spreadAxes: [string, ParameterValue[]][] = [];
  for (const [name, value] of Object.entries(baseParameters)) {
    const declared = byName.get(name);
    if (Array.isArray(value) && (declared === undefined || declared.multiple === 'none')) spreadAxes.push([name, value]);
  }
  const blueprintSets = blueprintOverride ?? (task ? blueprintVariants(task) : [{}]);
  const spreadSets = grid(spreadAxes);
  const variants: { parameters: Record<string, ParameterValue>; varied: ParameterSet }[] = [];
  for (const fromBlueprint of blueprintSets) {
    for (const fromSpread of spreadSets) {
      const varied = { ...fromSpread, ...fromBlueprint };
      variants.push({ parameters: { ...baseParameters, ...varied }, varied });
    }
  }
  return variants;
}
