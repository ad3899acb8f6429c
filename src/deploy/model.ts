/**
 * The deploy model every target codes against: an endpoint (from the pipeline file) plus a model
 * version (checksummed files) plus a target and a strategy. The local target, the Kubernetes target
 * and the GitHub Deployments record all take a `DeployRequest`.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import type { Endpoint, PipelineConfig, SourcePosition } from '../pipeline/model.js';
import { shellQuote } from '../util/shell.js';
import { ContentStore, hashFile } from '../store/content-store.js';
import { loadRun, projectPaths, type DeploymentRecord, type RunRecord } from '../store/runs.js';
import { ConfigurationError } from '../util/errors.js';

import { DEPLOY_STRATEGIES, type DeployStrategy } from './strategy.js';

export { DEPLOY_STRATEGIES, type DeployStrategy };

/** One model file of a version; `location` is where its bytes are now (store object or folder file). */
export interface ModelFile {
  /** The endpoint's `files[].name`. */
  name: string;
  /** Where the endpoint expects it, relative to the version folder (endpoint `files[].path`). */
  path: string;
  sha256: string;
  size: number;
  location: string;
}

export type ModelSource =
  | { kind: 'run'; runId: string; node: string; pipeline: string }
  | { kind: 'folder'; path: string };

/** A model version: content-addressed, so the same files always give the same `id`. */
export interface ModelVersion {
  /** First 12 hex digits of the sha256 over the sorted `path:sha256` lines. */
  id: string;
  endpoint: string;
  files: ModelFile[];
  source: ModelSource;
  /** Git commit of the run's repository when known (labels/annotations, GitHub payload). */
  commit?: string;
}

/** Where and how: from `x-mlops.deploy-targets.<deployment>`, the deployment's defaults, or flags. */
export interface DeployTarget {
  kind: 'local' | 'kubernetes';
  options: Record<string, unknown>;
  /** Where each option was written (dotted key → position), when it came from a pipeline file. */
  positions?: Record<string, SourcePosition>;
}

export interface DeployRequest {
  deployment: string;
  endpoint: Endpoint;
  version: ModelVersion;
  target: DeployTarget;
  strategy: DeployStrategy;
}

const NAME = /^[a-z][a-z0-9-]*$/;

export function checkName(kind: string, name: string): string {
  if (!NAME.test(name) || name.length > 50) {
    throw new ConfigurationError(`${kind} name '${name}' must be lowercase letters, digits and '-', starting with a letter (max 50)`);
  }
  return name;
}

export function versionId(files: { path: string; sha256: string }[]): string {
  const lines = files.map((f) => `${f.path}:${f.sha256}`).sort().join('\n');
  return createHash('sha256').update(lines).digest('hex').slice(0, 12);
}

/** A relative path that stays inside its folder (no `..`, not absolute). */
export function safeRelativePath(path: string, what: string): string {
  const normal = normalize(path);
  if (path === '' || isAbsolute(path) || normal === '..' || normal.startsWith(`..${sep}`)) {
    throw new ConfigurationError(`${what} '${path}' must be a relative path inside its folder`);
  }
  return normal;
}

export function findEndpoint(config: PipelineConfig, name: string | undefined): Endpoint {
  const endpoints = [...config.endpoints.values()];
  if (name === undefined) {
    const only = endpoints[0];
    if (endpoints.length === 1 && only) return only;
    throw new ConfigurationError(
      endpoints.length === 0 ? `${config.file} declares no endpoint` : `choose an endpoint with --endpoint: ${endpoints.map((e) => e.name).join(', ')}`,
    );
  }
  const endpoint = config.endpoints.get(name);
  if (!endpoint) throw new ConfigurationError(`no endpoint '${name}' in ${config.file} (have: ${endpoints.map((e) => e.name).join(', ') || 'none'})`);
  return endpoint;
}

/** The target of a deployment: `x-mlops.deploy-targets.<name>`, else `deployment.defaults.target`, else local. */
export function targetFor(config: PipelineConfig | undefined, deployment: string, kindOverride?: string): DeployTarget {
  const declared = config?.mlops.deployTargets[deployment] ?? {};
  const defaultsTarget = config?.deployments.get(deployment)?.defaults['target'];
  const kind = kindOverride ?? declared['kind'] ?? (defaultsTarget === 'kubernetes' ? 'kubernetes' : 'local');
  if (kind !== 'local' && kind !== 'kubernetes') throw new ConfigurationError(`deploy target kind must be local or kubernetes, got '${String(kind)}'`);
  const positions = config?.mlops.deployTargetPositions?.[deployment];
  return { kind, options: declared, ...(positions ? { positions } : {}) };
}

