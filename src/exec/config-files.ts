/**
 * The typed config files an execution finds in `config/` (FORMAT.md §8), written as Valohai writes them.
 *
 * Why typing matters: valohai-utils (`valohai/internals/global_state_loader.py`) reads `parameters.json`
 * and builds its argument parser with `type=type(value)` for every parameter, then parses the command's
 * `--name=value` with it. A float parameter written `2` makes Python's type `int`, and the command's
 * `--ratio=2.0` then fails with `invalid int value: '2.0'`. So values are cast as the platform casts them
 * (valohai-yaml `Parameter._validate_type`: `int(str(v), 10)`, `float(str(v))`), and floats are written
 * with Python's `repr` (`2.0`, `0.0001`, `1e-05`), which `JSON.stringify` cannot do.
 */
import { execFile } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { commandValues, flagValue, pythonFloatRepr } from '../pipeline/command.js';
import type { Parameter, ParameterValue, Step } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

/** Python's `int(str(v), 10)`: optional sign, digits and single underscores between digits, spaces around. */
const PY_INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
/** Python's `float(str(v))` for finite decimal text: `1e-4`, `.5`, `2.`, `1_000.5`. */
const PY_FLOAT = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?\s*$/;
const PY_FLOAT_SPECIAL = /^\s*([+-]?)(inf|infinity|nan)\s*$/i;

function castError(parameter: Parameter, value: ParameterValue, what: string): ConfigurationError {
  return new ConfigurationError(
    `Parameter "${parameter.name}" is ${what === 'integer' ? 'an integer' : 'a float'} parameter, but its value ${JSON.stringify(value)} is not ${
      what === 'integer' ? 'an integer' : 'a number'
    }; give a ${what} value (or declare the parameter with another type).`,
  );
}

function castAtom(parameter: Parameter, value: ParameterValue): ParameterValue {
  if (value === null || Array.isArray(value)) return value;
  switch (parameter.type) {
    case 'integer': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'number') {
        // int(str(2.5), 10) fails on the platform; so does it here.
        if (!Number.isInteger(value)) throw castError(parameter, value, 'integer');
        return value;
      }
      if (!PY_INT.test(value)) throw castError(parameter, value, 'integer');
      return Number.parseInt(value.replace(/_/g, '').trim(), 10);
    }
    case 'float': {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'number') return value;
      const special = PY_FLOAT_SPECIAL.exec(value);
      if (special) return special[2]?.toLowerCase() === 'nan' ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
      if (!PY_FLOAT.test(value)) throw castError(parameter, value, 'float');
      return Number(value.replace(/_/g, '').trim());
    }
    case 'flag':
      return flagValue(value);
    case 'string':
      return value;
  }
}

/**
 * One parameter's value as the platform holds it after validation: numbers for `integer`/`float`,
 * booleans for flags, lists (of cast items) for `multiple` parameters. A value that cannot be cast is a
 * `ConfigurationError` naming the parameter.
 */
export function castParameterValue(parameter: Parameter, value: ParameterValue): ParameterValue {
  if (Array.isArray(value)) return value.map((item) => castAtom(parameter, item));
  const cast = castAtom(parameter, value);
  return parameter.multiple !== 'none' && cast !== null ? [cast] : cast;
}

/** Every declared parameter's value cast by its type; undeclared names (edges into unknown names) pass as they are. */
export function castParameterValues(step: Step, values: Record<string, ParameterValue>): Record<string, ParameterValue> {
  const declared = new Map(step.parameters.map((parameter) => [parameter.name, parameter]));
  const out: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const parameter = declared.get(name);
    out[name] = parameter ? castParameterValue(parameter, value) : value;
  }
  return out;
}

/**
 * The values a command is rendered from and `parameters.json` holds: declared defaults (as valohai-yaml's
 * `build_command` merges them) overridden by `values`, every declared one cast by its type.
 */
export function typedCommandValues(step: Step, values: Record<string, ParameterValue>): Record<string, ParameterValue> {
  return castParameterValues(step, commandValues(step, values));
}

