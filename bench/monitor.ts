/**
 * Monitoring bench: a generated 1,000,000-row × 20-column CSV is profiled, and a drifted one of the
 * same size checked against the profile, each by `mlops` in a child process whose peak RSS is read
 * from `/usr/bin/time -v` (GNU time; without it the memory is printed as unknown). When Python has
 * pandas and SciPy (Debian python3-pandas, python3-scipy), a pandas + SciPy script does the same work
 * (load, per-column statistics, KS/Wasserstein/PSI/chi-square) in the same run, and the ratio is printed.
 * Everything lives in a temp folder removed at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DriftVerdict } from '../src/monitor/drift.js';
import { DRIFTED_COLUMNS, writeCsv } from '../test/monitor/data.js';

const ROWS = 1_000_000;
const repository = resolve(import.meta.dirname, '..');

interface Measured {
  seconds: number;
  maxRssMb: number;
  exitCode: number;
}

/** Runs a command, with its peak RSS measured by GNU time when present. */
function measure(command: string, args: string[]): Measured {
  const useTime = existsSync('/usr/bin/time');
  const start = performance.now();
  const result = useTime
    ? spawnSync('/usr/bin/time', ['-v', command, ...args], { cwd: repository, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync(command, args, { cwd: repository, encoding: 'utf8', maxBuffer: 64 << 20});
  const seconds = (performance.now() - start) / 1000;
  const exitCode = result.status ?? -1;
  let kb = Number.NaN;
  if (useTime) kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  if (exitCode > 1) throw new Error(`${command} ${args.join(' ')} exited ${exitCode}: ${result.stderr.slice(-2000)}`);
  return { seconds, maxRssMb: kb / 1024, exitCode };
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

export async function benchMonitor(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-bench-monitor-'));
  const lines: string[] = [];
  try {
    const reference = join(dir, 'reference.csv');
    const current = join(dir, 'current.csv');
    await writeCsv(reference, { rows: ROWS, seed: 11 });
    await writeCsv(current, { rows: ROWS, seed: 12, drift: true });
    const megabytes = ((await stat(reference)).size + (await stat(current)).size) / 2 / (1 << 20);
    const cli = ['--import', 'tsx', join(repository, 'src/cli/index.ts')];
    const profilePath = join(dir, 'profile.json');
    const profiled = measure(process.execPath, [...cli, 'profile', reference, '-o', profilePath]);
    const checked = measure(process.execPath, [...cli, 'drift', '--reference', profilePath, '--current', current, '--output', join(dir, 'verdict.json')]);
    const ours = profiled.seconds + checked.seconds;
    const rate = (seconds: number): string => `${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s, ${(megabytes / seconds).toFixed(1)} MB/s`;
    lines.push(`monitor: ${ROWS.toLocaleString('en-US')} rows × 20 columns (${megabytes.toFixed(0)} MB CSV per file)`);
    lines.push(`  mlops profile: ${profiled.seconds.toFixed(1)} s (${rate(profiled.seconds)}), peak RSS ${profiled.maxRssMb.toFixed(0)} MB`);
    lines.push(`  mlops drift:   ${checked.seconds.toFixed(1)} s (${rate(checked.seconds)}), peak RSS ${checked.maxRssMb.toFixed(0)} MB, exit ${checked.exitCode}`);
    const verdict = JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8')) as DriftVerdict;
    lines.push(`  drifted columns: ${verdict.columns.filter((c) => c.drifted).map((c) => c.column).join(', ') || 'none'} (put in on purpose: ${DRIFTED_COLUMNS.join(', ')})`);
    const peak = Math.max(profiled.maxRssMb, checked.maxRssMb);
    lines.push(`  peak memory ${peak.toFixed(0)} MB: ${peak < 200 ? 'under' : 'OVER'} the 200 MB budget`);
    // The Debian packages live under /usr/bin/python3, which a pyenv `python3` on PATH can hide.
    const pythons = ['python3', '/usr/bin/python3'];
    let probe = spawnSync('python3', ['-c', 'import pandas, scipy'], { encoding: 'utf8' });
    let pythonCommand = 'python3';
    for (const candidate of pythons) {
      probe = spawnSync(candidate, ['-c', 'import pandas, scipy'], { encoding: 'utf8' });
      pythonCommand = candidate;
      if (probe.status === 0) break;
    }
    if (probe.status !== 0) {
      lines.push(`  pandas + SciPy: skipped (python3 -c 'import pandas, scipy' failed: ${(probe.stderr || probe.error?.message || 'not found').trim().split('\n').pop() ?? ''})`);
    } else {
      const script = join(dir, 'drift_pandas.py');
      await writeFile(script, PANDAS_SCRIPT);
      lines.push(`  pandas + SciPy via ${pythonCommand}`);
      const python = measure(pythonCommand, [script, reference, current]);
      lines.push(`  pandas + SciPy (load both, same statistics): ${python.seconds.toFixed(1)} s, peak RSS ${python.maxRssMb.toFixed(0)} MB`);
      lines.push(`  ratio mlops / pandas: time ${(ours / python.seconds).toFixed(2)}×, peak memory ${(peak / python.maxRssMb).toFixed(2)}×`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

// `node --import tsx bench/monitor.ts` runs it alone.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.dirname, 'monitor.ts')) {
  benchMonitor().then((text) => process.stdout.write(`${text}\n`), (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
