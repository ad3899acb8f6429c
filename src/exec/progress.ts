/**
 * Progress of a run for people. On a terminal: a compact live table of node states, redrawn in place
 * (ANSI cursor movement), at most every 100 ms. Without a terminal (CI, pipes): plain timestamped lines,
 * `2026-11-25T10:00:00Z node train-fast: succeeded (3.2s)`, one per state change.
 */
import type { NodeState } from '../store/runs.js';
import type { RunEvent } from './scheduler.js';

export interface ProgressReporter {
  onEvent(event: RunEvent): void;
  /** Draws the final state and stops redrawing. */
  close(): void;
  /**
   * Takes the live table off the screen and stops redrawing until `resume`, so a question asked on the
   * terminal (require-approval) is not overwritten. Events keep being recorded meanwhile.
   */
  pause(): void;
  /** Draws the table again, below whatever was written while paused. */
  resume(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Force the live view on or off (default: the stream is a TTY). */
  live?: boolean;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${(ms / 1000).toFixed(1)}s)`;
}

/** ISO time without milliseconds, as CI logs show it. */
function stamp(time?: string): string {
  return `${(time ?? new Date().toISOString()).slice(0, 19)}Z`;
}

const SYMBOL: Record<NodeState, string> = {
  pending: '·',
  running: '▶',
  succeeded: '✔',
  reused: '↺',
  failed: '✖',
  skipped: '-',
  cancelled: '■',
  'awaiting-approval': '?',
};

function plainReporter(stream: ProgressOptions['stream']): ProgressReporter {
  const write = (line: string): void => {
    stream.write(`${line}\n`);
  };
  return {
    onEvent(event) {
      switch (event.kind) {
        case 'run-started':
          write(`${stamp()} run ${event.runId}: ${event.resumed ? 'resuming' : 'starting'} pipeline ${event.pipeline} (${event.nodes.length} nodes)`);
          break;
        case 'node': {
          const extra = event.state === 'running' || event.executions === undefined || event.executions <= 1 ? '' : `, ${event.executions} executions`;
          const reason = event.reason && event.state !== 'succeeded' ? `: ${event.reason}` : '';
          write(`${stamp(event.time)} node ${event.node}: ${event.state}${seconds(event.durationMs)}${extra}${reason}`);
          break;
        }
        case 'notice':
          write(`${stamp()} note: ${event.message}`);
          break;
        case 'line':
          write(event.line);
          break;
        case 'run-finished':
          write(`${stamp()} run ${event.runId}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`);
          break;
      }
    },
    close() {
      // nothing buffered
    },
    pause() {
      // lines are never redrawn
    },
    resume() {
      // lines are never redrawn
    },
  };
}

/** Width assumed when the terminal does not say. */
const DEFAULT_COLUMNS = 80;

/** `line` cut to `width` characters (code points, so no surrogate pair is split), control characters shown as `?`. */
function fit(line: string, width: number): string {
  // eslint-disable-next-line no-control-regex
  return [...line.replace(/[\x00-\x1f\x7f]/g, '?')].slice(0, width).join('');
}

function liveReporter(stream: ProgressOptions['stream']): ProgressReporter {
  const states = new Map<string, { state: NodeState; durationMs?: number; executions?: number; since: number }>();
  const notices: string[] = [];
  let runLine = '';
  let drawnLines = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let paused = false;

  const draw = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // Every line must fit: a wrapped line takes two rows and the cursor-up count no longer matches. A
    // terminal of unknown size (a pseudo-terminal without one reports 0 columns) gets 80.
    const columns = stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
    const width = Math.max(1, columns - 1);
    const lines: string[] = [runLine];
    for (const [node, s] of states) {
      const time = s.state === 'running' ? seconds(Date.now() - s.since) : seconds(s.durationMs);
      const count = s.executions !== undefined && s.executions > 1 ? ` ×${s.executions}` : '';
      lines.push(`  ${SYMBOL[s.state]} ${node}  ${s.state}${count}${time}`);
    }
    // Move to the first line of the previous drawing, then rewrite it and clear what is below.
    const up = drawnLines > 0 ? `\x1b[${drawnLines}F` : '';
    stream.write(`${up}${lines.map((l) => `${fit(l, width)}\x1b[K`).join('\n')}\n\x1b[J`);
    drawnLines = lines.length;
  };
  const schedule = (): void => {
    if (!closed && !paused && timer === undefined) timer = setTimeout(draw, 100);
  };
  const erase = (): void => {
    if (drawnLines > 0) stream.write(`\x1b[${drawnLines}F\x1b[J`);
    drawnLines = 0;
  };
  const printAbove = (text: string): void => {
    // After close the final drawing stays: later text goes below it.
    if (!closed) erase();
    stream.write(`${text}\n`);
    drawnLines = 0;
    if (!closed && !paused) draw();
  };
  const ticker = setInterval(schedule, 1000);
  ticker.unref();

  return {
    onEvent(event) {
      switch (event.kind) {
        case 'run-started':
          runLine = `run ${event.runId}: pipeline ${event.pipeline}`;
          for (const node of event.nodes) if (!states.has(node)) states.set(node, { state: 'pending', since: Date.now() });
          schedule();
          break;
        case 'node': {
          const entry: { state: NodeState; durationMs?: number; executions?: number; since: number } = {
            state: event.state,
            since: event.state === 'running' ? Date.now() : (states.get(event.node)?.since ?? Date.now()),
          };
          if (event.durationMs !== undefined) entry.durationMs = event.durationMs;
          if (event.executions !== undefined) entry.executions = event.executions;
          states.set(event.node, entry);
          if (event.reason && (event.state === 'failed' || event.state === 'awaiting-approval')) {
            printAbove(`${event.node}: ${event.reason}`);
          }
          schedule();
          break;
        }
        case 'notice':
          if (!notices.includes(event.message)) {
            notices.push(event.message);
            printAbove(`note: ${event.message}`);
          }
          break;
        case 'line':
          printAbove(event.line);
          break;
        case 'run-finished':
          runLine = `run ${event.runId}: ${event.status}${event.reason ? ` (${event.reason})` : ''}`;
          schedule();
          break;
      }
    },
    close() {
      if (closed) return;
      if (timer !== undefined) clearTimeout(timer);
      clearInterval(ticker);
      draw();
      closed = true;
    },
    pause() {
      if (closed || paused) return;
      paused = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      erase();
    },
    resume() {
      if (closed || !paused) return;
      paused = false;
      draw();
    },
  };
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  const live = options.live ?? options.stream.isTTY === true;
  return live ? liveReporter(options.stream) : plainReporter(options.stream);
}
