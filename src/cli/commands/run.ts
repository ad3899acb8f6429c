import { createInterface } from 'node:readline/promises';
import { dirname, resolve } from 'node:path';
import { projectDirFor, repositoryRoot } from '../../store/project.js';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import type { PipelineConfig } from '../../pipeline/model.js';
import { loadPipelineFile } from '../../pipeline/load.js';
import { formatDiagnostic } from '../../pipeline/diagnostics.js';
import { createProgressReporter } from '../../exec/progress.js';
import { localGate } from '../../registry/gate.js';
import { resumedRequest, runPipeline, type RunPipelineOptions } from '../../exec/scheduler.js';
import { killRunningExecutionsNow } from '../../exec/execution.js';
import { loadRun, type RunRecord } from '../../store/runs.js';
import { ConfigurationError } from '../../util/errors.js';
import { prepareModel, recordScoring } from '../../registry/batch.js';
import { findContainerRuntime, parseContainerChoice, type ContainerChoice } from '../../exec/container.js';
import { cliParameterPairs } from '../../exec/config-files.js';
import { discardPrefetchedRunLookups, prefetchRunLookups } from '../../exec/run-lookups.js';

const usage = `Usage: mlops run [FILE] --pipeline NAME [options]

Runs a pipeline of FILE (default ./valohai.yaml) on this machine. Commands run in the folder of FILE.
A node starts as soon as the nodes it depends on have finished, up to --jobs executions at a time.

Options:
  --pipeline NAME         the pipeline to run (may be left out when the file has exactly one)
  --param NAME=VALUE      a pipeline parameter, or NODE.PARAMETER=VALUE for one node (repeatable);
                          a JSON list such as [0.1,0.01] makes variants on a task node
  --input NODE.INPUT=PATH|URL  files for a node's input instead of its edges/defaults (repeatable)
  --jobs N                executions running at once (default: number of cores)
  --no-reuse              run every node even when an identical earlier execution exists
  --approve NODE          approve a node that requires approval (repeatable)
  --resume RUN            continue a run that was killed or failed: finished nodes are kept
  --container[=ENGINE]    run each step in its image with docker or podman (default: the first on
                          PATH), its folders mounted at /valohai/{inputs,outputs,config,repository};
                          without it steps run on this machine and image: is only recorded
  --model [NAME@]SELECTOR a registered model for the pipeline's model input: a version number, an
                          alias (production), latest, or best:METRIC[:min|max]; NAME may be left
                          out when the registry holds one model. Which version scored the data is
                          recorded in the registry and in the run folder (model-version.json)
  --model-input NODE.INPUT  the input that gets the model (default: the only input named model)
  --project-dir DIR       where runs, the artifact store and the reuse index live (default: .mlops
                          next to FILE)

Exit code: 0 when the run succeeded (or a node action stopped it), 1 otherwise.`;

/** `k=v` pairs into a record; the first `=` splits, so values may contain `=`. */
export function parsePairs(values: readonly string[], flag: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`${flag} expects NAME=VALUE, got ${JSON.stringify(item)}`);
    pairs[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return pairs;
}

export function parseMultiPairs(values: readonly string[], flag: string): Record<string, string[]> {
  const pairs: Record<string, string[]> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`${flag} expects NAME=VALUE, got ${JSON.stringify(item)}`);
    const key = item.slice(0, eq);
    (pairs[key] ??= []).push(item.slice(eq + 1));
  }
  return pairs;
}

/** Loads a pipeline file; prints every diagnostic and throws when there are errors. */
export async function loadConfigOrExplain(file: string): Promise<PipelineConfig> {
  const result = await loadPipelineFile(file);
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.severity === 'error') process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  }
  if (!result.config || result.diagnostics.some((d) => d.severity === 'error')) {
    throw new ConfigurationError(`${file} has errors; fix them and run again (\`mlops validate ${file}\`)`);
  }
  return result.config;
}

/** Command-line input paths are relative to where the user is, not to the repository: make them absolute. */
export function absoluteUnlessUrl(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : resolve(value);
}

export function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

export function parseJobs(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const jobs = Number(raw);
  if (!Number.isInteger(jobs) || jobs < 1) throw new ConfigurationError(`--jobs expects a positive integer, got ${raw}`);
  return jobs;
}

/**
 * Runs with Ctrl-C handling and progress output: the first SIGINT/SIGTERM/SIGHUP cancels every execution (the
 * executor kills their process groups) and marks the run cancelled; a second one exits at once.
 */
export async function runWithProgress(options: Omit<RunPipelineOptions, 'signal' | 'onEvent'>): Promise<RunRecord> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts > 1) {
      // Quitting at once must not leave executions running: their groups and containers go first.
      killRunningExecutionsNow();
      process.exit(130);
    }
    process.stderr.write(`\nmlops: ${signal}: cancelling every execution (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal (SIGHUP) must not leave executions running behind a dead runner.
  process.on('SIGHUP', onSignal);
  const reporter = createProgressReporter({ stream: process.stderr });
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const full: RunPipelineOptions = { gate: localGate(options.projectDir), ...options, signal: controller.signal, onEvent: (e) => reporter.onEvent(e) };
  if (interactive) {
    full.askApproval = async (node: string) => {
      // The live table would redraw over the question: off the screen while it is asked.
      reporter.pause();
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`Node ${node} requires approval. Run it? [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
        reporter.resume();
      }
    };
  }
  try {
    return await runPipeline(full);
  } finally {
    reporter.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  }
}

