/** File-pattern expansion for evaluation files (Node 20 has no fs.glob). */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import { ConfigurationError } from '../util/errors.js';

const globChars = /[*?[\]{}!]/;

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    // Symlinks are not followed: a pattern must not lead outside the folder it names.
    if (entry.isDirectory()) await walk(join(dir, entry.name), out);
    else if (entry.isFile()) out.push(join(dir, entry.name));
  }
}

/**
 * Expands patterns relative to `cwd`; a plain path is kept as is (and must exist). Results are
 * sorted and de-duplicated so that the candidate order does not depend on the file system.
 */
export async function expandFilePatterns(patterns: string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (!globChars.test(pattern)) {
      const path = isAbsolute(pattern) ? pattern : join(cwd, pattern);
      try {
        if (!(await stat(path)).isFile()) throw new Error('not a file');
      } catch {
        throw new ConfigurationError(`evaluation file ${pattern} does not exist`);
      }
      found.add(path);
      continue;
    }
    const segments = pattern.split('/');
    const firstGlob = segments.findIndex((segment) => globChars.test(segment));
    const base = segments.slice(0, firstGlob).join('/') || '.';
    const root = isAbsolute(pattern) ? base || '/' : join(cwd, base);
    const rest = segments.slice(firstGlob).join('/');
    const matches = picomatch(rest, { dot: false });
    const files: string[] = [];
    await walk(root, files);
    const hits = files.filter((file) => matches(relative(root, file).split(sep).join('/')));
    if (hits.length === 0) throw new ConfigurationError(`no evaluation file matches ${pattern}`);
    for (const hit of hits) found.add(hit);
  }
  return [...found].sort();
}
