import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ExecutionLog, executionFolders, makeExecutionFolders, writeExecutionFiles } from '../../src/exec/execution-folder.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-execution-folder-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the folders are made under a run's missing executions/ folder, and an existing execution folder is accepted", async () => {
  const executionDir = join(dir, 'runs', 'r', 'executions', 'e-0-abcdef');
  const folders = executionFolders(executionDir);
  makeExecutionFolders(executionDir, folders);
  makeExecutionFolders(executionDir, folders);
  for (const folder of Object.values(folders)) expect(existsSync(folder)).toBe(true);
  writeExecutionFiles([
    [join(folders.config, 'parameters.json'), '{}\n'],
    [join(executionDir, 'command.sh'), 'true\n'],
  ]);
  expect(await readFile(join(executionDir, 'command.sh'), 'utf8')).toBe('true\n');
});

test('log lines land in the order they were appended, the final line last, whether written in bursts or one by one', async () => {
  const path = join(dir, 'log.txt');
  const log = new ExecutionLog(path);
  const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}\n`);
  for (const [i, line] of lines.entries()) {
    log.append(line);
    // Every so often the loop lets the writes complete, so both joined and single writes happen.
    if (i % 97 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await log.close('status succeeded\n');
  expect(log.closed).toBe(true);
  expect(log.failure).toBeUndefined();
  expect(await readFile(path, 'utf8')).toBe(`${lines.join('')}status succeeded\n`);
  // Closed: later lines and a second close are ignored, never an error.
  log.append('late\n');
  await log.close('again\n');
  expect(await readFile(path, 'utf8')).toBe(`${lines.join('')}status succeeded\n`);
});

test('a log that cannot be opened is a reported problem, not an exception', async () => {
  const log = new ExecutionLog(join(dir, 'no-such-folder', 'log.txt'));
  log.append('lost\n');
  await log.close('status succeeded\n');
  expect(log.failure).toMatch(/ENOENT/);
});
