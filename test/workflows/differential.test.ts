/**
 * The acceptance differential test of the node runtime: the same pipelines run through the local
 * runner (`runPipeline`) and through GitHub (the workflow `mlops compile` writes, run by the shared
 * interpreter with every run-node job the committed bundle against a loopback artifact/cache service)
 * end with the same node states and the same executions reused — on a first run and on an unchanged
 * second one. Covered: fan-out/fan-in, a task node, a deployment node, each on-error mode, a
 * stop-pipeline on a metadata condition, error-pipeline, and conditional approvals before and after a node.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runPipeline } from '../../src/exec/scheduler.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import type { PipelineConfig } from '../../src/pipeline/model.js';
import { compileWorkflow } from '../../src/plan/compile.js';
import { planPipeline } from '../../src/plan/plan.js';
import type { NodeState } from '../../src/store/runs.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { bundleStepRunner, runWorkflow } from '../support/workflow.js';
import { isToolkitAction } from '../support/toolkit-actions.js';

const REPO = resolve(import.meta.dirname, '../..');
const TOKEN = 'ghs_differential-token';
const SHA = '0123456789abcdef0123456789abcdef01234567';

const step = (name: string, command: string[], extra: Record<string, unknown> = {}): unknown => ({
  step: { name, image: 'busybox', command, ...extra },
});
const exec = (name: string, stepName: string, extra: Record<string, unknown> = {}): unknown => ({ name, type: 'execution', step: stepName, ...extra });
const pipeline = (name: string, nodes: unknown[], edges: unknown[]): unknown => ({ pipeline: { name, nodes, edges } });

const FILE = [
  step('prep', ['echo 1,2,3 > "$VH_OUTPUTS_DIR/data.csv"']),
  step('train', ['cat "$VH_INPUTS_DIR/data/data.csv" > /dev/null', 'echo "{\\"acc\\": {parameter-value:lr}}"', 'echo model > "$VH_OUTPUTS_DIR/model-{parameter-value:lr}.txt"'], {
    parameters: [{ name: 'lr', type: 'float', default: 0.1 }],
    inputs: [{ name: 'data' }],
  }),
  step('pick', ['ls "$VH_INPUTS_DIR/models" | sort | tail -n 1 > "$VH_OUTPUTS_DIR/best.txt"'], { inputs: [{ name: 'models' }] }),
  step('ok', ['echo ok-$VH_EXECUTION_ID > "$VH_OUTPUTS_DIR/ok.txt"'], { inputs: [{ name: 'x', optional: true }] }),
  step('ok2', ['echo ok2 > "$VH_OUTPUTS_DIR/ok2.txt"'], { inputs: [{ name: 'x', optional: true }] }),
  step('fail', ['echo failing', 'exit 3']),
  step('flaky', ['if [ -f attempted ]; then echo ok > "$VH_OUTPUTS_DIR/ok.txt"; else touch attempted; exit 1; fi']),
  step('check', ['echo c-$VH_EXECUTION_ID > "$VH_OUTPUTS_DIR/c.txt"'], { parameters: [{ name: 'mode', type: 'integer', default: 1 }], inputs: [{ name: 'x', optional: true }] }),
  step('check2', ['echo d > "$VH_OUTPUTS_DIR/d.txt"'], { parameters: [{ name: 'mode', type: 'integer', default: 1 }], inputs: [{ name: 'x', optional: true }] }),
  step('score', ['echo \'{"acc": 0.5}\'', 'echo s > "$VH_OUTPUTS_DIR/s.txt"'], { parameters: [{ name: 'mode', type: 'integer', default: 1 }] }),
  { task: { name: 'sweep', step: 'train', type: 'grid_search', parameters: [{ name: 'lr', style: 'multiple', rules: { items: [0.2, 0.3, 0.4] } }] } },
  { endpoint: { name: 'predict', image: 'node:20', 'server-command': 'node serve.js', files: [{ name: 'model', path: 'model.txt' }] } },
  pipeline(
    'fan',
    [
      exec('prep', 'prep'),
      exec('train-a', 'train'),
      { name: 'sweep', type: 'task', task: 'sweep' },
      exec('pick', 'pick'),
      { name: 'deploy', type: 'deployment', deployment: 'prod', endpoints: ['predict'] },
    ],
    [
      ['prep.output.data.csv', 'train-a.input.data'],
      ['prep.output.data.csv', 'sweep.input.data'],
      ['train-a.output.*', 'pick.input.models'],
      ['sweep.output.*', 'pick.input.models'],
      ['pick.output.best.txt', 'deploy.file.predict.model'],
    ],
  ),
  pipeline(
    'stop-next',
    [exec('bad', 'fail', { 'on-error': 'stop-next' }), exec('dependent', 'ok'), exec('other', 'ok2'), exec('after-other', 'ok')],
    [['bad.output.*', 'dependent.input.x'], ['other.output.*', 'after-other.input.x']],
  ),
  pipeline('continue', [exec('bad', 'fail', { 'on-error': 'continue' }), exec('after', 'ok')], [['bad.output.*', 'after.input.x']]),
  pipeline(
    'stop-all',
    // No independent branch: whether one starts before the failure is a race on GitHub as on the laptop.
    [exec('bad', 'fail'), exec('after', 'ok'), exec('tail', 'ok2')],
    [['bad.output.*', 'after.input.x'], ['after.output.*', 'tail.input.x']],
  ),
  pipeline('retry', [exec('flaky', 'flaky', { 'on-error': 'retry' }), exec('after', 'ok')], [['flaky.output.*', 'after.input.x']]),
  pipeline(
    'stop',
    [exec('score', 'score', { actions: [{ when: 'node-complete', if: 'metadata.acc < 0.8', then: 'stop-pipeline' }] }), exec('after', 'ok'), exec('later', 'ok2')],
    [['score.output.*', 'after.input.x'], ['after.output.*', 'later.input.x']],
  ),
  pipeline('error', [exec('score', 'score', { actions: [{ when: 'node-starting', if: 'parameter.mode == 1', then: 'error-pipeline' }] }), exec('after', 'ok')], [['score.output.*', 'after.input.x']]),
  pipeline(
    'approval',
    [
      exec('score', 'score', { actions: [{ when: 'node-complete', if: 'metadata.acc < 0.8', then: 'require-approval' }] }),
      exec('gated', 'check', { actions: [{ when: 'node-starting', if: 'parameter.mode == 1', then: 'require-approval' }] }),
      exec('free', 'check2', { actions: [{ when: 'node-starting', if: 'parameter.mode == 2', then: 'require-approval' }] }),
    ],
    [['score.output.*', 'gated.input.x'], ['score.output.*', 'free.input.x']],
  ),
];
const PIPELINES = ['fan', 'stop-next', 'continue', 'stop-all', 'retry', 'stop', 'error', 'approval'];
/** Approved locally (`--approve`) as the reviewers approve the environments on GitHub. */
const APPROVALS = ['score', 'gated'];

