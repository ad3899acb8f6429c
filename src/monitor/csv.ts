/**
 * A byte-level CSV/TSV parser (RFC 4180: quoted fields, doubled quotes inside them, line breaks inside
 * quotes, CRLF, LF or CR line ends). It records where each field starts and ends in the chunk and hands
 * the row out as a `Row` whose numbers are parsed from the bytes; only cells read as text are decoded.
 * A row cut by the end of a chunk is left for the next call (the caller keeps its bytes).
 *
 * Malformed input is a `ConfigurationError` naming file:line:column: an unclosed quote, or text after a
 * closing quote. A quote inside an unquoted field is kept as a character (pandas and most writers allow it).
 */
import { isUtf8 } from 'node:buffer';
import { ConfigurationError } from '../util/errors.js';
import { capText, FIELD_CAP, isMissingText, parseDecimalBytes, parseNumber, type CellFindings, type Row } from './cells.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The longest field that is decoded whole; longer ones are cut (a UTF-8 character has at most 4 bytes). */
const CAP_BYTES = FIELD_CAP * 4;

export class CsvRow implements Row {
  bytes: Buffer = Buffer.alloc(0);
  length = 0;
  line = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** 1 when the field was quoted and holds doubled quotes to unescape. */
  escaped = new Uint8Array(64);
  /** Decoded texts of this row, valid where `decodedRow[i] === rowId`. */
  private decoded: string[] = [];
  private decodedRow = new Float64Array(64);
  rowId = 0;

  constructor(private readonly findings: CellFindings) {}

  grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.ends = ends;
    const escaped = new Uint8Array(size);
    escaped.set(this.escaped);
    this.escaped = escaped;
    const decodedRow = new Float64Array(size);
    decodedRow.set(this.decodedRow);
    this.decodedRow = decodedRow;
  }

  isMissing(index: number): boolean {
    if (index >= this.length) return true;
    const start = this.starts[index] ?? 0;
    const end = this.ends[index] ?? 0;
    if (start === end) return true;
    const first = this.bytes[start] ?? 0;
    // A digit first: never one of the missing texts.
    if (first >= 48 && first <= 57) return false;
    return isMissingText(this.text(index));
  }

  number(index: number): number {
    if (index >= this.length) return Number.NaN;
    const start = this.starts[index] ?? 0;
    const end = this.ends[index] ?? 0;
    if (start === end) return Number.NaN;
    const value = parseDecimalBytes(this.bytes, start, end);
    if (value === value) return value;
    if (end - start > CAP_BYTES) return Number.NaN;
    const text = this.text(index);
    if (isMissingText(text)) return Number.NaN;
    return parseNumber(text) ?? Number.NaN;
  }

  text(index: number): string {
    if (index >= this.length) return '';
    if (this.decodedRow[index] === this.rowId) return this.decoded[index] ?? '';
    const start = this.starts[index] ?? 0;
    const end = this.ends[index] ?? 0;
    const long = end - start > CAP_BYTES;
    let text = this.bytes.toString('utf8', start, long ? start + CAP_BYTES : end);
    if ((long || text.includes('\uFFFD')) && !isUtf8(this.bytes.subarray(start, end))) this.findings.countInvalidUtf8(index);
    if (this.escaped[index] === 1) text = text.replaceAll('""', '"');
    if (long || text.length > FIELD_CAP) {
      text = capText(long && text.length <= FIELD_CAP ? `${text}\u2026` : text);
      this.findings.countTruncated(index);
    }
    this.decoded[index] = text;
    this.decodedRow[index] = this.rowId;
    return text;
  }
}

/** Where a file's text stands: used for line numbers in messages. */
export interface CsvPosition {
  file: string;
  line: number;
}

/**
 * Parses complete rows of `bytes` from `start`, calling `emit` for each (empty lines skipped). Returns the
 * offset of the first byte not consumed: the start of a row that the chunk cut (all of it when `final`).
 * `position.line` advances with the rows consumed. Parsing stops early, before a row that starts at or
 * after `stopAt`, or after a row for which `emit` returns false.
 */
export function parseCsvRows(bytes: Buffer, start: number, final: boolean, delimiter: number, row: CsvRow, position: CsvPosition, emit: (row: CsvRow) => boolean | void, stopAt = Infinity): number {
  const end = bytes.length;
  row.bytes = bytes;
  let pos = start;
  while (pos < end && pos < stopAt) {
    const rowStart = pos;
    let line = position.line;
    let fields = 0;
    let complete = false;
    // One field per turn; `break` with complete === false means the chunk ended inside the row.
    for (;;) {
      if (fields === row.starts.length) row.grow();
      if (pos < end && bytes[pos] === QUOTE) {
        const opened = pos;
        const openedLine = line;
        let scan = pos + 1;
        let escaped = 0;
        let closed = -1;
        while (scan < end) {
          const code = bytes[scan];
          if (code === QUOTE) {
            if (scan + 1 < end && bytes[scan + 1] === QUOTE) {
              escaped = 1;
              scan += 2;
              continue;
            }
            if (scan + 1 >= end && !final) break;
            closed = scan;
            break;
          }
          if (code === LF) line++;
          scan++;
        }
        if (closed < 0) {
          if (!final) break;
          throw new ConfigurationError(`${position.file}:${openedLine}:${column(bytes, opened)}: unclosed quote: the quoted field opened here runs to the end of the file`);
        }
        row.starts[fields] = opened + 1;
        row.ends[fields] = closed;
        row.escaped[fields] = escaped;
        fields++;
        pos = closed + 1;
        if (pos >= end) {
          if (!final) break;
          complete = true;
          break;
        }
        const next = bytes[pos];
        if (next === delimiter) {
          pos++;
          continue;
        }
        if (next !== LF && next !== CR) {
          throw new ConfigurationError(`${position.file}:${line}:${column(bytes, pos)}: text after a closing quote (a quote inside a quoted field is written twice: "")`);
        }
      } else {
        let scan = pos;
        while (scan < end) {
          const code = bytes[scan];
          if (code === delimiter || code === LF || code === CR) break;
          scan++;
        }
        if (scan >= end && !final) break;
        row.starts[fields] = pos;
        row.ends[fields] = scan;
        row.escaped[fields] = 0;
        fields++;
        pos = scan;
        if (scan >= end) {
          complete = true;
          break;
        }
        if (bytes[scan] === delimiter) {
          pos++;
          continue;
        }
      }
      // At a line end: CRLF, LF or a lone CR.
      if (bytes[pos] === CR) {
        if (pos + 1 >= end && !final) break;
        pos += bytes[pos + 1] === LF ? 2 : 1;
      } else {
        pos++;
      }
      line++;
      complete = true;
      break;
    }
    if (!complete) {
      row.bytes = bytes;
      return rowStart;
    }
    const rowLine = position.line;
    position.line = line;
    // An empty line (one empty unquoted field) is skipped, as pandas and csv-parse do.
    if (fields === 1 && row.starts[0] === row.ends[0] && bytes[rowStart] !== QUOTE) continue;
    row.length = fields;
    row.line = rowLine;
    row.rowId++;
    if (emit(row) === false) return pos;
  }
  return pos;
}

/** 1-based column (in bytes) of `offset` on its line. */
function column(bytes: Buffer, offset: number): number {
  const lineStart = bytes.lastIndexOf(LF, offset - 1);
  return offset - lineStart;
}
