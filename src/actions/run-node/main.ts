import { registerSecret } from '../../util/redact.js';
import * as core from '@actions/core';
import type { ValohaiRootSetup } from '../../exec/valohai-paths.js';
import type { NodeJobResult } from '../../github/node-job.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { ConfigurationError } from '../../util/errors.js';
import { containerRuntimeFor } from '../container-input.js';
import { runAction } from '../run-action.js';
import { getInputs, INPUT_CONTAINER } from './inputs.js';
import {
  OUTPUT_APPROVAL,
  OUTPUT_ARTIFACT_NAME,
  OUTPUT_EXECUTION_ID,
  OUTPUT_METADATA,
  OUTPUT_REUSED,
  OUTPUT_STATE,
  OUTPUT_STATUS,
  OUTPUT_VERDICT,
} from './outputs.js';

/** What the runner leaves at its defaults and tests replace: where `/valohai` is and how it is created. */
export interface RunOptions {
  valohaiRoot?: string;
  valohaiRootSetup?: ValohaiRootSetup;
}

/**
 * Whether the job fails, as the local runner's exit code and node states say: a failed node fails it
 * (unless `on-error: continue`), so does a pipeline failed by an action or `on-error`; a stop-pipeline
 * or a node skipped because of one does not.
 */
function failureOf(result: NodeJobResult): string | undefined {
  if (result.halt?.status === 'failed') return result.halt.reason;
  const why = result.reason !== undefined ? `: ${result.reason}` : '';
  if (result.state === 'failed' && !result.dependentsRun) return `node ${result.node} ${result.status}${why}`;
  if (result.state === 'cancelled' || result.state === 'awaiting-approval') return `node ${result.node} ${result.state}${why}`;
  return undefined;
}

/** The run-node action: one node (or task variant) of a pipeline as this job, results as an artifact. */
export async function run(options: RunOptions = {}): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    if (inputs.githubToken !== '') {
      core.setSecret(inputs.githubToken);
      // Redacted in everything this toolkit writes too (logs, records, the uploaded artifact).
      registerSecret(inputs.githubToken);
    }
    const container = await containerRuntimeFor(inputs.container, INPUT_CONTAINER);
    // The node runtime (the runner, the artifact clients) loads once the inputs are read and checked:
    // a bad input fails in a fraction of the start-up time.
    const { metadataOutput, runNodeJob, writeNodeSummary } = await import('../../github/node-job.js');
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
      githubToken: inputs.githubToken,
      ...runnerEnvironment(process.env),
    });
    core.setOutput(OUTPUT_STATUS, result.status);
    core.setOutput(OUTPUT_STATE, result.state);
    core.setOutput(OUTPUT_VERDICT, result.verdict ?? '');
    core.setOutput(OUTPUT_APPROVAL, result.approvalRequired ? 'required' : '');
    core.setOutput(OUTPUT_EXECUTION_ID, result.executionId);
    core.setOutput(OUTPUT_ARTIFACT_NAME, result.artifactName);
    core.setOutput(OUTPUT_REUSED, String(result.reused));
    core.setOutput(OUTPUT_METADATA, metadataOutput(result.latestMetadata));
    await writeNodeSummary(result);
    if (result.halt?.status === 'stopped') core.notice(`Pipeline stopped: ${result.halt.reason}`);
    if (result.state === 'failed' && result.dependentsRun) {
      core.warning(`node ${result.node} ${result.status} (on-error: continue, dependents run)${result.reason !== undefined ? `: ${result.reason}` : ''}`);
    }
    const failure = failureOf(result);
    if (failure !== undefined) throw new ConfigurationError(failure);
  });
}
