/**
 * Constraints of a selection rule: `latency_ms <= 50`, `accuracy >= 0.9`, `model != "baseline"`.
 *
 * Grammar (one comparison, no boolean operators; list several constraints to AND them):
 *   constraint := metric op literal
 *   metric     := [A-Za-z_][A-Za-z0-9_.\-/]*   (an optional `metadata.` prefix is ignored, as in Valohai `if`)
 *   op         := <= | >= | < | > | == | !=
 *   literal    := number | true | false | "string" | 'string'
 * Numbers are compared with the rule's tolerance: two numbers closer than it are equal.
 */
import { ConfigurationError } from '../util/errors.js';

export type ComparisonOperator = '<=' | '>=' | '<' | '>' | '==' | '!=';

export interface Constraint {
  /** The text as written, for messages. */
  text: string;
  metric: string;
  operator: ComparisonOperator;
  value: number | string | boolean;
}

const constraintPattern =
  /^\s*(?:metadata\.)?([A-Za-z_][A-Za-z0-9_.\-/]*)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/;

function parseLiteral(text: string, constraintText: string): number | string | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2] ?? '';
  // Number() accepts '', '0x10' and 'Infinity'; the pattern keeps to plain decimal notation.
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  throw new ConfigurationError(
    `constraint '${constraintText}': '${text}' is not a number, true/false or a quoted string`,
  );
}

export function parseConstraint(text: string): Constraint {
  const match = constraintPattern.exec(text);
  if (!match) {
    throw new ConfigurationError(
      `constraint '${text}' is not of the form '<metric> <op> <value>' with op one of <=, >=, <, >, ==, !=`,
    );
  }
  const [, metric, operator, literal] = match;
  if (metric === undefined || operator === undefined || literal === undefined) {
    throw new ConfigurationError(`constraint '${text}' could not be parsed`);
  }
  return { text: text.trim(), metric, operator: operator as ComparisonOperator, value: parseLiteral(literal, text) };
}

/** Compares two numbers: -1, 0 or 1, where values within `tolerance` of each other are equal. */
export function compareWithTolerance(a: number, b: number, tolerance: number): -1 | 0 | 1 {
  if (Math.abs(a - b) <= tolerance) return 0;
  return a < b ? -1 : 1;
}

export type ConstraintOutcome = { ok: true } | { ok: false; reason: string };

/** Checks one constraint against a candidate's metrics. A missing or NaN metric fails with a reason. */
export function checkConstraint(
  constraint: Constraint,
  metrics: Record<string, unknown>,
  tolerance: number,
  formatValue: (value: unknown) => string,
): ConstraintOutcome {
  const actual = metrics[constraint.metric];
  if (actual === undefined || actual === null) {
    return { ok: false, reason: `constraint ${constraint.text}: metric '${constraint.metric}' missing` };
  }
  let order: -1 | 0 | 1 | undefined;
  if (typeof constraint.value === 'number') {
    if (typeof actual !== 'number') {
      return { ok: false, reason: `constraint ${constraint.text}: '${constraint.metric}' is not a number (${formatValue(actual)})` };
    }
    if (Number.isNaN(actual)) {
      return { ok: false, reason: `constraint ${constraint.text}: '${constraint.metric}' is NaN` };
    }
    order = compareWithTolerance(actual, constraint.value, tolerance);
  } else if (typeof actual === typeof constraint.value) {
    // Strings and booleans: only equality makes sense; ordering operators compare strings lexically.
    order = actual === constraint.value ? 0 : String(actual) < String(constraint.value) ? -1 : 1;
  } else {
    return {
      ok: false,
      reason: `constraint ${constraint.text}: '${constraint.metric}' is ${formatValue(actual)}, not comparable with ${formatValue(constraint.value)}`,
    };
  }
  const passed =
    constraint.operator === '<=' ? order <= 0
    : constraint.operator === '>=' ? order >= 0
    : constraint.operator === '<' ? order < 0
    : constraint.operator === '>' ? order > 0
    : constraint.operator === '==' ? order === 0
    : order !== 0;
  if (passed) return { ok: true };
  return { ok: false, reason: `constraint ${constraint.text} failed (${constraint.metric} = ${formatValue(actual)})` };
}
