import { registerSecret } from '../../util/redact.js';
import * as core from '@actions/core';
import type { ValohaiRootSetup } from '../../exec/valohai-paths.js';
import { runnerEnvironment } from '../../github/runner-env.js';
import { containerRuntimeFor } from '../container-input.js';
import { getInputs, INPUT_CONTAINER } from './inputs.js';
import { runAction } from '../run-action.js';
import { OutcomeFailure } from '../../util/errors.js';

/** What the runner leaves at its defaults and tests replace: where `/valohai` is and how it is created. */
export interface RunOptions {
  valohaiRoot?: string;
  valohaiRootSetup?: ValohaiRootSetup;
}

/** The root action: the whole pipeline in this job, its results as one artifact, a summary. */
export async function run(options: RunOptions = {}): Promise<void> {
  await runAction(async () => {
    const inputs = getInputs();
    if (inputs.githubToken !== '') {
      core.setSecret(inputs.githubToken);
      // Redacted in everything this toolkit writes too (logs, records, the uploaded artifact).
      registerSecret(inputs.githubToken);
    }
    const { workspace, tempDir, runAttempt } = runnerEnvironment(process.env);
    const container = await containerRuntimeFor(inputs.container, INPUT_CONTAINER);
    // The runner loads once the inputs are read and checked: a bad input fails in a fraction of the start-up time.
    const { runPipelineJob, writeRunSummary } = await import('./pipeline-job.js');
    const result = await runPipelineJob({
      file: inputs.file,
      pipeline: inputs.pipeline,
      parameters: inputs.parameters,
      workspace,
      tempDir,
      runAttempt,
      githubToken: inputs.githubToken,
      valohaiPaths: {
        mode: inputs.valohaiPaths,
        githubHosted: process.env['RUNNER_ENVIRONMENT'] === 'github-hosted',
        ...(options.valohaiRoot !== undefined ? { root: options.valohaiRoot } : {}),
        ...(options.valohaiRootSetup !== undefined ? { setup: options.valohaiRootSetup } : {}),
      },
      ...(container !== undefined ? { container } : {}),
    });
    core.setOutput('run-id', result.run.id);
    core.setOutput('status', result.run.status);
    core.setOutput('artifact-name', result.artifactName);
    core.setOutput('run-file', result.runFile);
    await writeRunSummary(result);
    if (result.run.status !== 'succeeded') {
      throw new OutcomeFailure(`pipeline ${result.run.pipeline} ${result.run.status}${result.run.reason !== undefined ? `: ${result.run.reason}` : ''}`);
    }
  });
}
