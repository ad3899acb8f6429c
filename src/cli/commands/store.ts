import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { ContentStore } from '../../store/content-store.js';
import { collectGarbage, verifyStore } from '../../store/maintenance.js';
import { projectDirFor } from '../../store/project.js';
import { projectPaths } from '../../store/runs.js';
import { ConfigurationError } from '../../util/errors.js';

const usage = `Usage: mlops store verify|gc [--dry-run] [--json] [--project-dir DIR]

Keeps the content store (.mlops/store) true and small.

  verify     re-hashes every stored file; one whose bytes no longer match its name is moved to
             store/quarantine/ (never handed out again) and the exit code is 1
  gc         removes stored files no run record, reuse entry, registered model or deployment refers
             to, and temporary files left by killed processes; files added in the last hour are kept,
             and no stored file is removed while a run is going

Options:
  --dry-run           gc: list what would be removed, remove nothing
  --json              print the report as JSON
  --project-dir DIR   the project folder (default: .mlops in the repository)`;

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export const command: CliCommand = {
  summary: 'verify the content store, or remove what nothing refers to',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'project-dir': { type: 'string' },
      },
      allowPositionals: true,
    });
    const [action, ...rest] = positionals;
    if ((action !== 'verify' && action !== 'gc') || rest.length > 0) {
      throw new ConfigurationError(`store takes verify or gc, got ${JSON.stringify(positionals.join(' '))}. ${usage}`);
    }
    const projectDir = projectDirFor(values['project-dir']);
    if (action === 'verify') {
      const report = await verifyStore(new ContentStore(projectPaths(projectDir).storeDir));
      if (values.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        for (const bad of report.corrupt) {
          process.stdout.write(`CORRUPT ${bad.sha256}: its bytes hash to ${bad.actual}; moved to ${bad.movedTo ?? '(gone)'}\n`);
        }
        process.stdout.write(`${report.objects} stored files (${mib(report.bytes)}) verified: ${report.corrupt.length} corrupt\n`);
      }
      return report.corrupt.length === 0 ? 0 : 1;
    }
    const report = await collectGarbage(projectDir, { dryRun: values['dry-run'] });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const verb = report.dryRun ? 'would remove' : 'removed';
    if (report.liveRuns.length > 0) {
      process.stdout.write(`runs in progress (${report.liveRuns.join(', ')}): no stored file removed; run gc when they end\n`);
    }
    const bytes = report.removed.reduce((n, r) => n + r.size, 0);
    process.stdout.write(
      `${verb} ${report.removed.length} of ${report.objects} stored files (${mib(bytes)}) and ${report.temps.length} abandoned temporary files` +
        `${report.keptYoung > 0 ? `; kept ${report.keptYoung} added in the last hour` : ''}\n`,
    );
    return 0;
  },
};
