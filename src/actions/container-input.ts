/**
 * The `container` input of the job actions (run, run-node): where each execution runs. `off` (or
 * empty) keeps it on the runner; `docker`, `podman` or `auto` (the first of them on PATH) runs it in
 * its step's image through that engine, as `mlops run --container` does.
 */
import type { ContainerChoice, ContainerRuntime } from '../exec/container.js';
import { CONTAINER_ENGINES } from '../exec/container-engines.js';
import { ConfigurationError } from '../util/errors.js';
import { oneOfInput } from './input-parsing.js';

export const CONTAINER_INPUT_VALUES = ['off', ...CONTAINER_ENGINES, 'auto'] as const;

/** The engine asked for; undefined for `off`. */
export function containerInput(name: string): ContainerChoice | undefined {
  const value = oneOfInput(name, CONTAINER_INPUT_VALUES, 'off');
  return value === 'off' ? undefined : value;
}

/**
 * The engine to run executions with, found on PATH; undefined when none was asked for. A missing
 * engine is a ConfigurationError naming the input (findContainerRuntime's own names `--container`).
 */
export async function containerRuntimeFor(
  choice: ContainerChoice | undefined,
  name: string,
  path: string | undefined = process.env['PATH'],
): Promise<ContainerRuntime | undefined> {
  if (choice === undefined) return undefined;
  // Loaded when an engine is asked for: the actions read this input at their cold start.
  const { findContainerRuntime } = await import('../exec/container.js');
  try {
    return await findContainerRuntime(choice, path);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const engines = choice === 'auto' ? CONTAINER_ENGINES : [choice];
    throw new ConfigurationError(
      `${name}: needs ${engines.join(' or ')} on PATH; none found (GitHub-hosted Ubuntu runners have docker; or set ${name}: off)`,
    );
  }
}
