import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import type { DeploymentsState } from '../../src/deploy/local/manager.js';
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

async function mlops(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let projectDir = '';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  if (projectDir) {
    await mlops(['deploy', '--stop', '--project-dir', projectDir]);
    const state = JSON.parse(await readFile(join(projectDir, 'deployments', 'state.json'), 'utf8').catch(() => '{}')) as Partial<DeploymentsState>;
    if (state.daemon) {
      try {
        process.kill(state.daemon.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  for (const cleanup of cleanups) await cleanup();
});

describe('mlops deploy / endpoints / rollback (examples/digits)', () => {
  test('the best model of train-and-deploy answers on a local URL; rollback and stop work', async () => {
    const { dir, cleanup } = await tempDir('mlops-deploy-cli-');
    cleanups.push(cleanup);
    projectDir = join(dir, '.mlops');
    const trained = await mlops(['run', 'examples/digits/valohai.yaml', '--pipeline', 'train-and-deploy', '--project-dir', projectDir]);
    expect(trained.code, trained.stderr).toBe(0);

    const first = await mlops(['deploy', '--run', 'latest', '--project-dir', projectDir, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout) as { ok: boolean; endpoint: { url: string; deployment: string; endpoint: string }; version: { number: number; dir: string } };
    expect(result.endpoint).toMatchObject({ deployment: 'digits', endpoint: 'predict-digit' });
    // The deployed file is the one find-best-model chose.
    const best = await readFile(join(result.version.dir, 'model.json'), 'utf8');
    const runs = JSON.parse((await mlops(['runs', '--json', '--project-dir', projectDir])).stdout) as { id: string }[];
    const record = JSON.parse(await readFile(join(projectDir, 'runs', runs[0]?.id ?? '', 'run.json'), 'utf8')) as { nodes: Record<string, { executions: { outputs: { path: string; sha256: string }[] }[] }> };
    const chosen = record.nodes['find-best-model']?.executions[0]?.outputs.find((o) => o.path === 'model.json');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(best).digest('hex')).toBe(chosen?.sha256);

    const pixels = Array.from({ length: 64 }, (_, i) => (i * 7) % 17);
    const answer = await fetch(`${result.endpoint.url}/predict`, { method: 'POST', body: JSON.stringify({ pixels }) });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { prediction: number; probabilities: number[] };
    expect(body.probabilities).toHaveLength(10);

    const payload = join(dir, 'digit.json');
    await writeFile(payload, JSON.stringify({ pixels }));
    const second = await mlops(['deploy', '--run', 'latest', '--project-dir', projectDir, '--load-test-seconds', '1', '--payload', payload, '--max-p99-ms', '10000']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`v2 (model`);
    expect(second.stdout).toContain(result.endpoint.url);
    expect(second.stdout).toMatch(/inference performance: \d+ requests in 1\.\d s: \d+ req\/s, p50 [\d.]+ ms, p99 [\d.]+ ms, 0 errors\n/);
    const measured = JSON.parse(await readFile(join(projectDir, 'deployments/digits/predict-digit/v2/load-test.json'), 'utf8')) as { ok: boolean; requests: number };
    expect(measured.ok).toBe(true);
    expect(measured.requests).toBeGreaterThan(0);

    const listed = await mlops(['endpoints', '--project-dir', projectDir]);
    expect(listed.stdout).toMatch(/digits\/predict-digit: v2 serving at http:\/\/127\.0\.0\.1:\d+/);
    expect(listed.stdout).toMatch(/v1 {2}stopped/);

    const back = await mlops(['rollback', '--project-dir', projectDir]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/rolled back: digits\/predict-digit v1/);
    expect((await fetch(`${result.endpoint.url}/healthz`)).status).toBe(200);

    const again = await mlops(['rollback', '--project-dir', projectDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has no earlier version to roll back to');

    // A latency limit no server meets: the check fails and the previous version serves again.
    const tooSlow = await mlops(['deploy', '--run', 'latest', '--project-dir', projectDir, '--load-test-seconds', '1', '--payload', payload, '--max-p99-ms', '0.001']);
    expect(tooSlow.code).toBe(1);
    expect(tooSlow.stdout).toMatch(/FAILED: p99 latency [\d.]+ ms is above the 0\.001 ms limit\nrolled back: v1 /);

    const stopped = await mlops(['deploy', '--stop', '--project-dir', projectDir]);
    expect(stopped.stdout).toContain('stopped digits/predict-digit');
    await expect(fetch(`${result.endpoint.url}/healthz`)).rejects.toThrow();
  }, 90_000);

  test('a missing model version is one clear message', async () => {
    const { dir, cleanup } = await tempDir('mlops-deploy-cli-');
    cleanups.push(cleanup);
    const none = await mlops(['deploy', 'examples/digits/valohai.yaml', '--project-dir', join(dir, '.mlops')]);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('mlops: give the model version with exactly one of --run RUN (a run id or latest) or --folder DIR\n');
    const noRun = await mlops(['deploy', '--run', 'latest', '--project-dir', join(dir, '.mlops')]);
    expect(noRun.stderr).toMatch(/^mlops: no runs in /);
  }, 30_000);
});
