/**
 * drift.json: per-column methods and thresholds, the label and prediction columns, quality and schema
 * limits, the sampling-noise correction; and loading it and the reference profile, for the CLI and the
 * monitor action alike. Documented in src/monitor/README.md.
 */
import { readFile } from 'node:fs/promises';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { profileProblem, type Profile } from './profile.js';

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
  schema: SchemaConfig;
  /** Raise distance thresholds to what sampling noise alone reaches at these sample sizes; false: Evidently's plain thresholds. */
  sampleNoise: SampleNoiseConfig | false;
}

export interface SchemaConfig {
  /** A numeric reference column whose current values are text in more than this share has changed type. */
  maxTextShare: number;
}

export interface SampleNoiseConfig {
  /** Chance that noise alone makes any column drift (split evenly over the columns). */
  alpha: number;
  /** Bootstrap replicates drawn from the reference per column. */
  replicates: number;
}

export const DEFAULT_CONFIG: DriftConfig = {
  datasetDriftShare: 0.5,
  smallSampleSize: 1000,
  maxDistinctForCategorical: 5,
  columns: {},
  quality: { maxMissingShareIncrease: 0.1, maxOutOfRangeShare: 0.05, maxOutlierShareIncrease: 0.05, maxNewCategoryShare: 0, failOnQuality: false },
  schema: { maxTextShare: 0.1 },
  sampleNoise: { alpha: 0.05, replicates: 1000 },
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
  const known = new Set(['datasetDriftShare', 'smallSampleSize', 'maxDistinctForCategorical', 'columns', 'prediction', 'label', 'performance', 'quality', 'schema', 'sampleNoise']);
  for (const key of Object.keys(value)) if (!known.has(key)) throw new ConfigurationError(`${where}: unknown key '${key}' (allowed: ${[...known].join(', ')})`);
  const config: DriftConfig = {
    ...DEFAULT_CONFIG,
    datasetDriftShare: numberField(value, 'datasetDriftShare', where, DEFAULT_CONFIG.datasetDriftShare, [0, 1]),
    smallSampleSize: numberField(value, 'smallSampleSize', where, DEFAULT_CONFIG.smallSampleSize, [0, Number.MAX_SAFE_INTEGER]),
    maxDistinctForCategorical: numberField(value, 'maxDistinctForCategorical', where, DEFAULT_CONFIG.maxDistinctForCategorical, [0, 50]),
    columns: {},
    quality: { ...DEFAULT_CONFIG.quality },
    schema: { ...DEFAULT_CONFIG.schema },
    sampleNoise: DEFAULT_CONFIG.sampleNoise === false ? false : { ...DEFAULT_CONFIG.sampleNoise },
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
  if (value['schema'] !== undefined) {
    const raw = value['schema'];
    if (!isRecord(raw)) throw new ConfigurationError(`${where}.schema must be an object {maxTextShare}`);
    for (const key of Object.keys(raw)) if (key !== 'maxTextShare') throw new ConfigurationError(`${where}.schema: unknown key '${key}' (allowed: maxTextShare)`);
    config.schema.maxTextShare = numberField(raw, 'maxTextShare', `${where}.schema`, config.schema.maxTextShare, [0, 1]);
  }
  if (value['sampleNoise'] !== undefined) {
    const raw = value['sampleNoise'];
    if (raw === false) {
      config.sampleNoise = false;
    } else {
      if (!isRecord(raw)) throw new ConfigurationError(`${where}.sampleNoise must be false or an object {alpha, replicates}`);
      for (const key of Object.keys(raw)) if (key !== 'alpha' && key !== 'replicates') throw new ConfigurationError(`${where}.sampleNoise: unknown key '${key}' (allowed: alpha, replicates)`);
      const defaults = DEFAULT_CONFIG.sampleNoise || { alpha: 0.05, replicates: 1000 };
      const alpha = numberField(raw, 'alpha', `${where}.sampleNoise`, defaults.alpha, [1e-9, 1]);
      const replicates = numberField(raw, 'replicates', `${where}.sampleNoise`, defaults.replicates, [20, 100_000]);
      config.sampleNoise = { alpha, replicates: Math.round(replicates) };
    }
  }
  return config;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read the ${what} ${path}: ${getErrorMessage(error)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigurationError(`the ${what} ${path} is not JSON: ${getErrorMessage(error)}`);
  }
}

/** Reads and checks a reference profile written by `mlops profile`. */
export async function loadProfile(path: string): Promise<Profile> {
  const value = await readJson(path, 'reference profile');
  const problem = profileProblem(value);
  if (problem) throw new ConfigurationError(`${path} is not a reference profile: ${problem}`);
  return value as Profile;
}

/** The drift config at `path`, or the defaults when there is none. */
export async function loadDriftConfig(path: string | undefined): Promise<DriftConfig> {
  return path === undefined ? structuredClone(DEFAULT_CONFIG) : parseDriftConfig(await readJson(path, 'drift config'), path);
}

