/**
 * Rolls a model version out to a cluster and reports only what the cluster shows: a deploy succeeds when
 * the Deployment's rollout is complete AND the Service's Endpoints hold only pods of the new version (plus
 * the stable ones beside a canary), never on "the API accepted the object". Every operation holds the
 * endpoint's Lease, so two deploys of one endpoint cannot interleave.
 *
 * Strategies:
 *   rolling     the `stable` Deployment is updated in place (maxUnavailable 0, preStop: old pods serve
 *               until new ones are ready). After blue-green, `stable` is brought up beside the serving
 *               colour, smoke-tested through its own preview Service, and the Service switched to it.
 *   blue-green  the idle colour gets the new version, is smoke-tested through its own preview Service (a
 *               bounded loop, not one request), the Service selector moves only if that passed, the
 *               Endpoints are checked, and the old colour is scaled to zero after the grace period.
 *   canary      a `canary` Deployment beside the serving one, replicas computed for the share; after a
 *               smoke test it joins the Service, an analysis window measures its error rate and p99, and
 *               it is promoted (its template given to the serving Deployment) or aborted automatically;
 *               `promote`/`reject` do it by hand.
 * Whatever strategy runs, the other tracks are removed (or scaled to zero) before success is reported.
 *
 * On failure the reason is read from the pods and Events (ImagePullBackOff, CrashLoopBackOff with the
 * last exit code and message, probe failures, a smoke test's failing predictions), the previous version
 * is put back, and the outcome is `rolled-back` with that reason (not ok: the requested version is not serving).
 */
import { getErrorMessage } from '../../util/errors.js';
import { ConfigurationError } from '../../util/errors.js';
import type { V1Deployment } from '../../adapters/kube-types.js';
import type { DeployRequest } from '../model.js';
import { canarySplit, describeCanarySplit } from './canary.js';
import { describeKubeError } from './cluster.js';
import type { Revision } from './history.js';
import { deploymentManifest, type Track } from './manifests.js';
import { Rollout, type KubeDeployOptions, type KubeDeployResult, type Release } from './rollout.js';
import { analyse, DEFAULT_ANALYSIS } from './traffic.js';

export type { KubeDeployOptions, KubeDeployResult, KubeOutcome, SmokeTest } from './rollout.js';

/** A live Deployment reduced to what this tool applies (no status, server-set metadata or HPA-owned replicas). */
function releaseOf(live: V1Deployment, version: string): Release {
  const { name, labels, annotations } = live.metadata ?? {};
  return { version, manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { ...(name ? { name } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }, ...(live.spec ? { spec: live.spec } : {}) } };
}

/** The release of what runs on `track` now: its history revision when versions match, else the live object. */
async function currentRelease(r: Rollout, track: Track): Promise<{ release: Release; live: V1Deployment } | undefined> {
  const live = await r.cluster.deployment(r.name(track));
  const version = r.versionOf(live);
  if (!live || !version) return undefined;
  const revision = [...r.history.revisions].reverse().find((h) => h.version === version);
  return { release: revision ? { version, manifest: revision.manifest } : releaseOf(live, version), live };
}

function rolledBack(r: Rollout, release: Release, failure: string, servingVersion: string | undefined, what: string): KubeDeployResult {
  return r.result(false, servingVersion ? 'rolled-back' : 'failed', `deploy of model ${release.version} failed: ${failure}. ${servingVersion ? `${what}: model ${servingVersion} is serving.` : 'There was no previous version to fall back to.'}`, servingVersion, failure);
}

/** One pod of `release` on the canary track (not selected by the Service while rolling), smoke-tested, then removed. */
async function preflightFailure(r: Rollout, release: Release): Promise<string | undefined> {
  await r.removeTracks(['canary']);
  r.step(`preflight: one pod of model ${release.version} beside the serving ones, outside the Service`);
  await r.applyDeployment(release, 'canary', 1);
  await r.applyService(r.previewName('canary'), r.trackSelector('canary'), release.version, true);
  const failure = (await r.waitRollout('canary', release.version)) ?? (await r.waitEndpoints(r.previewName('canary'), { canary: release.version })) ?? (await r.smoke(r.previewName('canary')));
  await r.removeTracks(['canary']);
  return failure;
}

