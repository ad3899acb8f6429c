/**
 * The comparison report in GitHub-flavoured Markdown: for the pull request comment and the job
 * summary. Starts with a hidden marker so that the comment can be found again and updated in place.
 */
import type { DeploymentOutcome } from '../compare/candidates.js';
import type { CandidateRow, Selection } from '../compare/rule.js';
import { formatNumber, formatPercent, formatValue } from '../compare/rule.js';
import { reportMarker as markerFor } from '../adapters/comments.js';

/** GitHub rejects issue comments longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface ReportLinks {
  /** The workflow run (or a local path) the report is about. */
  runUrl?: string;
  /** Where the run's artifacts can be downloaded. */
  artifactsUrl?: string;
  /** Where the full report lives when the comment is shortened (job summary or artifact). */
  fullReportUrl?: string;
}

export interface ReportInput {
  pipeline: string;
  /** The toolkit's run id, when the candidates come from a run record. */
  runId?: string;
  selection: Selection;
  links?: ReportLinks;
  /** The run's deployment nodes: deployed, or skipped by the gate with the reason. */
  deployments?: DeploymentOutcome[];
  /** Markdown of pictures hosted for the comment (src/github/report-images.ts), or why they are not shown. */
  pictures?: string;
}

export interface MarkdownOptions {
  /** Keeps only the first N rows of the table (best first); the rest are summarised in one line. */
  maxRows?: number;
  /** Most parameter / metric columns shown; the others stay in the JSON table. */
  maxColumns?: number;
}

/** Makes user text safe inside a table cell: no column breaks, no raw HTML, no line breaks. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    // `<` is what starts raw HTML; a lone `>` mid-line is plain text (and `>=` must stay readable).
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

function code(text: string): string {
  // Inside a table a code span still ends the cell at `|`: GFM wants it escaped there too.
  return `\`${text.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
}

const decisionLabel: Record<Selection['decision'], string> = {
  promote: '✅ promote',
  hold: '⏸️ hold',
  'no-candidate': '⛔ no candidate',
};

export function formatDelta(row: CandidateRow): string {
  if (row.deltaAbsolute === undefined) return '—';
  const sign = row.deltaAbsolute >= 0 ? '+' : '';
  const relative = row.deltaRelative === undefined ? '' : ` (${sign}${formatPercent(row.deltaRelative)}%)`;
  return `${sign}${formatNumber(row.deltaAbsolute)}${relative}`;
}

function ruleSummary(selection: Selection): string {
  const { rule } = selection;
  const parts = [`${rule.goal === 'max' ? 'maximise' : 'minimise'} ${code(rule.metric)}`];
  if (rule.tieBreakers.length > 0) {
    parts.push(`ties: ${rule.tieBreakers.map((t) => `${t.goal === 'max' ? 'max' : 'min'} ${code(t.metric)}`).join(', ')}, then node name`);
  }
  if (rule.threshold !== undefined) parts.push(`threshold ${code(`${rule.metric} ${rule.goal === 'max' ? '>=' : '<='} ${formatNumber(rule.threshold)}`)}`);
  if (rule.constraints.length > 0) parts.push(`constraints ${rule.constraints.map(code).join(', ')}`);
  const gate: string[] = [];
  if (rule.minAbsoluteImprovement !== undefined) gate.push(`≥ ${formatNumber(rule.minAbsoluteImprovement)} absolute`);
  if (rule.minRelativeImprovement !== undefined) gate.push(`≥ ${formatPercent(rule.minRelativeImprovement)}% relative`);
  parts.push(`gate vs baseline: ${gate.length > 0 ? gate.join(' and ') : 'not worse'} (tolerance ${formatNumber(rule.tolerance ?? 1e-9)})`);
  return parts.join('; ');
}

function baselineSummary(selection: Selection): string {
  const { baseline, rule } = selection;
  if (!baseline) return 'No baseline: the best candidate is the first model.';
  const label = baseline.label ? `${escapeCell(baseline.label)}, ` : '';
  const value = baseline.value === undefined ? `no usable ${code(rule.metric)}` : `${code(rule.metric)} = ${formatNumber(baseline.value)}`;
  return `Baseline (${label}${escapeCell(baseline.source)}): ${value}.`;
}

/** Columns: the rule's metrics first, then other metrics with numeric values, in first-seen order. */
function metricColumns(selection: Selection, maxColumns: number): string[] {
  const { rule, table } = selection;
  const ordered = [rule.metric, ...rule.tieBreakers.map((t) => t.metric)];
  for (const constraint of rule.constraints) {
    const name = /^\s*(?:metadata\.)?([A-Za-z_][A-Za-z0-9_.\-/]*)/.exec(constraint)?.[1];
    if (name) ordered.push(name);
  }
  for (const row of table) {
    for (const [key, value] of Object.entries(row.metrics)) {
      if (typeof value === 'number' && !key.startsWith('_')) ordered.push(key);
    }
  }
  return [...new Set(ordered)].slice(0, Math.max(1, maxColumns));
}

