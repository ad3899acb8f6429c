import { access, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import {
  decideValohaiPaths,
  describeValohaiPathsDecision,
  findHardcodedValohaiPaths,
  isOwnedValohaiRoot,
  linkValohaiPaths,
  parseValohaiPathsMode,
  prepareValohaiRoot,
  unlinkValohaiPaths,
  type ValohaiPathsMode,
} from '../../src/exec/valohai-paths.js';
import { ConfigurationError } from '../../src/util/errors.js';
import { installFakeSudo, refuseAsUnprivileged } from '../support/fake-sudo.js';
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

describe('findHardcodedValohaiPaths under another root', () => {
  test.each<[string, string, string[]]>([
    ['/tmp/x/vh', 'cp a /tmp/x/vh/outputs/a && cat /tmp/x/vh/inputs/d/b', ['/tmp/x/vh/outputs/a', '/tmp/x/vh/inputs/d/b']],
    ['/tmp/x/vh/', 'ls /tmp/x/vh/config', ['/tmp/x/vh/config']],
    // The default root is not looked for under another one, and a root is matched literally.
    ['/tmp/x/vh', 'ls /valohai/outputs /tmp/x/vhh/outputs /tmp/xyvh/outputs', []],
    ['/tmp/a+b', 'ls /tmp/a+b/outputs /tmp/aab/outputs', ['/tmp/a+b/outputs']],
  ])('%s in %s', (root, script, expected) => {
    expect(findHardcodedValohaiPaths(script, root)).toEqual(expected);
  });
});

describe('parseValohaiPathsMode', () => {
  test.each<[string, ValohaiPathsMode]>([
    ['', 'auto'],
    [' auto ', 'auto'],
    ['link', 'link'],
    ['warn', 'warn'],
  ])('"%s"', (text, mode) => {
    expect(parseValohaiPathsMode(text)).toBe(mode);
  });

  test('names the allowed values', () => {
    expect(() => parseValohaiPathsMode('always', 'valohai-paths')).toThrow(
      new ConfigurationError('input "valohai-paths" must be one of auto, link, warn, got "always"'),
    );
  });
});

describe('prepareValohaiRoot and decideValohaiPaths', () => {
  let dir: string;
  const savedPath = process.env['PATH'];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-vhprep-'));
  });
  afterEach(async () => {
    process.env['PATH'] = savedPath;
    await rm(dir, { recursive: true, force: true });
  });

  test('creates the root as the user when it can, without sudo', async () => {
    const sudo = await installFakeSudo(dir);
    process.env['PATH'] = sudo.path;
    const root = join(dir, 'a', 'valohai');
    expect(await prepareValohaiRoot(root)).toEqual({ ready: true });
    expect(await isOwnedValohaiRoot(root)).toBe(true);
    expect(await sudo.calls()).toEqual([]);
  });

  test('uses passwordless sudo (argv, no shell) when the user may not create the root', async () => {
    const sudo = await installFakeSudo(dir);
    process.env['PATH'] = sudo.path;
    const root = join(dir, 'valohai');
    expect(await prepareValohaiRoot(root, { createAsUser: refuseAsUnprivileged })).toEqual({ ready: true });
    expect(await sudo.calls()).toEqual([
      ['-n', 'mkdir', '-p', root],
      ['-n', 'chown', `${process.getuid?.()}:${process.getgid?.()}`, root],
    ]);
    expect((await stat(root)).isDirectory()).toBe(true);
    expect(await isOwnedValohaiRoot(root)).toBe(true);
    // Ready for the links.
    await linkValohaiPaths(join(dir, 'exec'), join(dir, 'repo'), root);
    expect(await readlink(join(root, 'outputs'))).toBe(join(dir, 'exec', 'outputs'));
  });

  test('says why when sudo needs a password', async () => {
    const sudo = await installFakeSudo(dir, { refuse: true });
    process.env['PATH'] = sudo.path;
    const root = join(dir, 'valohai');
    const prepared = await prepareValohaiRoot(root, { createAsUser: refuseAsUnprivileged });
    expect(prepared).toEqual({
      ready: false,
      reason: `cannot create ${root} (EACCES: permission denied, mkdir '${root}') and passwordless sudo failed too (sudo: a password is required)`,
    });
    expect(await sudo.calls()).toEqual([['-n', 'mkdir', '-p', root]]);
    await expect(access(root)).rejects.toThrow();
  });

  test('leaves a root it did not create alone, and reuses its own', async () => {
    const sudo = await installFakeSudo(dir);
    process.env['PATH'] = sudo.path;
    const foreign = join(dir, 'foreign');
    await mkdir(foreign);
    expect(await prepareValohaiRoot(foreign)).toEqual({ ready: false, reason: `${foreign} already exists and was not created by this toolkit; it is left alone` });
    const own = join(dir, 'own');
    await prepareValohaiRoot(own);
    expect(await prepareValohaiRoot(own, { createAsUser: refuseAsUnprivileged })).toEqual({ ready: true });
    expect(await sudo.calls()).toEqual([]);
  });

  test('reports a root that cannot be made for another reason (its parent is a file)', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const prepared = await prepareValohaiRoot(join(dir, 'file', 'valohai'));
    expect(prepared.ready).toBe(false);
    expect(prepared.ready === false && prepared.reason).toMatch(/^cannot create .*file\/valohai: ENOTDIR/);
  });

  test.each<[ValohaiPathsMode, boolean, string]>([
    ['auto', true, 'link'],
    ['auto', false, 'warn'],
    ['link', false, 'link'],
    ['link', true, 'link'],
    ['warn', true, 'warn'],
    ['warn', false, 'warn'],
  ])('mode %s, GitHub-hosted %s: %s', async (mode, githubHosted, action) => {
    const root = join(dir, 'valohai');
    const decision = await decideValohaiPaths(['echo a', `cp model ${root}/outputs/model`], { mode, githubHosted, root });
    expect(decision.action).toBe(action);
    expect(await isOwnedValohaiRoot(root)).toBe(action === 'link');
    if (decision.action === 'warn') {
      expect(describeValohaiPathsDecision(decision)).toMatch(
        new RegExp(`^Commands hard-code ${root}/outputs/model, but ${root} is not linked to the execution's folders: .*(not a GitHub-hosted runner|"warn")`),
      );
    }
  });

  test('does nothing for commands without hard-coded paths', async () => {
    const root = join(dir, 'valohai');
    expect(await decideValohaiPaths(['cp model "$VH_OUTPUTS_DIR"'], { mode: 'link', githubHosted: true, root })).toEqual({ action: 'none' });
    await expect(lstat(root)).rejects.toThrow();
  });

  test('falls back to a warning when the root cannot be prepared', async () => {
    const sudo = await installFakeSudo(dir, { refuse: true });
    process.env['PATH'] = sudo.path;
    const root = join(dir, 'valohai');
    const decision = await decideValohaiPaths([`ls ${root}/inputs`], { mode: 'link', githubHosted: true, root, setup: { createAsUser: refuseAsUnprivileged } });
    expect(decision).toMatchObject({ action: 'warn', paths: [`${root}/inputs`] });
    expect(describeValohaiPathsDecision(decision)).toContain('passwordless sudo failed too (sudo: a password is required)');
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
