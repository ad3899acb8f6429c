/**
 * Drift of current data against a reference profile: the current data streamed once (scan.ts), then the
 * schema compared, per-column tests (with thresholds raised to the sampling noise of small samples,
 * noise.ts), data-quality checks, prediction drift, performance, and one verdict.
 * Methods, defaults and the JSON verdict are documented in src/monitor/README.md.
 */
import { ConfigurationError } from '../util/errors.js';
import { DEFAULT_CONFIG, DEFAULT_THRESHOLDS, isPValueMethod, type DriftConfig, type DriftMethod, type QualityConfig } from './config.js';
import { binnedDistribution, categoryDistribution, type ColumnDistribution } from './distribution.js';
import { HistogramView } from './histogram.js';
import { sharesNoise, seedOf, wassersteinNoise } from './noise.js';
import type { ColumnProfile, InputFindings, NumericColumnProfile, Profile } from './profile.js';
import { CurrentCategorical, CurrentNumeric, NEW_VALUE, scanCurrent, type CurrentColumn, type CurrentData } from './scan.js';
import type { ReadOptions } from './read.js';
import { chiSquare, jensenShannon, ksPValue, ksStatisticFromCdf, psiFromCounts } from './stats.js';

export * from './config.js';
export { scanCurrent, type CurrentData } from './scan.js';

type ScoreName = 'ks_statistic' | 'ks_p_value' | 'chisquare_statistic' | 'chisquare_p_value' | 'wasserstein' | 'wasserstein_normed' | 'jensenshannon' | 'psi';
type Scores = Partial<Record<ScoreName, number>>;

export interface ColumnDrift {
  column: string;
  type: 'numeric' | 'categorical';
  /** Whether numeric values were compared as categories (few distinct values). */
  comparedAs: 'numeric' | 'categorical';
  role: 'feature' | 'prediction' | 'label';
  method: DriftMethod;
  threshold: number;
  /**
   * Distance methods: the distance sampling noise alone reaches at these sample sizes (at 1 − α/k); the
   * column drifts only at or above both it and `threshold`. Computed when the score reaches `threshold`.
   */
  noiseThreshold?: number;
  /** The value compared with the threshold: a p-value for ks/chisquare, a distance otherwise. */
  score: number;
  drifted: boolean;
  n_ref: number;
  n_cur: number;
  /** Every statistic computed for the column, whatever the chosen method. */
  scores: Scores;
  /** Reference and current data binned for display (verdicts written before it have none). */
  distribution?: ColumnDistribution;
}

export interface SchemaChange {
  /** The column, or '*' for the whole data. */
  column: string;
  change: 'missing-column' | 'new-column' | 'type-changed' | 'no-values' | 'no-rows';
  message: string;
}

export interface QualityIssue {
  column: string;
  check: 'missing-share' | 'out-of-range' | 'outliers' | 'new-categories' | 'invalid-values' | 'ragged-rows' | 'invalid-utf8' | 'truncated-values' | 'incomplete-lines';
  value: number;
  threshold: number;
  message: string;
}

export interface DriftVerdict {
  format: 'mlops-drift';
  version: 1;
  /** The gate: true on a schema change, dataset drift, prediction drift, degraded performance, or (failOnQuality) quality issues. */
  drifted: boolean;
  reasons: string[];
  reference: { file: string; rows: number; createdAt: string };
  current: { file: string; rows: number; source: 'file' | 'folder'; files: number };
  schema: { drifted: boolean; changes: SchemaChange[] };
  dataset: { drifted: boolean; driftedColumns: number; columns: number; share: number; threshold: number };
  columns: ColumnDrift[];
  prediction: ColumnDrift | null;
  performance: { metric: 'accuracy'; reference: number; current: number; drop: number; maxDrop: number; degraded: boolean; n: number } | null;
  quality: { failed: boolean; issues: QualityIssue[] };
}

