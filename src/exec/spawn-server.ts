/**
 * Starting a step's process without forking the runner.
 *
 * Node's `child_process.spawn` forks the whole runner on Linux and blocks the event loop until the child
 * has exec'd: 6–9 ms per step here, growing with the runner's memory, most of what an execution of a
 * no-op step costs. A spawn helper (a long-lived `python3 -I -S` process, spawn-helper-source.ts, started
 * once per Node process at the first step) starts the steps with posix_spawn(3) instead, and streams their
 * output and exit status back; starting a step costs the runner one pipe write.
 *
 * The helper's steps look exactly like Node's detached children to `runProcess`: a session (and process
 * group) of their own, the given cwd and environment and nothing else, stdin /dev/null, stdout/stderr
 * pipes, fds 0–2 only, every signal disposition default and none blocked; `pid` once started ('spawn'),
 * `stdout`/`stderr` streams, 'error' with Node's message (`spawn <file> ENOENT`), 'exit' (code, signal)
 * when reaped and 'close' once both streams ended too.
 *
 * Python is not required: when python3 is missing, older than 3.8 or the helper does not answer in
 * time, steps start with Node's spawn, unchanged. `MLOPS_SPAWNER=node` always uses Node's spawn;
 * `MLOPS_SPAWNER=helper` insists on the helper (a step fails when it cannot start). A helper that dies
 * under running steps fails each of them with that reason and kills their process groups (they can no
 * longer be watched); later steps start with Node's spawn.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { SPAWN_HELPER_SOURCE } from './spawn-helper-source.js';

/** What runProcess uses of a started step: Node's ChildProcess has it, and so has a helper's step. */
export interface StepProcess {
  readonly pid?: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'exit' | 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  once(event: 'spawn', listener: () => void): this;
}

export type SpawnerChoice = 'node' | 'helper' | 'auto';

export interface StepSpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Default: MLOPS_SPAWNER, else `auto` (the helper where it runs). */
  spawner?: SpawnerChoice;
}

/** How long the helper may take to start and say it is ready before steps start with Node's spawn. */
const HANDSHAKE_MS = 10_000;
/** Errors Node's spawn reports as an 'error' event; any other it throws (with a shorter message). */
const ASYNC_SPAWN_ERRORS = new Set(['EACCES', 'EAGAIN', 'EMFILE', 'ENFILE', 'ENOENT']);
const SIGNAL_NAMES = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(constants.signals) as [NodeJS.Signals, number][]) {
  if (!SIGNAL_NAMES.has(number)) SIGNAL_NAMES.set(number, name);
}

function spawnerChoice(option: SpawnerChoice | undefined): SpawnerChoice {
  if (option) return option;
  const value = process.env['MLOPS_SPAWNER'];
  return value === 'node' || value === 'helper' ? value : 'auto';
}

