/**
 * GitHub Deployments for a model rollout: one deployment per rollout (environment, model version in the
 * payload), then statuses in_progress → success/failure with the environment URL. `auto_merge: false`
 * because a model rollout deploys a chosen ref as is, and `required_contexts: []` because the pipeline's
 * own checks (and the environment's required reviewers) already gated it.
 */
import type { Octokit } from '@octokit/rest';
import type { DeployRequest } from './model.js';

export interface GitHubDeploymentTarget {
  owner: string;
  repo: string;
  /** The commit or branch being deployed (GITHUB_SHA in a workflow). */
  ref: string;
  environment: string;
  /** Link to the workflow run, shown as the status log. */
  logUrl?: string;
}

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface RecordedDeployment {
  id: number;
  setStatus(state: DeploymentState, description: string, environmentUrl?: string): Promise<void>;
}

/** Where the images of a Kubernetes rollout are: the server image and the model image (modelcar), by digest. */
export interface DeployedImages {
  server?: string;
  model?: string;
}

/** The payload stored with the deployment: enough to know later what model served, and from where. */
export function deploymentPayload(request: DeployRequest, images: DeployedImages = {}): Record<string, unknown> {
  const source = request.version.source;
  return {
    deployment: request.deployment,
    endpoint: request.endpoint.name,
    model_version: request.version.id,
    strategy: request.strategy,
    target: request.target.kind,
    files: request.version.files.map((f) => ({ name: f.name, path: f.path, sha256: f.sha256, size: f.size })),
    ...(source.kind === 'run' ? { run: source.runId, node: source.node, pipeline: source.pipeline } : {}),
    ...(images.server ? { server_image: images.server } : {}),
    ...(images.model ? { model_image: images.model } : {}),
  };
}

export async function recordDeployment(octokit: Octokit, target: GitHubDeploymentTarget, request: DeployRequest, images: DeployedImages = {}): Promise<RecordedDeployment> {
  const created = await octokit.rest.repos.createDeployment({
    owner: target.owner,
    repo: target.repo,
    ref: target.ref,
    task: 'deploy:model',
    auto_merge: false,
    required_contexts: [],
    environment: target.environment,
    description: `${request.deployment}/${request.endpoint.name} model ${request.version.id}`.slice(0, 140),
    payload: deploymentPayload(request, images),
    production_environment: target.environment === 'production',
  });
  // 202 means GitHub merged the default branch instead of deploying; auto_merge is off, so only 201 is expected.
  if (created.status !== 201 || !('id' in created.data)) throw new Error(`GitHub did not create the deployment: ${JSON.stringify(created.data)}`);
  const id = created.data.id;
  return {
    id,
    async setStatus(state, description, environmentUrl) {
      await octokit.rest.repos.createDeploymentStatus({
        owner: target.owner,
        repo: target.repo,
        deployment_id: id,
        state,
        description: description.slice(0, 140),
        environment: target.environment,
        ...(environmentUrl ? { environment_url: environmentUrl } : {}),
        ...(target.logUrl ? { log_url: target.logUrl } : {}),
        auto_inactive: state === 'success',
      });
    },
  };
}
