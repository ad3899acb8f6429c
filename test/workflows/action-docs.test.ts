import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = join(import.meta.dirname, '../..');
const script = join(repo, 'scripts/check-action-docs.mjs');

async function check(root: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, '--root', root, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ACTION = `name: demo
description: demo
inputs:
  token:
    description: "A token | with a pipe"
    required: true
  mode:
    description: How to run.
    default: 'fast'
outputs:
  result:
    description: The result.
runs:
  using: node24
  main: ../../dist/demo/index.js
`;
const README = '# demo\n\n<!-- inputs:start -->\nstale\n<!-- inputs:end -->\n\n<!-- outputs:start -->\n<!-- outputs:end -->\n';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  root = undefined;
});

async function makeRoot(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(join(tmpdir(), 'mlops-action-docs-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('scripts/check-action-docs.mjs', () => {
  it('reports drift, rewrites the tables with --write, then passes', async () => {
    const dir = await makeRoot({ 'actions/demo/action.yml': ACTION, 'actions/demo/README.md': README });
    const before = await check(dir);
    expect(before.code).toBe(1);
    expect(before.stderr).toContain('actions/demo/README.md: inputs/outputs tables differ from actions/demo/action.yml');
    expect((await check(dir, '--write')).code).toBe(0);
    const readme = await readFile(join(dir, 'actions/demo/README.md'), 'utf8');
    expect(readme).toContain('| `token` | A token \\| with a pipe | yes |  |');
    expect(readme).toContain('| `mode` | How to run. | no | `fast` |');
    expect(readme).toContain('| `result` | The result. |');
    expect(readme).toContain('# demo\n');
    expect(await check(dir)).toMatchObject({ code: 0 });
  });

  it.each([
    ['a runtime other than node24', ACTION.replace('node24', 'node20'), /runs.using must be node24/],
    ['a bundle outside dist/<name>/index.js', ACTION.replace('dist/demo/', 'lib/'), /runs.main must point to dist\/demo\/index.js/],
  ])('rejects %s', async (_label, action, message) => {
    const dir = await makeRoot({ 'actions/demo/action.yml': action, 'actions/demo/README.md': README });
    await check(dir, '--write');
    const result = await check(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it('requires a README with markers for every action, and checks the root action when the README has markers', async () => {
    const dir = await makeRoot({
      'actions/demo/action.yml': ACTION,
      'action.yml': ACTION.replace('../../dist/demo/', 'dist/run/'),
      'README.md': '# project\n',
    });
    const missing = await check(dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('actions/demo/action.yml: missing actions/demo/README.md');
    await writeFile(join(dir, 'actions/demo/README.md'), README);
    await writeFile(join(dir, 'README.md'), README);
    expect((await check(dir)).code).toBe(1);
    expect((await check(dir, '--write')).code).toBe(0);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain('| `token` |');
  });

  it('finds the committed plan action and root action.yml consistent', async () => {
    const dir = await makeRoot({ 'README.md': '# project\n' });
    await cp(join(repo, 'actions/plan'), join(dir, 'actions/plan'), { recursive: true });
    await cp(join(repo, 'action.yml'), join(dir, 'action.yml'));
    expect(await check(dir)).toMatchObject({ code: 0 });
  });
});
