/**
 * Content-addressed file store: each file lives once at `<root>/sha256/ab/abcdef…`, named by the
 * sha256 of its bytes. Store files are read-only (0444) because executions get them by hardlink.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, copyFile, link, mkdir, rename, rm, stat } from 'node:fs/promises';
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
  /** `copy` skips the hardlink attempt (for destinations that must be writable). */
  mode?: 'link' | 'copy';
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
      if (options.link) {
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
        if (await this.has(first.sha256)) return first;
        stored = await copyAndHash(filePath, tmp);
      }
      const target = this.pathOf(stored.sha256);
      if (await this.has(stored.sha256)) return stored;
      await mkdir(dirname(target), { recursive: true });
      await chmod(tmp, 0o444);
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
  async materialise(sha256: string, dest: string, options: MaterialiseOptions = {}): Promise<'link' | 'copy'> {
    const source = this.pathOf(sha256);
    if (!(await this.has(sha256))) throw new Error(`The store ${this.root} has no file ${sha256}.`);
    await mkdir(dirname(dest), { recursive: true });
    await rm(dest, { force: true });
    if (options.mode !== 'copy') {
      try {
        await link(source, dest);
        return 'link';
      } catch (error) {
        if (!isErrnoCode(error, ...LINK_FALLBACK_CODES)) throw error;
      }
    }
    await copyFile(source, dest);
    return 'copy';
  }

  /** Re-hashes a stored file: false when it is missing or its bytes no longer match its name. */
  async verify(sha256: string): Promise<boolean> {
    if (!(await this.has(sha256))) return false;
    return (await hashFile(this.pathOf(sha256))).sha256 === sha256;
  }
}
