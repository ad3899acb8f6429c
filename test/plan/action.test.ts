import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/actions/plan/main.js';
import type { MatrixEntry } from '../../src/plan/plan.js';

const REAL = join(import.meta.dirname, '../fixtures/compat/real');
const DIGITS = join(import.meta.dirname, '../../examples/digits/valohai.yaml');

/** Parses the runner's GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const match = /^([^<=]+)<<(.+)$/.exec(line);
    if (!match) throw new Error(`unexpected output line ${i + 1}: ${line}`);
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    if (i >= lines.length) throw new Error(`output ${name} is not terminated by ${delimiter}`);
    outputs[name] = value.join('\n');
  }
  return outputs;
}

let dir: string;
let outputFile: string;
let summaryFile: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-plan-action-'));
  outputFile = join(dir, 'output');
  // @actions/core remembers the summary path after the first write, so every test shares one file.
  summaryFile = join(dir, 'summary.md');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  process.env['GITHUB_OUTPUT'] = outputFile;
  process.env['GITHUB_STEP_SUMMARY'] = summaryFile;
  process.exitCode = undefined;
});
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  Object.assign(process.env, savedEnv);
  process.exitCode = undefined;
});

async function runPlan(inputs: Record<string, string>): Promise<{ outputs: Record<string, string>; summary: string; exitCode: typeof process.exitCode }> {
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  await run();
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  return { outputs: parseOutputFile(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8'), exitCode };
}

function matrix(outputs: Record<string, string>, name: string): MatrixEntry[] {
  return (JSON.parse(outputs[name] ?? 'null') as { include: MatrixEntry[] }).include;
}

describe('plan action', () => {
  it('plans the digits example into waves with outputs, counts and a Mermaid job summary', async () => {
    const { outputs, summary, exitCode } = await runPlan({ file: DIGITS, pipeline: 'train-and-deploy', 'max-waves': '8' });
    expect(exitCode).toBeUndefined();
    const depth = Number(outputs['depth']);
    expect(depth).toBeGreaterThanOrEqual(4);
    expect(outputs['pipeline']).toBe('train-and-deploy');
    const nodes = JSON.parse(outputs['nodes'] ?? '[]') as string[];
    const planned: string[] = [];
    for (let wave = 0; wave < 8; wave++) {
      const entries = matrix(outputs, `wave-${wave}`);
      expect(outputs[`wave-${wave}-count`]).toBe(String(entries.length));
      expect(entries.length > 0).toBe(wave < depth);
      expect(matrix(outputs, `wave-${wave}-1`)).toEqual([]);
      for (const entry of entries) {
        expect(entry['runs-on']).toBe('ubuntu-latest');
        // Upstream producers were planned in an earlier wave.
        for (const up of entry.upstream) expect(planned).toContain(up);
      }
      planned.push(...entries.map((e) => e.artifact));
    }
    expect(new Set(planned).size).toBeGreaterThanOrEqual(nodes.length);
    expect(summary).toContain('```mermaid\nflowchart');
    expect(summary).toContain('Pipeline train-and-deploy');
  });

  it('takes k=v parameter overrides; a list aimed at a task node spreads into variants', async () => {
    const file = join(REAL, '01-valohai-tensorflow-example.yaml');
    const { outputs, exitCode } = await runPlan({
      file,
      pipeline: 'three-trainings-pipeline-dynamic',
      parameters: 'epochs=7\n# comment\nlearning_rate=[0.1, 0.001, 0.0001]\n',
    });
    expect(exitCode).toBeUndefined();
    const train = matrix(outputs, 'wave-1');
    expect(train.map((e) => [e.node, e.variant, e['execution-id'], e.parameters])).toEqual([
      ['train', 0, 'train.0', { epochs: 7, learning_rate: 0.1 }],
      ['train', 1, 'train.1', { epochs: 7, learning_rate: 0.001 }],
      ['train', 2, 'train.2', { epochs: 7, learning_rate: 0.0001 }],
    ]);
    // The next wave waits for every variant's artifact.
    expect(matrix(outputs, 'wave-2')[0]?.upstream).toEqual(train.map((e) => e.artifact));
  });

  it.each([
    [{ file: join(REAL, '26-Farx1-qgeocompress.yaml'), pipeline: 'x' }, /26-Farx1-qgeocompress\.yaml:\d+:\d+: error: /],
    [{ file: join(REAL, '01-valohai-tensorflow-example.yaml'), pipeline: 'three-trainings-pipeline-w-deployment', 'max-waves': '2' }, /raise max-waves to at least 5.*mlops compile/],
    [{ file: join(REAL, '01-valohai-tensorflow-example.yaml'), pipeline: 'nope' }, /no pipeline named "nope"/],
    [{ file: join(REAL, '01-valohai-tensorflow-example.yaml'), pipeline: 'training-pipeline', 'max-waves': 'many' }, /"max-waves" must be a positive whole number/],
    [{ file: join(REAL, '01-valohai-tensorflow-example.yaml'), pipeline: 'training-pipeline', parameters: 'no equals sign' }, /expected name=value/],
    [{ file: join(dir ?? '', 'missing.yaml'), pipeline: 'p' }, /missing\.yaml:1:1: error: cannot read the pipeline file/],
  ])('fails with a clear message and no outputs: %o', async (inputs, message) => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let result;
    try {
      result = await runPlan(inputs);
    } finally {
      process.stdout.write = write;
    }
    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({});
    const errorLine = lines.find((l) => l.startsWith('::error::')) ?? '';
    // Workflow commands escape newlines; unescape to match the message itself.
    expect(errorLine.replace(/%0A/g, '\n').replace(/%25/g, '%')).toMatch(message);
  });
});
