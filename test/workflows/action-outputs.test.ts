/**
 * Every output an action sets is declared in its action.yml, and every declared output is set: the
 * names in the sources (string literals, or constants such as src/actions/run-node/outputs.ts) are
 * read from the code, so a renamed output cannot silently leave a workflow reading an empty value.
 * Outputs set in a loop over computed names (the plan's wave outputs) are checked by the plan's tests.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = resolve(import.meta.dirname, '../..');
const ACTIONS: [string, string][] = [
  ['actions/compare', 'src/actions/compare'],
  ['actions/deploy', 'src/actions/deploy'],
  ['actions/monitor', 'src/actions/monitor'],
  ['actions/plan', 'src/actions/plan'],
  ['actions/registry', 'src/actions/registry'],
  ['actions/report', 'src/actions/report'],
  ['actions/run-node', 'src/actions/run-node'],
  ['.', 'src/actions/run'],
];

async function sourcesOf(dir: string): Promise<string> {
  const files = (await readdir(join(REPO, dir))).filter((f) => f.endsWith('.ts'));
  return (await Promise.all(files.map((f) => readFile(join(REPO, dir, f), 'utf8')))).join('\n');
}

/** Output names the code sets: literal first arguments of setOutput, and constants they name. */
function setOutputs(source: string): { names: Set<string>; computed: boolean } {
  const constants = new Map([...source.matchAll(/export const (\w+) = '([^']+)';/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
  const names = new Set<string>();
  let computed = false;
  for (const match of source.matchAll(/setOutput\(\s*([^,]+),/g)) {
    const argument = (match[1] ?? '').trim();
    const literal = /^'([^']+)'$/.exec(argument);
    if (literal) names.add(literal[1] ?? '');
    else if (constants.has(argument)) names.add(constants.get(argument) ?? '');
    else computed = true;
  }
  return { names, computed };
}

describe('action outputs', () => {
  it.each(ACTIONS)('%s declares exactly the outputs its code sets', async (actionDir, sourceDir) => {
    const metadata = parse(await readFile(join(REPO, actionDir, 'action.yml'), 'utf8')) as { outputs?: Record<string, unknown> };
    const declared = new Set(Object.keys(metadata.outputs ?? {}));
    const { names, computed } = setOutputs(await sourcesOf(sourceDir));
    expect([...names].filter((name) => !declared.has(name)), 'set but not declared').toEqual([]);
    if (!computed) expect([...declared].filter((name) => !names.has(name)), 'declared but never set').toEqual([]);
  });
});
