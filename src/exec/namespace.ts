/**
 * `/valohai/...` paths hard-coded in a step's code (not only in its command) work without containers:
 * each execution runs in a private mount namespace where `/valohai/{inputs,outputs,config,repository}`
 * are bind mounts of the execution's folders. Nothing is ever written to the host's `/valohai` (it need
 * not exist; the namespace gets its own root).
 *
 * How, on Linux (util-linux `unshare`):
 * - as root: `unshare --mount`; as any other user: `unshare --user --map-root-user --mount` (a user
 *   namespace makes the mounts possible), and the command runs as the original uid/gid again
 *   (`unshare --user --map-user/--map-group`), so files it writes belong to the user.
 * - In the namespace a tmpfs becomes the new root: every top-level entry of `/` is bind-mounted into it
 *   (recursively; symbolic links copied as links), except `/valohai`, which is made fresh with the four
 *   bind mounts; then the command runs chrooted there (`unshare --root --wd`), in the same absolute
 *   repository path. Mounts are private, so the host sees none of them.
 * - The wrapper `exec`s all the way down: the command keeps the process (group) the executor started,
 *   so time limits, cancellation and the exit status behave as without it.
 *
 * Where no namespace can be made (not Linux, no `unshare`, user namespaces disabled or restricted by
 * AppArmor as on some Ubuntu releases), `namespaceSupport` says why, and the executor falls back to
 * detecting the damage instead (`detectHostValohaiWrites`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fnmatcher } from '../pipeline/fnmatch.js';
import { getErrorMessage } from '../util/errors.js';
import { shellQuote } from '../util/shell.js';
import { codeFilesOutsideGit } from './code-version.js';

export type NamespaceSupport = { available: true; userNamespace: boolean } | { available: false; reason: string };

/**
 * The setup run inside the new namespace, written for one execution with its paths quoted in. Each
 * external command is a process start, which on a busy machine costs as much as a no-op step, so the
 * mounts are one `mount -a` over a generated fstab, the folders one `mkdir`, the symbolic links one
 * `cp -P` (a shell loop of `mkdir`/`mount` per top-level entry was ~50 processes per execution).
 */
function setupScript(plan: { root: string; fstab: string; links: string[]; files: string[]; repositoryDir: string; uid: number; gid: number }): string {
  const { root } = plan;
  const q = shellQuote;
  const lines = [
    'set -e',
    // The new root (a tmpfs), then every bind into it, their mount points made by mount (X-mount.mkdir).
    // unshare made every mount private already (its --propagation default), so the host sees none of them.
    `mount -a -T ${q(plan.fstab)}`,
    ...(plan.links.length > 0 ? [`cp -P -- ${plan.links.map(q).join(' ')} ${q(`${root}/`)}`] : []),
    ...plan.files.map((file) => `: > ${q(`${root}${file}`)}; mount --bind ${q(file)} ${q(`${root}${file}`)}`),
    // The bind of the folder holding the new root shows the new root inside itself: detach that copy.
    `umount -l ${q(`${root}${root}`)} 2>/dev/null || true`,
    'cd /',
    // Tell the executor the command starts now (its limits count from here); the command never sees fd 3.
    'if { true >&3; } 2>/dev/null; then echo started >&3; exec 3>&-; fi',
    plan.uid === 0
      ? `exec unshare --root=${q(root)} --wd=${q(plan.repositoryDir)} -- "$@"`
      : `exec unshare --user --map-user=${plan.uid} --map-group=${plan.gid} --root=${q(root)} --wd=${q(plan.repositoryDir)} -- "$@"`,
  ];
  return `${lines.join('\n')}\n`;
}

