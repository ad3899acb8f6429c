/**
 * Runs ONE execution the way Valohai does (FORMAT.md §2.1, §8): folders `inputs/ outputs/ config/`,
 * the rendered command as one shell script in the repository, VH_* variables, metadata from stdout,
 * time-limit / no-output-timeout / stop-condition / cancellation, and every output file into the store.
 *
 * Errors: a user configuration mistake found before the command starts (unsupported input scheme,
 * input path leaving its folder, missing local input, required input or environment variable without a
 * value, bad stop-condition syntax, a pass-as template Python could not format, missing repository) is
 * THROWN as `ConfigurationError`. Everything else returns an `ExecutionResult`: a failing program, a
 * checksum mismatch or failed download (`failed`, with the reason, before the command starts), limits,
 * stop-condition and cancellation. Outputs are collected whenever the command ran, even when it failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { joinCommand, renderCommand } from '../pipeline/command.js';
import { applyOutputProperties } from './output-properties.js';
import { namespaceInvocation, privateValohai, watchHostValohai, type ValohaiIsolation } from './namespace.js';
import { executionJsonText, parametersJsonText, typedCommandValues } from './config-files.js';
import { ContentStore, CorruptObjectError } from '../store/content-store.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { checkExpression, evaluateCondition } from '../pipeline/expression.js';
import { InputError, inputFilesFromDefaults, materialiseInputs, type InputsJson } from './inputs.js';
import { checkGuardedInputs, guardInputs } from './input-guard.js';
import { LineSplitter, MetadataCollector } from './metadata.js';
import type { ExecutionRequest, ExecutionResult, ExecutionStatus, InputFile, OutputFile } from './types.js';
import { DEFAULT_VALOHAI_ROOT, findHardcodedValohaiPaths, hardcodedPathsAdvice, linkValohaiPaths, unlinkValohaiPaths } from './valohai-paths.js';
import { containerShimPath, pathWithShim, toolkitCliBundleDir, toolkitShimDir } from './toolkit-cli.js';
import { allowListedEnvironment } from './step-env.js';
import { redact, redactDeep, registerEnvironmentSecrets } from '../util/redact.js';
import { containerInvocation, ensureImage, removeContainer, stopContainer, type ContainerRuntime } from './container.js';
import { spawnStep, whenStarted, type StepProcess } from './spawn-server.js';
import { collectOutputs } from './collect-outputs.js';
export { collectOutputs };
import { ExecutionLog, executionFolders, makeExecutionFolders, signalProcessGroup, writeExecutionFiles, type ExecutionFolders } from './execution-folder.js';

/** With namespace.ts `ValohaiIsolation`: a private `/valohai` per execution, or the fallback's checks. */
export interface ExecutionOptions extends Omit<ValohaiIsolation, 'container'> {
  /** Time between SIGTERM and SIGKILL when the process group is stopped. Default 10 s. */
  killGraceMs?: number;
  /**
   * Opt-in, for machines the runner owns (a GitHub job): point `<root>/{inputs,outputs,config,repository}`
   * (normally `/valohai`) at this execution's folders, so commands with hard-coded Valohai paths work.
   * Executions using it run one at a time in this process.
   */
  valohaiRoot?: string;
  /** Runner-level warnings (hard-coded `/valohai/...` paths, skipped outputs). Also written to log.txt. */
  onWarning?: (message: string) => void;
  /**
   * Called once the folder and config files are ready; the execution goes on (inputs, then the command)
   * when it resolves true (a job slot is free) and ends `cancelled` when it resolves false. Lets a
   * scheduler prepare the next executions while others run; `startedAt` is when the turn came.
   * Absent: the execution goes straight on.
   */
  waitForTurn?: () => Promise<boolean>;
  /** Run the command in the step's image with this engine (`--container`); absent: on this machine. */
  container?: ContainerRuntime;
  /**
   * A copy of the runner's environment taken when the run started, shared by its executions: reading
   * process.env goes to the C library name by name, and cost more per execution than anything else it
   * prepares. Absent: process.env as it is now.
   */
  runnerEnvironment?: Readonly<NodeJS.ProcessEnv>;
}

