/**
 * The digits example, run end to end the way a runner would: the pipeline is read from
 * examples/digits/valohai.yaml, every execution node gets its own inputs/outputs folders, files flow
 * along the edges, and each step's command runs as a real `node` process. The deployment node's model
 * is then served over loopback HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import picomatch from 'picomatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repositoryDir = fileURLToPath(new URL('../..', import.meta.url));
const pipelineFile = join(repositoryDir, 'examples/digits/valohai.yaml');

// ---- a minimal reading of the pipeline file (the real loader is tested elsewhere) ----

type Json = Record<string, unknown>;

function asRecord(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not a mapping`);
  return value as Json;
}
function asArray(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
}
function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

interface StepParameter {
  name: string;
  default: unknown;
}
interface StepDefinition {
  name: string;
  command: string[];
  parameters: StepParameter[];
  inputs: { name: string; default: string[] }[];
}
interface NodeDefinition {
  name: string;
  type: string;
  step?: string;
  overrideParameters: StepParameter[];
  endpoints: string[];
}
interface Socket {
  node: string;
  type: string;
  key: string;
}

function parseSocket(text: string): Socket {
  const [node, type, ...rest] = text.split('.');
  if (!node || !type || rest.length === 0) throw new Error(`bad socket ${text}`);
  return { node, type, key: rest.join('.') };
}

function readPipelineFile() {
  const document = asArray(parse(readFileSync(pipelineFile, 'utf8'), { version: '1.1', uniqueKeys: false }), 'file');
  const steps = new Map<string, StepDefinition>();
  const pipelines = new Map<string, { nodes: NodeDefinition[]; edges: [Socket, Socket][] }>();
  const endpoints = new Map<string, Json>();
  let extension: Json | undefined;
  for (const item of document) {
    const entry = asRecord(item, 'item');
    if (entry['step']) {
      const step = asRecord(entry['step'], 'step');
      const command = step['command'];
      steps.set(asString(step['name'], 'step name'), {
        name: asString(step['name'], 'step name'),
        command: typeof command === 'string' ? [command] : asArray(command, 'command').map((c) => asString(c, 'command')),
        parameters: asArray(step['parameters'], 'parameters').map((p) => {
          const parameter = asRecord(p, 'parameter');
          return { name: asString(parameter['name'], 'parameter name'), default: parameter['default'] };
        }),
        inputs: asArray(step['inputs'], 'inputs').map((i) => {
          const input = asRecord(i, 'input');
          const defaults = input['default'];
          return {
            name: asString(input['name'], 'input name'),
            default: defaults === undefined ? [] : typeof defaults === 'string' ? [defaults] : asArray(defaults, 'default').map(String),
          };
        }),
      });
    } else if (entry['pipeline']) {
      const pipeline = asRecord(entry['pipeline'], 'pipeline');
      const nodes = asArray(pipeline['nodes'], 'nodes').map((n): NodeDefinition => {
        const node = asRecord(n, 'node');
        const override = node['override'] === undefined ? {} : asRecord(node['override'], 'override');
        return {
          name: asString(node['name'], 'node name'),
          type: asString(node['type'], 'node type'),
          step: typeof node['step'] === 'string' ? node['step'] : undefined,
          overrideParameters: asArray(override['parameters'], 'override parameters').map((p) => {
            const parameter = asRecord(p, 'override parameter');
            return { name: asString(parameter['name'], 'name'), default: parameter['default'] };
          }),
          endpoints: asArray(node['endpoints'], 'endpoints').map((e) => asString(e, 'endpoint')),
        };
      });
      const edges = asArray(pipeline['edges'], 'edges').map((e): [Socket, Socket] => {
        const [source, target] = asArray(e, 'edge');
        return [parseSocket(asString(source, 'edge source')), parseSocket(asString(target, 'edge target'))];
      });
      pipelines.set(asString(pipeline['name'], 'pipeline name'), { nodes, edges });
    } else if (entry['endpoint']) {
      const endpoint = asRecord(entry['endpoint'], 'endpoint');
      endpoints.set(asString(endpoint['name'], 'endpoint name'), endpoint);
    } else if (entry['x-mlops']) {
      extension = asRecord(entry['x-mlops'], 'x-mlops');
    }
  }
  return { steps, pipelines, endpoints, extension };
}

// ---- a minimal runner ----

interface ExecutionRecord {
  node: string;
  outputsDir: string;
  inputsDir: string;
  argv: string[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
  metadata: Json[];
  latest: Json;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** `--name=value` in declaration order: the default `pass-as` of FORMAT.md §2.2. */
