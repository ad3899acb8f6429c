/** The local target from a `DeployRequest`: a spec for the daemon, with the target's options applied. */
import { ConfigurationError } from '../../util/errors.js';
import { serverScript, type DeployRequest } from '../model.js';
import type { LocalDeploySpec } from './manager.js';
import type { HealthCheck } from './supervisor.js';

export interface LocalOptions {
  /** Proxy port for a new endpoint (default: `port` of the deploy target, else a free one). */
  port?: number;
  /** `none` (or `tcp`) checks only that the port accepts connections. */
  healthPath?: string;
  healthTimeoutSeconds?: number;
}

function numberOption(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ConfigurationError(`${name} must be a non-negative number, got '${String(value)}'`);
  return n;
}

export function localSpec(request: DeployRequest, repositoryDir: string, options: LocalOptions = {}): LocalDeploySpec {
  const target = request.target.options;
  const healthPath = options.healthPath ?? (typeof target['health-path'] === 'string' ? target['health-path'] : undefined);
  const timeout = options.healthTimeoutSeconds ?? numberOption(target['health-timeout'], 'health-timeout');
  const port = options.port ?? numberOption(target['port'], 'port');
  const health: Partial<HealthCheck> = {};
  if (healthPath !== undefined) {
    if (healthPath === 'none' || healthPath === 'tcp') health.path = null;
    else if (!healthPath.startsWith('/')) throw new ConfigurationError(`health path must start with '/', got '${healthPath}'`);
    else {
      health.path = healthPath;
      health.tcpFallback = false; // a path the user chose must answer 2xx
    }
  }
  if (timeout !== undefined) health.timeoutMs = timeout * 1000;
  return {
    deployment: request.deployment,
    endpoint: request.endpoint.name,
    modelVersion: request.version.id,
    source: request.version.source,
    files: request.version.files,
    script: serverScript(request.endpoint),
    cwd: repositoryDir,
    health,
    ...(port !== undefined ? { port } : {}),
  };
}