/** A path as an fstab field (mount(8)'s octal escapes for blanks and backslashes). */
function fstabField(path: string): string {
  return path.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

interface RootEntry {
  name: string;
  kind: 'link' | 'dir' | 'file';
}

let rootEntries: Promise<RootEntry[]> | undefined;

/** The host's top-level entries (but `/valohai`), read once per process: the new root mirrors them. */
function hostRootEntries(): Promise<RootEntry[]> {
  rootEntries ??= (async () => {
    const entries: RootEntry[] = [];
    for (const entry of await readdir('/', { withFileTypes: true })) {
      if (entry.name === 'valohai') continue;
      if (entry.isSymbolicLink()) entries.push({ name: entry.name, kind: 'link' });
      else if (entry.isDirectory()) entries.push({ name: entry.name, kind: 'dir' });
      else entries.push({ name: entry.name, kind: 'file' });
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  })();
  return rootEntries;
}

function currentIds(): { uid: number; gid: number } {
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

/** The outer `unshare` flags for this user. */
function outerFlags(uid: number): string[] {
  return uid === 0 ? ['--mount'] : ['--user', '--map-root-user', '--mount'];
}

export interface NamespaceInvocation {
  command: string;
  args: string[];
  /**
   * Calls `onStart` once the setup is done and the command starts (a line on the child's fd 3, which
   * the caller opens as a pipe), or when the child ends before that.
   */
  started: (child: ChildProcess, onStart: () => void) => void;
  /** Removes the (empty) mount point of the namespace's root once the command has finished. */
  cleanup: () => Promise<void>;
}

/**
 * `command args` wrapped to run in a private mount namespace with `/valohai` bound to the execution's
 * folders. The caller spawns `command` with `args` in `repositoryDir` as it would have spawned the
 * command itself.
 */
export async function namespaceInvocation(
  target: { command: string; args: string[] },
  folders: { executionDir: string; repositoryDir: string },
  /** Whose namespace (default: this process's user); tests build one for another user. */
  ids: { uid: number; gid: number } = currentIds(),
): Promise<NamespaceInvocation> {
  const { uid, gid } = ids;
  const root = await mkdtemp(join(tmpdir(), 'mlops-ns-root-'));
  const fstab = `${root}.fstab`;
  const entries = await hostRootEntries();
  const valohai = [
    ...['inputs', 'outputs', 'config'].map((d) => ({ source: join(folders.executionDir, d), target: `valohai/${d}` })),
    { source: folders.repositoryDir, target: 'valohai/repository' },
  ];
  const mounts = [
    `mlops-valohai-root ${fstabField(root)} tmpfs mode=755 0 0`,
    ...entries.filter((e) => e.kind === 'dir').map((e) => `${fstabField(`/${e.name}`)} ${fstabField(`${root}/${e.name}`)} none rbind,X-mount.mkdir 0 0`),
    ...valohai.map((v) => `${fstabField(v.source)} ${fstabField(`${root}/${v.target}`)} none bind,X-mount.mkdir 0 0`),
  ];
  await writeFile(fstab, `${mounts.join('\n')}\n`);
  const script = setupScript({
    root,
    fstab,
    links: entries.filter((e) => e.kind === 'link').map((e) => `/${e.name}`),
    files: entries.filter((e) => e.kind === 'file').map((e) => `/${e.name}`),
    repositoryDir: folders.repositoryDir,
    uid,
    gid,
  });
  return {
    command: 'unshare',
    args: [...outerFlags(uid), '/bin/sh', '-c', script, 'mlops-valohai-namespace', target.command, ...target.args],
    started: (child, onStart) => {
      let called = false;
      const once = (): void => {
        if (called) return;
        called = true;
        onStart();
      };
      const signal = child.stdio[3];
      if (signal && 'on' in signal) {
        signal.on('data', once);
        signal.on('error', () => undefined);
      } else once();
      child.once('exit', once);
    },
    cleanup: async () => {
      await rm(root, { recursive: false, force: true }).catch(() => undefined);
      await rm(fstab, { force: true }).catch(() => undefined);
    },
  };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string; error?: Error }> {
  return new Promise((resolveRun) => {
    let output = '';
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolveRun({ code: null, output, error }));
    child.on('close', (code) => resolveRun({ code, output }));
  });
}

let probed: Promise<NamespaceSupport> | undefined;

/**
 * Whether executions can get a private `/valohai` here, tried once per process with the real setup on a
 * throwaway execution folder (a bare `unshare true` would pass where mounting is still refused).
 * `MLOPS_VALOHAI_NAMESPACE=off` turns it off.
 */
export function namespaceSupport(): Promise<NamespaceSupport> {
  probed ??= probeNamespace();
  return probed;
}

async function probeNamespace(): Promise<NamespaceSupport> {
  if (process.env['MLOPS_VALOHAI_NAMESPACE'] === 'off') return { available: false, reason: 'MLOPS_VALOHAI_NAMESPACE is "off"' };
  if (process.platform !== 'linux') return { available: false, reason: `mount namespaces exist only on Linux (this is ${process.platform})` };
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-ns-probe-'));
  try {
    const executionDir = join(scratch, 'execution');
    const repositoryDir = join(scratch, 'repository');
    for (const dir of ['inputs', 'outputs', 'config']) await mkdir(join(executionDir, dir), { recursive: true });
    await mkdir(repositoryDir);
    await writeFile(join(repositoryDir, 'probe.sh'), 'echo probe > /valohai/outputs/probe.txt\n');
    const invocation = await namespaceInvocation({ command: '/bin/sh', args: ['probe.sh'] }, { executionDir, repositoryDir });
    const result = await run(invocation.command, invocation.args, repositoryDir);
    await invocation.cleanup();
    if (result.error) return { available: false, reason: `cannot run unshare (${result.error.message})` };
    const wrote = await stat(join(executionDir, 'outputs', 'probe.txt')).then(
      () => true,
      () => false,
    );
    if (result.code !== 0 || !wrote) {
      const detail = result.output.trim().split('\n').pop() ?? '';
      return { available: false, reason: `unshare could not make a private /valohai (${detail || `exit code ${result.code ?? 'unknown'}`})` };
    }
    return { available: true, userNamespace: currentIds().uid !== 0 };
  } catch (error) {
    return { available: false, reason: getErrorMessage(error) };
  } finally {
    await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Forgets the probe's answer (tests that switch MLOPS_VALOHAI_NAMESPACE). */
export function resetNamespaceProbe(): void {
  probed = undefined;
}

const WATCHED = ['inputs', 'outputs', 'config', 'repository'] as const;

/** Files under `<root>/{inputs,outputs,config,repository}` with their modification times (bounded walk). */
export async function snapshotValohaiRoot(root: string, limit = 10_000): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (seen.size >= limit) return;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const info = await stat(full).catch(() => undefined);
        if (info) seen.set(full, info.mtimeMs);
      }
    }
  };
  // One look at the root first: on most machines there is no /valohai, and this runs twice per execution.
  // A synchronous stat that says "missing" without an exception: the failing readdir of a missing root
  // (an exception and a threadpool round trip, twice per execution) showed in the runner's profile.
  if (statSync(root, { throwIfNoEntry: false }) === undefined) return seen;
  let present: Set<string>;
  try {
    present = new Set(await readdir(root));
  } catch {
    return seen;
  }
  for (const folder of WATCHED) if (present.has(folder)) await walk(join(root, folder));
  return seen;
}

