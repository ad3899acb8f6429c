/**
 * What to do on drift: one open issue per pipeline (found by a hidden marker across every page of
 * open issues, updated in place, created only when absent), and/or a dispatch of the training workflow.
 */
import type { Octokit } from '@octokit/rest';
import { ConfigurationError } from '../util/errors.js';
import { httpFailure } from '../adapters/github-client.js';

export interface Repository {
  owner: string;
  repo: string;
}

export type IssueResult = { action: 'created' | 'updated' | 'unchanged'; number: number; url: string };

/** Creates or updates the open issue whose body starts with `marker`. `body` must start with it. */
export async function upsertDriftIssue(octokit: Octokit, repository: Repository, marker: string, title: string, body: string, labels: readonly string[] = []): Promise<IssueResult> {
  if (!body.startsWith(marker)) throw new Error('the issue body must start with its marker');
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repository, state: 'open', per_page: 100 });
  // The issues endpoint lists pull requests too; startsWith so that a quote of the report is not taken for it.
  const existing = issues.find((issue) => issue.pull_request === undefined && (issue.body ?? '').startsWith(marker));
  if (existing) {
    if (existing.body === body && existing.title === title) return { action: 'unchanged', number: existing.number, url: existing.html_url };
    const { data } = await octokit.rest.issues.update({ ...repository, issue_number: existing.number, title, body });
    return { action: 'updated', number: data.number, url: data.html_url };
  }
  const { data } = await octokit.rest.issues.create({ ...repository, title, body, ...(labels.length > 0 ? { labels: [...labels] } : {}) });
  return { action: 'created', number: data.number, url: data.html_url };
}

/** Starts `workflow` (file name or id) on `ref` through `workflow_dispatch`. */
export async function dispatchWorkflow(octokit: Octokit, repository: Repository, workflow: string, ref: string, inputs: Record<string, string> = {}): Promise<void> {
  const workflowId: string | number = /^\d+$/.test(workflow) ? Number(workflow) : workflow;
  try {
    await octokit.rest.actions.createWorkflowDispatch({ ...repository, workflow_id: workflowId, ref, ...(Object.keys(inputs).length > 0 ? { inputs } : {}) });
  } catch (error) {
    const failure = httpFailure(error);
    if (failure?.status === 404) throw new ConfigurationError(`workflow '${workflow}' was not found in ${repository.owner}/${repository.repo} (HTTP 404)`);
    if (failure?.status === 422) throw new ConfigurationError(`workflow '${workflow}' cannot be dispatched (HTTP 422: ${failure.message}); it needs an \`on: workflow_dispatch\` trigger on ${ref}`);
    throw error;
  }
}
