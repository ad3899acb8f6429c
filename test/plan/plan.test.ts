import { describe, expect, it } from 'vitest';
import { artifactNameFor } from '../../src/adapters/artifacts.js';
import { loadPipelineText } from '../../src/pipeline/load.js';
import type { PipelineConfig } from '../../src/pipeline/model.js';
import { nodeArtifactBaseName } from '../../src/plan/artifact-name.js';
import { generatePipelineConfig } from '../../src/plan/generate.js';
import { JOB_OUTPUTS_LIMIT_BYTES, outputsSize, planOutputs } from '../../src/plan/outputs.js';
import { MAX_MATRIX_SIZE, planPipeline } from '../../src/plan/plan.js';
import { ConfigurationError } from '../../src/util/errors.js';

function load(text: string): PipelineConfig {
  const result = loadPipelineText(text, 'valohai.yaml');
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toEqual([]);
  if (!result.config) throw new Error('not loaded');
  return result.config;
}

const RUNNERS_FILE = `
- step:
    name: prep
    image: python:3.12
    command: python prep.py
- step:
    name: train
    image: nvcr.io/nvidia/pytorch:24.01-py3
    environment: gpu-large
    command: python train.py {parameters}
    parameters:
      - name: lr
        type: float
        default: 0.1
      - name: seed
        type: integer
        default: 1
- step:
    name: report
    image: python:3.12
    environment: unmapped-env
    command: python report.py
- pipeline:
    name: main
    parameters:
      - name: learning-rate
        targets: [train.parameter.lr]
        default: 0.01
    nodes:
      - name: prep
        type: execution
        step: prep
      - name: train
        type: execution
        step: train
      - name: report
        type: execution
        step: report
    edges:
      - [prep.output.*, train.input.data]
      - [train.output.model*, report.input.model]
- x-mlops:
    runners:
      default: ubuntu-24.04
      gpu-large: [self-hosted, gpu]
    containers: CONTAINERS
`;

describe('planPipeline', () => {
  it('maps environments to runs-on labels, falls back to default, and sets containers only when asked', () => {
    const host = planPipeline(load(RUNNERS_FILE.replace('CONTAINERS', 'host')), 'main', { maxWaves: 8 });
    expect(host.depth).toBe(3);
    const [prep, train, report] = host.waves.map((chunks) => chunks[0]?.[0]);
    expect(prep?.['runs-on']).toBe('ubuntu-24.04');
    expect(train?.['runs-on']).toEqual(['self-hosted', 'gpu']);
    expect(report?.['runs-on']).toBe('ubuntu-24.04');
    expect(host.waves.flat(2).some((e) => 'container' in e)).toBe(false);

    const container = planPipeline(load(RUNNERS_FILE.replace('CONTAINERS', 'container')), 'main', { maxWaves: 8 });
    expect(container.waves[1]?.[0]?.[0]?.container).toBe('nvcr.io/nvidia/pytorch:24.01-py3');
    expect(container.waves[0]?.[0]?.[0]?.container).toBe('python:3.12');
  });

  it('passes pipeline parameters (default, then override) to their target node, and lists upstream artifacts', () => {
    const config = load(RUNNERS_FILE.replace('CONTAINERS', 'host'));
    const byDefault = planPipeline(config, 'main', { maxWaves: 8 });
    expect(byDefault.waves[1]?.[0]?.[0]?.parameters).toEqual({ lr: 0.01 });
    const overridden = planPipeline(config, 'main', { maxWaves: 8, parameters: { 'learning-rate': 0.5 } });
    const train = overridden.waves[1]?.[0]?.[0];
    expect(train?.parameters).toEqual({ lr: 0.5 });
    expect(train?.upstream).toEqual([nodeArtifactBaseName('main', 'prep')]);
    expect(overridden.waves[0]?.[0]?.[0]?.upstream).toEqual([]);
    expect(() => planPipeline(config, 'main', { maxWaves: 8, parameters: { nope: 1 } })).toThrow(
      /no parameter "nope"; its parameters are: learning-rate/,
    );
  });

  it('fails a pipeline deeper than max-waves with a message naming max-waves and mlops compile', () => {
    const config = load(RUNNERS_FILE.replace('CONTAINERS', 'host'));
    const attempt = (): unknown => planPipeline(config, 'main', { maxWaves: 2 });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/needs 3 waves of jobs but the workflow has 2 \(max-waves\); raise max-waves to at least 3.*mlops compile/);
    expect(() => planPipeline(config, 'nope', { maxWaves: 8 })).toThrow(/no pipeline named "nope".*pipelines: main/);
  });

  it('splits a wave above 256 entries into chunks of at most 256, keeping every node once', () => {
    const config = generatePipelineConfig(1000, { depth: 2 });
    const plan = planPipeline(config, 'generated', { maxWaves: 2 });
    expect(plan.waves.map((chunks) => chunks.map((c) => c.length))).toEqual([
      [256, 244],
      [256, 244],
    ]);
    const names = plan.waves.flat(2).map((e) => e.node);
    expect(new Set(names).size).toBe(1000);
    expect(() => planPipeline(config, 'generated', { maxWaves: 2, maxChunks: 1 })).toThrow(/chunks-per-wave/);
    expect(planPipeline(config, 'generated', { maxWaves: 2, chunkSize: 100 }).waves[0]).toHaveLength(5);
  });

  it('plans a generated 10,000-node pipeline with every matrix at most 256 entries and edges respected', () => {
    const config = generatePipelineConfig(10_000);
    const plan = planPipeline(config, 'generated', { maxWaves: 10 });
    expect(plan.depth).toBe(10);
    const entries = plan.waves.flat(2);
    expect(entries).toHaveLength(10_000);
    for (const chunks of plan.waves) for (const matrix of chunks) expect(matrix.length).toBeLessThanOrEqual(MAX_MATRIX_SIZE);
    // Every upstream artifact belongs to a node of an earlier wave.
    const waveOfArtifact = new Map<string, number>();
    plan.waves.forEach((chunks, wave) => {
      for (const entry of chunks.flat()) waveOfArtifact.set(entry.artifact, wave);
    });
    plan.waves.forEach((chunks, wave) => {
      for (const entry of chunks.flat()) {
        for (const up of entry.upstream) expect(waveOfArtifact.get(up)).toBeLessThan(wave);
      }
    });
    // Too large for one job's outputs: the action fails with the size instead of GitHub truncating.
    expect(() => planOutputs(plan, { maxWaves: 10, chunksPerWave: 4 })).toThrow(/over GitHub's limit of 1000000 bytes \(1 MB\) per job/);
    expect(plan.mermaid).toContain('10000 nodes, too many to draw');
  });

  it('expands task nodes into one entry per variant with the blueprint parameters', () => {
    const config = load(`
- step:
    name: train
    image: python:3.12
    command: python train.py {parameters}
    parameters:
      - name: lr
        type: float
      - name: depth
        type: integer
        default: 3
- task:
    name: sweep
    step: train
    type: grid_search
    parameters:
      - name: lr
        style: multiple
        rules: {items: [0.1, 0.01]}
      - name: depth
        style: linear
        rules: {start: 2, end: 4, step: 1}
- pipeline:
    name: p
    nodes:
      - name: search
        type: task
        task: sweep
      - name: pick
        type: execution
        step: train
    edges:
      - [search.output.*, pick.input.models]
`);
    const plan = planPipeline(config, 'p', { maxWaves: 4 });
    const variants = plan.waves[0]?.[0] ?? [];
    expect(variants.map((v) => v.parameters)).toEqual([
      { lr: 0.1, depth: 2 },
      { lr: 0.1, depth: 3 },
      { lr: 0.1, depth: 4 },
      { lr: 0.01, depth: 2 },
      { lr: 0.01, depth: 3 },
      { lr: 0.01, depth: 4 },
    ]);
    expect(variants.map((v) => v['execution-id'])).toEqual(['search.0', 'search.1', 'search.2', 'search.3', 'search.4', 'search.5']);
    expect(plan.waves[1]?.[0]?.[0]?.upstream).toEqual(variants.map((v) => v.artifact));
  });

  it('names artifacts exactly like the uploader, minus the run attempt', () => {
    for (const [node, variant] of [['train', undefined], ['a/b:c', undefined], ['search', 3]] as const) {
      const uploaded = artifactNameFor({
        pipeline: 'my pipeline',
        node,
        ...(variant === undefined ? {} : { variant: `${node}.${variant}` }),
        runAttempt: 2,
      });
      expect(uploaded).toBe(`${nodeArtifactBaseName('my pipeline', node, variant)}--attempt-2`);
    }
  });
});

