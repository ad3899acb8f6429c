// Drives the committed CLI bundle (what `npx mlops` runs) as a real process.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseMermaid } from '../support/mermaid.js';

const cli = join(import.meta.dirname, '../../dist/cli/index.js');
const malformedDir = join(import.meta.dirname, '../fixtures/malformed');

function mlops(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mlops CLI', () => {
  test('--version and --help', () => {
    expect(mlops('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = mlops('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('validate');
    expect(help.stdout).toContain('graph');
  });

  test('unknown command and unknown option are usage errors, not crashes', () => {
    const unknown = mlops('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const badOption = mlops('validate', '--nope');
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).not.toMatch(/\n\s+at /);
  });

  test('validate a missing file says so', () => {
    const result = mlops('validate', '/nonexistent/valohai.yaml');
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toMatch(/nonexistent\/valohai\.yaml/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  const malformed = readdirSync(malformedDir).filter((f) => /\.ya?ml$/.test(f)).sort();
  test('the malformed corpus is large enough', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(40);
  });

  test.each(malformed)('validate %s: exit 1, file:line:col, no stack trace', (name) => {
    const file = join(malformedDir, name);
    const result = mlops('validate', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: `));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('internal error');
  });

  test('validate --json reports counts', () => {
    const result = mlops('validate', '--json', join(import.meta.dirname, '../../examples/digits/valohai.yaml'));
    const report = JSON.parse(result.stdout) as { valid: boolean; errors: number };
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ valid: true, errors: 0 });
  });

  test('graph prints a Mermaid flowchart of the example pipeline that Mermaid parses', async () => {
    const result = mlops('graph', join(import.meta.dirname, '../../examples/digits/valohai.yaml'), '--pipeline', 'train-and-deploy');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^flowchart /);
    expect(result.stdout).toContain('find-best-model');
    await expect(parseMermaid(result.stdout)).resolves.toBe('flowchart-v2');
  });
});
