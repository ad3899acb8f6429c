/**
 * What the readers hand to the profile and drift code: one row at a time through the `Row` interface, so
 * that a numeric cell of a CSV file becomes a number straight from its bytes (no string per cell) and only
 * the cells that are text are decoded. Also the per-column counters of data-quality findings that the
 * readers collect (invalid UTF-8, values over the size cap) and the shared rules for missing values and
 * numbers.
 */

/** Values longer than this (UTF-16 code units) are cut here, with an ellipsis, in every output. */
export const FIELD_CAP = 256;

/** Texts read as a missing value (pandas' default NA strings, the common ones). */
export const MISSING_TEXTS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', '-NaN', '-nan', '<NA>']);

export function isMissingText(text: string): boolean {
  const length = text.length;
  if (length === 0) return true;
  if (length <= 4 && MISSING_TEXTS.has(text)) return true;
  // Only text with white space (ASCII or not) at either end can trim down to a missing text.
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(length - 1);
  if (first > 32 && first < 127 && last > 32 && last < 127) return false;
  return MISSING_TEXTS.has(text.trim());
}

/** Number of a text, or undefined when it is not a finite number. */
export function parseNumber(text: string): number | undefined {
  const value = Number(text);
  return Number.isFinite(value) && text.trim() !== '' ? value : undefined;
}

/** The key under which a numeric value or category is counted (1, 1.0 and 1e0 are one value). */
export function valueKey(text: string): string {
  const value = parseNumber(text);
  return value === undefined ? text : String(value);
}

/** Cuts `text` to FIELD_CAP code units (never inside a surrogate pair) and marks the cut. */
export function capText(text: string): string {
  if (text.length <= FIELD_CAP) return text;
  let end = FIELD_CAP;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** One row as read. The object is reused for the next row: read what you need before returning. */
export interface Row {
  /** Cells in this row (a short row has fewer than the header; the cells after it are missing). */
  readonly length: number;
  /** Line (1-based) of the file on which the row starts. */
  readonly line: number;
  /** Empty, one of MISSING_TEXTS, JSON null, an absent key, or past the end of a short row. */
  isMissing(index: number): boolean;
  /** The cell as a finite number; NaN when it is missing or not a number (tell them apart with isMissing). */
  number(index: number): number;
  /** The cell as text (unescaped, cut at FIELD_CAP); '' past the end of the row. */
  text(index: number): string;
}

/** Per-column counters the readers fill, by column index. */
export class CellFindings {
  readonly invalidUtf8: number[] = [];
  readonly truncated: number[] = [];
  /** Invalid UTF-8 that no column holds (in a JSON key, say). */
  otherInvalidUtf8 = 0;

  countInvalidUtf8(index: number): void {
    if (index < 0) this.otherInvalidUtf8++;
    else this.invalidUtf8[index] = (this.invalidUtf8[index] ?? 0) + 1;
  }

  countTruncated(index: number): void {
    this.truncated[index] = (this.truncated[index] ?? 0) + 1;
  }
}

/** The fast path of number parsing: `[+-]digits[.digits][e[+-]digits]` with at most 15 significant digits. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Parses a decimal number from bytes, correctly rounded (Clinger's fast path: an integer mantissa below
 * 2^53 times or divided by an exact power of ten rounds once, as `Number(text)` does). Returns NaN when the
 * bytes are not in the fast grammar; the caller then decodes the text and uses `parseNumber`.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  let position = start;
  let negative = false;
  let code = bytes[position] ?? 0;
  if (code === 45) {
    negative = true;
    position++;
  } else if (code === 43) {
    position++;
  }
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (position < end) {
    const digit = (bytes[position] ?? 0) - 48;
    if (digit < 0 || digit > 9) break;
    if (digits > 0 || digit !== 0) digits++;
    mantissa = mantissa * 10 + digit;
    any = true;
    position++;
  }
  if (position < end && bytes[position] === 46) {
    position++;
    while (position < end) {
      const digit = (bytes[position] ?? 0) - 48;
      if (digit < 0 || digit > 9) break;
      if (digits > 0 || digit !== 0) digits++;
      mantissa = mantissa * 10 + digit;
      scale--;
      any = true;
      position++;
    }
  }
  if (!any || digits > 15) return Number.NaN;
  if (position < end) {
    code = bytes[position] ?? 0;
    if ((code | 32) !== 101) return Number.NaN;
    position++;
    let exponentNegative = false;
    code = bytes[position] ?? 0;
    if (code === 45 || code === 43) {
      exponentNegative = code === 45;
      position++;
    }
    let exponent = 0;
    let exponentDigits = 0;
    while (position < end) {
      const digit = (bytes[position] ?? 0) - 48;
      if (digit < 0 || digit > 9 || exponent > 1000) return Number.NaN;
      exponent = exponent * 10 + digit;
      exponentDigits++;
      position++;
    }
    if (exponentDigits === 0) return Number.NaN;
    scale += exponentNegative ? -exponent : exponent;
  }
  let value: number;
  if (scale === 0) value = mantissa;
  else if (scale < 0) {
    if (scale < -22) return Number.NaN;
    value = mantissa / (POW10[-scale] ?? 1);
  } else {
    if (scale > 22) return Number.NaN;
    value = mantissa * (POW10[scale] ?? 1);
  }
  return negative ? -value : value;
}
