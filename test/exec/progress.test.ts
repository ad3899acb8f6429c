/**
 * The progress view of `mlops run`: a live table redrawn in place on a terminal, plain timestamped
 * lines otherwise. Unit tests feed RunEvents to a fake terminal stream (fake timers for the redraw
 * rate); the end-to-end tests run the CLI under a real pseudo-terminal (util-linux `script`) and
 * through a pipe. A small terminal emulator replays what was written, so "redrawn in place" is checked
 * on the resulting screen, not on the escape sequences alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createProgressReporter } from '../../src/exec/progress.js';
import type { RunEvent } from '../../src/exec/scheduler.js';
import { shellQuote } from '../../src/util/shell.js';
import { makeProject, step, type Project } from '../runner/helpers.js';

const ESC = '\x1b';
/** A CSI escape sequence at the start of a string: parameters, then the command letter. */
const CSI = new RegExp(`^${ESC}\\[(\\d*(?:;\\d+)*)([A-Za-z])`);

/**
 * Replays terminal output: text, `\r`, `\n`, CSI `nF` (up n lines, column 0), `K` (erase to end of
 * line; `2K` the whole line), `G` (cursor to a column), `J` (erase to end of screen), and SGR colours
 * (ignored). Anything else throws, so an escape
 * sequence the view starts to use must be taught here. Text past the last column wraps, as terminals do.
 */
function screenOf(output: string, columns: number): string[] {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (ch: string): void => {
    if (col >= columns) {
      row++;
      col = 0;
    }
    while (rows.length <= row) rows.push('');
    const line = [...(rows[row] ?? '')];
    while (line.length < col) line.push(' ');
    line[col] = ch;
    rows[row] = line.join('');
    col++;
  };
  const chars = [...output];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === ESC) {
      const rest = chars.slice(i, i + 16).join('');
      const match = CSI.exec(rest);
      if (!match) throw new Error(`unknown escape sequence ${JSON.stringify(rest)}`);
      const [whole, arg = '', command] = match;
      i += [...whole].length - 1;
      const n = arg === '' ? 1 : Number(arg);
      if (command === 'F') {
        row = Math.max(0, row - n);
        col = 0;
      } else if (command === 'G') {
        // Cursor to column n (readline's prompt redraws use it).
        col = n - 1;
      } else if (command === 'K') {
        // 0 (or none): erase to the end of the line; 2: the whole line.
        rows[row] = arg === '2' ? '' : [...(rows[row] ?? '')].slice(0, col).join('');
      } else if (command === 'J') {
        rows[row] = [...(rows[row] ?? '')].slice(0, col).join('');
        rows.length = row + 1;
      } else if (command !== 'm') {
        throw new Error(`unknown escape sequence ${JSON.stringify(whole)}`);
      }
    } else if (ch === '\r') {
      col = 0;
    } else if (ch === '\n') {
      row++;
      col = 0;
      while (rows.length <= row) rows.push('');
    } else {
      put(ch);
    }
  }
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  return rows;
}

describe('screenOf (the emulator the tests rely on)', () => {
  test.each<[string, number, string[]]>([
    ['ab\ncd\n', 80, ['ab', 'cd']],
    [`ab\ncd\n${ESC}[2Fxy${ESC}[K\n`, 80, ['xy', 'cd']],
    [`ab\ncd\nef\n${ESC}[2Fzz${ESC}[K\n${ESC}[J`, 80, ['ab', 'zz']],
    ['abcdef\n', 4, ['abcd', 'ef']],
    [`${ESC}[33mok${ESC}[39m\r\n`, 80, ['ok']],
  ])('%j in %i columns', (output, columns, screen) => {
    expect(screenOf(output, columns)).toEqual(screen);
  });
});

function fakeStream(tty: { isTTY?: boolean; columns?: number }): { stream: Writable & { isTTY?: boolean; columns?: number }; writes: string[] } {
  const writes: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        writes.push(String(chunk));
        callback();
      },
    }),
    tty,
  );
  return { stream, writes };
}

const T = '2026-11-25T10:00:00.250Z';
const started: RunEvent = { kind: 'run-started', runId: 'r1', pipeline: 'p', nodes: ['prepare', 'train', 'evaluate'], resumed: false };
const node = (name: string, state: Extract<RunEvent, { kind: 'node' }>['state'], extra: Partial<Extract<RunEvent, { kind: 'node' }>> = {}): RunEvent => ({
  kind: 'node',
  node: name,
  state,
  time: T,
  ...extra,
});

