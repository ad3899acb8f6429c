/**
 * What the selection rule compares: candidates (one per execution) and a baseline (the production
 * model's metrics). They come from evaluation JSON files, from a run record, or from a baseline file.
 * Everything read from disk is checked field by field: a malformed file is a ConfigurationError that
 * names the file, never a crash further down.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import picomatch from 'picomatch';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { resolveRunId, runDir } from '../store/runs.js';

export interface CandidateOutput {
  path: string;
  sha256: string;
  size: number;
}

export interface Candidate {
  node: string;
  executionId: string;
  /** `succeeded` (or `completed`) for usable executions; anything else is excluded with a reason. */
  status: string;
  parameters: Record<string, unknown>;
  /** Last value of each metadata key. */
  metrics: Record<string, unknown>;
  outputs: CandidateOutput[];
  /** Numeric metadata values in the order they were printed, per key, when more than one was printed. */
  series?: Record<string, number[]>;
  /**
   * The executions of the same run whose outputs this one received as inputs (an evaluation's training
   * execution, say), found by sha256: where the model files and hyperparameters of a candidate live.
   */
  upstream?: { node: string; executionId: string; outputs: CandidateOutput[] }[];
}

export interface Baseline {
  /** Where the numbers come from, for the report: a file path, `run <id>`, a model version… */
  source: string;
  metrics: Record<string, unknown>;
  /** Optional human label, e.g. `production (v12)`. */
  label?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordOrEmpty(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function parseOutputs(value: unknown): CandidateOutput[] {
  if (!Array.isArray(value)) return [];
  const outputs: CandidateOutput[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item['path'] !== 'string') continue;
    outputs.push({
      path: item['path'],
      sha256: typeof item['sha256'] === 'string' ? item['sha256'] : '',
      size: typeof item['size'] === 'number' ? item['size'] : 0,
    });
  }
  return outputs;
}

/** Series from metadata events (`[{values:{…}}]` as in ExecutionResult.metadata); only keys printed twice or more. */
export function seriesFromMetadataEvents(events: unknown): Record<string, number[]> | undefined {
  if (!Array.isArray(events)) return undefined;
  const series: Record<string, number[]> = {};
  for (const event of events) {
    const values = isRecord(event) && isRecord(event['values']) ? event['values'] : undefined;
    if (!values) continue;
    for (const [key, value] of Object.entries(values)) {
      if (key.startsWith('_') || typeof value !== 'number' || !Number.isFinite(value)) continue;
      (series[key] ??= []).push(value);
    }
  }
  for (const key of Object.keys(series)) {
    if ((series[key]?.length ?? 0) < 2) delete series[key];
  }
  return Object.keys(series).length > 0 ? series : undefined;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read ${what} ${path}: ${getErrorMessage(error)}`);
  }
  try {
    // Python's json.dumps writes NaN/Infinity, which JSON.parse rejects; map them to strings we report.
    return JSON.parse(text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, '"$1"'));
  } catch (error) {
    throw new ConfigurationError(`${what} ${path} is not valid JSON: ${getErrorMessage(error)}`);
  }
}

const reservedEvaluationKeys = new Set(['node', 'executionId', 'execution_id', 'status', 'parameters', 'metrics', 'outputs', 'series']);

function candidateFromEvaluation(value: unknown, file: string, name: string, index: number, count: number): Candidate {
  if (!isRecord(value)) {
    throw new ConfigurationError(`evaluation file ${file}: entry ${index + 1} is not a JSON object`);
  }
  const fallbackNode = name + (count > 1 ? `-${index + 1}` : '');
  // Either `{metrics: {…}, …}` or a flat object of metric values (what a script would json.dump).
  const metrics = isRecord(value['metrics'])
    ? value['metrics']
    : Object.fromEntries(Object.entries(value).filter(([key]) => !reservedEvaluationKeys.has(key)));
  const candidate: Candidate = {
    node: stringOr(value['node'], fallbackNode),
    executionId: stringOr(value['executionId'] ?? value['execution_id'], `${fallbackNode}`),
    status: stringOr(value['status'], 'succeeded'),
    parameters: recordOrEmpty(value['parameters']),
    metrics,
    outputs: parseOutputs(value['outputs']),
  };
  if (isRecord(value['series'])) {
    const series: Record<string, number[]> = {};
    for (const [key, points] of Object.entries(value['series'])) {
      if (Array.isArray(points)) series[key] = points.filter((p): p is number => typeof p === 'number');
    }
    candidate.series = series;
  }
  return candidate;
}

/**
 * Default candidate names: the file name without extension when those are unique (`fast.json`,
 * `slow.json`), else the path below the files' common folder (`fast/evaluation`, `slow/evaluation`).
 */
function defaultNames(paths: string[]): string[] {
  const stems = paths.map((path) => basename(path, extname(path)));
  if (new Set(stems).size === stems.length) return stems;
  const split = paths.map((path) => path.split(/[\\/]/));
  let common = 0;
  while (split.every((parts) => parts.length - 1 > common && parts[common] === split[0]?.[common])) common++;
  return split.map((parts) => {
    const rest = parts.slice(common).join('/');
    return rest.slice(0, rest.length - extname(rest).length);
  });
}

/**
 * Reads evaluation JSON files: each holds one object or an array of objects, either
 * `{node?, executionId?, status?, parameters?, metrics: {…}, outputs?, series?}` or a flat object of
 * metrics. The node name defaults to the file's name (see defaultNames); `-<n>` is appended for the
 * entries of an array.
 */
export async function candidatesFromEvaluationFiles(paths: string[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const names = defaultNames(paths);
  for (const [fileIndex, path] of paths.entries()) {
    const data = await readJson(path, 'evaluation file');
    const entries = Array.isArray(data) ? data : [data];
    const name = names[fileIndex] ?? basename(path);
    entries.forEach((entry, index) => candidates.push(candidateFromEvaluation(entry, path, name, index, entries.length)));
  }
  return candidates;
}

/**
 * Reads a baseline file: `{metrics: {…}, source?, label?}` or a flat object of metrics.
 */
export async function loadBaselineFile(path: string): Promise<Baseline> {
  const data = await readJson(path, 'baseline file');
  if (!isRecord(data)) throw new ConfigurationError(`baseline file ${path} must hold a JSON object`);
  if (isRecord(data['metrics'])) {
    const baseline: Baseline = { source: stringOr(data['source'], path), metrics: data['metrics'] };
    if (typeof data['label'] === 'string') baseline.label = data['label'];
    return baseline;
  }
  return { source: path, metrics: data };
}

const runIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `<project-dir>/runs/<runId>` (project dir: the `.mlops` folder); the id must be a plain folder name so that it cannot escape `runs/`. */
export function runDirectory(projectDir: string, runId: string): string {
  if (!runIdPattern.test(runId) || runId.includes('..')) {
    throw new ConfigurationError(`run id '${runId}' is not a valid run id (letters, digits, '.', '_' and '-')`);
  }
  return runDir(projectDir, runId);
}

/** What became of a deployment node: deployed, or skipped by the gate with its reason. */
export interface DeploymentOutcome {
  node: string;
  state: string;
  reason?: string;
}

export interface RunCandidates {
  runId: string;
  pipeline: string;
  status: string;
  candidates: Candidate[];
  deployments: DeploymentOutcome[];
}

/** The deployment nodes of a run record's `nodes` (`{[node]: {type: 'deployment', state, reason?}}`). */
export function deploymentOutcomes(nodes: Record<string, unknown>): DeploymentOutcome[] {
  const outcomes: DeploymentOutcome[] = [];
  for (const [node, record] of Object.entries(nodes)) {
    if (!isRecord(record) || record['type'] !== 'deployment') continue;
    const outcome: DeploymentOutcome = { node, state: stringOr(record['state'], 'unknown') };
    if (typeof record['reason'] === 'string') outcome.reason = record['reason'];
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Candidates of every execution of a run, read from `.mlops/runs/<runId>/run.json`, assumed shape:
 * `{id, pipeline, status, nodes: {[node]: {executions: [{executionId, status, parameters,
 * latestMetadata, outputs: [{path, sha256, size}], metadata?}]}}}`. Unknown or missing fields are
 * tolerated: the record belongs to the scheduler, and a partial run must still compare.
 */
export async function loadRunCandidates(projectDir: string, runIdOrPrefix: string): Promise<RunCandidates> {
  const runId = await resolveRunId(projectDir, runIdOrPrefix);
  const file = join(runDirectory(projectDir, runId), 'run.json');
  const data = await readJson(file, 'run record');
  if (!isRecord(data)) throw new ConfigurationError(`run record ${file} must hold a JSON object`);
  return {
    runId,
    pipeline: stringOr(data['pipeline'], 'pipeline'),
    status: stringOr(data['status'], 'unknown'),
    candidates: candidatesFromNodeRecords(recordOrEmpty(data['nodes'])),
    deployments: deploymentOutcomes(recordOrEmpty(data['nodes'])),
  };
}

/**
 * Candidates of the `nodes` of a run record (`{[node]: {executions: [...]}}`, see loadRunCandidates),
 * with lineage. Also fed with records rebuilt from a workflow run's node artifacts.
 */
export function candidatesFromNodeRecords(nodes: Record<string, unknown>): Candidate[] {
  const candidates: Candidate[] = [];
  const lineage = new RunLineage(nodes);
  for (const [node, nodeRecord] of Object.entries(nodes)) {
    const executions = isRecord(nodeRecord) && Array.isArray(nodeRecord['executions']) ? nodeRecord['executions'] : [];
    executions.forEach((execution: unknown, index: number) => {
      if (!isRecord(execution)) return;
      const candidate: Candidate = {
        node,
        executionId: stringOr(execution['executionId'], `${node}#${index + 1}`),
        status: stringOr(execution['status'], 'unknown'),
        parameters: recordOrEmpty(execution['parameters']),
        metrics: recordOrEmpty(execution['latestMetadata']),
        outputs: parseOutputs(execution['outputs']),
      };
      const series = seriesFromMetadataEvents(execution['metadata']);
      if (series) candidate.series = series;
      lineage.attach(candidate, execution);
      candidates.push(candidate);
    });
  }
  return candidates;
}

