/**
 * The local target's brain, run inside the daemon (or a test): per endpoint, a proxy on a stable port and
 * numbered versions under `<projectDir>/deployments/<deployment>/<endpoint>/v<N>/`.
 *
 * A new version gets traffic only after proof (checks.ts: health 2xx on every replica, the sample
 * requests answered in time, the optional load test against the candidate). After the switch the
 * previous version stays warm for a grace period while the new one is watched (watch.ts): a crash loop,
 * a 5xx rate or a p99 over the limits switch traffic back by themselves and mark the new one `failed`.
 * State is in `<projectDir>/deployments/state.json`, including every replica's process group, so that a
 * restarted daemon adopts the servers still running and ends the ones it does not need.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { checkName } from '../model.js';
import type { ListenerProvider } from './listener.js';
import { proveCandidate } from './checks.js';
import { DEFAULT_SCALING, VersionPool } from './pool.js';
import { initialReplicas } from './autoscaler.js';
import { DEFAULT_TIMEOUTS, EndpointProxy } from './proxy.js';
import { DEFAULT_WARMUP_REQUESTS, warmUp, type WarmupStats } from './warmup.js';
import { DEFAULT_REQUEST_LOG, RequestLog } from './request-log.js';
import { DEFAULT_HEALTH, freePort, isOurProcess, killLeftover, placeModelFiles, ServerProcess, serverBaseEnvironment } from './supervisor.js';
import { DEFAULT_CHECKS, DEFAULT_FALLBACK, type DeploymentsState, type EndpointState, type LocalDeploySpec, type SwitchResult, type VersionState } from './types.js';
import { VersionWatch } from './watch.js';

export * from './types.js';

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

/**
 * The niceness of a replica started in the background (pool.ts, grow), until it is warmed up. Only where
 * the priority can be put back afterwards (raising it needs root, or an RLIMIT_NICE Node cannot read):
 * elsewhere a background start is only one at a time.
 */
const BACKGROUND_NICENESS = process.getuid?.() === 0 ? 10 : 0;

/** Crashes in a row (without a healthy minute between them) before a version is given up. */
const MAX_RESTARTS = 5;

function definedOnly<T extends Record<string, number | undefined>>(values: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: number };
}

function forgetReplicas(version: VersionState): void {
  delete version.replicas;
  delete version.degraded;
}

function key(deployment: string, endpoint: string): string {
  return `${deployment}/${endpoint}`;
}

interface Live {
  proxy: EndpointProxy;
  pools: Map<number, VersionPool>;
  log: RequestLog | undefined;
  watch: VersionWatch | undefined;
  /** Deploys of one endpoint run one at a time. */
  queue: Promise<unknown>;
}

export interface ManagerOptions {
  /** Who owns the proxies' listening sockets (the keeper, in the daemon); default: each proxy itself. */
  listeners?: ListenerProvider;
  drainTimeoutMs?: number;
  stopGraceMs?: number;
  restartDelayMs?: number;
  /** A replica running this long without a crash resets the crash count (default a minute). */
  healthyResetMs?: number;
  /** The back-off after a failed replica start while others serve, and its cap (pool.ts; default 10 s to 5 min). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Where supervision events are written, one line each (default stderr: the daemon's log). */
  log?: (line: string) => void;
}

