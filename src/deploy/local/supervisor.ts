/**
 * One version of a local endpoint: its folder with the model files in place (checksums verified), and
 * the endpoint's server command running under `/bin/sh` in its own process group on a free loopback port.
 */
import { cleanEnvironment } from '../../exec/step-env.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, open, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { hashFile } from '../../store/content-store.js';
import { ConfigurationError } from '../../util/errors.js';
import { safeRelativePath, type ModelFile } from '../model.js';

/** How a version proves it is ready: GET `path` answering 2xx, or a TCP connect when `path` is null. */
export interface HealthCheck {
  path: string | null;
  /** When the server answers 404 on the (default) path, accept an open port instead. */
  tcpFallback: boolean;
  timeoutMs: number;
}

export const DEFAULT_HEALTH: HealthCheck = { path: '/healthz', tcpFallback: true, timeoutMs: 30_000 };

export interface ServerSpec {
  script: string;
  /** Working directory of the command (the repository root, as for steps). */
  cwd: string;
  versionDir: string;
  env: Record<string, string>;
  health: HealthCheck;
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

export class ServerProcess {
  private child: ChildProcess | undefined;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** Set once `stop()` was asked for, so an exit after it is not taken for a crash. */
  stopping = false;
  readonly logPath: string;

  constructor(
    readonly spec: ServerSpec,
    readonly port: number,
  ) {
    this.logPath = join(spec.versionDir, 'server.log');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exit === undefined;
  }

  async start(): Promise<void> {
    const log = await open(this.logPath, 'a');
    try {
      // A model server starts from the same clean environment as a step (exec/step-env.ts).
      const env: Record<string, string> = cleanEnvironment();
      Object.assign(env, this.spec.env, { PORT: String(this.port), HOST: '127.0.0.1' });
      // Own process group (detached), so stopping the version also stops what its shell started.
      const child = spawn('/bin/sh', ['-c', this.spec.script], {
        cwd: this.spec.cwd,
        env,
        detached: true,
        stdio: ['ignore', log.fd, log.fd],
      });
      this.child = child;
      this.exited = new Promise((done) => {
        child.once('exit', (code, signal) => {
          this.exit = { code, signal };
          done();
        });
        child.once('error', () => {
          this.exit = { code: null, signal: null };
          done();
        });
      });
    } finally {
      await log.close();
    }
  }

  /** Resolves when healthy; throws a ConfigurationError naming the cause (exit, timeout) with the log's tail. */
  async waitHealthy(): Promise<void> {
    const { health } = this.spec;
    const deadline = Date.now() + health.timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (this.exit) throw new ConfigurationError(`server exited (${this.exit.signal ?? `code ${String(this.exit.code)}`}) before it was healthy${await this.logTail()}`);
      if (health.path === null) {
        if (await tcpOpen(this.port)) return;
      } else {
        const status = await httpStatus(this.port, health.path, 2000);
        if (status !== undefined && status >= 200 && status < 300) return;
        if (status === 404 && health.tcpFallback) return; // it listens, and has no health route
        last = status === undefined ? 'no answer' : `status ${status}`;
      }
      await sleep(50);
    }
    throw new ConfigurationError(`health check ${health.path ?? 'tcp'} on port ${this.port} failed after ${health.timeoutMs} ms (${last})${await this.logTail()}`);
  }

  private async logTail(): Promise<string> {
    const text = await readFile(this.logPath, 'utf8').catch(() => '');
    const lines = text.trimEnd().split('\n').slice(-5).join('\n');
    return lines ? `; last log lines:\n${lines}` : '';
  }

  /** Resolves when the server process has exited, for whatever reason. */
  whenExited(): Promise<void> {
    return this.exited;
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const pid = this.child?.pid;
    if (pid === undefined || this.exit) return;
    const signal = (name: NodeJS.Signals): void => {
      try {
        process.kill(-pid, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    signal('SIGKILL'); // anything the shell left behind in the group
  }
}
