/**
 * The one compare service behind every front door (the `mlops compare` CLI, the compare action and the
 * gate of a deployment node): where the candidates come from, which baseline they are held against, the
 * rule applied, and the decision stored. The front doors only translate their options into a
 * `DecideRequest`; the rules (what a missing baseline means, what the reason says) live here, once.
 *
 * Baselines come from a file, from an earlier run's decision, or from a model registry. The registry sits
 * in a layer above this one, so a front door hands in the lookup (`BaselineRequest.lookup`) and this
 * module decides what its answer means:
 * - a file or run that cannot give a baseline is an error: comparing with nothing instead would promote
 *   a model that might be worse than the one asked about;
 * - a registry without the model (or alias) means there is no model to beat yet: the winner is the first
 *   model, and the reason says so (`first model: the registry has no digits@production yet`), unless a
 *   fallback (the base branch's latest decision) gives a baseline.
 */
import { filterCandidates, loadBaselineFile, candidatesFromEvaluationFiles, loadRunCandidates, type Baseline, type Candidate, type DeploymentOutcome } from './candidates.js';
import { baselineFromRun, storeDecision, toStoredDecision, type StoredDecision } from './compare.js';
import { expandFilePatterns } from './files.js';
import { selectBest, type SelectionRule } from './rule.js';
import { ConfigurationError } from '../util/errors.js';

export type BaselineRequest =
  /** A JSON file of metrics (`--baseline`, input `baseline`). */
  | { kind: 'file'; path: string }
  /** The winner of an earlier run (`--baseline-run`, input `baseline-run`). */
  | { kind: 'run'; projectDir: string; runId: string }
  /**
   * A registry's model version (`--baseline-model`, input `baseline-model`, or the CLI's default: the only
   * model's production version). `name` is what the reason calls it when it is missing.
   */
  | {
      kind: 'model';
      name: string;
      lookup: () => Promise<Baseline | undefined>;
      /**
       * Asked when the registry has no such model: e.g. the base branch's latest decision. `name` says
       * where it looked (`base branch main`), for the reason when it has nothing either.
       */
      fallback?: { name: string; lookup: () => Promise<Baseline | undefined> };
    };

export type ModelBaselineRequest = Extract<BaselineRequest, { kind: 'model' }>;

export type CandidateRequest =
  /** The executions of a run record (`.mlops/runs/<run>/run.json`); the decision is stored with the run. */
  | { kind: 'run'; projectDir: string; runId: string }
  /** Evaluation JSON files (globs), relative to `cwd`. */
  | { kind: 'evaluations'; patterns: string[]; cwd: string }
  /** Candidates already read (a workflow run's node artifacts, a deployment node's upstream executions). */
  | { kind: 'candidates'; candidates: Candidate[]; deployments?: DeploymentOutcome[] };

export interface DecideRequest {
  /** Pipeline name of the decision (with a run, the run's own name wins). */
  pipeline: string;
  rule: SelectionRule;
  candidates: CandidateRequest;
  /** Only these nodes compete (globs); default: the nodes that reported the metric. */
  nodeGlobs?: string[];
  /** Absent: no baseline, the best candidate is the first model. */
  baseline?: BaselineRequest;
}

export interface ResolvedBaseline {
  baseline?: Baseline;
  /** Said in the decision's reason, in parentheses: why there was no baseline, or where it came from. */
  note?: string;
}

/** The baseline a request asks for (see the module comment for what a missing one means). */
export async function resolveBaseline(request: BaselineRequest | undefined, rule: SelectionRule): Promise<ResolvedBaseline> {
  if (request === undefined) return {};
  switch (request.kind) {
    case 'file':
      return { baseline: await loadBaselineFile(request.path) };
    case 'run': {
      const baseline = await baselineFromRun(request.projectDir, request.runId, rule);
      if (!baseline) throw new ConfigurationError(`run ${request.runId} has no winner to use as the baseline`);
      return { baseline };
    }
    case 'model': {
      const baseline = await request.lookup();
      if (baseline) return { baseline };
      if (request.fallback) {
        const fallback = await request.fallback.lookup();
        if (fallback) return { baseline: fallback, note: `the registry has no ${request.name} yet: compared with ${fallback.label ?? request.fallback.name}` };
        return { note: `first model: the registry has no ${request.name} yet and ${request.fallback.name} has no decision yet` };
      }
      return { note: `first model: the registry has no ${request.name} yet` };
    }
  }
}

async function gatherCandidates(request: CandidateRequest): Promise<{ candidates: Candidate[]; runId?: string; pipeline?: string; deployments?: DeploymentOutcome[] }> {
  switch (request.kind) {
    case 'run': {
      const run = await loadRunCandidates(request.projectDir, request.runId);
      return { candidates: run.candidates, runId: run.runId, pipeline: run.pipeline, deployments: run.deployments };
    }
    case 'evaluations':
      return { candidates: await candidatesFromEvaluationFiles(await expandFilePatterns(request.patterns, request.cwd)) };
    case 'candidates':
      return { candidates: request.candidates, ...(request.deployments ? { deployments: request.deployments } : {}) };
  }
}

export interface DecideResult {
  stored: StoredDecision;
  baseline?: Baseline;
  /** Where the decision was stored: with a run, `.mlops/runs/<run>/compare.json`; otherwise the caller stores it. */
  file?: string;
}

/** Candidates + baseline + rule → the decision (stored with the run when the candidates are a run's). */
export async function decide(request: DecideRequest): Promise<DecideResult> {
  const { baseline, note } = await resolveBaseline(request.baseline, request.rule);
  const gathered = await gatherCandidates(request.candidates);
  const candidates = filterCandidates(gathered.candidates, request.rule.metric, request.nodeGlobs);
  const selection = selectBest(candidates, request.rule, baseline);
  if (note !== undefined) selection.reason = `${selection.reason} (${note})`;
  const stored = toStoredDecision(gathered.pipeline ?? request.pipeline, selection, gathered.runId);
  if (gathered.deployments && gathered.deployments.length > 0) stored.deployments = gathered.deployments;
  const result: DecideResult = { stored, ...(baseline ? { baseline } : {}) };
  if (request.candidates.kind === 'run' && gathered.runId !== undefined) result.file = await storeDecision(request.candidates.projectDir, gathered.runId, stored);
  return result;
}

/**
 * The files of a decision's winner (its own outputs and those of the executions it received them from),
 * by sha256: what a gated deployment may ship.
 */
export function winnerFiles(stored: StoredDecision): { path: string; sha256: string; node: string }[] {
  const winner = stored.winner;
  if (!winner) return [];
  return [
    ...winner.outputs.map((output) => ({ path: output.path, sha256: output.sha256, node: winner.node })),
    ...(winner.upstream ?? []).flatMap((upstream) => upstream.outputs.map((output) => ({ path: output.path, sha256: output.sha256, node: upstream.node }))),
  ];
}
