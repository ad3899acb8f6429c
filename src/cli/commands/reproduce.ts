import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { runExecution } from '../../exec/execution.js';
import { findContainerRuntime, parseContainerChoice } from '../../exec/container.js';
import { stepForNode } from '../../exec/plan-run.js';
import type { InputFile, OutputFile } from '../../exec/types.js';
import { loadRun, projectPaths, runDir, type ExecutionRecord } from '../../store/runs.js';
import { ConfigurationError } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';
import { ContentStore } from '../../store/content-store.js';
import { unusableOutputs } from '../../exec/reuse.js';
import { loadConfigOrExplain } from './run.js';
import { projectDirFor } from '../../store/project.js';

const usage = `Usage: mlops reproduce RUN [NODE...] [--tolerance 1e-9] [--json] [--project-dir DIR]

Re-executes the succeeded executions of RUN (all nodes, or the NODEs named) with the same step, inputs
and parameters, and reports outputs whose sha256 differs and metrics (latest metadata values) that
differ by more than the tolerance. Metadata keys starting with "_" are ignored.
The report is also written to <project-dir>/runs/RUN/reproduce-<time>/report.json.

Exit code: 0 when everything reproduced, 1 when something differs or failed.`;

export interface ExecutionComparison {
  node: string;
  executionId: string;
  status: string;
  differingOutputs: { path: string; original?: string; reproduced?: string }[];
  differingMetrics: { key: string; original: unknown; reproduced: unknown }[];
  reproducible: boolean;
}

/** Outputs compared by path and checksum: changed, missing and new files all differ. */
export function compareOutputs(original: OutputFile[], reproduced: OutputFile[]): ExecutionComparison['differingOutputs'] {
  const before = new Map(original.map((o) => [o.path, o.sha256]));
  const after = new Map(reproduced.map((o) => [o.path, o.sha256]));
  const differing: ExecutionComparison['differingOutputs'] = [];
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    const entry: ExecutionComparison['differingOutputs'][number] = { path };
    if (a !== undefined) entry.original = a;
    if (b !== undefined) entry.reproduced = b;
    differing.push(entry);
  }
  return differing;
}

/** Numbers differ beyond `tolerance` (absolute); anything else differs when its JSON differs. */
export function compareMetrics(
  original: Record<string, unknown>,
  reproduced: Record<string, unknown>,
  tolerance: number,
): ExecutionComparison['differingMetrics'] {
  const differing: ExecutionComparison['differingMetrics'] = [];
  for (const key of [...new Set([...Object.keys(original), ...Object.keys(reproduced)])].sort()) {
    if (key.startsWith('_')) continue;
    const a = original[key];
    const b = reproduced[key];
    const same =
      typeof a === 'number' && typeof b === 'number' ? Math.abs(a - b) <= tolerance : JSON.stringify(a) === JSON.stringify(b);
    if (!same) differing.push({ key, original: a, reproduced: b });
  }
  return differing;
}

function inputFiles(execution: ExecutionRecord): Record<string, InputFile[]> {
  const inputs: Record<string, InputFile[]> = {};
  for (const [name, files] of Object.entries(execution.inputs ?? {})) {
    inputs[name] = files.map((f) => {
      const file: InputFile = { relativePath: f.relativePath, source: f.source };
      if (f.sha256 !== undefined && f.source.kind !== 'url') file.sha256 = f.sha256;
      return file;
    });
  }
  return inputs;
}

