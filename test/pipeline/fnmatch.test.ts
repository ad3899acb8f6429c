import { describe, expect, it } from 'vitest';
import { fnmatcher, fnmatchRegExp } from '../../src/pipeline/fnmatch.js';

describe('edge keys match like Python fnmatch.fnmatchcase', () => {
  it.each([
    ['*.pkl', 'model.pkl', true],
    ['*.pkl', 'models/deep/model.pkl', true],
    ['model*', 'model/a.bin', true],
    ['results/*.pkl', 'results/a/b.pkl', true],
    ['images/**', 'images/cat/img0.jpg', true],
    ['*best.pt', 'runs/x/best.pt', true],
    ['model.pb', 'model.pb', true],
    ['model.pb', 'modelxpb', false],
    ['?.txt', 'a.txt', true],
    ['?.txt', 'ab.txt', false],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'b.txt', false],
    ['[!ab].txt', 'c.txt', true],
    ['[a-c]x', 'bx', true],
    ['[', '[', true],
    ['*.PKL', 'a.pkl', false],
    ['.hidden*', '.hidden-file', true],
    ['a+b(c)', 'a+b(c)', true],
  ])('%s vs %s → %s', (pattern, path, expected) => {
    expect(fnmatcher(pattern)(path)).toBe(expected);
  });

  it('anchors the whole path', () => {
    expect(fnmatchRegExp('a*').test('ba')).toBe(false);
  });
});

describe('validate warns about an edge matching none of the declared outputs', () => {
  it('names the edge and the declared outputs', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadPipelineFile } = await import('../../src/pipeline/load.js');
    const dir = await mkdtemp(join(tmpdir(), 'mlops-fnmatch-'));
    try {
      const file = join(dir, 'valohai.yaml');
      await writeFile(
        file,
        `- step: {name: a, image: x, command: echo, outputs: [{name: models/model.pkl}]}
- step: {name: b, image: x, command: echo, inputs: [{name: m}]}
- pipeline:
    name: p
    nodes: [{name: a, type: execution, step: a}, {name: b, type: execution, step: b}, {name: c, type: execution, step: b}]
    edges: [[a.output.*.onnx, b.input.m], [a.output.*.pkl, c.input.m]]
`,
      );
      const loaded = await loadPipelineFile(file);
      const warnings = loaded.diagnostics.filter((d) => d.code === 'edge-matches-nothing');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toContain('a.output.*.onnx');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
