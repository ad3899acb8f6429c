/**
 * The manifest a node's artifact carries: what the node was (pipeline, node, step, parameters, commit)
 * and every file it holds with size and sha256, so a downstream job can verify what it downloaded.
 */
import { readFile } from 'node:fs/promises';
import type { ExecutionStatus, MetadataEvent } from '../store/records.js';
import type { ParameterValue } from '../pipeline/model.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';

/** File name of the manifest at the root of every node artifact. */
export const MANIFEST_FILE_NAME = 'manifest.json';

export interface ManifestFile {
  /** Relative to the artifact root, `/`-separated; never absolute, never `..`. */
  path: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
}

/**
 * `reused`: the node was not run because the cache held its outputs; `skipped`: nothing ran (an upstream
 * node failed, the pipeline stopped, or an action stopped the node before it started).
 */
export type NodeStatus = ExecutionStatus | 'reused' | 'skipped';

export interface NodeManifest {
  version: 1;
  pipeline: string;
  node: string;
  step: string;
  /** Task variant (execution id of the variant) when the node is a task. */
  variant?: string;
  executionId: string;
  parameters: Record<string, ParameterValue>;
  commit?: string;
  files: ManifestFile[];
  metadata: { latest: Record<string, unknown>; events: MetadataEvent[] };
  status: NodeStatus;
  reuseKey?: string;
}

const NODE_STATUSES: readonly NodeStatus[] = ['succeeded', 'failed', 'timed-out', 'stopped', 'cancelled', 'reused', 'skipped'];

/**
 * Whether a manifest path stays inside the artifact: relative, `/`-separated, no `.`/`..`/empty
 * segments, no backslashes or NUL (a Windows separator or a truncating byte could escape elsewhere).
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || /^[A-Za-z]:/.test(path)) return false;
  if (path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isParameterValue(value: unknown): value is ParameterValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.every(isParameterValue);
}

/**
 * Checks an untyped value against the manifest schema; returns the first problem found, or the typed
 * manifest. `source` names where it came from in messages.
 */
export function parseManifest(value: unknown, source: string): NodeManifest {
  const fail = (problem: string): never => {
    throw new ConfigurationError(`Invalid node manifest ${source}: ${problem}`);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (value['version'] !== 1) return fail(`unsupported version ${JSON.stringify(value['version'])} (expected 1)`);
  for (const key of ['pipeline', 'node', 'step', 'executionId'] as const) {
    if (typeof value[key] !== 'string' || value[key] === '') fail(`"${key}" must be a non-empty string`);
  }
  for (const key of ['variant', 'commit', 'reuseKey'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') fail(`"${key}" must be a string when present`);
  }
  const parameters = value['parameters'];
  if (!isRecord(parameters)) return fail('"parameters" must be an object');
  for (const [name, parameterValue] of Object.entries(parameters)) {
    if (!isParameterValue(parameterValue)) fail(`parameter "${name}" has an unsupported value`);
  }
  const status = value['status'];
  if (typeof status !== 'string' || !(NODE_STATUSES as readonly string[]).includes(status)) {
    fail(`"status" must be one of ${NODE_STATUSES.join(', ')}`);
  }
  const files = value['files'];
  if (!Array.isArray(files)) return fail('"files" must be an array');
  const seen = new Set<string>();
  files.forEach((file: unknown, index) => {
    if (!isRecord(file)) return fail(`files[${index}] must be an object`);
    const path = file['path'];
    if (typeof path !== 'string' || !isSafeRelativePath(path)) {
      return fail(`files[${index}].path ${JSON.stringify(path)} escapes the artifact (absolute, "..", or empty segment)`);
    }
    if (path === MANIFEST_FILE_NAME) fail(`files[${index}] lists the manifest itself`);
    if (seen.has(path)) fail(`files[${index}].path "${path}" is listed twice`);
    seen.add(path);
    const size = file['size'];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      fail(`files[${index}].size must be a non-negative integer`);
    }
    const sha256 = file['sha256'];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      fail(`files[${index}].sha256 must be 64 lowercase hex digits`);
    }
  });
  const metadata = value['metadata'];
  if (!isRecord(metadata) || !isRecord(metadata['latest']) || !Array.isArray(metadata['events'])) {
    return fail('"metadata" must be { latest: object, events: array }');
  }
  metadata['events'].forEach((event: unknown, index) => {
    if (!isRecord(event) || typeof event['time'] !== 'string' || !isRecord(event['values'])) {
      fail(`metadata.events[${index}] must be { time: string, values: object }`);
    }
  });
  // Every field was checked above; the cast only tells the compiler so.
  return value as unknown as NodeManifest;
}

export async function writeManifest(path: string, manifest: NodeManifest): Promise<void> {
  // Validate before writing so a producer can never publish a manifest its consumers would reject.
  parseManifest(manifest, `for node "${manifest.node}"`);
  await writeJsonAtomic(path, manifest);
}

export async function readManifest(path: string, source = path): Promise<NodeManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Cannot read node manifest ${source}: ${getErrorMessage(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`Invalid node manifest ${source}: not valid JSON (${getErrorMessage(error)})`);
  }
  return parseManifest(value, source);
}
