/**
 * A node's outputs as one GitHub artifact: upload with a manifest (sizes, sha256, node identity), and
 * download in another job keeping only the files an edge selects, each verified against the manifest.
 *
 * Uses the real `@actions/artifact` client, which reads `ACTIONS_RUNTIME_TOKEN` and
 * `ACTIONS_RESULTS_URL` (the runner gives them to JavaScript actions only).
 */
import { copyFile, lstat, mkdir, mkdtemp, realpath, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { artifactClient, artifactRetryPauseMs, isArtifactNotFound, type ArtifactClient } from './lazy-clients.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import {
  MANIFEST_FILE_NAME,
  isSafeRelativePath,
  readManifest,
  writeManifest,
  type ManifestFile,
  type NodeManifest,
} from './node-manifest.js';
import { artifactBaseName } from '../plan/artifact-name.js';
import { hashFile } from '../store/content-store.js';


export interface ArtifactNameParts {
  pipeline: string;
  node: string;
  /** Task variant (the variant's execution id) when the node is a task. */
  variant?: string;
  /** `GITHUB_RUN_ATTEMPT`, 1 for the first attempt. */
  runAttempt: number;
}

/** The artifact name of a node (and variant) in a run attempt: `artifactBaseName` plus the attempt. */
export function artifactNameFor({ pipeline, node, variant, runAttempt }: ArtifactNameParts): string {
  if (!Number.isSafeInteger(runAttempt) || runAttempt < 1) {
    throw new ConfigurationError(`Run attempt must be a positive integer, got ${String(runAttempt)}`);
  }
  return `${artifactBaseName(pipeline, node, variant)}--attempt-${runAttempt}`;
}

/**
 * Names a node's artifact may have in this run, newest attempt first: when only failed jobs are
 * re-run, an upstream node that succeeded earlier keeps the artifact of its earlier attempt.
 */
export function artifactNameCandidates(parts: ArtifactNameParts): string[] {
  const names: string[] = [];
  for (let attempt = parts.runAttempt; attempt >= 1; attempt--) names.push(artifactNameFor({ ...parts, runAttempt: attempt }));
  return names;
}


export interface UploadNodeArtifactOptions {
  name: string;
  /** Folder the artifact's paths are relative to. `manifest.json` is written here during the upload. */
  rootDirectory: string;
  /** Files to upload, relative to `rootDirectory`, `/`-separated. */
  files: string[];
  /** Everything but the file list, which is computed from the files themselves. */
  manifest: Omit<NodeManifest, 'version' | 'files'>;
  retentionDays?: number;
}

export interface UploadedNodeArtifact {
  id: number;
  /** Size of the uploaded zip in bytes. */
  size: number;
  manifest: NodeManifest;
}

export async function uploadNodeArtifact(options: UploadNodeArtifactOptions): Promise<UploadedNodeArtifact> {
  const { name } = options;
  const rootDirectory = resolve(options.rootDirectory);
  const files: ManifestFile[] = [];
  for (const path of [...options.files].sort()) {
    if (!isSafeRelativePath(path) || path === MANIFEST_FILE_NAME) {
      throw new ConfigurationError(
        `Cannot upload artifact "${name}": file path "${path}" must be relative to ${rootDirectory}, without "..", and not "${MANIFEST_FILE_NAME}"`,
      );
    }
    const absolute = join(rootDirectory, ...path.split('/'));
    const stats = await lstat(absolute).catch((error: unknown) => {
      throw new ConfigurationError(`Cannot upload artifact "${name}": ${path}: ${getErrorMessage(error)}`);
    });
    // The client would follow a symlink and upload whatever it points to, possibly outside the outputs.
    if (!stats.isFile()) {
      throw new ConfigurationError(`Cannot upload artifact "${name}": ${path} is not a regular file (symlinks are not uploaded)`);
    }
    files.push({ path, ...(await hashFile(absolute)) });
  }
  const manifest: NodeManifest = { version: 1, ...options.manifest, files };
  const manifestPath = join(rootDirectory, MANIFEST_FILE_NAME);
  // The manifest is written next to the outputs for the upload and removed after: never clobber a file.
  if (await lstat(manifestPath).then(() => true, () => false)) {
    throw new ConfigurationError(
      `Cannot upload artifact "${name}": ${manifestPath} already exists; the artifact's ${MANIFEST_FILE_NAME} is generated`,
    );
  }
  await writeManifest(manifestPath, manifest);
  try {
    // The manifest is listed first so that it usually leads the zip (the client zips files as their stats
    // complete, so not always); a cut archive is detected either way, by a missing file or manifest.
    const uploadList = [manifestPath, ...files.map((file) => join(rootDirectory, ...file.path.split('/')))];
    const client = await artifactClient();
    const result = await client
      .uploadArtifact(name, uploadList, rootDirectory, {
        ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
      })
      .catch((error: unknown) => {
        const message = getErrorMessage(error);
        const hint = /already exists/i.test(message)
          ? ' (artifact names are unique per workflow run: was this node already uploaded in this attempt?)'
          : '';
        throw new ConfigurationError(`Cannot upload artifact "${name}": ${message}${hint}`);
      });
    return { id: result.id ?? 0, size: result.size ?? 0, manifest };
  } finally {
    await rm(manifestPath, { force: true });
  }
}

