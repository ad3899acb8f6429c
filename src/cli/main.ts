import type { CliCommand } from './command.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { VERSION } from '../version.js';

/** Subcommands, loaded lazily so that `mlops validate` does not load the runner. */
const commands: Record<string, () => Promise<{ command: CliCommand }>> = {
  validate: () => import('./commands/validate.js'),
  graph: () => import('./commands/graph.js'),
  run: () => import('./commands/run.js'),
  exec: () => import('./commands/exec.js'),
  runs: () => import('./commands/runs.js'),
  show: () => import('./commands/show.js'),
  logs: () => import('./commands/logs.js'),
  reproduce: () => import('./commands/reproduce.js'),
  init: () => import('./commands/init.js'),
  compile: () => import('./commands/compile.js'),
  compare: () => import('./commands/compare.js'),
  report: () => import('./commands/report.js'),
  profile: () => import('./commands/profile.js'),
  drift: () => import('./commands/drift.js'),
  deploy: () => import('./commands/deploy.js'),
  endpoints: () => import('./commands/endpoints.js'),
  rollback: () => import('./commands/rollback.js'),
  promote: () => import('./commands/promote.js'),
  reject: () => import('./commands/reject.js'),
  models: () => import('./commands/models.js'),
  trigger: () => import('./commands/trigger.js'),
  ui: () => import('./commands/ui.js'),
  store: () => import('./commands/store.js'),
};

function helpText(summaries: [string, string][]): string {
  const width = Math.max(...summaries.map(([name]) => name.length));
  return [
    'mlops: run valohai.yaml pipelines locally and on GitHub Actions',
    '',
    'Usage: mlops <command> [options]',
    '',
    'Commands:',
    ...summaries.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Run `mlops <command> --help` for the options of one command.',
  ].join('\n');
}

/** node:util parseArgs rejects unknown or malformed options with these codes. */
function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** The CLI's single top-level catch: user errors become one message and exit code 1 (2 for usage). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const summaries: [string, string][] = [];
      for (const [commandName, load] of Object.entries(commands)) {
        summaries.push([commandName, (await load()).command.summary]);
      }
      process.stdout.write(`${helpText(summaries)}\n`);
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const load = commands[name];
    if (!load) {
      process.stderr.write(`mlops: unknown command '${name}'. Run 'mlops --help' to list the commands.\n`);
      return 2;
    }
    const { command } = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (error) {
    if (isUsageError(error)) {
      process.stderr.write(`mlops: ${getErrorMessage(error)}. Run 'mlops ${name ?? ''} --help' for the options.\n`);
      return 2;
    }
    const prefix = error instanceof ConfigurationError ? 'mlops: ' : 'mlops: internal error: ';
    process.stderr.write(`${prefix}${getErrorMessage(error)}\n`);
    if (!(error instanceof ConfigurationError) && process.env['MLOPS_DEBUG'] && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  }
}
