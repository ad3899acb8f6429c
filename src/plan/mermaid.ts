import { pipelineToMermaid } from '../pipeline/graph.js';
import type { Pipeline } from '../pipeline/model.js';

/**
 * Above this many nodes the picture is replaced by a note: GitHub's Mermaid renderer refuses large
 * graphs (500 edges, 50,000 characters), the job summary is capped at 1 MiB, and the picture would
 * eat into the 1 MB of job outputs the matrices need.
 */
export const MERMAID_MAX_NODES = 200;

/** The same flowchart as `mlops graph`, or a one-box note for pipelines too large to draw. */
export function renderPipelineMermaid(pipeline: Pipeline, maxNodes = MERMAID_MAX_NODES): string {
  if (pipeline.nodes.length > maxNodes) {
    const name = pipeline.name.replace(/[&"<>#|]/g, (ch) => `#${ch.charCodeAt(0)};`);
    return `flowchart LR\n  note["${name}: ${pipeline.nodes.length} nodes, too many to draw"]\n`;
  }
  return pipelineToMermaid(pipeline);
}
