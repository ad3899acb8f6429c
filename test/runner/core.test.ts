import { readFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { executed, makeProject, runIn, step, type Project } from './helpers.js';
import { listRuns, loadRun } from '../../src/store/runs.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function inputListing(p: Project, runId: string, node: string): Promise<string> {
  const run = await loadRun(p.projectDir, runId);
  const execution = run.nodes[node]?.executions[0];
  if (!execution) throw new Error(`no execution of ${node}`);
  return readFile(join(execution.logPath, '..', 'outputs', 'listing.txt'), 'utf8');
}

describe('scheduler core', () => {
  test('fan-out, fan-in, glob edges and collisions', async () => {
    project = await makeProject([
      step('make', [
        'mkdir -p "$VH_OUTPUTS_DIR/models/deep"',
        'echo "$SOURCE" > "$VH_OUTPUTS_DIR/model.bin"',
        'echo top > "$VH_OUTPUTS_DIR/models/a.pkl"',
        'echo deep > "$VH_OUTPUTS_DIR/models/deep/b.pkl"',
        'echo other > "$VH_OUTPUTS_DIR/notes.md"',
      ], { 'environment-variables': [{ name: 'SOURCE', default: 'x' }] }),
      step('gather', 'cd "$VH_INPUTS_DIR" && find . -type f | sort > "$VH_OUTPUTS_DIR/listing.txt"', {
        inputs: [{ name: 'models' }, { name: 'pkls', optional: true }, { name: 'deep', optional: true }],
      }),
      {
        pipeline: {
          name: 'fan',
          nodes: [
            { name: 'a', type: 'execution', step: 'make', override: { 'environment-variables': [{ name: 'SOURCE', default: 'from-a' }] } },
            { name: 'b', type: 'execution', step: 'make', override: { 'environment-variables': [{ name: 'SOURCE', default: 'from-b' }] } },
            { name: 'gather', type: 'execution', step: 'gather' },
          ],
          edges: [
            ['a.output.model*', 'gather.input.models'],
            ['b.output.model*', 'gather.input.models'],
            ['a.output.models/*.pkl', 'gather.input.pkls'],
            ['a.output.models/**/*.pkl', 'gather.input.deep'],
          ],
        },
      },
    ]);
    const { run } = await runIn(project, 'fan');
    expect(run.status).toBe('succeeded');
    expect(run.nodes['gather']?.state).toBe('succeeded');
    const listing = (await inputListing(project, run.id, 'gather')).trim().split('\n');
    // Two different model.bin files collide, so each source gets its own folder.
    expect(listing).toContain('./models/a/model.bin');
    expect(listing).toContain('./models/b/model.bin');
    // Edges match like fnmatch, as Valohai's do: `*` crosses folders too.
    expect(listing).toContain('./pkls/a.pkl');
    expect(listing).toContain('./pkls/b.pkl');
    expect(listing).toContain('./deep/b.pkl');
    expect(listing).not.toContain('./models/notes.md');
  });

  test('parameter and metadata edges; a metadata list spreads into a task node', async () => {
    project = await makeProject([
      step('produce', ['echo \'{"best_lr": 0.5, "sizes": [1, 2, 3]}\''], {
        parameters: [{ name: 'seed', type: 'integer', default: 42 }],
      }),
      step('consume', ['echo "lr={parameter-value:lr} seed={parameter-value:seed}" > "$VH_OUTPUTS_DIR/out.txt"'], {
        parameters: [{ name: 'lr', type: 'float', default: 0.1 }, { name: 'seed', type: 'integer', default: 1 }],
      }),
      step('sized', ['echo "size={parameter-value:size}" > "$VH_OUTPUTS_DIR/size-{parameter-value:size}.txt"'], {
        parameters: [{ name: 'size', type: 'integer', default: 0 }],
      }),
      {
        pipeline: {
          name: 'values',
          nodes: [
            { name: 'produce', type: 'execution', step: 'produce' },
            { name: 'consume', type: 'execution', step: 'consume' },
            { name: 'sized', type: 'task', step: 'sized' },
          ],
          edges: [
            ['produce.metadata.best_lr', 'consume.parameter.lr'],
            ['produce.parameter.seed', 'consume.parameter.seed'],
            ['produce.metadata.sizes', 'sized.parameter.size'],
          ],
        },
      },
    ]);
    const { run } = await runIn(project, 'values');
    expect(run.status).toBe('succeeded');
    const consume = run.nodes['consume']?.executions[0];
    expect(consume?.parameters).toMatchObject({ lr: 0.5, seed: 42 });
    expect(await readFile(join(consume?.logPath ?? '', '..', 'outputs', 'out.txt'), 'utf8')).toBe('lr=0.5 seed=42\n');
    const sized = run.nodes['sized']?.executions ?? [];
    expect(sized.map((e) => e.parameters['size']).sort()).toEqual([1, 2, 3]);
    expect(sized.flatMap((e) => e.outputs.map((o) => o.path)).sort()).toEqual(['size-1.txt', 'size-2.txt', 'size-3.txt']);
  });

  test('a task blueprint grid runs every variant and all outputs flow downstream', async () => {
    project = await makeProject([
      step('train', ['echo "{parameter-value:lr} {parameter-value:depth}" > "$VH_OUTPUTS_DIR/model-{parameter-value:lr}-{parameter-value:depth}.txt"'], {
        parameters: [{ name: 'lr', type: 'float', default: 0.1 }, { name: 'depth', type: 'integer', default: 1 }],
      }),
      step('gather', 'cd "$VH_INPUTS_DIR" && find . -type f | sort > "$VH_OUTPUTS_DIR/listing.txt"', { inputs: [{ name: 'models' }] }),
      {
        task: {
          name: 'sweep',
          step: 'train',
          type: 'grid_search',
          parameters: [
            { name: 'lr', style: 'multiple', rules: { items: [0.1, 0.01] } },
            { name: 'depth', style: 'linear', rules: { start: 2, end: 4, step: 2 } },
          ],
        },
      },
      {
        pipeline: {
          name: 'tasks',
          nodes: [
            { name: 'sweep', type: 'task', task: 'sweep' },
            { name: 'gather', type: 'execution', step: 'gather' },
          ],
          edges: [['sweep.output.model-*', 'gather.input.models']],
        },
      },
    ]);
    const { run } = await runIn(project, 'tasks');
    expect(run.status).toBe('succeeded');
    expect(run.nodes['sweep']?.executions.map((e) => e.variant)).toEqual([
      { lr: 0.1, depth: 2 },
      { lr: 0.1, depth: 4 },
      { lr: 0.01, depth: 2 },
      { lr: 0.01, depth: 4 },
    ]);
    const listing = (await inputListing(project, run.id, 'gather')).trim().split('\n');
    expect(listing).toEqual(['./models/model-0.01-2.txt', './models/model-0.01-4.txt', './models/model-0.1-2.txt', './models/model-0.1-4.txt']);
  });

  test('an unchanged second run reuses every execution; --no-reuse runs them again', async () => {
    project = await makeProject([
      step('one', ['echo run >> counter.txt', 'echo 1 > "$VH_OUTPUTS_DIR/one.txt"']),
      step('two', ['echo run >> counter.txt', 'cat "$VH_INPUTS_DIR"/in/* > "$VH_OUTPUTS_DIR/two.txt"', 'echo \'{"score": 2}\''], { inputs: [{ name: 'in' }] }),
      { pipeline: { name: 'p', nodes: [{ name: 'one', type: 'execution', step: 'one' }, { name: 'two', type: 'execution', step: 'two' }], edges: [['one.output.*', 'two.input.in']] } },
    ]);
    const { run: run1 } = await runIn(project, 'p');
    expect(run1.status).toBe('succeeded');
    expect(executed(run1)).toBe(2);
    const { run: run2 } = await runIn(project, 'p');
    expect(run2.status).toBe('succeeded');
    expect(executed(run2)).toBe(0);
    expect(run2.nodes['two']?.state).toBe('reused');
    expect(run2.nodes['two']?.executions[0]?.latestMetadata).toEqual({ score: 2 });
    expect(run2.nodes['two']?.executions[0]?.reusedFrom?.runId).toBe(run1.id);
    const { run: run3 } = await runIn(project, 'p', { reuse: false });
    expect(executed(run3)).toBe(2);
    expect((await listRuns(project.projectDir)).map((r) => r.id)).toEqual([run1.id, run2.id, run3.id].sort());
    expect(existsSync(join(project.projectDir, 'runs', run1.id, 'run.json'))).toBe(true);
    expect((await readdir(join(project.projectDir, 'runs', run1.id, 'executions'))).length).toBe(2);
    expect((await readFile(join(project.dir, 'counter.txt'), 'utf8')).split('\n').filter(Boolean)).toHaveLength(4);
  });
});
