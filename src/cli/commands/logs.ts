import { readFile } from 'node:fs/promises';

import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { loadRun } from '../../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { projectDirFor } from '../../store/project.js';

const usage = `Usage: mlops logs RUN NODE [--project-dir DIR]

Prints the full log of every execution of NODE in RUN (a task node has several; each is headed by
its execution id). Reused executions print the log of the execution they reuse.`;

export const command: CliCommand = {
  summary: "print a node's execution logs",
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { 'project-dir': { type: 'string' } },
      allowPositionals: true,
    });
    const [id, nodeName] = positionals;
    if (id === undefined || nodeName === undefined) throw new ConfigurationError(`logs needs RUN and NODE. ${usage}`);
    const run = await loadRun(projectDirFor(values['project-dir']), id);
    const node = run.nodes[nodeName];
    if (!node) {
      throw new ConfigurationError(`run ${run.id} has no node ${nodeName} (nodes: ${Object.keys(run.nodes).join(', ')})`);
    }
    if (node.executions.length === 0) {
      process.stderr.write(`node ${nodeName} has no executions (${node.state}${node.reason ? `: ${node.reason}` : ''})\n`);
      return 1;
    }
    const many = node.executions.length > 1;
    for (const execution of node.executions) {
      if (many) process.stdout.write(`==> ${execution.executionId} (${execution.status}) <==\n`);
      try {
        process.stdout.write(await readFile(execution.logPath, 'utf8'));
      } catch (error) {
        process.stderr.write(`cannot read log ${execution.logPath}: ${getErrorMessage(error)}\n`);
      }
    }
    return 0;
  },
};
