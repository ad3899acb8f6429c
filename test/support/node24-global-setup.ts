/** vitest global setup: Node 24 for the bundle runs (see test/support/node24.ts), installed once. */
import { ensureNode24, NODE24_ENV } from './node24.js';

export default function setup(): void {
  process.env[NODE24_ENV] = ensureNode24();
}
