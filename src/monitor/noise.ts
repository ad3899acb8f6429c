/**
 * How large a distance (Wasserstein ÷ std, Jensen–Shannon, PSI) sampling noise alone makes, for the sample
 * sizes at hand: a parametric bootstrap from the reference profile. Each replicate draws a reference-sized
 * and a current-sized sample from the reference distribution (multinomial over its bins or categories) and
 * measures their distance; a gamma distribution fitted to the replicates by its moments gives the quantile
 * at 1 − α/k (k columns: the chance that noise alone flags any column stays near α). A column then drifts
 * only when its distance reaches both the configured threshold and this noise threshold. With thousands
 * of rows the noise threshold is far below the default thresholds and changes nothing; with a few hundred
 * it keeps sampling noise from reading as drift. Seeded per column, so a verdict is reproducible.
 */
import { gammaQ, jensenShannon, psiFromCounts } from './stats.js';

/** mulberry32. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a column name (FNV-1a). */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Binomial(n, p): inversion for small means, the normal approximation (rounded, clipped) for large ones. */
function binomial(n: number, p: number, random: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, random);
  const mean = n * p;
  if (mean < 30) {
    const q = 1 - p;
    const s = p / q;
    const a = (n + 1) * s;
    let r = Math.exp(n * Math.log(q));
    let u = random();
    let x = 0;
    while (u > r && x < n) {
      u -= r;
      x++;
      r *= a / x - s;
      if (r <= 0) break;
    }
    return x;
  }
  const x = Math.round(mean + Math.sqrt(mean * (1 - p)) * gaussian(random));
  return Math.min(n, Math.max(0, x));
}

/** Multinomial(n, shares) into `out` by conditional binomials. */
function multinomial(n: number, shares: readonly number[], random: () => number, out: Float64Array): void {
  let remaining = n;
  let rest = 1;
  let last = shares.length - 1;
  while (last > 0 && (shares[last] ?? 0) <= 0) last--;
  for (let i = 0; i < shares.length; i++) {
    const share = shares[i] ?? 0;
    if (share <= 0 || remaining === 0) {
      out[i] = 0;
      continue;
    }
    const k = i === last ? remaining : binomial(remaining, Math.min(1, share / rest), random);
    out[i] = k;
    remaining -= k;
    rest -= share;
  }
}

/** Quantile of Gamma(shape, scale) at p, by bisection on its CDF. */
function gammaQuantile(shape: number, scale: number, p: number): number {
  let low = 0;
  let high = shape * scale;
  while (1 - gammaQ(shape, high / scale) < p) high *= 2;
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (1 - gammaQ(shape, middle / scale) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/** The (1 − tail) quantile of a gamma distribution with the replicates' mean and variance. */
function fittedQuantile(values: readonly number[], tail: number): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length - 1);
  if (!(mean > 0) || !(variance > 0)) return Math.max(0, ...values);
  const shape = (mean * mean) / variance;
  const scale = variance / mean;
  return gammaQuantile(shape, scale, 1 - tail);
}

export interface NoiseOptions {
  replicates: number;
  /** The tail probability per column (α / k). */
  tail: number;
  seed: number;
}

/** At most this many bins in the Wasserstein bootstrap (neighbouring histogram bins are merged). */
const MAX_SIMULATED_BINS = 512;

/**
 * Noise threshold of the normalised Wasserstein distance for samples of nRef and nCur values drawn from a
 * histogram (`counts` of equal bins of `width`), divided by `std`.
 */
export function wassersteinNoise(counts: readonly number[], width: number, std: number, nRef: number, nCur: number, options: NoiseOptions): number {
  const factor = Math.max(1, Math.ceil(counts.length / MAX_SIMULATED_BINS));
  const merged: number[] = [];
  for (let i = 0; i < counts.length; i += factor) {
    let sum = 0;
    for (let j = i; j < Math.min(counts.length, i + factor); j++) sum += counts[j] ?? 0;
    merged.push(sum);
  }
  const total = merged.reduce((sum, value) => sum + value, 0);
  if (total <= 0) return 0;
  const shares = merged.map((count) => count / total);
  const binWidth = width * factor;
  const random = generator(options.seed);
  const a = new Float64Array(shares.length);
  const b = new Float64Array(shares.length);
  const values: number[] = [];
  for (let r = 0; r < options.replicates; r++) {
    multinomial(nRef, shares, random, a);
    multinomial(nCur, shares, random, b);
    let cumulativeA = 0;
    let cumulativeB = 0;
    let distance = 0;
    for (let i = 0; i < shares.length; i++) {
      cumulativeA += a[i] ?? 0;
      cumulativeB += b[i] ?? 0;
      distance += Math.abs(cumulativeA / nRef - cumulativeB / nCur) * binWidth;
    }
    values.push(distance / (std > 0 ? std : 1));
  }
  return fittedQuantile(values, options.tail);
}

/** Noise threshold of the Jensen–Shannon distance or PSI between samples of nRef and nCur values over bins with `shares`. */
export function sharesNoise(method: 'jensenshannon' | 'psi', shares: readonly number[], nRef: number, nCur: number, options: NoiseOptions): number {
  const total = shares.reduce((sum, value) => sum + value, 0);
  if (total <= 0) return 0;
  const normalised = shares.map((share) => share / total);
  const random = generator(options.seed);
  const a = new Float64Array(normalised.length);
  const b = new Float64Array(normalised.length);
  const values: number[] = [];
  for (let r = 0; r < options.replicates; r++) {
    multinomial(nRef, normalised, random, a);
    multinomial(nCur, normalised, random, b);
    const left = Array.from(a);
    const right = Array.from(b);
    values.push(method === 'psi' ? psiFromCounts(left, right) : jensenShannon(left, right));
  }
  return fittedQuantile(values, options.tail);
}