/** The executor's options about `/valohai` without containers. */
export interface ValohaiIsolation {
  container?: unknown;
  /**
   * `auto` (default): a private namespace where the machine allows it and the execution may need one (its
   * command or its repository's files mention `/valohai`), else the fallback's checks; `always`: a namespace
   * wherever the machine allows it; `off`: neither. Default: `always` when MLOPS_VALOHAI_NAMESPACE=always, else `auto`.
   */
  valohaiNamespace?: 'auto' | 'always' | 'off';
  /** The host folder the fallback watches (default `/valohai`; tests point it elsewhere). */
  hostValohaiRoot?: string;
}

function namespaceMode(options: ValohaiIsolation): 'auto' | 'always' | 'off' {
  if (options.valohaiNamespace) return options.valohaiNamespace;
  // MLOPS_VALOHAI_NAMESPACE=off is read by namespaceSupport (no namespace, the host watch still runs).
  return process.env['MLOPS_VALOHAI_NAMESPACE'] === 'always' ? 'always' : 'auto';
}

/** What `auto` looks at to decide whether an execution may touch `/valohai` by path. */
export interface ValohaiUse {
  /** The execution's whole command script. */
  script: string;
  /** The repository the command runs in (its code may hard-code `/valohai/...`). */
  repositoryDir: string;
}

