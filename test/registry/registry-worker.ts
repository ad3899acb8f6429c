/**
 * Run as a separate process by local.test.ts: registers versions and moves an alias in the registry at
 * argv[2], to show that version numbers and alias moves stay consistent under concurrent processes.
 * argv[3]: a label written into each file; argv[4]: how many versions to register.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalRegistry } from '../../src/registry/local.js';

const [projectDir = '', label = 'w', countText = '3'] = process.argv.slice(2);
const registry = new LocalRegistry(projectDir, { actor: label });
const folder = await mkdtemp(join(tmpdir(), 'registry-worker-'));
const numbers: number[] = [];
for (let i = 0; i < Number(countText); i++) {
  const file = join(folder, `model-${i}.json`);
  await writeFile(file, JSON.stringify({ label, i }));
  const version = await registry.register({ name: 'shared', files: [{ path: 'model.json', localPath: file }], metrics: { accuracy: i / 10 } });
  numbers.push(version.version);
  await registry.promote('shared', 'production', { kind: 'version', version: version.version }, `${label} ${i}`);
}
process.stdout.write(`${JSON.stringify(numbers)}\n`);
