import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, detectDrift, parseDriftConfig } from '../../src/monitor/drift.js';
import { DISPLAY_BINS, DISPLAY_CATEGORIES } from '../../src/monitor/distribution.js';
import { renderDriftMarkdown } from '../../src/monitor/markdown.js';
import { profileFile, type NumericColumnProfile, type Profile } from '../../src/monitor/profile.js';
import { parseMermaid } from '../support/mermaid.js';
import { COLUMNS, DRIFTED_COLUMNS, writeCsv } from './data.js';

const run = promisify(execFile);
/** The CLI run as users run it, from a temp folder (so that histories land there, not in the checkout). */
const CLI = join(process.cwd(), 'src/cli/index.ts');
const TSX = pathToFileURL(join(process.cwd(), 'node_modules/tsx/dist/loader.mjs')).href;
let dir: string;
let profile: Profile;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-drift-'));
  await writeCsv(join(dir, 'train.csv'), { rows: 50_000, seed: 1 });
  await writeCsv(join(dir, 'same.csv'), { rows: 20_000, seed: 2 });
  await writeCsv(join(dir, 'drifted.csv'), { rows: 20_000, seed: 3, drift: true });
  profile = await profileFile(join(dir, 'train.csv'));
  await writeFile(join(dir, 'profile.json'), JSON.stringify(profile));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('profile', () => {
  test('types, counts and moments of the generated columns', () => {
    expect(profile.rows).toBe(50_000);
    expect(profile.columns.map((c) => c.name)).toEqual([...COLUMNS]);
    const types = Object.fromEntries(profile.columns.map((c) => [c.name, c.type]));
    expect(types['num_0']).toBe('numeric');
    expect(types['cat_16']).toBe('categorical');
    expect(types['bin_18']).toBe('numeric');
    const num5 = profile.columns.find((c) => c.name === 'num_5') as NumericColumnProfile;
    // num_5 ~ Normal(10, 1.5): the sample moments are within a few standard errors.
    expect(Math.abs(num5.mean - 10)).toBeLessThan(0.05);
    expect(Math.abs(num5.std - 1.5)).toBeLessThan(0.05);
    expect(num5.deciles).toHaveLength(9);
    // The median of a normal: within one histogram bin of the mean.
    expect(Math.abs((num5.quantiles['0.5'] ?? 0) - 10)).toBeLessThan(0.05 + num5.histogram.width);
    expect(num5.histogram.counts.reduce((s, v) => s + v, 0)).toBe(50_000);
    expect(num5.histogram.counts.length).toBeLessThanOrEqual(4096);
    const bin = profile.columns.find((c) => c.name === 'bin_18') as NumericColumnProfile;
    expect(Object.keys(bin.distinct ?? {}).sort()).toEqual(['0', '1']);
  });

  test('JSON Lines with missing values and a late key', async () => {
    const path = join(dir, 'rows.jsonl');
    await writeFile(path, ['{"a": 1, "b": "x"}', '{"a": null, "b": "y"}', '', '{"a": 3, "b": "x", "c": true}'].join('\n'));
    const result = await profileFile(path);
    expect(result.rows).toBe(3);
    const [a, b, c] = result.columns;
    expect(a).toMatchObject({ name: 'a', type: 'numeric', n: 2, missing: 1, min: 1, max: 3, mean: 2 });
    expect(b).toMatchObject({ name: 'b', type: 'categorical', frequencies: { x: 2, y: 1 }, other: 0 });
    expect(c).toMatchObject({ name: 'c', missing: 2, n: 1 });
  });
});