function renderCommand(step: StepDefinition, overrides: StepParameter[]): string[] {
  const values = new Map(step.parameters.map((p) => [p.name, p.default]));
  for (const override of overrides) values.set(override.name, override.default);
  const rendered = [...values].filter(([, v]) => v !== undefined && v !== null).map(([name, v]) => `--${name}=${String(v)}`);
  const [command] = step.command;
  if (step.command.length !== 1 || command === undefined) throw new Error(`${step.name}: expected one command line`);
  // The example's commands are `node <script> {parameters}` with no shell syntax, so argv is exact.
  const words = command.trim().split(/\s+/).flatMap((word) => (word === '{parameters}' ? rendered : [word]));
  if (words[0] !== 'node') throw new Error(`${step.name}: expected a node command, got ${command}`);
  return words.slice(1);
}

function runNode(args: string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; exitCode: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repositoryDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ stdout, stderr, exitCode }));
  });
}

/** JSON objects printed one per line: the metadata events of FORMAT.md §8. */
function metadataOf(stdout: string): Json[] {
  const events: Json[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) events.push(value as Json);
    } catch {
      // Not metadata, just a log line that starts with a brace.
    }
  }
  return events;
}

async function runExecution(
  workDir: string,
  nodeName: string,
  step: StepDefinition,
  overrides: StepParameter[],
  inputs: Map<string, { file: string; as: string }[]>,
): Promise<ExecutionRecord> {
  const executionDir = join(workDir, nodeName);
  const inputsDir = join(executionDir, 'inputs');
  const outputsDir = join(executionDir, 'outputs');
  mkdirSync(outputsDir, { recursive: true });
  for (const input of step.inputs) {
    let files = inputs.get(input.name) ?? [];
    // No edge: the input's defaults, which in this example are paths relative to the repository.
    if (files.length === 0) files = input.default.map((path) => ({ file: join(repositoryDir, path), as: basename(path) }));
    for (const { file, as } of files) {
      const target = join(inputsDir, input.name, as);
      mkdirSync(join(target, '..'), { recursive: true });
      copyFileSync(file, target);
    }
  }
  const argv = renderCommand(step, overrides);
  const result = await runNode(argv, { VH_INPUTS_DIR: inputsDir, VH_OUTPUTS_DIR: outputsDir });
  const metadata = metadataOf(result.stdout);
  return { node: nodeName, inputsDir, outputsDir, argv, ...result, metadata, latest: Object.assign({}, ...metadata) as Json };
}

