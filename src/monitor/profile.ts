/**
 * The reference profile: one streaming pass over the training data, memory bounded per column
 * (a 1 000-value type-inference buffer, an AdaptiveHistogram of at most 4 096 bins, at most 10 000
 * distinct categories), written as JSON. The format is documented in src/monitor/README.md.
 */
import { basename } from 'node:path';
import { ConfigurationError } from '../util/errors.js';
import { capText, parseNumber, valueKey, type Row } from './cells.js';
import { AdaptiveHistogram, DEFAULT_MAX_BINS, HistogramView, type HistogramJson } from './histogram.js';
import { readRows, type DataFormat, type ReadOptions, type ReadReport } from './read.js';

export { parseNumber, valueKey } from './cells.js';

/** Rows looked at before a column's type is fixed. */
export const TYPE_SAMPLE = 1000;
/** Distinct categories tracked while streaming; later new ones count as "other". */
export const CATEGORY_TRACK_LIMIT = 10_000;
/** Categories kept in the profile (the most frequent); the rest are summed as "other". */
export const CATEGORY_CAP = 1000;
/** A numeric column with at most this many distinct values keeps exact value counts. */
export const DISTINCT_LIMIT = 50;
export const QUANTILE_LEVELS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const;

interface ColumnBase {
  name: string;
  /** Rows where the column is missing (empty, NA, null, absent). */
  missing: number;
  missingShare: number;
  /** Non-missing values. */
  n: number;
}

export interface NumericColumnProfile extends ColumnBase {
  type: 'numeric';
  /** Texts that did not parse as numbers after the type was fixed (also counted as missing). */
  invalid: number;
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (ddof = 1, as pandas). */
  std: number;
  /** Quantiles read from the histogram (exact to within one bin width), keyed by level ("0.5"). */
  quantiles: Record<string, number>;
  /** The 9 interior decile edges (PSI bins). */
  deciles: number[];
  histogram: HistogramJson;
  /** Exact value counts when the column has at most 50 distinct values (keys as `String(Number(x))`). */
  distinct?: Record<string, number>;
  /** Share of values outside [q25 − 1.5·IQR, q75 + 1.5·IQR]. */
  outlierShare: number;
}

export interface CategoricalColumnProfile extends ColumnBase {
  type: 'categorical';
  /** The most frequent categories (at most 1 000) and their counts. */
  frequencies: Record<string, number>;
  /** Count of values in no listed category. */
  other: number;
  /** Distinct values seen (a lower bound when `distinctCapped`). */
  distinctCount: number;
  distinctCapped: boolean;
}

export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile;

/** What reading the data found that is not clean (see ReadReport). */
export interface InputFindings {
  raggedRows: number;
  firstRagged?: string;
  invalidUtf8: Record<string, number>;
  truncated: Record<string, number>;
  incompleteLines: number;
}

export interface Profile {
  format: 'mlops-profile';
  version: 1;
  source: { file: string; format: DataFormat };
  createdAt: string;
  rows: number;
  columns: ColumnProfile[];
  /** The label and prediction columns named when profiling (drift checks use them unless the config names others). */
  label?: string;
  prediction?: string;
  /** Accuracy of `prediction` against `label` in the profiled data, when both were named. */
  performance?: { label: string; prediction: string; accuracy: number; n: number };
  /** Ragged rows, invalid UTF-8 and cut values found while reading the profiled data. */
  input?: InputFindings;
}

export function inputFindings(report: ReadReport): InputFindings {
  const findings: InputFindings = { raggedRows: report.raggedRows, invalidUtf8: report.invalidUtf8, truncated: report.truncated, incompleteLines: report.incompleteLines };
  if (report.firstRagged !== undefined) findings.firstRagged = report.firstRagged;
  return findings;
}

export interface ProfileOptions {
  /** Columns to treat as categorical even when every value is a number (labels, class ids). */
  categorical?: readonly string[];
  label?: string;
  prediction?: string;
  maxBins?: number;
  /** How a large CSV file is read (threads); the profile is the same whatever they are. */
  read?: ReadOptions;
}

class NumericAccumulator {
  n = 0;
  invalid = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;
  histogram: AdaptiveHistogram;
  distinct: Map<number, number> | undefined = new Map();

