/**
 * Loading a pipeline file and finding a pipeline or node in it, with one message each for every front
 * door (CLI commands, actions, the node job).
 */
import { formatDiagnostic, hasErrors } from './diagnostics.js';
import { loadPipelineFile } from './load.js';
import type { Pipeline, PipelineConfig, PipelineNode } from './model.js';
import { ConfigurationError } from '../util/errors.js';

export interface LoadedConfig {
  config: PipelineConfig;
  /** Warnings as `file:line:col: warning: …` lines. */
  warnings: string[];
}

/** Loads a pipeline file. Errors become one ConfigurationError listing every error as `file:line:col: error: …`. */
export async function loadConfigOrThrow(path: string): Promise<LoadedConfig> {
  const result = await loadPipelineFile(path);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
  if (hasErrors(result.diagnostics) || !result.config) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
    throw new ConfigurationError(
      `${path} has ${errors.length || 1} error${errors.length > 1 ? 's' : ''}:\n${errors.join('\n') || `${path}:1:1: error: could not be loaded`}`,
    );
  }
  return { config: result.config, warnings };
}

export function findPipeline(config: PipelineConfig, name: string): Pipeline {
  const pipeline = config.pipelines.get(name);
  if (!pipeline) {
    const names = [...config.pipelines.keys()];
    throw new ConfigurationError(
      `no pipeline named "${name}" in ${config.file}; ` + (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'),
    );
  }
  return pipeline;
}

export function findNode(pipeline: Pipeline, name: string): PipelineNode {
  const node = pipeline.nodes.find((n) => n.name === name);
  if (!node) {
    throw new ConfigurationError(`pipeline "${pipeline.name}" has no node "${name}"; its nodes: ${pipeline.nodes.map((n) => n.name).join(', ')}`);
  }
  return node;
}
