// Acceptance tests of issue 13 ("runs never lie, leak or corrupt"), through the real CLI as a real
// process, on real git repositories and files.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  allFiles,
  baseEnv,
  makeRepo,
  mlops,
  mlopsAsync,
  mlopsAwait,
  processesOfRun,
  readRunJson,
  runIdOf,
  step,
  waitForFile,
  type Repo,
} from './truth-helpers.js';

let repo: Repo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const pipeline = (nodes: unknown[], edges: unknown[] = []): unknown => ({ pipeline: { name: 'p', nodes, edges } });

describe('the reuse key covers what an execution can see', () => {
  test('a committed edit of the script re-runs the node; an unchanged repository reuses it', async () => {
    repo = await makeRepo(
      [step('train', ['sh train.sh']), pipeline([{ name: 'train', type: 'execution', step: 'train' }])],
      { git: true, files: { 'train.sh': 'echo v1 > "$VH_OUTPUTS_DIR/model.txt"\n' } },
    );
    const first = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(first.code).toBe(0);
    const second = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect((await readRunJson(repo.mlopsDir, runIdOf(second))).nodes['train']?.state).toBe('reused');

    await repo.write('train.sh', 'echo v2 > "$VH_OUTPUTS_DIR/model.txt"\n');
    repo.git('commit', '-qam', 'v2');
    const third = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(third.code).toBe(0);
    const run = await readRunJson(repo.mlopsDir, runIdOf(third));
    expect(run.nodes['train']?.state).toBe('succeeded');
    const log = await readFile(run.nodes['train']?.executions[0]?.logPath ?? '', 'utf8');
    expect(log).toContain('status succeeded');

    // An uncommitted edit counts too.
    await repo.write('train.sh', 'echo v3 > "$VH_OUTPUTS_DIR/model.txt"\n');
    const fourth = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect((await readRunJson(repo.mlopsDir, runIdOf(fourth))).nodes['train']?.state).toBe('succeeded');
  }, 120_000);

  test('two nodes of one step never share a result: the command may read $VH_PIPELINE_NODE_ID', async () => {
    repo = await makeRepo([
      step('who', ['echo "$VH_PIPELINE_NODE_ID" > "$VH_OUTPUTS_DIR/who.txt"'], { parameters: [{ name: 'x', type: 'integer', default: 1 }] }),
      pipeline(
        [
          { name: 'a', type: 'execution', step: 'who' },
          { name: 'b', type: 'execution', step: 'who' },
        ],
        [{ source: 'a.parameter.x', target: 'b.parameter.x' }],
      ),
    ]);
    const result = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(result.code).toBe(0);
    const run = await readRunJson(repo.mlopsDir, runIdOf(result));
    expect(run.nodes['b']?.state).toBe('succeeded');
    const output = run.nodes['b']?.executions[0]?.outputs[0];
    const stored = await readFile(join(repo.mlopsDir, 'store', 'sha256', output?.sha256.slice(0, 2) ?? '', output?.sha256 ?? ''), 'utf8');
    expect(stored.trim()).toBe('b');
  }, 120_000);
});

describe('every failure is a failed run with a message and a non-zero exit', () => {
  test('an input filename leaving its folder', async () => {
    repo = await makeRepo(
      [
        step('s', ['cat "$VH_INPUTS_DIR/data/x"'], { inputs: [{ name: 'data', default: 'data.txt', filename: '../../x' }] }),
        pipeline([{ name: 's', type: 'execution', step: 's' }]),
      ],
      { files: { 'data.txt': 'hello\n' } },
    );
    const result = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/escapes its input folder|leaves its folder/);
    const run = await readRunJson(repo.mlopsDir, runIdOf(result));
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/escapes its input folder|leaves its folder/);
  }, 60_000);

  test('a corrupt run record is an error naming the file, not a new run', async () => {
    repo = await makeRepo([step('s', ['true']), pipeline([{ name: 's', type: 'execution', step: 's' }])]);
    const first = mlops(repo.dir, ['run', '--pipeline', 'p']);
    const runId = runIdOf(first);
    const file = join(repo.mlopsDir, 'runs', runId, 'run.json');
    await writeFile(file, '{}');
    const resumed = mlops(repo.dir, ['run', '--resume', runId]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(file);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(join(repo.mlopsDir, 'runs'))).toEqual([runId]);
  }, 60_000);
});

