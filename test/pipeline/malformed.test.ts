import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/pipeline/diagnostics.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';

/**
 * Every malformed file must give at least one error with a real line:col and the expected message,
 * and must not throw. Load times are recorded as test annotations (not asserted: timing belongs to the
 * CLI wall-time check).
 */

const folder = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'malformed');
const committed = readdirSync(folder)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const firstLine = readFileSync(join(folder, file), 'utf8').split('\n')[0] ?? '';
    const expected = /^# expect: (.+)$/.exec(firstLine)?.[1];
    return { file, path: join(folder, file), expected };
  });

// Generated at test time: too big or too binary to commit.
const generatedDir = mkdtempSync(join(tmpdir(), 'mlops-malformed-'));
afterAll(() => rmSync(generatedDir, { recursive: true, force: true }));

function generated(name: string, content: string | Uint8Array, expected: string) {
  const path = join(generatedDir, name);
  writeFileSync(path, content);
  return { file: name, path, expected };
}

const generatedCases = [
  generated('binary-garbage.yaml', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256), 'binary data or invalid UTF-8'),
  generated('invalid-utf8.yaml', Buffer.concat([Buffer.from('- step:\n    name: caf'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]), 'invalid UTF-8'),
  generated('nul-bytes.yaml', '- step:\n    name: a\u0000b\n', 'binary data'),
  generated('ten-megabytes.yaml', '- step: {name: a, image: b, command: c}\n'.repeat(256 * 1024), 'pipeline files are limited to'),
  generated('deep-block-nesting.yaml', Array.from({ length: 300 }, (_, i) => `${' '.repeat(i * 2)}- a:`).join('\n'), 'nested more than'),
  generated('deep-flow-nesting.yaml', '['.repeat(200_000), 'nested more than'),
  generated('only-a-dash.yaml', '-\n', 'must be a mapping'),
];

describe('malformed pipeline files', () => {
  test('the committed corpus is big enough and every file says what it expects', () => {
    expect(committed.length).toBeGreaterThanOrEqual(45);
    for (const entry of committed) expect(entry.expected, entry.file).toBeDefined();
  });

  test.for([...committed, ...generatedCases].map((c) => [c.file, c] as const))('%s', async ([, entry], { annotate }) => {
    const started = performance.now();
    const result = await loadPipelineFile(entry.path);
    const elapsed = performance.now() - started;
    await annotate(`loaded in ${elapsed.toFixed(1)} ms`, 'timing');
    const report = result.diagnostics.map(formatDiagnostic).join('\n');
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length, report).toBeGreaterThanOrEqual(1);
    expect(result.config).toBeUndefined();
    for (const d of result.diagnostics) {
      expect(d.position.line, report).toBeGreaterThanOrEqual(1);
      expect(d.position.col, report).toBeGreaterThanOrEqual(1);
      expect(formatDiagnostic(d)).toMatch(/^.+:\d+:\d+: (error|warning): .+/);
    }
    const wanted = entry.expected ?? '';
    expect(errors.some((e) => e.message.includes(wanted) || (e.hint ?? '').includes(wanted)), `expected "${wanted}" in:\n${report}`).toBe(true);
  });

  test('syntax errors point at the offending line', async () => {
    const result = await loadPipelineFile(join(folder, 'syntax-bad-indent.yaml'));
    // Line 1 is the `# expect:` comment; `      image: b` is line 4.
    expect(result.diagnostics[0]?.position).toMatchObject({ line: 4, col: 7 });
  });

  test('a tab in the indentation is reported at its line', async () => {
    const result = await loadPipelineFile(join(folder, 'tabs-indentation.yaml'));
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]?.position.line).toBe(3);
  });

  test('a missing file is a diagnostic, not a throw', async () => {
    const result = await loadPipelineFile(join(generatedDir, 'does-not-exist.yaml'));
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', code: 'read-failed', position: { line: 1, col: 1 } });
  });
});
