/**
 * What a node's `actions` and `on-error` ask of the pipeline, decided in one place for the local runner
 * and the GitHub node job (and, for what can be known before anything runs, for `plan` and `compile`).
 */
import type { PipelineConfig, PipelineNode } from '../pipeline/model.js';
import { actionsThatHold, describeAction, startingScope, type ActionMoment, type ActionScope } from '../pipeline/node-actions.js';
import type { ExecutionRecord, NodeState } from '../store/runs.js';
import { ConfigurationError } from '../util/errors.js';
import { stepForNode } from './plan-run.js';

export type { ActionMoment } from '../pipeline/node-actions.js';

/** The pipeline stops starting work; `abort` also ends what runs (`status` is the run's). */
export interface PipelineHalt {
  status: 'stopped' | 'failed';
  reason: string;
  abort: boolean;
}

/** A person's answer to "may node X go on": `pending` when no one can answer now (the reason says how to). */
export type ApprovalAnswer = { answer: 'approved' } | { answer: 'declined' } | { answer: 'pending'; reason: string };

export interface ApprovalPort {
  ask(node: string, when: ActionMoment): Promise<ApprovalAnswer>;
}

/** What the actions decided: go on, or stop the node (with the state to give it) and maybe the pipeline. */
export type ActionVerdict =
  | { go: true }
  | {
      go: false;
      /** The action that decided: `stop-pipeline`, `error-pipeline` or `require-approval`. */
      action: string;
      halt?: PipelineHalt;
      /** The node's state, when the verdict sets one (before it runs, or an approval after it ran). */
      state?: { state: NodeState; reason: string };
    };

/** The values `if` conditions see: each execution's metadata and parameters, or the starting defaults. */
export function actionScopes(config: PipelineConfig, node: PipelineNode, executions: readonly ExecutionRecord[]): ActionScope[] {
  return executions.length > 0
    ? executions.map((e) => ({ metadata: e.latestMetadata, parameters: e.parameters }))
    : [startingScope(config, node)];
}

/**
 * Runs the node's actions for `when`. The first `stop-pipeline` or `error-pipeline` whose condition
 * holds decides; `require-approval` asks `approval` and goes on only when approved.
 */
export async function decideActions(
  node: PipelineNode,
  when: ActionMoment,
  scopes: readonly ActionScope[],
  approval: ApprovalPort,
  notice: (message: string) => void = () => undefined,
): Promise<ActionVerdict> {
  for (const action of actionsThatHold(node, when, scopes)) {
    const why = `node ${node.name} action (${describeAction(action)})`;
    for (const then of action.then) {
      if (then === 'stop-pipeline' || then === 'error-pipeline') {
        const stopping = then === 'stop-pipeline';
        if (stopping) notice(`${why}: stopping the pipeline`);
        const verdict: ActionVerdict = { go: false, action: then, halt: { status: stopping ? 'stopped' : 'failed', reason: why, abort: true } };
        if (when === 'node-starting') verdict.state = { state: 'skipped', reason: `pipeline ${stopping ? 'stopped' : 'failed'} by ${why}` };
        return verdict;
      }
      if (then !== 'require-approval') continue;
      const answer = await approval.ask(node.name, when);
      if (answer.answer === 'approved') continue;
      if (answer.answer === 'declined') {
        return {
          go: false,
          action: then,
          halt: { status: 'stopped', reason: `approval for node ${node.name} declined`, abort: false },
          state: { state: 'skipped', reason: 'approval declined' },
        };
      }
      return { go: false, action: then, state: { state: 'awaiting-approval', reason: answer.reason } };
    }
  }
  return { go: true };
}

/** What `on-error` makes of a failed node. */
export interface OnErrorPolicy {
  /** Extra attempts of a failed execution. */
  retries: number;
  /** The whole pipeline stops (running executions are cancelled). */
  haltsPipeline: boolean;
  /** Dependents still run, with the node's succeeded executions. */
  dependentsRun: boolean;
}

export function onErrorPolicy(node: PipelineNode): OnErrorPolicy {
  switch (node.onError) {
    case 'retry':
      return { retries: 1, haltsPipeline: true, dependentsRun: false };
    case 'stop-all':
      return { retries: 0, haltsPipeline: true, dependentsRun: false };
    case 'continue':
      return { retries: 0, haltsPipeline: false, dependentsRun: true };
    case 'stop-next':
      return { retries: 0, haltsPipeline: false, dependentsRun: false };
  }
}

/** Whether dependents of a node in `state` may use its results. */
export function satisfiesDependents(node: PipelineNode, state: NodeState): boolean {
  if (state === 'succeeded' || state === 'reused') return true;
  return state === 'failed' && onErrorPolicy(node).dependentsRun;
}

/**
 * Running in containers, every step needs an image: one message for the CLI's `--container` and the
 * action's `container` input, said before anything runs. Deployment nodes run no command.
 */
export function requireStepImage(config: PipelineConfig, node: PipelineNode, how: string, otherwise?: string): void {
  if (node.type === 'deployment') return;
  const step = stepForNode(config, node);
  if (!step.image) {
    throw new ConfigurationError(
      `${how}: step "${step.name}" (node ${node.name}) has no image to run in; add image: to the step${otherwise !== undefined ? `, or ${otherwise}` : ''}`,
    );
  }
}
