import { describe, expect, test } from 'vitest';
import { formatDiagnostic, hasErrors } from '../../src/pipeline/diagnostics.js';
import { parseDuration } from '../../src/pipeline/duration.js';
import { checkExpression } from '../../src/pipeline/expression.js';
import { loadPipelineText } from '../../src/pipeline/load.js';
import type { PipelineConfig, Step } from '../../src/pipeline/model.js';
import { applyOverride } from '../../src/pipeline/override.js';
import { parseSocket } from '../../src/pipeline/socket.js';

function load(text: string): { config: PipelineConfig; warnings: string[] } {
  const result = loadPipelineText(text, 'valohai.yaml');
  const report = result.diagnostics.map(formatDiagnostic).join('\n');
  expect(hasErrors(result.diagnostics), report).toBe(false);
  if (!result.config) throw new Error(report);
  return { config: result.config, warnings: result.diagnostics.map(formatDiagnostic) };
}

function step(config: PipelineConfig, name: string): Step {
  const found = config.steps.get(name);
  if (!found) throw new Error(`no step ${name}`);
  return found;
}

describe('YAML 1.1 as PyYAML reads it', () => {
  const { config } = load(`
- step:
    name: s
    image: python:3.12
    command: python run.py
    parameters:
      - {name: yes-bool, default: yes}
      - {name: off-bool, default: off}
      - {name: octal, type: integer, default: 010}
      - {name: underscores, type: integer, default: 1_000}
      - {name: exp-no-dot, type: float, default: 1e-4}
      - {name: exp-dotted, type: float, default: 1.0e-4}
      - {name: date, default: 2020-09-02}
      - {name: letter-y, default: y}
      - {name: twenty, type: float, default: 20.0}
`);
  const defaults = Object.fromEntries(step(config, 's').parameters.map((p) => [p.name, p.default]));

  test.each([
    ['yes-bool', true],
    ['off-bool', false],
    ['octal', 8],
    ['underscores', 1000],
    ['exp-no-dot', '1e-4'],
    ['exp-dotted', 0.0001],
    ['date', '2020-09-02'],
    ['letter-y', 'y'],
    ['twenty', 20],
  ])('%s', (name, value) => {
    expect(defaults[name]).toStrictEqual(value);
  });
});

