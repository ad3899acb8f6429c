/**
 * `mlops compile`: a static workflow with one job per node (task nodes as a matrix of variants) and
 * exact `needs:`, for teams that prefer a file they can read over the planned waves of the template.
 */
import type { Pipeline, PipelineConfig } from '../pipeline/model.js';
import { ConfigurationError } from '../util/errors.js';
import { safeJobIds } from './job-ids.js';
import { computeLevels } from './levels.js';
import { MAX_MATRIX_SIZE, planPipeline, type MatrixEntry } from './plan.js';
import { actionUses, parseActionRef, pinComment, DEFAULT_ACTION_REF, type ActionRef } from './action-ref.js';
import {
  CHECKOUT_STEP,
  CONCURRENCY,
  NODE_TIMEOUT_MINUTES,
  STARTER_DEFAULT_BRANCH,
  jobDisplayName,
  trainingTriggers,
  workflowYaml,
} from './workflow-parts.js';

export interface CompileOptions {
  /** The pipeline file path as the workflow should name it (relative to the repository root). */
  file: string;
  /** This toolkit's release the workflow uses (default: the published `OWNER/mlops-actions@v1`). */
  actionRef?: ActionRef;
  /** The run-node action's full `uses:` value, overriding the one `actionRef` gives. */
  runNodeAction?: string;
  /** The branch pushes and pull requests run on (the repository's default branch). */
  defaultBranch?: string;
  /** The command that regenerates the file, quoted in its header. */
  regenerateCommand?: string;
}

/** Default path of the compiled workflow of a pipeline. */
export function defaultWorkflowPath(pipelineName: string): string {
  const slug = pipelineName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline';
  return `.github/workflows/mlops-${slug}.yml`;
}

