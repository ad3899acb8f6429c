import { describe, expect, it } from 'vitest';
import { jobOrder, parseWorkflowText } from './workflow-parser.js';

// The parser checks above are only worth something if the parser rejects what GitHub rejects.
describe('workflow parser harness', () => {
  it.each([
    ['an unknown key', 'on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n'],
    ['a need of an unknown job', 'on: push\njobs:\n  a:\n    runs-on: x\n    needs: [b]\n    steps: [{run: echo}]\n'],
    ['a broken expression', "on: push\njobs:\n  a:\n    runs-on: x\n    if: ${{ !cancelled( }}\n    steps: [{run: echo}]\n"],
    ['an invalid job id', 'on: push\njobs:\n  1a:\n    runs-on: x\n    steps: [{run: echo}]\n'],
  ])('reports %s', async (_label, content) => {
    const { errors } = await parseWorkflowText('bad.yml', content);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('orders jobs and detects cycles', () => {
    expect(jobOrder(new Map([['b', ['a']], ['a', []]]))).toEqual(['a', 'b']);
    expect(() => jobOrder(new Map([['a', ['b']], ['b', ['a']]]))).toThrow(/cycle/);
  });
});
