/**
 * Two-sample statistics used by drift detection, written to give the numbers SciPy gives
 * (scipy.stats.ks_2samp, chisquare, wasserstein_distance; scipy.spatial.distance.jensenshannon).
 * Each function works on raw samples (to check against SciPy) and the drift code calls the
 * `...FromCounts` / `...FromCdf` forms with binned data from a profile.
 */

// ---------------------------------------------------------------------------------------------
// Special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 1;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a) (series below a+1, continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (a <= 0) return 0;
  const logPrefix = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // P(a, x) by its series; Q = 1 − P.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Modified Lentz continued fraction for Q.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/** Survival function of the chi-square distribution with `df` degrees of freedom. */
export function chiSquareSurvival(statistic: number, df: number): number {
  return gammaQ(df / 2, statistic / 2);
}

function logBinomial(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * P(D⁺ₙ ≥ d), the one-sided one-sample Kolmogorov–Smirnov tail (Birnbaum–Tingey's exact sum, in
 * log space so that large n does not overflow). SciPy's `special.smirnov`.
 */
export function smirnovSurvival(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let maxLog = -Infinity;
  const logs: number[] = [];
  for (let j = 0; j <= last; j++) {
    const a = d + j / n;
    const b = 1 - a;
    if (b <= 0) continue;
    const value = logBinomial(n, j) + (j - 1) * Math.log(a) + (n - j) * Math.log(b);
    logs.push(value);
    if (value > maxLog) maxLog = value;
    // The terms rise to one peak and fall (log-concave in j): past it, once a term is below 1e-300 of
    // the peak, no later term can change the sum in double precision.
    else if (value < maxLog - 700) break;
  }
  let sum = 0;
  for (const value of logs) sum += Math.exp(value - maxLog);
  return Math.min(1, Math.max(0, d * sum * Math.exp(maxLog)));
}

/** Kolmogorov's limit distribution, P(√n·Dₙ > z) as n → ∞ (SciPy's `kstwobign.sf`). */
export function kolmogorovLimitSurvival(z: number): number {
  if (z < 0.04) return 1;
  if (z < 1) {
    // The alternating series converges slowly for small z; use the theta-function form of the CDF.
    const q = Math.exp((-Math.PI * Math.PI) / (8 * z * z));
    let sum = 0;
    for (let k = 1; k < 100; k += 2) {
      const term = q ** (k * k);
      sum += term;
      if (term < 1e-17) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / z) * sum;
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * z * z);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Pelz–Good approximation of P(Dₙ ≤ x) (port of SciPy's `_kolmogn_PelzGood`). */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const terms = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const qpower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m2 * m2, k3a + k3b * m2 + k3c * m2 * m2 + k3d * m2 * m2 * m2];
    for (let i = 0; i < 4; i++) terms[i] = (terms[i] ?? 0) * qpower + (coefficients[i] ?? 0);
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z4 * z2 * z, 6480 * z4 * z4 * z2];
  for (let i = 0; i < 4; i++) terms[i] = ((terms[i] ?? 0) * q * sqrt2pi) / (divisors[i] ?? 1);
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const qk = q ** (k * k);
    k2extra += k * k * qk;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k * k * qk;
  }
  terms[2] = (terms[2] ?? 0) + (k2extra * pi2 * sqrt2pi) / (-36 * z2 * z);
  terms[3] = (terms[3] ?? 0) + (k3extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (terms[i] ?? 0) / n ** (i / 2);
  return sum;
}

/**
 * P(Dₙ ≥ x) for the two-sided one-sample statistic, which SciPy's asymptotic two-sample p-value
 * evaluates at n = round(m·n/(m+n)) (`kstwo.sf`). For n > 140 this follows SciPy's choice of method:
 * 2·smirnov when n·x² ≥ 2.2, else 1 − CDF with Pelz–Good (SciPy uses the Durbin matrix where
 * n ≤ 100 000 and n·x^1.5 ≤ 1.4; Pelz–Good agrees with it to about 1e-4 there). For n ≤ 140 (only
 * reached with unusual sample sizes, since exact p-values are used up to 10 000) it uses Kolmogorov's
 * limit distribution with Stephens' small-sample correction.
 */
export function kolmogorovSurvival(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 0.5) return 1;
  if (t >= n - 1) return Math.min(1, 2 * (1 - x) ** n);
  if (x >= 0.5) return Math.min(1, 2 * smirnovSurvival(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    const root = Math.sqrt(n);
    return kolmogorovLimitSurvival((root + 0.12 + 0.11 / root) * x);
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return Math.min(1, 2 * smirnovSurvival(n, x));
  if (nx2 >= 18) return 0;
  return Math.min(1, Math.max(0, 1 - pelzGoodCdf(n, x)));
}

// ---------------------------------------------------------------------------------------------
// Kolmogorov–Smirnov

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Pr(D_{n,n} ≥ h/n) (SciPy `_compute_prob_outside_square`). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** 1 − the share of lattice paths staying strictly inside the band (SciPy `_compute_outer_prob_inside_method`, Viehmann's recursion). */
function outerProbInside(mIn: number, nIn: number, g: number, h: number): number {
  const m = Math.max(mIn, nIn);
  const n = Math.min(mIn, nIn);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const a = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) a[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let value = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      value = ((a[jj + minj - lastminj] ?? 1) * i + value * j) / (i + j);
      a[jj] = value;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1] ?? 1;
}

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

/** SciPy's `method='auto'` is exact up to this many observations in the larger sample. */
export const KS_EXACT_MAX_N = 10_000;

/** Two-sided p-value of a two-sample KS statistic `d` for sample sizes n1, n2, as `scipy.stats.ks_2samp`. */
export function ksPValue(d: number, n1: number, n2: number, method: KsMethod = 'auto'): KsResult {
  let chosen: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= KS_EXACT_MAX_N ? 'exact' : 'asymp') : method;
  let statistic = d;
  let p = Number.NaN;
  if (chosen === 'exact') {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    statistic = h / lcm;
    if (h === 0) return { statistic, pValue: 1, method: 'exact' };
    p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (!(p >= 0 && p <= 1)) {
      chosen = 'asymp';
      statistic = d;
    }
  }
  if (chosen === 'asymp') {
    const en = (n1 * n2) / (n1 + n2);
    p = kolmogorovSurvival(Math.round(en), statistic);
  }
  return { statistic, pValue: Math.min(1, Math.max(0, p)), method: chosen };
}

function sorted(values: readonly number[]): number[] {
  return Float64Array.from(values).sort() as unknown as number[];
}

/** Largest |F1 − F2| of the two empirical CDFs (right-continuous, as SciPy computes it). */
export function ksStatistic(sample1: readonly number[], sample2: readonly number[]): number {
  const a = sorted(sample1);
  const b = sorted(sample2);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i] ?? 0, b[j] ?? 0);
    while (i < a.length && (a[i] ?? 0) <= x) i++;
    while (j < b.length && (b[j] ?? 0) <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/** `scipy.stats.ks_2samp(sample1, sample2, method=...)` (two-sided). */
export function ksTwoSample(sample1: readonly number[], sample2: readonly number[], method: KsMethod = 'auto'): KsResult {
  if (sample1.length === 0 || sample2.length === 0) throw new Error('KS needs two non-empty samples');
  return ksPValue(ksStatistic(sample1, sample2), sample1.length, sample2.length, method);
}

/**
 * KS statistic from two CDFs known at the same points (a profile's bin edges): max |F1 − F2| over
 * those points. With bins this is a lower bound of the sample statistic, short by at most the
 * probability mass of one bin.
 */
export function ksStatisticFromCdf(cdf1: readonly number[], cdf2: readonly number[]): number {
  let d = 0;
  for (let i = 0; i < cdf1.length; i++) d = Math.max(d, Math.abs((cdf1[i] ?? 0) - (cdf2[i] ?? 0)));
  return d;
}

// ---------------------------------------------------------------------------------------------
// Chi-square, Wasserstein, Jensen–Shannon, PSI

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  df: number;
}