/** Runs a pipeline's execution nodes in dependency order; returns the executions and the deployment files. */
async function runPipeline(workDir: string, name: string) {
  const { steps, pipelines } = readPipelineFile();
  const pipeline = pipelines.get(name);
  if (!pipeline) throw new Error(`no pipeline ${name}`);
  const executions = new Map<string, ExecutionRecord>();
  const deploymentFiles = new Map<string, string>();
  const pending = pipeline.nodes.filter((node) => node.type === 'execution');
  const edgesInto = (node: string) => pipeline.edges.filter(([, target]) => target.node === node);
  const outputsMatching = (source: Socket) => {
    const execution = executions.get(source.node);
    if (!execution) throw new Error(`edge from ${source.node}, which has not run`);
    const match = picomatch(source.key);
    return walk(execution.outputsDir).filter((file) => match(relative(execution.outputsDir, file).split('\\').join('/')));
  };

  while (pending.length > 0) {
    const index = pending.findIndex((node) => edgesInto(node.name).every(([source]) => executions.has(source.node)));
    if (index < 0) throw new Error('pipeline has a cycle');
    const node = pending.splice(index, 1)[0];
    if (!node?.step) throw new Error('execution node without a step');
    const step = steps.get(node.step);
    if (!step) throw new Error(`unknown step ${node.step}`);
    const inputs = new Map<string, { file: string; as: string }[]>();
    const incoming = edgesInto(node.name).filter(([source, target]) => source.type === 'output' && target.type === 'input');
    for (const [source, target] of incoming) {
      // Several edges joined into one input: each source gets its own subfolder, as names collide.
      const joined = incoming.filter(([, other]) => other.key === target.key).length > 1;
      const files = outputsMatching(source).map((file) => ({ file, as: joined ? join(source.node, basename(file)) : basename(file) }));
      inputs.set(target.key, [...(inputs.get(target.key) ?? []), ...files]);
    }
    const execution = await runExecution(workDir, node.name, step, node.overrideParameters, inputs);
    if (execution.exitCode !== 0) throw new Error(`${node.name} failed (${execution.exitCode}): ${execution.stderr}`);
    executions.set(node.name, execution);
  }
  for (const [source, target] of pipeline.edges.filter(([, t]) => t.type === 'file')) {
    const [file, ...more] = outputsMatching(source);
    if (!file || more.length > 0) throw new Error(`deployment file ${target.key} must match exactly one output`);
    deploymentFiles.set(`${target.node}.${target.key}`, file);
  }
  return { pipeline, executions, deploymentFiles };
}

// ---- serving ----

interface Server {
  child: ChildProcess;
  url: string;
}