describe('live view on a terminal', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('draws at most every 100 ms, redraws in place with each node state, and close draws the final state', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent(started);
    reporter.onEvent(node('prepare', 'running'));
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(99);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toHaveLength(1);
    // The first drawing has nothing to go back over.
    expect(writes[0]).not.toMatch(new RegExp(`${ESC}\\[\\d+F`));
    expect(screenOf(writes.join(''), 80)).toEqual(['run r1: pipeline p', '  ▶ prepare  running (0.1s)', '  · train  pending', '  · evaluate  pending']);

    // A burst of changes within one interval: one redraw.
    reporter.onEvent(node('prepare', 'succeeded', { durationMs: 1200 }));
    reporter.onEvent(node('train', 'running'));
    reporter.onEvent(node('train', 'succeeded', { durationMs: 3400, executions: 2 }));
    reporter.onEvent(node('evaluate', 'running'));
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(writes).toHaveLength(2);
    // Back to the first line of the previous drawing (4 lines), every line erased to its end, and the rest below.
    expect(writes[1]?.startsWith(`${ESC}[4F`)).toBe(true);
    expect(writes[1]?.split('\n').slice(0, 4).every((line) => line.endsWith(`${ESC}[K`))).toBe(true);
    expect(writes[1]?.endsWith(`${ESC}[J`)).toBe(true);
    expect(screenOf(writes.join(''), 80)).toEqual([
      'run r1: pipeline p',
      '  ✔ prepare  succeeded (1.2s)',
      '  ✔ train  succeeded ×2 (3.4s)',
      '  ▶ evaluate  running (0.1s)',
    ]);

    reporter.onEvent(node('evaluate', 'failed', { durationMs: 500 }));
    reporter.onEvent({ kind: 'run-finished', runId: 'r1', status: 'failed', reason: 'node evaluate failed' });
    reporter.close();
    expect(writes).toHaveLength(3);
    expect(screenOf(writes.join(''), 80)).toEqual([
      'run r1: failed (node evaluate failed)',
      '  ✔ prepare  succeeded (1.2s)',
      '  ✔ train  succeeded ×2 (3.4s)',
      '  ✖ evaluate  failed (0.5s)',
    ]);
    // Closed: no timer draws again.
    vi.advanceTimersByTime(10_000);
    expect(writes).toHaveLength(3);
  });

  test.each<[string, Extract<RunEvent, { kind: 'node' }>['state']]>([
    ['·', 'pending'],
    ['▶', 'running'],
    ['✔', 'succeeded'],
    ['↺', 'reused'],
    ['✖', 'failed'],
    ['-', 'skipped'],
    ['■', 'cancelled'],
    ['?', 'awaiting-approval'],
  ])('shows %s for %s', (symbol, state) => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent({ ...started, nodes: ['n'] });
    reporter.onEvent(node('n', state));
    reporter.close();
    expect(screenOf(writes.join(''), 80)[1]).toMatch(new RegExp(`^  ${symbol.replace(/[?]/, '\\?')} n  ${state}`));
  });

  test('keeps the redraw rate under a steady stream of changes', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent(started);
    for (let i = 0; i < 100; i++) {
      reporter.onEvent(node('train', i % 2 === 0 ? 'running' : 'pending'));
      vi.advanceTimersByTime(10);
    }
    // 100 changes over one second: one drawing per 100 ms, not one per change.
    expect(writes.length).toBeLessThanOrEqual(11);
    expect(writes.length).toBeGreaterThanOrEqual(9);
    reporter.close();
  });

  test('redraws running times every second without events', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent({ ...started, nodes: ['slow'] });
    reporter.onEvent(node('slow', 'running'));
    // The ticker asks for a redraw every second, drawn within the next 100 ms.
    vi.advanceTimersByTime(5_100);
    expect(writes.length).toBeGreaterThanOrEqual(5);
    expect(screenOf(writes.join(''), 80)).toEqual(['run r1: pipeline p', '  ▶ slow  running (5.1s)']);
    reporter.close();
  });

  test.each([30, 12])('fits every line into %i columns, so redraws stay in place', (columns) => {
    const { stream, writes } = fakeStream({ isTTY: true, columns });
    const reporter = createProgressReporter({ stream });
    const long = 'a-node-with-a-rather-long-name-that-goes-on';
    reporter.onEvent({ ...started, pipeline: 'a-pipeline-with-a-long-name', nodes: [long, 'b'] });
    vi.advanceTimersByTime(100);
    reporter.onEvent(node(long, 'succeeded', { durationMs: 1000 }));
    vi.advanceTimersByTime(100);
    reporter.onEvent(node('b', 'running'));
    reporter.onEvent({ kind: 'run-finished', runId: 'r1', status: 'succeeded' });
    reporter.close();
    const screen = screenOf(writes.join(''), columns);
    // Three drawings of three lines each leave exactly three rows: none wrapped, none left behind.
    expect(screen).toHaveLength(3);
    for (const row of screen) expect([...row].length).toBeLessThan(columns);
    expect(screen[0]).toBe('run r1: succeeded'.slice(0, columns - 1));
    expect(screen[1]).toBe(`  ✔ ${long}`.slice(0, columns - 1));
  });

  test('a terminal that reports no size (0 columns) gets 80', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 0 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent({ ...started, nodes: ['x'.repeat(200)] });
    reporter.close();
    expect(screenOf(writes.join(''), 80)[1]).toBe(`  · ${'x'.repeat(200)}`.slice(0, 79));
  });

  test('a reason spanning lines does not break the drawing', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent({ ...started, nodes: ['a'] });
    vi.advanceTimersByTime(100);
    reporter.onEvent({ kind: 'run-finished', runId: 'r1', status: 'failed', reason: 'line one\nline two' });
    vi.advanceTimersByTime(100);
    reporter.onEvent(node('a', 'cancelled'));
    reporter.close();
    expect(screenOf(writes.join(''), 80)).toEqual(['run r1: failed (line one?line two)', '  ■ a  cancelled']);
  });

  test('prints notices and failure reasons above the table, once, and keeps the table below', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent(started);
    vi.advanceTimersByTime(100);
    reporter.onEvent({ kind: 'notice', message: 'steps run on this machine' });
    reporter.onEvent({ kind: 'notice', message: 'steps run on this machine' });
    reporter.onEvent(node('train', 'failed', { reason: 'exit code 3', durationMs: 100 }));
    reporter.close();
    expect(screenOf(writes.join(''), 80)).toEqual([
      'note: steps run on this machine',
      'train: exit code 3',
      'run r1: pipeline p',
      '  · prepare  pending',
      '  ✖ train  failed (0.1s)',
      '  · evaluate  pending',
    ]);
  });

  test('pause takes the table off the screen and stops redrawing; resume draws it again below what was written', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent({ ...started, nodes: ['a', 'b'] });
    vi.advanceTimersByTime(100);
    reporter.pause();
    expect(screenOf(writes.join(''), 80)).toEqual([]);
    // Events while paused are recorded but not drawn, not even by the once-a-second refresh.
    reporter.onEvent(node('a', 'running'));
    const before = writes.length;
    vi.advanceTimersByTime(2000);
    expect(writes.length).toBe(before);
    stream.write('Node b requires approval. Run it? [y/N] y\n');
    reporter.resume();
    expect(screenOf(writes.join(''), 80)).toEqual([
      'Node b requires approval. Run it? [y/N] y',
      'run r1: pipeline p',
      expect.stringMatching(/^ {2}▶ a {2}running/),
      '  · b  pending',
    ]);
    reporter.close();
  });

  test('text arriving after close goes below the final drawing', () => {
    const { stream, writes } = fakeStream({ isTTY: true, columns: 80 });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent({ ...started, nodes: ['a'] });
    reporter.close();
    reporter.onEvent({ kind: 'notice', message: 'late' });
    expect(screenOf(writes.join(''), 80)).toEqual(['run r1: pipeline p', '  · a  pending', 'note: late']);
  });
});

