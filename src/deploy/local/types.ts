/** The local target's state (state.json) and the daemon's request and answer shapes. */
import type { LoadTestResult } from '../load-test.js';
import type { LoadTestPolicy } from '../rollout.js';
import type { ModelFile, ModelSource } from '../model.js';
import type { ScalingPolicy } from './pool.js';
import type { ProxyTimeouts } from './proxy.js';
import type { RequestLogPolicy } from './request-log.js';
import type { HealthCheck, SampleRequest } from './supervisor.js';
import { DEFAULT_WARMUP_REQUESTS } from './warmup.js';

/** `warm`: the previous version, still running without traffic, while the new one is watched. */
export type VersionStatus = 'starting' | 'serving' | 'warm' | 'draining' | 'stopped' | 'failed';

/** When the proxy switches back to the warm previous version by itself. */
export interface FallbackPolicy {
  /** How long the previous version stays warm and the new one watched (0: no grace, the old one stops at once). */
  graceMs: number;
  /** Share of 5xx answers (and requests the version never answered) above which it falls back. */
  maxErrorRate: number;
  /** p99 latency above which it falls back (none: not checked). */
  maxP99Ms?: number;
  /** Requests needed in the window before the rate and p99 are judged. */
  minRequests: number;
  /** Server crashes within the window that count as a crash loop. */
  maxCrashes: number;
}

export const DEFAULT_FALLBACK: FallbackPolicy = { graceMs: 300_000, maxErrorRate: 0.05, minRequests: 20, maxCrashes: 2 };

/** What a candidate must pass before traffic, beyond the health check. */
export interface CandidateChecks {
  /** Sample requests (the endpoint's declared ones, or --payload files), each answered 2xx within maxLatencyMs. */
  samples: SampleRequest[];
  maxLatencyMs: number;
  /**
   * Sample requests sent to every new replica after its health check and before it takes traffic
   * (warmup.ts; cycling through `samples`; 0: none). Absent in state written before it existed: the default.
   */
  warmupRequests?: number;
  /** The optional load test, against the candidate directly (never live traffic): the deploy policy's (rollout.ts). */
  loadTest?: LoadTestPolicy;
}

export const DEFAULT_CHECKS: CandidateChecks = { samples: [], maxLatencyMs: 1000, warmupRequests: DEFAULT_WARMUP_REQUESTS };

export interface ReplicaRecord {
  /** Process group id (the shell's pid). */
  pid: number;
  port: number;
  /** The REPLICA_MARKER value in its environment. */
  marker: string;
  startedAt: string;
}

export interface VersionState {
  number: number;
  /** Content id of the model version (see ModelVersion.id). */
  modelVersion: string;
  source: ModelSource;
  dir: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  health: HealthCheck;
  scaling: ScalingPolicy;
  fallback: FallbackPolicy;
  checks: CandidateChecks;
  status: VersionStatus;
  /** Running replicas, so that a restarted daemon can adopt or end them. */
  replicas?: ReplicaRecord[];
  /** Why it failed or was rejected. */
  reason?: string;
  /** Crashes in the current crash loop (reset after a healthy minute). */
  restarts?: number;
  lastCrash?: string;
  /**
   * Fewer replicas run than min-replicas (a crashed one not replaced yet, or its restarts failing): the
   * pool keeps starting replicas with a back-off; `failures` counts the failed starts, `lastFailure` is the last one's reason.
   */
  degraded?: DegradedState;
  loadTest?: LoadTestResult;
  createdAt: string;
}

export interface DegradedState {
  replicas: number;
  minReplicas: number;
  failures: number;
  lastFailure?: string;
}

export interface EndpointState {
  deployment: string;
  endpoint: string;
  proxyPort: number;
  url: string;
  /** The version receiving traffic, if any. */
  active?: number;
  /** Versions that served, in order; `rollback` goes back to the newest one that has not failed. */
  history: number[];
  versions: VersionState[];
  timeouts?: Partial<ProxyTimeouts>;
  requestLog?: Partial<RequestLogPolicy>;
  /** The version on probation since a switch, the warm one it falls back to, and when the grace period ends. */
  probation?: Probation;
}

export interface Probation {
  version: number;
  previous: number;
  /** ISO time the grace period ends: a daemon restarting before it keeps `previous` warm until then. */
  until: string;
}

export interface DeploymentsState {
  daemon?: { pid: number; adminPort: number; token: string; startedAt: string };
  endpoints: EndpointState[];
}

export interface LocalDeploySpec {
  deployment: string;
  endpoint: string;
  modelVersion: string;
  source: ModelSource;
  files: ModelFile[];
  script: string;
  cwd: string;
  env?: Record<string, string>;
  health?: Partial<HealthCheck>;
  scaling?: Partial<ScalingPolicy>;
  fallback?: Partial<FallbackPolicy>;
  checks?: Partial<CandidateChecks>;
  timeouts?: Partial<ProxyTimeouts>;
  requestLog?: Partial<RequestLogPolicy>;
  /** Proxy port for a new endpoint (0 or absent: a free one); ignored once the endpoint exists. */
  port?: number;
}

export interface SwitchResult {
  ok: boolean;
  endpoint: EndpointState;
  version: VersionState;
  /** The version that kept (or started) serving, e.g. after a failed check. */
  serving?: number;
  message: string;
}
