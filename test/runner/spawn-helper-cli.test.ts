/**
 * `mlops run` when the spawn helper (src/exec/spawn-server.ts) dies under a running step: the execution
 * fails with the helper's end as its reason, the step's process group is killed, the run exits non-zero
 * (later steps starting with Node's spawn: test/exec/spawn-server.test.ts). Real CLI process, real helper.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { makeProject, step, type Project } from './helpers.js';

const cli = resolve('src/cli/index.ts');
const hasPython = spawnSync('python3', ['-c', 'import os; os.posix_spawn'], { stdio: 'ignore' }).status === 0;
let project: Project | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

test.skipIf(!hasPython)('a helper killed under a running step fails the run with one clear reason', async () => {
  project = await makeProject([
    // The step's parent is the helper: it kills it, then leaves a process behind that must not survive.
    step('victim', ['sleep 300 & echo $! > background.pid', 'kill -KILL $PPID', 'sleep 300']),
    {
      pipeline: {
        name: 'p',
        nodes: [
          { name: 'victim', type: 'execution', step: 'victim' },
        ],
        edges: [],
      },
    },
  ]);
  const probe = project.dir; // the steps' working directory
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, 'run', project.file, '--pipeline', 'p'], {
    encoding: 'utf8',
    env: { ...process.env, MLOPS_SPAWNER: 'auto' },
  });
  expect(run.status).not.toBe(0);
  expect(`${run.stdout}\n${run.stderr}`).toMatch(
    /could not start the command: the spawn helper \(python3, pid \d+\) ended: killed by SIGKILL; the step's process group \d+ was killed/,
  );
  const background = Number(readFileSync(join(probe, 'background.pid'), 'utf8'));
  expect(running(background)).toBe(false);
});

/** Running means not gone and not a zombie waiting for its new parent. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
