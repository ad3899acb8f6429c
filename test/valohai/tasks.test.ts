/**
 * Sweeps say what they do: a bayesian_tpe task seeds with Valohai's 20 random executions, then TPE
 * proposes batch by batch from the completed executions' metric; a task stop-condition stops the task.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { planPipeline } from '../../src/plan/plan.js';
import { proposeBatch, searchSpace } from '../../src/plan/bayesian.js';
import { parameterValues, seededRandom } from '../../src/plan/variants.js';
import { pythonProject, type PythonProject } from './project.js';
import type { RunEvent } from '../../src/exec/scheduler.js';

/** score peaks at x = 7: -(x-7)^2. */
const SCORE = `awk -v x={parameter-value:x} 'BEGIN { printf "{\\"score\\": %.6f}\\n", -(x-7)*(x-7) }'`;

const YAML = `
- step:
    name: probe
    image: busybox
    command: ${JSON.stringify(SCORE)}
    parameters:
      - {name: x, type: float, default: 0}
- task:
    name: tune
    step: probe
    type: bayesian_tpe
    execution-count: 26
    execution-batch-size: 3
    optimization-target-metric: score
    parameters:
      - {name: x, style: random, rules: {min: 0, max: 10}}
- task:
    name: early
    step: probe
    type: grid_search
    stop-condition: score > -2
    parameters:
      - {name: x, style: multiple, rules: {items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}}
- pipeline:
    name: bayes
    nodes:
      - {name: tune, type: task, task: tune}
    edges: []
- pipeline:
    name: stop
    nodes:
      - {name: early, type: task, task: early}
    edges: []
`;

describe('task nodes', () => {
  let project: PythonProject | undefined;
  afterEach(async () => project?.cleanup());

  it('bayesian_tpe: 20 random executions, then TPE proposals batch by batch, closer to the optimum', async () => {
    project = await pythonProject(YAML, {});
    const events: RunEvent[] = [];
    const run = await project.run('bayes', { onEvent: (event) => events.push(event), jobs: 2 });
    expect(run.status, run.reason).toBe('succeeded');
    const executions = run.nodes['tune']?.executions ?? [];
    expect(executions).toHaveLength(26);
    const xs = executions.map((e) => e.parameters['x'] as number);
    const distance = (values: number[]): number => values.reduce((sum, x) => sum + Math.abs(x - 7), 0) / values.length;
    const seeded = xs.slice(0, 20);
    const proposed = xs.slice(20);
    expect(distance(proposed)).toBeLessThan(distance(seeded));
    const notices = events.flatMap((e) => (e.kind === 'notice' ? [e.message] : []));
    expect(notices.some((m) => m.includes('the first 20 executions are random, then TPE proposes the other 6 in batches of 3'))).toBe(true);
    expect(notices.filter((m) => m.includes('TPE proposes 3 execution(s) from'))).toHaveLength(2);
  }, 300_000);

  it('TPE prefers the region of the best completed executions', () => {
    const task = {
      name: 't',
      step: 's',
      type: 'bayesian_tpe' as const,
      parameters: [{ name: 'x', style: 'random' as const, rules: { min: 0, max: 100 } }],
      parameterSets: [],
      position: { file: 'f', line: 1, col: 1 },
    };
    const space = searchSpace(task, (p) => parameterValues(task, p));
    const observations = Array.from({ length: 40 }, (_, i) => ({ parameters: { x: i * 2.5 }, metric: -Math.abs(i * 2.5 - 80) }));
    const proposals = proposeBatch(space, observations, 10, undefined, seededRandom(1)).map((set) => set['x'] as number);
    for (const x of proposals) expect(Math.abs(x - 80)).toBeLessThan(20);
    // With a target value, the loss is the distance to it.
    const towards = proposeBatch(space, observations, 10, -60, seededRandom(2)).map((set) => set['x'] as number);
    const mean = towards.reduce((a, b) => a + b, 0) / towards.length;
    expect(Math.abs(mean - 20) < 25 || Math.abs(mean - 140) < 25).toBe(true);
  });

  it('a task stop-condition stops starting executions once one meets it', async () => {
    project = await pythonProject(YAML, {});
    const events: RunEvent[] = [];
    const run = await project.run('stop', { onEvent: (event) => events.push(event), jobs: 1 });
    expect(run.status, run.reason).toBe('succeeded');
    const xs = (run.nodes['early']?.executions ?? []).map((e) => e.parameters['x']);
    // score > -2 first holds at x = 6 (score -1); with one slot, nothing after it starts.
    expect(xs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.some((e) => e.kind === 'notice' && e.message.includes('stop-condition "score > -2" met') && e.message.includes('4 execution(s) not started'))).toBe(true);
  }, 300_000);

  it('validate and plan say where Bayesian optimisation cannot run (a matrix planned up front)', async () => {
    project = await pythonProject(YAML, {});
    const loaded = await loadPipelineFile(`${project.dir}/valohai.yaml`);
    const warning = loaded.diagnostics.find((d) => d.code === 'bayesian-tpe');
    expect(warning?.message).toContain('GitHub matrix (the plan action) is planned up front and runs all 26 as a random search');
    const config = loaded.config;
    if (!config) throw new Error('no config');
    expect(planPipeline(config, 'bayes', { maxWaves: 5 }).warnings[0]).toContain('run as a random search here (no TPE proposals)');
    expect(planPipeline(config, 'stop', { maxWaves: 5 }).warnings[0]).toContain('cannot stop a GitHub matrix planned up front');
  });
});
