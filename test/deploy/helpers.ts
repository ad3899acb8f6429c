import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Endpoint } from '../../src/pipeline/model.js';
import { modelVersionFromFolder, type DeployRequest, type ModelVersion } from '../../src/deploy/model.js';

export const FIXTURE_SERVER = resolve(dirname(fileURLToPath(import.meta.url)), 'fixture-server.mjs');

export function fixtureEndpoint(name = 'echo'): Endpoint {
  return {
    name,
    image: 'node:20-slim',
    serverCommand: [`exec node ${FIXTURE_SERVER}`],
    port: 8000,
    files: [{ name: 'model', path: 'model.json' }],
    extra: {},
    position: { file: 'valohai.yaml', line: 1, col: 1 },
  };
}

export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A model folder holding `model.json` = `content`, as a ModelVersion of `endpoint`. */
export async function modelFolder(root: string, name: string, content: Record<string, unknown>, endpoint = fixtureEndpoint()): Promise<ModelVersion> {
  const folder = join(root, 'models', name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'model.json'), JSON.stringify({ name, ...content }));
  return modelVersionFromFolder(folder, endpoint);
}

export async function getText(url: string, init?: RequestInit): Promise<{ status: number; text: string }> {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
}

/** A Kubernetes-ready request for the digits endpoint, model version `modelVersion`. */
export function sampleRequest(modelVersion = 'abc123def456', strategy: DeployRequest['strategy'] = 'rolling'): DeployRequest {
  return {
    deployment: 'digits',
    endpoint: { ...fixtureEndpoint('predict-digit'), image: 'node:20-slim', serverCommand: ['node examples/digits/serve.mjs'] },
    version: {
      id: modelVersion,
      endpoint: 'predict-digit',
      files: [{ name: 'model', path: 'model.json', sha256: 'a'.repeat(64), size: 10, location: '/nowhere' }],
      source: { kind: 'run', runId: '20261125T100000000Z-abcdef', node: 'deploy', pipeline: 'train-and-deploy' },
      commit: '0123456789abcdef0123456789abcdef01234567',
    },
    target: { kind: 'kubernetes', options: {} },
    strategy,
  };
}
