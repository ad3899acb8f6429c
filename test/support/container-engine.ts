/**
 * Fake `docker` / `podman` executables for tests (see fake-container-engine.mjs): a temp `bin/` to put
 * first on PATH, and the calls they received.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { shellQuote } from '../../src/util/shell.js';
import type { ContainerEngine, ContainerRuntime } from '../../src/exec/container.js';

const ENGINE_SCRIPT = resolve('test/support/fake-container-engine.mjs');

export interface EngineCall {
  engine: ContainerEngine;
  args: string[];
  /** For `run`: the container's environment as the -e arguments gave it. */
  env?: Record<string, string>;
  /** Set on the entry a running `run` client writes when it receives a signal (which it ignores). */
  received?: string;
}

export interface FakeEngines {
  /** Holds the fake executables; put it first on PATH. */
  binDir: string;
  runtime(engine: ContainerEngine): ContainerRuntime;
  calls(): Promise<EngineCall[]>;
  cleanup(): Promise<void>;
}

export async function installFakeEngines(engines: readonly ContainerEngine[] = ['docker', 'podman']): Promise<FakeEngines> {
  const root = await mkdtemp(join(tmpdir(), 'mlops-engine-'));
  const binDir = join(root, 'bin');
  const stateDir = join(root, 'state');
  await mkdir(binDir);
  await mkdir(stateDir);
  for (const engine of engines) {
    const argv = [process.execPath, ENGINE_SCRIPT, engine, stateDir].map(shellQuote).join(' ');
    await writeFile(join(binDir, engine), `#!/bin/sh\nexec ${argv} "$@"\n`);
    await chmod(join(binDir, engine), 0o755);
  }
  return {
    binDir,
    runtime: (engine) => ({ engine, executable: join(binDir, engine) }),
    calls: async () => {
      let text = '';
      try {
        text = await readFile(join(stateDir, 'calls.jsonl'), 'utf8');
      } catch {
        // no calls yet
      }
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as EngineCall);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
