/**
 * Pictures for the pull request comment, hosted in the user's own repository: no third-party image host
 * sees the data. The images are committed to a dedicated branch that shares no history with the code (an
 * orphan branch, `mlops-report-assets` by default) through the Git Data API (blobs → tree → commit → ref),
 * which needs `contents: write`, and linked by blob URL with `?raw=true`, which GitHub renders inline
 * for anyone who can read the repository (private ones included).
 *
 * Layout: `<YYYY-MM-DD>/<folder>/<name>` (folder e.g. `pr-12/run-123-1`). Every upload drops the day
 * folders older than `retentionDays` from the branch (garbage collection by age: their links stop
 * rendering; the objects stay in the branch's history until GitHub's own gc). Two jobs writing at once
 * cannot lose each other's images: the ref moves only by fast forward (a refused update is retried on the
 * new tip, three times).
 *
 * A token that may not write (a fork's pull request, a job without `contents: write`) gets GitHub's 403 or
 * 404: `hostImages` then answers `{ hosted: false, reason }`, and the comment says in text which pictures
 * it could not show. Any other failure is an error.
 */
import type { Octokit } from '@octokit/rest';
import { getErrorMessage } from '../util/errors.js';

export const DEFAULT_IMAGE_BRANCH = 'mlops-report-assets';

export interface ReportImage {
  /** File name in the comment and on the branch (`report.svg`, `confusion-matrix.png`). */
  name: string;
  bytes: Uint8Array;
  /** Alt text. */
  title: string;
}

export interface ImageHostOptions {
  owner: string;
  repo: string;
  branch?: string;
  /** Folder below the day folder, e.g. `pr-12/run-123-1`. */
  folder: string;
  retentionDays: number;
  /** `GITHUB_SERVER_URL`, default https://github.com. */
  serverUrl?: string;
  now?: Date;
}

export type HostedImages =
  | { hosted: true; links: { image: ReportImage; url: string }[]; removedDays: string[]; commit: string }
  | { hosted: false; reason: string };

function status(error: unknown): number | undefined {
  const value = (error as { status?: unknown } | null)?.status;
  return typeof value === 'number' ? value : undefined;
}

/** Path-safe: letters, digits, `.`, `_`, `-`; anything else becomes `-`. */
export function safeSegment(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned === '' ? 'image' : cleaned.slice(0, 100);
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Commits the images to the image branch and returns their blob URLs (see the module comment). */
export async function hostImages(octokit: Octokit, images: ReportImage[], options: ImageHostOptions): Promise<HostedImages> {
  const branch = options.branch ?? DEFAULT_IMAGE_BRANCH;
  const { owner, repo } = options;
  const now = options.now ?? new Date();
  const today = day(now);
  const cutoff = day(new Date(now.getTime() - options.retentionDays * 86_400_000));
  const folder = `${today}/${options.folder.split('/').map(safeSegment).join('/')}`;
  const server = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  try {
    const blobs: { image: ReportImage; path: string; sha: string }[] = [];
    for (const image of images) {
      const { data } = await octokit.rest.git.createBlob({ owner, repo, content: Buffer.from(image.bytes).toString('base64'), encoding: 'base64' });
      blobs.push({ image, path: `${folder}/${safeSegment(image.name)}`, sha: data.sha });
    }
    for (let attempt = 1; ; attempt++) {
      const tip = await octokit.rest.git
        .getRef({ owner, repo, ref: `heads/${branch}` })
        .then(({ data }) => data.object.sha)
        .catch((error: unknown) => {
          if (status(error) === 404) return undefined;
          throw error;
        });
      const removed: string[] = [];
      let baseTree: string | undefined;
      if (tip !== undefined) {
        baseTree = (await octokit.rest.git.getCommit({ owner, repo, commit_sha: tip })).data.tree.sha;
        const top = (await octokit.rest.git.getTree({ owner, repo, tree_sha: baseTree })).data.tree;
        for (const entry of top) {
          if (entry.type === 'tree' && entry.path !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(entry.path) && entry.path < cutoff) removed.push(entry.path);
        }
      }
      const tree = await octokit.rest.git.createTree({
        owner,
        repo,
        ...(baseTree !== undefined ? { base_tree: baseTree } : {}),
        tree: [
          ...removed.map((path) => ({ path, mode: '040000' as const, type: 'tree' as const, sha: null })),
          ...blobs.map((blob) => ({ path: blob.path, mode: '100644' as const, type: 'blob' as const, sha: blob.sha })),
        ],
      });
      const message = `mlops report images ${folder}${removed.length > 0 ? ` (removed ${removed.length} day(s) older than ${options.retentionDays} days)` : ''}`;
      const commit = await octokit.rest.git.createCommit({ owner, repo, message, tree: tree.data.sha, parents: tip !== undefined ? [tip] : [] });
      try {
        if (tip === undefined) await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.data.sha });
        else await octokit.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: commit.data.sha, force: false });
      } catch (error) {
        // Another job moved (or created) the branch meanwhile: build on its tip.
        if (status(error) === 422 && attempt < 3) continue;
        throw error;
      }
      const encodedBranch = branch.split('/').map(encodeURIComponent).join('/');
      const links = blobs.map((blob) => ({
        image: blob.image,
        url: `${server}/${owner}/${repo}/blob/${encodedBranch}/${blob.path.split('/').map(encodeURIComponent).join('/')}?raw=true`,
      }));
      return { hosted: true, links, removedDays: removed, commit: commit.data.sha };
    }
  } catch (error) {
    const code = status(error);
    // No write access (GitHub answers 403 "Resource not accessible by integration", or 404 to hide the repository).
    if (code === 403 || code === 404) {
      return { hosted: false, reason: `the token cannot write to ${owner}/${repo} (contents: write is needed): ${getErrorMessage(error)}` };
    }
    throw error;
  }
}

/** The Markdown of the pictures: inline images when hosted, else a line saying which ones are not shown and why. */
export function imagesMarkdown(images: ReportImage[], hosted: HostedImages): string {
  if (images.length === 0) return '';
  if (hosted.hosted) return hosted.links.map(({ image, url }) => `![${image.title.replace(/[[\]\n]/g, ' ')}](${url})`).join('\n\n');
  return `_Pictures not shown (${images.map((image) => image.name).join(', ')}): ${hosted.reason.replace(/\n/g, ' ')}. They are in the job summary's artifacts._`;
}