describe('nothing secret reaches a step unless asked', () => {
  test('a step sees no GITHUB_TOKEN; a secret it prints is *** everywhere under .mlops', async () => {
    const secret = 'ghs_S3cretTokenValue0123456789';
    repo = await makeRepo(
      [
        step('leak', [
          'echo "token=[$GITHUB_TOKEN] runtime=[$ACTIONS_RUNTIME_TOKEN] input=[$(printenv INPUT_GITHUB-TOKEN)]"',
          'echo "printed $(cat secret.txt)"',
          'echo "{\\"leak\\": \\"$(cat secret.txt)\\"}"',
          'echo "forwarded=[$MY_SETTING]"',
          'echo done > "$VH_OUTPUTS_DIR/out.txt"',
        ]),
        pipeline([{ name: 'leak', type: 'execution', step: 'leak' }]),
        { 'x-mlops': { environment: { forward: ['MY_SETTING'] } } },
      ],
      { files: { 'secret.txt': `${secret}\n` } },
    );
    const env = baseEnv({ GITHUB_TOKEN: secret, ACTIONS_RUNTIME_TOKEN: 'acts_runtime_0123456789', 'INPUT_GITHUB-TOKEN': secret, MY_SETTING: 'on' });
    const result = mlops(repo.dir, ['run', '--pipeline', 'p'], env);
    expect(result.code).toBe(0);
    const run = await readRunJson(repo.mlopsDir, runIdOf(result));
    const log = await readFile(run.nodes['leak']?.executions[0]?.logPath ?? '', 'utf8');
    expect(log).toContain('token=[] runtime=[] input=[]');
    expect(log).toContain('printed ***');
    expect(log).toContain('forwarded=[on]');
    expect(run.nodes['leak']?.executions[0]?.latestMetadata).toEqual({ leak: '***' });
    for (const file of await allFiles(repo.mlopsDir)) {
      expect(await readFile(file, 'latin1'), file).not.toContain(secret);
    }
    expect(result.stdout + result.stderr).not.toContain(secret);
  }, 60_000);
});

describe('crash safety', () => {
  test('kill -9 of the runner, then --resume: the orphan is ended, the node re-runs', async () => {
    repo = await makeRepo(
      [
        step('slow', ['if [ -f release ]; then echo ok > "$VH_OUTPUTS_DIR/ok.txt"; exit 0; fi', 'touch started', 'sleep 600']),
        pipeline([{ name: 'slow', type: 'execution', step: 'slow' }]),
      ],
    );
    const first = mlopsAsync(repo.dir, ['run', '--pipeline', 'p']);
    await waitForFile(join(repo.dir, 'started'), 'the step');
    const [runId] = await readdir(join(repo.mlopsDir, 'runs'));
    process.kill(first.child.pid ?? 0, 'SIGKILL');
    await first.done;
    expect((await processesOfRun(runId ?? '')).length).toBeGreaterThan(0);
    // A dead runner's run is not shown running.
    const listed = JSON.parse(mlops(repo.dir, ['runs', '--json']).stdout) as { id: string; status: string }[];
    expect(listed.find((r) => r.id === runId)?.status).toBe('interrupted');

    await writeFile(join(repo.dir, 'release'), '');
    const resumed = mlops(repo.dir, ['run', '--resume', runId ?? '']);
    expect(resumed.code).toBe(0);
    expect(await processesOfRun(runId ?? '')).toEqual([]);
  }, 120_000);

  test('two concurrent resumes of one run: the second refuses, the work runs once', async () => {
    repo = await makeRepo(
      [
        step('once', ['[ -f fail-now ] && exit 3', 'echo ran >> count.txt', 'touch started', 'while [ ! -f release ]; do sleep 0.1; done']),
        pipeline([{ name: 'once', type: 'execution', step: 'once' }]),
      ],
      { files: { 'fail-now': '' } },
    );
    const failed = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(failed.code).toBe(1);
    const runId = runIdOf(failed);
    await rm(join(repo.dir, 'fail-now'));
    const a = mlopsAsync(repo.dir, ['run', '--resume', runId]);
    await waitForFile(join(repo.dir, 'started'), 'the first resume');
    const b = mlops(repo.dir, ['run', '--resume', runId]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/is being run by process \d+/);
    await writeFile(join(repo.dir, 'release'), '');
    expect((await a.done).code).toBe(0);
    expect(await readFile(join(repo.dir, 'count.txt'), 'utf8')).toBe('ran\n');
  }, 120_000);

  test('--resume keeps the run\'s --no-reuse', async () => {
    repo = await makeRepo([
      step('b', ['[ -f fail-now ] && exit 3', 'echo b >> b-count.txt']),
      pipeline([{ name: 'b', type: 'execution', step: 'b' }]),
    ]);
    expect(mlops(repo.dir, ['run', '--pipeline', 'p']).code).toBe(0);
    await writeFile(join(repo.dir, 'fail-now'), '');
    const second = mlops(repo.dir, ['run', '--pipeline', 'p', '--no-reuse']);
    expect(second.code).toBe(1);
    const runId = runIdOf(second);
    await rm(join(repo.dir, 'fail-now'));
    const resumed = mlops(repo.dir, ['run', '--resume', runId]);
    expect(resumed.code).toBe(0);
    const run = await readRunJson(repo.mlopsDir, runId);
    expect(run.request?.reuse).toBe(false);
    expect(run.nodes['b']?.state).toBe('succeeded');
    expect(await readFile(join(repo.dir, 'b-count.txt'), 'utf8')).toBe('b\nb\n');
  }, 120_000);
});

