/**
 * Real pipeline files hard-code `/valohai/inputs/…` and `/valohai/outputs` in their commands. Outside
 * Valohai those folders do not exist. The runner warns about them (the fix is `$VH_INPUTS_DIR` /
 * `$VH_OUTPUTS_DIR`) and, where it owns the machine (a GitHub-hosted job, `valohai-paths: auto`, or
 * `valohai-paths: link`), points `/valohai/*` at the execution's folders with symlinks.
 *
 * Linking makes `/valohai` a machine-wide singleton: while one execution's links are in place no other
 * execution can use them, so executions on such a machine run one at a time (`runExecution` serialises
 * them when linking is on).
 *
 * The root is a parameter everywhere (detection included) so tests use a temp folder, never `/`.
 */
import { execFile } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import type { ValohaiPathsMode } from './valohai-paths-mode.js';

export const DEFAULT_VALOHAI_ROOT = '/valohai';
const FOLDERS = ['inputs', 'outputs', 'config', 'repository'] as const;
/** Marks a `/valohai` folder this toolkit created, so it never takes over one it did not create. */
const OWNER_MARKER = '.mlops-owned';

/** Characters that end a path in a shell command (quotes, separators, redirections, expansions). */
const PATH_TAIL = String.raw`(?:\/[^\s'"\`;|&<>(){}$]*)?`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The distinct `<root>/{inputs,outputs,config,repository}…` paths a script mentions, in order. A match
 * must start the path: `/home/valohai/inputs` is not one.
 */
export function findHardcodedValohaiPaths(script: string, root: string = DEFAULT_VALOHAI_ROOT): string[] {
  const base = root.replace(/\/+$/, '');
  const pattern = new RegExp(String.raw`(?<![\w.$/-])${escapeRegExp(base)}\/(?:inputs|outputs|config|repository)${PATH_TAIL}`, 'g');
  return [...new Set(script.match(pattern) ?? [])];
}

/** The warning to print once when a script hard-codes Valohai paths. */
export function hardcodedPathsAdvice(paths: string[]): string {
  return (
    `The command uses Valohai's fixed paths (${paths.join(', ')}), which exist only on Valohai. ` +
    'Use $VH_INPUTS_DIR, $VH_OUTPUTS_DIR, $VH_CONFIG_DIR and $VH_REPOSITORY_DIR instead ' +
    '(Valohai sets them too), run `mlops run` with --container (the folders are mounted there), or let the GitHub ' +
    'actions link /valohai on a runner they own (input valohai-paths).'
  );
}

export { parseValohaiPathsMode, VALOHAI_PATHS_MODES, type ValohaiPathsMode } from './valohai-paths-mode.js';

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Points `<root>/{inputs,outputs,config}` at the execution's folders and `<root>/repository` at the
 * repository. Refuses when `root` exists and was not created by this toolkit, or holds anything but
 * our symlinks. `root` is a parameter so tests use a temp folder.
 */
export async function linkValohaiPaths(executionDir: string, repositoryDir: string, root: string = DEFAULT_VALOHAI_ROOT): Promise<void> {
  if (await exists(root)) {
    const info = await lstat(root);
    if (!info.isDirectory() || !(await exists(join(root, OWNER_MARKER)))) {
      throw new ConfigurationError(
        `${root} already exists and was not created by this toolkit; not linking Valohai paths over it. ` +
          'Remove it, or use $VH_INPUTS_DIR/$VH_OUTPUTS_DIR in the command.',
      );
    }
    for (const entry of await readdir(root)) {
      if (entry === OWNER_MARKER) continue;
      if (!(FOLDERS as readonly string[]).includes(entry) || !(await lstat(join(root, entry))).isSymbolicLink()) {
        throw new ConfigurationError(`${root}/${entry} is not a link this toolkit made; not touching ${root}.`);
      }
    }
  } else {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, OWNER_MARKER), 'Created by mlops-actions to link Valohai paths; safe to delete.\n');
  }
  const targets: Record<(typeof FOLDERS)[number], string> = {
    inputs: join(executionDir, 'inputs'),
    outputs: join(executionDir, 'outputs'),
    config: join(executionDir, 'config'),
    repository: repositoryDir,
  };
  for (const name of FOLDERS) {
    const linkPath = join(root, name);
    await rm(linkPath, { force: true });
    await symlink(resolve(targets[name]), linkPath);
  }
}

/** Removes the links made by `linkValohaiPaths` (the owned root folder stays, empty but for the marker). */
export async function unlinkValohaiPaths(root: string = DEFAULT_VALOHAI_ROOT): Promise<void> {
  if (!(await exists(join(root, OWNER_MARKER)))) return;
  for (const name of FOLDERS) {
    const linkPath = join(root, name);
    try {
      if ((await lstat(linkPath)).isSymbolicLink()) await rm(linkPath);
    } catch {
      // Already gone.
    }
  }
}

/** Where `<root>/<folder>` points now, or undefined (for diagnostics and tests). */
export async function valohaiLinkTarget(folder: (typeof FOLDERS)[number], root: string = DEFAULT_VALOHAI_ROOT): Promise<string | undefined> {
  try {
    return await readlink(join(root, folder));
  } catch {
    return undefined;
  }
}

