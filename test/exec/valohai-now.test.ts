/**
 * The answers about `/valohai` that an execution reads between its turn and its process start without
 * waiting (namespace.ts: privateValohaiNow, watchHostValohaiNow) are the ones the awaited calls give, and
 * where they cannot tell at once they say so.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateValohai, privateValohaiNow, repositoryMentionsValohai, watchHostValohai, watchHostValohaiNow } from '../../src/exec/namespace.js';

describe('what an execution knows about /valohai without waiting', () => {
  const folders: string[] = [];
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });
  const folder = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-valohai-now-'));
    folders.push(dir);
    return dir;
  };

  it('tells a private /valohai is not wanted only once the repository was scanned and found silent', async () => {
    const silent = await folder();
    await writeFile(join(silent, 'train.py'), 'print("hello")\n');
    const use = { script: 'python train.py', repositoryDir: silent };
    const auto = { valohaiNamespace: 'auto' as const };
    expect(privateValohaiNow(auto, use)).toBeUndefined();
    expect(await repositoryMentionsValohai(silent)).toBe(false);
    expect(privateValohaiNow(auto, use)).toBe(false);
    expect(await privateValohai(auto, use)).toBe(false);
    // A command or a mode that may want one is left to privateValohai (it probes the machine).
    expect(privateValohaiNow(auto, { ...use, script: 'cat /valohai/inputs/x' })).toBeUndefined();
    expect(privateValohaiNow({ valohaiNamespace: 'always' }, use)).toBeUndefined();
    expect(privateValohaiNow({ valohaiNamespace: 'off' }, use)).toBe(false);
    expect(privateValohaiNow({ container: {} }, use)).toBe(false);

    const mentions = await folder();
    await writeFile(join(mentions, 'train.py'), 'open("/valohai/outputs/model.txt", "w")\n');
    expect(await repositoryMentionsValohai(mentions)).toBe(true);
    expect(privateValohaiNow(auto, { script: 'python train.py', repositoryDir: mentions })).toBeUndefined();
  });

  it('watches a missing host root at once, and catches what a step then writes there as the awaited watch does', async () => {
    const root = join(await folder(), 'valohai');
    const now = watchHostValohaiNow({ hostValohaiRoot: root });
    const awaited = await watchHostValohai({ hostValohaiRoot: root });
    if (typeof now !== 'function' || awaited === undefined) throw new Error(`expected a check, got ${String(now)}`);
    expect(await now([], [])).toBeUndefined();
    await mkdir(join(root, 'outputs'), { recursive: true });
    await writeFile(join(root, 'outputs', 'model.txt'), 'x');
    const reason = await now([], []);
    expect(reason).toContain(join(root, 'outputs', 'model.txt'));
    expect(reason).toBe(await awaited([], []));
    // An existing root needs its snapshot taken (a walk): left to watchHostValohai.
    expect(watchHostValohaiNow({ hostValohaiRoot: root })).toBe('pending');
    expect(watchHostValohaiNow({ hostValohaiRoot: root, container: {} })).toBeUndefined();
    expect(watchHostValohaiNow({ hostValohaiRoot: root, valohaiNamespace: 'off' })).toBeUndefined();
  });
});