function startServer(modelPath: string): Promise<Server> {
  const { endpoints } = readPipelineFile();
  const serverCommand = asString(endpoints.get('predict-digit')?.['server-command'], 'server-command');
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
  let run: Awaited<ReturnType<typeof runPipeline>>;
  const trainings = ['fast', 'medium', 'slow'];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'digits-example-'));
    run = await runPipeline(workDir, 'train-and-deploy');
  });
  afterAll(() => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const execution = (node: string): ExecutionRecord => {
    const record = run.executions.get(node);
    if (!record) throw new Error(`${node} did not run`);
    return record;
  };

  it('declares the pipeline the README describes', () => {
    const { pipelines, extension } = readPipelineFile();
    const nodes = pipelines.get('train-and-deploy')?.nodes ?? [];
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
    expect(pipelines.has('batch-inference')).toBe(true);
    expect(asRecord(extension?.['selection'], 'selection')).toMatchObject({ metric: 'accuracy', goal: 'max' });
  });

  it('splits the data set into train and held-out test rows', () => {
    const preprocess = execution('preprocess');
    expect(preprocess.latest).toMatchObject({ rows: 1797, features: 64, classes: 10 });
    const trainRows = readCsvRows(join(preprocess.outputsDir, 'train.csv')).length - 1;
    const testRows = readCsvRows(join(preprocess.outputsDir, 'test.csv')).length - 1;
    expect(trainRows + testRows).toBe(1797);
    expect(preprocess.latest['test_rows']).toBe(testRows);
    expect(testRows / 1797).toBeCloseTo(0.2, 2);
    const pixels = readCsvRows(join(preprocess.outputsDir, 'train.csv')).slice(1).flatMap((row) => row.slice(0, 64).map(Number));
    expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
    expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
  });

  it('trains three genuinely different models and reports every epoch', () => {
    const { pipelines } = readPipelineFile();
    const nodes = pipelines.get('train-and-deploy')?.nodes ?? [];
    const shas = new Set<string>();
    for (const name of trainings) {
      const training = execution(`train-${name}`);
      const epochs = nodes.find((n) => n.name === `train-${name}`)?.overrideParameters.find((p) => p.name === 'epochs')?.default;
      const epochEvents = training.metadata.filter((event) => 'epoch' in event);
      expect(epochEvents).toHaveLength(Number(epochs));
      for (const event of epochEvents) expect(Object.keys(event).sort()).toEqual(['epoch', 'loss', 'train_accuracy']);
      expect(training.argv).toContain(`--epochs=${String(epochs)}`);
      const model = asRecord(JSON.parse(readFileSync(join(training.outputsDir, 'model.json'), 'utf8')), 'model');
      expect(model).toMatchObject({ classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], input_size: 64 });
      expect(asRecord(model['training'], 'training')['epochs']).toBe(Number(epochs));
      shas.add(sha256(join(training.outputsDir, 'model.json')));
    }
    expect(shas.size).toBe(3);
    const accuracies = trainings.map((name) => execution(`evaluate-${name}`).latest['accuracy']);
    expect(new Set(accuracies).size).toBe(3);
  });

  it('evaluates each model on the held-out rows', () => {
    const testRows = readCsvRows(join(execution('preprocess').outputsDir, 'test.csv')).length - 1;
    for (const name of trainings) {
      const evaluate = execution(`evaluate-${name}`);
      const evaluation = asRecord(JSON.parse(readFileSync(join(evaluate.outputsDir, 'evaluation.json'), 'utf8')), 'evaluation');
      expect(evaluation['n']).toBe(testRows);
      expect(evaluation['model_sha256']).toBe(sha256(join(execution(`train-${name}`).outputsDir, 'model.json')));
      const matrix = asArray(evaluation['confusion_matrix'], 'confusion matrix').map((row) => asArray(row, 'row').map(Number));
      const total = matrix.flat().reduce((a, b) => a + b, 0);
      const diagonal = matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
      expect(total).toBe(testRows);
      expect(evaluation['accuracy']).toBeCloseTo(diagonal / total, 5);
      expect(evaluate.latest).toEqual({ accuracy: evaluation['accuracy'], macro_f1: evaluation['macro_f1'], loss: evaluation['loss'] });
    }
  });

  it('picks the most accurate model, which reaches 0.9 on held-out data, and deploys it', () => {
    const evaluations = trainings.map((name) => ({ name, accuracy: Number(execution(`evaluate-${name}`).latest['accuracy']) }));
    const bestAccuracy = Math.max(...evaluations.map((e) => e.accuracy));
    const winner = evaluations.find((e) => e.accuracy === bestAccuracy);
    const findBest = execution('find-best-model');
    expect(findBest.latest['best_accuracy']).toBe(bestAccuracy);
    expect(bestAccuracy).toBeGreaterThanOrEqual(0.9);
    // Joined inputs really arrived in colliding names, one subfolder per source.
    expect(walk(join(findBest.inputsDir, 'evaluations')).map((f) => basename(f))).toEqual(Array(3).fill('evaluation.json'));

    const winnerModel = join(execution(`train-${winner?.name ?? ''}`).outputsDir, 'model.json');
    const deployed = run.deploymentFiles.get('deploy.predict-digit.model');
    expect(deployed).toBeDefined();
    expect(sha256(deployed ?? '')).toBe(sha256(winnerModel));
    const best = asRecord(JSON.parse(readFileSync(join(findBest.outputsDir, 'best.json'), 'utf8')), 'best');
    expect(best['model_sha256']).toBe(sha256(winnerModel));
    expect(best['best_model']).toBe(findBest.latest['best_model']);
    expect(asArray(best['candidates'], 'candidates')).toHaveLength(3);
  });

  it('finds the best model in a flat layout with renamed files, and breaks accuracy ties on loss', async () => {
    const step = readPipelineFile().steps.get('find-best-model');
    if (!step) throw new Error('no find-best-model step');
    const evaluationFile = (name: string) => join(execution(`evaluate-${name}`).outputsDir, 'evaluation.json');
    const modelFile = (name: string) => join(execution(`train-${name}`).outputsDir, 'model.json');
    const flat = new Map([
      ['evaluations', trainings.map((name, i) => ({ file: evaluationFile(name), as: `evaluation-${i}.json` }))],
      ['models', [...trainings].reverse().map((name, i) => ({ file: modelFile(name), as: `model (${i}).json` }))],
    ]);
    const renamed = await runExecution(workDir, 'find-best-flat', step, [], flat);
    expect(renamed.exitCode).toBe(0);
    expect(renamed.latest).toEqual(execution('find-best-model').latest);

    // Same accuracy for two models: the lower loss must win whatever the file order.
    const tieDir = join(workDir, 'tie');
    mkdirSync(tieDir, { recursive: true });
    const tied = trainings.map((name) => {
      const evaluation = asRecord(JSON.parse(readFileSync(evaluationFile(name), 'utf8')), 'evaluation');
      const file = join(tieDir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ ...evaluation, accuracy: 0.95 }));
      return { name, loss: Number(evaluation['loss']), file };
    });
    const lowestLoss = tied.reduce((a, b) => (b.loss < a.loss ? b : a));
    const tie = await runExecution(
      workDir,
      'find-best-tie',
      step,
      [],
      new Map([
        ['evaluations', tied.map((t) => ({ file: t.file, as: `${t.name}/evaluation.json` }))],
        ['models', trainings.map((name) => ({ file: modelFile(name), as: `${name}/model.json` }))],
      ]),
    );
    expect(tie.exitCode).toBe(0);
    expect(sha256(join(tie.outputsDir, 'model.json'))).toBe(sha256(modelFile(lowestLoss.name)));

    const noModels = await runExecution(workDir, 'find-best-no-models', step, [], new Map([['evaluations', flat.get('evaluations') ?? []]]));
    expect(noModels.exitCode).toBe(1);
    expect(noModels.stderr).toMatch(/input 'models'/);
  });

  it('is reproducible: the same parameters give the same model', async () => {
    const step = readPipelineFile().steps.get('train-model');
    const node = run.pipeline.nodes.find((n) => n.name === 'train-fast');
    if (!step || !node) throw new Error('no train-fast');
    const trainCsv = join(execution('preprocess').outputsDir, 'train.csv');
    const again = await runExecution(workDir, 'train-fast-again', step, node.overrideParameters, new Map([['train', [{ file: trainCsv, as: 'train.csv' }]]]));
    expect(again.exitCode).toBe(0);
    expect(sha256(join(again.outputsDir, 'model.json'))).toBe(sha256(join(execution('train-fast').outputsDir, 'model.json')));
  });

  it('batch inference writes one prediction per row, and the deployed endpoint agrees with it', async () => {
    const { steps, pipelines } = readPipelineFile();
    const node = pipelines.get('batch-inference')?.nodes[0];
    const step = steps.get(node?.step ?? '');
    if (!step) throw new Error('no batch-inference step');
    const model = run.deploymentFiles.get('deploy.predict-digit.model') ?? '';
    // The model input has no default: give it the way a user does on the command line.
    const batch = await runExecution(workDir, 'batch-inference', step, [], new Map([['model', [{ file: model, as: 'model.json' }]]]));
    expect(batch.exitCode).toBe(0);

    const newDigits = readCsvRows(join(repositoryDir, 'examples/digits/data/new-digits.csv'));
    const predictions = readCsvRows(join(batch.outputsDir, 'predictions.csv'));
    expect(predictions[0]?.slice(0, 4)).toEqual(['file', 'row', 'predicted', 'confidence']);
    expect(predictions.slice(1)).toHaveLength(newDigits.length);
    expect(batch.latest['predictions']).toBe(newDigits.length);

    // new-digits.csv comes from the held-out rows; most predictions must be right.
    const truth = labelsByPixels();
    const predicted = predictions.slice(1).map((row) => Number(row[2]));
    const correct = newDigits.filter((row, i) => truth.get(row.map((c) => String(Number(c))).join(',')) === predicted[i]).length;
    expect(correct / newDigits.length).toBeGreaterThanOrEqual(0.85);

    const server = await startServer(model);
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
