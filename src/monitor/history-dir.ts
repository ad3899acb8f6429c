import { join } from 'node:path';

// Apart from history.ts (which loads the drift config and data readers): the monitor action takes it as
// its `history-dir` default before anything else, at its cold start.
export const HISTORY_DIR = join('.mlops', 'monitoring');
