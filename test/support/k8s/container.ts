/**
 * One container as a local process: in the pod's network namespace (`ip netns exec`), in a private mount and
 * UTS namespace (`unshare`), chrooted into a root made of an overlay of the image's files (copy-on-write,
 * so a container never changes its image) with overlays of the host's /usr, /lib, /etc, ... as the base image
 * (copy-on-write too: the host is never written), the pod's volumes bound at their mountPaths, /etc/hosts written by the kubelet. It then runs as the
 * securityContext's uid/gid with `setpriv` (no_new_privs for allowPrivilegeEscalation=false, capabilities
 * dropped as asked). readOnlyRootFilesystem remounts the root read-only.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startProcess, run, type Supervised } from './processes.js';

export interface ContainerLaunch {
  /** Folder for this container instance's overlay upper/work dirs and its root mount point. */
  dir: string;
  netns: string;
  hostname: string;
  imageRootfs: string;
  mounts: Array<{ hostPath: string; containerPath: string; readOnly: boolean }>;
  hostsFile: string;
  workingDir: string;
  env: Array<[string, string]>;
  argv: string[];
  uid: number;
  gid: number;
  noNewPrivs: boolean;
  dropAllCapabilities: boolean;
  addCapabilities: string[];
  readOnlyRoot: boolean;
  /** Path inside the container (terminationMessagePath) and the host file bound there. */
  terminationMessagePath: string;
  terminationMessageFile: string;
  onOutput: (chunk: Buffer) => void;
}

const HOST_BASE = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'etc', 'opt'];

export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function setprivArgs(launch: Pick<ContainerLaunch, 'uid' | 'gid' | 'noNewPrivs' | 'dropAllCapabilities' | 'addCapabilities'>, pdeathsig: boolean): string[] {
  const args = [`--reuid=${launch.uid}`, `--regid=${launch.gid}`, '--clear-groups'];
  if (launch.noNewPrivs) args.push('--no-new-privs');
  if (launch.dropAllCapabilities) {
    const add = launch.addCapabilities.map((c) => `+${c.toLowerCase().replace(/^cap_/, '')}`).join(',');
    args.push(`--bounding-set=-all${add ? `,${add}` : ''}`, `--inh-caps=-all${add ? `,${add}` : ''}`);
  }
  if (pdeathsig) args.push('--pdeathsig=KILL');
  return args;
}

