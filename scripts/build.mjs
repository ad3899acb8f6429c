// Bundles every entry point (the CLI and each action) with @vercel/ncc into dist/<name>/.
// tsc first emits ESM JavaScript into build/ (ncc's own TypeScript pass transpiles file by file, cannot see
// "type": "module" and would emit require(), which the ESM-only @actions/* packages refuse). ncc then bundles
// that JavaScript; being inside a "type": "module" package it emits ESM and writes a package.json beside it.
// Each output folder is deleted first so that a stale file can never survive a rebuild.
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';

/** [name, TypeScript entry] of the CLI and of every action (src/actions/<name>/index.ts). */
function bundleEntries() {
  const entries = [['cli', 'src/cli/index.ts']];
  const actionsDir = 'src/actions';
  for (const name of readdirSync(actionsDir).sort()) {
    const entry = join(actionsDir, name, 'index.ts');
    if (existsSync(entry)) entries.push([name, entry]);
  }
  return entries;
}

function compileTypeScript() {
  rmSync('build', { recursive: true, force: true });
  // --noCheck: emit only (the same JavaScript, half the time); `npm run typecheck` is CI's own step.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noCheck'], { stdio: 'inherit' });
}

/**
 * ncc's options for every bundle. No source maps (they would double dist/). Modules an entry imports
 * dynamically (the Kubernetes client behind the deploy target, the artifact and cache clients) land in
 * chunks of their own, loaded only when that code runs. Minifying is `minifyBundle`'s job: ncc --minify
 * leaves those chunks as they are.
 */
function nccArguments(compiled, outDir) {
  return ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', compiled, '-o', outDir, '--quiet', '--license', 'licenses.txt', '--target', 'es2022'];
}

/**
 * Minifies every JavaScript file of a bundle (entry and chunks) in place with esbuild: each job that
 * uses an action downloads the whole action repository, dist/ included. Legal comments are kept (the
 * licences are also in licenses.txt); names stay unmangled at the top level of an ES module's exports.
 */
async function minifyBundle(outDir) {
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.js')).sort()) {
    const path = join(outDir, file);
    const { code } = await transform(readFileSync(path, 'utf8'), { format: 'esm', target: 'es2022', platform: 'node', minify: true, charset: 'utf8' });
    writeFileSync(path, code);
  }
}

async function bundleAll(entries) {
  rmSync('dist', { recursive: true, force: true });
  // Bundles are independent: build as many at once as there are cores.
  const run = promisify(execFile);
  const queue = [...entries];
  async function worker() {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [name, entry] = next;
      const compiled = entry.replace(/^src\//, 'build/').replace(/\.ts$/, '.js');
      await run(process.execPath, nccArguments(compiled, join('dist', name)), { maxBuffer: 64 * 1024 * 1024 });
      await minifyBundle(join('dist', name));
    }
  }
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), entries.length) }, worker));
}

/** Total bytes under a folder. */
function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

// The browser app of `mlops ui`, bundled beside the CLI that serves it (dist/cli/ui/; see scripts/build-ui.mjs).
async function buildUi() {
  const { buildUiAssets } = await import('./build-ui.mjs');
  const { bytes } = await buildUiAssets(join(process.cwd(), 'dist', 'cli', 'ui'));
  console.log(`built the UI: dist/cli/ui (${bytes} bytes)`);
}

const entries = bundleEntries();
compileTypeScript();
await bundleAll(entries);
await buildUi();
await (await import('./build-monitor-worker.mjs')).buildMonitorWorker();
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(
  `built ${entries.length} bundles (${megabytes(folderBytes('dist'))}): ${entries.map(([n]) => `${n} ${megabytes(folderBytes(join('dist', n)))}`).join(', ')}`,
);
