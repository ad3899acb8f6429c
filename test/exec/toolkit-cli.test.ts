import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import type { Step } from '../../src/pipeline/model.js';
import { toolkitCliArgv } from '../../src/exec/toolkit-cli.js';
import { VERSION } from '../../src/version.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

function step(command: string[]): Step {
  return {
    name: 'uses-mlops',
    image: 'node:20',
    command,
    parameters: [],
    inputs: [],
    outputs: [],
    environmentVariables: [],
    environmentVariableGroups: [],
    mounts: [],
    extra: {},
    position: { file: 'valohai.yaml', line: 1, col: 1 },
  };
}

test('the CLI entry is found beside the code: the source tree under tsx, or a bundle beside dist/cli', () => {
  const argv = toolkitCliArgv();
  expect(argv?.[0]).toBe(process.execPath);
  expect(argv?.at(-1)).toMatch(/src\/cli\/index\.ts$/);
  const bundleArgv = toolkitCliArgv(new URL('../../dist/run-node/index.js', import.meta.url).href);
  expect(bundleArgv).toEqual([process.execPath, new URL('../../dist/cli/index.js', import.meta.url).pathname]);
  const result = spawnSync(argv?.[0] ?? '', [...(argv ?? []).slice(1), '--version'], { encoding: 'utf8', cwd: tmpdir() });
  expect(result.stdout.trim()).toBe(VERSION);
});

test('a step can call `mlops` without installing it, from any repository folder', async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-shim-'));
  const result = await runExecution({
    executionId: 'shim-1',
    step: step(['mlops --version > "$VH_OUTPUTS_DIR/version.txt"']),
    parameters: {},
    inputs: {},
    environment: {},
    repositoryDir: dir,
    executionDir: join(dir, 'exec'),
    storeDir: join(dir, 'store'),
    downloadCacheDir: join(dir, 'cache'),
  });
  expect(result.status).toBe('succeeded');
  expect((await readFile(join(dir, 'exec', 'outputs', 'version.txt'), 'utf8')).trim()).toBe(VERSION);
});
