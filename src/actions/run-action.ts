/**
 * The one wrapper every action's `run()` goes through (after github/codeql-action's `runWrapper`): the
 * body runs, and whatever it throws ends the step failed, told apart by kind, so that a user reading the
 * annotation knows whether to fix their workflow, retry, or report a bug:
 *   - a user's mistake (a ConfigurationError and the other errors that name a fix) or a failed outcome the
 *     action reports (a node that failed, drift found): one `core.setFailed` line, no stack;
 *   - a service that failed (an HTTP status from GitHub or another service, a network error): one line
 *     naming it as such, the stack only in the debug log;
 *   - anything else is a bug of this toolkit: its stack (and its causes') in the log, and an annotation
 *     that says it is a bug and where to report it;
 *   - a thrown non-Error value (a string, undefined) still fails the step: never green.
 * An action that owns a record (a GitHub Deployment, a run record) settles it in `finalize` before the
 * failure is reported; a finaliser that fails itself is a warning, never a second, masking failure.
 */
import * as core from '@actions/core';
import { ConfigurationError, getErrorMessage, OutcomeFailure } from '../util/errors.js';

/** Where users report bugs (the annotation of a bug names it). */
export const BUG_REPORT_URL = 'https://github.com/mlops-actions/mlops-actions/issues';

/** The marker that starts a bug's annotation: tests and users grep for it. */
export const BUG_MARKER = 'This is a bug in mlops-actions';

/**
 * Errors that describe a mistake in the user's workflow, pipeline file or inputs, with the fix in the
 * message: ConfigurationError (and its subclasses) by class, the others by the `name` their classes set
 * (src/exec/inputs.ts InputError, src/pipeline/duration.ts DurationError, src/pipeline/expression.ts
 * ExpressionSyntaxError, src/pipeline/socket.ts SocketSyntaxError). By name, because every action loads
 * this module before it reads its inputs: importing those classes would load the runner's input staging
 * and the pipeline expression code into every action's cold start.
 */
const USER_ERROR_NAMES = new Set(['InputError', 'DurationError', 'ExpressionSyntaxError', 'SocketSyntaxError']);

/** Names of the errors the GitHub clients (@octokit/*, @actions/artifact, @actions/cache) throw for a service's answer. */
const SERVICE_ERROR_NAMES = new Set([
  'HttpError',
  'RequestError',
  'RateLimitError',
  'NetworkError',
  'InvalidResponseError',
  'ArtifactNotFoundError',
  'FilesNotFoundError',
  'GHESNotSupportedError',
  'ReserveCacheError',
  'AbortError',
  'TimeoutError',
]);

/** Node's codes for a connection that failed (the service was unreachable, not our code). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

export type FailureKind = 'user' | 'service' | 'bug';

/** Which of the three a thrown value is. */
export function failureKind(error: unknown): FailureKind {
  if (!(error instanceof Error)) return 'bug';
  if (error instanceof OutcomeFailure || error instanceof ConfigurationError || USER_ERROR_NAMES.has(error.name)) return 'user';
  if (SERVICE_ERROR_NAMES.has(error.name)) return 'service';
  const { status, code } = error as { status?: unknown; code?: unknown };
  if (typeof status === 'number' && status >= 400) return 'service';
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'))) return 'service';
  // fetch's "fetch failed" TypeError carries the network error as its cause.
  if (error.cause instanceof Error && error.message === 'fetch failed') return 'service';
  return 'bug';
}

/** The stack of an error and of each error in its `cause` chain. */
function stackWithCauses(error: Error): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.stack ?? `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(getErrorMessage(current));
      current = undefined;
    }
  }
  return parts.join('\nCaused by: ');
}

/** Fails the step with one line for what the user or a service did, or with the stack and the bug marker. */
export function reportFailure(error: unknown): void {
  const kind = failureKind(error);
  if (!(error instanceof Error)) {
    core.setFailed(`${BUG_MARKER} (a non-Error value was thrown: ${getErrorMessage(error) || String(error)}); please report it at ${BUG_REPORT_URL}`);
    return;
  }
  const message = error.message || error.name;
  if (kind === 'user') {
    core.setFailed(message);
    return;
  }
  if (kind === 'service') {
    core.debug(stackWithCauses(error));
    core.setFailed(`a service failed: ${message}`);
    return;
  }
  core.info(`${BUG_MARKER}; its stack:\n${stackWithCauses(error)}`);
  core.setFailed(`${BUG_MARKER} (${error.name}: ${message}); please report it at ${BUG_REPORT_URL} with this log`);
}

export interface RunActionOptions {
  /** Settles a record the action owns (e.g. marks its GitHub Deployment failed) before the failure is reported. */
  finalize?: (error: unknown) => Promise<void> | void;
}

/** Runs an action's body; any failure ends the step failed as `reportFailure` says. Never rejects. */
export async function runAction(body: () => Promise<void>, options: RunActionOptions = {}): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (options.finalize) {
      try {
        await options.finalize(error);
      } catch (finalizeError) {
        core.warning(`could not record the failure: ${getErrorMessage(finalizeError)}`);
      }
    }
    reportFailure(error);
  }
}
