/**
 * The pipeline graph: laid out by dagre (left to right), drawn as SVG. Each node is a focusable button
 * (Tab to reach, Enter or Space to open) that says its name and state in text, not only in colour.
 */
import { html } from 'htm/preact';
import { useMemo } from 'preact/hooks';
import type { VNode } from 'preact';
import dagre from '@dagrejs/dagre';
import type { GraphEdge, GraphNode } from '../../api-types.js';

const NODE_WIDTH = 168;
const NODE_HEIGHT = 48;

interface Laid {
  width: number;
  height: number;
  nodes: { node: GraphNode; x: number; y: number }[];
  edges: { edge: GraphEdge; points: { x: number; y: number }[] }[];
}

function layout(nodes: GraphNode[], edges: GraphEdge[]): Laid {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 56, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of edges) if (graph.hasNode(edge.from) && graph.hasNode(edge.to)) graph.setEdge(edge.from, edge.to);
  dagre.layout(graph);
  const label = graph.graph();
  return {
    width: Math.ceil(label.width ?? NODE_WIDTH),
    height: Math.ceil(label.height ?? NODE_HEIGHT),
    nodes: nodes.map((node) => {
      const placed = graph.node(node.name);
      return { node, x: placed.x, y: placed.y };
    }),
    edges: edges
      .filter((edge) => graph.hasEdge(edge.from, edge.to))
      .map((edge) => ({ edge, points: graph.edge(edge.from, edge.to).points ?? [] })),
  };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function PipelineGraph(props: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  states: Record<string, string>;
  selected?: string;
  onSelect: (name: string) => void;
}): VNode {
  const { nodes, edges, states, selected, onSelect } = props;
  const laid = useMemo(() => layout(nodes, edges), [JSON.stringify(nodes), JSON.stringify(edges)]);
  const keyDown = (name: string) => (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(name);
    }
  };
  return html`<div class="graph-scroll">
    <svg class="graph" width=${laid.width} height=${laid.height} viewBox=${`0 0 ${laid.width} ${laid.height}`} role="group" aria-label="Pipeline graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="graph-arrow" />
        </marker>
      </defs>
      ${laid.edges.map(
        ({ edge, points }) => html`<path class="graph-edge" marker-end="url(#arrow)" d=${points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}>
          <title>${edge.from} → ${edge.to}: ${edge.label}</title>
        </path>`,
      )}
      ${laid.nodes.map(({ node, x, y }) => {
        const state = states[node.name] ?? 'pending';
        return html`<g
          class=${`graph-node state-${state}${selected === node.name ? ' selected' : ''}`}
          transform=${`translate(${(x - NODE_WIDTH / 2).toFixed(1)},${(y - NODE_HEIGHT / 2).toFixed(1)})`}
          tabindex="0"
          role="button"
          aria-pressed=${selected === node.name ? 'true' : 'false'}
          aria-label=${`${node.name}: ${state}${node.step ? `, step ${node.step}` : ''}`}
          data-node=${node.name}
          data-state=${state}
          onClick=${() => onSelect(node.name)}
          onKeyDown=${keyDown(node.name)}
        >
          <rect width=${NODE_WIDTH} height=${NODE_HEIGHT} rx="6" />
          <text x="10" y="20" class="graph-name">${truncate(node.name, 22)}</text>
          <text x="10" y="38" class="graph-state">${node.type === 'execution' ? '' : `${node.type} · `}${state}</text>
        </g>`;
      })}
    </svg>
  </div>`;
}
