/**
 * The UI tests' world: a temporary copy of the repository's digits example (a git checkout), the real
 * CLI run from the sources, the UI's assets built by scripts/build-ui.mjs, and `mlops ui` started as
 * a child process the way a user starts it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname, '../..');
const cli = join(repoRoot, 'src/cli/index.ts');
const tsx = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs');

/** Who acts in these tests (runs, registry moves), so the pages and the history can be checked for it. */
export const ACTOR = 'ui-e2e';

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, GITHUB_ACTOR: ACTOR, CI: 'true', ...extra };
}

export async function mlops(cwd: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(process.execPath, ['--import', tsx, cli, ...args], { cwd, env: cliEnv(), maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    throw new Error(`mlops ${args.join(' ')} failed:\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
  }
}

/** Starts `mlops <args>` without waiting for it (a live run). */
export function mlopsChild(cwd: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', tsx, cli, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Builds the browser app into a temp folder (what `npm run build` puts in dist/cli/ui). */
export async function buildAssets(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'mlops-ui-assets-'));
  await execFileAsync(process.execPath, [join(repoRoot, 'scripts/build-ui.mjs'), out], { cwd: repoRoot });
  return out;
}

/** A git checkout holding the digits example, as a user's repository would. */
export async function digitsRepository(): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'mlops-ui-digits-'));
  await cp(join(repoRoot, 'examples/digits'), join(work, 'examples/digits'), { recursive: true, filter: (source) => !source.includes('.mlops') });
  await writeFile(join(work, '.gitignore'), '.mlops/\n');
  const git = (...args: string[]): Promise<unknown> => execFileAsync('git', ['-c', 'user.name=UI Tester', '-c', 'user.email=ui@example.invalid', ...args], { cwd: work });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-qm', 'digits');
  return work;
}

export interface RunningUi {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `mlops ui --port 0 …` in `cwd`; resolves once it printed its URL. */
export async function startUi(cwd: string, assets: string, ...args: string[]): Promise<RunningUi> {
  // The safety poll an hour away: live pages change only because the server watched the files change.
  const child = spawn(process.execPath, ['--import', tsx, cli, 'ui', '--port', '0', ...args], { cwd, env: cliEnv({ MLOPS_UI_ASSETS: assets, MLOPS_UI_SAFETY_POLL_MS: '3600000' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^mlops ui: (http\S+)/.exec(line);
      if (match?.[1]) resolveUrl(match[1].replace(/\/$/, '').replace(/\/\?token=.*$/, ''));
    });
    child.once('exit', (code) => reject(new Error(`mlops ui exited with ${String(code)}: ${stderr}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
