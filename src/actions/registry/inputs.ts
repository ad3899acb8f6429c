import * as core from '@actions/core';
import { checkAliasName, checkModelName, parseSelector, type Selector } from '../../registry/model.js';
import { oneOfInput, optionalInput } from '../input-parsing.js';
import { ConfigurationError } from '../../util/errors.js';

export const INPUT_OPERATION = 'operation';
export const INPUT_BACKEND = 'backend';
export const INPUT_MODEL = 'model';
export const INPUT_SELECTOR = 'selector';
export const INPUT_ALIAS = 'alias';
export const INPUT_REASON = 'reason';
export const INPUT_RUN = 'run';
export const INPUT_NODE = 'node';
export const INPUT_FILES = 'files';
export const INPUT_MODEL_INPUT = 'model-input';
export const INPUT_TAGS = 'tags';
export const INPUT_PATH = 'path';
export const INPUT_PROJECT_DIR = 'project-dir';
export const INPUT_REPOSITORY = 'repository';
export const INPUT_GITHUB_TOKEN = 'github-token';
export const INPUT_API_URL = 'api-url';

export const OPERATIONS = ['register', 'promote', 'rollback', 'resolve'] as const;
export type Operation = (typeof OPERATIONS)[number];
export const BACKENDS = ['github', 'local'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface Inputs {
  operation: Operation;
  backend: Backend;
  model: string;
  selector: Selector;
  alias: string;
  reason?: string;
  run: string;
  node?: string;
  files?: string[];
  modelInput?: string;
  tags: Record<string, string>;
  path: string;
  projectDir: string;
  repository?: { owner: string; repo: string };
  token: string;
  apiUrl?: string;
}

/** Reads and checks every input once; deeper code receives `Inputs`. */
export function getInputs(): Inputs {
  const operation = oneOfInput(INPUT_OPERATION, OPERATIONS, 'resolve');
  const backend = oneOfInput(INPUT_BACKEND, BACKENDS, 'github');
  const model = optionalInput(INPUT_MODEL);
  if (model === undefined) throw new ConfigurationError(`input "${INPUT_MODEL}" (the model name) is required`);
  const selectorText = optionalInput(INPUT_SELECTOR);
  if (operation === 'promote' && selectorText === undefined) throw new ConfigurationError(`promote needs the input "${INPUT_SELECTOR}" (a version number, latest, best:METRIC or an alias)`);
  const tags: Record<string, string> = {};
  for (const line of core.getInput(INPUT_TAGS).split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`input "${INPUT_TAGS}": expected KEY=VALUE lines, got "${line}"`);
    tags[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const inputs: Inputs = {
    operation,
    backend,
    model: checkModelName(model),
    selector: parseSelector(selectorText ?? 'production'),
    alias: checkAliasName(optionalInput(INPUT_ALIAS) ?? 'production'),
    run: optionalInput(INPUT_RUN) ?? 'latest',
    tags,
    path: optionalInput(INPUT_PATH) ?? 'model',
    projectDir: optionalInput(INPUT_PROJECT_DIR) ?? '.mlops',
    token: core.getInput(INPUT_GITHUB_TOKEN).trim(),
  };
  const reason = optionalInput(INPUT_REASON);
  if (reason !== undefined) inputs.reason = reason;
  const node = optionalInput(INPUT_NODE);
  if (node !== undefined) inputs.node = node;
  const files = optionalInput(INPUT_FILES);
  if (files !== undefined) inputs.files = files.split(/[,\n]/).map((f) => f.trim()).filter((f) => f !== '');
  const modelInput = optionalInput(INPUT_MODEL_INPUT);
  if (modelInput !== undefined) inputs.modelInput = modelInput;
  const apiUrl = optionalInput(INPUT_API_URL) ?? process.env['GITHUB_API_URL'];
  if (apiUrl) inputs.apiUrl = apiUrl;
  if (backend === 'github') {
    const repository = optionalInput(INPUT_REPOSITORY) ?? process.env['GITHUB_REPOSITORY'];
    const match = repository ? /^([^/\s]+)\/([^/\s]+)$/.exec(repository) : null;
    if (!match?.[1] || !match[2]) throw new ConfigurationError(`input "${INPUT_REPOSITORY}" must be OWNER/NAME (default: the workflow's repository), got "${repository ?? ''}"`);
    inputs.repository = { owner: match[1], repo: match[2] };
    if (inputs.token === '') throw new ConfigurationError(`input "${INPUT_GITHUB_TOKEN}" is required with the github backend`);
  }
  return inputs;
}