  constructor(buffered: readonly number[], maxBins: number) {
    let min = Infinity;
    let max = -Infinity;
    for (const value of buffered) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    this.histogram = buffered.length > 0 ? AdaptiveHistogram.forRange(min, max, maxBins) : new AdaptiveHistogram(1, maxBins);
    for (const value of buffered) this.add(value);
  }

  add(value: number): void {
    this.n++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // Welford's update: numerically stable mean and variance in one pass.
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
    this.histogram.add(value);
    if (this.distinct) {
      // Keyed by the number (1, 1.0 and 1e0 are one value; -0 is 0); written as String(value).
      this.distinct.set(value, (this.distinct.get(value) ?? 0) + 1);
      if (this.distinct.size > DISTINCT_LIMIT) this.distinct = undefined;
    }
  }
}

class CategoricalAccumulator {
  n = 0;
  counts = new Map<string, number>();
  untracked = 0;

  add(key: string): void {
    this.n++;
    const count = this.counts.get(key);
    if (count !== undefined) this.counts.set(key, count + 1);
    else if (this.counts.size < CATEGORY_TRACK_LIMIT) this.counts.set(key, 1);
    else this.untracked++;
  }
}

class ColumnAccumulator {
  missing = 0;
  /** Non-missing texts held until TYPE_SAMPLE of them decide the type. */
  buffer: string[] | undefined = [];
  numeric: NumericAccumulator | undefined;
  categorical: CategoricalAccumulator | undefined;

  constructor(
    readonly name: string,
    private readonly forceCategorical: boolean,
    private readonly maxBins: number,
  ) {}

  add(row: Row, index: number): void {
    const numeric = this.numeric;
    if (numeric) {
      const value = row.number(index);
      if (value === value) {
        numeric.add(value);
      } else {
        // Later text in a numeric column counts as invalid (and missing).
        if (!row.isMissing(index)) numeric.invalid++;
        this.missing++;
      }
      return;
    }
    if (row.isMissing(index)) {
      this.missing++;
      return;
    }
    const text = row.text(index);
    if (this.buffer) {
      this.buffer.push(text);
      if (this.buffer.length >= TYPE_SAMPLE) this.decide();
      return;
    }
    this.categorical?.add(valueKey(text));
  }

  decide(): void {
    const buffer = this.buffer ?? [];
    this.buffer = undefined;
    const numbers = this.forceCategorical ? undefined : buffer.map(parseNumber);
    if (numbers && numbers.length > 0 && numbers.every((value) => value !== undefined)) {
      this.numeric = new NumericAccumulator(numbers as number[], this.maxBins);
    } else {
      this.categorical = new CategoricalAccumulator();
      for (const cell of buffer) this.categorical.add(valueKey(cell));
    }
  }

  finish(rows: number): ColumnProfile {
    if (this.buffer) this.decide();
    const base = { name: this.name, missing: this.missing + (rows - this.seen(rows)), missingShare: 0, n: 0 };
    if (this.numeric) {
      const numeric = this.numeric;
      base.n = numeric.n;
      base.missingShare = rows > 0 ? base.missing / rows : 0;
      const histogram = numeric.histogram.toJSON();
      const view = new HistogramView(histogram, numeric.min, numeric.max);
      const quantiles: Record<string, number> = {};
      for (const level of QUANTILE_LEVELS) quantiles[String(level)] = view.quantile(level);
      const deciles = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => view.quantile(i / 10));
      const fences = outlierFences(quantiles);
      const outliers = numeric.n > 0 ? view.cdf(fences.low) + (1 - view.cdf(fences.high)) : 0;
      const profile: NumericColumnProfile = {
        ...base,
        type: 'numeric',
        invalid: numeric.invalid,
        min: numeric.n > 0 ? numeric.min : Number.NaN,
        max: numeric.n > 0 ? numeric.max : Number.NaN,
        mean: numeric.mean,
        std: numeric.n > 1 ? Math.sqrt(numeric.m2 / (numeric.n - 1)) : 0,
        quantiles,
        deciles,
        histogram,
        outlierShare: Math.max(0, outliers),
      };
      if (numeric.distinct) profile.distinct = Object.fromEntries([...numeric.distinct].map(([value, count]) => [String(value), count]));
      return profile;
    }
    const categorical = this.categorical ?? new CategoricalAccumulator();
    base.n = categorical.n;
    base.missingShare = rows > 0 ? base.missing / rows : 0;
    const ranked = [...categorical.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = ranked.slice(0, CATEGORY_CAP);
    const other = categorical.untracked + ranked.slice(CATEGORY_CAP).reduce((sum, [, count]) => sum + count, 0);
    return {
      ...base,
      type: 'categorical',
      frequencies: Object.fromEntries(kept),
      other,
      distinctCount: categorical.counts.size,
      distinctCapped: categorical.untracked > 0,
    };
  }

