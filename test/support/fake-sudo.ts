/**
 * A `sudo` double for tests: a shell script put first on PATH. It records each call's argv and, like
 * passwordless `sudo -n`, runs the rest of the command line (as the test's user), or refuses the way
 * sudo does when a password would be needed.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { shellQuote } from '../../src/util/shell.js';

export interface FakeSudo {
  /** Folder holding `sudo`: put it first on PATH. */
  binDir: string;
  /** PATH with `binDir` first. */
  path: string;
  /** The argv of every call so far, in order. */
  calls(): Promise<string[][]>;
}

export async function installFakeSudo(dir: string, options: { refuse?: boolean } = {}): Promise<FakeSudo> {
  const binDir = join(dir, 'fake-sudo-bin');
  const log = join(dir, 'fake-sudo-calls');
  await mkdir(binDir, { recursive: true });
  await writeFile(log, '');
  const run = options.refuse
    ? `echo 'sudo: a password is required' >&2\nexit 1`
    : `[ "$1" = -n ] || { echo 'fake sudo: expected -n first' >&2; exit 2; }\nshift\nexec "$@"`;
  // One call per line, its arguments separated by NUL.
  await writeFile(join(binDir, 'sudo'), `#!/bin/sh\nprintf '%s\\0' "$@" >> ${shellQuote(log)}\necho >> ${shellQuote(log)}\n${run}\n`);
  await chmod(join(binDir, 'sudo'), 0o755);
  return {
    binDir,
    path: `${binDir}${delimiter}${process.env['PATH'] ?? ''}`,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\0').slice(0, -1));
    },
  };
}

/** A `createAsUser` that refuses like `mkdir /valohai` does for a user who may not write in `/`. */
export async function refuseAsUnprivileged(root: string): Promise<void> {
  const error = Object.assign(new Error(`EACCES: permission denied, mkdir '${root}'`), { code: 'EACCES' });
  throw error;
}
