/**
 * The Octokit client used by the report (and anything else that talks to the GitHub REST API):
 * bounded retries on rate limits, and a token that is masked in Actions logs and never printed.
 */
import { registerSecret } from '../util/redact.js';
import * as core from '@actions/core';
import { Octokit } from '@octokit/rest';

export interface RetryPolicy {
  /** How many times a rate-limited request is retried before giving up. */
  retries: number;
  /** Delay before retry number `attempt` (1-based) when GitHub gives no `retry-after`/reset time. */
  backoffMs: (attempt: number) => number;
  /** Longest wait accepted for one retry; a reset further away gives up at once with a clear message. */
  maxDelayMs: number;
  /** Injected so tests do not wait. */
  sleep: (ms: number) => Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 3,
  backoffMs: (attempt) => 1000 * 2 ** (attempt - 1),
  maxDelayMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The status, headers and message of a failed Octokit request (a RequestError), read structurally. */
export interface HttpFailure {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

export function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error) || typeof error.status !== 'number') return undefined;
  const response = 'response' in error && typeof error.response === 'object' && error.response !== null ? error.response : undefined;
  const rawHeaders = response && 'headers' in response && typeof response.headers === 'object' && response.headers !== null ? response.headers : {};
  const headers: Record<string, string | number | undefined> = {};
  for (const [key, value] of Object.entries(rawHeaders)) {
    if (typeof value === 'string' || typeof value === 'number') headers[key.toLowerCase()] = value;
  }
  const message = error instanceof Error ? error.message : `HTTP ${error.status}`;
  return { status: error.status, headers, message };
}

/**
 * How long GitHub asks us to wait, when the failure is a rate limit; undefined when it is not one.
 * Primary limit: 403/429 with `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`). Secondary
 * limit: 403/429 with `retry-after` seconds, or a 429 without headers (exponential backoff).
 */
export function rateLimitDelay(failure: HttpFailure, attempt: number, policy: RetryPolicy, now: number): number | undefined {
  if (failure.status !== 403 && failure.status !== 429) return undefined;
  const retryAfter = Number(failure.headers['retry-after']);
  if (failure.headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter * 1000);
  if (String(failure.headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(failure.headers['x-ratelimit-reset']);
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : policy.backoffMs(attempt);
  }
  // A 403 without rate-limit headers is a permission problem, not something a retry fixes.
  if (failure.status === 429) return policy.backoffMs(attempt);
  return undefined;
}

/** Thrown when the retries are spent: says what was asked, how often it was tried, and what to do. */
export class RateLimitError extends Error {
  override name = 'RateLimitError';
}

export interface ClientOptions {
  token: string;
  /** `GITHUB_API_URL` on GitHub Enterprise, or a local test server. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Receives one line per retry (defaults to core.info). */
  log?: (message: string) => void;
}

/** An Octokit whose every request (including pages of `paginate`) retries rate limits within bounds. */
export function createGitHubClient(options: ClientOptions): Octokit {
  if (options.token === '') throw new Error('a GitHub token is required');
  // `::add-mask::` makes the runner redact the value; outside Actions it would only echo the token.
  if (process.env['GITHUB_ACTIONS'] === 'true') core.setSecret(options.token);
  registerSecret(options.token);
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...options.retry };
  const log = options.log ?? ((message: string) => core.info(message));
  const octokit = new Octokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    userAgent: 'mlops-actions',
    // Octokit logs deprecation warnings (kept) and every failed request (dropped: failures are thrown
    // and reported once by the caller, and retries are logged below).
    log: { debug: () => undefined, info: () => undefined, warn: (message: string) => log(message), error: () => undefined },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const failure = httpFailure(error);
        const delay = failure ? rateLimitDelay(failure, attempt, policy, Date.now()) : undefined;
        if (failure === undefined || delay === undefined) throw error;
        const what = `${requestOptions.method} ${String(requestOptions.url)}`;
        if (attempt > policy.retries || delay > policy.maxDelayMs) {
          const resetAt = Number(failure.headers['x-ratelimit-reset']);
          const when = Number.isFinite(resetAt) ? ` The limit resets at ${new Date(resetAt * 1000).toISOString()}.` : '';
          throw new RateLimitError(
            `GitHub API rate limit hit on ${what} (HTTP ${failure.status}: ${failure.message}); gave up after ${attempt - 1} ${attempt - 1 === 1 ? 'retry' : 'retries'}.${when} Re-run the job later, or spread the jobs that call the API.`,
          );
        }
        log(`GitHub API rate limit on ${what} (HTTP ${failure.status}); retry ${attempt} of ${policy.retries} in ${Math.ceil(delay / 1000)} s`);
        await policy.sleep(delay);
      }
    }
  });
  return octokit;
}
