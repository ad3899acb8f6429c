/**
 * The CLI's side of the local daemon: find it through state.json, start it detached when absent, and
 * call its admin API.
 */
import { spawn } from 'node:child_process';
import { mkdir, open, readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { ConfigurationError } from '../../util/errors.js';
import { TOKEN_HEADER } from './daemon.js';
import type { LoadTestResult } from '../load-test.js';
import type { RolloutTarget } from '../rollout.js';
import { readState, type DeploymentsState, type EndpointState, type LocalDeploySpec, type SwitchResult } from './manager.js';

/** How to start the daemon: by default this same CLI again, `mlops deploy --daemon`. */
export interface DaemonLauncher {
  command: string;
  args: string[];
}

export function cliLauncher(projectDir: string, mode: '--daemon' | '--daemon-worker' = '--daemon'): DaemonLauncher {
  const script = process.argv[1];
  if (script === undefined) throw new Error('cannot tell which script runs the CLI');
  return { command: process.execPath, args: [...process.execArgv, script, 'deploy', mode, '--project-dir', projectDir] };
}

async function logTail(path: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines = text.trimEnd().split('\n').slice(-5).join('\n');
  return lines ? `; its log ends with:\n${lines}` : '';
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

export type LocalRolloutResult = SwitchResult & { summary: string; loadTest?: LoadTestResult };

/**
 * The local daemon as a target of the deploy policy (rollout.ts): it runs the load test against the
 * candidate, through a private proxy over its replicas, before the candidate gets any traffic.
 */
export function localTarget(daemon: DaemonClient, spec: LocalDeploySpec): RolloutTarget<LocalRolloutResult> {
  const answer = (result: SwitchResult): LocalRolloutResult => ({ ...result, summary: result.message, ...(result.version.loadTest ? { loadTest: result.version.loadTest } : {}) });
  return {
    testsCandidate: true,
    deploy: async (loadTest) => answer(await daemon.deploy(loadTest ? { ...spec, checks: { ...spec.checks, loadTest } } : spec)),
    rollback: async () => answer(await daemon.rollback(spec.deployment, spec.endpoint)),
    liveUrl: (result) => result.endpoint.url,
  };
}

/** The running daemon, or undefined. */
export async function findDaemon(projectDir: string): Promise<DaemonClient | undefined> {
  const { daemon } = await readState(projectDir);
  return daemon && (await alive(daemon)) ? new DaemonClient(daemon) : undefined;
}

/**
 * The running daemon, started (detached, logging to deployments/daemon.log) when there is none. Two
 * commands racing here start one daemon: the second keeper finds the lock taken and exits 0, and this
 * waits for the one that runs.
 */
export async function ensureDaemon(projectDir: string, launcher: DaemonLauncher = cliLauncher(projectDir), timeoutMs = 15_000): Promise<DaemonClient> {
  const running = await findDaemon(projectDir);
  if (running) return running;
  const folder = join(projectDir, 'deployments');
  await mkdir(folder, { recursive: true });
  const logPath = join(folder, 'daemon.log');
  const log = await open(logPath, 'a');
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: string | undefined;
  try {
    const child = spawn(launcher.command, launcher.args, { detached: true, stdio: ['ignore', log.fd, log.fd] });
    child.once('exit', (code, signal) => {
      exit = { code, signal };
    });
    child.once('error', (error) => {
      spawnError = error.message;
    });
    child.unref();
  } finally {
    await log.close();
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawnError !== undefined) throw new ConfigurationError(`could not start the deploy daemon (${launcher.command}): ${spawnError}`);
    if (exit !== undefined && exit.code !== 0) {
      throw new ConfigurationError(`the deploy daemon exited (${exit.signal ?? `code ${String(exit.code)}`}) before it answered${await logTail(logPath)}`);
    }
    const found = await findDaemon(projectDir);
    if (found) return found;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new ConfigurationError(`the deploy daemon did not answer within ${timeoutMs} ms${await logTail(logPath)}`);
}
