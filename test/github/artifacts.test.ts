import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  artifactNameCandidates,
  artifactNameFor,
  downloadNodeArtifact,
  uploadNodeArtifact,
} from '../../src/adapters/artifacts.js';
import { MANIFEST_FILE_NAME, readManifest, type NodeManifest } from '../../src/adapters/node-manifest.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';

let server: ArtifactServer;
let scratch: string;
const savedEnv = new Map<string, string | undefined>();

/** Sets environment variables for the current test; `afterEach` restores the previous values. */
function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
}

/** Makes the process look like one job of the run: its token, workspace and temp folder. */
async function enterJob(jobEnv: Record<string, string>): Promise<string> {
  const jobDir = await mkdtemp(join(scratch, 'job-'));
  await mkdir(join(jobDir, 'workspace'));
  await mkdir(join(jobDir, 'temp'));
  setEnv({ ...jobEnv, GITHUB_WORKSPACE: join(jobDir, 'workspace'), RUNNER_TEMP: join(jobDir, 'temp') });
  return jobDir;
}

async function writeFiles(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

const manifestBase: Omit<NodeManifest, 'version' | 'files'> = {
  pipeline: 'digits',
  node: 'train',
  step: 'train-model',
  executionId: 'train-0001',
  parameters: { epochs: 3, learning_rate: 0.001, optimizer: 'adam', augment: true, layers: [64, 32] },
  commit: '0123456789abcdef0123456789abcdef01234567',
  metadata: {
    latest: { accuracy: 0.93 },
    events: [{ time: '2024-01-01T00:00:00.000Z', values: { epoch: 1, accuracy: 0.93 } }],
  },
  status: 'succeeded',
  reuseKey: 'sha256:abc',
};

/** Uploads `files` (relative paths → content) from a fresh producer job as artifact `name`. */
async function produce(name: string, files: Record<string, string | Buffer>): Promise<void> {
  const jobDir = await enterJob(server.envFor({}));
  const root = join(jobDir, 'execution');
  await writeFiles(root, files);
  await uploadNodeArtifact({ name, rootDirectory: root, files: Object.keys(files), manifest: manifestBase });
}

async function listFilesRecursively(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1).split('\\').join('/'))
    .sort();
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-artifacts-test-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  savedEnv.clear();
});

