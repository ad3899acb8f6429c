/**
 * The one workflow interpreter of the tests: a workflow read with GitHub's parser, jobs in `needs`
 * order, each job's `if:` (with the job-level status functions), `strategy.matrix` (a mapping or an
 * expression, every entry a job of its own, run concurrently like GitHub), `environment:`, step `if:`,
 * `with:`/`env:` and job `outputs:` evaluated with GitHub's expression engine. What a step does is the
 * caller's: `runStep` (e.g. `bundleStepRunner`, which runs `uses: ./actions/<name>` bundles).
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { truthy } from '@actions/expressions/result';
import { isBasicExpression, isBoolean, isLiteral, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Job } from '@actions/workflow-parser/model/workflow-template';
import { jobOrder, parseWorkflowText } from '../workflows/workflow-parser.js';
import { evaluateExpression, expressionValue, inputText, jobOutputsError, runActionStep, type BundleRun, type RunIdentity } from './runner.js';
import { toolkitActionPath } from './toolkit-actions.js';

export type JobResult = 'success' | 'failure' | 'skipped';

/** The status functions of a job-level `if:`, over the results of the jobs it needs. */
export function statusFunctions(needResults: JobResult[]): FunctionDefinition[] {
  const status = (name: string, value: () => boolean): FunctionDefinition => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(value()),
  });
  return [
    status('success', () => needResults.every((result) => result === 'success')),
    status('failure', () => needResults.some((result) => result === 'failure')),
    status('always', () => true),
    status('cancelled', () => false),
  ];
}

