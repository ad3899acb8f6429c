import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import { checkRelativePath, inputFilesFromDefaults, materialiseInputs, type InputsJson } from '../../src/exec/inputs.js';
import { ContentStore } from '../../src/store/content-store.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { input, step, workspace } from './helpers.js';

type Workspace = Awaited<ReturnType<typeof workspace>>;
let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.cleanup();
});

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

let server: Server;
let baseUrl: string;
const hits = new Map<string, number>();
beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('/data/')) {
      response.writeHead(200, { 'content-type': 'text/csv' });
      response.end(`served ${path}`);
    } else {
      response.writeHead(404);
      response.end('no');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function readInputsJson(executionDir: string): Promise<InputsJson> {
  return JSON.parse(await readFile(join(executionDir, 'config', 'inputs.json'), 'utf8')) as InputsJson;
}

describe('input paths', () => {
  test.each(['../x', 'a/../../x', '/etc/passwd', '', 'a\\b', 'C:/x'])('rejects %j', (path) => {
    expect(() => checkRelativePath(path, 'Input "x" file')).toThrow(ConfigurationError);
  });

  test.each([
    ['a.csv', ['a.csv']],
    ['sub/dir/a.csv', ['sub', 'dir', 'a.csv']],
    ['./a.csv', ['a.csv']],
  ])('accepts %j', (path, segments) => {
    expect(checkRelativePath(path, 'x')).toEqual(segments);
  });

  test('a relative path escaping its input folder stops the execution before it starts', async () => {
    await writeFile(join(ws.repositoryDir, 'a.csv'), 'a');
    const req = ws.request(step('touch ran'), { inputs: { data: [{ relativePath: '../../escaped.csv', source: { kind: 'path', path: 'a.csv' } }] } });
    await expect(runExecution(req)).rejects.toThrow(/leaves its folder/);
    await expect(stat(join(ws.repositoryDir, 'ran'))).rejects.toThrow();
  });

  test('a symlinked folder inside the input folder cannot lead outside', async () => {
    await writeFile(join(ws.repositoryDir, 'a.csv'), 'a');
    const executionDir = join(ws.root, 'exec');
    const outside = join(ws.root, 'outside');
    await mkdir(outside);
    await mkdir(join(executionDir, 'inputs', 'data'), { recursive: true });
    await symlink(outside, join(executionDir, 'inputs', 'data', 'sub'));
    await expect(
      materialiseInputs({
        executionDir,
        repositoryDir: ws.repositoryDir,
        inputs: { data: [{ relativePath: 'sub/a.csv', source: { kind: 'path', path: 'a.csv' } }] },
        store: new ContentStore(ws.storeDir),
        downloadCacheDir: join(ws.root, 'dl'),
      }),
    ).rejects.toThrow(/symbolic link/);
  });

  test('input names must be single folder names', async () => {
    await expect(
      materialiseInputs({
        executionDir: join(ws.root, 'exec'),
        repositoryDir: ws.repositoryDir,
        inputs: { '../evil': [] },
        store: new ContentStore(ws.storeDir),
        downloadCacheDir: join(ws.root, 'dl'),
      }),
    ).rejects.toThrow(ConfigurationError);
  });
});

describe('input sources', () => {
  test('local files and folders go through the store, are placed as copies the command cannot change the store through, and listed in inputs.json', async () => {
    await writeFile(join(ws.repositoryDir, 'train.csv'), 'rows');
    await mkdir(join(ws.repositoryDir, 'images', 'cats'), { recursive: true });
    await writeFile(join(ws.repositoryDir, 'images', 'cats', 'c1.png'), 'cat');
    await writeFile(join(ws.repositoryDir, 'images', 'd1.png'), 'dog');
    const s = step('cat "$VH_INPUTS_DIR/train/train.csv" "$VH_INPUTS_DIR/images/cats/c1.png"', {
      inputs: [input('train', { default: ['train.csv'] }), input('images', { default: ['images/'] })],
    });
    const lines: string[] = [];
    const req = ws.request(s, { onLine: (line) => lines.push(line) });
    const result = await runExecution(req);
    expect(result.status).toBe('succeeded');
    expect(lines).toEqual(['rowscat']);
    const store = new ContentStore(ws.storeDir);
    const placed = join(req.executionDir, 'inputs', 'train', 'train.csv');
    // Small files are cloned or copied (content-store.ts): not the store's inode.
    expect((await stat(placed)).ino).not.toBe((await stat(store.pathOf(sha('rows')))).ino);
    expect(await readFile(placed, 'utf8')).toBe('rows');
    // The repository file is copied into the store, never shared with it.
    expect((await stat(join(ws.repositoryDir, 'train.csv'))).ino).not.toBe((await stat(placed)).ino);
    const inputsJson = await readInputsJson(req.executionDir);
    expect(inputsJson.train?.files).toEqual([
      { name: 'train.csv', path: placed, size: 4, uri: `file://${join(ws.repositoryDir, 'train.csv')}`, checksums: { sha256: sha('rows') }, metadata: [] },
    ]);
    expect(inputsJson.images?.files.map((file) => [file.name, file.path])).toEqual([
      // `name` carries the path inside the input folder, as valohai-utils' path_filter needs.
      ['cats/c1.png', join(req.executionDir, 'inputs', 'images', 'cats', 'c1.png')],
      ['d1.png', join(req.executionDir, 'inputs', 'images', 'd1.png')],
    ]);
  });

  test('store sources are materialised by hardlink; a sha256 mismatch fails the execution', async () => {
    await writeFile(join(ws.root, 'model.bin'), 'weights');
    const store = new ContentStore(ws.storeDir);
    const { sha256 } = await store.add(join(ws.root, 'model.bin'));
    const s = step('cat "$VH_INPUTS_DIR/model/m/model.bin"');
    const lines: string[] = [];
    const ok = await runExecution(
      ws.request(s, { inputs: { model: [{ relativePath: 'm/model.bin', source: { kind: 'store', sha256 }, sha256 }] }, onLine: (l) => lines.push(l) }),
    );
    expect(ok.status).toBe('succeeded');
    expect(lines).toEqual(['weights']);

    const wrong = sha('something else');
    const bad = await runExecution(ws.request(s, { inputs: { model: [{ relativePath: 'model.bin', source: { kind: 'store', sha256 }, sha256: wrong }] } }));
    expect(bad.status).toBe('failed');
    expect(bad.exitCode).toBeNull();
    expect(bad.reason).toContain(`expected ${wrong}`);
  });

  test('http inputs are cached; without ETag, Last-Modified or size to revalidate with, they are fetched again', async () => {
    const url = `${baseUrl}/data/once.csv`;
    const s = step('cat "$VH_INPUTS_DIR/data/once.csv"', { inputs: [input('data', { default: [url] })] });
    for (let i = 0; i < 2; i += 1) {
      const lines: string[] = [];
      const req = ws.request(s, { onLine: (line) => lines.push(line) });
      const result = await runExecution(req);
      expect(result.status).toBe('succeeded');
      expect(lines).toEqual(['served /data/once.csv']);
      const files = (await readInputsJson(req.executionDir)).data?.files ?? [];
      expect(files[0]?.checksums.sha256).toBe(sha('served /data/once.csv'));
      expect(files[0]?.uri).toBe(url);
    }
    expect(hits.get('/data/once.csv')).toBe(2);
  });

  test('a downloaded file with the wrong sha256 fails the execution', async () => {
    const url = `${baseUrl}/data/checked.csv`;
    const result = await runExecution(
      ws.request(step('touch ran'), { inputs: { data: [{ relativePath: 'checked.csv', source: { kind: 'url', url }, sha256: sha('expected') }] } }),
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/sha256 is [0-9a-f]{64}, expected/);
    await expect(stat(join(ws.repositoryDir, 'ran'))).rejects.toThrow();
  });

  test('an HTTP error fails the execution with the status', async () => {
    const result = await runExecution(ws.request(step('true'), { inputs: { data: [{ relativePath: 'x', source: { kind: 'url', url: `${baseUrl}/missing` } }] } }));
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('HTTP 404');
  });

  test.each(['s3://bucket/train.csv', 'gs://bucket/x', 'azure://acc/c/b', 'datum://abc', 'dataset://{parameter:name}_train/latest', 'model://m/1'])(
    'unsupported scheme %s names the input and says to use --input',
    async (url) => {
      const s = step('true', { inputs: [input('train', { default: [url] })] });
      const error = await runExecution(ws.request(s, { parameters: { name: 'mnist' } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      const scheme = url.slice(0, url.indexOf(':'));
      expect(message).toContain('Input "train"');
      expect(message).toContain(`${scheme}://`);
      expect(message).toContain('--input train=');
      if (url.startsWith('dataset')) expect(message).toContain('dataset://mnist_train/latest');
    },
  );

  test('a required input with no default and no file is a configuration error', async () => {
    const s = step('true', { inputs: [input('train')] });
    await expect(runExecution(ws.request(s))).rejects.toThrow(/--input train=/);
    const optional = step('true', { inputs: [input('train', { optional: true })] });
    expect((await runExecution(ws.request(optional))).status).toBe('succeeded');
  });

  test('filename renames a single default file', async () => {
    await writeFile(join(ws.repositoryDir, 'raw.csv'), 'x');
    const files = await inputFilesFromDefaults(input('data', { default: ['raw.csv'], filename: 'data.csv' }), ws.repositoryDir);
    expect(files).toEqual([{ relativePath: 'data.csv', source: { kind: 'path', path: join(ws.repositoryDir, 'raw.csv') } }]);
  });
});
