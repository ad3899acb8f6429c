/**
 * Compare across runs: candidates from one or more runs (optionally only some executions), the rule
 * from the first run's pipeline file (as `mlops compare --run` reads it), the registry's production
 * version as the baseline (as `mlops compare` does without baseline options), and `selectBest`. Nothing
 * is stored: looking is not deciding; `mlops compare --run` (or the action) stores the decision.
 */
import { filterCandidates, loadRunCandidates, type Baseline, type Candidate } from '../../compare/candidates.js';
import { parseTieBreakers, resolveRule, ruleFromPipelineFile, type RuleOverrides } from '../../compare/compare.js';
import { selectBest } from '../../compare/rule.js';
import { baselineFromRegistry } from '../../registry/baseline.js';
import { loadRun } from '../../store/runs.js';
import { getErrorMessage } from '../../util/errors.js';
import type { CompareCandidateRef, CompareResult } from '../api-types.js';
import { pipelineFileOf } from './runs.js';
import { HttpError, route, type Route, type RouteContext } from '../http.js';

function overridesFrom(params: URLSearchParams): RuleOverrides {
  const overrides: RuleOverrides = {};
  const metric = params.get('metric');
  if (metric) overrides.metric = metric;
  const goal = params.get('goal');
  if (goal) {
    if (goal !== 'max' && goal !== 'min') throw new HttpError(400, `goal must be max or min, got '${goal}'`);
    overrides.goal = goal;
  }
  const tieBreakers = params.get('tie-breakers');
  if (tieBreakers) overrides.tieBreakers = parseTieBreakers(tieBreakers);
  const constraints = params.getAll('constraint').filter((c) => c !== '');
  if (constraints.length > 0) overrides.constraints = constraints;
  return overrides;
}

/**
 * GET /api/compare?runs=A,B[&executions=runId:executionId,...][&nodes=glob,...][&metric=…&goal=…]
 * One run: the table `mlops compare --run` prints. Several: each candidate is named `<run>/<node>`.
 */
async function compare({ projectDir, url }: RouteContext): Promise<CompareResult> {
  const runIds = (url.searchParams.get('runs') ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (runIds.length === 0) throw new HttpError(400, 'choose at least one run to compare (?runs=RUN,RUN)');
  const picked = (url.searchParams.get('executions') ?? '').split(',').filter((e) => e.includes(':'));
  const nodeGlobs = (url.searchParams.get('nodes') ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');

  const first = await loadRun(projectDir, runIds[0] ?? '');
  const file = pipelineFileOf(first);
  let ruleSource = file;
  let fileRule;
  try {
    fileRule = await ruleFromPipelineFile(file);
  } catch (error) {
    ruleSource = `defaults (${getErrorMessage(error)})`;
  }
  const overrides = overridesFrom(url.searchParams);
  if (Object.keys(overrides).length > 0) ruleSource = fileRule ? `${file} with changes from the page` : 'the page';
  const rule = resolveRule(fileRule, overrides);

  const several = runIds.length > 1;
  const candidates: Candidate[] = [];
  const refs: Record<string, CompareCandidateRef> = {};
  const runs: CompareResult['runs'] = [];
  for (const id of runIds) {
    const loaded = await loadRunCandidates(projectDir, id);
    runs.push({ id: loaded.runId, pipeline: loaded.pipeline, status: loaded.status });
    let chosen = filterCandidates(loaded.candidates, rule.metric, nodeGlobs.length > 0 ? nodeGlobs : undefined);
    if (picked.length > 0) chosen = chosen.filter((c) => picked.includes(`${loaded.runId}:${c.executionId}`));
    for (const candidate of chosen) {
      const name = several ? `${loaded.runId}/${candidate.node}` : candidate.node;
      refs[`${name}\u0000${candidate.executionId}`] = { runId: loaded.runId, node: candidate.node, executionId: candidate.executionId };
      candidates.push({ ...candidate, node: name });
    }
  }
  const baseline: Baseline | undefined = await baselineFromRegistry(projectDir);
  const selection = selectBest(candidates, rule, baseline);
  return { runs, rule, ruleSource, ...(baseline ? { baseline } : {}), selection, refs };
}

export const compareRoutes: Route[] = [route('GET', '/api/compare', compare)];
