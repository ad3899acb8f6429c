/**
 * The digits example, run end to end by the real local runner: the pipeline file is loaded by
 * `loadPipelineFile`, `runPipeline` runs it into a fresh project folder (every step a real process, files
 * flowing along the edges through the content store, `mlops` on PATH for `mlops profile`), and single
 * executions (renamed inputs, ties, a missing input, a rerun, batch inference) go through `runExecution`,
 * the same executor. The deployment node's model is then served over loopback HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import { stepForNode } from '../../src/exec/plan-run.js';
import { runPipeline } from '../../src/exec/scheduler.js';
import { localGate } from '../../src/registry/gate.js';
import type { ExecutionResult, InputFile } from '../../src/exec/types.js';
import { parameterDefaults } from '../../src/pipeline/command.js';
import { formatDiagnostic } from '../../src/pipeline/diagnostics.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';
import type { ExecutionNode, PipelineConfig } from '../../src/pipeline/model.js';
import { ContentStore } from '../../src/store/content-store.js';
import { projectPaths, runDir, type ExecutionRecord, type RunRecord } from '../../src/store/runs.js';

const repositoryDir = fileURLToPath(new URL('../..', import.meta.url));
const pipelineFile = join(repositoryDir, 'examples/digits/valohai.yaml');

type Json = Record<string, unknown>;

function asRecord(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a mapping`);
  return value as Json;
}
function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function loadConfig(): Promise<PipelineConfig> {
  const { config, diagnostics } = await loadPipelineFile(pipelineFile);
  if (!config) throw new Error(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  return config;
}

function executionNode(config: PipelineConfig, pipeline: string, name: string): ExecutionNode {
  const node = config.pipelines.get(pipeline)?.nodes.find((n) => n.name === name);
  if (node?.type !== 'execution') throw new Error(`no execution node ${pipeline}.${name}`);
  return node;
}

// ---- serving ----

interface Server {
  child: ChildProcess;
  url: string;
}

function startServer(serverCommand: string, modelPath: string): Promise<Server> {
  const [program, ...args] = serverCommand.trim().split(/\s+/);
  if (program !== 'node') throw new Error(`expected a node server, got ${serverCommand}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: repositoryDir,
      env: { ...process.env, MODEL_PATH: modelPath, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        child.stdout.off('data', onData);
        resolve({ child, url: `http://127.0.0.1:${match[1]}` });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${output}`)));
  });
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

async function postJson(url: string, body: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: asRecord(await response.json(), 'response') };
}

// ---- data helpers ----

function readCsvRows(path: string): string[][] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => line.split(','));
}

/** Label of each raw pixel row of the original data set, to check predictions against the truth. */
function labelsByPixels(): Map<string, number> {
  const text = gunzipSync(readFileSync(join(repositoryDir, 'examples/digits/data/digits.csv.gz'))).toString('utf8');
  const labels = new Map<string, number>();
  for (const line of text.trim().split('\n')) {
    const cells = line.split(',').map((cell) => String(Number(cell)));
    labels.set(cells.slice(0, 64).join(','), Number(cells[64]));
  }
  return labels;
}

// ---- the tests ----

