/**
 * The code version a step runs: part of the reuse key, so editing code re-runs what depends on it.
 *
 * In a git working copy it is the tree of the repository folder as it is on disk: every tracked file
 * under the folder with its mode and blob id, where files changed since the index (uncommitted edits,
 * staged or not) are hashed as they are now and deleted ones left out. A committed working copy gives
 * the same value on a laptop and in a GitHub job checked out at that commit (blob ids depend on bytes
 * only). Untracked files are not part of it (they are data, caches or results, not code).
 *
 * Outside git (documented fallback) it is the content of the source files under the repository folder:
 * files named like code or an environment description (`CODE_FILE`: .py, .sh, .R, .ipynb, … ,
 * requirements*.txt, pyproject.toml, Makefile, Dockerfile…), outside hidden folders (`.git`, `.mlops`,
 * `.venv`…), `node_modules` and `__pycache__`. Data files (.csv, .txt, .json…) are left out: steps often
 * write scratch files next to their code, which must not count as a code change.
 *
 * Either way the pipeline file itself is left out: each step's definition is already in the key, and
 * editing one step must not re-run the others. Paths given in `exclude` (the project folder) are left
 * out too.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { hashFile } from '../store/content-store.js';

const run = promisify(execFile);

export interface CodeVersionOptions {
  /** Absolute paths to leave out (the pipeline file, the project folder). */
  exclude?: string[];
}

async function git(cwd: string, args: string[], input?: string): Promise<string> {
  const child = run('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

function excludedRelative(root: string, exclude: string[]): Set<string> {
  const out = new Set<string>();
  for (const path of exclude) {
    const rel = relative(root, resolve(path));
    if (rel !== '' && !rel.startsWith('..')) out.add(rel.split(sep).join('/'));
  }
  return out;
}

function isExcluded(path: string, excluded: Set<string>): boolean {
  for (const ex of excluded) if (path === ex || path.startsWith(`${ex}/`)) return true;
  return false;
}

/** The git flavour; undefined when `dir` is not in a git working copy (or git is missing). */
async function gitCodeVersion(dir: string, excluded: Set<string>): Promise<string | undefined> {
  try {
    await git(dir, ['rev-parse', '--is-inside-work-tree']);
  } catch {
    return undefined;
  }
  const entries = new Map<string, { mode: string; id: string }>();
  for (const record of (await git(dir, ['ls-files', '-s', '-z', '--', '.'])).split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', id = ''] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (!isExcluded(path, excluded)) entries.set(path, { mode, id });
  }
  // Tracked files that differ from the index (edited, deleted, mode changed): hashed as they are now.
  const changed = (await git(dir, ['diff', '--name-only', '--relative', '--no-renames', '-z', '--', '.']))
    .split('\0')
    .filter((path) => path !== '' && entries.has(path));
  const present: string[] = [];
  for (const path of changed) {
    const info = await stat(join(dir, path)).catch(() => undefined);
    if (!info?.isFile()) {
      entries.delete(path);
      continue;
    }
    present.push(path);
    const entry = entries.get(path);
    if (entry && entry.mode !== '160000') entry.mode = info.mode & 0o111 ? '100755' : '100644';
  }
  if (present.length > 0) {
    const ids = (await git(dir, ['hash-object', '--stdin-paths'], `${present.join('\n')}\n`)).trim().split('\n');
    present.forEach((path, index) => {
      const entry = entries.get(path);
      if (entry) entry.id = ids[index] ?? '';
    });
  }
  const hash = createHash('sha256');
  for (const path of [...entries.keys()].sort()) {
    const entry = entries.get(path);
    if (entry) hash.update(`${entry.mode} ${entry.id}\t${path}\0`);
  }
  return `git:${hash.digest('hex')}`;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__']);

/** Source files and environment descriptions: what counts as code outside git. */
export const CODE_FILE =
  /(\.(py|pyx|ipynb|sh|bash|zsh|r|jl|js|mjs|cjs|ts|sql|java|scala|kt|go|rs|c|cc|cpp|h|hpp|pl|rb|lua|m|swift|cfg|toml|lock)$|^(requirements[^/]*\.txt|pipfile|makefile|dockerfile|environment\.ya?ml|conda\.ya?ml|setup\.py)$)/i;

/**
 * The code files under `dir` (paths relative to it), hidden folders and caches left out: what counts as
 * code outside git, for the code version and for the `/valohai` scan (namespace.ts).
 */
export async function codeFilesOutsideGit(dir: string, excluded: Set<string> = new Set()): Promise<string[]> {
  const files: string[] = [];
  const walk = async (prefix: string): Promise<void> => {
    const entries = await readdir(join(dir, prefix), { withFileTypes: true });
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (isExcluded(rel, excluded)) continue;
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
        await walk(rel);
      } else if (entry.isFile() && CODE_FILE.test(entry.name)) {
        files.push(rel);
      }
    }
  };
  await walk('');
  return files.sort();
}

/** The fallback: every code file's content under `dir`. */
async function folderCodeVersion(dir: string, excluded: Set<string>): Promise<string> {
  const files = await codeFilesOutsideGit(dir, excluded);
  const hash = createHash('sha256');
  for (const path of files) {
    const full = join(dir, path);
    const [content, info] = await Promise.all([hashFile(full), stat(full)]);
    hash.update(`${info.mode & 0o111 ? 'x' : '-'} ${content.sha256}\t${path}\0`);
  }
  return `files:${hash.digest('hex')}`;
}

/** The code version of `repositoryDir` (see the module comment). */
export async function codeVersion(repositoryDir: string, options: CodeVersionOptions = {}): Promise<string> {
  const dir = resolve(repositoryDir);
  const excluded = excludedRelative(dir, options.exclude ?? []);
  return (await gitCodeVersion(dir, excluded)) ?? (await folderCodeVersion(dir, excluded));
}
