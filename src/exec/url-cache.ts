/**
 * The download cache of URL inputs, revalidated on every use: a URL's content can change on the server,
 * and a cached copy must not silently stand in for the new one.
 *
 * The entry is `<cache>/<sha256 of url>/` with `content` and `meta.json` (both renamed into place, so a
 * half-finished download is never used). On each use:
 * - with an `ETag` or `Last-Modified` from the last download, a conditional GET (`If-None-Match`,
 *   `If-Modified-Since`): 304 keeps the copy, 200 replaces it with the body just received;
 * - with only a size (`Content-Length`), a HEAD: the same size (and still no validators) keeps the copy;
 * - with nothing to compare, the URL is downloaded again (and the bytes compared by hash);
 * - `refetch` (`--no-reuse`) downloads unconditionally.
 * When the server cannot be reached for a revalidation, the cached copy is used and the log says so.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { hashingTap } from '../store/content-store.js';
import { getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { InputError } from './inputs.js';

export interface DownloadRecord {
  url: string;
  sha256: string;
  size: number;
  downloadedAt: string;
  etag?: string;
  lastModified?: string;
  /** `Content-Length` as the server sent it (absent for chunked responses). */
  contentLength?: number;
}

export interface DownloadOptions {
  /** Download again whatever the cache holds (`--no-reuse`). */
  refetch?: boolean;
  /** Progress lines for the execution's log. */
  log?: (message: string) => void;
}

export interface Download {
  path: string;
  record: DownloadRecord;
  /** `cached`: the copy was kept (revalidated or unreachable server); `downloaded`: fetched now. */
  cached: boolean;
}

/** A URL without its user:password part, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return url;
  }
}

async function readCached(metaPath: string, contentPath: string, url: string): Promise<DownloadRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(metaPath, 'utf8')) as DownloadRecord;
    const info = await stat(contentPath);
    return record.url === url && info.size === record.size ? record : undefined;
  } catch {
    return undefined;
  }
}

function validators(response: Response): Pick<DownloadRecord, 'etag' | 'lastModified' | 'contentLength'> {
  const out: Pick<DownloadRecord, 'etag' | 'lastModified' | 'contentLength'> = {};
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  const length = response.headers.get('content-length');
  if (etag) out.etag = etag;
  if (lastModified) out.lastModified = lastModified;
  if (length !== null && /^\d+$/.test(length)) out.contentLength = Number(length);
  return out;
}

async function save(url: string, response: Response, entryDir: string, contentPath: string, metaPath: string): Promise<Download> {
  if (!response.ok || !response.body) {
    throw new InputError(`Could not download ${redactUrl(url)}: HTTP ${response.status} ${response.statusText}`.trim());
  }
  const tmp = join(entryDir, `.content.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const tap = hashingTap();
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), tap.stream, createWriteStream(tmp));
    await rename(tmp, contentPath);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new InputError(`Could not download ${redactUrl(url)}: ${getErrorMessage(error)}`);
  }
  const record: DownloadRecord = { url, ...tap.digest(), downloadedAt: new Date().toISOString(), ...validators(response) };
  await writeJsonAtomic(metaPath, record);
  return { path: contentPath, record, cached: false };
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { redirect: 'follow', ...init });
  } catch (error) {
    throw new InputError(`Could not download ${redactUrl(url)}: ${getErrorMessage(error)}`);
  }
}

/** The current copy of `url` in `cacheDir`, revalidated against the server (see the module comment). */
export async function downloadToCache(url: string, cacheDir: string, options: DownloadOptions = {}): Promise<Download> {
  const key = createHash('sha256').update(url).digest('hex');
  const entryDir = join(cacheDir, key);
  const contentPath = join(entryDir, 'content');
  const metaPath = join(entryDir, 'meta.json');
  await mkdir(entryDir, { recursive: true });
  const cached = options.refetch ? undefined : await readCached(metaPath, contentPath, url);
  if (!cached) return save(url, await request(url, {}), entryDir, contentPath, metaPath);

  const keep = (why: string): Download => {
    options.log?.(`${why}: using the copy of ${redactUrl(url)} downloaded ${cached.downloadedAt}`);
    return { path: contentPath, record: cached, cached: true };
  };
  try {
    if (cached.etag !== undefined || cached.lastModified !== undefined) {
      const headers: Record<string, string> = {};
      if (cached.etag !== undefined) headers['if-none-match'] = cached.etag;
      if (cached.lastModified !== undefined) headers['if-modified-since'] = cached.lastModified;
      const response = await request(url, { headers });
      if (response.status === 304) {
        await response.body?.cancel();
        return keep('not modified on the server');
      }
      options.log?.(`${redactUrl(url)} changed on the server: downloading it again`);
      return await save(url, response, entryDir, contentPath, metaPath);
    }
    if (cached.contentLength !== undefined) {
      const head = await request(url, { method: 'HEAD' });
      const now = validators(head);
      if (head.ok && now.etag === undefined && now.lastModified === undefined && now.contentLength === cached.contentLength) {
        return keep('same size on the server');
      }
    }
  } catch (error) {
    if (error instanceof InputError && /Could not download/.test(error.message) && !/HTTP \d/.test(error.message)) {
      return keep(`could not revalidate (${error.message})`);
    }
    throw error;
  }
  return save(url, await request(url, {}), entryDir, contentPath, metaPath);
}
