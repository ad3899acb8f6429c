/**
 * From command-line/action options to a `DeployRequest`: which pipeline file, endpoint, model version
 * (a run's deployment record or a folder), deployment, target and strategy. Shared by `mlops deploy`
 * and `actions/deploy`.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatDiagnostic } from '../pipeline/diagnostics.js';
import { loadPipelineFile } from '../pipeline/load.js';
import type { PipelineConfig } from '../pipeline/model.js';
import { repositoryRoot } from '../store/project.js';
import { listRuns, loadRun } from '../store/runs.js';
import { ConfigurationError } from '../util/errors.js';
import { checkName, findEndpoint, modelVersionFromFolder, modelVersionFromRun, parseStrategy, targetFor, type DeployRequest } from './model.js';

export interface ResolveOptions {
  projectDir: string;
  /** Pipeline file; default: the run's file with `run`, else ./valohai.yaml. */
  file?: string;
  /** Run id, prefix or `latest`. */
  run?: string;
  folder?: string;
  endpoint?: string;
  deployment?: string;
  node?: string;
  target?: string;
  strategy?: string;
}

export interface ResolvedDeploy {
  request: DeployRequest;
  config: PipelineConfig;
  /** Where the server command runs (the repository root, as for steps). */
  repositoryDir: string;
}

export async function loadConfig(file: string): Promise<PipelineConfig> {
  if (!existsSync(file)) throw new ConfigurationError(`no pipeline file ${file}`);
  const loaded = await loadPipelineFile(file);
  if (!loaded.config) throw new ConfigurationError(`cannot load ${file}:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  return loaded.config;
}

export async function resolveDeploy(options: ResolveOptions): Promise<ResolvedDeploy> {
  if ((options.run === undefined) === (options.folder === undefined)) {
    throw new ConfigurationError('give the model version with exactly one of --run RUN (a run id or latest) or --folder DIR');
  }
  if (options.run !== undefined) {
    // The run names its own pipeline file; load it once to know the endpoint, then read its record.
    // `latest` means the newest run that deployed something: a batch run since then deploys nothing.
    const run =
      options.run === 'latest'
        ? ((await listRuns(options.projectDir)).reverse().find((r) => (r.deployments ?? []).length > 0) ?? (await loadRun(options.projectDir, 'latest')))
        : await loadRun(options.projectDir, options.run);
    const file = resolve(options.file ?? run.file);
    const config = await loadConfig(file);
    const endpoint = findEndpoint(config, options.endpoint ?? soleRecordedEndpoint(run.deployments ?? [], options.node));
    const { version, record } = await modelVersionFromRun(options.projectDir, run.id, endpoint, options.node);
    const deployment = checkName('deployment', options.deployment ?? record.deployment);
    return {
      request: { deployment, endpoint, version, target: targetFor(config, deployment, options.target), strategy: parseStrategy(options.strategy ?? config.mlops.deployTargets[deployment]?.['strategy']) },
      config,
      repositoryDir: run.request?.repositoryDir ?? repositoryRoot(dirname(file)),
    };
  }
  const file = resolve(options.file ?? 'valohai.yaml');
  const config = await loadConfig(file);
  const endpoint = findEndpoint(config, options.endpoint);
  const version = await modelVersionFromFolder(options.folder ?? '.', endpoint);
  const declared = [...config.deployments.keys()];
  const deployment = checkName('deployment', options.deployment ?? (declared.length === 1 && declared[0] ? declared[0] : endpoint.name));
  return {
    request: { deployment, endpoint, version, target: targetFor(config, deployment, options.target), strategy: parseStrategy(options.strategy ?? config.mlops.deployTargets[deployment]?.['strategy']) },
    config,
    repositoryDir: repositoryRoot(dirname(file)),
  };
}

function soleRecordedEndpoint(records: { node: string; endpoints: string[]; files: { endpoint: string }[] }[], node: string | undefined): string | undefined {
  const names = new Set(records.filter((r) => node === undefined || r.node === node).flatMap((r) => [...r.endpoints, ...r.files.map((f) => f.endpoint)]));
  return names.size === 1 ? [...names][0] : undefined;
}

/**
 * Names only, for operations on what already runs (rollback, promote, reject): the endpoint and
 * deployment from the pipeline file, with no model version (its id is empty and it has no files).
 */
export async function resolveExisting(options: Omit<ResolveOptions, 'run' | 'folder' | 'node'>): Promise<ResolvedDeploy> {
  const file = resolve(options.file ?? 'valohai.yaml');
  const config = await loadConfig(file);
  const endpoint = findEndpoint(config, options.endpoint);
  const declared = [...config.deployments.keys()];
  const deployment = checkName('deployment', options.deployment ?? (declared.length === 1 && declared[0] ? declared[0] : endpoint.name));
  return {
    request: {
      deployment,
      endpoint,
      version: { id: '', endpoint: endpoint.name, files: [], source: { kind: 'folder', path: '' } },
      target: targetFor(config, deployment, options.target),
      strategy: parseStrategy(options.strategy ?? config.mlops.deployTargets[deployment]?.['strategy']),
    },
    config,
    repositoryDir: repositoryRoot(dirname(file)),
  };
}