describe('loader semantics', () => {
  test('duplicate keys: the last wins, with a warning at the duplicate', () => {
    const { config, warnings } = load('- step:\n    name: s\n    image: a\n    image: b\n    command: c\n');
    expect(step(config, 's').image).toBe('b');
    expect(warnings).toEqual([expect.stringMatching(/^valohai\.yaml:4:5: warning: duplicate key `image`/)]);
  });

  test('empty file is an empty, valid configuration', () => {
    const result = loadPipelineText('', 'valohai.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.steps.size).toBe(0);
    expect(result.config?.mlops).toMatchObject({ runners: { default: 'ubuntu-latest' }, containers: 'host', deployTargets: {} });
  });

  test('model building: commands, durations, inputs, keep-directories, ports', () => {
    const { config } = load(`
- step:
    name: s
    image: python:3.12
    command: python run.py
    time-limit: 1h 30m
    no-output-timeout: 600
    inputs:
      - {name: one, default: s3://b/one.csv, keep-directories: true}
      - {name: many, default: [s3://b/a, s3://b/b], keep-directories: suffix, download: on-demand}
      - {name: none}
    mounts: ['/data:/mnt/data']
    environment-variables: [{name: A, default: '1'}]
- endpoint:
    name: predict
    image: python:3.12
    wsgi: app:app
`);
    const s = step(config, 's');
    expect(s.command).toEqual(['python run.py']);
    expect(s.timeLimit).toBe(5400);
    expect(s.noOutputTimeout).toBe(600);
    expect(s.inputs.map((i) => [i.name, i.default, i.keepDirectories, i.download])).toEqual([
      ['one', ['s3://b/one.csv'], 'full', 'always'],
      ['many', ['s3://b/a', 's3://b/b'], 'suffix', 'on-demand'],
      ['none', [], 'none', 'always'],
    ]);
    expect(s.mounts).toEqual([{ source: '/data', destination: '/mnt/data', readonly: false }]);
    expect(s.environmentVariables).toEqual([{ name: 'A', default: '1', optional: true }]);
    expect(config.endpoints.get('predict')?.port).toBe(8000);
    expect(s.position).toMatchObject({ line: 3, col: 5 });
  });

  test.each([
    [3600, 3600],
    ['90s', 90],
    ['1h 30m 5s', 5405],
    ['2 hours', 7200],
    ['1.5h', 5400],
    ['1w', 604800],
    ['', undefined],
    [null, undefined],
  ])('duration %j is %j seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  test.each(['1 fortnight', 'soon', '0s', '-5'])('duration %j is rejected', (input) => {
    expect(() => parseDuration(input)).toThrow();
  });

  test('plural edge types are normalised to the singular, with a warning', () => {
    const { config, warnings } = load(`
- step: {name: a, image: i, command: c}
- step: {name: b, image: i, command: c, inputs: [{name: data}]}
- pipeline:
    name: p
    nodes:
      - {name: a, type: execution, step: a}
      - {name: b, type: execution, step: b}
    edges:
      - [a.outputs.*.csv, b.inputs.data]
`);
    const edge = config.pipelines.get('p')?.edges[0];
    expect(edge?.source).toEqual({ node: 'a', type: 'output', key: '*.csv' });
    expect(edge?.target).toEqual({ node: 'b', type: 'input', key: 'data' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('`outputs`');
  });

  test('`require-approval` is well-known; other `then` values warn', () => {
    const base = (then: string) => `
- step: {name: a, image: i, command: c}
- pipeline:
    name: p
    nodes:
      - {name: a, type: execution, step: a, actions: [{when: node-starting, then: ${then}}]}
    edges: []
`;
    expect(load(base('require-approval')).warnings).toEqual([]);
    expect(load(base('send-email')).warnings).toEqual([expect.stringContaining('"then" value send-email is not well-known')]);
  });

  test('`blueprint:` is a pipeline; unknown items warn; x-mlops does not', () => {
    const { config, warnings } = load(`
- step: {name: a, image: i, command: c}
- blueprint: {name: bp, nodes: [{name: a, type: execution, step: a}], edges: []}
- x-mlops:
    runners: {gpu-large: [self-hosted, gpu]}
    containers: container
    selection:
      metric: accuracy
      goal: max
      tie-breakers: [{metric: loss, goal: min}]
      constraints: ["accuracy >= 0.9"]
      tolerance: 1e-9
    deploy-targets: {digits-prod: {kind: kubernetes, namespace: ml}}
- something-new: {x: 1}
`);
    expect(config.pipelines.has('bp')).toBe(true);
    expect(config.mlops).toMatchObject({
      runners: { default: 'ubuntu-latest', 'gpu-large': ['self-hosted', 'gpu'] },
      containers: 'container',
      selection: { metric: 'accuracy', goal: 'max', tieBreakers: [{ metric: 'loss', goal: 'min' }], constraints: ['accuracy >= 0.9'], tolerance: 1e-9 },
      deployTargets: { 'digits-prod': { kind: 'kubernetes', namespace: 'ml' } },
    });
    // Only the unknown item and the deploy target that names no deployment warn; the x-mlops item does not.
    expect(warnings).toEqual([
      expect.stringContaining('No parser for {"something-new"'),
      expect.stringContaining('x-mlops deploy target "digits-prod" matches no deployment'),
    ]);
  });

  test('unknown step keys are warnings with a did-you-mean hint', () => {
    const { warnings } = load('- step: {name: a, image: i, command: c, paramters: []}\n');
    expect(warnings).toEqual([expect.stringMatching(/:1:41: warning: .*unknown key `paramters`.*did you mean `parameters`\?/)]);
  });

  test('a flag with `optional` and a wrongly typed default warn, as valohai-yaml does', () => {
    const { warnings } = load(`
- step:
    name: a
    image: i
    command: c
    parameters:
      - {name: f, type: flag, optional: true}
      - {name: n, type: integer, default: 5, max: 3}
      - {name: c, type: string, default: x, choices: [a, b]}
`);
    expect(warnings).toHaveLength(3);
    expect(warnings[1]).toContain('greater than the maximum allowed (3)');
    expect(warnings[2]).toContain('not among the choices');
  });
});

describe('override merge (FORMAT §3.2)', () => {
  const { config } = load(`
- step:
    name: train
    image: python:3.11
    command: [python train.py]
    parameters:
      - {name: lr, type: float, default: 0.1}
      - {name: epochs, type: integer, default: 3}
    inputs:
      - {name: dataset, default: s3://b/data.csv}
      - {name: labels, default: s3://b/labels.csv}
- pipeline:
    name: p
    nodes:
      - name: t
        type: execution
        step: train
        override:
          image: python:3.12
          parameters: [{name: epochs, default: 10}]
          inputs: [{name: dataset}]
    edges: []
`);
  const base = step(config, 'train');
  const node = config.pipelines.get('p')?.nodes[0];
  const merged = applyOverride(base, node?.type === 'execution' ? node.override : undefined);

  test('the override item replaces the whole item, in place', () => {
    expect(merged.image).toBe('python:3.12');
    expect(merged.parameters.map((p) => [p.name, p.type, p.default])).toEqual([
      ['lr', 'float', 0.1],
      ['epochs', 'string', 10],
    ]);
    expect(merged.inputs.map((i) => [i.name, i.default])).toEqual([
      ['dataset', []],
      ['labels', ['s3://b/labels.csv']],
    ]);
    expect(base.image).toBe('python:3.11');
  });

  test('no override returns the step unchanged', () => {
    expect(applyOverride(base, undefined)).toBe(base);
  });
});

describe('small parsers', () => {
  test.each([
    ['train.output.model.pb', { node: 'train', rawType: 'output', key: 'model.pb' }],
    ['deploy.file.predict-digit.model', { node: 'deploy', rawType: 'file', key: 'predict-digit.model' }],
    ['a.output.results/*.pkl', { node: 'a', rawType: 'output', key: 'results/*.pkl' }],
  ])('socket %s', (text, socket) => {
    expect(parseSocket(text)).toEqual(socket);
  });

  test('a socket with fewer than 3 parts throws', () => {
    expect(() => parseSocket('a.input')).toThrow(/3 parts/);
  });

  test.each(['stop > 1', 'metadata.loss < 0.1 and not done', "status == 'ok' or (x >= 2)", 'accuracy >= 0.9'])('expression %j is valid', (text) => {
    expect(checkExpression(text)).toBeUndefined();
  });

  test.each(['stop me if you can', "can't stop me now", 'loss <', '(a > 1', ''])('expression %j is invalid', (text) => {
    expect(checkExpression(text)).toBeDefined();
  });

  test('formatDiagnostic', () => {
    expect(
      formatDiagnostic({ severity: 'error', code: 'x', message: 'bad', hint: 'fix it', position: { file: 'f.yaml', line: 3, col: 7 } }),
    ).toBe('f.yaml:3:7: error: bad (hint: fix it)');
  });
});

test('a task node that names a blueprint runs the blueprint step, even when the blueprint comes later', () => {
  const { config } = load(`
- step: { name: prep, image: x, command: "true" }
- pipeline:
    name: p
    nodes:
      - { name: sweep, type: task, task: my-sweep }
    edges: []
- step: { name: train, image: x, command: "true", parameters: [{ name: epochs, type: integer }] }
- task: { name: my-sweep, step: train, parameters: [{ name: epochs, style: multiple, rules: { items: [1, 2] } }] }
`);
  const node = config.pipelines.get('p')?.nodes[0];
  expect(node).toMatchObject({ type: 'task', task: 'my-sweep', step: 'train' });
});