/** Node's own start of a step: its own session and process group, output piped. */
function nodeSpawn(command: string, args: string[], options: StepSpawnOptions): ChildProcess {
  return spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * The environment as Node's spawn passes it (every enumerable key, undefined values left out), or
 * undefined when the helper cannot pass it the same way: Node refuses NUL bytes (it throws, and so it
 * should here) and passes names that posix_spawn in Python would refuse (empty, or holding `=`).
 */
function plainRequest(command: string, args: string[], options: StepSpawnOptions): { argv: string[]; env: [string, string][] } | undefined {
  const hasNul = (text: string): boolean => text.includes('\0');
  // A bare name is looked up in the step's PATH by Node; posix_spawnp would use the helper's.
  if (!command.includes('/') || hasNul(command) || hasNul(options.cwd) || args.some((arg) => typeof arg !== 'string' || hasNul(arg))) return undefined;
  const env: [string, string][] = [];
  for (const key in options.env) {
    const value = options.env[key];
    if (value === undefined) continue;
    const text = `${value}`;
    if (key === '' || key.includes('=') || hasNul(key) || hasNul(text)) return undefined;
    env.push([key, text]);
  }
  return { argv: [command, ...args], env };
}

/**
 * Starts `command args` as Node's `spawn(command, args, { cwd, env, detached: true, stdio: ['ignore',
 * 'pipe', 'pipe'] })` would, through the spawn helper where it can.
 */
export function spawnStep(command: string, args: string[], options: StepSpawnOptions): StepProcess {
  const choice = spawnerChoice(options.spawner);
  const request = choice === 'node' ? undefined : plainRequest(command, args, options);
  if (request === undefined || (choice === 'auto' && helperUnavailable !== undefined)) return nodeSpawn(command, args, options);
  const step = new HelperStep(command, args, options, choice === 'helper');
  if (helperUnavailable !== undefined) {
    const reason = helperUnavailable;
    process.nextTick(() => step.fail(new Error(`the spawn helper is unavailable (MLOPS_SPAWNER=helper): ${reason}`)));
    return step;
  }
  helper ??= new SpawnHelper();
  helper.submit(step, { cwd: resolve(options.cwd), file: command, argv: request.argv, env: request.env });
  return step;
}

/** Calls `onPid` with the step's pid once it is known (at once for Node's spawn). */
export function whenStarted(child: StepProcess, onPid: (pid: number) => void): void {
  if (child.pid !== undefined) onPid(child.pid);
  else child.once('spawn', () => child.pid !== undefined && onPid(child.pid));
}

/** The running helper's pid, if one runs in this process (tests). */
export function spawnHelperPid(): number | undefined {
  return helper?.pid;
}

/** Stops this process's helper (if any) and forgets that it was unavailable (tests). */
export function resetSpawnHelper(): void {
  helper?.stop();
  helper = undefined;
  helperUnavailable = undefined;
}

let helper: SpawnHelper | undefined;
/** Why the helper cannot be used in this process; steps then start with Node's spawn. */
let helperUnavailable: string | undefined;

/** A step started by the helper, seen as a ChildProcess is seen. */
class HelperStep extends EventEmitter implements StepProcess {
  pid: number | undefined;
  readonly stdout = new Readable({ read: () => undefined });
  readonly stderr = new Readable({ read: () => undefined });
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private openStreams = 2;
  private done = false;
  /** Called once the step is finished ('close' or 'error'). */
  onDone: () => void = () => undefined;

  constructor(
    readonly command: string,
    readonly args: string[],
    readonly options: StepSpawnOptions,
    /** MLOPS_SPAWNER=helper: never fall back to Node's spawn. */
    readonly helperOnly: boolean,
  ) {
    super();
    for (const stream of [this.stdout, this.stderr]) stream.once('close', () => this.streamClosed());
  }

  get finished(): boolean {
    return this.done;
  }

  started(pid: number): void {
    this.pid = pid;
    this.emit('spawn');
  }

  data(stream: Readable, chunk: Buffer): void {
    if (!stream.destroyed && !stream.readableEnded) stream.push(chunk);
  }

  end(stream: Readable): void {
    if (!stream.destroyed && !stream.readableEnded) stream.push(null);
  }

  /** Reaped: 'exit' now, 'close' once both streams are done (as Node orders them). */
  exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal };
    this.emit('exit', code, signal);
    // As Node's ChildProcess does: output nobody reads is drained, so 'close' still comes.
    process.nextTick(() => {
      for (const stream of [this.stdout, this.stderr]) if (stream.readable && stream.listenerCount('readable') === 0) stream.resume();
    });
    this.maybeClose();
  }

  /** Could not be started, or can no longer be watched: one 'error', nothing after it. */
  fail(error: Error): void {
    if (this.done) return;
    this.done = true;
    this.onDone();
    this.emit('error', error);
    this.stdout.destroy();
    this.stderr.destroy();
  }

  /** Started by Node's spawn after all (the helper could not start): forwards its events. */
  adopt(child: ChildProcess): void {
    this.pid = child.pid;
    child.once('spawn', () => this.emit('spawn'));
    child.on('error', (error) => this.fail(error));
    for (const [from, to] of [
      [child.stdout, this.stdout],
      [child.stderr, this.stderr],
    ] as const) {
      from?.on('data', (chunk: Buffer) => this.data(to, chunk));
      from?.on('end', () => this.end(to));
      to.once('close', () => from?.destroy());
    }
    child.on('exit', (code, signal) => this.exited(code, signal));
  }

  private streamClosed(): void {
    this.openStreams -= 1;
    this.maybeClose();
  }

  private maybeClose(): void {
    if (this.done || this.exit === undefined || this.openStreams > 0) return;
    this.done = true;
    this.onDone();
    this.emit('close', this.exit.code, this.exit.signal);
  }
}

