import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { profileFile } from '../../monitor/profile.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeJsonAtomic } from '../../util/fs.js';

const usage = `Usage: mlops profile DATA [-o profile.json] [options]

Streams DATA (.csv/.tsv with a header row, or .jsonl/.ndjson; optionally .gz) once and writes its
reference profile: per column the type, counts, missing share, min/max, mean/std, quantiles, decile
edges, a fine histogram and capped category frequencies. Memory is bounded per column, not by the file.

Options:
  -o, --output FILE        write the profile here (default: print it)
  --categorical COL,...    treat these columns as categories even when their values are numbers
  --label COL              the label column (categorical; with --prediction the profile records accuracy)
  --prediction COL         the model's prediction column (categorical)`;

function list(text: string | undefined): string[] {
  return text === undefined ? [] : text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

export const command: CliCommand = {
  summary: 'stream a CSV/JSONL file once and write its reference profile for drift checks',
  usage,
  async run(argv) {
    // Input errors exit 2, as in `mlops drift` (where 1 means drift); bugs are printed as bugs.
    try {
      return await profile(argv);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      process.stderr.write(`mlops profile: ${getErrorMessage(error)}\n`);
      return 2;
    }
  },
};

async function profile(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      output: { type: 'string', short: 'o' },
      categorical: { type: 'string' },
      label: { type: 'string' },
      prediction: { type: 'string' },
    },
    allowPositionals: true,
  });
  const [data, ...extra] = positionals;
  if (data === undefined || extra.length > 0) throw new ConfigurationError(`profile takes one data file.\n${usage}`);
  const profile = await profileFile(data, {
    categorical: list(values.categorical),
    ...(values.label !== undefined ? { label: values.label } : {}),
    ...(values.prediction !== undefined ? { prediction: values.prediction } : {}),
  });
  if (values.output !== undefined) {
    await writeJsonAtomic(values.output, profile);
    process.stderr.write(`profiled ${profile.rows} rows, ${profile.columns.length} columns → ${values.output}\n`);
  } else {
    process.stdout.write(`${JSON.stringify(profile, null, 2)}\n`);
  }
  return 0;
}
