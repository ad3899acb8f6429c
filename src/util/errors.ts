/** A mistake the user can fix (bad input, bad pipeline file). Printed as one clear message, never a stack. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * The step did its work and the outcome is a failure the user must see (a node failed, drift was found, a
 * rollout was refused): one line, like a ConfigurationError, but not the user's mistake.
 */
export class OutcomeFailure extends Error {
  override name = 'OutcomeFailure';
}

/** Message of anything thrown, including non-Error values (a thrown string must not end a step green). */
export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
