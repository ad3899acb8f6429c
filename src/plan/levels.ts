/**
 * Topological levels of a pipeline's node graph, for planning GitHub jobs in waves.
 *
 * A local helper: `src/pipeline/graph.ts` (`topologicalWaves`) did not exist when the planner was
 * written. The lead may replace this with that function once both agree on the result shape.
 */
import type { Pipeline } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

export interface NodeLevels {
  /** Node names per level; level k holds nodes whose longest path from an entry node has k edges. */
  waves: string[][];
  /** Direct upstream node names of each node, in edge declaration order, without duplicates. */
  upstream: Map<string, string[]>;
}

/**
 * Longest-path levelling (Kahn's algorithm), linear in nodes + edges so that 10,000-node pipelines
 * plan quickly. Edges of every type order their nodes; self-edges are ignored (a node cannot wait for
 * itself). A cycle is a user error naming the nodes on it.
 */
export function computeLevels(pipeline: Pipeline): NodeLevels {
  const upstreamSets = new Map<string, Set<string>>();
  const downstream = new Map<string, string[]>();
  for (const node of pipeline.nodes) {
    upstreamSets.set(node.name, new Set());
    downstream.set(node.name, []);
  }
  for (const edge of pipeline.edges) {
    const from = edge.source.node;
    const to = edge.target.node;
    if (from === to) continue;
    const into = upstreamSets.get(to);
    const out = downstream.get(from);
    // The loader reports edges to unknown nodes; the planner skips them rather than failing twice.
    if (!into || !out || into.has(from)) continue;
    into.add(from);
    out.push(to);
  }

  const remaining = new Map<string, number>();
  const level = new Map<string, number>();
  let current: string[] = [];
  for (const [name, set] of upstreamSets) {
    remaining.set(name, set.size);
    if (set.size === 0) current.push(name);
  }
  const order = new Map(pipeline.nodes.map((node, index) => [node.name, index]));
  const byDeclaration = (a: string, b: string): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const waves: string[][] = [];
  let placed = 0;
  while (current.length > 0) {
    // Declaration order inside a wave keeps plans stable and readable whatever the edge order.
    current.sort(byDeclaration);
    waves.push(current);
    placed += current.length;
    const next: string[] = [];
    for (const name of current) {
      level.set(name, waves.length - 1);
      for (const target of downstream.get(name) ?? []) {
        const left = (remaining.get(target) ?? 0) - 1;
        remaining.set(target, left);
        if (left === 0) next.push(target);
      }
    }
    current = next;
  }
  if (placed < upstreamSets.size) {
    const stuck = [...upstreamSets.keys()].filter((name) => !level.has(name));
    throw new ConfigurationError(
      `pipeline "${pipeline.name}" has a cycle among nodes ${stuck.map((n) => `"${n}"`).join(', ')}; ` +
        'remove an edge so that the nodes form a DAG',
    );
  }
  const upstream = new Map<string, string[]>();
  for (const [name, set] of upstreamSets) upstream.set(name, [...set]);
  return { waves, upstream };
}
