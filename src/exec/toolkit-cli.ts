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
import { shellQuote } from '../util/shell.js';

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

/**
 * Writes `script` as an executable `mlops` in a temp folder named after its content (so processes with
 * the same script share it), atomically; returns its path.
 */
async function installShim(prefix: string, script: string): Promise<string> {
  const dir = join(tmpdir(), `${prefix}-${createHash('sha256').update(script).digest('hex').slice(0, 16)}`);
  const shim = join(dir, 'mlops');
  if (!existsSync(shim)) {
    await mkdir(dir, { recursive: true });
    const temp = `${shim}.${process.pid}.tmp`;
    await writeFile(temp, script);
    await chmod(temp, 0o755);
    await rename(temp, shim);
  }
  return shim;
}

/** A folder holding an executable `mlops` shim for this process's CLI (created once, atomically). */
export function toolkitShimDir(): Promise<string | undefined> {
  shimDir ??= (async () => {
    const argv = toolkitCliArgv();
    if (!argv) return undefined;
    const script = `#!/bin/sh\nexec ${argv.map(shellQuote).join(' ')} "$@"\n`;
    return dirname(await installShim('mlops-cli', script));
  })();
  return shimDir;
}

/**
 * The bundled CLI's folder (`dist/cli`: index.js, its chunks and package.json), which is what a
 * container can run with the image's own Node: next to an action bundle, or the repository's `dist/`
 * when running from the source tree. Undefined when there is none.
 */
export function toolkitCliBundleDir(moduleUrl: string = import.meta.url): string | undefined {
  const here = dirname(fileURLToPath(moduleUrl));
  for (const candidate of [join(here, '..', 'cli'), join(here, '..', '..', 'dist', 'cli')]) {
    if (existsSync(join(candidate, 'index.js'))) return candidate;
  }
  return undefined;
}

/** Where a container gets the bundled CLI, and the variable its `mlops` shim reads that from. */
export const CONTAINER_TOOLKIT_DIR = '/opt/mlops/cli';
export const CONTAINER_TOOLKIT_VARIABLE = 'MLOPS_TOOLKIT_CLI';

let containerShim: Promise<string> | undefined;

/**
 * An `mlops` script for inside a container (mounted at /usr/local/bin/mlops, on every image's PATH):
 * runs the mounted CLI with the image's Node, or says plainly that the image has none.
 */
export function containerShimPath(): Promise<string> {
  containerShim ??= (async () => {
    const script = [
      '#!/bin/sh',
      'if ! command -v node >/dev/null 2>&1; then',
      `  echo "mlops: this image has no node on PATH; calling mlops inside a container needs Node.js 20 or later in the image" >&2`,
      '  exit 127',
      'fi',
      `exec node "$${CONTAINER_TOOLKIT_VARIABLE}" "$@"`,
      '',
    ].join('\n');
    return installShim('mlops-container-cli', script);
  })();
  return containerShim;
}

/** PATH with the shim folder first, so that `mlops` in a step is this very toolkit. */
export function pathWithShim(path: string | undefined, dir: string | undefined): string | undefined {
  if (!dir) return path;
  return path ? `${dir}${delimiter}${path}` : dir;
}
