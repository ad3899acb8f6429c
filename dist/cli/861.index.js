export const id = 861;
export const ids = [861];
export const modules = {

/***/ 861:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  EXIT_DRIFT: () => (/* binding */ EXIT_DRIFT),
  EXIT_ERROR: () => (/* binding */ EXIT_ERROR),
  EXIT_NO_DRIFT: () => (/* binding */ EXIT_NO_DRIFT),
  command: () => (/* binding */ command),
  loadDriftConfig: () => (/* binding */ loadDriftConfig),
  loadProfile: () => (/* binding */ loadProfile)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/monitor/histogram.js
var histogram = __webpack_require__(4879);
// EXTERNAL MODULE: ./build/monitor/profile.js
var profile = __webpack_require__(1108);
// EXTERNAL MODULE: ./build/monitor/read.js
var read = __webpack_require__(973);
;// CONCATENATED MODULE: ./build/monitor/stats.js
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
function logGamma(x) {
    if (x < 0.5)
        return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    const z = x - 1;
    let sum = LANCZOS[0] ?? 1;
    for (let i = 1; i < LANCZOS.length; i++)
        sum += (LANCZOS[i] ?? 0) / (z + i);
    const t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a) (series below a+1, continued fraction above). */
function gammaQ(a, x) {
    if (x <= 0)
        return 1;
    if (a <= 0)
        return 0;
    const logPrefix = -x + a * Math.log(x) - logGamma(a);
    if (x < a + 1) {
        // P(a, x) by its series; Q = 1 − P.
        let term = 1 / a;
        let sum = term;
        for (let n = 1; n < 10_000; n++) {
            term *= x / (a + n);
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * 1e-17)
                break;
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
        if (Math.abs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (Math.abs(c) < tiny)
            c = tiny;
        d = 1 / d;
        const delta = d * c;
        h *= delta;
        if (Math.abs(delta - 1) < 1e-16)
            break;
    }
    return Math.min(1, Math.exp(logPrefix) * h);
}
/** Survival function of the chi-square distribution with `df` degrees of freedom. */
function chiSquareSurvival(statistic, df) {
    return gammaQ(df / 2, statistic / 2);
}
function logBinomial(n, k) {
    return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}
/**
 * P(D⁺ₙ ≥ d), the one-sided one-sample Kolmogorov–Smirnov tail (Birnbaum–Tingey's exact sum, in
 * log space so that large n does not overflow). SciPy's `special.smirnov`.
 */
function smirnovSurvival(n, d) {
    if (d <= 0)
        return 1;
    if (d >= 1)
        return 0;
    const last = Math.floor(n * (1 - d));
    let maxLog = -Infinity;
    const logs = [];
    for (let j = 0; j <= last; j++) {
        const a = d + j / n;
        const b = 1 - a;
        if (b <= 0)
            continue;
        const value = logBinomial(n, j) + (j - 1) * Math.log(a) + (n - j) * Math.log(b);
        logs.push(value);
        if (value > maxLog)
            maxLog = value;
    }
    let sum = 0;
    for (const value of logs)
        sum += Math.exp(value - maxLog);
    return Math.min(1, Math.max(0, d * sum * Math.exp(maxLog)));
}
/** Kolmogorov's limit distribution, P(√n·Dₙ > z) as n → ∞ (SciPy's `kstwobign.sf`). */
function kolmogorovLimitSurvival(z) {
    if (z < 0.04)
        return 1;
    if (z < 1) {
        // The alternating series converges slowly for small z; use the theta-function form of the CDF.
        const q = Math.exp((-Math.PI * Math.PI) / (8 * z * z));
        let sum = 0;
        for (let k = 1; k < 100; k += 2) {
            const term = q ** (k * k);
            sum += term;
            if (term < 1e-17)
                break;
        }
        return 1 - (Math.sqrt(2 * Math.PI) / z) * sum;
    }
    let sum = 0;
    for (let k = 1; k < 100; k++) {
        const term = Math.exp(-2 * k * k * z * z);
        sum += (k % 2 === 1 ? 1 : -1) * term;
        if (term < 1e-17)
            break;
    }
    return Math.min(1, Math.max(0, 2 * sum));
}
/** Pelz–Good approximation of P(Dₙ ≤ x) (port of SciPy's `_kolmogn_PelzGood`). */
function pelzGoodCdf(n, x) {
    const z = Math.sqrt(n) * x;
    const z2 = z * z;
    const z4 = z2 * z2;
    const z6 = z4 * z2;
    const pi2 = Math.PI * Math.PI;
    const pi4 = pi2 * pi2;
    const pi6 = pi4 * pi2;
    const qlog = -pi2 / 8 / z2;
    if (qlog < -708)
        return 0;
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
        for (let i = 0; i < 4; i++)
            terms[i] = (terms[i] ?? 0) * qpower + (coefficients[i] ?? 0);
    }
    const sqrt2pi = Math.sqrt(2 * Math.PI);
    const divisors = [z, 6 * z4, 72 * z4 * z2 * z, 6480 * z4 * z4 * z2];
    for (let i = 0; i < 4; i++)
        terms[i] = ((terms[i] ?? 0) * q * sqrt2pi) / (divisors[i] ?? 1);
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
    for (let i = 0; i < 4; i++)
        sum += (terms[i] ?? 0) / n ** (i / 2);
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
function kolmogorovSurvival(n, x) {
    if (x >= 1)
        return 0;
    if (x <= 0)
        return 1;
    const t = n * x;
    if (t <= 0.5)
        return 1;
    if (t >= n - 1)
        return Math.min(1, 2 * (1 - x) ** n);
    if (x >= 0.5)
        return Math.min(1, 2 * smirnovSurvival(n, x));
    const nx2 = t * x;
    if (n <= 140) {
        const root = Math.sqrt(n);
        return kolmogorovLimitSurvival((root + 0.12 + 0.11 / root) * x);
    }
    if (nx2 >= 370)
        return 0;
    if (nx2 >= 2.2)
        return Math.min(1, 2 * smirnovSurvival(n, x));
    if (nx2 >= 18)
        return 0;
    return Math.min(1, Math.max(0, 1 - pelzGoodCdf(n, x)));
}
// ---------------------------------------------------------------------------------------------
// Kolmogorov–Smirnov
function gcd(a, b) {
    while (b !== 0)
        [a, b] = [b, a % b];
    return a;
}
/** Pr(D_{n,n} ≥ h/n) (SciPy `_compute_prob_outside_square`). */
function probOutsideSquare(n, h) {
    let p = 0;
    for (let k = Math.floor(n / h); k >= 0; k--) {
        let p1 = 1;
        for (let j = 0; j < h; j++)
            p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
        p = p1 * (1 - p);
    }
    return 2 * p;
}
/** 1 − the share of lattice paths staying strictly inside the band (SciPy `_compute_outer_prob_inside_method`, Viehmann's recursion). */
function outerProbInside(mIn, nIn, g, h) {
    const m = Math.max(mIn, nIn);
    const n = Math.min(mIn, nIn);
    const mg = m / g;
    const ng = n / g;
    let minj = 0;
    let maxj = Math.min(Math.ceil(h / mg), n + 1);
    let curlen = maxj - minj;
    const lenA = Math.min(2 * maxj + 2, n + 1);
    const a = new Float64Array(lenA).fill(1);
    for (let j = minj; j < maxj; j++)
        a[j] = 0;
    for (let i = 1; i <= m; i++) {
        const lastminj = minj;
        const lastlen = curlen;
        minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
        maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
        if (maxj <= minj)
            return 1;
        let value = minj === 0 ? 0 : 1;
        for (let jj = 0; jj < maxj - minj; jj++) {
            const j = jj + minj;
            value = ((a[jj + minj - lastminj] ?? 1) * i + value * j) / (i + j);
            a[jj] = value;
        }
        curlen = maxj - minj;
        if (lastlen > curlen)
            a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
    }
    return a[maxj - minj - 1] ?? 1;
}
/** SciPy's `method='auto'` is exact up to this many observations in the larger sample. */
const KS_EXACT_MAX_N = 10_000;
/** Two-sided p-value of a two-sample KS statistic `d` for sample sizes n1, n2, as `scipy.stats.ks_2samp`. */
function ksPValue(d, n1, n2, method = 'auto') {
    let chosen = method === 'auto' ? (Math.max(n1, n2) <= KS_EXACT_MAX_N ? 'exact' : 'asymp') : method;
    let statistic = d;
    let p = Number.NaN;
    if (chosen === 'exact') {
        const g = gcd(n1, n2);
        const lcm = (n1 / g) * n2;
        const h = Math.round(d * lcm);
        statistic = h / lcm;
        if (h === 0)
            return { statistic, pValue: 1, method: 'exact' };
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
function sorted(values) {
    return Float64Array.from(values).sort();
}
/** Largest |F1 − F2| of the two empirical CDFs (right-continuous, as SciPy computes it). */
function ksStatistic(sample1, sample2) {
    const a = sorted(sample1);
    const b = sorted(sample2);
    let i = 0;
    let j = 0;
    let d = 0;
    while (i < a.length && j < b.length) {
        const x = Math.min(a[i] ?? 0, b[j] ?? 0);
        while (i < a.length && (a[i] ?? 0) <= x)
            i++;
        while (j < b.length && (b[j] ?? 0) <= x)
            j++;
        d = Math.max(d, Math.abs(i / a.length - j / b.length));
    }
    return d;
}
/** `scipy.stats.ks_2samp(sample1, sample2, method=...)` (two-sided). */
function ksTwoSample(sample1, sample2, method = 'auto') {
    if (sample1.length === 0 || sample2.length === 0)
        throw new Error('KS needs two non-empty samples');
    return ksPValue(ksStatistic(sample1, sample2), sample1.length, sample2.length, method);
}
/**
 * KS statistic from two CDFs known at the same points (a profile's bin edges): max |F1 − F2| over
 * those points. With bins this is a lower bound of the sample statistic, short by at most the
 * probability mass of one bin.
 */
function ksStatisticFromCdf(cdf1, cdf2) {
    let d = 0;
    for (let i = 0; i < cdf1.length; i++)
        d = Math.max(d, Math.abs((cdf1[i] ?? 0) - (cdf2[i] ?? 0)));
    return d;
}
/** `scipy.stats.chisquare(observed, expected)`; expected defaults to uniform with the same total. */
function chiSquare(observed, expected) {
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
function wasserstein(sample1, sample2) {
    const a = sorted(sample1);
    const b = sorted(sample2);
    const all = sorted([...a, ...b]);
    let i = 0;
    let j = 0;
    let distance = 0;
    for (let k = 0; k < all.length - 1; k++) {
        const x = all[k] ?? 0;
        while (i < a.length && (a[i] ?? 0) <= x)
            i++;
        while (j < b.length && (b[j] ?? 0) <= x)
            j++;
        distance += Math.abs(i / a.length - j / b.length) * ((all[k + 1] ?? 0) - x);
    }
    return distance;
}
/**
 * `scipy.spatial.distance.jensenshannon(p, q)` (natural log, the square root of the divergence):
 * p and q are normalised to sum to one first.
 */
function jensenShannon(p, q, base) {
    const sumP = p.reduce((s, v) => s + v, 0);
    const sumQ = q.reduce((s, v) => s + v, 0);
    let divergence = 0;
    for (let i = 0; i < p.length; i++) {
        const pi = (p[i] ?? 0) / sumP;
        const qi = (q[i] ?? 0) / sumQ;
        const mi = (pi + qi) / 2;
        if (pi > 0)
            divergence += pi * Math.log(pi / mi);
        if (qi > 0)
            divergence += qi * Math.log(qi / mi);
    }
    divergence /= 2;
    if (base !== undefined)
        divergence /= Math.log(base);
    return Math.sqrt(Math.max(0, divergence));
}
/** Population stability index Σ (c − r)·ln(c / r) over bin shares, empty shares replaced by ε. */
function psiFromCounts(reference, current, epsilon = 1e-4) {
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
function quantileSorted(values, p) {
    if (values.length === 0)
        return Number.NaN;
    const position = (values.length - 1) * p;
    const low = Math.floor(position);
    const high = Math.min(low + 1, values.length - 1);
    const a = values[low] ?? 0;
    const b = values[high] ?? 0;
    return a + (b - a) * (position - low);
}
/** Counts of values per bin given interior edges: bin i holds edges[i-1] < x ≤ edges[i] (first bin: x ≤ edges[0]). */
function countIntoBins(values, interiorEdges) {
    const counts = new Array(interiorEdges.length + 1).fill(0);
    for (const value of values) {
        counts[binIndex(interiorEdges, value)] += 1;
    }
    return counts;
}
/** Index of the bin of `value` among interior edges (right-closed bins, binary search). */
function binIndex(interiorEdges, value) {
    let low = 0;
    let high = interiorEdges.length;
    while (low < high) {
        const middle = (low + high) >> 1;
        if (value <= (interiorEdges[middle] ?? 0))
            high = middle;
        else
            low = middle + 1;
    }
    return low;
}
/**
 * PSI of two raw samples with the reference's deciles as bin edges (NumPy-linear quantiles, bins
 * right-closed, outer bins open-ended) and ε for empty bins.
 */
function psi(reference, current, bins = 10, epsilon = 1e-4) {
    const sortedReference = sorted(reference);
    const edges = [];
    for (let i = 1; i < bins; i++)
        edges.push(quantileSorted(sortedReference, i / bins));
    return psiFromCounts(countIntoBins(reference, edges), countIntoBins(current, edges), epsilon);
}

;// CONCATENATED MODULE: ./build/monitor/drift.js
/**
 * Drift of current data against a reference profile: one streaming pass over the current file whose
 * memory is bounded by the profile (per column: counts over the profile's bins and categories), then
 * per-column tests, data-quality checks, prediction drift, performance, and one verdict.
 * Methods, defaults and the JSON verdict are documented in src/monitor/README.md.
 */






const METHODS = ['ks', 'chisquare', 'wasserstein', 'jensenshannon', 'psi'];
/** p-value methods drift when the p-value is below the threshold; distances when the score reaches it. */
function isPValueMethod(method) {
    return method === 'ks' || method === 'chisquare';
}
const DEFAULT_THRESHOLDS = { ks: 0.05, chisquare: 0.05, wasserstein: 0.1, jensenshannon: 0.1, psi: 0.1 };
const DEFAULT_CONFIG = {
    datasetDriftShare: 0.5,
    smallSampleSize: 1000,
    maxDistinctForCategorical: 5,
    columns: {},
    quality: { maxMissingShareIncrease: 0.1, maxOutOfRangeShare: 0.05, maxOutlierShareIncrease: 0.05, maxNewCategoryShare: 0, failOnQuality: false },
};
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function numberField(source, key, where, fallback, range) {
    const value = source[key];
    if (value === undefined)
        return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value))
        throw new errors/* ConfigurationError */.j(`${where}.${key} must be a number`);
    if (range && (value < range[0] || value > range[1]))
        throw new errors/* ConfigurationError */.j(`${where}.${key} must be between ${range[0]} and ${range[1]}, got ${value}`);
    return value;
}
/** Checks a drift.json object and fills in the defaults. */
function parseDriftConfig(value, where = 'drift config') {
    if (!isRecord(value))
        throw new errors/* ConfigurationError */.j(`${where} must be a JSON object`);
    const known = new Set(['datasetDriftShare', 'smallSampleSize', 'maxDistinctForCategorical', 'columns', 'prediction', 'label', 'performance', 'quality']);
    for (const key of Object.keys(value))
        if (!known.has(key))
            throw new errors/* ConfigurationError */.j(`${where}: unknown key '${key}' (allowed: ${[...known].join(', ')})`);
    const config = {
        ...DEFAULT_CONFIG,
        datasetDriftShare: numberField(value, 'datasetDriftShare', where, DEFAULT_CONFIG.datasetDriftShare, [0, 1]),
        smallSampleSize: numberField(value, 'smallSampleSize', where, DEFAULT_CONFIG.smallSampleSize, [0, Number.MAX_SAFE_INTEGER]),
        maxDistinctForCategorical: numberField(value, 'maxDistinctForCategorical', where, DEFAULT_CONFIG.maxDistinctForCategorical, [0, 50]),
        columns: {},
        quality: { ...DEFAULT_CONFIG.quality },
    };
    if (value['columns'] !== undefined) {
        if (!isRecord(value['columns']))
            throw new errors/* ConfigurationError */.j(`${where}.columns must be an object of column name → {method, threshold, ignore}`);
        for (const [name, raw] of Object.entries(value['columns'])) {
            if (!isRecord(raw))
                throw new errors/* ConfigurationError */.j(`${where}.columns.${name} must be an object`);
            const column = {};
            if (raw['method'] !== undefined) {
                if (typeof raw['method'] !== 'string' || !METHODS.includes(raw['method'])) {
                    throw new errors/* ConfigurationError */.j(`${where}.columns.${name}.method must be one of ${METHODS.join(', ')}`);
                }
                column.method = raw['method'];
            }
            if (raw['threshold'] !== undefined)
                column.threshold = numberField(raw, 'threshold', `${where}.columns.${name}`, 0, [0, Number.MAX_VALUE]);
            if (raw['ignore'] !== undefined) {
                if (typeof raw['ignore'] !== 'boolean')
                    throw new errors/* ConfigurationError */.j(`${where}.columns.${name}.ignore must be true or false`);
                column.ignore = raw['ignore'];
            }
            config.columns[name] = column;
        }
    }
    for (const key of ['prediction', 'label']) {
        const text = value[key];
        if (text === undefined)
            continue;
        if (typeof text !== 'string' || text === '')
            throw new errors/* ConfigurationError */.j(`${where}.${key} must be a column name`);
        config[key] = text;
    }
    if (value['performance'] !== undefined) {
        const raw = value['performance'];
        if (!isRecord(raw))
            throw new errors/* ConfigurationError */.j(`${where}.performance must be an object {metric, reference, maxDrop}`);
        if (raw['metric'] !== undefined && raw['metric'] !== 'accuracy')
            throw new errors/* ConfigurationError */.j(`${where}.performance.metric must be "accuracy"`);
        config.performance = { metric: 'accuracy', maxDrop: numberField(raw, 'maxDrop', `${where}.performance`, 0.05, [0, 1]) };
        if (raw['reference'] !== undefined)
            config.performance.reference = numberField(raw, 'reference', `${where}.performance`, 0, [0, 1]);
    }
    if (value['quality'] !== undefined) {
        const raw = value['quality'];
        if (!isRecord(raw))
            throw new errors/* ConfigurationError */.j(`${where}.quality must be an object`);
        const q = config.quality;
        q.maxMissingShareIncrease = numberField(raw, 'maxMissingShareIncrease', `${where}.quality`, q.maxMissingShareIncrease, [0, 1]);
        q.maxOutOfRangeShare = numberField(raw, 'maxOutOfRangeShare', `${where}.quality`, q.maxOutOfRangeShare, [0, 1]);
        q.maxOutlierShareIncrease = numberField(raw, 'maxOutlierShareIncrease', `${where}.quality`, q.maxOutlierShareIncrease, [0, 1]);
        q.maxNewCategoryShare = numberField(raw, 'maxNewCategoryShare', `${where}.quality`, q.maxNewCategoryShare, [0, 1]);
        if (raw['failOnQuality'] !== undefined) {
            if (typeof raw['failOnQuality'] !== 'boolean')
                throw new errors/* ConfigurationError */.j(`${where}.quality.failOnQuality must be true or false`);
            q.failOnQuality = raw['failOnQuality'];
        }
    }
    return config;
}
// ---------------------------------------------------------------------------------------------
// Streaming the current data
/** How many distinct new category names are kept for the report. */
const NEW_CATEGORY_NAMES = 20;
class CurrentNumeric {
    reference;
    n = 0;
    missing = 0;
    invalid = 0;
    min = Infinity;
    max = -Infinity;
    sum = 0;
    /** Counts in the reference histogram's bins, below its first edge and at/above its last. */
    bins;
    under = 0;
    over = 0;
    /** Σ (first edge − x) below the grid and Σ (x − last edge) above it: the Wasserstein tails, exact. */
    underDistance = 0;
    overDistance = 0;
    deciles = new Float64Array(10);
    outOfRange = 0;
    outliers = 0;
    values = new Map();
    view;
    low;
    high;
    constructor(reference) {
        this.reference = reference;
        this.view = new histogram/* HistogramView */.A$(reference.histogram, reference.min, reference.max);
        this.bins = new Float64Array(this.view.bins);
        const fences = (0,profile/* outlierFences */.fP)(reference.quantiles);
        this.low = fences.low;
        this.high = fences.high;
    }
    add(value) {
        this.n++;
        this.sum += value;
        if (value < this.min)
            this.min = value;
        if (value > this.max)
            this.max = value;
        const bin = this.view.binOf(value);
        if (bin < 0) {
            this.under++;
            this.underDistance += this.view.edge(0) - value;
        }
        else if (bin >= this.bins.length) {
            this.over++;
            this.overDistance += value - this.view.edge(this.bins.length);
        }
        else {
            this.bins[bin] += 1;
        }
        this.deciles[binIndex(this.reference.deciles, value)] += 1;
        if (value < this.reference.min || value > this.reference.max)
            this.outOfRange++;
        if (value < this.low || value > this.high)
            this.outliers++;
        if (this.reference.distinct) {
            const key = String(value);
            // Values the reference never had share one bucket, so memory stays bounded.
            const bucket = key in this.reference.distinct ? key : '\u0000new';
            this.values.set(bucket, (this.values.get(bucket) ?? 0) + 1);
        }
    }
}
class CurrentCategorical {
    reference;
    n = 0;
    missing = 0;
    counts = new Map();
    unlisted = 0;
    newNames = new Set();
    constructor(reference) {
        this.reference = reference;
    }
    add(key) {
        this.n++;
        if (key in this.reference.frequencies) {
            this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
        }
        else {
            this.unlisted++;
            if (this.newNames.size < NEW_CATEGORY_NAMES)
                this.newNames.add(key);
        }
    }
}
/** Streams the current file once, counting into the reference's bins and categories. */
async function scanCurrent(path, reference, config) {
    const byName = new Map(reference.columns.map((column) => [column.name, column]));
    const columns = new Map();
    let slots = [];
    const extraColumns = [];
    let labelIndex = -1;
    let predictionIndex = -1;
    let correct = 0;
    let scored = 0;
    let rowsSoFar = 0;
    const rows = await (0,read/* readRows */.aK)(path, {
        columns(names) {
            slots = names.map((name, index) => {
                if (name === config.label)
                    labelIndex = index;
                if (name === config.prediction)
                    predictionIndex = index;
                const existing = columns.get(name);
                if (existing)
                    return existing;
                const profile = byName.get(name);
                if (!profile) {
                    if (!extraColumns.includes(name))
                        extraColumns.push(name);
                    return undefined;
                }
                const column = profile.type === 'numeric' ? new CurrentNumeric(profile) : new CurrentCategorical(profile);
                column.missing = rowsSoFar;
                columns.set(name, column);
                return column;
            });
        },
        row(cells) {
            rowsSoFar++;
            for (let i = 0; i < slots.length; i++) {
                const column = slots[i];
                if (!column)
                    continue;
                const cell = cells[i];
                if ((0,read/* isMissing */.b2)(cell)) {
                    column.missing++;
                }
                else if (column instanceof CurrentNumeric) {
                    const value = (0,profile/* parseNumber */.$J)(cell);
                    if (value === undefined) {
                        column.invalid++;
                        column.missing++;
                    }
                    else {
                        column.add(value);
                    }
                }
                else {
                    column.add((0,profile/* valueKey */.zV)(cell));
                }
            }
            if (labelIndex >= 0 && predictionIndex >= 0) {
                const label = cells[labelIndex];
                const prediction = cells[predictionIndex];
                if (!(0,read/* isMissing */.b2)(label) && !(0,read/* isMissing */.b2)(prediction)) {
                    scored++;
                    if ((0,profile/* valueKey */.zV)(label) === (0,profile/* valueKey */.zV)(prediction))
                        correct++;
                }
            }
        },
    });
    const data = { file: (0,external_node_path_.basename)(path), rows, columns, extraColumns };
    if (labelIndex >= 0 && predictionIndex >= 0)
        data.accuracy = { correct, n: scored };
    return data;
}
function shares(counts) {
    let total = 0;
    for (let i = 0; i < counts.length; i++)
        total += counts[i] ?? 0;
    return Array.from(counts, (count) => (total > 0 ? count / total : 0));
}
function numericScores(reference, current) {
    const view = current.view;
    const nRef = reference.n;
    const nCur = current.n;
    // CDFs at every bin edge of the reference histogram.
    const refCdf = [];
    const curCdf = [];
    let below = current.under;
    for (let i = 0; i <= view.bins; i++) {
        refCdf.push((view.cumulative[i] ?? 0) / nRef);
        curCdf.push(below / nCur);
        below += current.bins[i] ?? 0;
    }
    const ks = ksPValue(ksStatisticFromCdf(refCdf, curCdf), nRef, nCur);
    // ∫|F_ref − F_cur| over the grid (trapezoids), plus the exact tails outside it.
    let wasserstein = (current.underDistance + current.overDistance) / nCur;
    for (let i = 0; i < view.bins; i++) {
        const left = Math.abs((refCdf[i] ?? 0) - (curCdf[i] ?? 0));
        const right = Math.abs((refCdf[i + 1] ?? 0) - (curCdf[i + 1] ?? 0));
        wasserstein += ((left + right) / 2) * reference.histogram.width;
    }
    // Reference shares of the decile bins from its histogram (about 0.1 each; less where values tie).
    const refDeciles = [];
    let previous = 0;
    for (const edge of [...reference.deciles, Infinity]) {
        const cdf = edge === Infinity ? 1 : view.cdf(edge);
        refDeciles.push(Math.max(0, cdf - previous));
        previous = cdf;
    }
    const curDeciles = shares(current.deciles);
    return {
        ks_statistic: ks.statistic,
        ks_p_value: ks.pValue,
        wasserstein,
        wasserstein_normed: wasserstein / (reference.std > 0 ? reference.std : 1),
        psi: psiFromCounts(refDeciles, curDeciles),
        jensenshannon: jensenShannon(refDeciles, curDeciles),
    };
}
function categoricalScores(refCounts, curCounts) {
    const nCur = curCounts.reduce((s, v) => s + v, 0);
    const nRef = refCounts.reduce((s, v) => s + v, 0);
    // Expected counts from the reference shares; a bucket the reference never saw gets ε so that one
    // unseen value gives a large but finite statistic.
    const expected = refCounts.map((count) => Math.max(count / nRef, 1e-4) * nCur);
    const scale = nCur / expected.reduce((s, v) => s + v, 0);
    const chi = chiSquare(curCounts, expected.map((value) => value * scale));
    return {
        chisquare_statistic: chi.statistic,
        chisquare_p_value: chi.pValue,
        jensenshannon: jensenShannon(refCounts, curCounts),
        psi: psiFromCounts(refCounts, curCounts),
    };
}
function scoreOf(method, scores) {
    switch (method) {
        case 'ks':
            return scores.ks_p_value;
        case 'chisquare':
            return scores.chisquare_p_value;
        case 'wasserstein':
            return scores.wasserstein_normed;
        case 'jensenshannon':
            return scores.jensenshannon;
        case 'psi':
            return scores.psi;
    }
}
/** Evidently's default choice: by type (numeric with few distinct values counts as categorical) and reference size. */
function defaultMethod(comparedAs, referenceSize, config) {
    const small = referenceSize <= config.smallSampleSize;
    if (comparedAs === 'numeric')
        return small ? 'ks' : 'wasserstein';
    return small ? 'chisquare' : 'jensenshannon';
}
function compareColumn(reference, current, config, role) {
    if (reference.n === 0 || current.n === 0)
        return undefined;
    let comparedAs = reference.type;
    let scores;
    if (reference.type === 'numeric' && current instanceof CurrentNumeric) {
        const distinct = reference.distinct;
        if (distinct && Object.keys(distinct).length <= config.maxDistinctForCategorical) {
            comparedAs = 'categorical';
            const keys = Object.keys(distinct);
            scores = {
                ...numericScores(reference, current),
                ...categoricalScores([...keys.map((key) => distinct[key] ?? 0), 0], [...keys.map((key) => current.values.get(key) ?? 0), current.values.get('\u0000new') ?? 0]),
            };
        }
        else {
            scores = numericScores(reference, current);
        }
    }
    else if (reference.type === 'categorical' && current instanceof CurrentCategorical) {
        const keys = Object.keys(reference.frequencies);
        scores = categoricalScores([...keys.map((key) => reference.frequencies[key] ?? 0), reference.other], [...keys.map((key) => current.counts.get(key) ?? 0), current.unlisted]);
    }
    else {
        return undefined;
    }
    const override = config.columns[reference.name] ?? {};
    const method = override.method ?? defaultMethod(comparedAs, reference.n, config);
    const threshold = override.threshold ?? DEFAULT_THRESHOLDS[method];
    const score = scoreOf(method, scores);
    if (score === undefined)
        throw new errors/* ConfigurationError */.j(`column '${reference.name}': method ${method} does not apply to a ${comparedAs} column`);
    const drifted = isPValueMethod(method) ? score < threshold : score >= threshold;
    return { column: reference.name, type: reference.type, comparedAs, role, method, threshold, score, drifted, n_ref: reference.n, n_cur: current.n, scores };
}
function qualityIssues(reference, current, rows, quality) {
    const issues = [];
    const name = reference.name;
    const missingShare = rows > 0 ? current.missing / rows : 0;
    const increase = missingShare - reference.missingShare;
    if (increase > quality.maxMissingShareIncrease) {
        issues.push({ column: name, check: 'missing-share', value: increase, threshold: quality.maxMissingShareIncrease, message: `missing share rose from ${pct(reference.missingShare)} to ${pct(missingShare)}` });
    }
    if (current instanceof CurrentNumeric && reference.type === 'numeric' && current.n > 0) {
        if (current.invalid > 0) {
            issues.push({ column: name, check: 'invalid-values', value: current.invalid / rows, threshold: 0, message: `${current.invalid} values are not numbers` });
        }
        const outOfRange = current.outOfRange / current.n;
        if (outOfRange > quality.maxOutOfRangeShare) {
            issues.push({ column: name, check: 'out-of-range', value: outOfRange, threshold: quality.maxOutOfRangeShare, message: `${pct(outOfRange)} of values outside the reference range [${fmt(reference.min)}, ${fmt(reference.max)}]` });
        }
        const outliers = current.outliers / current.n;
        if (outliers - reference.outlierShare > quality.maxOutlierShareIncrease) {
            issues.push({ column: name, check: 'outliers', value: outliers, threshold: reference.outlierShare + quality.maxOutlierShareIncrease, message: `outlier share ${pct(outliers)} (reference ${pct(reference.outlierShare)})` });
        }
    }
    if (current instanceof CurrentCategorical && current.n > 0 && current.reference.other === 0) {
        // Only a complete reference list can tell a new category from a rare one.
        const share = current.unlisted / current.n;
        if (share > quality.maxNewCategoryShare) {
            issues.push({ column: name, check: 'new-categories', value: share, threshold: quality.maxNewCategoryShare, message: `${pct(share)} of values in new categories: ${[...current.newNames].slice(0, 5).map((n) => JSON.stringify(n)).join(', ')}` });
        }
    }
    return issues;
}
function pct(share) {
    return `${(share * 100).toFixed(share < 0.01 && share > 0 ? 2 : 1)}%`;
}
function fmt(value) {
    return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
/** Compares scanned current data with the reference profile and returns the verdict. */
function compareWithProfile(reference, current, config = DEFAULT_CONFIG) {
    const columns = [];
    let prediction = null;
    const issues = [];
    for (const profile of reference.columns) {
        if (config.columns[profile.name]?.ignore)
            continue;
        const scanned = current.columns.get(profile.name);
        if (!scanned) {
            issues.push({ column: profile.name, check: 'missing-column', value: 1, threshold: 0, message: 'the column is missing from the current data' });
            continue;
        }
        issues.push(...qualityIssues(profile, scanned, current.rows, config.quality));
        const role = profile.name === config.prediction ? 'prediction' : profile.name === config.label ? 'label' : 'feature';
        const result = compareColumn(profile, scanned, config, role);
        if (!result)
            continue;
        if (role === 'prediction')
            prediction = result;
        if (role === 'feature')
            columns.push(result);
    }
    for (const name of current.extraColumns) {
        if (!config.columns[name]?.ignore)
            issues.push({ column: name, check: 'new-column', value: 1, threshold: 0, message: 'the column is not in the reference profile' });
    }
    const driftedColumns = columns.filter((column) => column.drifted).length;
    const share = columns.length > 0 ? driftedColumns / columns.length : 0;
    const datasetDrifted = columns.length > 0 && share >= config.datasetDriftShare;
    const reasons = [];
    if (datasetDrifted) {
        reasons.push(`dataset drift: ${driftedColumns} of ${columns.length} columns drifted (${pct(share)} ≥ ${pct(config.datasetDriftShare)}): ${columns.filter((c) => c.drifted).map((c) => c.column).join(', ')}`);
    }
    if (prediction?.drifted)
        reasons.push(`prediction drift on '${prediction.column}' (${prediction.method} ${fmt(prediction.score)}, threshold ${prediction.threshold})`);
    let performance = null;
    const referenceAccuracy = config.performance?.reference ?? reference.performance?.accuracy;
    if (current.accuracy && current.accuracy.n > 0 && referenceAccuracy !== undefined) {
        const accuracy = current.accuracy.correct / current.accuracy.n;
        const maxDrop = config.performance?.maxDrop ?? 0.05;
        const drop = referenceAccuracy - accuracy;
        performance = { metric: 'accuracy', reference: referenceAccuracy, current: accuracy, drop, maxDrop, degraded: drop > maxDrop, n: current.accuracy.n };
        if (performance.degraded)
            reasons.push(`performance degraded: accuracy ${fmt(accuracy)} against ${fmt(referenceAccuracy)} (drop ${fmt(drop)} > ${maxDrop})`);
    }
    const qualityFailed = issues.length > 0;
    if (qualityFailed && config.quality.failOnQuality)
        reasons.push(`data quality: ${issues.length} issue${issues.length === 1 ? '' : 's'}`);
    const drifted = datasetDrifted || prediction?.drifted === true || performance?.degraded === true || (qualityFailed && config.quality.failOnQuality);
    if (!drifted)
        reasons.push(`no drift: ${driftedColumns} of ${columns.length} columns drifted (threshold ${pct(config.datasetDriftShare)})`);
    return {
        format: 'mlops-drift',
        version: 1,
        drifted,
        reasons,
        reference: { file: reference.source.file, rows: reference.rows, createdAt: reference.createdAt },
        current: { file: current.file, rows: current.rows },
        dataset: { drifted: datasetDrifted, driftedColumns, columns: columns.length, share, threshold: config.datasetDriftShare },
        columns,
        prediction,
        performance,
        quality: { failed: qualityFailed, issues },
    };
}
/** Profile in, file in, verdict out: the whole drift check. */
async function detectDrift(reference, currentPath, config = DEFAULT_CONFIG) {
    const current = await scanCurrent(currentPath, reference, config);
    return compareWithProfile(reference, current, config);
}

;// CONCATENATED MODULE: ./build/monitor/markdown.js
/** The hidden marker of the drift issue of one pipeline (`--` would end the HTML comment early). */
function driftMarker(pipeline) {
    return `<!-- mlops-drift:${pipeline.replace(/-{2,}/g, '-').replace(/>/g, '')} -->`;
}
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
function number(value) {
    if (value === undefined || Number.isNaN(value))
        return '-';
    if (value === 0)
        return '0';
    if (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e6)
        return value.toExponential(2);
    return String(Number(value.toPrecision(4)));
}
function mermaidLabel(text) {
    // xychart-beta labels are double-quoted strings without an escape syntax.
    return `"${text.replace(/["\\]/g, "'").replace(/[<>]/g, '').replace(/[\r\n]/g, ' ')}"`;
}
/** PSI per column: the one score computed the same way for every column, so the bars compare. */
function psiChart(columns) {
    const rows = columns.filter((column) => column.scores.psi !== undefined).slice(0, 30);
    if (rows.length === 0)
        return undefined;
    return [
        '```mermaid',
        'xychart-beta',
        `  title ${mermaidLabel('PSI per column (drifted columns marked *)')}`,
        `  x-axis [${rows.map((row) => mermaidLabel(row.drifted ? `${row.column} *` : row.column)).join(', ')}]`,
        `  y-axis ${mermaidLabel('PSI')}`,
        // Mermaid's xychart reads plain decimals only (no exponent).
        `  bar [${rows.map((row) => Math.min(row.scores.psi ?? 0, 1e6).toFixed(4)).join(', ')}]`,
        '```',
    ].join('\n');
}
function row(column) {
    const rule = column.method === 'ks' || column.method === 'chisquare' ? `p < ${column.threshold}` : `≥ ${column.threshold}`;
    return `| ${cell(column.column)} | ${column.comparedAs} | ${column.method} | ${number(column.score)} | ${rule} | ${column.drifted ? '**drift**' : 'ok'} | ${column.n_ref} | ${column.n_cur} | ${number(column.scores.psi)} |`;
}
function renderDriftMarkdown(verdict, pipeline) {
    const lines = [];
    if (pipeline !== undefined)
        lines.push(driftMarker(pipeline));
    const title = pipeline !== undefined ? `Drift check: ${pipeline}` : 'Drift check';
    lines.push(`## ${verdict.drifted ? '🔴' : '🟢'} ${cell(title)}: ${verdict.drifted ? 'drift detected' : 'no drift'}`, '');
    lines.push(`Current \`${verdict.current.file}\` (${verdict.current.rows} rows) against the reference profile of \`${verdict.reference.file}\` (${verdict.reference.rows} rows).`, '');
    for (const reason of verdict.reasons)
        lines.push(`- ${reason}`);
    lines.push('');
    const chart = psiChart(verdict.columns);
    if (chart)
        lines.push(chart, '');
    lines.push(`### Columns: ${verdict.dataset.driftedColumns} of ${verdict.dataset.columns} drifted (dataset drift at ${verdict.dataset.threshold * 100}%)`, '', '| Column | Compared as | Method | Score | Drift when | Result | n ref | n cur | PSI |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    // Drifted columns first, then by name, so the table opens with what matters.
    const sorted = [...verdict.columns].sort((a, b) => Number(b.drifted) - Number(a.drifted) || a.column.localeCompare(b.column));
    for (const column of sorted)
        lines.push(row(column));
    lines.push('');
    if (verdict.prediction) {
        lines.push('### Prediction drift', '', '| Column | Compared as | Method | Score | Drift when | Result | n ref | n cur | PSI |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- |', row(verdict.prediction), '');
    }
    if (verdict.performance) {
        const p = verdict.performance;
        lines.push('### Performance', '', `Accuracy ${number(p.current)} on ${p.n} labelled rows against ${number(p.reference)} (drop ${number(p.drop)}, allowed ${p.maxDrop}): ${p.degraded ? '**degraded**' : 'ok'}.`, '');
    }
    lines.push('### Data quality', '');
    if (verdict.quality.issues.length === 0) {
        lines.push('No issues.');
    }
    else {
        lines.push('| Column | Check | Value | Details |', '| --- | --- | --- | --- |');
        for (const issue of verdict.quality.issues)
            lines.push(`| ${cell(issue.column)} | ${issue.check} | ${number(issue.value)} | ${cell(issue.message)} |`);
    }
    lines.push('');
    return lines.join('\n');
}

// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
;// CONCATENATED MODULE: ./build/cli/commands/drift.js







/** Exit codes: a gate must tell "drift" from "could not check". */
const EXIT_NO_DRIFT = 0;
const EXIT_DRIFT = 1;
const EXIT_ERROR = 2;
const usage = `Usage: mlops drift --reference PROFILE --current DATA [options]

Streams DATA once against the reference PROFILE (written by \`mlops profile\`) and prints the verdict:
per-column drift (method and threshold by column type and reference size, as Evidently chooses them),
dataset drift, data quality, prediction drift and performance. See src/monitor/README.md.

Options:
  --reference FILE        the reference profile (JSON)
  --current FILE          the current data (.csv/.tsv/.jsonl/.ndjson, optionally .gz)
  --config FILE           drift.json: per-column methods/thresholds, prediction/label columns, quality limits
  --prediction COL        the prediction column (overrides the config)
  --label COL             the label column (overrides the config)
  --json                  print the verdict as JSON (default: a short summary)
  --markdown FILE         also write the Markdown report (for a job summary)
  --output FILE           also write the JSON verdict to FILE

Exit codes: 0 no drift, 1 drift (dataset drift, prediction drift or performance degradation; quality
issues too with quality.failOnQuality), 2 usage or input errors.`;
async function readJson(path, what) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j(`cannot read the ${what} ${path}: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j(`the ${what} ${path} is not JSON: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
}
async function loadProfile(path) {
    const value = await readJson(path, 'reference profile');
    const problem = (0,profile/* profileProblem */.wr)(value);
    if (problem)
        throw new errors/* ConfigurationError */.j(`${path} is not a reference profile: ${problem}`);
    return value;
}
async function loadDriftConfig(path) {
    return path === undefined ? structuredClone(DEFAULT_CONFIG) : parseDriftConfig(await readJson(path, 'drift config'), path);
}
function summary(verdict) {
    const lines = [`verdict: ${verdict.drifted ? 'DRIFT' : 'no drift'}`, ...verdict.reasons.map((reason) => `  ${reason}`), ''];
    for (const column of verdict.prediction ? [...verdict.columns, verdict.prediction] : verdict.columns) {
        lines.push(`${column.drifted ? '!' : ' '} ${column.column}  ${column.method}=${column.score.toPrecision(4)} (threshold ${column.threshold})  n_ref=${column.n_ref} n_cur=${column.n_cur}`);
    }
    for (const issue of verdict.quality.issues)
        lines.push(`quality: ${issue.column}: ${issue.message}`);
    return lines.join('\n');
}
const command = {
    summary: 'check current data against a reference profile: drift, data quality, performance (exit 1 on drift)',
    usage,
    async run(argv) {
        // Errors exit 2, not the CLI's usual 1, which here means "drift".
        try {
            const { values, positionals } = (0,external_node_util_.parseArgs)({
                args: argv,
                options: {
                    reference: { type: 'string' },
                    current: { type: 'string' },
                    config: { type: 'string' },
                    prediction: { type: 'string' },
                    label: { type: 'string' },
                    json: { type: 'boolean', default: false },
                    markdown: { type: 'string' },
                    output: { type: 'string' },
                },
                allowPositionals: true,
            });
            if (positionals.length > 0)
                throw new errors/* ConfigurationError */.j(`unexpected argument '${positionals[0] ?? ''}'.\n${usage}`);
            if (values.reference === undefined || values.current === undefined)
                throw new errors/* ConfigurationError */.j(`give --reference PROFILE and --current DATA.\n${usage}`);
            const profile = await loadProfile(values.reference);
            const config = await loadDriftConfig(values.config);
            if (values.prediction !== undefined)
                config.prediction = values.prediction;
            if (values.label !== undefined)
                config.label = values.label;
            const verdict = await detectDrift(profile, values.current, config);
            if (values.markdown !== undefined)
                await (0,fs/* writeFileAtomic */.Z)(values.markdown, renderDriftMarkdown(verdict));
            if (values.output !== undefined)
                await (0,fs/* writeFileAtomic */.Z)(values.output, `${JSON.stringify(verdict, null, 2)}\n`);
            process.stdout.write(`${values.json ? JSON.stringify(verdict, null, 2) : summary(verdict)}\n`);
            return verdict.drifted ? EXIT_DRIFT : EXIT_NO_DRIFT;
        }
        catch (error) {
            const known = error instanceof errors/* ConfigurationError */.j || (typeof error?.code === 'string' && String(error.code).startsWith('ERR_PARSE_ARGS'));
            process.stderr.write(`mlops drift: ${known ? '' : 'internal error: '}${(0,errors/* getErrorMessage */.u)(error)}\n`);
            return EXIT_ERROR;
        }
    },
};


/***/ })

};