export interface DownloadNodeArtifactOptions {
  /** The artifact name, or candidates tried in order (see `artifactNameCandidates`); the first found is used. */
  name: string | readonly string[];
  /** Where the kept files are placed, under their manifest paths. Created when missing. */
  destination: string;
  /** Which manifest paths to keep; all when omitted. */
  select?: (relativePath: string) => boolean;
}

export interface DownloadedNodeArtifact {
  manifest: NodeManifest;
  /** The kept files, each verified; paths are relative to `destination`. */
  files: ManifestFile[];
}

/** Resolves `path` under `root` and checks that no existing component leads outside (`..`, symlinks). */
async function pathInside(root: string, path: string): Promise<string> {
  const target = join(root, ...path.split('/'));
  const relativeToRoot = relative(root, target);
  if (relativeToRoot === '' || relativeToRoot.startsWith(`..${sep}`) || relativeToRoot === '..' || isAbsolute(relativeToRoot)) {
    throw new Error(`path "${path}" escapes its folder`);
  }
  // The deepest existing ancestor must really be inside the root (a symlinked folder could point out).
  let existing = dirname(target);
  for (;;) {
    const resolved = await realpath(existing).catch(() => undefined);
    if (resolved !== undefined) {
      const realRoot = await realpath(root);
      if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) {
        throw new Error(`path "${path}" escapes its folder through a symlink`);
      }
      return target;
    }
    existing = dirname(existing);
  }
}

/**
 * How a failed artifact service call reads. GitHub answers `404 workflow run not found` for a while after
 * a partial re-run ("Re-run failed jobs") starts: the earlier attempt's run is briefly unknown to the
 * results service, then found again. The client gives up on a 404 at once (non-retryable), so that case
 * is retried here; 5xx and network failures were already retried by the client and are reported as a
 * download failure, never as a damaged archive.
 */
export type ArtifactServiceFailure = 'run-not-found' | 'unavailable' | 'other';

export function classifyArtifactServiceError(error: unknown): ArtifactServiceFailure {
  const message = getErrorMessage(error);
  if (/\(404\)[^\n]*workflow run not found/i.test(message)) return 'run-not-found';
  if (/\((5\d\d|429)\)|failed to make request after \d+ attempts|unexpected http response from blob storage: 5\d\d|NetworkError|ECONNRESET|ETIMEDOUT|ECONNREFUSED|did not respond in/i.test(message)) {
    return 'unavailable';
  }
  return 'other';
}

/** Attempts for the partial re-run 404 (GitHub's window has been seconds to a couple of minutes). */
const RUN_NOT_FOUND_ATTEMPTS = 6;

function retryDelayMs(attempt: number): number {
  // MLOPS_ARTIFACT_RETRY_MS scales the backoff (tests use a few milliseconds); 5 s, 10 s, 20 s, … by default.
  const base = artifactRetryPauseMs() ?? 5000;
  return Math.min(base * 2 ** attempt, 60_000);
}

/** Runs `operation`, again after a pause while the service says the workflow run is not found. */
async function retryingRunNotFound<T>(operation: () => Promise<T>, onRetry: (message: string, delay: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (classifyArtifactServiceError(error) !== 'run-not-found' || attempt + 1 >= RUN_NOT_FOUND_ATTEMPTS) throw error;
      const delay = retryDelayMs(attempt);
      onRetry(getErrorMessage(error), delay);
      await new Promise((resolveDelay) => setTimeout(resolveDelay, delay));
    }
  }
}

/** The one-line reason of a service failure, saying which kind it is. */
function serviceProblem(action: string, error: unknown): string {
  const kind = classifyArtifactServiceError(error);
  const cause = getErrorMessage(error).replace(/\s+/g, ' ').trim();
  if (kind === 'run-not-found') {
    return `${action} failed: GitHub still answers "workflow run not found" after ${RUN_NOT_FOUND_ATTEMPTS} attempts (seen after partial re-runs); re-run the job (${cause})`;
  }
  if (kind === 'unavailable') return `${action} failed: the artifact service or its storage is unavailable after retries; re-run the job (${cause})`;
  return `${action} failed: ${cause}`;
}

