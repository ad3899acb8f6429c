import { describe, expect, test } from 'vitest';
import type { Step, Task, TaskParameter } from '../../src/pipeline/model.js';
import { blueprintVariants, expandVariants, parameterValues } from '../../src/plan/variants.js';
import { canonicalJson, reuseKey } from '../../src/exec/reuse.js';

const task = (parameters: TaskParameter[], extra: Partial<Task> = {}): Task => ({
  name: 't',
  step: 's',
  type: 'grid_search',
  parameters,
  parameterSets: [],
  position: { file: 'f', line: 1, col: 1 },
  ...extra,
});

describe('task variants', () => {
  test.each([
    ['single', { value: 5 }, [5]],
    ['multiple', { items: ['a', 'b'] }, ['a', 'b']],
    ['linear', { start: 0.1, end: 0.3, step: 0.1 }, [0.1, 0.2, 0.3]],
    ['linear', { start: 1, end: 3, count: 3 }, [1, 2, 3]],
    ['logspace', { start: -3, end: -1, count: 3 }, [0.001, 0.01, 0.1]],
    ['logspace', { start: 1, end: 3, count: 3, base: 2 }, [2, 4, 8]],
  ] as const)('%s %j', (style, rules, expected) => {
    expect(parameterValues(task([]), { name: 'p', style, rules: { ...rules } })).toEqual(expected);
  });

  test('random values are seeded, within bounds, integerified on request', () => {
    const p: TaskParameter = { name: 'p', style: 'random', rules: { min: 1, max: 10, count: 5, seed: 7, integerify: true } };
    const first = parameterValues(task([p]), p);
    expect(first).toEqual(parameterValues(task([p]), p));
    expect(first).toHaveLength(5);
    for (const v of first) expect(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10).toBe(true);
  });

  test('grid, manual search and random search', () => {
    const grid = blueprintVariants(task([
      { name: 'a', style: 'multiple', rules: { items: [1, 2] } },
      { name: 'b', style: 'multiple', rules: { items: ['x', 'y'] } },
    ]));
    expect(grid).toEqual([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
    expect(blueprintVariants(task([], { type: 'manual_search', parameterSets: [{ a: 1 }, { a: 3, b: 'z' }] }))).toEqual([{ a: 1 }, { a: 3, b: 'z' }]);
    const random = blueprintVariants(task([{ name: 'lr', style: 'random', rules: { min: 0, max: 1 } }], { type: 'random_search', executionCount: 4 }));
    expect(random).toHaveLength(4);
  });

  test('list values spread unless the parameter is multiple', () => {
    const position = { file: 'f', line: 1, col: 1 };
    const declared = [
      { name: 'lr', type: 'float', optional: false, multiple: 'none', multipleSeparator: ',', position },
      { name: 'tags', type: 'string', optional: false, multiple: 'repeat', multipleSeparator: ',', position },
    ] as const;
    const variants = expandVariants({ lr: [0.1, 0.2], tags: ['a', 'b'] }, [...declared]);
    expect(variants.map((v) => v.parameters)).toEqual([{ lr: 0.1, tags: ['a', 'b'] }, { lr: 0.2, tags: ['a', 'b'] }]);
  });
});

describe('reuse key', () => {
  const step = (line: number): Step => ({
    name: 's',
    image: 'img',
    command: ['echo hi'],
    parameters: [],
    inputs: [],
    outputs: [],
    environmentVariables: [],
    environmentVariableGroups: [],
    mounts: [],
    extra: {},
    position: { file: 'valohai.yaml', line, col: 1 },
  });
  const base = {
    renderedCommand: 'echo hi',
    parameters: { b: 1, a: 2 },
    image: 'img',
    inputChecksums: { x: [{ relativePath: 'f', sha256: 'ab' }] },
    codeVersion: 'git:1',
    node: 'train',
  };

  test('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: { d: 1, c: [2, { f: 1, e: 0 }] }, a: null })).toBe('{"a":null,"b":{"c":[2,{"e":0,"f":1}],"d":1}}');
  });

  test('same work, same key; moving the step in the file does not matter; any change does', () => {
    const key = reuseKey({ ...base, stepDefinition: step(1) });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(reuseKey({ ...base, parameters: { a: 2, b: 1 }, stepDefinition: step(40) })).toBe(key);
    expect(reuseKey({ ...base, parameters: { a: 3, b: 1 }, stepDefinition: step(1) })).not.toBe(key);
    expect(reuseKey({ ...base, image: 'other', stepDefinition: step(1) })).not.toBe(key);
    expect(reuseKey({ ...base, inputChecksums: { x: [{ relativePath: 'f', sha256: 'cd' }] }, stepDefinition: step(1) })).not.toBe(key);
    expect(reuseKey({ ...base, renderedCommand: 'echo ho', stepDefinition: step(1) })).not.toBe(key);
    expect(reuseKey({ ...base, codeVersion: 'git:2', stepDefinition: step(1) })).not.toBe(key);
    expect(reuseKey({ ...base, node: 'train-2', stepDefinition: step(1) })).not.toBe(key);
    expect(reuseKey({ ...base, environment: { SEED: '1' }, stepDefinition: step(1) })).not.toBe(key);
  });
});