describe('plain lines without a terminal', () => {
  test('pause and resume change nothing: lines are never redrawn', () => {
    const { stream, writes } = fakeStream({ isTTY: false });
    const reporter = createProgressReporter({ stream });
    reporter.onEvent(started);
    reporter.pause();
    reporter.onEvent(node('prepare', 'running'));
    reporter.resume();
    reporter.close();
    expect(writes.join('')).not.toContain(ESC);
    expect(writes.join('').trim().split('\n')).toHaveLength(2);
  });

  test.each([
    ['a pipe', { isTTY: false }, undefined],
    ['a terminal with live: false', { isTTY: true, columns: 80 }, false],
  ] as const)('on %s: one timestamped line per change, no escape sequences', (_name, tty, live) => {
    const { stream, writes } = fakeStream(tty);
    const reporter = createProgressReporter(live === undefined ? { stream } : { stream, live });
    reporter.onEvent(started);
    reporter.onEvent(node('prepare', 'running'));
    reporter.onEvent(node('prepare', 'succeeded', { durationMs: 3200, executions: 2 }));
    reporter.onEvent(node('train', 'failed', { durationMs: 100, reason: 'exit code 3' }));
    reporter.onEvent({ kind: 'notice', message: 'a note' });
    reporter.onEvent({ kind: 'run-finished', runId: 'r1', status: 'failed', reason: 'node train failed' });
    reporter.close();
    const text = writes.join('');
    expect(text).not.toContain(ESC);
    const lines = text.split('\n');
    const stamp = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`;
    expect(lines[0]).toMatch(new RegExp(`^${stamp} run r1: starting pipeline p \\(3 nodes\\)$`));
    expect(lines.slice(1, 4)).toEqual([
      '2026-11-25T10:00:00Z node prepare: running',
      '2026-11-25T10:00:00Z node prepare: succeeded (3.2s), 2 executions',
      '2026-11-25T10:00:00Z node train: failed (0.1s): exit code 3',
    ]);
    expect(lines[4]).toMatch(new RegExp(`^${stamp} note: a note$`));
    expect(lines[5]).toMatch(new RegExp(`^${stamp} run r1: failed \\(node train failed\\)$`));
    expect(lines.slice(6)).toEqual(['']);
  });
});

const SCRIPT = '/usr/bin/script';
const cli = resolve('src/cli/index.ts');

describe('the CLI under a real terminal', () => {
  let project: Project | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  /** prepare → (train, report): three nodes, one of them long enough to be drawn while running. */
  async function threeNodes(): Promise<Project> {
    return makeProject([
      step('prepare', ['echo data > "$VH_OUTPUTS_DIR/data.txt"']),
      step('train', ['sleep 0.3', 'cat "$VH_INPUTS_DIR/data/data.txt"'], { inputs: [{ name: 'data' }] }),
      step('report', ['echo report']),
      {
        pipeline: {
          name: 'p',
          nodes: [
            { name: 'prepare', type: 'execution', step: 'prepare' },
            { name: 'train', type: 'execution', step: 'train' },
            { name: 'report', type: 'execution', step: 'report' },
          ],
          edges: [['prepare.output.data.txt', 'train.input.data']],
        },
      },
    ]);
  }

  const runArgs = (file: string): string[] => [process.execPath, '--import', 'tsx', cli, 'run', file, '--pipeline', 'p', '--no-reuse'];

  test.skipIf(!existsSync(SCRIPT))('draws the live table in place, and the same run through a pipe gives plain lines', async () => {
    project = await threeNodes();
    const columns = 60;
    // `script` gives the CLI a pseudo-terminal for stdin, stdout and stderr; stty sets its size.
    const inner = `stty cols ${columns} rows 24 && ${runArgs(project.file).map(shellQuote).join(' ')}`;
    const tty = spawnSync(SCRIPT, ['-qfec', inner, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    expect(tty.stderr).toBe('');
    expect(tty.status).toBe(0);
    const output = tty.stdout;
    expect(output).toMatch(new RegExp(`${ESC}\\[\\d+F`));
    expect(output).toContain(`${ESC}[K`);
    const screen = screenOf(output, columns);
    // The note above the table wraps like any printed text; the table below it fits the width and shows
    // each node once, in its final state: earlier drawings were overwritten in place.
    expect(screen.join('')).toContain('note: steps run on this machine, not in their images (busybox is recorded, not used)');
    const top = screen.findIndex((row) => /^run \S+: succeeded$/.test(row));
    const table = screen.slice(top, top + 4);
    expect(table).toEqual([
      expect.stringMatching(/^run \S+: succeeded$/),
      ...['prepare', 'train', 'report'].map((name) => expect.stringMatching(new RegExp(`^  ✔ ${name}  succeeded \\(\\d+\\.\\ds\\)$`))),
    ]);
    for (const row of table) expect([...row].length).toBeLessThan(columns);
    expect(screen.filter((row) => /^ {2}\S /.test(row))).toHaveLength(3);

    const piped = spawnSync(runArgs(project.file)[0] ?? '', runArgs(project.file).slice(1), { encoding: 'utf8', timeout: 60_000 });
    expect(piped.status).toBe(0);
    expect(piped.stderr).not.toContain(ESC);
    for (const name of ['prepare', 'train', 'report']) {
      expect(piped.stderr).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ node ${name}: succeeded \\(\\d+\\.\\ds\\)$`, 'm'));
    }
  });
  /** train (long enough for the table to redraw while the question waits) → gate, which requires approval. */
  async function gated(): Promise<Project> {
    return makeProject([
      // train writes an output: an edge matching nothing would print a warning into the screen.
      step('train', ['sleep 0.3', 'echo trained', 'echo trained > "$VH_OUTPUTS_DIR/model.txt"']),
      step('ship', ['echo shipped']),
      {
        pipeline: {
          name: 'p',
          nodes: [
            { name: 'train', type: 'execution', step: 'train' },
            { name: 'gate', type: 'execution', step: 'ship', actions: [{ when: 'node-starting', then: 'require-approval' }] },
          ],
          edges: [['train.output.*', 'gate.input.anything']],
        },
      },
    ]);
  }

  /** Runs the CLI under a pseudo-terminal and types `answer` once the question is on the screen. */
  function runAnswering(file: string, columns: number, answer: string): Promise<{ status: number | null; output: string }> {
    const inner = `stty cols ${columns} rows 24 && ${runArgs(file).map(shellQuote).join(' ')}`;
    return new Promise((resolveRun, rejectRun) => {
      const child = spawn(SCRIPT, ['-qfec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      let answered = false;
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (!answered && output.includes('[y/N] ')) {
          answered = true;
          // Typed after the redraw timer (100 ms) and the 1 s refresh had their chance to draw over it.
          setTimeout(() => child.stdin.write(`${answer}\r`), 1200);
        }
      });
      child.on('error', rejectRun);
      child.on('close', (status) => {
        clearTimeout(timer);
        child.stdin.destroy();
        resolveRun({ status, output });
      });
    });
  }

  test.skipIf(!existsSync(SCRIPT))('asks for approval on the terminal without the live table drawing over the question; yes runs the node', async () => {
    project = await gated();
    const columns = 70;
    const { status, output } = await runAnswering(project.file, columns, 'y');
    expect(status).toBe(0);
    const screen = screenOf(output, columns);
    // The question and the typed answer stay on their line, untouched by redraws.
    const question = screen.indexOf('Node gate requires approval. Run it? [y/N] y');
    expect(question).toBeGreaterThan(0);
    // The table was taken off before the question and is drawn again below the answer.
    const top = question + 1;
    expect(screen[top]).toMatch(/^run \S+: succeeded$/);
    expect(screen.slice(top + 1, top + 3)).toEqual([
      expect.stringMatching(/^ {2}✔ train {2}succeeded \(\d+\.\ds\)$/),
      expect.stringMatching(/^ {2}✔ gate {2}succeeded \(\d+\.\ds\)$/),
    ]);
    // No stale table is left above the question: node rows appear once each.
    expect(screen.filter((row) => /^ {2}\S /.test(row))).toHaveLength(2);
  });

  test.skipIf(!existsSync(SCRIPT))('no on the terminal skips the node and stops the run', async () => {
    project = await gated();
    const columns = 70;
    const { status, output } = await runAnswering(project.file, columns, 'n');
    // A node action that stops the run is not a failure (mlops run --help: exit code).
    expect(status).toBe(0);
    const screen = screenOf(output, columns);
    const top = screen.indexOf('Node gate requires approval. Run it? [y/N] n') + 1;
    expect(top).toBeGreaterThan(1);
    // Cut to the width like every table line; the full reason is in the summary printed after it.
    expect(screen[top]).toMatch(/^run \S+: stopped \(approval for node/);
    expect(output).toContain('approval for node gate declined');
    expect(screen.slice(top + 1, top + 3)).toEqual([
      expect.stringMatching(/^ {2}✔ train {2}succeeded/),
      expect.stringMatching(/^ {2}- gate {2}skipped/),
    ]);
  });
});
