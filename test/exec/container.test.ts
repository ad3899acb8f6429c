import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CONTAINER_PATHS,
  containerInvocation,
  containerReuseKey,
  findContainerRuntime,
  parseContainerChoice,
  type ContainerExecution,
  type ContainerRuntime,
} from '../../src/exec/container.js';
import { runExecution } from '../../src/exec/execution.js';
import { takeContainerFlag } from '../../src/cli/commands/run.js';
import { containerShimPath } from '../../src/exec/toolkit-cli.js';
import { ContentStore } from '../../src/store/content-store.js';
import { shellQuote } from '../../src/util/shell.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { installFakeEngines, type FakeEngines } from '../support/container-engine.js';
import { param, step, workspace } from './helpers.js';
import { makeProject, runIn, step as yamlStep, type Project } from '../runner/helpers.js';
import { runPipeline, type RunEvent } from '../../src/exec/scheduler.js';
import { loadPipelineFile } from '../../src/pipeline/load.js';

let engines: FakeEngines | undefined;
let ws: Awaited<ReturnType<typeof workspace>> | undefined;
let project: Project | undefined;
beforeEach(async () => {
  engines = await installFakeEngines();
});
afterEach(async () => {
  await engines?.cleanup();
  await ws?.cleanup();
  await project?.cleanup();
  engines = ws = project = undefined;
});

function fake(): FakeEngines {
  if (!engines) throw new Error('no fake engines');
  return engines;
}

/** The value after `flag` each time it occurs in argv. */
function flagValues(args: readonly string[], flag: string): string[] {
  return args.flatMap((arg, index) => (arg === flag && args[index + 1] !== undefined ? [args[index + 1] as string] : []));
}

function execution(extra: Partial<ContainerExecution> = {}): ContainerExecution {
  return {
    step: 'train',
    image: 'python:3.12',
    executionId: 'run 1/train#0',
    executionDir: '/work/exec/e1',
    repositoryDir: '/work/repo',
    commandPath: '/work/exec/e1/command.sh',
    hasShebang: false,
    env: {
      PATH: '/host/bin',
      HOME: '/home/me',
      HOST_ONLY: 'x',
      VH_INPUTS_DIR: '/work/exec/e1/inputs',
      VH_OUTPUTS_DIR: '/work/exec/e1/outputs',
      VH_CONFIG_DIR: '/work/exec/e1/config',
      VH_REPOSITORY_DIR: '/work/repo',
      VH_EXECUTION_ID: 'e1',
      STEP_VAR: 'a b "c" $(d)',
      TOKEN: 's3cret',
      DOCKER_HOST: 'tcp://inside',
    },
    variables: ['STEP_VAR', 'TOKEN', 'DOCKER_HOST', 'UNSET_VAR'],
    ...extra,
  };
}

