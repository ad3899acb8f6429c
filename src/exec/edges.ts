/**
 * Resolving a node's incoming edges into what its executions receive (FORMAT §3.3, §3.5).
 *
 * - `X.output.<glob>` → `Y.input.<name>`: X's output files whose path relative to `outputs/` matches the
 *   glob like Python's fnmatch, as Valohai's edges do (`*` crosses `/`; pipeline/fnmatch.ts). An edge
 *   that matches no output of its source is a warning. Files land per `keep-directories`
 *   (input-layout.ts).
 * - `X.input.<name-or-glob>` → `Y.input.<name>`: the files X's matching inputs received.
 * - Several edges (or a task node's several executions) may fill one input; files accumulate.
 *   **Name collisions:** two different files of one source execution that would land on the same path
 *   (Valohai flattens with `keep-directories: none`) fail the node with a message naming both. Between
 *   different sources (a task node's children each writing `model.pkl`), every file of that input is
 *   placed under a folder named after its source: `<node>/` for a node with one execution, `<node>-<n>/`
 *   (n counting from 0) for a task node's children. The same file arriving twice is kept once.
 * - `edge-merge-mode`: `replace` (default) drops the input's defaults when an edge fills it, `append`
 *   keeps them and adds the edge files.
 * - `X.parameter.<p>` / `X.metadata.<key>` → `Y.parameter.<q>`: the value (metadata: the last value).
 *   From a node with several executions the values form a list, which spreads into variants on a task
 *   node.
 * - `X.output.<glob>` → `D.file.<endpoint>.<file>`: a deployment node's endpoint file (exactly one match).
 * - `X.environment-variable.<V>` → `Y.environment-variable.<W>`, `D.deployment.id|version_id` →
 *   `Y.parameter.<q>`, and `dependency` edges (ordering only).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { Input, ParameterValue, Pipeline } from '../pipeline/model.js';
import type { InputFile, OutputFile } from './types.js';
import type { ExecutionRecord, RecordedInputFile } from '../store/runs.js';
import { hashFile } from '../store/content-store.js';
import { ConfigurationError } from '../util/errors.js';
import { fnmatcher } from '../pipeline/fnmatch.js';
import { checkInputCollisions, globRoot, placeInputFile, placeLocalFolderFile } from './input-layout.js';

/** What a finished upstream node offers to its dependents. Only succeeded executions are used. */
export interface UpstreamOutcome {
  executions: ExecutionRecord[];
  deployment?: { id: string; versionId: string };
}

export interface EdgeFile {
  /** Path within the target input folder. */
  relativePath: string;
  source: RecordedInputFile['source'];
  sha256?: string;
  size?: number;
}

export interface DeploymentFileMatch {
  endpoint: string;
  name: string;
  sha256: string;
  size: number;
  from: { node: string; executionId: string; path: string };
}

export interface ResolvedEdges {
  parameters: Record<string, ParameterValue>;
  /** Edge-provided files per input name; absent names had no edge. */
  inputs: Record<string, EdgeFile[]>;
  environment: Record<string, string>;
  deploymentFiles: DeploymentFileMatch[];
  warnings: string[];
}

/** The nodes each node waits for: the sources of all its incoming edges. */
export function upstreamNodes(pipeline: Pipeline): Map<string, Set<string>> {
  const upstream = new Map<string, Set<string>>(pipeline.nodes.map((n) => [n.name, new Set<string>()]));
  for (const edge of pipeline.edges) {
    if (edge.source.node === edge.target.node) continue;
    upstream.get(edge.target.node)?.add(edge.source.node);
  }
  return upstream;
}

/** How an edge key matches output paths and input names: fnmatch, `*` crossing `/` (pipeline/fnmatch.ts). */
export function globMatcher(glob: string): (path: string) => boolean {
  return fnmatcher(glob);
}

function succeeded(outcome: UpstreamOutcome | undefined): ExecutionRecord[] {
  return (outcome?.executions ?? []).filter((e) => e.status === 'succeeded');
}

