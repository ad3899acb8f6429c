/**
 * The local deploy daemon: the proxies must outlive the `mlops deploy` command that started them, so a
 * detached process holds them and answers a small admin API on loopback (token in state.json, which only
 * the project's owner can read). The CLI talks to it via `client.ts`.
 *
 * Two processes: `mlops deploy --daemon` is the keeper, one per project (it holds `daemon.lock`), which
 * runs the worker (`--daemon-worker`, the proxies and the admin API) and starts it again when it dies
 * without being asked to; the new worker adopts the model servers that still run (state.json records
 * their process groups) and ends the ones it does not need.
 *
 *   GET  /ping                          -> {pid}
 *   GET  /endpoints                     -> EndpointState[]
 *   POST /deploy   LocalDeploySpec      -> SwitchResult
 *   POST /rollback {deployment, endpoint} -> SwitchResult
 *   POST /stop     {deployment?, endpoint?} -> EndpointState[]  (the daemon exits when nothing serves)
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmod, link, mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { listenerProvider, SocketKeeper } from './listener.js';
import { LocalDeployments, type LocalDeploySpec } from './manager.js';
import { processAlive } from '../../util/process.js';

export const TOKEN_HEADER = 'x-mlops-token';

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigurationError('request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConfigurationError(`${name} must be a string`);
  return value;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** The worker: runs until stopped (SIGTERM/SIGINT, or a `/stop` that leaves nothing serving), then exits 0. */
export async function runDaemonWorker(projectDir: string): Promise<void> {
  // state.json holds the admin token: only the owner may read the folder.
  const folder = join(projectDir, 'deployments');
  await mkdir(folder, { recursive: true });
  await chmod(folder, 0o700);
  const manager = new LocalDeployments(projectDir, { listeners: listenerProvider() });
  const token = randomBytes(24).toString('hex');
  let shutdown: (() => void) | undefined;
  const finished = new Promise<void>((done) => {
    shutdown = done;
  });

  const server = createServer((request, response) => {
    void (async () => {
      if (request.headers[TOKEN_HEADER] !== token) return send(response, 401, { error: 'bad or missing token' });
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      try {
        if (request.method === 'GET' && path === '/ping') return send(response, 200, { pid: process.pid });
        if (request.method === 'GET' && path === '/endpoints') return send(response, 200, manager.list());
        if (request.method === 'POST' && path === '/deploy') {
          return send(response, 200, await manager.deploy((await readJson(request)) as unknown as LocalDeploySpec));
        }
        if (request.method === 'POST' && path === '/rollback') {
          const body = await readJson(request);
          const deployment = optionalString(body, 'deployment');
          const endpoint = optionalString(body, 'endpoint');
          if (!deployment || !endpoint) throw new ConfigurationError('rollback needs deployment and endpoint');
          return send(response, 200, await manager.rollback(deployment, endpoint));
        }
        if (request.method === 'POST' && path === '/stop') {
          const body = await readJson(request);
          const stopped = await manager.stop(optionalString(body, 'deployment'), optionalString(body, 'endpoint'));
          send(response, 200, stopped);
          if (manager.serving === 0) shutdown?.();
          return;
        }
        send(response, 404, { error: `no route ${request.method ?? ''} ${path}` });
      } catch (error) {
        send(response, error instanceof ConfigurationError ? 400 : 500, { error: getErrorMessage(error) });
      }
    })();
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => done());
  });
  const address = server.address();
  const adminPort = typeof address === 'object' && address ? address.port : 0;
  await manager.restore({ pid: process.pid, adminPort, token, startedAt: new Date().toISOString() });

  process.once('SIGTERM', () => shutdown?.());
  process.once('SIGINT', () => shutdown?.());
  await finished;
  server.close();
  server.closeAllConnections();
  await manager.close();
  await manager.clearDaemon();
  // The IPC channel to the keeper would keep this process alive.
  if (process.connected) process.disconnect();
}


export function lockPath(projectDir: string): string {
  return join(projectDir, 'deployments', 'daemon.lock');
}

/** Takes the project's daemon lock (atomically, by hard link); undefined with the holder's pid when a live keeper has it. */
export async function takeLock(projectDir: string): Promise<{ release: () => Promise<void> } | { heldBy: number }> {
  const path = lockPath(projectDir);
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(temp, path);
        return { release: () => rm(path, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) return { heldBy: holder };
      await rm(path, { force: true }); // left by a keeper that died
    }
    throw new ConfigurationError(`cannot take the deploy daemon lock ${path}`);
  } finally {
    await rm(temp, { force: true });
  }
}

export interface WorkerLauncher {
  command: string;
  args: string[];
}

/** Worker restarts after a crash: quick at first, slower in a loop, reset after a healthy minute. */
function restartDelay(crashes: number): number {
  return Math.min(10_000, 200 * 2 ** Math.max(0, crashes - 1));
}

/** The keeper (see the top of this file). Resolves with the exit code for the CLI. */
export async function runDaemon(projectDir: string, worker: WorkerLauncher): Promise<number> {
  const folder = join(projectDir, 'deployments');
  await mkdir(folder, { recursive: true });
  await chmod(folder, 0o700);
  const lock = await takeLock(projectDir);
  if ('heldBy' in lock) {
    process.stdout.write(`a deploy daemon already runs for ${projectDir} (keeper pid ${lock.heldBy})\n`);
    return 0;
  }
  let stopping = false;
  let child: ReturnType<typeof spawn> | undefined;
  const stop = (): void => {
    stopping = true;
    child?.kill('SIGTERM');
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let crashes = 0;
  const sockets = new SocketKeeper();
  try {
    for (;;) {
      const started = Date.now();
      const log = await open(join(folder, 'daemon.log'), 'a');
      const running = spawn(worker.command, worker.args, {
        stdio: ['ignore', log.fd, log.fd, 'ipc'],
        env: { ...process.env, MLOPS_DEPLOY_KEEPER: String(process.pid) },
      });
      child = running;
      sockets.attach(running);
      await log.close();
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
        running.once('exit', (code, signal) => done({ code, signal }));
        running.once('error', () => done({ code: null, signal: null }));
      });
      sockets.detach();
      if (stopping || exit.code === 0) return 0;
      if (Date.now() - started > 60_000) crashes = 0;
      crashes += 1;
      process.stderr.write(`${new Date().toISOString()} deploy daemon worker exited (${exit.signal ?? `code ${String(exit.code)}`}); starting it again\n`);
      await new Promise((done) => setTimeout(done, restartDelay(crashes)));
      if (stopping) return 0;
    }
  } finally {
    sockets.close();
    await lock.release();
  }
}
