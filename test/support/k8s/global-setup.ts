/**
 * test:k8s global setup: fail the tier at once, with the command that fixes it, when the control plane
 * binaries are missing (never a silent skip), and sweep network namespaces and bridges that a crashed earlier
 * run left behind (their owner process is gone).
 */
import { clusterAvailable } from './control-plane.js';
import { sweepStaleNetworks } from './network.js';

export async function setup(): Promise<void> {
  const available = clusterAvailable();
  if (!available.ok) throw new Error(`test:k8s cannot run: ${available.why}`);
  await sweepStaleNetworks();
}

export async function teardown(): Promise<void> {
  await sweepStaleNetworks();
}
