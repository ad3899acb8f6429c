/**
 * Streams the rows of a data source to a sink, one pass, one row in memory at a time: a CSV/TSV file
 * (header row first; byte-level parser in csv.ts), a JSON Lines file, either optionally gzip-compressed, or
 * a folder of JSON Lines files (an endpoint's request log) read in name order. The format follows the file
 * name (.csv, .tsv, .jsonl, .ndjson, each optionally .gz).
 *
 * Input that cannot be read is a `ConfigurationError` naming the file and where (line, or how far the
 * gzip data got). What can be read but is not clean (ragged rows, invalid UTF-8, values over the size
 * cap, a request-log line still being written) is counted in the `ReadReport`, never fixed silently.
 */
import { isUtf8 } from 'node:buffer';
import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { capText, CellFindings, FIELD_CAP, isMissingText, parseNumber, type Row } from './cells.js';
import { CsvRow, parseCsvRows } from './csv.js';
import type { ChunkResult } from './csv-chunk.js';
import { parallelWorkers, readChunks, type ReadOptions } from './parallel-read.js';

export type DataFormat = 'csv' | 'tsv' | 'jsonl';
export type { Row } from './cells.js';
export type { ReadOptions } from './parallel-read.js';

/** A row longer than this is refused (almost always an unclosed quote swallowing the file). */
export const MAX_ROW_BYTES = 64 << 20;

const CHUNK_BYTES = 1 << 20;
const LF = 10;

export function formatOf(path: string): DataFormat {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.tsv')) return 'tsv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  throw new ConfigurationError(`cannot tell the format of ${path}: name it .csv, .tsv, .jsonl or .ndjson (optionally .gz), or give a folder of .jsonl files`);
}

export interface RowSink {
  /** Column names, in order; called again for JSON Lines when a row brings new keys (the list only grows). */
  columns(names: readonly string[]): void;
  /** One row, cells in the order of the columns given so far. */
  row(row: Row): void;
  /** Whether the sink reads column `index` at all (default: yes); a parallel reader skips the others. */
  uses?(index: number): boolean;
}

export interface ReadReport {
  /** Data rows read (header excluded). */
  rows: number;
  /** 'folder' for a folder of JSON Lines files (a request log). */
  source: 'file' | 'folder';
  format: DataFormat;
  /** The files read, in order. */
  files: string[];
  /** CSV rows whose number of fields differs from the header's (missing cells read as missing, extra ones dropped). */
  raggedRows: number;
  /** Where the first ragged row is, as file:line (fields found / expected). */
  firstRagged?: string;
  /** Cells with bytes that are not UTF-8 (decoded with U+FFFD), by column; '*' for ones no column holds. */
  invalidUtf8: Record<string, number>;
  /** Values longer than FIELD_CAP characters, cut in every output, by column. */
  truncated: Record<string, number>;
  /** Last lines of request-log files cut short (still being written), skipped. */
  incompleteLines: number;
}

