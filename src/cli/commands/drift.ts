import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { loadDriftConfig, loadProfile } from '../../monitor/config.js';
import { detectDrift, type DriftVerdict } from '../../monitor/drift.js';
import { appendHistory, HISTORY_DIR, historyFile, readHistory, renderHistoryText } from '../../monitor/history.js';
import { renderDriftMarkdown } from '../../monitor/markdown.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';

/** Exit codes: a gate must tell "drift" from "could not check". */
export const EXIT_NO_DRIFT = 0;
export const EXIT_DRIFT = 1;
export const EXIT_ERROR = 2;

const usage = `Usage: mlops drift --reference PROFILE --current DATA [options]
       mlops drift --history [--pipeline NAME] [--last N]

Streams DATA once against the reference PROFILE (written by \`mlops profile\`) and prints the verdict:
per-column drift (method and threshold by column type and reference size, as Evidently chooses them),
dataset drift, data quality, prediction drift and performance. See src/monitor/README.md.

Options:
  --reference FILE        the reference profile (JSON)
  --current DATA          the current data (.csv/.tsv/.jsonl/.ndjson, optionally .gz), or an endpoint's
                          request-log folder (every *.jsonl and *.jsonl.gz in it, in name order)
  --config FILE           drift.json: per-column methods/thresholds, prediction/label columns, quality limits
  --prediction COL        the prediction column (overrides the config)
  --label COL             the label column (overrides the config)
  --json                  print the verdict as JSON (default: a short summary)
  --markdown FILE         also write the Markdown report (for a job summary)
  --output FILE           also write the JSON verdict to FILE
  --pipeline NAME         the monitored pipeline whose history the check is appended to (default: default)
  --history               print the trend of the last checks (alone: without running a check)
  --last N                how many checks the trend shows (default 30)
  --history-dir DIR       where histories live (default .mlops/monitoring; NAME/history.jsonl in it)
  --no-record             do not append this check to the history

Exit codes: 0 no drift, 1 drift (dataset drift, prediction drift or performance degradation; quality
issues too with quality.failOnQuality), 2 usage or input errors.`;

function summary(verdict: DriftVerdict): string {
  const lines = [`verdict: ${verdict.drifted ? 'DRIFT' : 'no drift'}`, ...verdict.reasons.map((reason) => `  ${reason}`), ''];
  for (const column of verdict.prediction ? [...verdict.columns, verdict.prediction] : verdict.columns) {
    const noise = column.noiseThreshold !== undefined && column.noiseThreshold > column.threshold ? `, sampling noise ${column.noiseThreshold.toPrecision(3)}` : '';
    lines.push(`${column.drifted ? '!' : ' '} ${column.column}  ${column.method}=${column.score.toPrecision(4)} (threshold ${column.threshold}${noise})  n_ref=${column.n_ref} n_cur=${column.n_cur}`);
  }
  for (const issue of verdict.quality.issues) lines.push(`quality: ${issue.column}: ${issue.message}`);
  return lines.join('\n');
}

export const command: CliCommand = {
  summary: 'check current data against a reference profile: drift, data quality, performance (exit 1 on drift)',
  usage,
  async run(argv) {
    // Errors exit 2, not the CLI's usual 1, which here means "drift".
    try {
      const { values, positionals } = parseArgs({
        args: argv,
        options: {
          reference: { type: 'string' },
          current: { type: 'string' },
          config: { type: 'string' },
          prediction: { type: 'string' },
          label: { type: 'string' },
          json: { type: 'boolean', default: false },
          markdown: { type: 'string' },
          output: { type: 'string' },
          pipeline: { type: 'string', default: 'default' },
          history: { type: 'boolean', default: false },
          last: { type: 'string', default: '30' },
          'history-dir': { type: 'string', default: HISTORY_DIR },
          'no-record': { type: 'boolean', default: false },
        },
        allowPositionals: true,
      });
      if (positionals.length > 0) throw new ConfigurationError(`unexpected argument '${positionals[0] ?? ''}'.\n${usage}`);
      const last = Number(values.last);
      if (!Number.isInteger(last) || last < 1) throw new ConfigurationError(`--last must be a positive whole number, got '${values.last}'`);
      const history = historyFile(values['history-dir'], values.pipeline);
      if (values.history && values.reference === undefined && values.current === undefined) {
        process.stdout.write(`${renderHistoryText((await readHistory(history)).slice(-last))}\n`);
        return EXIT_NO_DRIFT;
      }
      if (values.reference === undefined || values.current === undefined) throw new ConfigurationError(`give --reference PROFILE and --current DATA (or --history alone).\n${usage}`);
      const profile = await loadProfile(values.reference);
      const config = await loadDriftConfig(values.config);
      if (values.prediction !== undefined) config.prediction = values.prediction;
      if (values.label !== undefined) config.label = values.label;
      const verdict = await detectDrift(profile, values.current, config);
      if (!values['no-record']) await appendHistory(history, verdict);
      const trend = values['no-record'] && !values.history ? [] : (await readHistory(history)).slice(-last);
      if (values.markdown !== undefined) await writeFileAtomic(values.markdown, renderDriftMarkdown(verdict, undefined, trend));
      if (values.output !== undefined) await writeFileAtomic(values.output, `${JSON.stringify(verdict, null, 2)}\n`);
      process.stdout.write(`${values.json ? JSON.stringify(verdict, null, 2) : summary(verdict)}\n`);
      if (values.history && !values.json) process.stdout.write(`\n${renderHistoryText(trend)}\n`);
      return verdict.drifted ? EXIT_DRIFT : EXIT_NO_DRIFT;
    } catch (error) {
      const known = error instanceof ConfigurationError || (typeof (error as { code?: unknown } | null)?.code === 'string' && String((error as { code: string }).code).startsWith('ERR_PARSE_ARGS'));
      process.stderr.write(`mlops drift: ${known ? '' : 'internal error: '}${getErrorMessage(error)}\n`);
      return EXIT_ERROR;
    }
  },
};
