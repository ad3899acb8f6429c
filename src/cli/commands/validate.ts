import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { loadPipelineFile } from '../../pipeline/load.js';
import { formatDiagnostic } from '../../pipeline/diagnostics.js';
import { ConfigurationError } from '../../util/errors.js';

const usage = `Usage: mlops validate [FILE] [--json]

Checks a pipeline file (default ./valohai.yaml) and prints every problem as
file:line:col: severity: message. Exit code 0 when valid or warnings only, 1 on errors.

Options:
  --json    print {file, valid, errors, warnings, diagnostics[]} for machines`;

export const command: CliCommand = {
  summary: 'check a pipeline file and print every problem with file:line:col',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    if (positionals.length > 1) throw new ConfigurationError(`validate takes one file, got ${positionals.length}. ${usage}`);
    const file = positionals[0] ?? 'valohai.yaml';
    const result = await loadPipelineFile(file);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ file, valid: errors.length === 0, errors: errors.length, warnings: warnings.length, diagnostics: result.diagnostics }, null, 2)}\n`,
      );
    } else {
      for (const diagnostic of result.diagnostics) {
        const stream = diagnostic.severity === 'error' ? process.stderr : process.stdout;
        stream.write(`${formatDiagnostic(diagnostic)}\n`);
      }
      const verdict = errors.length > 0 ? 'invalid' : 'valid';
      process.stdout.write(`${file}: ${verdict} (${errors.length} error(s), ${warnings.length} warning(s))\n`);
    }
    return errors.length > 0 ? 1 : 0;
  },
};
