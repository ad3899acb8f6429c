import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, test } from 'vitest';
import { makeProject, runIn, step, type Project } from './helpers.js';

let project: Project | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

function independent(count: number, stepName: string): unknown {
  return {
    pipeline: {
      name: 'p',
      nodes: Array.from({ length: count }, (_, i) => ({ name: `n${i}`, type: 'execution', step: stepName })),
      edges: [],
    },
  };
}

test('executions prepared ahead never run more than `jobs` commands at once, and both slots get used', async () => {
  // Each command appends `+` when it starts and `-` when it ends (short appends are atomic).
  project = await makeProject([step('mark', ['echo + >> trace.txt', 'sleep 0.3', 'echo - >> trace.txt']), independent(6, 'mark')]);
  const { run } = await runIn(project, 'p', { jobs: 2, reuse: false });
  expect(run.status).toBe('succeeded');
  const marks = (await readFile(join(project.dir, 'trace.txt'), 'utf8')).trim().split('\n');
  expect(marks.filter((m) => m === '+')).toHaveLength(6);
  let running = 0;
  let most = 0;
  for (const mark of marks) {
    running += mark === '+' ? 1 : -1;
    most = Math.max(most, running);
  }
  expect(most).toBe(2);
  // The run record is complete on disk at the end, and no journal is left behind.
  const runFolder = join(project.projectDir, 'runs', run.id);
  expect(JSON.parse(await readFile(join(runFolder, 'run.json'), 'utf8'))).toEqual(run);
  expect(existsSync(join(runFolder, 'journal.ndjson'))).toBe(false);
});

test('cancelling a run tells executions waiting for a slot not to start', async () => {
  project = await makeProject([step('hold', ['touch "started-$VH_PIPELINE_NODE_ID"', 'sleep 30']), independent(3, 'hold')]);
  const p = project;
  const controller = new AbortController();
  const started = async (): Promise<string[]> => (await readdir(p.dir)).filter((f) => f.startsWith('started-'));
  const running = runIn(p, 'p', { jobs: 1, reuse: false, signal: controller.signal });
  for (let i = 0; i < 600 && (await started()).length === 0; i++) await sleep(50);
  // One execution runs; with jobs 1 another is prepared and waits for the slot, the third is queued.
  controller.abort();
  const { run } = await running;
  expect(run.status).toBe('cancelled');
  expect(await started()).toHaveLength(1);
  const states = Object.values(run.nodes).map((n) => n.state);
  expect(states).toEqual(['cancelled', 'cancelled', 'cancelled']);
  const executions = Object.values(run.nodes).flatMap((n) => n.executions);
  expect(executions.every((e) => e.status === 'cancelled')).toBe(true);
});
