/**
 * Who started a run and at which commit, recorded with the run (`startedBy`, `commit`) so that lists of
 * runs can say it. Same sources as the registry's actor: the Actions actor, else the git user, else $USER.
 */
import { execFileSync } from 'node:child_process';

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function runOrigin(repositoryDir: string, env: NodeJS.ProcessEnv = process.env): { startedBy?: string; commit?: string } {
  const startedBy = env['GITHUB_ACTOR'] || git(['config', 'user.name'], repositoryDir) || env['USER'] || env['USERNAME'];
  const commit = git(['rev-parse', 'HEAD'], repositoryDir) ?? (env['GITHUB_SHA'] || undefined);
  return { ...(startedBy ? { startedBy } : {}), ...(commit ? { commit } : {}) };
}
