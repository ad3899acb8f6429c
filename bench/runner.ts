/**
 * The runner's cost as a user pays it: the whole `mlops run` process (start-up, loading, planning, every
 * execution with its folder, records and journal), not the scheduler inside one Node process.
 *   (r1) a 200-node DAG of no-op steps: `mlops run` vs `make -j<cores>` and, where installed (Debian's
 *        `snakemake`), `snakemake -j<cores>` on the same DAG; the three alternate, best of three each
 *   (r2) one task node of 2,000 variants of a no-op step: ms per execution and the process's peak memory
 *   (r3) the unchanged re-run of (r2): all 2,000 reused, wall time
 * The CLI is the built bundle (dist/cli/index.js) when present, else the sources through tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';

const cores = availableParallelism();
const REPO = resolve(import.meta.dirname, '..');
const ATTEMPTS = 3;

/** A layered DAG: `width` nodes per layer, each depending on two nodes of the layer before. */
function dag(count: number, width: number): { name: string; deps: string[] }[] {
  const nodes: { name: string; deps: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / width);
    const deps =
      layer === 0 ? [] : [...new Set([(layer - 1) * width + (i % width), (layer - 1) * width + ((i + 1) % width)])].map((d) => `n${d}`);
    nodes.push({ name: `n${i}`, deps });
  }
  return nodes;
}