describe('containerInvocation', () => {
  // Root runs rootful Podman, where keep-id does not apply.
  const podmanUser = process.getuid?.() === 0 ? [] : ['--userns=keep-id'];
  test.each([
    // Docker runs its init as PID 1 so that `docker stop` reaches the shell.
    ['docker', ['--user', `${process.getuid?.()}:${process.getgid?.()}`, '--init'], '--userns=keep-id'],
    ['podman', podmanUser, '--user'],
  ] as const)('%s: mounts, workdir, user mapping, init, image and command', (engine, userArgs, absent) => {
    const runtime: ContainerRuntime = { engine, executable: `/usr/bin/${engine}` };
    const call = containerInvocation(runtime, execution());
    expect(call.executable).toBe(`/usr/bin/${engine}`);
    expect(call.args.slice(0, 4)).toEqual(['run', '--rm', '--name', call.name]);
    expect(call.name).toMatch(/^mlops-run-1-train-0-[0-9a-f]{8}$/);
    expect(flagValues(call.args, '-v')).toEqual([
      '/work/exec/e1/inputs:/valohai/inputs',
      '/work/exec/e1/outputs:/valohai/outputs',
      '/work/exec/e1/config:/valohai/config',
      '/work/repo:/valohai/repository',
      '/work/exec/e1/command.sh:/valohai/command.sh:ro',
    ]);
    expect(flagValues(call.args, '-w')).toEqual(['/valohai/repository']);
    for (const part of userArgs) expect(call.args).toContain(part);
    expect(call.args).not.toContain(absent);
    expect(call.args.slice(-3)).toEqual(['python:3.12', '/bin/sh', '/valohai/command.sh']);
  });

  test('passes VH_* (as /valohai paths), step and request variables only, values outside argv', () => {
    const call = containerInvocation({ engine: 'docker', executable: 'docker' }, execution());
    const passed = flagValues(call.args, '-e');
    expect(passed).toEqual(
      expect.arrayContaining(['VH_INPUTS_DIR', 'VH_OUTPUTS_DIR', 'VH_CONFIG_DIR', 'VH_REPOSITORY_DIR', 'VH_EXECUTION_ID', 'STEP_VAR', 'TOKEN']),
    );
    // The engine reads DOCKER_HOST itself: that one travels in argv, not in the engine's environment.
    expect(passed).toContain('DOCKER_HOST=tcp://inside');
    expect(passed.some((entry) => /^(PATH|HOME|HOST_ONLY|UNSET_VAR)(=|$)/.test(entry))).toBe(false);
    expect(call.args.join('\n')).not.toContain('s3cret');
    expect(call.env['TOKEN']).toBe('s3cret');
    expect(call.env['STEP_VAR']).toBe('a b "c" $(d)');
    expect(call.env['VH_INPUTS_DIR']).toBe('/valohai/inputs');
    expect(call.env['VH_REPOSITORY_DIR']).toBe('/valohai/repository');
    expect(call.env['DOCKER_HOST']).toBe(process.env['DOCKER_HOST']);
  });

  test('a script with a shebang runs as its own interpreter', () => {
    const call = containerInvocation({ engine: 'docker', executable: 'docker' }, execution({ hasShebang: true }));
    expect(call.args.slice(-2)).toEqual(['python:3.12', CONTAINER_PATHS.command]);
  });

  test.each([
    ['no image', execution({ image: undefined }), 'step "train" has no image'],
    ['a colon in a path', execution({ repositoryDir: '/work/a:b' }), "the path contains ':'"],
  ])('%s is a ConfigurationError', (_name, run, message) => {
    const call = (): unknown => containerInvocation({ engine: 'docker', executable: 'docker' }, run);
    expect(call).toThrow(ConfigurationError);
    expect(call).toThrow(message);
  });

  test('the container reuse key differs from the host key and is stable', () => {
    const host = 'a'.repeat(64);
    expect(containerReuseKey(host)).toMatch(/^[0-9a-f]{64}$/);
    expect(containerReuseKey(host)).not.toBe(host);
    expect(containerReuseKey(host)).toBe(containerReuseKey(host));
  });
});

