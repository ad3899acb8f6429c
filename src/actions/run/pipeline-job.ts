/**
 * The root action's work: the whole pipeline in this one job with the local runner (`runPipeline`),
 * then the outputs, metadata, logs and run record as one artifact, and a job summary.
 *
 * Artifact `mlops-run-<pipeline>-<attempt>`: `run.json` (the run record, as `.mlops/runs/<id>/run.json`)
 * and per execution `nodes/<node>/<execution-id>/{outputs/…, metadata.jsonl, log.txt}`.
 */
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { artifactClient } from '../../adapters/lazy-clients.js';
import * as core from '@actions/core';
import type { ContainerRuntime } from '../../exec/container.js';
import { stepForNode } from '../../exec/plan-run.js';
import { runPipeline, type RunEvent } from '../../exec/scheduler.js';
import { outcomesGate } from '../../compare/gate.js';
import { releasesRegistry } from '../../github/registry.js';
import { registryBaselineRequest } from '../../registry/baseline.js';
import { decideValohaiPaths, describeValohaiPathsDecision, type ValohaiPathsPolicy } from '../../exec/valohai-paths.js';
import { loadConfig, requireContainerImage } from '../../github/node-job.js';
import { joinCommand, parameterDefaults, renderCommand } from '../../pipeline/command.js';
import type { ParameterValue, PipelineConfig } from '../../pipeline/model.js';
import { ContentStore } from '../../store/content-store.js';
import { projectPaths, runDir, type RunRecord } from '../../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';

export interface PipelineJobOptions {
  /** Reads the releases registry for the deployment gate's baseline. */
  githubToken?: string;
  file: string;
  pipeline: string;
  parameters: Record<string, ParameterValue>;
  workspace: string;
  tempDir: string;
  runAttempt: number;
  /** Whether hard-coded `/valohai/...` paths are linked (the `valohai-paths` input); absent: never. */
  valohaiPaths?: ValohaiPathsPolicy;
  /** Run every execution in its step's image with this engine (the `container` input); absent: on the runner. */
  container?: ContainerRuntime;
}

export interface PipelineJobResult {
  run: RunRecord;
  artifactName: string;
  /** Where the run record is, in the workspace. */
  runFile: string;
}

/** Name of the run's artifact: only characters GitHub accepts everywhere. */
export function runArtifactName(pipeline: string, runAttempt: number): string {
  const slug = pipeline.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 80) || '_';
  return `mlops-run-${slug}-${runAttempt}`;
}

function folderName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';
}

function describeEvent(event: RunEvent): string | undefined {
  switch (event.kind) {
    case 'node':
      return `${event.node}: ${event.state}${event.reason !== undefined ? ` (${event.reason})` : ''}`;
    case 'notice':
      return event.node !== undefined ? `${event.node}: ${event.message}` : event.message;
    case 'run-finished':
      return `run ${event.runId} ${event.status}${event.reason !== undefined ? `: ${event.reason}` : ''}`;
    case 'line': // the node's own log is its artifact's, not the job log's
    case 'run-started':
      return undefined;
  }
}

/**
 * What the pipeline's commands may hard-code, known before it runs: each step's command rendered with
 * its defaults, and the parameter overrides (a path can arrive as a value). Edges can bring other values;
 * the scheduler checks each execution's real command before linking.
 */
function pipelineCommands(config: PipelineConfig, pipeline: string, parameters: Record<string, string>): string[] {
  const commands = Object.values(parameters);
  for (const node of config.pipelines.get(pipeline)?.nodes ?? []) {
    if (node.type === 'deployment') continue;
    const step = stepForNode(config, node);
    commands.push(joinCommand(renderCommand(step, parameterDefaults(step))));
  }
  return commands;
}

/** Lays the run's files out for the artifact and returns their paths, relative to `dir`. */
async function stageRun(run: RunRecord, projectDir: string, dir: string): Promise<string[]> {
  const store = new ContentStore(projectPaths(projectDir).storeDir);
  const files: string[] = [];
  await copyFile(join(runDir(projectDir, run.id), 'run.json'), join(dir, 'run.json'));
  files.push('run.json');
  for (const [node, record] of Object.entries(run.nodes)) {
    for (const execution of record.executions) {
      if (execution.executionId === '(not started)') continue;
      const base = `nodes/${folderName(node)}/${folderName(execution.executionId)}`;
      await mkdir(join(dir, ...base.split('/')), { recursive: true });
      for (const output of execution.outputs) {
        const path = `${base}/outputs/${output.path}`;
        if (!(await store.has(output.sha256))) continue;
        await store.materialise(output.sha256, join(dir, ...path.split('/')), { mode: 'copy' });
        files.push(path);
      }
      const events = execution.metadata ?? [];
      const metadataPath = `${base}/metadata.jsonl`;
      await writeFile(
        join(dir, ...metadataPath.split('/')),
        events.map((event) => `${JSON.stringify({ ...event.values, _time: event.time })}\n`).join(''),
      );
      files.push(metadataPath);
      if (execution.logPath !== '' && execution.reusedFrom === undefined) {
        const isFile = await stat(execution.logPath).then((s) => s.isFile(), () => false);
        if (isFile) {
          await copyFile(execution.logPath, join(dir, base, 'log.txt'));
          files.push(`${base}/log.txt`);
        }
      }
    }
  }
  return files;
}

