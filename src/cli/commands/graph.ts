import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { loadPipelineFile } from '../../pipeline/load.js';
import { formatDiagnostic } from '../../pipeline/diagnostics.js';
import { pipelineToMermaid } from '../../pipeline/graph.js';
import { ConfigurationError } from '../../util/errors.js';

const usage = `Usage: mlops graph [FILE] --pipeline NAME

Prints the pipeline's DAG as a Mermaid flowchart (paste it into a Markdown \`\`\`mermaid block).`;

export const command: CliCommand = {
  summary: 'print a pipeline as a Mermaid flowchart',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { pipeline: { type: 'string', short: 'p' } },
      allowPositionals: true,
    });
    const file = positionals[0] ?? 'valohai.yaml';
    const result = await loadPipelineFile(file);
    for (const diagnostic of result.diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
    if (!result.config) return 1;
    const names = [...result.config.pipelines.keys()];
    const name = values.pipeline ?? (names.length === 1 ? names[0] : undefined);
    if (name === undefined) {
      throw new ConfigurationError(
        names.length === 0
          ? `${file} declares no pipeline; add a '- pipeline:' item.`
          : `choose a pipeline with --pipeline NAME (one of: ${names.join(', ')}).`,
      );
    }
    const pipeline = result.config.pipelines.get(name);
    if (!pipeline) {
      throw new ConfigurationError(`no pipeline named '${name}' in ${file} (declared: ${names.join(', ') || 'none'}).`);
    }
    process.stdout.write(`${pipelineToMermaid(pipeline)}\n`);
    return 0;
  },
};
