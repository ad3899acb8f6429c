import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import { findHardcodedValohaiPaths, linkValohaiPaths, unlinkValohaiPaths } from '../../src/exec/valohai-paths.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { step, workspace } from './helpers.js';

describe('findHardcodedValohaiPaths', () => {
  test.each<[string, string[]]>([
    ['python train.py --data /valohai/inputs/train/data.csv', ['/valohai/inputs/train/data.csv']],
    ['cp model.pkl /valohai/outputs/', ['/valohai/outputs/']],
    ['ls /valohai/outputs; cat /valohai/config/parameters.json', ['/valohai/outputs', '/valohai/config/parameters.json']],
    ['tar -xf "/valohai/inputs/x/a.tar" -C /valohai/repository', ['/valohai/inputs/x/a.tar', '/valohai/repository']],
    ['echo /valohai/outputs/a && echo /valohai/outputs/a', ['/valohai/outputs/a']],
    ['python train.py --out "$VH_OUTPUTS_DIR"', []],
    ['ls /home/valohai/inputs /data/valohai/outputs', []],
    ['ls /valohai/other', []],
  ])('%s', (script, expected) => {
    expect(findHardcodedValohaiPaths(script)).toEqual(expected);
  });
});

describe('linkValohaiPaths', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-vhroot-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('creates an owned root and links the folders, relinks and unlinks', async () => {
    const vh = join(root, 'valohai');
    await linkValohaiPaths(join(root, 'exec1'), join(root, 'repo'), vh);
    expect(await readlink(join(vh, 'inputs'))).toBe(join(root, 'exec1', 'inputs'));
    expect(await readlink(join(vh, 'outputs'))).toBe(join(root, 'exec1', 'outputs'));
    expect(await readlink(join(vh, 'config'))).toBe(join(root, 'exec1', 'config'));
    expect(await readlink(join(vh, 'repository'))).toBe(join(root, 'repo'));
    await linkValohaiPaths(join(root, 'exec2'), join(root, 'repo'), vh);
    expect(await readlink(join(vh, 'outputs'))).toBe(join(root, 'exec2', 'outputs'));
    await unlinkValohaiPaths(vh);
    await expect(readlink(join(vh, 'outputs'))).rejects.toThrow();
  });

  test('refuses a root it did not create', async () => {
    const vh = join(root, 'valohai');
    await mkdir(join(vh, 'outputs'), { recursive: true });
    await expect(linkValohaiPaths(join(root, 'e'), join(root, 'repo'), vh)).rejects.toThrow(ConfigurationError);
  });

  test('refuses an owned root holding something else', async () => {
    const vh = join(root, 'valohai');
    await linkValohaiPaths(join(root, 'e'), join(root, 'repo'), vh);
    await writeFile(join(vh, 'stray.txt'), 'x');
    await expect(linkValohaiPaths(join(root, 'e'), join(root, 'repo'), vh)).rejects.toThrow(/stray\.txt/);
  });

  test('an execution with hard-coded paths works when linking is on', async () => {
    const ws = await workspace();
    try {
      const vh = join(ws.root, 'valohai');
      const s = step(['printf ok > /valohai/outputs/result.txt'.replace('/valohai', vh), `cat ${vh}/config/execution.json > /dev/null`]);
      const warnings: string[] = [];
      const req = ws.request(s);
      const result = await runExecution(req, { valohaiRoot: vh, onWarning: (m) => warnings.push(m) });
      expect(result.status).toBe('succeeded');
      expect(result.outputs.map((o) => o.path)).toEqual(['result.txt']);
      expect(await readFile(join(req.executionDir, 'outputs', 'result.txt'), 'utf8')).toBe('ok');
      await expect(readlink(join(vh, 'outputs'))).rejects.toThrow();
    } finally {
      await ws.cleanup();
    }
  });
});