/** Runs the pipeline here, uploads its artifact; a failed run is returned, not thrown. */
export async function runPipelineJob(options: PipelineJobOptions): Promise<PipelineJobResult> {
  const file = isAbsolute(options.file) ? options.file : resolve(options.workspace, options.file);
  const config = await core.group(`Load ${options.file}`, () => loadConfig(file));
  if (!config.pipelines.has(options.pipeline)) {
    const names = [...config.pipelines.keys()];
    throw new ConfigurationError(
      `no pipeline named "${options.pipeline}" in ${options.file}; ` +
        (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'),
    );
  }
  if (options.container) {
    for (const node of config.pipelines.get(options.pipeline)?.nodes ?? []) requireContainerImage(config, node);
  }
  const projectDir = join(options.workspace, '.mlops');
  const parameters = Object.fromEntries(
    Object.entries(options.parameters).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
  // In containers the /valohai folders are mounted: nothing to link.
  const valohaiPaths =
    options.valohaiPaths && !options.container
      ? await decideValohaiPaths(pipelineCommands(config, options.pipeline, parameters), options.valohaiPaths)
      : undefined;
  const note = valohaiPaths && describeValohaiPathsDecision(valohaiPaths);
  if (note !== undefined) {
    if (valohaiPaths?.action === 'warn') core.warning(note);
    else core.info(note);
  }
  const run = await core.group(`Run pipeline ${options.pipeline}`, () =>
    runPipeline({
      config,
      pipeline: options.pipeline,
      repositoryDir: options.workspace,
      projectDir,
      parameters,
      jobs: availableParallelism(),
      // Deployment nodes under a selection rule: against the releases registry's production model.
      gate: outcomesGate(() => registryBaselineRequest(() => releasesRegistry(options.githubToken ?? ''), process.env['MLOPS_MODEL'] || undefined)),
      ...(valohaiPaths?.action === 'link' ? { valohaiRoot: valohaiPaths.root } : {}),
      ...(options.container ? { container: options.container } : {}),
      onEvent: (event) => {
        const line = describeEvent(event);
        if (line === undefined) return;
        if (event.kind === 'notice') core.notice(line);
        else core.info(line);
      },
    }),
  );
  const artifactName = runArtifactName(options.pipeline, options.runAttempt);
  await core.group(`Upload artifact ${artifactName}`, async () => {
    const dir = await mkdtemp(join(options.tempDir, 'mlops-run-'));
    try {
      const files = await stageRun(run, projectDir, dir);
      const uploaded = await (await artifactClient())
        .uploadArtifact(artifactName, files.map((path) => join(dir, ...path.split('/'))), dir)
        .catch((error: unknown) => {
          throw new ConfigurationError(`Cannot upload artifact "${artifactName}": ${getErrorMessage(error)}`);
        });
      core.info(`Uploaded ${files.length} file(s), ${uploaded.size ?? 0} bytes`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  return { run, artifactName, runFile: join(runDir(projectDir, run.id), 'run.json') };
}

function duration(from: string | undefined, to: string | undefined): string {
  if (from === undefined || to === undefined) return '';
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 1000 ? `${ms} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function formatMetric(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Most metric columns shown; the artifact has every value. */
const MAX_METRIC_COLUMNS = 8;

/** The job summary: one row per node, then the metrics of every execution. */
export async function writeRunSummary(result: PipelineJobResult): Promise<void> {
  const { run } = result;
  const summary = core.summary
    .addHeading(`Pipeline ${run.pipeline}: ${run.status}`, 2)
    .addRaw(`Run \`${run.id}\`${run.reason !== undefined ? ` — ${run.reason}` : ''}. Artifact \`${result.artifactName}\`.\n\n`, true)
    .addTable([
      [
        { data: 'Node', header: true },
        { data: 'State', header: true },
        { data: 'Executions', header: true },
        { data: 'Duration', header: true },
        { data: 'Reason', header: true },
      ],
      ...Object.entries(run.nodes).map(([node, record]) => [
        node,
        record.state,
        String(record.executions.length),
        duration(record.startedAt, record.finishedAt),
        record.reason ?? '',
      ]),
    ]);
  const executions = Object.entries(run.nodes).flatMap(([node, record]) =>
    record.executions.filter((e) => Object.keys(e.latestMetadata).length > 0).map((e) => ({ node, execution: e })),
  );
  const keys = [...new Set(executions.flatMap(({ execution }) => Object.keys(execution.latestMetadata)))].slice(0, MAX_METRIC_COLUMNS);
  if (keys.length > 0) {
    summary.addHeading('Metrics', 3).addTable([
      [{ data: 'Node', header: true }, { data: 'Execution', header: true }, ...keys.map((key) => ({ data: key, header: true }))],
      ...executions.map(({ node, execution }) => [
        node,
        execution.executionId,
        ...keys.map((key) => (key in execution.latestMetadata ? formatMetric(execution.latestMetadata[key]) : '')),
      ]),
    ]);
  }
  await summary.write();
}