describe('drift', () => {
  test('unchanged data: no column drifts, no dataset drift', async () => {
    const verdict = await detectDrift(profile, join(dir, 'same.csv'));
    expect(verdict.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual([]);
    expect(verdict.drifted).toBe(false);
    expect(verdict.dataset.columns).toBe(20);
    expect(verdict.quality.issues).toEqual([]);
    // Reference above 1000 rows: distances, as Evidently chooses them.
    const methods = Object.fromEntries(verdict.columns.map((c) => [c.column, c.method]));
    expect(methods).toMatchObject({ num_0: 'wasserstein', cat_16: 'jensenshannon', bin_18: 'jensenshannon' });
  });

  test('drift put into 3 of 20 columns is found in exactly those', async () => {
    const verdict = await detectDrift(profile, join(dir, 'drifted.csv'));
    expect(verdict.columns.filter((c) => c.drifted).map((c) => c.column).sort()).toEqual([...DRIFTED_COLUMNS].sort());
    // 3/20 is below the default dataset share of 0.5 ...
    expect(verdict.dataset.drifted).toBe(false);
    const lowered = await detectDrift(profile, join(dir, 'drifted.csv'), parseDriftConfig({ datasetDriftShare: 0.15 }));
    // ... and reaches a share of 0.15.
    expect(lowered.dataset).toMatchObject({ drifted: true, driftedColumns: 3, share: 0.15 });
    expect(lowered.drifted).toBe(true);
  });

  test('each column stores its reference and current data binned, bounded, adding up to the counts', async () => {
    const verdict = await detectDrift(profile, join(dir, 'drifted.csv'));
    const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);
    for (const column of verdict.columns) {
      const d = column.distribution;
      if (!d) throw new Error(`${column.column} has no distribution`);
      expect(d.reference).toHaveLength(d.current.length);
      expect(sum(d.reference)).toBe(column.n_ref);
      if (d.kind === 'bins') {
        expect(d.reference.length).toBeLessThanOrEqual(DISPLAY_BINS);
        expect(d.edges).toHaveLength(d.reference.length + 1);
        expect(sum(d.current) + d.currentBelow + d.currentAbove).toBe(column.n_cur);
        const reference = profile.columns.find((c) => c.name === column.column) as NumericColumnProfile;
        expect(d.edges[0]).toBe(reference.histogram.start);
      } else {
        expect(d.categories.length).toBeLessThanOrEqual(DISPLAY_CATEGORIES + 1);
        expect(sum(d.current)).toBe(column.n_cur);
      }
    }
    // The drifted mean of num_3 shows in its bins: the current data's mean bin lies to the right.
    const num3 = verdict.columns.find((c) => c.column === 'num_3')?.distribution;
    if (num3?.kind !== 'bins') throw new Error('num_3 is binned');
    const mean = (counts: number[]): number => sum(counts.map((count, i) => count * ((num3.edges[i] ?? 0) + (num3.edges[i + 1] ?? 0)) / 2)) / sum(counts);
    expect(mean(num3.current)).toBeGreaterThan(mean(num3.reference));
    const cat16 = verdict.columns.find((c) => c.column === 'cat_16')?.distribution;
    expect(cat16?.kind === 'categories' ? cat16.categories.slice(0, 5).sort() : []).toEqual(['black', 'blue', 'green', 'red', 'white']);
  });

  test('p-value tests on a small reference find the same columns', async () => {
    const small = join(dir, 'small.csv');
    await writeCsv(small, { rows: 800, seed: 4 });
    const smallProfile = await profileFile(small);
    const smallDrifted = join(dir, 'small-drifted.csv');
    await writeCsv(smallDrifted, { rows: 800, seed: 5, drift: true });
    const drifted = await detectDrift(smallProfile, smallDrifted);
    const methods = new Set(drifted.columns.map((c) => c.method));
    expect(methods).toEqual(new Set(['ks', 'chisquare']));
    // A p-value test at 0.05 flags about 5% of unchanged columns by design, so the check is on the
    // size of the evidence: overwhelming in the drifted columns, modest anywhere else.
    for (const column of drifted.columns) {
      if (DRIFTED_COLUMNS.includes(column.column)) expect(column.score, column.column).toBeLessThan(1e-6);
      else expect(column.score, column.column).toBeGreaterThan(1e-3);
    }
    const smallSame = join(dir, 'small-same.csv');
    await writeCsv(smallSame, { rows: 800, seed: 6 });
    expect((await detectDrift(smallProfile, smallSame)).columns.filter((c) => c.drifted).map((c) => c.column)).toEqual([]);
  });

  test('per-column method and threshold from the config', async () => {
    const config = parseDriftConfig({ columns: { num_0: { method: 'psi', threshold: 0 }, num_3: { ignore: true } } });
    const verdict = await detectDrift(profile, join(dir, 'drifted.csv'), config);
    const num0 = verdict.columns.find((c) => c.column === 'num_0');
    expect(num0).toMatchObject({ method: 'psi', threshold: 0, drifted: true });
    expect(verdict.columns.some((c) => c.column === 'num_3')).toBe(false);
    expect(() => parseDriftConfig({ columns: { a: { method: 'magic' } } })).toThrow(/method must be one of/);
    expect(() => parseDriftConfig({ datasetDriftShare: 2 })).toThrow(/between 0 and 1/);
  });

  test('data quality: missing share, out of range, new categories, invalid values', async () => {
    const reference = join(dir, 'q-ref.csv');
    const current = join(dir, 'q-cur.csv');
    const refRows = Array.from({ length: 200 }, (_, i) => `${i % 100},${['a', 'b'][i % 2]}`);
    const curRows = Array.from({ length: 200 }, (_, i) => `${i < 60 ? '' : i < 100 ? String(500 + i) : i === 100 ? 'oops' : String(i % 100)},${i < 30 ? 'zzz' : ['a', 'b'][i % 2]}`);
    await writeFile(reference, `x,kind\n${refRows.join('\n')}\n`);
    await writeFile(current, `x,kind,extra\n${curRows.map((r) => `${r},1`).join('\n')}\n`);
    const verdict = await detectDrift(await profileFile(reference), current);
    const checks = verdict.quality.issues.map((issue) => `${issue.column}:${issue.check}`).sort();
    expect(checks).toEqual(['kind:new-categories', 'x:invalid-values', 'x:missing-share', 'x:out-of-range', 'x:outliers']);
    expect(verdict.quality.failed).toBe(true);
    // The new column is a schema change: drift whatever the quality settings.
    expect(verdict.schema.changes).toEqual([{ column: 'extra', change: 'new-column', message: "column 'extra' is not in the reference profile" }]);
    expect(verdict.drifted).toBe(true);
    const strict = await detectDrift(await profileFile(reference), current, { ...DEFAULT_CONFIG, quality: { ...DEFAULT_CONFIG.quality, failOnQuality: true } });
    expect(strict.drifted).toBe(true);
  });

  test('prediction drift and performance degradation', async () => {
    const reference = join(dir, 'p-ref.csv');
    const current = join(dir, 'p-cur.csv');
    // Reference: prediction right 90% of the time; current: 60%, and class 2 predicted far more often.
    const rows = (n: number, wrongEvery: (i: number) => boolean): string =>
      Array.from({ length: n }, (_, i) => `${i % 3},${wrongEvery(i) ? 2 : i % 3}`).join('\n');
    await writeFile(reference, `label,prediction\n${rows(3000, (i) => i % 10 === 0)}\n`);
    await writeFile(current, `label,prediction\n${rows(3000, (i) => i % 10 < 4)}\n`);
    const referenceProfile = await profileFile(reference, { label: 'label', prediction: 'prediction' });
    expect(referenceProfile.performance?.accuracy).toBeCloseTo(1 - 200 / 3000, 10);
    const verdict = await detectDrift(referenceProfile, current, parseDriftConfig({ label: 'label', prediction: 'prediction' }));
    expect(verdict.prediction).toMatchObject({ column: 'prediction', drifted: true, method: 'jensenshannon' });
    expect(verdict.performance).toMatchObject({ degraded: true, n: 3000 });
    expect(verdict.performance?.current).toBeCloseTo(1 - 800 / 3000, 10);
    expect(verdict.drifted).toBe(true);
    expect(verdict.reasons.join('\n')).toMatch(/prediction drift.*\n.*performance degraded/);
  });

  test('the Markdown report carries a chart Mermaid parses', async () => {
    const verdict = await detectDrift(profile, join(dir, 'drifted.csv'));
    const markdown = renderDriftMarkdown(verdict, 'nightly');
    expect(markdown.startsWith('<!-- mlops-drift:nightly -->')).toBe(true);
    const chart = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(chart).toBeDefined();
    expect(await parseMermaid(chart ?? '')).toBe('xychart');
    expect(markdown).toContain('| num_3 | numeric | wasserstein |');
  });
});

