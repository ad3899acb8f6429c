/**
 * Canary arithmetic. A Service spreads connections over the ready pods behind it, so a canary's traffic
 * share is its share of the pods: c canary pods beside s stable ones get c / (c + s). The replica counts
 * are chosen to give the requested share exactly where the replica bounds allow it (0.25 → 1 canary : 3
 * stable, 0.1 → 1 : 9), else the nearest share they can give, and the result says which share that is.
 */
export interface CanarySplit {
  canary: number;
  stable: number;
  /** The share of pods (so of traffic) the canary really gets: canary / (canary + stable). */
  share: number;
  requested: number;
  /** True when `share` equals the requested share. */
  exact: boolean;
}

/**
 * The split for `requested` (0 < share < 1) with at least `minTotal` pods in all (the replicas the endpoint
 * normally runs) and at most `maxTotal` (its max-replicas): the exact split with the fewest pods, else the
 * split closest to the requested share (fewest pods on a tie). The stable side never drops below
 * `minTotal - 1` pods, so capacity does not shrink while the canary runs.
 */
export function canarySplit(requested: number, minTotal: number, maxTotal: number): CanarySplit {
  if (!(requested > 0 && requested < 1)) throw new RangeError(`canary share must be between 0 and 1, got ${requested}`);
  const low = Math.max(2, Math.floor(minTotal));
  const high = Math.max(low, Math.floor(maxTotal));
  let best: { canary: number; total: number; error: number } | undefined;
  for (let total = low; total <= high; total += 1) {
    const canary = Math.min(total - 1, Math.max(1, Math.round(requested * total)));
    const error = Math.abs(canary / total - requested);
    if (!best || error < best.error - 1e-12) best = { canary, total, error };
    if (error < 1e-12) break;
  }
  const { canary, total } = best ?? { canary: 1, total: low };
  return { canary, stable: total - canary, share: canary / total, requested, exact: Math.abs(canary / total - requested) < 1e-12 };
}

/** `25% (1 canary : 3 stable)` or `33.3% (1 canary : 2 stable; 25% asked, the nearest the replica bounds allow)`. */
export function describeCanarySplit(split: CanarySplit): string {
  const percent = (n: number): string => `${Number((n * 100).toFixed(1))}%`;
  const pods = `${split.canary} canary : ${split.stable} stable`;
  return split.exact ? `${percent(split.share)} (${pods})` : `${percent(split.share)} (${pods}; ${percent(split.requested)} asked, the nearest the replica bounds allow)`;
}
