/**
 * The test cluster's image registry. An image is a folder laid out as a root filesystem (only the paths the
 * image adds, e.g. `app/`, `models/`) plus an image config (working dir, user, env, entrypoint, cmd); the host
 * filesystem plays the base image, so `node` and `python3` come from the machine. References resolve as a
 * real registry resolves them: `name:tag` (tag defaults to `latest`) or `name@sha256:<digest>`; anything not
 * pushed is unknown (the kubelet reports ErrImagePull / ImagePullBackOff).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, lstat, readlink, chmod, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, posix, relative, resolve as resolvePath, sep } from 'node:path';
import picomatch from 'picomatch';

export interface ImageConfig {
  workingDir?: string;
  /** As in a Dockerfile USER: `uid`, `uid:gid` or a name. */
  user?: string;
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  exposedPorts: string[];
  labels: Record<string, string>;
}

export interface Image {
  digest: string;
  /** Folder holding the files the image adds, by absolute path inside the container. */
  rootfs: string;
  config: ImageConfig;
}

export interface PushOptions {
  /** Where the folder's content appears in the container (default `/app`, also the working dir). */
  path?: string;
  workingDir?: string;
  user?: string;
  env?: Record<string, string>;
  entrypoint?: string[];
  cmd?: string[];
}

export interface TestRegistry {
  /** Registers a folder as an image; returns the digest-qualified reference `name@sha256:...`. */
  push(reference: string, folder: string, options?: PushOptions): Promise<string>;
  /** "docker build" of a build context (a Dockerfile subset: FROM, WORKDIR, COPY/ADD of local files, USER,
   *  ENV, ARG, LABEL, EXPOSE, CMD/ENTRYPOINT; RUN is refused) into an image; returns the digest reference. */
  build(contextDir: string, reference: string, options?: { dockerfile?: string; buildArgs?: Record<string, string> }): Promise<string>;
  /** The image a reference names, or undefined (what a pull would fail on). */
  resolve(reference: string): Image | undefined;
  /** The files of an image (a folder laid out by absolute path). */
  references(): string[];
}

/** Directories the host base provides; an image may not replace them (the kubelet bind-mounts the host's). */
export const HOST_DIRS = new Set(['bin', 'boot', 'dev', 'etc', 'lib', 'lib32', 'lib64', 'libx32', 'proc', 'run', 'sbin', 'sys', 'usr', 'var', 'opt', 'root', 'home']);

