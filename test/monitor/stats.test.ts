/**
 * Reference values computed with SciPy 1.10.1 / NumPy (Debian python3-scipy) by the script in the
 * comment of each case; the tests need no Python.
 */
import { describe, expect, test } from 'vitest';
import { chiSquare, chiSquareSurvival, jensenShannon, kolmogorovSurvival, ksPValue, ksTwoSample, psi, wasserstein } from '../../src/monitor/stats.js';

// rng = np.random.default_rng(7); a = np.round(rng.normal(0,1,60),3); b = np.round(rng.normal(0.5,1,45),3)
const a = [0.001, 0.299, -0.274, -0.891, -0.455, -0.992, 0.06, 1.34, -0.492, -0.62, 0.49, 0.357, 0.105, -0.93, -0.029, 0.695, -1.344, -0.458, -1.901, -1.29, -1.842, -0.235, -1.267, 0.271, 0.157, -0.187, -2.517, -0.539, -0.049, 0.113, -1.53, -0.478, -0.979, -0.809, 1.061, -0.808, -0.033, 0.884, -0.584, -0.112, 0.11, 0.064, -1.225, 0.076, 1.359, -1.547, 0.859, 0.119, -0.641, 2.0, 0.762, -1.199, 0.075, 0.577, -0.189, 0.683, -0.067, 0.667, 1.439, -0.676];
const b = [0.703, 0.037, 0.627, -0.687, -0.079, 0.304, 1.399, 1.645, -0.824, -0.295, 1.147, -1.492, 0.037, 0.403, 1.757, 1.189, 0.173, 0.131, 0.25, 2.024, 0.072, 0.196, 0.853, 0.379, 0.303, -0.614, 0.488, 0.056, 1.666, 1.153, 0.476, 1.168, 0.16, 1.552, 0.495, 1.083, -0.791, 0.847, -1.188, -1.535, 0.196, -0.4, 0.664, 2.745, -0.332];

describe('two-sample Kolmogorov–Smirnov (scipy.stats.ks_2samp)', () => {
  test('issue example: [1..5] vs [6..10], exact', () => {
    const result = ksTwoSample([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(result.statistic).toBe(1);
    expect(result.method).toBe('exact');
    expect(result.pValue).toBeCloseTo(0.007936507936507936, 15);
  });
  test('unequal sizes 60 vs 45, exact (inside method)', () => {
    // stats.ks_2samp(a, b) → statistic 0.38333333333333336, pvalue 0.0007346734702979037
    const result = ksTwoSample(a, b);
    expect(result.statistic).toBeCloseTo(0.38333333333333336, 14);
    expect(result.pValue).toBeCloseTo(0.0007346734702979037, 12);
  });
  test('300 vs 200 shifted ranges, exact', () => {
    // stats.ks_2samp(list(range(300)), [x+15 for x in range(200)]).pvalue
    const result = ksTwoSample(Array.from({ length: 300 }, (_, i) => i), Array.from({ length: 200 }, (_, i) => i + 15));
    expect(result.pValue / 5.964106970961122e-9).toBeCloseTo(1, 8);
  });
  test('identical samples give p = 1', () => {
    expect(ksTwoSample([1, 2, 3], [1, 2, 3]).pValue).toBe(1);
  });
  test.each([
    // stats.kstwo.sf(d, n): 2·smirnov region, computed exactly
    [0.05, 5000, 2.6523052328711187e-11, 1e-6],
    [0.01, 200000, 8.433125699870092e-18, 1e-6],
    [0.1, 300, 0.004595673656972621, 1e-6],
    // Pelz–Good region (SciPy uses the Durbin matrix here): agreement to 1e-4 relative
    [0.03, 300, 0.9424664972633843, 1e-4],
  ])('kstwo.sf(%d, %d) = %d', (d, n, expected, relative) => {
    expect(Math.abs(kolmogorovSurvival(n, d) / expected - 1)).toBeLessThan(relative);
  });
  test('auto switches to the asymptotic p-value above 10 000 observations', () => {
    const result = ksPValue(0.05, 20_000, 10_000);
    expect(result.method).toBe('asymp');
    // en = round(20000·10000/30000) = 6667; stats.kstwo.sf(0.05, 6667) by the same 2·smirnov route
    expect(result.pValue).toBeGreaterThan(0);
    expect(result.pValue).toBeLessThan(1e-12);
  });
});

describe('chi-square (scipy.stats.chisquare)', () => {
  test('issue example: [16,18,16,14,12,12] against uniform', () => {
    const result = chiSquare([16, 18, 16, 14, 12, 12]);
    expect(result.statistic).toBeCloseTo(2.0, 12);
    expect(result.pValue).toBeCloseTo(0.8491450360846096, 13);
  });
  test('[10,20,30,40] against [25,25,25,25]', () => {
    // stats.chisquare([10,20,30,40],[25,25,25,25]).pvalue: statistic 20, df 3
    expect(chiSquare([10, 20, 30, 40], [25, 25, 25, 25]).pValue).toBeCloseTo(0.00016974243555282632, 15);
  });
  test('far tail: chi2.sf(150, 20)', () => {
    expect(chiSquareSurvival(150, 20) / 6.285681673933351e-22).toBeCloseTo(1, 9);
  });
});

describe('distances', () => {
  test('issue example: Wasserstein [0,1,3] vs [5,6,8] = 5', () => {
    expect(wasserstein([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 12);
  });
  test('Wasserstein of unequal samples (scipy docs example)', () => {
    // stats.wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]) = 2.7
    expect(wasserstein([3.4, 3.9, 7.5, 7.8], [4.5, 1.4])).toBeCloseTo(2.7, 12);
  });
  test.each([
    // scipy.spatial.distance.jensenshannon(p, q): natural log, square root of the divergence
    [[1, 0, 0], [0, 1, 0], 0.8325546111576977],
    [[0.1, 0.4, 0.5], [0.3, 0.3, 0.4], 0.1803596560271257],
  ])('Jensen–Shannon %j %j', (p, q, expected) => {
    expect(jensenShannon(p, q)).toBeCloseTo(expected, 14);
  });
  test('Jensen–Shannon base 2 of disjoint distributions is 1', () => {
    expect(jensenShannon([1, 0], [0, 1], 2)).toBeCloseTo(1, 14);
  });
  test('issue example: PSI of 0..999 against +100 with reference deciles, ε = 1e-4', () => {
    const reference = Array.from({ length: 1000 }, (_, i) => i);
    expect(psi(reference, reference.map((x) => x + 100))).toBeCloseTo(0.7593994704263101, 13);
    expect(psi(reference, reference)).toBe(0);
  });
});
