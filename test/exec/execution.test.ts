import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import { ContentStore } from '../../src/store/content-store.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { param, step, workspace } from './helpers.js';

type Workspace = Awaited<ReturnType<typeof workspace>>;
let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Alive means running: a killed child may linger as a zombie until its new parent reaps it. */
function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('runExecution', () => {
  test('runs the lines in one shell session in the repository, status from the last command', async () => {
    await writeFile(join(ws.repositoryDir, 'marker.txt'), 'repo');
    const lines: string[] = [];
    const result = await runExecution(
      ws.request(step(['export GREETING=hi', 'false', 'echo "$GREETING $(cat marker.txt)"']), { onLine: (line) => lines.push(line) }),
    );
    expect(result.status).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(lines).toEqual(['hi repo']);
    expect(result.command).toBe('export GREETING=hi\nfalse\necho "$GREETING $(cat marker.txt)"');
    const log = await readFile(result.logPath, 'utf8');
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[stdout\] hi repo$/m);
  });

  test('a failing last command fails the execution with its exit code', async () => {
    const result = await runExecution(ws.request(step(['echo before', 'echo oops >&2; exit 3'])));
    expect(result.status).toBe('failed');
    expect(result.exitCode).toBe(3);
    expect(result.reason).toBe('exit code 3');
    expect(await readFile(result.logPath, 'utf8')).toContain('[stderr] oops');
  });

  test('parameter values reach the command only as literal text', async () => {
    const evil = `$(touch pwned) '; touch pwned2; echo '"\`touch pwned3\`"`;
    const s = step('printf "%s\\n" {parameter-value:msg} {parameters}', { parameters: [param('msg')] });
    const lines: string[] = [];
    const result = await runExecution(ws.request(s, { parameters: { msg: evil }, onLine: (line) => lines.push(line) }));
    expect(result.status).toBe('succeeded');
    expect(lines).toEqual([evil, `--msg=${evil}`]);
    for (const name of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(join(ws.repositoryDir, name))).toBe(false);
  });

  test('sets VH_* variables, config files and step environment defaults', async () => {
    const s = step(
      [
        'echo "$VH_INPUTS_DIR|$VH_OUTPUTS_DIR|$VH_CONFIG_DIR|$VH_REPOSITORY_DIR|$VH_JOB_ID|$VH_EXECUTION_ID|$VH_PIPELINE_ID|$VH_PIPELINE_NODE_ID"',
        'echo "$FROM_STEP $FROM_REQUEST"',
      ],
      {
        parameters: [param('lr', { type: 'float', default: 1 }), param('epochs', { type: 'integer' })],
        environmentVariables: [
          { name: 'FROM_STEP', default: 'step-default', optional: true },
          { name: 'FROM_REQUEST', default: 'overridden', optional: true },
        ],
      },
    );
    const lines: string[] = [];
    const req = ws.request(s, {
      parameters: { epochs: 5 },
      environment: { FROM_REQUEST: 'request' },
      context: { pipelineId: 'p1', nodeName: 'train-node', counter: 7, commit: 'abc' },
      onLine: (line) => lines.push(line),
    });
    const result = await runExecution(req);
    expect(result.status).toBe('succeeded');
    const dir = req.executionDir;
    expect(lines[0]).toBe(
      [join(dir, 'inputs'), join(dir, 'outputs'), join(dir, 'config'), ws.repositoryDir, 'exec-e1', 'e1', 'p1', 'train-node'].join('|'),
    );
    expect(lines[1]).toBe('step-default request');
    expect(JSON.parse(await readFile(join(dir, 'config', 'parameters.json'), 'utf8'))).toEqual({ lr: 1, epochs: 5 });
    const execution = JSON.parse(await readFile(join(dir, 'config', 'execution.json'), 'utf8')) as Record<string, unknown>;
    expect(execution).toMatchObject({
      'valohai.execution-id': 'e1',
      'valohai.execution-step': 'train',
      'valohai.pipeline-id': 'p1',
      'valohai.pipeline-node-id': 'train-node',
      'valohai.execution-counter': 7,
      'valohai.commit-identifier': 'abc',
    });
    expect(await readFile(join(dir, 'command.sh'), 'utf8')).toBe(`${result.command}\n`);
  });

  test('a required environment variable without a value is a configuration error', async () => {
    const s = step('true', { environmentVariables: [{ name: 'MLOPS_TEST_SURELY_UNSET', optional: false }] });
    await expect(runExecution(ws.request(s))).rejects.toThrow(ConfigurationError);
  });

  test('metadata lines become events with series and latest values', async () => {
    const s = step([
      `echo '{"epoch": 1, "loss": 0.5}'`,
      'echo not metadata {',
      `echo '{"epoch": 2, "loss": 0.25, "_time": "2024-01-01T00:00:00Z"}'`,
      `echo '[1, 2]'`,
      `echo '{"acc": 0.9}'`,
    ]);
    const result = await runExecution(ws.request(s));
    expect(result.metadata.map((event) => event.values)).toEqual([{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: 0.25 }, { acc: 0.9 }]);
    expect(result.metadata[1]?.time).toBe('2024-01-01T00:00:00Z');
    expect(result.metadata[0]?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(result.latestMetadata).toEqual({ epoch: 2, loss: 0.25, acc: 0.9 });
  });

  test('outputs in sub-folders go to the store with their sha256, even when the command fails', async () => {
    const s = step([
      'mkdir -p "$VH_OUTPUTS_DIR/models/best"',
      'printf model > "$VH_OUTPUTS_DIR/models/best/model.bin"',
      'printf metrics > "$VH_OUTPUTS_DIR/metrics.json"',
      'ln -s /etc/hostname "$VH_OUTPUTS_DIR/escape"',
      'ln -s metrics.json "$VH_OUTPUTS_DIR/alias.json"',
      'exit 1',
    ]);
    const warnings: string[] = [];
    const result = await runExecution(ws.request(s), { onWarning: (message) => warnings.push(message) });
    expect(result.status).toBe('failed');
    expect(result.outputs).toEqual([
      { path: 'alias.json', size: 7, sha256: sha('metrics') },
      { path: 'metrics.json', size: 7, sha256: sha('metrics') },
      { path: 'models/best/model.bin', size: 5, sha256: sha('model') },
    ]);
    expect(warnings.some((w) => w.includes('escape'))).toBe(true);
    const store = new ContentStore(ws.storeDir);
    expect(await readFile(store.pathOf(sha('model')), 'utf8')).toBe('model');
    expect(await store.verify(sha('metrics'))).toBe(true);
  });

  test('output names with control characters and links to folders are skipped', async () => {
    const s = step([
      'printf a > "$VH_OUTPUTS_DIR/$(printf "bad\\nname")"',
      'mkdir "$VH_OUTPUTS_DIR/dir" && printf b > "$VH_OUTPUTS_DIR/dir/b"',
      'ln -s dir "$VH_OUTPUTS_DIR/dirlink"',
    ]);
    const warnings: string[] = [];
    const result = await runExecution(ws.request(s), { onWarning: (message) => warnings.push(message) });
    expect(result.outputs.map((output) => output.path)).toEqual(['dir/b']);
    expect(warnings).toHaveLength(2);
  });

  test('time-limit kills the whole process group, children included', async () => {
    const pidFile = join(ws.root, 'child.pid');
    const s = step([`sleep 300 & echo $! > ${pidFile}`, 'echo started', 'sleep 300'], { timeLimit: 1 });
    const result = await runExecution(ws.request(s));
    expect(result.status).toBe('timed-out');
    expect(result.reason).toBe('time-limit of 1s exceeded');
    const childPid = Number(await readFile(pidFile, 'utf8'));
    expect(childPid).toBeGreaterThan(0);
    expect(processAlive(childPid)).toBe(false);
  });

  test('a program that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const s = step(["trap '' TERM", 'echo ready', 'while true; do sleep 1; done'], { timeLimit: 1 });
    const result = await runExecution(ws.request(s), { killGraceMs: 500 });
    expect(result.status).toBe('timed-out');
  });

  test('no-output-timeout stops a silent program', async () => {
    const s = step(['echo one line', 'sleep 300'], { noOutputTimeout: 1 });
    const result = await runExecution(ws.request(s));
    expect(result.status).toBe('timed-out');
    expect(result.reason).toBe('no output for 1s (no-output-timeout)');
  });

  test('stop-condition stops the execution after the metadata makes it true', async () => {
    const s = step(
      ['for i in 1 2 3 4 5 6 7 8 9; do echo "{\\"loss\\": 0.$((10 - i))}"; sleep 0.2; done', 'sleep 300'],
      { stopCondition: 'loss < 0.5' },
    );
    const result = await runExecution(ws.request(s));
    expect(result.status).toBe('stopped');
    expect(result.reason).toBe('stop-condition "loss < 0.5" met');
    expect(result.latestMetadata.loss).toBe(0.4);
    expect(result.metadata.map((event) => event.values.loss)).toEqual([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
  });

  test('an invalid stop-condition is a configuration error', async () => {
    await expect(runExecution(ws.request(step('true', { stopCondition: 'loss <' })))).rejects.toThrow(/stop-condition/);
  });

  test('aborting the signal cancels the execution', async () => {
    const controller = new AbortController();
    const s = step(['echo started', 'sleep 300']);
    const result = await runExecution(
      ws.request(s, {
        signal: controller.signal,
        onLine: (line) => {
          if (line === 'started') controller.abort();
        },
      }),
    );
    expect(result.status).toBe('cancelled');
  });

  test('a shebang line makes the script run under that interpreter', async () => {
    const lines: string[] = [];
    const result = await runExecution(
      ws.request(step(['', '#!/usr/bin/env node', 'console.log(process.version.startsWith("v"))']), { onLine: (l) => lines.push(l) }),
    );
    expect(result.status).toBe('succeeded');
    expect(lines).toEqual(['true']);
  });

  test('hard-coded /valohai paths produce a warning where no private /valohai is made', async () => {
    const warnings: string[] = [];
    // With a mount namespace (namespace.ts) the paths simply work; without one the command is warned about.
    await runExecution(ws.request(step('ls /valohai/inputs/train/ || true')), { onWarning: (m) => warnings.push(m), valohaiNamespace: 'off' });
    expect(warnings.join('\n')).toContain('$VH_INPUTS_DIR');
    expect(warnings.join('\n')).toContain('/valohai/inputs/train/');
  });

  test('the store file of an output is read-only', async () => {
    const result = await runExecution(ws.request(step('printf x > "$VH_OUTPUTS_DIR/x"')));
    const info = await stat(new ContentStore(ws.storeDir).pathOf(result.outputs[0]?.sha256 ?? ''));
    expect(info.mode & 0o777).toBe(0o444);
  });
});