export async function downloadNodeArtifact(options: DownloadNodeArtifactOptions): Promise<DownloadedNodeArtifact> {
  const candidates = typeof options.name === 'string' ? [options.name] : [...options.name];
  if (candidates.length === 0) throw new ConfigurationError('No artifact name given to download');
  let name = candidates[0] ?? '';
  const destination = resolve(options.destination);
  const fail = (problem: string): never => {
    throw new ConfigurationError(`Artifact "${name}": ${problem}`);
  };
  const warn = (message: string, delay: number): void => {
    process.stdout.write(`Artifact "${name}": ${message.split('\n')[0] ?? ''}; retrying in ${Math.round(delay / 1000)} s\n`);
  };
  const client = await artifactClient();
  let found: Awaited<ReturnType<ArtifactClient['getArtifact']>> | undefined;
  for (const candidate of candidates) {
    name = candidate;
    found = await retryingRunNotFound(() => client.getArtifact(candidate), warn).catch((error: unknown) => {
      if (isArtifactNotFound(error)) return undefined;
      return fail(serviceProblem('looking it up', error));
    });
    if (found) break;
  }
  if (!found) {
    name = candidates.join('" or "');
    return fail('not found in this workflow run (did the upstream node finish and upload its outputs?)');
  }
  const artifact = found.artifact;

  const staging = await mkdtemp(join(process.env['RUNNER_TEMP'] || tmpdir(), 'mlops-artifact-'));
  try {
    const hash = artifact.digest ? { expectedHash: artifact.digest } : {};
    const download = await retryingRunNotFound(() => client.downloadArtifact(artifact.id, { path: staging, ...hash }), warn).catch(
      async (error: unknown): Promise<never> => {
        // The client reports a failed transfer and a zip it cannot unpack alike. Fetch the archive again
        // without unpacking: if that works, the bytes arrived and the archive itself is damaged.
        const kind = classifyArtifactServiceError(error);
        if (kind !== 'other') return fail(serviceProblem('downloading it', error));
        const raw = await mkdtemp(join(process.env['RUNNER_TEMP'] || tmpdir(), 'mlops-artifact-raw-'));
        try {
          const fetched = await client.downloadArtifact(artifact.id, { path: raw, skipDecompress: true, ...hash }).then(
            () => true,
            (rawError: unknown) => rawError,
          );
          if (fetched !== true) return fail(serviceProblem('downloading it', fetched));
        } finally {
          await rm(raw, { recursive: true, force: true });
        }
        return fail(`the archive is damaged or incomplete and cannot be unpacked: ${getErrorMessage(error)}`);
      },
    );

    const manifestPath = join(staging, MANIFEST_FILE_NAME);
    const manifestStats = await lstat(manifestPath).catch(() => undefined);
    if (!manifestStats?.isFile()) fail(`${MANIFEST_FILE_NAME} is missing from the archive (truncated or not a node artifact)`);
    const manifest = await readManifest(manifestPath, `in artifact "${name}"`);

    const kept = manifest.files.filter((file) => options.select?.(file.path) ?? true);
    for (const file of kept) {
      const staged = await pathInside(staging, file.path).catch((error: unknown) => fail(getErrorMessage(error)));
      const stats = await lstat(staged).catch(() => undefined);
      if (stats === undefined) fail(`file "${file.path}" listed in the manifest is missing from the archive (truncated?)`);
      if (!stats?.isFile()) fail(`file "${file.path}" is not a regular file in the archive`);
      const actual = await hashFile(staged);
      if (actual.size !== file.size) {
        fail(`file "${file.path}" is ${actual.size} bytes but the manifest says ${file.size} (corrupted or truncated)`);
      }
      if (actual.sha256 !== file.sha256) {
        fail(`file "${file.path}" has sha256 ${actual.sha256} but the manifest says ${file.sha256} (corrupted)`);
      }
    }
    // Every kept file matched; a whole-archive digest mismatch still means the stored archive changed.
    if (download.digestMismatch) fail('the archive digest does not match the one recorded at upload (corrupted)');

    await mkdir(destination, { recursive: true });
    for (const file of kept) {
      const staged = join(staging, ...file.path.split('/'));
      const target = await pathInside(destination, file.path).catch((error: unknown) => fail(getErrorMessage(error)));
      await mkdir(dirname(target), { recursive: true });
      // Check again now that the parents exist: one of them may be a pre-existing symlink.
      await pathInside(destination, file.path).catch((error: unknown) => fail(getErrorMessage(error)));
      await rename(staged, target).catch(async (error: unknown) => {
        // Staging (RUNNER_TEMP) and the destination may be on different filesystems.
        if (error instanceof Error && 'code' in error && error.code === 'EXDEV') {
          // Remove first so a symlink at the target is replaced, not written through.
          await rm(target, { force: true });
          await copyFile(staged, target);
        }
        else throw error;
      });
    }
    return { manifest, files: kept };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