describe('planOutputs', () => {
  it('measures outputs in UTF-16 as GitHub does: two bytes per code unit, four for a character outside the BMP', () => {
    expect(outputsSize({ a: 'xyz' })).toBe(8);
    expect(outputsSize({ n: 'é' })).toBe(4);
    expect(outputsSize({ n: '😀' })).toBe(6);
  });

  it('fails a 3,000-node, 8-wave plan with the limit and the way out, and passes one that fits', () => {
    const large = planPipeline(generatePipelineConfig(3000, { depth: 8 }), 'generated', { maxWaves: 8 });
    expect(large.waves.flat(2)).toHaveLength(3000);
    // Its matrices are ~0.85 MB of UTF-8 but ~1.7 MB as GitHub counts them.
    const attempt = (): unknown => planOutputs(large, { maxWaves: 8, chunksPerWave: 2 });
    expect(attempt).toThrow(/\(3000 jobs\) is 17\d{5} bytes of job outputs measured in UTF-16 as GitHub counts them/);
    expect(attempt).toThrow(/over GitHub's limit of 1000000 bytes \(1 MB\) per job.*`mlops compile`/);
    const fits = planPipeline(generatePipelineConfig(1500, { depth: 8 }), 'generated', { maxWaves: 8 });
    const outputs = planOutputs(fits, { maxWaves: 8, chunksPerWave: 2 });
    expect(outputsSize(outputs)).toBeGreaterThan(800_000);
    expect(outputsSize(outputs)).toBeLessThanOrEqual(JOB_OUTPUTS_LIMIT_BYTES);
  });

  it('sets every wave and chunk of the workflow, empty ones as {"include":[]} with count 0', () => {
    const plan = planPipeline(generatePipelineConfig(300, { depth: 2 }), 'generated', { maxWaves: 3 });
    const outputs = planOutputs(plan, { maxWaves: 3, chunksPerWave: 2 });
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'wave-0', 'wave-0-count', 'wave-0-1', 'wave-0-1-count',
        'wave-1', 'wave-1-count', 'wave-1-1', 'wave-1-1-count',
        'wave-2', 'wave-2-count', 'wave-2-1', 'wave-2-1-count',
        'nodes', 'depth', 'mermaid',
      ].sort(),
    );
    expect(outputs['wave-0-count']).toBe('150');
    expect(outputs['wave-0-1-count']).toBe('0');
    expect(outputs['wave-2']).toBe('{"include":[]}');
    expect(outputs['depth']).toBe('2');
    const matrix = JSON.parse(outputs['wave-1'] ?? '') as { include: { node: string }[] };
    expect(matrix.include).toHaveLength(150);
    expect(outputsSize(outputs)).toBeLessThan(JOB_OUTPUTS_LIMIT_BYTES);
  });
});
