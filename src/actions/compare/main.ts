import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { BaselineRequest, CandidateRequest } from '../../compare/decide.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

// The pipeline loader (YAML parser, schemas), the compare service and the GitHub clients load with
// import() once the inputs are read and checked: a cold start reads the inputs first (bench/bundles.ts).

/** The baseline the inputs ask for, as the compare service takes it (src/compare/decide.ts has the rules). */
async function baselineRequest(inputs: Inputs, projectDir: string): Promise<BaselineRequest | undefined> {
  if (inputs.baseline !== undefined) return { kind: 'file', path: inputs.baseline };
  if (inputs.baselineRun !== undefined) return { kind: 'run', projectDir, runId: inputs.baselineRun };
  const wanted = inputs.baselineModel;
  if (wanted === undefined) return undefined;
  const [{ registryBaselineRequest }, { LocalRegistry }, { releasesRegistry }] = await Promise.all([
    import('../../registry/baseline.js'),
    import('../../registry/local.js'),
    import('../../github/registry.js'),
  ]);
  const request = registryBaselineRequest(
    // The repository's releases on GitHub; a registry that cannot be read fails the step.
    () => (inputs.registry === 'local' ? new LocalRegistry(projectDir) : releasesRegistry(inputs.token)),
    wanted.model,
    wanted.alias,
  );
  return {
    ...request,
    lookup: async () => {
      const baseline = await request.lookup();
      core.info(baseline ? `baseline: ${baseline.label ?? baseline.source}` : `baseline: none (no ${request.name} in the registry)`);
      return baseline;
    },
  };
}

/** The compare action: selection rule + candidates + baseline → winner, decision, reason, table. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    const [{ resolveRule, ruleFromPipelineFile }, { decide }, { renderMarkdown }] = await Promise.all([
      import('../../compare/compare.js'),
      import('../../compare/decide.js'),
      import('../../report/markdown.js'),
    ]);
    const projectDir = resolve(inputs.projectDir);
    const fileRule = existsSync(inputs.file) ? await ruleFromPipelineFile(inputs.file) : undefined;
    const rule = resolveRule(fileRule, inputs.overrides);
    let candidates: CandidateRequest;
    if (inputs.run !== undefined) candidates = { kind: 'run', projectDir, runId: inputs.run };
    else if (inputs.evaluations.length > 0) candidates = { kind: 'evaluations', patterns: inputs.evaluations, cwd: process.cwd() };
    else {
      // The pipeline ran as wave jobs of this workflow run: its nodes' artifacts are the candidates.
      const { runAttempt, tempDir } = runnerEnvironment(process.env);
      const { loadWorkflowRunCandidates } = await import('../../github/workflow-run.js');
      const fromRun = await core.group('Read the node artifacts of this workflow run', async () => {
        const found = await loadWorkflowRunCandidates({ file: inputs.file, pipeline: inputs.pipeline, runAttempt, tempDir });
        for (const name of found.artifacts) core.info(name);
        return found;
      });
      candidates = { kind: 'candidates', candidates: fromRun.candidates, deployments: fromRun.deployments };
    }
    const baseline = await baselineRequest(inputs, projectDir);
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
      const workflowRun = candidates.kind === 'candidates' ? await import('../../github/workflow-run.js') : undefined;
      file = join(projectDir, 'compare', workflowRun ? workflowRun.decisionFileName(inputs.pipeline) : `${inputs.pipeline.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
      await writeJsonAtomic(file, stored);
      if (workflowRun) {
        // The report job runs elsewhere: it reads the decision from this artifact.
        const artifact = await workflowRun.uploadDecisionArtifact(file, inputs.pipeline, runnerEnvironment(process.env).runAttempt);
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
