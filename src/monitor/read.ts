/**
 * Streams the rows of a CSV (header row first) or JSON Lines file, optionally gzip-compressed, to a
 * callback: one pass, one row in memory at a time. The format follows the file name (.csv, .tsv,
 * .jsonl, .ndjson, each optionally .gz).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';

export type DataFormat = 'csv' | 'tsv' | 'jsonl';

/** A cell as read: text (CSV, or a JSON string/number/boolean written as text), or undefined when absent. */
export type Cell = string | undefined;

/** Texts read as a missing value (pandas' default NA strings, the common ones). */
const MISSING = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '-NaN', '-nan', '<NA>']);

export function isMissing(cell: Cell): cell is undefined {
  return cell === undefined || MISSING.has(cell) || MISSING.has(cell.trim());
}

export function formatOf(path: string): DataFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.tsv')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  throw new ConfigurationError(`cannot tell the format of ${path}: name it .csv, .tsv, .jsonl or .ndjson (optionally .gz)`);
}

export interface RowSink {
  /** Column names, in order; called again for JSON Lines when a row brings new keys (the list only grows). */
  columns(names: readonly string[]): void;
  /** One row, cells in the order of the columns given so far. */
  row(cells: readonly Cell[]): void;
}

async function open(path: string): Promise<Readable> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ConfigurationError(`${path} is not a file`);
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`cannot read ${path}: ${getErrorMessage(error)}`);
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  return path.toLowerCase().endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
}

function jsonCell(value: unknown): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Reads the whole file into `sink`; resolves to the number of data rows. */
export async function readRows(path: string, sink: RowSink): Promise<number> {
  const format = formatOf(path);
  const input = await open(path);
  let rows = 0;
  if (format === 'jsonl') {
    const names: string[] = [];
    const positions = new Map<string, number>();
    const lines = createInterface({ input, crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new ConfigurationError(`${path}:${lineNumber}: not JSON (${getErrorMessage(error)})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigurationError(`${path}:${lineNumber}: each line must be a JSON object`);
      const record = value as Record<string, unknown>;
      let grew = false;
      for (const key of Object.keys(record)) {
        if (!positions.has(key)) {
          positions.set(key, names.length);
          names.push(key);
          grew = true;
        }
      }
      if (grew) sink.columns(names);
      const cells: Cell[] = new Array<Cell>(names.length);
      for (const [key, cell] of Object.entries(record)) cells[positions.get(key) ?? 0] = jsonCell(cell);
      sink.row(cells);
      rows++;
    }
    return rows;
  }
  const parser = input.pipe(parse({ delimiter: format === 'tsv' ? '\t' : ',', bom: true, relax_column_count: true, skip_empty_lines: true }));
  let header = true;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header) {
        header = false;
        const seen = new Set<string>();
        for (const name of record) {
          if (seen.has(name)) throw new ConfigurationError(`${path}: the header names column '${name}' twice`);
          seen.add(name);
        }
        sink.columns(record);
        continue;
      }
      sink.row(record);
      rows++;
    }
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError(`${path}: ${getErrorMessage(error)}`);
  }
  if (header) throw new ConfigurationError(`${path} is empty: a CSV file needs a header row`);
  return rows;
}
