/**
 * The model reaches the pod as a small OCI image, as KServe's modelcars do: the version's files under
 * `/models` on a minimal base (busybox: a shell, `cp` and `sha256sum` for the init container), pushed to
 * the same registry as the server image (GHCR from the deploy workflow), so the cluster pulls it with the
 * image pull credentials it already has; no artifact server, no download token in the pod.
 *
 * The image is tagged by the version's content hash (sha256 over the sorted `path:sha256` lines, the hash
 * whose first 12 digits are the version id), so the same files always give the same reference and a node
 * that has pulled it once does not pull it again (`imagePullPolicy: IfNotPresent`). The pod does not trust
 * the image: its init container copies every file into an emptyDir and checks it against the sha256 the pod
 * template itself carries, and exits non-zero naming the file on any mismatch, so the pod never becomes
 * ready and the previous version keeps serving.
 *
 * The build context uses only FROM, COPY, USER (the Dockerfile subset the test registry interprets too).
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hashingTap } from '../../store/content-store.js';
import { ConfigurationError } from '../../util/errors.js';
import { shellQuote } from '../../util/shell.js';
import type { ModelVersion } from '../model.js';
import type { KubernetesOptions } from './options.js';

/** Where the files are inside the model image. */
export const MODEL_IMAGE_DIR = '/models';
/** Where the init container writes them (the emptyDir); the server container mounts it at /models. */
export const MODEL_COPY_DIR = '/mnt/models';

/** The full content hash of a version (64 hex digits; the version id is its first 12). */
export function modelContentHash(files: readonly { path: string; sha256: string }[]): string {
  const lines = files.map((f) => `${f.path}:${f.sha256}`).sort().join('\n');
  return createHash('sha256').update(lines).digest('hex');
}

/** `<model-image-repository>:<content hash>`, or the published `model-image` when one is given. */
export function modelImageReference(version: ModelVersion, options: Pick<KubernetesOptions, 'modelImage' | 'modelImageRepository'>): string | undefined {
  if (options.modelImage) return options.modelImage;
  if (!options.modelImageRepository) return undefined;
  return `${options.modelImageRepository}:${modelContentHash(version.files)}`;
}

/** The `sha256sum -c` manifest of a version: `<sha256>  <path>` per file, sorted by path. */
export function sha256Manifest(version: ModelVersion): string {
  return [...version.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => `${f.sha256}  ${f.path}\n`).join('');
}

/**
 * The init container's script: copy each file from the model image into the emptyDir and check its
 * sha256 against the value written here (from the pod template, not from the image); a mismatch or a
 * missing file ends the container with one line naming the file, both hashes and the image.
 */
export function modelCopyScript(version: ModelVersion, image: string, dirs: { from: string; to: string } = { from: MODEL_IMAGE_DIR, to: MODEL_COPY_DIR }): string {
  const lines = ['set -eu', 'fail() { echo "mlops: $1" >&2; echo "$1" > /dev/termination-log 2>/dev/null || true; exit 1; }'];
  for (const file of version.files) {
    const source = posix.join(dirs.from, file.path);
    const target = posix.join(dirs.to, file.path);
    const partial = `${target}.partial`;
    lines.push(
      `[ -f ${shellQuote(source)} ] || fail ${shellQuote(`model file ${file.path} is missing from ${image}`)}`,
      `mkdir -p ${shellQuote(posix.dirname(target))}`,
      `cp ${shellQuote(source)} ${shellQuote(partial)}`,
      `actual=$(sha256sum < ${shellQuote(partial)}); actual=\${actual%% *}`,
      `[ "$actual" = ${shellQuote(file.sha256)} ] || fail "model file ${file.path.replace(/["\\$`]/g, '\\$&')} from ${image.replace(/["\\$`]/g, '\\$&')} has sha256 $actual, expected ${file.sha256}"`,
      `mv ${shellQuote(partial)} ${shellQuote(target)}`,
    );
  }
  lines.push(`echo "mlops: ${version.files.length} model file(s) of version ${version.id} copied and verified"`);
  return lines.join('\n');
}

export interface ModelImageContext {
  /** The folder holding Dockerfile, models/ and sha256sums. */
  dir: string;
  /** Where the image is to be pushed (`<repository>:<content hash>`). */
  reference: string;
  tag: string;
}

/** Copies a file while hashing what was written; refuses it when the bytes are not the version's. */
async function copyVerified(source: string, destination: string, sha256: string, what: string): Promise<void> {
  await mkdir(dirname(destination), { recursive: true });
  const tap = hashingTap();
  await pipeline(createReadStream(source), tap.stream, createWriteStream(destination, { flags: 'wx' })).catch((error: unknown) => {
    throw new ConfigurationError(`cannot copy model file ${what} from ${source}: ${error instanceof Error ? error.message : String(error)}`);
  });
  const written = tap.digest();
  if (written.sha256 !== sha256) throw new ConfigurationError(`model file ${what} at ${source} has sha256 ${written.sha256}, expected ${sha256}; the stored copy is corrupt`);
}

/**
 * Writes the model image's build context into `dir` (replaced when it exists): Dockerfile, `models/` with
 * every file at its declared path (each checked against its sha256 as it is copied), and `sha256sums`.
 * Written in a sibling temp folder and renamed, so a failed write leaves no half context behind.
 */
export async function writeModelImageContext(version: ModelVersion, options: Pick<KubernetesOptions, 'modelImage' | 'modelImageRepository' | 'fetchImage' | 'runAsUser'>, dir: string): Promise<ModelImageContext> {
  if (!options.modelImageRepository) throw new ConfigurationError('set model-image-repository (e.g. ghcr.io/OWNER/REPO/models) to build the model image');
  if (version.files.length === 0) throw new ConfigurationError(`model version ${version.id} has no files to put in an image`);
  const tag = modelContentHash(version.files);
  const temp = `${dir}.partial-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(join(temp, 'models'), { recursive: true });
  try {
    for (const file of version.files) await copyVerified(file.location, join(temp, 'models', ...file.path.split('/')), file.sha256, file.path);
    await writeFile(join(temp, 'sha256sums'), sha256Manifest(version));
    const dockerfile = [
      `# Model image (modelcar) of endpoint ${version.endpoint}, version ${version.id} (content ${tag}).`,
      '# Written by `mlops deploy --target kubernetes`; the pod copies /models into an emptyDir and checks every sha256.',
      `FROM ${options.fetchImage}`,
      `COPY models/ ${MODEL_IMAGE_DIR}/`,
      `COPY sha256sums ${MODEL_IMAGE_DIR}.sha256`,
      `USER ${options.runAsUser}`,
      '',
    ].join('\n');
    await writeFile(join(temp, 'Dockerfile'), dockerfile);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dirname(dir), { recursive: true });
    await rename(temp, dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return { dir, reference: `${options.modelImageRepository}:${tag}`, tag };
}
