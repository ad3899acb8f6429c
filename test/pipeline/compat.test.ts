import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import { formatDiagnostic } from '../../src/pipeline/diagnostics.js';

/**
 * Every real valohai.yaml and every valohai-yaml fixture gets the verdict of EXPECTED.md, with the
 * documented exceptions: plural edge types are accepted with a warning, `require-approval` is a
 * well-known action (no warning), and the two stop-condition error files are errors.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'compat');

interface Expectation {
  folder: string;
  file: string;
  verdict: 'VALID' | 'WARNINGS' | 'ERRORS';
  errors: number;
  pluralTypes: number;
  lines: string[];
}

const PLURAL_ERROR = /(source|target) type (outputs|inputs|parameters) \(between/;
const STOP_CONDITION_ERRORS = new Set(['error--step-stop-condition.yaml', 'error--task-stop-condition.yaml']);

function readExpectations(folder: string): Expectation[] {
  const text = readFileSync(join(root, folder, 'EXPECTED.md'), 'utf8');
  const result: Expectation[] = [];
  for (const section of text.split(/^## /m).slice(1)) {
    const header = /^(\S+\.yaml): (VALID|WARNINGS|ERRORS)/.exec(section);
    if (!header?.[1]) continue;
    const lines = section.split('\n').filter((line) => line.startsWith('- error:') || line.startsWith('- warning:'));
    const errorLines = lines.filter((line) => line.startsWith('- error:'));
    const pluralTypes = errorLines.filter((line) => PLURAL_ERROR.test(line)).length;
    const warnings = lines.filter((line) => line.startsWith('- warning:') && !line.includes('require-approval')).length + pluralTypes;
    let errors = errorLines.length - pluralTypes;
    if (STOP_CONDITION_ERRORS.has(header[1])) errors = 1;
    const verdict = errors > 0 ? 'ERRORS' : warnings > 0 ? 'WARNINGS' : 'VALID';
    result.push({ folder, file: header[1], verdict, errors, pluralTypes, lines });
  }
  return result;
}

const expectations = [...readExpectations('real'), ...readExpectations('valohai-yaml-fixtures')];

/** What specific errors must say, where EXPECTED.md names them. */
const REQUIRED_SUBSTANCE: Record<string, string[]> = {
  '12-SofiaChar-valohai-evidently-drift-detection.yaml': ['step "train-model" does not exist'],
  'error--invalid-pipeline-with-override-example.yaml': ['input training-labels-error does not exist', 'parameter d does not exist', 'step "secon step" does not exist'],
  'error--invalid-edge-parts.yaml': ["'batch2.input' must have 3 parts (it has 2)"],
  'error--invalid-shorthand-edge.yaml': ['malformed edge shorthand'],
  'error--invalid-task-blueprint-reference.yaml': ['task "my-non-existent-task" does not exist'],
  'error--pipeline-with-preset-override-without-environment.yaml': ['missing "environment"'],
  'error--step-preset-without-environment.yaml': ['missing "environment"'],
  'error--step-missing-required-properties.yaml': ['`name`', '`command`', '`image` must be a string', '`command` must be a string or a list'],
  'error--endpoint-names-invalid.yaml': ['Server-endpoint', '3-server-endpoint', 'server@endpoint', 'wsgi_endpoint'],
  'error--input-name-too-long.yaml': ['too long'],
  'error--invalid-upload-store-value.yaml': ['`upload-store` is too long'],
  'error--invalid-on-error-value.yaml': ['on-error'],
  'error--wrong-edge-merge-mode.yaml': ['edge-merge-mode'],
  'error--step-stop-condition.yaml': ['stop-condition'],
  'error--task-stop-condition.yaml': ['stop-condition'],
  'warning--override-with-extra-fields-warning.yaml': ['unknown key `training-images`'],
  '26-Farx1-qgeocompress.yaml': ['unknown key `parameters`', 'unknown key `type`'],
};

describe('compatibility corpus verdicts', () => {
  test('EXPECTED.md covers every copied file', () => {
    for (const folder of ['real', 'valohai-yaml-fixtures']) {
      const files = readdirSync(join(root, folder)).filter((f) => f.endsWith('.yaml'));
      const listed = expectations.filter((e) => e.folder === folder).map((e) => e.file);
      expect([...listed].sort()).toEqual([...files].sort());
    }
    expect(expectations.length).toBe(24 + 62);
  });

  test.each(expectations.map((e) => [`${e.folder}/${e.file}`, e] as const))('%s', async (_, expected) => {
    const path = join(root, expected.folder, expected.file);
    const lineCount = readFileSync(path, 'utf8').split('\n').length;
    const result = await loadPipelineFile(path);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    const report = result.diagnostics.map(formatDiagnostic).join('\n');

    for (const d of result.diagnostics) {
      expect(d.position.line, report).toBeGreaterThanOrEqual(1);
      expect(d.position.col, report).toBeGreaterThanOrEqual(1);
      expect(d.position.line, report).toBeLessThanOrEqual(lineCount);
      expect(d.position.file).toBe(path);
    }
    if (expected.verdict === 'ERRORS') {
      expect(errors.length, report).toBe(expected.errors);
      expect(result.config).toBeUndefined();
    } else {
      expect(errors, report).toEqual([]);
      expect(result.config).toBeDefined();
      if (expected.verdict === 'VALID') expect(warnings, report).toEqual([]);
      else expect(warnings.length, report).toBeGreaterThan(0);
    }
    if (expected.pluralTypes > 0) {
      expect(warnings.filter((w) => w.code === 'plural-edge-type').length, report).toBe(expected.pluralTypes);
    }
    for (const substance of REQUIRED_SUBSTANCE[expected.file] ?? []) {
      expect(errors.some((e) => e.message.includes(substance)), `${substance}\n${report}`).toBe(true);
    }
  });
});
