import { mkdtemp, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import * as core from '@actions/core';
import type { StoredDecision } from '../../compare/compare.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import type { ReportImage } from '../../github/report-images.js';
import type { ReportInput, ReportLinks } from '../../report/markdown.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { getInputs, type Inputs } from './inputs.js';
import { runAction } from '../run-action.js';

// The renderers, the run store and the GitHub clients load with import() once the inputs are read and
// checked (a cold start reads the inputs first, bench/bundles.ts), each only on the path that uses it.

async function loadDecision(inputs: Inputs): Promise<StoredDecision> {
  if (inputs.decisionFile !== undefined) {
    let text: string;
    try {
      text = await readFile(inputs.decisionFile, 'utf8');
    } catch (error) {
      throw new ConfigurationError(`cannot read the decision file ${inputs.decisionFile}: ${getErrorMessage(error)}`);
    }
    const data = JSON.parse(text) as Partial<StoredDecision>;
    if (data.version !== 1 || data.selection === undefined || typeof data.pipeline !== 'string') {
      throw new ConfigurationError(`${inputs.decisionFile} is not a decision written by the compare action`);
    }
    return data as StoredDecision;
  }
  const { readStoredDecision } = await import('../../compare/compare.js');
  const stored = await readStoredDecision(resolve(inputs.projectDir), inputs.run ?? '');
  if (!stored) throw new ConfigurationError(`run ${inputs.run ?? ''} has no stored decision: run the compare action (or mlops compare --run) first`);
  return stored;
}

/** The report's own SVG picture, then the PNG/SVG files the `image-files` input names. */
async function reportPictures(report: ReportInput, inputs: Inputs): Promise<ReportImage[]> {
  const [{ renderSvg }, { expandFilePatterns }] = await Promise.all([import('../../report/svg.js'), import('../../compare/files.js')]);
  const pictures: ReportImage[] = [{ name: 'report.svg', bytes: Buffer.from(renderSvg(report)), title: `Model comparison: ${report.pipeline}` }];
  if (inputs.imageFiles.length === 0) return pictures;
  for (const path of await expandFilePatterns(inputs.imageFiles, process.cwd())) {
    const bytes = await readFile(path).catch((error: unknown) => {
      throw new ConfigurationError(`cannot read the picture ${path}: ${getErrorMessage(error)}`);
    });
    pictures.push({ name: basename(path), bytes, title: basename(path) });
  }
  return pictures;
}

/** The report action: job summary always; sticky pull request comment when on a pull request. */
export async function run(): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    const { renderMarkdown, renderMarkdownWithin } = await import('../../report/markdown.js');
    if (inputs.pipeline !== undefined) {
      // Another job compared: its decision arrives as an artifact of this workflow run.
      const { runAttempt, tempDir } = runnerEnvironment(process.env);
      const { downloadDecisionArtifact } = await import('../../github/workflow-run.js');
      inputs.decisionFile = await downloadDecisionArtifact(inputs.pipeline, runAttempt, await mkdtemp(join(tempDir, 'mlops-decision-')));
    }
    const stored = await loadDecision(inputs);
    const links: ReportLinks = {};
    if (inputs.runUrl) {
      links.runUrl = inputs.runUrl;
      links.artifactsUrl = `${inputs.runUrl}#artifacts`;
    }
    if (inputs.fullReportUrl) links.fullReportUrl = inputs.fullReportUrl;
    const report: ReportInput = {
      pipeline: stored.pipeline,
      selection: stored.selection,
      links,
      ...(stored.runId ? { runId: stored.runId } : {}),
      ...(stored.deployments ? { deployments: stored.deployments } : {}),
    };

    // The job summary holds the full report (its limit is 1 MiB, far above a comment's).
    await core.summary.addRaw(renderMarkdown(report)).write();
    core.setOutput('decision', stored.decision);
    if (inputs.html !== undefined) {
      const { renderHtml } = await import('../../report/html.js');
      await writeFileAtomic(inputs.html, renderHtml(report));
    }

    let commentAction = 'none';
    let commentUrl = '';
    let shortened = false;
    if (!inputs.comment) {
      core.info('comment: false, the report is in the job summary only');
    } else if (inputs.pullRequest === undefined) {
      core.info('not a pull request: the report is in the job summary only');
    } else if (inputs.repository === undefined) {
      throw new ConfigurationError('GITHUB_REPOSITORY is not set: cannot tell which repository the pull request belongs to');
    } else if (inputs.token === '') {
      throw new ConfigurationError('input "github-token" is empty: the report comment needs a token with pull-requests: write');
    } else {
      const [{ createGitHubClient }, { reportMarker, upsertStickyComment }, { hostImages, imagesMarkdown }] = await Promise.all([
        import('../../adapters/github-client.js'),
        import('../../adapters/comments.js'),
        import('../../github/report-images.js'),
      ]);
      const octokit = createGitHubClient({ token: inputs.token, baseUrl: inputs.apiUrl });
      if (inputs.images === 'repository') {
        const pictures = await reportPictures(report, inputs);
        const hosted = await core.group('Pictures for the comment', () =>
          hostImages(octokit, pictures, {
            ...inputs.repository!,
            branch: inputs.imageBranch,
            folder: `pr-${inputs.pullRequest}/run-${process.env['GITHUB_RUN_ID'] ?? 'local'}-${process.env['GITHUB_RUN_ATTEMPT'] ?? '1'}`,
            retentionDays: inputs.imageRetentionDays,
            ...(process.env['GITHUB_SERVER_URL'] ? { serverUrl: process.env['GITHUB_SERVER_URL'] } : {}),
          }),
        );
        if (hosted.hosted) core.info(`${pictures.length} picture(s) on branch ${inputs.imageBranch} (commit ${hosted.commit})${hosted.removedDays.length > 0 ? `; removed ${hosted.removedDays.join(', ')}` : ''}`);
        else core.warning(`the comment shows no pictures: ${hosted.reason}`);
        report.pictures = imagesMarkdown(pictures, hosted);
      }
      const within = renderMarkdownWithin(report);
      shortened = within.shortened;
      if (shortened) core.info('the report is longer than a comment allows: the comment is shortened and links to the job summary');
      const target = { ...inputs.repository, pullNumber: inputs.pullRequest };
      const result = await core.group('Pull request comment', () => upsertStickyComment(octokit, target, reportMarker(stored.pipeline), within.markdown));
      commentAction = result.action;
      if (result.action === 'skipped') {
        core.notice(result.reason);
      } else {
        commentUrl = result.url;
        core.info(`comment ${result.action}: ${result.url}`);
      }
    }
    core.setOutput('comment-action', commentAction);
    core.setOutput('comment-url', commentUrl);
    core.setOutput('shortened', String(shortened));
  });
}
