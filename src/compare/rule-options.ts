// Apart from compare.ts (which loads pipeline files, with the YAML parser and the schemas): the compare
// action parses its rule inputs with these before anything else, at its cold start.
import { ConfigurationError } from '../util/errors.js';
import type { Goal } from './rule.js';

/** Rule overrides as given on the command line or as action inputs; each replaces the file's value. */
export interface RuleOverrides {
  metric?: string;
  goal?: Goal;
  tieBreakers?: { metric: string; goal: Goal }[];
  constraints?: string[];
  threshold?: number;
  minAbsoluteImprovement?: number;
  minRelativeImprovement?: number;
  tolerance?: number;
}

/** `metric:goal,metric:goal` (goal defaults to max), as taken by --tie-breakers and the action input. */
export function parseTieBreakers(text: string): { metric: string; goal: Goal }[] {
  return text
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const [metric = '', goal = 'max', extra] = item.split(':').map((part) => part.trim());
      if (metric === '' || (goal !== 'max' && goal !== 'min') || extra !== undefined) {
        throw new ConfigurationError(`tie-breaker '${item}' must be '<metric>' or '<metric>:max' or '<metric>:min'`);
      }
      return { metric, goal };
    });
}

/** Reads a number given as text, naming the option when it is not one. */
export function parseNumberOption(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ConfigurationError(`${name} must be a number, got '${text}'`);
  return value;
}
