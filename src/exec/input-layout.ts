/**
 * Where an input's files land under `inputs/<input>/`, per `keep-directories` (FORMAT.md §2.3), and the
 * rule that no file is ever lost on the way: two different files that would land on the same path are a
 * clear error naming both, never a silent overwrite.
 *
 * `keep-directories`, as Valohai defines it for store URLs, applied to this toolkit's sources:
 * - `none` (default): the file name only (Valohai flattens).
 * - `suffix`: the path after the wildcard root: for an edge `X.output.images/**`, `cat/img0.jpg` of
 *   `images/cat/img0.jpg`; for a local folder, the path inside that folder.
 * - `full`: the full path from the source's root: an output's path inside `outputs/`; a local file's path
 *   inside the repository (its path inside the folder when the folder is outside the repository).
 */
import { posix, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { KeepDirectories } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

/** The glob's literal folder prefix (`images` of `images/**`, `` of `*.pkl`). */
export function globRoot(glob: string): string {
  return picomatch.scan(glob).base;
}

/**
 * Where a source file lands. `path` is relative to the source's root (`outputs/`, the repository or a
 * local folder); `root` is the part Valohai's `suffix` mode strips (the glob's literal prefix, or the
 * local folder's path).
 */
export function placeInputFile(path: string, mode: KeepDirectories, root: string): string {
  if (mode === 'full') return path;
  if (mode === 'suffix') return root !== '' && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  return posix.basename(path);
}

/** A local folder's file placed per `keep-directories`: `rel` is inside `folder`, `folder` is absolute. */
export function placeLocalFolderFile(rel: string, folder: string, repositoryDir: string, mode: KeepDirectories): string {
  if (mode === 'full') {
    const fromRepository = relative(repositoryDir, folder).split(sep).join('/');
    const inside = fromRepository !== '' && !fromRepository.startsWith('..') && !fromRepository.startsWith('/');
    return inside ? `${fromRepository}/${rel}` : rel;
  }
  return placeInputFile(rel, mode, '');
}

export interface PlacedFile {
  relativePath: string;
  /** Same identity = the same content from the same place: kept once. */
  identity: string;
  /** Where the file comes from, for the error (`train: images/cat/img0.jpg`, a local path). */
  origin: string;
}

/**
 * Fails when two different files would land on the same path of one input, naming both and how to keep
 * them apart. Returns the files with exact duplicates dropped.
 */
export function checkInputCollisions<T extends PlacedFile>(nodeName: string, inputName: string, files: readonly T[], mode: KeepDirectories): T[] {
  const byPath = new Map<string, T>();
  const out: T[] = [];
  for (const file of files) {
    const earlier = byPath.get(file.relativePath);
    if (earlier === undefined) {
      byPath.set(file.relativePath, file);
      out.push(file);
      continue;
    }
    if (earlier.identity === file.identity) continue;
    const fix =
      mode === 'none'
        ? 'set `keep-directories: suffix` (or `full`) on the input so each keeps its folder'
        : 'rename one of them, or narrow the edge or default so only one is delivered';
    throw new ConfigurationError(
      `node ${nodeName}, input ${inputName}: ${earlier.origin} and ${file.origin} would both land at ${inputName}/${file.relativePath} ` +
        `(keep-directories: ${mode}); ${fix}.`,
    );
  }
  return out;
}
