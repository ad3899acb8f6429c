import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { listRuns, loadRun, replayJournal, runDir, RunWriter, type ExecutionRecord, type RunRecord } from '../../src/store/runs.js';

let projectDir = '';
beforeEach(async () => {
  projectDir = join(await mkdtemp(join(tmpdir(), 'mlops-runs-')), '.mlops');
});
afterEach(async () => {
  await rm(join(projectDir, '..'), { recursive: true, force: true });
});

function newRun(nodes: string[]): RunRecord {
  return {
    id: '20261125T100000000Z-abcdef',
    pipeline: 'p',
    file: '/x/valohai.yaml',
    status: 'running',
    createdAt: '2026-11-25T10:00:00.000Z',
    parameters: {},
    nodes: Object.fromEntries(nodes.map((n) => [n, { state: 'pending' as const, type: 'execution' as const, executions: [] }])),
  };
}

function execution(id: string): ExecutionRecord {
  return { executionId: id, status: 'running', parameters: {}, latestMetadata: {}, outputs: [], startedAt: '2026-11-25T10:00:01.000Z', reuseKey: 'k', logPath: `/logs/${id}` };
}

async function snapshotOnDisk(run: RunRecord): Promise<RunRecord> {
  return JSON.parse(await readFile(join(runDir(projectDir, run.id), 'run.json'), 'utf8')) as RunRecord;
}

function journalPath(run: RunRecord): string {
  return join(runDir(projectDir, run.id), 'journal.ndjson');
}

test('a saved change is journalled: loadRun and listRuns see it before run.json does, close() folds it in', async () => {
  const run = newRun(['a', 'b']);
  // A long interval, so that only the journal holds the changes below.
  const writer = new RunWriter(projectDir, run, { snapshotIntervalMs: 60_000 });
  await writer.save();
  const a = run.nodes['a'];
  if (!a) throw new Error('no node a');
  a.state = 'running';
  const first = execution('a-0');
  a.executions.push(first);
  await writer.saveNode('a', first);
  first.status = 'succeeded';
  first.finishedAt = '2026-11-25T10:00:02.000Z';
  await writer.saveNode('a', first);
  a.state = 'succeeded';
  await writer.saveNode('a');

  expect((await snapshotOnDisk(run)).nodes['a']?.state).toBe('pending');
  const loaded = await loadRun(projectDir, run.id);
  expect(loaded).toEqual(run);
  expect((await listRuns(projectDir))[0]).toEqual(run);
  // One line per change, each the size of what changed, not of the whole record.
  const lines = (await readFile(journalPath(run), 'utf8')).trim().split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(4);
  for (const line of lines) expect(line).not.toContain('"b"');

  run.status = 'succeeded';
  await writer.close();
  expect(existsSync(journalPath(run))).toBe(false);
  expect(await snapshotOnDisk(run)).toEqual(run);
  expect(await loadRun(projectDir, run.id)).toEqual(run);
});

test('run.json catches up with the journal within the snapshot interval, without a further save', async () => {
  const run = newRun(['a']);
  const writer = new RunWriter(projectDir, run, { snapshotIntervalMs: 20 });
  await writer.save();
  const a = run.nodes['a'];
  if (!a) throw new Error('no node a');
  a.state = 'running';
  await writer.saveNode('a');
  let snapshot = await snapshotOnDisk(run);
  for (let i = 0; i < 200 && snapshot.nodes['a']?.state !== 'running'; i++) {
    await sleep(10);
    snapshot = await snapshotOnDisk(run);
  }
  expect(snapshot.nodes['a']?.state).toBe('running');
  await writer.flush();
  expect(await readFile(journalPath(run), 'utf8')).toBe('');
  await writer.close();
});

