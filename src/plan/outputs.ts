/**
 * The plan as GitHub step outputs, in the shape the pipeline workflow template reads: per wave chunk a
 * matrix `{"include":[…]}` and its entry count, plus the node list, depth and Mermaid picture.
 */
import { ConfigurationError } from '../util/errors.js';
import type { PipelinePlan } from './plan.js';

/**
 * GitHub caps a job's outputs at 1 MB in total, "approximated in UTF-16 encoding": two bytes per UTF-16
 * code unit, so plain ASCII JSON counts twice its UTF-8 size. (1,000,000 rather than 1 MiB: the cheaper
 * reading of "1 MB" fails a plan a little early instead of letting GitHub drop outputs.)
 */
export const JOB_OUTPUTS_LIMIT_BYTES = 1_000_000;

/** Output (and job) name of one matrix chunk: `wave-<i>` for the first chunk, `wave-<i>-<c>` after. */
export function waveOutputName(wave: number, chunk: number): string {
  return chunk === 0 ? `wave-${wave}` : `wave-${wave}-${chunk}`;
}

/** Output holding the number of entries of a chunk; `'0'` means the chunk's job is skipped. */
export function waveCountOutputName(wave: number, chunk: number): string {
  return `${waveOutputName(wave, chunk)}-count`;
}

export interface OutputShape {
  /** Wave jobs in the workflow. */
  maxWaves: number;
  /** Chunk jobs per wave in the workflow. */
  chunksPerWave: number;
}

/**
 * Every output the workflow may read, including empty chunks and waves beyond the depth (as an empty
 * matrix with count `'0'`), so that no job reads an undefined output. Throws when the total would
 * exceed GitHub's 1 MB job-output limit, naming the size and the way out.
 */
export function planOutputs(plan: PipelinePlan, shape: OutputShape): Record<string, string> {
  if (plan.waves.length > shape.maxWaves) {
    throw new ConfigurationError(
      `the plan has ${plan.waves.length} waves but the workflow has ${shape.maxWaves}; raise max-waves or use \`mlops compile\``,
    );
  }
  const outputs: Record<string, string> = {};
  for (let wave = 0; wave < shape.maxWaves; wave++) {
    const chunks = plan.waves[wave] ?? [];
    if (chunks.length > shape.chunksPerWave) {
      throw new ConfigurationError(
        `wave ${wave} needs ${chunks.length} matrices but the workflow has ${shape.chunksPerWave} per wave; ` +
          'raise chunks-per-wave and add the chunk jobs, or use `mlops compile`',
      );
    }
    for (let chunk = 0; chunk < shape.chunksPerWave; chunk++) {
      const entries = chunks[chunk] ?? [];
      outputs[waveOutputName(wave, chunk)] = JSON.stringify({ include: entries });
      outputs[waveCountOutputName(wave, chunk)] = String(entries.length);
    }
  }
  outputs['nodes'] = JSON.stringify(plan.nodes);
  outputs['depth'] = String(plan.depth);
  outputs['mermaid'] = plan.mermaid;
  const size = outputsSize(outputs);
  if (size > JOB_OUTPUTS_LIMIT_BYTES) {
    const entries = plan.waves.flat(2).length;
    throw new ConfigurationError(
      `the plan of pipeline "${plan.pipeline}" (${entries} jobs) is ${size} bytes of job outputs measured in UTF-16 as GitHub ` +
        `counts them, over GitHub's limit of ${JOB_OUTPUTS_LIMIT_BYTES} bytes (1 MB) per job, so the wave jobs could not read ` +
        'their matrices; generate a static workflow with one job per node with `mlops compile` instead (it needs no plan ' +
        'outputs), or split the pipeline into smaller ones',
    );
  }
  return outputs;
}

/**
 * Bytes the outputs take as GitHub counts them: names and values in UTF-16, two bytes per code unit
 * (a JavaScript string's length is its number of UTF-16 code units).
 */
export function outputsSize(outputs: Record<string, string>): number {
  let units = 0;
  for (const [name, value] of Object.entries(outputs)) units += name.length + value.length;
  return units * 2;
}
