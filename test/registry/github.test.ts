/**
 * The GitHub backend with the real Octokit client against the OpenAPI-checked fake GitHub REST API:
 * every request and response of the releases endpoints is validated against GitHub's description.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/adapters/github-client.js';
import { dispatch } from '../../src/registry/dispatch.js';
import { GitHubRegistry, versionTag, type AliasDocument } from '../../src/registry/github.js';
import { parseSelector } from '../../src/registry/model.js';
import { FakeGitHub } from '../support/github-api-server.js';

let server: FakeGitHub;
let dir: string;

beforeEach(async () => {
  server = new FakeGitHub({ owner: 'octo-org', repo: 'models' });
  await server.start();
  dir = await mkdtemp(join(tmpdir(), 'registry-github-'));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function registry(actor = 'octocat'): GitHubRegistry {
  const octokit = createGitHubClient({ token: 'ghs_test', baseUrl: server.url, log: () => undefined });
  return new GitHubRegistry(octokit, { owner: 'octo-org', repo: 'models', actor });
}

async function modelFile(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('GitHub registry (releases)', () => {
  it('registers, resolves, downloads with checksum verification, promotes and rolls back', async () => {
    const github = registry();
    const v1 = await github.register({
      name: 'digits',
      files: [{ path: 'model.json', localPath: await modelFile('m1.json', '{"weights":[1]}') }, { path: 'extra/labels.txt', localPath: await modelFile('l.txt', '0\n1\n') }],
      metrics: { accuracy: 0.91 },
      lineage: { pipeline: 'train-and-deploy', runId: 'r1', node: 'train-fast', commit: 'abc123' },
    });
    const v2 = await github.register({ name: 'digits', files: [{ path: 'model.json', localPath: await modelFile('m2.json', '{"weights":[2]}') }], metrics: { accuracy: 0.96 } });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const tags = [...server.releases.values()].map((r) => r.tag).sort();
    expect(tags).toEqual(['model/digits/v1', 'model/digits/v2']);
    const release1 = [...server.releases.values()].find((r) => r.tag === versionTag('digits', 1));
    expect(release1?.assets.map((a) => a.name).sort()).toEqual(['labels.txt', 'manifest.json', 'model.json']);
    expect(release1?.targetCommitish).toBe('abc123');

    expect(await github.models()).toEqual(['digits']);
    expect((await github.resolve('digits', parseSelector('best:accuracy'))).version).toBe(2);
    expect((await github.resolve('digits', parseSelector('latest'))).lineage).toEqual({});
    const resolved = await github.resolve('digits', parseSelector('1'));
    expect(resolved.lineage).toMatchObject({ runId: 'r1', node: 'train-fast' });
    const written = await github.pull(resolved, join(dir, 'out'));
    expect(await readFile(join(dir, 'out/model.json'), 'utf8')).toBe('{"weights":[1]}');
    expect(await readFile(join(dir, 'out/extra/labels.txt'), 'utf8')).toBe('0\n1\n');
    expect(written).toHaveLength(2);

    await github.promote('digits', 'production', parseSelector('1'), 'first');
    await registry('reviewer').promote('digits', 'production', parseSelector('2'), 'better');
    expect((await github.resolve('digits', parseSelector('production'))).version).toBe(2);
    const event = await github.rollback('digits', 'production', 'regression');
    expect(event).toMatchObject({ action: 'rollback', from: 2, version: 1 });
    expect((await github.resolve('digits', parseSelector('production'))).version).toBe(1);
    const history = await github.history('digits');
    expect(history.map((e) => [e.action, e.by, e.from ?? null, e.version, e.reason])).toEqual([
      ['promote', 'octocat', null, 1, 'first'],
      ['promote', 'reviewer', 1, 2, 'better'],
      ['rollback', 'octocat', 2, 1, 'regression'],
    ]);
    // Only the newest aliases document remains, and it carries the whole history.
    const aliasesRelease = [...server.releases.values()].find((r) => r.tag === 'model/digits/aliases');
    expect(aliasesRelease?.assets.map((a) => a.name)).toEqual(['aliases-3.json']);
    const document = JSON.parse(aliasesRelease?.assets[0]?.data.toString('utf8') ?? '{}') as AliasDocument;
    expect(document.history).toHaveLength(3);

    // Downloads went through the API with Accept: application/octet-stream and a redirect.
    expect(server.requests.some((r) => r.method === 'GET' && r.path.startsWith('/repos/octo-org/models/releases/assets/') && r.status === 302)).toBe(true);
    expect(server.requests.some((r) => r.method === 'POST' && r.path.endsWith('/assets') && r.query.includes('name=model.json') && r.status === 201)).toBe(true);
    expect(server.violations).toEqual([]);
  });

  it('rejects a tampered asset', async () => {
    const github = registry();
    await github.register({ name: 'digits', files: [{ path: 'model.json', localPath: await modelFile('m.json', '{"weights":[1]}') }] });
    server.tamperAsset(versionTag('digits', 1), 'model.json', Buffer.from('{"weights":[666]}'));
    const version = await github.resolve('digits', parseSelector('latest'));
    await expect(github.pull(version, join(dir, 'out'))).rejects.toThrow(/does not match its manifest/);
    expect(server.violations).toEqual([]);
  });

  it('allocates distinct versions and keeps every alias move when writers race', async () => {
    const writers = [registry('a'), registry('b'), registry('c')];
    const versions = await Promise.all(writers.map(async (w, i) => w.register({ name: 'm', files: [{ path: 'model.bin', localPath: await modelFile(`w${i}`, `w${i}`) }] })));
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3]);
    await Promise.all(writers.map((w, i) => w.promote('m', 'production', parseSelector(String(i + 1)), `writer ${i}`)));
    const history = await writers[0]?.history('m');
    expect(history).toHaveLength(3);
    history?.forEach((event, i) => expect(event.from).toBe(i === 0 ? undefined : history[i - 1]?.version));
    expect(server.violations).toEqual([]);
  });

  it('ignores a release whose registration was interrupted before the manifest', async () => {
    const github = registry();
    await github.register({ name: 'digits', files: [{ path: 'model.json', localPath: await modelFile('m.json', 'x') }] });
    const release = [...server.releases.values()].find((r) => r.tag === versionTag('digits', 1));
    if (release) release.assets = release.assets.filter((a) => a.name !== 'manifest.json');
    expect(await github.versions('digits')).toEqual([]);
    // The next registration does not reuse the number of the broken release.
    expect((await github.register({ name: 'digits', files: [{ path: 'model.json', localPath: await modelFile('n.json', 'y') }] })).version).toBe(2);
    expect(server.violations).toEqual([]);
  });

  it('dispatches retraining (repository_dispatch and workflow_dispatch)', async () => {
    const octokit = createGitHubClient({ token: 'ghs_test', baseUrl: server.url, log: () => undefined });
    await dispatch(octokit, { kind: 'repository', owner: 'octo-org', repo: 'models', eventType: 'retrain', payload: { reason: 'drift' } });
    await dispatch(octokit, { kind: 'workflow', owner: 'octo-org', repo: 'models', workflow: 'mlops-pipeline.yml', ref: 'main', inputs: { pipeline: 'train-and-deploy' } });
    expect(server.dispatches).toEqual([
      { kind: 'repository', body: { event_type: 'retrain', client_payload: { reason: 'drift' } } },
      { kind: 'workflow', workflow: 'mlops-pipeline.yml', body: { ref: 'main', inputs: { pipeline: 'train-and-deploy' } } },
    ]);
    expect(server.violations).toEqual([]);
  });
});

describe('mlops trigger', () => {
  it('sends a repository_dispatch through the CLI, and reports a refused one as one message', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const run = promisify(execFile);
    const repoRoot = join(import.meta.dirname, '../..');
    const args = ['--import', 'tsx', join(repoRoot, 'src/cli/index.ts'), 'trigger', '--repo', 'octo-org/models', '--event-type', 'retrain', '--payload', '{"reason":"drift"}', '--api-url', server.url];
    const env = { PATH: process.env['PATH'] ?? '', GITHUB_TOKEN: 'ghs_test' };
    const { stdout } = await run(process.execPath, args, { cwd: repoRoot, env });
    expect(stdout).toContain("dispatched repository_dispatch 'retrain' to octo-org/models");
    expect(server.dispatches).toEqual([{ kind: 'repository', body: { event_type: 'retrain', client_payload: { reason: 'drift' } } }]);
    server.readOnlyToken = true;
    await expect(run(process.execPath, args, { cwd: repoRoot, env })).rejects.toMatchObject({ stderr: expect.stringMatching(/^mlops: GitHub refused the dispatch: .*Resource not accessible/) as string });
    expect(server.violations).toEqual([]);
  }, 60_000);
});
