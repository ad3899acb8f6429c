/**
 * Command rendering exactly as valohai-yaml does it (FORMAT.md §2.1): `{parameters}`, `{parameter:NAME}`,
 * `{parameter-value:NAME}` and `{source-path}` placeholders, `pass-as` templates, flags, `multiple`, and
 * Python `str()` rendering of values. Every argv piece is quoted like `shlex.quote`, so parameter values
 * reach the shell only as literal text.
 */
import { shellQuote } from '../util/shell.js';
import { ConfigurationError } from '../util/errors.js';
import type { Parameter, ParameterValue, Step } from './model.js';

/** Python `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 ≤ |x| < 1e16. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const [mantissa = '0', exponentText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number.parseInt(exponentText, 10);
  if (exponent >= -4 && exponent < 16) {
    if (exponent >= 0) {
      const integerPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const fraction = digits.slice(exponent + 1) || '0';
      return `${sign}${integerPart}.${fraction}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const shownMantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const shownExponent = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign}${shownMantissa}e${shownExponent}`;
}

/** Python `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function pythonStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

function pythonNumber(value: number, asFloat: boolean): string {
  if (asFloat || !Number.isInteger(value)) return pythonFloatRepr(value);
  // BigInt prints every digit, as Python's int does, where String() would switch to exponent form.
  return BigInt(value).toString();
}

function pythonRepr(value: ParameterValue, asFloat: boolean): string {
  if (typeof value === 'string') return pythonStringRepr(value);
  return pythonStr(value, asFloat);
}

/**
 * Python `str(value)`. JS numbers do not remember whether YAML wrote `20` or `20.0`, so `asFloat`
 * (true for `type: float` parameters) renders integral numbers as `20.0`, which is what Valohai shows
 * after it casts the value with `float()`.
 */
export function pythonStr(value: ParameterValue, asFloat = false): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pythonNumber(value, asFloat);
  if (typeof value === 'string') return value;
  return `[${value.map((item) => pythonRepr(item, asFloat)).join(', ')}]`;
}

/** Python truthiness. */
function isTruthy(value: ParameterValue): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

const FALSE_WORDS = new Set(['false', 'no', 'off', '0', '']);

/**
 * A flag's on/off state. Values from a command line arrive as text, where Python would call any
 * non-empty string true; the platform casts flags to booleans first, so `"false"` means off here.
 */
export function flagValue(value: ParameterValue): boolean {
  if (typeof value === 'string') return !FALSE_WORDS.has(value.trim().toLowerCase());
  return isTruthy(value);
}

/**
 * Python `str.format_map` for one pass-as piece, limited to what pass-as templates use:
 * `{name}`, `{value}`, `{v}`, optional `!s`/`!r`, and `{{`/`}}` escapes.
 */
