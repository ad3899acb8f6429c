/**
 * Input files of one execution: placed under `<executionDir>/inputs/<input>/<relativePath>` from the
 * content store, from local paths (added to the store first) or from http(s) URLs (downloaded once into
 * a cache keyed by URL). Writes `config/inputs.json` in Valohai's shape (FORMAT.md §8).
 */
import { writeFileSync } from 'node:fs';
import { lstat, mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonStr } from '../pipeline/command.js';
import type { Input, ParameterValue } from '../pipeline/model.js';
import { ContentStore, type StoredFile } from '../store/content-store.js';
import { ConfigurationError } from '../util/errors.js';
import type { InputFile, InputSource } from './types.js';
import { downloadToCache, redactUrl } from './url-cache.js';

/**
 * An input that could not be prepared for a reason other than the pipeline's configuration (a checksum
 * mismatch, a failed download): the execution fails with this message instead of starting.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** One file entry of `config/inputs.json`. */
export interface InputsJsonFile {
  name: string;
  path: string;
  size: number;
  uri: string;
  checksums: { sha256: string };
  metadata: unknown[];
}

export type InputsJson = Record<string, { files: InputsJsonFile[] }>;

/**
 * Checks a relative, `/`-separated path: not empty, not absolute, no `..`, no NUL, no backslash.
 * Returns its segments.
 */
export function checkRelativePath(relativePath: string, what: string): string[] {
  if (relativePath === '' || relativePath.includes('\0')) throw new ConfigurationError(`${what}: the path is empty or contains NUL.`);
  if (relativePath.startsWith('/') || isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath)) {
    throw new ConfigurationError(`${what}: "${relativePath}" is absolute; give a path relative to its folder.`);
  }
  if (relativePath.includes('\\')) throw new ConfigurationError(`${what}: "${relativePath}" contains a backslash; use "/".`);
  const segments = relativePath.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new ConfigurationError(`${what}: "${relativePath}" leaves its folder ("..").`);
  return segments;
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && rel.split(sep)[0] !== '..');
}

/**
 * `root/relativePath`, with its parent folders created, after checking the path cannot leave `root`
 * textually or through a symlinked folder on the way.
 */
export async function preparePathInside(root: string, relativePath: string, what: string): Promise<string> {
  const segments = checkRelativePath(relativePath, what);
  const target = join(root, ...segments);
  await mkdir(dirname(target), { recursive: true });
  const realRoot = await realpath(root);
  const realParent = await realpath(dirname(target));
  if (!isInside(realRoot, realParent)) {
    throw new ConfigurationError(`${what}: "${relativePath}" leads outside ${root} through a symbolic link.`);
  }
  return target;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

function unsupportedScheme(inputName: string, url: string, scheme: string): ConfigurationError {
  return new ConfigurationError(
    `Input "${inputName}": "${url}" uses the ${scheme}:// scheme, which cannot be fetched outside Valohai. ` +
      `Download the file yourself and pass it with --input ${inputName}=path/to/file.`,
  );
}

/** Replaces `{parameter:NAME}` in an input URL with the parameter's raw value, as the platform does. */
export function interpolateInputUrl(url: string, parameters: Record<string, ParameterValue>): string {
  return url.replace(/\{parameter:([^}]+)\}/g, (whole, name: string) =>
    Object.hasOwn(parameters, name) ? pythonStr(parameters[name] ?? null) : whole,
  );
}

/** The file name a URL downloads as: the last segment of its path, decoded. */
export function fileNameOfUrl(url: string): string {
  const pathname = new URL(url).pathname;
  let name = pathname.slice(pathname.lastIndexOf('/') + 1);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape keeps its raw text.
  }
  return name === '' || name === '.' || name === '..' || name.includes('/') ? 'download' : name;
}

/**
 * Turns one input's `default` URLs into files: http(s) URLs, and local files or folders (no scheme or
 * `file://`, relative to `repositoryDir`). Other schemes are a `ConfigurationError` telling the user to
 * pass the file with `--input`. A local folder gives one entry with relativePath `.`: its files keep
 * their sub-folders under the input folder.
 */