/** Where a file of a source lands in the target input, per `keep-directories`. */
function placeFile(path: string, glob: string, input: Input | undefined): string {
  return placeInputFile(path, input?.keepDirectories ?? 'none', globRoot(glob));
}

interface Candidate extends EdgeFile {
  sourceLabel: string;
  /** `node: path`, for a collision message. */
  origin: string;
}

function valueFrom(values: unknown[]): ParameterValue | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0] as ParameterValue;
  return values as ParameterValue[];
}

/**
 * Resolves every edge into `nodeName`. `targetInputs` are the target step's inputs (after override), used
 * for `keep-directories`. Missing upstream values become warnings and leave the default in place.
 */
export function resolveEdges(
  pipeline: Pipeline,
  nodeName: string,
  outcomes: ReadonlyMap<string, UpstreamOutcome>,
  targetInputs: readonly Input[],
): ResolvedEdges {
  const result: ResolvedEdges = { parameters: {}, inputs: {}, environment: {}, deploymentFiles: [], warnings: [] };
  const candidates = new Map<string, Candidate[]>();
  const inputsByName = new Map(targetInputs.map((i) => [i.name, i]));
  const parameterSources = new Map<string, string>();

  for (const edge of pipeline.edges) {
    if (edge.target.node !== nodeName) continue;
    const { source, target } = edge;
    const outcome = outcomes.get(source.node);
    const executions = succeeded(outcome);
    const label = (index: number): string => (executions.length > 1 ? `${source.node}-${index}` : source.node);
    const describe = `edge ${source.node}.${source.type}.${source.key} → ${target.node}.${target.type}.${target.key}`;

    switch (target.type) {
      case 'input': {
        const list = candidates.get(target.key) ?? [];
        candidates.set(target.key, list);
        const input = inputsByName.get(target.key);
        if (source.type === 'output') {
          const matches = globMatcher(source.key);
          let matched = 0;
          executions.forEach((execution, index) => {
            for (const output of execution.outputs) {
              if (!matches(output.path)) continue;
              matched += 1;
              list.push(storeCandidate(output, placeFile(output.path, source.key, input), label(index)));
            }
          });
          if (matched === 0 && executions.length > 0) {
            const offered = [...new Set(executions.flatMap((e) => e.outputs.map((o) => o.path)))];
            result.warnings.push(
              `${describe}: "${source.key}" matches none of ${source.node}'s outputs` +
                (offered.length > 0 ? ` (${offered.slice(0, 5).join(', ')}${offered.length > 5 ? ', …' : ''})` : ' (it wrote none)'),
            );
          }
        } else if (source.type === 'input') {
          const matches = globMatcher(source.key);
          executions.forEach((execution, index) => {
            for (const [name, files] of Object.entries(execution.inputs ?? {})) {
              if (!matches(name)) continue;
              for (const file of files) {
                const placed: Candidate = {
                  relativePath: placeFile(file.relativePath, '', input),
                  source: file.source,
                  sourceLabel: label(index),
                  origin: `${label(index)}: input ${name}/${file.relativePath}`,
                };
                if (file.sha256 !== undefined) placed.sha256 = file.sha256;
                if (file.size !== undefined) placed.size = file.size;
                list.push(placed);
              }
            }
          });
        }
        break;
      }
      case 'parameter': {
        let value: ParameterValue | undefined;
        if (source.type === 'parameter') {
          value = valueFrom(executions.map((e) => e.parameters[source.key]).filter((v) => v !== undefined));
        } else if (source.type === 'metadata') {
          value = valueFrom(executions.map((e) => e.latestMetadata[source.key]).filter((v) => v !== undefined));
        } else if (source.type === 'deployment') {
          const deployment = outcome?.deployment;
          value = deployment ? (source.key === 'version_id' ? deployment.versionId : deployment.id) : undefined;
        }
        if (value === undefined) {
          result.warnings.push(`${describe}: ${source.node} produced no value; ${target.key} keeps its default`);
          break;
        }
        const previous = parameterSources.get(target.key);
        if (previous !== undefined) {
          throw new ConfigurationError(
            `${describe}: parameter ${target.key} of ${nodeName} is already filled by ${previous}; only one edge may fill a parameter`,
          );
        }
        parameterSources.set(target.key, `${source.node}.${source.type}.${source.key}`);
        result.parameters[target.key] = value;
        break;
      }
      case 'environment-variable': {
        const values = executions
          .map((e) => e.environment?.[source.type === 'environment-variable' ? source.key : ''])
          .filter((v): v is string => v !== undefined);
        const first = values[0];
        if (first === undefined) result.warnings.push(`${describe}: ${source.node} has no variable ${source.key}`);
        else result.environment[target.key] = first;
        break;
      }
      case 'file': {
        const dot = target.key.indexOf('.');
        if (dot <= 0) throw new ConfigurationError(`${describe}: the target key must be \`<endpoint>.<file>\``);
        const matches = globMatcher(source.key);
        const found: DeploymentFileMatch[] = [];
        for (const execution of executions) {
          for (const output of execution.outputs) {
            if (!matches(output.path)) continue;
            found.push({
              endpoint: target.key.slice(0, dot),
              name: target.key.slice(dot + 1),
              sha256: output.sha256,
              size: output.size,
              from: { node: source.node, executionId: execution.executionId, path: output.path },
            });
          }
        }
        if (found.length !== 1) {
          throw new ConfigurationError(
            `${describe}: expected exactly one file for the endpoint, found ${found.length}` +
              (found.length > 1 ? ` (${found.map((f) => f.from.path).join(', ')})` : ''),
          );
        }
        result.deploymentFiles.push(...found);
        break;
      }
      case 'dependency':
      case 'deployment':
      case 'metadata':
      case 'output':
        // Not something a node receives: the edge only orders the nodes.
        break;
    }
  }

  for (const [name, list] of candidates) {
    result.inputs[name] = settleCollisions(nodeName, name, list, inputsByName.get(name)?.keepDirectories ?? 'none');
  }
  return result;
}

