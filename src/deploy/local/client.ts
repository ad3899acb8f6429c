/**
 * The CLI's side of the local daemon: find it through state.json, start it detached when absent, and
 * call its admin API.
 */
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { ConfigurationError } from '../../util/errors.js';
import { TOKEN_HEADER } from './daemon.js';
import { readState, type DeploymentsState, type EndpointState, type LocalDeploySpec, type SwitchResult } from './manager.js';

/** How to start the daemon: by default this same CLI again, `mlops deploy --daemon`. */
export interface DaemonLauncher {
  command: string;
  args: string[];
}

export function cliLauncher(projectDir: string): DaemonLauncher {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot tell which script runs the CLI');
  return { command: process.execPath, args: [...process.execArgv, script, 'deploy', '--daemon', '--project-dir', projectDir] };
}

type Daemon = NonNullable<DeploymentsState['daemon']>;

function call<T>(daemon: Daemon, method: string, path: string, body?: unknown, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolveCall, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        host: '127.0.0.1',
        port: daemon.adminPort,
        method,
        path,
        agent: false,
        timeout: timeoutMs,
        headers: { [TOKEN_HEADER]: daemon.token, ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new Error(`deploy daemon answered ${res.statusCode ?? '?'} with a non-JSON body`));
            return;
          }
          if (res.statusCode === 200) resolveCall(parsed as T);
          else {
            const message = (parsed as { error?: unknown }).error;
            reject(new ConfigurationError(`deploy daemon: ${typeof message === 'string' ? message : `status ${res.statusCode ?? '?'}`}`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('deploy daemon did not answer in time')));
    req.on('error', reject);
    req.end(text);
  });
}

async function alive(daemon: Daemon | undefined): Promise<boolean> {
  if (!daemon) return false;
  try {
    const answer = await call<{ pid: number }>(daemon, 'GET', '/ping', undefined, 2000);
    return answer.pid === daemon.pid;
  } catch {
    return false;
  }
}

export class DaemonClient {
  constructor(readonly daemon: Daemon) {}

  deploy(spec: LocalDeploySpec): Promise<SwitchResult> {
    return call(this.daemon, 'POST', '/deploy', spec);
  }

  rollback(deployment: string, endpoint: string): Promise<SwitchResult> {
    return call(this.daemon, 'POST', '/rollback', { deployment, endpoint });
  }

  stop(deployment?: string, endpoint?: string): Promise<EndpointState[]> {
    return call(this.daemon, 'POST', '/stop', { deployment, endpoint });
  }

  endpoints(): Promise<EndpointState[]> {
    return call(this.daemon, 'GET', '/endpoints');
  }
}

/** The running daemon, or undefined. */
export async function findDaemon(projectDir: string): Promise<DaemonClient | undefined> {
  const { daemon } = await readState(projectDir);
  return daemon && (await alive(daemon)) ? new DaemonClient(daemon) : undefined;
}

/** The running daemon, started (detached, logging to deployments/daemon.log) when there is none. */
export async function ensureDaemon(projectDir: string, launcher: DaemonLauncher = cliLauncher(projectDir), timeoutMs = 15_000): Promise<DaemonClient> {
  const running = await findDaemon(projectDir);
  if (running) return running;
  const folder = join(projectDir, 'deployments');
  await mkdir(folder, { recursive: true });
  const log = await open(join(folder, 'daemon.log'), 'a');
  let pid: number | undefined;
  let exitCode: number | null | undefined;
  try {
    const child = spawn(launcher.command, launcher.args, { detached: true, stdio: ['ignore', log.fd, log.fd] });
    pid = child.pid;
    child.once('exit', (code) => {
      exitCode = code;
    });
    child.unref();
  } finally {
    await log.close();
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new ConfigurationError(`the deploy daemon exited (code ${String(exitCode)}); see ${join(folder, 'daemon.log')}`);
    const { daemon } = await readState(projectDir);
    if (daemon && daemon.pid === pid && (await alive(daemon))) return new DaemonClient(daemon);
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new ConfigurationError(`the deploy daemon did not start within ${timeoutMs} ms; see ${join(folder, 'daemon.log')}`);
}
