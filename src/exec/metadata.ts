/**
 * Metadata (metrics) from an execution's output, as Valohai reads it (FORMAT.md §8): every stdout line
 * that is a JSON object is an event; the last value of each key is what conditions and edges use.
 */
import { StringDecoder } from 'node:string_decoder';
import type { MetadataEvent } from './types.js';

/** Splits a byte stream into lines, keeping multi-byte characters intact across chunks. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** The complete lines in this chunk (without `\n` or a trailing `\r`). */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map(stripCarriageReturn);
  }

  /** The unfinished last line, if any, at the end of the stream. */
  flush(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** The JSON object a line holds, or undefined when the line is anything else. */
export function parseMetadataLine(line: string): Record<string, unknown> | undefined {
  const text = line.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Text that merely looks like an object is ordinary output.
  }
  return undefined;
}

/** Collects metadata events: the whole series, and the latest value of every key. */
export class MetadataCollector {
  readonly events: MetadataEvent[] = [];
  readonly latest: Record<string, unknown> = {};

  /** Records the line when it is metadata and returns the event; undefined otherwise. */
  handleLine(line: string, now: Date = new Date()): MetadataEvent | undefined {
    const object = parseMetadataLine(line);
    if (!object) return undefined;
    const { _time: printedTime, ...values } = object;
    const time = typeof printedTime === 'string' && printedTime !== '' ? printedTime : now.toISOString();
    const event: MetadataEvent = { time, values };
    this.events.push(event);
    for (const [key, value] of Object.entries(values)) this.latest[key] = value;
    return event;
  }

  /** Every value a key took, in order: the series a chart plots. */
  series(key: string): { time: string; value: unknown }[] {
    return this.events.filter((event) => Object.hasOwn(event.values, key)).map((event) => ({ time: event.time, value: event.values[key] }));
  }
}
