/**
 * The batch-inference template: parsed with GitHub's workflow parser, then simulated step by step on
 * this machine. Expressions are evaluated with GitHub's expression engine (@actions/expressions); the
 * registry step runs the real action process against the OpenAPI-checked fake GitHub API, the `run:`
 * step runs in bash with the step's env, and the upload step's path globs must match the predictions.
 * Checkout and `npm ci` are the only steps not run: the work folder already holds the files and a
 * node_modules/.bin/mlops that starts this checkout's CLI.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/github-api-server.js';
import { parseWorkflowText } from '../workflows/workflow-parser.js';

const execFileAsync = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../..');
const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');
const TEMPLATE = join(repoRoot, 'workflows-templates/mlops-batch-inference.yml');

interface WorkflowStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface WorkflowFile {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, { steps: WorkflowStep[]; permissions?: unknown }>;
}

function evaluate(expression: string, context: Record<string, unknown>): unknown {
  const parsed = new Parser(new Lexer(expression).lex().tokens, Object.keys(context), []).parse();
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as ExpressionData as data.Dictionary;
  const result = new Evaluator(parsed, dictionary, new Map()).evaluate();
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown;
}

/** `${{ … }}` inside a string, replaced by the value (as GitHub does for `with:` and `env:`). */
function interpolate(text: string, context: Record<string, unknown>): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression.trim(), context);
    return value === null || value === undefined ? '' : String(value);
  });
}

