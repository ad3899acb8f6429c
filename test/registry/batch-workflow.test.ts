/**
 * The batch-inference template: parsed with GitHub's workflow parser, then simulated step by step on
 * this machine. Expressions are evaluated with GitHub's expression engine (@actions/expressions); the
 * registry and monitor steps run the real action processes against the OpenAPI-checked fake GitHub API
 * (with the defaults their action.yml declares, as the runner applies them), `if:` conditions are
 * evaluated, `run:` steps run in bash with the step's env and their GITHUB_OUTPUT is read back, and the
 * upload step's path globs must match the predictions.
 * Checkout and `npm ci` are the only steps not run: the work folder already holds the files and a
 * node_modules/.bin/mlops that starts this checkout's CLI.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/github-api-server.js';
import { parseWorkflowText } from '../workflows/workflow-parser.js';
import { isToolkitAction, toolkitActionPath } from '../support/toolkit-actions.js';

const execFileAsync = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../..');
const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');
const TEMPLATE = join(repoRoot, 'workflows-templates/mlops-batch-inference.yml');

interface WorkflowStep {
  id?: string;
  if?: string;
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

/** A GITHUB_OUTPUT file: `name<<DELIMITER` blocks (what @actions/core writes) and `name=value` lines. */
async function readOutputs(outputFile: string): Promise<Record<string, string>> {
  const text = await readFile(outputFile, 'utf8');
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^<=\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1] ?? ''] = match[3] ?? '';
  for (const match of text.matchAll(/^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/gm)) outputs[match[1] ?? ''] ??= match[2] ?? '';
  return outputs;
}

async function newOutputFile(env: Record<string, string>, cwd: string): Promise<string> {
  const outputFile = join(env['RUNNER_TEMP'] ?? cwd, `out-${Math.random().toString(16).slice(2)}`);
  await writeFile(outputFile, '');
  return outputFile;
}

const ACTION_ENTRIES: Record<string, string> = {
  './actions/registry': 'src/actions/registry/index.ts',
  './actions/monitor': 'src/actions/monitor/index.ts',
};

/** The inputs a step leaves out get their action.yml defaults, evaluated in the step's context. */
async function withDefaults(path: string, given: Record<string, string>, context: Record<string, unknown>): Promise<Record<string, string>> {
  const metadata = parse(await readFile(join(repoRoot, path, 'action.yml'), 'utf8')) as { inputs?: Record<string, { default?: unknown }> };
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
    if (input.default !== undefined) inputs[name] = interpolate(String(input.default), context);
  }
  return { ...inputs, ...given };
}

