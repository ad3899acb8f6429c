/**
 * Hard-coded `/valohai/...` paths in the two job actions (`valohai-paths` input). The commands name a
 * temp root instead of `/valohai` (tests must not touch `/`), passed to `run()` the way the runner's
 * default `/valohai` is: the detection, the links and the ownership checks all take the root as given.
 */
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run as runRoot, type RunOptions } from '../../src/actions/run/main.js';
import { run as runNode } from '../../src/actions/run-node/main.js';
import { isOwnedValohaiRoot } from '../../src/exec/valohai-paths.js';
import type { RunRecord } from '../../src/store/runs.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';
import { installFakeSudo, refuseAsUnprivileged } from '../support/fake-sudo.js';
import { errorsOf, restoreEnv, runAction, setEnv, type ActionRun } from './helpers.js';

/** `make` writes to `<root>/outputs`, `use` reads it from `<root>/inputs/<input>/` and writes its own. */
function pipelineFile(root: string): string {
  return `
- step:
    name: make
    image: busybox
    command:
      - echo hello > ${root}/outputs/greeting.txt
- step:
    name: use
    image: busybox
    command:
      - cat ${root}/inputs/greeting/greeting.txt > ${root}/outputs/x.txt
      - echo world >> ${root}/outputs/x.txt
      - ls -l ${root}/outputs
    inputs:
      - name: greeting
- pipeline:
    name: vh
    nodes:
      - name: make
        type: execution
        step: make
      - name: use
        type: execution
        step: use
    edges:
      - [make.output.greeting.txt, use.input.greeting]
`;
}

let server: ArtifactServer;
let scratch: string;
let runAttempt = 1;

interface Job extends ActionRun {
  workspace: string;
  root: string;
}

interface JobSetup {
  mode: string;
  runnerEnvironment: 'github-hosted' | 'self-hosted';
  /** Folder of the job (one per test); the root is `<jobDir>/valohai`. */
  jobDir: string;
  options?: RunOptions;
  path?: string;
}

async function runJob(setup: JobSetup, action: 'run' | 'run-node', node?: string): Promise<Job> {
  const root = join(setup.jobDir, 'valohai');
  const workspace = join(setup.jobDir, `workspace-${node ?? 'all'}`);
  const tempDir = join(setup.jobDir, `temp-${node ?? 'all'}`);
  await mkdir(tempDir, { recursive: true });
  await mkdir(workspace, { recursive: true });
  await writeFile(join(workspace, 'valohai.yaml'), pipelineFile(root));
  setEnv({
    ...server.envFor({}),
    INPUT_FILE: 'valohai.yaml',
    INPUT_PIPELINE: 'vh',
    INPUT_PARAMETERS: action === 'run' ? '' : '{}',
    'INPUT_VALOHAI-PATHS': setup.mode,
    'INPUT_GITHUB-TOKEN': 'ghs_token',
    ...(action === 'run-node' ? { INPUT_NODE: node ?? '', INPUT_VARIANT: '0', 'INPUT_PIPELINE-PARAMETERS': '', INPUT_REUSE: 'false' } : {}),
    RUNNER_ENVIRONMENT: setup.runnerEnvironment,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: tempDir,
    GITHUB_RUN_ID: '3001',
    GITHUB_RUN_ATTEMPT: String(runAttempt),
    ...(setup.path !== undefined ? { PATH: setup.path } : {}),
  });
  const options: RunOptions = { valohaiRoot: root, ...setup.options };
  const run = action === 'run' ? () => runRoot(options) : () => runNode(options);
  const result = await runAction(run, { output: join(setup.jobDir, `output-${node ?? 'all'}.txt`), summary: join(scratch, 'summary.md'), workspace });
  return { ...result, workspace, root };
}

async function download(name: string, destination: string): Promise<void> {
  const client = new DefaultArtifactClient();
  const { artifact } = await client.getArtifact(name);
  await client.downloadArtifact(artifact.id, { path: destination });
}

