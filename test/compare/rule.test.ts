import { describe, expect, test } from 'vitest';
import type { Baseline, Candidate } from '../../src/compare/candidates.js';
import { parseConstraint } from '../../src/compare/constraint.js';
import { selectBest, type SelectionRule } from '../../src/compare/rule.js';

function candidate(node: string, metrics: Record<string, unknown>, status = 'succeeded'): Candidate {
  return { node, executionId: `${node}-1`, status, parameters: {}, metrics, outputs: [] };
}

const maxAccuracy: SelectionRule = { metric: 'accuracy', goal: 'max', tieBreakers: [], constraints: [] };
const baselineOf = (metrics: Record<string, unknown>): Baseline => ({ source: 'production.json', metrics });

describe('selectBest: the champion/challenger gate', () => {
  test.each([
    // The float trap: 0.85 - 0.80 === 0.04999999999999993; the tolerance makes it promote.
    { name: '0.85 vs 0.80, absolute 0.05 promotes', value: 0.85, base: 0.8, abs: 0.05, decision: 'promote' },
    { name: '0.849 vs 0.80, absolute 0.05 holds', value: 0.849, base: 0.8, abs: 0.05, decision: 'hold' },
    { name: 'just inside the tolerance promotes', value: 0.85 - 5e-10, base: 0.8, abs: 0.05, decision: 'promote' },
    { name: 'just outside the tolerance holds', value: 0.85 - 5e-9, base: 0.8, abs: 0.05, decision: 'hold' },
    { name: 'relative 10% met exactly', value: 0.88, base: 0.8, rel: 0.1, decision: 'promote' },
    { name: 'relative 10% missed', value: 0.87, base: 0.8, rel: 0.1, decision: 'hold' },
    { name: 'both minima: absolute met, relative missed', value: 0.86, base: 0.8, abs: 0.05, rel: 0.1, decision: 'hold' },
    { name: 'no minimum: equal is not worse', value: 0.8, base: 0.8, decision: 'promote' },
    { name: 'no minimum: worse holds', value: 0.79, base: 0.8, decision: 'hold' },
    { name: 'baseline 0, relative minimum, strictly better promotes', value: 0.1, base: 0, rel: 0.5, decision: 'promote' },
    { name: 'baseline 0, relative minimum, equal holds', value: 0, base: 0, rel: 0.5, decision: 'hold' },
    { name: 'negative baseline uses |baseline| for relative', value: -0.9, base: -1, rel: 0.1, decision: 'promote' },
  ])('$name', ({ value, base, abs, rel, decision }) => {
    const rule: SelectionRule = { ...maxAccuracy };
    if (abs !== undefined) rule.minAbsoluteImprovement = abs;
    if (rel !== undefined) rule.minRelativeImprovement = rel;
    const result = selectBest([candidate('train', { accuracy: value })], rule, baselineOf({ accuracy: base }));
    expect(result.decision).toBe(decision);
    expect(result.winner?.node).toBe('train');
  });

  test('the 0.85 vs 0.80 reason shows the rounded numbers, not the binary noise', () => {
    const result = selectBest([candidate('train', { accuracy: 0.85 })], { ...maxAccuracy, minAbsoluteImprovement: 0.05 }, baselineOf({ accuracy: 0.8 }));
    expect(result.reason).toBe('train beats the baseline (accuracy 0.85 vs baseline 0.8: improvement +0.05, +6.25%; required >= 0.05 absolute)');
    expect(result.gate?.improvement).toBe(0.85 - 0.8);
  });

  test('a baseline of 0 explains that the relative change is undefined and leaves deltaRelative out', () => {
    const result = selectBest([candidate('train', { accuracy: 0.2 })], { ...maxAccuracy, minRelativeImprovement: 0.1 }, baselineOf({ accuracy: 0 }));
    expect(result.decision).toBe('promote');
    expect(result.reason).toContain('relative change undefined for a baseline of 0');
    expect(result.winner?.deltaAbsolute).toBe(0.2);
    expect(result.winner?.deltaRelative).toBeUndefined();
    expect(result.gate?.relativeImprovement).toBeUndefined();
  });

  test('missing baseline: the best candidate is promoted as the first model', () => {
    const result = selectBest([candidate('a', { accuracy: 0.7 }), candidate('b', { accuracy: 0.9 })], { ...maxAccuracy, minAbsoluteImprovement: 0.05 });
    expect(result.decision).toBe('promote');
    expect(result.winner?.node).toBe('b');
    expect(result.reason).toBe('b has the best accuracy (0.9); no baseline to beat');
    expect(result.winner?.deltaAbsolute).toBeUndefined();
  });

  test.each([
    { name: 'missing', metrics: { loss: 1 }, problem: "metric 'accuracy' missing" },
    { name: 'NaN', metrics: { accuracy: Number.NaN }, problem: "metric 'accuracy' is NaN" },
    { name: 'a string', metrics: { accuracy: 'high' }, problem: "metric 'accuracy' is not a number (\"high\")" },
  ])('a baseline whose metric is $name holds with the reason', ({ metrics, problem }) => {
    const result = selectBest([candidate('train', { accuracy: 0.9 })], maxAccuracy, baselineOf(metrics));
    expect(result.decision).toBe('hold');
    expect(result.winner?.node).toBe('train');
    expect(result.reason).toBe(`train has the best accuracy (0.9), but the baseline (production.json) cannot be compared: ${problem}`);
  });
});