function storeCandidate(output: OutputFile, relativePath: string, sourceLabel: string): Candidate {
  return {
    relativePath,
    source: { kind: 'store', sha256: output.sha256 },
    sha256: output.sha256,
    size: output.size,
    sourceLabel,
    origin: `${sourceLabel}: ${output.path}`,
  };
}

function identity(file: EdgeFile): string {
  if (file.sha256 !== undefined) return file.sha256;
  const s = file.source;
  return s.kind === 'store' ? s.sha256 : s.kind === 'path' ? `path:${s.path}` : `url:${s.url}`;
}

/**
 * Keeps one copy of identical files. Two different files of one source on one path fail, naming both;
 * between sources, files go under `<source-label>/`.
 */
function settleCollisions(nodeName: string, inputName: string, all: Candidate[], mode: Input['keepDirectories']): EdgeFile[] {
  const labels = [...new Set(all.map((file) => file.sourceLabel))];
  const list = labels.flatMap((label) =>
    checkInputCollisions(
      nodeName,
      inputName,
      all.filter((file) => file.sourceLabel === label).map((file) => ({ ...file, identity: identity(file) })),
      mode,
    ).map(({ identity: _identity, ...file }) => file),
  );
  const byPath = new Map<string, Candidate[]>();
  for (const file of list) {
    const same = byPath.get(file.relativePath) ?? [];
    if (!same.some((f) => identity(f) === identity(file))) same.push(file);
    byPath.set(file.relativePath, same);
  }
  const collides = [...byPath.values()].some((files) => files.length > 1);
  const out: EdgeFile[] = [];
  for (const files of byPath.values()) {
    for (const { sourceLabel, origin: _origin, ...file } of files) {
      out.push(collides ? { ...file, relativePath: `${sourceLabel}/${file.relativePath}` } : file);
    }
  }
  return out;
}