describe('finding the engine', () => {
  test.each([
    ['auto', ['docker', 'podman'], 'docker'],
    ['auto', ['podman'], 'podman'],
    ['podman', ['docker', 'podman'], 'podman'],
    ['docker', ['docker'], 'docker'],
  ] as const)('--container=%s with %j on PATH uses %s', async (choice, installed, expected) => {
    const only = await installFakeEngines(installed);
    try {
      const empty = await mkdtemp(join(tmpdir(), 'mlops-empty-'));
      const runtime = await findContainerRuntime(choice, [empty, only.binDir].join(delimiter));
      expect(runtime).toEqual({ engine: expected, executable: join(only.binDir, expected) });
      await rm(empty, { recursive: true });
    } finally {
      await only.cleanup();
    }
  });

  test.each([
    ['auto', '--container needs docker or podman on PATH; none found'],
    ['podman', '--container needs podman on PATH; none found'],
  ] as const)('--container=%s without an engine is a ConfigurationError', async (choice, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-empty-'));
    try {
      // A file that is not executable does not count.
      await writeFile(join(dir, 'docker'), '');
      await expect(findContainerRuntime(choice, dir)).rejects.toThrow(ConfigurationError);
      await expect(findContainerRuntime(choice, dir)).rejects.toThrow(message);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  test.each([
    [['--container'], 'auto', []],
    [['--container=podman', 'f.yaml'], 'podman', ['f.yaml']],
    [['f.yaml', '--jobs', '2'], undefined, ['f.yaml', '--jobs', '2']],
    [['--', '--container'], undefined, ['--', '--container']],
  ] as const)('takeContainerFlag(%j)', (argv, container, rest) => {
    expect(takeContainerFlag(argv)).toEqual(container === undefined ? { argv: rest } : { argv: rest, container });
  });

  test('an unknown engine name is a ConfigurationError', () => {
    expect(() => parseContainerChoice('lxc')).toThrow('--container takes docker or podman, got "lxc"');
  });
});

describe('runExecution in a container (fake engine)', () => {
  test('outputs, metadata, environment and literal parameter values go through the engine', async () => {
    ws = await workspace();
    const s = step(
      [
        'printf "msg=%s\\n" {parameter-value:msg}',
        'echo "inputs=$VH_INPUTS_DIR outputs=$VH_OUTPUTS_DIR path=$PATH secret=$TOKEN"',
        'pwd',
        'echo weights > "$VH_OUTPUTS_DIR/model.txt"',
        'echo \'{"loss": 0.5}\'',
      ],
      { parameters: [param('msg')], environmentVariables: [{ name: 'GREETING', default: 'hi "there"', optional: false }] },
    );
    const lines: string[] = [];
    const runtime = fake().runtime('docker');
    const result = await runExecution(
      ws.request(s, { parameters: { msg: '$(touch pwned) "quotes"' }, environment: { TOKEN: 'hunter2' }, onLine: (line) => lines.push(line) }),
      { container: runtime },
    );
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(lines).toContain('msg=$(touch pwned) "quotes"');
    expect(existsSync(join(ws.repositoryDir, 'pwned'))).toBe(false);
    expect(result.latestMetadata).toEqual({ loss: 0.5 });
    expect(result.outputs.map((o) => o.path)).toEqual(['model.txt']);
    const stored = result.outputs[0]?.sha256 ?? '';
    expect(await new ContentStore(ws.storeDir).has(stored)).toBe(true);
    // The fake maps /valohai/... back to host folders: what the program saw is the mapped value.
    const executionDir = resolve(ws.root, 'executions', 'e1');
    // The image's PATH (the fake puts its folder of mounted PATH files, /usr/local/bin/mlops, first).
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^inputs=${join(executionDir, 'inputs')} outputs=${join(executionDir, 'outputs')} path=(\\S+:)?/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin secret=hunter2$`),
      ),
    );
    expect(lines).toContain(ws.repositoryDir);

    const calls = await fake().calls();
    // The image is looked at (present: no pull) before the one `run`.
    expect(calls.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['image inspect', 'run --rm']);
    const call = calls[1];
    expect(call?.engine).toBe('docker');
    const args = call?.args ?? [];
    expect(args.slice(0, 3)).toEqual(['run', '--rm', '--name']);
    expect(flagValues(args, '-v').map((v) => v.split(':')[1])).toEqual([
      '/valohai/inputs',
      '/valohai/outputs',
      '/valohai/config',
      '/valohai/repository',
      '/valohai/command.sh',
      // This toolkit's bundled CLI and the `mlops` that runs it with the image's Node.
      '/opt/mlops/cli',
      '/usr/local/bin/mlops',
    ]);
    expect(flagValues(args, '-v').slice(-2).every((v) => v.endsWith(':ro'))).toBe(true);
    expect(flagValues(args, '-w')).toEqual(['/valohai/repository']);
    expect(args.slice(-3)).toEqual(['python:3.12', '/bin/sh', '/valohai/command.sh']);
    expect(args.join('\n')).not.toContain('hunter2');
    expect(call?.env).toMatchObject({
      VH_INPUTS_DIR: '/valohai/inputs',
      VH_OUTPUTS_DIR: '/valohai/outputs',
      VH_CONFIG_DIR: '/valohai/config',
      VH_REPOSITORY_DIR: '/valohai/repository',
      VH_EXECUTION_ID: 'e1',
      GREETING: 'hi "there"',
      TOKEN: 'hunter2',
      MLOPS_TOOLKIT_CLI: '/opt/mlops/cli/index.js',
    });
    expect(Object.keys(call?.env ?? {}).filter((name) => !/^(VH_|GREETING$|TOKEN$|MLOPS_TOOLKIT_CLI$)/.test(name))).toEqual([]);
    expect(await readFile(result.logPath, 'utf8')).toContain(`running in python:3.12 with ${runtime.executable}`);
  });

  test('a step can call mlops inside the container: the bundled CLI run by the image\'s node', async () => {
    ws = await workspace();
    const s = step(['mlops --version > "$VH_OUTPUTS_DIR/version.txt"', 'mlops validate --help > /dev/null && echo validated']);
    const lines: string[] = [];
    const result = await runExecution(ws.request(s, { onLine: (line) => lines.push(line) }), { container: fake().runtime('docker') });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(lines).toContain('validated');
    const version = await readFile(resolve(ws.root, 'executions', 'e1', 'outputs', 'version.txt'), 'utf8');
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    expect(version).toContain(pkg.version);
  });

  test('the container shim says so when the image has no node', async () => {
    const shim = await containerShimPath();
    const empty = await mkdtemp(join(tmpdir(), 'no-node-'));
    try {
      const result = spawnSync('/bin/sh', [shim, '--version'], { encoding: 'utf8', env: { PATH: empty, MLOPS_TOOLKIT_CLI: '/opt/mlops/cli/index.js' } });
      expect(result.status).toBe(127);
      expect(result.stderr).toContain('mlops: this image has no node on PATH; calling mlops inside a container needs Node.js 20 or later in the image');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('a time-limit stops the container through the engine, not only its client', { timeout: 30_000 }, async () => {
    ws = await workspace();
    const pidFile = join(ws.root, 'pid');
    const s = step([`echo $$ > ${pidFile}`, 'echo started', 'sleep 60'], { timeLimit: 1 });
    // The fake client ignores SIGTERM like a real one; with this grace only `stop` can end it in time.
    const result = await runExecution(ws.request(s), { container: fake().runtime('podman'), killGraceMs: 60_000 });
    expect(result.status).toBe('timed-out');
    expect(result.reason).toBe('time-limit of 1s exceeded');
    const all = await fake().calls();
    // The client was signalled too, and (like a real one) that did not end the container.
    expect(all.filter((c) => c.received === 'SIGTERM').length).toBeGreaterThan(0);
    const calls = all.filter((c) => c.received === undefined && c.args[0] !== 'image');
    const name = flagValues(calls[0]?.args ?? [], '--name')[0];
    expect(calls.map((c) => [c.engine, c.args])).toEqual([
      ['podman', expect.arrayContaining(['run', '--rm'])],
      ['podman', ['stop', '-t', '60', name]],
      // Once the client has ended: removed whatever its state (--rm does not cover a never-started one).
      ['podman', ['rm', '-f', name]],
    ]);
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  test('a stop that comes before the container exists still removes it once its client has ended', { timeout: 30_000 }, async () => {
    ws = await workspace();
    // Image `slow-pull` makes the fake client wait before it creates the container, like a pull.
    const s = step(['echo started', 'sleep 60'], { timeLimit: 1, image: 'slow-pull' });
    const result = await runExecution(ws.request(s), { container: fake().runtime('docker'), killGraceMs: 500 });
    expect(result.status).toBe('timed-out');
    const calls = (await fake().calls()).filter((c) => c.received === undefined && c.args[0] !== 'image');
    const name = flagValues(calls[0]?.args ?? [], '--name')[0];
    expect(calls.map((c) => c.args[0])).toEqual(['run', 'stop', 'rm']);
    expect(calls.at(-1)?.args).toEqual(['rm', '-f', name]);
  });

  test('a missing image is pulled before the command starts: the pull does not count toward the time-limit', { timeout: 30_000 }, async () => {
    ws = await workspace();
    const s = step(['echo ran'], { timeLimit: 1, image: 'pull-me:slow' });
    const lines: string[] = [];
    const result = await runExecution(ws.request(s, { onLine: (line) => lines.push(line) }), { container: fake().runtime('docker') });
    expect(result.reason).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(lines).toEqual(['ran']);
    expect((await fake().calls()).map((c) => c.args[0])).toEqual(['image', 'pull', 'run']);
    const log = await readFile(result.logPath, 'utf8');
    expect(log).toContain('pulling pull-me:slow with docker');
    expect(log).toContain('Status: Downloaded newer image for pull-me:slow');
  });

  test('a failing engine fails the execution with its exit code and message', async () => {
    ws = await workspace();
    const lines: string[] = [];
    const result = await runExecution(ws.request(step('echo never', { image: 'missing' }), { onLine: (line) => lines.push(line) }), {
      container: fake().runtime('docker'),
    });
    expect(result.status).toBe('failed');
    // Found missing before anything runs: pulled, and the engine's refusal is the reason.
    expect(result.reason).toBe('docker could not pull missing: Error: pull access denied for missing, repository does not exist');
    expect((await fake().calls()).map((c) => c.args[0])).toEqual(['image', 'pull']);
  });
});

describe('runPipeline and the CLI with --container', () => {
  const pipelineItems = (image: string): unknown[] => [
    yamlStep('a', ['echo one > "$VH_OUTPUTS_DIR/one.txt"']),
    { step: { name: 'b', image, command: ['cat "$VH_INPUTS_DIR/data/one.txt"'], inputs: [{ name: 'data' }] } },
    {
      pipeline: {
        name: 'p',
        nodes: [
          { name: 'a', type: 'execution', step: 'a' },
          { name: 'b', type: 'execution', step: 'b' },
        ],
        edges: [['a.output.one.txt', 'b.input.data']],
      },
    },
  ];
  const notices = (events: RunEvent[]): string[] => events.flatMap((e) => (e.kind === 'notice' ? [e.message] : []));

  test('outputs flow through the store, the notice names the engine, and reuse keeps host and container apart', async () => {
    project = await makeProject(pipelineItems('busybox'));
    const container = fake().runtime('docker');
    const first = await runIn(project, 'p', { container, streamLines: true });
    expect(first.run.status).toBe('succeeded');
    expect(first.events.some((e) => e.kind === 'line' && e.node === 'b' && e.line === 'one')).toBe(true);
    expect(notices(first.events).filter((m) => m.includes('steps run'))).toEqual([`steps run in their images with docker (${container.executable})`]);
    expect((await fake().calls()).filter((c) => c.args[0] === 'run')).toHaveLength(2);

    const again = await runIn(project, 'p', { container });
    expect(Object.values(again.run.nodes).map((n) => n.state)).toEqual(['reused', 'reused']);
    const onHost = await runIn(project, 'p');
    expect(Object.values(onHost.run.nodes).map((n) => n.state)).toEqual(['succeeded', 'succeeded']);
    expect(notices(onHost.events).filter((m) => m.includes('steps run'))).toEqual(['steps run on this machine, not in their images (busybox is recorded, not used)']);
    expect((await fake().calls()).filter((c) => c.args[0] === 'run')).toHaveLength(2);
  });

  test('a step without an image is refused before anything runs', async () => {
    project = await makeProject(pipelineItems('busybox'));
    const { config } = await loadPipelineFile(project.file);
    const b = config?.steps.get('b');
    if (!config || !b) throw new Error('pipeline did not load');
    // The file format requires image:; an empty one (or a programmatic config) still gets a clear error.
    b.image = '';
    const options = { config, pipeline: 'p', repositoryDir: project.dir, projectDir: project.projectDir, container: fake().runtime('docker') };
    await expect(runPipeline(options)).rejects.toThrow(ConfigurationError);
    await expect(runPipeline(options)).rejects.toThrow(
      '--container: step "b" (node b) has no image to run in; add image: to the step',
    );
    expect(await fake().calls()).toEqual([]);
    expect(existsSync(join(project.projectDir, 'runs'))).toBe(false);
  });

  const cli = resolve('src/cli/index.ts');
  const mlops = (path: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env: { ...process.env, PATH: path } });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  test('mlops run and exec take --container; without it the host notice is printed once', async () => {
    project = await makeProject(pipelineItems('busybox'));
    const hostPath = process.env['PATH'] ?? '';
    const withFake = `${fake().binDir}${delimiter}${hostPath}`;

    const run = mlops(withFake, 'run', project.file, '--container', '--no-reuse');
    expect(run.stderr).toContain(`steps run in their images with docker (${join(fake().binDir, 'docker')})`);
    expect(run.code).toBe(0);
    const exec = mlops(withFake, 'exec', project.file, '--step', 'a', '--container=podman');
    expect(exec.stderr).toContain('steps run in their images with podman');
    expect(exec.code).toBe(0);
    const runs = async (): Promise<string[]> => (await fake().calls()).filter((c) => c.args[0] !== 'image').map((c) => `${c.engine} ${c.args[0]}`);
    expect(await runs()).toEqual(['docker run', 'docker run', 'podman run']);

    const host = mlops(withFake, 'run', project.file, '--no-reuse');
    expect(host.code).toBe(0);
    expect(host.stderr.match(/steps run on this machine, not in their images \(busybox is recorded, not used\)/g)).toHaveLength(1);
    expect(await runs()).toHaveLength(3);
  });

  test('--resume and reproduce run where the run ran: in the recorded engine', async () => {
    // b fails until the flag file exists; the first run records that it ran with podman.
    project = await makeProject([
      yamlStep('a', ['echo one > "$VH_OUTPUTS_DIR/one.txt"']),
      yamlStep('b', ['test -f "$VH_REPOSITORY_DIR/flag" && echo two > "$VH_OUTPUTS_DIR/two.txt"']),
      { pipeline: { name: 'p', nodes: [{ name: 'a', type: 'execution', step: 'a' }, { name: 'b', type: 'execution', step: 'b' }], edges: [['a.output.*', 'b.input.data']] } },
    ]);
    const withFake = `${fake().binDir}${delimiter}${process.env['PATH'] ?? ''}`;
    const failed = mlops(withFake, 'run', project.file, '--container=podman', '--no-reuse');
    expect(failed.code).toBe(1);
    const [runId] = await readdir(join(project.projectDir, 'runs'));
    if (runId === undefined) throw new Error('no run recorded');
    const record = JSON.parse(await readFile(join(project.projectDir, 'runs', runId, 'run.json'), 'utf8')) as { request: { container?: string } };
    expect(record.request.container).toBe('podman');

    await writeFile(join(project.dir, 'flag'), '');
    // No --container on the command line: the resumed node still runs in podman.
    const resumed = mlops(withFake, 'run', '--resume', runId, '--project-dir', project.projectDir, project.file);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('steps run in their images with podman');
    expect(mlops(withFake, 'show', runId, '--project-dir', project.projectDir).stdout).toContain('ran in containers (podman)');
    const reproduced = mlops(withFake, 'reproduce', runId, 'b', '--project-dir', project.projectDir);
    expect(reproduced.code).toBe(0);
    // a ran once (kept by resume); b: failed, resumed, reproduced: all through podman, none on the host.
    expect((await fake().calls()).filter((c) => c.args[0] === 'run').map((c) => c.engine)).toEqual(['podman', 'podman', 'podman', 'podman']);
  });

  test('the digits example runs end to end in containers, mlops profile included', { timeout: 120_000 }, async () => {
    const projectDir = await mkdtemp(join(tmpdir(), 'mlops-digits-container-'));
    try {
      const withFake = `${fake().binDir}${delimiter}${process.env['PATH'] ?? ''}`;
      const run = mlops(withFake, 'run', 'examples/digits/valohai.yaml', '--pipeline', 'train-and-deploy', '--container', '--no-reuse', '--project-dir', projectDir, '--param', 'train-slow.epochs=2', '--param', 'train-medium.epochs=2');
      expect(run.stderr).toContain('steps run in their images with docker');
      expect(run.code).toBe(0);
      const [runId] = await readdir(join(projectDir, 'runs'));
      const record = JSON.parse(await readFile(join(projectDir, 'runs', runId ?? '', 'run.json'), 'utf8')) as { nodes: Record<string, { state: string; executions: { outputs: { path: string }[] }[] }> };
      // preprocess called `mlops profile` inside its container.
      expect(record.nodes['preprocess']?.executions[0]?.outputs.map((o) => o.path)).toContain('profile.json');
      const executed = Object.entries(record.nodes).filter(([, node]) => node.state === 'succeeded' && node.executions.length > 0);
      // Every execution went through the engine (the deployment node runs no command).
      expect((await fake().calls()).filter((c) => c.args[0] === 'run')).toHaveLength(executed.reduce((n, [, node]) => n + node.executions.length, 0));
      expect(executed.length).toBeGreaterThanOrEqual(8);
    } finally {
      await rm(projectDir, { recursive: true, force: true });
    }
  });

  test('a second Ctrl-C kills the running containers through the engine before quitting', { timeout: 60_000 }, async () => {
    project = await makeProject([
      // Ignores SIGTERM, so the first Ctrl-C's `<engine> stop -t 10` is still waiting when the second comes.
      yamlStep('stubborn', ["trap '' TERM", 'echo $$ > shell.pid', 'while :; do sleep 0.1; done']),
      { pipeline: { name: 'p', nodes: [{ name: 'a', type: 'execution', step: 'stubborn' }], edges: [] } },
    ]);
    const p = project;
    const withFake = `${fake().binDir}${delimiter}${process.env['PATH'] ?? ''}`;
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/cli/index.ts'), 'run', p.file, '--container'], { env: { ...process.env, PATH: withFake }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
    const until = async (done: () => Promise<boolean>, what: string): Promise<void> => {
      for (let i = 0; i < 400; i++) {
        if (await done().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      throw new Error(`gave up waiting for ${what}: ${stderr}`);
    };
    await until(async () => (await readFile(join(p.dir, 'shell.pid'), 'utf8')).trim() !== '', 'the container to start');
    const pid = Number((await readFile(join(p.dir, 'shell.pid'), 'utf8')).trim());
    child.kill('SIGINT');
    await until(async () => (await fake().calls()).some((c) => c.args[0] === 'stop'), 'the first Ctrl-C to stop the container');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const calls = await fake().calls();
    expect(calls.filter((c) => c.args[0] === 'kill').map((c) => c.args.slice(1))).toEqual([[calls.find((c) => c.args[0] === 'run')?.args[3]]]);
    await until(async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the container process to be killed');
  });

  test('mlops run --container without docker or podman on PATH says so', async () => {
    project = await makeProject(pipelineItems('busybox'));
    const empty = join(project.dir, 'empty-bin');
    await mkdir(empty);
    const result = mlops(empty, 'run', project.file, '--container');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--container needs docker or podman on PATH; none found');
    expect(existsSync(join(project.projectDir, 'runs'))).toBe(false);
  });
});

describe('the real docker CLI against a fake Engine API', () => {
  const realDocker = spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).stdout.trim();

  test.skipIf(realDocker === '')('our argv becomes the container the engine is asked to create', async () => {
    ws = await workspace();
    const root = await mkdtemp(join(tmpdir(), 'mlops-docker-'));
    const socket = join(root, 'docker.sock');
    const requests: { method: string; url: string; body: string }[] = [];
    let pulled = false;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ method: req.method ?? '', url: req.url ?? '', body });
        if (req.url?.endsWith('/_ping')) {
          res.writeHead(200, { 'Api-Version': '1.47', Ostype: 'linux', 'Content-Type': 'text/plain' }).end('OK');
        } else if (req.method === 'GET' && /\/images\/[^?]+\/json$/.test(req.url ?? '')) {
          // Absent until pulled, as on a machine that never ran the image.
          if (pulled) res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Id: 'sha256:0123', RepoTags: ['python:3.12-slim'] }));
          else res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'No such image: python:3.12-slim' }));
        } else if (req.method === 'POST' && /\/images\/create\?/.test(req.url ?? '')) {
          pulled = true;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(`${JSON.stringify({ status: 'Pulling from library/python', id: '3.12-slim' })}\n${JSON.stringify({ status: 'Status: Downloaded newer image for python:3.12-slim' })}\n`);
        } else if (req.method === 'POST' && /\/containers\/create\b/.test(req.url ?? '')) {
          res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'fake engine: no containers here' }));
        } else {
          res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'not implemented' }));
        }
      });
    });
    await new Promise<void>((resolveListen) => server.listen(socket, resolveListen));
    try {
      // The real CLI, pointed at our socket and an empty config folder.
      const bin = join(root, 'bin');
      await mkdir(bin);
      const env = [`DOCKER_HOST=${shellQuote(`unix://${socket}`)}`, `DOCKER_CONFIG=${shellQuote(join(root, 'config'))}`].join(' ');
      await writeFile(join(bin, 'docker'), `#!/bin/sh\n${env} exec ${shellQuote(realDocker)} "$@"\n`, { mode: 0o755 });
      const lines: string[] = [];
      const s = step('echo hi', { image: 'python:3.12-slim', environmentVariables: [{ name: 'GREETING', default: "it's \"$(quoted)\"", optional: false }] });
      const result = await runExecution(ws.request(s, { environment: { TOKEN: 'hunter2' }, onLine: (line) => lines.push(line) }), {
        container: { engine: 'docker', executable: join(bin, 'docker') },
      });
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/^docker could not run the container \(exit code 125\): .*fake engine: no containers here/);
      expect(lines.join('\n')).toContain('fake engine: no containers here');
      // The missing image was pulled first, outside the command's clock, and said so in the log.
      const pull = requests.findIndex((r) => r.method === 'POST' && /\/images\/create\?fromImage=docker\.io%2Flibrary%2Fpython&tag=3\.12-slim$/.test(r.url));
      const createIndex = requests.findIndex((r) => r.method === 'POST' && r.url.includes('/containers/create'));
      expect(pull).toBeGreaterThanOrEqual(0);
      expect(pull).toBeLessThan(createIndex);
      expect(await readFile(result.logPath, 'utf8')).toContain('pulling python:3.12-slim with docker');

      const create = requests.find((r) => r.method === 'POST' && r.url.includes('/containers/create'));
      expect(create?.url).toMatch(/[?&]name=mlops-e1-[0-9a-f]{8}\b/);
      const body = JSON.parse(create?.body ?? '{}') as {
        Image: string;
        Cmd: string[];
        Env: string[];
        WorkingDir: string;
        User: string;
        HostConfig: { Binds: string[]; AutoRemove: boolean; Init?: boolean };
      };
      const executionDir = resolve(ws.root, 'executions', 'e1');
      expect(body.Image).toBe('python:3.12-slim');
      expect(body.Cmd).toEqual(['/bin/sh', '/valohai/command.sh']);
      expect(body.WorkingDir).toBe('/valohai/repository');
      expect(body.User).toBe(`${process.getuid?.()}:${process.getgid?.()}`);
      expect(body.HostConfig.AutoRemove).toBe(true);
      expect(body.HostConfig.Init).toBe(true);
      // The CLI does not keep the order of -v.
      expect([...body.HostConfig.Binds].sort()).toEqual(
        [
          `${executionDir}/inputs:/valohai/inputs`,
          `${executionDir}/outputs:/valohai/outputs`,
          `${executionDir}/config:/valohai/config`,
          `${ws.repositoryDir}:/valohai/repository`,
          `${executionDir}/command.sh:/valohai/command.sh:ro`,
          `${resolve('dist/cli')}:/opt/mlops/cli:ro`,
          `${await containerShimPath()}:/usr/local/bin/mlops:ro`,
        ].sort(),
      );
      expect(body.Env).toEqual(
        expect.arrayContaining([
          'VH_INPUTS_DIR=/valohai/inputs',
          'VH_OUTPUTS_DIR=/valohai/outputs',
          'VH_CONFIG_DIR=/valohai/config',
          'VH_REPOSITORY_DIR=/valohai/repository',
          'VH_EXECUTION_ID=e1',
          `GREETING=it's "$(quoted)"`,
          'TOKEN=hunter2',
        ]),
      );
      expect(body.Env.filter((entry) => !/^(VH_|GREETING=|TOKEN=)/.test(entry))).toEqual(['MLOPS_TOOLKIT_CLI=/opt/mlops/cli/index.js']);
    } finally {
      await new Promise((resolveClose) => server.close(resolveClose));
      await rm(root, { recursive: true, force: true });
    }
  });
});
