import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ContentStore, hashFile } from '../../src/store/content-store.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlops-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describe('ContentStore', () => {
  test('adds a file under sha256/ab/<digest>, read-only, and leaves the source intact', async () => {
    const store = new ContentStore(join(root, 'store'));
    const source = join(root, 'data.txt');
    await writeFile(source, 'hello');
    const stored = await store.add(source);
    expect(stored).toEqual({ sha256: sha('hello'), size: 5 });
    const path = store.pathOf(stored.sha256);
    expect(path).toBe(join(root, 'store', 'sha256', stored.sha256.slice(0, 2), stored.sha256));
    expect(await readFile(path, 'utf8')).toBe('hello');
    expect((await stat(path)).mode & 0o777).toBe(0o444);
    expect(await readFile(source, 'utf8')).toBe('hello');
    expect((await stat(source)).ino).not.toBe((await stat(path)).ino);
    expect(await store.has(stored.sha256)).toBe(true);
    expect(await store.has(sha('other'))).toBe(false);
  });

  test('hashes large files in streaming fashion', async () => {
    const store = new ContentStore(join(root, 'store'));
    const big = Buffer.alloc(5 * 1024 * 1024 + 3, 7);
    const source = join(root, 'big.bin');
    await writeFile(source, big);
    expect(await store.add(source)).toEqual({ sha256: sha(big), size: big.length });
    expect(await hashFile(store.pathOf(sha(big)))).toEqual({ sha256: sha(big), size: big.length });
  });

  test('link mode shares the inode with the source', async () => {
    const store = new ContentStore(join(root, 'store'));
    const source = join(root, 'out.bin');
    await writeFile(source, 'output');
    const stored = await store.add(source, { link: true });
    expect((await stat(source)).ino).toBe((await stat(store.pathOf(stored.sha256))).ino);
  });

  test('a file already present is not written again', async () => {
    const store = new ContentStore(join(root, 'store'));
    const first = join(root, 'a');
    const second = join(root, 'b');
    await writeFile(first, 'same');
    await writeFile(second, 'same');
    const a = await store.add(first, { link: true });
    const inode = (await stat(store.pathOf(a.sha256))).ino;
    const b = await store.add(second, { link: true });
    expect(b).toEqual(a);
    expect((await stat(store.pathOf(a.sha256))).ino).toBe(inode);
    expect((await stat(second)).nlink).toBe(1);
  });

  test('materialise with mode link hardlinks: same inode as the store file', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'src'), 'content');
    const { sha256 } = await store.add(join(root, 'src'));
    const dest = join(root, 'exec', 'inputs', 'data', 'sub', 'file.txt');
    expect(await store.materialise(sha256, dest, { mode: 'link' })).toBe('link');
    expect((await stat(dest)).ino).toBe((await stat(store.pathOf(sha256))).ino);
    expect(await readFile(dest, 'utf8')).toBe('content');
    // Materialising again replaces the file instead of failing.
    expect(await store.materialise(sha256, dest, { mode: 'link' })).toBe('link');
  });

  test('materialise isolates by default: a small file is a clone or a copy, never the store inode', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'src'), 'content');
    const { sha256 } = await store.add(join(root, 'src'));
    const dest = join(root, 'exec', 'inputs', 'data', 'file.txt');
    expect(['reflink', 'copy']).toContain(await store.materialise(sha256, dest));
    expect((await stat(dest)).ino).not.toBe((await stat(store.pathOf(sha256))).ino);
    await writeFile(dest, 'changed');
    expect(await readFile(store.pathOf(sha256), 'utf8')).toBe('content');
  });

  test('a changed object is found with one stat, re-hashed, quarantined and never handed out', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'src'), 'content');
    const { sha256 } = await store.add(join(root, 'src'));
    expect((await stat(store.pathOf(sha256))).mtime.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    expect(await store.isIntact(sha256, 7)).toBe(true);
    await writeFile(store.pathOf(sha256), 'CONTENT');
    expect(await store.isIntact(sha256)).toBe(false);
    expect(await store.has(sha256)).toBe(false);
    expect((await readdir(join(root, 'store', 'quarantine')))[0]).toMatch(new RegExp(`^${sha256}\\.`));
    await expect(store.materialise(sha256, join(root, 'dest'))).rejects.toThrow(/has no file/);
    // Adding the good bytes again repairs the store.
    expect((await store.add(join(root, 'src'))).sha256).toBe(sha256);
    expect(await readFile(store.pathOf(sha256), 'utf8')).toBe('content');
  });

  test('add with link copies a file that has other hardlinks (it stays writable and separate)', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'repo-file'), 'shared');
    const { link } = await import('node:fs/promises');
    await link(join(root, 'repo-file'), join(root, 'output'));
    const { sha256 } = await store.add(join(root, 'output'), { link: true });
    expect((await stat(store.pathOf(sha256))).ino).not.toBe((await stat(join(root, 'repo-file'))).ino);
    expect((await stat(join(root, 'repo-file'))).mode & 0o777).not.toBe(0o444);
  });

  test('materialise copies when asked to', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'src'), 'content');
    const { sha256 } = await store.add(join(root, 'src'));
    const dest = join(root, 'copy.txt');
    expect(await store.materialise(sha256, dest, { mode: 'copy' })).toBe('copy');
    expect((await stat(dest)).ino).not.toBe((await stat(store.pathOf(sha256))).ino);
    expect(await readFile(dest, 'utf8')).toBe('content');
  });

  const otherFs = '/dev/shm';
  const crossDevice = (async () => {
    try {
      return (await stat(otherFs)).dev !== (await stat(tmpdir())).dev;
    } catch {
      return false;
    }
  })();

  test('copy fallback across filesystems (EXDEV) for both add and materialise', async (context) => {
    if (!(await crossDevice)) context.skip();
    const storeRoot = await mkdtemp(join(otherFs, 'mlops-store-'));
    try {
      const store = new ContentStore(storeRoot);
      const source = join(root, 'x');
      await writeFile(source, 'across');
      const stored = await store.add(source, { link: true });
      expect(stored.sha256).toBe(sha('across'));
      expect((await stat(store.pathOf(stored.sha256))).dev).not.toBe((await stat(source)).dev);
      const dest = join(root, 'dest', 'x');
      expect(await store.materialise(stored.sha256, dest)).toBe('copy');
      expect(await readFile(dest, 'utf8')).toBe('across');
    } finally {
      await rm(storeRoot, { recursive: true, force: true });
    }
  });

  test('verify detects a corrupted store file', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'src'), 'good');
    const { sha256 } = await store.add(join(root, 'src'));
    expect(await store.verify(sha256)).toBe(true);
    const path = store.pathOf(sha256);
    await chmod(path, 0o644);
    await writeFile(path, 'bad');
    expect(await store.verify(sha256)).toBe(false);
    expect(await store.verify(sha('missing'))).toBe(false);
  });

  test('materialise of a missing file fails', async () => {
    const store = new ContentStore(join(root, 'store'));
    await expect(store.materialise(sha('nothing'), join(root, 'd'))).rejects.toThrow(/has no file/);
  });

  test('rejects names that are not sha256 digests', () => {
    const store = new ContentStore(join(root, 'store'));
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/Not a sha256/);
  });

  test('no temporary files are left behind', async () => {
    const store = new ContentStore(join(root, 'store'));
    await writeFile(join(root, 'src'), 'tidy');
    await store.add(join(root, 'src'));
    await store.add(join(root, 'src'), { link: true });
    expect(await readdir(join(root, 'store', 'tmp'))).toEqual([]);
  });
});
