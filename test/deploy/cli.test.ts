import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import type { DeploymentsState } from '../../src/deploy/local/manager.js';
import { readFileSync } from 'node:fs';
import { loadLoop, processes, tempDir, until } from './helpers.js';

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
    // examples/digits declares a sample request: the version answered it before any traffic.
    expect((result as unknown as { message: string }).message).toContain('1 sample request(s) answered within 1000 ms');
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
    expect(second.stdout).toMatch(/inference performance \(candidate, before the switch\): \d+ requests in 1\.\d s: \d+ req\/s, p50 [\d.]+ ms, p99 [\d.]+ ms, 0 errors\n/);
    expect(second.stdout).toContain('1 sample request(s) answered within 1000 ms; v1 stays warm for 300 s as the automatic fallback');
    const measured = JSON.parse(await readFile(join(projectDir, 'deployments/digits/predict-digit/v2/load-test.json'), 'utf8')) as { ok: boolean; requests: number };
    expect(measured.ok).toBe(true);
    expect(measured.requests).toBeGreaterThan(0);

    const listed = await mlops(['endpoints', '--project-dir', projectDir]);
    expect(listed.stdout).toMatch(/digits\/predict-digit: v2 serving at http:\/\/127\.0\.0\.1:\d+/);
    expect(listed.stdout).toMatch(/v1 {2}warm/);
    expect(listed.stdout).toMatch(/v2 {2}serving .* 1 replica/);

    const back = await mlops(['rollback', '--project-dir', projectDir]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(/rolled back: digits\/predict-digit v1 .*serving again.*still warm/);
    expect((await fetch(`${result.endpoint.url}/healthz`)).status).toBe(200);

    const again = await mlops(['rollback', '--project-dir', projectDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('has no earlier version that has not failed to roll back to');

    // A latency limit no server meets: the candidate is refused before any traffic; v1 keeps serving.
    const tooSlow = await mlops(['deploy', '--run', 'latest', '--project-dir', projectDir, '--load-test-seconds', '1', '--payload', payload, '--max-p99-ms', '0.001']);
    expect(tooSlow.code).toBe(1);
    expect(tooSlow.stdout).toMatch(/deploy failed: digits\/predict-digit v3 failed its checks, v1 keeps serving: load test on the candidate: .*FAILED: p99 latency [\d.]+ ms is above the 0\.001 ms limit/);
    const why = await mlops(['endpoints', '--project-dir', projectDir]);
    expect(why.stdout).toMatch(/v3 {2}failed .*\n {6}rejected: refused before any traffic: load test on the candidate/);

    // The daemon's worker is killed: its keeper starts another, which adopts the running model server.
    const state = JSON.parse(await readFile(join(projectDir, 'deployments', 'state.json'), 'utf8')) as DeploymentsState;
    const serverPid = state.endpoints[0]?.versions[0]?.replicas?.[0]?.pid ?? 0;
    const loop = loadLoop(`${result.endpoint.url}/predict`, JSON.stringify({ pixels }));
    await loop.after(20);
    process.kill(state.daemon?.pid ?? 0, 'SIGKILL');
    await until(async () => {
      const now = JSON.parse(await readFile(join(projectDir, 'deployments', 'state.json'), 'utf8')) as DeploymentsState;
      return now.daemon !== undefined && now.daemon.pid !== state.daemon?.pid && now.endpoints[0]?.active === 1;
    });
    await loop.after(20);
    const figures = await loop.stop();
    process.stdout.write(`daemon kill figures: ${JSON.stringify(figures)}\n`);
    const adopted = JSON.parse(await readFile(join(projectDir, 'deployments', 'state.json'), 'utf8')) as DeploymentsState;
    expect(adopted.endpoints[0]?.versions[0]?.replicas?.[0]?.pid).toBe(serverPid);

    // A reader that closes the pipe early is a normal end.
    const { spawn } = await import('node:child_process');
    const piped = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'endpoints', '--project-dir', projectDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    piped.stdout.destroy();
    let stderr = '';
    piped.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((done) => piped.once('close', done));
    expect([code, stderr]).toEqual([0, '']);

    const stopped = await mlops(['deploy', '--stop', '--project-dir', projectDir]);
    expect(stopped.stdout).toContain('stopped digits/predict-digit');
    await expect(fetch(`${result.endpoint.url}/healthz`)).rejects.toThrow();
    await until(() => {
      try {
        process.kill(serverPid, 0);
        return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${serverPid}/stat`, 'utf8'));
      } catch {
        return true;
      }
    });
  }, 300_000); // about 120 s at a load average of 23 on 2 cores

  test('two deploys at once start one daemon', async () => {
    const { dir, cleanup } = await tempDir('mlops-deploy-cli-');
    cleanups.push(cleanup);
    const project = join(dir, '.mlops');
    // Stopped even when an assertion fails half-way (cleanups run in order: before the folder goes).
    cleanups.unshift(async () => {
      await mlops(['deploy', '--stop', '--project-dir', project]);
    });
    const folder = join(dir, 'model');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'model.json'), JSON.stringify({ name: 'one' }));
    const file = join(dir, 'valohai.yaml');
    await writeFile(file, `- endpoint:\n    name: echo\n    image: node:20-slim\n    server-command: exec node ${join(ROOT, 'test/deploy/fixture-server.mjs')}\n    files:\n      - name: model\n        path: model.json\n`);
    const both = await Promise.all([0, 1].map(() => mlops(['deploy', file, '--folder', folder, '--deployment', 'demo', '--project-dir', project, '--json'])));
    for (const one of both) expect(one.code, one.stderr).toBe(0);
    const keepers = processes().filter((p) => p.cmdline.endsWith(`deploy --daemon --project-dir ${project}`));
    expect(keepers).toHaveLength(1);
  }, 60_000);

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
