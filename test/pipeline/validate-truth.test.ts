// `mlops validate` on hostile files: FIFOs and devices, CR-only line endings, quoted placeholders.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { quotedPlaceholders } from '../../src/pipeline/quoted-placeholders.js';
import { readFileBounded } from '../../src/util/bounded-read.js';

const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
const cli = resolve('src/cli/index.ts');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-validate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('bounded reads', () => {
  test('validate on a FIFO nobody writes to returns with a message instead of hanging', async () => {
    const fifo = join(dir, 'valohai.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The timeout only keeps a regression from hanging the suite; the assertion is on the exit and message.
    const result = spawnSync(process.execPath, ['--import', tsx, cli, 'validate', fifo], { encoding: 'utf8', timeout: 60_000 });
    expect(result.signal).toBeNull();
    expect(result.status).toBe(1);
    expect(result.stderr + result.stdout).toContain('is a FIFO (named pipe), not a regular file');
  }, 90_000);

  test('/dev/zero is refused as a device, never read', async () => {
    const result = await loadPipelineFile('/dev/zero');
    expect(result.diagnostics[0]?.message).toContain('is a character device, not a regular file');
  });

  test('the bound holds on bytes read, whatever the size', async () => {
    const file = join(dir, 'big.yaml');
    await writeFile(file, 'x'.repeat(2000));
    await expect(readFileBounded(file, 1000)).rejects.toThrow(/larger than 1000 bytes/);
    expect((await readFileBounded(file, 2000)).length).toBe(2000);
  });
});

test('CR-only line endings read as lines', async () => {
  const file = join(dir, 'valohai.yaml');
  await writeFile(file, ['- step:', '    name: s', '    image: busybox', '    command: echo hi', ''].join('\r'));
  const result = await loadPipelineFile(file);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.config?.steps.get('s')?.command).toEqual(['echo hi']);
});

describe('quoted placeholders', () => {
  test.each([
    ['echo "{parameter-value:msg}"', ['{parameter-value:msg}']],
    ["echo '{parameter-value:msg}'", ['{parameter-value:msg}']],
    ['echo "x" {parameter-value:msg} "y"', []],
    ['python train.py {parameters}', []],
    ['echo "all: {parameters}"', ['{parameters}']],
    ['echo \\"{parameter:msg}\\"', []],
    ["echo \"it's {parameter:msg}\"", ['{parameter:msg}']],
  ])('%s', (line, expected) => {
    expect(quotedPlaceholders(line)).toEqual(expected);
  });

  test('validate warns with the fix', async () => {
    const file = join(dir, 'valohai.yaml');
    await writeFile(
      file,
      ['- step:', '    name: s', '    image: busybox', '    command: echo "{parameter-value:msg}"', '    parameters:', '      - name: msg', '        type: string', ''].join('\n'),
    );
    const warning = (await loadPipelineFile(file)).diagnostics.find((d) => d.code === 'quoted-placeholder');
    expect(warning?.severity).toBe('warning');
    expect(warning?.position.line).toBe(4);
    expect(warning?.hint).toContain('leave the placeholder unquoted');
  });

  test('numbers inside quotes are no risk: no warning', async () => {
    const file = join(dir, 'valohai.yaml');
    await writeFile(
      file,
      ['- step:', '    name: s', '    image: busybox', '    command: echo "{parameter:n}"', '    parameters:', '      - name: n', '        type: integer', ''].join('\n'),
    );
    expect((await loadPipelineFile(file)).diagnostics.filter((d) => d.code === 'quoted-placeholder')).toEqual([]);
  });
});
