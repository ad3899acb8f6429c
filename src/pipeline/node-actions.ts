/**
 * Node actions as data: which of a node's actions hold at a moment for given metadata and parameters.
 * Pure, so that the runtime (exec/node-actions.ts) and the workflow generators (plan, compile) decide
 * alike; what an action then does is the runtime's business.
 */
import { evaluateCondition } from './expression.js';
import type { NodeAction, PipelineConfig, PipelineNode } from './model.js';
import { applyOverride } from './override.js';

export type ActionMoment = 'node-starting' | 'node-complete' | 'node-error';

export interface ActionScope {
  metadata: Record<string, unknown>;
  parameters: Record<string, unknown>;
}

export function describeAction(action: NodeAction): string {
  const condition = action.if.length > 0 ? ` if ${action.if.join(' and ')}` : '';
  return `${action.when.join('/')}${condition} then ${action.then.join(', ')}`;
}

/** Parameters a node-starting `if` sees: the node's step defaults (variants are not known yet). */
export function startingParameters(config: PipelineConfig, node: PipelineNode): Record<string, unknown> {
  if (node.type === 'deployment') return {};
  const step = config.steps.get(node.step);
  // An undefined step fails the node right after, with its own message.
  if (!step) return {};
  const values: Record<string, unknown> = {};
  for (const p of applyOverride(step, node.override).parameters) if (p.default !== undefined) values[p.name] = p.default;
  return values;
}

/** The scope of a node-starting condition: no metadata yet, the starting parameters. */
export function startingScope(config: PipelineConfig, node: PipelineNode): ActionScope {
  return { metadata: {}, parameters: startingParameters(config, node) };
}

/** The node's actions for `when` whose `if` holds for at least one scope, in file order. */
export function actionsThatHold(node: PipelineNode, when: ActionMoment, scopes: readonly ActionScope[]): NodeAction[] {
  return node.actions.filter(
    (action) => action.when.includes(when) && scopes.some((scope) => action.if.every((expr) => evaluateCondition(expr, scope))),
  );
}

/** Whether a node asks for approval before it starts (decided before anything runs, as the runner does). */
export function approvalBeforeStart(config: PipelineConfig, node: PipelineNode): boolean {
  return actionsThatHold(node, 'node-starting', [startingScope(config, node)]).some((a) => a.then.includes('require-approval'));
}

/** Whether a node may ask for approval after it ran (its condition depends on what it printed). */
export function approvalAfterCompletion(node: PipelineNode): boolean {
  return node.actions.some((a) => a.when.includes('node-complete') && a.then.includes('require-approval'));
}
