/**
 * The compare decision for a gated deployment node (src/exec/deployment-gate.ts): the pipeline file's
 * selection rule over the node's upstream executions, against the baseline the front end names (the
 * registry's production model), through the same service as `mlops compare` and the compare action.
 */
import type { DeploymentGate, GateRequest, GateVerdict } from '../exec/deployment-gate.js';
import type { PipelineConfig } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';
import { candidatesFromNodeRecords, type Candidate } from './candidates.js';
import { resolveRule } from './compare.js';
import { decide, winnerFiles, type BaselineRequest } from './decide.js';
import type { SelectionRule } from './rule.js';

/** The `x-mlops` selection rule of a loaded pipeline file. */
export function ruleOfConfig(config: PipelineConfig): SelectionRule {
  const selection = config.mlops.selection;
  if (!selection) throw new ConfigurationError(`${config.file} declares no selection rule (x-mlops selection)`);
  return resolveRule({ ...selection, tieBreakers: [...selection.tieBreakers], constraints: [...selection.constraints] }, {});
}

/** The decision over these candidates, as the gate of `request.node` sees it. */
export async function gateVerdict(request: GateRequest, candidates: Candidate[], baseline: BaselineRequest | undefined): Promise<GateVerdict> {
  const { stored } = await decide({
    pipeline: request.pipeline.name,
    rule: ruleOfConfig(request.config),
    candidates: { kind: 'candidates', candidates },
    ...(baseline ? { baseline } : {}),
  });
  const verdict: GateVerdict = { decision: stored.decision, reason: stored.reason, winnerFiles: winnerFiles(stored) };
  if (stored.winner) verdict.winner = { node: stored.winner.node, executionId: stored.winner.executionId };
  return verdict;
}

/**
 * The gate of a runner that holds every finished node's outcome (the local runner, the root action's one
 * job): the candidates are the executions of the deployment node's ancestors.
 */
export function outcomesGate(baseline: () => BaselineRequest | undefined): DeploymentGate {
  return (request) => {
    const nodes: Record<string, { executions: unknown[] }> = {};
    for (const name of request.ancestors) {
      const outcome = request.outcomes.get(name);
      if (outcome) nodes[name] = { executions: outcome.executions };
    }
    return gateVerdict(request, candidatesFromNodeRecords(nodes), baseline());
  };
}
