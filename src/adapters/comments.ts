/**
 * One sticky comment per pipeline on a pull request: found by a hidden marker across every page of
 * comments, updated in place, created only when absent, never duplicated (extra marker comments left
 * by an earlier race are deleted).
 */
import type { Octokit } from '@octokit/rest';
import { ConfigurationError } from '../util/errors.js';
import { httpFailure } from './github-client.js';

/** The hidden marker that identifies the report comment of one pipeline. */
export function reportMarker(pipeline: string): string {
  // `--` would end the HTML comment early; the pipeline name is user text.
  return `<!-- mlops-report:${pipeline.replace(/-{2,}/g, '-').replace(/>/g, '')} -->`;
}

export interface PullRequestTarget {
  owner: string;
  repo: string;
  pullNumber: number;
}

export type StickyCommentResult =
  | { action: 'created' | 'updated' | 'unchanged'; commentId: number; url: string; deletedDuplicates: number }
  /** The token may not write (a fork's pull request): the caller writes the job summary only. */
  | { action: 'skipped'; reason: string };

/**
 * Creates or updates the comment carrying `marker` on the pull request. `body` must start with the
 * marker (the report's Markdown does). Throws ConfigurationError for a pull request that does not
 * exist; returns `skipped` when the token is read-only.
 */
export async function upsertStickyComment(octokit: Octokit, target: PullRequestTarget, marker: string, body: string): Promise<StickyCommentResult> {
  if (!body.startsWith(marker)) throw new Error('the comment body must start with its marker');
  const { owner, repo, pullNumber } = target;
  let fork = false;
  try {
    const { data: pull } = await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber });
    fork = pull.head.repo !== null && pull.head.repo.full_name !== pull.base.repo.full_name;
  } catch (error) {
    if (httpFailure(error)?.status === 404) {
      throw new ConfigurationError(
        `pull request #${pullNumber} was not found in ${owner}/${repo} (HTTP 404). Check the pull-request number, and that the token can read the repository.`,
      );
    }
    throw error;
  }

  const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pullNumber, per_page: 100 });
  // startsWith, not includes: a reply quoting the report must not be taken for it.
  const ours = comments.filter((comment) => (comment.body ?? '').startsWith(marker));

  try {
    const [existing, ...duplicates] = ours;
    for (const duplicate of duplicates) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
    }
    if (existing) {
      if (existing.body === body) {
        return { action: 'unchanged', commentId: existing.id, url: existing.html_url, deletedDuplicates: duplicates.length };
      }
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { action: 'updated', commentId: data.id, url: data.html_url, deletedDuplicates: duplicates.length };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
    return { action: 'created', commentId: data.id, url: data.html_url, deletedDuplicates: 0 };
  } catch (error) {
    const failure = httpFailure(error);
    if (failure?.status === 403) {
      const origin = fork ? 'this pull request comes from a fork, and its workflow token is read-only' : 'the token lacks `pull-requests: write`';
      return { action: 'skipped', reason: `cannot write the pull request comment (HTTP 403: ${failure.message}): ${origin}. The report is in the job summary.` };
    }
    throw error;
  }
}
