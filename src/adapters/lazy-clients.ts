/**
 * The `@actions/artifact` and `@actions/cache` clients, loaded on first use. With the Azure SDK they
 * pull in they are most of an action bundle (over a hundred milliseconds of CPU to evaluate); loaded
 * lazily they sit in a chunk of their own, so an action reads and checks its inputs first and a job
 * that never uploads or restores does not pay for them.
 */
import type { DefaultArtifactClient } from '@actions/artifact';

export type ArtifactClient = DefaultArtifactClient;
export type ActionsCache = typeof import('@actions/cache');

/** The pause @actions/artifact waits, fixed in its code, between its 5 attempts at downloading and unpacking an archive. */
const LIBRARY_DOWNLOAD_PAUSE_MS = 5000;

/** The artifact retry pause a test asked for (`MLOPS_ARTIFACT_RETRY_MS`), else undefined: GitHub's defaults apply. */
export function artifactRetryPauseMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = Number(env['MLOPS_ARTIFACT_RETRY_MS'] ?? '');
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

let pauseScaled = false;

/**
 * With `MLOPS_ARTIFACT_RETRY_MS` set (tests only), the artifact client's own fixed 5-second pause between
 * download attempts becomes that many milliseconds: a damaged archive is still tried five times, as on
 * GitHub, without a test waiting 20 s per download. The client takes no option for it, so the process's
 * `setTimeout` maps exactly that delay; every other timer is left as it is. Unset, nothing changes.
 */
function scaleLibraryPause(): void {
  const pause = artifactRetryPauseMs();
  if (pause === undefined || pauseScaled) return;
  pauseScaled = true;
  const original = globalThis.setTimeout;
  const scaled = ((handler: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) =>
    original(handler, delay === LIBRARY_DOWNLOAD_PAUSE_MS ? pause : delay, ...args)) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(scaled, original);
}

/** A new `DefaultArtifactClient` (the module is loaded once). */
export async function artifactClient(): Promise<ArtifactClient> {
  scaleLibraryPause();
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
