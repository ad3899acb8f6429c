/**
 * The pull request's fallback baseline on GitHub: when the registry has no production model yet, the
 * winner of the base branch's latest decision. That is the decision artifact the compare job of the same
 * workflow uploaded in its latest successful run on the base branch (a push to `main`, a dispatch on it).
 *
 * - The runs: GitHub REST `GET /repos/{owner}/{repo}/actions/workflows/{workflow}/runs?branch=<base>&status=success`
 *   (the workflow is the file of `GITHUB_WORKFLOW_REF`); pull request runs whose head branch happens to
 *   be named like the base are skipped. The token needs `actions: read`.
 * - The decision: the run's artifacts are listed and downloaded with the real `@actions/artifact` client
 *   (`findBy`: the public REST API and its redirect to the blob, digest checked), newest attempt first.
 * - A run without the artifact (expired: 410 Gone; compare skipped) or whose decision has no winner is passed over
 *   for the next older one, at most `maxRuns` of them. A token that may not read the runs is an error,
 *   never a silent "first model": the job would promote a model that may be worse than main's.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { createGitHubClient, httpFailure } from '../adapters/github-client.js';
import { artifactClient } from '../adapters/lazy-clients.js';
import type { Baseline } from '../compare/candidates.js';
import type { StoredDecision } from '../compare/compare.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { decisionArtifactName, decisionFileName } from './workflow-run.js';

/** How many successful base branch runs are looked at for a decision with a winner. */
export const DEFAULT_MAX_RUNS = 10;

export interface BaseBranchOptions {
  /** `GITHUB_REPOSITORY`, `owner/name`. */
  repository: string;
  /** The pull request's base branch (`github.base_ref`). */
  branch: string;
  /** `GITHUB_WORKFLOW_REF`: `owner/name/.github/workflows/<file>@<ref>`. */
  workflowRef: string;
  pipeline: string;
  token: string;
  /** `GITHUB_API_URL`. */
  apiUrl?: string;
  /** This workflow run (`GITHUB_RUN_ID`): never its own baseline. */
  currentRunId?: string;
  tempDir?: string;
  maxRuns?: number;
}

/** The workflow file name in `GITHUB_WORKFLOW_REF` (what the REST API takes as `workflow_id`). */
export function workflowFileFromRef(workflowRef: string): string {
  const match = /^[^/]+\/[^/]+\/(.+?)@.*$/.exec(workflowRef);
  const path = match?.[1] ?? '';
  const file = path.split('/').pop() ?? '';
  if (!/\.ya?ml$/.test(file)) {
    throw new ConfigurationError(`GITHUB_WORKFLOW_REF "${workflowRef}" names no workflow file: cannot find the base branch's runs of this workflow`);
  }
  return file;
}

/** The attempt of a decision artifact of `pipeline`, or undefined when the name is another artifact's. */
function decisionAttempt(name: string, pipeline: string): number | undefined {
  const prefix = decisionArtifactName(pipeline, 1).replace(/1$/, '');
  if (!name.startsWith(prefix)) return undefined;
  const attempt = Number(name.slice(prefix.length));
  return Number.isInteger(attempt) && attempt >= 1 ? attempt : undefined;
}

function permissionHint(error: unknown): string {
  const status = httpFailure(error)?.status;
  return status === 403 || status === 404 ? ' (the compare job needs `permissions: actions: read` to read the base branch runs)' : '';
}

/** Reads and checks a downloaded decision file; undefined when it holds no winner. */
async function readDecision(file: string, pipeline: string, what: string): Promise<StoredDecision | undefined> {
  let data: Partial<StoredDecision>;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as Partial<StoredDecision>;
  } catch (error) {
    throw new ConfigurationError(`${what}: cannot read the decision: ${getErrorMessage(error)}`);
  }
  if (data.version !== 1 || data.selection === undefined || data.pipeline !== pipeline) {
    throw new ConfigurationError(`${what} is not a decision of pipeline "${pipeline}" written by this version of mlops`);
  }
  return data.winner ? (data as StoredDecision) : undefined;
}

/**
 * The winner of the base branch's latest decision as a baseline (labelled `base branch main (run 7)`),
 * or undefined when no recent successful run on the branch left one.
 */