export async function inputFilesFromDefaults(
  input: Input,
  repositoryDir: string,
  parameters: Record<string, ParameterValue> = {},
): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const raw of input.default) {
    const url = interpolateInputUrl(raw, parameters);
    const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
    if (scheme === 'http' || scheme === 'https') {
      files.push({ relativePath: fileNameOfUrl(url), source: { kind: 'url', url } });
      continue;
    }
    if (scheme !== undefined && scheme !== 'file') throw unsupportedScheme(input.name, url, scheme);
    const localPath = scheme === 'file' ? fileURLToPath(url) : resolve(repositoryDir, url);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(localPath)).isDirectory();
    } catch {
      throw new ConfigurationError(`Input "${input.name}": the default "${raw}" does not exist (looked for ${localPath}).`);
    }
    files.push({ relativePath: isDirectory ? '.' : basename(localPath), source: { kind: 'path', path: localPath } });
  }
  // `filename` renames a single file; with several files it has no effect (FORMAT.md §2.3).
  const only = files[0];
  if (input.filename && files.length === 1 && only && only.relativePath !== '.') only.relativePath = input.filename;
  return files;
}

/** The files of a local folder, relative and `/`-separated; symlinks are skipped so nothing outside is read. */
async function listFolder(folder: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(folder, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFolder(folder, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

// URL inputs: the revalidated download cache lives in url-cache.ts.
export { downloadToCache, type DownloadRecord } from './url-cache.js';

export interface MaterialiseInputsRequest {
  executionDir: string;
  repositoryDir: string;
  inputs: Record<string, InputFile[]>;
  store: ContentStore;
  downloadCacheDir: string;
  /** Progress lines ("downloaded …", "reused cached …"). */
  log?: (message: string) => void;
  /** `inputs/` and `config/` exist already (the executor made them): two folder checks less per execution. */
  foldersMade?: boolean;
}

function sourceUri(source: InputSource): string {
  switch (source.kind) {
    case 'store':
      return `store://sha256/${source.sha256}`;
    case 'path':
      return `file://${source.path}`;
    case 'url':
      return redactUrl(source.url);
  }
}

/** Gets one source into the store; returns its digest and a description for inputs.json. */
async function storeSource(
  inputName: string,
  source: InputSource,
  request: MaterialiseInputsRequest,
): Promise<StoredFile & { localFolder?: string }> {
  const { store } = request;
  if (source.kind === 'store') {
    if (!(await store.has(source.sha256))) throw new InputError(`Input "${inputName}": the store has no file ${source.sha256}.`);
    const size = (await stat(store.pathOf(source.sha256))).size;
    return { sha256: source.sha256, size };
  }
  if (source.kind === 'path') {
    const localPath = resolve(request.repositoryDir, source.path);
    let info;
    try {
      info = await stat(localPath);
    } catch {
      throw new ConfigurationError(`Input "${inputName}": ${localPath} does not exist.`);
    }
    if (info.isDirectory()) return { sha256: '', size: 0, localFolder: localPath };
    // Copied, not linked: the user may edit this file in place later, which must not touch the store.
    return store.add(localPath);
  }
  const scheme = SCHEME.exec(source.url)?.[1]?.toLowerCase() ?? '';
  if (scheme !== 'http' && scheme !== 'https') throw unsupportedScheme(inputName, source.url, scheme || '(none)');
  const download = await downloadToCache(source.url, request.downloadCacheDir, request.log ? { log: request.log } : {});
  request.log?.(`${download.cached ? 'Reused cached' : 'Downloaded'} ${redactUrl(source.url)} (${download.record.size} bytes)`);
  // The cache file is ours and never rewritten, so it can share its inode with the store.
  const stored = await store.add(download.path, { link: true });
  if (stored.sha256 !== download.record.sha256) {
    throw new InputError(`Input "${inputName}": the cached download of ${redactUrl(source.url)} changed on disk; delete ${dirname(download.path)}.`);
  }
  return stored;
}

function checkExpectedDigest(inputName: string, relativePath: string, expected: string | undefined, actual: string): void {
  if (expected !== undefined && expected.toLowerCase() !== actual) {
    throw new InputError(`Input "${inputName}" file "${relativePath}": sha256 is ${actual}, expected ${expected.toLowerCase()}.`);
  }
}

/**
 * Places every input file and writes `config/inputs.json`. Throws `ConfigurationError` for a user
 * mistake (bad path, unsupported scheme, missing local file) and `InputError` for anything else.
 */
export async function materialiseInputs(request: MaterialiseInputsRequest): Promise<InputsJson> {
  const inputsRoot = join(request.executionDir, 'inputs');
  if (!request.foldersMade) await mkdir(inputsRoot, { recursive: true });
  const inputsJson: InputsJson = {};
  for (const [inputName, files] of Object.entries(request.inputs)) {
    const nameSegments = checkRelativePath(inputName, `Input name "${inputName}"`);
    if (nameSegments.length !== 1 || nameSegments[0] !== inputName) {
      throw new ConfigurationError(`Input name "${inputName}" must be a single folder name.`);
    }
    const inputDir = join(inputsRoot, inputName);
    await mkdir(inputDir, { recursive: true });
    const entries: InputsJsonFile[] = [];
    const placed = new Map<string, { sha256: string; uri: string }>();
    const place = async (relativePath: string, stored: StoredFile, uri: string): Promise<void> => {
      // `name` carries the path inside the input folder, as Valohai writes it with keep-directories:
      // valohai-utils filters `paths(path_filter="cat/*")` on it.
      const name = checkRelativePath(relativePath, `Input "${inputName}" file`).join('/');
      const earlier = placed.get(name);
      if (earlier !== undefined) {
        if (earlier.sha256 === stored.sha256) return;
        throw new InputError(`Input "${inputName}": ${earlier.uri} and ${uri} would both land at ${inputName}/${name}; one would overwrite the other.`);
      }
      placed.set(name, { sha256: stored.sha256, uri });
      const dest = await preparePathInside(inputDir, relativePath, `Input "${inputName}" file`);
      await request.store.materialise(stored.sha256, dest);
      entries.push({ name, path: dest, size: stored.size, uri, checksums: { sha256: stored.sha256 }, metadata: [] });
    };
    for (const file of files) {
      const what = `Input "${inputName}" file`;
      const stored = await storeSource(inputName, file.source, request);
      if (stored.localFolder !== undefined) {
        // A folder lands under relativePath, or straight in the input folder for `.`.
        const prefix = file.relativePath === '.' || file.relativePath === '' ? '' : checkRelativePath(file.relativePath, what).join('/');
        for (const rel of await listFolder(stored.localFolder)) {
          const inFolder = await storeSource(inputName, { kind: 'path', path: join(stored.localFolder, rel) }, request);
          const target = prefix === '' ? rel : `${prefix}/${rel}`;
          await place(target, inFolder, `file://${join(stored.localFolder, rel)}`);
        }
        continue;
      }
      checkRelativePath(file.relativePath, what);
      checkExpectedDigest(inputName, file.relativePath, file.sha256, stored.sha256);
      await place(file.relativePath, stored, sourceUri(file.source));
    }
    inputsJson[inputName] = { files: entries };
  }
  // A plain write: the execution's own folder, read by its command only after this returns.
  const configDir = join(request.executionDir, 'config');
  if (!request.foldersMade) await mkdir(configDir, { recursive: true });
  // Synchronous, as the execution's other config files (execution-folder.ts says why).
  writeFileSync(join(configDir, 'inputs.json'), `${JSON.stringify(inputsJson, null, 2)}\n`);
  return inputsJson;
}

/** Whether `path` is a symlink (lstat), false when it does not exist. */
export async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
