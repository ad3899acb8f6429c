import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { projectDirFor } from '../../store/project.js';
import { uiAssetsDir } from '../../ui/assets.js';
import { isLoopbackHost, startUiServer } from '../../ui/server.js';
import { ConfigurationError } from '../../util/errors.js';

const DEFAULT_PORT = 8765;

const usage = `Usage: mlops ui [--port N] [--project-dir DIR] [options]

Serves a local web app over the project folder (default: .mlops in the repository), read live: runs and
their pipeline graphs, logs, outputs, comparisons, the model registry (promote / roll back), local
endpoints with their metrics, and drift checks. Stop it with Ctrl-C.

Options:
  --port N            port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --project-dir DIR   the project folder (default: .mlops in the repository)
  --read-only         no promote or rollback from the browser
  --host HOST         address to listen on (default 127.0.0.1, loopback only)
  --allow-remote      required with a --host that is not loopback: anyone who can reach the port and
                      holds the token can see the project and move aliases
  --token TOKEN       require this token (default with --allow-remote: a random one, printed in the URL;
                      also read from MLOPS_UI_TOKEN)`;

export const command: CliCommand = {
  summary: 'a local web UI: runs, pipeline graphs, compare, models, endpoints, drift',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-remote': { type: 'boolean', default: false },
        token: { type: 'string' },
        'read-only': { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new ConfigurationError(`unexpected argument '${positionals[0] ?? ''}'.\n${usage}`);
    const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigurationError(`--port must be a port number, got '${values.port ?? ''}'`);
    const host = values.host;
    const loopback = isLoopbackHost(host);
    if (!loopback && !values['allow-remote']) {
      throw new ConfigurationError(`--host ${host} is not loopback: add --allow-remote to serve the project beyond this machine (a token is then required)`);
    }
    let token = values.token ?? process.env['MLOPS_UI_TOKEN'];
    if (token !== undefined && token.length < 16) throw new ConfigurationError('--token must be at least 16 characters');
    if (!loopback && token === undefined) token = randomBytes(24).toString('base64url');
    const projectDir = projectDirFor(values['project-dir']);
    const server = await startUiServer({
      projectDir,
      assetsDir: uiAssetsDir(),
      host,
      port,
      ...(token !== undefined ? { token } : {}),
      readOnly: values['read-only'],
    }).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code === 'EADDRINUSE') throw new ConfigurationError(`port ${port} is in use: choose another with --port N (0 picks a free one)`);
      if (code === 'EADDRNOTAVAIL') throw new ConfigurationError(`cannot listen on ${host}: no such address on this machine`);
      throw error;
    });
    const shown = token === undefined ? server.url : `${server.url}?token=${encodeURIComponent(token)}`;
    process.stdout.write(`mlops ui: ${shown}\nproject: ${projectDir}${values['read-only'] ? ' (read-only)' : ''}\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