/** `scipy.stats.chisquare(observed, expected)`; expected defaults to uniform with the same total. */
export function chiSquare(observed: readonly number[], expected?: readonly number[]): ChiSquareResult {
  const total = observed.reduce((sum, value) => sum + value, 0);
  const expectedValues = expected ?? observed.map(() => total / observed.length);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expectedValues[i] ?? 0;
    const o = observed[i] ?? 0;
    statistic += e === 0 ? (o === 0 ? 0 : Infinity) : ((o - e) * (o - e)) / e;
  }
  const df = observed.length - 1;
  return { statistic, pValue: df < 1 ? 1 : chiSquareSurvival(statistic, df), df };
}

/** `scipy.stats.wasserstein_distance(u, v)`: ∫ |F_u − F_v| dx for two 1-D samples. */
export function wasserstein(sample1: readonly number[], sample2: readonly number[]): number {
  const a = sorted(sample1);
  const b = sorted(sample2);
  const all = sorted([...a, ...b]);
  let i = 0;
  let j = 0;
  let distance = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const x = all[k] ?? 0;
    while (i < a.length && (a[i] ?? 0) <= x) i++;
    while (j < b.length && (b[j] ?? 0) <= x) j++;
    distance += Math.abs(i / a.length - j / b.length) * ((all[k + 1] ?? 0) - x);
  }
  return distance;
}