async function runAction(path: string, inputs: Record<string, string>, env: Record<string, string>, cwd: string): Promise<Record<string, string>> {
  const outputFile = await newOutputFile(env, cwd);
  const actionEnv: Record<string, string> = { ...env, GITHUB_OUTPUT: outputFile };
  for (const [name, value] of Object.entries(inputs)) actionEnv[`INPUT_${name.toUpperCase()}`] = value;
  const entry = ACTION_ENTRIES[path];
  if (entry === undefined) throw new Error(`the simulation cannot run ${path}`);
  // core.setFailed sets a non-zero exit code, which rejects here.
  await execFileAsync(process.execPath, ['--import', tsx, join(repoRoot, entry)], { cwd, env: actionEnv });
  return readOutputs(outputFile);
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
    // Read-only, plus exactly what the drift step needs: issues to open one, actions only to dispatch.
    const monitor = workflow.jobs['score']?.steps.find((step) => isToolkitAction(step.uses, 'monitor'));
    expect(monitor?.with?.['open-issue']).toBe('true');
    expect(monitor?.with?.['dispatch-workflow']).toBe('');
    expect(workflow.permissions).toEqual({ contents: 'read', issues: 'write' });
    expect(workflow.jobs['score']?.permissions).toBeUndefined();
    for (const step of workflow.jobs['score']?.steps ?? []) {
      if (step.run !== undefined) expect(step.run).not.toContain('${{');
      if (step.uses !== undefined && toolkitActionPath(step.uses) === undefined) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    }
    expect(content).toMatch(/actions\/upload-artifact@[0-9a-f]{40} # v\d/);
    const properties = JSON.parse(await readFile(TEMPLATE.replace(/\.yml$/, '.properties.json'), 'utf8')) as Record<string, unknown>;
    expect(typeof properties['name']).toBe('string');
  });

  it('a manual run scores with the selected version, the nightly run with production, and both check drift against the training profile', async () => {
    // A registered and promoted model on the fake GitHub, as the training workflow would leave it.
    const cliEnv = { ...process.env, GITHUB_ACTOR: 'trainer' };
    await execFileAsync(join(work, 'node_modules/.bin/mlops'), ['run', 'valohai.yaml', '--pipeline', 'train-and-deploy', '--param', 'train-slow.epochs=1', '--param', 'train-medium.epochs=1', '--jobs', '2'], { cwd: work, env: cliEnv });
    const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', GITHUB_REPOSITORY: 'octo-org/digits', GITHUB_API_URL: server.url, GITHUB_ACTOR: 'trainer' };
    await runAction('./actions/registry', { operation: 'register', model: 'digits', 'github-token': 'ghs_x' }, { ...base, RUNNER_TEMP: work }, work);
    await runAction('./actions/registry', { operation: 'register', model: 'digits', 'github-token': 'ghs_x', tags: 'copy=second' }, { ...base, RUNNER_TEMP: work }, work);
    // A version without the training data's profile: the drift check is skipped for it.
    await runAction('./actions/registry', { operation: 'register', model: 'digits', 'github-token': 'ghs_x', files: 'model.json' }, { ...base, RUNNER_TEMP: work }, work);
    await runAction('./actions/registry', { operation: 'promote', model: 'digits', selector: '1', 'github-token': 'ghs_x' }, { ...base, RUNNER_TEMP: work }, work);

    const workflow = parse(await readFile(TEMPLATE, 'utf8')) as WorkflowFile;
    interface Simulated {
      version: string;
      summary: string;
      steps: Record<string, { outcome: 'success' | 'skipped'; outputs: Record<string, string> }>;
    }
    const simulate = async (event: 'schedule' | 'workflow_dispatch', inputs: Record<string, string>): Promise<Simulated> => {
      await rm(join(work, '.mlops'), { recursive: true, force: true });
      const runnerTemp = await mkdtemp(join(tmpdir(), 'runner-temp-'));
      const summaryFile = join(runnerTemp, 'summary.md');
      await writeFile(summaryFile, '');
      const steps: Simulated['steps'] = {};
      const context = (): Record<string, unknown> => ({ github: { event_name: event, token: 'ghs_job', run_id: '42', repository: 'octo-org/digits' }, inputs, env: workflow.env, steps, runner: { temp: runnerTemp } });
      const stepEnv = { ...base, ...workflow.env, RUNNER_TEMP: runnerTemp, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_ACTOR: 'github-actions[bot]' };
      let artifactName = '';
      for (const step of workflow.jobs['score']?.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@') || step.run?.startsWith('npm ci')) continue;
        // No status function in these conditions, so GitHub's implicit success() holds (every earlier step succeeded).
        if (step.if !== undefined && !evaluate(step.if.replace(/^\$\{\{(.*)\}\}$/s, '$1').trim(), context())) {
          if (step.id) steps[step.id] = { outcome: 'skipped', outputs: {} };
          continue;
        }
        const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), context())]));
        const env = { ...stepEnv, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), context())])) };
        let outputs: Record<string, string> = {};
        const toolkitPath = toolkitActionPath(step.uses);
        if (toolkitPath !== undefined) {
          const local = `./${toolkitPath}`;
          outputs = await runAction(local, await withDefaults(local, withInputs, context()), env, work);
        } else if (step.run !== undefined) {
          const outputFile = await newOutputFile(env, work);
          await execFileAsync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], { cwd: work, env: { ...env, GITHUB_OUTPUT: outputFile } });
          outputs = await readOutputs(outputFile);
        } else if (step.uses?.startsWith('actions/upload-artifact@')) {
          artifactName = withInputs['name'] ?? '';
          const runs = await readdir(join(work, '.mlops/runs'));
          const batchRun = runs[0] ?? '';
          const predictions = await readdir(join(work, '.mlops/runs', batchRun, 'executions'));
          expect(predictions.length).toBeGreaterThan(0);
          const outputsDir = join(work, '.mlops/runs', batchRun, 'executions', predictions[0] ?? '', 'outputs');
          expect(await readdir(outputsDir)).toContain('predictions.csv');
        }
        if (step.id) steps[step.id] = { outcome: 'success', outputs };
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
      return { version: String(record.version), summary, steps };
    };
    const tonight = join(work, 'examples/digits/data/new-digits.csv');
    const newDigits = await readFile(tonight);

    // Tonight's rows are the labelled digits the model was trained on: no drift, no issue.
    await writeFile(tonight, gunzipSync(await readFile(join(work, 'examples/digits/data/digits.csv.gz'))));
    const nightly = await simulate('schedule', {});
    expect(nightly.version).toBe('1');
    expect(nightly.summary).toContain('Model digits v1');
    expect(nightly.summary).toMatch(/model: digits v1 scored the data of run /);
    expect(nightly.steps['scored']?.outputs['path']).toMatch(/^\.mlops\/runs\/[^/]+\/executions\/[^/]+\/outputs\/scored\.csv$/);
    expect(nightly.steps['drift']?.outcome).toBe('success');
    expect(nightly.steps['drift']?.outputs['drifted']).toBe('false');
    // Every pixel column of scored.csv was compared with the profile of train.csv.
    expect(JSON.parse(nightly.steps['drift']?.outputs['verdict'] ?? '{}')).toMatchObject({ format: 'mlops-drift', drifted: false, current: { rows: 1797 }, dataset: { columns: 64, driftedColumns: 0 } });
    expect(nightly.steps['drift']?.outputs['issue-url']).toBe('');
    expect(server.issues.size).toBe(0);

    // The example's new digits are held-out rows of the same data: no drift either.
    await writeFile(tonight, newDigits);
    const held = await simulate('workflow_dispatch', { model: '1' });
    expect(held.steps['drift']?.outputs['drifted']).toBe('false');
    expect(server.issues.size).toBe(0);

    // The same digits drawn in negative (every pixel 16 - v): drift, and one issue for the batch pipeline.
    const negative = newDigits
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(',').map((pixel) => String(16 - Number(pixel))).join(','));
    await writeFile(tonight, `${negative.join('\n')}\n`);
    const manual = await simulate('workflow_dispatch', { model: '2' });
    expect(manual.version).toBe('2');
    expect(manual.steps['drift']?.outputs['drifted']).toBe('true');
    expect(JSON.parse(manual.steps['drift']?.outputs['verdict'] ?? '{}')).toMatchObject({ format: 'mlops-drift', drifted: true });
    const issues = [...server.issues.values()];
    expect(issues.map((i) => i.title)).toEqual(['Drift detected: batch-inference']);
    expect(manual.steps['drift']?.outputs['issue-url']).toBe(`https://github.com/octo-org/digits/issues/${issues[0]?.number}`);
    expect(manual.steps['drift']?.outputs['dispatched']).toBe('false');
    expect(server.dispatches).toEqual([]);

    // Version 3 was registered without a profile: scored, but not checked.
    const unprofiled = await simulate('workflow_dispatch', { model: '3' });
    expect(unprofiled.version).toBe('3');
    expect(unprofiled.steps['scored']?.outcome).toBe('skipped');
    expect(unprofiled.steps['drift']?.outcome).toBe('skipped');
    expect(server.violations).toEqual([]);
  }, 240_000);
});