/** Public base images the host filesystem stands in for, with the config their real images carry. */
const HOST_BASES: Array<{ pattern: RegExp; config: Partial<ImageConfig> }> = [
  { pattern: /^(docker\.io\/)?(library\/)?node(:|@|$)/, config: { cmd: ['node'] } },
  { pattern: /^(docker\.io\/)?(library\/)?python(:|@|$)/, config: { cmd: ['python3'] } },
  { pattern: /^(docker\.io\/)?(library\/)?(busybox|debian|ubuntu|alpine)(:|@|$)/, config: { cmd: ['sh'] } },
  { pattern: /^scratch$/, config: {} },
  { pattern: /^gcr\.io\/distroless\//, config: {} },
];

export interface ParsedReference {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseReference(reference: string): ParsedReference {
  let rest = reference.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`invalid image reference ${reference}: digest must be sha256:<64 hex>`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const name = rest.replace(/^docker\.io\/(library\/)?/, '');
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._/-][a-z0-9]+)*)*$/.test(name)) throw new Error(`invalid image reference ${reference}`);
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export async function createRegistry(dir: string): Promise<TestRegistry> {
  await mkdir(dir, { recursive: true });
  const images = new Map<string, Image>(); // digest -> image
  const tags = new Map<string, string>(); // name:tag -> digest
  const names = new Map<string, Set<string>>(); // digest -> names pushed with it

  const store = async (reference: string, staging: string, config: ImageConfig): Promise<string> => {
    const { name, tag } = parseReference(reference);
    for (const entry of await readdir(staging)) {
      if (HOST_DIRS.has(entry)) throw new Error(`image ${reference}: /${entry} would replace the host base's directory; the test registry cannot layer files there`);
    }
    const digest = `sha256:${await digestOf(staging, config)}`;
    const final = join(dir, digest.replace(':', '-'));
    if (existsSync(final)) await rm(staging, { recursive: true, force: true });
    else await rename(staging, final);
    images.set(digest, { digest, rootfs: final, config });
    tags.set(`${name}:${tag ?? 'latest'}`, digest);
    const set = names.get(digest) ?? new Set<string>();
    set.add(name);
    names.set(digest, set);
    return `${name}@${digest}`;
  };

  const registry: TestRegistry = {
    async push(reference, folder, options = {}) {
      const path = options.path ?? '/app';
      if (!posix.isAbsolute(path)) throw new Error(`push ${reference}: path must be absolute`);
      const staging = await mkdtemp(join(dir, 'staging-'));
      await chmod(staging, 0o755);
      const target = join(staging, ...path.split('/').filter(Boolean));
      await mkdir(target, { recursive: true });
      await cp(folder, target, { recursive: true, preserveTimestamps: true });
      await openUp(staging);
      const config: ImageConfig = {
        workingDir: options.workingDir ?? path,
        ...(options.user ? { user: options.user } : {}),
        env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`)],
        ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
        ...(options.cmd ? { cmd: options.cmd } : {}),
        exposedPorts: [],
        labels: {},
      };
      return store(reference, staging, config);
    },
    async build(contextDir, reference, options = {}) {
      const staging = await mkdtemp(join(dir, 'staging-'));
      await chmod(staging, 0o755);
      try {
        const config = await buildImage(contextDir, options.dockerfile ?? 'Dockerfile', options.buildArgs ?? {}, staging, registry);
        await openUp(staging);
        return await store(reference, staging, config);
      } catch (error) {
        await rm(staging, { recursive: true, force: true });
        throw error;
      }
    },
    resolve(reference) {
      let parsed: ParsedReference;
      try {
        parsed = parseReference(reference);
      } catch {
        return undefined;
      }
      if (parsed.digest) {
        const image = images.get(parsed.digest);
        return image && names.get(parsed.digest)?.has(parsed.name) ? image : undefined;
      }
      const digest = tags.get(`${parsed.name}:${parsed.tag ?? 'latest'}`);
      return digest ? images.get(digest) : undefined;
    },
    references() {
      return [...tags.keys()];
    },
  };
  return registry;
}

/** Everything in an image is readable by any uid, as files in image layers are (the kubelet may run as 1000). */
async function openUp(root: string): Promise<void> {
  const info = await lstat(root);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    await chmod(root, info.mode | 0o555);
    for (const entry of await readdir(root)) await openUp(join(root, entry));
  } else {
    await chmod(root, info.mode | 0o444);
  }
}

async function digestOf(root: string, config: ImageConfig): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(config));
  const walk = async (path: string) => {
    const info = await lstat(path);
    const rel = relative(root, path).split(sep).join('/');
    if (info.isSymbolicLink()) hash.update(`L ${rel} ${await readlink(path)}\n`);
    else if (info.isDirectory()) {
      hash.update(`D ${rel} ${(info.mode & 0o777).toString(8)}\n`);
      for (const entry of (await readdir(path)).sort()) await walk(join(path, entry));
    } else {
      hash.update(`F ${rel} ${(info.mode & 0o777).toString(8)} `);
      hash.update(createHash('sha256').update(await readFile(path)).digest('hex'));
      hash.update('\n');
    }
  };
  await walk(root);
  return hash.digest('hex');
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    const start = i + 1;
    if (!line || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    }
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (match) out.push({ keyword: match[1]!.toUpperCase(), args: match[2]!, line: start });
  }
  return out;
}

function jsonOrShell(args: string): string[] {
  if (args.startsWith('[')) {
    const parsed = JSON.parse(args) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error('exec form must be a JSON array of strings');
    return parsed;
  }
  return ['/bin/sh', '-c', args];
}

function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string | undefined, _d, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return vars[name] ?? fallback ?? '';
  });
}

function splitWords(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return args.split(/\s+/).filter(Boolean);
}

async function dockerignore(contextDir: string): Promise<(path: string) => boolean> {
  const file = join(contextDir, '.dockerignore');
  if (!existsSync(file)) return () => false;
  const rules = (await readFile(file, 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), match: picomatch(posix.normalize(l.replace(/^!/, '')).replace(/^\/+|\/+$/g, ''), { dot: true }) }));
  return (path: string) => {
    let ignored = false;
    const parts = path.split('/');
    for (const rule of rules) {
      // A pattern matching a parent directory excludes everything beneath it.
      for (let k = 1; k <= parts.length; k++) {
        if (rule.match(parts.slice(0, k).join('/'))) ignored = !rule.negate;
      }
    }
    return ignored;
  };
}

async function buildImage(contextDir: string, dockerfileName: string, buildArgs: Record<string, string>, rootfs: string, registry: TestRegistry): Promise<ImageConfig> {
  const dockerfile = join(contextDir, dockerfileName);
  const instructions = parseDockerfile(await readFile(dockerfile, 'utf8'));
  const ignored = await dockerignore(contextDir);
  const fail = (ins: Instruction, message: string): never => {
    throw new Error(`${dockerfile}:${ins.line}: ${ins.keyword} ${message}`);
  };
  let config: ImageConfig | undefined;
  const vars: Record<string, string> = {};
  for (const ins of instructions) {
    if (ins.keyword === 'ARG') {
      const [name, value] = ins.args.split('=', 2) as [string, string | undefined];
      vars[name.trim()] = buildArgs[name.trim()] ?? value ?? '';
      continue;
    }
    if (ins.keyword === 'FROM') {
      if (config) fail(ins, 'a second stage: multi-stage builds are not supported by the test registry');
      const [base] = substitute(ins.args, vars).split(/\s+/);
      const fromRegistry = registry.resolve(base!);
      if (fromRegistry) {
        await cp(fromRegistry.rootfs, rootfs, { recursive: true });
        config = structuredClone(fromRegistry.config);
      } else {
        const host = HOST_BASES.find((b) => b.pattern.test(base!));
        if (!host) fail(ins, `${base}: base image not found in the test registry (push it first)`);
        config = { env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], exposedPorts: [], labels: {}, ...host!.config };
      }
      continue;
    }
    if (!config) return fail(ins, 'before FROM');
    const args = substitute(ins.args, { ...vars, ...Object.fromEntries(config.env.map((e) => e.split('=', 2) as [string, string])) });
    switch (ins.keyword) {
      case 'WORKDIR': {
        const dir = posix.resolve(config.workingDir ?? '/', args);
        config.workingDir = dir;
        await mkdir(join(rootfs, dir), { recursive: true });
        break;
      }
      case 'USER':
        config.user = args;
        break;
      case 'ENV': {
        const pairs: Array<[string, string]> = [];
        if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
          for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|(\S*))/g)) pairs.push([m[1]!, m[3] ?? m[4] ?? '']);
        } else {
          const [k, ...v] = args.split(/\s+/);
          pairs.push([k!, v.join(' ')]);
        }
        for (const [k, v] of pairs) config.env = [...config.env.filter((e) => !e.startsWith(`${k}=`)), `${k}=${v}`];
        break;
      }
      case 'LABEL':
        for (const m of args.matchAll(/([^\s=]+)=("([^"]*)"|(\S*))/g)) config.labels[m[1]!] = m[3] ?? m[4] ?? '';
        break;
      case 'EXPOSE':
        config.exposedPorts.push(...args.split(/\s+/).filter(Boolean));
        break;
      case 'CMD':
        config.cmd = jsonOrShell(args);
        break;
      case 'ENTRYPOINT':
        config.entrypoint = jsonOrShell(args);
        // As Docker does: a new ENTRYPOINT resets a CMD inherited from the base.
        delete config.cmd;
        break;
      case 'COPY':
      case 'ADD': {
        const words = splitWords(args);
        const flags = words.filter((w) => w.startsWith('--'));
        const paths = words.filter((w) => !w.startsWith('--'));
        for (const flag of flags) {
          if (!/^--(chown|chmod|link)=/.test(flag)) fail(ins, `${flag} is not supported by the test registry`);
        }
        if (paths.length < 2) fail(ins, 'needs a source and a destination');
        const dest = paths.pop()!;
        const destAbs = posix.resolve(config.workingDir ?? '/', dest);
        const intoDir = dest.endsWith('/') || paths.length > 1;
        for (const source of paths) {
          if (/^https?:\/\//.test(source)) fail(ins, `${source}: remote sources are not supported`);
          const matches = await expand(contextDir, source, ignored);
          if (matches.length === 0) fail(ins, `${source}: no such file in the build context`);
          for (const rel of matches) {
            const from = join(contextDir, rel);
            const isDir = (await stat(from)).isDirectory();
            const target = isDir ? (source.includes('*') ? posix.join(destAbs, posix.basename(rel)) : destAbs) : intoDir || source.includes('*') ? posix.join(destAbs, posix.basename(rel)) : destAbs;
            const to = join(rootfs, ...target.split('/').filter(Boolean));
            await mkdir(isDir ? to : join(to, '..'), { recursive: true });
            await cp(from, to, {
              recursive: true,
              filter: (src) => {
                const inContext = relative(contextDir, src).split(sep).join('/');
                return !inContext || !ignored(inContext);
              },
            });
          }
        }
        break;
      }
      case 'RUN':
        return fail(ins, 'cannot run commands in the test registry (no container engine); build a context without RUN');
      case 'HEALTHCHECK':
      case 'STOPSIGNAL':
      case 'SHELL':
      case 'VOLUME':
        break;
      default:
        fail(ins, 'is not a Dockerfile instruction the test registry knows');
    }
  }
  if (!config) throw new Error(`${dockerfile}: no FROM`);
  return config;
}

async function expand(contextDir: string, source: string, ignored: (path: string) => boolean): Promise<string[]> {
  const clean = posix.normalize(source).replace(/^\/+/, '').replace(/\/+$/, '') || '.';
  if (clean.startsWith('..')) throw new Error(`COPY ${source}: outside the build context`);
  if (!/[*?[]/.test(clean)) {
    if (clean !== '.' && ignored(clean)) return [];
    return existsSync(resolvePath(contextDir, clean)) ? [clean] : [];
  }
  const match = picomatch(clean, { dot: true });
  const dirPart = posix.dirname(clean);
  const base = dirPart.includes('*') ? '.' : dirPart;
  const out: string[] = [];
  for (const entry of await readdir(join(contextDir, base))) {
    const rel = base === '.' ? entry : `${base}/${entry}`;
    if (match(rel) && !ignored(rel)) out.push(rel);
  }
  return out;
}
