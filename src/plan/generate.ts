/**
 * Generated pipelines of any size, for planner tests and the planning benchmark.
 */
import type { Edge, ExecutionNode, Pipeline, PipelineConfig, SourcePosition, Step } from '../pipeline/model.js';

export interface GenerateOptions {
  /** Number of waves (layers); nodes are spread evenly over them. Default 10. */
  depth?: number;
  /** Pipeline name; default `generated`. */
  pipelineName?: string;
}

const position: SourcePosition = { file: 'generated.yaml', line: 1, col: 1 };

/**
 * A pipeline of `nodeCount` no-op execution nodes in `depth` layers: every node after the first layer
 * takes an output edge from two nodes of the layer before, so the plan has exactly `depth` waves.
 */
export function generatePipelineConfig(nodeCount: number, options: GenerateOptions = {}): PipelineConfig {
  const depth = Math.max(1, Math.min(options.depth ?? 10, nodeCount));
  const pipelineName = options.pipelineName ?? 'generated';
  const step: Step = {
    name: 'noop',
    image: 'node:20',
    command: ['true'],
    parameters: [],
    inputs: [{ name: 'upstream', default: [], optional: true, keepDirectories: 'none', download: 'always', position }],
    outputs: [],
    environmentVariables: [],
    environmentVariableGroups: [],
    mounts: [],
    extra: {},
    position,
  };
  const layers: string[][] = Array.from({ length: depth }, () => []);
  const nodes: ExecutionNode[] = [];
  const edges: Edge[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const layerIndex = Math.floor((i * depth) / nodeCount);
    const layer = layers[layerIndex] ?? [];
    const name = `node-${i}`;
    layer.push(name);
    nodes.push({ type: 'execution', name, step: 'noop', actions: [], onError: 'stop-all', edgeMergeMode: 'replace', position });
    const previous = layers[layerIndex - 1];
    if (previous && previous.length > 0) {
      const sources = new Set([previous[layer.length % previous.length], previous[(layer.length * 7 + 3) % previous.length]]);
      for (const source of sources) {
        if (source === undefined) continue;
        edges.push({
          source: { node: source, type: 'output', key: '*' },
          target: { node: name, type: 'input', key: 'upstream' },
          configuration: {},
          position,
        });
      }
    }
  }
  const pipeline: Pipeline = { name: pipelineName, nodes, edges, parameters: [], reuseExecutions: false, position };
  return {
    file: 'generated.yaml',
    steps: new Map([[step.name, step]]),
    pipelines: new Map([[pipelineName, pipeline]]),
    endpoints: new Map(),
    tasks: new Map(),
    deployments: new Map(),
    mlops: { runners: { default: 'ubuntu-latest' }, containers: 'host', deployTargets: {} },
  };
}
