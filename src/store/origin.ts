/**
 * Who started a run and at which commit, recorded with the run (`startedBy`, `commit`) so that lists of
 * runs can say it. Same sources as the registry's actor: the Actions actor, else the git user, else $USER.
 */
import { execFile } from 'node:child_process';

/** One git command's trimmed output; undefined when it fails or prints nothing. Never blocks the event loop. */
function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolveGit) => {
    execFile('git', args, { cwd, encoding: 'utf8', timeout: 5000 }, (error, stdout) => resolveGit(error ? undefined : stdout.trim() || undefined));
  });
}

/**
 * Both git questions at once: each is a process start, the run's first work waits for them. `head` is the
 * commit when the caller already asks git for it (run-lookups.ts: the same `rev-parse` the executions
 * record), so a run starts one git process fewer.
 */
export async function runOrigin(
  repositoryDir: string,
  env: NodeJS.ProcessEnv = process.env,
  head: Promise<string | undefined> = git(['rev-parse', 'HEAD'], repositoryDir),
): Promise<{ startedBy?: string; commit?: string }> {
  const [user, commitOfHead] = await Promise.all([env['GITHUB_ACTOR'] ? Promise.resolve(undefined) : git(['config', 'user.name'], repositoryDir), head]);
  const startedBy = env['GITHUB_ACTOR'] || user || env['USER'] || env['USERNAME'];
  const commit = commitOfHead ?? (env['GITHUB_SHA'] || undefined);
  return { ...(startedBy ? { startedBy } : {}), ...(commit ? { commit } : {}) };
}
