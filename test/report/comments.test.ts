import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createGitHubClient, defaultRetryPolicy, RateLimitError, rateLimitDelay } from '../../src/adapters/github-client.js';
import { reportMarker, upsertStickyComment } from '../../src/adapters/comments.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { FakeGitHub, OpenApiValidator } from '../support/github-api-server.js';

let github: FakeGitHub;
const sleeps: number[] = [];
const logs: string[] = [];

beforeEach(async () => {
  github = new FakeGitHub();
  await github.start();
  sleeps.length = 0;
  logs.length = 0;
});

afterEach(async () => {
  await github.close();
  // Every request our client sent and every answer the fake gave conformed to GitHub's description.
  expect(github.violations).toEqual([]);
});

function client(retries = 3) {
  return createGitHubClient({
    token: 'ghs_test-token-123',
    baseUrl: github.url,
    retry: { retries, sleep: async (ms) => void sleeps.push(ms), backoffMs: (attempt) => attempt * 10 },
    log: (line) => logs.push(line),
  });
}

const marker = reportMarker('train-and-evaluate');
const target = () => ({ owner: github.owner, repo: github.repo, pullNumber: 7 });
const markerComments = (issue: number) => (github.comments.get(issue) ?? []).filter((c) => c.body.startsWith(marker));

