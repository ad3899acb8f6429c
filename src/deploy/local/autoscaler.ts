/**
 * The autoscaling decision of one version's pool, after Knative's KPA (pkg/autoscaler/scaling), as a pure
 * function of the observed concurrency so it can be tested without clocks or processes.
 *
 * - Stable mode: the wanted replicas are ceil(average concurrency / target) over the 60 s stable window,
 *   or over the 6 s panic window when that is higher (Knative waits for the stable window here; a rise
 *   below the panic threshold is met within seconds instead, since a replica that is not needed is
 *   cheaper than a queue on a latency-bound model).
 * - Panic mode: entered when the panic window (or the demand right now: in flight + queued, as Knative's
 *   activator reports it) wants at least `PANIC_THRESHOLD` × the ready replicas. While panicking the
 *   wanted count only grows (Knative: "never scale down in panic mode") and every wanted replica is
 *   started at once; panic ends once the condition has been absent for the panic hold (Knative: the
 *   stable window; here the scale-down delay within the stable window, so a short test or a short burst
 *   does not pin the replicas for a minute).
 * - Scale-down happens in stable mode only, one replica per scale-down delay of quiet.
 */

/** Knative's `panic-threshold-percentage` default (200 %): panic when wanted ≥ 2 × ready. */
export const PANIC_THRESHOLD = 2;

export interface AutoscalePolicy {
  minReplicas: number;
  maxReplicas: number;
  targetConcurrency: number;
  scaleDownDelayMs: number;
  stableWindowMs: number;
  panicWindowMs: number;
  spareReplicas?: number;
}

/** What the pool keeps between decisions. */
export interface AutoscaleState {
  /** When panic mode began; undefined when not panicking. */
  panicSince: number | undefined;
  /** The last time the panic condition held. */
  lastOverThreshold: number;
  /** The highest count wanted during this panic (panic never scales down). */
  panicWanted: number;
  /** The last scale-up, or the last scale-down step: scale-down waits `scaleDownDelayMs` after it. */
  lastChange: number;
}

export interface AutoscaleInput {
  now: number;
  /** Average concurrency (in flight + queued) over the stable and the panic window. */
  stableConcurrency: number;
  panicConcurrency: number;
  /** In flight + queued right now. */
  demandNow: number;
  /** Replicas taking requests, and replicas running or starting. */
  ready: number;
  current: number;
  /** Replicas still starting (scale-down waits for them). */
  starting: number;
  /** A replica is being removed: no further scale-down until it is gone (scale-up is not held). */
  scalingDown?: boolean;
  /** The p99 over the panic window is above `target-p99-ms`. */
  p99Over?: boolean;
}

export interface AutoscaleDecision {
  /** The wanted replicas, within min..max. */
  wanted: number;
  panicking: boolean;
  action: 'up' | 'down' | 'hold';
}

export function initialAutoscaleState(): AutoscaleState {
  return { panicSince: undefined, lastOverThreshold: 0, panicWanted: 0, lastChange: 0 };
}

/**
 * Ready replicas held beyond the demand: `spare-replicas`, this target's form of Knative's
 * `target-burst-capacity` (requests a revision absorbs without buffering: here spare-replicas ×
 * target-concurrency). Knative only puts its activator in the path when the burst capacity is missing;
 * the proxy here always is in the path, so the capacity itself is held, and replaced as a burst uses it.
 */
export function burstReplicas(policy: Pick<AutoscalePolicy, 'spareReplicas'>): number {
  return policy.spareReplicas ?? 0;
}

/** Replicas to start with, before any demand: min-replicas, or the burst capacity when larger (within max). */
export function initialReplicas(policy: Pick<AutoscalePolicy, 'minReplicas' | 'maxReplicas' | 'spareReplicas'>): number {
  return policy.maxReplicas <= policy.minReplicas ? policy.minReplicas : clamp(policy, burstReplicas(policy));
}

function clamp(policy: Pick<AutoscalePolicy, 'minReplicas' | 'maxReplicas'>, n: number): number {
  return Math.max(policy.minReplicas, Math.min(policy.maxReplicas, n));
}

/** Decides, and updates `state` (panic mode, last change) accordingly. */
export function decideScale(policy: AutoscalePolicy, state: AutoscaleState, input: AutoscaleInput): AutoscaleDecision {
  const { now } = input;
  const perReplica = (concurrency: number): number => Math.ceil(concurrency / policy.targetConcurrency);
  const stableWanted = perReplica(input.stableConcurrency);
  const panicWanted = perReplica(Math.max(input.panicConcurrency, input.demandNow));

  // Knative compares the demand alone with the ready pods (at least one): replicas that are starting do not
  // serve yet, and burst capacity never causes panic (an idle endpoint holding spares is not in a burst).
  const over = panicWanted / Math.max(1, input.ready) >= PANIC_THRESHOLD && panicWanted > input.ready;
  const hold = Math.max(policy.panicWindowMs, Math.min(policy.stableWindowMs, policy.scaleDownDelayMs));
  if (over) {
    state.panicSince ??= now;
    state.lastOverThreshold = now;
  } else if (state.panicSince !== undefined && now - state.lastOverThreshold >= hold) {
    state.panicSince = undefined;
    state.panicWanted = 0;
  }
  const panicking = state.panicSince !== undefined;

  // The burst capacity is held beyond the demand (see burstReplicas), so a step is met by ready replicas.
  let wanted = Math.max(stableWanted, panicWanted) + burstReplicas(policy);
  if (panicking) {
    wanted = Math.max(wanted, state.panicWanted);
    state.panicWanted = wanted;
  }
  if (input.p99Over) wanted = Math.max(wanted, input.current + 1);
  wanted = clamp(policy, wanted);

  if (wanted > input.current) {
    state.lastChange = now;
    return { wanted, panicking, action: 'up' };
  }
  if (!panicking && input.starting === 0 && !input.scalingDown && wanted < input.current && now - state.lastChange >= policy.scaleDownDelayMs) {
    state.lastChange = now; // one step per quiet period
    return { wanted, panicking, action: 'down' };
  }
  return { wanted, panicking, action: 'hold' };
}
