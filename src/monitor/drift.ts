/**
 * Drift of current data against a reference profile: one streaming pass over the current file whose
 * memory is bounded by the profile (per column: counts over the profile's bins and categories), then
 * per-column tests, data-quality checks, prediction drift, performance, and one verdict.
 * Methods, defaults and the JSON verdict are documented in src/monitor/README.md.
 */
import { basename } from 'node:path';
import { ConfigurationError } from '../util/errors.js';
import { HistogramView } from './histogram.js';
import { outlierFences, parseNumber, valueKey, type CategoricalColumnProfile, type ColumnProfile, type NumericColumnProfile, type Profile } from './profile.js';
import { isMissing, readRows } from './read.js';
import { binIndex, chiSquare, jensenShannon, ksPValue, ksStatisticFromCdf, psiFromCounts } from './stats.js';

export const METHODS = ['ks', 'chisquare', 'wasserstein', 'jensenshannon', 'psi'] as const;
export type DriftMethod = (typeof METHODS)[number];

/** p-value methods drift when the p-value is below the threshold; distances when the score reaches it. */
export function isPValueMethod(method: DriftMethod): boolean {
  return method === 'ks' || method === 'chisquare';
}

export const DEFAULT_THRESHOLDS: Record<DriftMethod, number> = { ks: 0.05, chisquare: 0.05, wasserstein: 0.1, jensenshannon: 0.1, psi: 0.1 };

export interface ColumnConfig {
  method?: DriftMethod;
  threshold?: number;
  /** Leave the column out of drift and quality checks (ids, timestamps). */
  ignore?: boolean;
}

export interface QualityConfig {
  /** Flag when the missing share grows by more than this (absolute). */
  maxMissingShareIncrease: number;
  /** Flag when more than this share of values lies outside the reference [min, max]. */
  maxOutOfRangeShare: number;
  /** Flag when the outlier share (reference Tukey fences) grows by more than this. */
  maxOutlierShareIncrease: number;
  /** Flag when more than this share of values is a category the reference never had. */
  maxNewCategoryShare: number;
  /** Let quality findings alone make the verdict `drifted` (and the gate fail). */
  failOnQuality: boolean;
}

export interface DriftConfig {
  /** Dataset drift when at least this share of the feature columns drifted. */
  datasetDriftShare: number;
  /** Reference sizes up to this use p-value tests, larger ones distances (Evidently's 1000). */
  smallSampleSize: number;
  /** Numeric columns with at most this many distinct values are compared as categories (Evidently's 5). */
  maxDistinctForCategorical: number;
  columns: Record<string, ColumnConfig>;
  prediction?: string;
  label?: string;
  performance?: { metric: 'accuracy'; reference?: number; maxDrop: number };
  quality: QualityConfig;
}