interface SpawnRequest {
  file: string;
  argv: string[];
  cwd: string;
  env: [string, string][];
}

/** UTF-8 bytes spelled as latin-1 characters: the helper turns them back into the same bytes. */
function bytesAsLatin1(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

const HEADER_BYTES = 9;

/** One python3 helper process and the steps it runs. */
class SpawnHelper {
  private readonly process: ChildProcess;
  private state: 'starting' | 'ready' | 'gone' = 'starting';
  private readonly queued: { step: HelperStep; line: string }[] = [];
  private readonly steps = new Map<number, HelperStep>();
  private nextId = 1;
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  /** The frame being received: its header read, `remaining` payload bytes still to come. */
  private frame: { kind: string; id: number; remaining: number; parts: Buffer[] } | undefined;
  private stderrTail = '';
  private readonly handshake: NodeJS.Timeout;
  private stopping = false;

  constructor() {
    // Its own process group: a terminal's Ctrl-C reaches the runner, which stops the steps itself.
    this.process = spawn('python3', ['-I', '-S', '-c', SPAWN_HELPER_SOURCE], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...(process.env['PATH'] === undefined ? {} : { PATH: process.env['PATH'] }), LC_ALL: 'C.UTF-8' },
      cwd: '/',
    });
    const { stdin, stdout, stderr } = this.process;
    if (!stdin || !stdout || !stderr) throw new Error('BUG: the spawn helper has no pipes');
    stdin.on('error', () => undefined); // EPIPE when it died: reported by 'close'
    stderr.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-2000)));
    stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.on('error', (error) => this.gone(`could not start python3: ${error.message}`));
    this.process.on('close', (code, signal) => this.gone(signal ? `killed by ${signal}` : `exit code ${code ?? 'unknown'}`));
    this.handshake = setTimeout(() => {
      this.gone(`python3 did not answer within ${HANDSHAKE_MS / 1000} s`);
      this.kill();
    }, HANDSHAKE_MS);
    this.handshake.unref();
    this.updateRef();
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  submit(step: HelperStep, request: SpawnRequest): void {
    const id = this.nextId++;
    this.steps.set(id, step);
    step.onDone = () => this.updateRef();
    const line = `${JSON.stringify({
      id,
      file: bytesAsLatin1(request.file),
      argv: request.argv.map(bytesAsLatin1),
      cwd: bytesAsLatin1(request.cwd),
      env: request.env.map(([key, value]) => [bytesAsLatin1(key), bytesAsLatin1(value)]),
    })}\n`;
    if (this.state === 'ready') this.process.stdin?.write(line);
    else this.queued.push({ step, line });
    this.updateRef();
  }

  /** Ends the helper (tests); steps it started keep running, as they would after the runner exits. */
  stop(): void {
    this.stopping = true;
    this.process.stdin?.end();
  }

  private kill(): void {
    if (this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Keeps the runner alive while a step runs, and never otherwise. */
  private updateRef(): void {
    for (const [id, step] of this.steps) if (step.finished) this.steps.delete(id);
    const stdout = this.process.stdout as (Readable & { ref?: () => void; unref?: () => void }) | null;
    // The process handle too: once its stdout has ended, only the exit status it waits for says why.
    if (this.steps.size > 0 && this.state !== 'gone') {
      stdout?.ref?.();
      this.process.ref();
    } else {
      stdout?.unref?.();
      this.process.unref();
    }
    (this.process.stdin as { unref?: () => void } | null)?.unref?.();
    (this.process.stderr as { unref?: () => void } | null)?.unref?.();
  }

  /** Frames may span chunks; output payloads go to their step piece by piece, never copied. */
  private receive(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.frame === undefined) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill < HEADER_BYTES) break;
        this.headerFill = 0;
        this.frame = { kind: String.fromCharCode(this.header[0] ?? 0), id: this.header.readUInt32BE(1), remaining: this.header.readUInt32BE(5), parts: [] };
      }
      const frame = this.frame;
      const take = Math.min(frame.remaining, chunk.length - at);
      if (take > 0) {
        const piece = chunk.subarray(at, at + take);
        at += take;
        frame.remaining -= take;
        if (frame.kind === 'O' || frame.kind === 'E') this.handle(frame.kind, frame.id, piece);
        else frame.parts.push(piece);
      }
      if (frame.remaining > 0) break;
      this.frame = undefined;
      if (frame.kind !== 'O' && frame.kind !== 'E') this.handle(frame.kind, frame.id, Buffer.concat(frame.parts));
    }
    this.updateRef();
  }

  private handle(kind: string, id: number, payload: Buffer): void {
    if (kind === 'R') return this.ready();
    const step = this.steps.get(id);
    if (!step) return;
    switch (kind) {
      case 'S':
        return step.started(payload.readUInt32BE(0));
      case 'F':
        return step.fail(spawnError(step, payload.toString('latin1')));
      case 'O':
        return step.data(step.stdout, payload);
      case 'E':
        return step.data(step.stderr, payload);
      case 'o':
        return step.end(step.stdout);
      case 'e':
        return step.end(step.stderr);
      case 'X': {
        const code = payload.readInt32BE(0);
        const signal = payload.readInt32BE(4);
        return step.exited(code < 0 ? null : code, code < 0 ? (SIGNAL_NAMES.get(signal) ?? null) : null);
      }
      default:
        this.gone(`it sent an unknown frame type ${JSON.stringify(kind)}`);
        this.kill();
    }
  }

  private ready(): void {
    if (this.state !== 'starting') return;
    this.state = 'ready';
    clearTimeout(this.handshake);
    for (const { line } of this.queued.splice(0)) this.process.stdin?.write(line);
  }

  /** The helper ended or cannot be used: steps not started yet start with Node's spawn; running ones fail. */
  private gone(why: string): void {
    if (this.state === 'gone') return;
    const wasReady = this.state === 'ready';
    this.state = 'gone';
    clearTimeout(this.handshake);
    if (helper === this) helper = undefined;
    const detail = this.stderrTail.trim().split('\n').at(-1) ?? '';
    const reason = `the spawn helper (python3${this.process.pid === undefined ? '' : `, pid ${this.process.pid}`}) ${wasReady ? 'ended' : 'could not start'}: ${why}${detail ? ` (${detail.slice(0, 300)})` : ''}`;
    if (!this.stopping) helperUnavailable ??= reason;
    const queued = new Set(this.queued.splice(0).map(({ step }) => step));
    for (const step of this.steps.values()) {
      if (step.finished) continue;
      if (queued.has(step) && !step.helperOnly) {
        step.adopt(nodeSpawn(step.command, step.args, step.options));
        continue;
      }
      // Started by the helper (or asked of it) and no longer watched: nothing of it may keep running.
      if (step.pid !== undefined) {
        try {
          process.kill(-step.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      step.fail(new Error(`${reason}${step.pid !== undefined ? `; the step's process group ${step.pid} was killed` : ''}`));
    }
    this.steps.clear();
    this.updateRef();
  }
}

/** The error Node's spawn gives for this errno: an 'error' event `spawn <file> <CODE>`, or what it throws. */
function spawnError(step: HelperStep, code: string): Error {
  const errnoValue = (constants.errno as Record<string, number | undefined>)[code];
  const asyncError = ASYNC_SPAWN_ERRORS.has(code);
  const syscall = asyncError ? `spawn ${step.command}` : 'spawn';
  const error = Object.assign(new Error(`${syscall} ${code}`), {
    errno: errnoValue === undefined ? undefined : -errnoValue,
    code,
    syscall,
    ...(asyncError ? { path: step.command, spawnargs: step.args } : {}),
  });
  return error;
}
