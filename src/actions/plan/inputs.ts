import * as core from '@actions/core';
import type { ParameterValue } from '../../pipeline/model.js';
import { positiveIntegerInput } from '../input-parsing.js';
import { ConfigurationError } from '../../util/errors.js';
import { parseParameterOverrides } from '../../plan/parameter-overrides.js';

export const INPUT_FILE = 'file';
export const INPUT_PIPELINE = 'pipeline';
export const INPUT_PARAMETERS = 'parameters';
export const INPUT_MAX_WAVES = 'max-waves';
export const INPUT_CHUNKS_PER_WAVE = 'chunks-per-wave';

export interface Inputs {
  file: string;
  pipeline: string;
  parameters: Record<string, ParameterValue>;
  maxWaves: number;
  chunksPerWave: number;
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const pipeline = core.getInput(INPUT_PIPELINE).trim();
  if (pipeline === '') throw new ConfigurationError(`input "${INPUT_PIPELINE}" is required: the name of a pipeline in the file`);
  return {
    file: core.getInput(INPUT_FILE).trim() || 'valohai.yaml',
    pipeline,
    parameters: parseParameterOverrides(core.getInput(INPUT_PARAMETERS)),
    maxWaves: positiveIntegerInput(INPUT_MAX_WAVES, 8),
    chunksPerWave: positiveIntegerInput(INPUT_CHUNKS_PER_WAVE, 2),
  };
}
