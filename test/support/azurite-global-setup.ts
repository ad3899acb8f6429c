/**
 * vitest global setup: one Azurite for the whole run (see test/support/azurite.ts). Started lazily would
 * be per worker; started here it is one process, stopped when the run ends, and `.ci/run` needs nothing.
 */
import { AZURITE_ENV, startAzurite } from './azurite.js';

export default async function setup(): Promise<() => Promise<void>> {
  const azurite = await startAzurite();
  process.env[AZURITE_ENV] = azurite.origin;
  return async () => {
    delete process.env[AZURITE_ENV];
    await azurite.stop();
  };
}