async function cliShim(work: string): Promise<void> {
  const bin = join(work, 'node_modules/.bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'mlops'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(repoRoot, 'src/cli/index.ts')}" "$@"\n`);
  await chmod(join(bin, 'mlops'), 0o755);
}

async function runAction(path: string, inputs: Record<string, string>, env: Record<string, string>, cwd: string): Promise<Record<string, string>> {
  const outputFile = join(env['RUNNER_TEMP'] ?? cwd, `out-${Math.random().toString(16).slice(2)}`);
  await writeFile(outputFile, '');
  const actionEnv: Record<string, string> = { ...env, GITHUB_OUTPUT: outputFile };
  for (const [name, value] of Object.entries(inputs)) actionEnv[`INPUT_${name.toUpperCase()}`] = value;
  const entry = path === './actions/registry' ? join(repoRoot, 'src/actions/registry/index.ts') : '';
  if (entry === '') throw new Error(`the simulation cannot run ${path}`);
  await execFileAsync(process.execPath, ['--import', tsx, entry], { cwd, env: actionEnv });
  const outputs: Record<string, string> = {};
  for (const match of (await readFile(outputFile, 'utf8')).matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

let work: string;
let server: FakeGitHub;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'batch-workflow-'));
  await cp(join(repoRoot, 'examples/digits'), join(work, 'examples/digits'), { recursive: true, filter: (source) => !source.includes('.mlops') });
  await cp(join(repoRoot, 'examples/digits/valohai.yaml'), join(work, 'valohai.yaml'));
  await cliShim(work);
  server = new FakeGitHub({ owner: 'octo-org', repo: 'digits' });
  await server.start();
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('workflows-templates/mlops-batch-inference.yml', () => {
  it('parses with GitHub workflow parser and keeps least privilege', async () => {
    const content = await readFile(TEMPLATE, 'utf8');
    const { errors, needs } = await parseWorkflowText('mlops-batch-inference.yml', content);
    expect(errors).toEqual([]);
    expect([...needs.keys()]).toEqual(['score']);
    const workflow = parse(content) as WorkflowFile;
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(content).toMatch(/default branch/);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs['score']?.permissions).toBeUndefined();
    for (const step of workflow.jobs['score']?.steps ?? []) {
      if (step.run !== undefined) expect(step.run).not.toContain('${{');
      if (step.uses !== undefined && !step.uses.startsWith('./')) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    }
    expect(content).toMatch(/actions\/upload-artifact@[0-9a-f]{40} # v\d/);
    const properties = JSON.parse(await readFile(TEMPLATE.replace(/\.yml$/, '.properties.json'), 'utf8')) as Record<string, unknown>;
    expect(typeof properties['name']).toBe('string');
  });

  it('a manual run scores with the selected version, and the nightly run with production', async () => {
    // A registered and promoted model on the fake GitHub, as the training workflow would leave it.
    const cliEnv = { ...process.env, GITHUB_ACTOR: 'trainer' };
    await execFileAsync(join(work, 'node_modules/.bin/mlops'), ['run', 'valohai.yaml', '--pipeline', 'train-and-deploy', '--param', 'train-slow.epochs=1', '--param', 'train-medium.epochs=1', '--jobs', '2'], { cwd: work, env: cliEnv });
    const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', GITHUB_REPOSITORY: 'octo-org/digits', GITHUB_API_URL: server.url, GITHUB_ACTOR: 'trainer' };
    await runAction('./actions/registry', { operation: 'register', model: 'digits', 'github-token': 'ghs_x' }, { ...base, RUNNER_TEMP: work }, work);
    await runAction('./actions/registry', { operation: 'register', model: 'digits', 'github-token': 'ghs_x', tags: 'copy=second' }, { ...base, RUNNER_TEMP: work }, work);
    await runAction('./actions/registry', { operation: 'promote', model: 'digits', selector: '1', 'github-token': 'ghs_x' }, { ...base, RUNNER_TEMP: work }, work);

    const workflow = parse(await readFile(TEMPLATE, 'utf8')) as WorkflowFile;
    const simulate = async (event: 'schedule' | 'workflow_dispatch', inputs: Record<string, string>): Promise<{ version: string; summary: string }> => {
      await rm(join(work, '.mlops'), { recursive: true, force: true });
      const runnerTemp = await mkdtemp(join(tmpdir(), 'runner-temp-'));
      const summaryFile = join(runnerTemp, 'summary.md');
      await writeFile(summaryFile, '');
      const steps: Record<string, { outputs: Record<string, string> }> = {};
      const context = (): Record<string, unknown> => ({ github: { event_name: event, token: 'ghs_job', run_id: '42', repository: 'octo-org/digits' }, inputs, env: workflow.env, steps, runner: { temp: runnerTemp } });
      const stepEnv = { ...base, ...workflow.env, RUNNER_TEMP: runnerTemp, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_ACTOR: 'github-actions[bot]' };
      let artifactName = '';
      for (const step of workflow.jobs['score']?.steps ?? []) {
        const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context())]));
        const env = { ...stepEnv, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context())])) };
        if (step.uses?.startsWith('actions/checkout@') || step.run?.startsWith('npm ci')) continue;
        if (step.uses?.startsWith('./')) {
          const outputs = await runAction(step.uses, withInputs, env, work);
          if (step.id) steps[step.id] = { outputs };
        } else if (step.run !== undefined) {
          await execFileAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: work, env });
        } else if (step.uses?.startsWith('actions/upload-artifact@')) {
          artifactName = withInputs['name'] ?? '';
          const runs = await readdir(join(work, '.mlops/runs'));
          const batchRun = runs[0] ?? '';
          const predictions = await readdir(join(work, '.mlops/runs', batchRun, 'executions'));
          expect(predictions.length).toBeGreaterThan(0);
          const outputsDir = join(work, '.mlops/runs', batchRun, 'executions', predictions[0] ?? '', 'outputs');
          expect(await readdir(outputsDir)).toContain('predictions.csv');
        }
      }
      const runs = await readdir(join(work, '.mlops/runs'));
      expect(runs).toHaveLength(1);
      const record = JSON.parse(await readFile(join(work, '.mlops/runs', runs[0] ?? '', 'model-version.json'), 'utf8')) as { version: number; model: string; data: { sha256?: string }[]; outputs: { path: string }[] };
      expect(record.model).toBe('digits');
      expect(record.data[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(record.outputs.map((o) => o.path)).toEqual(['predictions.csv', 'scored.csv']);
      expect(artifactName).toBe(`predictions-digits-v${record.version}-42`);
      const summary = await readFile(summaryFile, 'utf8');
      await rm(runnerTemp, { recursive: true, force: true });
      return { version: String(record.version), summary };
    };

    const nightly = await simulate('schedule', {});
    expect(nightly.version).toBe('1');
    expect(nightly.summary).toContain('Model digits v1');
    expect(nightly.summary).toMatch(/model: digits v1 scored the data of run /);
    const manual = await simulate('workflow_dispatch', { model: '2' });
    expect(manual.version).toBe('2');
    expect(server.violations).toEqual([]);
  }, 240_000);
});
