import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { createGitHubClient } from '../../adapters/github-client.js';
import { dispatch, parseRepository, type DispatchRequest } from '../../registry/dispatch.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';

const usage = `Usage: mlops trigger --repo OWNER/NAME (--event-type TYPE [--payload JSON] | --workflow FILE [--ref REF] [--input NAME=VALUE]...)

Starts training on GitHub: a repository_dispatch event (POST /repos/{owner}/{repo}/dispatches) that
workflows with \`on: repository_dispatch: types: [TYPE]\` react to, or a workflow_dispatch of one
workflow file on a ref. The token comes from GITHUB_TOKEN or GH_TOKEN (needs contents: write for
repository_dispatch, actions: write for workflow_dispatch).

Options:
  --repo OWNER/NAME   the repository (default: GITHUB_REPOSITORY)
  --event-type TYPE   repository_dispatch event type, e.g. retrain
  --payload JSON      client_payload object (at most 10 top-level keys)
  --workflow FILE     workflow file name or id, e.g. mlops-pipeline.yml
  --ref REF           branch or tag for workflow_dispatch (default: main)
  --input NAME=VALUE  a workflow_dispatch input (repeatable)
  --api-url URL       the REST API (default: GITHUB_API_URL or https://api.github.com)`;

export const command: CliCommand = {
  summary: 'start training on GitHub (repository_dispatch or workflow_dispatch)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        repo: { type: 'string' },
        'event-type': { type: 'string' },
        payload: { type: 'string' },
        workflow: { type: 'string' },
        ref: { type: 'string', default: 'main' },
        input: { type: 'string', multiple: true, default: [] },
        'api-url': { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new ConfigurationError(`trigger takes no arguments.\n${usage}`);
    const repository = values.repo ?? process.env['GITHUB_REPOSITORY'];
    if (!repository) throw new ConfigurationError('give --repo OWNER/NAME');
    const { owner, repo } = parseRepository(repository);
    const token = process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'];
    if (!token) throw new ConfigurationError('set GITHUB_TOKEN (or GH_TOKEN) to a token that may dispatch workflows');
    if ((values['event-type'] === undefined) === (values.workflow === undefined)) throw new ConfigurationError(`give --event-type or --workflow.\n${usage}`);
    let request: DispatchRequest;
    if (values['event-type'] !== undefined) {
      request = { kind: 'repository', owner, repo, eventType: values['event-type'] };
      if (values.payload !== undefined) {
        let payload: unknown;
        try {
          payload = JSON.parse(values.payload);
        } catch (error) {
          throw new ConfigurationError(`--payload is not JSON: ${getErrorMessage(error)}`);
        }
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new ConfigurationError('--payload must be a JSON object');
        request.payload = payload as Record<string, unknown>;
      }
    } else {
      const inputs: Record<string, string> = {};
      for (const item of values.input) {
        const eq = item.indexOf('=');
        if (eq <= 0) throw new ConfigurationError(`--input expects NAME=VALUE, got ${JSON.stringify(item)}`);
        inputs[item.slice(0, eq)] = item.slice(eq + 1);
      }
      request = { kind: 'workflow', owner, repo, workflow: values.workflow ?? '', ref: values.ref, ...(values.input.length > 0 ? { inputs } : {}) };
    }
    const baseUrl = values['api-url'] ?? process.env['GITHUB_API_URL'];
    const octokit = createGitHubClient({ token, ...(baseUrl ? { baseUrl } : {}), log: (m) => process.stderr.write(`${m}\n`) });
    try {
      await dispatch(octokit, request);
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      throw new ConfigurationError(`GitHub refused the dispatch: ${getErrorMessage(error)}`);
    }
    process.stdout.write(request.kind === 'repository' ? `dispatched repository_dispatch '${request.eventType}' to ${owner}/${repo}\n` : `dispatched workflow ${request.workflow} on ${request.ref} of ${owner}/${repo}\n`);
    return 0;
  },
};
