/**
 * The request log: samples of what the endpoint was asked and answered, as rotating JSON Lines files under
 * `<projectDir>/deployments/<deployment>/<endpoint>/requests/`, one flat JSON object per line, so that
 * `mlops drift --current <that folder or a file>` checks live traffic against a training profile.
 *
 * A JSON request body becomes columns: nested objects are flattened with dots (`a.b`), arrays of scalars
 * with their index (`pixels.0`). A body with an `instances` array (the TensorFlow Serving / KServe v1
 * convention) gives one line per instance, with the matching entry of the response's `predictions` as its
 * prediction; otherwise the response is. A prediction object's `prediction` field becomes the `prediction`
 * column and its other fields `prediction.<field>`. `_time`, `_version` and `_status` say when, by which version, and how.
 *
 * Never logged: headers (where credentials travel), fields whose names look like secrets, bodies over the
 * size cap, and non-JSON bodies.
 */
import { open, readdir, rm, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Exchange } from './proxy.js';

export interface RequestLogPolicy {
  /** Share of requests logged, 0..1 (default 1: all). */
  sampleRate: number;
  /** Request and response bodies above this size are not logged. */
  maxBodyBytes: number;
  /** A file is closed and a new one started above this size. */
  maxFileBytes: number;
  /** Older files beyond this count are deleted. */
  maxFiles: number;
}

export const DEFAULT_REQUEST_LOG: RequestLogPolicy = { sampleRate: 1, maxBodyBytes: 64 * 1024, maxFileBytes: 16 * 1024 * 1024, maxFiles: 10 };

/** Names that carry credentials; such fields are dropped, whatever their nesting. */
const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|auth(orization)?|credential|private[-_]?key|session|cookie)/i;

type Row = Record<string, string | number | boolean | null>;

/** Flattens `value` into `row` under `prefix`; arrays of scalars by index, nested arrays of objects as JSON text. */
export function flatten(value: unknown, prefix: string, row: Row, depth = 0): void {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    row[prefix] = value;
    return;
  }
  if (depth > 4) {
    row[prefix] = JSON.stringify(value);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > 1000) {
      row[prefix] = JSON.stringify(value);
      return;
    }
    value.forEach((item, i) => flatten(item, prefix === '' ? String(i) : `${prefix}.${i}`, row, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_NAME.test(key)) continue;
      flatten(item, prefix === '' ? key : `${prefix}.${key}`, row, depth + 1);
    }
  }
}

function parseJson(body: Buffer | undefined, type: string | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  if (type !== undefined && !/json/i.test(type)) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The prediction columns: `prediction` for the value (or an object's `prediction` field), `prediction.<field>` for the rest. */
function prediction(row: Row, value: unknown): void {
  if (value === undefined) return;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [field, item] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_NAME.test(field)) continue;
      flatten(item, field === 'prediction' ? 'prediction' : `prediction.${field}`, row, 1);
    }
    return;
  }
  flatten(value, 'prediction', row);
}

/** The lines an exchange becomes (none when it is not a loggable JSON request). */
export function rowsOf(exchange: Exchange, maxBodyBytes: number, now = new Date()): Row[] {
  if (exchange.request.length > maxBodyBytes || (exchange.response?.length ?? Infinity) > maxBodyBytes) return [];
  const request = parseJson(exchange.request, exchange.requestType);
  if (request === undefined || request === null || typeof request !== 'object') return [];
  const response = parseJson(exchange.response, exchange.responseType);
  const meta: Row = { _time: now.toISOString(), _version: exchange.version, _status: exchange.status };
  const body = request as Record<string, unknown>;
  const instances = Array.isArray(request) ? request : Array.isArray(body['instances']) ? (body['instances'] as unknown[]) : undefined;
  if (instances) {
    const predictions = response !== null && typeof response === 'object' && !Array.isArray(response) ? (response as Record<string, unknown>)['predictions'] : response;
    return instances.map((instance, i) => {
      const row: Row = { ...meta };
      flatten(instance, '', row);
      if (Array.isArray(predictions) && predictions.length === instances.length) prediction(row, predictions[i]);
      return row;
    });
  }
  const row: Row = { ...meta };
  flatten(body, '', row);
  prediction(row, response);
  return [row];
}

export class RequestLog {
  private file: FileHandle | undefined;
  private fileBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private pending: string[] = [];
  private sequence = 0;

  constructor(
    readonly folder: string,
    readonly policy: RequestLogPolicy,
  ) {}

  /** Called by the proxy for every answered request; sampling and limits apply here. */
  record(exchange: Exchange): void {
    if (this.policy.sampleRate <= 0 || (this.policy.sampleRate < 1 && Math.random() >= this.policy.sampleRate)) return;
    const rows = rowsOf(exchange, this.policy.maxBodyBytes);
    if (rows.length === 0) return;
    for (const row of rows) this.pending.push(`${JSON.stringify(row)}\n`);
    // One write at a time, batching what arrived meanwhile.
    this.writing = this.writing.then(() => this.flush()).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    if (!this.file || this.fileBytes + text.length > this.policy.maxFileBytes) await this.rotate();
    await this.file?.appendFile(text);
    this.fileBytes += Buffer.byteLength(text);
  }

  private async rotate(): Promise<void> {
    await this.file?.close();
    await mkdir(this.folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    this.sequence += 1;
    this.file = await open(join(this.folder, `requests-${stamp}-${process.pid}-${String(this.sequence).padStart(4, '0')}.jsonl`), 'a');
    this.fileBytes = 0;
    const files = (await readdir(this.folder)).filter((name) => name.startsWith('requests-') && name.endsWith('.jsonl')).sort();
    for (const old of files.slice(0, Math.max(0, files.length - this.policy.maxFiles))) await rm(join(this.folder, old), { force: true });
  }

  /** Writes what is pending and closes the file. */
  async close(): Promise<void> {
    this.writing = this.writing.then(() => this.flush()).catch(() => undefined);
    await this.writing;
    await this.file?.close();
    this.file = undefined;
  }
}
