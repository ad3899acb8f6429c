/**
 * Small HTTP helpers for the UI server: JSON answers, request bodies, errors as messages, and the
 * route table. Kept apart from the routes so that each route file reads as "what it answers".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WatchTiming } from './watch.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';

/** A user-facing failure with its HTTP status (404 for something that does not exist, 400 for a bad request). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RouteContext {
  projectDir: string;
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Whether promote/rollback may run. */
  writable: boolean;
  /** Resolves when the client has gone (for streams). */
  closed: Promise<void>;
  /** How live streams wait for record files to change (ui/watch.ts). */
  watch: WatchTiming;
}

/** Answers with a JSON value, or nothing when the handler wrote the response itself. */
export type Handler = (context: RouteContext) => Promise<unknown>;

export interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order. */
  names: string[];
  handler: Handler;
}

/** `/api/runs/:id/log` → a route; a `*` name (`:path*`) takes the rest of the path, slashes included. */
export function route(method: Route['method'], path: string, handler: Handler): Route {
  const names: string[] = [];
  const source = path.replace(/:([a-zA-Z]+)(\*?)/g, (_match, name: string, rest: string) => {
    names.push(name);
    return rest === '*' ? '(.+)' : '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler };
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

/** Maps a thrown value to a status and one message: user mistakes keep their message, bugs say so. */
export function errorAnswer(error: unknown): { status: number; body: { error: string; bug?: boolean } } {
  if (error instanceof HttpError) return { status: error.status, body: { error: error.message } };
  if (error instanceof ConfigurationError) {
    const message = error.message;
    // "no run 'x'", "model 'x' has no version 3": things that are not there.
    const missing = /^no |has no |cannot read|does not exist|not found/i.test(message);
    return { status: missing ? 404 : 400, body: { error: message } };
  }
  return { status: 500, body: { error: `internal error: ${getErrorMessage(error)}`, bug: true } };
}

const MAX_BODY = 64 * 1024;

/** The request's JSON object body (at most 64 KiB). */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const type = request.headers['content-type'] ?? '';
  // Only JSON: a cross-site form post cannot send this content type without a CORS preflight.
  if (!type.startsWith('application/json')) throw new HttpError(415, 'send the request body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch (error) {
    throw new HttpError(400, `request body is not JSON: ${getErrorMessage(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export function stringField(body: Record<string, unknown>, name: string, required: true): string;
export function stringField(body: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringField(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw new HttpError(400, `'${name}' is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new HttpError(400, `'${name}' must be a string`);
  return value;
}

/** Server-sent events: headers now, then `send(event, data)` until the client goes. */
export function startEventStream(response: ServerResponse): { send: (event: string, data: unknown) => void; comment: (text: string) => void } {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // Proxies must not buffer the stream.
    'x-accel-buffering': 'no',
  });
  response.flushHeaders();
  return {
    send(event, data) {
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    comment(text) {
      response.write(`: ${text}\n\n`);
    },
  };
}

/** Resolves after `ms`, or at once when `stop` resolves first. */
export function sleep(ms: number, stop: Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void stop.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
