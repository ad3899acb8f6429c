/**
 * Pod networking for the test node: one Linux bridge per test cluster (10.244.<slot>.1/24 on the host) and
 * one network namespace per pod with a veth into that bridge, so a pod has its own IP and its own loopback.
 * A server that binds 127.0.0.1 inside a pod is therefore unreachable from probes and Services, as on a
 * real node. Slots are claimed with a lock file holding the owner's pid, so parallel test runs on one
 * machine never share a bridge, and a slot whose owner died is swept before reuse.
 */
import { mkdirSync, openSync, closeSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { run } from './processes.js';

const LOCK_DIR = '/run/mlops-k8s';
const SLOTS = 200;

export interface PodNetwork {
  namespace: string;
  ip: string;
  release(): Promise<void>;
}

export interface NodeNetwork {
  slot: number;
  bridge: string;
  gatewayIp: string;
  podCidr: string;
  serviceCidr: string;
  createPod(): Promise<PodNetwork>;
  destroy(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function sweepSlot(slot: number): Promise<void> {
  const { output } = await run('ip', ['netns', 'list'], { allowFailure: true });
  for (const line of output.split('\n')) {
    const name = line.split(' ')[0];
    if (name?.startsWith(`mk8s${slot}-`)) await run('ip', ['netns', 'del', name], { allowFailure: true });
  }
  await run('ip', ['link', 'del', `mk8s${slot}`], { allowFailure: true });
}

function claimSlot(): number {
  mkdirSync(LOCK_DIR, { recursive: true });
  const start = process.pid % SLOTS;
  for (let k = 0; k < SLOTS; k++) {
    const slot = (start + k) % SLOTS;
    const lock = `${LOCK_DIR}/slot-${slot}.lock`;
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return slot;
    } catch {
      const owner = Number(readFileSafe(lock));
      if (owner && !alive(owner)) {
        // Stale: its owner died without cleaning up. Remove the lock; the next pass of the loop cannot
        // reach this slot again, so try it right away.
        rmSync(lock, { force: true });
        try {
          const fd = openSync(lock, 'wx');
          writeSync(fd, String(process.pid));
          closeSync(fd);
          return -1 - slot; // claimed, but needs a sweep first
        } catch {
          // someone else took it
        }
      }
    }
  }
  throw new Error(`no free network slot in ${LOCK_DIR} (${SLOTS} test clusters running?)`);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Removes every slot whose owner is dead (a crashed run). */
export async function sweepStaleNetworks(): Promise<void> {
  for (let slot = 0; slot < SLOTS; slot++) {
    const lock = `${LOCK_DIR}/slot-${slot}.lock`;
    const owner = Number(readFileSafe(lock));
    if (owner && !alive(owner)) {
      await sweepSlot(slot);
      rmSync(lock, { force: true });
    }
  }
}

export async function createNodeNetwork(): Promise<NodeNetwork> {
  let slot = claimSlot();
  if (slot < 0) {
    slot = -1 - slot;
    await sweepSlot(slot);
  } else {
    // A lock we took fresh, but a bridge left behind by a run that died before writing its lock.
    await sweepSlot(slot);
  }
  const bridge = `mk8s${slot}`;
  const prefix = `10.244.${slot}`;
  const gatewayIp = `${prefix}.1`;
  await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'add', `${gatewayIp}/24`, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
  const used = new Set<number>();
  let lastHost = 1;
  let counter = 0;
  const pods = new Set<string>();
  return {
    slot,
    bridge,
    gatewayIp,
    podCidr: `${prefix}.0/24`,
    serviceCidr: `10.96.${slot}.0/24`,
    async createPod() {
      // Round-robin from the last address handed out, as CNI's host-local IPAM does: reusing a pod's
      // address at once lets the API server's service proxy reuse a kept-alive connection to the dead pod
      // (seen as "error trying to reach service: readfrom tcp ..." in a canary analysis).
      let host: number | undefined;
      for (let step = 1; step <= 253; step++) {
        const candidate = ((lastHost - 2 + step) % 253) + 2;
        if (!used.has(candidate)) {
          host = candidate;
          break;
        }
      }
      if (host === undefined) throw new Error('pod network full (253 pods)');
      lastHost = host;
      used.add(host);
      const id = ++counter;
      const namespace = `mk8s${slot}-${id}`;
      const hostSide = `mk${slot}h${id}`;
      const podSide = `mk${slot}c${id}`;
      const ip = `${prefix}.${host}`;
      pods.add(namespace);
      try {
        await run('ip', ['netns', 'add', namespace]);
        await run('ip', ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', podSide]);
        await run('ip', ['link', 'set', podSide, 'netns', namespace]);
        await run('ip', ['link', 'set', hostSide, 'master', bridge, 'up']);
        await run('ip', ['-n', namespace, 'link', 'set', podSide, 'name', 'eth0']);
        await run('ip', ['-n', namespace, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
        await run('ip', ['-n', namespace, 'link', 'set', 'eth0', 'up']);
        await run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
        await run('ip', ['-n', namespace, 'route', 'add', 'default', 'via', gatewayIp]);
      } catch (error) {
        await run('ip', ['netns', 'del', namespace], { allowFailure: true });
        await run('ip', ['link', 'del', hostSide], { allowFailure: true });
        used.delete(host);
        pods.delete(namespace);
        throw error;
      }
      return {
        namespace,
        ip,
        async release() {
          if (!pods.delete(namespace)) return;
          await run('ip', ['netns', 'del', namespace], { allowFailure: true });
          await run('ip', ['link', 'del', hostSide], { allowFailure: true });
          used.delete(host);
        },
      };
    },
    async destroy() {
      for (const namespace of pods) await run('ip', ['netns', 'del', namespace], { allowFailure: true });
      pods.clear();
      await sweepSlot(slot);
      rmSync(`${LOCK_DIR}/slot-${slot}.lock`, { force: true });
    },
  };
}