describe('selectBest: goal and ranking', () => {
  test.each([
    { goal: 'max' as const, winner: 'b', order: ['b', 'c', 'a'] },
    { goal: 'min' as const, winner: 'a', order: ['a', 'c', 'b'] },
  ])('goal $goal picks $winner', ({ goal, winner, order }) => {
    const candidates = [candidate('a', { loss: 0.1 }), candidate('b', { loss: 0.5 }), candidate('c', { loss: 0.3 })];
    const result = selectBest(candidates, { metric: 'loss', goal, tieBreakers: [], constraints: [] });
    expect(result.winner?.node).toBe(winner);
    expect(result.table.map((row) => row.node)).toEqual(order);
    expect(result.table.map((row) => row.rank)).toEqual([1, 2, 3]);
  });

  test('minimise against a baseline: lower by the absolute minimum promotes', () => {
    const rule: SelectionRule = { metric: 'loss', goal: 'min', tieBreakers: [], constraints: [], minAbsoluteImprovement: 0.1 };
    expect(selectBest([candidate('a', { loss: 0.3 })], rule, baselineOf({ loss: 0.4 })).decision).toBe('promote');
    expect(selectBest([candidate('a', { loss: 0.35 })], rule, baselineOf({ loss: 0.4 })).decision).toBe('hold');
    const worse = selectBest([candidate('a', { loss: 0.5 })], rule, baselineOf({ loss: 0.4 }));
    expect(worse.decision).toBe('hold');
    expect(worse.gate?.improvement).toBeCloseTo(-0.1, 12);
    expect(worse.winner?.deltaAbsolute).toBeCloseTo(0.1, 12);
  });

  test.each([
    {
      name: 'tie broken by a tie-breaker (min latency)',
      tieBreakers: [{ metric: 'latency_ms', goal: 'min' as const }],
      winner: 'zeta',
      reasonPart: 'tied on accuracy with alpha; broken by tie-breakers, then node name',
    },
    { name: 'tie without tie-breakers falls back to node name', tieBreakers: [], winner: 'alpha', reasonPart: 'tied on accuracy with zeta; broken by node name' },
  ])('$name', ({ tieBreakers, winner, reasonPart }) => {
    const candidates = [candidate('zeta', { accuracy: 0.9, latency_ms: 10 }), candidate('alpha', { accuracy: 0.9, latency_ms: 20 })];
    const result = selectBest(candidates, { ...maxAccuracy, tieBreakers });
    expect(result.winner?.node).toBe(winner);
    expect(result.reason).toContain(reasonPart);
  });

  test('values within the tolerance tie; a tie-breaker then decides', () => {
    const candidates = [candidate('a', { accuracy: 0.1 + 0.2, f1: 0.5 }), candidate('b', { accuracy: 0.3, f1: 0.6 })];
    const result = selectBest(candidates, { ...maxAccuracy, tieBreakers: [{ metric: 'f1', goal: 'max' }] });
    expect(result.winner?.node).toBe('b');
  });

  test('a candidate without the tie-breaker ranks after one with it', () => {
    const candidates = [candidate('a', { accuracy: 0.9 }), candidate('b', { accuracy: 0.9, f1: 0.1 })];
    const result = selectBest(candidates, { ...maxAccuracy, tieBreakers: [{ metric: 'f1', goal: 'max' }] });
    expect(result.winner?.node).toBe('b');
  });

  test('the same node with two executions is ordered by execution id on a full tie', () => {
    const candidates: Candidate[] = [
      { ...candidate('train', { accuracy: 0.9 }), executionId: 'e2' },
      { ...candidate('train', { accuracy: 0.9 }), executionId: 'e1' },
    ];
    expect(selectBest(candidates, maxAccuracy).winner?.executionId).toBe('e1');
  });
});