/**
 * `scipy.spatial.distance.jensenshannon(p, q)` (natural log, the square root of the divergence):
 * p and q are normalised to sum to one first.
 */
export function jensenShannon(p: readonly number[], q: readonly number[], base?: number): number {
  const sumP = p.reduce((s, v) => s + v, 0);
  const sumQ = q.reduce((s, v) => s + v, 0);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = (p[i] ?? 0) / sumP;
    const qi = (q[i] ?? 0) / sumQ;
    const mi = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / mi);
    if (qi > 0) divergence += qi * Math.log(qi / mi);
  }
  divergence /= 2;
  if (base !== undefined) divergence /= Math.log(base);
  return Math.sqrt(Math.max(0, divergence));
}

/** Population stability index Σ (c − r)·ln(c / r) over bin shares, empty shares replaced by ε. */
export function psiFromCounts(reference: readonly number[], current: readonly number[], epsilon = 1e-4): number {
  const sumR = reference.reduce((s, v) => s + v, 0);
  const sumC = current.reduce((s, v) => s + v, 0);
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max((reference[i] ?? 0) / sumR, epsilon);
    const c = Math.max((current[i] ?? 0) / sumC, epsilon);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * Quantile with linear interpolation between order statistics (NumPy's default `linear` method).
 */
export function quantileSorted(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const position = (values.length - 1) * p;
  const low = Math.floor(position);
  const high = Math.min(low + 1, values.length - 1);
  const a = values[low] ?? 0;
  const b = values[high] ?? 0;
  return a + (b - a) * (position - low);
}

/** Counts of values per bin given interior edges: bin i holds edges[i-1] < x ≤ edges[i] (first bin: x ≤ edges[0]). */
export function countIntoBins(values: readonly number[], interiorEdges: readonly number[]): number[] {
  const counts = new Array<number>(interiorEdges.length + 1).fill(0);
  for (const value of values) {
    counts[binIndex(interiorEdges, value)]! += 1;
  }
  return counts;
}

/** Index of the bin of `value` among interior edges (right-closed bins, binary search). */
export function binIndex(interiorEdges: readonly number[], value: number): number {
  let low = 0;
  let high = interiorEdges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (value <= (interiorEdges[middle] ?? 0)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * PSI of two raw samples with the reference's deciles as bin edges (NumPy-linear quantiles, bins
 * right-closed, outer bins open-ended) and ε for empty bins.
 */
export function psi(reference: readonly number[], current: readonly number[], bins = 10, epsilon = 1e-4): number {
  const sortedReference = sorted(reference);
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) edges.push(quantileSorted(sortedReference, i / bins));
  return psiFromCounts(countIntoBins(reference, edges), countIntoBins(current, edges), epsilon);
}
