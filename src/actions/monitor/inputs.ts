import * as core from '@actions/core';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_GITHUB_TOKEN = 'github-token';
export const INPUT_REFERENCE = 'reference';
export const INPUT_CURRENT = 'current';
export const INPUT_CONFIG = 'config';
export const INPUT_PIPELINE = 'pipeline';
export const INPUT_OPEN_ISSUE = 'open-issue';
export const INPUT_ISSUE_LABELS = 'issue-labels';
export const INPUT_DISPATCH_WORKFLOW = 'dispatch-workflow';
export const INPUT_DISPATCH_REF = 'dispatch-ref';
export const INPUT_FAIL_ON_DRIFT = 'fail-on-drift';

export interface Inputs {
  token: string;
  reference: string;
  current: string;
  config?: string;
  pipeline: string;
  openIssue: boolean;
  issueLabels: string[];
  /** Workflow file name or id to dispatch on drift; undefined: none. */
  dispatchWorkflow?: string;
  dispatchRef: string;
  failOnDrift: boolean;
  repository?: { owner: string; repo: string };
  apiUrl: string;
  runUrl?: string;
}

function optional(name: string): string | undefined {
  const value = core.getInput(name).trim();
  return value === '' ? undefined : value;
}

function required(name: string): string {
  const value = optional(name);
  if (value === undefined) throw new ConfigurationError(`input "${name}" is required`);
  return value;
}

function boolean(name: string, fallback: boolean): boolean {
  const text = (optional(name) ?? String(fallback)).toLowerCase();
  if (text !== 'true' && text !== 'false') throw new ConfigurationError(`input "${name}" must be true or false, got "${text}"`);
  return text === 'true';
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const inputs: Inputs = {
    token: core.getInput(INPUT_GITHUB_TOKEN),
    reference: required(INPUT_REFERENCE),
    current: required(INPUT_CURRENT),
    pipeline: optional(INPUT_PIPELINE) ?? 'default',
    openIssue: boolean(INPUT_OPEN_ISSUE, false),
    issueLabels: (optional(INPUT_ISSUE_LABELS) ?? '').split(',').map((label) => label.trim()).filter((label) => label !== ''),
    dispatchRef: optional(INPUT_DISPATCH_REF) ?? process.env['GITHUB_REF_NAME'] ?? 'main',
    failOnDrift: boolean(INPUT_FAIL_ON_DRIFT, false),
    apiUrl: process.env['GITHUB_API_URL'] ?? 'https://api.github.com',
  };
  if (inputs.token !== '') core.setSecret(inputs.token);
  const config = optional(INPUT_CONFIG);
  if (config !== undefined) inputs.config = config;
  const workflow = optional(INPUT_DISPATCH_WORKFLOW);
  if (workflow !== undefined) inputs.dispatchWorkflow = workflow;
  const [owner, repo] = (process.env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (owner && repo) inputs.repository = { owner, repo };
  const server = process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const runId = process.env['GITHUB_RUN_ID'];
  if (owner && repo && runId) inputs.runUrl = `${server}/${owner}/${repo}/actions/runs/${runId}`;
  return inputs;
}
