// Bundles the monitor's CSV worker thread (src/monitor/csv-worker.ts) with esbuild into one file beside
// each bundle that reads data (dist/cli/, dist/monitor/, dist/shared/), where src/monitor/parallel-read.ts looks for it
// (`monitor-csv-worker.js` next to the bundle). Without it large files are read with one thread.
// Imported by scripts/build.mjs; also runnable alone: node scripts/build-monitor-worker.mjs
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
// dist/shared/ too: the actions' bundles share chunks there, and the reader may land in one.
export const MONITOR_WORKER_BUNDLES = ['cli', 'monitor', 'shared'];

export async function buildMonitorWorker(dist = join(root, 'dist')) {
  const { build } = await import('esbuild');
  let bytes = 0;
  for (const name of MONITOR_WORKER_BUNDLES) {
    const outfile = join(dist, name, 'monitor-csv-worker.js');
    await build({
      absWorkingDir: root,
      entryPoints: ['src/monitor/csv-worker.ts'],
      outfile,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      legalComments: 'none',
      logLevel: 'warning',
      sourcemap: false,
    });
    bytes += statSync(outfile).size;
  }
  return { bytes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = await buildMonitorWorker();
  console.log(`built the monitor CSV worker (${result.bytes} bytes in ${MONITOR_WORKER_BUNDLES.length} bundles)`);
}
