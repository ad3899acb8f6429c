/**
 * Why a rollout did not become ready, in the words an operator would look for: the reason a container
 * waits (ImagePullBackOff, CrashLoopBackOff with the last exit code and termination message,
 * CreateContainerConfigError), a failed init container (the model download or checksum), probe
 * failures from the pod's Events, a pod that cannot be scheduled, or a ReplicaSet that may not create
 * pods at all (quota, Pod Security). Read from pod statuses first, then Events.
 */
import type { CoreV1Event, V1Pod } from '../../adapters/kube-types.js';
import type { Cluster } from './cluster.js';

type ContainerStatus = NonNullable<NonNullable<V1Pod['status']>['containerStatuses']>[number];

const WAITING_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

function oneLine(text: string | undefined, max = 240): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** What is wrong with one container, or undefined when nothing is. */
export function containerProblem(status: ContainerStatus, init: boolean): string | undefined {
  const kind = init ? 'init container' : 'container';
  const waiting = status.state?.waiting;
  const last = status.lastState?.terminated;
  const lastText = last ? ` (last exit code ${last.exitCode}${last.reason && last.reason !== 'Error' ? `, ${last.reason}` : ''}${last.message ? `: ${oneLine(last.message)}` : ''})` : '';
  if (waiting?.reason && WAITING_FAILURES.has(waiting.reason)) {
    const detail = waiting.reason === 'CrashLoopBackOff' ? lastText : waiting.message ? `: ${oneLine(waiting.message)}` : '';
    return `${kind} ${status.name} ${waiting.reason}${detail}${waiting.reason === 'CrashLoopBackOff' ? `, restarted ${status.restartCount} time(s)` : ''}`;
  }
  const terminated = status.state?.terminated;
  if (terminated && terminated.exitCode !== 0) {
    return `${kind} ${status.name} exited with code ${terminated.exitCode}${terminated.reason && terminated.reason !== 'Error' ? ` (${terminated.reason})` : ''}${terminated.message ? `: ${oneLine(terminated.message)}` : ''}`;
  }
  if (!init && status.restartCount > 0 && last && last.exitCode !== 0) return `${kind} ${status.name} keeps crashing, restarted ${status.restartCount} time(s)${lastText}`;
  return undefined;
}

/** Problems visible in a pod's status alone. */
export function podProblems(pod: V1Pod): string[] {
  const found: string[] = [];
  const status = pod.status ?? {};
  for (const c of status.initContainerStatuses ?? []) {
    const problem = containerProblem(c, true);
    if (problem) found.push(problem);
  }
  for (const c of status.containerStatuses ?? []) {
    const problem = containerProblem(c, false);
    if (problem) found.push(problem);
  }
  const unschedulable = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unschedulable) found.push(`cannot be scheduled: ${oneLine(unschedulable.message ?? unschedulable.reason)}`);
  return found;
}

/** Warning Events worth naming (probe failures, pull errors, failed mounts), newest last, without repeats. */
export function eventProblems(events: CoreV1Event[]): string[] {
  const wanted = new Set(['Unhealthy', 'Failed', 'FailedCreate', 'FailedMount', 'FailedScheduling', 'BackOff', 'FailedCreatePodSandBox']);
  const sorted = [...events].filter((e) => e.type === 'Warning' && wanted.has(e.reason ?? '')).sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const e of sorted) {
    const text = `${e.reason}: ${oneLine(e.message)}`;
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(e.count && e.count > 1 ? `${text} (×${e.count})` : text);
  }
  return out;
}

/**
 * The reason the pods with `labels` (one version of one track) are not ready, as one line naming the
 * first pods' problems; `deployment` names the Deployment whose ReplicaSets' Events are read when no pod exists.
 */
export async function diagnose(cluster: Cluster, labels: Record<string, string>, deployment: string): Promise<string | undefined> {
  const pods = (await cluster.pods(labels)).filter((p) => !p.metadata?.deletionTimestamp);
  const reasons: string[] = [];
  for (const pod of pods.slice(0, 3)) {
    const name = pod.metadata?.name ?? '?';
    const problems = podProblems(pod);
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (problems.length === 0 && !ready) {
      // Running but not ready: the Events say why (a readiness or startup probe failing).
      const events = eventProblems(await cluster.events('Pod', name));
      problems.push(...events.slice(-2));
      if (events.length === 0) problems.push(`not ready (phase ${pod.status?.phase ?? 'unknown'})`);
    }
    if (problems.length > 0) reasons.push(`pod ${name}: ${problems.join('; ')}`);
  }
  if (pods.length === 0) {
    // No pods at all: the ReplicaSet could not create them (quota, Pod Security admission, a bad template).
    const sets = await cluster.client.list<{ metadata?: { name?: string } }>(cluster.path('ReplicaSet'), { labelSelector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') });
    for (const set of sets.items) {
      const events = eventProblems(await cluster.events('ReplicaSet', set.metadata?.name ?? ''));
      if (events.length > 0) reasons.push(`ReplicaSet ${set.metadata?.name ?? '?'}: ${events.slice(-1).join('; ')}`);
    }
    if (reasons.length === 0) reasons.push(`no pods of ${deployment} exist`);
  }
  return reasons.length > 0 ? reasons.join(' | ') : undefined;
}