/** A workflow YAML text running `pipelineName` of `config` as one job per node. */
export function compileWorkflow(config: PipelineConfig, pipelineName: string, options: CompileOptions): string {
  const pipeline = config.pipelines.get(pipelineName);
  if (!pipeline) {
    const names = [...config.pipelines.keys()];
    throw new ConfigurationError(
      `no pipeline named "${pipelineName}" in ${config.file}; ` +
        (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'),
    );
  }
  // A `${{` in a name would be evaluated by GitHub as an expression inside the generated file.
  for (const text of [pipelineName, options.file, ...pipeline.nodes.map((n) => n.name)]) {
    if (text.includes('${{')) throw new ConfigurationError(`cannot compile "${text}": names must not contain "\${{"`);
  }
  const { upstream } = computeLevels(pipeline);
  /**
   * `require-approval` before a node (`when: node-starting`) becomes a GitHub environment on its job: the
   * job waits there until a required reviewer of that environment approves. The environment is named after
   * the deployment for deployment nodes, else `approve-<node>`; create it with required reviewers in the
   * repository settings (an environment that does not exist is created without protection).
   */
  const approvalEnvironment = (node: Pipeline['nodes'][number] | undefined): string | undefined => {
    if (!node) return undefined;
    const gated = node.actions.some((action) => action.then.includes('require-approval') && action.when.includes('node-starting'));
    if (!gated) return undefined;
    return node.type === 'deployment' ? node.deployment : `approve-${node.name}`;
  };
  // One wave per node depth is the whole DAG; planning reuses the runner mapping and variant expansion.
  const plan = planPipeline(config, pipelineName, { maxWaves: Math.max(1, pipeline.nodes.length) });
  const entriesByNode = new Map<string, MatrixEntry[]>();
  for (const chunks of plan.waves) {
    for (const entries of chunks) {
      for (const entry of entries) {
        const list = entriesByNode.get(entry.node) ?? [];
        list.push(entry);
        entriesByNode.set(entry.node, list);
      }
    }
  }

  // A task node with more than 256 variants becomes several jobs of at most 256 each.
  const jobNames: string[] = [];
  const jobParts: { node: string; entries: MatrixEntry[]; part: number; parts: number }[] = [];
  for (const node of pipeline.nodes) {
    const entries = entriesByNode.get(node.name) ?? [];
    const parts = Math.max(1, Math.ceil(entries.length / MAX_MATRIX_SIZE));
    for (let part = 0; part < parts; part++) {
      jobParts.push({ node: node.name, entries: entries.slice(part * MAX_MATRIX_SIZE, (part + 1) * MAX_MATRIX_SIZE), part, parts });
      jobNames.push(parts === 1 ? node.name : `${node.name}-${part + 1}`);
    }
  }
  const ids = safeJobIds(jobNames);
  const jobIdsByNode = new Map<string, string[]>();
  jobParts.forEach(({ node }, index) => {
    const list = jobIdsByNode.get(node) ?? [];
    list.push(ids[index] ?? '');
    jobIdsByNode.set(node, list);
  });

  const actionRef = options.actionRef ?? parseActionRef(DEFAULT_ACTION_REF);
  const runNode = options.runNodeAction ?? actionUses(actionRef, 'run-node');
  const pin = options.runNodeAction === undefined ? pinComment(actionRef) : undefined;
    const jobs: Record<string, unknown> = {};
  jobParts.forEach(({ node, entries, part, parts }, index) => {
    const first = entries[0];
    const isTask = first?.kind === 'task';
    const needs = (upstream.get(node) ?? []).flatMap((from) => jobIdsByNode.get(from) ?? []);
    const job: Record<string, unknown> = {
      name: jobDisplayName(parts === 1 ? node : `${node} (${part + 1}/${parts})`),
    };
    if (needs.length > 0) job['needs'] = needs;
    if (isTask) {
      job['strategy'] = { 'fail-fast': false, matrix: { variant: entries.map((e) => e.variant) } };
    }
    job['runs-on'] = first?.['runs-on'] ?? 'ubuntu-latest';
    if (first?.container) job['container'] = first.container;
    const approval = approvalEnvironment(pipeline.nodes.find((n) => n.name === node));
    if (approval) job['environment'] = approval;
    // The step's own time-limit plus ten minutes for checkout, inputs and uploads; else the repository default.
    const timeLimit = first?.step !== undefined ? config.steps.get(first.step)?.timeLimit : undefined;
    job['timeout-minutes'] = timeLimit !== undefined ? Math.ceil(timeLimit / 60) + 10 : NODE_TIMEOUT_MINUTES;
    job['steps'] = [
      CHECKOUT_STEP,
      {
        name: 'Run the node',
        uses: runNode,
        with: {
          file: options.file,
          pipeline: pipelineName,
          node,
          variant: isTask ? '${{ matrix.variant }}' : '0',
          // Pipeline parameter overrides by pipeline parameter name; the node resolves its own values.
          'pipeline-parameters':
            "${{ inputs.parameters || (github.event.client_payload.parameters && toJSON(github.event.client_payload.parameters)) || '' }}",
          'github-token': '${{ github.token }}',
        },
      },
    ];
    jobs[ids[index] ?? ''] = job;
  });

  const workflow = {
    name: jobDisplayName(`mlops ${pipelineName}`),
    on: trainingTriggers(options.defaultBranch ?? STARTER_DEFAULT_BRANCH, { dispatchInputs: false }),
    permissions: { contents: 'read' },
    concurrency: CONCURRENCY,
    jobs,
  };
  const regenerate = options.regenerateCommand ?? `mlops compile ${options.file} --pipeline ${pipelineName}`;
  return workflowYaml(
    `Generated by \`mlops compile\` from ${options.file} (pipeline "${pipelineName}").
DO NOT EDIT: changes are lost when the file is regenerated. After changing the pipeline, run:
  ${regenerate.replace(/\n/g, ' ')}`,
    workflow,
    pin ? { [runNode]: pin } : {},
  );
}
