import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { resolveCommit, serverDockerfile, writeServerBuildContext } from '../../src/deploy/kubernetes/build-context.js';
import { kubernetesOptions } from '../../src/deploy/kubernetes/options.js';
import { modelContentHash, modelCopyScript, writeModelImageContext } from '../../src/deploy/kubernetes/model-image.js';
import { modelVersionFromFolder, type DeployRequest } from '../../src/deploy/model.js';
import { run as deployAction } from '../../src/actions/deploy/main.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { errorsOf, restoreEnv, runAction, setEnv } from '../actions/helpers.js';
import { fixtureEndpoint, sampleRequest, tempDir } from './helpers.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
/** The Dockerfile instructions the test registry of the Kubernetes tier interprets. */
const SUBSET = new Set(['FROM', 'WORKDIR', 'COPY', 'USER', 'ENV', 'EXPOSE', 'CMD', 'ENTRYPOINT']);

let work = '';
let cleanup: () => Promise<void> = () => Promise.resolve();
beforeEach(async () => {
  ({ dir: work, cleanup } = await tempDir('mlops-build-context-'));
});
afterEach(() => cleanup());

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd });
  return stdout.trim();
}

/** A repository with two commits; the working tree has an edit, an untracked and an ignored file on top. */
async function repository(): Promise<{ dir: string; first: string; second: string }> {
  const dir = join(work, 'repo');
  await mkdir(join(dir, 'examples', 'app'), { recursive: true });
  await git(dir, 'init', '-q');
  await writeFile(join(dir, 'examples', 'app', 'serve.mjs'), 'console.log("v1")\n');
  await writeFile(join(dir, '.gitignore'), 'secret.env\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'one');
  const first = await git(dir, 'rev-parse', 'HEAD');
  await writeFile(join(dir, 'examples', 'app', 'serve.mjs'), 'console.log("v2")\n');
  await writeFile(join(dir, 'README.md'), 'docs\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-qm', 'two');
  const second = await git(dir, 'rev-parse', 'HEAD');
  await writeFile(join(dir, 'examples', 'app', 'serve.mjs'), 'console.log("uncommitted")\n');
  await writeFile(join(dir, 'untracked.txt'), 'not in git\n');
  await writeFile(join(dir, 'secret.env'), 'TOKEN=1\n');
  return { dir, first, second };
}

function instructions(dockerfile: string): string[] {
  return dockerfile.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

describe('server image build context', () => {
  test('holds exactly the tracked files at the deployed commit, and a Dockerfile in the supported subset', async () => {
    const { dir, first, second } = await repository();
    const request: DeployRequest = { ...sampleRequest(), endpoint: { ...sampleRequest().endpoint, image: 'node:20-slim', serverCommand: ['node examples/app/serve.mjs'], port: 8000 } };
    const options = kubernetesOptions({ 'image-repository': 'ghcr.io/acme/app/server' });
    // Run from a subfolder: git archive would archive only that folder there; the whole tree is wanted.
    const context = await writeServerBuildContext(request, options, join(dir, 'examples'), 'HEAD', join(work, 'out', 'server'));
    expect(context.commit).toBe(second);
    expect(context.reference).toBe(`ghcr.io/acme/app/server:${second}`);
    expect((await readdir(join(context.dir, 'repo'))).sort()).toEqual(['.gitignore', 'README.md', 'examples']);
    expect(await readFile(join(context.dir, 'repo', 'examples', 'app', 'serve.mjs'), 'utf8')).toBe('console.log("v2")\n');
    const dockerfile = await readFile(join(context.dir, 'Dockerfile'), 'utf8');
    expect(instructions(dockerfile)).toEqual([
      'FROM node:20-slim',
      'WORKDIR /app',
      'COPY repo/ /app/',
      'USER 65532:65532',
      'ENV HOST=0.0.0.0',
      'ENV PORT=8000',
      'ENV HOME=/tmp',
      'EXPOSE 8000',
      'CMD ["/bin/sh","-c","node examples/app/serve.mjs"]',
    ]);
    for (const line of instructions(dockerfile)) expect(SUBSET.has(line.split(' ')[0] ?? '')).toBe(true);
    // An older commit gives that commit's files; the folder is replaced, not merged.
    const older = await writeServerBuildContext(request, options, dir, first, join(work, 'out', 'server'));
    expect(older.commit).toBe(first);
    expect((await readdir(join(older.dir, 'repo'))).sort()).toEqual(['.gitignore', 'examples']);
    expect(await readFile(join(older.dir, 'repo', 'examples', 'app', 'serve.mjs'), 'utf8')).toBe('console.log("v1")\n');
    expect((await readdir(join(work, 'out'))).sort()).toEqual(['server']);
  });

  test('a WSGI endpoint binds $HOST, which the image sets to 0.0.0.0; a loopback server command is refused', () => {
    const wsgi: DeployRequest = { ...sampleRequest(), endpoint: { ...fixtureEndpoint('predict'), serverCommand: undefined, wsgi: 'app:application', image: 'python:3.12-slim' } };
    const dockerfile = serverDockerfile(wsgi, { runAsUser: 10001 }, 'c'.repeat(40));
    expect(dockerfile).toContain('ENV HOST=0.0.0.0');
    expect(dockerfile).toContain('USER 10001:10001');
    expect(dockerfile).toContain(`CMD ${JSON.stringify(['/bin/sh', '-c', 'exec gunicorn --bind "${HOST:-127.0.0.1}:$PORT" app:application'])}`);
    const loopback: DeployRequest = { ...sampleRequest(), endpoint: { ...fixtureEndpoint('predict'), serverCommand: ['flask run --host=127.0.0.1'] } };
    expect(() => serverDockerfile(loopback, { runAsUser: 10001 }, 'c'.repeat(40))).toThrow(/binds a loopback address/);
  });

  test('a commit that does not exist is a user error', async () => {
    const { dir } = await repository();
    await expect(resolveCommit(dir, 'f'.repeat(40))).rejects.toBeInstanceOf(ConfigurationError);
    await expect(resolveCommit(work, 'HEAD')).rejects.toThrow(/cannot find commit 'HEAD' in the git repository/);
  });
});

describe('model image (modelcar)', () => {
  async function version(files: Record<string, string>) {
    const folder = join(work, 'model');
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(folder, path, '..'), { recursive: true });
      await writeFile(join(folder, path), content);
    }
    const endpoint = { ...fixtureEndpoint('predict'), files: Object.keys(files).map((path, i) => ({ name: `f${i}`, path })) };
    return modelVersionFromFolder(folder, endpoint);
  }

  test('build context: the files under /models at their paths, checksums, a Dockerfile in the subset, tagged by content', async () => {
    const v = await version({ 'model.json': '{"w":[1,2]}', 'vocab/words.txt': 'a\nb\n' });
    const options = kubernetesOptions({ 'model-image-repository': 'ghcr.io/acme/app/models' });
    const context = await writeModelImageContext(v, options, join(work, 'out', 'model'));
    expect(context.tag).toBe(modelContentHash(v.files));
    expect(context.tag.slice(0, 12)).toBe(v.id);
    expect(context.reference).toBe(`ghcr.io/acme/app/models:${context.tag}`);
    expect(await readFile(join(context.dir, 'models', 'vocab', 'words.txt'), 'utf8')).toBe('a\nb\n');
    const sums = await readFile(join(context.dir, 'sha256sums'), 'utf8');
    expect(sums.split('\n').filter(Boolean).map((l) => l.split('  ')[1])).toEqual(['model.json', 'vocab/words.txt']);
    const dockerfile = instructions(await readFile(join(context.dir, 'Dockerfile'), 'utf8'));
    expect(dockerfile).toEqual(['FROM busybox:1.36', 'COPY models/ /models/', 'COPY sha256sums /models.sha256', 'USER 65532']);
    // The same files give the same tag, whatever folder they came from.
    const again = await writeModelImageContext({ ...v, source: { kind: 'folder', path: '/elsewhere' } }, options, join(work, 'out', 'model2'));
    expect(again.reference).toBe(context.reference);
  });

  test('a stored file whose bytes changed is refused while the context is written, and nothing is left half-written', async () => {
    const v = await version({ 'model.json': '{"w":1}' });
    await writeFile(join(work, 'model', 'model.json'), '{"w":2}');
    const options = kubernetesOptions({ 'model-image-repository': 'ghcr.io/acme/app/models' });
    await expect(writeModelImageContext(v, options, join(work, 'out', 'model'))).rejects.toThrow(/model file model\.json at .* has sha256 [0-9a-f]{64}, expected [0-9a-f]{64}; the stored copy is corrupt/);
    expect(existsSync(join(work, 'out', 'model'))).toBe(false);
    expect(await readdir(join(work, 'out')).catch(() => [])).toEqual([]);
  });

  test("the init container's script copies and verifies every file, and names the file, both hashes and the image on a mismatch", async () => {
    const v = await version({ 'model.json': '{"w":1}', 'sub/extra.bin': 'xyz' });
    const image = 'ghcr.io/acme/app/models:abc';
    const from = join(work, 'image-models');
    const to = join(work, 'pod-models');
    await mkdir(join(from, 'sub'), { recursive: true });
    await mkdir(to, { recursive: true });
    await writeFile(join(from, 'model.json'), '{"w":1}');
    await writeFile(join(from, 'sub', 'extra.bin'), 'xyz');
    const sh = async (): Promise<{ code: number; stderr: string }> => {
      try {
        await run('/bin/sh', ['-c', modelCopyScript(v, image, { from, to })]);
        return { code: 0, stderr: '' };
      } catch (error) {
        const failed = error as { code?: number; stderr?: string };
        return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
      }
    };
    expect(await sh()).toEqual({ code: 0, stderr: '' });
    expect(await readFile(join(to, 'sub', 'extra.bin'), 'utf8')).toBe('xyz');
    expect(existsSync(join(to, 'model.json.partial'))).toBe(false);

    // An image whose file is not what the pod template says: the pod fails, naming it.
    await writeFile(join(from, 'sub', 'extra.bin'), 'tampered');
    const mismatch = await sh();
    expect(mismatch.code).toBe(1);
    const expected = v.files.find((f) => f.path === 'sub/extra.bin')?.sha256 ?? '';
    expect(mismatch.stderr).toMatch(new RegExp(`^mlops: model file sub/extra\\.bin from ghcr\\.io/acme/app/models:abc has sha256 [0-9a-f]{64}, expected ${expected}$`, 'm'));

    await run('rm', [join(from, 'model.json')]);
    const missing = await sh();
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('mlops: model file model.json is missing from ghcr.io/acme/app/models:abc');
  });
});