function cliCommand(): string[] {
  const bundle = join(REPO, 'dist/cli/index.js');
  if (existsSync(bundle)) return [process.execPath, bundle];
  return [process.execPath, '--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href, join(REPO, 'src/cli/index.ts')];
}

interface Timed {
  seconds: number;
  /** Peak resident memory of the process in MB, when /usr/bin/time is there to say. */
  peakMb?: number;
}

/** Runs a command to the end; wall time, and peak RSS through GNU time when installed. */
function timed(command: string[], cwd: string): Timed {
  const gnuTime = existsSync('/usr/bin/time');
  const argv = gnuTime ? ['/usr/bin/time', '-f', 'MLOPS_BENCH_RSS_KB=%M', ...command] : command;
  const start = performance.now();
  // stdin from /dev/null: with Node's default (a socket pair) bash takes itself for a remote shell and
  // sources ~/.bashrc in every shell it starts, which made each Snakemake rule pay for the user's profile.
  const result = spawnSync(argv[0] ?? '', argv.slice(1), {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${String(result.status)}): ${(result.stderr || result.stdout).slice(-2000)}`);
  const rss = /MLOPS_BENCH_RSS_KB=(\d+)/.exec(result.stderr ?? '')?.[1];
  return rss !== undefined ? { seconds, peakMb: Number(rss) / 1024 } : { seconds };
}

/** The 1-minute load average, printed beside each figure: on a shared machine it says how much to trust it. */
function load(): string {
  return `load ${(loadavg()[0] ?? 0).toFixed(1)}`;
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

async function dagFiles(dir: string): Promise<void> {
  const nodes = dag(200, 10);
  await writeFile(
    join(dir, 'valohai.yaml'),
    stringify([
      { step: { name: 'noop', image: 'busybox', command: 'true', parameters: [{ name: 'id', type: 'string', default: '' }] } },
      {
        pipeline: {
          name: 'dag',
          nodes: nodes.map((n) => ({ name: n.name, type: 'execution', step: 'noop', override: { parameters: [{ name: 'id', type: 'string', default: n.name }] } })),
          edges: nodes.flatMap((n) => n.deps.map((d) => [`${d}.dependency.*`, `${n.name}.dependency.*`])),
        },
      },
    ]),
  );
  const makefile = [
    `all: ${nodes.map((n) => n.name).join(' ')}`,
    ...nodes.map((n) => `${n.name}: ${n.deps.join(' ')}\n\t@true`),
    `.PHONY: all ${nodes.map((n) => n.name).join(' ')}`,
  ].join('\n');
  await writeFile(join(dir, 'Makefile'), `${makefile}\n`);
  // Snakemake needs files to order rules by: each rule touches its own flag file.
  const snakefile = [
    `rule all:\n    input: ${nodes.map((n) => `"flags/${n.name}"`).join(', ')}`,
    ...nodes.map((n) => `rule ${n.name}:\n    input: ${n.deps.map((d) => `"flags/${d}"`).join(', ') || '[]'}\n    output: "flags/${n.name}"\n    shell: "true && touch {output}"`),
  ].join('\n\n');
  await writeFile(join(dir, 'Snakefile'), `${snakefile}\n`);
}

/**
 * The floor any Node runner pays: a fresh Node process that spawns `count` `/bin/sh -c true`, `cores` at
 * a time, each detached with its output piped (as executions are), and exits. Timed as a whole process.
 */
const SPAWN_FLOOR = `
import { spawn } from 'node:child_process';
const [count, jobs] = process.argv.slice(2).map(Number);
let started = 0, running = 0, done = 0;
await new Promise((resolve) => {
  const next = () => {
    while (running < jobs && started < count) {
      started++; running++;
      const child = spawn('/bin/sh', ['-c', 'true'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.resume(); child.stderr.resume();
      child.on('close', () => { running--; if (++done === count) resolve(); else next(); });
    }
  };
  next();
});
`;

/**
 * The same floor through the spawn helper the runner uses (src/exec/spawn-server.ts: python3's
 * posix_spawn, no fork of the Node process): what this runner pays per execution before its own work.
 * A bare Node start plus the starts timed inside the script (helper start-up included).
 */
const HELPER_SPAWN_FLOOR = `
import { spawnStep } from ${JSON.stringify(pathToFileURL(join(REPO, 'src/exec/spawn-server.ts')).href)};
const [count, jobs] = process.argv.slice(2).map(Number);
const start = performance.now();
let started = 0, running = 0, done = 0;
await new Promise((resolve) => {
  const next = () => {
    while (running < jobs && started < count) {
      started++; running++;
      const child = spawnStep('/bin/sh', ['-c', 'true'], { cwd: process.cwd(), env: { PATH: process.env.PATH }, spawner: 'helper' });
      child.stdout.resume(); child.stderr.resume();
      child.on('error', (error) => { console.error(error.message); process.exit(1); });
      child.on('close', () => { running--; if (++done === count) resolve(); else next(); });
    }
  };
  next();
});
// Timed from here: the TypeScript loader this script needs is no part of the floor.
console.log(\`MLOPS_FLOOR_MS=\${performance.now() - start}\`);
process.exit(0);
`;

async function helperSpawnFloor(root: string, count: number): Promise<Timed> {
  const dir = join(root, 'spawn-floor');
  await mkdir(dir, { recursive: true });
  const script = join(dir, 'helper-spawn-floor.mts');
  await writeFile(script, HELPER_SPAWN_FLOOR);
  const argv = [process.execPath, '--import', pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href, script, String(count), String(cores)];
  const result = spawnSync(argv[0] ?? '', argv.slice(1), { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = /MLOPS_FLOOR_MS=([\d.]+)/.exec(result.stdout ?? '')?.[1];
  if (result.status !== 0 || ms === undefined) throw new Error(`the helper spawn floor failed (${String(result.status)}): ${(result.stderr || result.stdout).slice(-2000)}`);
  // A bare Node start stands for the process the floor would be without the loader.
  return { seconds: timed([process.execPath, '-e', ''], dir).seconds + Number(ms) / 1000 };
}

async function spawnFloor(root: string, count: number): Promise<Timed> {
  // Its own folder: a script in a pipeline's folder would change that pipeline's code version.
  const dir = join(root, 'spawn-floor');
  await mkdir(dir, { recursive: true });
  const script = join(dir, 'spawn-floor.mjs');
  await writeFile(script, SPAWN_FLOOR);
  return timed([process.execPath, script, String(count), String(cores)], dir);
}

async function benchDagProcess(root: string): Promise<string[][]> {
  const dir = join(root, 'runner-dag');
  await mkdir(dir, { recursive: true });
  await dagFiles(dir);
  const snakemake = hasCommand('snakemake');
  const best = { make: Infinity, mlops: Infinity, snakemake: Infinity, floor: Infinity, helperFloor: Infinity };
  const cli = cliCommand();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    best.make = Math.min(best.make, timed(['make', `-j${cores}`, '-s'], dir).seconds);
    best.floor = Math.min(best.floor, (await spawnFloor(root, 200)).seconds);
    if (hasCommand('python3')) best.helperFloor = Math.min(best.helperFloor, (await helperSpawnFloor(root, 200)).seconds);
    await rm(join(dir, '.mlops'), { recursive: true, force: true });
    best.mlops = Math.min(best.mlops, timed([...cli, 'run', 'valohai.yaml', '--pipeline', 'dag', '--no-reuse', '--jobs', String(cores), '--project-dir', '.mlops'], dir).seconds);
    if (snakemake) {
      await rm(join(dir, 'flags'), { recursive: true, force: true });
      await rm(join(dir, '.snakemake'), { recursive: true, force: true });
      best.snakemake = Math.min(best.snakemake, timed(['snakemake', `-j${cores}`, '--quiet'], dir).seconds);
    }
  }
  const rows = [
    ['(r1) `mlops run` process, 200-node DAG vs make -j', `${best.mlops.toFixed(2)}s vs ${best.make.toFixed(2)}s (${load()})`, `${(best.mlops / best.make).toFixed(2)}×`, '≤ 2.0×'],
  ];
  rows.push([
    `(r1″) the same vs a Node process spawning 200 \`sh -c true\`, ${cores} at a time (the spawn floor of any Node runner)`,
    `${best.mlops.toFixed(2)}s vs ${best.floor.toFixed(2)}s (floor ${(best.floor / best.make).toFixed(2)}× make; ${load()})`,
    `${(best.mlops / best.floor).toFixed(2)}×`,
    '—',
  ]);
  if (best.helperFloor !== Infinity) {
    rows.push([
      `(r1‴) the same vs a Node process starting 200 \`sh -c true\` through the spawn helper, ${cores} at a time (the floor of this runner's spawn)`,
      `${best.mlops.toFixed(2)}s vs ${best.helperFloor.toFixed(2)}s (floor ${(best.helperFloor / best.make).toFixed(2)}× make; ${load()})`,
      `${(best.mlops / best.helperFloor).toFixed(2)}×`,
      '—',
    ]);
  }
  rows.push(
    snakemake
      ? ['(r1′) the same vs snakemake -j', `${best.mlops.toFixed(2)}s vs ${best.snakemake.toFixed(2)}s (${load()})`, `${(best.snakemake / best.mlops).toFixed(2)}× faster`, '≥ 5× faster']
      : ['(r1′) the same vs snakemake -j', 'snakemake not installed (Debian: apt-get install snakemake)', '—', '≥ 5× faster'],
  );
  return rows;
}

async function benchTaskProcess(root: string): Promise<string[][]> {
  const dir = join(root, 'runner-task');
  await mkdir(dir, { recursive: true });
  const count = 2000;
  await writeFile(
    join(dir, 'valohai.yaml'),
    stringify([
      { step: { name: 'noop', image: 'busybox', command: 'true', parameters: [{ name: 'i', type: 'integer', default: 0 }] } },
      { task: { name: 'many', step: 'noop', type: 'grid_search', parameters: [{ name: 'i', style: 'multiple', rules: { items: Array.from({ length: count }, (_, i) => i + 1) } }] } },
      { pipeline: { name: 'many', nodes: [{ name: 'many', type: 'task', task: 'many' }], edges: [] } },
    ]),
  );
  const cli = cliCommand();
  const args = ['run', 'valohai.yaml', '--pipeline', 'many', '--jobs', String(cores), '--project-dir', '.mlops'];
  const first = timed([...cli, ...args], dir);
  const firstLoad = load();
  const floor = await spawnFloor(root, count);
  const again = timed([...cli, ...args], dir);
  const againLoad = load();
  const perExecution = (first.seconds * 1000) / count;
  const memory = first.peakMb !== undefined ? `, peak ${first.peakMb.toFixed(0)} MB` : '';
  return [
    ['(r2) `mlops run`, task node of 2,000 no-op variants', `${first.seconds.toFixed(2)}s${memory} (${firstLoad})`, `${perExecution.toFixed(2)} ms/execution`, '< 3 ms, < 200 MB'],
    [
      `(r2″) a Node process spawning 2,000 \`sh -c true\`, ${cores} at a time (the spawn floor)`,
      `${floor.seconds.toFixed(2)}s (${load()})`,
      `${((floor.seconds * 1000) / count).toFixed(2)} ms/spawn`,
      '—',
    ],
    ['(r3) its unchanged re-run (all reused)', `${again.seconds.toFixed(2)}s${again.peakMb !== undefined ? `, peak ${again.peakMb.toFixed(0)} MB` : ''} (${againLoad})`, '—', '< 1.5 s'],
  ];
}

/** Rows of the runner-process benchmarks for bench/run.ts's table. */
export async function benchRunner(root: string): Promise<string[][]> {
  return [...(await benchDagProcess(root)), ...(await benchTaskProcess(root))];
}
