// Apart from valohai-paths.ts (which links /valohai, with child_process and the file system): the run
// and run-node actions check their `valohai-paths` input with this before anything else, at their cold start.
import { ConfigurationError } from '../util/errors.js';

/** The actions' `valohai-paths` input. */
export const VALOHAI_PATHS_MODES = ['auto', 'link', 'warn'] as const;
export type ValohaiPathsMode = (typeof VALOHAI_PATHS_MODES)[number];

/** Reads a `valohai-paths` value ('' is the default, `auto`); a ConfigurationError names the allowed values. */
export function parseValohaiPathsMode(text: string, inputName = 'valohai-paths'): ValohaiPathsMode {
  const value = text.trim() || 'auto';
  const mode = VALOHAI_PATHS_MODES.find((m) => m === value);
  if (mode === undefined) {
    throw new ConfigurationError(`input "${inputName}" must be one of ${VALOHAI_PATHS_MODES.join(', ')}, got "${value}"`);
  }
  return mode;
}