function parameterColumns(selection: Selection, maxColumns: number): string[] {
  const keys: string[] = [];
  for (const row of selection.table) keys.push(...Object.keys(row.parameters));
  return [...new Set(keys)].slice(0, maxColumns);
}

function cellValue(value: unknown): string {
  if (value === undefined) return '—';
  return escapeCell(typeof value === 'string' ? value : formatValue(value));
}

function mermaidLabel(text: string): string {
  // xychart-beta labels are double-quoted strings without an escape syntax.
  return `"${text.replace(/["\\]/g, "'").replace(/[<>]/g, '').replace(/[\r\n]/g, ' ')}"`;
}

function barChart(selection: Selection): string | undefined {
  const rows = selection.table.filter((row) => row.value !== undefined).slice(0, 20);
  if (rows.length === 0) return undefined;
  const metric = selection.rule.metric;
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${mermaidLabel(`${metric} per candidate${selection.baseline?.value !== undefined ? ` (baseline ${formatNumber(selection.baseline.value)})` : ''}`)}`,
    // xychart bars cannot be coloured one by one: the label marks the winner and the excluded.
    `  x-axis [${rows.map((row) => mermaidLabel(row.winner ? `${row.node} ★` : row.eligible ? row.node : `${row.node} (excluded)`)).join(', ')}]`,
    `  y-axis ${mermaidLabel(metric)}`,
    `  bar [${rows.map((row) => formatNumber(row.value ?? 0)).join(', ')}]`,
    '```',
  ].join('\n');
}

/** A line chart of one metric series (the main metric's if printed per step, else the first found). */
function seriesChart(selection: Selection): string | undefined {
  const withSeries = selection.table.filter((row) => row.series && Object.keys(row.series).length > 0).slice(0, 5);
  if (withSeries.length === 0) return undefined;
  const keys = withSeries.flatMap((row) => Object.keys(row.series ?? {}));
  const key = keys.includes(selection.rule.metric) ? selection.rule.metric : keys[0];
  if (key === undefined) return undefined;
  const lines = withSeries.filter((row) => (row.series?.[key]?.length ?? 0) > 1);
  const length = Math.max(...lines.map((row) => row.series?.[key]?.length ?? 0));
  if (lines.length === 0 || length < 2) return undefined;
  const steps = Array.from({ length }, (_, i) => String(i + 1));
  return [
    `${code(key)} over steps: ${lines.map((row, index) => `line ${index + 1} = ${escapeCell(row.node)}`).join(', ')}`,
    '',
    '```mermaid',
    'xychart-beta',
    `  title ${mermaidLabel(`${key} per step`)}`,
    `  x-axis [${steps.join(', ')}]`,
    `  y-axis ${mermaidLabel(key)}`,
    ...lines.map((row) => {
      const points = row.series?.[key] ?? [];
      // Shorter series are padded with their last value so that every line spans the axis.
      const padded = steps.map((_, i) => points[Math.min(i, points.length - 1)] ?? 0);
      return `  line [${padded.map(formatNumber).join(', ')}]`;
    }),
    '```',
  ].join('\n');
}

function outputsSection(selection: Selection, links: ReportLinks | undefined): string | undefined {
  const winner = selection.winner;
  if (!winner || winner.outputs.length === 0) return undefined;
  const shown = winner.outputs.slice(0, 20);
  const lines = shown.map((output) => `- ${code(output.path)} (${output.size} bytes, sha256 ${code(output.sha256.slice(0, 12))})`);
  if (winner.outputs.length > shown.length) lines.push(`- … and ${winner.outputs.length - shown.length} more`);
  const where = links?.artifactsUrl ? ` ([artifacts](${links.artifactsUrl}))` : '';
  for (const producer of winner.upstream ?? []) {
    lines.push(`- from ${escapeCell(producer.node)} (${code(producer.executionId)}), which it received as inputs:`);
    for (const output of producer.outputs.slice(0, 20)) {
      lines.push(`  - ${code(output.path)} (${output.size} bytes, sha256 ${code(output.sha256.slice(0, 12))})`);
    }
  }
  return [`**Model files of ${escapeCell(winner.node)}**${where}:`, '', ...lines].join('\n');
}

