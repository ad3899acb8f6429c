/**
 * The deployment gate of a GitHub node job: the candidates are the node artifacts this workflow run's
 * earlier waves uploaded for the deployment node's ancestors (as the compare job reads them), the baseline
 * the releases registry's production model: MLOPS_MODEL (the pipeline template's workflow env, which its
 * compare job names too), else the registry's only model.
 */
import * as core from '@actions/core';
import { gateVerdict } from '../compare/gate.js';
import type { DeploymentGate } from '../exec/deployment-gate.js';
import { registryBaselineRequest } from '../registry/baseline.js';
import { releasesRegistry } from './registry.js';
import { baseBranchFallback } from './base-branch.js';
import { loadWorkflowRunCandidates } from './workflow-run.js';

export interface WorkflowRunGateOptions {
  file: string;
  pipeline: string;
  runAttempt: number;
  tempDir: string;
  token: string;
}

export function workflowRunGate(options: WorkflowRunGateOptions): DeploymentGate {
  return async (request) => {
    const found = await core.group('Read the candidates of the deployment gate', async () => {
      const loaded = await loadWorkflowRunCandidates({ file: options.file, pipeline: options.pipeline, runAttempt: options.runAttempt, tempDir: options.tempDir, nodes: request.ancestors });
      for (const name of loaded.artifacts) core.info(name);
      return loaded;
    });
    const registry = registryBaselineRequest(() => releasesRegistry(options.token), process.env['MLOPS_MODEL'] || undefined);
    // A pull request: without a production model, the base branch's latest decision, as the compare job has it.
    const branch = process.env['GITHUB_BASE_REF'] || undefined;
    const baseline = branch === undefined ? registry : { ...registry, fallback: baseBranchFallback({ branch, pipeline: options.pipeline, token: options.token, tempDir: options.tempDir }) };
    const verdict = await gateVerdict(request, found.candidates, baseline);
    core.info(`gate: ${verdict.decision}: ${verdict.reason}`);
    return verdict;
  };
}