/** Rolling on the `stable` track in place (what Kubernetes' own RollingUpdate does), with automatic rollback. */
async function inPlace(r: Rollout, release: Release, revision: Revision, rollback = false): Promise<KubeDeployResult> {
  const before = await currentRelease(r, 'stable');
  await r.applySupporting('stable');
  await r.applyService(r.name(), r.trackSelector('stable'), release.version);
  if (before && before.release.version !== release.version && r.samples().length > 0) {
    // Preflight: one pod of the new version outside the Service, smoke-tested through its own preview
    // Service, before any pod of it takes traffic. A model that passes its health check but fails
    // predictions is stopped here instead of answering users for the length of a rollout.
    const preflight = await preflightFailure(r, release);
    if (preflight) {
      r.history.mark(revision, 'failed', preflight);
      await r.history.save();
      return rolledBack(r, release, preflight, before.release.version, 'It never took traffic');
    }
  }
  // A canary left running had the stable side resized for its share: back to the size it had before.
  const pendingCanary = r.history.revisions.find((h) => h.status === 'canary');
  if (pendingCanary) r.history.mark(pendingCanary, 'rolled-back', `superseded by model ${release.version}`);
  await r.applyDeployment(release, 'stable', pendingCanary?.primaryReplicas ?? r.replicasOf(before?.live));
  let failure = await r.waitRollout('stable', release.version);
  if (!failure) {
    await r.removeTracks(r.otherTracks(['stable']));
    failure = (await r.waitEndpoints(r.name(), { stable: release.version })) ?? (await r.smoke(r.name()));
  }
  if (!failure) {
    r.history.markServing(revision, rollback ? 'rolled-back' : 'replaced');
    await r.history.save();
    return r.result(true, rollback ? 'rolled-back' : 'deployed', `model ${release.version} ${rollback ? 'restored' : 'deployed'} to ${r.namespace}/${r.name()} (rolling)`, release.version);
  }
  r.history.mark(revision, 'failed', failure);
  await r.history.save();
  if (!before || before.release.version === release.version) {
    if (!before) await r.removeTracks(['stable']);
    return rolledBack(r, release, failure, undefined, '');
  }
  r.step(`roll back ${r.name()} to model ${before.release.version}`);
  await r.applyDeployment(before.release, 'stable', r.replicasOf(before.live));
  const restore = (await r.waitRollout('stable', before.release.version)) ?? (await r.waitEndpoints(r.name(), { stable: before.release.version }));
  if (restore) return r.result(false, 'failed', `deploy of model ${release.version} failed: ${failure}. Rolling back to model ${before.release.version} failed too: ${restore}`, undefined, failure);
  return rolledBack(r, release, failure, before.release.version, 'Rolled back automatically');
}

/**
 * Brings `release` up on track `target` beside the serving `from` track, smoke-tests it through its own
 * preview Service, switches the Service, checks the Endpoints, then retires the other tracks.
 */
