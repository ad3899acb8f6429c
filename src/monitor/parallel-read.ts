/**
 * Reading a large plain CSV/TSV file with worker threads: the bytes after the header are cut into chunks,
 * each parsed by a worker (csv-chunk.ts), and the chunks are handed to the consumer in file order, row by
 * row, through the same `Row` calls, so profile and drift results are the same to the bit as with one
 * thread (test/monitor/parallel.test.ts compares them). Only parsing runs in parallel: the statistics are
 * computed by the calling thread, in row order (Welford's mean, first-seen category order).
 *
 * Every chunk's guessed first row is checked against where the chunk before it stopped; on a mismatch (a
 * line break inside quotes at a chunk boundary) or a chunk that failed, the workers stop and the caller
 * reads on from the last row start it knows, with one thread (which also gives a failure its exact line).
 * Small files, gzip and JSON Lines are read with one thread: starting workers costs more than it saves.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigurationError } from '../util/errors.js';
import { ChunkRow, type ChunkResult, type ChunkTask } from './csv-chunk.js';

export interface ReadOptions {
  /**
   * Threads reading a large CSV/TSV file, the calling thread included: 1 reads it in the calling thread
   * alone, N > 1 adds N - 1 worker threads that parse while the calling thread accumulates. Default: the
   * environment's MLOPS_MONITOR_THREADS, else `defaultThreads()`.
   */
  threads?: number;
  /** Bytes per chunk handed to a worker (default 4 MiB). */
  chunkBytes?: number;
  /** Files smaller than this are read with one thread (default 16 MiB). */
  minParallelBytes?: number;
}

/** Chunks parsed by workers and handed on, and reads that fell back to one thread part-way, since start (tests look). */
export const parallelCounters = { chunks: 0, fallbacks: 0 };

const DEFAULT_CHUNK_BYTES = 4 << 20;
const DEFAULT_MIN_PARALLEL_BYTES = 16 << 20;
const MAX_THREADS = 8;

export function threadCount(options: ReadOptions = {}, env: NodeJS.ProcessEnv = process.env): number {
  if (options.threads !== undefined) return Math.max(1, Math.floor(options.threads));
  const text = env['MLOPS_MONITOR_THREADS'];
  if (text !== undefined && text !== '') {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(`MLOPS_MONITOR_THREADS must be a whole number of at least 1, got '${text}'`);
    return value;
  }
  return defaultThreads();
}

/**
 * The default: worker threads only where cores are spare. Parsing in workers and handing the rows back to
 * the calling thread (which keeps the statistics, so results are bit-identical) costs about 1.2–1.5× the
 * CPU of one thread, so threads pay only when they run on cores nobody else needs. On 2 cores one thread
 * was measured faster end to end than the calling thread plus one or two workers, with 20–40 % less
 * memory (src/monitor/README.md, Performance), so machines with fewer than 3 cores read with one thread.
 * Beyond that, the cores the 1-minute load average leaves free (rounded; platforms without a load average
 * report 0) are used, the calling thread counted, at most 8.
 */
export function defaultThreads(cores: number = availableParallelism(), load: number = loadavg()[0] ?? 0): number {
  if (cores < 3) return 1;
  const spare = cores - Math.round(Number.isFinite(load) && load > 0 ? load : 0);
  return Math.max(1, Math.min(MAX_THREADS, spare));
}

