import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { validate } from './schema-validate.generated.js';
import { didYouMean, type DiagnosticSink } from './diagnostics.js';
import type { SourcePosition } from './model.js';
import type { PathSegment, SourceMap } from './source.js';

/**
 * Runs the JSON Schema (schema.json) over the loaded data and turns each ajv error into one
 * diagnostic at the YAML node it concerns, with a human message and a fix hint.
 */

interface AnnotatedSchema {
  properties?: Record<string, unknown>;
  'x-unknown-keys'?: 'error' | 'warning';
  'x-messages'?: Record<string, string>;
  'x-what'?: string;
}

/**
 * The schema's validator, compiled ahead of time from schema.json (scripts/generate-schema-validator.mjs,
 * the same ajv options as before: allErrors, verbose, not strict, the x- annotation keywords).
 */
function validator(): ValidateFunction {
  return validate;
}

function decodePointer(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

/** Python-ish rendering of a value for messages: what the user wrote, as YAML read it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty (null)';
  if (typeof value === 'string') return `the string "${value.length > 60 ? `${value.slice(0, 57)}...` : value}"`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  array: 'a list',
  object: 'a mapping',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
};

/** `step "train"`, `pipeline "p"`…: the top-level item a path is in. */
function describeOwner(data: unknown, path: readonly PathSegment[]): { owner: string; rest: PathSegment[] } {
  const [index, kind, ...rest] = path;
  if (typeof index !== 'number' || typeof kind !== 'string') return { owner: 'the file', rest: [...path] };
  const item = valueAt(data, [index, kind]);
  const name = item && typeof item === 'object' ? (item as Record<string, unknown>).name : undefined;
  const owner = typeof name === 'string' ? `${kind} "${name}"` : `${kind} #${index + 1}`;
  return { owner, rest };
}

function describeRest(data: unknown, path: readonly PathSegment[], rest: readonly PathSegment[]): string {
  let text = '';
  const offset = path.length - rest.length;
  rest.forEach((segment, i) => {
    if (typeof segment === 'number') {
      const element = valueAt(data, path.slice(0, offset + i + 1));
      const name = element && typeof element === 'object' ? (element as Record<string, unknown>).name : undefined;
      text += typeof name === 'string' ? `[${segment}] ("${name}")` : `[${segment}]`;
    } else {
      text += text === '' ? segment : `.${segment}`;
    }
  });
  return text;
}

function where(data: unknown, path: readonly PathSegment[]): string {
  const { owner, rest } = describeOwner(data, path);
  const inner = describeRest(data, path, rest);
  return inner === '' ? owner : `${owner}, \`${inner}\``;
}

function unknownKeyHint(what: string | undefined, key: string, known: string[]): string | undefined {
  const guess = didYouMean(key, known);
  if (guess) return guess;
  if ((what === 'execution node' || what === 'task node') && (key === 'parameters' || key === 'inputs')) {
    return `nodes have no \`${key}\`: put them under \`override:\`, or feed values with pipeline parameters and edges`;
  }
  if (what === 'override') return 'should it be nested under `parameters` or `inputs`?';
  if (what === 'pipeline parameter' && key === 'type') {
    return 'pipeline parameters take their type from the step parameters they target; remove `type`';
  }
  return known.length > 0 ? `known keys: ${known.join(', ')}` : undefined;
}

/** Drops the sub-errors of a failed oneOf/anyOf (the combined error says it better) and `if` noise. */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const combinators = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => `${e.schemaPath}/`);
  return errors.filter((e) => {
    if (e.keyword === 'if') return false;
    return !combinators.some((prefix) => e.schemaPath.startsWith(prefix));
  });
}

export function checkSchema(data: unknown, source: SourceMap, sink: DiagnosticSink): void {
  const validate = validator();
  if (validate(data)) return;
  const seen = new Set<string>();
  for (const error of relevantErrors(validate.errors ?? [])) {
    const path = decodePointer(error.instancePath);
    const parent = (error.parentSchema ?? {}) as AnnotatedSchema;
    const custom = parent['x-messages']?.[error.keyword];
    const value = valueAt(data, path);
    const at = where(data, path);
    let position: SourcePosition = source.position(path);
    let message: string;
    let hint: string | undefined;
    let severity: 'error' | 'warning' = 'error';
    let code = 'schema';
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        position = source.keyPosition(path, key);
        severity = parent['x-unknown-keys'] === 'warning' ? 'warning' : 'error';
        code = 'unknown-key';
        const what = parent['x-what'];
        message = `${at}: unknown key \`${key}\`${what ? ` in ${what === 'x-mlops extension' ? 'the x-mlops extension' : `a ${what}`}` : ''}`;
        hint = unknownKeyHint(what, key, Object.keys(parent.properties ?? {}));
        if (severity === 'warning') message += ' (ignored)';
        break;
      }
      case 'required': {
        const missing = String(params.missingProperty);
        position = source.position(path, 'key');
        code = 'missing-key';
        message = `${at}: missing required key \`${missing}\``;
        break;
      }
      case 'type': {
        const expected = String(params.type)
          .split(',')
          .map((t) => TYPE_WORDS[t] ?? t)
          .join(' or ');
        code = 'wrong-type';
        message = `${at} must be ${expected}, not ${describeValue(value)}`;
        if (value === null && String(params.type).includes('object')) {
          hint = 'the file is valid YAML, but check the indentation: keys meant to be inside may be at the same level';
        } else if (typeof value === 'boolean') {
          hint = 'YAML 1.1 reads yes/no/on/off/true/false as booleans; quote the value';
        } else if (typeof value === 'string' && String(params.type).includes('number')) {
          hint = 'write a plain number without quotes (YAML 1.1 needs a `.` in floats, e.g. `1.0e-4` is still text; use `0.0001`)';
        }
        break;
      }
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map((v) => String(v));
        code = 'invalid-value';
        message = `${at} must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}, not ${describeValue(value)}`;
        hint = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
        break;
      }
      case 'const':
        code = 'invalid-value';
        message = `${at} must be \`${String(params.allowedValue)}\``;
        break;
      case 'pattern':
        code = 'invalid-value';
        message = `${at}: ${custom ?? `${describeValue(value)} does not match \`${String(params.pattern)}\``}${custom ? ` (got "${String(value)}")` : ''}`;
        break;
      case 'maxLength':
        code = 'too-long';
        message = `${at} is too long: ${typeof value === 'string' ? value.length : '?'} characters, at most ${String(params.limit)} allowed`;
        break;
      case 'minLength':
        code = 'too-short';
        message = `${at} must not be empty`;
        break;
      case 'minimum':
      case 'maximum':
        code = 'out-of-range';
        message = `${at} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(params.limit)}, not ${String(value)}`;
        break;
      case 'minItems':
      case 'maxItems':
        code = path.includes('edges') ? 'edge-shorthand' : 'item-count';
        message = `${at}: ${custom ?? `must have ${error.keyword === 'minItems' ? 'at least' : 'at most'} ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`}`;
        break;
      case 'oneOf':
      case 'anyOf':
        code = 'schema';
        message = `${at}: ${custom ?? 'is not valid here'}`;
        position = source.position(path, 'key');
        break;
      default:
        message = `${at}: ${error.message ?? 'is not valid'}`;
    }
    const dedupeKey = `${position.line}:${position.col}:${message}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    sink.add(severity, code, position, message, hint);
  }
}
