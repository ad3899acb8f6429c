/**
 * Reading a file the user named with a byte bound that holds for anything: the size from `stat` means
 * nothing for a FIFO or a device (`/dev/zero` has size 0 and never ends), so the bound is on the bytes
 * actually read, and non-regular files are refused before any read. The file is opened non-blocking,
 * so opening a FIFO nobody writes to returns at once instead of hanging.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConfigurationError } from './errors.js';

/** What a non-regular file is, for the message. */
function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

export class FileTooLargeError extends ConfigurationError {
  override name = 'FileTooLargeError';
  constructor(
    message: string,
    readonly bytes: number,
  ) {
    super(message);
  }
}

/**
 * The bytes of `path`, at most `maxBytes`: a `ConfigurationError` for a non-regular file and a
 * `FileTooLargeError` once more than `maxBytes` have been read (whatever stat said).
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ConfigurationError(`${path} is ${kindOf(info)}, not a regular file; give the path of a file`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buffer = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileTooLargeError(`${path} is larger than ${maxBytes} bytes`, total);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
