/**
 * The gate decides deployment (issue 15 item 3), through the real CLI (`mlops run`, `mlops report`): in a
 * pipeline with an x-mlops selection rule, the deployment node deploys only on `promote`, only the compare
 * winner's file, and a `hold` skips it with the compare reason in the run record and the report.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRegistry } from '../../src/registry/local.js';
import { parseSelector } from '../../src/registry/model.js';
import { loadRun, type RunRecord } from '../../src/store/runs.js';

const exec = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;

const PIPELINE = `
- step:
    name: train
    image: node:20-slim
    command: node train.mjs {parameters}
    parameters:
      - name: quality
        type: float
        default: 0.5
    outputs:
      - name: model.json
- step:
    name: pick
    image: node:20-slim
    command: node pick.mjs {parameters}
    parameters:
      - name: which
        type: string
        default: train-b
    inputs:
      - name: models
    outputs:
      - name: model.json
- endpoint:
    name: predict
    image: node:20-slim
    server-command: node serve.mjs
    port: 8000
    files:
      - name: model
        path: model.json
- pipeline:
    name: train-and-deploy
    nodes:
      - name: train-a
        type: execution
        step: train
        override:
          parameters:
            - name: quality
              type: float
              default: 0.8
      - name: train-b
        type: execution
        step: train
        override:
          parameters:
            - name: quality
              type: float
              default: 0.9
      - name: pick
        type: execution
        step: pick
      - name: deploy
        type: deployment
        deployment: demo
        endpoints: [predict]
    edges:
      - [train-a.output.model.json, pick.input.models]
      - [train-b.output.model.json, pick.input.models]
      - [pick.output.model.json, deploy.file.predict.model]
- deployment:
    name: demo
- x-mlops:
    selection:
      metric: accuracy
      goal: max
`;

// Valohai metadata: one JSON object per stdout line.
const TRAIN = `import { writeFileSync } from 'node:fs';
const accuracy = Number(process.argv.find((a) => a.startsWith('--quality='))?.split('=')[1]);
writeFileSync(process.env.VH_OUTPUTS_DIR + '/model.json', JSON.stringify({ accuracy }));
console.log(JSON.stringify({ accuracy }));
`;
const PICK = `import { copyFileSync } from 'node:fs';
const which = process.argv.find((a) => a.startsWith('--which='))?.split('=')[1];
copyFileSync(process.env.VH_INPUTS_DIR + '/models/' + which + '/model.json', process.env.VH_OUTPUTS_DIR + '/model.json');
`;

let project: string;

async function mlops(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', tsxLoader, join(repo, 'src/cli/index.ts'), ...args], { cwd: project, env: { ...process.env, CI: 'true', NODE_OPTIONS: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

async function latestRun(): Promise<RunRecord> {
  return loadRun(join(project, '.mlops'), 'latest');
}

function modelSha(run: RunRecord, node: string): string | undefined {
  return run.nodes[node]?.executions[0]?.outputs.find((output) => output.path === 'model.json')?.sha256;
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'mlops-gate-'));
  await writeFile(join(project, 'valohai.yaml'), PIPELINE);
  await writeFile(join(project, 'train.mjs'), TRAIN);
  await writeFile(join(project, 'pick.mjs'), PICK);
  await writeFile(join(project, 'serve.mjs'), '');
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('a deployment node under a selection rule', () => {
  it('promote (no production model yet): deploys the winner’s model, and the report says so', async () => {
    const result = await mlops('run', 'valohai.yaml', '--pipeline', 'train-and-deploy');
    expect(result.code, result.stderr).toBe(0);
    const run = await latestRun();
    expect(run.status).toBe('succeeded');
    expect(run.nodes['deploy']?.state).toBe('succeeded');
    const deployed = run.deployments?.find((d) => d.node === 'deploy')?.files[0];
    expect(deployed?.sha256).toBe(modelSha(run, 'train-b'));

    const report = await mlops('report');
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('**Decision: ✅ promote**: train-b has the best accuracy (0.9); no baseline to beat (first model: the registry has no production model yet)');
    expect(report.stdout).toContain('**Deployment `deploy`: deployed**');
  }, 120_000);

  it('promote, but the file reaching the deployment is not the winner’s: the node fails and says why', async () => {
    const result = await mlops('run', 'valohai.yaml', '--pipeline', 'train-and-deploy', '--param', 'pick.which=train-a');
    expect(result.code).toBe(1);
    const run = await latestRun();
    expect(run.status).toBe('failed');
    expect(run.nodes['deploy']?.state).toBe('failed');
    expect(run.nodes['deploy']?.reason).toMatch(/^deployment node deploy: predict's file model \(model\.json from pick, sha256 [0-9a-f]{12}\) is not a file of the compare winner train-b \(execution [^)]+\): the gate deploys only the winner's model/);
    expect(run.deployments ?? []).toEqual([]);
  }, 120_000);

  it('hold (production is better): the node is skipped with the compare reason, in the run record and the report', async () => {
    const registry = new LocalRegistry(join(project, '.mlops'));
    await writeFile(join(project, 'production-model.json'), '{"accuracy":0.95}');
    await registry.register({ name: 'demo', files: [{ path: 'model.json', localPath: join(project, 'production-model.json') }], metrics: { accuracy: 0.95 } });
    await registry.promote('demo', 'production', parseSelector('1'), 'in production');

    const result = await mlops('run', 'valohai.yaml', '--pipeline', 'train-and-deploy');
    expect(result.code, result.stderr).toBe(0);
    const run = await latestRun();
    const reason = 'gate: hold: train-b does not beat the baseline';
    expect(run.nodes['deploy']?.state).toBe('skipped');
    expect(run.nodes['deploy']?.reason?.startsWith(reason)).toBe(true);
    expect(run.deployments ?? []).toEqual([]);
    // `mlops deploy --run latest` finds nothing of this run to deploy.
    expect(run.status).toBe('succeeded');

    const report = await mlops('report');
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('**Decision: ⏸️ hold**');
    expect(report.stdout).toContain(`**Deployment \`deploy\`: not deployed**: ${reason}`);
    expect(report.stdout).toContain('Baseline (production (demo v1), registry demo@production): `accuracy` = 0.95.');
  }, 120_000);
});
