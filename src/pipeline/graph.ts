import type { Edge, Pipeline, PipelineNode } from './model.js';

/**
 * The pipeline as a DAG: node → the nodes it waits for. Every edge (data, parameter, dependency,
 * deployment) orders its target after its source.
 */
export function dependencies(pipeline: Pipeline): Map<string, Set<string>> {
  const upstream = new Map<string, Set<string>>();
  for (const node of pipeline.nodes) upstream.set(node.name, new Set());
  for (const edge of pipeline.edges) {
    const targets = upstream.get(edge.target.node);
    // A self-edge is kept: it is a cycle, and findCycle reports it.
    if (targets && upstream.has(edge.source.node)) targets.add(edge.source.node);
  }
  return upstream;
}

/**
 * A cycle as the list of node names, first name repeated at the end (`[a, b, a]`), or undefined.
 * Iterative DFS so a long chain cannot overflow the stack.
 */
export function findCycle(upstream: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of upstream.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: { node: string; next: Iterator<string> }[] = [];
    const enter = (node: string) => {
      state.set(node, 'visiting');
      path.push(node);
      stack.push({ node, next: (upstream.get(node) ?? new Set<string>()).values() });
    };
    enter(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (!frame) break;
      const step = frame.next.next();
      if (step.done) {
        state.set(frame.node, 'done');
        stack.pop();
        path.pop();
        continue;
      }
      const dependency = step.value;
      const seen = state.get(dependency);
      if (seen === 'visiting') {
        // `path` runs downstream→upstream; reverse to show the data flow direction.
        const cycle = path.slice(path.indexOf(dependency));
        cycle.reverse();
        // Start at the node declared first, so the same cycle always prints the same way.
        const order = [...upstream.keys()];
        const first = cycle.reduce((best, name, i) => (order.indexOf(name) < order.indexOf(cycle[best] ?? '') ? i : best), 0);
        const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
        return [...rotated, rotated[0] ?? dependency];
      }
      if (seen === undefined && upstream.has(dependency)) enter(dependency);
    }
  }
  return undefined;
}

/** Nodes grouped in waves: each wave depends only on earlier waves. Throws on a cycle. */
export function topologicalWaves(pipeline: Pipeline): string[][] {
  const upstream = dependencies(pipeline);
  const remaining = new Map([...upstream].map(([node, deps]) => [node, new Set(deps)]));
  const waves: string[][] = [];
  while (remaining.size > 0) {
    // Declaration order within a wave keeps plans stable.
    const wave = pipeline.nodes.map((n) => n.name).filter((name, i, all) => all.indexOf(name) === i && remaining.get(name)?.size === 0);
    if (wave.length === 0) {
      const cycle = findCycle(remaining);
      throw new Error(`pipeline "${pipeline.name}" has a cycle: ${(cycle ?? [...remaining.keys()]).join(' -> ')}`);
    }
    waves.push(wave);
    for (const name of wave) remaining.delete(name);
    for (const deps of remaining.values()) for (const name of wave) deps.delete(name);
  }
  return waves;
}

/** Mermaid-safe ID: letters, digits and `_` only, unique per name. */
function mermaidIds(nodes: readonly PipelineNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.name)) continue;
    const base = `n_${node.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    ids.set(node.name, id);
  }
  return ids;
}

/** Text inside a quoted Mermaid label: `"` and markup-significant characters as HTML entities. */
function mermaidText(text: string): string {
  return text.replace(/[&"<>#|]/g, (ch) => `#${ch.charCodeAt(0)};`);
}

function nodeLabel(node: PipelineNode): string {
  switch (node.type) {
    case 'execution':
      return `${node.name}<br/>step: ${node.step}`;
    case 'task':
      return `${node.name}<br/>task: ${node.task ?? node.step}`;
    case 'deployment':
      return `${node.name}<br/>deployment: ${node.deployment}`;
  }
}

function edgeLabel(edge: Edge): string {
  if (edge.source.type === 'dependency' && edge.target.type === 'dependency') return 'after';
  return `${edge.source.type}:${edge.source.key} → ${edge.target.type}:${edge.target.key}`;
}

/** A Mermaid `flowchart LR` of the pipeline; labels are quoted so any name renders. */
export function pipelineToMermaid(pipeline: Pipeline): string {
  const ids = mermaidIds(pipeline.nodes);
  const lines = ['flowchart LR'];
  for (const node of pipeline.nodes) {
    const id = ids.get(node.name);
    if (!id || lines.some((line) => line.startsWith(`  ${id}[`) || line.startsWith(`  ${id}{{`) || line.startsWith(`  ${id}[(`))) continue;
    const label = `"${mermaidText(nodeLabel(node)).replace(/#60;br\/#62;/g, '<br/>')}"`;
    // Shapes tell kinds apart: rectangle execution, hexagon task, cylinder deployment.
    lines.push(node.type === 'task' ? `  ${id}{{${label}}}` : node.type === 'deployment' ? `  ${id}[(${label})]` : `  ${id}[${label}]`);
  }
  for (const edge of pipeline.edges) {
    const from = ids.get(edge.source.node);
    const to = ids.get(edge.target.node);
    if (!from || !to) continue;
    lines.push(`  ${from} -->|"${mermaidText(edgeLabel(edge))}"| ${to}`);
  }
  return `${lines.join('\n')}\n`;
}
