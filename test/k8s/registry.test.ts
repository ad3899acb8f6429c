/**
 * The test registry builds the build contexts `mlops deploy --target kubernetes` writes (the server image:
 * the repository at a commit; the model image: the version's files and their sha256 list) into images whose
 * files and config are what a real builder would produce, and resolves them as a registry does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeServerBuildContext } from '../../src/deploy/kubernetes/build-context.js';
import { writeModelImageContext } from '../../src/deploy/kubernetes/model-image.js';
import { kubernetesOptions } from '../../src/deploy/kubernetes/options.js';
import { modelVersionFromFolder, type DeployRequest } from '../../src/deploy/model.js';
import type { Endpoint } from '../../src/pipeline/model.js';
import { createRegistry, parseReference, type TestRegistry } from '../support/k8s/registry.js';

describe('test registry', () => {
  let work: string;
  let registry: TestRegistry;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'registry-test-'));
    registry = await createRegistry(join(work, 'registry'));
  });

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('parses references as a registry does', () => {
    expect(parseReference('node:20-slim')).toEqual({ name: 'node', tag: '20-slim' });
    expect(parseReference('docker.io/library/busybox')).toEqual({ name: 'busybox' });
    expect(parseReference(`localhost:5000/a/b:c@sha256:${'a'.repeat(64)}`)).toEqual({ name: 'localhost:5000/a/b', tag: 'c', digest: `sha256:${'a'.repeat(64)}` });
    expect(() => parseReference('Bad/Name')).toThrow(/invalid image reference/);
  });

  it('builds the server and model images mlops deploy writes, and resolves them by tag and digest', async () => {
    const repo = join(work, 'repo');
    await mkdir(join(repo, 'serve'), { recursive: true });
    await writeFile(join(repo, 'serve', 'server.mjs'), 'console.log("serving")\n');
    await writeFile(join(repo, 'untracked.txt'), 'not committed\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '-q');
    git('add', 'serve');
    git('commit', '-qm', 'server');
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }).toString().trim();

    const endpoint: Endpoint = {
      name: 'predict', image: 'node:20-slim', serverCommand: ['exec node serve/server.mjs'], port: 8000,
      files: [{ name: 'model', path: 'model.json' }], extra: {}, position: { file: 'valohai.yaml', line: 1, col: 1 },
    };
    const modelDir = join(work, 'model');
    await mkdir(modelDir);
    await writeFile(join(modelDir, 'model.json'), '{"weights":[1,2,3]}');
    const version = await modelVersionFromFolder(modelDir, endpoint);
    const request: DeployRequest = { deployment: 'digits', endpoint, version, target: { kind: 'kubernetes', options: {} }, strategy: 'rolling' };
    const options = kubernetesOptions({ 'image-repository': 'ghcr.io/acme/digits-server', 'model-image-repository': 'ghcr.io/acme/digits-models' });

    const server = await writeServerBuildContext(request, options, repo, commit, join(work, 'server-context'));
    const serverRef = await registry.build(server.dir, server.reference!);
    const serverImage = registry.resolve(serverRef)!;
    expect(registry.resolve(server.reference!)?.digest).toBe(serverImage.digest);
    expect(existsSync(join(serverImage.rootfs, 'app', 'serve', 'server.mjs'))).toBe(true);
    expect(existsSync(join(serverImage.rootfs, 'app', 'untracked.txt'))).toBe(false);
    expect(serverImage.config).toMatchObject({ workingDir: '/app', user: `${options.runAsUser}:${options.runAsUser}`, exposedPorts: ['8000'] });
    expect(serverImage.config.env).toEqual(expect.arrayContaining(['HOST=0.0.0.0', 'PORT=8000']));
    expect(serverImage.config.cmd?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(serverImage.config.cmd?.[2]).toContain('node serve/server.mjs');

    const model = await writeModelImageContext(version, options, join(work, 'model-context'));
    const modelRef = await registry.build(model.dir, model.reference);
    const modelImage = registry.resolve(modelRef)!;
    expect(await readFile(join(modelImage.rootfs, 'models', 'model.json'), 'utf8')).toBe('{"weights":[1,2,3]}');
    expect(await readFile(join(modelImage.rootfs, 'models.sha256'), 'utf8')).toContain(version.files[0]!.sha256);
    expect(modelImage.config.user).toBe(String(options.runAsUser));
    // The same content builds the same digest; a digest under another name is not that name's image.
    expect(await registry.build(model.dir, model.reference)).toBe(modelRef);
    expect(registry.resolve(`ghcr.io/acme/other@${modelImage.digest}`)).toBeUndefined();
    expect(registry.resolve('ghcr.io/acme/digits-models:missing')).toBeUndefined();
  });
});
