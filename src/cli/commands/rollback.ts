import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { findDaemon } from '../../deploy/local/client.js';
import { projectDirFor } from '../../store/project.js';
import { ConfigurationError } from '../../util/errors.js';

const usage = `Usage: mlops rollback [--deployment NAME] [--endpoint NAME] [--project-dir DIR] [--json]

Switches a local endpoint back to the version that served before the current one (started beside
it, health-checked, then given the traffic). Without names, the only local endpoint.`;

export const command: CliCommand = {
  summary: 'switch a local endpoint back to its previous version',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { deployment: { type: 'string' }, endpoint: { type: 'string' }, 'project-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const daemon = await findDaemon(projectDirFor(values['project-dir']));
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
