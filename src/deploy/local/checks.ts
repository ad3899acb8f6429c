/**
 * The proof a candidate version gives before it gets any traffic: every replica answered its health
 * check (pool start), every replica answers the sample requests 2xx within the latency limit, and the
 * optional load test passes against the candidate alone, through a private proxy over its replicas.
 */
import { join } from 'node:path';
import { ConfigurationError } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { formatLoadTest } from '../load-test.js';
import { performanceCheck } from '../rollout.js';
import type { VersionPool } from './pool.js';
import { EndpointProxy } from './proxy.js';
import { smokeTest } from './supervisor.js';
import type { VersionState } from './types.js';
import { DEFAULT_WARMUP_REQUESTS } from './warmup.js';

/** Resolves to notes for the result message; throws a ConfigurationError saying what failed. */
export async function proveCandidate(pool: VersionPool, version: VersionState): Promise<string[]> {
  const notes: string[] = [];
  const { checks } = version;
  if (checks.samples.length > 0) {
    for (const replica of pool.replicas) await smokeTest(replica.port, checks.samples, checks.maxLatencyMs);
    const warmup = checks.warmupRequests ?? DEFAULT_WARMUP_REQUESTS;
    notes.push(`${warmup > 0 ? `each replica warmed up with ${warmup} sample request(s), then ` : ''}${checks.samples.length} sample request(s) answered within ${checks.maxLatencyMs} ms`);
  } else {
    notes.push('no sample request declared, so only the health check proved it (declare sample-requests or give --payload)');
  }
  const load = checks.loadTest;
  if (load && load.seconds > 0) {
    const candidate = new EndpointProxy(`candidate/v${version.number}`);
    try {
      const port = await candidate.listen(0);
      candidate.route({ label: `v${version.number}`, pool });
      const result = await performanceCheck(`http://127.0.0.1:${port}${load.path ?? '/predict'}`, load);
      version.loadTest = result;
      await writeJsonAtomic(join(version.dir, 'load-test.json'), result);
      if (!result.ok) throw new ConfigurationError(`load test on the candidate: ${formatLoadTest(result)}`);
    } finally {
      await candidate.close();
    }
  }
  return notes;
}
