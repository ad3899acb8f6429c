/**
 * Simulates GitHub's scheduling of the pipeline template: the workflow is read with GitHub's parser,
 * each job's `if:`, `strategy.matrix`, `runs-on` and step inputs are evaluated with GitHub's expression
 * engine (@actions/expressions) against the plan action's real outputs, and jobs run in `needs` order.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { isBasicExpression, isMapping, isSequence, isString } from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { planOutputs } from '../../src/plan/outputs.js';
import { planPipeline, type MatrixEntry } from '../../src/plan/plan.js';
import { jobOrder, parseWorkflowText } from './workflow-parser.js';
import { isToolkitAction } from '../support/toolkit-actions.js';

const TEMPLATE = join(import.meta.dirname, '../../workflows-templates/mlops-pipeline.yml');
const DIGITS = join(import.meta.dirname, '../../examples/digits/valohai.yaml');
const CONTEXTS = ['github', 'needs', 'inputs', 'env', 'matrix', 'steps', 'vars', 'strategy', 'runner', 'job'];

type Result = 'success' | 'failure' | 'skipped';

function toData(value: unknown): ExpressionData {
  return JSON.parse(JSON.stringify(value), data.reviver) as ExpressionData;
}

function evaluate(expression: string, context: Record<string, unknown>, needResults: Result[]): ExpressionData {
  const status = (name: string, value: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  const functions = [
    // Job-level status functions look at the jobs this one needs (a skipped need is not a success).
    status('success', () => needResults.every((r) => r === 'success')),
    status('failure', () => needResults.some((r) => r === 'failure')),
    status('always', () => true),
    status('cancelled', () => false),
  ];
  const tokens = new Lexer(expression).lex().tokens;
  const parsed = new Parser(tokens, CONTEXTS, functions).parse();
  const dictionary = toData(context) as data.Dictionary;
  return new Evaluator(parsed, dictionary, new Map(functions.map((f) => [f.name, f]))).evaluate();
}

function toJs(value: ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

/** A token's value: evaluated when it is an expression, its text when it is a literal string. */
function tokenValue(token: TemplateToken, context: Record<string, unknown>, needs: Result[]): unknown {
  if (isBasicExpression(token)) return toJs(evaluate(token.expression, context, needs));
  if (isString(token)) return token.value;
  throw new Error(`unexpected token ${token.toString()}`);
}

/** The `with:` mapping of a job's run-node step, read from the parsed document. */
function runNodeInputs(root: TemplateToken | undefined, jobId: string): MappingToken | undefined {
  const jobs = root && isMapping(root) ? root.find('jobs') : undefined;
  const job = jobs && isMapping(jobs) ? jobs.find(jobId) : undefined;
  const steps = job && isMapping(job) ? job.find('steps') : undefined;
  if (!steps || !isSequence(steps)) return undefined;
  for (const step of steps) {
    if (!isMapping(step)) continue;
    const uses = step.find('uses');
    const inputs = step.find('with');
    if (uses && isString(uses) && isToolkitAction(uses.value, 'run-node') && inputs && isMapping(inputs)) return inputs;
  }
  return undefined;
}

interface Simulation {
  results: Map<string, Result>;
  /** Matrix jobs in the order they ran, with the inputs their run-node step received. */
  runs: { job: string; entry: MatrixEntry; inputs: Record<string, unknown>; runsOn: unknown }[];
}

async function simulate(
  outputs: Record<string, string>,
  github: Record<string, unknown>,
  failing: ReadonlySet<string> = new Set(),
  planFails = false,
): Promise<Simulation> {
  const { errors, template, root, needs } = await parseWorkflowText('mlops-pipeline.yml', await readFile(TEMPLATE, 'utf8'));
  expect(errors).toEqual([]);
  const jobs = new Map((template?.jobs ?? []).map((job) => [job.id.value, job as Job]));
  const results = new Map<string, Result>();
  const jobOutputs = new Map<string, Record<string, string>>();
  const runs: Simulation['runs'] = [];
  const produced = new Set<string>();
  for (const id of jobOrder(needs)) {
    const job = jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    const needIds = needs.get(id) ?? [];
    const needResults = needIds.map((n) => results.get(n) ?? 'skipped');
    const needsContext = Object.fromEntries(needIds.map((n) => [n, { result: results.get(n), outputs: jobOutputs.get(n) ?? {} }]));
    const context = { github, needs: needsContext, inputs: {}, env: { MLOPS_FILE: 'valohai.yaml', MLOPS_PIPELINE: 'train-and-deploy' } };
    if (!truthy(evaluate(job.if.expression, context, needResults))) {
      results.set(id, 'skipped');
      continue;
    }
    if (id === 'plan') {
      jobOutputs.set(id, planFails ? {} : outputs);
      results.set(id, planFails ? 'failure' : 'success');
      continue;
    }
    const strategy = job.strategy;
    const matrixToken = strategy && isMapping(strategy) ? strategy.find('matrix') : undefined;
    if (!matrixToken) {
      results.set(id, 'success');
      continue;
    }
    const matrix = tokenValue(matrixToken, context, needResults) as { include: MatrixEntry[] };
    expect(matrix.include.length, id).toBeGreaterThan(0);
    expect(matrix.include.length, id).toBeLessThanOrEqual(256);
    let result: Result = 'success';
    for (const entry of matrix.include) {
      const withMatrix = { ...context, matrix: entry };
      const runsOn = tokenValue(job['runs-on'] as TemplateToken, withMatrix, needResults);
      const inputs: Record<string, unknown> = {};
      const withToken = runNodeInputs(root, id);
      if (withToken) {
        for (const pair of withToken) inputs[pair.key.toString()] = tokenValue(pair.value, withMatrix, needResults);
      }
      // A node only runs when every upstream artifact exists already.
      for (const upstream of entry.upstream) expect(produced.has(upstream), `${entry.node} before ${upstream}`).toBe(true);
      runs.push({ job: id, entry, inputs, runsOn });
      // A failed node job uploads its artifact too (status failed): its dependents learn why they skip.
      if (failing.has(entry.node)) result = 'failure';
      produced.add(entry.artifact);
    }
    results.set(id, result);
  }
  return { results, runs };
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
