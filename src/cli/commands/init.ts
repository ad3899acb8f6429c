import { readFile, readdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../command.js';
import { DEFAULT_ACTION_REF, formatActionRef, parseActionRef } from '../../plan/action-ref.js';
import {
  initWorkflowPath,
  parseManagedFile,
  renderManagedFile,
  type InitSettings,
  type ManagedFile,
} from '../../plan/init-workflows.js';
import { loadConfigOrThrow } from '../../plan/load-config.js';
import { ConfigurationError, getErrorMessage } from '../../util/errors.js';
import { writeFileAtomic } from '../../util/fs.js';
import { defaultBranch, gitRoot } from '../../util/git.js';

const usage = `Usage: mlops init [FILE] [--pipeline NAME]... [--action-ref OWNER/REPO@REF] [--default-branch NAME]
                  [--single-job] [--dry-run]

Writes GitHub Actions workflows into this repository's .github/workflows/, one per pipeline of FILE
(default valohai.yaml): plan, one job per node in waves, compare the models and comment on pull requests.
They train on pushes to the default branch, on pull requests into it, by hand and on a retraining
request, with read-only permissions except where a job needs more.

Each file holds a block between "# >>> mlops init >>>" and "# <<< mlops init <<<". Running mlops init
again rewrites that block (with the settings it was written with, changed by the options given) and
keeps everything above and below it. Without FILE or --pipeline, it refreshes the files it wrote before,
or writes one for the file's first pipeline.

Options:
  -p, --pipeline NAME     a pipeline to write a workflow for (repeatable; default: the first one)
      --action-ref REF    this toolkit's release: OWNER/REPO@TAG, or OWNER/REPO@<40-hex SHA> to pin it
                          (OWNER/REPO@SHA#v1.2.3 writes the version beside the SHA);
                          default ${DEFAULT_ACTION_REF}
      --default-branch B  the branch to train on (default: read from git)
      --model NAME        the registry model pull requests are compared with (its production version;
                          default: the pipeline's deployment name, else the pipeline name)
      --single-job        run the whole pipeline in one job (the root action) instead of one job per node
      --force             replace a workflow file of the same name that mlops init did not write
      --dry-run           print what would be written instead of writing it`;

interface Planned {
  path: string;
  settings: InitSettings;
  existing?: ManagedFile;
}

/** Workflow files mlops init wrote before, by path relative to the root. */
async function managedFiles(root: string): Promise<Map<string, ManagedFile>> {
  const found = new Map<string, ManagedFile>();
  const dir = join(root, '.github', 'workflows');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return found;
  }
  for (const name of names.sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const path = `.github/workflows/${name}`;
    const managed = parseManagedFile(path, await readFile(join(dir, name), 'utf8'));
    if (managed) found.set(path, managed);
  }
  return found;
}

