/**
 * Inputs and outputs with real valohai-utils steps: a glob edge with `keep-directories`, same-named files
 * in two folders (kept apart, or a failure naming both where Valohai would flatten), outputs in
 * subfolders, `*` crossing `/` as fnmatch does, an edge matching nothing, both metadata logger forms, and
 * output-properties sidecars becoming the outputs' metadata.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALOHAI_UTILS_PYTHONPATH, valohaiUtilsMissing } from './peers.js';
import { executionOf, pythonProject, type PythonProject } from './project.js';
import type { RunEvent } from '../../src/exec/scheduler.js';
import type { RunRecord } from '../../src/store/runs.js';

const ENV = `
    environment-variables:
      - {name: PYTHONPATH, default: "${VALOHAI_UTILS_PYTHONPATH}"}`;

const YAML = `
- step:
    name: make
    image: python:3.12
    command: python3 make.py${ENV}
- step:
    name: use
    image: python:3.12
    command: python3 use.py${ENV}
    inputs:
      - {name: images, keep-directories: suffix}
      - {name: model}
      - {name: nothing, optional: true}
- step:
    name: flat
    image: python:3.12
    command: python3 use.py${ENV}
    inputs:
      - {name: images}
- step:
    name: local
    image: python:3.12
    command: python3 local.py${ENV}
    inputs:
      - {name: data, default: data/, keep-directories: suffix}
- step:
    name: local-flat
    image: python:3.12
    command: python3 local.py${ENV}
    inputs:
      - {name: data, default: data/}
- pipeline:
    name: kept
    nodes:
      - {name: make, type: execution, step: make}
      - {name: use, type: execution, step: use}
      - {name: local, type: execution, step: local}
    edges:
      - [make.output.images/*, use.input.images]
      - [make.output.*.pkl, use.input.model]
      - [make.output.*.onnx, use.input.nothing]
- pipeline:
    name: flattened
    nodes:
      - {name: make, type: execution, step: make}
      - {name: flat, type: execution, step: flat}
    edges:
      - [make.output.images/**, flat.input.images]
- pipeline:
    name: local-flattened
    nodes:
      - {name: local-flat, type: execution, step: local-flat}
    edges: []
`;

const MAKE = `
import json, os
import valohai
out = valohai.outputs()
for animal in ('cat', 'dog'):
    path = out.path(f'images/{animal}/img0.jpg')
    with open(path, 'w') as f:
        f.write(f'a {animal}')
with open(out.path('models/deep/model.pkl'), 'w') as f:
    f.write('weights')
with open(out.path('report.txt'), 'w') as f:
    f.write('fine')
with open(out.path('report.txt.metadata.json'), 'w') as f:
    json.dump({'valohai.tags': ['report'], 'pages': 1}, f)
with valohai.output_properties() as properties:
    properties.add(file='models/deep/model.pkl', properties={'valohai.alias': 'deep-model', 'accuracy': 0.9})
# Both metadata logger forms: the context manager and an explicit flush.
with valohai.metadata.logger() as logger:
    logger.log('epoch', 1)
    logger.log('accuracy', 0.5)
logger = valohai.metadata.logger()
logger.log(epoch=2, accuracy=0.75)
logger.flush()
`;

const USE = `
import json, os
import valohai
images = valohai.inputs('images')
report = {
    'all': sorted(open(p).read() for p in images.paths()),
    'cats': [open(p).read() for p in images.paths(path_filter='cat/*')],
    'names': sorted(f['name'] for f in json.load(open(os.environ['VH_CONFIG_DIR'] + '/inputs.json'))['images']['files']),
}
if 'model' in json.load(open(os.environ['VH_CONFIG_DIR'] + '/inputs.json')):
    report['model'] = open(valohai.inputs('model').path()).read()
print(json.dumps({'seen': report}))
`;

const LOCAL = `
import json
import valohai
data = valohai.inputs('data')
print(json.dumps({'seen': {'all': sorted(open(p).read() for p in data.paths()), 'a': [open(p).read() for p in data.paths(path_filter='a/*')]}}))
`;

const FILES = {
  'make.py': MAKE,
  'use.py': USE,
  'local.py': LOCAL,
  'data/a/x.txt': 'first x',
  'data/b/x.txt': 'second x',
};

describe.skipIf(valohaiUtilsMissing !== undefined)('inputs that never lose a file, with valohai-utils', () => {
  let project: PythonProject;
  let run: RunRecord;
  const events: RunEvent[] = [];
  beforeAll(async () => {
    project = await pythonProject(YAML, FILES);
    run = await project.run('kept', { onEvent: (event) => events.push(event) });
  }, 180_000);
  afterAll(async () => project?.cleanup());

  it('keeps same-named files of two folders apart with keep-directories, and inputs.json names carry the path', () => {
    expect(run.status, run.reason).toBe('succeeded');
    const seen = executionOf(run, 'use').latestMetadata['seen'] as Record<string, unknown>;
    expect(seen['all']).toEqual(['a cat', 'a dog']);
    expect(seen['cats']).toEqual(['a cat']);
    expect(seen['names']).toEqual(['cat/img0.jpg', 'dog/img0.jpg']);
  });

  it('matches edges like fnmatch: `*.pkl` takes a model in a subfolder', () => {
    const seen = executionOf(run, 'use').latestMetadata['seen'] as Record<string, unknown>;
    expect(seen['model']).toBe('weights');
    expect(executionOf(run, 'make').outputs.map((o) => o.path)).toContain('models/deep/model.pkl');
  });

  it('warns when an edge matches none of its source outputs', () => {
    const notices = events.filter((e) => e.kind === 'notice').map((e) => (e.kind === 'notice' ? e.message : ''));
    expect(notices.some((m) => m.includes('make.output.*.onnx') && m.includes('matches none of make'))).toBe(true);
  });

  it('keeps local folder files apart with keep-directories: suffix', () => {
    const seen = executionOf(run, 'local').latestMetadata['seen'] as Record<string, unknown>;
    expect(seen['all']).toEqual(['first x', 'second x']);
    expect(seen['a']).toEqual(['first x']);
  });

  it('takes both metadata logger forms; the last value wins', () => {
    const make = executionOf(run, 'make');
    expect(make.latestMetadata).toMatchObject({ epoch: 2, accuracy: 0.75 });
    expect(make.metadata?.filter((event) => 'epoch' in event.values)).toHaveLength(2);
  });

  it('turns output-properties sidecars into the outputs\u2019 metadata, not outputs', async () => {
    const make = executionOf(run, 'make');
    const paths = make.outputs.map((o) => o.path).sort();
    expect(paths).toEqual(['images/cat/img0.jpg', 'images/dog/img0.jpg', 'models/deep/model.pkl', 'report.txt']);
    expect(make.outputs.find((o) => o.path === 'models/deep/model.pkl')?.properties).toEqual({ 'valohai.alias': 'deep-model', accuracy: 0.9 });
    expect(make.outputs.find((o) => o.path === 'report.txt')?.properties).toEqual({ 'valohai.tags': ['report'], pages: 1 });
    // The record on disk carries them too.
    const record = JSON.parse(await readFile(`${project.projectDir}/runs/${run.id}/run.json`, 'utf8').catch(() => '{}')) as RunRecord;
    if (record.nodes) expect(record.nodes['make']?.executions[0]?.outputs.find((o) => o.path === 'report.txt')?.properties).toBeDefined();
  });

  it('fails, naming both files, where Valohai would flatten two same-named files (edge)', async () => {
    const failed = await project.run('flattened');
    expect(failed.status).toBe('failed');
    const reason = `${failed.reason ?? ''} ${failed.nodes['flat']?.reason ?? ''}`;
    expect(reason).toContain('images/cat/img0.jpg');
    expect(reason).toContain('images/dog/img0.jpg');
    expect(reason).toContain('keep-directories');
  }, 120_000);

  it('fails, naming both files, where Valohai would flatten two same-named files (local folder)', async () => {
    const failed = await project.run('local-flattened');
    expect(failed.status).toBe('failed');
    const reason = `${failed.reason ?? ''} ${failed.nodes['local-flat']?.reason ?? ''}`;
    expect(reason).toMatch(/data\/a\/x\.txt.*data\/b\/x\.txt/);
  }, 120_000);
});
