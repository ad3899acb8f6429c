/**
 * The local counterpart of a pull request's fallback baseline (src/github/base-branch.ts): the winner of
 * the latest run of the same pipeline recorded in this project folder on the base branch. A run is "on"
 * the branch when the commit it recorded (`run.json` `commit`, the repository's HEAD when it started) is
 * the branch's tip or one of its ancestors, as GitHub's latest successful run on `main` ran at a commit of
 * `main`. Only succeeded runs count, the run being compared never does, and a run without a winner is
 * passed over for the next older one.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { listRuns } from '../store/runs.js';
import { ConfigurationError } from '../util/errors.js';
import type { Baseline } from './candidates.js';
import { baselineFromRun } from './compare.js';
import type { SelectionRule } from './rule.js';

const run = promisify(execFile);

/** Runs looked at, newest first, before giving up (each costs one `git merge-base`). */
const MAX_RUNS = 50;

async function git(cwd: string, args: string[]): Promise<{ ok: boolean; stdout: string }> {
  try {
    const { stdout } = await run('git', args, { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
    return { ok: true, stdout: stdout.trim() };
  } catch {
    return { ok: false, stdout: '' };
  }
}

export interface LocalBaseBranchOptions {
  projectDir: string;
  /** The git work tree whose branch is meant (the current folder). */
  repositoryDir: string;
  branch: string;
  pipeline: string;
  rule: SelectionRule;
  /** The run being compared: never its own baseline. */
  excludeRunId?: string;
}

/** The winner of the latest succeeded run of `pipeline` on `branch`, labelled `base branch main (run <id>)`. */
export async function localBaseBranchBaseline(options: LocalBaseBranchOptions): Promise<Baseline | undefined> {
  const tip = await git(options.repositoryDir, ['rev-parse', '--verify', '--quiet', `${options.branch}^{commit}`]);
  if (!tip.ok || tip.stdout === '') {
    throw new ConfigurationError(`--baseline-branch: '${options.branch}' is not a branch (or commit) of the git repository at ${options.repositoryDir}`);
  }
  const runs = (await listRuns(options.projectDir))
    .filter((record) => record.pipeline === options.pipeline && record.status === 'succeeded' && record.commit !== undefined && record.id !== options.excludeRunId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .slice(0, MAX_RUNS);
  for (const record of runs) {
    const onBranch = record.commit === tip.stdout || (await git(options.repositoryDir, ['merge-base', '--is-ancestor', record.commit ?? '', tip.stdout])).ok;
    if (!onBranch) continue;
    const baseline = await baselineFromRun(options.projectDir, record.id, options.rule);
    if (baseline) return { source: baseline.label ?? baseline.source, metrics: baseline.metrics, label: `base branch ${options.branch} (run ${record.id})` };
  }
  return undefined;
}
