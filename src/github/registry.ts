/**
 * The model registry a GitHub job reads: this repository's releases (GITHUB_REPOSITORY, GITHUB_API_URL),
 * through the job's token. Shared by the compare action and the deployment gate of a node job.
 */
import * as core from '@actions/core';
import { createGitHubClient } from '../adapters/github-client.js';
import { GitHubRegistry } from '../registry/github.js';
import { ConfigurationError } from '../util/errors.js';

export function releasesRegistry(token: string, env: NodeJS.ProcessEnv = process.env): GitHubRegistry {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(env['GITHUB_REPOSITORY'] ?? '');
  if (!match?.[1] || !match[2]) throw new ConfigurationError('GITHUB_REPOSITORY is not OWNER/NAME: cannot read the releases registry');
  if (token === '') throw new ConfigurationError('input "github-token" is required to read the production model from the releases registry');
  core.setSecret(token);
  const apiUrl = env['GITHUB_API_URL'];
  const octokit = createGitHubClient({ token, ...(apiUrl ? { baseUrl: apiUrl } : {}) });
  return new GitHubRegistry(octokit, { owner: match[1], repo: match[2] });
}
