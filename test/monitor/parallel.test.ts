/**
 * The parallel CSV reader (worker threads over chunks of the file): profile and drift verdicts are the same
 * to the bit as with one thread, also when chunk boundaries fall inside quoted line breaks (the reader
 * then reads on with one thread) and for ragged rows, bad UTF-8, cut values and malformed input further in.
 * Small chunks make a few-megabyte file take many of them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, detectDrift } from '../../src/monitor/drift.js';
import { defaultThreads, parallelCounters, parallelWorkers, threadCount, type ReadOptions } from '../../src/monitor/parallel-read.js';
import { profileFile, type Profile } from '../../src/monitor/profile.js';
import { readRows, type ReadReport } from '../../src/monitor/read.js';
import { random, writeCsv } from './data.js';

let dir: string;
const one: ReadOptions = { threads: 1 };
const parallel = (threads: number): ReadOptions => ({ threads, chunkBytes: 128 << 10, minParallelBytes: 0 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-monitor-parallel-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The profile without its creation time (the only field that differs between two runs). */
async function profileOf(path: string, read: ReadOptions, options: { categorical?: string[] } = {}): Promise<Profile> {
  const profile = await profileFile(path, { ...options, read });
  profile.createdAt = '';
  return profile;
}

async function reportOf(path: string, read: ReadOptions): Promise<ReadReport> {
  // Every cell read as the profile reads it (a number, else missing or text).
  return readRows(path, { columns: () => undefined, row: (row) => {
    for (let i = 0; i < row.length; i++) if (row.number(i) !== row.number(i) && !row.isMissing(i)) row.text(i);
  } }, read);
}

describe('parallel CSV reading', () => {
  test('profile and drift verdict are bit-identical with 1, 2 and 3 threads', async () => {
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    await writeCsv(reference, { rows: 30_000, seed: 21 });
    await writeCsv(current, { rows: 20_000, seed: 22, drift: true });
    const before = parallelCounters.chunks;
    const single = await profileOf(reference, one);
    expect(parallelCounters.chunks).toBe(before);
    const verdict = JSON.stringify(await detectDrift(single, current, DEFAULT_CONFIG, one));
    for (const threads of [2, 3]) {
      const chunks = parallelCounters.chunks;
      const profile = await profileOf(reference, parallel(threads));
      // Many chunks went through the workers: the comparison is not one thread against itself.
      expect(parallelCounters.chunks - chunks).toBeGreaterThan(20);
      expect(JSON.stringify(profile)).toBe(JSON.stringify(single));
      const drift = parallelCounters.chunks;
      expect(JSON.stringify(await detectDrift(profile, current, DEFAULT_CONFIG, parallel(threads)))).toBe(verdict);
      expect(parallelCounters.chunks - drift).toBeGreaterThan(10);
    }
    const drifted = (JSON.parse(verdict) as { columns: { column: string; drifted: boolean }[] }).columns.filter((column) => column.drifted).map((column) => column.column);
    expect(drifted).toContain('num_3');
  });

  test('quoted line breaks, CRLF, ragged rows, bad UTF-8 and long values across chunk boundaries', async () => {
    const next = random(5);
    const lines = ['id,score,note,kind'];
    let size = 0;
    for (let i = 0; size < 3 << 20; i++) {
      const score = (next() * 100).toFixed(3);
      // Every tenth note holds line breaks (some chunk boundary falls inside one), a few are very long.
      const note = i % 10 === 0 ? `"line\n${'x'.repeat(Math.floor(next() * 200))}\r\nend, ""quoted"""` : i % 997 === 0 ? 'y'.repeat(2000) : `n${i % 13}`;
      const kind = i % 501 === 0 ? 'caf\xe9' : i % 3 === 0 ? '' : `k${i % 4}`;
      const line = i % 1201 === 0 ? `${i},${score}` : `${i},${score},${note},${kind}`;
      lines.push(line);
      size += line.length + 2;
    }
    const path = join(dir, 'awkward.csv');
    await writeFile(path, Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'));
    const fallbacks = parallelCounters.fallbacks;
    const chunks = parallelCounters.chunks;
    const single = await profileOf(path, one, { categorical: ['kind'] });
    const threaded = await profileOf(path, parallel(2), { categorical: ['kind'] });
    expect(JSON.stringify(threaded)).toBe(JSON.stringify(single));
    // Some chunks were taken from workers, and a guess inside a quoted line break sent the rest to one thread.
    expect(parallelCounters.chunks).toBeGreaterThan(chunks);
    expect(parallelCounters.fallbacks).toBeGreaterThan(fallbacks);
    expect(single.input?.raggedRows).toBeGreaterThan(0);
    expect(Object.keys(single.input?.invalidUtf8 ?? {})).toEqual(['kind']);
    expect(Object.keys(single.input?.truncated ?? {})).toEqual(['note']);
    expect(await reportOf(path, parallel(2))).toEqual(await reportOf(path, one));
  });

  test('ragged rows, bad UTF-8 and cut values in later chunks: counted and located as with one thread', async () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 60_000; i++) {
      if (i === 41_234) lines.push(`${i},1`);
      else if (i % 5000 === 7) lines.push(`${i},\xff\xfe,${'z'.repeat(300)}`);
      else lines.push(`${i},${i % 7},${(i * 0.25).toFixed(2)}`);
    }
    const path = join(dir, 'ragged.csv');
    await writeFile(path, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const chunks = parallelCounters.chunks;
    const threaded = await reportOf(path, parallel(2));
    expect(parallelCounters.chunks - chunks).toBeGreaterThan(3);
    expect(threaded).toEqual(await reportOf(path, one));
    expect(threaded.firstRagged).toBe(`${path}:41236 (2 fields, the header has 3)`);
    expect(threaded.invalidUtf8).toEqual({ b: 12 });
    expect(threaded.truncated).toEqual({ c: 12 });
    expect(JSON.stringify(await profileOf(path, parallel(2)))).toBe(JSON.stringify(await profileOf(path, one)));
  });

  test('malformed input far into the file: the same message and line as one thread', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 50_000; i++) lines.push(i === 37_000 ? `${i},"open` : `${i},${i % 3}`);
    const path = join(dir, 'unclosed.csv');
    await writeFile(path, `${lines.join('\n')}\n`);
    const message = await profileFile(path, { read: one }).then(
      () => 'no error',
      (error: unknown) => String(error),
    );
    expect(message).toMatch(/unclosed\.csv:37002:\d+: unclosed quote/);
    const threaded = await profileFile(path, { read: parallel(2) }).then(
      () => 'no error',
      (error: unknown) => String(error),
    );
    expect(threaded).toBe(message);
  });
});

