/**
 * `--container`: runs each execution in its step's image with Docker or Podman, the folders mounted
 * where Valohai has them (`/valohai/{inputs,outputs,config,repository}`), so hard-coded Valohai paths,
 * the image's Python and its system libraries behave as on Valohai.
 *
 * Only the engine's argv is built here (never a shell string). The container gets the VH_* variables
 * (folders pointing at `/valohai/...`), the step's environment variables and the request's environment,
 * not the host environment: a host PATH would break the image. Values travel in the engine's own
 * environment (`-e NAME`), so secrets do not show in `ps`; see `engineReads`.
 *
 * Stopping: the engine CLI is only a client; killing it leaves the container running. `stopContainer`
 * asks the engine to stop it (TERM, then KILL after the grace period), and `--rm` removes it.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '../util/errors.js';
import { CONTAINER_TOOLKIT_DIR, CONTAINER_TOOLKIT_VARIABLE } from './toolkit-cli.js';

import { CONTAINER_ENGINES, type ContainerEngine } from './container-engines.js';

export { CONTAINER_ENGINES, type ContainerEngine };
/** What `--container` asked for: `auto` takes the first engine found, in CONTAINER_ENGINES order. */
export type ContainerChoice = ContainerEngine | 'auto';

export interface ContainerRuntime {
  engine: ContainerEngine;
  /** Absolute path of the engine's CLI, as found on PATH. */
  executable: string;
}

/** Where the execution's folders appear inside the container (Valohai's layout). */
export const CONTAINER_PATHS = {
  inputs: '/valohai/inputs',
  outputs: '/valohai/outputs',
  config: '/valohai/config',
  repository: '/valohai/repository',
  /** The rendered command; beside the folders, so config/ holds what it holds on Valohai. */
  command: '/valohai/command.sh',
} as const;

const FOLDER_VARIABLES: Record<string, string> = {
  VH_INPUTS_DIR: CONTAINER_PATHS.inputs,
  VH_OUTPUTS_DIR: CONTAINER_PATHS.outputs,
  VH_CONFIG_DIR: CONTAINER_PATHS.config,
  VH_REPOSITORY_DIR: CONTAINER_PATHS.repository,
};

/** `--container` / `--container=ENGINE` as given on the command line. */
export function parseContainerChoice(raw: string): ContainerChoice {
  if (raw === '' || raw === 'auto') return 'auto';
  if ((CONTAINER_ENGINES as readonly string[]).includes(raw)) return raw as ContainerEngine;
  throw new ConfigurationError(`--container takes ${CONTAINER_ENGINES.join(' or ')}, got ${JSON.stringify(raw)}`);
}

async function findOnPath(name: string, path: string | undefined): Promise<string | undefined> {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The engine to run containers with; a ConfigurationError when none of the asked-for ones is on PATH. */
export async function findContainerRuntime(choice: ContainerChoice, path: string | undefined = process.env['PATH']): Promise<ContainerRuntime> {
  const engines: readonly ContainerEngine[] = choice === 'auto' ? CONTAINER_ENGINES : [choice];
  for (const engine of engines) {
    const executable = await findOnPath(engine, path);
    if (executable !== undefined) return { engine, executable };
  }
  throw new ConfigurationError(`--container needs ${engines.join(' or ')} on PATH; none found`);
}

/** The reuse key of a container execution: its own, so a host result never stands in for one (or back). */
export function containerReuseKey(hostKey: string): string {
  return createHash('sha256').update(`container\n${hostKey}`).digest('hex');
}

export interface ContainerExecution {
  /** The step's name and image; a step without an image cannot run in a container. */
  step: string;
  image: string | undefined;
  executionId: string;
  /** The execution folder holding inputs/, outputs/, config/ and command.sh. */
  executionDir: string;
  repositoryDir: string;
  commandPath: string;
  /** Whether command.sh starts with `#!` (and is executable): it then runs as its own interpreter. */
  hasShebang: boolean;
  /** The execution's full environment as the executor built it for the host. */
  env: NodeJS.ProcessEnv;
  /** The variables to pass besides VH_*: the step's environment variables and the request's. */
  variables: readonly string[];
  /**
   * This toolkit's CLI for `mlops` inside the container: the bundled CLI folder (mounted read-only at
   * CONTAINER_TOOLKIT_DIR) and the shim mounted as /usr/local/bin/mlops. Absent: no `mlops` in there.
   */
  toolkit?: { cliDir: string; shimPath: string };
}

export interface ContainerInvocation {
  executable: string;
  args: string[];
  /** The engine process's environment: the host's, plus the values the `-e NAME` arguments refer to. */
  env: NodeJS.ProcessEnv;
  /** The container's name, for stopping it. */
  name: string;
}

/**
 * Names the engine CLI itself reads from its environment: such a variable is passed as `-e NAME=VALUE`
 * (visible in `ps`) instead of through the engine's environment, where it would redirect the engine.
 */
function engineReads(name: string): boolean {
  return /^(PATH|HOME|TMPDIR|(DOCKER|PODMAN|CONTAINERS|XDG)_.*)$/.test(name);
}

/** A container name Docker and Podman accept (`[a-zA-Z0-9][a-zA-Z0-9_.-]*`), unique per run. */
function containerName(executionId: string): string {
  const id = executionId.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64);
  return `mlops-${id}-${randomBytes(4).toString('hex')}`;
}