test('run fields, dropped nodes and executions are replayed in order; a torn last line is ignored', async () => {
  const run = newRun(['a', 'b', 'c']);
  const writer = new RunWriter(projectDir, run, { snapshotIntervalMs: 60_000 });
  await writer.save();
  const a = run.nodes['a'];
  if (!a) throw new Error('no node a');
  const [x, y] = [execution('a-0'), execution('a-1')];
  a.executions.push(x, y);
  await writer.saveNode('a');
  y.status = 'failed';
  await writer.saveNode('a', y);
  // Resume drops node c and changes the run's own fields.
  delete run.nodes['c'];
  run.deployments = [];
  run.reason = 'why';
  await writer.saveRunFields();
  await writer.flush();
  await appendFile(journalPath(run), '{"k":"node","node":"b","record":{"state":"succ');

  const loaded = await loadRun(projectDir, run.id);
  expect(Object.keys(loaded.nodes)).toEqual(['a', 'b']);
  expect(loaded.nodes['a']?.executions.map((e) => [e.executionId, e.status])).toEqual([
    ['a-0', 'running'],
    ['a-1', 'failed'],
  ]);
  expect(loaded.nodes['b']?.state).toBe('pending');
  expect(loaded.reason).toBe('why');
  expect(loaded).toEqual(run);
  await writer.close();
});

test('replaying a journal over a snapshot that already holds it changes nothing (killed before the journal is removed)', () => {
  const old = newRun(['a']);
  const now = structuredClone(old);
  const nodeA = now.nodes['a'];
  if (!nodeA) throw new Error('no node a');
  nodeA.state = 'succeeded';
  nodeA.executions.push({ ...execution('a-0'), status: 'succeeded' });
  // The journal a full save leaves: older lines first, then every key with its current value.
  const journal = [
    { k: 'node', node: 'a', record: { state: 'running', type: 'execution' }, executions: 1 },
    { k: 'exec', node: 'a', index: 0, execution: execution('a-0') },
    { k: 'run', run: { ...now, nodes: undefined }, nodes: ['a'] },
    { k: 'node', node: 'a', record: { state: 'succeeded', type: 'execution' }, executions: 1 },
    { k: 'exec', node: 'a', index: 0, execution: nodeA.executions[0] },
  ]
    .map((line) => JSON.stringify(line))
    .join('\n');
  expect(replayJournal(structuredClone(now), journal)).toEqual(now);
  expect(replayJournal(structuredClone(old), journal)).toEqual(now);
});

test('a resumed run continues a journal left by a killed runner', async () => {
  const run = newRun(['a', 'b']);
  const killed = new RunWriter(projectDir, run, { snapshotIntervalMs: 60_000 });
  await killed.save();
  const a = run.nodes['a'];
  if (!a) throw new Error('no node a');
  a.state = 'succeeded';
  await killed.saveNode('a');
  await killed.flush();
  // The killed runner never closed its writer; a new one picks the record up from snapshot + journal.
  const resumed = await loadRun(projectDir, run.id);
  expect(resumed.nodes['a']?.state).toBe('succeeded');
  resumed.nodes['b'] = { state: 'pending', executions: [] };
  const writer = new RunWriter(projectDir, resumed, { snapshotIntervalMs: 60_000 });
  await writer.save();
  expect(await snapshotOnDisk(resumed)).toEqual(resumed);
  expect(await readFile(journalPath(run), 'utf8').catch(() => '')).toBe('');
  await writer.close();
  expect(await loadRun(projectDir, run.id)).toEqual(resumed);
});

test('a stale journal next to a record written whole with saveRun is not replayed over it', async () => {
  const { saveRun } = await import('../../src/store/runs.js');
  const run = newRun(['a']);
  await saveRun(projectDir, run);
  await writeFile(journalPath(run), `${JSON.stringify({ k: 'node', node: 'a', record: { state: 'failed' }, executions: 0 })}\n`);
  await saveRun(projectDir, run);
  expect((await loadRun(projectDir, run.id)).nodes['a']?.state).toBe('pending');
});

test('executions saved out of list order are journalled in list order, so a torn write loses a tail, never a hole', async () => {
  const run = newRun(['a']);
  const writer = new RunWriter(projectDir, run, { snapshotIntervalMs: 60_000 });
  await writer.save();
  const a = run.nodes['a'];
  if (!a) throw new Error('no node a');
  const executions = [execution('a-0'), execution('a-1'), execution('a-2')];
  a.executions.push(...executions);
  // Saved in one batch, last first.
  await Promise.all([writer.saveNode('a', executions[2]), writer.saveNode('a', executions[0]), writer.saveNode('a', executions[1])]);
  const lines = (await readFile(journalPath(run), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { k: string; index?: number });
  expect(lines.filter((line) => line.k === 'exec').map((line) => line.index)).toEqual([0, 1, 2]);
  expect(await loadRun(projectDir, run.id)).toEqual(run);
  await writer.close();
});