async function switchTo(r: Rollout, release: Release, revision: Revision, target: Track, from: Track | undefined, rollback = false): Promise<KubeDeployResult> {
  const fromRelease = from ? await currentRelease(r, from) : undefined;
  const existed = await r.cluster.deployment(r.name(target));
  await r.applyDeployment(release, target, r.opts.options.replicas);
  await r.applyService(r.previewName(target), r.trackSelector(target), release.version, true);
  let failure = await r.waitRollout(target, release.version);
  failure ??= await r.waitEndpoints(r.previewName(target), { [target]: release.version });
  failure ??= await r.smoke(r.previewName(target));
  if (failure) {
    r.history.mark(revision, 'failed', failure);
    await r.history.save();
    // Never switched: the Service still sends everything to `from`.
    if (existed && target !== 'stable') await r.retire(target, 0);
    else await r.removeTracks([target]);
    return rolledBack(r, release, failure, fromRelease?.release.version, `The Service was not switched`);
  }
  await r.applySupporting(target);
  await r.applyService(r.name(), r.trackSelector(target), release.version);
  const switched = await r.waitEndpoints(r.name(), { [target]: release.version });
  if (switched) {
    r.history.mark(revision, 'failed', switched);
    await r.history.save();
    if (from) {
      await r.applySupporting(from);
      await r.applyService(r.name(), r.trackSelector(from), fromRelease?.release.version ?? '');
    }
    return rolledBack(r, release, switched, fromRelease?.release.version, `The Service was switched back to ${from ?? 'nothing'}`);
  }
  // The Service selects only `target` now: the others can go without dropping a request.
  const others = r.otherTracks([target, ...(from && from !== 'stable' && target !== 'stable' ? [from] : [])]);
  await r.removeTracks(others);
  if (from && from !== target && target !== 'stable' && from !== 'stable') await r.retire(from, r.opts.graceSeconds ?? 0);
  r.history.markServing(revision, rollback ? 'rolled-back' : 'replaced');
  await r.history.save();
  return r.result(true, rollback ? 'rolled-back' : 'deployed', `model ${release.version} serving from ${r.name(target)}${from && from !== target ? ` (was ${from}, model ${fromRelease?.release.version ?? '?'})` : ''}`, release.version);
}

async function rolling(r: Rollout, release: Release, revision: Revision, rollback = false): Promise<KubeDeployResult> {
  const primary = await r.primaryTrack();
  if (!primary || primary.track === 'stable') return inPlace(r, release, revision, rollback);
  r.step(`the Service serves ${primary.track}: bring up stable beside it and switch (strategy change)`);
  return switchTo(r, release, revision, 'stable', primary.track, rollback);
}

async function blueGreen(r: Rollout, release: Release, revision: Revision, rollback = false): Promise<KubeDeployResult> {
  const primary = await r.primaryTrack();
  await r.retireExpired(primary?.track);
  const target: Track = primary?.track === 'blue' ? 'green' : 'blue';
  return switchTo(r, release, revision, target, primary?.track, rollback);
}

/** Ends a canary: the Service back on the primary alone, the canary removed, the primary at its former size. */
/**
 * Takes the canary out and gives the primary its replicas back, then waits until the primary's rollout is
 * complete and the Service's Endpoints hold its pods only: "keeps serving" is said once it is true.
 * Returns why that never happened, or undefined.
 */
async function abortCanary(r: Rollout, primary: Track, primaryVersion: string | undefined, replicas: number | undefined): Promise<string | undefined> {
  await r.applyService(r.name(), r.trackSelector(primary), primaryVersion ?? '');
  await r.removeTracks(['canary']);
  if (replicas) await r.cluster.scale(r.name(primary), replicas);
  if (primaryVersion === undefined) return undefined;
  return (await r.waitRollout(primary, primaryVersion)) ?? (await r.waitEndpoints(r.name(), { [primary]: primaryVersion }));
}

async function promoteCanary(r: Rollout, primary: Track, revision: Revision): Promise<KubeDeployResult> {
  const release: Release = { version: revision.version, manifest: revision.manifest };
  const before = await currentRelease(r, primary);
  const replicas = revision.primaryReplicas ?? r.replicasOf(before?.live);
  r.step(`promote canary model ${release.version} into ${r.name(primary)}`);
  await r.applyDeployment(release, primary, replicas);
  let failure = await r.waitRollout(primary, release.version);
  if (!failure) {
    await r.applyService(r.name(), r.trackSelector(primary), release.version);
    await r.removeTracks(r.otherTracks([primary]));
    failure = await r.waitEndpoints(r.name(), { [primary]: release.version });
  }
  if (!failure) {
    r.history.markServing(revision);
    await r.history.save();
    return r.result(true, 'deployed', `canary model ${release.version} promoted to ${r.name(primary)}`, release.version);
  }
  r.history.mark(revision, 'failed', failure);
  await r.history.save();
  if (!before) return rolledBack(r, release, failure, undefined, '');
  await r.applyDeployment(before.release, primary, replicas);
  await r.applyService(r.name(), r.trackSelector(primary), before.release.version);
  await r.removeTracks(['canary']);
  const restore = (await r.waitRollout(primary, before.release.version)) ?? (await r.waitEndpoints(r.name(), { [primary]: before.release.version }));
  if (restore) return r.result(false, 'failed', `promotion of model ${release.version} failed: ${failure}. Rolling back failed too: ${restore}`, undefined, failure);
  return rolledBack(r, release, failure, before.release.version, 'Rolled back automatically');
}