/**
 * Whether an execution runs in a private mount namespace. Setting one up costs several process starts
 * per execution (about 0.1 s idle, seconds on a loaded machine: on a 200-node DAG of no-op steps it was
 * most of the run), and code that reads Valohai's environment variables (valohai-utils does) never needs
 * it, so `auto` makes one only when the command or the repository mentions `/valohai`. Code that builds
 * the path at run time is still caught afterwards by the host watch, whose message says how to force it.
 */
export async function privateValohai(options: ValohaiIsolation, use?: ValohaiUse): Promise<boolean> {
  const mode = namespaceMode(options);
  if (options.container || mode === 'off') return false;
  // Whether one is wanted before whether one can be made: the probe makes a namespace itself (several
  // process starts), which a run whose code never mentions /valohai need not pay for.
  const wanted = mode === 'always' || !use || use.script.includes('/valohai') || (await repositoryMentionsValohai(use.repositoryDir));
  return wanted && (await namespaceSupport()).available;
}

/**
 * privateValohai's answer when it is known at once (off, a container, or a repository already scanned
 * and found not to mention `/valohai` under a command that does not either): undefined when only
 * privateValohai can tell. Between an execution's turn and its process start every `await` lets the
 * preparation of later executions run first, so the usual case skips them.
 */
export function privateValohaiNow(options: ValohaiIsolation, use: ValohaiUse): boolean | undefined {
  const mode = namespaceMode(options);
  if (options.container || mode === 'off') return false;
  if (mode === 'always' || use.script.includes('/valohai')) return undefined;
  return repositoryScanResults.get(use.repositoryDir) === false ? false : undefined;
}

const repositoryScans = new Map<string, Promise<boolean>>();
/** The scans that have finished, by repository. */
const repositoryScanResults = new Map<string, boolean>();

/**
 * Whether any file of the repository (git's tracked and untracked-but-not-ignored files, or every file
 * outside git) contains `/valohai`. Scanned once per repository per process: a run's code is fixed when
 * it starts (the reuse key's code version is taken then too).
 */
export function repositoryMentionsValohai(repositoryDir: string): Promise<boolean> {
  let scan = repositoryScans.get(repositoryDir);
  if (!scan) {
    scan = scanRepository(repositoryDir).then((mentions) => {
      repositoryScanResults.set(repositoryDir, mentions);
      return mentions;
    });
    repositoryScans.set(repositoryDir, scan);
  }
  return scan;
}

async function scanRepository(repositoryDir: string): Promise<boolean> {
  const viaGit = await new Promise<boolean | undefined>((resolveScan) => {
    const child = spawn('git', ['grep', '-q', '-I', '-F', '--untracked', '-e', '/valohai'], { cwd: repositoryDir, stdio: 'ignore' });
    child.on('error', () => resolveScan(undefined));
    // 0: found; 1: not found; anything else (not a repository, git missing): scan the files instead.
    child.on('close', (code) => resolveScan(code === 0 ? true : code === 1 ? false : undefined));
  });
  if (viaGit !== undefined) return viaGit;
  // Outside git: the files the code version counts as code (code-version.ts), read until one mentions it.
  for (const path of await codeFilesOutsideGit(repositoryDir)) {
    try {
      if ((await readFile(join(repositoryDir, path))).includes('/valohai')) return true;
    } catch {
      // a file that vanished or cannot be read cannot be the step's code either
    }
  }
  return false;
}

