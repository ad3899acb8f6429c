/**
 * Fewer false alarms: the digits example's own held-out split (the same distribution as its training
 * data, 359 rows against 1,438) flags no column once thresholds account for sampling noise, while copies
 * of it with drift put in still do. Without the correction, Evidently's plain thresholds flag 10 columns.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { detectDrift, parseDriftConfig } from '../../src/monitor/drift.js';
import { profileFile, type Profile } from '../../src/monitor/profile.js';

const execFileAsync = promisify(execFile);
let dir: string;
let profile: Profile;
let heldOut: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-digits-noise-'));
  // The example's own preprocessing step, default parameters (seed 42, 20% held out).
  await execFileAsync(process.execPath, ['examples/digits/preprocess.mjs'], { cwd: process.cwd(), env: { ...process.env, VH_OUTPUTS_DIR: dir, VH_INPUTS_DIR: join(dir, 'inputs') } });
  profile = await profileFile(join(dir, 'train.csv'), { label: 'label' });
  heldOut = (await readFile(join(dir, 'test.csv'), 'utf8')).trim().split('\n');
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The held-out rows with `change` applied to every pixel value of the chosen columns. */
async function variant(name: string, columns: readonly number[], change: (value: number) => number): Promise<string> {
  const path = join(dir, name);
  const [header, ...rows] = heldOut;
  const changed = rows.map((row) => row.split(',').map((cell, i) => (columns.includes(i) ? String(change(Number(cell))) : cell)).join(','));
  await writeFile(path, `${[header, ...changed].join('\n')}\n`);
  return path;
}

describe('sample-size-aware drift decisions on the digits example', () => {
  test('the held-out split flags no column; Evidently\'s plain thresholds flag ten', async () => {
    const verdict = await detectDrift(profile, join(dir, 'test.csv'));
    expect(verdict.current.rows).toBe(359);
    expect(verdict.columns).toHaveLength(64);
    expect(verdict.columns.filter((column) => column.drifted).map((column) => column.column)).toEqual([]);
    expect(verdict.drifted).toBe(false);
    // The columns over the 0.1 distance threshold were overruled by the noise threshold, which says why.
    const overruled = verdict.columns.filter((column) => column.score >= column.threshold && column.method !== 'ks' && column.method !== 'chisquare');
    expect(overruled.length).toBeGreaterThan(0);
    for (const column of overruled) expect(column.noiseThreshold, column.column).toBeGreaterThan(column.score);
    const plain = await detectDrift(profile, join(dir, 'test.csv'), parseDriftConfig({ sampleNoise: false }));
    expect(plain.columns.filter((column) => column.drifted)).toHaveLength(10);
  });

  test('drifted copies of the held-out split are still flagged', async () => {
    // Two pixels shifted by a quarter of the pixel range, in a batch of the same size.
    const shifted = await detectDrift(profile, await variant('shifted.csv', [20, 43], (value) => Math.min(1, value + 0.25)));
    expect(shifted.columns.filter((column) => column.drifted).map((column) => column.column)).toEqual(['p20', 'p43']);
    // The digits drawn in negative: most columns drift, and the dataset does.
    const negative = await detectDrift(profile, await variant('negative.csv', Array.from({ length: 64 }, (_, i) => i), (value) => 1 - value));
    expect(negative.dataset.drifted).toBe(true);
    expect(negative.dataset.driftedColumns).toBeGreaterThan(40);
  });
});
