/**
 * Turning one pipeline node into concrete executions: the step after the node's override, parameter
 * values from defaults → pipeline parameters → edges → command line, input files from edges and
 * defaults, task variants, the rendered command and the reuse key of each execution.
 */
import { randomBytes } from 'node:crypto';
import type {
  ExecutionNode,
  Parameter,
  ParameterValue,
  Pipeline,
  PipelineConfig,
  Step,
  TaskNode,
} from '../pipeline/model.js';
import { joinCommand, parameterDefaults, renderCommand } from '../pipeline/command.js';
import { applyOverride } from '../pipeline/override.js';
import { ConfigurationError } from '../util/errors.js';
import {
  mergeInputFiles,
  resolveEdges,
  resolveInputValues,
  type EdgeFile,
  type ResolvedEdges,
  type UpstreamOutcome,
} from './edges.js';
import { castParameterValues, typedCommandValues } from './config-files.js';
import { reuseKey } from './reuse.js';
import { codeVersion } from './code-version.js';
import { downloadToCache } from './url-cache.js';
import { environmentForKey, forwardedEnvironment } from './step-env.js';
import { expandVariants } from '../plan/variants.js';

/** The node's step with its `override` merged (FORMAT §3.2, `applyOverride`). */
export function stepForNode(config: PipelineConfig, node: ExecutionNode | TaskNode): Step {
  const step = config.steps.get(node.step);
  if (!step) throw new ConfigurationError(`node ${node.name}: step '${node.step}' is not defined`);
  return applyOverride(step, node.override);
}

/** A command-line value, typed as the parameter declares. `[a, b]` (JSON) gives a list, i.e. variants. */
export function parseCliValue(raw: string, parameter: Parameter | undefined): ParameterValue {
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed)) return parsed as ParameterValue[];
    } catch {
      // not JSON: the literal text
    }
  }
  switch (parameter?.type) {
    case 'integer':
    case 'float': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) {
        throw new ConfigurationError(`parameter ${parameter.name} expects a number, got ${JSON.stringify(raw)}`);
      }
      if (parameter.type === 'integer' && !Number.isInteger(value)) {
        throw new ConfigurationError(`parameter ${parameter.name} expects an integer, got ${JSON.stringify(raw)}`);
      }
      return value;
    }
    case 'flag': {
      const lower = raw.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return true;
      if (['false', '0', 'no', 'off', ''].includes(lower)) return false;
      throw new ConfigurationError(`flag ${parameter.name} expects true or false, got ${JSON.stringify(raw)}`);
    }
    case 'string':
    case undefined:
      return raw;
  }
}

/** Splits `--param` values into pipeline parameters and `node.param` overrides. */
export function splitCliParameters(
  pipeline: Pipeline,
  raw: Record<string, string>,
): { pipeline: Record<string, string>; nodes: Map<string, Record<string, string>> } {
  const pipelineNames = new Set(pipeline.parameters.map((p) => p.name));
  const nodeNames = new Set(pipeline.nodes.map((n) => n.name));
  const result = { pipeline: {} as Record<string, string>, nodes: new Map<string, Record<string, string>>() };
  for (const [key, value] of Object.entries(raw)) {
    if (pipelineNames.has(key)) {
      result.pipeline[key] = value;
      continue;
    }
    const dot = key.indexOf('.');
    const node = dot > 0 ? key.slice(0, dot) : undefined;
    if (node !== undefined && nodeNames.has(node)) {
      const params = result.nodes.get(node) ?? {};
      params[key.slice(dot + 1)] = value;
      result.nodes.set(node, params);
      continue;
    }
    const known = [...pipelineNames].join(', ') || 'none';
    throw new ConfigurationError(
      `--param ${key}: not a parameter of pipeline ${pipeline.name} (its parameters: ${known}); ` +
        'use NODE.PARAMETER=VALUE to set one node\'s parameter',
    );
  }
  return result;
}