const DEFAULT_KILL_GRACE_MS = 10_000;
/** What `docker run` and `podman run` exit with when they fail themselves (no image, bad mount…). */
const CONTAINER_ENGINE_FAILED = 125;
/** setTimeout's ceiling (about 24.8 days); longer limits are clamped to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** VH_* variables this executor sets; inherited values are dropped so a stale one never leaks in. */
const VH_VARIABLES = [
  'VH_CONFIG_DIR',
  'VH_INPUTS_DIR',
  'VH_OUTPUTS_DIR',
  'VH_REPOSITORY_DIR',
  'VH_JOB_ID',
  'VH_EXECUTION_ID',
  'VH_PROJECT_ID',
  'VH_TASK_ID',
  'VH_PIPELINE_ID',
  'VH_PIPELINE_NODE_ID',
];

/** Serialises executions that link the machine-wide Valohai root. */
let valohaiRootQueue: Promise<unknown> = Promise.resolve();

function seconds(value: number): string {
  return Number.isInteger(value) ? `${value}s` : `${value.toFixed(1)}s`;
}

/** Input files per name: the request's, then the step's defaults for inputs the request left out. */
async function resolveInputs(req: ExecutionRequest): Promise<Record<string, InputFile[]>> {
  const resolved: Record<string, InputFile[]> = { ...req.inputs };
  for (const input of req.step.inputs) {
    if (Object.hasOwn(resolved, input.name)) continue;
    if (input.default.length > 0) {
      resolved[input.name] = await inputFilesFromDefaults(input, req.repositoryDir, req.parameters);
    } else if (!input.optional) {
      throw new ConfigurationError(
        `Input "${input.name}" of step "${req.step.name}" is required and has no default; pass it with --input ${input.name}=path/to/file.`,
      );
    }
  }
  return resolved;
}

/** The allow-listed part of a run's environment copy, worked out once per run rather than per execution. */
const allowListedCopies = new WeakMap<Readonly<NodeJS.ProcessEnv>, Record<string, string>>();
/** Environment copies whose credentials are registered for redaction already. */
const secretsRegistered = new WeakSet<Readonly<NodeJS.ProcessEnv>>();

function buildEnvironment(req: ExecutionRequest, dirs: ExecutionFolders, shimDir: string | undefined, runnerEnvironment: Readonly<NodeJS.ProcessEnv>): NodeJS.ProcessEnv {
  // A clean start (step-env.ts): the allow-list only; forwarded variables arrive in req.environment.
  let allowListed = allowListedCopies.get(runnerEnvironment);
  if (allowListed === undefined) {
    allowListed = allowListedEnvironment(runnerEnvironment);
    allowListedCopies.set(runnerEnvironment, allowListed);
  }
  const env: NodeJS.ProcessEnv = { ...allowListed };
  const path = pathWithShim(env['PATH'], shimDir);
  if (path !== undefined) env['PATH'] = path;
  for (const name of VH_VARIABLES) delete env[name];
  for (const variable of req.step.environmentVariables) {
    if (variable.default !== undefined) env[variable.name] = variable.default;
  }
  Object.assign(env, req.environment);
  for (const variable of req.step.environmentVariables) {
    if (!variable.optional && env[variable.name] === undefined) {
      throw new ConfigurationError(
        `Environment variable ${variable.name} of step "${req.step.name}" is required and has no value; set it in the environment or on the command line.`,
      );
    }
  }
  const context = req.context ?? {};
  const vh: Record<string, string | undefined> = {
    VH_CONFIG_DIR: dirs.config,
    VH_INPUTS_DIR: dirs.inputs,
    VH_OUTPUTS_DIR: dirs.outputs,
    VH_REPOSITORY_DIR: resolve(req.repositoryDir),
    VH_JOB_ID: `exec-${req.executionId}`,
    VH_EXECUTION_ID: req.executionId,
    VH_PROJECT_ID: context.projectName,
    VH_PIPELINE_ID: context.pipelineId,
    VH_PIPELINE_NODE_ID: context.nodeName,
  };
  for (const [name, value] of Object.entries(vh)) if (value !== undefined) env[name] = value;
  return env;
}

export async function runExecution(req: ExecutionRequest, options: ExecutionOptions = {}): Promise<ExecutionResult> {
  // A private /valohai per execution beats linking the machine's (no one-at-a-time queue either).
  if (options.valohaiRoot === DEFAULT_VALOHAI_ROOT && (await privateValohai(options))) options = { ...options, valohaiRoot: undefined };
  if (!options.valohaiRoot) return runExecutionUnlocked(req, options);
  const previous = valohaiRootQueue;
  let release: () => void = () => undefined;
  valohaiRootQueue = new Promise<void>((resolveQueue) => (release = resolveQueue));
  await previous.catch(() => undefined);
  try {
    return await runExecutionUnlocked(req, options);
  } finally {
    release();
  }
}