/** A token as a plain value: expressions evaluated, mappings and sequences converted. */
export function tokenValue(token: TemplateToken, context: Record<string, unknown>, functions: FunctionDefinition[] = []): unknown {
  if (isBasicExpression(token)) return expressionValue(evaluateExpression(token.expression, context, functions));
  if (isString(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isLiteral(token)) return null;
  if (isSequence(token)) return [...token].map((item) => tokenValue(item, context, functions));
  if (isMapping(token)) return Object.fromEntries([...token].map((pair) => [pair.key.toString(), tokenValue(pair.value, context, functions)]));
  throw new Error(`unexpected token ${token.toString()}`);
}

function mappingEntries(token: TemplateToken | undefined): [string, TemplateToken][] {
  if (!token || !isMapping(token)) return [];
  return [...token].map((pair) => [pair.key.toString(), pair.value]);
}

/** A job's mapping in the parsed document (the converted model drops step `with:`). */
function jobMapping(root: TemplateToken | undefined, id: string): MappingToken {
  const jobs = root && isMapping(root) ? root.find('jobs') : undefined;
  const job = jobs && isMapping(jobs) ? jobs.find(id) : undefined;
  if (!job || !isMapping(job)) throw new Error(`no job ${id} in the document`);
  return job;
}

/** The entries of a matrix: the product of its lists, then `include` (entries of their own here). */
export function matrixEntries(matrix: Record<string, unknown>): Record<string, unknown>[] {
  const { include, exclude: _exclude, ...axes } = matrix;
  let entries: Record<string, unknown>[] = Object.keys(axes).length > 0 ? [{}] : [];
  for (const [key, values] of Object.entries(axes)) {
    const list = Array.isArray(values) ? values : [values];
    entries = entries.flatMap((entry) => list.map((value) => ({ ...entry, [key]: value })));
  }
  if (Array.isArray(include)) entries.push(...(include as Record<string, unknown>[]));
  return entries;
}

export interface StepToRun {
  job: string;
  matrix?: Record<string, unknown>;
  /** The job's environment (approval gate), when it has one. */
  environment?: string;
  /** The job's evaluated `runs-on`. */
  runsOn?: unknown;
  id?: string;
  uses?: string;
  run?: string;
  /** Evaluated `with:` and `env:` values. */
  with: Record<string, string>;
  env: Record<string, string>;
  /** The expression context the step was evaluated in (for action defaults). */
  context: Record<string, unknown>;
  /** The job's folder, fresh per job (matrix entry). */
  jobDir: string;
}

export interface StepOutcome {
  ok: boolean;
  outputs: Record<string, string>;
  /** What ran, for the caller's assertions (a bundle run, say). */
  run?: BundleRun & { unexpectedInputs: string[] };
}

export interface RanStep extends StepToRun {
  outcome: StepOutcome;
}

export interface WorkflowOptions {
  /** Workflow text and a name for messages. */
  text: string;
  name?: string;
  github: Record<string, unknown>;
  /** Overrides of the workflow's `env:` (as a user edits the copied file). */
  env?: Record<string, string>;
  inputs?: Record<string, unknown>;
  /** Runs one step of a job. */
  runStep(step: StepToRun): Promise<StepOutcome>;
  /** Whether a job may enter its environment (a required reviewer approves); default yes. */
  approve?(job: string, environment: string): boolean;
  /** Scratch folder for the jobs' folders. */
  scratch: string;
  /** The `github.token` a job gets (e.g. one carrying the job's `permissions:`); default `github.token`. */
  jobToken?(jobId: string): string;
}

export interface WorkflowRun {
  results: Map<string, JobResult>;
  outputs: Map<string, Record<string, string>>;
  steps: RanStep[];
  /** Environments jobs waited in, by job id. */
  environments: Map<string, string>;
  /** Parse errors of the workflow. */
  errors: string[];
  /** Errors the runner itself gave jobs (job outputs over GitHub's limit). */
  jobErrors: string[];
}

export async function runWorkflow(options: WorkflowOptions): Promise<WorkflowRun> {
  const { errors, template, root, needs } = await parseWorkflowText(options.name ?? 'workflow.yml', options.text);
  if (errors.length > 0) return { results: new Map(), outputs: new Map(), steps: [], environments: new Map(), errors, jobErrors: [] };
  const workflowEnv: Record<string, string> = {};
  for (const [name, value] of mappingEntries(template?.env)) workflowEnv[name] = String(tokenValue(value, {}));
  Object.assign(workflowEnv, options.env);
  const jobs = new Map((template?.jobs ?? []).map((job) => [job.id.value, job as Job]));
  const results = new Map<string, JobResult>();
  const outputs = new Map<string, Record<string, string>>();
  const environments = new Map<string, string>();
  const steps: RanStep[] = [];
  const jobErrors: string[] = [];

  const runJob = async (id: string, context: Record<string, unknown>, environment: string | undefined): Promise<{ result: JobResult; outputs: Record<string, string> }> => {
    const jobDir = await mkdtemp(join(options.scratch, `${id}-`));
    await mkdir(jobDir, { recursive: true });
    const stepsContext: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
    let failed = false;
    const stepTokens = jobMapping(root, id).find('steps');
    if (!stepTokens || !isSequence(stepTokens)) throw new Error(`job ${id} has no steps`);
    for (const step of stepTokens) {
      if (!isMapping(step)) continue;
      const stepContext = { ...context, env: workflowEnv, steps: stepsContext };
      const ifToken = step.find('if');
      const condition = ifToken ? truthy(evaluateExpression(isBasicExpression(ifToken) ? ifToken.expression : ifToken.toString(), stepContext, statusFunctions([failed ? 'failure' : 'success']))) : !failed;
      if (!condition) continue;
      const uses = step.find('uses');
      const run = step.find('run');
      const stepId = step.find('id');
      const withValues: Record<string, string> = {};
      for (const [name, value] of mappingEntries(step.find('with'))) withValues[name] = inputText(tokenValue(value, stepContext));
      const envValues: Record<string, string> = {};
      for (const [name, value] of mappingEntries(step.find('env'))) envValues[name] = inputText(tokenValue(value, stepContext));
      const toRun: StepToRun = { job: id, with: withValues, env: { ...workflowEnv, ...envValues }, context: stepContext, jobDir };
      if (context['matrix'] !== undefined) toRun.matrix = context['matrix'] as Record<string, unknown>;
      if (environment !== undefined) toRun.environment = environment;
      const runsOn = jobMapping(root, id).find('runs-on');
      if (runsOn) toRun.runsOn = tokenValue(runsOn, context);
      if (stepId && isString(stepId)) toRun.id = stepId.value;
      if (uses && isString(uses)) toRun.uses = uses.value;
      if (run && isString(run)) toRun.run = run.value;
      const outcome = await options.runStep(toRun);
      steps.push({ ...toRun, outcome });
      const conclusion = outcome.ok ? 'success' : 'failure';
      if (toRun.id !== undefined) stepsContext[toRun.id] = { outputs: outcome.outputs, outcome: conclusion, conclusion };
      if (!outcome.ok) failed = true;
    }
    const jobOutputs: Record<string, string> = {};
    for (const [name, value] of mappingEntries(jobs.get(id)?.outputs)) {
      jobOutputs[name] = inputText(tokenValue(value, { ...context, env: workflowEnv, steps: stepsContext }));
    }
    // GitHub fails a job whose outputs exceed 1 MB (UTF-16); its dependants then see no outputs.
    const outputsError = jobOutputsError(jobOutputs);
    if (outputsError) {
      jobErrors.push(`${id}: ${outputsError}`);
      return { result: 'failure', outputs: {} };
    }
    return { result: failed ? 'failure' : 'success', outputs: jobOutputs };
  };

  for (const id of jobOrder(needs)) {
    const job = jobs.get(id);
    if (!job) throw new Error(`no job ${id}`);
    const needIds = needs.get(id) ?? [];
    const needResults = needIds.map((need) => results.get(need) ?? 'skipped');
    const needsContext = Object.fromEntries(needIds.map((need) => [need, { result: results.get(need), outputs: outputs.get(need) ?? {} }]));
    const github = options.jobToken ? { ...options.github, token: options.jobToken(id) } : options.github;
    const context: Record<string, unknown> = { github, needs: needsContext, inputs: options.inputs ?? {}, vars: {}, secrets: {}, env: workflowEnv };
    if (!truthy(evaluateExpression(job.if.expression, context, statusFunctions(needResults)))) {
      results.set(id, 'skipped');
      continue;
    }
    const mapping = jobMapping(root, id);
    const environmentToken = mapping.find('environment');
    const environment = environmentToken ? inputText(tokenValue(environmentToken, context)) || undefined : undefined;
    if (environment !== undefined) {
      environments.set(id, environment);
      // A reviewer who rejects the deployment fails the job without running it.
      if (options.approve && !options.approve(id, environment)) {
        results.set(id, 'failure');
        continue;
      }
    }
    const strategy = mapping.find('strategy');
    const matrixToken = strategy && isMapping(strategy) ? strategy.find('matrix') : undefined;
    if (!matrixToken) {
      const ran = await runJob(id, context, environment);
      results.set(id, ran.result);
      outputs.set(id, ran.outputs);
      continue;
    }
    const matrix = tokenValue(matrixToken, context, statusFunctions(needResults)) as Record<string, unknown>;
    const entries = matrixEntries(matrix);
    if (entries.length === 0) throw new Error(`job ${id}: an empty matrix is an error on GitHub`);
    if (entries.length > 256) throw new Error(`job ${id}: a matrix holds at most 256 jobs`);
    const ran = await Promise.all(entries.map((entry) => runJob(id, { ...context, matrix: entry }, environment)));
    results.set(id, ran.some((r) => r.result === 'failure') ? 'failure' : 'success');
    // Matrix jobs write the same outputs: the last one to finish wins (here: the last entry).
    outputs.set(id, Object.assign({}, ...ran.map((r) => r.outputs)) as Record<string, string>);
  }
  return { results, outputs, steps, environments, errors: [], jobErrors };
}

export interface BundleStepOptions {
  /** The repository holding `actions/<name>/action.yml` and `dist/`. */
  repository: string;
  /** Prepares the job's workspace (a fresh "checkout") under the job's folder; returns its path. */
  checkout(jobDir: string): Promise<string>;
  identity: RunIdentity;
  /** Variables of the runner for every step: the artifact service's `envFor(…)`, … */
  env(): Record<string, string>;
}

/**
 * Runs `uses: ./actions/<name>` steps through their committed bundles (each a Node process with the
 * runner's environment), `actions/checkout` as a fresh workspace, and `run:` steps as no-ops that
 * succeed (the tests' workflows run no shell of their own worth simulating).
 */
export function bundleStepRunner(options: BundleStepOptions): (step: StepToRun) => Promise<StepOutcome> {
  const workspaces = new Map<string, Promise<string>>();
  return async (step) => {
    let workspace = workspaces.get(step.jobDir);
    if (!workspace) {
      workspace = options.checkout(step.jobDir);
      workspaces.set(step.jobDir, workspace);
    }
    const dir = await workspace;
    if (step.run !== undefined) return { ok: true, outputs: {} };
    const uses = step.uses ?? '';
    if (uses.startsWith('actions/checkout@')) return { ok: true, outputs: {} };
    const actionPath = toolkitActionPath(uses);
    if (actionPath === undefined || actionPath === '') throw new Error(`job ${step.job}: unexpected action ${uses}`);
    const run = await runActionStep(join(options.repository, actionPath), {
      with: step.with,
      expressionContext: step.context,
      workspace: dir,
      tempDir: join(step.jobDir, 'temp'),
      run: options.identity,
      env: { ...step.env, ...options.env() },
    });
    return { ok: run.exitCode === 0, outputs: run.outputs, run };
  };
}