export function parseStrategy(value: unknown): DeployStrategy {
  if (value === undefined) return 'rolling';
  if (typeof value === 'string' && (DEPLOY_STRATEGIES as readonly string[]).includes(value)) return value as DeployStrategy;
  throw new ConfigurationError(`strategy must be one of ${DEPLOY_STRATEGIES.join(', ')}, got '${String(value)}'`);
}

/** The deployment record of a run that deploys `endpoint` (or the only one), with its run. */
export function pickDeploymentRecord(run: RunRecord, endpoint: string | undefined, node?: string): DeploymentRecord {
  const records = (run.deployments ?? []).filter(
    (d) => (node === undefined || d.node === node) && (endpoint === undefined || d.endpoints.includes(endpoint) || d.files.some((f) => f.endpoint === endpoint)),
  );
  const first = records[0];
  if (!first) {
    throw new ConfigurationError(
      `run ${run.id} has no succeeded deployment node${endpoint ? ` for endpoint ${endpoint}` : ''} (run a pipeline with a deployment node, or use --folder)`,
    );
  }
  if (records.length > 1) throw new ConfigurationError(`run ${run.id} has several deployment nodes (${records.map((r) => r.node).join(', ')}); choose one with --node`);
  return first;
}

/** The model version a run's deployment node recorded: files from the content store, checksums verified later on placement. */
export async function modelVersionFromRun(
  projectDir: string,
  runIdOrLatest: string,
  endpoint: Endpoint,
  node?: string,
): Promise<{ version: ModelVersion; record: DeploymentRecord; run: RunRecord }> {
  const run = await loadRun(projectDir, runIdOrLatest);
  const record = pickDeploymentRecord(run, endpoint.name, node);
  const store = new ContentStore(projectPaths(projectDir).storeDir);
  const files: ModelFile[] = [];
  for (const declared of endpoint.files) {
    const file = record.files.find((f) => f.endpoint === endpoint.name && f.name === declared.name);
    if (!file) throw new ConfigurationError(`run ${run.id} node ${record.node} gives no file '${declared.name}' to endpoint ${endpoint.name}`);
    files.push({
      name: declared.name,
      path: safeRelativePath(declared.path, `endpoint ${endpoint.name} file path`),
      sha256: file.sha256,
      size: file.size,
      location: store.pathOf(file.sha256),
    });
  }
  return {
    version: {
      id: versionId(files),
      endpoint: endpoint.name,
      files,
      source: { kind: 'run', runId: run.id, node: record.node, pipeline: run.pipeline },
    },
    record,
    run,
  };
}

/** A model version from a folder holding the endpoint's files at their declared paths (symlinks refused). */
export async function modelVersionFromFolder(folder: string, endpoint: Endpoint): Promise<ModelVersion> {
  const root = resolve(folder);
  const files: ModelFile[] = [];
  const names = new Set(await readdir(root).catch(() => {
    throw new ConfigurationError(`cannot read model folder ${root}`);
  }));
  for (const declared of endpoint.files) {
    const path = safeRelativePath(declared.path, `endpoint ${endpoint.name} file path`);
    // Accept the file at its declared path, or under its name, so a plain folder of outputs works too.
    const candidates = [path, declared.name].filter((p, i, all) => all.indexOf(p) === i);
    let location: string | undefined;
    for (const candidate of candidates) {
      const absolute = join(root, candidate);
      if (relative(root, absolute).startsWith('..')) continue;
      const info = await lstat(absolute).catch(() => undefined);
      if (info?.isSymbolicLink()) throw new ConfigurationError(`model file ${absolute} is a symbolic link; give a regular file`);
      if (info?.isFile()) {
        location = absolute;
        break;
      }
    }
    if (!location) {
      throw new ConfigurationError(`model folder ${root} has no ${candidates.join(' or ')} for endpoint ${endpoint.name} file '${declared.name}' (has: ${[...names].join(', ') || 'nothing'})`);
    }
    const hashed = await hashFile(location);
    files.push({ name: declared.name, path, sha256: hashed.sha256, size: hashed.size, location });
  }
  return { id: versionId(files), endpoint: endpoint.name, files, source: { kind: 'folder', path: root } };
}

/** The endpoint's server command as one `/bin/sh` script, the way a step's command list is run. */
export function serverScript(endpoint: Endpoint): string {
  if (endpoint.serverCommand && endpoint.serverCommand.length > 0) return endpoint.serverCommand.join('\n');
  if (endpoint.wsgi) {
    // A WSGI endpoint is `module:app`; gunicorn is what Valohai runs it with.
    // Bound to $HOST: 127.0.0.1 locally (nothing else on the machine reaches it), 0.0.0.0 in a pod, where the
    // kubelet's probes and the Service arrive on the pod's own address.
    return `exec gunicorn --bind "\${HOST:-127.0.0.1}:$PORT" ${shellQuote(endpoint.wsgi)}`;
  }
  throw new ConfigurationError(`endpoint ${endpoint.name} has neither server-command nor wsgi`);
}