describe('examples/digits', () => {
  let workDir: string;
  let projectDir: string;
  let config: PipelineConfig;
  let run: RunRecord;
  const trainings = ['fast', 'medium', 'slow'];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'digits-example-'));
    projectDir = join(workDir, '.mlops');
    config = await loadConfig();
    run = await runPipeline({ config, pipeline: 'train-and-deploy', repositoryDir, projectDir, jobs: 2, reuse: false, gate: localGate(projectDir) });
    if (run.status !== 'succeeded') {
      const failed = Object.entries(run.nodes).filter(([, node]) => node.state !== 'succeeded');
      throw new Error(`run ${run.status}: ${run.reason ?? ''} ${JSON.stringify(failed.map(([name, node]) => [name, node.state, node.reason]))}`);
    }
  });
  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const store = (): ContentStore => new ContentStore(projectPaths(projectDir).storeDir);

  const execution = (node: string): ExecutionRecord => {
    const record = run.nodes[node]?.executions[0];
    if (!record) throw new Error(`${node} did not run`);
    return record;
  };
  const executionDir = (node: string): string => join(runDir(projectDir, run.id), 'executions', execution(node).executionId);
  const outputsDir = (node: string): string => join(executionDir(node), 'outputs');
  const outputSha = (node: string, path: string): string => {
    const output = execution(node).outputs.find((o) => o.path === path);
    if (!output) throw new Error(`${node} has no output ${path}`);
    return output.sha256;
  };
  const fromStore = (relativePath: string, sha: string): InputFile => ({ relativePath, source: { kind: 'store', sha256: sha }, sha256: sha });

  /** One execution outside the pipeline, through the real executor; stderr lines are collected. */
  let counter = 0;
  async function runSingle(
    name: string,
    step: ReturnType<typeof stepForNode>,
    inputs: Record<string, InputFile[]>,
  ): Promise<{ result: ExecutionResult; dir: string; stderr: string[] }> {
    counter += 1;
    const executionId = `${name}-${counter}`;
    const dir = join(workDir, 'single', executionId);
    const stderr: string[] = [];
    const paths = projectPaths(projectDir);
    const result = await runExecution({
      executionId,
      step,
      parameters: parameterDefaults(step),
      inputs,
      environment: {},
      repositoryDir,
      executionDir: dir,
      storeDir: paths.storeDir,
      downloadCacheDir: paths.downloadCacheDir,
      onLine: (line, stream) => {
        if (stream === 'stderr') stderr.push(line);
      },
    });
    return { result, dir, stderr };
  }

  it('declares the pipeline the README describes', () => {
    const nodes = config.pipelines.get('train-and-deploy')?.nodes ?? [];
    expect(nodes.map((n) => n.name)).toEqual([
      'preprocess',
      'train-fast',
      'train-medium',
      'train-slow',
      'evaluate-fast',
      'evaluate-medium',
      'evaluate-slow',
      'find-best-model',
      'deploy',
    ]);
    expect(nodes.find((n) => n.name === 'deploy')).toMatchObject({ type: 'deployment', endpoints: ['predict-digit'] });
    expect(config.pipelines.has('batch-inference')).toBe(true);
    expect(config.mlops.selection).toMatchObject({ metric: 'accuracy', goal: 'max' });
    expect(Object.keys(run.nodes).sort()).toEqual(nodes.map((n) => n.name).sort());
  });

  it('splits the data set into train and held-out test rows', () => {
    const preprocess = execution('preprocess');
    expect(preprocess.latestMetadata).toMatchObject({ rows: 1797, features: 64, classes: 10 });
    const trainRows = readCsvRows(join(outputsDir('preprocess'), 'train.csv')).length - 1;
    const testRows = readCsvRows(join(outputsDir('preprocess'), 'test.csv')).length - 1;
    expect(trainRows + testRows).toBe(1797);
    expect(preprocess.latestMetadata['test_rows']).toBe(testRows);
    expect(testRows / 1797).toBeCloseTo(0.2, 2);
    const pixels = readCsvRows(join(outputsDir('preprocess'), 'train.csv')).slice(1).flatMap((row) => row.slice(0, 64).map(Number));
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
    // The stored output is the file on disk.
    expect(outputSha('preprocess', 'train.csv')).toBe(sha256(join(outputsDir('preprocess'), 'train.csv')));
  });

  it('profiles the training data with `mlops profile` in the same step', () => {
    const preprocess = execution('preprocess');
    expect(preprocess.command).toMatch(/^mlops profile /m);
    const profilePath = join(outputsDir('preprocess'), 'profile.json');
    expect(outputSha('preprocess', 'profile.json')).toBe(sha256(profilePath));
    const profile = asRecord(JSON.parse(readFileSync(profilePath, 'utf8')), 'profile');
    expect(profile).toMatchObject({ format: 'mlops-profile', version: 1 });
    const trainHeader = readCsvRows(join(outputsDir('preprocess'), 'train.csv'))[0] ?? [];
    const trainRows = readCsvRows(join(outputsDir('preprocess'), 'train.csv')).length - 1;
    expect(profile['rows']).toBe(trainRows);
    const columns = asArray(profile['columns'], 'columns').map((c) => asRecord(c, 'column'));
    expect(columns).toHaveLength(65);
    expect(columns.map((c) => c['name'])).toEqual(trainHeader);
    expect(columns.find((c) => c['name'] === 'label')).toMatchObject({ type: 'categorical' });
  });

  it('trains three genuinely different models and reports every epoch', () => {
    const shas = new Set<string>();
    for (const name of trainings) {
      const node = executionNode(config, 'train-and-deploy', `train-${name}`);
      const epochs = node.override?.parameters?.find((p) => p.name === 'epochs')?.default;
      expect(typeof epochs).toBe('number');
      const training = execution(`train-${name}`);
      expect(training.parameters['epochs']).toBe(epochs);
      const epochEvents = (training.metadata ?? []).filter((event) => 'epoch' in event.values);
      expect(epochEvents).toHaveLength(Number(epochs));
      for (const event of epochEvents) expect(Object.keys(event.values).sort()).toEqual(['epoch', 'loss', 'train_accuracy']);
      expect(training.command).toContain(`--epochs=${String(epochs)}`);
      const modelPath = join(outputsDir(`train-${name}`), 'model.json');
      const model = asRecord(JSON.parse(readFileSync(modelPath, 'utf8')), 'model');
      expect(model).toMatchObject({ classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], input_size: 64 });
      expect(asRecord(model['training'], 'training')['epochs']).toBe(Number(epochs));
      expect(outputSha(`train-${name}`, 'model.json')).toBe(sha256(modelPath));
      shas.add(sha256(modelPath));
    }
    expect(shas.size).toBe(3);
    const accuracies = trainings.map((name) => execution(`evaluate-${name}`).latestMetadata['accuracy']);
    expect(new Set(accuracies).size).toBe(3);
  });

  it('evaluates each model on the held-out rows', () => {
    const testRows = readCsvRows(join(outputsDir('preprocess'), 'test.csv')).length - 1;
    for (const name of trainings) {
      const evaluate = execution(`evaluate-${name}`);
      // The edges delivered this training's model and the preprocess test split.
      expect(evaluate.inputs?.['model']?.map((f) => f.sha256)).toEqual([outputSha(`train-${name}`, 'model.json')]);
      expect(evaluate.inputs?.['test']?.map((f) => f.sha256)).toEqual([outputSha('preprocess', 'test.csv')]);
      const evaluation = asRecord(JSON.parse(readFileSync(join(outputsDir(`evaluate-${name}`), 'evaluation.json'), 'utf8')), 'evaluation');
      expect(evaluation['n']).toBe(testRows);
      expect(evaluation['model_sha256']).toBe(sha256(join(outputsDir(`train-${name}`), 'model.json')));
      const matrix = asArray(evaluation['confusion_matrix'], 'confusion matrix').map((row) => asArray(row, 'row').map(Number));
      const total = matrix.flat().reduce((a, b) => a + b, 0);
      const diagonal = matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
      expect(total).toBe(testRows);
      expect(evaluation['accuracy']).toBeCloseTo(diagonal / total, 5);
      expect(evaluate.latestMetadata).toEqual({ accuracy: evaluation['accuracy'], macro_f1: evaluation['macro_f1'], loss: evaluation['loss'] });
    }
  });

  it('picks the most accurate model, which reaches 0.9 on held-out data, and deploys it', () => {
    const evaluations = trainings.map((name) => ({ name, accuracy: Number(execution(`evaluate-${name}`).latestMetadata['accuracy']) }));
    const bestAccuracy = Math.max(...evaluations.map((e) => e.accuracy));
    const winner = evaluations.find((e) => e.accuracy === bestAccuracy);
    if (!winner) throw new Error('no winner');
    const findBest = execution('find-best-model');
    expect(findBest.latestMetadata['best_accuracy']).toBe(bestAccuracy);
    expect(bestAccuracy).toBeGreaterThanOrEqual(0.9);

    // Joined inputs in colliding names: the runner puts each source's file under a folder named after its node.
    const evaluationFiles = findBest.inputs?.['evaluations'] ?? [];
    expect(evaluationFiles.map((f) => f.relativePath).sort()).toEqual(trainings.map((name) => `evaluate-${name}/evaluation.json`));
    for (const name of trainings) {
      const arrived = join(executionDir('find-best-model'), 'inputs', 'evaluations', `evaluate-${name}`, 'evaluation.json');
      expect(sha256(arrived)).toBe(outputSha(`evaluate-${name}`, 'evaluation.json'));
    }
    const modelFiles = findBest.inputs?.['models'] ?? [];
    expect(modelFiles.map((f) => f.relativePath).sort()).toEqual(trainings.map((name) => `train-${name}/model.json`));

    const winnerSha = outputSha(`train-${winner.name}`, 'model.json');
    expect(outputSha('find-best-model', 'model.json')).toBe(winnerSha);
    const deployment = run.deployments?.find((d) => d.node === 'deploy');
    const deployed = deployment?.files.find((f) => f.endpoint === 'predict-digit' && f.name === 'model');
    expect(deployed).toMatchObject({ sha256: winnerSha, path: 'model.json', from: { node: 'find-best-model' } });
    expect(sha256(store().pathOf(deployed?.sha256 ?? ''))).toBe(winnerSha);
    const best = asRecord(JSON.parse(readFileSync(join(outputsDir('find-best-model'), 'best.json'), 'utf8')), 'best');
    expect(best['model_sha256']).toBe(winnerSha);
    expect(best['best_model']).toBe(findBest.latestMetadata['best_model']);
    expect(asArray(best['candidates'], 'candidates')).toHaveLength(3);
  });

  it('finds the best model in a flat layout with renamed files, and breaks accuracy ties on loss', async () => {
    const step = stepForNode(config, executionNode(config, 'train-and-deploy', 'find-best-model'));
    const evaluationSha = (name: string): string => outputSha(`evaluate-${name}`, 'evaluation.json');
    const modelSha = (name: string): string => outputSha(`train-${name}`, 'model.json');
    const flatEvaluations = trainings.map((name, i) => fromStore(`evaluation-${i}.json`, evaluationSha(name)));
    const renamed = await runSingle('find-best-flat', step, {
      evaluations: flatEvaluations,
      models: [...trainings].reverse().map((name, i) => fromStore(`model (${i}).json`, modelSha(name))),
    });
    expect(renamed.result.status).toBe('succeeded');
    expect(existsSync(join(renamed.dir, 'inputs', 'models', 'model (0).json'))).toBe(true);
    expect(renamed.result.latestMetadata).toEqual(execution('find-best-model').latestMetadata);

    // Same accuracy for two models: the lower loss must win whatever the file order.
    const tieDir = join(workDir, 'tie');
    mkdirSync(tieDir, { recursive: true });
    const tied = trainings.map((name) => {
      const evaluation = asRecord(JSON.parse(readFileSync(join(outputsDir(`evaluate-${name}`), 'evaluation.json'), 'utf8')), 'evaluation');
      const file = join(tieDir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...evaluation, accuracy: 0.95 }));
      return { name, loss: Number(evaluation['loss']), file };
    });
    const lowestLoss = tied.reduce((a, b) => (b.loss < a.loss ? b : a));
    const tie = await runSingle('find-best-tie', step, {
      evaluations: tied.map((t): InputFile => ({ relativePath: `${t.name}/evaluation.json`, source: { kind: 'path', path: t.file } })),
      models: trainings.map((name) => fromStore(`${name}/model.json`, modelSha(name))),
    });
    expect(tie.result.status).toBe('succeeded');
    expect(tie.result.outputs.find((o) => o.path === 'model.json')?.sha256).toBe(modelSha(lowestLoss.name));

    // No models at all: the executor refuses a required input without files before anything runs…
    await expect(runSingle('find-best-no-input', step, { evaluations: flatEvaluations })).rejects.toThrow(/Input "models"/);
    // …and given an empty input, the program itself fails with a message naming it.
    const noModels = await runSingle('find-best-no-models', step, { evaluations: flatEvaluations, models: [] });
    expect(noModels.result.status).toBe('failed');
    expect(noModels.result.exitCode).toBe(1);
    expect(noModels.stderr.join('\n')).toMatch(/input 'models'/);
  });

  it('is reproducible: the same parameters give the same model', async () => {
    const step = stepForNode(config, executionNode(config, 'train-and-deploy', 'train-fast'));
    const again = await runSingle('train-fast-again', step, { train: [fromStore('train.csv', outputSha('preprocess', 'train.csv'))] });
    expect(again.result.status).toBe('succeeded');
    expect(again.result.command).toBe(execution('train-fast').command);
    const rerun = readFileSync(join(again.dir, 'outputs', 'model.json'));
    const original = readFileSync(join(outputsDir('train-fast'), 'model.json'));
    expect(rerun.equals(original)).toBe(true);
  });

  it('batch inference writes one prediction per row, and the deployed endpoint agrees with it', async () => {
    const node = executionNode(config, 'batch-inference', 'batch-inference');
    const step = stepForNode(config, node);
    const deployed = run.deployments?.find((d) => d.node === 'deploy')?.files.find((f) => f.name === 'model');
    if (!deployed) throw new Error('no deployed model');
    // The model input has no default: give it the way a user does on the command line; `data` keeps its default.
    const batch = await runSingle('batch-inference', step, { model: [fromStore('model.json', deployed.sha256)] });
    expect(batch.result.status).toBe('succeeded');

    const newDigits = readCsvRows(join(repositoryDir, 'examples/digits/data/new-digits.csv'));
    const predictions = readCsvRows(join(batch.dir, 'outputs', 'predictions.csv'));
    expect(predictions[0]?.slice(0, 4)).toEqual(['file', 'row', 'predicted', 'confidence']);
    expect(predictions.slice(1)).toHaveLength(newDigits.length);
    expect(batch.result.latestMetadata['predictions']).toBe(newDigits.length);

    // scored.csv: the model's view of the rows in train.csv's columns, plus the prediction, row for row.
    const scored = readCsvRows(join(batch.dir, 'outputs', 'scored.csv'));
    const trainHeader = readCsvRows(join(outputsDir('preprocess'), 'train.csv'))[0] ?? [];
    expect(scored[0]).toEqual([...trainHeader.filter((column) => column !== 'label'), 'predicted']);
    expect(scored.slice(1)).toHaveLength(predictions.length - 1);
    expect(scored.slice(1).map((row) => row.at(-1))).toEqual(predictions.slice(1).map((row) => row[2]));

    // new-digits.csv comes from the held-out rows; most predictions must be right.
    const truth = labelsByPixels();
    const predicted = predictions.slice(1).map((row) => Number(row[2]));
    const correct = newDigits.filter((row, i) => truth.get(row.map((c) => String(Number(c))).join(',')) === predicted[i]).length;
    expect(correct / newDigits.length).toBeGreaterThanOrEqual(0.85);

    const serverCommand = config.endpoints.get('predict-digit')?.serverCommand?.[0];
    if (!serverCommand) throw new Error('no server-command for predict-digit');
    const server = await startServer(serverCommand, store().pathOf(deployed.sha256));
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(asRecord(await health.json(), 'health')['status']).toBe('ok');

      const first = newDigits[0]?.map(Number);
      const single = await postJson(`${server.url}/predict`, { pixels: first });
      expect(single.status).toBe(200);
      expect(single.body['prediction']).toBe(predicted[0]);
      expect(asArray(single.body['probabilities'], 'probabilities')).toHaveLength(10);

      const many = await postJson(`${server.url}/predict`, { instances: newDigits.slice(0, 5).map((row) => row.map(Number)) });
      expect(many.status).toBe(200);
      const answers = asArray(many.body['predictions'], 'predictions').map((p) => asRecord(p, 'prediction')['prediction']);
      expect(answers).toEqual(predicted.slice(0, 5));

      const wrong = await postJson(`${server.url}/predict`, { pixels: [1, 2, 3] });
      expect(wrong.status).toBe(400);
      expect(String(wrong.body['error'])).toMatch(/64 numbers/);
    } finally {
      await stopServer(server);
    }
  });
});
