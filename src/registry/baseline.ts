/**
 * The compare step's baseline from the registry: the metrics of the version an alias (`production`)
 * points at. Lives here rather than in src/compare so that compare does not depend on the registry.
 */
import type { Baseline } from '../compare/candidates.js';
import type { ModelBaselineRequest } from '../compare/decide.js';
import { ConfigurationError } from '../util/errors.js';
import { LocalRegistry } from './local.js';
import { checkModelName, type ModelRegistry } from './model.js';

export { parseBaselineModel } from './model.js';

/**
 * The `alias` version of `model` (default: the only model in the registry) as a baseline; undefined
 * when the registry has no such model or alias yet (the first model is then compared with nothing).
 */
export async function baselineFromRegistry(projectDir: string, model?: string, alias = 'production'): Promise<Baseline | undefined> {
  return baselineFromModelRegistry(new LocalRegistry(projectDir), model, alias);
}

/** The same, from any registry backend (the GitHub releases one on GitHub). */
export async function baselineFromModelRegistry(registry: ModelRegistry, model?: string, alias = 'production'): Promise<Baseline | undefined> {
  const names = await registry.models();
  const name = model !== undefined ? checkModelName(model) : names.length === 1 ? names[0] : undefined;
  if (name === undefined || !names.includes(name)) return undefined;
  const entry = (await registry.aliases(name))[alias];
  if (!entry) return undefined;
  const version = (await registry.versions(name)).find((v) => v.version === entry.version);
  if (!version) return undefined;
  return { source: `registry ${name}@${alias}`, label: `${alias} (${name} v${version.version})`, metrics: version.metrics };
}

/**
 * The compare service's request for a registry baseline (src/compare/decide.ts): `model`'s `alias`
 * version, or without a name the registry's only model's. A registry holding several models and no name
 * is an error: picking none would promote the first model silently.
 */
export function registryBaselineRequest(open: () => ModelRegistry, model: string | undefined, alias = 'production'): ModelBaselineRequest {
  return {
    kind: 'model',
    name: model !== undefined ? `${model}@${alias}` : `${alias} model`,
    lookup: async () => {
      const registry = open();
      if (model === undefined) {
        const names = await registry.models();
        if (names.length > 1) {
          throw new ConfigurationError(`the registry holds several models (${names.join(', ')}): name the one to compare with (--baseline-model, the baseline-model input or MLOPS_MODEL)`);
        }
      }
      return baselineFromModelRegistry(registry, model, alias);
    },
  };
}
