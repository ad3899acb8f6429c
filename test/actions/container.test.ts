/**
 * The `container` input of the two job actions: each execution runs in its step's image through the
 * engine (the fake docker/podman of test/support, which runs the command on the host with the mounted
 * `/valohai/...` folders mapped back), driven like the runner drives the actions (`INPUT_*`, the
 * loopback artifact and cache service).
 */
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run as runRoot, type RunOptions } from '../../src/actions/run/main.js';
import { run as runNode } from '../../src/actions/run-node/main.js';
import { containerReuseKey } from '../../src/exec/container.js';
import type { NodeManifest } from '../../src/adapters/node-manifest.js';
import type { RunRecord } from '../../src/store/runs.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { installFakeEngines, type EngineCall, type FakeEngines } from '../support/container-engine.js';
import { errorsOf, restoreEnv, runAction, setEnv, type ActionRun } from './helpers.js';

/**
 * `bare`'s image is empty. `use` names `<root>/outputs` (root standing in for `/valohai`), so on a
 * GitHub-hosted runner valohai-paths "auto" would link the root, were the folders not mounted.
 */
function pipelineFile(root: string): string {
  return `
- step:
    name: make
    image: busybox
    command:
      - echo hello > "$VH_OUTPUTS_DIR/greeting.txt"
- step:
    name: use
    image: alpine:3
    command:
      - cat "$VH_INPUTS_DIR/greeting/greeting.txt" > "$VH_OUTPUTS_DIR/x.txt"
      - echo world >> "$VH_OUTPUTS_DIR/x.txt"
      - echo "Valohai keeps it in ${root}/outputs/x.txt"
    inputs:
      - name: greeting
- step:
    name: bare
    image: ''
    command:
      - echo no image
- pipeline:
    name: pipe
    nodes:
      - name: make
        type: execution
        step: make
      - name: use
        type: execution
        step: use
    edges:
      - [make.output.greeting.txt, use.input.greeting]
- pipeline:
    name: single
    nodes:
      - name: make
        type: execution
        step: make
    edges: []
- pipeline:
    name: withbare
    nodes:
      - name: make
        type: execution
        step: make
      - name: plain
        type: execution
        step: bare
    edges: []
`;
}

let server: ArtifactServer;
let engines: FakeEngines;
let scratch: string;
/** Stands in for the runner's `/valohai`: linking would happen here, and must not. */
let valohaiRoot: string;
let runAttempt = 1;

interface JobSetup {
  container: string;
  pipeline: string;
  /** run-node's node; absent: the root action. */
  node?: string;
  reuse?: boolean;
  /** The artifact service's workflow run (jobs of one run share artifacts). */
  serverRunId?: string;
  /** PATH of the job; default: the fake engines first, then the host's. */
  path?: string;
}

interface Job extends ActionRun {
  jobDir: string;
  engineCalls: EngineCall[];
}

async function runJob(setup: JobSetup): Promise<Job> {
  const jobDir = await mkdtemp(join(scratch, `${setup.node ?? setup.pipeline}-`));
  const workspace = join(jobDir, 'workspace');
  const tempDir = join(jobDir, 'temp');
  await mkdir(workspace, { recursive: true });
  await mkdir(tempDir, { recursive: true });
  await writeFile(join(workspace, 'valohai.yaml'), pipelineFile(valohaiRoot));
  const callsBefore = (await engines.calls()).length;
  setEnv({
    ...server.envFor(setup.serverRunId !== undefined ? { runId: setup.serverRunId } : {}),
    INPUT_FILE: 'valohai.yaml',
    INPUT_PIPELINE: setup.pipeline,
    INPUT_CONTAINER: setup.container,
    'INPUT_VALOHAI-PATHS': 'auto',
    'INPUT_GITHUB-TOKEN': 'ghs_token',
    ...(setup.node !== undefined
      ? { INPUT_NODE: setup.node, INPUT_VARIANT: '0', INPUT_PARAMETERS: '{}', 'INPUT_PIPELINE-PARAMETERS': '', INPUT_REUSE: String(setup.reuse ?? false) }
      : { INPUT_PARAMETERS: '' }),
    // A GitHub-hosted runner: valohai-paths "auto" would link here, were the folders not mounted.
    RUNNER_ENVIRONMENT: 'github-hosted',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: tempDir,
    GITHUB_RUN_ID: setup.serverRunId ?? '4001',
    GITHUB_RUN_ATTEMPT: String(runAttempt),
    PATH: setup.path ?? `${engines.binDir}${delimiter}${process.env['PATH'] ?? ''}`,
  });
  const options: RunOptions = { valohaiRoot };
  const result = await runAction(setup.node !== undefined ? () => runNode(options) : () => runRoot(options), {
    output: join(jobDir, 'output.txt'),
    summary: join(scratch, 'summary.md'),
    workspace,
  });
  return { ...result, jobDir, engineCalls: (await engines.calls()).slice(callsBefore) };
}

