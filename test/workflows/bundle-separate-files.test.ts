/**
 * The bundles keep undici out of every action's cold start: scripts/esbuild-options.mjs builds it as
 * dist/<tree>/undici.cjs, and the lazy getter that @actions/http-client and @actions/github use for it
 * requires that file from the folder of the chunk it landed in, only when a proxy is used. No test goes
 * through a proxy, so this checks the committed bundles directly under Node 24: every chunk holding the
 * getter has the file beside it, and the file exports every name the getter hands out.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { node24 } from '../support/node24.js';

const dist = resolve(import.meta.dirname, '../../dist');

/** Output files whose code requires undici.cjs, with the names their getter lists. */
function getterChunks(): { file: string; names: string[] }[] {
  const found: { file: string; names: string[] }[] = [];
  for (const entry of readdirSync(dist, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const code = readFileSync(file, 'utf8');
    const at = code.indexOf('"undici.cjs"');
    if (at < 0) continue;
    // The getters follow the require: `get ProxyAgent(){return t().ProxyAgent}`, minified.
    const getters = code.slice(at, at + 6000);
    const names = [...getters.matchAll(/get (\w+)\(\)\{return \w+\(\)\.(\w+)\}/g)].filter((m) => m[1] === m[2]).map((m) => m[1]!);
    found.push({ file, names });
  }
  return found;
}

describe.skipIf(!existsSync(join(dist, 'shared')))('undici beside the bundles', () => {
  it('every chunk with the lazy getter has undici.cjs beside it, exporting what the getter lists', () => {
    const chunks = getterChunks();
    // Both trees: the actions' shared chunks and the CLI.
    expect(new Set(chunks.map(({ file }) => dirname(file)))).toEqual(new Set([join(dist, 'shared'), join(dist, 'cli')]));
    for (const { file, names } of chunks) {
      expect(names).toContain('ProxyAgent');
      const separate = join(dirname(file), 'undici.cjs');
      const exported = JSON.parse(
        execFileSync(node24(), ['-e', `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(separate)}))))`], { encoding: 'utf8' }),
      ) as string[];
      expect(exported).toEqual(expect.arrayContaining(names));
    }
  });
});
