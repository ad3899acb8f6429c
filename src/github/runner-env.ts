import { resolve } from 'node:path';
import { ConfigurationError } from '../util/errors.js';

/** The job's environment as the runner sets it; missing values fall back to what a local try needs. */
export function runnerEnvironment(env: NodeJS.ProcessEnv): {
  workspace: string;
  tempDir: string;
  runAttempt: number;
  runId?: string;
  commit?: string;
} {
  const attemptText = env['GITHUB_RUN_ATTEMPT']?.trim() || '1';
  const runAttempt = Number(attemptText);
  if (!Number.isSafeInteger(runAttempt) || runAttempt < 1) {
    throw new ConfigurationError(`GITHUB_RUN_ATTEMPT must be a positive integer, got "${attemptText}"`);
  }
  const tempDir = env['RUNNER_TEMP']?.trim();
  if (!tempDir) throw new ConfigurationError('RUNNER_TEMP is not set: this action runs on a GitHub Actions runner');
  const result: ReturnType<typeof runnerEnvironment> = {
    workspace: resolve(env['GITHUB_WORKSPACE']?.trim() || process.cwd()),
    tempDir: resolve(tempDir),
    runAttempt,
  };
  const runId = env['GITHUB_RUN_ID']?.trim();
  if (runId) result.runId = runId;
  const commit = env['GITHUB_SHA']?.trim();
  if (commit) result.commit = commit;
  return result;
}
