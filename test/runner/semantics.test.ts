import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeProject, runIn, step, type Project } from './helpers.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function pipeline(name: string, nodes: unknown[], edges: unknown[]): unknown {
  return { pipeline: { name, nodes, edges } };
}
const exec = (name: string, stepName: string, extra: Record<string, unknown> = {}): unknown => ({
  name,
  type: 'execution',
  step: stepName,
  ...extra,
});

const steps = [
  step('ok', ['echo ok > "$VH_OUTPUTS_DIR/ok.txt"']),
  step('fail', ['echo failing', 'exit 3']),
  step('slow', ['sleep 30', 'echo done > "$VH_OUTPUTS_DIR/slow.txt"']),
  step('flaky', ['if [ -f attempted ]; then echo ok > "$VH_OUTPUTS_DIR/ok.txt"; else touch attempted; exit 1; fi']),
  step('score', ['echo \'{"acc": 0.5}\''], { parameters: [{ name: 'mode', type: 'integer', default: 1 }] }),
];

describe('on-error modes', () => {
  test('stop-all (default) cancels running siblings and skips the rest', async () => {
    project = await makeProject([
      ...steps,
      pipeline('p', [exec('bad', 'fail'), exec('slow', 'slow'), exec('after', 'ok')], [['bad.output.*', 'after.input.x'], ['slow.output.*', 'after.input.x']]),
    ]);
    const { run } = await runIn(project, 'p', { jobs: 2 });
    expect(run.status).toBe('failed');
    expect(run.nodes['bad']?.state).toBe('failed');
    expect(run.nodes['slow']?.state).toBe('cancelled');
    expect(run.nodes['after']?.state).toMatch(/skipped|cancelled/);
    expect(run.reason).toContain('bad');
  });

  test('stop-next skips only the dependents; parallel branches finish', async () => {
    project = await makeProject([
      ...steps,
      pipeline(
        'p',
        [exec('bad', 'fail', { 'on-error': 'stop-next' }), exec('dependent', 'ok'), exec('other', 'ok'), exec('after-other', 'ok')],
        [['bad.output.*', 'dependent.input.x'], ['other.output.*', 'after-other.input.x']],
      ),
    ]);
    const { run } = await runIn(project, 'p');
    expect(run.status).toBe('failed');
    expect(run.nodes['dependent']?.state).toBe('skipped');
    expect(run.nodes['other']?.state).toBe('succeeded');
    // Same step, same (declared) inputs: the identical execution of `other` is reused.
    expect(run.nodes['after-other']?.state).toMatch(/^(succeeded|reused)$/);
  });

  test('continue lets dependents run and the run succeed', async () => {
    project = await makeProject([
      ...steps,
      pipeline('p', [exec('bad', 'fail', { 'on-error': 'continue' }), exec('dependent', 'ok')], [['bad.dependency.*', 'dependent.dependency.*']]),
    ]);
    const { run } = await runIn(project, 'p');
    expect(run.nodes['bad']?.state).toBe('failed');
    expect(run.nodes['dependent']?.state).toBe('succeeded');
    expect(run.status).toBe('succeeded');
  });

  test('retry runs a failed execution once more', async () => {
    // bad waits for flaky: once bad has used up its retry, the run stops (retry then acts as stop-all).
    project = await makeProject([
      ...steps,
      pipeline('p', [exec('flaky', 'flaky', { 'on-error': 'retry' }), exec('bad', 'fail', { 'on-error': 'retry' })], [['flaky.dependency.*', 'bad.dependency.*']]),
    ]);
    const { run } = await runIn(project, 'p', { jobs: 1 });
    expect(run.nodes['flaky']?.state).toBe('succeeded');
    expect(run.nodes['flaky']?.executions.map((e) => e.status)).toEqual(['failed', 'succeeded']);
    expect(run.nodes['bad']?.state).toBe('failed');
    expect(run.nodes['bad']?.executions.map((e) => e.attempt)).toEqual([1, 2]);
    expect(run.status).toBe('failed');
  });
});