/** The message for an error met while reading `path` at `line`; errors that are not about the input are rethrown as they are. */
function readError(error: unknown, path: string, line: number): unknown {
  if (error instanceof ConfigurationError) return error;
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  const message = getErrorMessage(error);
  if (code.startsWith('Z_') || /incorrect header check|unexpected end of file|invalid (block|distance|code|stored)/i.test(message)) {
    if (/incorrect header check/i.test(message)) return new ConfigurationError(`${path}: not gzip data, though the name ends in .gz (decompress it, or drop the .gz)`);
    if (/unexpected end of file/i.test(message)) return new ConfigurationError(`${path}:${line}: the gzip data ends early (a truncated file?)`);
    return new ConfigurationError(`${path}:${line}: corrupt gzip data (${message})`);
  }
  if (['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'EIO', 'ELOOP', 'ENOTDIR', 'EMFILE'].includes(code)) return new ConfigurationError(`cannot read ${path}: ${message}`);
  return error;
}

/** Something to read bytes from: a plain file read straight into the caller's buffer, or gunzip's chunks. */
interface ByteSource {
  /** Appends bytes to `target` at `offset` (growing it through `grow` if a chunk does not fit); 0 at the end. */
  read(target: Buffer, offset: number, grow: (needed: number) => Buffer): Promise<number>;
  close(): Promise<void>;
}

async function openSource(path: string, from: number): Promise<ByteSource> {
  let handle;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) throw new ConfigurationError(`cannot read ${path}: not a file`);
  } catch (error) {
    await handle?.close();
    throw readError(error, path, 0);
  }
  const file = handle;
  if (!path.toLowerCase().endsWith('.gz')) {
    let position = from;
    return {
      async read(target, offset) {
        const { bytesRead } = await file.read(target, offset, target.length - offset, position);
        position += bytesRead;
        return bytesRead;
      },
      close: () => file.close(),
    };
  }
  if (from !== 0) throw new Error(`${path}: a gzip stream is read from its start only`);
  const raw = file.createReadStream({ highWaterMark: CHUNK_BYTES, autoClose: false });
  const gunzip = createGunzip({ chunkSize: 256 << 10 });
  // pipeline passes a read error of the file on to the gunzip stream, which is read below.
  pipeline(raw, gunzip, () => undefined);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    async read(target, offset, grow) {
      const next = await chunks.next();
      if (next.done === true) return 0;
      const chunk = next.value;
      const into = offset + chunk.length > target.length ? grow(offset + chunk.length) : target;
      chunk.copy(into, offset);
      return chunk.length;
    },
    async close() {
      gunzip.destroy();
      raw.destroy();
      await file.close();
    },
  };
}

/**
 * Feeds the bytes of `path` to `consume(bytes, final)`, which returns how many bytes it used; the rest (a
 * row cut by the end of what was read) moves to the front of one reused buffer and the next read goes
 * after it, so no chunk is copied for a plain file. A long row is read on until the buffer holds twice
 * as much as before, so that it is not re-scanned once per chunk.
 */
async function feed(path: string, consume: (bytes: Buffer, final: boolean) => number, where: () => number, from = 0): Promise<void> {
  const source = await openSource(path, from);
  let work = Buffer.allocUnsafe(2 * CHUNK_BYTES);
  let filled = 0;
  let need = 0;
  let first = from === 0;
  const grow = (needed: number): Buffer => {
    const next = Buffer.allocUnsafe(Math.max(needed, 2 * work.length));
    work.copy(next, 0, 0, filled);
    work = next;
    return work;
  };
  try {
    for (;;) {
      let more = true;
      do {
        if (work.length - filled < CHUNK_BYTES) grow(filled + CHUNK_BYTES);
        const read = await source.read(work, filled, grow);
        filled += read;
        more = read > 0;
      } while (more && filled < need);
      if (first && filled >= 3) {
        first = false;
        // The UTF-8 byte order mark some editors write.
        if (work[0] === 0xef && work[1] === 0xbb && work[2] === 0xbf) {
          work.copyWithin(0, 3, filled);
          filled -= 3;
        }
      }
      const used = consume(work.subarray(0, filled), !more);
      if (!more) return;
      work.copyWithin(0, used, filled);
      filled -= used;
      need = filled > CHUNK_BYTES ? 2 * filled : 0;
      if (filled > MAX_ROW_BYTES) throw new ConfigurationError(`${path}:${where()}: a row runs over ${MAX_ROW_BYTES >> 20} MB without ending (an unclosed quote?)`);
    }
  } catch (error) {
    throw readError(error, path, where());
  } finally {
    await source.close();
  }
}

class JsonRow implements Row {
  values: unknown[] = [];
  length = 0;
  line = 0;

  constructor(private readonly findings: CellFindings) {}

  isMissing(index: number): boolean {
    const value = this.values[index];
    return value === undefined || value === null || (typeof value === 'string' && isMissingText(value));
  }

  number(index: number): number {
    const value = this.values[index];
    if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
    if (typeof value === 'string') return isMissingText(value) ? Number.NaN : (parseNumber(value) ?? Number.NaN);
    return Number.NaN;
  }

  text(index: number): string {
    const value = this.values[index];
    if (value === undefined || value === null) return '';
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    if (text.length <= FIELD_CAP) return text;
    this.findings.countTruncated(index);
    return capText(text);
  }
}

