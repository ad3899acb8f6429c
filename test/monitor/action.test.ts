import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/actions/monitor/main.js';
import { createGitHubClient } from '../../src/adapters/github-client.js';
import { upsertDriftIssue } from '../../src/monitor/alerts.js';
import { driftMarker } from '../../src/monitor/markdown.js';
import { profileFile } from '../../src/monitor/profile.js';
import { restoreEnv, runAction, setEnv } from '../actions/helpers.js';
import { FakeGitHub } from '../support/github-api-server.js';
import { parseMermaid } from '../support/mermaid.js';
import { writeCsv } from './data.js';

let dir: string;
let github: FakeGitHub;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-monitor-action-'));
  await writeCsv(join(dir, 'train.csv'), { rows: 20_000, seed: 1 });
  await writeCsv(join(dir, 'same.csv'), { rows: 5_000, seed: 2 });
  await writeCsv(join(dir, 'drifted.csv'), { rows: 5_000, seed: 3, drift: true });
  await writeFile(join(dir, 'profile.json'), JSON.stringify(await profileFile(join(dir, 'train.csv'))));
  // 3 of 20 columns drift in drifted.csv: a share of 0.1 makes that dataset drift.
  await writeFile(join(dir, 'drift.json'), JSON.stringify({ datasetDriftShare: 0.1 }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  restoreEnv();
  await github?.close();
});

async function startGitHub(): Promise<FakeGitHub> {
  github = new FakeGitHub();
  const url = await github.start();
  setEnv({ GITHUB_API_URL: url, GITHUB_REPOSITORY: `${github.owner}/${github.repo}`, GITHUB_RUN_ID: '77', GITHUB_REF_NAME: 'main' });
  return github;
}

function inputs(values: Record<string, string>): void {
  const all: Record<string, string> = { 'github-token': 'ghs_test', reference: 'profile.json', current: 'same.csv', config: 'drift.json', pipeline: 'digits', 'open-issue': 'false', 'issue-labels': '', 'dispatch-workflow': '', 'dispatch-ref': '', 'fail-on-drift': 'false', 'history-store': 'none', ...values };
  setEnv(Object.fromEntries(Object.entries(all).map(([key, value]) => [`INPUT_${key.toUpperCase()}`, value])));
}

const files = () => ({ output: join(dir, 'output.txt'), summary: join(dir, 'summary.md'), workspace: dir });