describe('mlops deploy --target kubernetes --build-context', () => {
  test('writes both contexts and build.json, touching no cluster', async () => {
    const { dir, second } = await repository();
    await writeFile(
      join(dir, 'valohai.yaml'),
      [
        '- endpoint:',
        '    name: app',
        '    image: node:20-slim',
        '    server-command: node examples/app/serve.mjs',
        '    port: 8000',
        '    files:',
        '      - name: model',
        '        path: model.json',
        '- x-mlops:',
        '    deploy-targets:',
        '      app:',
        '        kind: kubernetes',
        '        image-repository: ghcr.io/acme/app/server',
        '        model-image-repository: ghcr.io/acme/app/models',
        '',
      ].join('\n'),
    );
    await git(dir, 'add', 'valohai.yaml');
    await git(dir, 'commit', '-qm', 'pipeline');
    const head = await git(dir, 'rev-parse', 'HEAD');
    expect(head).not.toBe(second);
    await mkdir(join(work, 'model'), { recursive: true });
    await writeFile(join(work, 'model', 'model.json'), '{"w":1}');
    const out = join(work, 'build');
    const { stdout } = await run(process.execPath, ['--import', join(ROOT, 'node_modules/tsx/dist/esm/index.mjs'), join(ROOT, 'src/cli/index.ts'), 'deploy', '--folder', join(work, 'model'), '--build-context', out, '--json'], { cwd: dir, env: { ...process.env, KUBECONFIG: join(work, 'no-such-kubeconfig') } });
    const build = JSON.parse(stdout) as { server: { context: string; commit: string; reference: string }; model: { reference: string; version: string } };
    expect(build.server).toEqual({ context: join(out, 'server'), commit: head, repository: 'ghcr.io/acme/app/server', reference: `ghcr.io/acme/app/server:${head}` });
    expect(build.model.reference).toMatch(/^ghcr\.io\/acme\/app\/models:[0-9a-f]{64}$/);
    expect(JSON.parse(await readFile(join(out, 'build.json'), 'utf8'))).toEqual(build);
    expect(existsSync(join(out, 'server', 'repo', 'valohai.yaml'))).toBe(true);
    expect(existsSync(join(out, 'server', 'repo', 'untracked.txt'))).toBe(false);
    expect(existsSync(join(out, 'server', 'repo', 'secret.env'))).toBe(false);
    expect(await readFile(join(out, 'model', 'models', 'model.json'), 'utf8')).toBe('{"w":1}');
  }, 60_000);
});