describe('selectBest: exclusions', () => {
  test.each([
    { name: 'NaN number', metrics: { accuracy: Number.NaN }, status: 'succeeded', reason: "metric 'accuracy' is NaN" },
    { name: 'NaN string (Python json.dumps)', metrics: { accuracy: 'NaN' }, status: 'succeeded', reason: "metric 'accuracy' is NaN" },
    { name: 'missing metric', metrics: { loss: 0.1 }, status: 'succeeded', reason: "metric 'accuracy' missing" },
    { name: 'null metric', metrics: { accuracy: null }, status: 'succeeded', reason: "metric 'accuracy' missing" },
    { name: 'non-numeric metric', metrics: { accuracy: '0.9' }, status: 'succeeded', reason: "metric 'accuracy' is not a number (\"0.9\")" },
    { name: 'infinite metric', metrics: { accuracy: Number.POSITIVE_INFINITY }, status: 'succeeded', reason: "metric 'accuracy' is not finite (Infinity)" },
    { name: 'failed execution', metrics: { accuracy: 0.99 }, status: 'failed', reason: 'execution failed' },
    { name: 'timed-out execution', metrics: { accuracy: 0.99 }, status: 'timed-out', reason: 'execution timed-out' },
  ])('$name is excluded with a reason, never silently', ({ metrics, status, reason }) => {
    const result = selectBest([candidate('bad', metrics, status), candidate('good', { accuracy: 0.5 })], maxAccuracy);
    expect(result.winner?.node).toBe('good');
    const bad = result.table.find((row) => row.node === 'bad');
    expect(bad).toMatchObject({ eligible: false, winner: false, excluded: reason });
    expect(bad?.rank).toBeUndefined();
    expect(result.table).toHaveLength(2);
  });

  test('constraints exclude candidates; with tolerance 0.8999999999999999 >= 0.9 holds', () => {
    const candidates = [
      candidate('slow', { accuracy: 0.99, latency_ms: 63 }),
      candidate('fast', { accuracy: 0.3 * 3, latency_ms: 12 }),
      candidate('weak', { accuracy: 0.8, latency_ms: 5 }),
      candidate('unknown-latency', { accuracy: 0.95 }),
    ];
    const result = selectBest(candidates, { ...maxAccuracy, constraints: ['latency_ms <= 50', 'accuracy >= 0.9'] });
    expect(result.winner?.node).toBe('fast');
    expect(Object.fromEntries(result.table.map((row) => [row.node, row.excluded]))).toEqual({
      fast: undefined,
      slow: 'constraint latency_ms <= 50 failed (latency_ms = 63)',
      weak: 'constraint accuracy >= 0.9 failed (accuracy = 0.8)',
      'unknown-latency': "constraint latency_ms <= 50: metric 'latency_ms' missing",
    });
  });

  test('constraints excluding every candidate give no-candidate with every reason', () => {
    const candidates = [candidate('a', { accuracy: 0.95, latency_ms: 80 }), candidate('b', { accuracy: 0.97, latency_ms: 51 })];
    const result = selectBest(candidates, { ...maxAccuracy, constraints: ['latency_ms <= 50'] }, baselineOf({ accuracy: 0.5 }));
    expect(result.decision).toBe('no-candidate');
    expect(result.winner).toBeUndefined();
    expect(result.gate).toBeUndefined();
    expect(result.reason).toBe(
      'all 2 candidates were excluded (a: constraint latency_ms <= 50 failed (latency_ms = 80); b: constraint latency_ms <= 50 failed (latency_ms = 51))',
    );
  });

  test('no candidates at all', () => {
    const result = selectBest([], maxAccuracy);
    expect(result).toMatchObject({ decision: 'no-candidate', reason: "no execution reported the metric 'accuracy'", table: [] });
  });

  test.each([
    { goal: 'max' as const, threshold: 0.9, value: 0.89, excluded: true },
    { goal: 'max' as const, threshold: 0.9, value: 0.9, excluded: false },
    { goal: 'min' as const, threshold: 0.2, value: 0.21, excluded: true },
    { goal: 'min' as const, threshold: 0.2, value: 0.2, excluded: false },
  ])('threshold (MLflow `threshold`) $goal $threshold with value $value', ({ goal, threshold, value, excluded }) => {
    const result = selectBest([candidate('a', { m: value })], { metric: 'm', goal, tieBreakers: [], constraints: [], threshold });
    expect(result.decision).toBe(excluded ? 'no-candidate' : 'promote');
  });
});

describe('constraint grammar', () => {
  test.each([
    { text: 'latency_ms <= 50', expected: { metric: 'latency_ms', operator: '<=', value: 50 } },
    { text: 'metadata.accuracy>=.9', expected: { metric: 'accuracy', operator: '>=', value: 0.9 } },
    { text: 'eval/loss < 1e-3', expected: { metric: 'eval/loss', operator: '<', value: 0.001 } },
    { text: "model == 'cnn'", expected: { metric: 'model', operator: '==', value: 'cnn' } },
    { text: 'converged != false', expected: { metric: 'converged', operator: '!=', value: false } },
  ])('parses $text', ({ text, expected }) => {
    expect(parseConstraint(text)).toMatchObject(expected);
  });

  test.each(['latency_ms', 'latency_ms => 5', '<= 5', 'a <= 0x10', 'a <= fast', 'a <= Infinity'])('rejects %j with a message', (text) => {
    expect(() => parseConstraint(text)).toThrow(/constraint/);
  });

  test('a bad rule is refused before anything is compared', () => {
    expect(() => selectBest([], { ...maxAccuracy, minAbsoluteImprovement: -1 })).toThrow(/minAbsoluteImprovement/);
    expect(() => selectBest([], { ...maxAccuracy, constraints: ['nonsense'] })).toThrow(/not of the form/);
  });
});
