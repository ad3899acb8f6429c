/**
 * The files an execution left in `outputs/`, added to the content store (FORMAT.md §2.1: every file under
 * outputs/ is an output, in subfolders too).
 */
import { readdirSync, type Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ContentStore } from '../store/content-store.js';
import type { OutputFile } from './types.js';

/** A name Valohai's uploader would choke on or that cannot be shown on one line. */
function isWeirdName(name: string): boolean {
  for (const ch of name) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ch === '\\') return true;
  }
  return false;
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith('/');
}

/**
 * Adds every file under `outputsDir` (recursively) to the store. Symlinks are followed only to files
 * inside `outputsDir`; links leading outside and weird names are skipped with a warning.
 */
export async function collectOutputs(outputsDir: string, store: ContentStore, warn: (message: string) => void): Promise<OutputFile[]> {
  const outputs: OutputFile[] = [];
  // Resolved only when a symbolic link needs checking: most executions have none.
  let realRoot: string | undefined;
  const walk = async (prefix: string): Promise<void> => {
    let entries: Dirent[];
    try {
      // The top folder synchronously (execution-folder.ts says why): for most executions it is empty.
      entries = prefix === '' ? readdirSync(outputsDir, { withFileTypes: true }) : await readdir(join(outputsDir, prefix), { withFileTypes: true });
    } catch (error) {
      // No outputs folder (the command removed it) means no outputs.
      if (prefix === '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (isWeirdName(entry.name)) {
        warn(`Skipped output ${JSON.stringify(rel)}: control characters or backslashes in its name.`);
        continue;
      }
      const full = join(outputsDir, rel);
      if (entry.isDirectory()) {
        await walk(rel);
      } else if (entry.isFile()) {
        // The finished execution's outputs are ours: they can share their inode with the store.
        const stored = await store.add(full, { link: true });
        outputs.push({ path: rel, size: stored.size, sha256: stored.sha256 });
      } else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(full);
        } catch {
          warn(`Skipped output ${rel}: a broken symbolic link.`);
          continue;
        }
        realRoot ??= await realpath(outputsDir);
        if (!isInside(realRoot, target) || !(await stat(target)).isFile()) {
          warn(`Skipped output ${rel}: a symbolic link to something outside outputs/ or not a file.`);
          continue;
        }
        const stored = await store.add(target, { link: true });
        outputs.push({ path: rel, size: stored.size, sha256: stored.sha256 });
      }
    }
  };
  await walk('');
  return outputs;
}
