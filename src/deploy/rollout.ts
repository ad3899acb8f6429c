/**
 * The deploy → load test → rollback policy, once, for every target and both front doors (the deploy
 * action and `mlops deploy`). A target says how to deploy and how to go back; this module decides when the
 * inference performance check runs and what a failure does:
 *
 * - a target that can reach the candidate before it gets traffic (`testsCandidate`: the local target, through
 *   a private proxy over the candidate's replicas) is given the load test and runs it there; a failure
 *   refuses the candidate and the serving version is untouched;
 * - otherwise (Kubernetes today) the load test runs right after the rollout against the URL the target
 *   names, and a failure rolls the target back; the result says what serves then.
 *
 * Target-agnostic on purpose: the Kubernetes rollout (strategies, Lease, promote/reject) plugs in as a
 * `RolloutTarget` without this file knowing about clusters.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeJsonAtomic } from '../util/fs.js';
import { formatLoadTest, runLoadTest, type LoadTestResult } from './load-test.js';

/** The inference performance check: a bounded load test and its limits. */
export interface LoadTestPolicy {
  seconds: number;
  connections: number;
  /** Bodies POSTed in turn (none: GETs). */
  payloads: string[];
  /** Request path on the target's URL, for targets that build the URL themselves (default /predict). */
  path?: string;
  maxP99Ms?: number;
  /** Share of failed requests allowed (default 0). */
  maxErrorRate?: number;
}

/** What every target's deploy and rollback answer, at least. */
export interface TargetResult {
  ok: boolean;
  summary: string;
  /** The load test the target ran on the candidate itself (testsCandidate). */
  loadTest?: LoadTestResult;
}

export interface RolloutTarget<R extends TargetResult> {
  /** Whether `deploy` runs the given load test against the candidate before it gets any traffic. */
  readonly testsCandidate: boolean;
  deploy(loadTest: LoadTestPolicy | undefined): Promise<R>;
  /** Back to what served before the deploy. */
  rollback(): Promise<R>;
  /** Where a load test after the deploy reaches what was deployed; undefined when none can run (e.g. a canary). */
  liveUrl(result: R): string | undefined;
}

export interface RolloutOptions {
  loadTest?: LoadTestPolicy;
  /** Where the load test's figures are written (JSON, atomically), with the model version. */
  record?: { path: string; modelVersion: string };
  log?: (line: string) => void;
}

export interface RolloutResult<R extends TargetResult> {
  ok: boolean;
  summary: string;
  /** The deploy's result, and the rollback's when the load test failed after the switch. */
  deployed: R;
  rolledBack?: R;
  loadTest?: LoadTestResult;
  /** Where the load test ran: on the candidate before traffic, or on the live URL after the rollout. */
  loadTestWhen?: 'before-traffic' | 'after-rollout';
}

/** Runs the load test at `url` and judges it against the policy. */
export function performanceCheck(url: string, policy: LoadTestPolicy): Promise<LoadTestResult> {
  return runLoadTest({
    url,
    payloads: policy.payloads,
    durationMs: policy.seconds * 1000,
    connections: policy.connections,
    maxErrorRate: policy.maxErrorRate ?? 0,
    ...(policy.maxP99Ms !== undefined ? { maxP99Ms: policy.maxP99Ms } : {}),
  });
}

/** Deploys through `target` under the policy (see the top of this file). */
export async function rollOut<R extends TargetResult>(target: RolloutTarget<R>, options: RolloutOptions = {}): Promise<RolloutResult<R>> {
  const { loadTest } = options;
  const deployed = await target.deploy(target.testsCandidate ? loadTest : undefined);
  if (target.testsCandidate) {
    if (deployed.loadTest) await record(options, deployed.loadTest);
    return { ok: deployed.ok, summary: deployed.summary, deployed, ...(deployed.loadTest ? { loadTest: deployed.loadTest, loadTestWhen: 'before-traffic' as const } : {}) };
  }
  const url = deployed.ok && loadTest ? target.liveUrl(deployed) : undefined;
  if (!loadTest || url === undefined) return { ok: deployed.ok, summary: deployed.summary, deployed };
  const measured = await performanceCheck(url, loadTest);
  options.log?.(`inference performance (after the rollout): ${formatLoadTest(measured)}`);
  await record(options, measured);
  if (measured.ok) return { ok: true, summary: deployed.summary, deployed, loadTest: measured, loadTestWhen: 'after-rollout' };
  const back = await target.rollback();
  const summary = `inference performance check failed (${measured.failures.join('; ')}); ${back.ok ? back.summary : `rollback failed: ${back.summary}`}`;
  return { ok: false, summary, deployed, rolledBack: back, loadTest: measured, loadTestWhen: 'after-rollout' };
}

async function record(options: RolloutOptions, measured: LoadTestResult): Promise<void> {
  if (!options.record) return;
  await mkdir(dirname(options.record.path), { recursive: true });
  await writeJsonAtomic(options.record.path, { modelVersion: options.record.modelVersion, ...measured });
}
