/**
 * Code that writes `/valohai/outputs/...` by literal path (as both public scikit-learn examples do) works
 * without containers: each execution gets a private mount namespace with `/valohai` bound to its folders,
 * and the host's `/valohai` stays untouched. Where no namespace can be made, the execution fails with a
 * message naming `/valohai` instead of "succeeding" with no outputs.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExecution } from '../../src/exec/execution.js';
import { namespaceSupport, resetNamespaceProbe } from '../../src/exec/namespace.js';
import { step, workspace } from '../exec/helpers.js';

/** Python that writes Valohai's fixed paths, and never creates /valohai itself. */
const HARDCODED = `
import json, os
try:
    os.makedirs('/valohai/outputs/models', exist_ok=True) if os.path.isdir('/valohai/outputs') else None
    with open('/valohai/outputs/models/model.txt', 'w') as f:
        f.write(open('/valohai/inputs/data/rows.csv').read().upper())
    print(json.dumps({'params': json.load(open('/valohai/config/parameters.json')), 'cwd': os.getcwd() == os.environ['VH_REPOSITORY_DIR']}))
except OSError as error:
    print('could not write:', error)
`;

const support = await namespaceSupport();

describe('/valohai paths in code', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    delete process.env['MLOPS_VALOHAI_NAMESPACE'];
    resetNamespaceProbe();
  });

  const hostHadValohai = existsSync('/valohai');

  it.skipIf(!support.available)('records what code writes to /valohai/outputs by literal path, leaving the host /valohai alone', async () => {
    const ws = await workspace();
    cleanups.push(ws.cleanup);
    await writeFile(join(ws.repositoryDir, 'train.py'), HARDCODED);
    await writeFile(join(ws.root, 'rows.csv'), 'a,b\n');
    const s = step('python3 train.py', {
      parameters: [{ name: 'lr', type: 'float', default: 2, optional: false, multiple: 'none', multipleSeparator: ',', position: { file: 'v', line: 1, col: 1 } }],
      outputs: [{ name: 'models/model.txt' }],
    });
    const result = await runExecution(ws.request(s, { inputs: { data: [{ relativePath: 'rows.csv', source: { kind: 'path', path: join(ws.root, 'rows.csv') } }] } }));
    expect(result.status, result.reason).toBe('succeeded');
    expect(result.outputs.map((o) => o.path)).toEqual(['models/model.txt']);
    expect(result.latestMetadata).toEqual({ params: { lr: 2 }, cwd: true });
    expect(await readFile(join(ws.root, 'executions', 'e1', 'outputs', 'models', 'model.txt'), 'utf8')).toBe('A,B\n');
    expect(existsSync('/valohai')).toBe(hostHadValohai);
  }, 60_000);

  it.skipIf(!support.available || process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).status !== 0)(
    'works for an unprivileged user too (user namespace), files owned by that user',
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'mlops-ns-user-'));
      cleanups.push(() => rm(root, { recursive: true, force: true }));
      const repo = join(root, 'repo');
      await mkdir(join(root, 'exec', 'outputs'), { recursive: true });
      await mkdir(join(root, 'exec', 'inputs'));
      await mkdir(join(root, 'exec', 'config'));
      await mkdir(repo);
      await writeFile(join(repo, 'cmd.sh'), 'id -u > /valohai/outputs/uid.txt\n');
      spawnSync('chown', ['-R', '65534:65534', root]);
      const { namespaceInvocation } = await import('../../src/exec/namespace.js');
      // The same wrapper as the executor builds, for uid 65534 (a user namespace, the command run as that user).
      const invocation = await namespaceInvocation({ command: '/bin/sh', args: ['cmd.sh'] }, { executionDir: join(root, 'exec'), repositoryDir: repo }, { uid: 65534, gid: 65534 });
      const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', invocation.command, ...invocation.args], { cwd: repo, encoding: 'utf8' });
      await invocation.cleanup();
      expect(result.status, result.stderr).toBe(0);
      expect((await readFile(join(root, 'exec', 'outputs', 'uid.txt'), 'utf8')).trim()).toBe('65534');
      expect(existsSync('/valohai')).toBe(hostHadValohai);
    },
    60_000,
  );

  it('without a namespace, fails naming /valohai when declared outputs never arrive', async () => {
    process.env['MLOPS_VALOHAI_NAMESPACE'] = 'off';
    resetNamespaceProbe();
    const ws = await workspace();
    cleanups.push(ws.cleanup);
    await writeFile(join(ws.repositoryDir, 'train.py'), HARDCODED);
    await writeFile(join(ws.root, 'rows.csv'), 'a,b\n');
    const s = step('python3 train.py', { outputs: [{ name: 'models/model.txt' }] });
    // The host's /valohai is only read here (the code never creates it), so the default root is safe.
    const result = await runExecution(ws.request(s, { inputs: { data: [{ relativePath: 'rows.csv', source: { kind: 'path', path: join(ws.root, 'rows.csv') } }] } }));
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('/valohai');
    expect(result.reason).toContain('models/model.txt');
    expect(result.reason).toContain('$VH_OUTPUTS_DIR');
  }, 60_000);

  it('without a namespace, fails naming the host folder when the code wrote there', async () => {
    process.env['MLOPS_VALOHAI_NAMESPACE'] = 'off';
    resetNamespaceProbe();
    const ws = await workspace();
    cleanups.push(ws.cleanup);
    const hostRoot = join(ws.root, 'host-valohai');
    await mkdir(join(hostRoot, 'outputs'), { recursive: true });
    const s = step(`echo model > ${hostRoot}/outputs/model.bin`);
    const result = await runExecution(ws.request(s), { hostValohaiRoot: hostRoot });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain(`${hostRoot}/outputs/model.bin`);
    expect(result.reason).toContain(`machine's ${hostRoot}`);
  }, 60_000);
});
