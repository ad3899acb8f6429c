import * as core from '@actions/core';
import { metadataOutput, runNodeJob, writeNodeSummary } from '../../github/node-job.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { getErrorMessage } from '../../util/errors.js';
import { getInputs } from './inputs.js';

/** The run-node action: one node (or task variant) of a pipeline as this job, results as an artifact. */
export async function run(): Promise<void> {
  try {
    const inputs = getInputs();
    if (inputs.githubToken !== '') core.setSecret(inputs.githubToken);
    const result = await runNodeJob({
      file: inputs.file,
      pipeline: inputs.pipeline,
      node: inputs.node,
      variant: inputs.variant,
      parameters: inputs.parameters,
      pipelineParameters: inputs.pipelineParameters,
      reuse: inputs.reuse,
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
