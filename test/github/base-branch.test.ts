/**
 * The pull request's fallback baseline (src/github/base-branch.ts) against the fake GitHub REST API (its
 * OpenAPI checks and per-permission tokens) and the artifact service double (blobs in Azurite): the
 * decision artifacts are uploaded by the real `@actions/artifact` client as a compare job of the base
 * branch run uploads them, and read back through the public REST API (`findBy`) as on GitHub.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toStoredDecision } from '../../src/compare/compare.js';
import { decide } from '../../src/compare/decide.js';
import { selectBest, type SelectionRule } from '../../src/compare/rule.js';
import type { Candidate } from '../../src/compare/candidates.js';
import { baseBranchBaseline, workflowFileFromRef } from '../../src/github/base-branch.js';
import { uploadDecisionArtifact } from '../../src/github/workflow-run.js';
import { writeJsonAtomic } from '../../src/util/fs.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { FakeGitHub } from '../support/github-api-server.js';

const PIPELINE = 'train-and-deploy';
const WORKFLOW = 'mlops-pipeline.yml';
const WORKFLOW_REF = `octo/digits/.github/workflows/${WORKFLOW}@refs/pull/5/merge`;
const RULE: SelectionRule = { metric: 'accuracy', goal: 'max', tieBreakers: [], constraints: [] };

let server: ArtifactServer;
let github: FakeGitHub;
let scratch: string;
const savedEnv = new Map<string, string | undefined>();

function candidate(node: string, accuracy: number): Candidate {
  return { node, executionId: `${node}-1`, status: 'succeeded', parameters: {}, metrics: { accuracy }, outputs: [] } as unknown as Candidate;
}

/** A compare job of a base branch run: decides and uploads the decision artifact with the real client. */
async function baseBranchRun(backendRunId: string, winnerAccuracy: number | undefined): Promise<void> {
  const env = server.envFor({ runId: backendRunId });
  for (const [key, value] of Object.entries(env)) {
    if (key === 'NODE_OPTIONS') continue;
    if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
  const candidates = winnerAccuracy === undefined ? [] : [candidate('evaluate-fast', winnerAccuracy - 0.01), candidate('evaluate-slow', winnerAccuracy)];
  const stored = toStoredDecision(PIPELINE, selectBest(candidates, RULE));
  const file = join(await mkdtemp(join(scratch, 'compare-')), `${PIPELINE}.json`);
  await writeJsonAtomic(file, stored);
  await uploadDecisionArtifact(file, PIPELINE, 1);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mlops-base-branch-'));
  server = await startArtifactServer();
  github = new FakeGitHub({ owner: 'octo', repo: 'digits' });
  await github.start();
  github.workflowRuns.artifactServer = server;
  // @actions/github reads GITHUB_API_URL once, when the artifact client first loads it.
  savedEnv.set('GITHUB_API_URL', process.env['GITHUB_API_URL']);
  process.env['GITHUB_API_URL'] = github.url;

  // Run 7 on main decided (winner accuracy 0.93); run 8 on main left no decision (its artifacts expired or
  // compare was skipped); run 9 is a pull request whose head branch is also called main (a fork's); run 10
  // failed; run 6 is on another branch.
  await baseBranchRun('backend-run-7', 0.93);
  await baseBranchRun('backend-run-9', 0.5);
  await baseBranchRun('backend-run-6', 0.4);
  const run = { workflow: WORKFLOW, headSha: 'a'.repeat(40), status: 'completed' as const };
  github.workflowRuns.add({ ...run, id: 9007, runNumber: 7, headBranch: 'main', event: 'push', conclusion: 'success', backendRunId: 'backend-run-7' });
  github.workflowRuns.add({ ...run, id: 9008, runNumber: 8, headBranch: 'main', event: 'push', conclusion: 'success', backendRunId: 'backend-run-8' });
  github.workflowRuns.add({ ...run, id: 9009, runNumber: 9, headBranch: 'main', event: 'pull_request', conclusion: 'success', backendRunId: 'backend-run-9' });
  github.workflowRuns.add({ ...run, id: 9010, runNumber: 10, headBranch: 'main', event: 'push', conclusion: 'failure', backendRunId: 'backend-run-9' });
  github.workflowRuns.add({ ...run, id: 9006, runNumber: 6, headBranch: 'develop', event: 'push', conclusion: 'success', backendRunId: 'backend-run-6' });
}, 120_000);