export async function launchContainer(launch: ContainerLaunch): Promise<Supervised> {
  const root = join(launch.dir, 'root');
  const upper = join(launch.dir, 'upper');
  const work = join(launch.dir, 'work');
  await mkdir(root, { recursive: true });
  await mkdir(upper, { recursive: true, mode: 0o755 });
  await mkdir(work, { recursive: true });
  const r = shq(root);
  const lines = [
    'set -eu',
    `mount -t overlay overlay -o ${shq(`lowerdir=${launch.imageRootfs},upperdir=${upper},workdir=${work}`)} ${r}`,
    `chmod 755 ${r}`,
    // The host's system folders are the base image: each an overlay of its own, so writes (and mount
    // points for volumes such as /etc/config) land in this container's layer and never on the host.
    `for d in ${HOST_BASE.join(' ')}; do`,
    '  if [ -L "/$d" ]; then [ -e ' + r + '/"$d" ] || ln -s "$(readlink "/$d")" ' + r + '/"$d";',
    `  elif [ -d "/$d" ]; then mkdir -p ${r}/"$d" ${shq(join(launch.dir, 'host-upper'))}/"$d" ${shq(join(launch.dir, 'host-work'))}/"$d";`,
    `    mount -t overlay overlay -o lowerdir="/$d",upperdir=${shq(join(launch.dir, 'host-upper'))}/"$d",workdir=${shq(join(launch.dir, 'host-work'))}/"$d" ${r}/"$d"; fi`,
    'done',
    `mkdir -p ${r}/dev ${r}/proc ${r}/sys ${r}/tmp ${r}/run ${r}/var/tmp`,
    `chmod 1777 ${r}/tmp ${r}/var/tmp`,
    // A /dev of its own (the usual device nodes bound from the host), so nothing a container writes there
    // reaches the host's /dev.
    `mount -t tmpfs -o mode=755,nosuid tmpfs ${r}/dev`,
    `for n in null zero full random urandom tty; do touch ${r}/dev/$n; mount --bind /dev/$n ${r}/dev/$n; done`,
    `mkdir -p ${r}/dev/shm ${r}/dev/pts && mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs ${r}/dev/shm`,
    `ln -s /proc/self/fd ${r}/dev/fd; ln -s /proc/self/fd/0 ${r}/dev/stdin; ln -s /proc/self/fd/1 ${r}/dev/stdout; ln -s /proc/self/fd/2 ${r}/dev/stderr`,
    `mount -t proc proc ${r}/proc`,
    `mount -t tmpfs -o mode=755 tmpfs ${r}/run`,
    `mount --bind ${shq(launch.hostsFile)} ${r}/etc/hosts`,
    `hostname ${shq(launch.hostname)}`,
  ];
  for (const m of launch.mounts) {
    const target = `${r}${shq(m.containerPath)}`;
    lines.push(`mkdir -p ${target}`, `mount --bind ${shq(m.hostPath)} ${target}`);
    if (m.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  }
  // The termination message file (terminationMessagePath), which the kubelet reads when the container ends.
  const messagePath = `${r}${shq(launch.terminationMessagePath)}`;
  lines.push(`mkdir -p "$(dirname ${messagePath})"`, `touch ${messagePath}`, `mount --bind ${shq(launch.terminationMessageFile)} ${messagePath}`);
  if (launch.readOnlyRoot) {
    lines.push(`mount -o remount,ro ${r}`);
    lines.push(`for d in ${HOST_BASE.join(' ')}; do if [ -d "/$d" ] && [ ! -L "/$d" ]; then mount -o remount,ro ${r}/"$d"; fi; done`);
  }
  const envArgs = launch.env.map(([k, v]) => shq(`${k}=${v}`)).join(' ');
  lines.push(
    `exec chroot ${r} /usr/bin/env -i -C ${shq(launch.workingDir)} ${envArgs} /usr/bin/setpriv ${setprivArgs(launch, true).join(' ')} -- ${launch.argv.map(shq).join(' ')}`,
  );
  const script = join(launch.dir, 'start.sh');
  await writeFile(script, `${lines.join('\n')}\n`, { mode: 0o700 });
  return startProcess('ip', ['netns', 'exec', launch.netns, 'unshare', '--mount', '--uts', '--propagation', 'private', '--', '/bin/sh', script], {
    onOutput: launch.onOutput,
  });
}

/** Runs a command inside a running container (exec probes, preStop exec hooks): its namespaces, root, cwd, user. */
export async function execInContainer(
  pid: number,
  launch: Pick<ContainerLaunch, 'env' | 'uid' | 'gid' | 'noNewPrivs' | 'dropAllCapabilities' | 'addCapabilities'>,
  argv: string[],
  timeoutMs: number,
): Promise<{ code: number; output: string; timedOut: boolean }> {
  const env = launch.env.map(([k, v]) => `${k}=${v}`);
  const args = ['-t', String(pid), '-m', '-n', '-u', '-r', '-w', '--', '/usr/bin/env', '-i', ...env, '/usr/bin/setpriv', ...setprivArgs(launch, true), '--', ...argv];
  const child = startProcess('nsenter', args);
  const chunks: Buffer[] = [];
  child.child.stdout?.on('data', (c: Buffer) => chunks.push(c));
  child.child.stderr?.on('data', (c: Buffer) => chunks.push(c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.signal('SIGKILL');
  }, timeoutMs);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, output: Buffer.concat(chunks).toString('utf8'), timedOut };
}

/** Unmounts what a container's script mounted (the mount namespace dies with the process; this is belt and braces). */
export async function cleanupContainerDir(dir: string): Promise<void> {
  await run('umount', ['-R', '-l', join(dir, 'root')], { allowFailure: true });
}

/**
 * How a container instance ended, as the kubelet and containerd report it: a command that cannot be
 * executed is StartError (exit 128); the message is the termination message file, or with
 * terminationMessagePolicy FallbackToLogsOnError and a failure, the log's last 80 lines (2048 bytes at most).
 */
export function terminationOf(code: number, log: string, policy: string | undefined, messageFile: string): { exitCode: number; reason: string; message?: string } {
  const notExecutable = /setpriv: failed to execute (.+): (No such file or directory|Permission denied)\s*$/.exec(log.trimEnd());
  if ((code === 127 || code === 126) && notExecutable) {
    const why = notExecutable[2] === 'Permission denied' ? 'permission denied' : 'no such file or directory';
    const what = notExecutable[1]!.includes('/') ? `exec: "${notExecutable[1]}": ${why}` : `exec: "${notExecutable[1]}": executable file not found in $PATH`;
    return { exitCode: 128, reason: 'StartError', message: `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${what}: unknown` };
  }
  const reason = code === 0 ? 'Completed' : 'Error';
  let message = messageFile.slice(0, 4096);
  if (!message && policy === 'FallbackToLogsOnError' && code !== 0) message = log.split('\n').slice(-81).join('\n').slice(-2048);
  return { exitCode: code, reason, ...(message ? { message } : {}) };
}
