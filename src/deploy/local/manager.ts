/**
 * The local target's brain, run inside the daemon (or a test): per endpoint, a proxy on a stable port and
 * numbered versions under `<projectDir>/deployments/<deployment>/<endpoint>/v<N>/`. A new version starts
 * beside the serving one and gets traffic only once healthy; the old one drains, then stops. A version
 * that fails its health check never gets traffic. State is in `<projectDir>/deployments/state.json`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { checkName, type ModelFile, type ModelSource } from '../model.js';
import { EndpointProxy } from './proxy.js';
import { DEFAULT_HEALTH, freePort, placeModelFiles, ServerProcess, type HealthCheck } from './supervisor.js';

export type VersionStatus = 'starting' | 'serving' | 'draining' | 'stopped' | 'failed';

export interface VersionState {
  number: number;
  /** Content id of the model version (see ModelVersion.id). */
  modelVersion: string;
  source: ModelSource;
  dir: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  health: HealthCheck;
  status: VersionStatus;
  port?: number;
  pid?: number;
  reason?: string;
  /** Times the supervisor restarted this version after its server exited on its own. */
  restarts?: number;
  createdAt: string;
}

export interface EndpointState {
  deployment: string;
  endpoint: string;
  proxyPort: number;
  url: string;
  /** The version receiving traffic, if any. */
  active?: number;
  /** Versions that served, in order; `rollback` goes back one step. */
  history: number[];
  versions: VersionState[];
}

export interface DeploymentsState {
  daemon?: { pid: number; adminPort: number; token: string; startedAt: string };
  endpoints: EndpointState[];
}

export interface LocalDeploySpec {
  deployment: string;
  endpoint: string;
  modelVersion: string;
  source: ModelSource;
  files: ModelFile[];
  script: string;
  cwd: string;
  env?: Record<string, string>;
  health?: Partial<HealthCheck>;
  /** Proxy port for a new endpoint (0 or absent: a free one); ignored once the endpoint exists. */
  port?: number;
}

export interface SwitchResult {
  ok: boolean;
  endpoint: EndpointState;
  version: VersionState;
  /** The version that kept (or started) serving, e.g. after a failed health check. */
  serving?: number;
  message: string;
}

export function statePath(projectDir: string): string {
  return join(projectDir, 'deployments', 'state.json');
}

export async function readState(projectDir: string): Promise<DeploymentsState> {
  try {
    const parsed = JSON.parse(await readFile(statePath(projectDir), 'utf8')) as DeploymentsState;
    return { ...parsed, endpoints: parsed.endpoints ?? [] };
  } catch {
    return { endpoints: [] };
  }
}

/** Restarts of a crashed serving version before it is given up. */
const MAX_RESTARTS = 5;

function key(deployment: string, endpoint: string): string {
  return `${deployment}/${endpoint}`;
}

interface Live {
  proxy: EndpointProxy;
  processes: Map<number, ServerProcess>;
  /** Deploys of one endpoint run one at a time. */
  queue: Promise<unknown>;
}