describe('mlops profile / mlops drift (real processes)', () => {
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', TSX, CLI, ...args], { cwd: dir }).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  test('exit codes: 0 no drift, 1 drift, 2 errors; --json and --markdown', async () => {
    const profilePath = join(dir, 'cli-profile.json');
    const made = await cli(['profile', join(dir, 'train.csv'), '-o', profilePath]);
    expect(made.code).toBe(0);
    const same = await cli(['drift', '--reference', profilePath, '--current', join(dir, 'same.csv'), '--json']);
    expect(same.code).toBe(0);
    expect((JSON.parse(same.stdout) as { drifted: boolean }).drifted).toBe(false);
    const config = join(dir, 'drift.json');
    await writeFile(config, JSON.stringify({ datasetDriftShare: 0.1 }));
    const markdown = join(dir, 'report.md');
    const drifted = await cli(['drift', '--reference', profilePath, '--current', join(dir, 'drifted.csv'), '--config', config, '--markdown', markdown]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/^verdict: DRIFT/);
    expect(await readFile(markdown, 'utf8')).toContain('drift detected');
    const missing = await cli(['drift', '--reference', join(dir, 'nope.json'), '--current', join(dir, 'same.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the reference profile/);
    const badOption = await cli(['drift', '--bogus']);
    expect(badOption.code).toBe(2);
  });

  test('every check is appended to the history; --history prints the trend', async () => {
    const profilePath = join(dir, 'cli-profile.json');
    const history = join(dir, 'history');
    const check = (current: string) => cli(['drift', '--reference', profilePath, '--current', join(dir, current), '--pipeline', 'nightly', '--history-dir', history]);
    expect((await check('same.csv')).code).toBe(0);
    expect((await check('drifted.csv')).code).toBe(0);
    expect((await check('same.csv')).code).toBe(0);
    const lines = (await readFile(join(history, 'nightly', 'history.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    const printed = await cli(['drift', '--history', '--pipeline', 'nightly', '--history-dir', history, '--last', '2']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^2 checks, /);
    expect(printed.stdout).toMatch(/no drift {2}3\/20 columns \(15\.0%\) {2}drifted\.csv/);
    // The drifted columns lead the table of sparklines (their pressure rose, then fell).
    expect(printed.stdout).toMatch(/\nnum_3 +[▁▂▃▄▅▆▇█]{2} {2}\d/);
    const none = await cli(['drift', '--history', '--pipeline', 'never', '--history-dir', history]);
    expect(none.stdout.trim()).toBe('no drift checks recorded yet');
  });
});
