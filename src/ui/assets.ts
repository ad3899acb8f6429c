/**
 * Where the browser app's bundled files are: beside the bundled CLI (`dist/cli/ui/`, written by
 * scripts/build-ui.mjs), or, from the source tree, the repository's `dist/cli/ui/`. `MLOPS_UI_ASSETS`
 * names another folder (tests build the app into a temp folder).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../util/errors.js';

export function uiAssetsDir(moduleUrl: string = import.meta.url, env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['MLOPS_UI_ASSETS'];
  if (explicit) {
    const dir = resolve(explicit);
    if (!existsSync(join(dir, 'index.html'))) throw new ConfigurationError(`MLOPS_UI_ASSETS=${explicit} has no index.html`);
    return dir;
  }
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [join(here, 'ui'), join(here, '..', '..', 'dist', 'cli', 'ui')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new ConfigurationError(`the UI's files are not built (looked in ${candidates.join(' and ')}): run \`npm run build\`, or \`node scripts/build-ui.mjs\` for the UI alone`);
  }
  return found;
}
