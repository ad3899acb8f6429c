// Helpers for the "runs never lie, leak or corrupt" acceptance tests: the real CLI as a real process,
// real git repositories, real files.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import type { RunRecord } from '../../src/store/runs.js';

export const cli = resolve(process.env['TRUTH_CLI'] ?? 'src/cli/index.ts');
/** tsx by absolute URL: the CLI runs with its working directory in a temp repository. */
const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment the CLI runs with: this test process's, minus anything that looks like a credential. */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/TOKEN|SECRET|^ACTIONS_|^INPUT_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

export function mlops(cwd: string, args: string[], env: NodeJS.ProcessEnv = baseEnv()): CliResult {
  const result = spawnSync(process.execPath, ['--import', tsx, cli, ...args], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting (its own process group, so a test can kill it like a terminal would). */
export function mlopsAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv = baseEnv()): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, ['--import', tsx, cli, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolveDone) => child.on('close', (code) => resolveDone({ code, stdout, stderr })));
  return { child, done };
}

export interface Repo {
  dir: string;
  file: string;
  mlopsDir: string;
  git(...args: string[]): string;
  write(path: string, text: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** A temp folder holding valohai.yaml from `items`; with `git`, a repository with everything committed. */
export async function makeRepo(items: unknown[], options: { git?: boolean; files?: Record<string, string> } = {}): Promise<Repo> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-truth-'));
  const file = join(dir, 'valohai.yaml');
  await writeFile(file, stringify(items));
  for (const [path, text] of Object.entries(options.files ?? {})) await writeFile(join(dir, path), text);
  const git = (...args: string[]): string => {
    const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  if (options.git) {
    git('init', '-q');
    await writeFile(join(dir, '.gitignore'), '.mlops/\n');
    git('add', '-A');
    git('commit', '-qm', 'first');
  }
  return {
    dir,
    file,
    mlopsDir: join(dir, '.mlops'),
    git,
    write: (path, text) => writeFile(join(dir, path), text),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export function step(name: string, command: string | string[], extra: Record<string, unknown> = {}): unknown {
  return { step: { name, image: 'busybox', command, ...extra } };
}

export function runIdOf(result: CliResult): string {
  const id = /run (\S+): /.exec(result.stdout)?.[1];
  if (id === undefined) throw new Error(`no run id in:\n${result.stdout}\n${result.stderr}`);
  return id;
}

export async function readRunJson(mlopsDir: string, runId: string): Promise<RunRecord> {
  return JSON.parse(await readFile(join(mlopsDir, 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
}

/** Every file under `dir`, recursively (absolute paths). */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await allFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export async function waitForFile(path: string, what: string, tries = 1200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    try {
      await readFile(path);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not appear (${path})`);
}

/** PIDs of processes whose environment says VH_PIPELINE_ID=runId. */
export async function processesOfRun(runId: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'latin1');
      if (environ.split('\0').includes(`VH_PIPELINE_ID=${runId}`)) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/** The CLI as a real process, awaited without blocking this process (a test's own server must answer). */
export function mlopsAwait(cwd: string, args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<CliResult> {
  return mlopsAsync(cwd, args, env).done;
}
