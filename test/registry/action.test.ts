/**
 * The registry action run as the runner runs it: a separate node process with INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, talking to the OpenAPI-checked fake GitHub API.
 * The run it registers from is a real `mlops run` of a one-node pipeline.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRegistry } from '../../src/registry/local.js';
import { hashFile } from '../../src/store/content-store.js';
import { FakeGitHub } from '../support/github-api-server.js';

const execFileAsync = promisify(execFile);
const repoRoot = join(import.meta.dirname, '../..');
const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');

let work: string;
let server: FakeGitHub;

const PIPELINE = `- step:
    name: train
    image: node:20-slim
    command:
      - node train.mjs {parameters}
    parameters:
      - name: weight
        type: integer
        default: 1
    outputs:
      - name: model.json
- pipeline:
    name: training
    nodes:
      - name: train
        type: execution
        step: train
    edges: []
- x-mlops:
    selection:
      metric: accuracy
      goal: max
`;

const TRAIN = `import { writeFileSync } from 'node:fs';
const weight = Number(process.argv.find((a) => a.startsWith('--weight='))?.slice(9) ?? 1);
writeFileSync(process.env.VH_OUTPUTS_DIR + '/model.json', JSON.stringify({ weight }));
console.log(JSON.stringify({ accuracy: weight / 10 }));
`;

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

async function action(inputs: Record<string, string>): Promise<{ outputs: Record<string, string>; summary: string }> {
  const outputFile = join(work, `output-${Math.random().toString(16).slice(2)}`);
  const summaryFile = join(work, `summary-${Math.random().toString(16).slice(2)}`);
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_REPOSITORY: 'octo-org/models', GITHUB_API_URL: server.url, GITHUB_ACTOR: 'ci-bot' };
  for (const [name, value] of Object.entries({ 'github-token': 'ghs_test', ...inputs })) env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    await execFileAsync(process.execPath, ['--import', tsx, join(repoRoot, 'src/actions/registry/index.ts')], { cwd: work, env });
  } catch (error) {
    const failure = error as { stdout?: string };
    throw new Error(`action failed: ${failure.stdout ?? ''}`);
  }
  return { outputs: parseOutputs(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'registry-action-'));
  await writeFile(join(work, 'valohai.yaml'), PIPELINE);
  await writeFile(join(work, 'train.mjs'), TRAIN);
  server = new FakeGitHub({ owner: 'octo-org', repo: 'models' });
  await server.start();
});
afterAll(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

describe('actions/registry', () => {
  it('registers a run winner on GitHub, promotes it, and resolves production to verified files', async () => {
    await execFileAsync(process.execPath, ['--import', tsx, join(repoRoot, 'src/cli/index.ts'), 'run', 'valohai.yaml', '--pipeline', 'training', '--param', 'train.weight=7'], { cwd: work });
    const registered = await action({ operation: 'register', model: 'tiny' });
    expect(registered.outputs['version']).toBe('1');
    expect(JSON.parse(registered.outputs['metrics'] ?? '{}')).toEqual({ accuracy: 0.7 });

    const promoted = await action({ operation: 'promote', model: 'tiny', selector: '1', reason: 'first' });
    expect(promoted.outputs).toMatchObject({ version: '1', 'previous-version': '' });

    const resolved = await action({ operation: 'resolve', model: 'tiny', selector: 'production', path: 'resolved' });
    expect(resolved.outputs).toMatchObject({ version: '1', path: join(work, 'resolved') });
    expect(JSON.parse(await readFile(join(work, 'resolved/model.json'), 'utf8'))).toEqual({ weight: 7 });
    const manifest = JSON.parse(resolved.outputs['manifest'] ?? '{}') as { files: { sha256: string }[]; lineage: { node: string } };
    expect(manifest.lineage.node).toBe('train');
    expect((await hashFile(join(work, 'resolved/model.json'))).sha256).toBe(manifest.files[0]?.sha256);
    expect(resolved.summary).toContain('tiny v1');
    // Mirrored into the job's local registry for `mlops run --model tiny@production`.
    const local = new LocalRegistry(join(work, '.mlops'));
    expect((await local.resolve('tiny', { kind: 'alias', alias: 'production' })).version).toBe(1);
    expect(server.violations).toEqual([]);
  }, 120_000);

  it('fails the step with one message for a bad input', async () => {
    const result = execFileAsync(process.execPath, ['--import', tsx, join(repoRoot, 'src/actions/registry/index.ts')], {
      cwd: work,
      env: { PATH: process.env['PATH'] ?? '', INPUT_OPERATION: 'deploy', INPUT_MODEL: 'tiny' },
    });
    await expect(result).rejects.toMatchObject({ stdout: expect.stringContaining('::error::input "operation" must be one of register, promote, rollback, resolve') as string });
  });
});
