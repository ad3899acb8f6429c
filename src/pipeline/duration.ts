/**
 * Durations as valohai-yaml reads them (`utils/duration.py`): an integer is seconds; a string is a
 * sequence of `<number><suffix>` where only the suffix's first letter counts (s, m, h, d, w).
 */
const SUFFIX_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const PART = /([.\d]+)\s*([a-zA-Z]*)/g;

export class DurationError extends Error {
  override name = 'DurationError';
}

/** Seconds, or undefined for "not set" (null or a blank string). Throws DurationError when malformed. */
export function parseDuration(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value <= 0) throw new DurationError(`duration ${value} must be a positive whole number of seconds`);
    return value;
  }
  if (typeof value !== 'string') throw new DurationError(`duration must be seconds or a string like "1h 30m", got ${typeof value}`);
  const text = value.trim();
  if (text === '') return undefined;
  let total = 0;
  let consumed = '';
  for (const match of text.matchAll(PART)) {
    const [whole, digits = '', suffix = ''] = match;
    const amount = Number(digits);
    if (!Number.isFinite(amount)) throw new DurationError(`"${whole}" is not a number in duration "${text}"`);
    // A bare number inside a string means seconds; valohai-yaml crashes on it, which helps nobody.
    const unit = suffix === '' ? 's' : suffix[0]?.toLowerCase() ?? 's';
    const seconds = SUFFIX_SECONDS[unit];
    if (seconds === undefined) throw new DurationError(`unknown duration suffix in "${whole}" (use s, m, h, d or w)`);
    total += amount * seconds;
    consumed += whole;
  }
  const leftover = text.replace(PART, '').replace(/[\s,]+/g, '');
  if (leftover !== '') throw new DurationError(`cannot read "${leftover}" in duration "${text}" (write e.g. "1h 30m 5s")`);
  if (!(total > 0) || consumed === '') throw new DurationError(`could not read a positive duration from "${text}"`);
  return Math.round(total);
}