let server: ArtifactServer;
let scratch: string;
let config: PipelineConfig;
let text: string;

beforeAll(async () => {
  if (!existsSync(join(REPO, 'dist/run-node/index.js'))) throw new Error('missing dist/run-node/index.js: run npm run build');
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-differential-'));
  text = stringify(FILE);
  await writeFile(join(scratch, 'valohai.yaml'), text);
  const loaded = await loadPipelineFile(join(scratch, 'valohai.yaml'));
  if (!loaded.config) throw new Error(JSON.stringify(loaded.diagnostics));
  config = loaded.config;
});

afterAll(async () => {
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

interface Outcome {
  states: Record<string, NodeState>;
}

/** The local runner, one execution at a time (GitHub runs the compiled jobs in `needs` order here). */
async function runLocally(name: string, repositoryDir: string): Promise<Outcome> {
  const run = await runPipeline({ config, pipeline: name, repositoryDir, projectDir: join(scratch, 'local', '.mlops'), jobs: 1, approve: APPROVALS });
  return { states: Object.fromEntries(Object.entries(run.nodes).map(([node, record]) => [node, record.state])) };
}

/** A task node's state from its variant jobs, as the local runner settles it. */
function combine(states: NodeState[]): NodeState {
  for (const worst of ['failed', 'cancelled', 'skipped', 'awaiting-approval'] as const) if (states.includes(worst)) return worst;
  return states.every((s) => s === 'reused') ? 'reused' : 'succeeded';
}

async function runOnGitHub(name: string, runId: string): Promise<Outcome & { environments: Map<string, string> }> {
  const identity = { runId, repository: 'octo/diff', sha: SHA, ref: 'refs/heads/main', eventName: 'push', event: {} };
  const workflow = await runWorkflow({
    text: compileWorkflow(config, name, { file: 'valohai.yaml' }),
    github: { event_name: 'push', repository: 'octo/diff', sha: SHA, ref: 'refs/heads/main', run_id: runId, run_attempt: '1', token: TOKEN },
    inputs: { parameters: '' },
    scratch,
    runStep: bundleStepRunner({
      repository: REPO,
      checkout: async (jobDir) => {
        const workspace = join(jobDir, 'workspace');
        await mkdir(workspace, { recursive: true });
        await writeFile(join(workspace, 'valohai.yaml'), text);
        return workspace;
      },
      identity,
      env: () => server.envFor({ runId }),
    }),
  });
  expect(workflow.errors).toEqual([]);
  const byNode = new Map<string, NodeState[]>();
  for (const ran of workflow.steps) {
    if (!isToolkitAction(ran.uses, 'run-node')) continue;
    const node = ran.with['node'] ?? '';
    const state = ran.outcome.outputs['state'] as NodeState | undefined;
    expect(state, `${name} ${node}: ${ran.outcome.run?.stdout.slice(-1500) ?? ''}`).toBeDefined();
    byNode.set(node, [...(byNode.get(node) ?? []), state ?? 'pending']);
  }
  const states: Record<string, NodeState> = {};
  for (const node of config.pipelines.get(name)?.nodes ?? []) {
    const ran = byNode.get(node.name);
    // A job GitHub did not start (its `needs` failed) leaves its node as the runner leaves an unreached one.
    states[node.name] = ran ? combine(ran) : 'skipped';
  }
  return { states, environments: workflow.environments };
}

describe('one node runtime: the local runner and the GitHub jobs agree', () => {
  it.each(PIPELINES)('pipeline %s: same node states and the same executions reused, first and unchanged second run', async (name) => {
    const local = await mkdtemp(join(scratch, `local-${name}-`));
    for (const round of [1, 2]) {
      const [onLaptop, onGitHub] = [await runLocally(name, local), await runOnGitHub(name, `diff-${name}-${round}`)];
      expect(onGitHub.states, `${name}, run ${round}`).toEqual(onLaptop.states);
      if (name === 'approval') expect([...onGitHub.environments.keys()].sort()).toEqual(['approve-score', 'gated']);
    }
  }, 300_000);

  it('the wave template refuses what it cannot gate, with a message naming mlops compile', () => {
    expect(() => planPipeline(config, 'approval', { maxWaves: 8 })).toThrow(/node score requires approval \(after it completes\).*mlops compile/);
    expect(() => planPipeline(config, 'fan', { maxWaves: 8 })).not.toThrow();
  });
});
