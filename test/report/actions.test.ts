/**
 * The compare and report actions driven as the runner drives them: INPUT_* variables, GITHUB_* files,
 * and the real Octokit client against the OpenAPI-checked fake GitHub.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { run as runCompare } from '../../src/actions/compare/main.js';
import { run as runReport } from '../../src/actions/report/main.js';
import { reportMarker } from '../../src/adapters/comments.js';
import { FakeGitHub } from '../support/github-api-server.js';

let dir: string;
let github: FakeGitHub;
const savedEnv = { ...process.env };
const savedCwd = process.cwd();

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

async function outputs(): Promise<Record<string, string>> {
  // GITHUB_OUTPUT uses `name<<delimiter\nvalue\ndelimiter` blocks.
  const text = await readFile(join(dir, 'output.txt'), 'utf8');
  const result: Record<string, string> = {};
  for (const match of text.matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm)) result[match[1] ?? ''] = match[3] ?? '';
  return result;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-actions-'));
  await mkdir(join(dir, 'evals'), { recursive: true });
  await writeFile(join(dir, 'evals/fast.json'), JSON.stringify({ accuracy: 0.85, loss: 0.4 }));
  await writeFile(join(dir, 'evals/slow.json'), JSON.stringify({ accuracy: 0.83, loss: 0.3 }));
  await writeFile(join(dir, 'production.json'), JSON.stringify({ accuracy: 0.8 }));
  await writeFile(join(dir, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }));
  process.chdir(dir);
});

afterAll(async () => {
  process.chdir(savedCwd);
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  github = new FakeGitHub();
  await github.start();
  await writeFile(join(dir, 'summary.md'), '');
  await writeFile(join(dir, 'output.txt'), '');
  Object.assign(process.env, {
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_OUTPUT: join(dir, 'output.txt'),
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
    GITHUB_RUN_ID: '4242',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
  });
  process.exitCode = undefined;
});

afterEach(async () => {
  await github.close();
  expect(github.violations).toEqual([]);
  process.exitCode = undefined;
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
});

async function compare(): Promise<string> {
  setInputs({ file: 'valohai.yaml', 'project-dir': '.', evaluations: 'evals/*.json', metric: 'accuracy', goal: 'max', baseline: 'production.json', 'min-absolute-improvement': '0.05', pipeline: 'digits' });
  await runCompare();
  expect(process.exitCode).toBeUndefined();
  return (await outputs())['decision-file'] ?? '';
}

describe('compare action', () => {
  test('sets the decision outputs and writes the summary', async () => {
    const decisionFile = await compare();
    const out = await outputs();
    expect(out['decision']).toBe('promote');
    expect(out['winner-node']).toBe('fast');
    expect(out['reason']).toBe('fast beats the baseline (accuracy 0.85 vs baseline 0.8: improvement +0.05, +6.25%; required >= 0.05 absolute)');
    expect((JSON.parse(out['table'] ?? '[]') as unknown[]).length).toBe(2);
    expect(JSON.parse(await readFile(decisionFile, 'utf8'))).toMatchObject({ version: 1, pipeline: 'digits', decision: 'promote' });
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain(reportMarker('digits'));
  });

  test('a bad input fails the step with one message', async () => {
    setInputs({ evaluations: 'evals/*.json', metric: 'accuracy', goal: 'upwards' });
    await runCompare();
    expect(process.exitCode).toBe(1);
  });
});

describe('report action', () => {
  test('writes the job summary and the sticky comment of the pull request', async () => {
    const decisionFile = await compare();
    github.pulls.set(7, { fork: false });
    setInputs({ 'github-token': 'ghs_action-token', 'decision-file': decisionFile, comment: 'true' });
    await runReport();
    expect(process.exitCode).toBeUndefined();
    const out = await outputs();
    expect(out['comment-action']).toBe('created');
    const comments = github.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body.startsWith(reportMarker('digits'))).toBe(true);
    expect(comments[0]?.body).toContain('[run](https://github.com/octo-org/models/actions/runs/4242)');
    const body = comments[0]?.body ?? 'missing';
    // The comment shows the report's chart as a picture hosted in the repository (an orphan branch) ...
    expect(body).toMatch(/\n!\[Model comparison: digits\]\(https:\/\/github\.com\/octo-org\/models\/blob\/mlops-report-assets\/[^)]*\/report\.svg\?raw=true\)/);
    // ... and the job summary holds the same report with the Mermaid chart, which renders there.
    const summary = await readFile(join(dir, 'summary.md'), 'utf8');
    const beforePictures = body.split('\n![Model comparison')[0] ?? 'missing';
    expect(beforePictures.length).toBeGreaterThan(200);
    expect(summary).toContain(beforePictures);
    expect(summary).toContain('```mermaid');

    // A second run updates the same comment.
    await runReport();
    expect(github.comments.get(7)).toHaveLength(1);
    expect((await outputs())['comment-action']).toMatch(/updated|unchanged/);
  });

  test("a fork's pull request: summary only, a notice, and the step does not fail", async () => {
    const decisionFile = await compare();
    github.pulls.set(7, { fork: true });
    github.readOnlyToken = true;
    setInputs({ 'github-token': 'ghs_read-only', 'decision-file': decisionFile });
    await runReport();
    expect(process.exitCode).toBeUndefined();
    expect((await outputs())['comment-action']).toBe('skipped');
    expect(await readFile(join(dir, 'summary.md'), 'utf8')).toContain('**Decision: ✅ promote**');
  });

  test('a missing pull request fails the step with a clear message', async () => {
    const decisionFile = await compare();
    setInputs({ 'github-token': 'ghs_x', 'decision-file': decisionFile, 'pull-request': '99' });
    await runReport();
    expect(process.exitCode).toBe(1);
  });
});
