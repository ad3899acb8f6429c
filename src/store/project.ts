import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The folder that holds run records, the content store and caches, unless `--project-dir` says otherwise. */
export const PROJECT_FOLDER_NAME = '.mlops';

/**
 * The repository a path belongs to: the nearest folder upwards holding `.git` (a folder, or a file in a
 * worktree), else the folder itself. Commands run there, as on Valohai, whose commands run in the
 * repository root wherever the pipeline file sits.
 */
export function repositoryRoot(folder: string): string {
  const start = resolve(folder);
  for (let current = start; ; current = dirname(current)) {
    if (existsSync(join(current, '.git'))) return current;
    if (dirname(current) === current) return start;
  }
}

/** `--project-dir` when given, else `<repository of `near`>/.mlops` (near: a pipeline file or a folder). */
export function projectDirFor(explicit: string | undefined, near: string = process.cwd(), nearIsFile = false): string {
  if (explicit !== undefined) return resolve(explicit);
  const folder = nearIsFile ? dirname(resolve(near)) : resolve(near);
  return join(repositoryRoot(folder), PROJECT_FOLDER_NAME);
}
