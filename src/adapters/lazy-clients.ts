/**
 * The `@actions/artifact` and `@actions/cache` clients, loaded on first use. With the Azure SDK they
 * pull in they are most of an action bundle (over a hundred milliseconds of CPU to evaluate); loaded
 * lazily they sit in a chunk of their own, so an action reads and checks its inputs first and a job
 * that never uploads or restores does not pay for them.
 */
import type { DefaultArtifactClient } from '@actions/artifact';

export type ArtifactClient = DefaultArtifactClient;
export type ActionsCache = typeof import('@actions/cache');

/** A new `DefaultArtifactClient` (the module is loaded once). */
export async function artifactClient(): Promise<ArtifactClient> {
  const { DefaultArtifactClient: Client } = await import('@actions/artifact');
  return new Client();
}

/** The `@actions/cache` module. */
export async function actionsCache(): Promise<ActionsCache> {
  return import('@actions/cache');
}

/** Whether an error is the artifact client's "not found" (by name: its class sits in the lazy chunk). */
export function isArtifactNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ArtifactNotFoundError';
}