/** One line per deployment node: what the gate let through, or why it did not deploy. */
function deploymentsSection(deployments: DeploymentOutcome[] | undefined): string | undefined {
  if (!deployments || deployments.length === 0) return undefined;
  return deployments
    .map((d) => {
      const what = d.state === 'succeeded' ? 'deployed' : d.state === 'skipped' ? 'not deployed' : d.state;
      return `**Deployment ${code(d.node)}: ${escapeCell(what)}**${d.reason !== undefined ? `: ${escapeCell(d.reason)}` : ''}`;
    })
    .join('  \n');
}

/** Renders the report. The first line is always the marker. */
export function renderMarkdown(input: ReportInput, options: MarkdownOptions = {}): string {
  const { selection, links } = input;
  const maxColumns = options.maxColumns ?? 8;
  const metrics = metricColumns(selection, maxColumns);
  const parameters = parameterColumns(selection, maxColumns);
  const rows = options.maxRows === undefined ? selection.table : selection.table.slice(0, options.maxRows);

  const header = ['', 'Node', 'Execution', 'Status', ...parameters.map(code), ...metrics.map(code), `Δ ${code(selection.rule.metric)} vs baseline`, 'Note'];
  const tableLines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => {
      const place = row.winner ? '🏆' : row.rank !== undefined ? String(row.rank) : '✗';
      const note = row.excluded ? `excluded: ${escapeCell(row.excluded)}` : row.winner ? `**winner** (${selection.decision})` : '';
      const cells = [
        place,
        row.winner ? `**${escapeCell(row.node)}**` : escapeCell(row.node),
        code(row.executionId),
        escapeCell(row.status),
        ...parameters.map((key) => cellValue(row.parameters[key])),
        ...metrics.map((key) => cellValue(row.metrics[key])),
        formatDelta(row),
        note,
      ];
      return `| ${cells.join(' | ')} |`;
    }),
  ];
  if (rows.length < selection.table.length) {
    const more = selection.table.length - rows.length;
    const where = links?.fullReportUrl ? `: [full report](${links.fullReportUrl})` : '';
    tableLines.push('', `_${more} more candidate${more === 1 ? '' : 's'} not shown (the comment would exceed GitHub's size limit)${where}._`);
  }

  const runLink = links?.runUrl ? ` · [run](${links.runUrl})` : '';
  const artifactLink = links?.artifactsUrl ? ` · [artifacts](${links.artifactsUrl})` : '';
  const runText = input.runId ? ` · run ${code(input.runId)}` : '';
  const sections = [
    markerFor(input.pipeline),
    `## Model comparison: ${code(input.pipeline)}`,
    `**Decision: ${decisionLabel[selection.decision]}**: ${escapeCell(selection.reason)}`,
    deploymentsSection(input.deployments),
    `Rule: ${ruleSummary(selection)}.  \n${baselineSummary(selection)}${runText}${runLink}${artifactLink}`,
    selection.table.length > 0 ? tableLines.join('\n') : '_No candidate executions._',
    input.pictures !== undefined && input.pictures !== '' ? input.pictures : undefined,
    barChart(selection),
    seriesChart(selection),
    outputsSection(selection, links),
  ];
  return `${sections.filter((section): section is string => section !== undefined).join('\n\n')}\n`;
}

/**
 * The report within `limit` characters: full when it fits, else with fewer table rows (and charts
 * only while they fit), ending with a link to the full report. Never cuts in the middle of a line.
 */
export function renderMarkdownWithin(input: ReportInput, limit = GITHUB_COMMENT_LIMIT): { markdown: string; shortened: boolean } {
  const full = renderMarkdown(input);
  if (full.length <= limit) return { markdown: full, shortened: false };
  let rows = input.selection.table.length;
  while (rows > 0) {
    rows = Math.floor(rows / 2);
    const shorter = renderMarkdown(input, { maxRows: rows, maxColumns: 6 });
    if (shorter.length <= limit) return { markdown: shorter, shortened: true };
  }
  // Even the header is too long (absurd column contents): marker, decision and the link only.
  const where = input.links?.fullReportUrl ? ` See the [full report](${input.links.fullReportUrl}).` : '';
  const minimal = `${markerFor(input.pipeline)}\n## Model comparison: ${code(input.pipeline)}\n\n**Decision: ${decisionLabel[input.selection.decision]}**: ${escapeCell(input.selection.reason).slice(0, 2000)}\n\n_The report is too long for a comment._${where}\n`;
  return { markdown: minimal.slice(0, limit), shortened: true };
}
