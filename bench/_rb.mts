import { benchRunner } from './runner.ts'; import { mkdtemp } from 'node:fs/promises'; for (const r of await benchRunner(await mkdtemp('/tmp/rb-'))) console.log(r.join(' | '));
