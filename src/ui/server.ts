/**
 * The `mlops ui` server: the browser app's files (bundled at build time into `dist/cli/ui/`) and a JSON
 * API under `/api/` over the project folder, read live through the same library functions as the CLI.
 *
 * Security: it listens on loopback unless told otherwise, and then only with a token. On loopback it
 * still refuses requests whose Host is not a loopback name (a DNS-rebinding page cannot reach it), and
 * every state change (promote, rollback) must be a same-origin JSON POST (a cross-site form cannot send
 * one). With a token, each request carries it (cookie set by opening the printed URL, or a bearer header).
 */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { extname, join, normalize, sep } from 'node:path';
import { listRuns } from '../store/runs.js';
import { LocalRegistry } from '../registry/local.js';
import { readState } from '../deploy/local/manager.js';
import { getErrorMessage } from '../util/errors.js';
import type { ProjectInfo } from './api-types.js';
import { errorAnswer, HttpError, route, sendJson, type Route, type RouteContext } from './http.js';
import { runRoutes } from './routes/runs.js';
import { compareRoutes } from './routes/compare.js';
import { modelRoutes } from './routes/models.js';
import { endpointRoutes } from './routes/endpoints.js';
import { monitoringRoutes, readMonitoring } from './routes/monitoring.js';
import { watchTimingFromEnv, type WatchTiming } from './watch.js';

export interface UiServerOptions {
  projectDir: string;
  /** Folder with index.html and the bundled assets. */
  assetsDir: string;
  host?: string;
  port?: number;
  /** Required by every request when set (always set when the host is not loopback). */
  token?: string;
  readOnly?: boolean;
  /** How live streams wait for changes (default: fs.watch, 40 ms debounce, 5 s safety poll, or MLOPS_UI_SAFETY_POLL_MS). */
  watch?: Partial<WatchTiming>;
}

export interface UiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const TOKEN_COOKIE = 'mlops_ui_token';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

async function projectInfo({ projectDir, writable }: RouteContext): Promise<ProjectInfo> {
  const [runs, models, state, monitoring] = await Promise.all([
    listRuns(projectDir),
    new LocalRegistry(projectDir).models(),
    readState(projectDir),
    readMonitoring(projectDir),
  ]);
  return { projectDir, runs: runs.length, models: models.length, endpoints: state.endpoints.length, monitoring: monitoring.checks.length, writable };
}

const routes: Route[] = [
  route('GET', '/api/project', projectInfo),
  ...runRoutes,
  ...compareRoutes,
  ...modelRoutes,
  ...endpointRoutes,
  ...monitoringRoutes,
];

function hostName(request: IncomingMessage): string {
  const host = request.headers.host ?? '';
  // `[::1]:8080` → `[::1]`, `localhost:8080` → `localhost`.
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function serveAsset(assetsDir: string, pathname: string, response: ServerResponse): Promise<void> {
  // Paths with a file extension are assets; everything else is a page of the app (deep links).
  const isFile = extname(pathname) !== '';
  const relativePath = isFile ? normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '') : 'index.html';
  const file = join(assetsDir, relativePath);
  if (!file.startsWith(assetsDir.endsWith(sep) ? assetsDir : assetsDir + sep)) throw new HttpError(404, 'not found');
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new HttpError(404, `no such file: ${pathname}`);
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    // The app's files change only with a new build; pages always revalidate.
    'cache-control': relativePath === 'index.html' ? 'no-cache' : 'public, max-age=300',
    ...SECURITY_HEADERS,
  });
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.once('error', reject);
    stream.once('end', () => resolve());
    stream.pipe(response);
  });
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token;
  if (!isLoopbackHost(host) && !token) throw new Error('a UI listening beyond loopback needs a token');
  if (!existsSync(join(options.assetsDir, 'index.html'))) {
    throw new Error(`the UI's files are missing from ${options.assetsDir} (build them with \`npm run build\`)`);
  }
  const watch: WatchTiming = { ...watchTimingFromEnv(), ...options.watch };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://ui.invalid');
    // DNS rebinding: on loopback only loopback names may be used to reach us.
    if (isLoopbackHost(host) && !isLoopbackHost(hostName(request))) throw new HttpError(403, `requests must be addressed to localhost, not ${hostName(request) || 'an empty host'}`);
    if (token) {
      const given = url.searchParams.get('token');
      if (given !== null && sameSecret(given, token) && request.method === 'GET' && !url.pathname.startsWith('/api/')) {
        url.searchParams.delete('token');
        response.writeHead(303, {
          location: `${url.pathname}${url.search}`,
          'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        });
        response.end();
        return;
      }
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!sameSecret(bearer ?? cookie(request, TOKEN_COOKIE), token)) throw new HttpError(401, 'this UI needs its token: open the URL `mlops ui` printed (with ?token=…)');
    }
    if (request.method === 'POST') {
      const origin = request.headers.origin;
      const expected = `http://${request.headers.host ?? ''}`;
      if (origin !== undefined && origin !== expected) throw new HttpError(403, `cross-origin request from ${origin} refused`);
    }
    if (url.pathname.startsWith('/api/')) {
      const match = routes
        .map((r) => ({ r, m: r.method === request.method ? r.pattern.exec(url.pathname) : null }))
        .find(({ m }) => m !== null);
      if (!match || !match.m) {
        const known = routes.some((r) => r.pattern.test(url.pathname));
        throw new HttpError(known ? 405 : 404, known ? `${request.method ?? ''} is not allowed here` : `no API ${url.pathname}`);
      }
      const params: Record<string, string> = {};
      match.r.names.forEach((name, index) => {
        params[name] = decodeURIComponent(match.m?.[index + 1] ?? '');
      });
      const closed = new Promise<void>((resolve) => response.once('close', () => resolve()));
      const result = await match.r.handler({ projectDir: options.projectDir, request, response, url, params, writable: !options.readOnly, closed, watch });
      if (!response.headersSent) sendJson(response, 200, result ?? null);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, 'only GET here');
    await serveAsset(options.assetsDir, url.pathname, response);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const { status, body } = errorAnswer(error);
      if (status >= 500) process.stderr.write(`mlops ui: ${request.method ?? ''} ${request.url ?? ''}: ${getErrorMessage(error)}\n`);
      sendJson(response, status, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shownHost === '0.0.0.0' || shownHost === '[::]' ? 'localhost' : shownHost}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