afterAll(async () => {
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await github?.close();
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the base branch baseline of a pull request', () => {
  it('names the workflow file of GITHUB_WORKFLOW_REF, and refuses a ref that names none', () => {
    expect(workflowFileFromRef(WORKFLOW_REF)).toBe(WORKFLOW);
    expect(() => workflowFileFromRef('octo/digits@main')).toThrow(/names no workflow file/);
  });

  it("is the winner of the latest successful push run on the base branch that left a decision", async () => {
    const token = github.issueToken({ contents: 'read', actions: 'read' });
    const baseline = await baseBranchBaseline({ repository: 'octo/digits', branch: 'main', workflowRef: WORKFLOW_REF, pipeline: PIPELINE, token, apiUrl: github.url, tempDir: scratch });
    expect(baseline).toEqual({
      label: 'base branch main (run 7)',
      source: 'evaluate-slow of https://github.com/octo/digits/actions/runs/9007',
      metrics: { accuracy: 0.93 },
    });
    expect(github.violations).toEqual([]);
    expect(github.refusedForPermission).toEqual([]);
    // The runs were asked for as documented: this workflow, the base branch, successful ones.
    const listing = github.requests.find((request) => request.path.endsWith(`/actions/workflows/${WORKFLOW}/runs`));
    expect(listing?.query).toContain('branch=main');
    expect(listing?.query).toContain('status=success');
    // The archive came through the REST API's redirect, as @actions/artifact downloads another run's.
    expect(github.requests.some((request) => /\/actions\/artifacts\/\d+\/zip$/.test(request.path) && request.status === 302)).toBe(true);
  }, 60_000);

  it('feeds the compare service: deltas against the base branch, labelled, and the reason says where it came from', async () => {
    const token = github.issueToken({ contents: 'read', actions: 'read' });
    const result = await decide({
      pipeline: PIPELINE,
      rule: RULE,
      candidates: { kind: 'candidates', candidates: [candidate('evaluate-new', 0.95)] },
      baseline: {
        kind: 'model',
        name: 'digits@production',
        lookup: () => Promise.resolve(undefined),
        fallback: { name: 'base branch main', lookup: () => baseBranchBaseline({ repository: 'octo/digits', branch: 'main', workflowRef: WORKFLOW_REF, pipeline: PIPELINE, token, apiUrl: github.url, tempDir: scratch }) },
      },
    });
    expect(result.stored.decision).toBe('promote');
    expect(result.stored.reason).toContain('(the registry has no digits@production yet: compared with base branch main (run 7))');
    expect(result.stored.selection.baseline?.label).toBe('base branch main (run 7)');
    expect(result.stored.selection.table[0]?.deltaAbsolute).toBeCloseTo(0.02, 9);
  }, 60_000);

  it('passes over a run whose decision artifact expired (410 Gone) and one whose decision has no winner', async () => {
    await baseBranchRun('backend-run-31', 0.91);
    await baseBranchRun('backend-run-32', undefined);
    await baseBranchRun('backend-run-33', 0.97);
    const run = { workflow: WORKFLOW, headSha: 'b'.repeat(40), status: 'completed' as const, headBranch: 'release', event: 'workflow_dispatch', conclusion: 'success' as const };
    github.workflowRuns.add({ ...run, id: 9031, runNumber: 31, backendRunId: 'backend-run-31' });
    github.workflowRuns.add({ ...run, id: 9032, runNumber: 32, backendRunId: 'backend-run-32' });
    const expired = server.artifactDetails('backend-run-33').map((artifact) => artifact.id);
    github.workflowRuns.add({ ...run, id: 9033, runNumber: 33, backendRunId: 'backend-run-33', expired });
    const token = github.issueToken({ actions: 'read' });
    const baseline = await baseBranchBaseline({ repository: 'octo/digits', branch: 'release', workflowRef: WORKFLOW_REF, pipeline: PIPELINE, token, apiUrl: github.url, tempDir: scratch });
    expect(baseline?.label).toBe('base branch release (run 31)');
    expect(baseline?.metrics).toEqual({ accuracy: 0.91 });
    expect(github.requests.some((request) => request.status === 410)).toBe(true);
    expect(github.violations).toEqual([]);
  }, 60_000);

  it('is none when the base branch has no successful run with a decision: the first model says so', async () => {
    const token = github.issueToken({ contents: 'read', actions: 'read' });
    const none = await baseBranchBaseline({ repository: 'octo/digits', branch: 'hotfix', workflowRef: WORKFLOW_REF, pipeline: PIPELINE, token, apiUrl: github.url, tempDir: scratch });
    expect(none).toBeUndefined();
    const result = await decide({
      pipeline: PIPELINE,
      rule: RULE,
      candidates: { kind: 'candidates', candidates: [candidate('evaluate-new', 0.95)] },
      baseline: { kind: 'model', name: 'digits@production', lookup: () => Promise.resolve(undefined), fallback: { name: 'base branch hotfix', lookup: () => Promise.resolve(none) } },
    });
    expect(result.stored.reason).toContain('(first model: the registry has no digits@production yet and base branch hotfix has no decision yet)');
  }, 60_000);

  it('fails, naming the permission, when the job token may not read workflow runs (never a silent first model)', async () => {
    const token = github.issueToken({ contents: 'read' });
    await expect(
      baseBranchBaseline({ repository: 'octo/digits', branch: 'main', workflowRef: WORKFLOW_REF, pipeline: PIPELINE, token, apiUrl: github.url, tempDir: scratch }),
    ).rejects.toThrow(/cannot list the successful runs of mlops-pipeline\.yml on main: .*actions: read/);
    expect(github.refusedForPermission.at(-1)).toMatch(/actions\/workflows\/mlops-pipeline\.yml\/runs: needs actions: read/);
  }, 60_000);
});
