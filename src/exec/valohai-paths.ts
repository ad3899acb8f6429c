/**
 * Real pipeline files hard-code `/valohai/inputs/…` and `/valohai/outputs` in their commands. Outside
 * Valohai those folders do not exist. The runner warns about them (the fix is `$VH_INPUTS_DIR` /
 * `$VH_OUTPUTS_DIR`) and, where it owns the machine (a GitHub job, opt-in), can point `/valohai/*` at
 * the execution's folders with symlinks.
 *
 * Linking makes `/valohai` a machine-wide singleton: while one execution's links are in place no other
 * execution can use them, so executions on such a machine run one at a time (`runExecution` serialises
 * them when linking is on).
 */
import { lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../util/errors.js';

export const DEFAULT_VALOHAI_ROOT = '/valohai';
const FOLDERS = ['inputs', 'outputs', 'config', 'repository'] as const;
/** Marks a `/valohai` folder this toolkit created, so it never takes over one it did not create. */
const OWNER_MARKER = '.mlops-owned';

const HARDCODED = /(?<![\w.$/-])\/valohai\/(?:inputs|outputs|config|repository)(?:\/[^\s'"`;|&<>(){}$]*)?/g;

/** The distinct `/valohai/{inputs,outputs,config,repository}…` paths a script mentions, in order. */
export function findHardcodedValohaiPaths(script: string): string[] {
  return [...new Set(script.match(HARDCODED) ?? [])];
}

/** The warning to print once when a script hard-codes Valohai paths. */
export function hardcodedPathsAdvice(paths: string[]): string {
  return (
    `The command uses Valohai's fixed paths (${paths.join(', ')}), which exist only on Valohai. ` +
    'Use $VH_INPUTS_DIR, $VH_OUTPUTS_DIR, $VH_CONFIG_DIR and $VH_REPOSITORY_DIR instead ' +
    '(Valohai sets them too), or let the runner link /valohai on a machine it owns.'
  );
}

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