async function runExecutionUnlocked(req: ExecutionRequest, options: ExecutionOptions): Promise<ExecutionResult> {
  // Credentials in this process's environment now (an action's inputs, a runner token) are redacted
  // from everything the execution writes.
  const runnerEnvironment = options.runnerEnvironment ?? { ...process.env };
  // A run's copy once (secrets are only ever added, so a second pass would add nothing).
  if (!secretsRegistered.has(runnerEnvironment)) {
    registerEnvironmentSecrets(runnerEnvironment);
    secretsRegistered.add(runnerEnvironment);
  }
  let startedAt = new Date().toISOString();
  const executionDir = resolve(req.executionDir);
  const dirs = executionFolders(executionDir);
  const logPath = join(executionDir, 'log.txt');
  const store = new ContentStore(req.storeDir);
  const step = req.step;

  // Configuration checks first: nothing is written or downloaded for a file that cannot run.
  if (step.stopCondition !== undefined) {
    const problem = checkExpression(step.stopCondition);
    if (problem) throw new ConfigurationError(`Step "${step.name}": stop-condition "${step.stopCondition}" is invalid: ${problem}.`);
  }
  // One synchronous stat (execution-folder.ts says why), without an exception when it is missing.
  if (!statSync(req.repositoryDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigurationError(`The repository folder ${req.repositoryDir} does not exist.`);
  }
  // Cast as the platform casts them, so the command, parameters.json and valohai-utils agree (config-files.ts).
  const parameterValues = typedCommandValues(step, req.parameters);
  const script = joinCommand(renderCommand(step, parameterValues));
  const inputs = await resolveInputs(req);
  const env = buildEnvironment(req, dirs, await toolkitShimDir(), runnerEnvironment);
  const context = req.context ?? {};
  const executionJson = await executionJsonText({ executionId: req.executionId, step, repositoryDir: req.repositoryDir, createdAt: startedAt, context });

  makeExecutionFolders(executionDir, dirs);
  // A log that cannot be written (disk full) must not crash the runner; the lines still reach onLine.
  const log = new ExecutionLog(logPath);
  const logText = (stream: string, line: string): string => `${new Date().toISOString()} [${stream}] ${redact(line)}\n`;
  const logLine = (stream: string, line: string): void => log.append(logText(stream, line));
  const warn = (message: string): void => {
    logLine('mlops', `warning: ${message}`);
    options.onWarning?.(message);
  };
  const closeLog = (last?: string): Promise<void> => log.close(last);

  const metadata = new MetadataCollector();
  const commandPath = join(executionDir, 'command.sh');
  const finish = async (
    status: ExecutionStatus,
    exitCode: number | null,
    reason: string | undefined,
    outputs: OutputFile[],
  ): Promise<ExecutionResult> => {
    await closeLog(logText('mlops', `status ${status}${reason ? `: ${reason}` : ''}`));
    if (log.failure !== undefined) options.onWarning?.(`Could not write ${logPath}: ${log.failure}`);
    const result: ExecutionResult = {
      executionId: req.executionId,
      status,
      exitCode,
      startedAt,
      finishedAt: new Date().toISOString(),
      command: script,
      outputs,
      // Known secrets a command printed as metadata never leave the executor (records, outputs, reports).
      metadata: redactDeep(metadata.events),
      latestMetadata: redactDeep({ ...metadata.latest }),
      logPath,
    };
    if (reason !== undefined) result.reason = reason;
    return result;
  };

  let linked = false;
  let placedInputs: InputsJson | undefined;
  try {
    const prepareInputs = (): Promise<unknown> =>
      materialiseInputs({
        executionDir,
        repositoryDir: req.repositoryDir,
        inputs,
        store,
        downloadCacheDir: req.downloadCacheDir,
        log: (message) => logLine('mlops', message),
        foldersMade: true,
      }).then(
        (json) => {
          placedInputs = json;
          return undefined;
        },
        (error: unknown) => error,
      );
    // Inputs and the config files are independent: prepared side by side, unless there is a turn to wait
    // for and files to place (placing them is the execution's work, done once the turn comes).
    const placeAfterTurn = options.waitForTurn !== undefined && Object.values(inputs).some((files) => files.length > 0);
    let inputProblem = placeAfterTurn ? undefined : prepareInputs();
    writeExecutionFiles([
      [join(dirs.config, 'parameters.json'), parametersJsonText(step, parameterValues)],
      [join(dirs.config, 'execution.json'), executionJson],
      [commandPath, `${script}\n`],
    ]);
    if (options.waitForTurn) {
      if (!(await options.waitForTurn())) return await finish('cancelled', null, 'cancelled before start', []);
      // The execution starts with its turn: time spent waiting for a slot is not its duration.
      startedAt = new Date().toISOString();
      inputProblem ??= prepareInputs();
    }
    const problem = await inputProblem;
    if (problem !== undefined) {
      if (problem instanceof InputError || problem instanceof CorruptObjectError) return await finish('failed', null, problem.message, []);
      throw problem;
    }

    const hardcoded = findHardcodedValohaiPaths(script);
    // A linked root stays what the commands use; without it, a namespace or a container, writes to the
    // host's /valohai are caught afterwards.
    const namespace = !options.valohaiRoot && (await privateValohai(options, { script, repositoryDir: resolve(req.repositoryDir) }));
    const hostWatch = namespace || options.valohaiRoot ? undefined : await watchHostValohai(options);
    if (options.valohaiRoot) {
      await linkValohaiPaths(executionDir, req.repositoryDir, options.valohaiRoot);
      linked = true;
    } else if (hardcoded.length > 0 && !options.container && !namespace) {
      warn(hardcodedPathsAdvice(hardcoded));
    }

    if (req.signal?.aborted) return await finish('cancelled', null, 'cancelled before start', []);
    if (options.container && step.image) {
      // Pulled before the command starts: a pull is not the step's time (time-limit, no-output-timeout).
      const problem = await ensureImage(options.container, step.image, (line) => logLine('mlops', line), req.signal);
      if (req.signal?.aborted) return await finish('cancelled', null, 'cancelled before start', []);
      if (problem !== undefined) return await finish('failed', null, problem, []);
    }

    // Noted before the command runs: afterwards, a changed input fails the execution (input-guard.ts).
    const guard = placedInputs === undefined ? undefined : await guardInputs(store, placedInputs);
    const outcome = await runProcess({
      req,
      env,
      script,
      commandPath,
      killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      container: options.container,
      namespace,
      metadata,
      logLine,
      warn,
    });
    let outputs: OutputFile[] = [];
    try {
      outputs = await applyOutputProperties(dirs.outputs, await collectOutputs(dirs.outputs, store, warn), warn);
    } catch (error) {
      warn(`Could not collect outputs: ${getErrorMessage(error)}`);
      if (outcome.status === 'succeeded') return await finish('failed', outcome.exitCode, `collecting outputs failed: ${getErrorMessage(error)}`, outputs);
    }
    const changedInputs = guard === undefined ? undefined : await checkGuardedInputs(store, guard);
    if (changedInputs !== undefined) {
      warn(changedInputs);
      if (outcome.status === 'succeeded') return await finish('failed', outcome.exitCode, changedInputs, outputs);
    }
    const hostProblem = await hostWatch?.(step.outputs, outputs);
    if (hostProblem) warn(hostProblem);
    if (hostProblem) return await finish(outcome.status === 'succeeded' ? 'failed' : outcome.status, outcome.exitCode, [outcome.reason, hostProblem].filter(Boolean).join('; '), outputs);
    return await finish(outcome.status, outcome.exitCode, outcome.reason, outputs);
  } catch (error) {
    if (!log.closed) await closeLog();
    throw error;
  } finally {
    if (linked && options.valohaiRoot) await unlinkValohaiPaths(options.valohaiRoot);
  }
}

interface ProcessOutcome {
  status: ExecutionStatus;
  exitCode: number | null;
  reason?: string;
}

interface ProcessRun {
  req: ExecutionRequest;
  env: NodeJS.ProcessEnv;
  script: string;
  commandPath: string;
  killGraceMs: number;
  container: ContainerRuntime | undefined;
  namespace: boolean; // run in a private mount namespace (namespace.ts)
  metadata: MetadataCollector;
  logLine: (stream: string, line: string) => void;
  warn: (message: string) => void;
}

/** Executions whose process (group) or container may still be running, for `killRunningExecutionsNow`. */
const liveExecutions = new Set<{ pid: number | undefined; container: { runtime: ContainerRuntime; name: string } | undefined }>();

/**
 * For a process about to exit at once (a second Ctrl-C): SIGKILL every execution's process group and
 * kill every container synchronously, so nothing is left running behind it.
 */
export function killRunningExecutionsNow(): void {
  const containers = new Map<string, string[]>();
  for (const { pid, container } of liveExecutions) {
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (container) containers.set(container.runtime.executable, [...(containers.get(container.runtime.executable) ?? []), container.name]);
  }
  for (const [executable, names] of containers) spawnSync(executable, ['kill', ...names], { stdio: 'ignore', timeout: 10_000 });
  liveExecutions.clear();
}

/** The bundled CLI and its shim for `mlops` inside containers, when this toolkit has a bundled CLI. */
async function containerToolkit(): Promise<{ toolkit?: { cliDir: string; shimPath: string } }> {
  const cliDir = toolkitCliBundleDir();
  return cliDir === undefined ? {} : { toolkit: { cliDir, shimPath: await containerShimPath() } };
}

/** Spawns the script in its own process group and watches it until every process of the group is done. */
async function runProcess(run: ProcessRun): Promise<ProcessOutcome> {
  const { req, metadata, logLine } = run;
  const step = req.step;
  // A script with a shebang runs under its interpreter (bash, python…); anything else under /bin/sh.
  const hasShebang = run.script.startsWith('#!');
  if (hasShebang) await chmod(run.commandPath, 0o755);
  const container =
    run.container &&
    containerInvocation(run.container, {
      step: step.name,
      image: step.image,
      executionId: req.executionId,
      executionDir: req.executionDir,
      repositoryDir: req.repositoryDir,
      commandPath: run.commandPath,
      hasShebang,
      env: run.env,
      variables: [...step.environmentVariables.map((variable) => variable.name), ...Object.keys(req.environment)],
      ...(await containerToolkit()),
    });
  if (container) logLine('mlops', `running in ${step.image ?? ''} with ${container.executable} (container ${container.name})`);
  let [command, args] = container ? [container.executable, container.args] : hasShebang ? [run.commandPath, []] : ['/bin/sh', [run.commandPath]];
  const namespace = !container && run.namespace ? await namespaceInvocation({ command, args }, { executionDir: resolve(req.executionDir), repositoryDir: resolve(req.repositoryDir) }) : undefined;
  if (namespace) [command, args] = [namespace.command, namespace.args];
  // Its own process group, so stopping it reaches every child it started. A plain command starts through
  // the spawn helper where it runs (spawn-server.ts: no fork of this process); its pid comes a moment later.
  const nodeChild = container || namespace ? spawn(command, args, { cwd: req.repositoryDir, env: container ? container.env : run.env, detached: true, stdio: namespace ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'] }) : undefined;
  const child: StepProcess = nodeChild ?? spawnStep(command, args, { cwd: req.repositoryDir, env: run.env });
  // A stop asked for before the helper reported the pid is delivered the moment it does.
  let signalBeforePid: NodeJS.Signals | undefined;
  whenStarted(child, (pid) => {
    req.onProcessGroup?.(pid);
    if (signalBeforePid) signalProcessGroup(pid, signalBeforePid);
  });
  // Stopping the engine's client does not stop the container: the engine must (awaited before outputs).
  let containerStopped: Promise<void> | undefined;
  const live = { get pid() { return child.pid; }, container: container && run.container ? { runtime: run.container, name: container.name } : undefined };
  liveExecutions.add(live);

  let stopStatus: ExecutionStatus | undefined;
  let stopReason: string | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const timers: NodeJS.Timeout[] = [];

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid !== undefined) signalProcessGroup(child.pid, signal);
    else signalBeforePid = signal;
  };
  const terminateGroup = (): void => {
    signalGroup('SIGTERM');
    killTimer ??= setTimeout(() => signalGroup('SIGKILL'), run.killGraceMs);
  };
  const stop = (status: ExecutionStatus, reason: string): void => {
    if (stopStatus !== undefined) return;
    stopStatus = status;
    stopReason = reason;
    logLine('mlops', `stopping: ${reason}`);
    terminateGroup();
    if (run.container && container) containerStopped = stopContainer(run.container, container.name, run.killGraceMs, (message) => logLine('mlops', message));
  };

  // The limits count from the command's start: a namespace's setup (mounts) is not the step's time.
  const armTimeLimit = (): void => {
    if (step.timeLimit === undefined || step.timeLimit <= 0 || stopStatus !== undefined) return;
    const limit = step.timeLimit;
    timers.push(setTimeout(() => stop('timed-out', `time-limit of ${seconds(limit)} exceeded`), Math.min(limit * 1000, MAX_TIMER_MS)));
  };
  let silenceTimer: NodeJS.Timeout | undefined;
  const armSilenceTimer = (): void => {
    const limit = step.noOutputTimeout;
    if (limit === undefined || limit <= 0 || stopStatus !== undefined) return;
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = setTimeout(
      () => stop('timed-out', `no output for ${seconds(limit)} (no-output-timeout)`),
      Math.min(limit * 1000, MAX_TIMER_MS),
    );
  };
  const armTimers = (): void => [armTimeLimit, armSilenceTimer].forEach((arm) => arm());
  if (namespace && nodeChild) namespace.started(nodeChild, armTimers);
  else armTimers();

  const onAbort = (): void => stop('cancelled', 'cancelled');
  req.signal?.addEventListener('abort', onAbort, { once: true });

  // The engine's own error (exit code 125) is its last stderr line but for the `Run '… --help'` hint
  // Docker adds: the reason a person needs.
  let lastStderrLine = '';
  const handleLine = (line: string, stream: 'stdout' | 'stderr'): void => {
    logLine(stream, line);
    if (stream === 'stderr' && line.trim() !== '' && !/^Run '.*--help'/.test(line)) lastStderrLine = line.trim();
    if (stream === 'stdout' && metadata.handleLine(line) && step.stopCondition !== undefined && stopStatus === undefined) {
      if (evaluateCondition(step.stopCondition, { metadata: metadata.latest, parameters: req.parameters })) {
        stop('stopped', `stop-condition "${step.stopCondition}" met`);
      }
    }
    if (req.onLine) {
      try {
        req.onLine(redact(line), stream);
      } catch (error) {
        run.warn(`The line callback failed: ${getErrorMessage(error)}`);
      }
    }
  };
  const watch = (stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr'): void => {
    const splitter = new LineSplitter();
    stream.on('data', (chunk: Buffer) => {
      armSilenceTimer();
      for (const line of splitter.push(chunk)) handleLine(line, name);
    });
    stream.on('end', () => {
      for (const line of splitter.flush()) handleLine(line, name);
    });
  };
  if (child.stdout) watch(child.stdout, 'stdout');
  if (child.stderr) watch(child.stderr, 'stderr');

  let pipesTimer: NodeJS.Timeout | undefined;
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolveOutcome) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.on('error', (error) => resolveOutcome({ code: null, signal: null, error }));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Like a container ending with its main process: background children do not outlive the command.
      terminateGroup();
      // A process that left the group (setsid) may hold the pipes open forever; stop waiting for it.
      pipesTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolveOutcome({ code, signal });
      }, run.killGraceMs + 1000);
      pipesTimer.unref();
    });
    child.on('close', (code, signal) => resolveOutcome(exit ?? { code, signal }));
  });

  for (const timer of timers) clearTimeout(timer);
  // Not left pending for the grace period once the pipes have closed.
  if (pipesTimer) clearTimeout(pipesTimer);
  if (silenceTimer) clearTimeout(silenceTimer);
  if (killTimer) clearTimeout(killTimer);
  req.signal?.removeEventListener('abort', onAbort);
  await containerStopped;
  await namespace?.cleanup();
  if (containerStopped && run.container && container) await removeContainer(run.container, container.name, () => undefined);
  liveExecutions.delete(live);

  if (outcome.error) return { status: 'failed', exitCode: null, reason: `could not start the command: ${outcome.error.message}` };
  if (stopStatus !== undefined) {
    const result: ProcessOutcome = { status: stopStatus, exitCode: outcome.code };
    if (stopReason !== undefined) result.reason = stopReason;
    return result;
  }
  if (outcome.code === 0) return { status: 'succeeded', exitCode: 0 };
  if (run.container && outcome.code === CONTAINER_ENGINE_FAILED) {
    const detail = lastStderrLine === '' ? '' : `: ${lastStderrLine.slice(0, 300)}`;
    return { status: 'failed', exitCode: outcome.code, reason: `${run.container.engine} could not run the container (exit code 125)${detail}` };
  }
  const reason = outcome.signal ? `killed by ${outcome.signal}` : `exit code ${outcome.code ?? 'unknown'}`;
  return { status: 'failed', exitCode: outcome.code, reason };
}
