/**
 * Candidates of a pipeline spread over many jobs (the plan → wave jobs → compare workflow): the node
 * artifacts that run-node uploaded to the current workflow run. Each artifact's manifest (verified
 * download) gives status, parameters, metadata and output files; its `execution.json` gives the
 * recorded inputs, so lineage (which training an evaluation scored) is rebuilt like for a local run.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { artifactClient, isArtifactNotFound } from '../adapters/lazy-clients.js';
import { artifactNameCandidates, downloadNodeArtifact } from '../adapters/artifacts.js';
import { EXECUTION_FILE, OUTPUTS_PREFIX } from './node-artifact.js';
import type { NodeManifest } from '../adapters/node-manifest.js';
import { loadPipelineFile } from '../pipeline/load.js';
import type { PipelineNode } from '../pipeline/model.js';
import { variantExecutionId } from '../plan/artifact-name.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { candidatesFromNodeRecords, type DeploymentOutcome, type Candidate } from '../compare/candidates.js';

/** A task node never has this many variants; the bound stops a runaway artifact search. */
const MAX_VARIANTS = 10_000;

export interface WorkflowRunCandidates {
  pipeline: string;
  candidates: Candidate[];
  /** Names of the artifacts read, in pipeline node order. */
  artifacts: string[];
  /** The pipeline's deployment nodes in this run: deployed, or skipped by the gate with the reason. */
  deployments: DeploymentOutcome[];
}

export interface WorkflowRunOptions {
  /** Pipeline file (for the node list and task nodes). */
  file: string;
  pipeline: string;
  /** `GITHUB_RUN_ATTEMPT`: artifacts of this attempt or, for nodes not re-run, of an earlier one. */
  runAttempt: number;
  /** Scratch folder for the downloads (`RUNNER_TEMP`). */
  tempDir?: string;
  /** Only these nodes' artifacts (a deployment gate's ancestors); default: every node's. */
  nodes?: ReadonlySet<string>;
}

/** Artifact names (one per execution: one per task variant) of a node that exist in the run. */
function presentArtifacts(pipeline: string, node: PipelineNode, runAttempt: number, present: ReadonlySet<string>): string[] {
  const pick = (variant?: string): string | undefined =>
    artifactNameCandidates({ pipeline, node: node.name, ...(variant !== undefined ? { variant } : {}), runAttempt }).find((name) =>
      present.has(name),
    );
  if (node.type !== 'task') {
    const name = pick();
    return name === undefined ? [] : [name];
  }
  const names: string[] = [];
  for (let index = 0; index < MAX_VARIANTS; index++) {
    const name = pick(variantExecutionId(node.name, index));
    if (name === undefined) break;
    names.push(name);
  }
  return names;
}

/** The run record shape `candidatesFromNodeRecords` reads, for one execution rebuilt from its artifact. */
function executionRecord(manifest: NodeManifest, execution: Record<string, unknown>): Record<string, unknown> {
  return {
    executionId: manifest.executionId,
    // A reused node's outputs are those of an earlier success: it competes like the local runner's.
    status: manifest.status === 'reused' ? 'succeeded' : manifest.status,
    parameters: manifest.parameters,
    latestMetadata: manifest.metadata.latest,
    metadata: manifest.metadata.events,
    outputs: manifest.files
      .filter((file) => file.path.startsWith(OUTPUTS_PREFIX))
      .map((file) => ({ path: file.path.slice(OUTPUTS_PREFIX.length), size: file.size, sha256: file.sha256 })),
    inputs: execution['inputs'] ?? {},
  };
}