describe('sticky pull request comment', () => {
  test('creates the comment, then updates it in place', async () => {
    github.pulls.set(7, { fork: false });
    const first = await upsertStickyComment(client(), target(), marker, `${marker}\nfirst`);
    expect(first).toMatchObject({ action: 'created' });
    const second = await upsertStickyComment(client(), target(), marker, `${marker}\nsecond`);
    expect(second).toMatchObject({ action: 'updated', commentId: first.action === 'created' ? first.commentId : -1 });
    const third = await upsertStickyComment(client(), target(), marker, `${marker}\nsecond`);
    expect(third.action).toBe('unchanged');
    expect(markerComments(7).map((c) => c.body)).toEqual([`${marker}\nsecond`]);
    expect(github.requests.every((r) => r.authorization === 'token ghs_test-token-123')).toBe(true);
  });

  test('finds its comment among more than 100 others on a later page and updates it', async () => {
    github.pulls.set(7, { fork: false });
    github.addComments(7, Array.from({ length: 130 }, (_, i) => `chatter ${i}`));
    const [ours] = github.addComments(7, [`${marker}\nold report`]);
    github.addComments(7, Array.from({ length: 90 }, (_, i) => `later ${i} quoting:\n> ${marker}`));
    // A comment of another pipeline stays untouched.
    const [other] = github.addComments(7, [`${reportMarker('other-pipeline')}\nother`]);

    const result = await upsertStickyComment(client(), target(), marker, `${marker}\nnew report`);
    expect(result).toMatchObject({ action: 'updated', commentId: ours?.id });
    expect(markerComments(7)).toHaveLength(1);
    expect(markerComments(7)[0]?.body).toBe(`${marker}\nnew report`);
    expect(github.comments.get(7)?.find((c) => c.id === other?.id)?.body).toBe(`${reportMarker('other-pipeline')}\nother`);
    const pages = github.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/issues/7/comments'));
    expect(pages.map((r) => new URLSearchParams(r.query).get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(github.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  test('heals duplicates left by an earlier race: one marker comment remains', async () => {
    github.pulls.set(7, { fork: false });
    github.addComments(7, Array.from({ length: 120 }, (_, i) => `chatter ${i}`));
    github.addComments(7, [`${marker}\nA`]);
    github.addComments(7, Array.from({ length: 5 }, (_, i) => `chatter ${i}`));
    github.addComments(7, [`${marker}\nB`]);
    const result = await upsertStickyComment(client(), target(), marker, `${marker}\nC`);
    expect(result).toMatchObject({ action: 'updated', deletedDuplicates: 1 });
    expect(markerComments(7).map((c) => c.body)).toEqual([`${marker}\nC`]);
  });

  test("a fork's pull request with a read-only token is skipped with a reason, not a failure", async () => {
    github.pulls.set(7, { fork: true });
    github.readOnlyToken = true;
    const result = await upsertStickyComment(client(), target(), marker, `${marker}\nreport`);
    expect(result.action).toBe('skipped');
    expect(result.action === 'skipped' ? result.reason : '').toMatch(/HTTP 403.*from a fork.*job summary/);
    expect(markerComments(7)).toEqual([]);
  });

  test('a missing pull request is a clear error', async () => {
    const error = await upsertStickyComment(client(), target(), marker, `${marker}\nreport`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      'pull request #7 was not found in octo-org/models (HTTP 404). Check the pull-request number, and that the token can read the repository.',
    );
  });

  test.each([
    { kind: 'primary' as const, status: 403 },
    { kind: 'secondary' as const, status: 429 },
  ])('a $kind rate limit (HTTP $status) is retried with backoff, then succeeds', async ({ kind, status }) => {
    github.pulls.set(7, { fork: false });
    github.rateLimitQueue = [kind, kind];
    const result = await upsertStickyComment(client(), target(), marker, `${marker}\nreport`);
    expect(result.action).toBe('created');
    expect(sleeps).toHaveLength(2);
    expect(sleeps.every((ms) => ms >= 0 && ms <= 1000)).toBe(true);
    expect(github.requests.slice(0, 3).map((r) => r.status)).toEqual([status, status, 200]);
    expect(logs[0]).toMatch(new RegExp(`rate limit on GET /repos/\\{owner\\}/\\{repo\\}/pulls/\\{pull_number\\} \\(HTTP ${status}\\); retry 1 of 3`));
    expect(markerComments(7)).toHaveLength(1);
  });

  test('rate limit that outlasts the retries ends with a clear message', async () => {
    github.pulls.set(7, { fork: false });
    github.rateLimitQueue = ['primary', 'primary', 'primary'];
    const error = await upsertStickyComment(client(2), target(), marker, `${marker}\nreport`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toMatch(
      /^GitHub API rate limit hit on GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\} \(HTTP 403: API rate limit exceeded.*\); gave up after 2 retries\. The limit resets at \d{4}-.*Re-run the job later/,
    );
    expect(sleeps).toHaveLength(2);
    expect((error as Error).message).not.toContain('ghs_test-token-123');
    expect(markerComments(7)).toEqual([]);
  });

  test('a reset beyond the longest accepted wait gives up at once, saying when the limit resets', async () => {
    github.pulls.set(7, { fork: false });
    github.rateLimitQueue = ['primary'];
    github.rateLimitResetSeconds = 3600;
    const error = await upsertStickyComment(client(), target(), marker, `${marker}\nreport`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toMatch(/gave up after 0 retries\. The limit resets at /);
    expect(sleeps).toEqual([]);
  });

  test('a 403 that is not a rate limit is not retried', async () => {
    github.pulls.set(7, { fork: false });
    github.readOnlyToken = true;
    const result = await upsertStickyComment(client(), target(), marker, `${marker}\nreport`);
    expect(result.action === 'skipped' ? result.reason : '').toMatch(/lacks `pull-requests: write`/);
    expect(sleeps).toEqual([]);
  });
});

describe('rate-limit detection', () => {
  const policy = { ...defaultRetryPolicy, backoffMs: (attempt: number) => attempt * 100 };
  const now = 1_700_000_000_000;
  test.each([
    { name: 'primary: remaining 0, wait until reset', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }, delay: 30_000 },
    { name: 'secondary: retry-after on a 403', status: 403, headers: { 'retry-after': '5' }, delay: 5000 },
    { name: 'secondary: retry-after on a 429', status: 429, headers: { 'retry-after': '2' }, delay: 2000 },
    { name: '429 without headers: exponential backoff', status: 429, headers: {}, delay: 200 },
    { name: 'a reset in the past: no wait', status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 - 5) }, delay: 0 },
    { name: 'a permission 403 is not a rate limit', status: 403, headers: { 'x-ratelimit-remaining': '4999' }, delay: undefined },
    { name: 'a 404 is not a rate limit', status: 404, headers: {}, delay: undefined },
  ])('$name', ({ status, headers, delay }) => {
    expect(rateLimitDelay({ status, headers, message: '' }, 2, policy, now)).toBe(delay);
  });
});

describe('the fake server checks against the OpenAPI description', () => {
  test('a non-conforming request is refused and recorded', async () => {
    github.pulls.set(7, { fork: false });
    const octokit = client();
    // A plain string route: Octokit's types would refuse the malformed request at compile time.
    const route: string = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
    const error = await octokit
      .request(route, { owner: github.owner, repo: github.repo, issue_number: 7, text: 'no body field' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400 });
    expect(github.violations).toEqual([
      "request: POST /repos/{owner}/{repo}/issues/{issue_number}/comments: request body: data must have required property 'body'",
    ]);
    github.violations.length = 0;
  });

  test('an undocumented endpoint and a wrongly typed parameter are refused', async () => {
    const octokit = client();
    const listRoute: string = 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments';
    await octokit.request(listRoute, { owner: 'o', repo: 'r', issue_number: 'abc' }).catch(() => undefined);
    await octokit.request('GET /repos/{owner}/{repo}/no-such-thing', { owner: 'o', repo: 'r' }).catch(() => undefined);
    expect(github.violations).toEqual([
      'request: GET /repos/{owner}/{repo}/issues/{issue_number}/comments: path parameter issue_number=abc: data must be integer',
      "request: GET /repos/o/r/no-such-thing: no such operation in GitHub's OpenAPI description",
    ]);
    github.violations.length = 0;
  });

  test.each([
    { name: 'a comment without its required fields', status: 200, body: { id: 1, body: 'x' }, problem: /must have required property 'node_id'/ },
    { name: 'an undeclared status', status: 418, body: {}, problem: /status 418 is not declared/ },
    { name: 'a wrongly typed id', status: 200, body: { id: 'one' }, problem: /data\/id must be integer/ },
  ])('a response with $name is flagged', ({ status, body, problem }) => {
    const problems = new OpenApiValidator().validateResponse('PATCH', '/repos/o/r/issues/comments/1', status, body);
    expect(problems.join('\n')).toMatch(problem);
  });
});