describe('node actions', () => {
  test('stop-pipeline on a metadata condition stops before the dependents', async () => {
    project = await makeProject([
      ...steps,
      pipeline(
        'p',
        [
          exec('score', 'score', { actions: [{ when: 'node-complete', if: 'metadata.acc < 0.8', then: 'stop-pipeline' }] }),
          exec('deploy-ish', 'ok'),
        ],
        [['score.output.*', 'deploy-ish.input.x']],
      ),
    ]);
    const { run } = await runIn(project, 'p');
    expect(run.status).toBe('stopped');
    expect(run.nodes['score']?.state).toBe('succeeded');
    expect(run.nodes['deploy-ish']?.state).toBe('skipped');
    expect(run.nodes['deploy-ish']?.executions).toEqual([]);
    expect(run.reason).toContain('metadata.acc < 0.8');
  });

  test('a condition that does not hold lets the pipeline go on; error-pipeline on parameters fails it', async () => {
    project = await makeProject([
      ...steps,
      pipeline(
        'p',
        [
          exec('score', 'score', { actions: [{ when: 'node-complete', if: 'metadata.acc < 0.1', then: 'stop-pipeline' }] }),
          exec('next', 'ok'),
        ],
        [['score.output.*', 'next.input.x']],
      ),
      pipeline('q', [exec('score', 'score', { actions: [{ when: 'node-starting', if: 'parameter.mode == 1', then: 'error-pipeline' }] })], []),
    ]);
    expect((await runIn(project, 'p')).run.status).toBe('succeeded');
    const { run } = await runIn(project, 'q');
    expect(run.status).toBe('failed');
    expect(run.nodes['score']?.executions).toEqual([]);
  });

  test('require-approval without a terminal fails naming --approve; approved it deploys', async () => {
    project = await makeProject([
      ...steps,
      { endpoint: { name: 'predict', image: 'node:20', 'server-command': 'node serve.js', files: [{ name: 'model', path: 'model.txt' }] } },
      pipeline(
        'p',
        [
          exec('train', 'ok'),
          { name: 'deploy', type: 'deployment', deployment: 'prod', endpoints: ['predict'], aliases: ['staging'], actions: [{ when: 'node-starting', then: 'require-approval' }] },
        ],
        [['train.output.ok.txt', 'deploy.file.predict.model']],
      ),
    ]);
    const first = await runIn(project, 'p');
    expect(first.run.status).toBe('failed');
    expect(first.run.nodes['deploy']?.state).toBe('awaiting-approval');
    expect(first.run.reason).toContain('--approve deploy');
    expect(first.run.deployments ?? []).toEqual([]);

    const approved = await runIn(project, 'p', { approve: ['deploy'] });
    expect(approved.run.status).toBe('succeeded');
    const deployment = approved.run.deployments?.[0];
    expect(deployment).toMatchObject({ node: 'deploy', deployment: 'prod', endpoints: ['predict'], aliases: ['staging'] });
    expect(deployment?.files).toEqual([
      expect.objectContaining({ endpoint: 'predict', name: 'model', path: 'model.txt', from: expect.objectContaining({ node: 'train', path: 'ok.txt' }) }),
    ]);
    const trainOutput = approved.run.nodes['train']?.executions[0]?.outputs[0];
    expect(deployment?.files[0]?.sha256).toBe(trainOutput?.sha256);
  });
});

describe('parameter values are data, never code', () => {
  test('$(touch pwned), backticks and quotes reach the program as literal text', async () => {
    project = await makeProject([
      step('echo', [
        'printf "%s" {parameter-value:msg} > "$VH_OUTPUTS_DIR/value.txt"',
        'node -e "require(\'fs\').writeFileSync(process.env.VH_OUTPUTS_DIR + \'/argv.json\', JSON.stringify(process.argv.slice(1)))" -- {parameter:msg}',
      ], { parameters: [{ name: 'msg', type: 'string', default: 'hi' }] }),
      pipeline('p', [exec('echo', 'echo')], []),
    ]);
    const evil = `$(touch pwned) \`touch pwned2\`; touch pwned3 "double" 'single' \\ end`;
    const { run } = await runIn(project, 'p', { parameters: { 'echo.msg': evil } });
    expect(run.status).toBe('succeeded');
    const outputs = join(run.nodes['echo']?.executions[0]?.logPath ?? '', '..', 'outputs');
    expect(await readFile(join(outputs, 'value.txt'), 'utf8')).toBe(evil);
    expect(JSON.parse(await readFile(join(outputs, 'argv.json'), 'utf8'))).toEqual([`--msg=${evil}`]);
    for (const name of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(project.dir, name))).toBe(false);
  });
});
