import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as core from '@actions/core';
import { candidatesFromEvaluationFiles, filterCandidates, loadBaselineFile, type Baseline } from '../../compare/candidates.js';
import { baselineFromRun, compareRun, resolveRule, ruleFromPipelineFile, toStoredDecision, type StoredDecision } from '../../compare/compare.js';
import { expandFilePatterns } from '../../compare/files.js';
import { decisionFileName, loadWorkflowRunCandidates, uploadDecisionArtifact } from '../../github/workflow-run.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { selectBest } from '../../compare/rule.js';
import { renderMarkdown } from '../../report/markdown.js';
import { createGitHubClient } from '../../adapters/github-client.js';
import { baselineFromModelRegistry } from '../../registry/baseline.js';
import { GitHubRegistry } from '../../registry/github.js';
import { LocalRegistry } from '../../registry/local.js';
import type { ModelRegistry } from '../../registry/model.js';
import { ConfigurationError } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

/**
 * The production model's metrics from the registry (the repository's releases on GitHub); undefined when
 * there is none yet. A registry that cannot be read fails the step: comparing with nothing instead would
 * promote a model that might be worse than production.
 */
async function productionBaseline(inputs: Inputs, projectDir: string): Promise<Baseline | undefined> {
  const wanted = inputs.baselineModel;
  if (wanted === undefined) return undefined;
  let registry: ModelRegistry;
  if (inputs.registry === 'local') registry = new LocalRegistry(projectDir);
  else {
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(process.env['GITHUB_REPOSITORY'] ?? '');
    if (!match?.[1] || !match[2]) throw new ConfigurationError('GITHUB_REPOSITORY is not OWNER/NAME: cannot read the releases registry');
    if (inputs.token === '') throw new ConfigurationError('input "github-token" is required to read the production model from the releases registry');
    core.setSecret(inputs.token);
    const apiUrl = process.env['GITHUB_API_URL'];
    const octokit = createGitHubClient({ token: inputs.token, ...(apiUrl ? { baseUrl: apiUrl } : {}) });
    registry = new GitHubRegistry(octokit, { owner: match[1], repo: match[2] });
  }
  const baseline = await baselineFromModelRegistry(registry, wanted.model, wanted.alias);
  core.info(baseline ? `baseline: ${baseline.label ?? baseline.source}` : `baseline: none (no ${wanted.model}@${wanted.alias} in the registry)`);
  return baseline;
}

/** The compare action: selection rule + candidates + baseline → winner, decision, reason, table. */
export async function run(): Promise<void> {
  await runAction(async () => {
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
    if (inputs.baselineModel !== undefined) baseline = await productionBaseline(inputs, projectDir);
    /** Said in the reason when the registry has no such model yet: the winner is the first model. */
    const firstModel = inputs.baselineModel !== undefined && baseline === undefined
      ? `first model: the registry has no ${inputs.baselineModel.model}@${inputs.baselineModel.alias} yet`
      : undefined;
    const noteFirst = (decision: StoredDecision): StoredDecision => {
      if (firstModel !== undefined) decision.selection.reason = `${decision.selection.reason} (${firstModel})`;
      return decision;
    };

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
      stored = noteFirst(toStoredDecision(inputs.pipeline, selectBest(candidates, rule, baseline)));
      file = join(projectDir, 'compare', decisionFileName(inputs.pipeline));
      await writeJsonAtomic(file, stored);
      // The report job runs elsewhere: it reads the decision from this artifact.
      const artifact = await uploadDecisionArtifact(file, inputs.pipeline, runAttempt);
      core.info(`Decision uploaded as artifact ${artifact}`);
    } else {
      const paths = await expandFilePatterns(inputs.evaluations, process.cwd());
      const candidates = filterCandidates(await candidatesFromEvaluationFiles(paths), rule.metric, inputs.nodes);
      stored = noteFirst(toStoredDecision(inputs.pipeline, selectBest(candidates, rule, baseline)));
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
  });
}