describe('the store stays true', () => {
  const objectPath = (mlopsDir: string, sha: string): string => join(mlopsDir, 'store', 'sha256', sha.slice(0, 2), sha);

  test('a step appending to its input fails the run and leaves the store object intact', async () => {
    repo = await makeRepo([
      step('produce', ['echo original > "$VH_OUTPUTS_DIR/data.txt"']),
      step('consume', ['echo appended >> "$VH_INPUTS_DIR/data/data.txt"'], { inputs: [{ name: 'data' }] }),
      step('sibling', ['cat "$VH_INPUTS_DIR/data/data.txt"'], { inputs: [{ name: 'data' }] }),
      pipeline(
        [
          { name: 'produce', type: 'execution', step: 'produce' },
          { name: 'consume', type: 'execution', step: 'consume' },
          { name: 'sibling', type: 'execution', step: 'sibling' },
        ],
        [
          { source: 'produce.output.data.txt', target: 'consume.input.data' },
          { source: 'produce.output.data.txt', target: 'sibling.input.data' },
        ],
      ),
    ]);
    const result = mlops(repo.dir, ['run', '--pipeline', 'p', '--jobs', '1']);
    expect(result.code).toBe(1);
    const run = await readRunJson(repo.mlopsDir, runIdOf(result));
    expect(run.nodes['consume']?.state).toBe('failed');
    expect(run.nodes['consume']?.reason).toMatch(/changed its input "data"/);
    const output = run.nodes['produce']?.executions[0]?.outputs[0];
    expect(await readFile(objectPath(repo.mlopsDir, output?.sha256 ?? ''), 'utf8')).toBe('original\n');
    // The sibling ran before or was not started after the failure; either way it never saw the append.
    const siblingLogPath = run.nodes['sibling']?.executions[0]?.logPath;
    if (siblingLogPath) expect(await readFile(siblingLogPath, 'utf8')).not.toContain('appended');
  }, 120_000);

  test('a big (hardlinked) input changed in place: the object is quarantined and the run fails', async () => {
    repo = await makeRepo([
      step('produce', ['head -c 17000000 /dev/zero > "$VH_OUTPUTS_DIR/big.bin"']),
      step('consume', ['echo x >> "$VH_INPUTS_DIR/data/big.bin"'], { inputs: [{ name: 'data' }] }),
      pipeline(
        [
          { name: 'produce', type: 'execution', step: 'produce' },
          { name: 'consume', type: 'execution', step: 'consume' },
        ],
        [{ source: 'produce.output.big.bin', target: 'consume.input.data' }],
      ),
    ]);
    const result = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(result.code).toBe(1);
    const run = await readRunJson(repo.mlopsDir, runIdOf(result));
    expect(run.nodes['consume']?.reason).toMatch(/quarantine/);
    const sha = run.nodes['produce']?.executions[0]?.outputs[0]?.sha256 ?? '';
    await expect(readFile(objectPath(repo.mlopsDir, sha))).rejects.toThrow(/ENOENT/);
    expect((await readdir(join(repo.mlopsDir, 'store', 'quarantine'))).some((name) => name.startsWith(sha))).toBe(true);
    // The next run does not reuse the producer's result (its object is gone): it runs again.
    const again = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect((await readRunJson(repo.mlopsDir, runIdOf(again))).nodes['produce']?.state).toBe('succeeded');
  }, 120_000);

  test('a flipped byte in a stored model is found by the next run and by reproduce', async () => {
    repo = await makeRepo([
      step('train', ['printf "weights-1234567890" > "$VH_OUTPUTS_DIR/model.bin"', 'echo \'{"acc": 0.5}\'']),
      pipeline([{ name: 'train', type: 'execution', step: 'train' }]),
    ]);
    const first = mlops(repo.dir, ['run', '--pipeline', 'p']);
    const firstId = runIdOf(first);
    const sha = (await readRunJson(repo.mlopsDir, firstId)).nodes['train']?.executions[0]?.outputs[0]?.sha256 ?? '';
    const flip = async (): Promise<void> => {
      const { open } = await import('node:fs/promises');
      const handle = await open(objectPath(repo?.mlopsDir ?? '', sha), 'r+');
      await handle.write('W', 0);
      await handle.close();
    };
    await flip();
    const second = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/not reusing run .*changed on disk/);
    expect((await readRunJson(repo.mlopsDir, runIdOf(second))).nodes['train']?.state).toBe('succeeded');
    expect(await readFile(objectPath(repo.mlopsDir, sha), 'utf8')).toBe('weights-1234567890');

    await flip();
    const reproduced = mlops(repo.dir, ['reproduce', firstId]);
    expect(reproduced.code).toBe(1);
    expect(reproduced.stdout).toContain('DIFFERS');
    expect(reproduced.stdout + reproduced.stderr).toMatch(/changed on disk/);
  }, 120_000);

  test('an output hardlinked to a repository file is copied, never linked', async () => {
    repo = await makeRepo(
      [step('s', ['ln config.txt "$VH_OUTPUTS_DIR/config.txt"']), pipeline([{ name: 's', type: 'execution', step: 's' }])],
      { files: { 'config.txt': 'settings\n' } },
    );
    const { stat } = await import('node:fs/promises');
    const before = await stat(join(repo.dir, 'config.txt'));
    const result = mlops(repo.dir, ['run', '--pipeline', 'p']);
    expect(result.code).toBe(0);
    const sha = (await readRunJson(repo.mlopsDir, runIdOf(result))).nodes['s']?.executions[0]?.outputs[0]?.sha256 ?? '';
    const after = await stat(join(repo.dir, 'config.txt'));
    expect(after.mode & 0o777).toBe(before.mode & 0o777);
    expect((await stat(objectPath(repo.mlopsDir, sha))).ino).not.toBe(after.ino);
  }, 60_000);
});

