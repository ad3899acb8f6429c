/**
 * The templates' `permissions:` against the fake REST API's token model (test/support/github-permissions.ts):
 * a job's token carries exactly what its template grants, so a template that forgets a permission its
 * actions need fails here, with GitHub's 403 "Resource not accessible by integration".
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createGitHubClient } from '../../src/adapters/github-client.js';
import { reportMarker, upsertStickyComment } from '../../src/adapters/comments.js';
import { FakeGitHub } from '../support/github-api-server.js';
import { grants, jobTokenPermissions, permissionsFrom, requiredPermission } from '../support/github-permissions.js';

const TEMPLATES = join(import.meta.dirname, '../../workflows-templates');

interface WorkflowDocument {
  permissions?: unknown;
  jobs: Record<string, { permissions?: unknown }>;
}

async function template(name: string): Promise<WorkflowDocument> {
  return parse(await readFile(join(TEMPLATES, name), 'utf8')) as WorkflowDocument;
}

/** The permissions the template gives one job's token. */
async function jobPermissions(file: string, job: string): Promise<unknown> {
  const workflow = await template(file);
  const spec = workflow.jobs[job];
  if (!spec) throw new Error(`${file} has no job ${job}`);
  return spec.permissions ?? workflow.permissions;
}

let github: FakeGitHub;

beforeEach(async () => {
  github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
  await github.start();
  github.pulls.set(12, { fork: false });
});

afterEach(async () => {
  expect(github.violations).toEqual([]);
  await github.close();
});

const client = (token: string) => createGitHubClient({ token, baseUrl: github.url, retry: { retries: 0 }, log: () => undefined });
const target = { owner: 'octo', repo: 'digits', pullNumber: 12 };
const marker = reportMarker('train-and-deploy');

describe('the token model', () => {
  it('grants what a mapping lists, none of the rest, and metadata always', () => {
    const permissions = permissionsFrom({ contents: 'read', 'pull-requests': 'write' });
    expect(permissions['contents']).toBe('read');
    expect(permissions['pull-requests']).toBe('write');
    expect(permissions['issues']).toBe('none');
    expect(permissions['metadata']).toBe('read');
    expect(grants(permissions, requiredPermission('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 'issues', 'comments'))).toBe(true);
    expect(grants(permissions, requiredPermission('POST', '/repos/{owner}/{repo}/releases', 'releases', 'releases'))).toBe(false);
    expect(grants(permissions, requiredPermission('GET', '/repos/{owner}/{repo}/releases', 'releases', 'releases'))).toBe(true);
  });

  it('gives a job its own permissions instead of the workflow\'s, and the restricted default without any', () => {
    expect(jobTokenPermissions({ contents: 'write' }, { issues: 'write' })['contents']).toBe('none');
    expect(jobTokenPermissions({ contents: 'write' }, undefined)['contents']).toBe('write');
    expect(jobTokenPermissions(undefined, undefined)).toMatchObject({ contents: 'read', issues: 'none', 'pull-requests': 'none' });
    expect(permissionsFrom('read-all')['deployments']).toBe('read');
    expect(() => permissionsFrom({ 'pull-request': 'write' })).toThrow(/unknown permission scope pull-request/);
  });
});

describe('mlops-pipeline.yml: the report job', () => {
  it('comments on the pull request with the token its permissions give', async () => {
    const token = github.issueToken(await jobPermissions('mlops-pipeline.yml', 'report'));
    const result = await upsertStickyComment(client(token), target, marker, `${marker}\nreport`);
    expect(result.action).toBe('created');
    expect(github.refusedForPermission).toEqual([]);
  });

  it('fails without pull-requests: the pull request cannot even be read (403 from the fake, as from GitHub)', async () => {
    const permissions = { ...((await jobPermissions('mlops-pipeline.yml', 'report')) as Record<string, string>) };
    delete permissions['pull-requests'];
    const token = github.issueToken(permissions);
    await expect(upsertStickyComment(client(token), target, marker, `${marker}\nreport`)).rejects.toThrow(/Resource not accessible by integration/);
    expect(github.refusedForPermission).toEqual(['GET /repos/octo/digits/pulls/12: needs pull-requests: read']);
    expect(github.comments.get(12) ?? []).toEqual([]);
  });

  it('with pull-requests: read only, writes no comment and says which permission is missing', async () => {
    const token = github.issueToken({ contents: 'read', 'pull-requests': 'read' });
    const result = await upsertStickyComment(client(token), target, marker, `${marker}\nreport`);
    expect(result.action).toBe('skipped');
    expect(result.action === 'skipped' ? result.reason : '').toMatch(/HTTP 403: Resource not accessible by integration.*lacks `pull-requests: write`/);
    expect(github.refusedForPermission).toEqual(['POST /repos/octo/digits/issues/12/comments: needs issues: write or pull-requests: write']);
  });
});

describe('every template job that calls the REST API', () => {
  it('mlops-batch-inference.yml can open the issue it reports drift in; the restricted default cannot', async () => {
    const allowed = client(github.issueToken(await jobPermissions('mlops-batch-inference.yml', Object.keys((await template('mlops-batch-inference.yml')).jobs)[0] ?? '')));
    const created = await allowed.rest.issues.create({ owner: 'octo', repo: 'digits', title: 'drift', body: 'x' });
    expect(created.status).toBe(201);
    const restricted = client(github.issueToken(undefined));
    await expect(restricted.rest.issues.create({ owner: 'octo', repo: 'digits', title: 'drift', body: 'x' })).rejects.toMatchObject({ status: 403 });
  });
});
