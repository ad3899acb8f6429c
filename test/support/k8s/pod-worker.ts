/**
 * One pod on the test node, from bind to delete: network namespace and volumes, init containers in order,
 * then every container with its own restart loop (restartPolicy, CrashLoopBackOff back-off), image pulls
 * from the test registry (ErrImagePull / ImagePullBackOff), startup/readiness/liveness probes, and graceful
 * termination (preStop, SIGTERM, terminationGracePeriodSeconds, SIGKILL) before the pod object is deleted
 * with grace 0. Status is written to the pod's status subresource as the kubelet writes it.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanupContainerDir, execInContainer, launchContainer, terminationOf, type ContainerLaunch } from './container.js';
import type { EventRecorder } from './events.js';
import { KubeError, type KubeClient } from './kube-client.js';
import type { NodeNetwork, PodNetwork } from './network.js';
import { argv, containerEnv, ContainerConfigError, effectiveUser, type ContainerSpec, type Pod } from './pod-spec.js';
import { probeLoop, runHandler, type Handler, type ProbeTarget } from './probes.js';
import type { Supervised } from './processes.js';
import type { Image, TestRegistry } from './registry.js';
import { MountError, setUpVolume } from './volumes.js';

export interface NodeContext {
  client: KubeClient;
  events: EventRecorder;
  registry: TestRegistry;
  network: NodeNetwork;
  nodeName: string;
  hostIp: string;
  podsDir: string;
  /** CrashLoopBackOff / ImagePullBackOff: first delay and cap (a real kubelet: 10 s and 5 min). */
  backoff: { initialMs: number; maxMs: number };
  log(message: string): void;
}

type State =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string; containerID?: string } };

