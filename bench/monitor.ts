/**
 * Monitoring bench: a generated 1,000,000-row × 20-column CSV is profiled, and a drifted one of the same
 * size checked against the profile, each by `mlops` in a child process (end to end, as users run it),
 * against two anchors doing the same statistics on the same files in the same run:
 *   - DuckDB (`@duckdb/node-api`, 2 threads), run by this script in a child process: the same two scans
 *     (per column count, missing, min, max, mean, standard deviation, quantiles and deciles, category
 *     counts of the reference; the current data counted per reference decile and category, with its own
 *     moments). Quantiles with approx_quantile (a t-digest), as the profile's come from a histogram
 *     sketch; exact quantile_cont takes DuckDB about 3.5 times as long, so the sketch is the stronger anchor;
 *   - pandas + SciPy (Debian python3-pandas, python3-scipy, run with /usr/bin/python3; skipped when
 *     absent): load both, the same per-column statistics, KS/Wasserstein/PSI/chi-square.
 * Peak RSS comes from GNU time (`/usr/bin/time -v`), wall and CPU time too. The machine may be shared, so
 * CPU seconds are printed next to wall seconds. Everything lives in a temp folder removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { defaultThreads } from '../src/monitor/parallel-read.js';
import { dirname, join, resolve } from 'node:path';
import type { DriftVerdict } from '../src/monitor/drift.js';
import type { NumericColumnProfile, Profile } from '../src/monitor/profile.js';
import { DRIFTED_COLUMNS, writeCsv } from '../test/monitor/data.js';

const ROWS = 1_000_000;
const repository = resolve(import.meta.dirname, '..');
const GOAL_DUCKDB = 1.0;
const GOAL_PANDAS = 0.25;
const GOAL_PEAK_MB = 200;

interface Measured {
  /** The 1-minute load average when the command ended (the machine may be shared). */
  load: number;
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  exitCode: number;
  stdout: string;
}

/** Runs a command, with its peak RSS and CPU time measured by GNU time when present. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measured {
  const useTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-v', command, ...args], { cwd: repository, env, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(command, args, { cwd: repository, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  const exitCode = result.status ?? -1;
  const field = (name: string): number => Number(new RegExp(`${name}: ([\\d.]+)`).exec(result.stderr)?.[1]);
  if (exitCode > 1) throw new Error(`${command} ${args.join(' ')} exited ${exitCode}: ${result.stderr.slice(-2000)}`);
  return {
    load: loadavg()[0] ?? Number.NaN,
    seconds,
    cpuSeconds: useTime ? field('User time \\(seconds\\)') + field('System time \\(seconds\\)') : Number.NaN,
    maxRssMb: useTime ? field('Maximum resident set size \\(kbytes\\)') / 1024 : Number.NaN,
    exitCode,
    stdout: result.stdout,
  };
}

function sum(...runs: Measured[]): { seconds: number; cpuSeconds: number; maxRssMb: number } {
  return {
    seconds: runs.reduce((total, run) => total + run.seconds, 0),
    cpuSeconds: runs.reduce((total, run) => total + run.cpuSeconds, 0),
    maxRssMb: Math.max(...runs.map((run) => run.maxRssMb)),
  };
}

const NUMERIC = (name: string): boolean => !name.startsWith('cat_');
const LEVELS = [0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99];

/** The DuckDB side, run in a child process (`bench/monitor.ts --duckdb REF CUR`): two scans, like profile + drift. */
async function duckdb(reference: string, current: string): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const csv = (path: string): string => `read_csv('${path.replace(/'/g, "''")}', header = true)`;
  const header = (await readFile(reference, 'utf8').then((text) => text.slice(0, 4096))).split('\n')[0]?.split(',') ?? [];
  const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
  const profileSql = header
    .map((name) =>
      NUMERIC(name)
        ? `count(${quote(name)}), count(*) - count(${quote(name)}), min(${quote(name)}), max(${quote(name)}), avg(${quote(name)}), stddev_samp(${quote(name)}), approx_quantile(${quote(name)}, [${LEVELS.join(', ')}])`
        : `count(${quote(name)}), histogram(${quote(name)})`,
    )
    .join(', ');
  const profiled = (await connection.runAndReadAll(`SELECT ${profileSql} FROM ${csv(reference)}`)).getRows()[0] ?? [];
  // Decile edges per numeric column, read from the quantile list (levels 0.1 … 0.9).
  let column = 0;
  const edges = new Map<string, number[]>();
  for (const name of header) {
    if (NUMERIC(name)) {
      const quantiles = profiled[column + 6] as { items: number[] };
      edges.set(name, LEVELS.map((level, i) => [level, quantiles.items[i] ?? 0] as const).filter(([level]) => [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].includes(level)).map(([, value]) => value));
      column += 7;
    } else {
      column += 2;
    }
  }
  const driftSql = header
    .map((name) => {
      const q = quote(name);
      if (!NUMERIC(name)) return `count(${q}), histogram(${q})`;
      // The decile bin of every value (right-closed, as the drift check counts), counted by histogram():
      // one CASE per column is DuckDB's fastest form here (ten FILTER aggregates take about twice as long).
      const e = edges.get(name) ?? [];
      return `count(${q}), min(${q}), max(${q}), avg(${q}), histogram(CASE ${e.map((edge, i) => `WHEN ${q} <= ${edge} THEN ${i}`).join(' ')} ELSE ${e.length} END)`;
    })
    .join(', ');
  const counted = (await connection.runAndReadAll(`SELECT ${driftSql} FROM ${csv(current)}`)).getRows()[0] ?? [];
  process.stdout.write(`${JSON.stringify({ profiled: profiled.length, counted: counted.length })}\n`);
  connection.closeSync();
}