afterEach(() => {
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('node artifacts through the real @actions/artifact client', () => {
  it('uploads outputs in one job and downloads only the selected, verified files in another', async () => {
    const name = artifactNameFor({ pipeline: 'digits', node: 'train: model/v2', runAttempt: 1 });
    const outputs = {
      'outputs/model/weights.bin': randomBytes(20_000),
      'outputs/model/config.json': '{"layers":[64,32]}\n',
      'outputs/reports/confusion.csv': 'a,b\n1,2\n',
      'metadata.jsonl': '{"accuracy":0.93}\n',
    };
    await produce(name, outputs);
    expect(server.artifactNames()).toContain(name);

    // The consumer is another job of the same run, with its own token and an empty workspace.
    const consumerDir = await enterJob(server.envFor({}));
    const destination = join(consumerDir, 'inputs');
    const downloaded = await downloadNodeArtifact({
      name,
      destination,
      select: (path) => path.startsWith('outputs/model/'),
    });

    expect(await listFilesRecursively(destination)).toEqual(['outputs/model/config.json', 'outputs/model/weights.bin']);
    for (const path of ['outputs/model/config.json', 'outputs/model/weights.bin'] as const) {
      expect(sha256(await readFile(join(destination, path)))).toBe(sha256(outputs[path]));
    }
    expect(downloaded.files.map((file) => file.path)).toEqual(['outputs/model/config.json', 'outputs/model/weights.bin']);
    expect(downloaded.files[1]).toEqual({
      path: 'outputs/model/weights.bin',
      size: 20_000,
      sha256: sha256(outputs['outputs/model/weights.bin']),
    });
    expect(downloaded.manifest).toMatchObject({ version: 1, ...manifestBase });
    expect(downloaded.manifest.files.map((file) => file.path)).toEqual(Object.keys(outputs).sort());
    // The staging folder in RUNNER_TEMP is cleaned up.
    expect(await readdir(join(consumerDir, 'temp'))).toEqual([]);
  });

  it('downloads every file when no selection is given', async () => {
    const name = artifactNameFor({ pipeline: 'digits', node: 'prep', runAttempt: 1 });
    await produce(name, { 'outputs/a.txt': 'a', 'outputs/deep/b/c.txt': 'c' });
    const consumerDir = await enterJob(server.envFor({}));
    await downloadNodeArtifact({ name, destination: join(consumerDir, 'in') });
    expect(await listFilesRecursively(join(consumerDir, 'in'))).toEqual(['outputs/a.txt', 'outputs/deep/b/c.txt']);
  });

  it('refuses a second upload of the same name in the run, like GitHub, but not in another run', async () => {
    const name = artifactNameFor({ pipeline: 'digits', node: 'evaluate', runAttempt: 1 });
    await produce(name, { 'outputs/score.txt': '1' });
    const second = produce(name, { 'outputs/score.txt': '2' });
    await expect(second).rejects.toBeInstanceOf(ConfigurationError);
    await expect(second).rejects.toThrow(
      new RegExp(`Cannot upload artifact "${name}".*\\(409\\) Conflict: an artifact with this name already exists on the workflow run`),
    );

    // The first upload is intact.
    const consumerDir = await enterJob(server.envFor({}));
    await downloadNodeArtifact({ name, destination: join(consumerDir, 'in') });
    expect(await readFile(join(consumerDir, 'in/outputs/score.txt'), 'utf8')).toBe('1');

    // Names are per run: another run may use it.
    const otherRunDir = await enterJob(server.envFor({ runId: 'another-run' }));
    await writeFiles(join(otherRunDir, 'x'), { 'score.txt': '3' });
    await uploadNodeArtifact({ name, rootDirectory: join(otherRunDir, 'x'), files: ['score.txt'], manifest: manifestBase });
    expect(server.artifactNames('another-run')).toEqual([name]);
  });

  it('fails clearly when the artifact does not exist in the run', async () => {
    await enterJob(server.envFor({}));
    await expect(downloadNodeArtifact({ name: 'mlops--nope', destination: join(scratch, 'nope') })).rejects.toThrow(
      /Artifact "mlops--nope": not found in this workflow run/,
    );
  });

  it('finds the artifact of an earlier attempt when the upstream node was not re-run', async () => {
    const parts = { pipeline: 'digits', node: 'featurize', runAttempt: 1 };
    await produce(artifactNameFor(parts), { 'outputs/features.csv': 'x\n1\n' });
    const consumerDir = await enterJob(server.envFor({}));
    const candidates = artifactNameCandidates({ ...parts, runAttempt: 3 });
    expect(candidates).toEqual([3, 2, 1].map((runAttempt) => artifactNameFor({ ...parts, runAttempt })));
    await downloadNodeArtifact({ name: candidates, destination: join(consumerDir, 'in') });
    expect(await readFile(join(consumerDir, 'in/outputs/features.csv'), 'utf8')).toBe('x\n1\n');
    await expect(
      downloadNodeArtifact({ name: candidates.slice(0, 2), destination: join(consumerDir, 'other') }),
    ).rejects.toThrow(`Artifact "${candidates[0]}" or "${candidates[1]}": not found in this workflow run`);
  });

  it('refuses to overwrite an existing manifest.json in the root folder', async () => {
    const jobDir = await enterJob(server.envFor({}));
    const root = join(jobDir, 'execution');
    await writeFiles(root, { [MANIFEST_FILE_NAME]: 'mine', 'outputs/a.txt': 'a' });
    await expect(
      uploadNodeArtifact({ name: 'mlops--clobber', rootDirectory: root, files: ['outputs/a.txt'], manifest: manifestBase }),
    ).rejects.toThrow(/already exists; the artifact's manifest.json is generated/);
    expect(await readFile(join(root, MANIFEST_FILE_NAME), 'utf8')).toBe('mine');
    // A successful upload leaves the root folder as it found it.
    await rm(join(root, MANIFEST_FILE_NAME));
    await uploadNodeArtifact({ name: 'mlops--clean', rootDirectory: root, files: ['outputs/a.txt'], manifest: manifestBase });
    expect(await listFilesRecursively(root)).toEqual(['outputs/a.txt']);
  });

  it('detects a corrupted archive and names the artifact and the file', async () => {
    const name = artifactNameFor({ pipeline: 'digits', node: 'train', variant: 'lr-0.1', runAttempt: 1 });
    // Random bytes do not compress, so the zip keeps them as stored data: the flipped byte survives unpacking.
    await produce(name, { 'outputs/model.bin': randomBytes(100_000), 'outputs/small.txt': 'ok' });
    await server.corrupt(name, 'outputs/model.bin');

    const consumerDir = await enterJob(server.envFor({}));
    const destination = join(consumerDir, 'in');
    const attempt = downloadNodeArtifact({ name, destination });
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`^Artifact "${name}": file "outputs/model.bin" has sha256 [0-9a-f]{64} but the manifest says [0-9a-f]{64} \\(corrupted\\)$`),
    );
    // Nothing half-verified reaches the destination.
    await expect(readdir(destination)).rejects.toThrow(/ENOENT/);
  });

  it('detects a truncated archive that still unpacks, naming the missing file', async () => {
    const name = artifactNameFor({ pipeline: 'digits', node: 'train', variant: 'lr-0.2', runAttempt: 1 });
    await produce(name, { 'outputs/a.txt': 'first', 'outputs/z.txt': 'last' });
    const removed = await server.truncate(name);

    const consumerDir = await enterJob(server.envFor({}));
    // The upload lists manifest.json first, but the client zips files as their stats complete: under
    // load the manifest itself can be the last entry, and then that is what goes missing.
    await expect(downloadNodeArtifact({ name, destination: join(consumerDir, 'in') })).rejects.toThrow(
      removed === 'manifest.json'
        ? `Artifact "${name}": manifest.json is missing from the archive (truncated or not a node artifact)`
        : `Artifact "${name}": file "${removed ?? ''}" listed in the manifest is missing from the archive (truncated?)`,
    );
    expect(['manifest.json', 'outputs/a.txt', 'outputs/z.txt']).toContain(removed);
  });

  it('fails clearly when the client rejects a zip cut mid-entry', { timeout: 120_000 }, async () => {
    const name = artifactNameFor({ pipeline: 'digits', node: 'train', variant: 'lr-0.3', runAttempt: 1 });
    await produce(name, { 'outputs/model.bin': randomBytes(50_000) });
    await server.truncate(name, Math.floor((await server.archive(name)).length / 2));

    const consumerDir = await enterJob(server.envFor({}));
    // The client retries the download a few times before giving up.
    await expect(downloadNodeArtifact({ name, destination: join(consumerDir, 'in') })).rejects.toThrow(
      new RegExp(`^Artifact "${name}": the archive is damaged or incomplete and cannot be unpacked: `),
    );
  });

  it('rejects a manifest whose paths escape the artifact', async () => {
    const name = 'mlops--evil';
    const producerDir = await enterJob(server.envFor({}));
    const root = join(producerDir, 'execution');
    const evilManifest = {
      version: 1,
      ...manifestBase,
      files: [{ path: '../evil', size: 4, sha256: sha256('evil') }],
    };
    await writeFiles(root, { [MANIFEST_FILE_NAME]: JSON.stringify(evilManifest), evil: 'evil' });
    // Published with the raw client, as a hostile or buggy producer could.
    await new DefaultArtifactClient().uploadArtifact(name, [join(root, MANIFEST_FILE_NAME), join(root, 'evil')], root);

    const consumerDir = await enterJob(server.envFor({}));
    const destination = join(consumerDir, 'inputs', 'train');
    await expect(downloadNodeArtifact({ name, destination })).rejects.toThrow(
      `Invalid node manifest in artifact "${name}": files[0].path "../evil" escapes the artifact (absolute, "..", or empty segment)`,
    );
    await expect(readdir(join(consumerDir, 'inputs'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses to upload a symlink or a path outside the root', async () => {
    const jobDir = await enterJob(server.envFor({}));
    const root = join(jobDir, 'execution');
    await writeFiles(jobDir, { 'secret.txt': 'secret', 'execution/outputs/ok.txt': 'ok' });
    await symlink(join(jobDir, 'secret.txt'), join(root, 'outputs/link.txt'));
    await expect(
      uploadNodeArtifact({ name: 'mlops--link', rootDirectory: root, files: ['outputs/link.txt'], manifest: manifestBase }),
    ).rejects.toThrow('Cannot upload artifact "mlops--link": outputs/link.txt is not a regular file (symlinks are not uploaded)');
    await expect(
      uploadNodeArtifact({ name: 'mlops--up', rootDirectory: root, files: ['../secret.txt'], manifest: manifestBase }),
    ).rejects.toThrow(/Cannot upload artifact "mlops--up": file path "\.\.\/secret\.txt" must be relative/);
    expect(server.artifactNames()).not.toContain('mlops--link');
    expect(server.artifactNames()).not.toContain('mlops--up');
  });
});

describe('artifactNameFor', () => {
  const forbidden = /["':<>|*?\r\n\\/]/;

  it.each([
    { pipeline: 'digits', node: 'train' },
    { pipeline: 'a "quoted" pipe|line', node: 'train: model/v2\\x' },
    { pipeline: 'p', node: 'n*?<>', variant: 'lr=0.1, bs=32' },
    { pipeline: 'ünïcødé', node: '\r\n' },
  ])('builds a valid name for %o', (parts) => {
    const name = artifactNameFor({ ...parts, runAttempt: 1 });
    expect(name).not.toMatch(forbidden);
    expect(name).toMatch(/^mlops--[A-Za-z0-9._-]+--attempt-1$/);
    expect(artifactNameFor({ ...parts, runAttempt: 1 })).toBe(name);
  });

  it('differs by attempt, variant and by names that slug alike', () => {
    const base = { pipeline: 'p', node: 'a/b', runAttempt: 1 };
    const names = new Set([
      artifactNameFor(base),
      artifactNameFor({ ...base, runAttempt: 2 }),
      artifactNameFor({ ...base, node: 'a:b' }),
      artifactNameFor({ ...base, variant: 'v1' }),
      artifactNameFor({ ...base, variant: 'v2' }),
    ]);
    expect(names.size).toBe(5);
    expect(artifactNameFor({ ...base, runAttempt: 2 })).toMatch(/--attempt-2$/);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects run attempt %s', (runAttempt) => {
    expect(() => artifactNameFor({ pipeline: 'p', node: 'n', runAttempt })).toThrow(ConfigurationError);
  });
});

describe('readManifest', () => {
  const valid = { version: 1, ...manifestBase, files: [{ path: 'outputs/a.txt', size: 1, sha256: sha256('a') }] };

  it('reads a valid manifest', async () => {
    const path = join(scratch, 'valid-manifest.json');
    await writeFile(path, JSON.stringify(valid));
    expect(await readManifest(path)).toEqual(valid);
  });

  it.each([
    ['version', { ...valid, version: 2 }, /unsupported version 2/],
    ['absolute path', { ...valid, files: [{ ...valid.files[0], path: '/etc/passwd' }] }, /escapes the artifact/],
    ['dot-dot inside', { ...valid, files: [{ ...valid.files[0], path: 'a/../../b' }] }, /escapes the artifact/],
    ['backslash', { ...valid, files: [{ ...valid.files[0], path: '..\\b' }] }, /escapes the artifact/],
    ['drive letter', { ...valid, files: [{ ...valid.files[0], path: 'C:/x' }] }, /escapes the artifact/],
    ['duplicate', { ...valid, files: [valid.files[0], valid.files[0]] }, /listed twice/],
    ['bad sha', { ...valid, files: [{ ...valid.files[0], sha256: 'xyz' }] }, /sha256 must be 64 lowercase hex/],
    ['negative size', { ...valid, files: [{ ...valid.files[0], size: -1 }] }, /size must be a non-negative integer/],
    ['missing node', { ...valid, node: undefined }, /"node" must be a non-empty string/],
    ['bad status', { ...valid, status: 'done' }, /"status" must be one of/],
    ['bad parameter', { ...valid, parameters: { x: { nested: 1 } } }, /parameter "x" has an unsupported value/],
    ['bad metadata', { ...valid, metadata: { latest: {}, events: [{ values: {} }] } }, /metadata.events\[0\]/],
  ])('rejects %s', async (_label, manifest, message) => {
    const path = join(scratch, `manifest-${_label.replace(/\W/g, '-')}.json`);
    await writeFile(path, JSON.stringify(manifest));
    await expect(readManifest(path)).rejects.toThrow(message);
    await expect(readManifest(path)).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('rejects text that is not JSON', async () => {
    const path = join(scratch, 'not-json.json');
    await writeFile(path, '{"version": 1,');
    await expect(readManifest(path)).rejects.toThrow(/not valid JSON/);
  });
});
