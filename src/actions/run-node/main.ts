import { registerSecret } from '../../util/redact.js';
import * as core from '@actions/core';
import type { ValohaiRootSetup } from '../../exec/valohai-paths.js';
import { metadataOutput, runNodeJob, writeNodeSummary } from '../../github/node-job.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { getErrorMessage } from '../../util/errors.js';
import { containerRuntimeFor } from '../container-input.js';
import { getInputs, INPUT_CONTAINER } from './inputs.js';

/** What the runner leaves at its defaults and tests replace: where `/valohai` is and how it is created. */
export interface RunOptions {
  valohaiRoot?: string;
  valohaiRootSetup?: ValohaiRootSetup;
}

/** The run-node action: one node (or task variant) of a pipeline as this job, results as an artifact. */
export async function run(options: RunOptions = {}): Promise<void> {
  try {
    const inputs = getInputs();
    if (inputs.githubToken !== '') {
      core.setSecret(inputs.githubToken);
      // Redacted in everything this toolkit writes too (logs, records, the uploaded artifact).
      registerSecret(inputs.githubToken);
    }
    const container = await containerRuntimeFor(inputs.container, INPUT_CONTAINER);
    const result = await runNodeJob({
      file: inputs.file,
      pipeline: inputs.pipeline,
      node: inputs.node,
      variant: inputs.variant,
      parameters: inputs.parameters,
      pipelineParameters: inputs.pipelineParameters,
      reuse: inputs.reuse,
      valohaiPaths: {
        mode: inputs.valohaiPaths,
        githubHosted: process.env['RUNNER_ENVIRONMENT'] === 'github-hosted',
        ...(options.valohaiRoot !== undefined ? { root: options.valohaiRoot } : {}),
        ...(options.valohaiRootSetup !== undefined ? { setup: options.valohaiRootSetup } : {}),
      },
      ...(container !== undefined ? { container } : {}),
      ...runnerEnvironment(process.env),
    });
    core.setOutput('status', result.status);
    core.setOutput('execution-id', result.executionId);
    core.setOutput('artifact-name', result.artifactName);
    core.setOutput('reused', String(result.reused));
    core.setOutput('metadata', metadataOutput(result.latestMetadata));
    await writeNodeSummary(result);
    if (result.status !== 'succeeded' && result.status !== 'reused') {
      throw new Error(`node ${result.node} ${result.status}${result.reason !== undefined ? `: ${result.reason}` : ''}`);
    }
  } catch (error) {
    core.setFailed(getErrorMessage(error));
  }
}