const PANDAS_SCRIPT = String.raw`
import json, sys
import numpy as np, pandas as pd
from scipy import stats
ref = pd.read_csv(sys.argv[1]); cur = pd.read_csv(sys.argv[2])
out = {}
for name in ref.columns:
    r = ref[name].dropna(); c = cur[name].dropna()
    if pd.api.types.is_numeric_dtype(r):
        q = np.quantile(r, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
        edges = np.quantile(r, np.linspace(0, 1, 11))[1:-1]
        rc = np.bincount(np.searchsorted(edges, r), minlength=10) / len(r)
        cc = np.bincount(np.searchsorted(edges, c), minlength=10) / len(c)
        rc = np.maximum(rc, 1e-4); cc = np.maximum(cc, 1e-4)
        out[name] = dict(mean=r.mean(), std=r.std(), q=q.tolist(), ks=stats.ks_2samp(r, c).pvalue,
                         w=stats.wasserstein_distance(r, c) / r.std(), psi=float(np.sum((cc - rc) * np.log(cc / rc))))
    else:
        rf = r.value_counts(); cf = c.value_counts().reindex(rf.index, fill_value=0)
        out[name] = dict(chi=stats.chisquare(cf, rf / rf.sum() * cf.sum()).pvalue)
print(json.dumps({k: len(v) for k, v in out.items()}))
`;

function ratio(ours: number, anchor: number, goal: number): string {
  const value = ours / anchor;
  return `${value.toFixed(2)}× (goal ≤ ${goal.toFixed(2)}×: ${value <= goal ? 'met' : 'NOT met'})`;
}

