/**
 * The local deploy daemon: the proxies must outlive the `mlops deploy` command that started them, so a
 * detached process holds them and answers a small admin API on loopback (token in state.json, which only
 * the project's owner can read). `mlops deploy --daemon` runs it; the CLI talks to it via `client.ts`.
 *
 *   GET  /ping                          -> {pid}
 *   GET  /endpoints                     -> EndpointState[]
 *   POST /deploy   LocalDeploySpec      -> SwitchResult
 *   POST /rollback {deployment, endpoint} -> SwitchResult
 *   POST /stop     {deployment?, endpoint?} -> EndpointState[]  (the daemon exits when nothing serves)
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { LocalDeployments, type LocalDeploySpec } from './manager.js';

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

/** Runs until stopped (SIGTERM/SIGINT, or a `/stop` that leaves nothing serving). */
export async function runDaemon(projectDir: string): Promise<void> {
  // state.json holds the admin token: only the owner may read the folder.
  const folder = join(projectDir, 'deployments');
  await mkdir(folder, { recursive: true });
  await chmod(folder, 0o700);
  const manager = new LocalDeployments(projectDir);
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
}
