/**
 * Azurite (Microsoft's Azure Storage emulator, npm `azurite`) as the blob store behind the test results
 * service: a real implementation of Put Block / Put Block List / Get Blob with ranges, block-id rules and
 * shared-access-signature checks (permissions, expiry, signature) that we did not write.
 *
 * One Azurite serves a whole `vitest run` (test/support/azurite-global-setup.ts starts it and names its
 * origin in `MLOPS_TEST_AZURITE`); outside vitest (the bench) `useAzurite()` starts a private one and the
 * caller stops it. Each artifact server takes a container of its own, so tests never see each other's blobs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Azurite's built-in development account (its documented, public well-known key). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** The variable through which the global setup hands its Azurite to the test workers. */
export const AZURITE_ENV = 'MLOPS_TEST_AZURITE';

export interface Azurite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts Azurite's blob service on a free loopback port, data in memory, working files in a temp folder. */
export async function startAzurite(): Promise<Azurite> {
  const require = createRequire(import.meta.url);
  const main = join(require.resolve('azurite/package.json'), '..', 'dist/src/blob/main.js');
  const workDir = await mkdtemp(join(tmpdir(), 'mlops-azurite-'));
  // --skipApiVersionCheck: the Azure SDK inside @actions/* may speak a newer x-ms-version than this
  // Azurite (the last release that runs on Node 20) knows; the operations used are unchanged.
  const child: ChildProcess = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', '0', '--inMemoryPersistence', '--extentMemoryLimit', '1024', '--silent', '--disableTelemetry', '--skipApiVersionCheck'],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let printed = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      printed += chunk.toString('utf8');
      const match = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(printed);
      if (match) resolve(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`Azurite exited (${code}) before listening:\n${printed}`)));
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * The Azurite to use: the one the global setup started, or a private one (`owned`: the caller stops it).
 */
export async function useAzurite(): Promise<{ origin: string; port: number; owned?: Azurite }> {
  const shared = process.env[AZURITE_ENV];
  if (shared) {
    const port = Number(new URL(shared).port);
    return { origin: shared, port };
  }
  const owned = await startAzurite();
  return { origin: owned.origin, port: owned.port, owned };
}
