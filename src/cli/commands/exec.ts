import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import type { Pipeline } from '../../pipeline/model.js';
import { ConfigurationError } from '../../util/errors.js';
import { absoluteUnlessUrl, exitCodeOf, loadConfigOrExplain, parseMultiPairs, runWithProgress, takeContainerFlag } from './run.js';
import { findContainerRuntime } from '../../exec/container.js';
import { cliParameterPairs } from '../../exec/config-files.js';
import { projectDirFor, repositoryRoot } from '../../store/project.js';

const usage = `Usage: mlops exec [FILE] --step NAME [options]

Runs one step of FILE (default ./valohai.yaml) as a one-node run, printing its output as it runs.

Options:
  --step NAME            the step to run
  --param NAME=VALUE     a parameter value (repeatable)
  --input NAME=PATH|URL  files for an input instead of its defaults (repeatable)
  --reuse                take the result of an identical earlier execution instead of running
  --container[=ENGINE]   run the step in its image with docker or podman (default: the first on PATH),
                         its folders mounted at /valohai/{inputs,outputs,config,repository}
  --project-dir DIR      where runs and the artifact store live (default: .mlops next to FILE)`;

/** A one-node pipeline around a step, so that `exec` records a run like any other. */
function singleStepPipeline(step: string, file: string): { pipeline: Pipeline; node: string } {
  const node = step.replace(/[^A-Za-z0-9_-]+/g, '-');
  const position = { file, line: 1, col: 1 };
  return {
    node,
    pipeline: {
      name: `step:${step}`,
      nodes: [{ type: 'execution', name: node, step, actions: [], onError: 'stop-all', edgeMergeMode: 'replace', position }],
      edges: [],
      parameters: [],
      reuseExecutions: false,
      position,
    },
  };
}

export const command: CliCommand = {
  summary: 'run one step of the pipeline file',
  usage,
  async run(argv) {
    const flag = takeContainerFlag(argv);
    const { values, positionals } = parseArgs({
      args: flag.argv,
      options: {
        step: { type: 'string' },
        param: { type: 'string', multiple: true, default: [] },
        input: { type: 'string', multiple: true, default: [] },
        reuse: { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
      },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new ConfigurationError(`exec takes one file, got ${positionals.length}`);
    const file = positionals[0] ?? 'valohai.yaml';
    const config = await loadConfigOrExplain(file);
    const stepName = values.step;
    if (stepName === undefined || !config.steps.has(stepName)) {
      throw new ConfigurationError(`choose a step with --step NAME (steps in ${file}: ${[...config.steps.keys()].join(', ') || 'none'})`);
    }
    const { pipeline, node } = singleStepPipeline(stepName, config.file);
    config.pipelines.set(pipeline.name, pipeline);
    const parameters: Record<string, string> = {};
    for (const [k, v] of Object.entries(cliParameterPairs(values.param))) parameters[`${node}.${k}`] = v;
    const inputs: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(parseMultiPairs(values.input, '--input'))) inputs[`${node}.${k}`] = v.map(absoluteUnlessUrl);
    const repositoryDir = repositoryRoot(dirname(resolve(file)));
    const container = flag.container === undefined ? undefined : await findContainerRuntime(flag.container);
    const run = await runWithProgress({
      config,
      pipeline: pipeline.name,
      repositoryDir,
      projectDir: projectDirFor(values['project-dir'], file, true),
      parameters,
      inputs,
      reuse: values.reuse,
      jobs: 1,
      streamLines: true,
      container,
    });
    process.stdout.write(`run ${run.id}: ${run.status}${run.reason ? ` (${run.reason})` : ''}\n`);
    return exitCodeOf(run);
  },
};