describe('actions/deploy operation: build', () => {
  afterEach(() => restoreEnv());

  test('writes the contexts for the workflow, names GHCR repositories in lowercase, needs no kubeconfig', async () => {
    const { dir } = await repository();
    await writeFile(join(dir, 'valohai.yaml'), ['- endpoint:', '    name: app', '    image: node:20-slim', '    server-command: node examples/app/serve.mjs', '    port: 8000', '    files:', '      - name: model', '        path: model.json', ''].join('\n'));
    await git(dir, 'add', 'valohai.yaml');
    await git(dir, 'commit', '-qm', 'pipeline');
    const head = await git(dir, 'rev-parse', 'HEAD');
    await mkdir(join(work, 'model'), { recursive: true });
    await writeFile(join(work, 'model', 'model.json'), '{"w":1}');
    const inputs: Record<string, string> = { operation: 'build', file: 'valohai.yaml', 'project-dir': '.mlops', folder: join(work, 'model'), kubeconfig: '', 'build-context': join(work, 'build'), 'record-deployment': 'false' };
    const env: Record<string, string> = { GITHUB_REPOSITORY: 'Acme/Digits-App', GITHUB_SHA: head };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    setEnv(env);
    const job = await runAction(deployAction, { output: join(work, 'output.txt'), summary: join(work, 'summary.md'), workspace: dir });
    expect(errorsOf(job)).toEqual([]);
    expect(job.failed).toBe(false);
    expect(job.outputs).toMatchObject({
      'server-context': join(work, 'build', 'server'),
      'server-repository': 'ghcr.io/acme/digits-app/app',
      'server-tag': `ghcr.io/acme/digits-app/app:${head}`,
      'model-context': join(work, 'build', 'model'),
      'model-repository': 'ghcr.io/acme/digits-app/app-model',
    });
    expect(job.outputs['model-tag']).toMatch(/^ghcr\.io\/acme\/digits-app\/app-model:[0-9a-f]{64}$/);
    expect(await readFile(join(work, 'build', 'server', 'repo', 'examples', 'app', 'serve.mjs'), 'utf8')).toBe('console.log("v2")\n');
  }, 60_000);
});
