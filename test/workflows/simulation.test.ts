/**
 * Simulates GitHub's scheduling of the pipeline template: the workflow is read with GitHub's parser,
 * each job's `if:`, `strategy.matrix`, `runs-on` and step inputs are evaluated with GitHub's expression
 * engine (@actions/expressions) against the plan action's real outputs, and jobs run in `needs` order, all by
 * the one workflow interpreter the bundle tests use (test/support/workflow.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { planOutputs } from '../../src/plan/outputs.js';
import { planPipeline, type MatrixEntry } from '../../src/plan/plan.js';
import { isToolkitAction } from '../support/toolkit-actions.js';
import { runWorkflow, type JobResult, type StepOutcome, type StepToRun } from '../support/workflow.js';

const TEMPLATE = join(import.meta.dirname, '../../workflows-templates/mlops-pipeline.yml');
const DIGITS = join(import.meta.dirname, '../../examples/digits/valohai.yaml');

interface Simulation {
  results: Map<string, JobResult>;
  /** Matrix jobs in the order they ran, with the inputs their run-node step received. */
  runs: { job: string; entry: MatrixEntry; inputs: Record<string, unknown>; runsOn: unknown }[];
}

/**
 * The template run by the shared workflow interpreter (test/support/workflow.ts) with no action run:
 * the plan step answers `outputs` (or fails), each run-node step is recorded with the inputs it got and
 * succeeds unless its node is in `failing`; every other step succeeds with no outputs.
 */
