import type { Override, Step } from './model.js';

/**
 * Merges a list by name: an item of `replacements` replaces the whole item of the same name (keeping
 * its place), new names are appended. This is valohai-yaml's `merge_simple`: the override item's
 * constructor defaults win too, so `inputs: [{name: dataset}]` clears the input's default URLs.
 */
function mergeByName<T extends { name: string }>(base: readonly T[], replacements: readonly T[] | undefined): T[] {
  if (!replacements) return [...base];
  const byName = new Map(replacements.map((item) => [item.name, item]));
  const merged = base.map((item) => byName.get(item.name) ?? item);
  const baseNames = new Set(base.map((item) => item.name));
  return [...merged, ...replacements.filter((item) => !baseNames.has(item.name))];
}

/** The step as a node with this override runs it (FORMAT §3.2). Does not modify `step`. */
export function applyOverride(step: Step, override: Override | undefined): Step {
  if (!override) return step;
  const merged: Step = {
    ...step,
    parameters: mergeByName(step.parameters, override.parameters),
    inputs: mergeByName(step.inputs, override.inputs),
    environmentVariables: mergeByName(step.environmentVariables, override.environmentVariables),
    mounts: override.mounts ? [...override.mounts] : [...step.mounts],
    extra: { ...step.extra },
  };
  if (override.image !== undefined) merged.image = override.image;
  if (override.command !== undefined) merged.command = [...override.command];
  if (override.environment !== undefined) merged.environment = override.environment;
  if (override.runtimeConfigPreset !== undefined) merged.extra['runtime-config-preset'] = override.runtimeConfigPreset;
  return merged;
}