interface JsonState {
  names: string[];
  positions: Map<string, number>;
}

async function readJsonLines(path: string, state: JsonState, sink: RowSink, report: ReadReport, findings: CellFindings, tolerateCutLastLine: boolean): Promise<void> {
  const row = new JsonRow(findings);
  let line = 0;
  const consume = (bytes: Buffer, final: boolean): number => {
    let pos = 0;
    while (pos < bytes.length) {
      let end = bytes.indexOf(LF, pos);
      const cut = end < 0;
      if (cut) {
        if (!final) return pos;
        end = bytes.length;
      }
      line++;
      const text = bytes.toString('utf8', pos, end);
      const start = pos;
      pos = end + 1;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        if (cut && tolerateCutLastLine) {
          report.incompleteLines++;
          continue;
        }
        throw new ConfigurationError(`${path}:${line}: not JSON (${getErrorMessage(error)})`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigurationError(`${path}:${line}: each line must be a JSON object`);
      const record = value as Record<string, unknown>;
      const invalid = text.includes('\uFFFD') && !isUtf8(bytes.subarray(start, end));
      let grew = false;
      for (const key of Object.keys(record)) {
        if (!state.positions.has(key)) {
          state.positions.set(key, state.names.length);
          state.names.push(capText(key));
          grew = true;
        }
      }
      if (grew) sink.columns(state.names);
      const values = new Array<unknown>(state.names.length);
      let attributed = false;
      for (const key in record) {
        const index = state.positions.get(key) ?? 0;
        const cell = record[key];
        values[index] = cell;
        if (invalid && typeof cell === 'string' && cell.includes('\uFFFD')) {
          findings.countInvalidUtf8(index);
          attributed = true;
        }
      }
      if (invalid && !attributed) findings.countInvalidUtf8(-1);
      row.values = values;
      row.length = values.length;
      row.line = line;
      report.rows++;
      sink.row(row);
    }
    return pos;
  };
  await feed(path, consume, () => line + 1);
}

/** Header names of a CSV row, checked for duplicates. */
function headerNames(path: string, header: CsvRow): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < header.length; i++) {
    const name = header.text(i);
    if (seen.has(name)) throw new ConfigurationError(`${path}:${header.line}: the header names column '${name}' twice`);
    seen.add(name);
    names.push(name);
  }
  return names;
}

/** The header row of a plain file (for the parallel reader): its names, and where the data starts. */
async function readHeader(path: string, delimiter: number, findings: CellFindings): Promise<{ names: string[]; end: number; line: number } | undefined> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(64 << 10);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      filled += bytesRead;
      const final = bytesRead === 0;
      const bom = filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
      const position = { file: path, line: 1 };
      let names: string[] | undefined;
      let line = 1;
      const end = parseCsvRows(buffer.subarray(0, filled), bom, final, delimiter, new CsvRow(findings), position, (row) => {
        names = headerNames(path, row);
        line = position.line;
        return false;
      });
      if (names) return { names, end, line };
      // No header row within the first 64 MB, or none at all: the one-thread reader says what is wrong.
      if (final || filled >= MAX_ROW_BYTES) return undefined;
      if (filled === buffer.length) {
        const next = Buffer.allocUnsafe(buffer.length * 4);
        buffer.copy(next, 0, 0, filled);
        buffer = next;
      }
    }
  } finally {
    await handle.close();
  }
}

