/** Which ready execution starts first: the one with the longest chain of work still behind it. */
import type { Pipeline } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';

export /** Longest path (in nodes) from each node to a sink: the critical path decides who starts first. */
function remainingPathLengths(pipeline: Pipeline, upstream: Map<string, Set<string>>): Map<string, number> {
  const downstream = new Map<string, string[]>(pipeline.nodes.map((n) => [n.name, []]));
  for (const [node, ups] of upstream) for (const up of ups) downstream.get(up)?.push(node);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const length = (node: string): number => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (visiting.has(node)) throw new ConfigurationError(`pipeline ${pipeline.name} has a cycle through node ${node}`);
    visiting.add(node);
    let longest = 0;
    for (const next of downstream.get(node) ?? []) longest = Math.max(longest, length(next));
    visiting.delete(node);
    memo.set(node, longest + 1);
    return longest + 1;
  };
  for (const node of pipeline.nodes) length(node.name);
  return memo;
}
