/**
 * End to end on examples/digits: the example's real steps run as real processes (preprocess, three
 * trainings, three evaluations), their metadata becomes a run record, then `mlops compare` and
 * `mlops report` pick the winner and report numbers that must match the executions' metadata.
 *
 * The steps are started here directly, in the run-record shape loadRunCandidates reads, because the
 * scheduler (`mlops run`) is built in parallel; once it lands, this test should call it instead.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { StoredDecision } from '../../src/compare/compare.js';
import { formatNumber } from '../../src/compare/rule.js';

const exec = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
let project: string;
const latest: Record<string, Record<string, unknown>> = {};

interface ExecutionRecord {
  executionId: string;
  status: string;
  parameters: Record<string, unknown>;
  latestMetadata: Record<string, unknown>;
  metadata: { time: string; values: Record<string, unknown> }[];
  outputs: { path: string; sha256: string; size: number }[];
}

async function runStep(name: string, script: string, parameters: Record<string, number>, inputs: Record<string, string>): Promise<{ dir: string; record: ExecutionRecord }> {
  const dir = join(project, 'work', name);
  await mkdir(join(dir, 'outputs'), { recursive: true });
  for (const [input, file] of Object.entries(inputs)) {
    await mkdir(join(dir, 'inputs', input), { recursive: true });
    await copyFile(file, join(dir, 'inputs', input, file.split('/').pop() ?? 'file'));
  }
  const args = Object.entries(parameters).map(([key, value]) => `--${key}=${value}`);
  const { stdout } = await exec(process.execPath, [join(repo, 'examples/digits', script), ...args], {
    cwd: repo,
    env: { ...process.env, VH_INPUTS_DIR: join(dir, 'inputs'), VH_OUTPUTS_DIR: join(dir, 'outputs') },
  });
  // Metadata: every stdout line that is a JSON object (FORMAT.md §8).
  const metadata = stdout
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => ({ time: new Date().toISOString(), values: JSON.parse(line) as Record<string, unknown> }));
  const latestMetadata: Record<string, unknown> = Object.assign({}, ...metadata.map((event) => event.values));
  latest[name] = latestMetadata;
  const outputs = await Promise.all(
    (await readdir(join(dir, 'outputs'))).map(async (path) => {
      const bytes = await readFile(join(dir, 'outputs', path));
      return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
  return { dir, record: { executionId: `${name}-1`, status: 'succeeded', parameters, latestMetadata, metadata, outputs } };
}

async function mlops(name: 'compare' | 'report', args: string[]): Promise<string> {
  const module = join(repo, 'src/cli/commands', `${name}.ts`);
  const script = `import(${JSON.stringify(module)}).then((m) => m.command.run(process.argv.slice(1))).then((code) => { process.exitCode = code; });`;
  const { stdout } = await exec(process.execPath, ['--import', tsxLoader, '-e', script, '--', ...args], { cwd: project });
  return stdout;
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'mlops-digits-'));
  await cp(join(repo, 'examples/digits/valohai.yaml'), join(project, 'valohai.yaml'));
  const nodes: Record<string, { executions: ExecutionRecord[] }> = {};
  const preprocess = await runStep('preprocess', 'preprocess.mjs', { test_fraction: 0.2, seed: 42 }, { dataset: join(repo, 'examples/digits/data/digits.csv.gz') });
  nodes['preprocess'] = { executions: [preprocess.record] };
  // The overrides of the train-and-deploy pipeline's three training nodes.
  const variants: Record<string, Record<string, number>> = {
    fast: { learning_rate: 0.5, epochs: 3, l2: 0 },
    medium: { learning_rate: 0.2, epochs: 20, l2: 0.0001 },
    slow: { learning_rate: 0.1, epochs: 40, l2: 0.0001, hidden_units: 32 },
  };
  await Promise.all(
    Object.entries(variants).map(async ([variant, parameters]) => {
      const train = await runStep(`train-${variant}`, 'train.mjs', parameters, { train: join(preprocess.dir, 'outputs/train.csv') });
      nodes[`train-${variant}`] = { executions: [train.record] };
      const evaluation = await runStep(`evaluate-${variant}`, 'evaluate.mjs', {}, { model: join(train.dir, 'outputs/model.json'), test: join(preprocess.dir, 'outputs/test.csv') });
      nodes[`evaluate-${variant}`] = { executions: [evaluation.record] };
    }),
  );
  await mkdir(join(project, '.mlops/runs/digits-1'), { recursive: true });
  await writeFile(join(project, '.mlops/runs/digits-1/run.json'), JSON.stringify({ id: 'digits-1', pipeline: 'train-and-deploy', status: 'succeeded', nodes }));
}, 120_000);

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

test('compare picks the evaluation with the best accuracy, and the report shows the metadata numbers', async () => {
  const evaluations = ['evaluate-fast', 'evaluate-medium', 'evaluate-slow'];
  const accuracies = evaluations.map((node) => latest[node]?.['accuracy']);
  expect(accuracies.every((value) => typeof value === 'number')).toBe(true);
  // The expected winner computed independently of the rule: highest accuracy, ties to the lower loss.
  const expected = [...evaluations].sort((a, b) => Number(latest[b]?.['accuracy']) - Number(latest[a]?.['accuracy']) || Number(latest[a]?.['loss']) - Number(latest[b]?.['loss']))[0];

  const decision = JSON.parse(await mlops('compare', ['--run', 'digits-1', '--json'])) as StoredDecision;
  expect(decision.winner?.node).toBe(expected);
  expect(decision.selection.table.map((row) => row.node).sort()).toEqual(evaluations);
  expect(decision.winner?.metrics).toEqual(latest[expected ?? '']);

  const markdown = await mlops('report', ['digits-1']);
  for (const node of evaluations) {
    const row = markdown.split('\n').find((line) => line.startsWith('|') && (line.includes(`| ${node} |`) || line.includes(`**${node}**`)));
    for (const key of ['accuracy', 'loss', 'macro_f1']) {
      expect(row, `${node} ${key}`).toContain(`| ${formatNumber(Number(latest[node]?.[key]))} |`);
    }
  }
  expect(markdown).toContain(`| 🏆 | **${expected ?? ''}** |`);
  expect(markdown).toContain(`bar [${decision.selection.table.map((row) => formatNumber(Number(row.metrics['accuracy']))).join(', ')}]`);
});
