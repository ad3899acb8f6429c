/**
 * Content-addressed file store: each file lives once at `<root>/sha256/ab/abcdef…`, named by the
 * sha256 of its bytes. Store files are read-only (0444).
 *
 * Truth of the store:
 * - Every object carries a fixed modification time (`OBJECT_MTIME`) from the moment it is added: any
 *   write to it moves the time, so `check` finds a changed object with one stat and re-hashes only
 *   then. An object whose bytes no longer match its name is moved to `quarantine/` (never handed out).
 * - `materialise` places an object so that the command cannot change it: a reflink (copy-on-write
 *   clone) where the filesystem has it, else a copy for files up to `COPY_LIMIT_BYTES`, else a hardlink,
 *   which the executor verifies after the command (exec/input-guard.ts).
 * - `add` with `link` never links a file that has other links (a hardlink to a repository file put in
 *   outputs/): that file is copied, so it does not become read-only or tied to the store.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface StoredFile {
  sha256: string;
  size: number;
}

export interface AddOptions {
  /**
   * Hardlink the source into the store instead of copying it (copy when the link fails, e.g. across
   * filesystems). Only for files nothing will rewrite in place, such as a finished execution's outputs
   * or the download cache: the source then shares the store's inode and becomes read-only too.
   */
  link?: boolean;
}

export interface MaterialiseOptions {
  /**
   * `copy`: a writable copy (reflink when possible). `link`: a hardlink when possible. Default
   * (`isolated`): a reflink, else a copy up to `COPY_LIMIT_BYTES`, else a hardlink.
   */
  mode?: 'link' | 'copy' | 'isolated';
}

/** How an object was placed. A `link` shares the store's inode: a write to it changes the store. */
export type Placement = 'reflink' | 'copy' | 'link';

/** The modification time every store object carries (2000-01-01T00:00:00Z): a write moves it. */
export const OBJECT_MTIME = new Date('2000-01-01T00:00:00Z');

/** Files up to this size are copied when the filesystem cannot clone them; bigger ones are hardlinked. */
export const COPY_LIMIT_BYTES = 16 * 1024 * 1024;

/** A store object whose bytes do not match its name (moved to quarantine) or that is missing. */
export class CorruptObjectError extends Error {
  override name = 'CorruptObjectError';
}

/** The sha256 and size of a file, read as a stream. */
export async function hashFile(filePath: string): Promise<StoredFile> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(filePath)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * A pass-through stream that hashes (sha256) and counts what flows through it, for pipelines that
 * write bytes somewhere: the checksum is of the bytes actually written. `digest()` once it has ended.
 */
export function hashingTap(): { stream: Transform; digest: () => StoredFile } {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

/** Copies a file while hashing the bytes that were actually written. */
async function copyAndHash(source: string, destination: string): Promise<StoredFile> {
  const tap = hashingTap();
  await pipeline(createReadStream(source), tap.stream, createWriteStream(destination, { flags: 'wx' }));
  return tap.digest();
}

function isErrnoCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String((error as NodeJS.ErrnoException).code));
}

