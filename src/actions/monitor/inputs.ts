import { registerSecret } from '../../util/redact.js';
import * as core from '@actions/core';
import { HISTORY_DIR } from '../../monitor/history-dir.js';
import { ConfigurationError } from '../../util/errors.js';
import { booleanInput, optionalInput, requiredInput } from '../input-parsing.js';

function historyStore(text: string | undefined): Inputs['historyStore'] {
  if (text === undefined) return 'auto';
  if (!(HISTORY_STORES as readonly string[]).includes(text)) throw new ConfigurationError(`input "${INPUT_HISTORY_STORE}" must be one of ${HISTORY_STORES.join(', ')}, got '${text}'`);
  return text as Inputs['historyStore'];
}

function historyLength(text: string | undefined): number {
  if (text === undefined) return 30;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 1000) throw new ConfigurationError(`input "${INPUT_HISTORY_LENGTH}" must be a whole number from 1 to 1000, got '${text}'`);
  return value;
}

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
export const INPUT_LABEL = 'label';
export const INPUT_PREDICTION = 'prediction';
export const INPUT_HISTORY_DIR = 'history-dir';
export const INPUT_HISTORY_LENGTH = 'history-length';
export const INPUT_HISTORY_STORE = 'history-store';
export const HISTORY_STORES = ['auto', 'release', 'none'] as const;

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
  label?: string;
  prediction?: string;
  /** Where the history of each pipeline is kept (NAME/history.jsonl in it). */
  historyDir: string;
  /** How many checks the trend shows. */
  historyLength: number;
  /** Where the history is kept across runs: a release of the repository, or only the workspace file. */
  historyStore: (typeof HISTORY_STORES)[number];
  repository?: { owner: string; repo: string };
  apiUrl: string;
  runUrl?: string;
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const inputs: Inputs = {
    token: core.getInput(INPUT_GITHUB_TOKEN),
    reference: requiredInput(INPUT_REFERENCE),
    current: requiredInput(INPUT_CURRENT),
    pipeline: optionalInput(INPUT_PIPELINE) ?? 'default',
    openIssue: booleanInput(INPUT_OPEN_ISSUE, false),
    issueLabels: (optionalInput(INPUT_ISSUE_LABELS) ?? '').split(',').map((label) => label.trim()).filter((label) => label !== ''),
    dispatchRef: optionalInput(INPUT_DISPATCH_REF) ?? process.env['GITHUB_REF_NAME'] ?? 'main',
    failOnDrift: booleanInput(INPUT_FAIL_ON_DRIFT, false),
    historyDir: optionalInput(INPUT_HISTORY_DIR) ?? HISTORY_DIR,
    historyLength: historyLength(optionalInput(INPUT_HISTORY_LENGTH)),
    historyStore: historyStore(optionalInput(INPUT_HISTORY_STORE)),
    apiUrl: process.env['GITHUB_API_URL'] ?? 'https://api.github.com',
  };
  if (inputs.token !== '') core.setSecret(inputs.token);
  if (inputs.token !== '') registerSecret(inputs.token);
  const label = optionalInput(INPUT_LABEL);
  if (label !== undefined) inputs.label = label;
  const prediction = optionalInput(INPUT_PREDICTION);
  if (prediction !== undefined) inputs.prediction = prediction;
  const config = optionalInput(INPUT_CONFIG);
  if (config !== undefined) inputs.config = config;
  const workflow = optionalInput(INPUT_DISPATCH_WORKFLOW);
  if (workflow !== undefined) inputs.dispatchWorkflow = workflow;
  const [owner, repo] = (process.env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (owner && repo) inputs.repository = { owner, repo };
  const server = process.env['GITHUB_SERVER_URL'] ?? 'https://github.com';
  const runId = process.env['GITHUB_RUN_ID'];
  if (owner && repo && runId) inputs.runUrl = `${server}/${owner}/${repo}/actions/runs/${runId}`;
  return inputs;
}