/** Whether `<root>` carries this toolkit's marker. */
export async function isOwnedValohaiRoot(root: string = DEFAULT_VALOHAI_ROOT): Promise<boolean> {
  try {
    await readFile(join(root, OWNER_MARKER));
    return true;
  } catch {
    return false;
  }
}

const execFileAsync = promisify(execFile);

/** How `prepareValohaiRoot` creates the root; replaceable because tests run as root, where nothing is refused. */
export interface ValohaiRootSetup {
  /** Creates the root as the current user (default `mkdir -p`); a refusal (EACCES, EPERM) leads to sudo. */
  createAsUser?: (root: string) => Promise<void>;
}

function isPermissionError(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** What `sudo` printed when it failed: its stderr, else the error message. */
function commandFailure(error: unknown): string {
  const stderr = error instanceof Error && 'stderr' in error ? String(error.stderr).trim() : '';
  return stderr || getErrorMessage(error);
}

/**
 * Makes `root` an existing folder owned by this toolkit (its marker inside), ready for
 * `linkValohaiPaths`. When the user cannot create it (`/` belongs to root), passwordless sudo creates it
 * and hands it to the user: `sudo -n mkdir -p`, `sudo -n chown uid:gid`, argv only, no shell; the
 * marker is then written as the user. Returns why it could not, instead of throwing: the caller warns
 * and runs the command anyway.
 */
export async function prepareValohaiRoot(
  root: string = DEFAULT_VALOHAI_ROOT,
  setup: ValohaiRootSetup = {},
): Promise<{ ready: true } | { ready: false; reason: string }> {
  if (await exists(root)) {
    if ((await lstat(root)).isDirectory() && (await isOwnedValohaiRoot(root))) return { ready: true };
    return { ready: false, reason: `${root} already exists and was not created by this toolkit; it is left alone` };
  }
  const createAsUser = setup.createAsUser ?? ((path: string) => mkdir(path, { recursive: true }).then(() => undefined));
  try {
    await createAsUser(root);
  } catch (error) {
    if (!isPermissionError(error)) return { ready: false, reason: `cannot create ${root}: ${getErrorMessage(error)}` };
    const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
    try {
      await execFileAsync('sudo', ['-n', 'mkdir', '-p', root]);
      await execFileAsync('sudo', ['-n', 'chown', owner, root]);
    } catch (sudoError) {
      return {
        ready: false,
        reason: `cannot create ${root} (${getErrorMessage(error)}) and passwordless sudo failed too (${commandFailure(sudoError)})`,
      };
    }
  }
  try {
    await writeFile(join(root, OWNER_MARKER), 'Created by mlops-actions to link Valohai paths; safe to delete.\n');
  } catch (error) {
    return { ready: false, reason: `cannot write in ${root}: ${getErrorMessage(error)}` };
  }
  return { ready: true };
}

/** How a front door (a GitHub job) decides on linking. */
export interface ValohaiPathsPolicy {
  mode: ValohaiPathsMode;
  /** `RUNNER_ENVIRONMENT=github-hosted`: a fresh virtual machine that only this job uses. */
  githubHosted: boolean;
  /** Where the links go (default `/valohai`). */
  root?: string;
  setup?: ValohaiRootSetup;
}

export type ValohaiPathsDecision =
  /** Nothing hard-coded: nothing to do. */
  | { action: 'none' }
  /** `root` is ready: pass it to the executor as `valohaiRoot`. */
  | { action: 'link'; root: string; paths: string[] }
  /** Hard-coded paths that stay unlinked, and why (for a warning). */
  | { action: 'warn'; root: string; paths: string[]; reason: string };

/**
 * Whether the commands about to run get `<root>` linked: only when they hard-code paths under it, and
 * `link` mode, or `auto` on a GitHub-hosted runner (self-hosted machines are not the job's to modify).
 * Prepares the root when linking.
 */
export async function decideValohaiPaths(commands: string[], policy: ValohaiPathsPolicy): Promise<ValohaiPathsDecision> {
  const root = policy.root ?? DEFAULT_VALOHAI_ROOT;
  const paths = findHardcodedValohaiPaths(commands.join('\n'), root);
  if (paths.length === 0) return { action: 'none' };
  if (policy.mode === 'warn') return { action: 'warn', root, paths, reason: 'valohai-paths is "warn"' };
  if (policy.mode === 'auto' && !policy.githubHosted) {
    return {
      action: 'warn',
      root,
      paths,
      reason: 'this is not a GitHub-hosted runner, and valohai-paths "auto" links only there; set valohai-paths to "link" to allow it on this machine',
    };
  }
  const prepared = await prepareValohaiRoot(root, policy.setup);
  return prepared.ready ? { action: 'link', root, paths } : { action: 'warn', root, paths, reason: prepared.reason };
}

/**
 * The line a front door prints for a decision (info for `link`, a warning for `warn`). The advice to use
 * `$VH_*_DIR` is the executor's own warning; this one says why the runner did not link.
 */
export function describeValohaiPathsDecision(decision: ValohaiPathsDecision): string | undefined {
  switch (decision.action) {
    case 'none':
      return undefined;
    case 'link':
      return `Commands hard-code ${decision.paths.join(', ')}: ${decision.root}/{inputs,outputs,config,repository} point at each execution's folders while it runs.`;
    case 'warn':
      return `Commands hard-code ${decision.paths.join(', ')}, but ${decision.root} is not linked to the execution's folders: ${decision.reason}.`;
  }
}
