/**
 * One replica of a version of a local endpoint: the endpoint's server command running under `/bin/sh`
 * in its own process group on a free loopback port, and the version folder with the model files in place
 * (checksums verified). The supervisor owns the whole process group: whatever the shell started is
 * signalled with it, and when the shell exits (killed, or crashed) the rest of its group goes too.
 */
import { cleanEnvironment } from '../../exec/step-env.js';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import { closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { setPriority } from 'node:os';
import { hashFile } from '../../store/content-store.js';
import { ConfigurationError } from '../../util/errors.js';
import { safeRelativePath, type ModelFile } from '../model.js';
import { processAlive } from '../../util/process.js';

/**
 * How a version proves it is ready: GET `path` answering 2xx (a 404 is a failure: a server without the
 * route has not proved anything), or only a TCP connect when `path` is null (`health-path: none`).
 */
export interface HealthCheck {
  path: string | null;
  timeoutMs: number;
}

export const DEFAULT_HEALTH: HealthCheck = { path: '/healthz', timeoutMs: 30_000 };

/** Every server process gets this variable, so that a restarted daemon can tell its own processes from reused pids. */
export const REPLICA_MARKER = 'MLOPS_ENDPOINT_REPLICA';

export interface ServerSpec {
  script: string;
  /** Working directory of the command (the repository root, as for steps). */
  cwd: string;
  versionDir: string;
  env: Record<string, string>;
  health: HealthCheck;
  /** Unique per replica start; also set in the server's environment as REPLICA_MARKER. */
  marker: string;
}

/** Copies each file to `<versionDir>/<path>` and re-hashes the copy: a corrupt store object never serves. */
export async function placeModelFiles(versionDir: string, files: ModelFile[]): Promise<void> {
  await mkdir(versionDir, { recursive: true });
  for (const file of files) {
    const target = join(versionDir, safeRelativePath(file.path, `file ${file.name} path`));
    await mkdir(dirname(target), { recursive: true });
    await rm(target, { force: true });
    try {
      await copyFile(file.location, target);
    } catch {
      throw new ConfigurationError(`model file ${file.name} (${file.sha256}) is missing at ${file.location}`);
    }
    const copied = await hashFile(target);
    if (copied.sha256 !== file.sha256) {
      throw new ConfigurationError(`model file ${file.name}: checksum mismatch (expected ${file.sha256}, got ${copied.sha256})`);
    }
  }
}

/** A free loopback port: bind port 0, read it, release it. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function httpStatus(port: number, path: string, timeoutMs: number): Promise<number | undefined> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      done(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
    req.end();
  });
}

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // no process left in the group
  }
}


/**
 * Whether `pid` still is the replica started with `marker` (Linux: its environment says so). Elsewhere
 * only liveness can be checked, so a live pid is taken for ours.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  if (!processAlive(pid)) return false;
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {
    return process.platform !== 'linux';
  }
  return environ.split('\0').includes(`${REPLICA_MARKER}=${marker}`);
}

/** Kills the process group of a replica left behind by an earlier daemon, when it still is ours. */
export function killLeftover(pgid: number, marker: string): boolean {
  if (!isOurProcess(pgid, marker)) return false;
  signalGroup(pgid, 'SIGKILL');
  return true;
}

/**
 * How a daemon that did not start a replica learns at once that it exited (Node has no pidfd): every
 * replica is started holding the write end of a named pipe, `<version>/replica-<marker>.exit`, as fd 3,
 * which every process of its group inherits. A later daemon opens the read end; it reads end-of-file
 * when the last holder is gone, which is when the replica's group has exited. A server that closes fds
 * it did not open would look gone: the end-of-file is therefore checked against /proc, and polling
 * (ADOPTED_POLL_MS) takes over when the process still runs.
 */
export function exitPipePath(versionDir: string, marker: string): string {
  return join(versionDir, `replica-${marker}.exit`);
}

/**
 * The replica's own shell makes its exit pipe and holds it (read-write, so the open does not block) as fd 3
 * for the whole group, before the server command. Not the daemon: a fork of the daemon (which runs the
 * proxies) blocks its event loop for several ms (7–15 ms at 270 MB here), and a replica started during a
 * burst would add that to every request in flight. Without mkfifo the server runs without one (an adopting
 * daemon then polls). On one line with the command, so the shell's messages keep its line numbers.
 */
const EXIT_PIPE_PRELUDE = 'if mkfifo -m 600 "$MLOPS_EXIT_PIPE" 2>/dev/null; then exec 3<>"$MLOPS_EXIT_PIPE"; fi; unset MLOPS_EXIT_PIPE; ';

/** Interval of the liveness check of an adopted replica without a usable exit pipe. */
export const ADOPTED_POLL_MS = 250;

export interface SampleRequest {
  method: string;
  path: string;
  /** The JSON body, as text; none for a GET. */
  body?: string;
}

export interface SampleAnswer {
  /** Undefined when no answer came (refused, reset, timed out). */
  status?: number;
  /** The first 200 characters of the body. */
  text: string;
  error?: string;
  ms: number;
}

/** Sends one sample request straight to a replica (no proxy, a fresh connection), waiting at most `timeoutMs`. */
export function sendSample(port: number, sample: SampleRequest, timeoutMs: number): Promise<SampleAnswer> {
  const started = process.hrtime.bigint();
  const ms = (): number => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((done) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: sample.method,
        path: sample.path,
        agent: false,
        timeout: timeoutMs,
        headers: sample.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(sample.body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8').slice(0, 200), ms: ms() }));
        res.on('error', (error) => done({ text: '', error: error.message, ms: ms() }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in time')));
    req.on('error', (error) => done({ text: '', error: error.message, ms: ms() }));
    req.end(sample.body);
  });
}

/** Why `answer` is not a 2xx, or undefined when it is. */
export function sampleFailure(answer: SampleAnswer): string | undefined {
  if (answer.status === undefined) return `failed: ${answer.error ?? 'no answer'}`;
  if (answer.status < 200 || answer.status >= 300) return `answered ${answer.status}${answer.text ? `: ${answer.text}` : ''}`;
  return undefined;
}

/** The candidate's proof that it predicts: each sample answered 2xx within `maxLatencyMs`. Throws a ConfigurationError saying which failed. */
export async function smokeTest(port: number, samples: SampleRequest[], maxLatencyMs: number): Promise<void> {
  for (const sample of samples) {
    const answer = await sendSample(port, sample, Math.max(maxLatencyMs * 2, 1000));
    const what = `smoke request ${sample.method} ${sample.path}`;
    const failure = sampleFailure(answer);
    if (failure) throw new ConfigurationError(`${what} ${failure}`);
    if (answer.ms > maxLatencyMs) throw new ConfigurationError(`${what} took ${answer.ms.toFixed(0)} ms, above the ${maxLatencyMs} ms limit`);
  }
}

export class ServerProcess {
  private leader: number | undefined;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exited: Promise<void> = Promise.resolve();
  private poll: NodeJS.Timeout | undefined;
  /** The read end of an adopted replica's exit pipe. */
  private watcher: Socket | undefined;
  /** How its exit is noticed: the child's exit event, an adopted replica's exit pipe, or polling. */
  exitWatch: 'none' | 'child' | 'pipe' | 'poll' = 'none';
  /** Set once `stop()` was asked for, so an exit after it is not taken for a crash. */
  stopping = false;
  /** Started at a lower CPU priority, not yet restored. */
  private niced = false;
  readonly logPath: string;
  startedAt = 0;

  constructor(
    readonly spec: ServerSpec,
    readonly port: number,
  ) {
    this.logPath = join(spec.versionDir, 'server.log');
  }

  /** The shell's pid, which is also the process group id. */
  get pid(): number | undefined {
    return this.leader;
  }

  get running(): boolean {
    return this.leader !== undefined && this.exit === undefined;
  }

  get exitDescription(): string {
    return this.exit ? (this.exit.signal ?? `code ${String(this.exit.code)}`) : 'running';
  }

  private exitedWith(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.exit) return;
    this.exit = { code, signal };
    if (this.poll) clearInterval(this.poll);
    this.watcher?.destroy();
    void rm(this.exitPipe, { force: true });
    // The shell is gone: end what it started (a server it did not `exec`), so nothing keeps the port.
    if (this.leader !== undefined) signalGroup(this.leader, 'SIGKILL');
  }

  /**
   * Starts the server. `niceness` > 0 starts it at a lower CPU priority (set on the shell right after the
   * spawn, so `exec` and what it forks inherit it), for a start that must not slow the serving replicas;
   * `restorePriority()` puts it back once it is ready.
   */
  async start(env: Record<string, string>, niceness = 0): Promise<void> {
    const log = await open(this.logPath, 'a');
    try {
      const merged = { ...env, ...this.spec.env, PORT: String(this.port), HOST: '127.0.0.1', [REPLICA_MARKER]: this.spec.marker, MLOPS_EXIT_PIPE: this.exitPipe };
      // detached: its own process group, led by the shell, so the whole group can be signalled.
      const child = spawn('/bin/sh', ['-c', EXIT_PIPE_PRELUDE + this.spec.script], { cwd: this.spec.cwd, env: merged, detached: true, stdio: ['ignore', log.fd, log.fd] });
      this.leader = child.pid;
      if (niceness > 0 && child.pid !== undefined) {
        try {
          setPriority(child.pid, niceness);
          this.niced = true;
        } catch {
          // gone already, or not allowed: it starts at the normal priority
        }
      }
      this.startedAt = Date.now();
      this.exitWatch = 'child';
      this.exited = new Promise((done) => {
        child.once('exit', (code, signal) => {
          this.exitedWith(code, signal);
          done();
        });
        child.once('error', () => {
          this.exitedWith(null, null);
          done();
        });
      });
    } finally {
      await log.close();
    }
  }

  private get exitPipe(): string {
    return exitPipePath(this.spec.versionDir, this.spec.marker);
  }

  /**
   * Takes over a replica an earlier daemon started. There is no child handle: its exit is noticed by the
   * end-of-file on its exit pipe (see exitPipePath), or by polling when the pipe cannot tell.
   */
  adopt(pid: number, startedAt: number): void {
    this.leader = pid;
    this.startedAt = startedAt;
    this.exited = new Promise((done) => {
      const gone = (): boolean => {
        if (isOurProcess(pid, this.spec.marker)) return false;
        this.exitedWith(null, null);
        done();
        return true;
      };
      const poll = (): void => {
        this.exitWatch = 'poll';
        if (this.exit || gone()) return;
        this.poll = setInterval(() => void gone(), ADOPTED_POLL_MS);
      };
      let fd: number;
      try {
        fd = openSync(this.exitPipe, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch {
        return poll(); // started without one (an older daemon, or no mkfifo)
      }
      // Linux reports no hang-up to a reader that opened a FIFO without writers until one comes: a read
      // now tells. EAGAIN: a writer holds it, so its last close will wake us; end-of-file: nobody does.
      try {
        if (readSync(fd, Buffer.alloc(1)) === 0) {
          closeSync(fd);
          return poll();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
          closeSync(fd);
          return poll();
        }
      }
      const pipe = new Socket({ fd, readable: true, writable: false });
      this.watcher = pipe;
      this.exitWatch = 'pipe';
      pipe.unref();
      pipe.on('data', () => undefined);
      pipe.once('end', () => pipe.destroy());
      pipe.once('error', () => pipe.destroy());
      // End-of-file: the group is gone, or (checked) a server closed the fd; polling then takes over.
      pipe.once('close', () => {
        this.watcher = undefined;
        if (!this.exit) poll();
      });
    });
  }

  /** Resolves when healthy; throws a ConfigurationError naming the cause (exit, timeout) with the log's tail. */
  async waitHealthy(): Promise<void> {
    const { health } = this.spec;
    const deadline = Date.now() + health.timeoutMs;
    let last = 'no answer';
    // Polled quickly at first: a server is often up within tens of ms, and a scale-up waits for this.
    let pause = 5;
    while (Date.now() < deadline) {
      if (this.exit) throw new ConfigurationError(`server exited (${this.exitDescription}) before it was healthy${await this.logTail()}`);
      if (health.path === null) {
        if (await tcpOpen(this.port)) return;
      } else {
        const status = await httpStatus(this.port, health.path, 2000);
        if (status !== undefined && status >= 200 && status < 300) return;
        last = status === undefined ? 'no answer' : `status ${status}${status === 404 ? ': the server has no such route; set health-path to the right one, or none' : ''}`;
        // A server that answers, but not 2xx, will not get better by waiting long: give it a few tries.
        if (status !== undefined && status !== 503 && Date.now() > deadline - health.timeoutMs + 2000) break;
      }
      await sleep(pause);
      pause = Math.min(50, pause * 2);
    }
    throw new ConfigurationError(`health check ${health.path ?? 'tcp'} on port ${this.port} failed (${last})${await this.logTail()}`);
  }

  async logTail(): Promise<string> {
    const text = await readFile(this.logPath, 'utf8').catch(() => '');
    const lines = text.trimEnd().split('\n').slice(-5).join('\n');
    return lines ? `; last log lines:\n${lines}` : '';
  }

  /** The normal CPU priority again, after a start at a lower one (the process `exec` kept; best effort). */
  restorePriority(): void {
    if (!this.niced || this.leader === undefined) return;
    this.niced = false;
    try {
      setPriority(this.leader, 0);
    } catch {
      // exited meanwhile
    }
  }

  /** Resolves when the server process has exited, for whatever reason. */
  whenExited(): Promise<void> {
    return this.exited;
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; always ends the whole group. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const pgid = this.leader;
    if (pgid === undefined) return;
    if (!this.exit) {
      signalGroup(pgid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    signalGroup(pgid, 'SIGKILL'); // anything the shell left behind in the group
    if (this.poll) clearInterval(this.poll);
  }
}

/**
 * The environment model servers start from: the clean step environment (exec/step-env.ts: the
 * allow-list, never the runner's tokens), like every process of the user's.
 */
export function serverBaseEnvironment(): Record<string, string> {
  return cleanEnvironment();
}
