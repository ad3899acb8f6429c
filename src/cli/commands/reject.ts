import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { ConfigurationError } from '../../util/errors.js';
import { OPERATION_OPTIONS, OPERATION_USAGE, runKubernetesOperation } from './kubernetes-operation.js';

const usage = `Usage: mlops reject [FILE] [--deployment NAME] [--endpoint NAME] [options]

Takes the canary out of the Service, removes it and gives the serving Deployment its former size.
Canaries run on Kubernetes only (\`mlops deploy --target kubernetes --strategy canary --manual-promote\`).

${OPERATION_USAGE}`;

export const command: CliCommand = {
  summary: 'reject a Kubernetes canary: remove it, the serving version keeps all traffic',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPERATION_OPTIONS });
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one pipeline file, got ${positionals.join(' ')}`);
    if (values.target !== undefined && values.target !== 'kubernetes') throw new ConfigurationError('reject works on Kubernetes canaries: --target kubernetes (a local endpoint has no canary)');
    return runKubernetesOperation('reject', values, positionals[0]);
  },
};
