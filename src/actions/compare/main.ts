import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { candidatesFromEvaluationFiles, filterCandidates, loadBaselineFile, type Baseline } from '../../compare/candidates.js';
import { baselineFromRun, compareRun, resolveRule, ruleFromPipelineFile, toStoredDecision, type StoredDecision } from '../../compare/compare.js';
import { expandFilePatterns } from '../../compare/files.js';
import { decisionFileName, loadWorkflowRunCandidates, uploadDecisionArtifact } from '../../compare/workflow-run.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { selectBest } from '../../compare/rule.js';
import { renderMarkdown } from '../../report/markdown.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { getInputs } from './inputs.js';
import { reportFailure } from '../run-action.js';

/** The compare action: selection rule + candidates + baseline → winner, decision, reason, table. */
export async function run(): Promise<void> {
  try {
    const inputs = getInputs();
    const projectDir = resolve(inputs.projectDir);
    const fileRule = existsSync(inputs.file) ? await ruleFromPipelineFile(inputs.file) : undefined;
    const rule = resolveRule(fileRule, inputs.overrides);

    let baseline: Baseline | undefined;
    if (inputs.baseline !== undefined) baseline = await loadBaselineFile(inputs.baseline);
    if (inputs.baselineRun !== undefined) {
      baseline = await baselineFromRun(projectDir, inputs.baselineRun, rule);
      if (!baseline) core.warning(`run ${inputs.baselineRun} has no winner; comparing without a baseline`);
    }

    let stored: StoredDecision;
    let file: string;
    if (inputs.run !== undefined) {
      const result = await compareRun(projectDir, inputs.run, {
        rule,
        ...(inputs.nodes ? { nodeGlobs: inputs.nodes } : {}),
        ...(baseline ? { baseline } : {}),
      });
      stored = result.stored;
      file = result.file;
    } else if (inputs.evaluations.length === 0) {
      // The pipeline ran as wave jobs of this workflow run: its nodes' artifacts are the candidates.
      const { runAttempt, tempDir } = runnerEnvironment(process.env);
      const fromRun = await core.group('Read the node artifacts of this workflow run', async () => {
        const found = await loadWorkflowRunCandidates({ file: inputs.file, pipeline: inputs.pipeline, runAttempt, tempDir });
        for (const name of found.artifacts) core.info(name);
        return found;
      });
      const candidates = filterCandidates(fromRun.candidates, rule.metric, inputs.nodes);
      stored = toStoredDecision(inputs.pipeline, selectBest(candidates, rule, baseline));
      file = join(projectDir, 'compare', decisionFileName(inputs.pipeline));
      await writeJsonAtomic(file, stored);
      // The report job runs elsewhere: it reads the decision from this artifact.
      const artifact = await uploadDecisionArtifact(file, inputs.pipeline, runAttempt);
      core.info(`Decision uploaded as artifact ${artifact}`);
    } else {
      const paths = await expandFilePatterns(inputs.evaluations, process.cwd());
      const candidates = filterCandidates(await candidatesFromEvaluationFiles(paths), rule.metric, inputs.nodes);
      stored = toStoredDecision(inputs.pipeline, selectBest(candidates, rule, baseline));
      file = join(projectDir, 'compare', `${inputs.pipeline.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
      await writeJsonAtomic(file, stored);
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
    const reportInput = { pipeline: stored.pipeline, selection, ...(stored.runId ? { runId: stored.runId } : {}) };
    await core.summary.addRaw(renderMarkdown(reportInput)).write();
  } catch (error) {
    reportFailure(error);
  }
}
