import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { makeProject, step, type Project } from './helpers.js';
import { listRuns, loadRun, type RunRecord } from '../../src/store/runs.js';

const cli = resolve('src/cli/index.ts');
let project: Project | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** The CLI as a user runs it; cwd stays this repository so that `--import tsx` resolves. */
function mlops(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<{ code: number | null; output: string }>((res) => child.on('close', (code) => res({ code, output })));
  return { child, done };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

test('a run killed with SIGKILL resumes without losing or re-running finished executions', async () => {
  project = await makeProject([
    step('first', ['echo first >> counter.txt', 'echo data > "$VH_OUTPUTS_DIR/data.txt"']),
    step('second', ['echo second >> counter.txt', 'echo $$ > second.pid', 'if [ ! -f fast ]; then sleep 60; fi', 'cat "$VH_INPUTS_DIR"/in/data.txt > "$VH_OUTPUTS_DIR/copy.txt"'], {
      inputs: [{ name: 'in' }],
    }),
    { pipeline: { name: 'p', nodes: [{ name: 'first', type: 'execution', step: 'first' }, { name: 'second', type: 'execution', step: 'second' }], edges: [['first.output.*', 'second.input.in']] } },
  ]);
  const p = project;
  const { child, done } = mlops(['run', p.file, '--pipeline', 'p']);
  const killedRun = await waitFor(async (): Promise<RunRecord | undefined> => {
    const run = (await listRuns(p.projectDir))[0];
    return run?.nodes['first']?.state === 'succeeded' && existsSync(join(p.dir, 'second.pid')) ? run : undefined;
  }, 'the first node to finish').catch(async (error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}: ${(await done).output}`);
  });
  child.kill('SIGKILL');
  await done;
  // The orphaned step of the killed runner: end its process group.
  const pid = Number((await readFile(join(p.dir, 'second.pid'), 'utf8')).trim());
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
  const firstExecution = killedRun.nodes['first']?.executions[0];
  expect(firstExecution?.status).toBe('succeeded');

  await writeFile(join(p.dir, 'fast'), '');
  const resumed = mlops(['run', p.file, '--resume', killedRun.id]);
  const { code, output } = await resumed.done;
  expect(output).toContain('succeeded');
  expect(code).toBe(0);

  const run = await loadRun(p.projectDir, killedRun.id);
  expect(run.status).toBe('succeeded');
  expect(run.nodes['first']?.executions).toEqual([firstExecution]);
  expect(run.nodes['second']?.state).toBe('succeeded');
  expect((await readFile(join(p.dir, 'counter.txt'), 'utf8')).trim().split('\n')).toEqual(['first', 'second', 'second']);
  const executionDirs = await readdir(join(p.projectDir, 'runs', run.id, 'executions'));
  expect(executionDirs.filter((d) => d.startsWith('first-'))).toEqual([firstExecution?.executionId]);
  expect((await listRuns(p.projectDir)).length).toBe(1);
});

test('Ctrl-C stops every execution with its whole process group and marks the run cancelled', async () => {
  project = await makeProject([
    // The step leaves a grandchild behind (a background sleep) so that killing only the shell would not do.
    step('slow', ['sleep 60 & echo $! > grandchild.pid', 'echo $$ > shell.pid', 'wait']),
    { pipeline: { name: 'p', nodes: [{ name: 'a', type: 'execution', step: 'slow' }, { name: 'b', type: 'execution', step: 'slow' }], edges: [['a.output.*', 'b.input.x']] } },
  ]);
  const p = project;
  const { child, done } = mlops(['run', p.file, '--pipeline', 'p']);
  await waitFor(async () => (existsSync(join(p.dir, 'grandchild.pid')) && existsSync(join(p.dir, 'shell.pid')) ? true : undefined), 'the step to start').catch(
    async (error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${String(error)}: ${(await done).output}`);
    },
  );
  child.kill('SIGINT');
  const { code } = await done;
  expect(code).toBe(1);
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const file of ['grandchild.pid', 'shell.pid']) {
    const pid = Number((await readFile(join(p.dir, file), 'utf8')).trim());
    await waitFor(async () => (alive(pid) ? undefined : true), `${file} to exit`);
  }
  const run = (await listRuns(p.projectDir))[0];
  expect(run?.status).toBe('cancelled');
  expect(run?.nodes['a']?.state).toBe('cancelled');
  expect(run?.nodes['b']?.state).not.toBe('running');
});

test('a second Ctrl-C quits at once and still kills a step that ignores SIGTERM', async () => {
  project = await makeProject([
    // Ignores the polite SIGTERM of the first Ctrl-C: only the forced quit's SIGKILL ends it.
    step('stubborn', ["trap '' TERM", 'echo $$ > shell.pid', 'while :; do sleep 0.1; done']),
    { pipeline: { name: 'p', nodes: [{ name: 'a', type: 'execution', step: 'stubborn' }], edges: [] } },
  ]);
  const p = project;
  const { child, done } = mlops(['run', p.file, '--pipeline', 'p']);
  const pid = await waitFor(async () => {
    const text = (await readFile(join(p.dir, 'shell.pid'), 'utf8')).trim();
    return text === '' ? undefined : Number(text);
  }, 'the step to start').catch(async (error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}: ${(await done).output}`);
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.kill('SIGINT');
  // Signals do not queue: the second is sent once the first has been handled.
  await waitFor(async () => (stderr.includes('again to quit at once') ? true : undefined), 'the first Ctrl-C to be handled');
  child.kill('SIGINT');
  const { code } = await done;
  expect(code).toBe(130);
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // Without the forced quit's SIGKILL the shell would outlive the runner (it ignores SIGTERM).
  await waitFor(async () => (alive() ? undefined : true), 'the stubborn step to be killed');
});
