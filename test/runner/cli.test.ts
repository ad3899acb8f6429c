import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeProject, step, type Project } from './helpers.js';

const cli = resolve('src/cli/index.ts');
let project: Project | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function mlops(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('run, runs, show, logs and reproduce through the CLI', async () => {
  project = await makeProject([
    step('stable', ['echo "steady {parameter-value:n}"', 'echo fixed > "$VH_OUTPUTS_DIR/fixed.txt"', 'echo \'{"loss": 0.25}\''], {
      parameters: [{ name: 'n', type: 'integer', default: 1 }],
    }),
    step('noisy', ['date +%s%N > "$VH_OUTPUTS_DIR/time.txt"', 'echo "{\\"loss\\": 0.$(date +%N)}"']),
    {
      pipeline: {
        name: 'p',
        nodes: [{ name: 'stable', type: 'execution', step: 'stable' }, { name: 'noisy', type: 'execution', step: 'noisy' }],
        edges: [],
        parameters: [{ name: 'n', targets: ['stable.parameter.n'], default: 1 }],
      },
    },
  ]);
  const dir = `${project.dir}/.mlops`;
  const run = mlops('run', project.file, '--pipeline', 'p', '--param', 'n=7', '--jobs', '1');
  expect(run.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ node stable: succeeded \(\d+\.\ds\)$/m);
  expect(run.code).toBe(0);
  const runId = /run (\S+): succeeded/.exec(run.stdout)?.[1] ?? '';

  const list = mlops('runs', '--project-dir', dir, '--json');
  expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: runId, status: 'succeeded', executions: 2 })]);

  const shown = mlops('show', runId, '--project-dir', dir);
  expect(shown.stdout).toContain('metadata loss = 0.25');
  expect(shown.stdout).toContain('output fixed.txt');
  expect(shown.stdout).toContain('"n":7');
  expect(JSON.parse(mlops('show', runId, '--project-dir', dir, '--json').stdout).nodes.stable.executions[0].parameters).toEqual({ n: 7 });

  expect(mlops('logs', runId, 'stable', '--project-dir', dir).stdout).toContain('steady 7');

  const same = mlops('reproduce', runId, 'stable', '--project-dir', dir);
  expect(same.stdout).toContain('reproducible');
  expect(same.code).toBe(0);
  const differs = mlops('reproduce', runId, '--project-dir', dir, '--json');
  expect(differs.code).toBe(1);
  const report = JSON.parse(differs.stdout) as { executions: { node: string; differingOutputs: { path: string }[]; differingMetrics: { key: string }[] }[] };
  const noisy = report.executions.find((e) => e.node === 'noisy');
  expect(noisy?.differingOutputs.map((o) => o.path)).toEqual(['time.txt']);
  expect(noisy?.differingMetrics.map((m) => m.key)).toEqual(['loss']);
  expect(report.executions.find((e) => e.node === 'stable')?.differingOutputs).toEqual([]);
});

test('load errors print diagnostics and exit 1; unknown parameters are named', async () => {
  project = await makeProject([{ pipeline: { name: 'p', nodes: [{ name: 'a', type: 'execution', step: 'missing' }], edges: [] } }]);
  const bad = mlops('run', project.file, '--pipeline', 'p');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain(`${project.file}:`);
  await project.cleanup();
  project = await makeProject([step('s', 'true'), { pipeline: { name: 'p', nodes: [{ name: 'a', type: 'execution', step: 's' }], edges: [] } }]);
  const unknown = mlops('run', project.file, '--pipeline', 'p', '--param', 'nope=1');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('--param nope');
});

test('mlops exec runs one step with parameters and streams its output', async () => {
  project = await makeProject([step('hello', ['echo "hello {parameter-value:who}"'], { parameters: [{ name: 'who', default: 'world' }] })]);
  const result = mlops('exec', project.file, '--step', 'hello', '--param', 'who=you all');
  expect(result.code).toBe(0);
  // shell-quoted by {parameter-value:…}, so inside double quotes the quotes show
  expect(result.stderr).toContain("hello 'you all'");
});
