// Bundles every entry point (the CLI and each action) with @vercel/ncc into dist/<name>/.
// tsc first emits ESM JavaScript into build/ (ncc's own TypeScript pass transpiles file by file, cannot see
// "type": "module" and would emit require(), which the ESM-only @actions/* packages refuse). ncc then bundles
// that JavaScript; being inside a "type": "module" package it emits ESM and writes a package.json beside it.
// Each output folder is deleted first so that a stale file can never survive a rebuild.
import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const entries = [['cli', 'src/cli/index.ts']];
const actionsDir = 'src/actions';
for (const name of readdirSync(actionsDir).sort()) {
  const entry = join(actionsDir, name, 'index.ts');
  if (existsSync(entry)) entries.push([name, entry]);
}

rmSync('build', { recursive: true, force: true });
// --noCheck: emit only (the same JavaScript, half the time); `npm run typecheck` is CI's own step.
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--noCheck'], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });
// Bundles are independent: build as many at once as there are cores.
const run = promisify(execFile);
const queue = [...entries];
async function worker() {
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [name, entry] = next;
    const compiled = entry.replace(/^src\//, 'build/').replace(/\.ts$/, '.js');
    await run(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', compiled, '-o', join('dist', name), '--quiet', '--license', 'licenses.txt', '--target', 'es2022']);
  }
}
await Promise.all(Array.from({ length: Math.min(availableParallelism(), entries.length) }, worker));
console.log(`built ${entries.length} bundles: ${entries.map(([n]) => n).join(', ')}`);

// The browser app of `mlops ui`, bundled beside the CLI that serves it (dist/cli/ui/; see scripts/build-ui.mjs).
async function buildUi() {
  const { buildUiAssets } = await import('./build-ui.mjs');
  const { bytes } = await buildUiAssets(join(process.cwd(), 'dist', 'cli', 'ui'));
  console.log(`built the UI: dist/cli/ui (${bytes} bytes)`);
}
await buildUi();
