/**
 * Plans a pipeline into GitHub job matrices: one matrix per topological wave, split into chunks of at
 * most 256 entries (GitHub's matrix limit), each entry carrying everything one job needs.
 */
import { expandVariants } from './variants.js';
import type { Parameter, ParameterValue, Pipeline, PipelineConfig, PipelineNode, Step } from '../pipeline/model.js';
import { approvalAfterCompletion, approvalBeforeStart } from '../pipeline/node-actions.js';
import { optimises } from './bayesian.js';
import { ConfigurationError } from '../util/errors.js';
import { nodeArtifactBaseName, variantExecutionId } from './artifact-name.js';
import { computeLevels } from './levels.js';
import { renderPipelineMermaid } from './mermaid.js';

/** GitHub refuses a matrix of more than 256 jobs. */
export const MAX_MATRIX_SIZE = 256;
/** Used when the extension maps neither the step's environment nor `default`. */
export const FALLBACK_RUNNER = 'ubuntu-latest';

/** One job of a wave matrix. Keys are kebab-case because workflows read them as `matrix.<key>`. */
export interface MatrixEntry {
  node: string;
  kind: PipelineNode['type'];
  /** The step the node runs; absent for deployment nodes. */
  step?: string;
  /** Variant index; 0 for execution and deployment nodes. */
  variant: number;
  'execution-id': string;
  'runs-on': string | string[];
  /** Job container image; present only when the extension says `containers: container`. */
  container?: string;
  /** Parameter values this job sets: pipeline parameters aimed at the node and the task variant's. */
  parameters: Record<string, ParameterValue>;
  /** Base name of the artifact this job uploads (the uploader appends `--attempt-<n>`). */
  artifact: string;
  /** Artifact base names of the upstream producers (every variant of an upstream task node). */
  upstream: string[];
}

export interface PlanOptions {
  /** Pipeline parameter overrides by name (values from workflow_dispatch inputs or the command line). */
  parameters?: Record<string, ParameterValue>;
  /** How many wave jobs the workflow has; a deeper pipeline fails the plan. */
  maxWaves: number;
  /** Entries per matrix chunk, at most 256. */
  chunkSize?: number;
  /** How many chunk jobs the workflow has per wave; a wider wave fails the plan. Unlimited by default. */
  maxChunks?: number;
  /**
   * The workflow gates approvals itself (`mlops compile`: an environment per approved job). The wave
   * template cannot gate one matrix job, so by default a node that asks for approval fails the plan.
   */
  approvalGates?: boolean;
}

export interface PipelinePlan {
  pipeline: string;
  /** `waves[wave][chunk]` is one matrix's entries; every wave has at least one (possibly empty) chunk. */
  waves: MatrixEntry[][][];
  /** Node names in declaration order. */
  nodes: string[];
  /** Number of non-empty waves (length of the longest path, in nodes). */
  depth: number;
  mermaid: string;
  /** What a matrix planned up front cannot do as the local runner does (bayesian_tpe, task stop-condition). */
  warnings: string[];
}

function runnerFor(config: PipelineConfig, environment: string | undefined): string | string[] {
  const runners = config.mlops.runners;
  return (environment !== undefined ? runners[environment] : undefined) ?? runners['default'] ?? FALLBACK_RUNNER;
}

/** Pipeline parameter values (defaults, then overrides) by target node and step parameter. */
function parameterValuesByNode(
  pipeline: Pipeline,
  overrides: Record<string, ParameterValue>,
): Map<string, Record<string, ParameterValue>> {
  const known = new Set(pipeline.parameters.map((p) => p.name));
  const unknown = Object.keys(overrides).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const allowed = known.size > 0 ? [...known].join(', ') : '(none)';
    throw new ConfigurationError(
      `pipeline "${pipeline.name}" has no parameter ${unknown.map((n) => `"${n}"`).join(', ')}; its parameters are: ${allowed}`,
    );
  }
  const byNode = new Map<string, Record<string, ParameterValue>>();
  for (const parameter of pipeline.parameters) {
    const value = Object.hasOwn(overrides, parameter.name) ? overrides[parameter.name] : parameter.default;
    if (value === undefined) continue;
    for (const target of parameter.targets) {
      const values = byNode.get(target.node) ?? {};
      values[target.key] = value;
      byNode.set(target.node, values);
    }
  }
  return byNode;
}