async function readCsv(path: string, delimiter: number, sink: RowSink, report: ReadReport, findings: CellFindings, options: ReadOptions): Promise<void> {
  const row = new CsvRow(findings);
  const position = { file: path, line: 1 };
  let width = -1;
  let from = 0;
  const size = path.toLowerCase().endsWith('.gz') ? 0 : (await stat(path)).size;
  const workers = parallelWorkers(size, options);
  if (workers > 0) {
    let header: Awaited<ReturnType<typeof readHeader>>;
    try {
      header = await readHeader(path, delimiter, findings);
    } catch (error) {
      throw readError(error, path, 1);
    }
    if (header) {
      width = header.names.length;
      sink.columns(header.names);
      const used = header.names.map((_, index) => sink.uses?.(index) ?? true);
      const deliver = (chunk: ChunkResult, chunkRow: Parameters<Parameters<typeof readChunks>[3]>[1], firstLine: number): void => {
        if (chunk.raggedRows > 0) {
          if (report.raggedRows === 0 && chunk.firstRagged) report.firstRagged = `${path}:${firstLine + chunk.firstRagged.line - 1} (${chunk.firstRagged.fields} fields, the header has ${width})`;
          report.raggedRows += chunk.raggedRows;
        }
        chunk.invalidUtf8.forEach((count, index) => {
          if (count > 0) findings.invalidUtf8[index] = (findings.invalidUtf8[index] ?? 0) + count;
        });
        chunk.truncated.forEach((count, index) => {
          if (count > 0) findings.truncated[index] = (findings.truncated[index] ?? 0) + count;
        });
        for (let index = 0; index < chunk.rows; index++) {
          chunkRow.at(chunk, index, firstLine);
          report.rows++;
          sink.row(chunkRow);
        }
      };
      const stopped = await readChunks({ path, delimiter, width, used, size, start: header.end, line: header.line }, workers, options, deliver);
      if (stopped.offset >= size) return;
      from = stopped.offset;
      position.line = stopped.line;
    }
  }
  const emit = (current: CsvRow): void => {
    if (width < 0) {
      const names = headerNames(path, current);
      width = names.length;
      sink.columns(names);
      return;
    }
    if (current.length !== width) {
      if (report.raggedRows === 0) report.firstRagged = `${path}:${current.line} (${current.length} fields, the header has ${width})`;
      report.raggedRows++;
      if (current.length > width) current.length = width;
    }
    report.rows++;
    sink.row(current);
  };
  await feed(path, (bytes, final) => parseCsvRows(bytes, 0, final, delimiter, row, position, emit), () => position.line, from);
  if (width < 0) throw new ConfigurationError(`${path} is empty: a CSV file needs a header row`);
}

/** The files of a request-log folder, in name order. */
async function folderFiles(path: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch (error) {
    throw readError(error, path, 0);
  }
  const files = names.filter((name) => /\.(jsonl|ndjson)(\.gz)?$/i.test(name)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0) throw new ConfigurationError(`${path} is a folder without .jsonl or .jsonl.gz files (a request log holds them)`);
  return files.map((name) => join(path, name));
}

/** Reads the whole source into `sink` and reports what it found. */
export async function readRows(path: string, sink: RowSink, options: ReadOptions = {}): Promise<ReadReport> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (error) {
    throw readError(error, path, 0);
  }
  const folder = info.isDirectory();
  const files = folder ? await folderFiles(path) : [path];
  const format = folder ? 'jsonl' : formatOf(path);
  const report: ReadReport = { rows: 0, source: folder ? 'folder' : 'file', format, files, raggedRows: 0, invalidUtf8: {}, truncated: {}, incompleteLines: 0 };
  const findings = new CellFindings();
  let names: readonly string[] = [];
  const tracking: RowSink = {
    columns(next) {
      names = next;
      sink.columns(next);
    },
    row: (row) => sink.row(row),
  };
  if (sink.uses) tracking.uses = (index) => sink.uses?.(index) ?? true;
  if (format === 'jsonl') {
    const state: JsonState = { names: [], positions: new Map() };
    for (const file of files) await readJsonLines(file, state, tracking, report, findings, folder);
  } else {
    await readCsv(path, format === 'tsv' ? 9 : 44, tracking, report, findings, options);
  }
  const byName = (counts: number[], other: number): Record<string, number> => {
    const result: Record<string, number> = {};
    counts.forEach((count, index) => {
      if (count > 0) result[names[index] ?? '*'] = count;
    });
    if (other > 0) result['*'] = (result['*'] ?? 0) + other;
    return result;
  };
  report.invalidUtf8 = byName(findings.invalidUtf8, findings.otherInvalidUtf8);
  report.truncated = byName(findings.truncated, 0);
  return report;
}
