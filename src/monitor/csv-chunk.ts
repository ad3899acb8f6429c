/**
 * One chunk of a CSV/TSV file parsed on its own (in a worker thread, see parallel-read.ts): the rows that
 * start inside a byte range, handed back as column values (numbers parsed from the bytes, the texts of the
 * cells that are not numbers) in the order of the file, so that the thread that reads them feeds them to
 * the same profile and drift code, row by row, as one thread would: the results are the same to the bit.
 *
 * A chunk other than the first does not know whether its first byte is inside a quoted field; it guesses
 * that its first row starts after the first line break in it. The reading thread checks every guess
 * against where the chunk before it really stopped, and reads on itself from there when a guess was
 * wrong (a quoted line break) or a chunk failed (so that the message names the right line).
 */
import { open } from 'node:fs/promises';
import { CellFindings, type Row } from './cells.js';
import { CsvRow, parseCsvRows } from './csv.js';

/** A row longer than this is refused (as read.ts does). */
const MAX_ROW_BYTES = 64 << 20;
const READ_AHEAD = 64 << 10;
const LF = 10;
const CR = 13;

/** How a cell came out: a number, missing (or a column nobody reads), or text (not a number). */
export const NUMBER = 0;
export const MISSING = 1;
export const TEXT = 2;

export interface ChunkTask {
  id: number;
  path: string;
  delimiter: number;
  /** Fields in the header: longer rows are cut to it, shorter ones read as missing past their end. */
  width: number;
  /** Columns the consumer reads; the others are not decoded (nor checked), as with one thread. */
  used: boolean[];
  /** The rows of the chunk are those starting in [start, end). */
  start: number;
  end: number;
  /** `start` is known to be where a row starts (the first chunk: just after the header). */
  exact: boolean;
}

export interface ChunkResult {
  id: number;
  /** Where the chunk took its first row to start. */
  startedAt: number;
  /** Where the first row at or after `end` starts (the file's size at its end). */
  stoppedAt: number;
  /** Line breaks consumed (the line numbers of the rows after it move on by this many). */
  lines: number;
  rows: number;
  /** rows × width cells: the number, or for TEXT the index of the text in `texts` (each distinct text once). */
  values: Float64Array;
  kinds: Uint8Array;
  texts: string[];
  /** Line of each row, 1 being the chunk's first line. */
  rowLines: Int32Array;
  raggedRows: number;
  firstRagged?: { line: number; fields: number };
  invalidUtf8: number[];
  truncated: number[];
  /** Set when the chunk could not be read: the reading thread then reads it itself for the message. */
  error?: string;
}

/** Where the first line of `buffer[from, filled)` starts after a line break; -1 when none is in it yet. */
function lineStart(buffer: Buffer, from: number, filled: number, eof: boolean): number {
  for (let i = from; i < filled; i++) {
    const code = buffer[i];
    if (code === LF) return i + 1;
    if (code === CR) {
      if (i + 1 >= filled) return eof ? i + 1 : -1;
      return buffer[i + 1] === LF ? i + 2 : i + 1;
    }
  }
  return eof ? filled : -1;
}

/** Arrays a reading thread handed back once it had read a chunk: the next chunk fills them again. */
export interface SpareArrays {
  values: Float64Array;
  kinds: Uint8Array;
  rowLines: Int32Array;
}

const spares: SpareArrays[] = [];
/** The read buffer, kept from one chunk to the next (a worker parses one chunk at a time). */
let spareBuffer: Buffer | undefined;

/** Keeps arrays handed back for the next chunks (two sets at most: the chunks a worker has in flight). */
export function recycle(arrays: SpareArrays): void {
  if (spares.length < 2) spares.push(arrays);
}

export async function parseChunk(task: ChunkTask): Promise<ChunkResult> {
  const { width, used } = task;
  // A guessed start looks at the byte before the range: the range may begin just after a line break.
  const base = task.exact ? task.start : task.start - 1;
  const handle = await open(task.path, 'r');
  try {
    const wanted = task.end - base + READ_AHEAD;
    let buffer = spareBuffer !== undefined && spareBuffer.length >= wanted ? spareBuffer : Buffer.allocUnsafe(wanted);
    let filled = 0;
    let eof = false;
    const readMore = async (): Promise<void> => {
      if (filled === buffer.length) {
        const next = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(next, 0, 0, filled);
        buffer = next;
      }
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, base + filled);
      if (bytesRead === 0) eof = true;
      filled += bytesRead;
    };
    while (!eof && filled < task.end - base) await readMore();
    let first = 0;
    if (!task.exact) {
      for (first = lineStart(buffer, 0, filled, eof); first < 0; first = lineStart(buffer, 0, filled, eof)) await readMore();
    }
    const stop = task.end - base;
    const findings = new CellFindings();
    const builder = new ChunkBuilder(width, used);
    const result: ChunkResult = { id: task.id, startedAt: base + first, stoppedAt: 0, lines: 0, rows: 0, values: builder.values, kinds: builder.kinds, texts: builder.texts, rowLines: builder.rowLines, raggedRows: 0, invalidUtf8: [], truncated: [] };
    const emit = (row: CsvRow): void => {
      if (row.length !== width) {
        if (result.raggedRows === 0) result.firstRagged = { line: row.line, fields: row.length };
        result.raggedRows++;
        if (row.length > width) row.length = width;
      }
      builder.add(row);
    };
    const row = new CsvRow(findings);
    const position = { file: task.path, line: 1 };
    let pos = first;
    for (;;) {
      pos = parseCsvRows(buffer.subarray(0, filled), pos, eof, task.delimiter, row, position, emit, stop);
      if (pos >= stop || (eof && pos >= filled)) break;
      if (filled - pos > MAX_ROW_BYTES) throw new Error(`a row runs over ${MAX_ROW_BYTES >> 20} MB`);
      await readMore();
    }
    spareBuffer = buffer;
    result.stoppedAt = base + pos;
    result.lines = position.line - 1;
    result.rows = builder.rows;
    result.values = builder.values;
    result.kinds = builder.kinds;
    result.rowLines = builder.rowLines;
    result.invalidUtf8 = findings.invalidUtf8;
    result.truncated = findings.truncated;
    return result;
  } finally {
    await handle.close();
  }
}

