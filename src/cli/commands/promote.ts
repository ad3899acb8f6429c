import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { ConfigurationError } from '../../util/errors.js';
import { OPERATION_OPTIONS, OPERATION_USAGE, runKubernetesOperation } from './kubernetes-operation.js';

const usage = `Usage: mlops promote [FILE] [--deployment NAME] [--endpoint NAME] [options]

Gives the running canary's model version to the Deployment that serves (a rolling update, checked
through the Service's Endpoints, rolled back automatically on failure) and removes the canary.
Canaries run on Kubernetes only (\`mlops deploy --target kubernetes --strategy canary --manual-promote\`).

${OPERATION_USAGE}`;

export const command: CliCommand = {
  summary: 'promote a Kubernetes canary: its version replaces the serving one (rolling, with automatic rollback)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPERATION_OPTIONS });
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one pipeline file, got ${positionals.join(' ')}`);
    if (values.target !== undefined && values.target !== 'kubernetes') throw new ConfigurationError('promote works on Kubernetes canaries: --target kubernetes (a local endpoint has no canary)');
    return runKubernetesOperation('promote', values, positionals[0]);
  },
};
