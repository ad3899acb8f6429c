/**
 * What to register from a finished run: the model files, their metrics and lineage.
 *
 * Either the winner of the run's compare decision (computed with the pipeline file's selection rule
 * when the run has none stored yet), or the outputs of a named node. The winner is often an evaluate
 * node whose own outputs are only metrics: the model is then the file it received on its model input,
 * and the lineage follows that file's sha256 back to the execution that produced it (the training node).
 * The nearest `profile.json` written upstream of that producer (the training data's profile, e.g. by the
 * preprocess node) is registered with the model, so that batch inference can check drift against it.
 */
import { dirname } from 'node:path';
import picomatch from 'picomatch';
import { compareRun, readStoredDecision, resolveRule, ruleFromPipelineFile } from '../compare/compare.js';
import { ContentStore } from '../store/content-store.js';
import { loadRun, projectPaths, type ExecutionRecord, type RunRecord } from '../store/runs.js';
import type { OutputFile } from '../exec/types.js';
import { ConfigurationError } from '../util/errors.js';
import { checkRelativePath, currentCommit, scalarMetrics, type Lineage, type NewVersion } from './model.js';

export interface FromRunOptions {
  /** Register this node's outputs instead of the compare winner's model. */
  node?: string;
  /** Output globs to keep (default: every output of the node / winner); the reference profile only when it matches too. */
  files?: string[];
  /** The winner's input that holds the model it evaluated (default `model`). */
  modelInput?: string;
}

export interface RunModel extends Omit<NewVersion, 'name'> {
  runId: string;
  /** The compare decision when the winner was used (`promote`, `hold`). */
  decision?: string;
}

interface Located {
  node: string;
  execution: ExecutionRecord;
}

function allExecutions(run: RunRecord): Located[] {
  return Object.entries(run.nodes).flatMap(([node, record]) => record.executions.map((execution) => ({ node, execution })));
}

function findExecution(run: RunRecord, node: string, executionId?: string): ExecutionRecord {
  const record = run.nodes[node];
  if (!record) throw new ConfigurationError(`run ${run.id} has no node '${node}' (nodes: ${Object.keys(run.nodes).join(', ')})`);
  const usable = record.executions.filter((e) => (executionId === undefined ? e.status === 'succeeded' : e.executionId === executionId));
  const [only] = usable;
  if (!only) throw new ConfigurationError(`node '${node}' of run ${run.id} has no ${executionId ? `execution ${executionId}` : 'succeeded execution'}`);
  if (usable.length > 1) throw new ConfigurationError(`node '${node}' of run ${run.id} has ${usable.length} succeeded executions (a task); register the compare winner instead`);
  return only;
}

/** The name of the reference profile a data step writes (`mlops profile DATA -o profile.json`). */
export const PROFILE_FILE = 'profile.json';

function isProfile(output: OutputFile): boolean {
  return output.path === PROFILE_FILE || output.path.endsWith(`/${PROFILE_FILE}`);
}

/**
 * The nearest profile output upstream of `producer`: its input files are followed by sha256 to the
 * executions that wrote them, breadth first (train ← preprocess, or further back).
 */
