/**
 * The runner simulation (test/support/runner.ts) holds actions to what GitHub's runner enforces: the
 * Node that `runs.using` names, the 1 MiB step summary, the 1 MB (UTF-16) job outputs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_OUTPUTS_LIMIT_BYTES, jobOutputsError, jobOutputsSize, nodeFor, runBundle, STEP_SUMMARY_LIMIT_BYTES } from '../support/runner.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mlops-runner-limits-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs a one-file "action" whose body is `source` (ESM), with no inputs. */
async function runScript(name: string, source: string, using?: string): Promise<Awaited<ReturnType<typeof runBundle>>> {
  const bundle = join(scratch, `${name}.mjs`);
  await writeFile(bundle, source);
  return runBundle({
    bundle,
    inputs: {},
    workspace: scratch,
    tempDir: join(scratch, `${name}-temp`),
    run: { runId: '1', repository: 'octo/repo', sha: '0'.repeat(40), ref: 'refs/heads/main', eventName: 'push', event: {} },
    ...(using ? { using } : {}),
  });
}

describe('the Node an action runs on', () => {
  it('is Node 24 for runs.using node24, as on GitHub', async () => {
    const run = await runScript('version', "console.log('node ' + process.versions.node);");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^node 24\./);
  });

  it('refuses a runs.using it has no Node for', () => {
    expect(() => nodeFor('node12')).toThrow(/no Node for runs\.using node12/);
  });
});

describe('step summary limit', () => {
  const writer = (bytes: number): string =>
    `import { appendFileSync } from 'node:fs'; appendFileSync(process.env.GITHUB_STEP_SUMMARY, 'x'.repeat(${bytes}));`;

  it('attaches a summary of exactly 1 MiB', async () => {
    const run = await runScript('summary-fits', writer(STEP_SUMMARY_LIMIT_BYTES));
    expect(run.errors).toEqual([]);
    expect(run.summary).toHaveLength(STEP_SUMMARY_LIMIT_BYTES);
  });

  it('drops a larger summary with the runner\'s error annotation', async () => {
    const run = await runScript('summary-over', writer(STEP_SUMMARY_LIMIT_BYTES + 1));
    expect(run.exitCode).toBe(0);
    expect(run.summary).toBe('');
    expect(run.errors).toEqual([expect.stringMatching(/^\$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got 1024k\./)]);
  });
});

describe('job outputs limit', () => {
  it('counts names and values in UTF-16, so 600,000 ASCII characters are over the limit', () => {
    // 600,000 UTF-8 bytes: under 1 MB as UTF-8, 1.2 MB as UTF-16.
    const outputs = { matrix: 'a'.repeat(600_000) };
    expect(jobOutputsSize(outputs)).toBe((6 + 600_000) * 2);
    expect(jobOutputsError(outputs)).toMatch(/Maximum object size exceeded \(1200012 bytes in UTF-16, the limit is 1048576\)/);
  });

  it('accepts outputs of exactly the limit and counts a non-BMP character as two code units', () => {
    const name = 'x';
    const fits = { [name]: 'b'.repeat(JOB_OUTPUTS_LIMIT_BYTES / 2 - name.length) };
    expect(jobOutputsError(fits)).toBeUndefined();
    expect(jobOutputsSize({ e: '😀' })).toBe(6);
  });
});
