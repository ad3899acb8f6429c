/**
 * A lock file taken with O_EXCL (`open(…, 'wx')`): exactly one process creates it, the others wait and
 * retry. A lock whose holder died is broken: its process no longer exists on this host, or the file is
 * older than `staleMs` (a holder on another host, e.g. a shared filesystem, or a hung process).
 * Breaking renames the lock away first, so of two processes that both find it stale only one removes it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { processAlive } from '../util/process.js';

export interface LockOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock file older than this is taken to be abandoned (default 120 s; held locks last milliseconds). */
  staleMs?: number;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : undefined;
}


async function readLock(path: string): Promise<{ content?: LockContent; mtimeMs: number } | undefined> {
  try {
    const info = await stat(path);
    let content: LockContent | undefined;
    try {
      const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') {
        content = { pid: parsed.pid, host: parsed.host, token: parsed.token };
      }
    } catch {
      // being written right now, or garbage: only its age can tell
    }
    return content ? { content, mtimeMs: info.mtimeMs } : { mtimeMs: info.mtimeMs };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` while holding the lock file at `path`. */
export async function withLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 120_000;
  const token = randomBytes(8).toString('hex');
  const mine: LockContent = { pid: process.pid, host: hostname(), token };
  await mkdir(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(JSON.stringify(mine));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    const held = await readLock(path);
    if (held) {
      const deadHolder = held.content !== undefined && held.content.host === mine.host && !processAlive(held.content.pid);
      const tooOld = Date.now() - held.mtimeMs > staleMs;
      if (deadHolder || tooOld) {
        const aside = `${path}.stale-${token}`;
        try {
          await rename(path, aside);
          const moved = await readLock(aside);
          // Another process may have broken the stale lock and taken a fresh one in between: give it back.
          if (moved?.content && held.content && moved.content.token !== held.content.token) {
            // link, not rename: it fails instead of replacing a lock a third process took meanwhile.
            await link(aside, path).catch(() => undefined);
          }
          await rm(aside, { force: true });
        } catch (error) {
          if (errnoCode(error) !== 'ENOENT') throw error;
        }
        continue;
      }
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the lock ${path}`);
    await sleep(5 + Math.floor(Math.random() * Math.min(50, 5 * (attempt + 1))));
  }
  try {
    return await work();
  } finally {
    const current = await readLock(path);
    if (current?.content?.token === token) await rm(path, { force: true });
  }
}