const SUPPORTED_URL = /^https?:\/\//i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Lists a local file or folder as input files: folders recursively, placed per `keep-directories`
 * (input-layout.ts); two different files landing on one path fail, naming both.
 */
async function localFiles(path: string, input: Input, repositoryDir: string, nodeName: string): Promise<EdgeFile[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ConfigurationError(`input ${input.name}: ${path} does not exist`);
  if (info.isFile()) {
    const hashed = await hashFile(path);
    return [{ relativePath: basename(path), source: { kind: 'path', path }, sha256: hashed.sha256, size: hashed.size }];
  }
  const files: (EdgeFile & { identity: string; origin: string })[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const hashed = await hashFile(full);
        const rel = relative(path, full).split(/[\\/]/).join('/');
        const relativePath = placeLocalFolderFile(rel, path, repositoryDir, input.keepDirectories);
        files.push({ relativePath, source: { kind: 'path', path: full }, sha256: hashed.sha256, size: hashed.size, identity: hashed.sha256, origin: full });
      }
    }
  };
  await walk(path);
  const kept = checkInputCollisions(nodeName, input.name, files, input.keepDirectories).map(({ identity: _identity, origin: _origin, ...file }) => file);
  return kept.sort((a, b) => (a.relativePath < b.relativePath ? -1 : 1));
}

/**
 * Files for input values given as defaults or on the command line: http(s) URLs (the executor downloads
 * and caches them) or local paths relative to the repository. Other schemes are refused, naming the input.
 */
export async function resolveInputValues(
  values: readonly string[],
  input: Input,
  repositoryDir: string,
  nodeName: string,
): Promise<EdgeFile[]> {
  const files: EdgeFile[] = [];
  for (const value of values) {
    if (SUPPORTED_URL.test(value)) {
      const name = decodeURIComponent(new URL(value).pathname.split('/').filter(Boolean).at(-1) ?? input.name);
      files.push({ relativePath: name, source: { kind: 'url', url: value } });
    } else if (ANY_SCHEME.test(value) && !value.startsWith('file://')) {
      throw new ConfigurationError(
        `node ${nodeName}, input ${input.name}: ${value.split('://')[0]}:// URLs are not supported locally; ` +
          `give a local path or an http(s) URL with \`--input ${nodeName}.${input.name}=PATH\``,
      );
    } else {
      const path = value.startsWith('file://') ? new URL(value).pathname : value;
      files.push(...(await localFiles(isAbsolute(path) ? path : resolve(repositoryDir, path), input, repositoryDir, nodeName)));
    }
  }
  return files;
}

/** Edge files merged with defaults per `edge-merge-mode`, then `filename` applied to a single file. */
export function mergeInputFiles(
  input: Input,
  fromEdges: EdgeFile[] | undefined,
  defaults: EdgeFile[],
  mode: 'replace' | 'append',
): EdgeFile[] {
  let files = fromEdges === undefined ? defaults : mode === 'append' ? [...defaults, ...fromEdges] : fromEdges;
  if (input.filename !== undefined && files.length === 1 && files[0] !== undefined) {
    files = [{ ...files[0], relativePath: input.filename }];
  }
  return files;
}

/** The executor's view of an input file. Relative paths are checked: no absolute paths, no `..`. */
export function toInputFile(file: EdgeFile): InputFile {
  const parts = file.relativePath.split('/');
  if (isAbsolute(file.relativePath) || parts.some((p) => p === '..' || p === '')) {
    throw new ConfigurationError(`input file path ${JSON.stringify(file.relativePath)} escapes its input folder`);
  }
  const inputFile: InputFile = { relativePath: file.relativePath, source: file.source };
  if (file.sha256 !== undefined) inputFile.sha256 = file.sha256;
  if (file.size !== undefined) inputFile.size = file.size;
  return inputFile;
}

