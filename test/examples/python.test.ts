/**
 * The scikit-learn example (examples/python), run end to end by the real local runner with Debian's
 * python3, python3-sklearn and python3-pandas: preprocess, a sweep as a task node, find-best, the
 * deployment node; the best model is chosen by the toolkit's selection rule (x-mlops selection), the
 * example's own find-best agrees, its endpoint answers a prediction, and batch inference scores new rows.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRun, resolveRule, ruleFromPipelineFile } from '../../src/compare/compare.js';
import { runPipeline } from '../../src/exec/scheduler.js';
import { localGate } from '../../src/registry/gate.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import type { PipelineConfig } from '../../src/pipeline/model.js';
import { ContentStore } from '../../src/store/content-store.js';
import { projectPaths, type RunRecord } from '../../src/store/runs.js';

const repositoryDir = fileURLToPath(new URL('../..', import.meta.url));
const pipelineFile = join(repositoryDir, 'examples/python/valohai.yaml');
/** Debian's interpreter, where python3-sklearn and python3-pandas are installed (.ci/run). */
const PYTHON_BIN_DIR = '/usr/bin';

function missingPython(): string | undefined {
  const probe = spawnSync(join(PYTHON_BIN_DIR, 'python3'), ['-c', 'import sklearn, pandas'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON_BIN_DIR}/python3 cannot start (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON_BIN_DIR}/python3 lacks scikit-learn or pandas (apt-get install -y python3-sklearn python3-pandas)`;
  return undefined;
}
const missing = missingPython();
if (missing) process.stderr.write(`SKIPPED: the scikit-learn example: ${missing}.\n`);

function startServer(command: string, modelPath: string): Promise<{ child: ChildProcess; url: string }> {
  const [program, ...args] = command.trim().split(/\s+/);
  if (program !== 'python3') throw new Error(`expected a python3 server, got ${command}`);
  return new Promise((resolve, reject) => {
    const child = spawn(join(PYTHON_BIN_DIR, 'python3'), args, {
      cwd: repositoryDir,
      env: { ...process.env, MODEL_PATH: modelPath, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve({ child, url: `http://127.0.0.1:${match[1]}` });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${output}`)));
  });
}

describe.skipIf(missing !== undefined)('examples/python: scikit-learn the Valohai way', () => {
  let projectDir: string;
  let config: PipelineConfig;
  let run: RunRecord;
  const savedPath = process.env['PATH'];

  beforeAll(async () => {
    // The steps call `python3`: Debian's, where scikit-learn is (a GitHub runner would pip install it).
    process.env['PATH'] = `${PYTHON_BIN_DIR}:${savedPath ?? ''}`;
    projectDir = mkdtempSync(join(tmpdir(), 'mlops-python-example-'));
    const loaded = await loadPipelineFile(pipelineFile);
    // No errors and no warnings: the example is a clean Valohai file.
    expect(loaded.diagnostics.map((d) => d.message)).toEqual([]);
    if (!loaded.config) throw new Error('the example does not load');
    config = loaded.config;
    run = await runPipeline({ config, pipeline: 'train-and-deploy', repositoryDir, projectDir, jobs: 2, reuse: false, gate: localGate(projectDir) });
  }, 600_000);

  afterAll(() => {
    process.env['PATH'] = savedPath;
    if (projectDir) rmSync(projectDir, { recursive: true, force: true });
  });

  it('runs the whole pipeline: preprocess, a 4-execution sweep task, find-best, deploy', () => {
    expect(run.status, run.reason).toBe('succeeded');
    const sweep = run.nodes['train-sweep']?.executions ?? [];
    expect(sweep).toHaveLength(4);
    for (const execution of sweep) {
      expect(execution.status).toBe('succeeded');
      expect(execution.latestMetadata['accuracy']).toEqual(expect.any(Number));
      expect(execution.outputs.map((o) => o.path).sort()).toEqual(['metrics.json', 'model.pkl']);
    }
    expect(sweep.map((e) => e.parameters['model'])).toEqual(['logistic', 'logistic', 'forest', 'forest']);
  });

  it('chooses the best model by the toolkit selection rule, and find-best picked the same one', async () => {
    const rule = resolveRule(await ruleFromPipelineFile(pipelineFile), {});
    const { selection } = await compareRun(projectDir, run.id, { rule, nodeGlobs: ['train-sweep'] });
    expect(selection.winner, selection.reason).toBeDefined();
    const winner = selection.winner;
    if (!winner) return;
    expect(winner.metrics['accuracy']).toBeGreaterThanOrEqual(0.85);
    const winnerModel = winner.outputs.find((o) => o.path === 'model.pkl');
    const findBest = run.nodes['find-best']?.executions[0];
    expect(findBest?.outputs.find((o) => o.path === 'model.pkl')?.sha256).toBe(winnerModel?.sha256);
    const deployed = run.deployments?.[0]?.files.find((f) => f.endpoint === 'predict' && f.name === 'model');
    expect(deployed?.sha256).toBe(winnerModel?.sha256);
  });

  it('serves the chosen model: the endpoint answers a prediction, and batch inference agrees', async () => {
    const deployed = run.deployments?.[0]?.files.find((f) => f.endpoint === 'predict');
    if (!deployed) throw new Error('no deployed model');
    const modelPath = new ContentStore(projectPaths(projectDir).storeDir).pathOf(deployed.sha256);
    const command = config.endpoints.get('predict')?.serverCommand?.[0] ?? '';
    const rows = readFileSync(join(repositoryDir, 'examples/digits/data/new-digits.csv'), 'utf8').trim().split('\n');
    const first = (rows[0] ?? '').split(',').map(Number);

    const batch = await runPipeline({
      config,
      pipeline: 'batch-inference',
      repositoryDir,
      projectDir,
      jobs: 1,
      reuse: false,
      inputs: { 'batch-inference.model': [modelPath] },
    });
    expect(batch.status, batch.reason).toBe('succeeded');
    const predictions = batch.nodes['batch-inference']?.executions[0];
    expect(predictions?.latestMetadata['rows']).toBe(rows.length);
    const csv = readFileSync(new ContentStore(projectPaths(projectDir).storeDir).pathOf(predictions?.outputs[0]?.sha256 ?? ''), 'utf8');
    const firstPredicted = Number(csv.split('\n')[1]?.split(',')[1]);

    const server = await startServer(command, modelPath);
    try {
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
      expect(health['status']).toBe('ok');
      const response = await fetch(`${server.url}/predict`, { method: 'POST', body: JSON.stringify({ pixels: first }), headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { prediction: number; confidence: number };
      expect(answer.prediction).toBe(firstPredicted);
      expect(answer.confidence).toBeGreaterThan(0);
      const bad = await fetch(`${server.url}/predict`, { method: 'POST', body: JSON.stringify({ pixels: [1, 2] }) });
      expect(bad.status).toBe(400);
    } finally {
      server.child.kill('SIGTERM');
    }
  }, 300_000);
});