function volume(hostPath: string, containerPath: string, mode?: 'ro'): string {
  // `-v` splits on ':'; such a path cannot be mounted with it (and --mount's CSV differs between engines).
  if (hostPath.includes(':')) throw new ConfigurationError(`--container cannot mount ${hostPath}: the path contains ':'`);
  return mode ? `${hostPath}:${containerPath}:${mode}` : `${hostPath}:${containerPath}`;
}

/** The engine argv that runs one execution in its image. */
export function containerInvocation(runtime: ContainerRuntime, run: ContainerExecution): ContainerInvocation {
  if (!run.image) throw new ConfigurationError(`step "${run.step}" has no image: --container needs one to run it in`);
  const name = containerName(run.executionId);
  const executionDir = resolve(run.executionDir);
  const args = [
    'run',
    '--rm',
    '--name',
    name,
    '-v',
    volume(join(executionDir, 'inputs'), CONTAINER_PATHS.inputs),
    '-v',
    volume(join(executionDir, 'outputs'), CONTAINER_PATHS.outputs),
    '-v',
    volume(join(executionDir, 'config'), CONTAINER_PATHS.config),
    '-v',
    volume(resolve(run.repositoryDir), CONTAINER_PATHS.repository),
    '-v',
    volume(resolve(run.commandPath), CONTAINER_PATHS.command, 'ro'),
    '-w',
    CONTAINER_PATHS.repository,
  ];
  if (run.toolkit) {
    // Steps may call `mlops` (e.g. `mlops profile`), as they can on the host: the same CLI, the image's Node.
    args.push('-v', volume(resolve(run.toolkit.cliDir), CONTAINER_TOOLKIT_DIR, 'ro'), '-v', volume(resolve(run.toolkit.shimPath), '/usr/local/bin/mlops', 'ro'));
  }
  // Outputs written in the container belong to the user, not to root.
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (runtime.engine === 'docker' && uid !== undefined && gid !== undefined) args.push('--user', `${uid}:${gid}`);
  // As PID 1 the shell would ignore `docker stop`'s SIGTERM and every stop would wait out the grace
  // period; Docker's own init (docker-init, shipped with the engine) passes it on. Podman's needs
  // catatonit, which not every installation has, so Podman runs without.
  if (runtime.engine === 'docker') args.push('--init');
  // Rootless Podman maps root to the user already; keep-id makes the user the user inside too.
  if (runtime.engine === 'podman' && uid !== undefined && uid !== 0) args.push('--userns=keep-id');

  const passed: Record<string, string> = {};
  for (const [variable, value] of Object.entries(run.env)) {
    if (variable.startsWith('VH_') && value !== undefined) passed[variable] = value;
  }
  for (const variable of run.variables) {
    const value = run.env[variable];
    if (value !== undefined) passed[variable] = value;
  }
  Object.assign(passed, FOLDER_VARIABLES);
  if (run.toolkit) passed[CONTAINER_TOOLKIT_VARIABLE] = `${CONTAINER_TOOLKIT_DIR}/index.js`;

  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [variable, value] of Object.entries(passed)) {
    if (engineReads(variable)) {
      args.push('-e', `${variable}=${value}`);
    } else {
      env[variable] = value;
      args.push('-e', variable);
    }
  }
  args.push(run.image);
  if (run.hasShebang) args.push(CONTAINER_PATHS.command);
  else args.push('/bin/sh', CONTAINER_PATHS.command);
  return { executable: runtime.executable, args, env, name };
}