describe('monitor action', () => {
  test('no drift: summary and outputs, no GitHub calls', async () => {
    const server = await startGitHub();
    inputs({ 'open-issue': 'true', 'dispatch-workflow': 'train.yml' });
    const result = await runAction(run, files());
    expect(result.failed).toBe(false);
    expect(result.outputs['drifted']).toBe('false');
    expect((JSON.parse(result.outputs['verdict'] ?? '{}') as { format: string }).format).toBe('mlops-drift');
    expect(result.summary).toContain('no drift');
    expect(server.requests).toEqual([]);
  });

  test('drift: opens one issue, updates it on the next run, dispatches training', async () => {
    const server = await startGitHub();
    // Enough unrelated open issues and a pull request to need a second page.
    for (let i = 0; i < 120; i++) server.addIssue({ title: `other ${i}`, body: i === 5 ? `quoting ${driftMarker('digits')}` : 'x', state: 'open', labels: [], pullRequest: i % 10 === 0 });
    inputs({ current: 'drifted.csv', 'open-issue': 'true', 'issue-labels': 'drift,model', 'dispatch-workflow': 'train.yml', 'history-store': 'release' });
    await rm(join(dir, '.mlops'), { recursive: true, force: true });
    const first = await runAction(run, files());
    expect(first.failed).toBe(false);
    expect(first.outputs['drifted']).toBe('true');
    expect(first.outputs['dispatched']).toBe('true');
    const ours = [...server.issues.values()].filter((issue) => issue.body.startsWith(driftMarker('digits')));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ title: 'Drift detected: digits', labels: ['drift', 'model'], state: 'open' });
    expect(first.outputs['issue-url']).toBe(`https://github.com/${server.owner}/${server.repo}/issues/${ours[0]?.number}`);
    expect(server.dispatches).toEqual([{ kind: 'workflow', workflow: 'train.yml', body: { ref: 'main' } }]);

    // The history is kept in a release, not only on this runner: a fresh workspace still sees the first check.
    const release = [...server.releases.values()].find((candidate) => candidate.tag === 'monitoring/digits');
    expect(release?.assets.map((asset) => asset.name)).toEqual(['history-1.jsonl']);
    await rm(join(dir, '.mlops'), { recursive: true, force: true });
    const second = await runAction(run, files());
    expect(second.failed).toBe(false);
    expect(release?.assets.map((asset) => asset.name)).toEqual(['history-2.jsonl']);
    expect([...server.issues.values()].filter((issue) => issue.body.startsWith(driftMarker('digits')))).toHaveLength(1);
    // Each check was appended to the pipeline's history; the issue and the summary show the trend.
    expect(second.outputs['history-file']).toBe(join('.mlops', 'monitoring', 'digits', 'history.jsonl'));
    const history = (await readFile(join(dir, second.outputs['history-file'] ?? ''), 'utf8')).trim().split('\n');
    expect(history).toHaveLength(2);
    const issue = [...server.issues.values()].find((candidate) => candidate.body.startsWith(driftMarker('digits')));
    expect(issue?.body).toContain('### Trend: the last 2 checks');
    const charts = [...(issue?.body ?? '').matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(charts).toHaveLength(2);
    for (const chart of charts) expect(await parseMermaid(chart)).toBe('xychart');
    expect(issue?.body).toMatch(/\| num_3 \| `[▁▂▃▄▅▆▇█]{2,}` \|/);
    expect(second.summary).toContain('### Trend');
    expect(server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues'))).toHaveLength(1);
    expect(server.violations).toEqual([]);
  });

  test('fail-on-drift fails the step; a bad input fails with a message', async () => {
    await startGitHub();
    inputs({ current: 'drifted.csv', 'fail-on-drift': 'true' });
    const gated = await runAction(run, files());
    expect(gated.failed).toBe(true);
    expect(gated.log).toMatch(/::error::drift detected: dataset drift/);
    // history-store auto without a repository to keep it in: a warning, and the workspace file only.
    setEnv({ GITHUB_REPOSITORY: '' });
    inputs({ 'history-store': 'auto' });
    const local = await runAction(run, files());
    expect(local.failed).toBe(false);
    expect(local.log).toMatch(/::warning::the drift history is not kept on GitHub \(GITHUB_REPOSITORY is not set\)/);
    inputs({ 'history-store': 'release' });
    expect((await runAction(run, files())).failed).toBe(true);
    inputs({ 'open-issue': 'maybe' });
    const bad = await runAction(run, files());
    expect(bad.failed).toBe(true);
    expect(bad.log).toMatch(/open-issue" must be true or false/);
  });

  test('a token that may not write releases: the warning names contents: write and the job', async () => {
    const server = await startGitHub();
    // The batch template's own permissions (contents: read, issues: write), as its GITHUB_TOKEN carries them.
    const template = parse(await readFile(join(import.meta.dirname, '../../workflows-templates/mlops-batch-inference.yml'), 'utf8')) as { permissions: unknown };
    inputs({ 'github-token': server.issueToken(template.permissions), 'history-store': 'auto' });
    setEnv({ GITHUB_JOB: 'score', GITHUB_WORKFLOW_REF: `${server.owner}/${server.repo}/.github/workflows/mlops-batch-inference.yml@refs/heads/main` });
    const result = await runAction(run, files());
    expect(result.failed).toBe(false);
    expect(result.log).toMatch(/::warning::the drift history is not kept on GitHub: the token may not write releases \(HTTP 403: Resource not accessible by integration[^)]*\)\. Grant `contents: write` in the `permissions:` that apply to job 'score' in \.github\/workflows\/mlops-batch-inference\.yml/);
    expect(server.refusedForPermission.some((line) => line.includes('needs contents: write'))).toBe(true);
  });

  test('upsertDriftIssue leaves an unchanged issue alone', async () => {
    const server = await startGitHub();
    const octokit = createGitHubClient({ token: 't', baseUrl: server.url });
    const repository = { owner: server.owner, repo: server.repo };
    const body = `${driftMarker('p')}\nreport`;
    expect((await upsertDriftIssue(octokit, repository, driftMarker('p'), 'Drift detected: p', body)).action).toBe('created');
    expect((await upsertDriftIssue(octokit, repository, driftMarker('p'), 'Drift detected: p', body)).action).toBe('unchanged');
    expect((await upsertDriftIssue(octokit, repository, driftMarker('p'), 'Drift detected: p', `${body}!`)).action).toBe('updated');
    expect(server.violations).toEqual([]);
  });
});
