/**
 * Batch inference with a registered model: `mlops run --pipeline batch-inference --model production`
 * resolves the selector in the local registry, copies the version's verified files to a folder, hands
 * them to the pipeline's model input (`--input NODE.INPUT=…` under the hood), and after the run records
 * which model version scored which data.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { hashFile } from '../store/content-store.js';
import type { PipelineConfig } from '../pipeline/model.js';
import { runDir, type RunRecord } from '../store/runs.js';
import { stepForNode } from '../exec/plan-run.js';
import { ConfigurationError } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { LocalRegistry, type ScoringRecord } from './local.js';
import { formatSelector, splitModelReference, type ModelVersion } from './model.js';

/** File written next to a run record that scored data with a registered model. */
export const RUN_MODEL_FILE = 'model-version.json';

/** `NODE.INPUT`: the given one (checked), else the only input named `model` among the pipeline's nodes. */
export function findModelInput(config: PipelineConfig, pipelineName: string, explicit?: string): string {
  const pipeline = config.pipelines.get(pipelineName);
  if (!pipeline) throw new ConfigurationError(`no pipeline '${pipelineName}'`);
  const sockets: string[] = [];
  for (const node of pipeline.nodes) {
    if (node.type === 'deployment') continue;
    for (const input of stepForNode(config, node).inputs) sockets.push(`${node.name}.${input.name}`);
  }
  if (explicit !== undefined) {
    if (!sockets.includes(explicit)) throw new ConfigurationError(`--model-input ${explicit}: pipeline '${pipelineName}' has no such node input (inputs: ${sockets.join(', ') || 'none'})`);
    return explicit;
  }
  const named = sockets.filter((s) => s.endsWith('.model'));
  const [only] = named;
  if (only === undefined || named.length > 1) {
    throw new ConfigurationError(
      `pipeline '${pipelineName}' has ${named.length === 0 ? 'no input named model' : `several inputs named model (${named.join(', ')})`}: say which one gets the model with --model-input NODE.INPUT (inputs: ${sockets.join(', ') || 'none'})`,
    );
  }
  return only;
}

export interface PreparedModel {
  version: ModelVersion;
  /** `NODE.INPUT` */
  modelInput: string;
  /** Verified copies of the version's files, to pass as that input. */
  paths: string[];
}

/** Resolves `[NAME@]SELECTOR` and writes the version's verified files under `<projectDir>/registry/checkout/`. */
export async function prepareModel(projectDir: string, config: PipelineConfig, pipelineName: string, reference: string, modelInput?: string): Promise<PreparedModel> {
  const socket = findModelInput(config, pipelineName, modelInput);
  const registry = new LocalRegistry(projectDir);
  const parsed = splitModelReference(reference);
  const name = parsed.name ?? (await registry.defaultModelName());
  const version = await registry.resolve(name, parsed.selector);
  const dest = join(registry.root, 'checkout', name, `v${version.version}`);
  const paths = await registry.pull(version, dest);
  process.stderr.write(`model ${name} ${formatSelector(parsed.selector)} = v${version.version} → ${socket}\n`);
  return { version, modelInput: socket, paths };
}

async function sha256Of(path: string): Promise<string | undefined> {
  try {
    return (await hashFile(path)).sha256;
  } catch {
    return undefined;
  }
}

/** After the run: which version scored which data, in the registry's scoring log and beside the run record. */
export async function recordScoring(projectDir: string, run: RunRecord, prepared: PreparedModel, now = new Date()): Promise<ScoringRecord> {
  const [node = '', input = ''] = [prepared.modelInput.slice(0, prepared.modelInput.indexOf('.')), prepared.modelInput.slice(prepared.modelInput.indexOf('.') + 1)];
  const execution = run.nodes[node]?.executions.at(-1);
  const data: ScoringRecord['data'] = [];
  for (const [name, files] of Object.entries(execution?.inputs ?? {})) {
    if (name === input) continue;
    for (const file of files) {
      const sha256 = file.sha256 ?? (file.source.kind === 'path' ? await sha256Of(file.source.path) : file.source.kind === 'store' ? file.source.sha256 : undefined);
      const path = file.source.kind === 'path' ? file.source.path : file.source.kind === 'url' ? file.source.url : file.relativePath;
      data.push({ input: name, path, ...(sha256 !== undefined ? { sha256 } : {}) });
    }
  }
  const record: ScoringRecord = {
    at: now.toISOString(),
    model: prepared.version.name,
    version: prepared.version.version,
    runId: run.id,
    pipeline: run.pipeline,
    modelInput: prepared.modelInput,
    data,
    outputs: (execution?.outputs ?? []).map((o) => ({ path: o.path, sha256: o.sha256 })),
    status: run.status,
  };
  await new LocalRegistry(projectDir).recordScoring(record);
  await writeJsonAtomic(join(runDir(projectDir, run.id), RUN_MODEL_FILE), {
    ...record,
    files: prepared.version.files,
    // One digest over the model's files, for a one-glance comparison between runs.
    modelDigest: createHash('sha256').update(prepared.version.files.map((f) => `${f.path}:${f.sha256}`).join('\n')).digest('hex'),
  });
  return record;
}
