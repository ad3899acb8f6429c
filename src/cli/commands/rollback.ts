import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { findDaemon } from '../../deploy/local/client.js';
import { projectDirFor } from '../../store/project.js';
import { ConfigurationError } from '../../util/errors.js';
import { isKubernetes, OPERATION_OPTIONS, OPERATION_USAGE, runKubernetesOperation } from './kubernetes-operation.js';

const usage = `Usage: mlops rollback [FILE] [--deployment NAME] [--endpoint NAME] [--target local|kubernetes] [options]

Local: switches a local endpoint back to the version that served before the current one (started
beside it, health-checked, then given the traffic). Without names, the only local endpoint.
Kubernetes: goes back to the newest earlier model version that served (the revision history kept in
the cluster, skipping versions that failed or were rolled back), so each rollback goes one further
back; in place on a rolling endpoint, through the idle colour on a blue-green one.

${OPERATION_USAGE}`;

export const command: CliCommand = {
  summary: 'switch a local endpoint back to its previous version',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPERATION_OPTIONS });
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one pipeline file, got ${positionals.join(' ')}`);
    if (values.target !== undefined && values.target !== 'local' && values.target !== 'kubernetes') throw new ConfigurationError(`--target must be local or kubernetes, got '${values.target}'`);
    if (values.target === 'kubernetes') return runKubernetesOperation('rollback', values, positionals[0]);
    const daemon = await findDaemon(projectDirFor(values['project-dir']));
    // No local endpoint running and the file deploys to Kubernetes: that is the endpoint meant.
    if (!daemon && values.target === undefined && (await isKubernetes(values, positionals[0]))) return runKubernetesOperation('rollback', values, positionals[0]);
    if (!daemon) throw new ConfigurationError('no local deployment is running (start one with `mlops deploy`)');
    const candidates = (await daemon.endpoints()).filter(
      (e) => (values.deployment === undefined || e.deployment === values.deployment) && (values.endpoint === undefined || e.endpoint === values.endpoint),
    );
    const chosen = candidates[0];
    if (!chosen || candidates.length > 1) {
      throw new ConfigurationError(
        chosen ? `several endpoints match (${candidates.map((e) => `${e.deployment}/${e.endpoint}`).join(', ')}); give --deployment and --endpoint` : 'no local endpoint matches',
      );
    }
    const result = await daemon.rollback(chosen.deployment, chosen.endpoint);
    if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${result.ok ? 'rolled back: ' : 'rollback failed: '}${chosen.deployment}/${chosen.endpoint} ${result.message}\n`);
    return result.ok ? 0 : 1;
  },
};