export interface PlannedExecution {
  variant?: Record<string, ParameterValue>;
  parameters: Record<string, ParameterValue>;
  inputs: Record<string, EdgeFile[]>;
  environment: Record<string, string>;
  command: string;
  reuseKey: string;
}

export interface NodePlan {
  step: Step;
  executions: PlannedExecution[];
  warnings: string[];
}

export interface PlanNodeContext {
  config: PipelineConfig;
  pipeline: Pipeline;
  repositoryDir: string;
  outcomes: ReadonlyMap<string, UpstreamOutcome>;
  /** `--param` values split by `splitCliParameters`. */
  cliPipelineParameters: Record<string, string>;
  cliNodeParameters: Record<string, string>;
  /** `--input NODE.INPUT=value` values of this node, by input name. */
  cliInputs: Record<string, string[]>;
  /** Precomputed edges (the scheduler resolves them once per node). */
  edges?: ResolvedEdges;
  /** A task node's parameter sets instead of its blueprint's (bayesian_tpe proposals). */
  blueprintSets?: Record<string, ParameterValue>[];
  /**
   * The repository's code version (`codeVersion`, computed once per run by the caller); computed here
   * when absent. Part of every reuse key.
   */
  codeVersion?: string;
  /**
   * The download cache: URL inputs are fetched (or revalidated) while planning so that the reuse key
   * holds their content, not their address. Absent: URLs enter the key by address.
   */
  downloadCacheDir?: string;
  /** Download URL inputs again whatever the cache holds (`--no-reuse`). */
  refetchUrls?: boolean;
}

