import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { candidatesFromEvaluationFiles, filterCandidates, loadBaselineFile, loadRunCandidates, type Candidate } from '../../src/compare/candidates.js';
import { expandFilePatterns } from '../../src/compare/files.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-candidates-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<string> {
  const full = join(dir, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, text);
  return full;
}

describe('evaluation files', () => {
  test.each([
    { name: 'a flat object of metrics', text: '{"accuracy": 0.9, "loss": 0.1}', expected: [{ node: 'flat', metrics: { accuracy: 0.9, loss: 0.1 }, status: 'succeeded' }] },
    {
      name: 'a full object',
      text: '{"node": "train-a", "executionId": "e7", "status": "failed", "parameters": {"lr": 0.1}, "metrics": {"accuracy": 0.9}, "outputs": [{"path": "model.json", "sha256": "ab", "size": 3}]}',
      expected: [{ node: 'train-a', executionId: 'e7', status: 'failed', parameters: { lr: 0.1 }, metrics: { accuracy: 0.9 }, outputs: [{ path: 'model.json', sha256: 'ab', size: 3 }] }],
    },
    { name: 'an array', text: '[{"accuracy": 0.1}, {"accuracy": 0.2}]', expected: [{ node: 'list-1', metrics: { accuracy: 0.1 } }, { node: 'list-2', metrics: { accuracy: 0.2 } }] },
    { name: "Python's NaN and Infinity", text: '{"accuracy": NaN, "loss": -Infinity, "f1": [NaN]}', expected: [{ node: 'python', metrics: { accuracy: 'NaN', loss: '-Infinity', f1: ['NaN'] } }] },
  ])('reads $name', async ({ name, text, expected }) => {
    const file = await write(`${name === 'a flat object of metrics' ? 'flat' : name === 'an array' ? 'list' : name === 'a full object' ? 'full' : 'python'}.json`, text);
    expect(await candidatesFromEvaluationFiles([file])).toMatchObject(expected);
  });

  test('same-named files are told apart by their folders', async () => {
    const a = await write('runs/a/evaluation.json', '{"accuracy": 1}');
    const b = await write('runs/b/evaluation.json', '{"accuracy": 2}');
    expect((await candidatesFromEvaluationFiles([a, b])).map((c) => c.node)).toEqual(['a/evaluation', 'b/evaluation']);
    expect(await expandFilePatterns(['runs/*/evaluation.json'], dir)).toEqual([a, b]);
  });

  test.each([
    { text: 'not json', message: /is not valid JSON/ },
    { text: '42', message: /entry 1 is not a JSON object/ },
  ])('a malformed file is a message naming it: $text', async ({ text, message }) => {
    const file = await write('bad.json', text);
    await expect(candidatesFromEvaluationFiles([file])).rejects.toThrow(message);
    await expect(candidatesFromEvaluationFiles([file])).rejects.toThrow(file);
  });

  test('baseline files: wrapped or flat', async () => {
    expect(await loadBaselineFile(await write('b1.json', '{"metrics": {"accuracy": 0.8}, "label": "v3"}'))).toMatchObject({ metrics: { accuracy: 0.8 }, label: 'v3' });
    expect(await loadBaselineFile(await write('b2.json', '{"accuracy": 0.7}'))).toMatchObject({ metrics: { accuracy: 0.7 } });
    await expect(loadBaselineFile(await write('b3.json', '[1]'))).rejects.toThrow(/must hold a JSON object/);
  });
});

describe('run records', () => {
  test('are read defensively: partial executions still become candidates', async () => {
    await write(
      '.mlops/runs/r1/run.json',
      JSON.stringify({
        id: 'r1',
        pipeline: 'p',
        nodes: {
          train: { executions: [{ executionId: 'train-1', status: 'succeeded', latestMetadata: { accuracy: 0.9 }, metadata: [{ values: { loss: 1 } }, { values: { loss: 0.5 } }, { values: { accuracy: 0.9 } }] }, 'junk', { status: 'failed' }] },
          prep: { executions: [{ executionId: 'prep-1', status: 'succeeded', latestMetadata: { rows: 10 } }] },
          odd: 'not a node',
        },
      }),
    );
    const run = await loadRunCandidates(join(dir, '.mlops'), 'r1');
    expect(run).toMatchObject({ runId: 'r1', pipeline: 'p', status: 'unknown' });
    expect(run.candidates).toEqual([
      { node: 'train', executionId: 'train-1', status: 'succeeded', parameters: {}, metrics: { accuracy: 0.9 }, outputs: [], series: { loss: [1, 0.5] } },
      { node: 'train', executionId: 'train#3', status: 'failed', parameters: {}, metrics: {}, outputs: [] },
      { node: 'prep', executionId: 'prep-1', status: 'succeeded', parameters: {}, metrics: { rows: 10 }, outputs: [] },
    ]);
    // Default candidates: nodes that reported the metric; the failed train execution stays (to be excluded with a reason).
    expect(filterCandidates(run.candidates, 'accuracy').map((c) => c.executionId)).toEqual(['train-1', 'train#3']);
    expect(filterCandidates(run.candidates, 'accuracy', ['pr*']).map((c: Candidate) => c.node)).toEqual(['prep']);
  });

  test.each(['../x', '/etc', 'a/b', '..'])('a run id that could leave .mlops/runs is refused: %s', async (runId) => {
    // Ids are looked up among the folders of runs/, so a path-like id names no run.
    await expect(loadRunCandidates(join(dir, '.mlops'), runId)).rejects.toThrow(/no run /);
  });
});

describe('lineage in run records', () => {
  test('an evaluation candidate inherits the hyperparameters and files of the execution that trained its model', async () => {
    const exec = (id: string, parameters: Record<string, unknown>, outputs: string[], inputs: Record<string, string[]>, metrics = {}) => ({
      executionId: id,
      status: 'succeeded',
      parameters,
      latestMetadata: metrics,
      outputs: outputs.map((sha) => ({ path: `${sha}.bin`, sha256: sha, size: 1 })),
      inputs: Object.fromEntries(Object.entries(inputs).map(([name, shas]) => [name, shas.map((sha) => ({ relativePath: `${sha}.bin`, sha256: sha, source: { kind: 'store', sha256: sha } }))])),
    });
    await write(
      '.mlops/runs/r2/run.json',
      JSON.stringify({
        id: 'r2',
        pipeline: 'p',
        nodes: {
          prep: { executions: [exec('prep-1', { seed: 1, fraction: 0.2 }, ['aa', 'bb'], {})] },
          train: { executions: [exec('train-1', { seed: 7, lr: 0.1 }, ['cc'], { data: ['aa'] })] },
          evaluate: { executions: [exec('eval-1', {}, ['dd'], { model: ['cc'], test: ['bb'] }, { accuracy: 0.9 })] },
        },
      }),
    );
    const run = await loadRunCandidates(join(dir, '.mlops'), 'r2');
    const evaluation = run.candidates.find((c) => c.node === 'evaluate');
    // train (deeper than prep) wins the clash on `seed`.
    expect(evaluation?.parameters).toEqual({ seed: 7, fraction: 0.2, lr: 0.1 });
    expect(evaluation?.upstream?.map((u) => [u.node, u.outputs.map((o) => o.sha256)])).toEqual([
      ['train', ['cc']],
      ['prep', ['aa', 'bb']],
    ]);
  });
});
