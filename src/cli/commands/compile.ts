import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { DEFAULT_ACTION_REF, formatActionRef, parseActionRef } from '../../plan/action-ref.js';
import { compileWorkflow, defaultWorkflowPath } from '../../plan/compile.js';
import { loadConfigOrThrow } from '../../plan/load-config.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { defaultBranch } from '../../util/git.js';

const usage = `Usage: mlops compile [FILE] --pipeline NAME [-o PATH] [--action-ref OWNER/REPO@REF] [--default-branch B] [--stdout]

Writes a GitHub Actions workflow with one job per node of the pipeline (a task node is one job with a
matrix of its variants) and exact \`needs:\`. The file is generated: regenerate it after changing the
pipeline instead of editing it. Run it from the repository root.

Options:
  -p, --pipeline NAME   the pipeline to compile (optional when the file has exactly one)
  -o, --output PATH     where to write (default .github/workflows/mlops-<pipeline>.yml)
      --action-ref REF  this toolkit's release: OWNER/REPO@TAG or OWNER/REPO@<40-hex SHA>
                        (default ${DEFAULT_ACTION_REF})
      --action USES     the run-node action's full uses: value instead (e.g. ./actions/run-node)
      --default-branch B  the branch pushes and pull requests run on (default: read from git)
      --stdout          print the workflow instead of writing it`;

export const command: CliCommand = {
  summary: 'write a static GitHub Actions workflow with one job per pipeline node',
  usage,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          pipeline: { type: 'string', short: 'p' },
          output: { type: 'string', short: 'o' },
          action: { type: 'string' },
          'action-ref': { type: 'string' },
          'default-branch': { type: 'string' },
          stdout: { type: 'boolean' },
        },
        allowPositionals: true,
      });
    } catch (error) {
      throw new ConfigurationError(`${getErrorMessage(error)}\n${usage}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one FILE, got ${positionals.length}\n${usage}`);
    const file = positionals[0] ?? 'valohai.yaml';
    // The workflow names the file relative to the repository root, which is where this runs.
    const fileInRepository = relative(process.cwd(), resolve(file)).split(sep).join('/');
    if (fileInRepository === '' || fileInRepository.startsWith('../') || isAbsolute(fileInRepository)) {
      throw new ConfigurationError(`${file} is outside the current folder; run mlops compile from the repository root`);
    }
    const { config, warnings } = await loadConfigOrThrow(file);
    for (const warning of warnings) process.stderr.write(`${warning}\n`);
    const names = [...config.pipelines.keys()];
    const pipeline = values.pipeline ?? (names.length === 1 ? names[0] : undefined);
    if (pipeline === undefined) {
      throw new ConfigurationError(
        names.length === 0
          ? `${file} declares no pipeline; add a '- pipeline:' item.`
          : `choose a pipeline with --pipeline NAME (one of: ${names.join(', ')}).`,
      );
    }
    const output = values.output ?? defaultWorkflowPath(pipeline);
    const actionRef = values['action-ref'] !== undefined ? parseActionRef(values['action-ref']) : undefined;
    const branch = values['default-branch'] ?? (await defaultBranch(process.cwd())).branch;
    const regenerate = ['mlops compile', fileInRepository, '--pipeline', JSON.stringify(pipeline)];
    if (values.output !== undefined) regenerate.push('-o', values.output);
    if (values.action !== undefined) regenerate.push('--action', values.action);
    if (actionRef !== undefined) regenerate.push('--action-ref', formatActionRef(actionRef));
    if (values['default-branch'] !== undefined) regenerate.push('--default-branch', branch);
    const text = compileWorkflow(config, pipeline, {
      file: fileInRepository,
      defaultBranch: branch,
      ...(actionRef !== undefined ? { actionRef } : {}),
      ...(values.action !== undefined ? { runNodeAction: values.action } : {}),
      regenerateCommand: regenerate.join(' '),
    });
    if (values.stdout) {
      process.stdout.write(text);
      return 0;
    }
    await writeFileAtomic(output, text);
    process.stderr.write(`wrote ${output} (${config.pipelines.get(pipeline)?.nodes.length ?? 0} nodes)\n`);
    return 0;
  },
};
