/**
 * `mlops init`: the workflows a repository needs to run its pipelines on GitHub, written into its own
 * `.github/workflows/`. Each file holds one managed block between two marker lines; the begin marker
 * records the settings the block was made with, so running `mlops init` again regenerates the block (a
 * new toolkit release, a renamed default branch) and keeps whatever the user wrote above or below it.
 * The block ends with `jobs:`, so jobs the user adds below the end marker (indented under it) are jobs
 * of the same workflow, and top-level keys above the begin marker are the workflow's too.
 */
import { ConfigurationError } from '../util/errors.js';
import { formatActionRef, parseActionRef } from './action-ref.js';
import { renderPipelineTemplate, renderSingleJobTemplate, DEFAULT_TEMPLATE_OPTIONS } from './template.js';

export const BEGIN_MARKER = '# >>> mlops init >>>';
export const END_MARKER = '# <<< mlops init <<<';
const SETTINGS_PREFIX = '# mlops-init-settings: ';

/** What one managed workflow is made from; stored in the file so a re-run can regenerate it. */
export interface InitSettings {
  /** `pipeline`: plan + wave jobs + compare + report; `single-job`: the whole pipeline in one job. */
  kind: 'pipeline' | 'single-job';
  /** The pipeline file, relative to the repository root, `/`-separated. */
  file: string;
  pipeline: string;
  /** Registry model name compared against (its `production` alias) on pull requests. */
  model?: string;
  defaultBranch: string;
  /** `OWNER/REPO@REF` (or `@SHA#VERSION`) of this toolkit. */
  actionRef: string;
}

/** Where the workflow of one pipeline goes (relative to the repository root). */
export function initWorkflowPath(pipeline: string, kind: InitSettings['kind']): string {
  const slug = pipeline.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline';
  return `.github/workflows/mlops-${kind === 'single-job' ? 'job' : 'pipeline'}-${slug}.yml`;
}

/** The managed block for `settings`: markers, the settings line and the workflow. */
export function renderManagedBlock(settings: InitSettings): string {
  for (const text of [settings.file, settings.pipeline, settings.defaultBranch]) {
    if (text.includes('${{') || /[\r\n]/.test(text)) throw new ConfigurationError(`cannot write "${text}" into a workflow: no "\${{" or line breaks`);
  }
  const actionRef = parseActionRef(settings.actionRef);
  const common = {
    actionRef,
    defaultBranch: settings.defaultBranch,
    file: settings.file,
    pipeline: settings.pipeline,
    ...(settings.model !== undefined ? { model: settings.model } : {}),
    name: `MLOps ${settings.pipeline}${settings.kind === 'single-job' ? ' (one job)' : ''}`,
    provenance:
      `Written by \`mlops init\` for pipeline "${settings.pipeline}" of ${settings.file}. To change the branch or the\n` +
      'toolkit release, run `mlops init --default-branch B --action-ref OWNER/REPO@REF`; plain `mlops init` refreshes it.',
  };
  const workflow =
    settings.kind === 'single-job' ? renderSingleJobTemplate(common) : renderPipelineTemplate({ ...DEFAULT_TEMPLATE_OPTIONS, ...common });
  const stored: InitSettings = { ...settings, actionRef: formatActionRef(actionRef) };
  return [
    `${BEGIN_MARKER} written by \`mlops init\`: running it again replaces everything down to the end marker.`,
    '# Keep your own changes above this line (top-level keys) or below the end marker (more jobs).',
    `${SETTINGS_PREFIX}${JSON.stringify(stored)}`,
    workflow.trimEnd(),
    END_MARKER,
  ].join('\n');
}

export interface ManagedFile {
  /** Text above the begin marker, kept as it is. */
  before: string;
  /** Text below the end marker, kept as it is. */
  after: string;
  settings: InitSettings;
}

/**
 * Splits a workflow file written by `mlops init` into the user's parts and the stored settings; undefined
 * when the file has no markers (it was not written by `mlops init`). Broken markers are an error rather
 * than a guess: rewriting the wrong part would lose the user's edits.
 */
export function parseManagedFile(path: string, text: string): ManagedFile | undefined {
  const lines = text.split('\n');
  const begin = lines.findIndex((line) => line.startsWith(BEGIN_MARKER));
  const end = lines.findIndex((line) => line.startsWith(END_MARKER));
  if (begin < 0 && end < 0) return undefined;
  if (begin < 0 || end < 0 || end < begin || lines.filter((l) => l.startsWith(BEGIN_MARKER)).length > 1) {
    throw new ConfigurationError(
      `${path}: the "${BEGIN_MARKER}" and "${END_MARKER}" lines are missing, repeated or out of order; restore them (or delete the file) and run mlops init again`,
    );
  }
  const settingsLine = lines.slice(begin, end).find((line) => line.startsWith(SETTINGS_PREFIX));
  let settings: unknown;
  try {
    settings = settingsLine ? JSON.parse(settingsLine.slice(SETTINGS_PREFIX.length)) : undefined;
  } catch {
    settings = undefined;
  }
  if (!isSettings(settings)) {
    throw new ConfigurationError(`${path}: the "${SETTINGS_PREFIX.trim()}" line inside the managed block is missing or damaged; delete the file and run mlops init again`);
  }
  return { before: lines.slice(0, begin).join('\n'), after: lines.slice(end + 1).join('\n'), settings };
}

function isSettings(value: unknown): value is InitSettings {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    (record['kind'] === 'pipeline' || record['kind'] === 'single-job') &&
    ['file', 'pipeline', 'defaultBranch', 'actionRef'].every((key) => typeof record[key] === 'string')
  );
}

/** The whole file: the user's parts around a freshly rendered block. */
export function renderManagedFile(settings: InitSettings, existing?: ManagedFile): string {
  const block = renderManagedBlock(settings);
  const before = existing?.before ? `${existing.before}\n` : '';
  const after = existing ? `\n${existing.after}` : '\n';
  return `${before}${block}${after}`;
}
