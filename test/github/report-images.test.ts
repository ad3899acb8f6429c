/**
 * Pictures for the pull request comment on an orphan branch of the user's repository (issue 15 item 4),
 * with the real Octokit against the fake REST API, which checks every call against GitHub's OpenAPI
 * description and refuses what a job's token may not do (the template's `permissions:`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/adapters/github-client.js';
import { hostImages, imagesMarkdown, type ReportImage } from '../../src/github/report-images.js';
import { FakeGitHub } from '../support/github-api-server.js';

let github: FakeGitHub;

beforeEach(async () => {
  github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
  await github.start();
});

afterEach(async () => {
  await github.close();
});

const svg: ReportImage = { name: 'report.svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), title: 'Model comparison: train' };
// The 8-byte PNG signature and an IHDR start: bytes that are not UTF-8 must survive the base64 round trip.
const png: ReportImage = { name: 'confusion matrix.png', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]), title: 'confusion matrix' };

function client(permissions: unknown) {
  return createGitHubClient({ token: github.issueToken(permissions), baseUrl: github.url, log: () => undefined, retry: { retries: 0 } });
}

describe('hostImages', () => {
  it('commits the pictures to an orphan branch and links them by blob URL with ?raw=true', async () => {
    const octokit = client({ contents: 'write', 'pull-requests': 'write' });
    const hosted = await hostImages(octokit, [svg, png], { owner: 'octo', repo: 'digits', folder: 'pr-12/run-7-1', retentionDays: 30, now: new Date('2026-12-06T10:00:00Z') });
    expect(hosted.hosted).toBe(true);
    if (!hosted.hosted) return;
    expect(hosted.links.map((link) => link.url)).toEqual([
      'https://github.com/octo/digits/blob/mlops-report-assets/2026-12-06/pr-12/run-7-1/report.svg?raw=true',
      'https://github.com/octo/digits/blob/mlops-report-assets/2026-12-06/pr-12/run-7-1/confusion-matrix.png?raw=true',
    ]);
    expect(github.git.fileAt('mlops-report-assets', '2026-12-06/pr-12/run-7-1/confusion-matrix.png')).toEqual(png.bytes);
    expect(github.git.fileAt('mlops-report-assets', '2026-12-06/pr-12/run-7-1/report.svg')?.toString()).toBe(svg.bytes.toString());
    // An orphan branch: its first commit has no parent, so it shares no history with the code.
    const tip = github.git.refs.get('heads/mlops-report-assets') ?? '';
    const commit = github.git.objects.get(tip);
    expect(commit?.type === 'commit' ? commit.parents : undefined).toEqual([]);
    expect(imagesMarkdown([svg, png], hosted)).toBe(
      `![Model comparison: train](${hosted.links[0]?.url ?? ''})\n\n![confusion matrix](${hosted.links[1]?.url ?? ''})`,
    );
    expect(github.violations).toEqual([]);
    expect(github.refusedForPermission).toEqual([]);
  });

  it('keeps earlier pictures, and removes the days older than the retention at the next upload', async () => {
    const octokit = client({ contents: 'write' });
    const at = (iso: string) => ({ owner: 'octo', repo: 'digits', folder: 'pr-1/run-1-1', retentionDays: 60, now: new Date(iso) });
    await hostImages(octokit, [svg], at('2026-10-01T00:00:00Z'));
    await hostImages(octokit, [svg], { ...at('2026-11-20T00:00:00Z'), folder: 'pr-2/run-2-1' });
    expect(github.git.pathsAt('mlops-report-assets')).toEqual(['2026-10-01/pr-1/run-1-1/report.svg', '2026-11-20/pr-2/run-2-1/report.svg']);
    const third = await hostImages(octokit, [png], { ...at('2026-12-06T00:00:00Z'), folder: 'pr-3/run-3-1' });
    expect(third.hosted && third.removedDays).toEqual(['2026-10-01']);
    expect(github.git.pathsAt('mlops-report-assets')).toEqual(['2026-11-20/pr-2/run-2-1/report.svg', '2026-12-06/pr-3/run-3-1/confusion-matrix.png']);
    // Every update moved the branch forward (fast forward, never forced).
    const tip = github.git.refs.get('heads/mlops-report-assets') ?? '';
    const commit = github.git.objects.get(tip);
    expect(commit?.type === 'commit' ? commit.parents.length : 0).toBe(1);
    expect(github.violations).toEqual([]);
  });

  it('two jobs at once: neither loses its pictures (the ref only moves by fast forward, a refused update is retried)', async () => {
    const octokit = client({ contents: 'write' });
    await hostImages(octokit, [svg], { owner: 'octo', repo: 'digits', folder: 'pr-1/run-1-1', retentionDays: 30, now: new Date('2026-12-06T00:00:00Z') });
    const options = (folder: string) => ({ owner: 'octo', repo: 'digits', folder, retentionDays: 30, now: new Date('2026-12-06T00:00:00Z') });
    const results = await Promise.all([hostImages(octokit, [png], options('pr-2/run-2-1')), hostImages(octokit, [png], options('pr-3/run-3-1'))]);
    expect(results.map((result) => result.hosted)).toEqual([true, true]);
    expect(github.git.pathsAt('mlops-report-assets')).toEqual([
      '2026-12-06/pr-1/run-1-1/report.svg',
      '2026-12-06/pr-2/run-2-1/confusion-matrix.png',
      '2026-12-06/pr-3/run-3-1/confusion-matrix.png',
    ]);
    expect(github.violations).toEqual([]);
  });

  it('a token without contents: write (a fork, or a template that forgot it): no pictures, and the comment says why in text', async () => {
    const octokit = client({ contents: 'read', 'pull-requests': 'write' });
    const hosted = await hostImages(octokit, [svg, png], { owner: 'octo', repo: 'digits', folder: 'pr-12/run-7-1', retentionDays: 30 });
    expect(hosted.hosted).toBe(false);
    expect(github.refusedForPermission).toEqual(['POST /repos/octo/digits/git/blobs: needs contents: write']);
    expect(github.git.refs.size).toBe(0);
    const text = imagesMarkdown([svg, png], hosted);
    expect(text).toMatch(/^_Pictures not shown \(report\.svg, confusion matrix\.png\): the token cannot write to octo\/digits \(contents: write is needed\)/);
    expect(text).not.toContain('![');
    expect(github.violations).toEqual([]);
  });
});
