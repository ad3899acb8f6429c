import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { redact } from './redact.js';

/**
 * A temporary sibling's name, unique in this process (a counter) and among processes sharing the folder
 * (the pid, and a random tag against equal pids in different containers). Drawn from the system once,
 * not per file: 4 random bytes per record showed in the runner's profile. The shape (`.<name>.<pid>.<hex>.tmp`)
 * is what store maintenance recognises as left over.
 */
const tmpTag = randomBytes(4).toString('hex');
let tmpCounter = 0;

function tmpSibling(path: string): string {
  tmpCounter += 1;
  return join(dirname(path), `.${basename(path)}.${process.pid}.${tmpTag}${tmpCounter.toString(16)}.tmp`);
}

/**
 * Writes a file so that readers see either the old or the whole new content, never a half-written one:
 * write to a temporary sibling, then rename over the target (atomic on one filesystem).
 * Text is written with known secrets redacted (util/redact.ts): every record, index and report this
 * toolkit writes goes through here. Bytes (Uint8Array) are written as they are.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = tmpSibling(path);
  try {
    await writeFile(tmp, typeof data === 'string' ? redact(data) : data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * `writeFileAtomic` with synchronous calls, for a small record written once per execution (a reuse
 * entry): its few syscalls cost less than their threadpool round trips and promises would.
 */
export function writeFileAtomicSync(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tmpSibling(path);
  try {
    writeFileSync(tmp, redact(text));
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
