/**
 * The gate of a deployment node: in a pipeline whose `x-mlops` item declares a selection rule, a
 * deployment node ships the compare winner's model, and only when the decision is `promote`. The
 * decision itself belongs to src/compare (a layer above this one); the front ends hand it in as a
 * `DeploymentGate`, deciding over the same candidates (the node's upstream executions) against the same
 * baseline (the registry's production model), so the laptop and the GitHub job deploy the same way.
 */
import type { DeploymentNode, Pipeline, PipelineConfig } from '../pipeline/model.js';
import type { DeploymentRecord } from '../store/runs.js';
import { ConfigurationError } from '../util/errors.js';
import { upstreamNodes, type UpstreamOutcome } from './edges.js';

export interface GateVerdict {
  decision: 'promote' | 'hold' | 'no-candidate';
  /** One line, as the compare step says it. */
  reason: string;
  winner?: { node: string; executionId: string };
  /** The files the winner produced or received (by sha256): what the deployment may ship. */
  winnerFiles: { path: string; sha256: string; node: string }[];
}

export interface GateRequest {
  config: PipelineConfig;
  pipeline: Pipeline;
  node: DeploymentNode;
  /** Every node the deployment node depends on, directly or not: the candidates come from these. */
  ancestors: ReadonlySet<string>;
  /** Outcomes known to the front end (the local runner has every finished node's; a GitHub job its direct upstream). */
  outcomes: ReadonlyMap<string, UpstreamOutcome>;
}

/** Decides a gated deployment node (src/compare/gate.ts holds the implementations). */
export type DeploymentGate = (request: GateRequest) => Promise<GateVerdict>;

/** Every node `name` depends on, directly or through other nodes. */
export function ancestorsOf(pipeline: Pipeline, name: string): Set<string> {
  const upstream = upstreamNodes(pipeline);
  const found = new Set<string>();
  const pending = [...(upstream.get(name) ?? [])];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...(upstream.get(next) ?? []));
  }
  return found;
}

/**
 * Asks the gate when the pipeline declares a selection rule. Returns why the node does not deploy
 * (`hold` / `no-candidate`, with the compare reason), or undefined when it deploys (`promote`) or has no
 * rule. A promoted deployment whose files are not the winner's fails: the gate ships the winner's model.
 */
export async function gateDeployment(
  request: Omit<GateRequest, 'ancestors'>,
  record: DeploymentRecord,
  gate: DeploymentGate | undefined,
  notice: (message: string) => void,
): Promise<string | undefined> {
  if (request.config.mlops.selection === undefined) return undefined;
  if (!gate) throw new Error(`deployment node ${request.node.name}: the pipeline declares a selection rule but this front end passed no deployment gate`);
  const verdict = await gate({ ...request, ancestors: ancestorsOf(request.pipeline, request.node.name) });
  if (verdict.decision !== 'promote') return `gate: ${verdict.decision}: ${verdict.reason}`;
  const allowed = new Set(verdict.winnerFiles.map((file) => file.sha256));
  for (const file of record.files) {
    if (allowed.has(file.sha256)) continue;
    const winner = verdict.winner ? `${verdict.winner.node} (execution ${verdict.winner.executionId})` : 'the winner';
    throw new ConfigurationError(
      `deployment node ${request.node.name}: ${file.endpoint}'s file ${file.name} (${file.from.path} from ${file.from.node}, sha256 ${file.sha256.slice(0, 12)}) ` +
        `is not a file of the compare winner ${winner}: the gate deploys only the winner's model; pass the winner's file to the deployment (e.g. with mlops compare in the step that picks it)`,
    );
  }
  notice(`deployment node ${request.node.name}: gate: promote: ${verdict.reason}`);
  return undefined;
}
