/**
 * Asking GitHub to (re)train: a `repository_dispatch` event (any workflow with
 * `on: repository_dispatch: types: [<event-type>]` starts) or a `workflow_dispatch` of one workflow
 * file on a ref, with its inputs. Monitoring calls this when a model drifts.
 */
import type { Octokit } from '@octokit/rest';
import { ConfigurationError } from '../util/errors.js';

export type DispatchRequest =
  | { kind: 'repository'; owner: string; repo: string; eventType: string; payload?: Record<string, unknown> }
  | { kind: 'workflow'; owner: string; repo: string; workflow: string; ref: string; inputs?: Record<string, string> };

/** `owner/repo` → its parts. */
export function parseRepository(text: string): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text.trim());
  if (!match?.[1] || !match[2]) throw new ConfigurationError(`'${text}' is not a repository (owner/name)`);
  return { owner: match[1], repo: match[2] };
}

export async function dispatch(octokit: Octokit, request: DispatchRequest): Promise<void> {
  if (request.kind === 'repository') {
    if (request.eventType === '' || request.eventType.length > 100) throw new ConfigurationError('the event type must be 1 to 100 characters');
    // GitHub allows at most 10 top-level keys in client_payload.
    if (request.payload && Object.keys(request.payload).length > 10) throw new ConfigurationError('client_payload may have at most 10 top-level keys');
    await octokit.rest.repos.createDispatchEvent({
      owner: request.owner,
      repo: request.repo,
      event_type: request.eventType,
      ...(request.payload ? { client_payload: request.payload } : {}),
    });
    return;
  }
  await octokit.rest.actions.createWorkflowDispatch({
    owner: request.owner,
    repo: request.repo,
    workflow_id: request.workflow,
    ref: request.ref,
    ...(request.inputs ? { inputs: request.inputs } : {}),
  });
}
