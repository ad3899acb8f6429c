import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { redact } from './redact.js';

/**
 * Writes a file so that readers see either the old or the whole new content, never a half-written one:
 * write to a temporary sibling, then rename over the target (atomic on one filesystem).
 * Text is written with known secrets redacted (util/redact.ts): every record, index and report this
 * toolkit writes goes through here. Bytes (Uint8Array) are written as they are.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
