/**
 * A daemon that dies during a fallback grace period (issue 16): the real CLI daemon (keeper + worker)
 * and real model servers on loopback. The worker is killed; the keeper starts another, which adopts the
 * serving version's replicas and the warm previous version's, so the automatic fallback still works
 * within the window. Adopted replicas' exits are noticed through their exit pipes.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { exitPipePath, isOurProcess, ServerProcess } from '../../src/deploy/local/supervisor.js';
import type { DeploymentsState } from '../../src/deploy/local/manager.js';
import { FIXTURE_SERVER, getText, tempDir, until } from './helpers.js';

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

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function state(projectDir: string): Promise<DeploymentsState> {
  return JSON.parse(await readFile(join(projectDir, 'deployments', 'state.json'), 'utf8')) as DeploymentsState;
}

const PIPELINE = `- endpoint:
    name: echo
    image: node:20-slim
    server-command: exec node ${FIXTURE_SERVER}
    files:
      - name: model
        path: model.json
- x-mlops:
    deploy-targets:
      demo:
        kind: local
        sample-requests:
          - path: /healthz
            method: GET
        max-replicas: 1
        fallback-grace: 600
        fallback-min-requests: 10
        fallback-max-error-rate: 0.1
`;

describe('daemon restart during the grace period', () => {
  test('the warm previous version is adopted again and the automatic fallback still works; adopted exits are noticed', async () => {
    const { dir, cleanup } = await tempDir('mlops-deploy-restart-');
    const project = join(dir, '.mlops');
    cleanups.push(async () => {
      await mlops(['deploy', '--stop', '--project-dir', project]);
      await cleanup();
    });
    const file = join(dir, 'valohai.yaml');
    await writeFile(file, PIPELINE);
    const folder = async (name: string, content: Record<string, unknown>): Promise<string> => {
      const path = join(dir, 'models', name);
      await mkdir(path, { recursive: true });
      await writeFile(join(path, 'model.json'), JSON.stringify({ name, ...content }));
      return path;
    };
    const deploy = (path: string): Promise<{ code: number; stdout: string; stderr: string }> => mlops(['deploy', file, '--folder', path, '--deployment', 'demo', '--project-dir', project]);
    const one = await deploy(await folder('one', {}));
    expect(one.code, one.stderr).toBe(0);
    // v2 passes its checks, but its predictions answer 500: no request is sent to it before the daemon dies.
    const two = await deploy(await folder('two', { predictStatus: 500 }));
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toContain('v1 stays warm for 600 s as the automatic fallback');
    const before = await state(project);
    const endpoint = before.endpoints[0];
    expect(endpoint?.probation).toMatchObject({ version: 2, previous: 1 });
    const warmPid = endpoint?.versions[0]?.replicas?.[0]?.pid ?? 0;
    const servingPid = endpoint?.versions[1]?.replicas?.[0]?.pid ?? 0;
    expect(warmPid).toBeGreaterThan(0);

    process.kill(before.daemon?.pid ?? 0, 'SIGKILL');
    await until(async () => {
      const now = await state(project).catch(() => undefined);
      return now?.daemon !== undefined && now.daemon.pid !== before.daemon?.pid && now.endpoints[0]?.active === 2 && now.endpoints[0]?.versions[0]?.status === 'warm';
    });
    const after = await state(project);
    // Both versions' servers were adopted, not restarted; the probation's end did not move.
    expect(after.endpoints[0]?.versions[0]?.replicas?.map((r) => r.pid)).toEqual([warmPid]);
    expect(after.endpoints[0]?.versions[1]?.replicas?.map((r) => r.pid)).toEqual([servingPid]);
    expect(after.endpoints[0]?.probation).toEqual(endpoint?.probation);
    const listed = await mlops(['endpoints', '--project-dir', project]);
    expect(listed.stdout).toMatch(/v1 {2}warm/);

    // Now v2's 500s reach the threshold: the new worker falls back to the warm v1 by itself.
    const url = endpoint?.url ?? '';
    const statuses: number[] = [];
    while ((await state(project)).endpoints[0]?.versions[1]?.status !== 'failed') statuses.push((await getText(`${url}/predict`, { method: 'POST', body: '{}' })).status);
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThanOrEqual(10);
    const fellBack = await state(project);
    expect(fellBack.endpoints[0]).toMatchObject({ active: 1 });
    expect(fellBack.endpoints[0]?.probation).toBeUndefined();
    expect(fellBack.endpoints[0]?.versions[1]?.reason).toMatch(/^automatic fallback to v1: \d+ of \d+ requests failed/);
    expect(JSON.parse((await getText(`${url}/predict`, { method: 'POST', body: '{}' })).text)).toMatchObject({ model: 'one' });
    expect(fellBack.endpoints[0]?.versions[0]?.replicas?.map((r) => r.pid)).toEqual([warmPid]);

    // The adopted v1 server is killed: the worker that adopted it notices (its exit pipe) and starts another.
    expect(statSync(exitPipePath(fellBack.endpoints[0]?.versions[0]?.dir ?? '', fellBack.endpoints[0]?.versions[0]?.replicas?.[0]?.marker ?? '')).isFIFO()).toBe(true);
    process.kill(warmPid, 'SIGKILL');
    await until(async () => {
      const pids = (await state(project)).endpoints[0]?.versions[0]?.replicas?.map((r) => r.pid) ?? [];
      return pids.length === 1 && !pids.includes(warmPid);
    });
    expect(JSON.parse((await getText(`${url}/predict`, { method: 'POST', body: '{}' })).text)).toMatchObject({ model: 'one' });
  }, 120_000);

  test('an adopted replica whose server closes its exit pipe is still watched (by polling) and not taken for dead', async () => {
    const { dir, cleanup } = await tempDir('mlops-deploy-adopt-');
    cleanups.push(cleanup);
    await writeFile(join(dir, 'model.json'), JSON.stringify({ name: 'one' }));
    const spec = (script: string, marker: string): ConstructorParameters<typeof ServerProcess>[0] => ({
      script,
      cwd: dir,
      versionDir: dir,
      env: { MODEL_PATH: join(dir, 'model.json') },
      health: { path: '/healthz', timeoutMs: 10_000 },
      marker,
    });
    const { freePort } = await import('../../src/deploy/local/supervisor.js');
    for (const script of [`exec node ${FIXTURE_SERVER}`, `exec 3>&-; exec node ${FIXTURE_SERVER}`]) {
      const marker = `m${Math.random().toString(36).slice(2)}`;
      const started = new ServerProcess(spec(script, marker), await freePort());
      await started.start({ PATH: process.env['PATH'] ?? '' });
      await started.waitHealthy();
      const pid = started.pid ?? 0;
      // A second supervisor (another daemon) adopts it.
      const adopted = new ServerProcess(spec(script, marker), started.port);
      adopted.adopt(pid, started.startedAt);
      await adopted.waitHealthy();
      // The server holds its exit pipe: watched by it. One that closed it: the end-of-file is checked, then polled.
      if (script.includes('3>&-')) await until(() => adopted.exitWatch === 'poll');
      else expect(adopted.exitWatch).toBe('pipe');
      expect(adopted.running).toBe(true);
      expect(isOurProcess(pid, marker)).toBe(true);
      process.kill(-pid, 'SIGKILL');
      await adopted.whenExited();
      expect(adopted.running).toBe(false);
      await started.stop(1000);
    }
  }, 60_000);
});
