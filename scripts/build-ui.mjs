// Bundles the browser app of `mlops ui` (src/ui/web: Preact + htm, uPlot, dagre) with esbuild into
// dist/cli/ui/ (index.html, assets/app.js, assets/app.css), beside the CLI bundle that serves it, so
// `mlops ui` needs nothing at run time. Imported by scripts/build.mjs; also runnable alone:
//   node scripts/build-ui.mjs [OUTDIR]
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The UI's assets budget, minified (issue 19): fail the build rather than ship a heavier app. */
export const UI_ASSETS_LIMIT_BYTES = 1.5 * 1024 * 1024;

export async function buildUiAssets(outdir = join(root, 'dist', 'cli', 'ui')) {
  const { build } = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, 'assets'), { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: { app: 'src/ui/web/main.ts' },
    // uPlot's stylesheet comes in through the app's CSS bundle.
    inject: [],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    outdir: join(outdir, 'assets'),
    legalComments: 'linked',
    logLevel: 'warning',
    // Same bytes for the same sources: committed dist/ must equal a fresh build.
    sourcemap: false,
    metafile: false,
  });
  await build({
    absWorkingDir: root,
    entryPoints: { app: 'src/ui/web/app.css' },
    bundle: true,
    minify: true,
    outdir: join(outdir, 'assets'),
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src/ui/web/index.html'), join(outdir, 'index.html'));
  let total = 0;
  for (const file of ['index.html', 'assets/app.js', 'assets/app.css']) total += statSync(join(outdir, file)).size;
  if (total > UI_ASSETS_LIMIT_BYTES) throw new Error(`the UI's assets are ${total} bytes, over the ${UI_ASSETS_LIMIT_BYTES}-byte budget`);
  return { outdir, bytes: total };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = await buildUiAssets(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`built the UI into ${result.outdir} (${result.bytes} bytes)`);
}