interface ProducedBy {
  node: string;
  executionId: string;
  parameters: Record<string, unknown>;
  outputs: CandidateOutput[];
  inputs: unknown;
}

/**
 * Who produced which file in a run (by sha256), so that a candidate that only evaluates a model can be
 * shown with the hyperparameters and files of the execution that trained it.
 */
class RunLineage {
  private readonly producers = new Map<string, ProducedBy>();
  private readonly depths = new Map<ProducedBy, number>();

  constructor(nodes: Record<string, unknown>) {
    for (const [node, nodeRecord] of Object.entries(nodes)) {
      const executions = isRecord(nodeRecord) && Array.isArray(nodeRecord['executions']) ? nodeRecord['executions'] : [];
      for (const execution of executions) {
        if (!isRecord(execution) || typeof execution['executionId'] !== 'string') continue;
        const producer: ProducedBy = {
          node,
          executionId: execution['executionId'],
          parameters: recordOrEmpty(execution['parameters']),
          outputs: parseOutputs(execution['outputs']),
          inputs: execution['inputs'],
        };
        for (const output of producer.outputs) if (!this.producers.has(output.sha256)) this.producers.set(output.sha256, producer);
      }
    }
  }

  /** The executions whose outputs arrived in these recorded inputs (`{name: [{sha256}]}`). */
  private upstreamOf(inputs: unknown, self: string): ProducedBy[] {
    const found: ProducedBy[] = [];
    for (const files of Object.values(recordOrEmpty(inputs))) {
      if (!Array.isArray(files)) continue;
      for (const file of files) {
        const sha = isRecord(file) && typeof file['sha256'] === 'string' ? file['sha256'] : undefined;
        const producer = sha === undefined ? undefined : this.producers.get(sha);
        if (producer && producer.executionId !== self && !found.includes(producer)) found.push(producer);
      }
    }
    return found;
  }

