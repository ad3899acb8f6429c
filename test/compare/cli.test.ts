import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { StoredDecision } from '../../src/compare/compare.js';
import { formatNumber } from '../../src/compare/rule.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
// The project folder is a temp dir, so tsx is loaded by path rather than resolved from the cwd.
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

/** Runs `mlops <args>` through the real entry (src/cli/index.ts → main.ts) in its own Node process. */
async function mlops(name: 'compare' | 'report', args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', tsxLoader, join(repo, 'src/cli/index.ts'), name, ...args], { cwd, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

let project: string;

/** A run record in the shape the scheduler writes (see loadRunCandidates), modelled on examples/digits. */
const evaluations: Record<string, { status: string; accuracy?: number; loss?: number; macro_f1?: number }> = {
  'evaluate-fast': { status: 'succeeded', accuracy: 0.9388888888888889, loss: 0.21, macro_f1: 0.93 },
  'evaluate-medium': { status: 'succeeded', accuracy: 0.9611111111111111, loss: 0.14, macro_f1: 0.96 },
  'evaluate-slow': { status: 'succeeded', accuracy: 0.9611111111111111, loss: 0.12, macro_f1: 0.96 },
  'evaluate-broken': { status: 'failed', accuracy: 0.99 },
};

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'mlops-compare-'));
  await copyFile(join(repo, 'examples/digits/valohai.yaml'), join(project, 'valohai.yaml'));
  const nodes: Record<string, unknown> = {
    preprocess: { executions: [{ executionId: 'preprocess', status: 'succeeded', parameters: { seed: 42 }, latestMetadata: { train_rows: 1437 }, outputs: [] }] },
    'train-fast': {
      executions: [
        {
          executionId: 'train-fast',
          status: 'succeeded',
          parameters: { learning_rate: 0.5, epochs: 3 },
          latestMetadata: { loss: 0.3 },
          metadata: [1, 2, 3].map((epoch) => ({ time: '2024-01-01T00:00:00Z', values: { epoch, loss: 1 / epoch } })),
          outputs: [{ path: 'model.json', sha256: 'f'.repeat(64), size: 100 }],
        },
      ],
    },
  };
  for (const [node, { status, ...metrics }] of Object.entries(evaluations)) {
    nodes[node] = {
      executions: [
        {
          executionId: `${node}-x1`,
          status,
          parameters: {},
          latestMetadata: metrics,
          metadata: [{ time: '2024-01-01T00:00:00Z', values: metrics }],
          outputs: [{ path: 'evaluation.json', sha256: 'e'.repeat(64), size: 321 }],
        },
      ],
    };
  }
  await mkdir(join(project, '.mlops/runs/run-1'), { recursive: true });
  await writeFile(join(project, '.mlops/runs/run-1/run.json'), JSON.stringify({ id: 'run-1', pipeline: 'train-and-deploy', status: 'failed', nodes }));
  await mkdir(join(project, 'evals/a'), { recursive: true });
  await mkdir(join(project, 'evals/b'), { recursive: true });
  await writeFile(join(project, 'evals/a/evaluation.json'), JSON.stringify({ accuracy: 0.85, loss: 0.3 }));
  // Python's json.dumps writes NaN: the file is still read, and the candidate excluded with a reason.
  await writeFile(join(project, 'evals/b/evaluation.json'), '{"accuracy": NaN, "loss": 0.2}');
  // A run whose executions all failed: it has no winner to be a baseline.
  await mkdir(join(project, '.mlops/runs/run-0'), { recursive: true });
  await writeFile(join(project, '.mlops/runs/run-0/run.json'), JSON.stringify({ id: 'run-0', pipeline: 'train-and-deploy', status: 'failed', nodes: { 'evaluate-broken': nodes['evaluate-broken'] } }));
  await writeFile(join(project, 'production.json'), JSON.stringify({ metrics: { accuracy: 0.8 }, label: 'v12' }));
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('mlops compare', () => {
  test('--run: the rule of the pipeline file picks the winner, ties broken by loss, decision stored with the run', async () => {
    const result = await mlops('compare', ['--run', 'run-1', '--json'], project);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as StoredDecision;
    const stored = JSON.parse(await readFile(join(project, '.mlops/runs/run-1/compare.json'), 'utf8')) as StoredDecision;
    expect(stored).toEqual(printed);
    expect(printed.decision).toBe('promote');
    expect(printed.winner).toMatchObject({ node: 'evaluate-slow', executionId: 'evaluate-slow-x1', outputs: [{ path: 'evaluation.json' }] });
    expect(printed.reason).toBe('evaluate-slow has the best accuracy (0.961111111111) (tied on accuracy with evaluate-medium; broken by tie-breakers, then node name); no baseline to beat (first model: the registry has no production model yet)');
    // Candidates are the nodes that reported the metric: not preprocess, not train-fast.
    expect(printed.selection.table.map((row) => [row.node, row.excluded ?? null])).toEqual([
      ['evaluate-slow', null],
      ['evaluate-medium', null],
      ['evaluate-fast', null],
      ['evaluate-broken', 'execution failed'],
    ]);
  });

  test('--evaluations with a glob and --baseline: 0.85 vs 0.80 with an absolute minimum of 0.05 promotes', async () => {
    const result = await mlops('compare', ['--evaluations', 'evals/*/evaluation.json', '--baseline', 'production.json', '--metric', 'accuracy', '--constraint', 'loss <= 0.5', '--min-absolute', '0.05', '--json'], project);
    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout) as StoredDecision;
    expect(decision.decision).toBe('promote');
    expect(decision.winner?.node).toBe('a/evaluation');
    expect(decision.reason).toBe('a/evaluation beats the baseline (accuracy 0.85 vs baseline 0.8: improvement +0.05, +6.25%; required >= 0.05 absolute)');
    expect(decision.selection.table.map((row) => row.excluded ?? null)).toEqual([null, "metric 'accuracy' is NaN"]);
  });

  test('--baseline-run: an earlier run’s winner is the baseline', async () => {
    const result = await mlops('compare', ['--evaluations', 'evals/a/evaluation.json', '--baseline-run', 'run-1', '--min-relative', '0.01'], project);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('decision: no-candidate');
    expect(result.stdout).toContain('excluded: constraint accuracy >= 0.9 failed (accuracy = 0.85)');
  });

  test('--baseline-model with no such model in the registry: the first model, said in the reason (as the compare action says it)', async () => {
    const result = await mlops('compare', ['--evaluations', 'evals/a/evaluation.json', '--baseline-model', 'digits', '--metric', 'accuracy', '--constraint', 'loss <= 0.5', '--json'], project);
    expect(result.stderr).toBe('');
    const decision = JSON.parse(result.stdout) as StoredDecision;
    expect(decision.decision).toBe('promote');
    expect(decision.reason).toBe('evaluation has the best accuracy (0.85); no baseline to beat (first model: the registry has no digits@production yet)');
  });

  test.each([
    { args: ['--evaluations', 'evals/a/evaluation.json', '--metric', 'accuracy', '--baseline-run', 'run-0'], message: 'mlops: run run-0 has no winner to use as the baseline' },
    { args: ['--run', 'run-1', '--baseline', 'production.json', '--baseline-model', 'digits'], message: 'mlops: give at most one of --baseline, --baseline-run, --baseline-model and --no-baseline' },
    { args: ['--run', 'run-1', '--baseline-model', 'digits@'], message: 'mlops: baseline-model "digits@" is not NAME or NAME@ALIAS' },
    { args: ['--run', '../etc'], message: "mlops: no run '../etc'" },
    { args: ['--run', 'nope'], message: "mlops: no run 'nope'" },
    { args: [], message: 'mlops: give either --run RUN or --evaluations PATTERN.' },
    { args: ['--evaluations', 'evals/*.json'], message: 'mlops: no evaluation file matches evals/*.json' },
    { args: ['--run', 'run-1', '--goal', 'up'], message: "mlops: --goal must be max or min, got 'up'" },
    { args: ['--run', 'run-1', '--constraint', 'loss is low'], message: "mlops: constraint 'loss is low' is not of the form" },
  ])('user mistakes are one clear message: $args', async ({ args, message }) => {
    const result = await mlops('compare', args, project);
    expect(result.code).toBe(1);
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('mlops report', () => {
  test('prints the Markdown report whose numbers match the executions’ metadata, and writes HTML', async () => {
    const result = await mlops('report', ['run-1', '--html', 'out/report.html'], project);
    expect(result.code).toBe(0);
    const markdown = result.stdout;
    expect(markdown.startsWith('<!-- mlops-report:train-and-deploy -->')).toBe(true);
    for (const [node, metrics] of Object.entries(evaluations)) {
      const row = markdown.split('\n').find((line) => line.startsWith('|') && (line.includes(` ${node} `) || line.includes(`**${node}**`)));
      expect(row, node).toBeDefined();
      for (const value of [metrics.accuracy, metrics.loss]) {
        if (value !== undefined) expect(row).toContain(` ${formatNumber(value)} `);
      }
    }
    expect(markdown).toContain('| 🏆 | **evaluate-slow** |');
    const html = await readFile(join(project, 'out/report.html'), 'utf8');
    expect(html).toContain('<td>evaluate-slow</td>');
    expect(html).toContain('Decision: promote');
  });

  test('without a run id, the latest run is reported', async () => {
    const result = await mlops('report', [], project);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('run `run-1`');
  });
});
