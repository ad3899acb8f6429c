/**
 * End to end on examples/digits: `mlops run` executes the real pipeline (preprocess, three trainings,
 * three evaluations, find-best-model, deploy) as real processes, then `mlops compare` and `mlops report`
 * pick the winner and report numbers that must match the metadata recorded in the run.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { StoredDecision } from '../../src/compare/compare.js';
import { formatNumber } from '../../src/compare/rule.js';
import { loadRun, type RunRecord } from '../../src/store/runs.js';

const exec = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
let projectDir: string;
let run: RunRecord;

async function mlops(...args: string[]): Promise<string> {
  const { stdout } = await exec(process.execPath, ['--import', tsxLoader, join(repo, 'src/cli/index.ts'), ...args, '--project-dir', projectDir], {
    cwd: repo,
    env: { ...process.env, CI: 'true' },
  });
  return stdout;
}

beforeAll(async () => {
  projectDir = await mkdtemp(join(tmpdir(), 'mlops-digits-'));
  await mlops('run', 'examples/digits/valohai.yaml', '--pipeline', 'train-and-deploy', '--no-reuse');
  run = await loadRun(projectDir, 'latest');
}, 180_000);

afterAll(async () => {
  await rm(projectDir, { recursive: true, force: true });
});

test('mlops run, then compare picks the best evaluation and the report shows the recorded metadata', async () => {
  expect(run.status).toBe('succeeded');
  const evaluations = ['evaluate-fast', 'evaluate-medium', 'evaluate-slow'];
  const latest = Object.fromEntries(evaluations.map((node) => [node, run.nodes[node]?.executions[0]?.latestMetadata ?? {}]));
  expect(evaluations.every((node) => typeof latest[node]?.['accuracy'] === 'number')).toBe(true);
  // The expected winner computed independently of the rule: highest accuracy, ties to the lower loss.
  const expected = [...evaluations].sort(
    (a, b) => Number(latest[b]?.['accuracy']) - Number(latest[a]?.['accuracy']) || Number(latest[a]?.['loss']) - Number(latest[b]?.['loss']),
  )[0] as string;
  expect(Number(latest[expected]?.['accuracy'])).toBeGreaterThanOrEqual(0.9);

  const decision = JSON.parse(await mlops('compare', 'examples/digits/valohai.yaml', '--run', run.id, '--json')) as StoredDecision;
  expect(decision.decision).toBe('promote');
  expect(decision.winner?.node).toBe(expected);
  expect(decision.selection.table.map((row) => row.node).sort()).toEqual(evaluations);
  expect(decision.winner?.metrics).toEqual(latest[expected]);
  // The winner's model is the one the example's own find-best-model step chose.
  const trainedModel = decision.winner?.upstream?.flatMap((u) => u.outputs).find((o) => o.path === 'model.json');
  const bestModel = run.nodes['find-best-model']?.executions[0]?.outputs.find((o) => o.path === 'model.json');
  expect(trainedModel?.sha256).toBe(bestModel?.sha256);

  const markdown = await mlops('report', run.id);
  for (const node of evaluations) {
    const row = markdown.split('\n').find((line) => line.startsWith('|') && (line.includes(`| ${node} |`) || line.includes(`**${node}**`)));
    for (const key of ['accuracy', 'loss', 'macro_f1']) {
      expect(row, `${node} ${key}`).toContain(`| ${formatNumber(Number(latest[node]?.[key]))} |`);
    }
  }
  expect(markdown).toContain(`| 🏆 | **${expected}** |`);
  expect(markdown).toContain(`bar [${decision.selection.table.map((row) => formatNumber(Number(row.metrics['accuracy']))).join(', ')}]`);
});
