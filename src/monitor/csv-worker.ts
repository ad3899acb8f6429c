/**
 * The worker thread of the parallel CSV reader (parallel-read.ts): parses the chunks it is sent, one at a
 * time, and posts each back with its arrays transferred (not copied). Bundled on its own beside the CLI
 * and the monitor action (scripts/build-monitor-worker.mjs).
 */
import { parentPort } from 'node:worker_threads';
import { getErrorMessage } from '../util/errors.js';
import { parseChunk, recycle, type ChunkResult, type ChunkTask, type SpareArrays } from './csv-chunk.js';

const port = parentPort;
if (port) {
  let queue = Promise.resolve();
  port.on('message', (message: ChunkTask | { recycle: SpareArrays }) => {
    if ('recycle' in message) {
      recycle(message.recycle);
      return;
    }
    const task = message;
    queue = queue.then(async () => {
      let result: ChunkResult;
      try {
        result = await parseChunk(task);
      } catch (error) {
        const empty = { values: new Float64Array(0), kinds: new Uint8Array(0), texts: [], rowLines: new Int32Array(0), invalidUtf8: [], truncated: [] };
        result = { id: task.id, startedAt: -1, stoppedAt: -1, lines: 0, rows: 0, raggedRows: 0, ...empty, error: getErrorMessage(error) };
      }
      port.postMessage(result, [result.values.buffer, result.kinds.buffer, result.rowLines.buffer] as ArrayBuffer[]);
    });
  });
}
