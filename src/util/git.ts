/**
 * What a generated workflow needs to know about the user's git repository: its root and its default
 * branch. Read with the git CLI (no network: `origin/HEAD` is what the last clone or fetch recorded).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function git(cwd: string, ...args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
    const text = stdout.trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The top folder of the work tree holding `cwd`, or undefined outside a git repository (or without git). */
export function gitRoot(cwd: string): Promise<string | undefined> {
  return git(cwd, 'rev-parse', '--show-toplevel');
}

export interface DefaultBranch {
  branch: string;
  /** Where the name came from, for the message that tells the user. */
  source: 'origin/HEAD' | 'init.defaultBranch' | 'current branch' | 'fallback';
}

/**
 * The repository's default branch: the remote's HEAD when a clone recorded it, else the branch checked out
 * (in a fresh `git init` that is the unborn branch git will create), else git's `init.defaultBranch`,
 * else `main`.
 */
export async function defaultBranch(cwd: string): Promise<DefaultBranch> {
  const remoteHead = await git(cwd, 'symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD');
  if (remoteHead?.startsWith('origin/')) return { branch: remoteHead.slice('origin/'.length), source: 'origin/HEAD' };
  const current = await git(cwd, 'symbolic-ref', '--quiet', '--short', 'HEAD');
  if (current) return { branch: current, source: 'current branch' };
  const configured = await git(cwd, 'config', '--get', 'init.defaultBranch');
  if (configured) return { branch: configured, source: 'init.defaultBranch' };
  return { branch: 'main', source: 'fallback' };
}
