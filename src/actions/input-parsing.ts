/**
 * How every action reads its inputs: trimmed text, empty meaning "not given", and a ConfigurationError
 * naming the input and what it accepts. Each action's `inputs.ts` builds its `Inputs` from these.
 */
import * as core from '@actions/core';
import { ConfigurationError } from '../util/errors.js';

/** The input's text, trimmed; undefined when empty (not given, or given as ''). */
export function optionalInput(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

/** The input's text, trimmed; a ConfigurationError when empty (`why` says what it is for). */
export function requiredInput(name: string, why?: string): string {
  const value = optionalInput(name);
  if (value === undefined) throw new ConfigurationError(`input "${name}" is required${why === undefined ? '' : `: ${why}`}`);
  return value;
}

// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
const TRUE_VALUES = ['true', 'True', 'TRUE'];
const FALSE_VALUES = ['false', 'False', 'FALSE'];

/** A boolean input; `fallback` when empty. */
export function booleanInput(name: string, fallback: boolean): boolean {
  const text = optionalInput(name);
  if (text === undefined) return fallback;
  if (TRUE_VALUES.includes(text)) return true;
  if (FALSE_VALUES.includes(text)) return false;
  throw new ConfigurationError(`input "${name}" must be true or false, got "${text}"`);
}

/** A number above zero (or zero too, with `allowZero`); `fallback` when empty. */
export function positiveNumberInput(name: string, fallback: number, allowZero = false): number {
  const text = optionalInput(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigurationError(`input "${name}" must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${text}"`);
  }
  return value;
}

/** A whole number from 1 up; `fallback` when empty. */
export function positiveIntegerInput(name: string, fallback: number): number {
  const text = optionalInput(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`input "${name}" must be a positive whole number, got "${text}"`);
  }
  return value;
}

/** One of `allowed`; `fallback` when empty. */
export function oneOfInput<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = optionalInput(name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigurationError(`input "${name}" must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

/** The input's non-empty lines, each trimmed. */
export function inputLines(name: string): string[] {
  return core
    .getInput(name)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
