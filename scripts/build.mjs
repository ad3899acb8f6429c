// Bundles the CLI and every action with esbuild into dist/:
//   dist/<action>/index.js   one small entry per action (action.yml's `main`), over chunks shared by all
//   dist/shared/*.js         actions: each job downloads the whole action repository, so code that several
//                            actions use (the @actions/* clients, the runner, the pipeline loader) is there once
//   dist/cli/                the CLI alone and self-contained (the npm package and a container's `mlops`
//                            use only this folder): index.js, its chunks, the UI (scripts/build-ui.mjs)
// Modules an action imports dynamically (the artifact and cache clients with the Azure SDK, the Kubernetes
// client behind the deploy target) are chunks loaded only when that code runs, so an action reads and checks
// its inputs before paying for them (esbuild's options, and the plugin that keeps dependencies' unused
// imports lazy, are in scripts/esbuild-options.mjs). Minified, no source maps (they would double dist/);
// the licences of everything bundled are in one licenses.txt per tree (dist/ and dist/cli/). Output
// folders are deleted first so that a stale file can never survive a rebuild, and file names carry
// content hashes, so the same sources give the same bytes (CI checks committed dist/ against a fresh build).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { options, writeSeparateFiles } from './esbuild-options.mjs';

/** [name, TypeScript entry] of every action (src/actions/<name>/index.ts). */
function actionEntries() {
  const entries = [];
  const actionsDir = 'src/actions';
  for (const name of readdirSync(actionsDir).sort()) {
    const entry = join(actionsDir, name, 'index.ts');
    if (existsSync(entry)) entries.push([name, entry]);
  }
  return entries;
}

/** The package folder (node_modules/NAME or node_modules/@SCOPE/NAME) of a bundled input file, if any. */
function packageDirOf(input) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + length).join(sep);
}

/** One licenses.txt with the name, version, licence and licence text of every package bundled in a tree. */
function writeLicenses(metafile, file) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDirOf(input);
    if (dir === undefined || packages.has(dir)) continue;
    let manifest = {};
    try {
      manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    } catch {
      // A nested folder with its own package.json (e.g. `esm/`) resolves to its package root instead.
    }
    packages.set(dir, manifest);
  }
  const sections = [];
  const seen = new Set();
  for (const [dir, manifest] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
    const name = manifest.name ?? relative('node_modules', dir);
    const key = `${name}@${manifest.version ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const licenseFile = existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\..*)?$/i.test(entry)) : undefined;
    const text = licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : '';
    sections.push(`${key}\n${manifest.license ?? 'UNKNOWN'}${text ? `\n${text}` : ''}`);
  }
  writeFileSync(file, `${sections.join('\n\n')}\n`);
}

/** Node treats the bundles as ES modules even where a folder is copied out of this repository (a container mount). */
function writeModulePackage(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
}

async function buildActions(entries) {
  const result = await build(
    options(Object.fromEntries(entries.map(([name, entry]) => [`${name}/index`, entry])), 'dist', 'shared/[name]-[hash]'),
  );
  for (const [name] of entries) writeModulePackage(join('dist', name));
  writeModulePackage(join('dist', 'shared'));
  const separate = await writeSeparateFiles(result.metafile);
  writeLicenses({ inputs: { ...result.metafile.inputs, ...separate } }, join('dist', 'licenses.txt'));
  // For analysing what each action loads at start (which inputs land in which chunk): not part of dist/.
  if (process.env['MLOPS_BUILD_METAFILE']) writeFileSync(process.env['MLOPS_BUILD_METAFILE'], JSON.stringify(result.metafile));
}

async function buildCli() {
  // Chunks beside index.js: code that finds the CLI or the UI from its own file (import.meta.url) sees dist/cli/.
  const result = await build(options({ index: 'src/cli/index.ts' }, join('dist', 'cli'), '[name]-[hash]'));
  writeModulePackage(join('dist', 'cli'));
  const separate = await writeSeparateFiles(result.metafile);
  writeLicenses({ inputs: { ...result.metafile.inputs, ...separate } }, join('dist', 'cli', 'licenses.txt'));
}

/** Total bytes under a folder. */
function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Bytes an action loads at start: its entry and the chunks it imports statically, transitively. */
function startBytes(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(/(?:^|[;}\n])\s*import\s*(?:[^'"()]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(join(dirname(file), match[1]));
    }
  };
  visit(entry);
  return [...seen].reduce((sum, file) => sum + statSync(file).size, 0);
}

// The browser app of `mlops ui`, bundled beside the CLI that serves it (dist/cli/ui/; see scripts/build-ui.mjs).
async function buildUi() {
  const { buildUiAssets } = await import('./build-ui.mjs');
  const { bytes } = await buildUiAssets(join(process.cwd(), 'dist', 'cli', 'ui'));
  console.log(`built the UI: dist/cli/ui (${bytes} bytes)`);
}

const entries = actionEntries();
rmSync('dist', { recursive: true, force: true });
// Left by the previous build (tsc emit for ncc); nothing reads it any more.
rmSync('build', { recursive: true, force: true });
await buildActions(entries);
await buildCli();
await buildUi();
await (await import('./build-monitor-worker.mjs')).buildMonitorWorker();
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
console.log(
  `built the CLI and ${entries.length} actions (${megabytes(folderBytes('dist'))}): cli ${megabytes(folderBytes(join('dist', 'cli')))}, ` +
    `shared chunks ${megabytes(folderBytes(join('dist', 'shared')))}; loaded at start: ` +
    entries.map(([name]) => `${name} ${megabytes(startBytes(join('dist', name, 'index.js')))}`).join(', '),
);