/** Link failures that mean "this filesystem cannot hardlink here", where a copy is the answer. */
const LINK_FALLBACK_CODES = ['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'EACCES', 'ENOSYS'];

export class ContentStore {
  constructor(readonly root: string) {}

  /** Where a file with this sha256 lives (whether or not it is present). */
  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`Not a sha256 digest: ${JSON.stringify(sha256)}`);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
  }

  private tempPath(): string {
    return join(this.root, 'tmp', `${process.pid}-${randomBytes(8).toString('hex')}`);
  }

  /**
   * Adds a file and returns its digest. Atomic: the content is assembled under `tmp/` and renamed into
   * place, so a reader never sees a partial object. A file already present is not written again.
   */
  async add(filePath: string, options: AddOptions = {}): Promise<StoredFile> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
    const tmp = this.tempPath();
    try {
      let stored: StoredFile | undefined;
      // A file with other links (a hardlink to a file outside the execution) is copied, never linked.
      const linkable = options.link === true && (await lstat(filePath)).nlink <= 1;
      if (linkable) {
        try {
          await link(filePath, tmp);
          // Hash the linked inode itself, so the digest names exactly what the store holds.
          stored = await hashFile(tmp);
        } catch (error) {
          if (!isErrnoCode(error, ...LINK_FALLBACK_CODES)) throw error;
        }
      }
      if (!stored) {
        // Hash first: a file the store already has needs no copy at all.
        const first = await hashFile(filePath);
        if (await this.isIntact(first.sha256, first.size)) return first;
        stored = await copyAndHash(filePath, tmp);
      }
      const target = this.pathOf(stored.sha256);
      // A corrupt object of that name was just quarantined by isIntact: this good copy replaces it.
      if (await this.isIntact(stored.sha256, stored.size)) return stored;
      await mkdir(dirname(target), { recursive: true });
      await chmod(tmp, 0o444);
      await utimes(tmp, OBJECT_MTIME, OBJECT_MTIME);
      await rename(tmp, target);
      return stored;
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /**
   * Puts the stored file at `dest` (parent folders created, an existing file replaced): a hardlink
   * when possible, a copy when the store and `dest` are on different filesystems or links are refused.
   * Returns how it was placed.
   */
  async materialise(sha256: string, dest: string, options: MaterialiseOptions = {}): Promise<Placement> {
    const source = this.pathOf(sha256);
    // What is handed out is what its name says (one stat; a re-hash only when the object was touched).
    const size = await this.check(sha256);
    await mkdir(dirname(dest), { recursive: true });
    await rm(dest, { force: true });
    const mode = options.mode ?? 'isolated';
    if (mode !== 'link') {
      try {
        await copyFile(source, dest, constants.COPYFILE_FICLONE_FORCE);
        if (mode === 'copy') await chmod(dest, 0o644);
        return 'reflink';
      } catch {
        // no copy-on-write clones on this filesystem
      }
    }
    if (mode === 'copy' || (mode === 'isolated' && size <= COPY_LIMIT_BYTES)) {
      await copyFile(source, dest);
      await chmod(dest, 0o644);
      return 'copy';
    }
    try {
      await link(source, dest);
      return 'link';
    } catch (error) {
      if (!isErrnoCode(error, ...LINK_FALLBACK_CODES)) throw error;
    }
    await copyFile(source, dest);
    await chmod(dest, 0o644);
    return 'copy';
  }

  /**
   * Makes sure the object is what its name says and returns its size: one stat when it carries the
   * store's modification time (and `size` when given), else a full re-hash. A good object is stamped
   * again; a bad one is quarantined and `CorruptObjectError` thrown; a missing one throws it too.
   */
  async check(sha256: string, size?: number): Promise<number> {
    const path = this.pathOf(sha256);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT', 'ENOTDIR')) throw new CorruptObjectError(`The store ${this.root} has no file ${sha256}.`);
      throw error;
    }
    if (!info.isFile()) throw new CorruptObjectError(`The store object ${path} is not a file.`);
    if (info.mtimeMs === OBJECT_MTIME.getTime() && (size === undefined || info.size === size)) return info.size;
    const actual = await hashFile(path);
    if (actual.sha256 !== sha256) {
      const moved = await this.quarantine(sha256);
      throw new CorruptObjectError(
        `The store object ${sha256} was changed on disk (its bytes now hash to ${actual.sha256}); it was moved to ${moved} and is not used.`,
      );
    }
    await utimes(path, OBJECT_MTIME, OBJECT_MTIME).catch(() => undefined);
    return actual.size;
  }

  /** Whether the object is good (see `check`), without throwing for a corrupt or missing one. */
  async isIntact(sha256: string, size?: number): Promise<boolean> {
    try {
      await this.check(sha256, size);
      return true;
    } catch (error) {
      if (error instanceof CorruptObjectError) return false;
      throw error;
    }
  }

  /** Moves an object out of the store into `quarantine/`; returns where it went (undefined: it was gone). */
  async quarantine(sha256: string): Promise<string | undefined> {
    const target = join(this.root, 'quarantine', `${sha256}.${new Date().toISOString().replace(/[-:.]/g, '')}`);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(this.pathOf(sha256), target);
      return target;
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  /** Re-hashes a stored file: false when it is missing or its bytes no longer match its name. */
  async verify(sha256: string): Promise<boolean> {
    if (!(await this.has(sha256))) return false;
    return (await hashFile(this.pathOf(sha256))).sha256 === sha256;
  }
}