describe('a full disk', () => {
  const root = process.getuid?.() === 0;
  test.skipIf(!root)('fails the run with a message and a non-zero exit; the record says failed', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    repo = await makeRepo([
      step('fill', ['head -c 3000000 /dev/zero > "$VH_OUTPUTS_DIR/big" || true', 'echo filled']),
      pipeline([{ name: 'fill', type: 'execution', step: 'fill' }]),
    ]);
    const small = await mkdtemp(join(tmpdir(), 'mlops-full-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small]);
    if (mounted.status !== 0) return; // no tmpfs mounts here (a container without CAP_SYS_ADMIN)
    try {
      const result = mlops(repo.dir, ['run', '--pipeline', 'p', '--project-dir', small]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/run \S+: failed \(.*(ENOSPC|no space)/i);
      const listed = JSON.parse(mlops(repo.dir, ['runs', '--json', '--project-dir', small]).stdout) as { status: string }[];
      expect(listed.map((r) => r.status)).toEqual(['failed']);
    } finally {
      spawnSync('umount', [small]);
      await rm(small, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('input mistakes are errors', () => {

  test('a URL input changed on the server is fetched again (conditional GET); unchanged, it is not', async () => {
    const { createServer } = await import('node:http');
    let body = 'version-1';
    const requests: string[] = [];
    const server = createServer((request, response) => {
      const etag = `"${body}"`;
      requests.push(`${request.method} ${request.headers['if-none-match'] ?? '-'}`);
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag });
        response.end();
        return;
      }
      response.writeHead(200, { etag, 'content-length': String(body.length) });
      response.end(body);
    });
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    const port = (server.address() as { port: number }).port;
    try {
      repo = await makeRepo([
        step('use', ['cat "$VH_INPUTS_DIR/data/data.txt" > "$VH_OUTPUTS_DIR/seen.txt"'], {
          inputs: [{ name: 'data', default: `http://127.0.0.1:${port}/data.txt` }],
        }),
        pipeline([{ name: 'use', type: 'execution', step: 'use' }]),
      ]);
      const seen = async (runId: string): Promise<string> => {
        const run = await readRunJson(repo?.mlopsDir ?? '', runId);
        const sha = run.nodes['use']?.executions[0]?.outputs[0]?.sha256 ?? '';
        return readFile(join(repo?.mlopsDir ?? '', 'store', 'sha256', sha.slice(0, 2), sha), 'utf8');
      };
      const first = await mlopsAwait(repo.dir, ['run', '--pipeline', 'p']);
      expect(first.code).toBe(0);
      expect(await seen(runIdOf(first))).toBe('version-1');
      const second = await mlopsAwait(repo.dir, ['run', '--pipeline', 'p']);
      expect((await readRunJson(repo.mlopsDir, runIdOf(second))).nodes['use']?.state).toBe('reused');
      expect(requests).toContain('GET "version-1"');
      body = 'version-2';
      const third = await mlopsAwait(repo.dir, ['run', '--pipeline', 'p']);
      expect(third.code).toBe(0);
      expect((await readRunJson(repo.mlopsDir, runIdOf(third))).nodes['use']?.state).toBe('succeeded');
      expect(await seen(runIdOf(third))).toBe('version-2');
      // --no-reuse downloads unconditionally.
      requests.length = 0;
      expect((await mlopsAwait(repo.dir, ['run', '--pipeline', 'p', '--no-reuse'])).code).toBe(0);
      expect(requests[0]).toBe('GET -');
    } finally {
      server.close();
    }
  }, 120_000);
  test('--input naming an unknown node lists the nodes', async () => {
    repo = await makeRepo(
      [
        step('prep', ['cat "$VH_INPUTS_DIR/dataset/d.txt"'], { inputs: [{ name: 'dataset', default: 'd.txt' }] }),
        pipeline([{ name: 'preprocess', type: 'execution', step: 'prep' }]),
      ],
      { files: { 'd.txt': 'default\n', 'other.txt': 'other\n' } },
    );
    const typo = mlops(repo.dir, ['run', '--pipeline', 'p', '--input', 'preproces.dataset=other.txt']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('has no node preproces (its nodes: preprocess)');
    expect(await readdir(repo.mlopsDir).catch(() => [])).not.toContain('runs');
    const badInput = mlops(repo.dir, ['run', '--pipeline', 'p', '--input', 'preprocess.datset=other.txt']);
    expect(badInput.stderr).toContain('has no input datset (its inputs: dataset)');
    const badParam = mlops(repo.dir, ['run', '--pipeline', 'p', '--param', 'preproces.x=1']);
    expect(badParam.code).toBe(1);
    expect(badParam.stderr).toContain('has no node preproces');
  }, 60_000);
});
