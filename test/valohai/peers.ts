/**
 * Valohai's own Python helper library (valohai-utils, with leval, valohai-yaml and the papi stub) from
 * ../shared/peers, for tests that run real Python steps the way Valohai users write them.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const PEERS = resolve(import.meta.dirname, '../../../shared/peers');

/** PYTHONPATH as ../shared/peers/README.md gives it. */
export const VALOHAI_UTILS_PYTHONPATH = ['valohai-utils', 'leval', 'papi-stub', 'valohai-yaml'].map((name) => join(PEERS, name)).join(':');

function check(): string | undefined {
  if (!existsSync(join(PEERS, 'valohai-utils', 'valohai', '__init__.py'))) return `${PEERS}/valohai-utils is absent`;
  const probe = spawnSync('python3', ['-c', 'import valohai, yaml'], { env: { ...process.env, PYTHONPATH: VALOHAI_UTILS_PYTHONPATH }, encoding: 'utf8' });
  if (probe.error) return `python3 cannot start (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import valohai-utils (${probe.stderr.trim().split('\n').pop() ?? ''}); apt-get install -y python3-yaml`;
  return undefined;
}

/** Why the valohai-utils tests cannot run here, or undefined when they can. */
export const valohaiUtilsMissing = check();
if (valohaiUtilsMissing !== undefined) {
  process.stderr.write(`SKIPPED: tests with real valohai-utils steps: ${valohaiUtilsMissing}.\n`);
}
