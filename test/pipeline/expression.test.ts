import { describe, expect, test } from 'vitest';
import { checkExpression, evaluateCondition, evaluateExpression } from '../../src/pipeline/expression.js';

const scope = {
  metadata: { loss: 0.05, accuracy: 0.93, epoch: 10, 'val.acc': 0.8, 'val-loss': 0.3, nested: { f1: 0.7 }, name: 'resnet' },
  parameters: { epochs: 10, optimizer: 'adam', threshold: '0.9', enabled: true },
};

describe('evaluateCondition', () => {
  test.each<[string, boolean]>([
    ['loss < 0.1', true],
    ['loss > 0.1', false],
    ['metadata.accuracy >= .9', true],
    ['metadata.accuracy >= 0.95', false],
    ['accuracy > 0.9 and loss < 0.1', true],
    ['accuracy > 0.99 or loss < 0.1', true],
    ['accuracy > 0.99 || loss > 0.1', false],
    ['accuracy > 0.9 && not (loss > 0.1)', true],
    ['!(epoch == 10)', false],
    ['epoch != 9', true],
    ['epoch == parameters.epochs', true],
    ['epoch == parameter.epochs', true],
    ['parameter.optimizer == "adam"', true],
    ["parameter.optimizer == 'sgd'", false],
    ['accuracy >= parameter.threshold', true],
    ['parameter.enabled', true],
    ['parameter.enabled == true', true],
    ['metadata.val.acc > 0.5', true],
    ['metadata["val-loss"] < 0.5', true],
    ['metadata.nested.f1 == 0.7', true],
    ['0 < loss < 0.1', true],
    ['0 < loss < 0.01', false],
    ['epoch * 2 - 5 == 15', true],
    ['-loss < 0', true],
    ['name == "resnet"', true],
    ['True', true],
    ['None', false],
    // A value not printed yet never makes a condition true, even under `not`.
    ['missing < 1', false],
    ['not (missing < 1)', false],
    ['metadata.missing > 0 or loss < 0.1', false],
    // Mismatched types are "not yet", not a crash.
    ['name > 1', false],
    ['parameter.optimizer in ["adam", "sgd"]', true],
    ['epoch in [1, 2, 3]', false],
    ['epoch not in [1, 2, 3,]', true],
    ['"dam" in name', false],
    ['"net" in name', true],
    ['"x" not in name', true],
    ['"loss" in metadata', true],
    ['metadata.missing is None', false],
    ['parameter.enabled is True', true],
    ['parameter.enabled is not False', true],
    ['2 ** 3 ** 2 == 512', true],
    ['-2 ** 2 == -4', true],
    ['7 // 2 == 3', true],
  ])('%s → %s', (expr, expected) => {
    expect(evaluateCondition(expr, scope)).toBe(expected);
  });

  test('arithmetic and values', () => {
    expect(evaluateExpression('(1 + 2) * 3 % 4', scope)).toBe(1);
    expect(evaluateExpression('-7 % 3', scope)).toBe(2);
    expect(evaluateExpression('1e-3 + 1', scope)).toBe(1.001);
    expect(evaluateExpression('1 / 0', scope)).toBeUndefined();
  });

  test('never evaluates JavaScript', () => {
    expect(checkExpression('process.exit(1)')).toMatch(/unexpected/);
    expect(checkExpression('constructor.constructor("return 1")()')).toBeDefined();
    expect(evaluateCondition('constructor == 1', { metadata: {}, parameters: {} })).toBe(false);
    expect(evaluateCondition('__proto__ == 1', { metadata: {}, parameters: {} })).toBe(false);
  });
});

describe('checkExpression', () => {
  test.each(['loss < 0.1', 'metadata.x >= 2 and (parameter.y == "a" or not z)', 'a.b.c != null'])('accepts %s', (expr) => {
    expect(checkExpression(expr)).toBeUndefined();
  });

  test.each<[string, RegExp]>([
    ['', /empty/],
    ['loss <', /ends too early/],
    ['(loss < 1', /expected "\)"/],
    ['loss < 1)', /unexpected "\)" at position 9/],
    ['loss ? 1', /unexpected character "\?" at position 6/],
    ['"open', /unterminated string/],
    ['a and and b', /unexpected "and"/],
    ['metadata.', /expected a name after "\."/],
    ['x in [1 2]', /expected "," or "\]"/],
  ])('rejects %j', (expr, message) => {
    expect(checkExpression(expr)).toMatch(message);
  });
});
