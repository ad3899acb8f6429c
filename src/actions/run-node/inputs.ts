import * as core from '@actions/core';
import type { ParameterValue } from '../../pipeline/model.js';
import { parseValohaiPathsMode, type ValohaiPathsMode } from '../../exec/valohai-paths-mode.js';
import { parseParameterOverrides } from '../../plan/parameter-overrides.js';
import type { ContainerChoice } from '../../exec/container.js';
import { containerInput } from '../container-input.js';
import { booleanInput, requiredInput } from '../input-parsing.js';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_FILE = 'file';
export const INPUT_PIPELINE = 'pipeline';
export const INPUT_NODE = 'node';
export const INPUT_VARIANT = 'variant';
export const INPUT_PARAMETERS = 'parameters';
export const INPUT_PIPELINE_PARAMETERS = 'pipeline-parameters';
export const INPUT_REUSE = 'reuse';
export const INPUT_VALOHAI_PATHS = 'valohai-paths';
export const INPUT_CONTAINER = 'container';
export const INPUT_GITHUB_TOKEN = 'github-token';

export const DEFAULT_FILE = 'valohai.yaml';

export interface Inputs {
  file: string;
  pipeline: string;
  node: string;
  variant: number;
  /** The plan's matrix parameters or pipeline parameter overrides (see `NodeJobOptions.parameters`). */
  parameters: Record<string, ParameterValue>;
  /** Pipeline parameter overrides by name, as `mlops compile` workflows pass them. */
  pipelineParameters: Record<string, ParameterValue>;
  reuse: boolean;
  /** Linking of hard-coded `/valohai/...` paths: `auto` (GitHub-hosted runners only), `link` or `warn`. */
  valohaiPaths: ValohaiPathsMode;
  /** Run the node in its step's image with this engine (`auto`: the first found); undefined: on the runner. */
  container: ContainerChoice | undefined;
  githubToken: string;
}

function parameterInput(name: string): Record<string, ParameterValue> {
  try {
    return parseParameterOverrides(core.getInput(name));
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(`input "${name}": ${error.message} (expected a JSON object such as {"epochs": 3}, or name=value lines)`);
    }
    throw error;
  }
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const variantText = core.getInput(INPUT_VARIANT).trim() || '0';
  const variant = Number(variantText);
  if (!/^\d+$/.test(variantText) || !Number.isSafeInteger(variant)) {
    throw new ConfigurationError(`input "${INPUT_VARIANT}" must be a variant index (0, 1, 2, …), got "${variantText}"`);
  }
  return {
    file: core.getInput(INPUT_FILE).trim() || DEFAULT_FILE,
    pipeline: requiredInput(INPUT_PIPELINE, 'the name of a pipeline in the file'),
    node: requiredInput(INPUT_NODE, 'the name of the node of the pipeline to run'),
    variant,
    parameters: parameterInput(INPUT_PARAMETERS),
    pipelineParameters: parameterInput(INPUT_PIPELINE_PARAMETERS),
    reuse: booleanInput(INPUT_REUSE, true),
    valohaiPaths: parseValohaiPathsMode(core.getInput(INPUT_VALOHAI_PATHS), INPUT_VALOHAI_PATHS),
    container: containerInput(INPUT_CONTAINER),
    githubToken: core.getInput(INPUT_GITHUB_TOKEN),
  };
}
