/**
 * How a task node's executions are started: all at once (grid, random and manual search), or batch by
 * batch where what comes next depends on what finished:
 * - `bayesian_tpe` (plan/bayesian.ts): Valohai's random seeding executions first, then TPE proposals
 *   from the completed executions' target metric, `execution-batch-size` at a time;
 * - a task `stop-condition` (early stopping across the task): batches of `execution-batch-size` (default:
 *   the runner's parallel slots); once a finished execution's metadata makes the condition true, no
 *   further execution starts (those already running finish) and the node ends successfully with the
 *   executions that ran.
 * The scheduler supplies how to run a batch and how to plan proposed parameter sets.
 */
import { evaluateCondition } from '../pipeline/expression.js';
import type { Task } from '../pipeline/model.js';
import { BAYESIAN_SEED_EXECUTIONS, describeBayesian, optimises, proposeBatch, searchSpace, type Observation, type ParameterSet } from '../plan/bayesian.js';
import type { ExecutionRecord } from '../store/runs.js';
import { seededRandom, parameterValues } from '../plan/variants.js';

export interface TaskRunHooks<P> {
  /** Runs these executions (numbered from `firstIndex`) and resolves with their records once all settle. */
  runBatch(planned: P[], firstIndex: number): Promise<ExecutionRecord[]>;
  /** Plans executions for proposed blueprint parameter sets (bayesian_tpe). */
  planSets(sets: ParameterSet[]): Promise<P[]>;
  notice(message: string): void;
  /** Whether the whole run is stopping (then no further batch starts). */
  stopping(): boolean;
}

export interface TaskRunResult {
  executions: ExecutionRecord[];
  /** Set when the task's stop-condition ended it early. */
  stoppedBy?: string;
}

/** Whether the task's executions must start batch by batch. */
export function runsInBatches(task: Task | undefined): boolean {
  return optimises(task) || task?.stopCondition !== undefined;
}

function observationsOf(executions: ExecutionRecord[], metric: string): Observation[] {
  const out: Observation[] = [];
  for (const execution of executions) {
    const value = execution.latestMetadata[metric];
    if (execution.status === 'succeeded' && typeof value === 'number' && Number.isFinite(value)) {
      out.push({ parameters: execution.parameters, metric: value });
    }
  }
  return out;
}

/**
 * Runs a task node's planned executions per its type and stop-condition. `planned` is the node's full
 * plan (for bayesian_tpe: the random search, of which the seeding executions are taken); `slots` is the
 * runner's parallelism, the default batch size for a stop-condition.
 */
export async function runTaskExecutions<P>(task: Task | undefined, planned: P[], slots: number, hooks: TaskRunHooks<P>): Promise<TaskRunResult> {
  if (task?.type === 'bayesian_tpe') hooks.notice(describeBayesian(task));
  if (!task || !runsInBatches(task)) return { executions: await hooks.runBatch(planned, 0) };
  const bayesian = optimises(task);
  const total = bayesian ? (task.executionCount ?? planned.length) : planned.length;
  const batchSize = Math.max(1, task.executionBatchSize ?? (bayesian ? total : slots));
  let queue = bayesian ? planned.slice(0, BAYESIAN_SEED_EXECUTIONS) : [...planned];
  const executions: ExecutionRecord[] = [];
  const random = seededRandom(hashText(`${task.name}/tpe`));
  const dimensions = bayesian ? searchSpace(task, (parameter) => parameterValues(task, parameter)) : [];
  let batchNumber = 0;

  for (;;) {
    if (hooks.stopping()) break;
    if (queue.length === 0) {
      if (!bayesian || executions.length >= total) break;
      const metric = task.optimizationTargetMetric ?? '';
      const observations = observationsOf(executions, metric);
      const count = Math.min(batchSize, total - executions.length);
      hooks.notice(
        `task ${task.name}: TPE proposes ${count} execution(s) from ${observations.length} completed one(s) with metric ${metric}` +
          (observations.length === 0 ? ' (none reported it, so these are random)' : ''),
      );
      queue = await hooks.planSets(proposeBatch(dimensions, observations, count, task.optimizationTargetValue, random));
      if (queue.length === 0) break;
    }
    // The seeding executions run as one batch of their own size when no batch size is given.
    const size = bayesian && batchNumber === 0 && task.executionBatchSize === undefined ? queue.length : batchSize;
    const batch = queue.splice(0, size);
    const records = await hooks.runBatch(batch, executions.length);
    executions.push(...records);
    batchNumber += 1;
    if (task.stopCondition !== undefined) {
      const met = records.find((record) =>
        evaluateCondition(task.stopCondition ?? '', { metadata: record.latestMetadata, parameters: record.parameters }),
      );
      if (met) {
        const stoppedBy = `stop-condition "${task.stopCondition}" met by ${met.executionId}`;
        const left = queue.length + (bayesian ? total - executions.length - queue.length : 0);
        hooks.notice(`task ${task.name}: ${stoppedBy}; ${Math.max(0, left)} execution(s) not started`);
        return { executions, stoppedBy };
      }
    }
  }
  return { executions };
}

function hashText(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}