export const command: CliCommand = {
  summary: 'write GitHub Actions workflows for this repository\'s pipelines into .github/workflows/',
  usage,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          pipeline: { type: 'string', short: 'p', multiple: true },
          'action-ref': { type: 'string' },
          'default-branch': { type: 'string' },
          model: { type: 'string' },
          'single-job': { type: 'boolean' },
          force: { type: 'boolean' },
          'dry-run': { type: 'boolean' },
        },
        allowPositionals: true,
      });
    } catch (error) {
      throw new ConfigurationError(`${getErrorMessage(error)}\n${usage}`);
    }
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new ConfigurationError(`expected at most one FILE, got ${positionals.length}\n${usage}`);

    const root = await gitRoot(process.cwd());
    if (root === undefined) {
      throw new ConfigurationError('mlops init writes into a git repository\'s .github/workflows/: run it inside one (git init first)');
    }
    // Validated up front: a bad ref must not leave some files written and others not.
    const actionRef = values['action-ref'] !== undefined ? formatActionRef(parseActionRef(values['action-ref'])) : undefined;
    const branchOption = values['default-branch'];
    if (branchOption !== undefined && !/^[^\s~^:?*[\\]+$/.test(branchOption)) {
      throw new ConfigurationError(`--default-branch "${branchOption}" is not a branch name`);
    }
    const detected = branchOption === undefined ? await defaultBranch(root) : undefined;
    const branch = branchOption ?? detected?.branch ?? 'main';

    const previous = await managedFiles(root);
    const planned: Planned[] = [];
    const fresh = positionals.length > 0 || values.pipeline !== undefined || values['single-job'] === true || previous.size === 0;
    if (fresh) {
      const given = positionals[0] ?? 'valohai.yaml';
      const absolute = resolve(given);
      const file = relative(root, absolute).split(sep).join('/');
      if (file === '' || file.startsWith('../') || isAbsolute(file)) {
        throw new ConfigurationError(`${given} is outside the repository ${root}; the workflow can only name files inside it`);
      }
      const { config, warnings } = await loadConfigOrThrow(absolute);
      for (const warning of warnings) process.stderr.write(`${warning}\n`);
      const names = [...config.pipelines.keys()];
      if (names.length === 0) throw new ConfigurationError(`${given} declares no pipeline; add a '- pipeline:' item first`);
      const chosen = values.pipeline ?? [names[0] ?? ''];
      const unknown = chosen.filter((name) => !config.pipelines.has(name));
      if (unknown.length > 0) {
        throw new ConfigurationError(`${given} has no pipeline ${unknown.map((n) => `"${n}"`).join(', ')}; its pipelines: ${names.join(', ')}`);
      }
      if (values.pipeline === undefined && names.length > 1) {
        process.stderr.write(`${given} also declares ${names.slice(1).join(', ')}: add a workflow for one with --pipeline NAME\n`);
      }
      const kind = values['single-job'] ? 'single-job' : 'pipeline';
      for (const pipeline of chosen) {
        const path = initWorkflowPath(pipeline, kind);
        const existing = previous.get(path);
        // The model the registry keeps for this pipeline: its deployment's name, else the pipeline's.
        const deployment = config.pipelines.get(pipeline)?.nodes.find((node) => node.type === 'deployment')?.deployment;
        const model = values.model ?? existing?.settings.model ?? (deployment || pipeline).replace(/[^A-Za-z0-9._-]/g, '-');
        planned.push({
          path,
          settings: { kind, file, pipeline, model, defaultBranch: branch, actionRef: actionRef ?? existing?.settings.actionRef ?? DEFAULT_ACTION_REF },
          ...(existing ? { existing } : {}),
        });
      }
    } else {
      for (const [path, existing] of previous) {
        const settings: InitSettings = {
          ...existing.settings,
          ...(branchOption !== undefined ? { defaultBranch: branchOption } : {}),
          ...(actionRef !== undefined ? { actionRef } : {}),
          ...(values.model !== undefined ? { model: values.model } : {}),
        };
        // The pipeline file may have changed since: it must still load and hold the pipeline.
        const { config } = await loadConfigOrThrow(join(root, settings.file));
        if (!config.pipelines.has(settings.pipeline)) {
          throw new ConfigurationError(`${path} runs pipeline "${settings.pipeline}", which ${settings.file} no longer declares; delete ${path} or restore the pipeline`);
        }
        planned.push({ path, settings, existing });
      }
    }

    if (detected && planned.some((p) => p.existing === undefined)) {
      process.stderr.write(`default branch: ${branch} (from ${detected.source}; change it with --default-branch)\n`);
    }
    for (const { path, settings, existing } of planned) {
      const target = join(root, path);
      if (!existing) {
        let present: string | undefined;
        try {
          present = await readFile(target, 'utf8');
        } catch {
          present = undefined;
        }
        if (present !== undefined && !values.force) {
          throw new ConfigurationError(`${path} exists and was not written by mlops init; move it away or pass --force to replace it`);
        }
      }
      const text = renderManagedFile(settings, existing);
      if (values['dry-run']) {
        process.stdout.write(`--- ${path}\n${text}`);
        continue;
      }
      const current = await readFile(target, 'utf8').catch(() => undefined);
      if (current === text) {
        process.stderr.write(`${path} is up to date\n`);
        continue;
      }
      await writeFileAtomic(target, text);
      process.stderr.write(`${existing ? 'updated' : 'wrote'} ${path} (pipeline "${settings.pipeline}" of ${settings.file}, ${settings.actionRef})\n`);
    }
    return 0;
  },
};
