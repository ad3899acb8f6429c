/**
 * Child processes of the test cluster. Each runs in its own process group (so a stop reaches the whole tree)
 * and carries a parent-death signal (`setpriv --pdeathsig KILL`, applied as the last step before exec), so a
 * crashed or killed test worker leaves no etcd, apiserver or container process behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface Supervised {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or 128+signal) when the process has exited. */
  readonly exited: Promise<number>;
  exitCode: number | undefined;
  signal(sig: NodeJS.Signals, wholeGroup?: boolean): void;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when gone. */
  stop(graceMs?: number): Promise<number>;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** File that receives stdout and stderr. */
  logFile?: string;
  /** Called with every chunk of output (after the log file). */
  onOutput?: (chunk: Buffer) => void;
}

export function startProcess(command: string, args: string[], options: StartOptions = {}): Supervised {
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  let log: WriteStream | undefined;
  if (options.logFile) log = createWriteStream(options.logFile, { flags: 'a' });
  const sink = (chunk: Buffer) => {
    log?.write(chunk);
    options.onOutput?.(chunk);
  };
  child.stdout?.on('data', sink);
  child.stderr?.on('data', sink);
  const supervised: Supervised = {
    child,
    pid,
    exitCode: undefined,
    exited: new Promise((resolve) => {
      child.on('error', () => undefined);
      child.on('close', (code, signal) => {
        const exitCode = code ?? 128 + (signal ? (SIGNAL_NUMBERS[signal] ?? 0) : 0);
        supervised.exitCode = exitCode;
        log?.end();
        resolve(exitCode);
      });
    }),
    signal(sig, wholeGroup = true) {
      try {
        process.kill(wholeGroup ? -pid : pid, sig);
      } catch {
        // already gone
      }
    },
    async stop(graceMs = 5000) {
      if (supervised.exitCode !== undefined) return supervised.exitCode;
      supervised.signal('SIGTERM');
      const timer = setTimeout(() => supervised.signal('SIGKILL'), graceMs);
      const code = await supervised.exited;
      clearTimeout(timer);
      // Whatever the leader left in its group goes too.
      supervised.signal('SIGKILL');
      return code;
    },
  };
  return supervised;
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env ?? process.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr?.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (code !== 0 && !options.allowFailure) reject(new Error(`${command} ${args.join(' ')} failed (${code}): ${output.trim()}`));
      else resolve({ code: code ?? 1, output });
    });
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
  });
}