/** The check run after an execution's command by the fallback (a reason to fail, or undefined). */
export type HostValohaiCheck = (declared: { name: string }[], outputs: { path: string }[]) => Promise<string | undefined>;

/**
 * watchHostValohai without waiting where the host has no root (most machines: the snapshot is then
 * empty), `pending` where only watchHostValohai can take it.
 */
export function watchHostValohaiNow(options: ValohaiIsolation): HostValohaiCheck | undefined | 'pending' {
  if (options.container || namespaceMode(options) === 'off') return undefined;
  const root = options.hostValohaiRoot ?? '/valohai';
  if (statSync(root, { throwIfNoEntry: false }) !== undefined) return 'pending';
  const before = new Map<string, number>();
  return (declared, outputs) => hostValohaiProblem(before, root, declared, outputs);
}

/**
 * The fallback, for an execution without a private `/valohai` (nor a link nor a container): snapshots the
 * host's root now, and returns the check to run after the command (a reason to fail, or undefined).
 */
export async function watchHostValohai(options: ValohaiIsolation): Promise<HostValohaiCheck | undefined> {
  if (options.container || namespaceMode(options) === 'off') return undefined;
  const root = options.hostValohaiRoot ?? '/valohai';
  const before = await snapshotValohaiRoot(root);
  return (declared, outputs) => hostValohaiProblem(before, root, declared, outputs);
}

/**
 * After an execution that ran without a private `/valohai`: why it must fail (files written to the host's
 * `root`, declared outputs missing), or undefined.
 */
export async function hostValohaiProblem(
  before: Map<string, number>,
  root: string,
  declared: { name: string }[],
  outputs: { path: string }[],
): Promise<string | undefined> {
  const missing = declared.map((o) => o.name).filter((name) => !outputs.some((output) => fnmatcher(name)(output.path)));
  const after = await snapshotValohaiRoot(root);
  // The probe (a namespace made to see whether one can be) only to word a failure, not after every execution.
  if (hostValohaiWritesReason(before, after, missing, '', root) === undefined) return undefined;
  const support = await namespaceSupport();
  const why = support.available
    ? 'none was made: neither the command nor the repository mentions /valohai; MLOPS_VALOHAI_NAMESPACE=always makes one for every execution'
    : support.reason;
  return hostValohaiWritesReason(before, after, missing, why, root);
}

/**
 * The fallback's verdict: files that appeared (or changed) under the host's `<root>` during the
 * execution, and declared outputs that never arrived, as one reason naming `/valohai` and what to do;
 * undefined when neither happened.
 */
export function hostValohaiWritesReason(
  before: Map<string, number>,
  after: Map<string, number>,
  missingDeclaredOutputs: string[],
  why: string,
  root = '/valohai',
): string | undefined {
  const written = [...after].filter(([path, mtime]) => before.get(path) !== mtime).map(([path]) => path);
  if (written.length === 0 && missingDeclaredOutputs.length === 0) return undefined;
  const what =
    written.length > 0
      ? `the step wrote ${written.slice(0, 3).join(', ')}${written.length > 3 ? ` and ${written.length - 3} more` : ''} on this machine's ${root}, not into its execution folder`
      : `declared output${missingDeclaredOutputs.length > 1 ? 's' : ''} ${missingDeclaredOutputs.join(', ')} never appeared (code that writes ${root}/outputs by path writes outside the execution here)`;
  return (
    `${what}; ${root} cannot be private here (${why}). Use $VH_OUTPUTS_DIR / $VH_INPUTS_DIR (or valohai-utils' ` +
    `valohai.outputs()) instead of ${root}/..., or run with --container`
  );
}
