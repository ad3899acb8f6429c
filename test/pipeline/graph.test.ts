import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/pipeline/diagnostics.js';
import { dependencies, findCycle, pipelineToMermaid, topologicalWaves } from '../../src/pipeline/graph.js';
import { loadPipelineText } from '../../src/pipeline/load.js';
import type { Pipeline } from '../../src/pipeline/model.js';
import { parseMermaid } from '../support/mermaid.js';

function pipelineOf(text: string, name: string): Pipeline {
  const result = loadPipelineText(text, 'valohai.yaml');
  const pipeline = result.config?.pipelines.get(name);
  if (!pipeline) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return pipeline;
}

const diamond = pipelineOf(
  `
- step: {name: prep data, image: i, command: c}
- step: {name: train, image: i, command: c, inputs: [{name: data}], parameters: [{name: lr, type: float}]}
- endpoint: {name: predict, image: i, wsgi: app:app, files: [{name: model, path: model.pkl}]}
- pipeline:
    name: diamond
    nodes:
      - {name: prep/v1, type: execution, step: prep data}
      - {name: train a, type: execution, step: train}
      - {name: "train \\"b\\"", type: task, step: train}
      - {name: gate, type: execution, step: train}
      - {name: deploy, type: deployment, deployment: prod, endpoints: [predict]}
    edges:
      - [prep/v1.output.*.csv, train a.input.data]
      - [prep/v1.output.*.csv, 'train "b".input.data']
      - [train a.metadata.lr, gate.parameter.lr]
      - ['train "b".dependency.*', gate.dependency.*]
      - [gate.output.model.pkl, deploy.file.predict.model]
`,
  'diamond',
);

describe('pipeline graph', () => {
  test('dependencies include data, metadata, dependency and deployment edges', () => {
    const upstream = dependencies(diamond);
    expect(Object.fromEntries([...upstream].map(([k, v]) => [k, [...v]]))).toEqual({
      'prep/v1': [],
      'train a': ['prep/v1'],
      'train "b"': ['prep/v1'],
      gate: ['train a', 'train "b"'],
      deploy: ['gate'],
    });
  });

  test('topological waves', () => {
    expect(topologicalWaves(diamond)).toEqual([['prep/v1'], ['train a', 'train "b"'], ['gate'], ['deploy']]);
  });

  test('findCycle reports the cycle from the first declared node, and nothing for a DAG', () => {
    expect(findCycle(dependencies(diamond))).toBeUndefined();
    const upstream = new Map([
      ['a', new Set(['c'])],
      ['b', new Set(['a'])],
      ['c', new Set(['b'])],
      ['d', new Set<string>()],
    ]);
    expect(findCycle(upstream)).toEqual(['a', 'b', 'c', 'a']);
  });

  test('a cyclic pipeline is an error naming the cycle', () => {
    const result = loadPipelineText(
      `
- step: {name: s, image: i, command: c}
- pipeline:
    name: loop
    nodes:
      - {name: a, type: execution, step: s}
      - {name: b, type: execution, step: s}
      - {name: c, type: execution, step: s}
    edges:
      - [a.dependency.*, b.dependency.*]
      - [b.dependency.*, a.dependency.*]
`,
      'valohai.yaml',
    );
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      'valohai.yaml:11:9: error: Pipeline "loop" has a cycle: a -> b -> a (hint: remove one of these edges; a pipeline must be a DAG)',
    );
  });

  test('Mermaid output parses with Mermaid itself, with safe IDs and quoted labels', async () => {
    const text = pipelineToMermaid(diamond);
    expect(text.startsWith('flowchart LR\n')).toBe(true);
    expect(text).toContain('n_prep_v1["prep/v1<br/>step: prep data"]');
    expect(text).toContain('n_train__b_{{"train #34;b#34;<br/>task: train"}}');
    expect(text).toContain('n_deploy[("deploy<br/>deployment: prod")]');
    expect(text).toContain('n_prep_v1 -->|"output:*.csv → input:data"| n_train_a');
    await expect(parseMermaid(text)).resolves.toMatch(/flowchart/);
  });

  test('names that collide after sanitising get distinct IDs', async () => {
    const pipeline = pipelineOf(
      `
- step: {name: s, image: i, command: c}
- pipeline:
    name: p
    nodes:
      - {name: a-b, type: execution, step: s}
      - {name: a b, type: execution, step: s}
    edges:
      - [a-b.output.x, a b.input.x]
`,
      'p',
    );
    const text = pipelineToMermaid(pipeline);
    expect(text).toContain('n_a_b[');
    expect(text).toContain('n_a_b_2[');
    expect(text).toContain('n_a_b -->|"output:x → input:x"| n_a_b_2');
    await expect(parseMermaid(text)).resolves.toMatch(/flowchart/);
  });
});