function formatPassAsPiece(piece: string, parameter: Parameter, value: ParameterValue): string {
  const asFloat = parameter.type === 'float';
  let out = '';
  let i = 0;
  while (i < piece.length) {
    const ch = piece[i];
    if (ch === '{' && piece[i + 1] === '{') {
      out += '{';
      i += 2;
    } else if (ch === '}' && piece[i + 1] === '}') {
      out += '}';
      i += 2;
    } else if (ch === '{') {
      const end = piece.indexOf('}', i);
      if (end < 0) throw passAsError(parameter, "a '{' is not closed");
      const field = piece.slice(i + 1, end);
      const [fieldName = '', conversion] = field.split('!', 2);
      if (fieldName.includes(':')) throw passAsError(parameter, `format specs such as {${field}} are not supported`);
      let rendered: string;
      if (fieldName === 'name') rendered = parameter.name;
      else if (fieldName === 'value' || fieldName === 'v') {
        rendered = conversion === 'r' ? pythonRepr(value, asFloat) : pythonStr(value, asFloat);
      } else throw passAsError(parameter, `unknown field {${fieldName}}; use {name}, {value} or {v}`);
      if (conversion !== undefined && conversion !== 's' && conversion !== 'r') {
        throw passAsError(parameter, `unknown conversion !${conversion}`);
      }
      out += rendered;
      i = end + 1;
    } else if (ch === '}') {
      throw passAsError(parameter, "a single '}' must be written '}}'");
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

function passAsError(parameter: Parameter, detail: string): ConfigurationError {
  return new ConfigurationError(`Parameter "${parameter.name}": cannot use its pass-as template: ${detail}.`);
}

function listify(value: ParameterValue): ParameterValue[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * valohai-yaml `Parameter.format_cli`: the argv pieces of one parameter, unquoted, or undefined when
 * the parameter is left out of the command.
 */
export function formatParameter(parameter: Parameter, value: ParameterValue | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  let template: string | undefined;
  let atomValue: ParameterValue = value;
  if (parameter.type === 'flag') {
    const on = flagValue(value);
    atomValue = on;
    if (parameter.passTrueAs || parameter.passFalseAs) {
      template = (on ? parameter.passTrueAs : parameter.passFalseAs) || undefined;
    } else if (on) {
      template = parameter.passAs || '--{name}';
    }
  } else {
    template = parameter.passAs || '--{name}={value}';
  }
  if (!template) return undefined;
  const pieces = template.split(/\s+/).filter((piece) => piece !== '');
  const formatAtom = (atom: ParameterValue): string[] =>
    pieces.map((piece) => formatPassAsPiece(piece, parameter, atom));

  if (parameter.multiple === 'repeat') {
    const out: string[] = [];
    for (const atom of listify(atomValue)) {
      if (Array.isArray(atom)) {
        throw new ConfigurationError(`Parameter "${parameter.name}": nested lists are not allowed as values.`);
      }
      out.push(...formatAtom(atom));
    }
    return out;
  }
  if (parameter.multiple === 'separate') {
    const atoms = listify(atomValue);
    // Valohai guards against a bare `--foo=` when the list is empty.
    if (atoms.length === 0) return undefined;
    const joined = atoms.map((atom) => pythonStr(atom, parameter.type === 'float')).join(parameter.multipleSeparator);
    return formatAtom(joined);
  }
  if (Array.isArray(atomValue)) {
    throw new ConfigurationError(
      `Parameter "${parameter.name}" takes one value but got a list ${pythonStr(atomValue)}; ` +
        `declare it with "multiple: repeat" or "multiple: separate" to pass several.`,
    );
  }
  return formatAtom(atomValue);
}

/**
 * The values `Step.build_command` renders: non-flag defaults (wrapped in a list for `multiple`
 * parameters), overridden by `values`. Flag defaults are not applied, as in valohai-yaml; callers pass
 * effective values that already include them (see types.ts `ExecutionRequest.parameters`).
 */
export function commandValues(step: Step, values: Record<string, ParameterValue>): Record<string, ParameterValue> {
  const merged: Record<string, ParameterValue> = {};
  for (const parameter of step.parameters) {
    if (parameter.type === 'flag' || parameter.default === undefined || parameter.default === null) continue;
    merged[parameter.name] =
      parameter.multiple !== 'none' && !Array.isArray(parameter.default) ? [parameter.default] : parameter.default;
  }
  return { ...merged, ...values };
}

/**
 * Every declared default, flags included: what valohai-cli offers as each option's default. The
 * scheduler starts from these before applying pipeline parameters, edges and the command line.
 */
export function parameterDefaults(step: Step): Record<string, ParameterValue> {
  const defaults: Record<string, ParameterValue> = {};
  for (const parameter of step.parameters) {
    if (parameter.default === undefined) continue;
    defaults[parameter.name] =
      parameter.multiple !== 'none' && parameter.default !== null && !Array.isArray(parameter.default)
        ? [parameter.default]
        : parameter.default;
  }
  return defaults;
}

function quoteAll(pieces: string[] | undefined): string {
  return pieces ? pieces.map(shellQuote).join(' ') : '';
}

const PLACEHOLDER = /\{(.+?)\}/g;

/**
 * The step's command lines with placeholders replaced (valohai-yaml `Step.build_command`). Each line
 * is interpolated on its own and stripped; unknown placeholders (`{inputs}`, `${VAR}`…) stay verbatim.
 */
export function renderCommand(step: Step, values: Record<string, ParameterValue>): string[] {
  const effective = commandValues(step, values);
  const byName = new Map(step.parameters.map((parameter) => [parameter.name, parameter]));
  const special = new Map<string, string>();
  if (step.sourcePath !== undefined) special.set('source-path', step.sourcePath);

  const replace = (whole: string, key: string): string => {
    const specialValue = special.get(key);
    if (specialValue !== undefined) return shellQuote(specialValue);
    if (key === 'parameters' || key === 'params') {
      const pieces = step.parameters.flatMap((parameter) => formatParameter(parameter, effective[parameter.name]) ?? []);
      return quoteAll(pieces);
    }
    if (key.startsWith('parameter:')) {
      const parameter = byName.get(key.slice('parameter:'.length));
      if (parameter) return quoteAll(formatParameter(parameter, effective[parameter.name]));
    }
    if (key.startsWith('parameter-value:')) {
      const name = key.slice('parameter-value:'.length);
      // Valohai checks the value map, not the declarations: an undeclared name with a value renders too.
      if (Object.hasOwn(effective, name)) {
        const value = effective[name] ?? null;
        return shellQuote(pythonStr(value, byName.get(name)?.type === 'float'));
      }
    }
    return whole;
  };
  return step.command.map((line) => line.replace(PLACEHOLDER, replace).trim());
}

/**
 * One script for one shell session: blank items dropped, a leading `#!` line kept first, lines joined
 * with newlines so `cd` and `export` carry over and the status is the last command's.
 */
export function joinCommand(lines: string[]): string {
  return lines.filter((line) => line.trim() !== '').join('\n');
}
