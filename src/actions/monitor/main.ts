import * as core from '@actions/core';
import type { DriftVerdict } from '../../monitor/drift.js';
import type { Inputs } from './inputs.js';
import { ConfigurationError, getErrorMessage, OutcomeFailure } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { getInputs } from './inputs.js';
import { runAction } from '../run-action.js';

// The drift check, its report and the GitHub client load with import() once the inputs are read and
// checked (a cold start reads the inputs first, bench/bundles.ts); the GitHub client only when used.

/**
 * Why the history stays in the workspace, and what to change: a token refused (403, or 404 as GitHub
 * answers some refusals) names the one permission the job lacks, `contents: write` (releases are
 * contents), and where to add it; a missing repository or token names that instead.
 */
function historyWarning(error: unknown, status: number | undefined, history: string): string {
  const local = `This trend shows only the checks in ${history}; or set history-store: none to keep it that way without this warning.`;
  if (status === 403 || status === 404) {
    const job = process.env['GITHUB_JOB'];
    const workflow = /^[^/]+\/[^/]+\/(.+?)@/.exec(process.env['GITHUB_WORKFLOW_REF'] ?? '')?.[1];
    const where = job ? `job '${job}'${workflow ? ` in ${workflow}` : ''}` : 'the job that runs this action';
    return `the drift history is not kept on GitHub: the token may not write releases (HTTP ${status}: ${getErrorMessage(error)}). Grant \`contents: write\` in the \`permissions:\` that apply to ${where} (releases are repository contents; a job-level \`permissions:\` replaces the workflow's, so keep the others it lists). ${local}`;
  }
  return `the drift history is not kept on GitHub (${getErrorMessage(error)}). ${local}`;
}

/**
 * Appends the check to the pipeline's history: in a release of the repository (history-store release, or
 * auto when the token may write releases), then copied to the workspace file; else the workspace file alone.
 */
async function recordHistory(inputs: Inputs, history: string, verdict: DriftVerdict): Promise<void> {
  if (inputs.historyStore !== 'none') {
    const [{ createGitHubClient, httpFailure }, { GitHubHistoryStore }] = await Promise.all([
      import('../../adapters/github-client.js'),
      import('../../monitor/history-store.js'),
    ]);
    try {
      if (inputs.repository === undefined) throw new ConfigurationError('GITHUB_REPOSITORY is not set');
      if (inputs.token === '') throw new ConfigurationError('input "github-token" is empty');
      const store = new GitHubHistoryStore(createGitHubClient({ token: inputs.token, baseUrl: inputs.apiUrl }), inputs.repository, inputs.pipeline);
      const { historyLine } = await import('../../monitor/history.js');
      const text = await core.group('Drift history', () => store.append(historyLine(verdict)));
      await writeFileAtomic(history, text);
      return;
    } catch (error) {
      const status = httpFailure(error)?.status;
      const permission = status === 403 || status === 404 || error instanceof ConfigurationError;
      if (inputs.historyStore === 'release' || !permission) throw error;
      core.warning(historyWarning(error, status, history));
    }
  }
  const { appendHistory } = await import('../../monitor/history.js');
  await appendHistory(history, verdict);
}

/** The monitor action: drift check → job summary and outputs; on drift an issue and/or a training dispatch. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    const [{ loadDriftConfig, loadProfile }, { detectDrift }, { historyFile, readHistory }, { driftMarker, renderDriftMarkdown }] = await Promise.all([
      import('../../monitor/config.js'),
      import('../../monitor/drift.js'),
      import('../../monitor/history.js'),
      import('../../monitor/markdown.js'),
    ]);
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
      const [{ createGitHubClient }, { dispatchWorkflow, upsertDriftIssue }] = await Promise.all([import('../../adapters/github-client.js'), import('../../monitor/alerts.js')]);
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
