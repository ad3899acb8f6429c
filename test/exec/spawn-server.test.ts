/**
 * The spawn helper (src/exec/spawn-server.ts) against Node's own spawn: the same commands started both
 * ways must be seen the same way (exit codes, signals, output bytes, environment, cwd, signal state, open
 * fds, session and group, spawn errors), and through runExecution the same outcomes. Real processes.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import { resetSpawnHelper, spawnHelperPid, spawnStep, type SpawnerChoice } from '../../src/exec/spawn-server.js';
import { step, workspace } from './helpers.js';

const hasPython = spawnSync('python3', ['-c', 'import os; os.posix_spawn'], { stdio: 'ignore' }).status === 0;
const SPAWNERS = ['node', 'helper'] as const;

interface Seen {
  events: string[];
  pid: number | undefined;
  code: number | null;
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  error?: string;
  thrown?: string;
}

/** Starts a command with one spawner and watches it to its end, as runProcess does. */
function watch(spawner: SpawnerChoice, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Seen> {
  return new Promise((resolveSeen) => {
    const seen: Seen = { events: [], pid: undefined, code: null, signal: null, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
    let child;
    try {
      child = spawnStep(command, args, { cwd, env, spawner });
    } catch (error) {
      resolveSeen({ ...seen, thrown: error instanceof Error ? error.message : String(error) });
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('spawn', () => {
      seen.events.push('spawn');
      seen.pid = child.pid;
    });
    child.on('error', (error) => {
      seen.events.push('error');
      resolveSeen({ ...seen, error: error.message });
    });
    child.on('exit', () => seen.events.push('exit'));
    child.on('close', (code, signal) => {
      seen.events.push('close');
      resolveSeen({ ...seen, code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
  });
}

/** The same command through both spawners: what was seen, pids left out (they differ by nature). */
async function both(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] }): Promise<Record<'node' | 'helper', Seen>> {
  const [node, helper] = await Promise.all(SPAWNERS.map((spawner) => watch(spawner, command, args, cwd, env)));
  return { node: node as Seen, helper: helper as Seen };
}

const digest = (data: Buffer): string => `${data.length} bytes, sha256 ${createHash('sha256').update(data).digest('hex')}`;

/** What must be the same from both spawners (pids differ by nature; output compared by digest). */
function withoutPid(seen: Seen): Record<string, unknown> {
  const { pid: _pid, stdout, stderr, ...rest } = seen;
  return { ...rest, stdout: digest(stdout), stderr: digest(stderr) };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-spawn-'));
});
afterAll(async () => {
  resetSpawnHelper();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => resetSpawnHelper());

describe.skipIf(!hasPython)('the spawn helper starts steps as Node spawn does', () => {
  test('exit codes and signals', async () => {
    for (const script of ['exit 0', 'exit 3', 'exit 255', 'kill -TERM $$', 'kill -KILL $$', 'kill -ABRT $$', 'echo partial; kill -USR1 $$']) {
      const seen = await both('/bin/sh', ['-c', script], dir);
      expect(withoutPid(seen.helper), script).toEqual(withoutPid(seen.node));
      expect(seen.helper.events).toEqual(['spawn', 'exit', 'close']);
    }
    const seen = await both('/bin/sh', ['-c', 'kill -TERM $$'], dir);
    expect([seen.helper.code, seen.helper.signal]).toEqual([null, 'SIGTERM']);
  });

  test('output bytes: binary, no trailing newline, megabytes on both streams, interleaved', async () => {
    const blob = join(dir, 'blob.bin');
    spawnSync('/bin/sh', ['-c', `head -c 3000000 /dev/urandom > '${blob}'`]);
    const script = `printf 'no newline'; printf '\\0\\377\\n' >&2; cat '${blob}'; cat '${blob}' >&2; for i in 1 2 3; do echo out$i; echo err$i >&2; done; printf end`;
    const seen = await both('/bin/sh', ['-c', script], dir);
    expect(withoutPid(seen.helper)).toEqual(withoutPid(seen.node));
    const file = readFileSync(blob);
    expect(digest(seen.helper.stdout)).toBe(digest(Buffer.concat([Buffer.from('no newline'), file, Buffer.from('out1\nout2\nout3\nend')])));
    expect(seen.helper.stderr.length).toBe(3 + file.length + 15);
  });

  test('output nobody reads does not hold back the end', async () => {
    for (const spawner of SPAWNERS) {
      const child = spawnStep('/bin/sh', ['-c', 'echo unread; echo unread >&2; exit 5'], { cwd: dir, env: {}, spawner });
      const [code] = await new Promise<unknown[]>((resolveClose) => child.on('close', (...args) => resolveClose(args)));
      expect(code, spawner).toBe(5);
    }
  });

  test('many steps at once, each with its own output', async () => {
    const runs = await Promise.all(
      Array.from({ length: 24 }, (_, i) => watch('helper', '/bin/sh', ['-c', `i=0; while [ $i -lt 2000 ]; do echo "step ${i} line $i"; i=$((i + 1)); done; exit ${i % 7}`], dir, {})),
    );
    runs.forEach((seen, i) => {
      expect(seen.code).toBe(i % 7);
      const lines = seen.stdout.toString().trimEnd().split('\n');
      expect(lines).toHaveLength(2000);
      expect(lines[1999]).toBe(`step ${i} line 1999`);
    });
  });

  test('exactly the environment and cwd given, non-ASCII included', async () => {
    const cwd = join(dir, 'wörk dir');
    await mkdir(cwd, { recursive: true });
    const env = { PATH: process.env['PATH'], A: 'x y', EMPTY: '', UNICODE: 'é ✓ \u{1F600}', LONE: 'a\uD800b', SKIPPED: undefined, NUMBER: 7 as unknown as string };
    const seen = await both('/bin/sh', ['-c', 'pwd; env | LC_ALL=C sort; printf "%s|" "$@"', 'sh', 'ä', '', 'b c'], cwd, env);
    expect(withoutPid(seen.helper)).toEqual(withoutPid(seen.node));
    const text = seen.helper.stdout.toString('utf8');
    expect(text.split('\n')[0]).toBe(cwd);
    expect(text).toContain('UNICODE=é ✓ \u{1F600}\n');
    expect(text).toContain('NUMBER=7\n');
    expect(text).not.toContain('SKIPPED');
    expect(text.endsWith('ä||b c|')).toBe(true);
  });

  test('signal dispositions, mask, open fds, session and group', async () => {
    const status = await both('/bin/grep', ['-E', '^Sig(Ign|Blk|Cgt)', '/proc/self/status'], dir);
    const fields = (seen: Seen): Record<string, bigint> =>
      Object.fromEntries(seen.stdout.toString().trim().split('\n').map((line) => [line.split(':')[0], BigInt(`0x${line.split(/\s+/)[1]}`)]));
    const [helper, node] = [fields(status.helper), fields(status.node)];
    expect(node).toEqual({ SigBlk: 0n, SigIgn: 0n, SigCgt: helper['SigCgt'] });
    // glibc's posix_spawn ignores its two internal signals (32, 33: SIGCANCEL, SIGSETXID) in the child and
    // setsigdef cannot name them; every other signal is at its default, as libuv leaves them.
    expect(helper).toEqual({ SigBlk: 0n, SigIgn: expect.toSatisfy((mask: bigint) => (mask & ~0x180000000n) === 0n), SigCgt: node['SigCgt'] });
    const fds = await both('/bin/ls', ['/proc/self/fd'], dir);
    expect(withoutPid(fds.helper)).toEqual(withoutPid(fds.node));
    // 0–2, ls's own listing (3), and what this process itself lets every child inherit (no CLOEXEC; Node passes
    // those on too): nothing of the helper's.
    const listed = fds.helper.stdout.toString().split('\n').filter(Boolean).map(Number);
    expect(listed.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, ...inheritedFds()].sort((a, b) => a - b));
    const stdin = await both('/bin/sh', ['-c', 'readlink /proc/self/fd/0; cat'], dir);
    expect(withoutPid(stdin.helper)).toEqual(withoutPid(stdin.node));
    for (const spawner of SPAWNERS) {
      const seen = await watch(spawner, '/bin/sh', ['-c', 'cut -d" " -f1,5,6 /proc/$$/stat'], dir, {});
      const pid = String(seen.pid);
      expect(seen.stdout.toString().trim(), spawner).toBe(`${pid} ${pid} ${pid}`);
    }
  });

  test('a shebang script, and the spawn errors Node gives', async () => {
    const script = join(dir, 'hello.sh');
    await writeFile(script, '#!/bin/sh\necho "hello from $0"\n');
    chmodSync(script, 0o755);
    const ran = await both(script, [], dir);
    expect(withoutPid(ran.helper)).toEqual(withoutPid(ran.node));
    expect(ran.helper.stdout.toString()).toBe(`hello from ${script}\n`);

    const badInterpreter = join(dir, 'bad.sh');
    await writeFile(badInterpreter, '#!/nonexistent/interpreter\necho never\n');
    chmodSync(badInterpreter, 0o755);
    const notExecutable = join(dir, 'plain.sh');
    await writeFile(notExecutable, 'echo never\n');
    const cases: [string, string[], string][] = [
      ['/nonexistent/program', [], dir],
      [badInterpreter, [], dir],
      [notExecutable, [], dir],
      ['/bin/sh', ['-c', 'true'], join(dir, 'no-such-dir')],
      ['/bin/sh', ['-c', 'true'], script], // a file as cwd: Node throws `spawn ENOTDIR`, the helper reports it as 'error'
      ['/bin/sh', ['-c', 'a\0b'], dir],
    ];
    for (const [command, args, cwd] of cases) {
      const seen = await both(command, args, cwd);
      const message = (s: Seen): string | undefined => s.error ?? s.thrown;
      expect(message(seen.helper), command).toBe(message(seen.node));
      expect(message(seen.helper)).toBeDefined();
    }
    expect((await watch('helper', notExecutable, [], dir, {})).error).toBe(`spawn ${notExecutable} EACCES`);
    expect((await watch('helper', badInterpreter, [], dir, {})).error).toBe(`spawn ${badInterpreter} ENOENT`);
  });
});

describe.skipIf(!hasPython)('executions through each spawner', () => {
  const saved = process.env['MLOPS_SPAWNER'];
  afterEach(() => {
    if (saved === undefined) delete process.env['MLOPS_SPAWNER'];
    else process.env['MLOPS_SPAWNER'] = saved;
  });

  /** Runs the step once per spawner; the parent of the command says which one started it. */
  async function outcomes(s: ReturnType<typeof step>, options: { killGraceMs?: number } = {}): Promise<Record<string, unknown>[]> {
    const results: Record<string, unknown>[] = [];
    for (const spawner of SPAWNERS) {
      process.env['MLOPS_SPAWNER'] = spawner;
      const ws = await workspace();
      try {
        const result = await runExecution(ws.request(s), options);
        results.push({ status: result.status, exitCode: result.exitCode, reason: result.reason, metadata: result.metadata.map((m) => m.values) });
      } finally {
        await ws.cleanup();
      }
    }
    return results;
  }

  test('the parent of the step is the helper, or this process with MLOPS_SPAWNER=node', async () => {
    const parents: string[] = [];
    for (const spawner of SPAWNERS) {
      process.env['MLOPS_SPAWNER'] = spawner;
      const ws = await workspace();
      const lines: string[] = [];
      await runExecution(ws.request(step('echo "parent $PPID"'), { onLine: (line) => lines.push(line) }));
      await ws.cleanup();
      parents.push(lines.find((line) => line.startsWith('parent '))?.slice(7) ?? '');
    }
    expect(parents).toEqual([String(process.pid), String(spawnHelperPid())]);
  });

  test('a background child does not outlive the command', async () => {
    for (const spawner of SPAWNERS) {
      process.env['MLOPS_SPAWNER'] = spawner;
      const ws = await workspace();
      const pidFile = join(ws.root, 'bg.pid');
      const result = await runExecution(ws.request(step([`sleep 300 & echo $! > '${pidFile}'`, 'echo done'])), { killGraceMs: 500 });
      expect(result.status, spawner).toBe('succeeded');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(processGone(pid), spawner).toBe(true);
      await ws.cleanup();
    }
  });

  test('stop-condition, no-output-timeout, time-limit and a signal end the same way', async () => {
    const stopped = await outcomes(step(['for i in 1 2 3 4 5 6 7 8 9; do echo "{\\"loss\\": 0.$((10 - i))}"; sleep 0.1; done', 'sleep 300'], { stopCondition: 'loss < 0.5' }));
    expect(stopped[1]).toEqual(stopped[0]);
    expect(stopped[0]).toMatchObject({ status: 'stopped', reason: 'stop-condition "loss < 0.5" met' });
    const silent = await outcomes(step(['echo one line', 'sleep 300'], { noOutputTimeout: 1 }));
    expect(silent[1]).toEqual(silent[0]);
    expect(silent[0]).toMatchObject({ status: 'timed-out', reason: 'no output for 1s (no-output-timeout)' });
    const stubborn = await outcomes(step(["trap '' TERM", 'echo ready', 'while true; do sleep 1; done'], { timeLimit: 1 }), { killGraceMs: 300 });
    expect(stubborn[1]).toEqual(stubborn[0]);
    expect(stubborn[0]).toMatchObject({ status: 'timed-out' });
    const killed = await outcomes(step('kill -TERM $$'));
    expect(killed[1]).toEqual(killed[0]);
    expect(killed[0]).toMatchObject({ status: 'failed', reason: 'killed by SIGTERM' });
  });
});

/** Gone means not running: a killed process may linger as a zombie until its new parent reaps it. */
function processGone(pid: number): boolean {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return true;
    } catch {
      return true;
    }
    spawnSync('sleep', ['0.05']);
  }
  return false;
}

describe.skipIf(!hasPython)('when the helper cannot be used', () => {
  test('a helper killed under running steps fails them with one reason and kills their groups; later steps use Node spawn', async () => {
    const running = [watch('helper', '/bin/sh', ['-c', 'echo started; sleep 300'], dir, {}), watch('auto', '/bin/sh', ['-c', 'sleep 300'], dir, {})];
    const pids: number[] = [];
    // Both started (their pids known) before the helper is killed.
    for (let attempt = 0; attempt < 400 && pids.length < 2; attempt++) {
      pids.splice(0, pids.length, ...listChildren(spawnHelperPid()));
      if (pids.length < 2) await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    expect(pids).toHaveLength(2);
    const helperPid = spawnHelperPid() ?? 0;
    process.kill(helperPid, 'SIGKILL');
    for (const seen of await Promise.all(running)) {
      expect(seen.events).toEqual(['spawn', 'error']);
      expect(seen.error).toBe(`the spawn helper (python3, pid ${helperPid}) ended: killed by SIGKILL; the step's process group ${seen.pid} was killed`);
      expect(processGone(seen.pid ?? 0)).toBe(true);
    }
    const after = await watch('auto', '/bin/sh', ['-c', 'echo $PPID'], dir, {});
    expect(after.stdout.toString().trim()).toBe(String(process.pid));
    const insisted = await watch('helper', '/bin/sh', ['-c', 'true'], dir, {});
    expect(insisted.error).toMatch(/^the spawn helper is unavailable \(MLOPS_SPAWNER=helper\): the spawn helper \(python3, pid \d+\) ended: killed by SIGKILL$/);
  });

});

describe('without python3', () => {
  test('without python3 on PATH steps start with Node spawn and run as before', async () => {
    const bin = join(dir, 'bin-without-python');
    await mkdir(bin, { recursive: true });
    for (const tool of ['sh', 'cat', 'sleep']) await symlink(`/bin/${tool}`, join(bin, tool)).catch(() => undefined);
    const path = process.env['PATH'];
    process.env['PATH'] = bin;
    try {
      const seen = await watch('auto', '/bin/sh', ['-c', 'echo "parent $PPID"; exit 4'], dir, {});
      expect(seen.stdout.toString()).toBe(`parent ${process.pid}\n`);
      expect(seen.code).toBe(4);
      const ws = await workspace();
      const result = await runExecution(ws.request(step(['echo ok', 'exit 0'])));
      await ws.cleanup();
      expect(result.status).toBe('succeeded');
      const insisted = await watch('helper', '/bin/sh', ['-c', 'true'], dir, {});
      expect(insisted.error).toBe('the spawn helper is unavailable (MLOPS_SPAWNER=helper): the spawn helper (python3) could not start: could not start python3: spawn python3 ENOENT');
    } finally {
      process.env['PATH'] = path;
    }
  });
});

/** This process's descriptors above 2 without close-on-exec: every child inherits them, whoever starts it. */
function inheritedFds(): number[] {
  return readdirSync('/proc/self/fd')
    .map(Number)
    .filter((fd) => {
      const flags = /^flags:\s+(\d+)$/m.exec(readFileSafe(`/proc/self/fdinfo/${fd}`))?.[1];
      return fd > 2 && flags !== undefined && (parseInt(flags, 8) & 0o2000000) === 0;
    });
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The pids whose parent is `parent`. */
function listChildren(parent: number | undefined): number[] {
  if (parent === undefined) return [];
  try {
    return readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