/** Downloads an artifact of the job's workflow run (call before the environment is restored). */
async function download(name: string, destination: string): Promise<void> {
  const client = new DefaultArtifactClient();
  const { artifact } = await client.getArtifact(name);
  await client.downloadArtifact(artifact.id, { path: destination });
}

async function nodeArtifact(job: Job): Promise<{ dir: string; manifest: NodeManifest }> {
  const dir = join(job.jobDir, 'download');
  await download(job.outputs['artifact-name'] ?? '', dir);
  return { dir, manifest: JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as NodeManifest };
}

const runCalls = (job: Job): EngineCall[] => job.engineCalls.filter((call) => call.args[0] === 'run');
/** The image a `run` call ran: the argument before the command (`/bin/sh /valohai/command.sh`). */
const imageOf = (call: EngineCall): string | undefined => call.args.at(-3);

beforeAll(async () => {
  server = await startArtifactServer();
  engines = await installFakeEngines(['docker']);
  scratch = await mkdtemp(join(tmpdir(), 'mlops-container-action-test-'));
  valohaiRoot = join(scratch, 'valohai');
});

afterAll(async () => {
  await server.close();
  await engines.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(() => {
  restoreEnv();
  runAttempt += 1;
});

describe('run-node action, container', () => {
  it('runs the node in its image, with its own reuse key, reused only by container jobs', async () => {
    // Workflow run 1: make in a container.
    const first = await runJob({ container: 'docker', pipeline: 'pipe', node: 'make', reuse: true, serverRunId: 'c1' });
    expect(errorsOf(first)).toEqual([]);
    expect(first.outputs['status']).toBe('succeeded');
    expect(first.outputs['reused']).toBe('false');
    expect(first.engineCalls.map((call) => call.args.slice(0, 2))).toEqual([
      ['image', 'inspect'],
      ['run', '--rm'],
    ]);
    expect(first.engineCalls[0]?.args.at(-1)).toBe('busybox');
    expect(runCalls(first).map(imageOf)).toEqual(['busybox']);
    const fromContainer = await nodeArtifact(first);
    expect(await readFile(join(fromContainer.dir, 'outputs', 'greeting.txt'), 'utf8')).toBe('hello\n');
    expect(fromContainer.manifest.status).toBe('succeeded');
    expect(first.log).toContain(`Reuse key: ${fromContainer.manifest.reuseKey ?? ''}`);

    // Workflow run 2: the same node on the runner neither reuses the container result nor calls the engine.
    const host = await runJob({ container: 'off', pipeline: 'pipe', node: 'make', reuse: true, serverRunId: 'c2' });
    expect(errorsOf(host)).toEqual([]);
    expect(host.outputs['reused']).toBe('false');
    expect(host.engineCalls).toEqual([]);
    const fromHost = await nodeArtifact(host);
    expect(fromHost.manifest.reuseKey).toMatch(/\S/);
    expect(fromContainer.manifest.reuseKey).toBe(containerReuseKey(fromHost.manifest.reuseKey ?? ''));

    // Workflow run 3: a container job reuses run 1's result from the cache, and its downstream node
    // reads Valohai's hard-coded paths in its own container.
    const again = await runJob({ container: 'docker', pipeline: 'pipe', node: 'make', reuse: true, serverRunId: 'c3' });
    expect(errorsOf(again)).toEqual([]);
    expect(again.outputs['status']).toBe('reused');
    expect(again.outputs['reused']).toBe('true');
    expect(runCalls(again)).toEqual([]);
    const use = await runJob({ container: 'docker', pipeline: 'pipe', node: 'use', serverRunId: 'c3' });
    expect(errorsOf(use)).toEqual([]);
    expect(use.outputs['status']).toBe('succeeded');
    expect(runCalls(use).map(imageOf)).toEqual(['alpine:3']);
    expect(await readFile(join((await nodeArtifact(use)).dir, 'outputs', 'x.txt'), 'utf8')).toBe('hello\nworld\n');
    // The folders are mounted: nothing is linked (nor warned about) on the "GitHub-hosted" runner.
    expect(use.log).not.toContain('hard-code');
    await expect(lstat(valohaiRoot)).rejects.toThrow();
    // In the container the folders are Valohai's.
    expect(runCalls(use)[0]?.env).toMatchObject({ VH_INPUTS_DIR: '/valohai/inputs', VH_OUTPUTS_DIR: '/valohai/outputs' });
  });
});

describe('root action, container', () => {
  it('runs every execution of the pipeline in its image through the engine', async () => {
    const job = await runJob({ container: 'docker', pipeline: 'pipe', serverRunId: 'r1' });
    expect(errorsOf(job)).toEqual([]);
    expect(job.outputs['status']).toBe('succeeded');
    expect(runCalls(job).map(imageOf).sort()).toEqual(['alpine:3', 'busybox']);
    expect(job.log).toContain(`steps run in their images with docker (${join(engines.binDir, 'docker')})`);
    expect(job.log).not.toContain('hard-code');
    await expect(lstat(valohaiRoot)).rejects.toThrow();

    const destination = join(job.jobDir, 'download');
    await download(job.outputs['artifact-name'] ?? '', destination);
    const record = JSON.parse(await readFile(join(destination, 'run.json'), 'utf8')) as RunRecord;
    expect(record.request?.container).toBe('docker');
    const use = record.nodes['use']?.executions[0]?.executionId ?? '';
    expect(await readFile(join(destination, 'nodes', 'use', use, 'outputs', 'x.txt'), 'utf8')).toBe('hello\nworld\n');
  });

  it.each(['', 'off'])('runs on the runner with container %j: no engine calls', async (container) => {
    const job = await runJob({ container, pipeline: 'single', serverRunId: `r-off-${container}` });
    expect(errorsOf(job)).toEqual([]);
    expect(job.outputs['status']).toBe('succeeded');
    expect(job.engineCalls).toEqual([]);
  });
});

describe('container input errors', () => {
  const noImage = 'container: step "bare" (node plain) has no image to run in; add image: to the step, or set container: off';

  it.each([
    ['run', undefined],
    ['run-node', 'plain'],
  ] as const)('%s: a step without image fails the job before anything runs', async (_action, node) => {
    const job = await runJob({ container: 'docker', pipeline: 'withbare', ...(node !== undefined ? { node } : {}) });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)).toEqual([noImage]);
    expect(job.engineCalls).toEqual([]);
  });

  it.each([
    ['run', 'auto', undefined, 'docker or podman'],
    ['run-node', 'auto', 'make', 'docker or podman'],
    ['run-node', 'podman', 'make', 'podman'],
  ] as const)('%s: container %s without the engine on PATH says so', async (_action, container, node, wanted) => {
    const empty = await mkdtemp(join(scratch, 'empty-path-'));
    const job = await runJob({ container, pipeline: 'single', path: empty, ...(node !== undefined ? { node } : {}) });
    expect(job.failed).toBe(true);
    expect(errorsOf(job)).toEqual([
      `container: needs ${wanted} on PATH; none found (GitHub-hosted Ubuntu runners have docker; or set container: off)`,
    ]);
    expect(await readdir(join(job.jobDir, 'temp'))).toEqual([]);
  });

  it('refuses an unknown value, naming the allowed ones', async () => {
    const job = await runJob({ container: 'yes', pipeline: 'single', node: 'make' });
    expect(errorsOf(job)).toEqual(['input "container" must be one of off, docker, podman, auto, got "yes"']);
  });
});