async function simulate(
  outputs: Record<string, string>,
  github: Record<string, unknown>,
  failing: ReadonlySet<string> = new Set(),
  planFails = false,
): Promise<Simulation> {
  const runs: Simulation['runs'] = [];
  const produced = new Set<string>();
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-simulation-'));
  try {
    const run = await runWorkflow({
      text: await readFile(TEMPLATE, 'utf8'),
      name: 'mlops-pipeline.yml',
      github,
      env: { MLOPS_FILE: 'valohai.yaml', MLOPS_PIPELINE: 'train-and-deploy' },
      scratch,
      runStep: async (step: StepToRun): Promise<StepOutcome> => {
        if (step.uses !== undefined && isToolkitAction(step.uses, 'plan')) return { ok: !planFails, outputs: planFails ? {} : outputs };
        if (step.uses === undefined || !isToolkitAction(step.uses, 'run-node')) return { ok: true, outputs: {} };
        const entry = step.matrix as unknown as MatrixEntry;
        expect(step.matrix, `${step.job} runs run-node outside a matrix`).toBeDefined();
        // A node only runs when every upstream artifact exists already.
        for (const upstream of entry.upstream) expect(produced.has(upstream), `${entry.node} before ${upstream}`).toBe(true);
        runs.push({ job: step.job, entry, inputs: step.with, runsOn: step.runsOn });
        // A failed node job uploads its artifact too (status failed): its dependents learn why they skip.
        produced.add(entry.artifact);
        return { ok: !failing.has(entry.node), outputs: {} };
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.jobErrors).toEqual([]);
    return { results: run.results, runs };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function digitsOutputs(): Promise<Record<string, string>> {
  const loaded = await loadPipelineFile(DIGITS);
  if (!loaded.config) throw new Error('digits did not load');
  const plan = planPipeline(loaded.config, 'train-and-deploy', { maxWaves: 8, maxChunks: 2 });
  return { pipeline: plan.pipeline, ...planOutputs(plan, { maxWaves: 8, chunksPerWave: 2 }) };
}

/** The plan with an empty wave 1: waves 1.. moved one later. */
function withEmptyWave1(outputs: Record<string, string>): Record<string, string> {
  const shifted: Record<string, string> = { ...outputs, 'wave-1': '{"include":[]}', 'wave-1-count': '0' };
  const depth = Number(outputs['depth']);
  for (let wave = 1; wave < depth; wave++) {
    shifted[`wave-${wave + 1}`] = outputs[`wave-${wave}`] ?? '';
    shifted[`wave-${wave + 1}-count`] = outputs[`wave-${wave}-count`] ?? '';
  }
  return shifted;
}

const PUSH = { event_name: 'push', repository: 'o/r', event: {} };
const pullRequest = (headRepo: string): Record<string, unknown> => ({
  event_name: 'pull_request',
  repository: 'o/r',
  event: { pull_request: { head: { repo: { full_name: headRepo } } } },
});

describe('pipeline template, simulated', () => {
  it('runs every node once, in dependency order, skipping empty chunks and waves, then compare', async () => {
    const outputs = await digitsOutputs();
    const { results, runs } = await simulate(outputs, PUSH);
    const nodes = JSON.parse(outputs['nodes'] ?? '[]') as string[];
    expect(runs.map((r) => r.entry.node).sort()).toEqual([...nodes].sort());
    const depth = Number(outputs['depth']);
    for (let wave = 0; wave < 8; wave++) {
      expect(results.get(`wave-${wave}`)).toBe(wave < depth ? 'success' : 'skipped');
      expect(results.get(`wave-${wave}-1`)).toBe('skipped');
    }
    expect(results.get('compare')).toBe('success');
    expect(results.get('report')).toBe('skipped');
    for (const { entry, inputs, runsOn } of runs) {
      expect(runsOn).toBe(entry['runs-on']);
      expect(inputs).toMatchObject({ node: entry.node, pipeline: 'train-and-deploy', file: 'valohai.yaml' });
      expect(String(inputs['variant'])).toBe(String(entry.variant));
      expect(JSON.parse(String(inputs['parameters']))).toEqual(entry.parameters);
    }
  });

  it('keeps going past an empty middle wave', async () => {
    const outputs = await digitsOutputs();
    const shifted = withEmptyWave1(outputs);
    const depth = Number(outputs['depth']);
    const { results, runs } = await simulate(shifted, PUSH);
    expect(results.get('wave-1')).toBe('skipped');
    expect(results.get(`wave-${depth}`)).toBe('success');
    expect(runs).toHaveLength((JSON.parse(outputs['nodes'] ?? '[]') as string[]).length);
    expect(results.get('compare')).toBe('success');
  });

  it.each([
    ['the next wave', false],
    ['an empty wave in between', true],
  ])('after a failure, later waves still start (their node jobs skip as the runner would) and compare does not, across %s', async (_label, emptyWave1) => {
    const planned = await digitsOutputs();
    const outputs = emptyWave1 ? withEmptyWave1(planned) : planned;
    const wave0 = (JSON.parse(outputs['wave-0'] ?? '') as { include: MatrixEntry[] }).include;
    const first = wave0[0]?.node ?? '';
    const { results, runs } = await simulate(outputs, PUSH, new Set([first]));
    expect(results.get('wave-0')).toBe('failure');
    const depth = Number(planned['depth']) + (emptyWave1 ? 1 : 0);
    for (let wave = 1; wave < 8; wave++) {
      const empty = wave >= depth || (emptyWave1 && wave === 1);
      expect(results.get(`wave-${wave}`), `wave-${wave}`).toBe(empty ? 'skipped' : 'success');
    }
    expect(results.get('compare')).toBe('skipped');
    expect(results.get('report')).toBe('skipped');
    expect(runs.map((r) => r.entry.node).sort()).toEqual((JSON.parse(outputs['nodes'] ?? '[]') as string[]).sort());
  });

  it('reports on pull requests from this repository only', async () => {
    const outputs = await digitsOutputs();
    expect((await simulate(outputs, pullRequest('o/r'))).results.get('report')).toBe('success');
    expect((await simulate(outputs, pullRequest('fork/r'))).results.get('report')).toBe('skipped');
  });

  it('skips all waves and compare when the plan fails', async () => {
    const { results, runs } = await simulate(await digitsOutputs(), PUSH, new Set(), true);
    expect(runs).toEqual([]);
    for (const [id, result] of results) if (id !== 'plan') expect(result, id).toBe('skipped');
  });
});
