import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { findDaemon } from '../../deploy/local/client.js';
import { readState } from '../../deploy/local/manager.js';
import { projectDirFor } from '../../store/project.js';

const usage = `Usage: mlops endpoints [--json] [--project-dir DIR]

Lists the local endpoints: URL, the version serving, and every version with its model and status.

Options:
  --json              print the endpoint states as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;

export const command: CliCommand = {
  summary: 'list local endpoints and their versions',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false }, 'project-dir': { type: 'string' } } });
    const projectDir = projectDirFor(values['project-dir']);
    const daemon = await findDaemon(projectDir);
    // Without a daemon nothing serves: show the recorded state, marked as not running.
    const endpoints = daemon ? await daemon.endpoints() : (await readState(projectDir)).endpoints.map((e) => ({ ...e, active: undefined }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ daemon: daemon !== undefined, endpoints }, null, 2)}\n`);
      return 0;
    }
    if (endpoints.length === 0) {
      process.stdout.write('no local endpoints\n');
      return 0;
    }
    for (const endpoint of endpoints) {
      const serving = endpoint.active === undefined ? 'not serving' : `v${endpoint.active} serving at ${endpoint.url}`;
      process.stdout.write(`${endpoint.deployment}/${endpoint.endpoint}: ${serving}\n`);
      for (const version of endpoint.versions) {
        const from = version.source.kind === 'run' ? `run ${version.source.runId} node ${version.source.node}` : `folder ${version.source.path}`;
        const replicas = version.replicas && version.replicas.length > 0 ? `  ${version.replicas.length} replica${version.replicas.length === 1 ? '' : 's'}` : '';
        const restarts = version.restarts ? `  ${version.restarts} restart${version.restarts === 1 ? '' : 's'}` : '';
        process.stdout.write(`  v${version.number}  ${version.status.padEnd(8)}  model ${version.modelVersion}  ${from}${replicas}${restarts}\n`);
        // Why a version was refused or fell back: the first line, which names the check that failed.
        if (version.reason) process.stdout.write(`      ${version.status === 'failed' ? 'rejected' : 'note'}: ${version.reason.split('\n')[0] ?? ''}\n`);
        // Below min-replicas while the pool keeps starting replicas with a back-off.
        const degraded = version.degraded;
        if (degraded && version.status !== 'failed' && version.status !== 'stopped') {
          const failures = degraded.failures > 0 ? `, ${degraded.failures} failed start${degraded.failures === 1 ? '' : 's'}${degraded.lastFailure ? `, last: ${degraded.lastFailure}` : ''}` : '';
          process.stdout.write(`      degraded: ${degraded.replicas} of min ${degraded.minReplicas} replicas running${failures}\n`);
        }
      }
    }
    return 0;
  },
};