export async function benchMonitor(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-monitor-'));
  const lines: string[] = [];
  try {
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    await writeCsv(reference, { rows: ROWS, seed: 11 });
    await writeCsv(current, { rows: ROWS, seed: 12, drift: true });
    const megabytes = ((await stat(reference)).size + (await stat(current)).size) / 2 / (1 << 20);
    // The bundled CLI as users run it, with its worker thread beside it, when built (`npm run build`);
    // else the sources through tsx (each worker then loads tsx too, which costs start-up time).
    // MLOPS_BENCH_CLI names another bundled CLI (a bundle built elsewhere, with its worker beside it).
    const entry = process.env['MLOPS_BENCH_CLI'] ?? join(repository, 'dist/cli/index.js');
    const bundled = existsSync(entry) && existsSync(join(dirname(entry), 'monitor-csv-worker.js'));
    const cli = bundled ? [entry] : ['--import', 'tsx', join(repository, 'src/cli/index.ts')];
    const profilePath = join(dir, 'profile.json');
    const floor = measure(process.execPath, [...cli, '--version']);
    const profiled = measure(process.execPath, [...cli, 'profile', reference, '-o', profilePath]);
    const checked = measure(process.execPath, [...cli, 'drift', '--reference', profilePath, '--current', current, '--output', join(dir, 'verdict.json'), '--history-dir', join(dir, 'history')]);
    const ours = sum(profiled, checked);
    const rate = (seconds: number): string => `${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s, ${(megabytes / seconds).toFixed(0)} MB/s`;
    // What the CLI chose is decided in its own process (the default looks at the load then); this is the choice at the bench's start.
    const threads = process.env['MLOPS_MONITOR_THREADS'] ? `${process.env['MLOPS_MONITOR_THREADS']} reader threads (MLOPS_MONITOR_THREADS)` : `${defaultThreads()} reader thread(s) by default (${availableParallelism()} cores, load ${(loadavg()[0] ?? 0).toFixed(1)})`;
    lines.push(`monitor: ${ROWS.toLocaleString('en-US')} rows × 20 columns (${megabytes.toFixed(0)} MB CSV per file), wall s (CPU s), peak RSS, 1-minute load average after; ${bundled ? `bundled CLI (${entry})` : 'CLI from the sources through tsx'}, ${threads}`);
    lines.push(`  mlops profile:          ${profiled.seconds.toFixed(2)} s (${profiled.cpuSeconds.toFixed(2)}), ${profiled.maxRssMb.toFixed(0)} MB, ${rate(profiled.seconds)}, load ${profiled.load.toFixed(1)}`);
    lines.push(`  mlops drift:            ${checked.seconds.toFixed(2)} s (${checked.cpuSeconds.toFixed(2)}), ${checked.maxRssMb.toFixed(0)} MB, ${rate(checked.seconds)}, exit ${checked.exitCode}, load ${checked.load.toFixed(1)}`);
    lines.push(`  (of which node${bundled ? '' : ' + tsx'} start-up, twice: ${(2 * floor.seconds).toFixed(2)} s)`);
    const verdict = JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8')) as DriftVerdict;
    lines.push(`  drifted columns: ${verdict.columns.filter((c) => c.drifted).map((c) => c.column).join(', ') || 'none'} (put in on purpose: ${DRIFTED_COLUMNS.join(', ')})`);
    lines.push(`  peak memory ${ours.maxRssMb.toFixed(0)} MB: ${ours.maxRssMb < GOAL_PEAK_MB ? 'under' : 'OVER'} the ${GOAL_PEAK_MB} MB budget`);

    const duck = measure(process.execPath, ['--import', 'tsx', join(repository, 'bench/monitor.ts'), '--duckdb', reference, current]);
    lines.push(`  DuckDB (2 threads, same two scans): ${duck.seconds.toFixed(2)} s (${duck.cpuSeconds.toFixed(2)}), ${duck.maxRssMb.toFixed(0)} MB, load ${duck.load.toFixed(1)}`);
    lines.push(`  ratio mlops / DuckDB: wall ${ratio(ours.seconds, duck.seconds, GOAL_DUCKDB)}, CPU ${(ours.cpuSeconds / duck.cpuSeconds).toFixed(2)}×, peak memory ${(ours.maxRssMb / duck.maxRssMb).toFixed(2)}×`);

    // Debian's packages live under /usr/bin/python3, which a pyenv `python3` on PATH can hide.
    const python = '/usr/bin/python3';
    const probe = spawnSync(python, ['-c', 'import pandas, scipy'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      lines.push(`  pandas + SciPy: skipped (${python} -c 'import pandas, scipy' failed: ${(probe.stderr || probe.error?.message || 'not found').trim().split('\n').pop() ?? ''}; apt-get install python3-pandas python3-scipy)`);
    } else {
      const script = join(dir, 'drift_pandas.py');
      await writeFile(script, PANDAS_SCRIPT);
      const pandas = measure(python, [script, reference, current]);
      lines.push(`  pandas + SciPy (load both, same statistics): ${pandas.seconds.toFixed(2)} s (${pandas.cpuSeconds.toFixed(2)}), ${pandas.maxRssMb.toFixed(0)} MB, load ${pandas.load.toFixed(1)}`);
      lines.push(`  ratio mlops / pandas + SciPy: wall ${ratio(ours.seconds, pandas.seconds, GOAL_PANDAS)}, CPU ${(ours.cpuSeconds / pandas.cpuSeconds).toFixed(2)}×, peak memory ${(ours.maxRssMb / pandas.maxRssMb).toFixed(2)}×`);
    }
    // MLOPS_BENCH_MONITOR_THREADS=1,2,3: the same two commands with each reader thread count, interleaved
    // over MLOPS_BENCH_MONITOR_ROUNDS rounds (default 3), to check the default on this machine.
    const counts = (process.env['MLOPS_BENCH_MONITOR_THREADS'] ?? '').split(',').filter((t) => t.trim() !== '');
    if (counts.length > 0) {
      const rounds = Math.max(1, Number(process.env['MLOPS_BENCH_MONITOR_ROUNDS'] ?? 3) || 3);
      const byCount = new Map<string, (ReturnType<typeof sum> & { load: number })[]>(counts.map((count) => [count, []]));
      for (let round = 0; round < rounds; round++) {
        for (const count of counts) {
          const env = { ...process.env, MLOPS_MONITOR_THREADS: count };
          const threadedProfile = join(dir, `profile-${count}.json`);
          const p = measure(process.execPath, [...cli, 'profile', reference, '-o', threadedProfile], env);
          const d = measure(process.execPath, [...cli, 'drift', '--reference', threadedProfile, '--current', current, '--history-dir', join(dir, 'history')], env);
          byCount.get(count)?.push({ ...sum(p, d), load: d.load });
        }
      }
      lines.push(`  reader threads compared (profile + drift, ${rounds} interleaved rounds), wall s (CPU s) per round, peak:`);
      for (const [count, runs] of byCount) {
        const walls = runs.map((r) => r.seconds).sort((a, b) => a - b);
        lines.push(`    ${count} thread(s): ${runs.map((r) => `${r.seconds.toFixed(1)} (${r.cpuSeconds.toFixed(1)})`).join(', ')}; median wall ${(walls[Math.floor(walls.length / 2)] ?? Number.NaN).toFixed(1)} s; peak ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB; load ${runs.map((r) => r.load.toFixed(1)).join(', ')}`);
      }
    }
    const profile = JSON.parse(await readFile(profilePath, 'utf8')) as Profile;
    const num5 = profile.columns.find((c) => c.name === 'num_5') as NumericColumnProfile | undefined;
    if (num5) lines.push(`  (profile check: num_5 mean ${num5.mean.toFixed(4)}, std ${num5.std.toFixed(4)}; generated as Normal(10, 1.5))`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

// `node --import tsx bench/monitor.ts` runs the bench alone; `--duckdb REF CUR` is the DuckDB side.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'monitor.ts')) {
  const duckIndex = process.argv.indexOf('--duckdb');
  const work = duckIndex >= 0 ? duckdb(process.argv[duckIndex + 1] ?? '', process.argv[duckIndex + 2] ?? '').then(() => '') : benchMonitor();
  work.then(
    (text) => process.stdout.write(text === '' ? '' : `${text}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