/** The rows of a chunk as column arrays, grown as rows come (a class: its fields stay monomorphic). */
class ChunkBuilder {
  rows = 0;
  capacity = 1024;
  values: Float64Array;
  kinds: Uint8Array;
  rowLines: Int32Array;
  readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();

  constructor(
    private readonly width: number,
    private readonly used: boolean[],
  ) {
    const spare = spares.pop();
    if (spare && spare.rowLines.length > 0 && spare.values.length === spare.rowLines.length * width && spare.kinds.length === spare.values.length) {
      this.capacity = spare.rowLines.length;
      this.values = spare.values;
      this.kinds = spare.kinds;
      this.rowLines = spare.rowLines;
    } else {
      this.values = new Float64Array(this.capacity * width);
      this.kinds = new Uint8Array(this.capacity * width);
      this.rowLines = new Int32Array(this.capacity);
    }
  }

  private grow(): void {
    this.capacity *= 2;
    const values = new Float64Array(this.capacity * this.width);
    values.set(this.values);
    this.values = values;
    const kinds = new Uint8Array(this.capacity * this.width);
    kinds.set(this.kinds);
    this.kinds = kinds;
    const rowLines = new Int32Array(this.capacity);
    rowLines.set(this.rowLines);
    this.rowLines = rowLines;
  }

  /**
   * The same calls, in the same order, as the one-thread consumers make: the same cells are decoded, so
   * the same invalid UTF-8 and cut values are counted.
   */
  add(row: CsvRow): void {
    if (this.rows === this.capacity) this.grow();
    const width = this.width;
    const values = this.values;
    const kinds = this.kinds;
    const offset = this.rows * width;
    for (let i = 0; i < width; i++) {
      const cell = offset + i;
      if (this.used[i] !== true) {
        kinds[cell] = MISSING;
        continue;
      }
      const value = row.number(i);
      if (value === value) {
        values[cell] = value;
        kinds[cell] = NUMBER;
      } else if (row.isMissing(i)) {
        kinds[cell] = MISSING;
      } else {
        // Each distinct text once per chunk: category columns repeat a few texts, and strings kept alive
        // until the chunk is posted cost the garbage collector (and the copy to the reading thread) most.
        const text = row.text(i);
        let index = this.textIndex.get(text);
        if (index === undefined) {
          index = this.texts.length;
          this.texts.push(text);
          this.textIndex.set(text, index);
        }
        values[cell] = index;
        kinds[cell] = TEXT;
      }
    }
    this.rowLines[this.rows] = row.line;
    this.rows++;
  }
}

/** A row of a parsed chunk, read by the same `Row` calls as a row of the file. */
export class ChunkRow implements Row {
  length: number;
  line = 0;
  private chunk: ChunkResult | undefined;
  private offset = 0;

  constructor(readonly width: number) {
    this.length = width;
  }

  at(chunk: ChunkResult, index: number, firstLine: number): void {
    this.chunk = chunk;
    this.offset = index * this.width;
    this.line = firstLine + (chunk.rowLines[index] ?? 1) - 1;
  }

  isMissing(index: number): boolean {
    return index >= this.width || this.chunk?.kinds[this.offset + index] === MISSING;
  }

  number(index: number): number {
    if (index >= this.width || this.chunk?.kinds[this.offset + index] !== NUMBER) return Number.NaN;
    return this.chunk.values[this.offset + index] ?? Number.NaN;
  }

  /**
   * The text of a TEXT cell; a number's canonical text (String(value): every consumer keys numbers by it,
   * see valueKey); '' for a missing cell (consumers ask isMissing first).
   */
  text(index: number): string {
    const chunk = this.chunk;
    if (index >= this.width || chunk === undefined) return '';
    const cell = this.offset + index;
    const kind = chunk.kinds[cell];
    if (kind === NUMBER) return String(chunk.values[cell]);
    if (kind === TEXT) return chunk.texts[chunk.values[cell] ?? 0] ?? '';
    return '';
  }
}