function chunk<T>(items: T[], size: number): T[][] {
  if (items.length === 0) return [[]];
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

interface NodeJobs {
  entries: MatrixEntry[];
  artifacts: string[];
}

function planNode(
  config: PipelineConfig,
  pipelineName: string,
  node: PipelineNode,
  nodeParameters: Record<string, ParameterValue>,
): NodeJobs {
  if (node.type === 'deployment') {
    const artifact = nodeArtifactBaseName(pipelineName, node.name);
    const entry: MatrixEntry = {
      node: node.name,
      kind: 'deployment',
      variant: 0,
      'execution-id': variantExecutionId(node.name),
      'runs-on': runnerFor(config, undefined),
      parameters: nodeParameters,
      artifact,
      upstream: [],
    };
    return { entries: [entry], artifacts: [artifact] };
  }
  // A node with `commit:` may name a step that is not in this file; it then runs on the default runner.
  const step: Step | undefined = config.steps.get(node.step);
  const environment = node.override?.environment ?? step?.environment;
  const image = node.override?.image ?? step?.image;
  const base = {
    node: node.name,
    kind: node.type,
    step: node.step,
    'runs-on': runnerFor(config, environment),
    ...(config.mlops.containers === 'container' && image ? { container: image } : {}),
  };
  if (node.type === 'execution') {
    const artifact = nodeArtifactBaseName(pipelineName, node.name);
    const entry: MatrixEntry = {
      ...base,
      variant: 0,
      'execution-id': variantExecutionId(node.name),
      parameters: nodeParameters,
      artifact,
      upstream: [],
    };
    return { entries: [entry], artifacts: [artifact] };
  }
  const task = node.task !== undefined ? config.tasks.get(node.task) : undefined;
  // Override parameters replace the step's by name (FORMAT §3.2); `multiple` decides what a list means.
  const declared = new Map<string, Parameter>((step?.parameters ?? []).map((p) => [p.name, p]));
  for (const parameter of node.override?.parameters ?? []) declared.set(parameter.name, parameter);
  const variants = expandVariants(nodeParameters, [...declared.values()], task);
  const entries = variants.map(({ parameters }, index): MatrixEntry => ({
    ...base,
    variant: index,
    'execution-id': variantExecutionId(node.name, index),
    parameters,
    artifact: nodeArtifactBaseName(pipelineName, node.name, index),
    upstream: [],
  }));
  return { entries, artifacts: entries.map((e) => e.artifact) };
}

/** Task semantics a matrix planned before anything runs cannot express; said, never silently dropped. */
export function upFrontMatrixWarnings(config: PipelineConfig, pipeline: Pipeline): string[] {
  const warnings: string[] = [];
  for (const node of pipeline.nodes) {
    if (node.type !== 'task' || node.task === undefined) continue;
    const task = config.tasks.get(node.task);
    if (!task) continue;
    if (task.type === 'bayesian_tpe' && optimises(task)) {
      warnings.push(
        `node ${node.name}: task ${task.name} is bayesian_tpe, but a GitHub matrix is planned before any execution finishes, ` +
          `so its ${task.executionCount ?? 1} executions run as a random search here (no TPE proposals); run the pipeline with \`mlops run\` for Bayesian optimisation`,
      );
    }
    if (task.stopCondition !== undefined) {
      warnings.push(
        `node ${node.name}: task ${task.name}'s stop-condition "${task.stopCondition}" cannot stop a GitHub matrix planned up front: every execution runs; ` +
          'each execution still stops itself with a step stop-condition',
      );
    }
  }
  return warnings;
}

/**
 * A `require-approval` the wave template cannot honour: GitHub gates a whole job (an environment), and
 * a wave job is a matrix of many nodes. Said before anything runs rather than running unapproved.
 */
function refuseApprovals(config: PipelineConfig, pipeline: Pipeline): void {
  for (const node of pipeline.nodes) {
    const before = approvalBeforeStart(config, node);
    if (!before && !approvalAfterCompletion(node)) continue;
    throw new ConfigurationError(
      `node ${node.name} requires approval (${before ? 'before it starts' : 'after it completes'}), which the wave workflow ` +
        'cannot gate (one approval environment would hold a whole wave of matrix jobs); generate a workflow with ' +
        '`mlops compile`, whose jobs wait in an approval environment, or run this pipeline with `mlops run --approve`',
    );
  }
}

/**
 * Plans `pipelineName` of `config` into wave matrices. Throws a ConfigurationError for an unknown
 * pipeline or parameter, a cycle, or a pipeline deeper (or wider) than the workflow has jobs for.
 */
export function planPipeline(config: PipelineConfig, pipelineName: string, options: PlanOptions): PipelinePlan {
  const chunkSize = options.chunkSize ?? MAX_MATRIX_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_MATRIX_SIZE) {
    throw new ConfigurationError(`chunk size must be an integer from 1 to ${MAX_MATRIX_SIZE} (got ${chunkSize})`);
  }
  if (!Number.isInteger(options.maxWaves) || options.maxWaves < 1) {
    throw new ConfigurationError(`max-waves must be a positive integer (got ${options.maxWaves})`);
  }
  const pipeline = config.pipelines.get(pipelineName);
  if (!pipeline) {
    const names = [...config.pipelines.keys()];
    throw new ConfigurationError(
      `no pipeline named "${pipelineName}" in ${config.file}; ` +
        (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'),
    );
  }
  const { waves: levels, upstream } = computeLevels(pipeline);
  if (levels.length > options.maxWaves) {
    throw new ConfigurationError(
      `pipeline "${pipelineName}" needs ${levels.length} waves of jobs but the workflow has ${options.maxWaves} ` +
        `(max-waves); raise max-waves to at least ${levels.length} and add the matching wave jobs to the workflow, ` +
        'or generate a static workflow with `mlops compile`',
    );
  }

  const parameters = parameterValuesByNode(pipeline, options.parameters ?? {});
  const nodesByName = new Map(pipeline.nodes.map((n) => [n.name, n]));
  const jobs = new Map<string, NodeJobs>();
  const waves: MatrixEntry[][][] = [];
  levels.forEach((level, waveIndex) => {
    const entries: MatrixEntry[] = [];
    for (const name of level) {
      const node = nodesByName.get(name);
      if (!node) continue;
      const planned = planNode(config, pipelineName, node, parameters.get(name) ?? {});
      // Upstream artifacts are shared by every variant of the node: one array, referenced by each entry.
      const upstreamArtifacts = (upstream.get(name) ?? []).flatMap((from) => jobs.get(from)?.artifacts ?? []);
      for (const entry of planned.entries) entry.upstream = upstreamArtifacts;
      jobs.set(name, planned);
      entries.push(...planned.entries);
    }
    const chunks = chunk(entries, chunkSize);
    if (options.maxChunks !== undefined && chunks.length > options.maxChunks) {
      throw new ConfigurationError(
        `wave ${waveIndex} of pipeline "${pipelineName}" has ${entries.length} jobs, which needs ${chunks.length} ` +
          `matrices of at most ${chunkSize} but the workflow has ${options.maxChunks} per wave (chunks-per-wave); ` +
          'raise chunks-per-wave and add the matching chunk jobs, or generate a static workflow with `mlops compile`',
      );
    }
    waves.push(chunks);
  });

  if (!options.approvalGates) refuseApprovals(config, pipeline);
  return {
    pipeline: pipelineName,
    waves,
    nodes: pipeline.nodes.map((n) => n.name),
    depth: levels.length,
    mermaid: renderPipelineMermaid(pipeline),
    warnings: upFrontMatrixWarnings(config, pipeline),
  };
}
