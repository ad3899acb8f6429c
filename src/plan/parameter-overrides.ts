// Apart from load-config.ts (which loads the pipeline file, with the YAML parser and the schemas): the
// plan, run and run-node actions parse this input before anything else, at their cold start.
import type { ParameterValue } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

/**
 * Pipeline parameter overrides from a workflow_dispatch input: a JSON object, or `name=value` lines
 * (blank lines and `#` comments ignored). A `name=value` value that is valid JSON (a number, a list,
 * `true`) is taken as that value, anything else as text.
 */
export function parseParameterOverrides(text: string): Record<string, ParameterValue> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      throw new ConfigurationError(`parameters: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigurationError('parameters: the JSON must be an object of name: value');
    }
    return parsed as Record<string, ParameterValue>;
  }
  const values: Record<string, ParameterValue> = {};
  trimmed.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const name = equals === -1 ? '' : line.slice(0, equals).trim();
    if (name === '') {
      throw new ConfigurationError(`parameters line ${index + 1}: expected name=value, got "${line}"`);
    }
    const raw = line.slice(equals + 1).trim();
    let value: ParameterValue = raw;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed === null || ['number', 'boolean', 'string'].includes(typeof parsed) || Array.isArray(parsed)) {
        value = parsed as ParameterValue;
      }
    } catch {
      // Not JSON: the text itself is the value.
    }
    values[name] = value;
  });
  return values;
}
