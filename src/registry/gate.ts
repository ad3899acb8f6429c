/**
 * The deployment gate on a laptop (src/exec/deployment-gate.ts): the run's executions against the local
 * registry's production model, as `mlops compare --run` without baseline options compares them.
 */
import { outcomesGate } from '../compare/gate.js';
import type { DeploymentGate } from '../exec/deployment-gate.js';
import { registryBaselineRequest } from './baseline.js';
import { LocalRegistry } from './local.js';

export function localGate(projectDir: string): DeploymentGate {
  return outcomesGate(() => registryBaselineRequest(() => new LocalRegistry(projectDir), undefined));
}
