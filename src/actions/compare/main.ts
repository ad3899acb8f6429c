import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { resolveRule, ruleFromPipelineFile } from '../../compare/compare.js';
import { decide, type BaselineRequest, type CandidateRequest } from '../../compare/decide.js';
import { decisionFileName, loadWorkflowRunCandidates, uploadDecisionArtifact } from '../../github/workflow-run.js';
import { releasesRegistry } from '../../github/registry.js';
import { baseBranchFallback } from '../../github/base-branch.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { renderMarkdown } from '../../report/markdown.js';
import { registryBaselineRequest } from '../../registry/baseline.js';
import { LocalRegistry } from '../../registry/local.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

/** The baseline the inputs ask for, as the compare service takes it (src/compare/decide.ts has the rules). */
function baselineRequest(inputs: Inputs, projectDir: string, fromWorkflowRun: boolean): BaselineRequest | undefined {
  if (inputs.baseline !== undefined) return { kind: 'file', path: inputs.baseline };
  if (inputs.baselineRun !== undefined) return { kind: 'run', projectDir, runId: inputs.baselineRun };
  const wanted = inputs.baselineModel;
  if (wanted === undefined) return undefined;
  const request = registryBaselineRequest(
    // The repository's releases on GitHub; a registry that cannot be read fails the step.
    () => (inputs.registry === 'local' ? new LocalRegistry(projectDir) : releasesRegistry(inputs.token)),
    wanted.model,
    wanted.alias,
  );
  const logged: BaselineRequest = {
    ...request,
    lookup: async () => {
      const baseline = await request.lookup();
      core.info(baseline ? `baseline: ${baseline.label ?? baseline.source}` : `baseline: none (no ${request.name} in the registry)`);
      return baseline;
    },
  };
  const branch = inputs.baseBranch;
  // A pull request on GitHub: without a production model, the base branch's latest decision is the baseline.
  // Only node artifacts of a workflow run are decided with a decision artifact a later run can find.
  if (branch === undefined || inputs.registry !== 'github' || !fromWorkflowRun) return logged;
  const fallback = baseBranchFallback({ branch, pipeline: inputs.pipeline, token: inputs.token, tempDir: runnerEnvironment(process.env).tempDir });
  return { ...logged, fallback };
}

/** The compare action: selection rule + candidates + baseline → winner, decision, reason, table. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    const projectDir = resolve(inputs.projectDir);
    const fileRule = existsSync(inputs.file) ? await ruleFromPipelineFile(inputs.file) : undefined;
    const rule = resolveRule(fileRule, inputs.overrides);
    let candidates: CandidateRequest;
    if (inputs.run !== undefined) candidates = { kind: 'run', projectDir, runId: inputs.run };
    else if (inputs.evaluations.length > 0) candidates = { kind: 'evaluations', patterns: inputs.evaluations, cwd: process.cwd() };
    else {
      // The pipeline ran as wave jobs of this workflow run: its nodes' artifacts are the candidates.
      const { runAttempt, tempDir } = runnerEnvironment(process.env);
      const fromRun = await core.group('Read the node artifacts of this workflow run', async () => {
        const found = await loadWorkflowRunCandidates({ file: inputs.file, pipeline: inputs.pipeline, runAttempt, tempDir });
        for (const name of found.artifacts) core.info(name);
        return found;
      });
      candidates = { kind: 'candidates', candidates: fromRun.candidates, deployments: fromRun.deployments };
    }
    const baseline = baselineRequest(inputs, projectDir, candidates.kind === 'candidates');
    const result = await decide({
      pipeline: inputs.pipeline,
      rule,
      candidates,
      ...(inputs.nodes ? { nodeGlobs: inputs.nodes } : {}),
      ...(baseline ? { baseline } : {}),
    });
    const { stored } = result;
    let file = result.file;
    if (file === undefined) {
      const fromWorkflowRun = candidates.kind === 'candidates';
      file = join(projectDir, 'compare', fromWorkflowRun ? decisionFileName(inputs.pipeline) : `${inputs.pipeline.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
      await writeJsonAtomic(file, stored);
      if (fromWorkflowRun) {
        // The report job runs elsewhere: it reads the decision from this artifact.
        const artifact = await uploadDecisionArtifact(file, inputs.pipeline, runnerEnvironment(process.env).runAttempt);
        core.info(`Decision uploaded as artifact ${artifact}`);
      }
    }

    const { selection } = stored;
    core.info(`decision: ${selection.decision}: ${selection.reason}`);
    core.setOutput('decision', selection.decision);
    core.setOutput('reason', selection.reason);
    core.setOutput('winner-node', selection.winner?.node ?? '');
    core.setOutput('winner-execution', selection.winner?.executionId ?? '');
    core.setOutput('winner-outputs', JSON.stringify(selection.winner?.outputs ?? []));
    core.setOutput('table', JSON.stringify(selection.table));
    core.setOutput('decision-file', file);
    const reportInput = { pipeline: stored.pipeline, selection, ...(stored.runId ? { runId: stored.runId } : {}), ...(stored.deployments ? { deployments: stored.deployments } : {}) };
    await core.summary.addRaw(renderMarkdown(reportInput)).write();
  });
}
