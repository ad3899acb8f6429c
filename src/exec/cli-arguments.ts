/**
 * `--input NODE.INPUT=…` and `--param NODE.PARAMETER=…` checked against the pipeline before anything
 * runs: a typo in a node, input or parameter name is an error listing the valid names, never a value
 * silently ignored (the default dataset used instead) or an error found after earlier nodes have run.
 */
import type { Pipeline, PipelineConfig, Step } from '../pipeline/model.js';
import { closestMatch } from '../pipeline/diagnostics.js';
import { ConfigurationError } from '../util/errors.js';
import { stepForNode } from './plan-run.js';

function hint(word: string, candidates: string[]): string {
  const guess = closestMatch(word, candidates);
  return guess === undefined ? '' : ` Did you mean ${guess}?`;
}

function list(names: string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/** The steps of the pipeline's execution and task nodes, by node name. */
function nodeSteps(config: PipelineConfig, pipeline: Pipeline): Map<string, Step | undefined> {
  const steps = new Map<string, Step | undefined>();
  for (const node of pipeline.nodes) {
    if (node.type === 'deployment') {
      steps.set(node.name, undefined);
      continue;
    }
    try {
      steps.set(node.name, stepForNode(config, node));
    } catch {
      steps.set(node.name, undefined); // an undefined step fails its node with its own message
    }
  }
  return steps;
}

/** Throws a `ConfigurationError` for the first `--input`/`--param` naming an unknown node, input or parameter. */
export function checkCliArguments(
  config: PipelineConfig,
  pipeline: Pipeline,
  parameters: Record<string, string>,
  inputs: Record<string, string[]>,
): void {
  const steps = nodeSteps(config, pipeline);
  const nodeNames = [...steps.keys()];
  const splitKey = (flag: string, key: string, what: string): { node: string; name: string; step: Step } => {
    const dot = key.indexOf('.');
    if (dot <= 0 || dot === key.length - 1) {
      throw new ConfigurationError(`${flag} ${key}: expected NODE.${what.toUpperCase()} (nodes of pipeline ${pipeline.name}: ${list(nodeNames)})`);
    }
    const node = key.slice(0, dot);
    const name = key.slice(dot + 1);
    if (!steps.has(node)) {
      throw new ConfigurationError(
        `${flag} ${key}: pipeline ${pipeline.name} has no node ${node} (its nodes: ${list(nodeNames)}).${hint(node, nodeNames)}`,
      );
    }
    const step = steps.get(node);
    if (!step) throw new ConfigurationError(`${flag} ${key}: node ${node} runs no step, so it has no ${what}s`);
    return { node, name, step };
  };
  for (const key of Object.keys(inputs)) {
    const { node, name, step } = splitKey('--input', key, 'input');
    const names = step.inputs.map((i) => i.name);
    if (!names.includes(name)) {
      throw new ConfigurationError(
        `--input ${key}: node ${node} (step ${step.name}) has no input ${name} (its inputs: ${list(names)}).${hint(name, names)}`,
      );
    }
  }
  const pipelineParameters = new Set(pipeline.parameters.map((p) => p.name));
  for (const key of Object.keys(parameters)) {
    if (pipelineParameters.has(key)) continue;
    if (!key.includes('.')) {
      const known = [...pipelineParameters];
      throw new ConfigurationError(
        `--param ${key}: not a parameter of pipeline ${pipeline.name} (its parameters: ${list(known)}); ` +
          `use NODE.PARAMETER=VALUE to set one node's parameter (nodes: ${list(nodeNames)}).${hint(key, known)}`,
      );
    }
    const { node, name, step } = splitKey('--param', key, 'parameter');
    const names = step.parameters.map((p) => p.name);
    if (!names.includes(name)) {
      throw new ConfigurationError(
        `--param ${key}: node ${node} (step ${step.name}) has no parameter ${name} (its parameters: ${list(names)}).${hint(name, names)}`,
      );
    }
  }
}
