import * as core from '@actions/core';
import type { ParameterValue } from '../../pipeline/model.js';
import { parseValohaiPathsMode, type ValohaiPathsMode } from '../../exec/valohai-paths-mode.js';
import type { ContainerChoice } from '../../exec/container.js';
import { parseParameterOverrides } from '../../plan/parameter-overrides.js';
import { containerInput } from '../container-input.js';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_FILE = 'file';
export const INPUT_PIPELINE = 'pipeline';
export const INPUT_PARAMETERS = 'parameters';
export const INPUT_VALOHAI_PATHS = 'valohai-paths';
export const INPUT_CONTAINER = 'container';
export const INPUT_GITHUB_TOKEN = 'github-token';

export const DEFAULT_FILE = 'valohai.yaml';

export interface Inputs {
  file: string;
  pipeline: string;
  /** Pipeline parameter overrides by name, or `node.parameter`. */
  parameters: Record<string, ParameterValue>;
  /** Linking of hard-coded `/valohai/...` paths: `auto` (GitHub-hosted runners only), `link` or `warn`. */
  valohaiPaths: ValohaiPathsMode;
  /** Run each execution in its step's image with this engine (`auto`: the first found); undefined: on the runner. */
  container: ContainerChoice | undefined;
  githubToken: string;
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const pipeline = core.getInput(INPUT_PIPELINE).trim();
  if (pipeline === '') throw new ConfigurationError(`input "${INPUT_PIPELINE}" is required: the name of a pipeline in the file`);
  let parameters: Record<string, ParameterValue>;
  try {
    parameters = parseParameterOverrides(core.getInput(INPUT_PARAMETERS));
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    throw new ConfigurationError(
      `input "${INPUT_PARAMETERS}": ${error.message} (expected a JSON object such as {"epochs": 3}, or name=value lines)`,
    );
  }
  return {
    file: core.getInput(INPUT_FILE).trim() || DEFAULT_FILE,
    pipeline,
    parameters,
    valohaiPaths: parseValohaiPathsMode(core.getInput(INPUT_VALOHAI_PATHS), INPUT_VALOHAI_PATHS),
    container: containerInput(INPUT_CONTAINER),
    githubToken: core.getInput(INPUT_GITHUB_TOKEN),
  };
}
