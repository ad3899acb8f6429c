/**
 * One streaming pass over the current data, counting into the reference profile's bins and categories:
 * memory bounded by the profile, never by the data.
 */
import { basename } from 'node:path';
import type { DriftConfig } from './config.js';
import { capText, valueKey, type Row } from './cells.js';
import { HistogramView } from './histogram.js';
import { inputFindings, outlierFences, type CategoricalColumnProfile, type InputFindings, type NumericColumnProfile, type Profile } from './profile.js';
import { readRows, type ReadOptions } from './read.js';
import { binIndex } from './stats.js';

/** How many distinct new category names are kept for the report. */
const NEW_CATEGORY_NAMES = 20;

/** Key of the values a reference with exact value counts never had. */
export const NEW_VALUE = Number.NaN;

export class CurrentNumeric {
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
  /** Counts per reference value when the reference kept exact value counts; values it never had under NaN. */
  readonly values: Map<number, number> | undefined;
  readonly view: HistogramView;
  private readonly low: number;
  private readonly high: number;
  private readonly start: number;
  private readonly width: number;
  private readonly refMin: number;
  private readonly refMax: number;
  private readonly edges: readonly number[];

  constructor(readonly reference: NumericColumnProfile) {
    this.view = new HistogramView(reference.histogram, reference.min, reference.max);
    this.bins = new Float64Array(this.view.bins);
    const fences = outlierFences(reference.quantiles);
    this.low = fences.low;
    this.high = fences.high;
    this.start = reference.histogram.start;
    this.width = reference.histogram.width;
    this.refMin = reference.min;
    this.refMax = reference.max;
    this.edges = reference.deciles;
    if (reference.distinct) this.values = new Map(Object.keys(reference.distinct).map((key) => [Number(key), 0]));
  }

  add(value: number): void {
    this.n++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const bin = Math.floor((value - this.start) / this.width);
    if (bin < 0) {
      this.under++;
      this.underDistance += this.start - value;
    } else if (bin >= this.bins.length) {
      this.over++;
      this.overDistance += value - (this.start + this.bins.length * this.width);
    } else {
      this.bins[bin]! += 1;
    }
    this.deciles[binIndex(this.edges, value)]! += 1;
    if (value < this.refMin || value > this.refMax) this.outOfRange++;
    if (value < this.low || value > this.high) this.outliers++;
    const values = this.values;
    if (values) {
      const count = values.get(value);
      // Values the reference never had share one bucket, so memory stays bounded.
      if (count !== undefined) values.set(value, count + 1);
      else values.set(NEW_VALUE, (values.get(NEW_VALUE) ?? 0) + 1);
    }
  }
}

export class CurrentCategorical {
  n = 0;
  missing = 0;
  /** Values that look like numbers (a text reference column keeps no type change; counted for the record). */
  readonly counts = new Map<string, number>();
  unlisted = 0;
  readonly newNames = new Set<string>();

  constructor(readonly reference: CategoricalColumnProfile) {}

  add(key: string): void {
    this.n++;
    if (Object.hasOwn(this.reference.frequencies, key)) {
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    } else {
      this.unlisted++;
      if (this.newNames.size < NEW_CATEGORY_NAMES) this.newNames.add(capText(key));
    }
  }
}

export type CurrentColumn = CurrentNumeric | CurrentCategorical;

export interface CurrentData {
  file: string;
  /** 'folder' for a request-log folder (then `files` says how many files were read). */
  source: 'file' | 'folder';
  files: number;
  rows: number;
  columns: Map<string, CurrentColumn>;
  /** Columns of the current data the reference does not have. */
  extraColumns: string[];
  accuracy?: { correct: number; n: number };
  input: InputFindings;
}

/** Streams the current data once, counting into the reference's bins and categories. */
export async function scanCurrent(path: string, reference: Profile, config: DriftConfig, read: ReadOptions = {}): Promise<CurrentData> {
  const byName = new Map(reference.columns.map((column) => [column.name, column]));
  const columns = new Map<string, CurrentColumn>();
  let numeric: (CurrentNumeric | undefined)[] = [];
  let categorical: (CurrentCategorical | undefined)[] = [];
  const extraColumns: string[] = [];
  const label = config.label ?? reference.label;
  const predictionName = config.prediction ?? reference.prediction;
  let labelIndex = -1;
  let predictionIndex = -1;
  let correct = 0;
  let scored = 0;
  let rowsSoFar = 0;
  const report = await readRows(path, {
    columns(names) {
      numeric = [];
      categorical = [];
      names.forEach((name, index) => {
        if (name === label) labelIndex = index;
        if (name === predictionName) predictionIndex = index;
        let column = columns.get(name);
        if (!column) {
          const profile = byName.get(name);
          if (!profile) {
            if (!extraColumns.includes(name)) extraColumns.push(name);
            return;
          }
          column = profile.type === 'numeric' ? new CurrentNumeric(profile) : new CurrentCategorical(profile);
          // A JSON Lines key that appears late was missing from the rows before it.
          column.missing = rowsSoFar;
          columns.set(name, column);
        }
        if (column instanceof CurrentNumeric) numeric[index] = column;
        else categorical[index] = column;
      });
    },
    row(row: Row) {
      rowsSoFar++;
      for (let i = 0; i < numeric.length; i++) {
        const column = numeric[i];
        if (column === undefined) continue;
        const value = row.number(i);
        if (value === value) {
          column.add(value);
        } else {
          if (!row.isMissing(i)) column.invalid++;
          column.missing++;
        }
      }
      for (let i = 0; i < categorical.length; i++) {
        const column = categorical[i];
        if (column === undefined) continue;
        if (row.isMissing(i)) column.missing++;
        else column.add(valueKey(row.text(i)));
      }
      if (labelIndex >= 0 && predictionIndex >= 0 && !row.isMissing(labelIndex) && !row.isMissing(predictionIndex)) {
        scored++;
        if (valueKey(row.text(labelIndex)) === valueKey(row.text(predictionIndex))) correct++;
      }
    },
    uses: (index) => numeric[index] !== undefined || categorical[index] !== undefined || index === labelIndex || index === predictionIndex,
  }, read);
  const data: CurrentData = {
    file: capText(basename(path)),
    source: report.source,
    files: report.files.length,
    rows: report.rows,
    columns,
    extraColumns,
    input: inputFindings(report),
  };
  if (labelIndex >= 0 && predictionIndex >= 0) data.accuracy = { correct, n: scored };
  return data;
}
