import { describe, expect, test } from 'vitest';
import type { Candidate } from '../../src/compare/candidates.js';
import { selectBest, type SelectionRule } from '../../src/compare/rule.js';
import { reportMarker } from '../../src/adapters/comments.js';
import { renderHtml } from '../../src/report/html.js';
import { renderSvg } from '../../src/report/svg.js';
import { GITHUB_COMMENT_LIMIT, renderMarkdown, renderMarkdownWithin, type ReportInput } from '../../src/report/markdown.js';
import { parseMermaid } from '../support/mermaid.js';

const rule: SelectionRule = { metric: 'accuracy', goal: 'max', tieBreakers: [{ metric: 'loss', goal: 'min' }], constraints: ['accuracy >= 0.9'], minAbsoluteImprovement: 0.01 };

function candidate(node: string, accuracy: unknown, extra: Partial<Candidate> = {}): Candidate {
  return { node, executionId: `${node}-e1`, status: 'succeeded', parameters: { learning_rate: 0.1 }, metrics: { accuracy, loss: 0.3 }, outputs: [], ...extra };
}

function report(candidates: Candidate[], links: ReportInput['links'] = {}): ReportInput {
  return { pipeline: 'train-and-deploy', runId: 'run-1', selection: selectBest(candidates, rule, { source: 'production.json', metrics: { accuracy: 0.92 } }), links };
}

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
}

describe('Markdown report', () => {
  const input = report(
    [
      candidate('evaluate-fast', 0.91, { parameters: { learning_rate: 0.5 } }),
      candidate('evaluate-slow', 0.9666666666666667, {
        outputs: [{ path: 'model.json', sha256: 'a'.repeat(64), size: 1234 }],
        series: { accuracy: [0.5, 0.8, 0.9666666666666667] },
      }),
      candidate('evaluate-broken', 0.99, { status: 'failed' }),
    ],
    { runUrl: 'https://github.com/o/r/actions/runs/9', artifactsUrl: 'https://github.com/o/r/actions/runs/9#artifacts' },
  );
  const markdown = renderMarkdown(input);

  test('starts with the marker and states the decision and reason', () => {
    expect(markdown.startsWith(`${reportMarker('train-and-deploy')}\n`)).toBe(true);
    expect(markdown).toContain(`**Decision: ✅ promote**: ${input.selection.reason}`);
    expect(input.selection.reason).toContain('evaluate-slow beats the baseline');
  });

  test('one row per candidate with parameters, metrics, delta, winner and exclusion', () => {
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('|  | Node'));
    expect(rows).toEqual([
      '| 🏆 | **evaluate-slow** | `evaluate-slow-e1` | succeeded | 0.1 | 0.966666666667 | 0.3 | +0.0466666666667 (+5.072%) | **winner** (promote) |',
      '| 2 | evaluate-fast | `evaluate-fast-e1` | succeeded | 0.5 | 0.91 | 0.3 | -0.01 (-1.087%) |  |',
      '| ✗ | evaluate-broken | `evaluate-broken-e1` | failed | 0.1 | 0.99 | 0.3 | +0.07 (+7.609%) | excluded: execution failed |',
    ]);
  });

  test('links to the run, the artifacts and lists the model files', () => {
    expect(markdown).toContain('[run](https://github.com/o/r/actions/runs/9)');
    expect(markdown).toContain('**Model files of evaluate-slow** ([artifacts](https://github.com/o/r/actions/runs/9#artifacts)):');
    expect(markdown).toContain('- `model.json` (1234 bytes, sha256 `aaaaaaaaaaaa`)');
  });

  test("the bar chart and the series chart parse with Mermaid's own parser", async () => {
    const blocks = mermaidBlocks(markdown);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('bar [0.966666666667, 0.91, 0.99]');
    expect(blocks[1]).toContain('line [0.5, 0.8, 0.966666666667]');
    for (const block of blocks) expect(await parseMermaid(block)).toBe('xychart');
  });

  test('user text cannot break the table, the HTML or the chart', async () => {
    const hostile = report([candidate('a|b<script>alert(1)</script>"x', 0.95, { parameters: { note: 'line1\nline2 | `code`' } })]);
    const text = renderMarkdown(hostile);
    // Raw `<` only inside code spans, where Markdown shows it as text.
    expect(text.replace(/`(?:\\`|[^`])*`/g, '')).not.toContain('<script>');
    expect(text).toContain('a\\|b&lt;script>');
    const row = text.split('\n').find((line) => line.startsWith('| 🏆'));
    expect(row?.split(/(?<!\\)\|/).length).toBe(11);
    for (const block of mermaidBlocks(text)) await parseMermaid(block);
    const svg = renderSvg(hostile);
    expect(svg).not.toContain('<script');
    expect(svg).toContain('a|b&lt;script&gt;');
    const html = renderHtml(hostile);
    expect(html).not.toContain('<script>');
    expect(html).toContain('a|b&lt;script&gt;alert(1)&lt;/script&gt;&quot;x');
  });

  test('no candidate: the reason lists every exclusion, and the chart shows the values that exist', () => {
    const text = renderMarkdown(report([candidate('x', Number.NaN), candidate('y', 0.5)]));
    expect(text).toContain("**Decision: ⛔ no candidate**: all 2 candidates were excluded (x: metric 'accuracy' is NaN; y: constraint accuracy >= 0.9 failed (accuracy = 0.5))");
    expect(mermaidBlocks(text)).toHaveLength(1);
  });
});

describe("GitHub's comment size limit", () => {
  const many = Array.from({ length: 600 }, (_, i) => candidate(`candidate-${String(i).padStart(4, '0')}-${'x'.repeat(60)}`, 0.9 + i / 100_000));
  const input = report(many, { fullReportUrl: 'https://github.com/o/r/actions/runs/9' });

  test('a report over the limit is shortened with a link to the full report', () => {
    expect(renderMarkdown(input).length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const { markdown, shortened } = renderMarkdownWithin(input);
    expect(shortened).toBe(true);
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown.startsWith(reportMarker('train-and-deploy'))).toBe(true);
    expect(markdown).toMatch(/_\d+ more candidates not shown \(the comment would exceed GitHub's size limit\): \[full report\]\(https:\/\/github.com\/o\/r\/actions\/runs\/9\)\._/);
    // The winner is still the first row.
    expect(markdown).toContain(`| 🏆 | **${input.selection.winner?.node ?? ''}**`);
  });

  test('a report within the limit is unchanged', () => {
    const small = report(many.slice(0, 3));
    expect(renderMarkdownWithin(small)).toEqual({ markdown: renderMarkdown(small), shortened: false });
  });
});