function upstreamProfile(executions: Located[], producer: Located): { from: Located; output: OutputFile } | undefined {
  const seen = new Set<ExecutionRecord>([producer.execution]);
  let frontier = [producer];
  while (frontier.length > 0) {
    const next: Located[] = [];
    for (const current of frontier) {
      for (const file of Object.values(current.execution.inputs ?? {}).flat()) {
        if (file.sha256 === undefined) continue;
        for (const candidate of executions) {
          if (seen.has(candidate.execution) || candidate.execution.status !== 'succeeded') continue;
          if (!candidate.execution.outputs.some((o) => o.sha256 === file.sha256)) continue;
          seen.add(candidate.execution);
          const output = candidate.execution.outputs.find(isProfile);
          if (output) return { from: candidate, output };
          next.push(candidate);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}

function lineageOf(run: RunRecord, node: string, execution: ExecutionRecord): Lineage {
  const lineage: Lineage = { pipeline: run.pipeline, runId: run.id, node, executionId: execution.executionId, parameters: execution.parameters };
  const inputs = Object.entries(execution.inputs ?? {}).flatMap(([input, files]) =>
    files.map((f) => ({ input, path: f.relativePath, ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}) })),
  );
  if (inputs.length > 0) lineage.inputs = inputs;
  const commit = currentCommit(run.request?.repositoryDir ?? dirname(run.file));
  if (commit !== undefined) lineage.commit = commit;
  return lineage;
}

function keep(globs: string[] | undefined): (item: { path?: string; relativePath?: string }) => boolean {
  if (!globs || globs.length === 0) return () => true;
  const matches = picomatch(globs);
  return (item) => matches(item.path ?? item.relativePath ?? '');
}

/** Reads a run and returns what `register` needs, files pointing into the content store. */
export async function modelFromRun(projectDir: string, runIdOrPrefix: string, options: FromRunOptions = {}): Promise<RunModel> {
  const run = await loadRun(projectDir, runIdOrPrefix);
  const { model, producer } = await modelFiles(projectDir, run, options);
  const profile = producer ? upstreamProfile(allExecutions(run), producer) : undefined;
  // A file of the same name already chosen (e.g. --node preprocess) is kept as it is.
  if (profile && keep(options.files)(profile.output) && !model.files.some((f) => f.path === profile.output.path)) {
    const store = new ContentStore(projectPaths(projectDir).storeDir);
    model.files.push({ path: checkRelativePath(profile.output.path), localPath: store.pathOf(profile.output.sha256) });
    model.lineage = {
      ...model.lineage,
      referenceProfile: { path: profile.output.path, sha256: profile.output.sha256, node: profile.from.node, executionId: profile.from.execution.executionId },
    };
  }
  return model;
}

/** The model's files and metadata, and the execution that produced the files (when known). */
async function modelFiles(projectDir: string, run: RunRecord, options: FromRunOptions): Promise<{ model: RunModel; producer?: Located }> {
  const store = new ContentStore(projectPaths(projectDir).storeDir);
  const stored = (path: string, sha256: string): { path: string; localPath: string } => ({ path: checkRelativePath(path), localPath: store.pathOf(sha256) });

  if (options.node !== undefined) {
    const execution = findExecution(run, options.node);
    const outputs = execution.outputs.filter(keep(options.files));
    if (outputs.length === 0) throw new ConfigurationError(`node '${options.node}' of run ${run.id} has no outputs matching ${(options.files ?? ['*']).join(', ')}`);
    return {
      model: { runId: run.id, files: outputs.map((o) => stored(o.path, o.sha256)), metrics: scalarMetrics(execution.latestMetadata), lineage: lineageOf(run, options.node, execution) },
      producer: { node: options.node, execution },
    };
  }

  let decision = await readStoredDecision(projectDir, run.id);
  if (!decision) {
    const rule = resolveRule(await ruleFromPipelineFile(run.file), {});
    decision = (await compareRun(projectDir, run.id, { rule })).stored;
  }
  const winner = decision.winner;
  if (!winner) throw new ConfigurationError(`run ${run.id} has no winner to register (${decision.decision}: ${decision.reason}); name a node with --node`);
  const winnerExecution = findExecution(run, winner.node, winner.executionId);
  const metrics = scalarMetrics(winner.metrics);
  const modelInput = options.modelInput ?? 'model';
  const inputFiles = (winnerExecution.inputs?.[modelInput] ?? []).filter(keep(options.files));

  if (inputFiles.length === 0) {
    // The winner produced the model itself (a training node that reports the metric).
    const outputs = winnerExecution.outputs.filter(keep(options.files));
    if (outputs.length === 0) {
      throw new ConfigurationError(`the winner ${winner.node} of run ${run.id} has no '${modelInput}' input and no outputs to register; use --node NODE --files GLOB`);
    }
    return {
      model: { runId: run.id, decision: decision.decision, files: outputs.map((o) => stored(o.path, o.sha256)), metrics, lineage: lineageOf(run, winner.node, winnerExecution) },
      producer: { node: winner.node, execution: winnerExecution },
    };
  }

  const executions = allExecutions(run);
  const files: { path: string; localPath: string }[] = [];
  let producer: Located | undefined;
  for (const input of inputFiles) {
    if (input.sha256 === undefined) throw new ConfigurationError(`input '${modelInput}' of ${winner.node} (${input.relativePath}) has no recorded sha256`);
    const from = executions.find((e) => e.execution.status === 'succeeded' && e.execution.outputs.some((o) => o.sha256 === input.sha256));
    const output = from?.execution.outputs.find((o) => o.sha256 === input.sha256);
    producer ??= from;
    files.push(stored(output?.path ?? input.relativePath, input.sha256));
  }
  const lineage = producer ? lineageOf(run, producer.node, producer.execution) : lineageOf(run, winner.node, winnerExecution);
  lineage.selectedBy = { node: winner.node, executionId: winner.executionId };
  return { model: { runId: run.id, decision: decision.decision, files, metrics, lineage }, ...(producer ? { producer } : {}) };
}