/** Reference shares of the decile bins from its histogram (about 0.1 each; less where values tie). */
function referenceDecileShares(reference: NumericColumnProfile, view: HistogramView): number[] {
  const refDeciles: number[] = [];
  let previous = 0;
  for (const edge of [...reference.deciles, Infinity]) {
    const cdf = edge === Infinity ? 1 : view.cdf(edge);
    refDeciles.push(Math.max(0, cdf - previous));
    previous = cdf;
  }
  return refDeciles;
}

function shares(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] ?? 0;
  return Array.from(counts, (count) => (total > 0 ? count / total : 0));
}

function numericScores(reference: NumericColumnProfile, current: CurrentNumeric): Scores {
  const view = current.view;
  const nRef = reference.n;
  const nCur = current.n;
  // CDFs at every bin edge of the reference histogram.
  const refCdf: number[] = [];
  const curCdf: number[] = [];
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
  const refDeciles = referenceDecileShares(reference, view);
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

function categoricalScores(refCounts: number[], curCounts: number[]): Scores {
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

function scoreOf(method: DriftMethod, scores: Scores): number | undefined {
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
export function defaultMethod(comparedAs: 'numeric' | 'categorical', referenceSize: number, config: DriftConfig): DriftMethod {
  const small = referenceSize <= config.smallSampleSize;
  if (comparedAs === 'numeric') return small ? 'ks' : 'wasserstein';
  return small ? 'chisquare' : 'jensenshannon';
}

interface Compared {
  comparedAs: 'numeric' | 'categorical';
  scores: Scores;
  /** The distribution the noise of each distance method is drawn from. */
  noise: (method: DriftMethod, tail: number, replicates: number) => number | undefined;
  /** Both samples binned for display (bounded; distribution.ts). */
  distribution: ColumnDistribution;
}

/**
 * Reference and current counts over the same bins, added: the bootstrap draws both samples from the pooled
 * data, as a permutation test would (values of the current data outside the reference grid are left out).
 */
function pooled(reference: readonly number[], current: readonly number[]): number[] {
  return reference.map((count, i) => count + (current[i] ?? 0));
}

function compareNumeric(reference: NumericColumnProfile, current: CurrentNumeric, config: DriftConfig): Compared {
  const seed = seedOf(reference.name);
  const distinct = reference.distinct;
  const nRef = reference.n;
  const nCur = current.n;
  if (distinct && current.values && Object.keys(distinct).length <= config.maxDistinctForCategorical) {
    const keys = Object.keys(distinct);
    const refCounts = [...keys.map((key) => distinct[key] ?? 0), 0];
    const curCounts = [...keys.map((key) => current.values?.get(Number(key)) ?? 0), current.values.get(NEW_VALUE) ?? 0];
    return {
      comparedAs: 'categorical',
      scores: { ...numericScores(reference, current), ...categoricalScores(refCounts, curCounts) },
      noise: (method, tail, replicates) => (method === 'jensenshannon' || method === 'psi' ? sharesNoise(method, pooled(refCounts, curCounts), nRef, nCur, { tail, replicates, seed }) : undefined),
      distribution: categoryDistribution([...keys, 'values the reference never had'], refCounts, curCounts, 'values the reference never had'),
    };
  }
  return {
    comparedAs: 'numeric',
    distribution: binnedDistribution(reference, current),
    scores: numericScores(reference, current),
    noise: (method, tail, replicates) => {
      if (method === 'wasserstein') return wassersteinNoise(pooled(reference.histogram.counts, Array.from(current.bins)), reference.histogram.width, reference.std, nRef, nCur, { tail, replicates, seed });
      if (method === 'jensenshannon' || method === 'psi') {
        return sharesNoise(method, pooled(referenceDecileShares(reference, current.view).map((share) => share * nRef), Array.from(current.deciles)), nRef, nCur, { tail, replicates, seed });
      }
      return undefined;
    },
  };
}

function compareColumn(reference: ColumnProfile, current: CurrentColumn, config: DriftConfig, role: ColumnDrift['role'], distanceColumns: number): ColumnDrift | undefined {
  if (reference.n === 0 || current.n === 0) return undefined;
  let compared: Compared;
  if (reference.type === 'numeric' && current instanceof CurrentNumeric) {
    compared = compareNumeric(reference, current, config);
  } else if (reference.type === 'categorical' && current instanceof CurrentCategorical) {
    const keys = Object.keys(reference.frequencies);
    const refCounts = [...keys.map((key) => reference.frequencies[key] ?? 0), reference.other];
    const curCounts = [...keys.map((key) => current.counts.get(key) ?? 0), current.unlisted];
    const seed = seedOf(reference.name);
    compared = {
      comparedAs: 'categorical',
      scores: categoricalScores(refCounts, curCounts),
      noise: (method, tail, replicates) => (method === 'jensenshannon' || method === 'psi' ? sharesNoise(method, pooled(refCounts, curCounts), reference.n, current.n, { tail, replicates, seed }) : undefined),
      distribution: categoryDistribution([...keys, 'other or new categories'], refCounts, curCounts, 'other or new categories'),
    };
  } else {
    return undefined;
  }
  const { comparedAs, scores } = compared;
  const override = config.columns[reference.name] ?? {};
  const method = override.method ?? defaultMethod(comparedAs, reference.n, config);
  const threshold = override.threshold ?? DEFAULT_THRESHOLDS[method];
  const score = scoreOf(method, scores);
  if (score === undefined) throw new ConfigurationError(`column '${reference.name}': method ${method} does not apply to a ${comparedAs} column`);
  const result: ColumnDrift = { column: reference.name, type: reference.type, comparedAs, role, method, threshold, score, drifted: false, n_ref: reference.n, n_cur: current.n, scores, distribution: compared.distribution };
  if (isPValueMethod(method)) {
    result.drifted = score < threshold;
    return result;
  }
  result.drifted = score >= threshold;
  // Only a score at or over the threshold can be overruled, so the bootstrap runs only then; a threshold
  // set for the column in drift.json is the user's own and is taken as it is.
  if (result.drifted && config.sampleNoise !== false && override.threshold === undefined) {
    const noise = compared.noise(method, config.sampleNoise.alpha / Math.max(1, distanceColumns), config.sampleNoise.replicates);
    if (noise !== undefined) {
      result.noiseThreshold = noise;
      result.drifted = score >= noise;
    }
  }
  return result;
}

function qualityIssues(reference: ColumnProfile, current: CurrentColumn, rows: number, quality: QualityConfig, typeChanged: boolean): QualityIssue[] {
  const issues: QualityIssue[] = [];
  const name = reference.name;
  const missingShare = rows > 0 ? current.missing / rows : 0;
  const increase = missingShare - reference.missingShare;
  if (increase > quality.maxMissingShareIncrease && !typeChanged && current.n > 0) {
    issues.push({ column: name, check: 'missing-share', value: increase, threshold: quality.maxMissingShareIncrease, message: `missing share rose from ${pct(reference.missingShare)} to ${pct(missingShare)}` });
  }
  if (current instanceof CurrentNumeric && reference.type === 'numeric') {
    if (current.invalid > 0 && !typeChanged) {
      issues.push({ column: name, check: 'invalid-values', value: current.invalid / rows, threshold: 0, message: `${current.invalid} values are not numbers` });
    }
    if (current.n > 0) {
      const outOfRange = current.outOfRange / current.n;
      if (outOfRange > quality.maxOutOfRangeShare) {
        issues.push({ column: name, check: 'out-of-range', value: outOfRange, threshold: quality.maxOutOfRangeShare, message: `${pct(outOfRange)} of values outside the reference range [${fmt(reference.min)}, ${fmt(reference.max)}]` });
      }
      const outliers = current.outliers / current.n;
      if (outliers - reference.outlierShare > quality.maxOutlierShareIncrease) {
        issues.push({ column: name, check: 'outliers', value: outliers, threshold: reference.outlierShare + quality.maxOutlierShareIncrease, message: `outlier share ${pct(outliers)} (reference ${pct(reference.outlierShare)})` });
      }
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

/** What reading the current data found: ragged rows, invalid UTF-8, cut values, cut request-log lines. */
function inputIssues(input: InputFindings, rows: number): QualityIssue[] {
  const issues: QualityIssue[] = [];
  if (input.raggedRows > 0) {
    issues.push({ column: '*', check: 'ragged-rows', value: input.raggedRows / Math.max(1, rows), threshold: 0, message: `${input.raggedRows} rows have a different number of fields than the header, the first at ${input.firstRagged ?? '?'}` });
  }
  for (const [column, count] of Object.entries(input.invalidUtf8)) {
    issues.push({ column, check: 'invalid-utf8', value: count / Math.max(1, rows), threshold: 0, message: `${count} values are not valid UTF-8 (read with U+FFFD in place of the bad bytes)` });
  }
  for (const [column, count] of Object.entries(input.truncated)) {
    issues.push({ column, check: 'truncated-values', value: count / Math.max(1, rows), threshold: 0, message: `${count} values are longer than the size cap and were cut` });
  }
  if (input.incompleteLines > 0) {
    issues.push({ column: '*', check: 'incomplete-lines', value: input.incompleteLines, threshold: 0, message: `${input.incompleteLines} request-log lines were cut short (still being written) and skipped` });
  }
  return issues;
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 && share > 0 ? 2 : 1)}%`;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** A file of an endpoint's request log (src/deploy/local/request-log.ts), checked on its own. */
const REQUEST_LOG_FILE = /^requests-.*\.jsonl(\.gz)?$/;

/** Request-log metadata (`_time`, `_version`, `_status`) and the logged prediction are not data columns. */
function isLogColumn(name: string): boolean {
  return name.startsWith('_') || name === 'prediction' || name.startsWith('prediction.');
}

/** Compares scanned current data with the reference profile and returns the verdict. */
export function compareWithProfile(reference: Profile, current: CurrentData, config: DriftConfig = DEFAULT_CONFIG): DriftVerdict {
  if (reference.rows === 0) throw new ConfigurationError(`the reference profile of ${reference.source.file} has no rows: profile data with rows first`);
  const label = config.label ?? reference.label;
  const predictionName = config.prediction ?? reference.prediction;
  const columns: ColumnDrift[] = [];
  let prediction: ColumnDrift | null = null;
  const issues: QualityIssue[] = [];
  const changes: SchemaChange[] = [];
  if (current.rows === 0) changes.push({ column: '*', change: 'no-rows', message: 'the current data has no rows' });
  const compared = reference.columns.filter((profile) => !config.columns[profile.name]?.ignore);
  const roleOf = (name: string): ColumnDrift['role'] => (name === predictionName ? 'prediction' : name === label ? 'label' : 'feature');
  const distanceColumns = compared.filter((profile) => roleOf(profile.name) !== 'label').length;
  for (const profile of compared) {
    const role = roleOf(profile.name);
    const scanned = current.columns.get(profile.name);
    if (!scanned) {
      // Labels come later than the data they label: a current batch without them is normal.
      if (role !== 'label') changes.push({ column: profile.name, change: 'missing-column', message: `column '${profile.name}' is missing from the current data` });
      continue;
    }
    let typeChanged = false;
    if (current.rows > 0 && profile.n > 0 && scanned instanceof CurrentNumeric) {
      const present = scanned.n + scanned.invalid;
      const textShare = present > 0 ? scanned.invalid / present : 0;
      if (textShare > config.schema.maxTextShare) {
        typeChanged = true;
        changes.push({ column: profile.name, change: 'type-changed', message: `column '${profile.name}' was numeric and is now text in ${pct(textShare)} of its values (e.g. not a number in ${scanned.invalid} rows)` });
      } else if (scanned.n === 0) {
        changes.push({ column: profile.name, change: 'no-values', message: `column '${profile.name}' has no values in the current data (all ${current.rows} missing)` });
      }
    } else if (current.rows > 0 && profile.n > 0 && scanned.n === 0 && role !== 'label') {
      changes.push({ column: profile.name, change: 'no-values', message: `column '${profile.name}' has no values in the current data (all ${current.rows} missing)` });
    }
    issues.push(...qualityIssues(profile, scanned, current.rows, config.quality, typeChanged));
    if (typeChanged) continue;
    const result = compareColumn(profile, scanned, config, role, distanceColumns);
    if (!result) continue;
    if (role === 'prediction') prediction = result;
    if (role === 'feature') columns.push(result);
  }
  for (const name of current.extraColumns) {
    if (config.columns[name]?.ignore || name === predictionName || name === label) continue;
    if ((current.source === 'folder' || REQUEST_LOG_FILE.test(current.file)) && isLogColumn(name)) continue;
    changes.push({ column: name, change: 'new-column', message: `column '${name}' is not in the reference profile` });
  }
  issues.push(...inputIssues(current.input, current.rows));
  const schemaDrifted = changes.length > 0;
  const driftedColumns = columns.filter((column) => column.drifted).length;
  const share = columns.length > 0 ? driftedColumns / columns.length : 0;
  const datasetDrifted = columns.length > 0 && share >= config.datasetDriftShare;
  const reasons: string[] = [];
  for (const change of changes) reasons.push(`schema: ${change.message}`);
  if (datasetDrifted) {
    reasons.push(`dataset drift: ${driftedColumns} of ${columns.length} columns drifted (${pct(share)} ≥ ${pct(config.datasetDriftShare)}): ${columns.filter((c) => c.drifted).map((c) => c.column).join(', ')}`);
  }
  if (prediction?.drifted) reasons.push(`prediction drift on '${prediction.column}' (${prediction.method} ${fmt(prediction.score)}, threshold ${prediction.threshold})`);

  let performance: DriftVerdict['performance'] = null;
  const referenceAccuracy = config.performance?.reference ?? reference.performance?.accuracy;
  if (current.accuracy && current.accuracy.n > 0 && referenceAccuracy !== undefined) {
    const accuracy = current.accuracy.correct / current.accuracy.n;
    const maxDrop = config.performance?.maxDrop ?? 0.05;
    const drop = referenceAccuracy - accuracy;
    performance = { metric: 'accuracy', reference: referenceAccuracy, current: accuracy, drop, maxDrop, degraded: drop > maxDrop, n: current.accuracy.n };
    if (performance.degraded) reasons.push(`performance degraded: accuracy ${fmt(accuracy)} against ${fmt(referenceAccuracy)} (drop ${fmt(drop)} > ${maxDrop})`);
  }
  const qualityFailed = issues.length > 0;
  if (qualityFailed && config.quality.failOnQuality) reasons.push(`data quality: ${issues.length} issue${issues.length === 1 ? '' : 's'}`);
  const drifted = schemaDrifted || datasetDrifted || prediction?.drifted === true || performance?.degraded === true || (qualityFailed && config.quality.failOnQuality);
  if (!drifted) reasons.push(`no drift: ${driftedColumns} of ${columns.length} columns drifted (threshold ${pct(config.datasetDriftShare)})`);
  return {
    format: 'mlops-drift',
    version: 1,
    drifted,
    reasons,
    reference: { file: reference.source.file, rows: reference.rows, createdAt: reference.createdAt },
    current: { file: current.file, rows: current.rows, source: current.source, files: current.files },
    schema: { drifted: schemaDrifted, changes },
    dataset: { drifted: datasetDrifted, driftedColumns, columns: columns.length, share, threshold: config.datasetDriftShare },
    columns,
    prediction,
    performance,
    quality: { failed: qualityFailed, issues },
  };
}

/** Profile in, data in (a file or a request-log folder), verdict out: the whole drift check. */
export async function detectDrift(reference: Profile, currentPath: string, config: DriftConfig = DEFAULT_CONFIG, read: ReadOptions = {}): Promise<DriftVerdict> {
  if (reference.rows === 0) throw new ConfigurationError(`the reference profile of ${reference.source.file} has no rows: profile data with rows first`);
  const current = await scanCurrent(currentPath, reference, config, read);
  return compareWithProfile(reference, current, config);
}