export class LocalDeployments {
  private state: DeploymentsState = { endpoints: [] };
  private readonly live = new Map<string, Live>();
  private readonly creating = new Map<string, Promise<Live>>();
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly projectDir: string,
    private readonly options: ManagerOptions = {},
  ) {}

  /**
   * Loads state.json after a daemon (re)start: the serving version's replicas that still run are adopted
   * (the endpoint keeps answering from them), missing ones started. A version kept warm as the automatic
   * fallback, when the grace period has not ended, is adopted (or started) again and the watch resumes for
   * the rest of the period; every other recorded process group that is still ours is ended.
   */
  async restore(daemon?: DeploymentsState['daemon']): Promise<void> {
    this.state = await readState(this.projectDir);
    if (daemon) this.state.daemon = daemon;
    for (const endpoint of this.state.endpoints) {
      const active = endpoint.active;
      const probation = endpoint.probation;
      endpoint.active = undefined;
      delete endpoint.probation;
      const until = probation && probation.version === active ? Date.parse(probation.until) : 0;
      const warm = until > Date.now() ? endpoint.versions.find((v) => v.number === probation?.previous && v.status !== 'failed') : undefined;
      for (const version of endpoint.versions) {
        if (version.number !== active && version !== warm) {
          for (const replica of version.replicas ?? []) killLeftover(replica.pid, replica.marker);
          forgetReplicas(version);
          if (version.status !== 'failed') version.status = 'stopped';
        }
      }
      const version = endpoint.versions.find((v) => v.number === active);
      if (!version) continue;
      try {
        await this.serialise(endpoint, () => this.resume(endpoint, version));
      } catch (error) {
        version.status = 'stopped';
        version.reason = `could not be brought back after a daemon restart: ${getErrorMessage(error)}`;
        // The version on probation cannot come back: its warm fallback serves, as it would have after a crash loop.
        const fallback = warm && (await this.serialise(endpoint, () => this.resume(endpoint, warm)).then(() => true, () => false));
        if (!fallback) this.live.get(key(endpoint.deployment, endpoint.endpoint))?.proxy.route(undefined); // held requests get their 503 now
        continue;
      }
      if (warm) await this.serialise(endpoint, () => this.rewarm(endpoint, version, warm, until));
    }
    await this.save();
  }

  /** The replicas of `version` an earlier daemon recorded that are still ours and healthy, in `pool`; the others' groups are ended. */
  private async adopt(version: VersionState, pool: VersionPool): Promise<void> {
    await Promise.all(
      (version.replicas ?? []).map(async (record) => {
        if (!isOurProcess(record.pid, record.marker)) return;
        const server = new ServerProcess(this.serverSpec(version, record.marker), record.port);
        server.adopt(record.pid, Date.parse(record.startedAt));
        const healthy = await server.waitHealthy().then(() => true, () => false);
        if (healthy) pool.add(server);
        else await server.stop(this.options.stopGraceMs);
      }),
    );
    const missing = initialReplicas({ ...DEFAULT_SCALING, ...version.scaling }) - pool.replicas.length;
    if (missing > 0) await pool.start(missing);
  }

  private async resume(endpoint: EndpointState, version: VersionState): Promise<void> {
    const live = await this.liveFor(endpoint, true);
    const pool = this.newPool(endpoint, version);
    await this.adopt(version, pool);
    live.pools.set(version.number, pool);
    live.proxy.route({ label: `v${version.number}`, pool });
    pool.startAutoscaling();
    version.status = 'serving';
    endpoint.active = version.number;
    this.recordReplicas(version, pool);
  }

  /** Brings back the warm fallback `previous` of the watched `version` until its grace period ends (`until`, epoch ms). */
  private async rewarm(endpoint: EndpointState, version: VersionState, previous: VersionState, until: number): Promise<void> {
    const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
    const activePool = live?.pools.get(version.number);
    const pool = this.newPool(endpoint, previous);
    try {
      if (!live || !activePool || endpoint.active !== version.number) throw new Error(`v${version.number} is not serving`);
      await this.adopt(previous, pool);
    } catch (error) {
      await pool.close();
      for (const replica of previous.replicas ?? []) killLeftover(replica.pid, replica.marker);
      forgetReplicas(previous);
      previous.status = 'stopped';
      previous.reason = `not kept warm after a daemon restart: ${getErrorMessage(error)}`;
      return;
    }
    live.pools.set(previous.number, pool);
    this.recordReplicas(previous, pool);
    previous.status = 'warm';
    this.watch(endpoint, live, version, activePool, previous, pool, until);
  }

  list(): EndpointState[] {
    for (const endpoint of this.state.endpoints) {
      const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
      for (const version of endpoint.versions) {
        const pool = live?.pools.get(version.number);
        if (pool && !pool.isClosed) this.recordReplicas(version, pool);
      }
    }
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

  private recordReplicas(version: VersionState, pool: VersionPool): void {
    version.replicas = pool.replicas
      .filter((r) => r.server.pid !== undefined)
      .map((r) => ({ pid: r.server.pid ?? 0, port: r.port, marker: r.server.spec.marker, startedAt: new Date(r.server.startedAt).toISOString() }));
    const { minReplicas } = pool.policy;
    if (!pool.degraded) delete version.degraded;
    else version.degraded = { replicas: pool.replicas.length, minReplicas, failures: pool.startFailures, ...(pool.lastStartFailure === undefined ? {} : { lastFailure: pool.lastStartFailure }) };
  }

  private log(line: string): void {
    const write = this.options.log ?? ((text: string) => process.stderr.write(`${new Date().toISOString()} ${text}\n`));
    write(line);
  }

  private async liveFor(endpoint: EndpointState, hold = false): Promise<Live> {
    const id = key(endpoint.deployment, endpoint.endpoint);
    let live = this.live.get(id);
    if (!live) {
      // Two deploys of a new endpoint at once share one proxy.
      let creating = this.creating.get(id);
      if (!creating) {
        creating = this.createLive(endpoint, id, hold).finally(() => this.creating.delete(id));
        this.creating.set(id, creating);
      }
      live = await creating;
    }
    this.configure(endpoint, live);
    return live;
  }

  private async createLive(endpoint: EndpointState, id: string, hold: boolean): Promise<Live> {
    const proxy = new EndpointProxy(id);
    proxy.timeouts = { ...DEFAULT_TIMEOUTS, ...endpoint.timeouts };
    if (hold) proxy.hold();
    try {
      endpoint.proxyPort = await proxy.listen(endpoint.proxyPort, '127.0.0.1', this.options.listeners);
    } catch (error) {
      throw new ConfigurationError(`cannot listen on 127.0.0.1:${endpoint.proxyPort} for ${id}: ${getErrorMessage(error)}`);
    }
    endpoint.url = `http://127.0.0.1:${endpoint.proxyPort}`;
    const live: Live = { proxy, pools: new Map(), log: undefined, watch: undefined, queue: Promise.resolve() };
    this.live.set(id, live);
    return live;
  }

  /** Applies the endpoint-wide settings (timeouts, request log) of the latest deploy. */
  private configure(endpoint: EndpointState, live: Live): void {
    live.proxy.timeouts = { ...DEFAULT_TIMEOUTS, ...endpoint.timeouts };
    const policy = { ...DEFAULT_REQUEST_LOG, ...endpoint.requestLog };
    const folder = join(this.projectDir, 'deployments', endpoint.deployment, endpoint.endpoint, 'requests');
    if (live.log && JSON.stringify(live.log.policy) === JSON.stringify(policy)) return;
    void live.log?.close();
    live.log = policy.sampleRate > 0 ? new RequestLog(folder, policy) : undefined;
    const log = live.log;
    live.proxy.captureLimit = policy.maxBodyBytes;
    live.proxy.onExchange = log ? (exchange) => log.record(exchange) : undefined;
  }

  private serialise<T>(endpoint: EndpointState, work: () => Promise<T>): Promise<T> {
    const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
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
    if (spec.timeouts) endpoint.timeouts = spec.timeouts;
    if (spec.requestLog) endpoint.requestLog = spec.requestLog;
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
        scaling: { ...DEFAULT_SCALING, ...spec.scaling },
        fallback: { ...DEFAULT_FALLBACK, ...spec.fallback },
        checks: { ...DEFAULT_CHECKS, ...spec.checks },
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
      return this.activate(target, version, 'deploy');
    });
  }

  /**
   * Switches traffic back to the newest earlier version that has not failed: instantly when it is still
   * warm, else started and proved first like a new one.
   */
  async rollback(deployment: string, endpointName: string): Promise<SwitchResult> {
    const endpoint = this.find(deployment, endpointName);
    const live = await this.liveFor(endpoint);
    return this.serialise(endpoint, async () => {
      const current = endpoint.active;
      const earlier = endpoint.history.filter((n) => n !== current && endpoint.versions.find((v) => v.number === n)?.status !== 'failed');
      const previous = endpoint.versions.find((v) => v.number === earlier.at(-1));
      if (!previous) throw new ConfigurationError(`${deployment}/${endpointName} has no earlier version that has not failed to roll back to`);
      // Drop the current version from the history so that a second rollback goes further back.
      endpoint.history = endpoint.history.filter((n) => n !== current && n !== previous.number);
      if (live.watch && live.watch.previous === previous.number) {
        await this.fallBack(endpoint, live, 'rolled back by hand', false);
        return this.result(true, endpoint, previous, `v${previous.number} (model ${previous.modelVersion}) serving again at ${endpoint.url} (it was still warm)`);
      }
      return this.activate(endpoint, previous, 'rollback');
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

  private serverSpec(version: VersionState, marker: string): ConstructorParameters<typeof ServerProcess>[0] {
    return { script: version.script, cwd: version.cwd, versionDir: version.dir, env: version.env, health: version.health, marker };
  }

  /** A new replica of `version`, healthy and warmed up (warmup.ts), or an error having stopped it. */
  private async startReplica(endpoint: EndpointState, version: VersionState, warmup: WarmupStats, background: boolean): Promise<ServerProcess> {
    const server = new ServerProcess(this.serverSpec(version, randomUUID()), await freePort());
    await server.start(serverBaseEnvironment(), background ? BACKGROUND_NICENESS : 0);
    try {
      await server.waitHealthy();
      const { samples, warmupRequests = DEFAULT_WARMUP_REQUESTS } = version.checks;
      const timeoutMs = endpoint.timeouts?.responseMs ?? DEFAULT_TIMEOUTS.responseMs;
      await warmUp(server.port, samples, warmupRequests, timeoutMs, warmup).catch(async (error: unknown) => {
        throw error instanceof ConfigurationError ? new ConfigurationError(`${error.message}${await server.logTail()}`) : error;
      });
    } catch (error) {
      await server.stop(this.options.stopGraceMs);
      throw error;
    }
    server.restorePriority();
    return server;
  }

  private newPool(endpoint: EndpointState, version: VersionState): VersionPool {
    const { stopGraceMs, restartDelayMs, healthyResetMs, backoffMs, maxBackoffMs } = this.options;
    const pool: VersionPool = new VersionPool(
      `v${version.number}`,
      { ...DEFAULT_SCALING, ...version.scaling },
      (background) => this.startReplica(endpoint, version, pool.warmup, background),
      {
        crashed: (description, restarts) => {
          version.restarts = restarts;
          version.lastCrash = description.split('\n')[0] ?? description;
          const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
          if (live?.watch?.version === version.number) live.watch.crashed(description);
          void this.save();
        },
        gaveUp: (reason) => void this.giveUp(endpoint, version, pool, reason),
        scaled: () => {
          this.recordReplicas(version, pool);
          void this.save();
        },
        startFailed: (reason, failures, retryInMs) => {
          const line = reason.split('\n')[0] ?? reason;
          this.recordReplicas(version, pool);
          const running = `${pool.replicas.length} of min ${pool.policy.minReplicas} replica${pool.policy.minReplicas === 1 ? '' : 's'} running`;
          this.log(`${key(endpoint.deployment, endpoint.endpoint)} v${version.number}: starting a replica failed (${failures} in a row, ${running}); next attempt in ${Math.round(retryInMs / 100) / 10} s: ${line}`);
          // During the grace period a version that cannot start its replicas again counts as crashing (watch.ts).
          const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
          if (live?.watch?.version === version.number) live.watch.crashed(`restart failed: ${line}`);
          void this.save();
        },
      },
      { maxRestarts: MAX_RESTARTS, ...definedOnly({ stopGraceMs, restartDelayMs, healthyResetMs, backoffMs, maxBackoffMs }) },
    );
    return pool;
  }

  /** Starts `version` beside the serving one, proves it, switches, and keeps the old one warm (deploy) or ends it. */
  private async activate(endpoint: EndpointState, version: VersionState, mode: 'deploy' | 'rollback'): Promise<SwitchResult> {
    const live = await this.liveFor(endpoint);
    // A version still on probation is accepted as it is before another switch.
    if (live.watch) await this.confirm(endpoint, live);
    version.status = 'starting';
    delete version.reason;
    await this.save();
    const pool = this.newPool(endpoint, version);
    let notes: string[];
    try {
      await pool.start();
      this.recordReplicas(version, pool);
      notes = await proveCandidate(pool, version);
    } catch (error) {
      await pool.close();
      version.status = 'failed';
      version.reason = `refused before any traffic: ${getErrorMessage(error)}`;
      forgetReplicas(version);
      await this.save();
      const serving = endpoint.active === undefined ? 'nothing is serving' : `v${endpoint.active} keeps serving`;
      return this.result(false, endpoint, version, `v${version.number} failed its checks, ${serving}: ${getErrorMessage(error)}`);
    }
    const oldNumber = endpoint.active;
    const old = endpoint.versions.find((v) => v.number === oldNumber);
    const oldPool = oldNumber === undefined ? undefined : live.pools.get(oldNumber);
    live.pools.set(version.number, pool);
    version.status = 'serving';
    delete version.restarts;
    delete version.lastCrash;
    endpoint.active = version.number;
    endpoint.history = [...endpoint.history.filter((n) => n !== version.number), version.number];
    pool.startAutoscaling();
    const label = `v${version.number}`;
    if (mode === 'deploy' && old && oldPool && !oldPool.isClosed && version.fallback.graceMs > 0) {
      old.status = 'warm';
      this.watch(endpoint, live, version, pool, old, oldPool, Date.now() + version.fallback.graceMs);
      notes.push(`v${old.number} stays warm for ${Math.round(version.fallback.graceMs / 1000)} s as the automatic fallback`);
      await this.save();
    } else {
      live.proxy.route({ label, pool });
      await this.save();
      if (old && oldPool) await this.retire(live, old, oldPool);
    }
    return this.result(true, endpoint, version, `v${version.number} (model ${version.modelVersion}) serving at ${endpoint.url}${notes.length ? `; ${notes.join('; ')}` : ''}`);
  }

  /** Routes to `version` with the warm `previous` behind it, and watches `version` until `until` (epoch ms; recorded, for a daemon restart). */
  private watch(endpoint: EndpointState, live: Live, version: VersionState, pool: VersionPool, previous: VersionState, previousPool: VersionPool, until: number): void {
    live.proxy.route({ label: `v${version.number}`, pool }, { label: `v${previous.number}`, pool: previousPool });
    endpoint.probation = { version: version.number, previous: previous.number, until: new Date(until).toISOString() };
    live.watch = new VersionWatch(
      live.proxy,
      version,
      previous.number,
      (reason) => void this.fallBack(endpoint, live, reason, true),
      () => void this.serialise(endpoint, () => this.confirm(endpoint, live)),
      Math.max(0, until - Date.now()),
    );
  }

  /** Lets `pool` finish its requests, then ends its processes. */
  private async retire(live: Live, version: VersionState, pool: VersionPool): Promise<void> {
    live.proxy.forget(`v${version.number}`);
    await pool.idle(this.options.drainTimeoutMs ?? 30_000);
    await pool.close();
    if (live.pools.get(version.number) === pool) live.pools.delete(version.number);
    if (version.status !== 'failed') version.status = 'stopped';
    forgetReplicas(version);
    await this.save();
  }

  /** The watched version passed its grace period: the warm previous one is ended. */
  private async confirm(endpoint: EndpointState, live: Live): Promise<void> {
    const watch = live.watch;
    if (!watch) return;
    watch.end();
    live.watch = undefined;
    delete endpoint.probation;
    const active = live.pools.get(watch.version);
    if (active && endpoint.active === watch.version) live.proxy.route({ label: `v${watch.version}`, pool: active });
    const previous = endpoint.versions.find((v) => v.number === watch.previous);
    const previousPool = live.pools.get(watch.previous);
    if (previous && previousPool) await this.retire(live, previous, previousPool);
  }

  /**
   * Traffic back to the warm previous version, at once. `failed`: the watched version is marked failed
   * with the reason (automatic fallback); otherwise it is only stopped (a rollback by hand).
   */
  private async fallBack(endpoint: EndpointState, live: Live, reason: string, failed: boolean): Promise<void> {
    const watch = live.watch;
    if (!watch) return;
    watch.end();
    live.watch = undefined;
    delete endpoint.probation;
    const bad = endpoint.versions.find((v) => v.number === watch.version);
    const previous = endpoint.versions.find((v) => v.number === watch.previous);
    const previousPool = live.pools.get(watch.previous);
    if (!previous || !previousPool) return;
    live.proxy.route({ label: `v${previous.number}`, pool: previousPool });
    endpoint.active = previous.number;
    previous.status = 'serving';
    endpoint.history = [...endpoint.history.filter((n) => n !== previous.number && n !== watch.version), previous.number];
    if (bad) {
      if (failed) {
        bad.status = 'failed';
        bad.reason = `automatic fallback to v${previous.number}: ${reason}`;
      }
      const badPool = live.pools.get(bad.number);
      await this.save();
      if (badPool) await this.retire(live, bad, badPool);
    }
    await this.save();
  }

  /** A version crashed more often than it may restart: fall back, or go back to the newest good version. */
  private async giveUp(endpoint: EndpointState, version: VersionState, pool: VersionPool, reason: string): Promise<void> {
    const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
    if (!live || live.pools.get(version.number) !== pool) return;
    if (live.watch?.version === version.number) return this.fallBack(endpoint, live, reason, true);
    version.status = 'failed';
    version.reason = reason;
    await this.retire(live, version, pool);
    if (endpoint.active !== version.number) return;
    endpoint.active = undefined;
    live.proxy.route(undefined);
    await this.save();
    const good = endpoint.history.filter((n) => n !== version.number && endpoint.versions.find((v) => v.number === n)?.status !== 'failed').at(-1);
    const target = endpoint.versions.find((v) => v.number === good);
    if (target) await this.serialise(endpoint, () => this.activate(endpoint, target, 'rollback')).catch(() => undefined);
  }

  /** Stops one endpoint, or all of a deployment, or everything; their state entries stay, inactive. */
  async stop(deployment?: string, endpointName?: string): Promise<EndpointState[]> {
    const chosen = this.state.endpoints.filter((e) => (deployment === undefined || e.deployment === deployment) && (endpointName === undefined || e.endpoint === endpointName));
    for (const endpoint of chosen) {
      await this.serialise(endpoint, async () => {
        const id = key(endpoint.deployment, endpoint.endpoint);
        const live = this.live.get(id);
        if (live) {
          live.watch?.end();
          live.watch = undefined;
          delete endpoint.probation;
          live.proxy.route(undefined);
          await Promise.all([...live.pools.values()].map(async (pool) => {
            await pool.idle(this.options.drainTimeoutMs ?? 30_000);
            await pool.close();
          }));
          await live.proxy.close();
          await live.log?.close();
          this.live.delete(id);
        }
        for (const version of endpoint.versions) {
          if (version.status !== 'failed') version.status = 'stopped';
          forgetReplicas(version);
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

  /** Ends every process and closes the proxies (the state keeps what served, for the next daemon). */
  async close(): Promise<void> {
    for (const [id, live] of this.live) {
      live.watch?.end();
      await Promise.all([...live.pools.values()].map((pool) => pool.close()));
      await live.proxy.close();
      await live.log?.close();
      this.live.delete(id);
    }
  }

  async clearDaemon(): Promise<void> {
    delete this.state.daemon;
    await this.save();
  }
}
