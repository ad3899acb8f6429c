/**
 * The compare step's baseline from the registry: the metrics of the version an alias (`production`)
 * points at. Lives here rather than in src/compare so that compare does not depend on the registry.
 */
import type { Baseline } from '../compare/candidates.js';
import { LocalRegistry } from './local.js';
import { checkModelName } from './model.js';

/**
 * The `alias` version of `model` (default: the only model in the registry) as a baseline; undefined
 * when the registry has no such model or alias yet (the first model is then compared with nothing).
 */
export async function baselineFromRegistry(projectDir: string, model?: string, alias = 'production'): Promise<Baseline | undefined> {
  const registry = new LocalRegistry(projectDir);
  const names = await registry.models();
  const name = model !== undefined ? checkModelName(model) : names.length === 1 ? names[0] : undefined;
  if (name === undefined || !names.includes(name)) return undefined;
  const entry = (await registry.aliases(name))[alias];
  if (!entry) return undefined;
  const version = (await registry.versions(name)).find((v) => v.version === entry.version);
  if (!version) return undefined;
  return { source: `registry ${name}@${alias}`, label: `${alias} (${name} v${version.version})`, metrics: version.metrics };
}