/** A new state; a termination moves to lastState, as the kubelet reports the previous instance's end. */
function setState(runner: Runner, next: State): void {
  if ('terminated' in runner.state) runner.lastState = runner.state;
  runner.state = next;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const MAX_LOG = 1 << 20;

class Runner {
  state: State;
  lastState: State | undefined;
  restartCount = 0;
  ready = false;
  started = false;
  imageID = '';
  containerID = '';
  proc: Supervised | undefined;
  launch: ContainerLaunch | undefined;
  probes: Array<{ stop(): void }> = [];
  backoffMs = 0;
  instance = 0;
  killReason: string | undefined;
  log = '';

  constructor(
    readonly spec: ContainerSpec,
    readonly init: boolean,
  ) {
    this.state = { waiting: { reason: init ? 'PodInitializing' : 'ContainerCreating' } };
  }

  get fieldPath(): string {
    return `spec.${this.init ? 'initContainers' : 'containers'}{${this.spec.name}}`;
  }

  stopProbes(): void {
    for (const p of this.probes) p.stop();
    this.probes = [];
  }
}

/** This instance's output (the runner's log is capped, so the offset may have moved). */
function instanceLog(runner: Runner, from: number): string {
  return runner.log.slice(Math.max(0, Math.min(from, runner.log.length - MAX_LOG / 2)));
}

export class PodWorker {
  private net: PodNetwork | undefined;
  private setup: Promise<void> = Promise.resolve();
  private running: Promise<void> | undefined;
  private dir = '';
  private readonly volumes = new Map<string, string>();
  private readonly initRunners: Runner[];
  private readonly runners: Runner[];
  private initialized = false;
  private terminalPhase: 'Succeeded' | 'Failed' | undefined;
  private terminating = false;
  private gone = false;
  private readonly sleepers = new Set<() => void>();
  private readonly transitions = new Map<string, { status: string; at: string }>();
  private readonly startTime = now();
  private dirty = false;
  private publishing: Promise<void> | undefined;
  private readonly passwd: Promise<string>;
  readonly done: Promise<void>;
  private resolveDone: () => void = () => undefined;

  constructor(
    private readonly ctx: NodeContext,
    private pod: Pod,
  ) {
    this.initRunners = (pod.spec.initContainers ?? []).map((c) => new Runner(c, true));
    this.runners = pod.spec.containers.map((c) => new Runner(c, false));
    this.passwd = readFile('/etc/passwd', 'utf8');
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  get podIp(): string | undefined {
    return this.net?.ip;
  }

  logs(container?: string): string {
    const all = [...this.initRunners, ...this.runners];
    const chosen = container ? all.filter((r) => r.spec.name === container) : this.runners;
    return chosen.map((r) => r.log).join('');
  }

  update(pod: Pod): void {
    this.pod = pod;
    if (pod.metadata.deletionTimestamp) void this.terminate(pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30, true);
  }

  start(): Promise<void> {
    this.running ??= this.run();
    return this.running;
  }

  private async run(): Promise<void> {
    this.setup = (async () => {
      this.dir = await mkdtemp(join(this.ctx.podsDir, `${this.pod.metadata.namespace}_${this.pod.metadata.name}_`));
      this.net = await this.ctx.network.createPod();
      await writeFile(join(this.dir, 'hosts'), `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${this.net.ip}\t${this.pod.spec.hostname ?? this.pod.metadata.name}\n`, { mode: 0o644 });
    })();
    try {
      await this.setup;
      if (this.terminating) return;
      this.publish();
      if (!(await this.setUpVolumes())) return;
      for (const runner of this.initRunners) {
        if (!(await this.runInit(runner))) return;
      }
      this.initialized = true;
      this.publish();
      await Promise.all(this.runners.map((r) => this.runContainer(r)));
      if (!this.terminating) {
        this.terminalPhase = this.runners.every((r) => 'terminated' in r.state && r.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
        this.publish();
      }
    } catch (error) {
      this.ctx.log(`pod ${this.key}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.ctx.events.record(this.pod, 'Warning', 'Failed', `test kubelet: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Sleeps, but wakes early when the pod starts terminating. */
  private sleep(ms: number): Promise<void> {
    if (this.terminating) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async setUpVolumes(): Promise<boolean> {
    for (const volume of this.pod.spec.volumes ?? []) {
      let delay = 1000;
      for (;;) {
        if (this.terminating) return false;
        try {
          this.volumes.set(volume.name, await setUpVolume(this.ctx.client, this.pod, volume, join(this.dir, 'volumes'), this.net!.ip, this.ctx.hostIp));
          break;
        } catch (error) {
          if (!(error instanceof MountError)) throw error;
          this.ctx.events.record(this.pod, 'Warning', 'FailedMount', error.message);
          await this.sleep(delay);
          delay = Math.min(delay * 2, 16_000);
        }
      }
    }
    return true;
  }

  private async runInit(runner: Runner): Promise<boolean> {
    for (;;) {
      const code = await this.runOnce(runner);
      if (this.terminating) return false;
      if (code === 0) return true;
      if (code === undefined) continue; // pull or config failure already backed off
      if ((this.pod.spec.restartPolicy ?? 'Always') === 'Never') {
        this.terminalPhase = 'Failed';
        this.publish();
        return false;
      }
      await this.crashBackoff(runner);
      if (this.terminating) return false;
    }
  }

  private async runContainer(runner: Runner): Promise<void> {
    const policy = this.pod.spec.restartPolicy ?? 'Always';
    for (;;) {
      const startedAt = Date.now();
      const code = await this.runOnce(runner);
      if (this.terminating) return;
      if (code === undefined) continue;
      if (policy === 'Never' || (policy === 'OnFailure' && code === 0)) return;
      // Back-off resets after a long healthy run, as the kubelet forgets old crashes.
      if (Date.now() - startedAt > 2 * this.ctx.backoff.maxMs) runner.backoffMs = 0;
      await this.crashBackoff(runner);
      if (this.terminating) return;
    }
  }

  /** The kubelet restarts a container at once the first time, then after 10 s, 20 s, ... up to the cap. */
  private async crashBackoff(runner: Runner): Promise<void> {
    if (runner.backoffMs === 0) {
      runner.backoffMs = this.ctx.backoff.initialMs;
      return;
    }
    const seconds = Math.round(runner.backoffMs / 1000);
    setState(runner, { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${seconds}s restarting failed container=${runner.spec.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})` } });
    this.ctx.events.record(this.pod, 'Warning', 'BackOff', 'Back-off restarting failed container', runner.fieldPath);
    this.publish();
    await this.sleep(runner.backoffMs);
    runner.backoffMs = Math.min(runner.backoffMs * 2, this.ctx.backoff.maxMs);
  }

  private async pull(runner: Runner): Promise<Image | undefined> {
    const reference = runner.spec.image;
    const image = this.ctx.registry.resolve(reference);
    if (image) {
      if (runner.imageID === '') this.ctx.events.record(this.pod, 'Normal', 'Pulled', `Container image "${reference}" already present on machine`, runner.fieldPath);
      runner.imageID = `${reference.split('@')[0]!.replace(/:[^:/]+$/, '')}@${image.digest}`;
      return image;
    }
    const why = `rpc error: code = NotFound desc = failed to pull and unpack image "${reference}": failed to resolve reference "${reference}": ${reference}: not found`;
    this.ctx.events.record(this.pod, 'Normal', 'Pulling', `Pulling image "${reference}"`, runner.fieldPath);
    this.ctx.events.record(this.pod, 'Warning', 'Failed', `Failed to pull image "${reference}": ${why}`, runner.fieldPath);
    this.ctx.events.record(this.pod, 'Warning', 'Failed', 'Error: ErrImagePull', runner.fieldPath);
    setState(runner, { waiting: { reason: 'ErrImagePull', message: why } });
    this.publish();
    await this.sleep(Math.min(1000, this.ctx.backoff.initialMs));
    if (this.terminating) return undefined;
    runner.backoffMs = runner.backoffMs ? Math.min(runner.backoffMs * 2, this.ctx.backoff.maxMs) : this.ctx.backoff.initialMs;
    setState(runner, { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${reference}"` } });
    this.ctx.events.record(this.pod, 'Normal', 'BackOff', `Back-off pulling image "${reference}"`, runner.fieldPath);
    this.ctx.events.record(this.pod, 'Warning', 'Failed', 'Error: ImagePullBackOff', runner.fieldPath);
    this.publish();
    await this.sleep(runner.backoffMs);
    return undefined;
  }

  private async prepare(runner: Runner, image: Image): Promise<ContainerLaunch> {
    const spec = runner.spec;
    const env = await containerEnv(this.pod, spec, image.config, this.net!.ip, this.ctx.hostIp, {
      configMap: async (name) => {
        const o = await this.ctx.client.find<{ data?: Record<string, string> }>(`/api/v1/namespaces/${this.pod.metadata.namespace}/configmaps/${name}`);
        return o ? (o.data ?? {}) : undefined;
      },
      secret: async (name) => {
        const o = await this.ctx.client.find<{ data?: Record<string, string> }>(`/api/v1/namespaces/${this.pod.metadata.namespace}/secrets/${name}`);
        return o ? Object.fromEntries(Object.entries(o.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])) : undefined;
      },
    }, []);
    const command = argv(spec, image.config, new Map(env));
    const { uid, gid } = effectiveUser(this.pod, spec, image.config, await this.passwd);
    const sc = { ...this.pod.spec.securityContext, ...spec.securityContext };
    const mounts = (spec.volumeMounts ?? []).map((m) => {
      const hostPath = this.volumes.get(m.name);
      if (!hostPath) throw new ContainerConfigError(`volume "${m.name}" is not defined in the pod`);
      return { hostPath: m.subPath ? join(hostPath, m.subPath) : hostPath, containerPath: m.mountPath, readOnly: m.readOnly ?? false };
    });
    for (const m of mounts) await mkdir(m.hostPath, { recursive: true });
    runner.instance++;
    const dir = join(this.dir, 'containers', `${spec.name}-${runner.instance}`);
    await mkdir(dir, { recursive: true });
    const terminationMessageFile = join(dir, 'termination-log');
    await writeFile(terminationMessageFile, '', { mode: 0o666 });
    await chmod(terminationMessageFile, 0o666);
    return {
      dir,
      terminationMessagePath: spec.terminationMessagePath ?? '/dev/termination-log',
      terminationMessageFile,
      netns: this.net!.namespace,
      hostname: this.pod.spec.hostname ?? this.pod.metadata.name,
      imageRootfs: image.rootfs,
      mounts,
      hostsFile: join(this.dir, 'hosts'),
      workingDir: spec.workingDir ?? image.config.workingDir ?? '/',
      env,
      argv: command,
      uid,
      gid,
      noNewPrivs: sc.allowPrivilegeEscalation === false,
      dropAllCapabilities: (sc.capabilities?.drop ?? []).includes('ALL'),
      addCapabilities: sc.capabilities?.add ?? [],
      readOnlyRoot: sc.readOnlyRootFilesystem === true,
      onOutput: (chunk) => {
        runner.log = (runner.log + chunk.toString('utf8')).slice(-MAX_LOG);
      },
    };
  }

  /** One container instance: pull, create, start, probe, wait for exit. Undefined when it never started. */
  private async runOnce(runner: Runner): Promise<number | undefined> {
    const image = await this.pull(runner);
    if (!image || this.terminating) return undefined;
    let launch: ContainerLaunch;
    try {
      launch = await this.prepare(runner, image);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      setState(runner, { waiting: { reason: 'CreateContainerConfigError', message: error.message } });
      this.ctx.events.record(this.pod, 'Warning', 'Failed', `Error: ${error.message}`, runner.fieldPath);
      this.publish();
      runner.backoffMs = runner.backoffMs ? Math.min(runner.backoffMs * 2, this.ctx.backoff.maxMs) : this.ctx.backoff.initialMs;
      await this.sleep(runner.backoffMs);
      return undefined;
    }
    if (this.terminating) return undefined;
    if (runner.instance > 1) runner.restartCount++;
    runner.launch = launch;
    runner.killReason = undefined;
    const logFrom = runner.log.length;
    const proc = await launchContainer(launch);
    runner.proc = proc;
    runner.containerID = `mlops-test://${this.pod.metadata.uid}/${runner.spec.name}/${runner.instance}`;
    const startedAt = now();
    setState(runner, { running: { startedAt } });
    runner.started = false;
    this.ctx.events.record(this.pod, 'Normal', 'Created', `Created container ${runner.spec.name}`, runner.fieldPath);
    this.ctx.events.record(this.pod, 'Normal', 'Started', `Started container ${runner.spec.name}`, runner.fieldPath);
    this.publish();
    if (!runner.init) this.startProbes(runner);
    const code = await proc.exited;
    runner.stopProbes();
    runner.ready = false;
    runner.started = false;
    runner.proc = undefined;
    await cleanupContainerDir(launch.dir);
    const ended = terminationOf(code, instanceLog(runner, logFrom), runner.spec.terminationMessagePolicy, await readFile(launch.terminationMessageFile, 'utf8').catch(() => ''));
    if (ended.reason === 'StartError') {
      this.ctx.events.record(this.pod, 'Warning', 'Failed', `Error: failed to start container "${runner.spec.name}": ${ended.message}`, runner.fieldPath);
    }
    runner.state = { terminated: { ...ended, ...(runner.killReason ? { reason: runner.killReason } : {}), startedAt, finishedAt: now(), containerID: runner.containerID } };
    this.publish();
    return code;
  }

  private target(runner: Runner): ProbeTarget {
    return {
      podIp: this.net!.ip,
      port: (value) => (typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : runner.spec.ports?.find((p) => p.name === value)?.containerPort),
      exec: (command, timeoutMs) => {
        if (!runner.proc || !runner.launch) return Promise.resolve({ code: 1, output: 'container is not running', timedOut: false });
        return execInContainer(runner.proc.pid, runner.launch, command, timeoutMs);
      },
    };
  }

  private startProbes(runner: Runner): void {
    const spec = runner.spec;
    const target = this.target(runner);
    const afterStartup = () => {
      runner.started = true;
      if (spec.readinessProbe) {
        runner.probes.push(
          probeLoop(spec.readinessProbe, target, (healthy, result) => {
            if (!result.ok) this.ctx.events.record(this.pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${result.message}`, runner.fieldPath);
            if (healthy !== runner.ready) {
              runner.ready = healthy;
              this.publish();
            }
          }, false),
        );
      } else runner.ready = true;
      if (spec.livenessProbe) {
        runner.probes.push(
          probeLoop(spec.livenessProbe, target, (healthy, result) => {
            if (!result.ok) this.ctx.events.record(this.pod, 'Warning', 'Unhealthy', `Liveness probe failed: ${result.message}`, runner.fieldPath);
            if (!healthy) {
              runner.stopProbes();
              this.ctx.events.record(this.pod, 'Normal', 'Killing', `Container ${spec.name} failed liveness probe, will be restarted`, runner.fieldPath);
              void this.kill(runner, this.pod.spec.terminationGracePeriodSeconds ?? 30, true);
            }
          }, true),
        );
      }
      this.publish();
    };
    if (spec.startupProbe) {
      const threshold = spec.startupProbe.failureThreshold ?? 3;
      let failures = 0;
      const loop = probeLoop(spec.startupProbe, target, (_healthy, result) => {
        if (result.ok) {
          loop.stop();
          runner.probes = runner.probes.filter((p) => p !== loop);
          afterStartup();
          return;
        }
        failures++;
        this.ctx.events.record(this.pod, 'Warning', 'Unhealthy', `Startup probe failed: ${result.message}`, runner.fieldPath);
        if (failures >= threshold) {
          runner.stopProbes();
          this.ctx.events.record(this.pod, 'Normal', 'Killing', `Container ${spec.name} failed startup probe, will be restarted`, runner.fieldPath);
          void this.kill(runner, this.pod.spec.terminationGracePeriodSeconds ?? 30, true);
        }
      }, false);
      runner.probes.push(loop);
    } else afterStartup();
  }

  /** preStop hook (within the grace period), SIGTERM to the container's main process, SIGKILL at the deadline. */
  private async kill(runner: Runner, graceSeconds: number, runPreStop: boolean): Promise<void> {
    const proc = runner.proc;
    if (!proc || proc.exitCode !== undefined) return;
    const deadline = Date.now() + graceSeconds * 1000;
    const preStop = runner.spec.lifecycle?.preStop;
    if (runPreStop && preStop && graceSeconds > 0) {
      const result = await Promise.race([
        runHandler(preStop as Handler, this.target(runner), Math.max(1, deadline - Date.now())),
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), Math.max(1, deadline - Date.now()))),
      ]);
      if (result && !result.ok) {
        this.ctx.events.record(this.pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${result.message}`, runner.fieldPath);
      }
    }
    if (proc.exitCode !== undefined) return;
    proc.signal('SIGTERM', false);
    // As the kubelet does, the process gets at least 2 s after a preStop hook used up the grace period.
    const remaining = graceSeconds === 0 ? 0 : Math.max(deadline - Date.now(), 2000);
    const timer = setTimeout(() => proc.signal('SIGKILL', true), remaining);
    await proc.exited;
    clearTimeout(timer);
    proc.signal('SIGKILL', true);
  }

  async terminate(graceSeconds: number, deleteObject: boolean): Promise<void> {
    if (this.terminating) return;
    this.terminating = true;
    for (const wake of [...this.sleepers]) wake();
    const all = [...this.initRunners, ...this.runners];
    for (const r of all) {
      r.stopProbes();
      r.ready = false;
    }
    if (!this.gone) this.publish();
    await Promise.all(
      all.map(async (r) => {
        if (!r.proc) return;
        if (!this.gone) this.ctx.events.record(this.pod, 'Normal', 'Killing', `Stopping container ${r.spec.name}`, r.fieldPath);
        await this.kill(r, graceSeconds, !this.gone);
      }),
    );
    // Let the container loops record their terminated states before the last status write (they end once
    // their processes have; the bound only guards against a loop stuck in an API call).
    await Promise.race([this.running ?? Promise.resolve(), new Promise((r) => setTimeout(r, 5000))]);
    if (!this.gone) {
      this.publish();
      await this.publishing;
    }
    await this.setup.catch(() => undefined);
    await this.net?.release();
    if (this.dir) await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
    if (deleteObject && !this.gone) {
      const { namespace, name, uid } = this.pod.metadata;
      await this.ctx.client
        .request('DELETE', `/api/v1/namespaces/${namespace}/pods/${name}`, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid } })
        .catch((error: unknown) => {
          if (!(error instanceof KubeError && (error.status === 404 || error.status === 409))) this.ctx.log(`delete ${this.key}: ${String(error)}`);
        });
    }
    this.resolveDone();
  }

  /** The pod object is gone (force delete) or the node stops: kill at once, no hooks, no API writes. */
  async forceStop(): Promise<void> {
    this.gone = true;
    await this.terminate(0, false);
  }

  private publish(): void {
    if (this.gone) return;
    this.dirty = true;
    // One write in flight; flush() clears `publishing` in the same turn as its last check of `dirty`, so a
    // change made after that check always starts a new flush (a .finally() would leave a gap where it is lost).
    if (!this.publishing) this.publishing = this.flush();
  }

  private async flush(): Promise<void> {
    try {
      while (this.dirty && !this.gone) {
        this.dirty = false;
        const { namespace, name } = this.pod.metadata;
        try {
          // The uid makes the write a precondition: a pod deleted and re-created under the same name is not ours.
          await this.ctx.client.mergePatch(`/api/v1/namespaces/${namespace}/pods/${name}/status`, { metadata: { uid: this.pod.metadata.uid }, status: this.status() });
        } catch (error) {
          if (error instanceof KubeError && (error.status === 404 || error.status === 422 || error.status === 409)) return;
          this.ctx.log(`status ${this.key}: ${String(error)}`);
          // A dropped connection or a busy apiserver: write again; a refused write (4xx) would only repeat.
          if (!(error instanceof KubeError && error.status < 500)) {
            this.dirty = true;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      }
    } finally {
      this.publishing = undefined;
    }
  }

  private condition(type: string, ok: boolean, reason?: string, message?: string): Record<string, unknown> {
    const status = ok ? 'True' : 'False';
    const previous = this.transitions.get(type);
    if (!previous || previous.status !== status) this.transitions.set(type, { status, at: now() });
    return { type, status, lastProbeTime: null, lastTransitionTime: this.transitions.get(type)!.at, ...(ok || !reason ? {} : { reason, message }) };
  }

  private status(): Record<string, unknown> {
    const unready = this.runners.filter((r) => !r.ready).map((r) => r.spec.name);
    const pendingInit = this.initRunners.filter((r) => !('terminated' in r.state && r.state.terminated.exitCode === 0)).map((r) => r.spec.name);
    const containersReady = unready.length === 0 && !this.terminating;
    const gates = (this.pod.spec.readinessGates ?? []).every((g) => this.pod.status?.conditions?.find((c) => c.type === g.conditionType)?.status === 'True');
    const everStarted = this.runners.every((r) => !('waiting' in r.state) || r.restartCount > 0 || r.lastState);
    const phase = this.terminalPhase ?? (this.initialized && everStarted ? 'Running' : 'Pending');
    const statusOf = (r: Runner) => ({
      name: r.spec.name,
      state: r.state,
      lastState: r.lastState ?? {},
      ready: r.ready,
      restartCount: r.restartCount,
      image: r.spec.image,
      imageID: r.imageID,
      ...(r.containerID ? { containerID: r.containerID } : {}),
      started: r.init ? undefined : r.started,
    });
    return {
      phase,
      conditions: [
        this.condition('Initialized', this.initialized || pendingInit.length === 0, 'ContainersNotInitialized', `containers with incomplete status: [${pendingInit.join(' ')}]`),
        this.condition('Ready', containersReady && gates, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`),
        this.condition('ContainersReady', containersReady, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`),
        this.condition('PodScheduled', true),
      ],
      hostIP: this.ctx.hostIp,
      ...(this.net ? { podIP: this.net.ip, podIPs: [{ ip: this.net.ip }] } : {}),
      startTime: this.startTime,
      ...(this.initRunners.length ? { initContainerStatuses: this.initRunners.map(statusOf) } : {}),
      containerStatuses: this.runners.map(statusOf),
    };
  }
}