export class LocalDeployments {
  private state: DeploymentsState = { endpoints: [] };
  private readonly live = new Map<string, Live>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly projectDir: string,
    private readonly options: { drainTimeoutMs?: number; stopGraceMs?: number } = {},
  ) {}

  /** Loads state.json and restarts what was serving (after a daemon restart). */
  async restore(daemon?: DeploymentsState['daemon']): Promise<void> {
    this.state = await readState(this.projectDir);
    if (daemon) this.state.daemon = daemon;
    for (const endpoint of this.state.endpoints) {
      for (const version of endpoint.versions) if (version.status !== 'failed') version.status = 'stopped';
      const active = endpoint.active;
      endpoint.active = undefined;
      if (active === undefined) continue;
      const version = endpoint.versions.find((v) => v.number === active);
      if (version) await this.serialise(endpoint, () => this.activate(endpoint, version));
    }
    await this.save();
  }

  list(): EndpointState[] {
    return this.state.endpoints;
  }

  get daemonInfo(): DeploymentsState['daemon'] {
    return this.state.daemon;
  }

  private async save(): Promise<void> {
    const snapshot = JSON.parse(JSON.stringify(this.state)) as DeploymentsState;
    this.saving = this.saving.catch(() => undefined).then(() => writeJsonAtomic(statePath(this.projectDir), snapshot));
    await this.saving;
  }

  private async liveFor(endpoint: EndpointState): Promise<Live> {
    const id = key(endpoint.deployment, endpoint.endpoint);
    let live = this.live.get(id);
    if (!live) {
      const proxy = new EndpointProxy(id);
      try {
        endpoint.proxyPort = await proxy.listen(endpoint.proxyPort);
      } catch (error) {
        throw new ConfigurationError(`cannot listen on 127.0.0.1:${endpoint.proxyPort} for ${id}: ${getErrorMessage(error)}`);
      }
      endpoint.url = `http://127.0.0.1:${endpoint.proxyPort}`;
      live = { proxy, processes: new Map(), queue: Promise.resolve() };
      this.live.set(id, live);
    }
    return live;
  }

  private serialise<T>(endpoint: EndpointState, work: () => Promise<T>): Promise<T> {
    const id = key(endpoint.deployment, endpoint.endpoint);
    const live = this.live.get(id);
    const previous = live?.queue ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    if (live) live.queue = next;
    return next;
  }

  async deploy(spec: LocalDeploySpec): Promise<SwitchResult> {
    checkName('deployment', spec.deployment);
    checkName('endpoint', spec.endpoint);
    let endpoint = this.state.endpoints.find((e) => e.deployment === spec.deployment && e.endpoint === spec.endpoint);
    if (!endpoint) {
      endpoint = { deployment: spec.deployment, endpoint: spec.endpoint, proxyPort: spec.port ?? 0, url: '', history: [], versions: [] };
      this.state.endpoints.push(endpoint);
    }
    const target = endpoint;
    await this.liveFor(target);
    return this.serialise(target, async () => {
      const number = Math.max(0, ...target.versions.map((v) => v.number)) + 1;
      const version: VersionState = {
        number,
        modelVersion: spec.modelVersion,
        source: spec.source,
        dir: join(this.projectDir, 'deployments', spec.deployment, spec.endpoint, `v${number}`),
        script: spec.script,
        cwd: spec.cwd,
        env: spec.env ?? {},
        health: { ...DEFAULT_HEALTH, ...spec.health },
        status: 'starting',
        createdAt: new Date().toISOString(),
      };
      target.versions.push(version);
      try {
        await placeModelFiles(version.dir, spec.files);
      } catch (error) {
        version.status = 'failed';
        version.reason = getErrorMessage(error);
        await this.save();
        return this.result(false, target, version, `v${number} not deployed: ${version.reason}`);
      }
      const modelFile = spec.files[0];
      if (modelFile && version.env['MODEL_PATH'] === undefined) version.env['MODEL_PATH'] = join(version.dir, modelFile.path);
      version.env['MLOPS_MODEL_DIR'] = version.dir;
      return this.activate(target, version);
    });
  }

  /** Switches traffic back to the version that served before the current one. */
  async rollback(deployment: string, endpointName: string): Promise<SwitchResult> {
    const endpoint = this.find(deployment, endpointName);
    await this.liveFor(endpoint);
    return this.serialise(endpoint, async () => {
      const current = endpoint.active;
      const earlier = endpoint.history.filter((n) => n !== current);
      const previousNumber = earlier.at(-1);
      const previous = endpoint.versions.find((v) => v.number === previousNumber);
      if (!previous) throw new ConfigurationError(`${deployment}/${endpointName} has no earlier version to roll back to`);
      // Drop the current version from the history so that a second rollback goes further back.
      endpoint.history = endpoint.history.filter((n) => n !== current && n !== previous.number);
      return this.activate(endpoint, previous);
    });
  }

  private find(deployment: string, endpointName: string): EndpointState {
    const endpoint = this.state.endpoints.find((e) => e.deployment === deployment && e.endpoint === endpointName);
    if (!endpoint) {
      throw new ConfigurationError(`no local endpoint ${deployment}/${endpointName} (have: ${this.state.endpoints.map((e) => key(e.deployment, e.endpoint)).join(', ') || 'none'})`);
    }
    return endpoint;
  }

  private result(ok: boolean, endpoint: EndpointState, version: VersionState, message: string): SwitchResult {
    return { ok, endpoint, version, ...(endpoint.active !== undefined ? { serving: endpoint.active } : {}), message };
  }

  /** Starts `version` beside the serving one, switches once healthy, drains and stops the old one. */
  private async activate(endpoint: EndpointState, version: VersionState): Promise<SwitchResult> {
    const live = await this.liveFor(endpoint);
    const port = await freePort();
    const server = new ServerProcess({ script: version.script, cwd: version.cwd, versionDir: version.dir, env: version.env, health: version.health }, port);
    version.status = 'starting';
    version.port = port;
    delete version.reason;
    try {
      await server.start();
      version.pid = server.pid;
      await this.save();
      await server.waitHealthy();
    } catch (error) {
      await server.stop(this.options.stopGraceMs);
      version.status = 'failed';
      version.reason = getErrorMessage(error);
      delete version.pid;
      delete version.port;
      await this.save();
      const serving = endpoint.active === undefined ? 'nothing is serving' : `v${endpoint.active} keeps serving`;
      return this.result(false, endpoint, version, `v${version.number} failed its health check, ${serving}: ${version.reason}`);
    }
    const replaced = live.processes.get(version.number);
    live.processes.set(version.number, server);
    void server.whenExited().then(() => this.onExit(endpoint, version, server));
    const oldNumber = endpoint.active;
    const { drained } = live.proxy.switchTo({ port, version: `v${version.number}` });
    version.status = 'serving';
    endpoint.active = version.number;
    endpoint.history = [...endpoint.history.filter((n) => n !== version.number), version.number];
    await this.save();
    // A restarted version replaces its own crashed process: nothing to drain.
    if (replaced && replaced !== server) await replaced.stop(this.options.stopGraceMs);
    if (oldNumber !== undefined && oldNumber !== version.number) {
      const old = endpoint.versions.find((v) => v.number === oldNumber);
      if (old) old.status = 'draining';
      await this.save();
      await Promise.race([drained, new Promise((done) => setTimeout(done, this.options.drainTimeoutMs ?? 30_000))]);
      await live.processes.get(oldNumber)?.stop(this.options.stopGraceMs);
      live.processes.delete(oldNumber);
      if (old) {
        old.status = 'stopped';
        delete old.pid;
        delete old.port;
      }
      await this.save();
    }
    return this.result(true, endpoint, version, `v${version.number} (model ${version.modelVersion}) serving at ${endpoint.url}`);
  }

  /**
   * The serving version's server exited without being asked to: start it again (beside nothing, so
   * requests meanwhile get 502), at most MAX_RESTARTS times; after that it is marked failed.
   */
  private async onExit(endpoint: EndpointState, version: VersionState, server: ServerProcess): Promise<void> {
    if (server.stopping || endpoint.active !== version.number) return;
    const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
    if (!live || live.processes.get(version.number) !== server) return;
    version.restarts = (version.restarts ?? 0) + 1;
    if (version.restarts > MAX_RESTARTS) {
      version.status = 'failed';
      version.reason = `server exited ${MAX_RESTARTS + 1} times; not restarted again`;
      live.proxy.switchTo(undefined);
      endpoint.active = undefined;
      await this.save();
      return;
    }
    await this.serialise(endpoint, async () => {
      if (endpoint.active !== version.number || live.processes.get(version.number) !== server) return;
      await new Promise((done) => setTimeout(done, 200 * 2 ** ((version.restarts ?? 1) - 1)));
      const result = await this.activate(endpoint, version);
      // activate() marks a failed start as failed; the endpoint still points at it, so keep it as the one to retry.
      if (!result.ok) void this.onExit(endpoint, version, server); // queued behind this work, not awaited inside it
    }).catch(() => undefined);
  }

  /** Stops one endpoint, or all of a deployment, or everything; their state entries stay, inactive. */
  async stop(deployment?: string, endpointName?: string): Promise<EndpointState[]> {
    const chosen = this.state.endpoints.filter((e) => (deployment === undefined || e.deployment === deployment) && (endpointName === undefined || e.endpoint === endpointName));
    for (const endpoint of chosen) {
      await this.serialise(endpoint, async () => {
        const id = key(endpoint.deployment, endpoint.endpoint);
        const live = this.live.get(id);
        if (live) {
          const { drained } = live.proxy.switchTo(undefined);
          await Promise.race([drained, new Promise((done) => setTimeout(done, this.options.drainTimeoutMs ?? 30_000))]);
          for (const server of live.processes.values()) await server.stop(this.options.stopGraceMs);
          await live.proxy.close();
          this.live.delete(id);
        }
        for (const version of endpoint.versions) {
          if (version.status !== 'failed') version.status = 'stopped';
          delete version.pid;
          delete version.port;
        }
        endpoint.active = undefined;
      });
    }
    await this.save();
    return chosen;
  }

  get serving(): number {
    return this.state.endpoints.filter((e) => e.active !== undefined).length;
  }

  async close(): Promise<void> {
    for (const [id, live] of this.live) {
      for (const server of live.processes.values()) await server.stop(this.options.stopGraceMs);
      await live.proxy.close();
      this.live.delete(id);
    }
  }

  async setDaemon(daemon: DeploymentsState['daemon']): Promise<void> {
    this.state.daemon = daemon;
    await this.save();
  }

  async clearDaemon(): Promise<void> {
    delete this.state.daemon;
    await this.save();
  }
}