  /** Distance from the sources; on a parameter clash the deeper (later) producer wins. */
  private depth(producer: ProducedBy, seen = new Set<ProducedBy>()): number {
    const known = this.depths.get(producer);
    if (known !== undefined) return known;
    if (seen.has(producer)) return 0;
    seen.add(producer);
    const parents = this.upstreamOf(producer.inputs, producer.executionId);
    const depth = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => this.depth(p, seen)));
    this.depths.set(producer, depth);
    return depth;
  }

  attach(candidate: Candidate, execution: Record<string, unknown>): void {
    const upstream = this.upstreamOf(execution['inputs'], candidate.executionId);
    if (upstream.length === 0) return;
    const byDepth = [...upstream].sort((a, b) => this.depth(a) - this.depth(b));
    const inherited: Record<string, unknown> = {};
    for (const producer of byDepth) Object.assign(inherited, producer.parameters);
    candidate.parameters = { ...inherited, ...candidate.parameters };
    candidate.upstream = upstream.map(({ node, executionId, outputs }) => ({ node, executionId, outputs }));
  }
}

/**
 * Which executions compete. By default the nodes that reported the selection metric in at least one
 * execution (so preprocessing nodes stay out, while a failed training execution of a competing node
 * stays in and is excluded with a reason). With `nodeGlobs`, the nodes whose name matches one of them.
 */
export function filterCandidates(candidates: Candidate[], metric: string, nodeGlobs?: string[]): Candidate[] {
  if (nodeGlobs && nodeGlobs.length > 0) {
    const matches = picomatch(nodeGlobs);
    return candidates.filter((candidate) => matches(candidate.node));
  }
  const competingNodes = new Set(candidates.filter((c) => metric in c.metrics).map((c) => c.node));
  return candidates.filter((candidate) => competingNodes.has(candidate.node));
}