async function canary(r: Rollout, release: Release, revision: Revision): Promise<KubeDeployResult> {
  const primary = await r.primaryTrack();
  if (!primary) {
    r.step('nothing serves yet: the first version is deployed rolling');
    return inPlace(r, release, revision);
  }
  const autoPromote = r.opts.autoPromote ?? true;
  const samples = r.samples();
  if (autoPromote && samples.length === 0) throw new ConfigurationError('a canary promoted automatically needs requests to analyse: give sample-requests in the deploy target or --smoke-body, or deploy it with --no-auto-promote and run `mlops promote`/`reject`');
  const before = await currentRelease(r, primary.track);
  if (!before) throw new ConfigurationError(`the Service serves ${primary.track}, but ${r.name(primary.track)} has no model version label`);
  // A strategy change: nothing but the primary and the canary may serve.
  await r.removeTracks(r.otherTracks([primary.track, 'canary']));
  const options = r.opts.options;
  const replicas = r.replicasOf(before.live);
  const split = canarySplit(options.canaryShare, replicas + 1, Math.max(options.maxReplicas, replicas + 1));
  revision.primaryReplicas = replicas;
  r.step(`canary share: ${describeCanarySplit(split)} beside ${primary.track}`);
  await r.applyDeployment(release, 'canary', split.canary);
  await r.applyService(r.previewName('canary'), r.trackSelector('canary'), release.version, true);
  let failure = (await r.waitRollout('canary', release.version)) ?? (await r.waitEndpoints(r.previewName('canary'), { canary: release.version })) ?? (await r.smoke(r.previewName('canary')));
  if (!failure && split.stable !== replicas) {
    await r.cluster.scale(r.name(primary.track), split.stable);
    r.step(`scale ${r.name(primary.track)} to ${split.stable}`);
    failure = await r.waitRollout(primary.track, before.release.version);
  }
  if (!failure) {
    await r.applyService(r.name(), r.trackSelector(), before.release.version);
    failure = await r.waitEndpoints(r.name(), { [primary.track]: before.release.version, canary: release.version });
  }
  if (!failure) {
    const counts = await r.endpointCounts(r.name());
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    r.step(`canary takes ${counts.get('canary') ?? 0} of ${total} endpoints (${(((counts.get('canary') ?? 0) / Math.max(1, total)) * 100).toFixed(1)}%)`);
    if (samples.length > 0) {
      const analysis = await analyse(await r.sender(r.previewName('canary')), samples, r.opts.smoke?.expectedStatus ?? 200, { ...DEFAULT_ANALYSIS, ...(r.opts.smoke ? { maxP99Ms: r.opts.smoke.maxLatencyMs } : {}), ...r.opts.analysis }, (line) => r.step(line));
      r.step(analysis.summary);
      if (!analysis.ok) failure = analysis.summary;
    }
  }
  if (failure) {
    r.history.mark(revision, 'failed', failure);
    await r.history.save();
    const unsettled = await abortCanary(r, primary.track, before.release.version, replicas);
    if (unsettled) return r.result(false, 'failed', `canary of model ${release.version} aborted: ${failure}. Restoring model ${before.release.version} did not settle: ${unsettled}`, undefined, failure);
    return r.result(false, 'rolled-back', `canary of model ${release.version} aborted: ${failure}. Model ${before.release.version} keeps serving.`, before.release.version, failure);
  }
  if (!autoPromote) {
    r.history.mark(revision, 'canary');
    await r.history.save();
    return r.result(true, 'canary', `canary of model ${release.version}: ${split.canary} pod(s) beside ${split.stable} of model ${before.release.version} (${(split.share * 100).toFixed(1)}%); run promote or reject`, before.release.version);
  }
  return promoteCanary(r, primary.track, revision);
}