export async function baseBranchBaseline(options: BaseBranchOptions): Promise<Baseline | undefined> {
  const [owner = '', repo = ''] = options.repository.split('/');
  if (owner === '' || repo === '') throw new ConfigurationError(`GITHUB_REPOSITORY "${options.repository}" is not OWNER/NAME`);
  if (options.token === '') throw new ConfigurationError('input "github-token" is required to read the base branch runs (actions: read)');
  const workflow = workflowFileFromRef(options.workflowRef);
  const octokit = createGitHubClient({ token: options.token, ...(options.apiUrl ? { baseUrl: options.apiUrl } : {}) });
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
  const listed = await octokit.rest.actions
    .listWorkflowRuns({ owner, repo, workflow_id: workflow, branch: options.branch, status: 'success', per_page: Math.min(100, maxRuns * 2) })
    .catch((error: unknown) => {
      throw new ConfigurationError(`cannot list the successful runs of ${workflow} on ${options.branch}: ${getErrorMessage(error)}${permissionHint(error)}`);
    });
  const runs = listed.data.workflow_runs
    .filter((run) => run.head_branch === options.branch && !run.event.startsWith('pull_request') && String(run.id) !== options.currentRunId)
    .sort((a, b) => b.run_number - a.run_number || b.id - a.id)
    .slice(0, maxRuns);
  const client = await artifactClient();
  const scratch = await mkdtemp(join(options.tempDir ?? tmpdir(), 'mlops-base-branch-'));
  try {
    for (const run of runs) {
      const what = `run ${run.run_number} of ${workflow} on ${options.branch} (${run.html_url})`;
      const findBy = { token: options.token, workflowRunId: run.id, repositoryOwner: owner, repositoryName: repo };
      const artifacts = await client.listArtifacts({ findBy }).catch((error: unknown) => {
        throw new ConfigurationError(`cannot list the artifacts of ${what}: ${getErrorMessage(error)}${permissionHint(error)}`);
      });
      const newest = artifacts.artifacts
        .map((artifact) => ({ artifact, attempt: decisionAttempt(artifact.name, options.pipeline) }))
        .filter((entry): entry is { artifact: (typeof entry)['artifact']; attempt: number } => entry.attempt !== undefined)
        .sort((a, b) => b.attempt - a.attempt)[0];
      if (!newest) {
        core.info(`${what}: no decision of pipeline "${options.pipeline}" (expired, or its compare job did not run)`);
        continue;
      }
      const destination = await mkdtemp(join(scratch, 'run-'));
      const downloaded = await client
        .downloadArtifact(newest.artifact.id, { path: destination, findBy, ...(newest.artifact.digest ? { expectedHash: newest.artifact.digest } : {}) })
        .catch((error: unknown) => {
          // 410 Gone: the artifact expired (retention days); the listing still names it.
          if (httpFailure(error)?.status === 410) return undefined;
          throw new ConfigurationError(`cannot download artifact "${newest.artifact.name}" of ${what}: ${getErrorMessage(error)}${permissionHint(error)}`);
        });
      if (!downloaded) {
        core.info(`${what}: its decision artifact expired`);
        continue;
      }
      if (downloaded.digestMismatch) throw new ConfigurationError(`artifact "${newest.artifact.name}" of ${what}: the archive digest does not match the one recorded at upload`);
      const decision = await readDecision(join(destination, decisionFileName(options.pipeline)), options.pipeline, `artifact "${newest.artifact.name}" of ${what}`);
      if (!decision?.winner) {
        core.info(`${what}: its decision has no winner`);
        continue;
      }
      return {
        source: `${decision.winner.node} of ${run.html_url}`,
        label: `base branch ${options.branch} (run ${run.run_number})`,
        metrics: decision.winner.metrics,
      };
    }
    return undefined;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * The compare service's fallback (src/compare/decide.ts `BaselineRequest.fallback`) for a job of this
 * workflow: the base branch's latest decision, from the runner's environment (repository, workflow, run,
 * API URL). Shared by the compare action and the deployment gate of a node job, so both hold a pull
 * request's candidates against the same baseline.
 */
export function baseBranchFallback(options: {
  branch: string;
  pipeline: string;
  token: string;
  tempDir?: string;
  env?: NodeJS.ProcessEnv;
}): { name: string; lookup: () => Promise<Baseline | undefined> } {
  const env = options.env ?? process.env;
  const workflowRef = env['GITHUB_WORKFLOW_REF'] ?? '';
  if (workflowRef === '') throw new ConfigurationError('GITHUB_WORKFLOW_REF is not set: cannot find the base branch runs of this workflow (clear the base-branch input outside GitHub Actions)');
  const apiUrl = env['GITHUB_API_URL'];
  const runId = env['GITHUB_RUN_ID'];
  return {
    name: `base branch ${options.branch}`,
    lookup: () =>
      core.group(`Baseline from the latest decision on base branch ${options.branch}`, async () => {
        const baseline = await baseBranchBaseline({
          repository: env['GITHUB_REPOSITORY'] ?? '',
          branch: options.branch,
          workflowRef,
          pipeline: options.pipeline,
          token: options.token,
          ...(apiUrl ? { apiUrl } : {}),
          ...(runId ? { currentRunId: runId } : {}),
          ...(options.tempDir ? { tempDir: options.tempDir } : {}),
        });
        core.info(baseline ? `baseline: ${baseline.label ?? ''} (${baseline.source})` : `baseline: none (no decision with a winner on ${options.branch})`);
        return baseline;
      }),
  };
}
