
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { loadRun } from '../../store/runs.js';
import { ConfigurationError } from '../../util/errors.js';
import { formatDuration } from './runs.js';
import { projectDirFor } from '../../store/project.js';

const usage = `Usage: mlops show RUN [--json] [--project-dir DIR]

Shows a run: its nodes with states and durations, and each execution's parameters, latest metadata and
outputs (path, size, sha256). RUN is a run id, a unique prefix of one, or "latest".

Options:
  --json              print the whole run record
  --project-dir DIR   the project folder (default: .mlops in the repository)`;

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export const command: CliCommand = {
  summary: 'show a run: nodes, states, durations, parameters, metadata, outputs',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean', default: false }, 'project-dir': { type: 'string' } },
      allowPositionals: true,
    });
    const id = positionals[0];
    if (id === undefined || positionals.length > 1) throw new ConfigurationError(`show takes one run id. ${usage}`);
    const run = await loadRun(projectDirFor(values['project-dir']), id);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    out.push(`run ${run.id}  pipeline ${run.pipeline}  ${run.status}  ${formatDuration(run.createdAt, run.finishedAt)}`);
    out.push(`file ${run.file}`);
    if (run.reason) out.push(`reason: ${run.reason}`);
    out.push(`ran ${run.request?.container ? `in containers (${run.request.container})` : 'on the host'}`);
    if (Object.keys(run.parameters).length > 0) out.push(`parameters: ${short(run.parameters)}`);
    for (const [name, node] of Object.entries(run.nodes)) {
      out.push('');
      out.push(`node ${name}  ${node.state}  ${formatDuration(node.startedAt, node.finishedAt)}${node.reason ? `  (${node.reason})` : ''}`);
      for (const execution of node.executions) {
        const reused = execution.reusedFrom ? `  reused from ${execution.reusedFrom.runId}/${execution.reusedFrom.executionId}` : '';
        out.push(`  execution ${execution.executionId}  ${execution.status}  ${formatDuration(execution.startedAt, execution.finishedAt)}${reused}`);
        if (execution.reason) out.push(`    reason: ${execution.reason}`);
        if (execution.variant) out.push(`    variant: ${short(execution.variant)}`);
        if (Object.keys(execution.parameters).length > 0) out.push(`    parameters: ${short(execution.parameters)}`);
        for (const [key, value] of Object.entries(execution.latestMetadata)) out.push(`    metadata ${key} = ${short(value)}`);
        for (const output of execution.outputs) out.push(`    output ${output.path}  ${output.size} B  sha256:${output.sha256.slice(0, 12)}`);
      }
    }
    for (const deployment of run.deployments ?? []) {
      out.push('');
      out.push(`deployment ${deployment.deployment} (node ${deployment.node})  endpoints ${deployment.endpoints.join(', ') || '-'}  aliases ${deployment.aliases.join(', ') || '-'}`);
      for (const file of deployment.files) {
        out.push(`  ${file.endpoint}.${file.name} ← ${file.from.node}:${file.from.path}  sha256:${file.sha256.slice(0, 12)}`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};
