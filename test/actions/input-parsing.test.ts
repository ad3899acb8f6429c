/** The shared input readers every action's inputs.ts uses, driven through INPUT_* variables as the runner sets them. */
import { afterEach, describe, expect, test } from 'vitest';
import {
  booleanInput,
  inputLines,
  oneOfInput,
  optionalInput,
  positiveIntegerInput,
  positiveNumberInput,
  requiredInput,
} from '../../src/actions/input-parsing.js';
import { ConfigurationError } from '../../src/util/errors.js';

// The runner's naming: INPUT_ + the name upper-cased, spaces as underscores, hyphens kept.
const variable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
const given = (name: string, value: string): void => {
  process.env[variable(name)] = value;
};
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
});

describe('action inputs', () => {
  test.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['   ', undefined],
    ['  value \n', 'value'],
  ])('optionalInput(%j) is %j', (text, expected) => {
    if (text !== undefined) given('some-input', text);
    expect(optionalInput('some-input')).toBe(expected);
  });

  test('requiredInput names the input and why it is needed', () => {
    expect(() => requiredInput('pipeline', 'the pipeline to run')).toThrow(new ConfigurationError('input "pipeline" is required: the pipeline to run'));
    expect(() => requiredInput('pipeline')).toThrow(new ConfigurationError('input "pipeline" is required'));
    given('pipeline', ' train ');
    expect(requiredInput('pipeline')).toBe('train');
  });

  test.each<[string, boolean, boolean | RegExp]>([
    ['', true, true],
    ['', false, false],
    ['true', false, true],
    ['True', false, true],
    ['TRUE', false, true],
    ['false', true, false],
    ['FALSE', true, false],
    ['yes', true, /input "flag" must be true or false, got "yes"/],
    ['1', true, /must be true or false/],
  ])('booleanInput %j (fallback %j) → %s', (text, fallback, expected) => {
    given('flag', text);
    if (expected instanceof RegExp) expect(() => booleanInput('flag', fallback)).toThrow(expected);
    else expect(booleanInput('flag', fallback)).toBe(expected);
  });

  test.each<[string, boolean, number | RegExp]>([
    ['', false, 7],
    ['2.5', false, 2.5],
    ['0', true, 0],
    ['0', false, /input "n" must be a positive number, got "0"/],
    ['-1', true, /must be a non-negative number/],
    ['ten', false, /must be a positive number, got "ten"/],
    ['Infinity', false, /must be a positive number/],
  ])('positiveNumberInput %j (allowZero %j) → %s', (text, allowZero, expected) => {
    given('n', text);
    if (expected instanceof RegExp) expect(() => positiveNumberInput('n', 7, allowZero)).toThrow(expected);
    else expect(positiveNumberInput('n', 7, allowZero)).toBe(expected);
  });

  test.each<[string, number | RegExp]>([
    ['', 3],
    ['12', 12],
    ['0', /input "max-waves" must be a positive whole number, got "0"/],
    ['1.5', /positive whole number/],
    ['many', /positive whole number/],
  ])('positiveIntegerInput %j → %s', (text, expected) => {
    given('max-waves', text);
    if (expected instanceof RegExp) expect(() => positiveIntegerInput('max-waves', 3)).toThrow(expected);
    else expect(positiveIntegerInput('max-waves', 3)).toBe(expected);
  });

  test('oneOfInput takes the fallback when empty and lists the allowed values otherwise', () => {
    const allowed = ['deploy', 'rollback'] as const;
    expect(oneOfInput('operation', allowed, 'deploy')).toBe('deploy');
    given('operation', 'rollback');
    expect(oneOfInput('operation', allowed, 'deploy')).toBe('rollback');
    given('operation', 'destroy');
    expect(() => oneOfInput('operation', allowed, 'deploy')).toThrow(new ConfigurationError('input "operation" must be one of deploy, rollback, got "destroy"'));
  });

  test('inputLines drops blank lines and trims the rest', () => {
    given('evaluations', ' a/*.json \n\n  b.json\r\n   \n');
    expect(inputLines('evaluations')).toEqual(['a/*.json', 'b.json']);
  });
});