/**
 * Takes `--container` and `--container=ENGINE` out of argv (parseArgs has no option with an optional
 * value). `--container ENGINE` is not accepted: ENGINE would be read as the FILE.
 */
export function takeContainerFlag(argv: readonly string[]): { argv: string[]; container?: ContainerChoice } {
  const rest: string[] = [];
  let container: ContainerChoice | undefined;
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg === '--container') container = 'auto';
    else if (arg.startsWith('--container=')) container = parseContainerChoice(arg.slice('--container='.length));
    else rest.push(arg);
  }
  return container === undefined ? { argv: rest } : { argv: rest, container };
}

export function exitCodeOf(run: RunRecord): number {
  return run.status === 'succeeded' || run.status === 'stopped' ? 0 : 1;
}

export const command: CliCommand = {
  summary: 'run a pipeline on this machine',
  usage,
  async run(argv) {
    try {
      return await runCommand(argv);
    } finally {
      // A run that never started (the file had errors, a bad flag) leaves no prefetch for a later run.
      discardPrefetchedRunLookups();
    }
  },
};

async function runCommand(argv: readonly string[]): Promise<number> {
  const flag = takeContainerFlag(argv);
  const { values, positionals } = parseArgs({
    args: flag.argv,
    options: {
      pipeline: { type: 'string' },
      param: { type: 'string', multiple: true, default: [] },
      input: { type: 'string', multiple: true, default: [] },
      jobs: { type: 'string' },
      'no-reuse': { type: 'boolean', default: false },
      approve: { type: 'string', multiple: true, default: [] },
      resume: { type: 'string' },
      'project-dir': { type: 'string' },
      model: { type: 'string' },
      'model-input': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new ConfigurationError(`run takes one file, got ${positionals.length}`);
  let file = positionals[0];
  let resumed: RunRecord | undefined;
  const projectDirOf = (f: string): string => projectDirFor(values['project-dir'], f, true);
  if (values.resume !== undefined) {
    resumed = await loadRun(projectDirOf(file ?? 'valohai.yaml'), values.resume);
    file ??= resumed.file;
  }
  file ??= 'valohai.yaml';
  const repositoryDir = repositoryRoot(dirname(resolve(file)));
  // The git look-ups of a new run need only the file's name: started now, they run beside the YAML parse.
  if (!resumed) prefetchRunLookups({ repositoryDir, file, projectDir: projectDirOf(file) });
  const config = await loadConfigOrExplain(file);
  let pipeline = values.pipeline ?? resumed?.pipeline;
  if (pipeline === undefined) {
    const names = [...config.pipelines.keys()];
    if (names.length !== 1 || names[0] === undefined) {
      throw new ConfigurationError(`choose a pipeline with --pipeline NAME (pipelines in ${file}: ${names.join(', ') || 'none'})`);
    }
    pipeline = names[0];
  }
  const request = resumed ? resumedRequest(resumed) : undefined;
  const options: Omit<RunPipelineOptions, 'signal' | 'onEvent'> = {
    config,
    pipeline,
    repositoryDir,
    projectDir: projectDirOf(file),
    parameters: { ...(request?.parameters ?? {}), ...cliParameterPairs(values.param) },
    inputs: { ...(request?.inputs ?? {}), ...mapValues(parseMultiPairs(values.input, '--input'), (list) => list.map(absoluteUnlessUrl)) },
    // A resumed run keeps its --no-reuse (and --jobs) unless the new command line says otherwise.
    reuse: !values['no-reuse'] && (request?.reuse ?? true),
    approve: values.approve,
  };
  const jobs = parseJobs(values.jobs) ?? request?.jobs;
  if (jobs !== undefined) options.jobs = jobs;
  // A resumed run keeps running where it started (in containers or on the host) unless told otherwise.
  const container = flag.container ?? (request?.container !== undefined ? parseContainerChoice(request.container) : undefined);
  if (container !== undefined) options.container = await findContainerRuntime(container);
  if (resumed) options.resume = resumed.id;
  if (values['model-input'] !== undefined && values.model === undefined) throw new ConfigurationError('--model-input needs --model');
  const model = values.model === undefined ? undefined : await prepareModel(options.projectDir, config, pipeline, values.model, values['model-input']);
  if (model) options.inputs = { ...options.inputs, [model.modelInput]: model.paths };
  const run = await runWithProgress(options);
  if (model) {
    await recordScoring(options.projectDir, run, model);
    process.stdout.write(`model: ${model.version.name} v${model.version.version} scored the data of run ${run.id}\n`);
  }
  process.stdout.write(`run ${run.id}: ${run.status}${run.reason ? ` (${run.reason})` : ''}\n`);
  process.stdout.write(`details: mlops show ${run.id}${values['project-dir'] ? ` --project-dir ${values['project-dir']}` : ''}\n`);
  return exitCodeOf(run);
}
