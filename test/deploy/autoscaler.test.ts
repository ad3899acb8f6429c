import { describe, expect, test } from 'vitest';
import { decideScale, initialAutoscaleState, initialReplicas, type AutoscaleInput, type AutoscalePolicy } from '../../src/deploy/local/autoscaler.js';

const policy: AutoscalePolicy = { minReplicas: 1, maxReplicas: 16, targetConcurrency: 1, scaleDownDelayMs: 30_000, stableWindowMs: 60_000, panicWindowMs: 6_000 };

function input(over: Partial<AutoscaleInput>): AutoscaleInput {
  return { now: 100_000, stableConcurrency: 0, panicConcurrency: 0, demandNow: 0, ready: 1, current: 1, starting: 0, ...over };
}

describe('autoscaling decision (Knative KPA)', () => {
  test('a step from 1 to 16 in flight enters panic mode and asks for all 16 replicas at once', () => {
    const state = initialAutoscaleState();
    // The averages still remember the quiet minute; the demand right now (the activator's poke) does not.
    const decision = decideScale(policy, state, input({ stableConcurrency: 1.2, panicConcurrency: 3, demandNow: 16 }));
    expect(decision).toEqual({ wanted: 16, panicking: true, action: 'up' });
  });

  test('a rise below twice the ready replicas scales up without panic, from the panic window', () => {
    const state = initialAutoscaleState();
    const decision = decideScale(policy, state, input({ stableConcurrency: 3, panicConcurrency: 5, demandNow: 5, ready: 3, current: 3 }));
    expect(decision).toEqual({ wanted: 5, panicking: false, action: 'up' });
  });

  test('panic never scales down, and ends only after the demand stayed below the threshold for the hold', () => {
    const state = initialAutoscaleState();
    expect(decideScale(policy, state, input({ now: 0, demandNow: 16 })).action).toBe('up');
    // Replicas are up; the burst is over and both windows (in this made-up input) say 2.
    const calm = (now: number): AutoscaleInput => input({ now, stableConcurrency: 2, panicConcurrency: 2, demandNow: 2, ready: 16, current: 16 });
    expect(decideScale(policy, state, calm(10_000))).toEqual({ wanted: 16, panicking: true, action: 'hold' });
    // Panic ends scale-down-delay (30 s) after the last time the condition held (t=0); the last change was at 0 too.
    expect(decideScale(policy, state, calm(29_999))).toMatchObject({ panicking: true, action: 'hold' });
    const after = decideScale(policy, state, calm(30_000));
    expect(after).toEqual({ wanted: 2, panicking: false, action: 'down' });
    // One step per quiet period.
    expect(decideScale(policy, state, { ...calm(30_001), current: 15, ready: 15 }).action).toBe('hold');
    expect(decideScale(policy, state, { ...calm(60_000), current: 15, ready: 15 }).action).toBe('down');
  });

  test('starting replicas do not count as ready for the panic threshold, and scale-down waits for them', () => {
    const state = initialAutoscaleState();
    expect(decideScale(policy, state, input({ now: 0, demandNow: 4, ready: 1, current: 4, starting: 3 }))).toEqual({ wanted: 4, panicking: true, action: 'hold' });
    const quiet = { ...policy, scaleDownDelayMs: 0 };
    const other = initialAutoscaleState();
    expect(decideScale(quiet, other, input({ now: 10, demandNow: 1, stableConcurrency: 1, panicConcurrency: 1, ready: 2, current: 3, starting: 1 })).action).toBe('hold');
  });

  test('a scale-down in progress holds the next scale-down, not a scale-up', () => {
    const quiet = { ...policy, scaleDownDelayMs: 0 };
    expect(decideScale(quiet, initialAutoscaleState(), input({ ready: 3, current: 3, scalingDown: true })).action).toBe('hold');
    expect(decideScale(quiet, initialAutoscaleState(), input({ demandNow: 8, ready: 3, current: 3, scalingDown: true }))).toMatchObject({ wanted: 8, action: 'up' });
  });

  test('spare replicas and the p99 rule add replicas; min and max bound the answer', () => {
    expect(decideScale({ ...policy, spareReplicas: 2 }, initialAutoscaleState(), input({ demandNow: 1, stableConcurrency: 1, panicConcurrency: 1 }))).toMatchObject({ wanted: 3, action: 'up' });
    expect(decideScale(policy, initialAutoscaleState(), input({ demandNow: 1, stableConcurrency: 1, panicConcurrency: 1, ready: 2, current: 2, p99Over: true }))).toMatchObject({ wanted: 3, action: 'up' });
    expect(decideScale({ ...policy, maxReplicas: 4 }, initialAutoscaleState(), input({ demandNow: 100 }))).toMatchObject({ wanted: 4, action: 'up' });
    expect(decideScale({ ...policy, minReplicas: 2 }, initialAutoscaleState(), input({ ready: 2, current: 2 }))).toMatchObject({ wanted: 2, action: 'hold' });
  });

  test('burst capacity (spare replicas) is held beyond the demand and never causes panic, as Knative\'s target-burst-capacity', () => {
    const burst = { ...policy, maxReplicas: 24, spareReplicas: 15 };
    // Idle, one replica ready: the spares are started, in stable mode (an idle endpoint is not in a burst).
    expect(decideScale(burst, initialAutoscaleState(), input({}))).toEqual({ wanted: 15, panicking: false, action: 'up' });
    // The step from 1 to 16 connections lands on 16 ready replicas: no panic, and the spares are replaced.
    const state = initialAutoscaleState();
    expect(decideScale(burst, state, input({ stableConcurrency: 1, panicConcurrency: 1, demandNow: 16, ready: 16, current: 16 }))).toEqual({ wanted: 24, panicking: false, action: 'up' });
    // Without burst capacity the same step from one ready replica panics.
    expect(decideScale(policy, initialAutoscaleState(), input({ stableConcurrency: 1, panicConcurrency: 1, demandNow: 16 }))).toEqual({ wanted: 16, panicking: true, action: 'up' });
    // After the step the spares stay above the demand: 1 in flight keeps 16, scale-down goes no lower.
    const quiet = { ...burst, scaleDownDelayMs: 0 };
    expect(decideScale(quiet, initialAutoscaleState(), input({ stableConcurrency: 1, panicConcurrency: 1, demandNow: 1, ready: 24, current: 24 }))).toEqual({ wanted: 16, panicking: false, action: 'down' });
    expect(decideScale(quiet, initialAutoscaleState(), input({ stableConcurrency: 1, panicConcurrency: 1, demandNow: 1, ready: 16, current: 16 })).action).toBe('hold');
  });

  test('a version starts with min-replicas, or its burst capacity when larger, within max-replicas', () => {
    expect(initialReplicas({ minReplicas: 1, maxReplicas: 24, spareReplicas: 15 })).toBe(15);
    expect(initialReplicas({ minReplicas: 4, maxReplicas: 24, spareReplicas: 2 })).toBe(4);
    expect(initialReplicas({ minReplicas: 1, maxReplicas: 8, spareReplicas: 15 })).toBe(8);
    // A fixed size (no autoscaling) holds no spares.
    expect(initialReplicas({ minReplicas: 2, maxReplicas: 2, spareReplicas: 5 })).toBe(2);
  });
});
