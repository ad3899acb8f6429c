import { registerSecret } from '../../util/redact.js';
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { inputLines, optionalInput } from '../input-parsing.js';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_GITHUB_TOKEN = 'github-token';
export const INPUT_DECISION_FILE = 'decision-file';
export const INPUT_RUN = 'run';
export const INPUT_PROJECT_DIR = 'project-dir';
export const INPUT_PULL_REQUEST = 'pull-request';
export const INPUT_COMMENT = 'comment';
export const INPUT_HTML = 'html';
export const INPUT_FULL_REPORT_URL = 'full-report-url';
export const INPUT_PIPELINE = 'pipeline';
export const INPUT_IMAGES = 'images';
export const INPUT_IMAGE_FILES = 'image-files';
export const INPUT_OUTPUT_IMAGES = 'output-images';
export const INPUT_IMAGE_BRANCH = 'image-branch';
export const INPUT_IMAGE_RETENTION_DAYS = 'image-retention-days';

export interface Inputs {
  token: string;
  /** A decision written by the compare action (`decision-file` output), or found from `run`. */
  decisionFile?: string;
  run?: string;
  /** Pipeline whose decision artifact (uploaded by the compare job of this workflow run) is reported. */
  pipeline?: string;
  projectDir: string;
  /** The pull request to comment on; undefined outside pull requests. */
  pullRequest?: number;
  comment: boolean;
  html?: string;
  fullReportUrl?: string;
  /** `owner/repo` from GITHUB_REPOSITORY. */
  repository?: { owner: string; repo: string };
  apiUrl: string;
  runUrl?: string;
  /** `none`: no pictures in the comment; `repository`: the report's chart and `imageFiles`, hosted on `imageBranch`. */
  images: 'repository' | 'none';
  /** PNG/SVG files (paths or globs) shown in the comment beside the report's own chart. */
  imageFiles: string[];
  /** Show the compared executions' PNG/SVG outputs (src/report/output-images.ts) with the report's chart. */
  outputImages: boolean;
  imageBranch: string;
  imageRetentionDays: number;
}

/** The pull request number of the triggering event, when it is about one. */
function pullRequestFromEvent(): number | undefined {
  const path = process.env['GITHUB_EVENT_PATH'];
  if (!path) return undefined;
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as { pull_request?: { number?: unknown }; number?: unknown };
    const number = event.pull_request?.number;
    return typeof number === 'number' ? number : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const decisionFile = optionalInput(INPUT_DECISION_FILE);
  const run = optionalInput(INPUT_RUN);
  const pipeline = optionalInput(INPUT_PIPELINE);
  if (decisionFile !== undefined && run !== undefined) {
    throw new ConfigurationError(`give only one of the inputs "${INPUT_DECISION_FILE}" (the compare action's output) and "${INPUT_RUN}" (a run id)`);
  }
  // Neither: the decision the compare job of this workflow run uploaded, found by pipeline name.
  if (decisionFile === undefined && run === undefined && pipeline === undefined) {
    throw new ConfigurationError(
      `give one of the inputs "${INPUT_DECISION_FILE}" (the compare action's output), "${INPUT_RUN}" (a run id) or "${INPUT_PIPELINE}" (to read the decision the compare job of this workflow run uploaded)`,
    );
  }
  const pullText = optionalInput(INPUT_PULL_REQUEST);
  let pullRequest = pullRequestFromEvent();
  if (pullText !== undefined) {
    const number = Number(pullText);
    if (!Number.isSafeInteger(number) || number < 1) throw new ConfigurationError(`input "${INPUT_PULL_REQUEST}" must be a pull request number, got "${pullText}"`);
    pullRequest = number;
  }
  const commentText = (optionalInput(INPUT_COMMENT) ?? 'true').toLowerCase();
  if (commentText !== 'true' && commentText !== 'false') throw new ConfigurationError(`input "${INPUT_COMMENT}" must be true or false, got "${commentText}"`);
  const images = optionalInput(INPUT_IMAGES) ?? 'repository';
  if (images !== 'repository' && images !== 'none') throw new ConfigurationError(`input "${INPUT_IMAGES}" must be repository or none, got "${images}"`);
  const retentionText = optionalInput(INPUT_IMAGE_RETENTION_DAYS) ?? '30';
  const retention = Number(retentionText);
  if (!Number.isSafeInteger(retention) || retention < 1) throw new ConfigurationError(`input "${INPUT_IMAGE_RETENTION_DAYS}" must be a whole number of days (1 or more), got "${retentionText}"`);
  const imageFiles = inputLines(INPUT_IMAGE_FILES);
  for (const file of imageFiles) {
    if (!/\.(png|svg)$/i.test(file)) throw new ConfigurationError(`input "${INPUT_IMAGE_FILES}": ${file} is not a .png or .svg file (pattern)`);
  }
  const outputImagesText = (optionalInput(INPUT_OUTPUT_IMAGES) ?? 'true').toLowerCase();
  if (outputImagesText !== 'true' && outputImagesText !== 'false') throw new ConfigurationError(`input "${INPUT_OUTPUT_IMAGES}" must be true or false, got "${outputImagesText}"`);
  const inputs: Inputs = {
    images,
    imageFiles,
    outputImages: outputImagesText === 'true',
    imageBranch: optionalInput(INPUT_IMAGE_BRANCH) ?? 'mlops-report-assets',
    imageRetentionDays: retention,
    token: core.getInput(INPUT_GITHUB_TOKEN),
    projectDir: optionalInput(INPUT_PROJECT_DIR) ?? '.mlops',
    comment: commentText === 'true',
    apiUrl: process.env['GITHUB_API_URL'] ?? 'https://api.github.com',
  };
  if (inputs.token !== '') core.setSecret(inputs.token);
  if (inputs.token !== '') registerSecret(inputs.token);
  if (decisionFile !== undefined) inputs.decisionFile = decisionFile;
  if (run !== undefined) inputs.run = run;
  if (decisionFile === undefined && run === undefined && pipeline !== undefined) inputs.pipeline = pipeline;
  if (pullRequest !== undefined) inputs.pullRequest = pullRequest;
  const html = optionalInput(INPUT_HTML);
  if (html !== undefined) inputs.html = html;
  const [owner, repo] = (process.env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (owner && repo) inputs.repository = { owner, repo };
  const server = process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const runId = process.env['GITHUB_RUN_ID'];
  if (owner && repo && runId) inputs.runUrl = `${server}/${owner}/${repo}/actions/runs/${runId}`;
  const fullReportUrl = optionalInput(INPUT_FULL_REPORT_URL) ?? inputs.runUrl;
  if (fullReportUrl !== undefined) inputs.fullReportUrl = fullReportUrl;
  return inputs;
}
