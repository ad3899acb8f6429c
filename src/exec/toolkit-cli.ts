/**
 * Makes this toolkit's own CLI callable as `mlops` from inside a step (e.g. `mlops profile` in a
 * training pipeline), with the same Node and the same code as the runner, whether the runner is the
 * source tree (tsx), the bundled CLI, or an action bundle next to `dist/cli/`. Like the helper tools
 * that Valohai's images bring, nothing has to be installed in the user's repository for it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { shellQuote } from './shell.js';

/** The argv that runs the CLI, or undefined when no CLI entry can be found next to this code. */
export function toolkitCliArgv(moduleUrl: string = import.meta.url): string[] | undefined {
  const here = dirname(fileURLToPath(moduleUrl));
  // Bundles: dist/<name>/index.js beside dist/cli/index.js (for the CLI bundle itself, its own file).
  const bundled = join(here, '..', 'cli', 'index.js');
  if (existsSync(bundled)) return [process.execPath, bundled];
  // Source tree: src/exec/ beside src/cli/index.ts, run through tsx's loader (resolved from here, not the cwd).
  const source = join(here, '..', 'cli', 'index.ts');
  if (existsSync(source)) {
    try {
      const tsxPackage = createRequire(moduleUrl).resolve('tsx/package.json');
      const loader = join(dirname(tsxPackage), 'dist', 'loader.mjs');
      if (existsSync(loader)) return [process.execPath, '--import', pathToFileURL(loader).href, source];
    } catch {
      return undefined;
    }
  }
  return undefined;
}

let shimDir: Promise<string | undefined> | undefined;

/** A folder holding an executable `mlops` shim for this process's CLI (created once, atomically). */
export function toolkitShimDir(): Promise<string | undefined> {
  shimDir ??= (async () => {
    const argv = toolkitCliArgv();
    if (!argv) return undefined;
    const script = `#!/bin/sh\nexec ${argv.map(shellQuote).join(' ')} "$@"\n`;
    const dir = join(tmpdir(), `mlops-cli-${createHash('sha256').update(script).digest('hex').slice(0, 16)}`);
    const shim = join(dir, 'mlops');
    if (!existsSync(shim)) {
      await mkdir(dir, { recursive: true });
      const temp = `${shim}.${process.pid}.tmp`;
      await writeFile(temp, script);
      await chmod(temp, 0o755);
      await rename(temp, shim);
    }
    return dir;
  })();
  return shimDir;
}

/** PATH with the shim folder first, so that `mlops` in a step is this very toolkit. */
export function pathWithShim(path: string | undefined, dir: string | undefined): string | undefined {
  if (!dir) return path;
  return path ? `${dir}${delimiter}${path}` : dir;
}