async function withRollout(request: DeployRequest, opts: KubeDeployOptions, purpose: string, body: (r: Rollout) => Promise<KubeDeployResult>): Promise<KubeDeployResult> {
  let r: Rollout | undefined;
  try {
    r = await Rollout.open(request, opts, purpose);
    return await body(r);
  } catch (error) {
    throw describeKubeError(error, r?.cluster.client.server ?? 'the cluster');
  } finally {
    await r?.close().catch((error: unknown) => opts.log?.(`could not release the Lease: ${getErrorMessage(error)}`));
  }
}

export async function deployToKubernetes(request: DeployRequest, opts: KubeDeployOptions): Promise<KubeDeployResult> {
  const manifest = deploymentManifest(request, opts.options, 'stable', opts.options.replicas, opts.provenance);
  const release: Release = { version: request.version.id, manifest };
  return withRollout(request, opts, `deploy model ${request.version.id} (${request.strategy})`, async (r) => {
    const revision = r.history.add(release.version, request.strategy, manifest);
    if (request.strategy === 'blue-green') return blueGreen(r, release, revision);
    if (request.strategy === 'canary') return canary(r, release, revision);
    return rolling(r, release, revision);
  });
}

/** Canary verdict by hand: `promote` gives its template to the serving Deployment; `reject` removes it. */
export async function finishCanary(request: DeployRequest, opts: KubeDeployOptions, verdict: 'promote' | 'reject'): Promise<KubeDeployResult> {
  return withRollout(request, opts, `${verdict} the canary`, async (r) => {
    const live = await r.cluster.deployment(r.name('canary'));
    const primary = await r.primaryTrack();
    if (!live || !primary || primary.track === 'canary') throw new ConfigurationError(`no canary ${r.namespace}/${r.name('canary')} to ${verdict}`);
    const version = r.versionOf(live) ?? '';
    const revision = [...r.history.revisions].reverse().find((h) => h.version === version && h.status === 'canary') ?? r.history.add(version, 'canary', releaseOf(live, version).manifest);
    const before = await currentRelease(r, primary.track);
    if (verdict === 'reject') {
      const unsettled = await abortCanary(r, primary.track, before?.release.version, revision.primaryReplicas);
      r.history.mark(revision, 'rolled-back', 'rejected');
      await r.history.save();
      if (unsettled) return r.result(false, 'failed', `canary of model ${version} rejected, but restoring model ${before?.release.version ?? '?'} did not settle: ${unsettled}`, undefined, unsettled);
      return r.result(true, 'rolled-back', `canary of model ${version} rejected; model ${before?.release.version ?? '?'} keeps serving`, before?.release.version);
    }
    return promoteCanary(r, primary.track, revision);
  });
}

/**
 * Manual rollback: back to the newest earlier revision that served (skipping failed and rolled-back ones),
 * by the endpoint's current shape (in place on `stable`, or through the idle colour). Repeatable: each
 * rollback goes one further back.
 */
export async function rollbackKubernetes(request: DeployRequest, opts: KubeDeployOptions): Promise<KubeDeployResult> {
  return withRollout(request, opts, 'roll back', async (r) => {
    const target = r.history.rollbackTarget();
    const current = r.history.serving();
    if (!target) throw new ConfigurationError(`${r.namespace}/${r.name()} has no earlier version that served to roll back to (history: ${r.history.revisions.map((h) => `${h.version} ${h.status}`).join(', ') || 'empty'})`);
    r.step(`roll back from model ${current?.version ?? '?'} to model ${target.version} (revision ${target.revision})`);
    if (await r.cluster.deployment(r.name('canary'))) await r.removeTracks(['canary']);
    const release: Release = { version: target.version, manifest: target.manifest };
    const primary = await r.primaryTrack();
    const result = primary && primary.track !== 'stable' ? await blueGreen(r, release, target, true) : await rolling(r, release, target, true);
    if (!result.ok) return result;
    return { ...result, summary: `rolled back to model ${target.version}${current ? ` (from ${current.version})` : ''}` };
  });
}