/** A JS number as Python's `json.dumps` writes a float: `2.0`, `0.0001`, `1e-05`, `Infinity`, `NaN`. */
function pythonJsonFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return pythonFloatRepr(value);
}

function jsonValue(value: unknown, asFloat: boolean, indent: string): string {
  if (typeof value === 'number') return asFloat ? pythonJsonFloat(value) : Number.isFinite(value) ? JSON.stringify(value) : pythonJsonFloat(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inner = `${indent}  `;
    return `[\n${value.map((item) => `${inner}${jsonValue(item, asFloat, inner)}`).join(',\n')}\n${indent}]`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * `parameters.json` text: `{name: value}` with every declared value cast by its type and floats written
 * as floats. `values` are the command's values (`commandValues`), so the file and the command agree.
 */
export function parametersJsonText(step: Step, values: Record<string, ParameterValue>): string {
  const declared = new Map(step.parameters.map((parameter) => [parameter.name, parameter]));
  const entries = Object.entries(castParameterValues(step, values)).map(([name, value]) => {
    const asFloat = declared.get(name)?.type === 'float';
    return `  ${JSON.stringify(name)}: ${jsonValue(value, asFloat, '  ')}`;
  });
  return entries.length === 0 ? '{}\n' : `{\n${entries.join(',\n')}\n}\n`;
}

const execFileAsync = promisify(execFile);

/** The repository's checked-out commit, or undefined outside a Git work tree (no git, not a repository). */
export async function repositoryCommit(repositoryDir: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: repositoryDir, timeout: 10_000 });
    const commit = stdout.trim();
    return /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

export interface ExecutionJsonFields {
  executionId: string;
  step: Step;
  repositoryDir: string;
  /** When the execution folder was made (`valohai.execution-ctime`). */
  createdAt: string;
  context: {
    pipelineId?: string;
    nodeName?: string;
    projectName?: string;
    /** The repository's commit; null when it is known to have none (not a Git work tree). */
    commit?: string | null;
    counter?: number;
    title?: string;
  };
}

/**
 * `execution.json`: the keys Valohai writes (docs.valohai.com "System Configuration Files") that have a
 * meaning here. The project defaults to the repository folder's name and the commit to its Git HEAD;
 * fields with no local meaning (creator, environment) are left out rather than invented.
 */
export async function executionJsonText(fields: ExecutionJsonFields): Promise<string> {
  const { context, step } = fields;
  const commit = context.commit !== undefined ? context.commit : await repositoryCommit(fields.repositoryDir);
  const project = context.projectName ?? basename(resolve(fields.repositoryDir));
  const title = context.title ?? (context.nodeName !== undefined ? `${context.nodeName} (${step.name})` : step.name);
  const data: Record<string, unknown> = {
    'valohai.commit-identifier': commit ?? null,
    'valohai.execution-counter': context.counter ?? null,
    'valohai.execution-ctime': fields.createdAt,
    'valohai.execution-id': fields.executionId,
    'valohai.execution-image': step.image,
    'valohai.execution-status': 'started',
    'valohai.execution-step': step.name,
    'valohai.execution-tags': [],
    'valohai.execution-title': title,
    'valohai.project-name': project,
  };
  if (context.pipelineId !== undefined) data['valohai.pipeline-id'] = context.pipelineId;
  if (context.nodeName !== undefined) data['valohai.pipeline-node-id'] = context.nodeName;
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * `--param NAME=VALUE` pairs. A name given more than once gets every value, in order, as a JSON list
 * (the text form `parseCliValue` reads as a list): several values for a `multiple` parameter, or
 * variants on a task node. A name given once keeps its text.
 */
export function cliParameterPairs(values: readonly string[], flag = '--param'): Record<string, string> {
  const lists = new Map<string, string[]>();
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ConfigurationError(`${flag} expects NAME=VALUE, got ${JSON.stringify(item)}`);
    const name = item.slice(0, eq);
    lists.set(name, [...(lists.get(name) ?? []), item.slice(eq + 1)]);
  }
  const pairs: Record<string, string> = {};
  for (const [name, list] of lists) pairs[name] = list.length === 1 ? (list[0] ?? '') : JSON.stringify(list);
  return pairs;
}