function warningsOf(job: ActionRun): string[] {
  return job.log.split('\n').filter((line) => line.startsWith('::warning')).map((line) => line.replace(/^::warning[^:]*::/, ''));
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-vhpaths-action-test-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(() => {
  restoreEnv();
  runAttempt += 1;
});

describe('root action, valohai-paths', () => {
  it('links the root on a GitHub-hosted runner (auto): hard-coded paths work and outputs are published', async () => {
    const jobDir = await mkdtemp(join(scratch, 'auto-'));
    const job = await runJob({ mode: 'auto', runnerEnvironment: 'github-hosted', jobDir }, 'run');
    expect(errorsOf(job)).toEqual([]);
    expect(job.outputs['status']).toBe('succeeded');
    expect(job.log).toContain(`Commands hard-code ${job.root}/outputs/greeting.txt, ${job.root}/inputs/greeting/greeting.txt, ${job.root}/outputs/x.txt, ${job.root}/outputs: ${job.root}/{inputs,outputs,config,repository} point at each execution's folders`);
    expect(warningsOf(job).filter((w) => w.includes(job.root))).toEqual([]);

    const destination = join(jobDir, 'download');
    await download(job.outputs['artifact-name'] ?? '', destination);
    const record = JSON.parse(await readFile(join(destination, 'run.json'), 'utf8')) as RunRecord;
    const use = record.nodes['use']?.executions[0]?.executionId ?? '';
    expect(await readFile(join(destination, 'nodes', 'use', use, 'outputs', 'x.txt'), 'utf8')).toBe('hello\nworld\n');
    // The links are gone after the run; the owned root stays for the next one.
    expect(await isOwnedValohaiRoot(job.root)).toBe(true);
    await expect(lstat(join(job.root, 'outputs'))).rejects.toThrow();
  });

  it.each([
    ['auto', 'self-hosted', /not a GitHub-hosted runner, and valohai-paths "auto" links only there/],
    ['warn', 'github-hosted', /valohai-paths is "warn"/],
  ] as const)('only warns with %s on a %s runner, linking nothing', async (mode, runnerEnvironment, reason) => {
    const jobDir = await mkdtemp(join(scratch, `${mode}-`));
    const job = await runJob({ mode, runnerEnvironment, jobDir }, 'run');
    const warning = warningsOf(job).find((w) => w.startsWith('Commands hard-code'));
    expect(warning).toContain(`but ${job.root} is not linked to the execution's folders`);
    expect(warning).toMatch(reason);
    // Nothing was made: the command fails on its own.
    await expect(lstat(job.root)).rejects.toThrow();
    expect(job.failed).toBe(true);
    expect(job.outputs['status']).toBe('failed');
  });

  it('refuses an unknown mode, naming the allowed ones', async () => {
    const jobDir = await mkdtemp(join(scratch, 'bad-'));
    const job = await runJob({ mode: 'always', runnerEnvironment: 'github-hosted', jobDir }, 'run');
    expect(errorsOf(job)).toEqual(['input "valohai-paths" must be one of auto, link, warn, got "always"']);
  });
});

describe('run-node action, valohai-paths', () => {
  it('links the root in each job on a GitHub-hosted runner (auto), through artifacts', async () => {
    const jobDir = await mkdtemp(join(scratch, 'node-auto-'));
    const setup: JobSetup = { mode: 'auto', runnerEnvironment: 'github-hosted', jobDir };
    const make = await runJob(setup, 'run-node', 'make');
    expect(errorsOf(make)).toEqual([]);
    const use = await runJob(setup, 'run-node', 'use');
    expect(errorsOf(use)).toEqual([]);
    expect(use.outputs['status']).toBe('succeeded');
    expect(use.log).toContain(`${use.root}/{inputs,outputs,config,repository} point at each execution's folders`);
    const destination = join(jobDir, 'download');
    await download(use.outputs['artifact-name'] ?? '', destination);
    expect(await readFile(join(destination, 'outputs', 'x.txt'), 'utf8')).toBe('hello\nworld\n');
  });

  it('creates the root with passwordless sudo when the user may not (link, self-hosted)', async () => {
    const jobDir = await mkdtemp(join(scratch, 'node-sudo-'));
    const sudo = await installFakeSudo(jobDir);
    const job = await runJob(
      { mode: 'link', runnerEnvironment: 'self-hosted', jobDir, path: sudo.path, options: { valohaiRootSetup: { createAsUser: refuseAsUnprivileged } } },
      'run-node',
      'make',
    );
    expect(errorsOf(job)).toEqual([]);
    expect(job.outputs['status']).toBe('succeeded');
    expect(await sudo.calls()).toEqual([
      ['-n', 'mkdir', '-p', job.root],
      ['-n', 'chown', `${process.getuid?.()}:${process.getgid?.()}`, job.root],
    ]);
    expect(await isOwnedValohaiRoot(job.root)).toBe(true);
    const destination = join(jobDir, 'download');
    await download(job.outputs['artifact-name'] ?? '', destination);
    expect(await readFile(join(destination, 'outputs', 'greeting.txt'), 'utf8')).toBe('hello\n');
  });

  it('warns and runs the command anyway when sudo needs a password', async () => {
    const jobDir = await mkdtemp(join(scratch, 'node-nosudo-'));
    const sudo = await installFakeSudo(jobDir, { refuse: true });
    const job = await runJob(
      { mode: 'link', runnerEnvironment: 'github-hosted', jobDir, path: sudo.path, options: { valohaiRootSetup: { createAsUser: refuseAsUnprivileged } } },
      'run-node',
      'make',
    );
    const warning = warningsOf(job).find((w) => w.startsWith('Commands hard-code'));
    expect(warning).toContain(`cannot create ${job.root}`);
    expect(warning).toContain('passwordless sudo failed too (sudo: a password is required)');
    expect(job.failed).toBe(true);
    expect(errorsOf(job)[0]).toMatch(/^node make failed: execution make-\S+ failed: exit code/);
    await expect(lstat(job.root)).rejects.toThrow();
  });

  it.each([
    ['auto', 'self-hosted'],
    ['warn', 'github-hosted'],
  ] as const)('only warns with %s on a %s runner', async (mode, runnerEnvironment) => {
    const jobDir = await mkdtemp(join(scratch, `node-${mode}-`));
    const job = await runJob({ mode, runnerEnvironment, jobDir }, 'run-node', 'make');
    expect(warningsOf(job).some((w) => w.startsWith(`Commands hard-code ${job.root}/outputs/greeting.txt, but`))).toBe(true);
    expect(job.failed).toBe(true);
    await expect(lstat(job.root)).rejects.toThrow();
  });
});
