#!/usr/bin/env node
import { main } from './main.js';

// A reader that stops early (`mlops endpoints | head -1`) closes the pipe: that is a normal end, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let settled = false;
// A command whose work stops making progress (a promise nothing resolves) would let Node exit 0 with
// nothing said once the event loop is empty: that is a failure, said in one line.
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write('mlops: internal error: the command stopped before it finished\n');
  process.exitCode = 1;
});
main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  () => {
    settled = true;
    process.exitCode = 1;
  },
);
