/**
 * Execution reuse: an execution whose step definition, rendered command, parameters, image, input
 * checksums, environment, node name and code version (the repository's tracked files as they are on
 * disk, code-version.ts) equal those of an earlier successful one is not run again; its outputs and
 * metadata are taken. Container mode is folded in by `containerReuseKey` (container.ts).
 *
 * The key is pure and deterministic (sha256 of canonical JSON with sorted keys, no paths, times or
 * machine names), so a GitHub runner computes the same key for the same work.
 *
 * Policy: locally reuse is ON by default, whatever the pipeline's `reuse-executions` says — that is what
 * makes an unchanged second run instant. `--no-reuse` turns it off. Steps that are not deterministic
 * (unseeded randomness, network reads) should be run with `--no-reuse` or get a changing parameter.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParameterValue, Step } from '../pipeline/model.js';
import type { MetadataEvent, OutputFile } from './types.js';
import { writeFileAtomicSync } from '../util/fs.js';
import { CorruptObjectError, type ContentStore } from '../store/content-store.js';

export interface ReuseKeyInput {
  stepDefinition: Step;
  renderedCommand: string;
  parameters: Record<string, ParameterValue>;
  image: string;
  /** Input name → its files' relative paths and checksums (URLs without a checksum use the URL). */
  inputChecksums: Record<string, { relativePath: string; sha256: string }[]>;
  /**
   * The environment given to the step besides the allow-list and VH_* (step defaults, forwarded
   * variables, edges); secret values arrive as digests. Omitted from the key when empty.
   */
  environment?: Record<string, string>;
  /** The code version of the repository (code-version.ts): editing code re-runs what depends on it. */
  codeVersion: string;
  /** The pipeline node: the command may read `VH_PIPELINE_NODE_ID`, so two nodes never share a result. */
  node: string;
}

/** Text already in canonical form, placed as it is by `canonicalJson`. */
class CanonicalText {
  constructor(readonly text: string) {}
}

/** JSON with object keys sorted at every level; `undefined` members are dropped like JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value instanceof CanonicalText) return value.text;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Removes what changes without changing the work: source positions (moving a step in the file). */
function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === 'position') continue;
      out[k] = withoutPositions(v);
    }
    return out;
  }
  return value;
}

export const REUSE_KEY_VERSION = 2;

/**
 * A step's canonical text without positions, made once per step object: every variant of a task node
 * (2,000 of them) has the same step, and serialising it was most of planning one. Steps are not
 * changed once loaded.
 */
const canonicalSteps = new WeakMap<Step, CanonicalText>();

function canonicalStep(step: Step): CanonicalText {
  let text = canonicalSteps.get(step);
  if (!text) {
    text = new CanonicalText(canonicalJson(withoutPositions(step)));
    canonicalSteps.set(step, text);
  }
  return text;
}

export function reuseKey(input: ReuseKeyInput): string {
  const inputs: Record<string, { relativePath: string; sha256: string }[]> = {};
  for (const [name, files] of Object.entries(input.inputChecksums)) {
    inputs[name] = [...files]
      .map((f) => ({ relativePath: f.relativePath, sha256: f.sha256 }))
      .sort((a, b) => (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0));
  }
  const payload: Record<string, unknown> = {
    version: REUSE_KEY_VERSION,
    step: canonicalStep(input.stepDefinition),
    command: input.renderedCommand,
    parameters: input.parameters,
    image: input.image,
    inputs,
    code: input.codeVersion,
    node: input.node,
  };
  if (input.environment && Object.keys(input.environment).length > 0) payload['environment'] = input.environment;
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/** What the reuse index remembers about a successful execution. */
export interface ReuseEntry {
  key: string;
  runId: string;
  node: string;
  executionId: string;
  outputs: OutputFile[];
  latestMetadata: Record<string, unknown>;
  metadata: MetadataEvent[];
  command: string;
  logPath: string;
  finishedAt: string;
}

const KEY = /^[0-9a-f]{64}$/;

export async function lookupReuse(reuseDir: string, key: string): Promise<ReuseEntry | undefined> {
  if (!KEY.test(key)) return undefined;
  const path = join(reuseDir, `${key}.json`);
  // Most lookups of a first run miss: a synchronous stat says so without the failing read's exception
  // and threadpool round trip (2,000 variants, 2,000 misses).
  try {
    if (statSync(path, { throwIfNoEntry: false }) === undefined) return undefined;
    const entry = JSON.parse(await readFile(path, 'utf8')) as ReuseEntry;
    return entry.key === key ? entry : undefined;
  } catch {
    return undefined;
  }
}

export async function recordReuse(reuseDir: string, entry: ReuseEntry): Promise<void> {
  if (!KEY.test(entry.key)) throw new Error(`invalid reuse key ${entry.key}`);
  // Published like every record (temp file, then rename), with synchronous calls: util/fs.ts says why.
  writeFileAtomicSync(join(reuseDir, `${entry.key}.json`), `${JSON.stringify(entry, null, 2)}\n`);
}

/**
 * Why the outputs of a reusable result cannot be handed out (an object missing, or changed on disk and
 * so quarantined), undefined when every one is intact. One stat per object unless it was touched.
 */
export async function unusableOutputs(store: ContentStore, outputs: OutputFile[]): Promise<string | undefined> {
  for (const output of outputs) {
    try {
      await store.check(output.sha256, output.size);
    } catch (error) {
      if (error instanceof CorruptObjectError) return `output ${output.path}: ${error.message}`;
      throw error;
    }
  }
  return undefined;
}