/** Downloads the manifests (and execution records) of every node of the pipeline in this workflow run. */
export async function loadWorkflowRunCandidates(options: WorkflowRunOptions): Promise<WorkflowRunCandidates> {
  const loaded = await loadPipelineFile(options.file);
  const pipeline = loaded.config?.pipelines.get(options.pipeline);
  if (!loaded.config) throw new ConfigurationError(`cannot read the pipeline file ${options.file} to find the node artifacts`);
  if (!pipeline) {
    throw new ConfigurationError(
      `no pipeline named "${options.pipeline}" in ${options.file}; pipelines: ${[...loaded.config.pipelines.keys()].join(', ') || '(none)'}`,
    );
  }
  const listing = await (await artifactClient()).listArtifacts({ latest: true }).catch((error: unknown) => {
    throw new ConfigurationError(`Cannot list the artifacts of this workflow run: ${getErrorMessage(error)}`);
  });
  const present = new Set(listing.artifacts.map((artifact) => artifact.name));

  const nodes: Record<string, { executions: Record<string, unknown>[] }> = {};
  const artifacts: string[] = [];
  const deployments: DeploymentOutcome[] = [];
  const scratch = await mkdtemp(join(options.tempDir ?? tmpdir(), 'mlops-compare-'));
  try {
    for (const node of pipeline.nodes) {
      if (options.nodes && !options.nodes.has(node.name)) continue;
      for (const name of presentArtifacts(options.pipeline, node, options.runAttempt, present)) {
        const destination = await mkdtemp(join(scratch, 'node-'));
        const { manifest } = await downloadNodeArtifact({ name, destination, select: (path) => path === EXECUTION_FILE });
        if (manifest.pipeline !== options.pipeline || manifest.node !== node.name) {
          throw new ConfigurationError(
            `Artifact "${name}" holds node "${manifest.node}" of pipeline "${manifest.pipeline}"; expected node "${node.name}" of "${options.pipeline}"`,
          );
        }
        let execution: Record<string, unknown> = {};
        try {
          const parsed: unknown = JSON.parse(await readFile(join(destination, EXECUTION_FILE), 'utf8'));
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) execution = parsed as Record<string, unknown>;
        } catch (error) {
          throw new ConfigurationError(`Artifact "${name}": cannot read ${EXECUTION_FILE}: ${getErrorMessage(error)}`);
        }
        artifacts.push(name);
        // A deployment node records files, never metrics: it cannot be a candidate, only said in the report.
        if (node.type === 'deployment') {
          const state = typeof execution['nodeState'] === 'string' ? execution['nodeState'] : manifest.status;
          deployments.push({ node: node.name, state, ...(typeof execution['nodeReason'] === 'string' ? { reason: execution['nodeReason'] } : {}) });
          continue;
        }
        (nodes[node.name] ??= { executions: [] }).executions.push(executionRecord(manifest, execution));
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  if (artifacts.length === 0) {
    throw new ConfigurationError(
      `No node artifacts of pipeline "${options.pipeline}" in this workflow run: did the wave jobs run and upload their outputs?`,
    );
  }
  return { pipeline: options.pipeline, candidates: candidatesFromNodeRecords(nodes), artifacts, deployments };
}

/**
 * Artifact name of the compare job's decision in a run attempt, so that the report job (another
 * runner) can read it: `mlops-decision--<pipeline slug>--<hash of the exact name>--attempt-<n>`.
 */
export function decisionArtifactName(pipeline: string, runAttempt: number): string {
  const slug = pipeline.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 60) || '_';
  const identity = createHash('sha256').update(JSON.stringify(['decision', pipeline])).digest('hex').slice(0, 10);
  return `mlops-decision--${slug}--${identity}--attempt-${runAttempt}`;
}

/** Uploads the stored decision file (one file, at the artifact's root) for the report job. */
export async function uploadDecisionArtifact(file: string, pipeline: string, runAttempt: number): Promise<string> {
  const name = decisionArtifactName(pipeline, runAttempt);
  await (await artifactClient()).uploadArtifact(name, [file], dirname(file)).catch((error: unknown) => {
    throw new ConfigurationError(`Cannot upload the decision as artifact "${name}": ${getErrorMessage(error)}`);
  });
  return name;
}

/**
 * Downloads the decision the compare job of this workflow run uploaded (the newest attempt that has
 * one) into `destination`; returns the decision file's path.
 */
export async function downloadDecisionArtifact(pipeline: string, runAttempt: number, destination: string): Promise<string> {
  const client = await artifactClient();
  for (let attempt = runAttempt; attempt >= 1; attempt--) {
    const name = decisionArtifactName(pipeline, attempt);
    const found = await client.getArtifact(name).catch((error: unknown) => {
      if (isArtifactNotFound(error)) return undefined;
      throw new ConfigurationError(`Cannot look up artifact "${name}": ${getErrorMessage(error)}`);
    });
    if (!found) continue;
    await mkdir(destination, { recursive: true });
    await client.downloadArtifact(found.artifact.id, { path: destination }).catch((error: unknown) => {
      throw new ConfigurationError(`Cannot download artifact "${name}": ${getErrorMessage(error)}`);
    });
    return join(destination, decisionFileName(pipeline));
  }
  throw new ConfigurationError(
    `No decision of pipeline "${pipeline}" in this workflow run (artifact "${decisionArtifactName(pipeline, runAttempt)}"): did the compare job run?`,
  );
}

/** File name the compare action stores a pipeline's decision under (`<project-dir>/compare/<name>`). */
export function decisionFileName(pipeline: string): string {
  return basename(`${pipeline.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}