export const command: CliCommand = {
  summary: 're-execute a run and report outputs and metrics that differ',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        tolerance: { type: 'string', default: '1e-9' },
        json: { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
      },
      allowPositionals: true,
    });
    const [id, ...nodeNames] = positionals;
    if (id === undefined) throw new ConfigurationError(`reproduce needs a RUN. ${usage}`);
    const tolerance = Number(values.tolerance);
    if (!Number.isFinite(tolerance) || tolerance < 0) throw new ConfigurationError(`--tolerance expects a number ≥ 0, got ${values.tolerance}`);
    const projectDir = projectDirFor(values['project-dir']);
    const run = await loadRun(projectDir, id);
    const config = await loadConfigOrExplain(run.file);
    const pipeline = config.pipelines.get(run.pipeline);
    if (!pipeline) throw new ConfigurationError(`${run.file} no longer has pipeline ${run.pipeline}`);
    for (const name of nodeNames) {
      if (!run.nodes[name]) throw new ConfigurationError(`run ${run.id} has no node ${name} (nodes: ${Object.keys(run.nodes).join(', ')})`);
    }
    const selected = nodeNames.length > 0 ? nodeNames : Object.keys(run.nodes);
    const paths = projectPaths(projectDir);
    const folder = join(runDir(projectDir, run.id), `reproduce-${new Date().toISOString().replace(/[-:.]/g, '')}`);
    const repositoryDir = run.request?.repositoryDir ?? dirname(run.file);
    // Re-executed where the run executed them: in the same container engine, or on the host.
    const recordedEngine = run.request?.container;
    const container = recordedEngine === undefined ? undefined : await findContainerRuntime(parseContainerChoice(recordedEngine));
    const comparisons: ExecutionComparison[] = [];
    const store = new ContentStore(paths.storeDir);

    for (const name of selected) {
      const node = pipeline.nodes.find((n) => n.name === name);
      if (!node || node.type === 'deployment') continue;
      const step = stepForNode(config, node);
      for (const execution of run.nodes[name]?.executions ?? []) {
        if (execution.status !== 'succeeded') continue;
        process.stderr.write(`reproducing ${name} ${execution.executionId}…\n`);
        // The original's stored outputs must still be what the record says, or "same" would be a lie.
        // Checked before re-executing: the re-execution puts a good copy back in the store.
        const corrupt = await unusableOutputs(store, execution.outputs);
        const result = await runExecution(
          {
            executionId: `${execution.executionId}-reproduce`,
            step,
            parameters: execution.parameters,
            inputs: inputFiles(execution),
            environment: execution.environment ?? {},
            repositoryDir,
            executionDir: join(folder, execution.executionId),
            storeDir: paths.storeDir,
            downloadCacheDir: paths.downloadCacheDir,
            context: { pipelineId: run.id, nodeName: name },
          },
          container ? { container } : {},
        );
        const differingOutputs = compareOutputs(execution.outputs, result.outputs);
        if (corrupt !== undefined) {
          process.stderr.write(`${name} ${execution.executionId}: ${corrupt}\n`);
          differingOutputs.push({ path: `(store) ${corrupt}` });
        }
        const differingMetrics = compareMetrics(execution.latestMetadata, result.latestMetadata, tolerance);
        comparisons.push({
          node: name,
          executionId: execution.executionId,
          status: result.status,
          differingOutputs,
          differingMetrics,
          reproducible: result.status === 'succeeded' && differingOutputs.length === 0 && differingMetrics.length === 0,
        });
      }
    }
    const reproducible = comparisons.every((c) => c.reproducible);
    const report = { run: run.id, tolerance, reproducible, executions: comparisons };
    await writeJsonAtomic(join(folder, 'report.json'), report);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      for (const c of comparisons) {
        process.stdout.write(`${c.reproducible ? 'same' : 'DIFFERS'}  ${c.node} ${c.executionId}${c.status === 'succeeded' ? '' : ` (${c.status})`}\n`);
        for (const o of c.differingOutputs) {
          process.stdout.write(`    output ${o.path}: ${o.original?.slice(0, 12) ?? 'missing'} → ${o.reproduced?.slice(0, 12) ?? 'missing'}\n`);
        }
        for (const m of c.differingMetrics) {
          process.stdout.write(`    metric ${m.key}: ${JSON.stringify(m.original)} → ${JSON.stringify(m.reproduced)}\n`);
        }
      }
      process.stdout.write(`run ${run.id}: ${reproducible ? 'reproducible' : 'NOT reproducible'} (${comparisons.length} executions, tolerance ${tolerance})\n`);
    }
    return reproducible ? 0 : 1;
  },
};