describe('how many threads read a file', () => {
  test('by default one thread on fewer than 3 cores, else the cores the load leaves spare (at most 8)', () => {
    expect(defaultThreads(1, 0)).toBe(1);
    expect(defaultThreads(2, 0)).toBe(1);
    expect(defaultThreads(4, 0)).toBe(4);
    expect(defaultThreads(4, 1.4)).toBe(3);
    expect(defaultThreads(4, 3.6)).toBe(1);
    expect(defaultThreads(4, 13)).toBe(1);
    expect(defaultThreads(32, 0.2)).toBe(8);
    // No load average (Windows reports 0): the cores alone decide.
    expect(defaultThreads(6, Number.NaN)).toBe(6);
  });

  test('N threads are the calling thread and N - 1 workers, for big enough files only; MLOPS_MONITOR_THREADS sets N', () => {
    const big = 1 << 30;
    expect(parallelWorkers(big, { threads: 1 })).toBe(0);
    expect(parallelWorkers(big, { threads: 2 })).toBe(1);
    expect(parallelWorkers(big, { threads: 3 })).toBe(2);
    expect(parallelWorkers(1 << 20, { threads: 3 })).toBe(0);
    expect(parallelWorkers(1 << 20, { threads: 3, minParallelBytes: 0 })).toBe(2);
    expect(threadCount({}, { MLOPS_MONITOR_THREADS: '3' })).toBe(3);
    expect(threadCount({ threads: 2 }, { MLOPS_MONITOR_THREADS: '3' })).toBe(2);
    expect(() => threadCount({}, { MLOPS_MONITOR_THREADS: '0' })).toThrow(/MLOPS_MONITOR_THREADS must be a whole number of at least 1, got '0'/);
  });
});
