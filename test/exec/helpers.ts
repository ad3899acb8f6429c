import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Input, Parameter, Step } from '../../src/pipeline/model.js';
import type { ExecutionRequest } from '../../src/exec/types.js';

const position = { file: 'valohai.yaml', line: 1, col: 1 };

export function param(name: string, extra: Partial<Parameter> = {}): Parameter {
  return { name, type: 'string', optional: false, multiple: 'none', multipleSeparator: ',', position, ...extra };
}

export function input(name: string, extra: Partial<Input> = {}): Input {
  return { name, default: [], optional: false, keepDirectories: 'none', download: 'always', position, ...extra };
}

export function step(command: string | string[], extra: Partial<Step> = {}): Step {
  return {
    name: 'train',
    image: 'python:3.12',
    command: Array.isArray(command) ? command : [command],
    parameters: [],
    inputs: [],
    outputs: [],
    environmentVariables: [],
    environmentVariableGroups: [],
    mounts: [],
    extra: {},
    position,
    ...extra,
  };
}

/** A temp workspace: repository, store, download cache; `request()` makes a fresh execution folder each call. */
export async function workspace(): Promise<{
  root: string;
  repositoryDir: string;
  storeDir: string;
  request: (s: Step, extra?: Partial<ExecutionRequest>) => ExecutionRequest;
  cleanup: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'mlops-exec-'));
  const repositoryDir = join(root, 'repo');
  await mkdir(repositoryDir);
  const storeDir = join(root, 'store');
  let counter = 0;
  return {
    root,
    repositoryDir,
    storeDir,
    request: (s, extra = {}) => {
      counter += 1;
      return {
        executionId: `e${counter}`,
        step: s,
        parameters: {},
        inputs: {},
        environment: {},
        repositoryDir,
        executionDir: join(root, 'executions', `e${counter}`),
        storeDir,
        downloadCacheDir: join(root, 'downloads'),
        ...extra,
      };
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
