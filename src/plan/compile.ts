/**
 * `mlops compile`: a static workflow with one job per node (task nodes as a matrix of variants) and
 * exact `needs:`, for teams that prefer a file they can read over the planned waves of the template.
 */
import type { PipelineConfig, PipelineNode } from '../pipeline/model.js';
import { approvalAfterCompletion, approvalBeforeStart } from '../pipeline/node-actions.js';
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
   * `require-approval` before a node (`when: node-starting`, its `if` holding for the step defaults, as
   * the runner decides it) becomes a GitHub environment on its job: the job waits there until a required
   * reviewer approves. After a node (`node-complete`, whose `if` depends on the metadata) it becomes a
   * gate job that runs only when the node's job says `approval: required`, and waits in the environment;
   * the node's dependents need the gate. The environment is named after the deployment for deployment
   * nodes, else `approve-<node>`; create it with required reviewers in the repository settings (an
   * environment that does not exist is created without protection).
   */
  const approvalEnvironment = (node: PipelineNode): string => (node.type === 'deployment' ? node.deployment : `approve-${node.name}`);
  for (const node of pipeline.nodes) {
    if (node.type === 'task' && approvalAfterCompletion(node)) {
      throw new ConfigurationError(
        `cannot compile node ${node.name}: require-approval after a task node completes needs the verdict of each variant job, ` +
          'which one matrix job output cannot carry; gate its dependents instead (require-approval when node-starting on them)',
      );
    }
  }
  // One wave per node depth is the whole DAG; planning reuses the runner mapping and variant expansion.
  const plan = planPipeline(config, pipelineName, { maxWaves: Math.max(1, pipeline.nodes.length), approvalGates: true });
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
  const nodes = new Map(pipeline.nodes.map((n) => [n.name, n]));
  // A gate job per node that may ask for approval after it ran; its id is taken like the others'.
  const gated = pipeline.nodes.filter((n) => n.type !== 'task' && approvalAfterCompletion(n)).map((n) => n.name);
  const gateIds = safeJobIds([...ids, ...gated.map((name) => `approve-${name}`)]).slice(ids.length);
  const gateIdByNode = new Map(gated.map((name, index) => [name, gateIds[index] ?? '']));
  const jobs: Record<string, unknown> = {};
  jobParts.forEach(({ node, entries, part, parts }, index) => {
    const first = entries[0];
    const isTask = first?.kind === 'task';
    const pipelineNode = nodes.get(node);
    const upstreamJobs = (upstream.get(node) ?? []).flatMap((from) => jobIdsByNode.get(from) ?? []);
    const gates = (upstream.get(node) ?? []).flatMap((from) => {
      const gate = gateIdByNode.get(from);
      return gate !== undefined ? [gate] : [];
    });
    const job: Record<string, unknown> = {
      name: jobDisplayName(parts === 1 ? node : `${node} (${part + 1}/${parts})`),
    };
    if (upstreamJobs.length + gates.length > 0) job['needs'] = [...upstreamJobs, ...gates];
    if (gates.length > 0) {
      // A gate that did not run (no approval was asked) does not hold the node back; a failed upstream does.
      const conditions = ['!cancelled()', ...upstreamJobs.map((id) => `needs.${id}.result == 'success'`)];
      for (const gate of gates) conditions.push(`(needs.${gate}.result == 'success' || needs.${gate}.result == 'skipped')`);
      job['if'] = `\${{ ${conditions.join(' && ')} }}`;
    }
    if (isTask) {
      job['strategy'] = { 'fail-fast': false, matrix: { variant: entries.map((e) => e.variant) } };
    }
    job['runs-on'] = first?.['runs-on'] ?? 'ubuntu-latest';
    if (first?.container) job['container'] = first.container;
    if (pipelineNode && approvalBeforeStart(config, pipelineNode)) job['environment'] = approvalEnvironment(pipelineNode);
    if (gateIdByNode.has(node)) job['outputs'] = { approval: '${{ steps.node.outputs.approval }}' };
    // The step's own time-limit plus ten minutes for checkout, inputs and uploads; else the repository default.
    const timeLimit = first?.step !== undefined ? config.steps.get(first.step)?.timeLimit : undefined;
    job['timeout-minutes'] = timeLimit !== undefined ? Math.ceil(timeLimit / 60) + 10 : NODE_TIMEOUT_MINUTES;
    job['steps'] = [
      CHECKOUT_STEP,
      {
        name: 'Run the node',
        id: 'node',
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
    const gate = gateIdByNode.get(node);
    if (gate !== undefined && pipelineNode) {
      const environment = approvalEnvironment(pipelineNode);
      jobs[gate] = {
        name: jobDisplayName(`approve ${node}`),
        needs: [ids[index] ?? ''],
        if: `\${{ needs.${ids[index] ?? ''}.outputs.approval == 'required' }}`,
        'runs-on': 'ubuntu-latest',
        environment,
        // Names reach the shell as variables, never spliced into the script.
        steps: [{ name: 'Approved', env: { NODE: node, ENVIRONMENT: environment }, run: 'echo "Node $NODE approved in environment $ENVIRONMENT"' }],
      };
    }
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
