/**
 * The one wrapper every action's `run()` goes through: a user's mistake (a ConfigurationError) fails the
 * step with its one-line message; anything else is a bug or a failing service, so its stack goes to the
 * log as well. A thrown non-Error value (a string, undefined) still fails the step: never green.
 */
import * as core from '@actions/core';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';

export function reportFailure(error: unknown): void {
  if (error instanceof ConfigurationError) {
    core.setFailed(error.message);
    return;
  }
  if (error instanceof Error) {
    core.info(`Unexpected error (a bug, or a service that failed); its stack:\n${error.stack ?? `${error.name}: ${error.message}`}`);
    core.setFailed(error.message || error.name);
    return;
  }
  core.setFailed(`unexpected failure: a non-Error value was thrown (${getErrorMessage(error) || String(error)})`);
}

export async function runAction(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    reportFailure(error);
  }
}
