/** Fetching the UI server's JSON API: every failure becomes an ApiFailure with one message a person can act on. */
import type { ApiError } from '../api-types.js';

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly bug = false,
  ) {
    super(message);
  }
}

async function failureOf(response: Response): Promise<ApiFailure> {
  let body: Partial<ApiError> = {};
  try {
    body = (await response.json()) as Partial<ApiError>;
  } catch {
    // not JSON: a proxy's page or an empty answer
  }
  const message = typeof body.error === 'string' ? body.error : `the server answered ${response.status} ${response.statusText}`;
  return new ApiFailure(message, response.status, body.bug === true);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if ((error as { name?: string }).name === 'AbortError') throw error;
    throw new ApiFailure('the mlops ui server is not answering: is `mlops ui` still running?', 0);
  }
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  } catch {
    throw new ApiFailure('the mlops ui server is not answering: is `mlops ui` still running?', 0);
  }
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as T;
}