export const DEFAULT_CONFIG: DriftConfig = {
  datasetDriftShare: 0.5,
  smallSampleSize: 1000,
  maxDistinctForCategorical: 5,
  columns: {},
  quality: { maxMissingShareIncrease: 0.1, maxOutOfRangeShare: 0.05, maxOutlierShareIncrease: 0.05, maxNewCategoryShare: 0, failOnQuality: false },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberField(source: Record<string, unknown>, key: string, where: string, fallback: number, range?: [number, number]): number {
  const value = source[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigurationError(`${where}.${key} must be a number`);
  if (range && (value < range[0] || value > range[1])) throw new ConfigurationError(`${where}.${key} must be between ${range[0]} and ${range[1]}, got ${value}`);
  return value;
}

/** Checks a drift.json object and fills in the defaults. */
export function parseDriftConfig(value: unknown, where = 'drift config'): DriftConfig {
  if (!isRecord(value)) throw new ConfigurationError(`${where} must be a JSON object`);
  const known = new Set(['datasetDriftShare', 'smallSampleSize', 'maxDistinctForCategorical', 'columns', 'prediction', 'label', 'performance', 'quality']);
  for (const key of Object.keys(value)) if (!known.has(key)) throw new ConfigurationError(`${where}: unknown key '${key}' (allowed: ${[...known].join(', ')})`);
  const config: DriftConfig = {
    ...DEFAULT_CONFIG,
    datasetDriftShare: numberField(value, 'datasetDriftShare', where, DEFAULT_CONFIG.datasetDriftShare, [0, 1]),
    smallSampleSize: numberField(value, 'smallSampleSize', where, DEFAULT_CONFIG.smallSampleSize, [0, Number.MAX_SAFE_INTEGER]),
    maxDistinctForCategorical: numberField(value, 'maxDistinctForCategorical', where, DEFAULT_CONFIG.maxDistinctForCategorical, [0, 50]),
    columns: {},
    quality: { ...DEFAULT_CONFIG.quality },
  };
  if (value['columns'] !== undefined) {
    if (!isRecord(value['columns'])) throw new ConfigurationError(`${where}.columns must be an object of column name → {method, threshold, ignore}`);
    for (const [name, raw] of Object.entries(value['columns'])) {
      if (!isRecord(raw)) throw new ConfigurationError(`${where}.columns.${name} must be an object`);
      const column: ColumnConfig = {};
      if (raw['method'] !== undefined) {
        if (typeof raw['method'] !== 'string' || !(METHODS as readonly string[]).includes(raw['method'])) {
          throw new ConfigurationError(`${where}.columns.${name}.method must be one of ${METHODS.join(', ')}`);
        }
        column.method = raw['method'] as DriftMethod;
      }
      if (raw['threshold'] !== undefined) column.threshold = numberField(raw, 'threshold', `${where}.columns.${name}`, 0, [0, Number.MAX_VALUE]);
      if (raw['ignore'] !== undefined) {
        if (typeof raw['ignore'] !== 'boolean') throw new ConfigurationError(`${where}.columns.${name}.ignore must be true or false`);
        column.ignore = raw['ignore'];
      }
      config.columns[name] = column;
    }
  }
  for (const key of ['prediction', 'label'] as const) {
    const text = value[key];
    if (text === undefined) continue;
    if (typeof text !== 'string' || text === '') throw new ConfigurationError(`${where}.${key} must be a column name`);
    config[key] = text;
  }
  if (value['performance'] !== undefined) {
    const raw = value['performance'];
    if (!isRecord(raw)) throw new ConfigurationError(`${where}.performance must be an object {metric, reference, maxDrop}`);
    if (raw['metric'] !== undefined && raw['metric'] !== 'accuracy') throw new ConfigurationError(`${where}.performance.metric must be "accuracy"`);
    config.performance = { metric: 'accuracy', maxDrop: numberField(raw, 'maxDrop', `${where}.performance`, 0.05, [0, 1]) };
    if (raw['reference'] !== undefined) config.performance.reference = numberField(raw, 'reference', `${where}.performance`, 0, [0, 1]);
  }
  if (value['quality'] !== undefined) {
    const raw = value['quality'];
    if (!isRecord(raw)) throw new ConfigurationError(`${where}.quality must be an object`);
    const q = config.quality;
    q.maxMissingShareIncrease = numberField(raw, 'maxMissingShareIncrease', `${where}.quality`, q.maxMissingShareIncrease, [0, 1]);
    q.maxOutOfRangeShare = numberField(raw, 'maxOutOfRangeShare', `${where}.quality`, q.maxOutOfRangeShare, [0, 1]);
    q.maxOutlierShareIncrease = numberField(raw, 'maxOutlierShareIncrease', `${where}.quality`, q.maxOutlierShareIncrease, [0, 1]);
    q.maxNewCategoryShare = numberField(raw, 'maxNewCategoryShare', `${where}.quality`, q.maxNewCategoryShare, [0, 1]);
    if (raw['failOnQuality'] !== undefined) {
      if (typeof raw['failOnQuality'] !== 'boolean') throw new ConfigurationError(`${where}.quality.failOnQuality must be true or false`);
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
  n = 0;
  missing = 0;
  invalid = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  /** Counts in the reference histogram's bins, below its first edge and at/above its last. */
  readonly bins: Float64Array;
  under = 0;
  over = 0;
  /** Σ (first edge − x) below the grid and Σ (x − last edge) above it: the Wasserstein tails, exact. */
  underDistance = 0;
  overDistance = 0;
  readonly deciles: Float64Array = new Float64Array(10);
  outOfRange = 0;
  outliers = 0;
  readonly values = new Map<string, number>();
  readonly view: HistogramView;
  private readonly low: number;
  private readonly high: number;

  constructor(readonly reference: NumericColumnProfile) {
    this.view = new HistogramView(reference.histogram, reference.min, reference.max);
    this.bins = new Float64Array(this.view.bins);
    const fences = outlierFences(reference.quantiles);
    this.low = fences.low;
    this.high = fences.high;
  }

  add(value: number): void {
    this.n++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const bin = this.view.binOf(value);
    if (bin < 0) {
      this.under++;
      this.underDistance += this.view.edge(0) - value;
    } else if (bin >= this.bins.length) {
      this.over++;
      this.overDistance += value - this.view.edge(this.bins.length);
    } else {
      this.bins[bin]! += 1;
    }
    this.deciles[binIndex(this.reference.deciles, value)]! += 1;
    if (value < this.reference.min || value > this.reference.max) this.outOfRange++;
    if (value < this.low || value > this.high) this.outliers++;
    if (this.reference.distinct) {
      const key = String(value);
      // Values the reference never had share one bucket, so memory stays bounded.
      const bucket = key in this.reference.distinct ? key : '\u0000new';
      this.values.set(bucket, (this.values.get(bucket) ?? 0) + 1);
    }
  }
}

class CurrentCategorical {
  n = 0;
  missing = 0;
  readonly counts = new Map<string, number>();
  unlisted = 0;
  readonly newNames = new Set<string>();

  constructor(readonly reference: CategoricalColumnProfile) {}

  add(key: string): void {
    this.n++;
    if (key in this.reference.frequencies) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    } else {
      this.unlisted++;
      if (this.newNames.size < NEW_CATEGORY_NAMES) this.newNames.add(key);
    }
  }
}

type CurrentColumn = CurrentNumeric | CurrentCategorical;

export interface CurrentData {
  file: string;
  rows: number;
  columns: Map<string, CurrentColumn>;
  /** Columns of the current file the reference does not have. */
  extraColumns: string[];
  accuracy?: { correct: number; n: number };
}

/** Streams the current file once, counting into the reference's bins and categories. */
export async function scanCurrent(path: string, reference: Profile, config: DriftConfig): Promise<CurrentData> {
  const byName = new Map(reference.columns.map((column) => [column.name, column]));
  const columns = new Map<string, CurrentColumn>();
  let slots: (CurrentColumn | undefined)[] = [];
  const extraColumns: string[] = [];
  let labelIndex = -1;
  let predictionIndex = -1;
  let correct = 0;
  let scored = 0;
  let rowsSoFar = 0;
  const rows = await readRows(path, {
    columns(names) {
      slots = names.map((name, index) => {
        if (name === config.label) labelIndex = index;
        if (name === config.prediction) predictionIndex = index;
        const existing = columns.get(name);
        if (existing) return existing;
        const profile = byName.get(name);
        if (!profile) {
          if (!extraColumns.includes(name)) extraColumns.push(name);
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
        if (!column) continue;
        const cell = cells[i];
        if (isMissing(cell)) {
          column.missing++;
        } else if (column instanceof CurrentNumeric) {
          const value = parseNumber(cell);
          if (value === undefined) {
            column.invalid++;
            column.missing++;
          } else {
            column.add(value);
          }
        } else {
          column.add(valueKey(cell));
        }
      }
      if (labelIndex >= 0 && predictionIndex >= 0) {
        const label = cells[labelIndex];
        const prediction = cells[predictionIndex];
        if (!isMissing(label) && !isMissing(prediction)) {
          scored++;
          if (valueKey(label) === valueKey(prediction)) correct++;
        }
      }
    },
  });
  const data: CurrentData = { file: basename(path), rows, columns, extraColumns };
  if (labelIndex >= 0 && predictionIndex >= 0) data.accuracy = { correct, n: scored };
  return data;
}

// ---------------------------------------------------------------------------------------------
// Comparison

export interface ColumnDrift {
  column: string;
  type: 'numeric' | 'categorical';
  /** Whether numeric values were compared as categories (few distinct values). */
  comparedAs: 'numeric' | 'categorical';
  role: 'feature' | 'prediction' | 'label';
  method: DriftMethod;
  threshold: number;
  /** The value compared with the threshold: a p-value for ks/chisquare, a distance otherwise. */
  score: number;
  drifted: boolean;
  n_ref: number;
  n_cur: number;
  /** Every statistic computed for the column, whatever the chosen method. */
  scores: Partial<Record<'ks_statistic' | 'ks_p_value' | 'chisquare_statistic' | 'chisquare_p_value' | 'wasserstein' | 'wasserstein_normed' | 'jensenshannon' | 'psi', number>>;
}

export interface QualityIssue {
  column: string;
  check: 'missing-share' | 'out-of-range' | 'outliers' | 'new-categories' | 'invalid-values' | 'missing-column' | 'new-column';
  value: number;
  threshold: number;
  message: string;
}

export interface DriftVerdict {
  format: 'mlops-drift';
  version: 1;
  /** The gate: true when the dataset drifted, the prediction drifted, performance degraded, or (failOnQuality) quality failed. */
  drifted: boolean;
  reasons: string[];
  reference: { file: string; rows: number; createdAt: string };
  current: { file: string; rows: number };
  dataset: { drifted: boolean; driftedColumns: number; columns: number; share: number; threshold: number };
  columns: ColumnDrift[];
  prediction: ColumnDrift | null;
  performance: { metric: 'accuracy'; reference: number; current: number; drop: number; maxDrop: number; degraded: boolean; n: number } | null;
  quality: { failed: boolean; issues: QualityIssue[] };
}

function shares(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] ?? 0;
  return Array.from(counts, (count) => (total > 0 ? count / total : 0));
}

function numericScores(reference: NumericColumnProfile, current: CurrentNumeric): ColumnDrift['scores'] {
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
  // Reference shares of the decile bins from its histogram (about 0.1 each; less where values tie).
  const refDeciles: number[] = [];
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

function categoricalScores(refCounts: number[], curCounts: number[]): ColumnDrift['scores'] {
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

function scoreOf(method: DriftMethod, scores: ColumnDrift['scores']): number | undefined {
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

function compareColumn(reference: ColumnProfile, current: CurrentColumn, config: DriftConfig, role: ColumnDrift['role']): ColumnDrift | undefined {
  if (reference.n === 0 || current.n === 0) return undefined;
  let comparedAs: 'numeric' | 'categorical' = reference.type;
  let scores: ColumnDrift['scores'];
  if (reference.type === 'numeric' && current instanceof CurrentNumeric) {
    const distinct = reference.distinct;
    if (distinct && Object.keys(distinct).length <= config.maxDistinctForCategorical) {
      comparedAs = 'categorical';
      const keys = Object.keys(distinct);
      scores = {
        ...numericScores(reference, current),
        ...categoricalScores([...keys.map((key) => distinct[key] ?? 0), 0], [...keys.map((key) => current.values.get(key) ?? 0), current.values.get('\u0000new') ?? 0]),
      };
    } else {
      scores = numericScores(reference, current);
    }
  } else if (reference.type === 'categorical' && current instanceof CurrentCategorical) {
    const keys = Object.keys(reference.frequencies);
    scores = categoricalScores([...keys.map((key) => reference.frequencies[key] ?? 0), reference.other], [...keys.map((key) => current.counts.get(key) ?? 0), current.unlisted]);
  } else {
    return undefined;
  }
  const override = config.columns[reference.name] ?? {};
  const method = override.method ?? defaultMethod(comparedAs, reference.n, config);
  const threshold = override.threshold ?? DEFAULT_THRESHOLDS[method];
  const score = scoreOf(method, scores);
  if (score === undefined) throw new ConfigurationError(`column '${reference.name}': method ${method} does not apply to a ${comparedAs} column`);
  const drifted = isPValueMethod(method) ? score < threshold : score >= threshold;
  return { column: reference.name, type: reference.type, comparedAs, role, method, threshold, score, drifted, n_ref: reference.n, n_cur: current.n, scores };
}

function qualityIssues(reference: ColumnProfile, current: CurrentColumn, rows: number, quality: QualityConfig): QualityIssue[] {
  const issues: QualityIssue[] = [];
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

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 && share > 0 ? 2 : 1)}%`;
}

function fmt(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** Compares scanned current data with the reference profile and returns the verdict. */
export function compareWithProfile(reference: Profile, current: CurrentData, config: DriftConfig = DEFAULT_CONFIG): DriftVerdict {
  const columns: ColumnDrift[] = [];
  let prediction: ColumnDrift | null = null;
  const issues: QualityIssue[] = [];
  for (const profile of reference.columns) {
    if (config.columns[profile.name]?.ignore) continue;
    const scanned = current.columns.get(profile.name);
    if (!scanned) {
      issues.push({ column: profile.name, check: 'missing-column', value: 1, threshold: 0, message: 'the column is missing from the current data' });
      continue;
    }
    issues.push(...qualityIssues(profile, scanned, current.rows, config.quality));
    const role = profile.name === config.prediction ? 'prediction' : profile.name === config.label ? 'label' : 'feature';
    const result = compareColumn(profile, scanned, config, role);
    if (!result) continue;
    if (role === 'prediction') prediction = result;
    if (role === 'feature') columns.push(result);
  }
  for (const name of current.extraColumns) {
    if (!config.columns[name]?.ignore) issues.push({ column: name, check: 'new-column', value: 1, threshold: 0, message: 'the column is not in the reference profile' });
  }
  const driftedColumns = columns.filter((column) => column.drifted).length;
  const share = columns.length > 0 ? driftedColumns / columns.length : 0;
  const datasetDrifted = columns.length > 0 && share >= config.datasetDriftShare;
  const reasons: string[] = [];
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
  const drifted = datasetDrifted || prediction?.drifted === true || performance?.degraded === true || (qualityFailed && config.quality.failOnQuality);
  if (!drifted) reasons.push(`no drift: ${driftedColumns} of ${columns.length} columns drifted (threshold ${pct(config.datasetDriftShare)})`);
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
export async function detectDrift(reference: Profile, currentPath: string, config: DriftConfig = DEFAULT_CONFIG): Promise<DriftVerdict> {
  const current = await scanCurrent(currentPath, reference, config);
  return compareWithProfile(reference, current, config);
}