/** How to start a worker: the bundled worker beside this bundle, the compiled one beside this module, or the TypeScript source through tsx. */
function workerEntry(): { file: string | URL; eval: boolean } | undefined {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // Source run through tsx or vitest: the worker registers tsx's loader, then imports the TypeScript.
    // tsx's ESM entry of its API (require.resolve would give the CommonJS one, which fails in a worker).
    const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
    const source = new URL('./csv-worker.ts', here).href;
    return { file: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(source)}); });`, eval: true };
  }
  for (const name of ['./csv-worker.js', './monitor-csv-worker.js']) {
    const url = new URL(name, here);
    if (existsSync(fileURLToPath(url))) return { file: url, eval: false };
  }
  return undefined;
}

/** Whether a file of `size` bytes is read in parallel, and with how many worker threads beside the calling one. */
export function parallelWorkers(size: number, options: ReadOptions = {}): number {
  const threads = threadCount(options);
  if (threads < 2 || size < (options.minParallelBytes ?? DEFAULT_MIN_PARALLEL_BYTES)) return 0;
  return workerEntry() ? threads - 1 : 0;
}

interface Pending {
  resolve: (result: ChunkResult) => void;
}

class ChunkWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private failure: string | undefined;

  constructor(entry: { file: string | URL; eval: boolean }) {
    this.worker = new Worker(entry.file, { eval: entry.eval, stdout: false, stderr: false });
    this.worker.on('message', (result: ChunkResult) => {
      const waiting = this.pending.get(result.id);
      this.pending.delete(result.id);
      waiting?.resolve(result);
    });
    const fail = (message: string): void => {
      this.failure = message;
      for (const [id, waiting] of this.pending) waiting.resolve(failed(id, message));
      this.pending.clear();
    };
    this.worker.on('error', (error) => fail(error.message));
    this.worker.on('exit', (code) => fail(`the worker exited with code ${code}`));
  }

  parse(task: ChunkTask): Promise<ChunkResult> {
    if (this.failure !== undefined) return Promise.resolve(failed(task.id, this.failure));
    return new Promise((resolve) => {
      this.pending.set(task.id, { resolve });
      this.worker.postMessage(task);
    });
  }

  /** Hands a read chunk's arrays back to the worker that filled them, to fill again (memory stays flat). */
  recycle(chunk: ChunkResult): void {
    if (this.failure !== undefined || chunk.rowLines.length === 0) return;
    this.worker.postMessage({ recycle: { values: chunk.values, kinds: chunk.kinds, rowLines: chunk.rowLines } }, [chunk.values.buffer, chunk.kinds.buffer, chunk.rowLines.buffer] as ArrayBuffer[]);
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

function failed(id: number, error: string): ChunkResult {
  return { id, startedAt: -1, stoppedAt: -1, lines: 0, rows: 0, values: new Float64Array(0), kinds: new Uint8Array(0), texts: [], rowLines: new Int32Array(0), raggedRows: 0, invalidUtf8: [], truncated: [], error };
}

export interface ChunkedFile {
  path: string;
  delimiter: number;
  width: number;
  used: boolean[];
  size: number;
  /** Where the first data row starts, and its line. */
  start: number;
  line: number;
}

/**
 * Parses `file` from `start` with `workers` threads and hands each chunk, in file order, to `deliver`
 * with the line its first row is on. Returns where it stopped: the file's size when all of it was read,
 * else the start of the first row it could not vouch for (the caller reads on from there with one thread).
 */
export async function readChunks(file: ChunkedFile, workers: number, options: ReadOptions, deliver: (chunk: ChunkResult, row: ChunkRow, firstLine: number) => void): Promise<{ offset: number; line: number }> {
  const entry = workerEntry();
  if (!entry) return { offset: file.start, line: file.line };
  const chunkBytes = Math.max(1, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const tasks: ChunkTask[] = [];
  for (let start = file.start, id = 0; start < file.size; start += chunkBytes, id++) {
    tasks.push({ id, path: file.path, delimiter: file.delimiter, width: file.width, used: file.used, start, end: Math.min(file.size, start + chunkBytes), exact: id === 0 });
  }
  const pool = Array.from({ length: Math.min(workers, tasks.length) }, () => new ChunkWorker(entry));
  // At most two chunks per worker in flight: memory stays bounded by the chunk size, not the file's.
  const inFlight = new Map<number, Promise<ChunkResult>>();
  let next = 0;
  const dispatch = (): void => {
    while (next < tasks.length && inFlight.size < 2 * pool.length) {
      const task = tasks[next] as ChunkTask;
      inFlight.set(task.id, (pool[task.id % pool.length] as ChunkWorker).parse(task));
      next++;
    }
  };
  let offset = file.start;
  let line = file.line;
  const row = new ChunkRow(file.width);
  try {
    for (const task of tasks) {
      dispatch();
      const result = await (inFlight.get(task.id) as Promise<ChunkResult>);
      inFlight.delete(task.id);
      if (result.error !== undefined || result.startedAt !== offset) {
        parallelCounters.fallbacks++;
        break;
      }
      parallelCounters.chunks++;
      deliver(result, row, line);
      (pool[task.id % pool.length] as ChunkWorker).recycle(result);
      offset = result.stoppedAt;
      line += result.lines;
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.stop()));
  }
  return { offset, line };
}
