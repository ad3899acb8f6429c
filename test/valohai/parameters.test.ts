/**
 * Real Python steps importing Valohai's valohai-utils read every parameter back with the right Python
 * type: after defaults as YAML writes them (`2.0`, `1e-4`), after `--param`, after metadata and parameter
 * edges. valohai-utils types its argument parser from parameters.json, so a float written `2` crashes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALOHAI_UTILS_PYTHONPATH, valohaiUtilsMissing } from './peers.js';
import { executionOf, pythonProject, type PythonProject } from './project.js';
import type { RunRecord } from '../../src/store/runs.js';


/** Prints each parameter's Python type and value as valohai-utils returns it, as one metadata line. */
const PRINT_TYPES = `
import json, sys
import valohai
with open(__import__('os').environ['VH_CONFIG_DIR'] + '/parameters.json') as f:
    names = list(json.load(f))
seen = {}
for name in names:
    value = valohai.parameters(name).value
    seen[name] = [type(value).__name__, value]
print(json.dumps({'types': seen}))
`;

const YAML = `
- step:
    name: produce
    image: python:3.12
    command: python3 produce.py {parameters}
    environment-variables:
      - {name: PYTHONPATH, default: "${VALOHAI_UTILS_PYTHONPATH}"}
    parameters:
      - {name: scale, type: float, default: 2.0}
      - {name: ratio, type: float, default: 0.5}
      - {name: lr, type: float, default: 1e-4}
      - {name: epochs, type: integer, default: 3}
      - {name: label, type: string, default: abc}
      - {name: verbose, type: flag, default: true}
      - {name: quiet, type: flag, default: false}
      - {name: layers, type: integer, multiple: separate, default: [1, 2]}
      - {name: tags, type: string, multiple: repeat, default: x}
- step:
    name: consume
    image: python:3.12
    command: python3 consume.py {parameters}
    environment-variables:
      - {name: PYTHONPATH, default: "${VALOHAI_UTILS_PYTHONPATH}"}
    parameters:
      - {name: best, type: float, default: 0.5}
      - {name: ratio, type: float, default: 0.25}
      - {name: steps, type: integer, default: 1}
- pipeline:
    name: typed
    nodes:
      - {name: produce, type: execution, step: produce}
      - {name: consume, type: execution, step: consume}
    edges:
      - [produce.metadata.best, consume.parameter.best]
      - [produce.parameter.ratio, consume.parameter.ratio]
`;

const PRODUCE = `${PRINT_TYPES}
with valohai.metadata.logger() as logger:
    logger.log('best', 1.0)
`;

describe.skipIf(valohaiUtilsMissing !== undefined)('typed config files read by valohai-utils', () => {
  let project: PythonProject;
  let run: RunRecord;
  beforeAll(async () => {
    project = await pythonProject(YAML, { 'produce.py': PRODUCE, 'consume.py': PRINT_TYPES }, { git: true });
    run = await project.run('typed', {
      parameters: { 'produce.ratio': '1', 'produce.tags': 'a', 'consume.steps': '7' },
    });
    // Repeated --param for a `multiple` parameter arrives as a JSON list (cliParameterPairs).
  }, 120_000);
  afterAll(async () => project?.cleanup());

  it('gives every type back as Python types it, defaults and --param alike', () => {
    expect(run.status, run.reason).toBe('succeeded');
    const types = executionOf(run, 'produce').latestMetadata['types'];
    expect(types).toEqual({
      scale: ['float', 2],
      ratio: ['float', 1],
      lr: ['float', 0.0001],
      epochs: ['int', 3],
      label: ['str', 'abc'],
      verbose: ['bool', true],
      quiet: ['bool', false],
      // valohai-utils splits a list parameter's command-line value on commas, as strings.
      layers: ['list', ['1', '2']],
      tags: ['list', ['a']],
    });
  });

  it('writes floats as floats and casts 1e-4, in parameters.json and in the command alike', async () => {
    const produce = executionOf(run, 'produce');
    expect(produce.command).toContain("--scale=2.0 --ratio=1.0 --lr=0.0001 --epochs=3 --label=abc --verbose --layers=1,2 --tags=a");
    const file = await project.config(run, 'produce', 'parameters.json');
    expect(file).toEqual({ scale: 2, ratio: 1, lr: 0.0001, epochs: 3, label: 'abc', verbose: true, quiet: false, layers: [1, 2], tags: ['a'] });
  });

  it('types values arriving over metadata and parameter edges by the target parameter', async () => {
    const consume = executionOf(run, 'consume');
    expect(consume.latestMetadata['types']).toEqual({ best: ['float', 1], ratio: ['float', 1], steps: ['int', 7] });
    expect(consume.command).toContain('--best=1.0 --ratio=1.0 --steps=7');
  });

  it('fills execution.json with title, project, commit and counter', async () => {
    const execution = (await project.config(run, 'produce', 'execution.json')) as Record<string, unknown>;
    expect(execution['valohai.execution-title']).toBe('produce (produce)');
    expect(execution['valohai.project-name']).toEqual(expect.stringMatching(/^mlops-valohai-/));
    expect(execution['valohai.commit-identifier']).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof execution['valohai.execution-counter']).toBe('number');
    expect(execution['valohai.execution-step']).toBe('produce');
  });
});

describe.skipIf(valohaiUtilsMissing !== undefined)('several values for a multiple parameter', () => {
  it('takes repeated --param values (or a JSON list) as the list', async () => {
    const project = await pythonProject(YAML, { 'produce.py': PRODUCE, 'consume.py': PRINT_TYPES });
    try {
      const { cliParameterPairs } = await import('../../src/exec/config-files.js');
      const run = await project.run('typed', {
        parameters: cliParameterPairs(['produce.tags=a', 'produce.tags=b', 'produce.layers=[4, 5, 6]']),
      });
      expect(run.status, run.reason).toBe('succeeded');
      const produce = executionOf(run, 'produce');
      expect(produce.command).toContain('--layers=4,5,6 --tags=a --tags=b');
      expect(await project.config(run, 'produce', 'parameters.json')).toMatchObject({ layers: [4, 5, 6], tags: ['a', 'b'] });
    } finally {
      await project.cleanup();
    }
  }, 120_000);
});
