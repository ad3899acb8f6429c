import * as core from '@actions/core';
import { createGitHubClient } from '../../adapters/github-client.js';
import { dispatchWorkflow, upsertDriftIssue } from '../../monitor/alerts.js';
import { loadDriftConfig, loadProfile } from '../../monitor/config.js';
import { appendHistory, historyFile, historyLine, readHistory } from '../../monitor/history.js';
import { GitHubHistoryStore } from '../../monitor/history-store.js';
import { httpFailure } from '../../adapters/github-client.js';
import { writeFileAtomic } from '../../util/fs.js';
import type { Inputs } from './inputs.js';
import { detectDrift } from '../../monitor/drift.js';
import { driftMarker, renderDriftMarkdown } from '../../monitor/markdown.js';
import { ConfigurationError, getErrorMessage, OutcomeFailure } from '../../util/errors.js';
import { getInputs } from './inputs.js';
import { runAction } from '../run-action.js';

/**
 * Appends the check to the pipeline's history: in a release of the repository (history-store release, or
 * auto when the token may write releases), then copied to the workspace file; else the workspace file alone.
 */
async function recordHistory(inputs: Inputs, history: string, verdict: Parameters<typeof historyLine>[0]): Promise<void> {
  if (inputs.historyStore !== 'none') {
    try {
      if (inputs.repository === undefined) throw new ConfigurationError('GITHUB_REPOSITORY is not set');
      if (inputs.token === '') throw new ConfigurationError('input "github-token" is empty');
      const store = new GitHubHistoryStore(createGitHubClient({ token: inputs.token, baseUrl: inputs.apiUrl }), inputs.repository, inputs.pipeline);
      const text = await core.group('Drift history', () => store.append(historyLine(verdict)));
      await writeFileAtomic(history, text);
      return;
    } catch (error) {
      const status = httpFailure(error)?.status;
      const permission = status === 403 || status === 404 || error instanceof ConfigurationError;
      if (inputs.historyStore === 'release' || !permission) throw error;
      core.warning(`the drift history is not kept on GitHub (${getErrorMessage(error)}): give the job \`permissions: contents: write\` for a trend across runs, or set history-store: none. This trend shows only the checks in ${history}.`);
    }
  }
  await appendHistory(history, verdict);
}

/** The monitor action: drift check → job summary and outputs; on drift an issue and/or a training dispatch. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    const profile = await loadProfile(inputs.reference);
    const config = await loadDriftConfig(inputs.config);
    if (inputs.label !== undefined) config.label = inputs.label;
    if (inputs.prediction !== undefined) config.prediction = inputs.prediction;
    const verdict = await core.group('Drift check', () => detectDrift(profile, inputs.current, config));
    const history = historyFile(inputs.historyDir, inputs.pipeline);
    await recordHistory(inputs, history, verdict);
    const trend = (await readHistory(history)).slice(-inputs.historyLength);
    const markdown = renderDriftMarkdown(verdict, inputs.pipeline, trend);
    await core.summary.addRaw(markdown).write();
    core.setOutput('drifted', String(verdict.drifted));
    core.setOutput('verdict', JSON.stringify(verdict));
    core.setOutput('history-file', history);
    for (const reason of verdict.reasons) core.info(reason);

    let issueUrl = '';
    let dispatched = false;
    if (verdict.drifted && (inputs.openIssue || inputs.dispatchWorkflow !== undefined)) {
      const repository = inputs.repository;
      const workflow = inputs.dispatchWorkflow;
      if (repository === undefined) throw new ConfigurationError('GITHUB_REPOSITORY is not set: cannot tell which repository to alert');
      if (inputs.token === '') throw new ConfigurationError('input "github-token" is empty: opening an issue or dispatching a workflow needs a token');
      const octokit = createGitHubClient({ token: inputs.token, baseUrl: inputs.apiUrl });
      if (inputs.openIssue) {
        const link = inputs.runUrl ? `\n[Workflow run](${inputs.runUrl})\n` : '';
        const body = `${markdown}${link}`;
        const result = await core.group('Drift issue', () => upsertDriftIssue(octokit, repository, driftMarker(inputs.pipeline), `Drift detected: ${inputs.pipeline}`, body, inputs.issueLabels));
        issueUrl = result.url;
        core.info(`issue ${result.action}: ${result.url}`);
      }
      if (workflow !== undefined) {
        await core.group('Retraining dispatch', () => dispatchWorkflow(octokit, repository, workflow, inputs.dispatchRef));
        dispatched = true;
        core.info(`dispatched ${workflow} on ${inputs.dispatchRef}`);
      }
    }
    core.setOutput('issue-url', issueUrl);
    core.setOutput('dispatched', String(dispatched));
    if (verdict.drifted && inputs.failOnDrift) throw new OutcomeFailure(`drift detected: ${verdict.reasons.join('; ')}`);
  });
}