  /** Rows this column saw (present or missing); JSON Lines rows before the key first appeared did not. */
  private seen(rows: number): number {
    const present = this.missing + (this.numeric ? this.numeric.n + this.numeric.invalid : 0) + (this.categorical?.n ?? 0) + (this.buffer?.length ?? 0);
    return Math.min(rows, present);
  }
}

/** The Tukey fences [q25 − 1.5·IQR, q75 + 1.5·IQR]. */
export function outlierFences(quantiles: Record<string, number>): { low: number; high: number } {
  const q1 = quantiles['0.25'] ?? Number.NaN;
  const q3 = quantiles['0.75'] ?? Number.NaN;
  const iqr = q3 - q1;
  return { low: q1 - 1.5 * iqr, high: q3 + 1.5 * iqr };
}

/** Streams `path` (a file, or a folder of JSON Lines files) once and returns its profile. */
export async function profileFile(path: string, options: ProfileOptions = {}): Promise<Profile> {
  const forced = new Set(options.categorical ?? []);
  if (options.label !== undefined) forced.add(options.label);
  if (options.prediction !== undefined) forced.add(options.prediction);
  const maxBins = options.maxBins ?? DEFAULT_MAX_BINS;
  const columns: ColumnAccumulator[] = [];
  let labelIndex = -1;
  let predictionIndex = -1;
  let correct = 0;
  let scored = 0;
  let rowsSoFar = 0;
  const report = await readRows(path, {
    columns(names) {
      for (let i = columns.length; i < names.length; i++) {
        const name = names[i] ?? '';
        const column = new ColumnAccumulator(name, forced.has(name), maxBins);
        // A JSON Lines key that appears late was missing from the rows before it.
        column.missing = rowsSoFar;
        columns.push(column);
        if (name === options.label) labelIndex = i;
        if (name === options.prediction) predictionIndex = i;
      }
    },
    row(row) {
      rowsSoFar++;
      for (let i = 0; i < columns.length; i++) columns[i]?.add(row, i);
      if (labelIndex >= 0 && predictionIndex >= 0 && !row.isMissing(labelIndex) && !row.isMissing(predictionIndex)) {
        scored++;
        if (valueKey(row.text(labelIndex)) === valueKey(row.text(predictionIndex))) correct++;
      }
    },
  }, options.read);
  const rows = report.rows;
  if (rows === 0) throw new ConfigurationError(`${path} has no data rows: a reference profile needs data`);
  const profile: Profile = {
    format: 'mlops-profile',
    version: 1,
    source: { file: capText(basename(path)), format: report.format },
    createdAt: new Date().toISOString(),
    rows,
    columns: columns.map((column) => column.finish(rows)),
    input: inputFindings(report),
  };
  if (options.label !== undefined) profile.label = options.label;
  if (options.prediction !== undefined) profile.prediction = options.prediction;
  if (options.label !== undefined && options.prediction !== undefined && scored > 0) {
    profile.performance = { label: options.label, prediction: options.prediction, accuracy: correct / scored, n: scored };
  }
  return profile;
}

/** Checks that parsed JSON is a profile this version reads; returns a message when it is not. */
export function profileProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const record = value as Partial<Profile>;
  if (record.format !== 'mlops-profile') return 'format is not "mlops-profile" (write one with `mlops profile DATA -o profile.json`)';
  if (record.version !== 1) return `version ${String(record.version)} is not supported (expected 1)`;
  if (!Array.isArray(record.columns) || typeof record.rows !== 'number') return 'columns or rows are missing';
  return undefined;
}
