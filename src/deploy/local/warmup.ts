/**
 * Warm-up of a new replica before it takes traffic, as SageMaker, TF Serving (`assets.extra/
 * tf_serving_warmup_requests`) and KServe do: real model servers load models lazily and compile on their
 * first requests, so the first requests a replica answers are slow, and they would be some client's.
 * Every replica the pool starts (the first ones, a scale-up, a restart after a crash) is sent the
 * endpoint's sample requests `warmup-requests` times in all (cycling through them, one at a time) after
 * its health check passed and before the balancer sees it. Each must answer 2xx within the response
 * timeout; one that does not is a failed start, like a failed health check: the replica is stopped and
 * never gets traffic. Without sample requests, or with `warmup-requests: 0`, there is no warm-up.
 */
import { ConfigurationError } from '../../util/errors.js';
import { sampleFailure, sendSample, type SampleRequest } from './supervisor.js';

/** Enough for a server's first-request work (lazy load, JIT) at a few model latencies per replica start. */
export const DEFAULT_WARMUP_REQUESTS = 5;

/** Per version, for /metrics. */
export interface WarmupStats {
  /** Replicas warmed up successfully. */
  replicas: number;
  /** Warm-up requests sent (answered or not). */
  requests: number;
  /** Replicas whose warm-up failed (not started). */
  failures: number;
  /** Time spent warming up, successful or not. */
  seconds: number;
}

export function emptyWarmupStats(): WarmupStats {
  return { replicas: 0, requests: 0, failures: 0, seconds: 0 };
}

/** Sends the warm-up to the replica on `port`; throws a ConfigurationError naming the request that failed. */
export async function warmUp(port: number, samples: SampleRequest[], count: number, timeoutMs: number, stats: WarmupStats = emptyWarmupStats()): Promise<void> {
  if (count <= 0 || samples.length === 0) return;
  const started = performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const sample = samples[i % samples.length] as SampleRequest;
      const answer = await sendSample(port, sample, timeoutMs);
      stats.requests += 1;
      const failure = sampleFailure(answer);
      if (failure) throw new ConfigurationError(`warm-up request ${i + 1} of ${count} (${sample.method} ${sample.path}) on port ${port} ${failure}`);
    }
    stats.replicas += 1;
  } catch (error) {
    stats.failures += 1;
    throw error;
  } finally {
    stats.seconds += (performance.now() - started) / 1000;
  }
}
