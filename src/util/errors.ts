/** A mistake the user can fix (bad input, bad pipeline file). Printed as one clear message, never a stack. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
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
