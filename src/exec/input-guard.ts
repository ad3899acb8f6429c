/**
 * Inputs a command cannot silently corrupt. Before the command starts, each placed input file is
 * noted (inode, size, modification time; for a hardlink, the store object's too). After it ends:
 * - an input file the command changed in place fails the execution (inputs are read: a step that needs
 *   to edit one copies it first), whatever way it was placed;
 * - a hardlinked input whose store object changed is re-hashed, and an object that no longer matches its
 *   name is quarantined (store/content-store.ts), so no later run, reuse or deployment gets it.
 * Deleting an input file is allowed (it harms nothing). Unchanged files cost one stat each.
 */
import { lstat, stat } from 'node:fs/promises';
import { CorruptObjectError, hashFile, type ContentStore } from '../store/content-store.js';
import type { InputsJson } from './inputs.js';

interface Noted {
  input: string;
  path: string;
  sha256: string;
  ino: number;
  size: number;
  mtimeMs: number;
  /** Set when the file shares its inode with the store object. */
  linked: boolean;
}

export interface InputGuard {
  files: Noted[];
}

/** Notes every placed input file of `inputsJson`. */
export async function guardInputs(store: ContentStore, inputsJson: InputsJson): Promise<InputGuard> {
  const files: Noted[] = [];
  for (const [input, { files: entries }] of Object.entries(inputsJson)) {
    for (const entry of entries) {
      const sha256 = entry.checksums.sha256;
      const info = await lstat(entry.path).catch(() => undefined);
      if (!info?.isFile()) continue;
      const object = await stat(store.pathOf(sha256)).catch(() => undefined);
      const linked = object !== undefined && object.ino === info.ino && object.dev === info.dev;
      files.push({ input, path: entry.path, sha256, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, linked });
    }
  }
  return { files };
}

/** What the command did to its inputs: one line naming every changed file, undefined when none. */
export async function checkGuardedInputs(store: ContentStore, guard: InputGuard): Promise<string | undefined> {
  const problems: string[] = [];
  for (const file of guard.files) {
    const info = await lstat(file.path).catch(() => undefined);
    const untouched = info !== undefined && info.ino === file.ino && info.size === file.size && info.mtimeMs === file.mtimeMs;
    if (file.linked) {
      // The store object is what matters: it may have changed even if the file was then removed.
      try {
        await store.check(file.sha256, file.size);
      } catch (error) {
        if (!(error instanceof CorruptObjectError)) throw error;
        problems.push(`the command changed its input "${file.input}" file ${file.path}, a hardlink to the store: ${error.message}`);
        continue;
      }
    }
    if (info === undefined || untouched || !info.isFile()) continue;
    if ((await hashFile(file.path)).sha256 !== file.sha256) {
      problems.push(`the command changed its input "${file.input}" file ${file.path} (inputs are read-only; copy a file before editing it)`);
    }
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}
