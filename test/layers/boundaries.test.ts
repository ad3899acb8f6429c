// The one-way layers (util → pipeline → store → plan → exec → compare/monitor → report/registry/deploy →
// github → ui → actions/cli) are checked by dependency-cruiser in `npm run lint`. These tests run that same
// check: once on the real tree, and once on a small tree with a deliberate upward import, which must fail.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const depcruise = join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(repo, '.dependency-cruiser.cjs');
const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

/** Colour codes off (CI=true turns them on), so the messages compare as plain text. */
const plain = (text: string): string => text.replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '');

async function cruise(cwd: string): Promise<{ code: number; output: string }> {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  try {
    const { stdout, stderr } = await run(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'err'], { cwd, env });
    return { code: 0, output: plain(stdout + stderr) };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: plain(`${failed.stdout ?? ''}${failed.stderr ?? ''}`) };
  }
}

describe('layer boundaries', () => {
  it('the source tree imports only downward', async () => {
    const result = await cruise(repo);
    expect(result.output).toContain('no dependency violations');
    expect(result.code).toBe(0);
  });

  it('an upward import (util → exec) and a sideways one (actions → cli) fail the check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-layers-'));
    scratch.push(dir);
    await mkdir(join(dir, 'src/util'), { recursive: true });
    await mkdir(join(dir, 'src/exec'), { recursive: true });
    await mkdir(join(dir, 'src/actions/x'), { recursive: true });
    await mkdir(join(dir, 'src/cli'), { recursive: true });
    await copyFile(join(repo, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    await writeFile(join(dir, 'src/exec/runner.ts'), 'export const runner = 1;\n');
    await writeFile(join(dir, 'src/util/helper.ts'), "import { runner } from '../exec/runner.js';\nexport const helper = runner;\n");
    await writeFile(join(dir, 'src/cli/main.ts'), 'export const main = 1;\n');
    await writeFile(join(dir, 'src/actions/x/main.ts'), "import { main } from '../../cli/main.js';\nexport const action = main;\n");
    const result = await cruise(dir);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/layer-util: src\/util\/helper\.ts → src\/exec\/runner\.ts/);
    expect(result.output).toMatch(/layer-actions: src\/actions\/x\/main\.ts → src\/cli\/main\.ts/);
  });
});