/** The executions of an execution or task node, ready to run (or to be reused). */
export async function planNode(node: ExecutionNode | TaskNode, context: PlanNodeContext): Promise<NodePlan> {
  const { config, pipeline } = context;
  const step = stepForNode(config, node);
  const declared = new Map(step.parameters.map((p) => [p.name, p]));
  const edges = context.edges ?? resolveEdges(pipeline, node.name, context.outcomes, step.inputs);

  const parameters: Record<string, ParameterValue> = parameterDefaults(step);
  for (const pipelineParameter of pipeline.parameters) {
    const raw = context.cliPipelineParameters[pipelineParameter.name];
    for (const target of pipelineParameter.targets) {
      if (target.node !== node.name) continue;
      if (raw !== undefined) parameters[target.key] = parseCliValue(raw, declared.get(target.key));
      else if (pipelineParameter.default !== undefined) parameters[target.key] = pipelineParameter.default;
    }
  }
  Object.assign(parameters, edges.parameters);
  for (const [name, raw] of Object.entries(context.cliNodeParameters)) {
    if (!declared.has(name)) {
      throw new ConfigurationError(
        `--param ${node.name}.${name}: step ${step.name} has no parameter ${name} ` +
          `(its parameters: ${[...declared.keys()].join(', ') || 'none'})`,
      );
    }
    parameters[name] = parseCliValue(raw, declared.get(name));
  }

  const inputs: Record<string, EdgeFile[]> = {};
  for (const [name] of Object.entries(context.cliInputs)) {
    if (!step.inputs.some((i) => i.name === name)) {
      throw new ConfigurationError(`--input ${node.name}.${name}: step ${step.name} has no input ${name}`);
    }
  }
  for (const input of step.inputs) {
    const cli = context.cliInputs[input.name];
    if (cli !== undefined) {
      inputs[input.name] = mergeInputFiles(
        input,
        await resolveInputValues(cli, input, context.repositoryDir, node.name),
        [],
        'replace',
      );
      continue;
    }
    const fromEdges = edges.inputs[input.name];
    const useDefaults = fromEdges === undefined || node.edgeMergeMode === 'append';
    const defaults = useDefaults ? await resolveInputValues(input.default, input, context.repositoryDir, node.name) : [];
    const files = mergeInputFiles(input, fromEdges, defaults, node.edgeMergeMode);
    if (files.length === 0 && !input.optional) {
      throw new ConfigurationError(
        `node ${node.name}: input ${input.name} has no files (no default, no edge delivered any); ` +
          `give one with --input ${node.name}.${input.name}=PATH or mark the input optional`,
      );
    }
    inputs[input.name] = files;
  }

  // Forwarded runner variables first (x-mlops environment.forward), then the step's defaults and edges.
  const environment: Record<string, string> = forwardedEnvironment(config.mlops.environment);
  for (const variable of step.environmentVariables) {
    if (variable.default !== undefined) environment[variable.name] = variable.default;
  }
  Object.assign(environment, edges.environment);
  const code = context.codeVersion ?? (await codeVersion(context.repositoryDir, { exclude: [config.file] }));

  const task = node.type === 'task' && node.task !== undefined ? config.tasks.get(node.task) : undefined;
  if (node.type === 'task' && node.task !== undefined && !task) {
    throw new ConfigurationError(`node ${node.name}: task blueprint '${node.task}' is not defined`);
  }
  const variants =
    node.type === 'task'
      ? expandVariants(parameters, step.parameters, task, context.blueprintSets)
      : [{ parameters, varied: undefined as Record<string, ParameterValue> | undefined }];
  if (variants.length === 0) throw new ConfigurationError(`task node ${node.name} defines no variants`);

  // A URL's content, not its address, decides reuse: a changed file on the server re-runs the node.
  if (context.downloadCacheDir !== undefined) {
    for (const files of Object.values(inputs)) {
      for (const file of files) {
        if (file.source.kind !== 'url' || file.sha256 !== undefined) continue;
        const download = await downloadToCache(file.source.url, context.downloadCacheDir, { refetch: context.refetchUrls === true });
        file.sha256 = download.record.sha256;
        file.size = download.record.size;
      }
    }
  }
  const inputChecksums: Record<string, { relativePath: string; sha256: string }[]> = {};
  for (const [name, files] of Object.entries(inputs)) {
    inputChecksums[name] = files.map((f) => ({
      relativePath: f.relativePath,
      sha256: f.sha256 ?? (f.source.kind === 'url' ? `url:${f.source.url}` : `unknown:${f.relativePath}`),
    }));
  }

  const executions = variants.map((variant): PlannedExecution => {
    // Typed as the platform types them (config-files.ts), so the recorded command is the one that runs.
    const parameters = castParameterValues(step, variant.parameters);
    const command = joinCommand(renderCommand(step, typedCommandValues(step, parameters)));
    const planned: PlannedExecution = {
      parameters,
      inputs,
      environment,
      command,
      reuseKey: reuseKey({
        stepDefinition: step,
        renderedCommand: command,
        parameters,
        image: step.image,
        inputChecksums,
        environment: environmentForKey(environment, config.mlops.environment),
        codeVersion: code,
        node: node.name,
      }),
    };
    if (variant.varied !== undefined && Object.keys(variant.varied).length > 0) planned.variant = variant.varied;
    return planned;
  });
  return { step, executions, warnings: edges.warnings };
}

/** Random bytes for execution ids, drawn from the system a few thousand at a time rather than 3 per id. */
const idRandomness = { pool: Buffer.alloc(0), offset: 0 };

function randomHex(bytes: number): string {
  if (idRandomness.offset + bytes > idRandomness.pool.length) {
    idRandomness.pool = randomBytes(3 * 1024);
    idRandomness.offset = 0;
  }
  const start = idRandomness.offset;
  idRandomness.offset += bytes;
  return idRandomness.pool.toString('hex', start, start + bytes);
}

/** Node names as they appear in execution ids, worked out once per node rather than per execution. */
const nodeSlugs = new Map<string, string>();

/** A file-system-safe execution id: `<node-slug>-<index>-<random>`. */
export function newExecutionId(nodeName: string, index: number): string {
  let slug = nodeSlugs.get(nodeName);
  if (slug === undefined) {
    slug = (nodeName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'node').slice(0, 40);
    nodeSlugs.set(nodeName, slug);
  }
  return `${slug}-${index}-${randomHex(3)}`;
}