/** Runs `<engine> ARGS…`; resolves when it ends, never rejects, logs how it failed. */
function engineCommand(runtime: ContainerRuntime, args: string[], log: (message: string) => void): Promise<void> {
  return new Promise((resolveCommand) => {
    const child = spawn(runtime.executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      log(`could not run ${runtime.engine} ${args[0] ?? ''}: ${error.message}`);
      resolveCommand();
    });
    child.on('close', (code) => {
      if (code !== 0) log(`${runtime.engine} ${args.join(' ')} ended with code ${code ?? 'unknown'}${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
      resolveCommand();
    });
  });
}

/**
 * Asks the engine to stop the container: TERM, then KILL after `graceMs` (rounded up to seconds).
 * Resolves when the engine has answered; never rejects (a container already gone is fine).
 */
export function stopContainer(runtime: ContainerRuntime, name: string, graceMs: number, log: (message: string) => void): Promise<void> {
  const seconds = Math.max(0, Math.ceil(graceMs / 1000));
  return engineCommand(runtime, ['stop', '-t', String(seconds), name], log);
}

/**
 * Removes the container whatever its state. For a stopped execution once its client has ended: a stop
 * that came while the image was still being pulled found no container, and one created after that is
 * never started, so `--rm` would never remove it.
 */
export function removeContainer(runtime: ContainerRuntime, name: string, log: (message: string) => void): Promise<void> {
  return engineCommand(runtime, ['rm', '-f', name], log);
}

/**
 * Makes sure the image is present before the execution's clock starts: `<engine> image inspect`, and
 * `<engine> pull` when it is missing, so a pull never counts toward time-limit or no-output-timeout.
 * Returns why the image cannot be had (the pull's last error line), or undefined when it is ready.
 * `signal` aborts a pull in progress.
 */
export async function ensureImage(
  runtime: ContainerRuntime,
  image: string,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const run = (args: string[], echo: boolean): Promise<{ code: number | null; lastError: string }> =>
    new Promise((resolveRun) => {
      const child = spawn(runtime.executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let lastError = '';
      const onAbort = (): void => {
        child.kill('SIGTERM');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const watch = (stream: NodeJS.ReadableStream | null, isError: boolean): void => {
        let pending = '';
        stream?.on('data', (chunk: Buffer) => {
          pending += chunk.toString();
          const lines = pending.split(/\r?\n|\r/);
          pending = lines.pop() ?? '';
          for (const line of lines) {
            if (line.trim() === '') continue;
            if (isError) lastError = line.trim();
            if (echo) log(line);
          }
        });
      };
      watch(child.stdout, false);
      watch(child.stderr, true);
      child.on('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        resolveRun({ code: null, lastError: error.message });
      });
      child.on('close', (code) => {
        signal?.removeEventListener('abort', onAbort);
        resolveRun({ code, lastError });
      });
    });
  if ((await run(['image', 'inspect', '--format', '{{.Id}}', image], false)).code === 0) return undefined;
  log(`pulling ${image} with ${runtime.engine}`);
  const pulled = await run(['pull', image], true);
  if (signal?.aborted) return 'cancelled while pulling the image';
  if (pulled.code === 0) return undefined;
  return `${runtime.engine} could not pull ${image}${pulled.lastError === '' ? '' : `: ${pulled.lastError}`}`;
}
