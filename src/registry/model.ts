/**
 * The model registry's vocabulary, shared by the local backend (`.mlops/registry`) and the GitHub
 * backend (releases): a model version is a set of checksummed files plus metrics, lineage and tags;
 * aliases (`production`, `staging`, any name) point at versions, and every move of an alias is kept
 * in an append-only history.
 */
import { execFileSync } from 'node:child_process';
import { ConfigurationError } from '../util/errors.js';

export interface ModelFile {
  /** Relative, `/`-separated; never absolute, never `..`. */
  path: string;
  sha256: string;
  size: number;
}

/** Where a version came from: enough to find and rerun what produced it. */
export interface Lineage {
  pipeline?: string;
  runId?: string;
  /** The node whose execution produced the files. */
  node?: string;
  executionId?: string;
  /** The node whose metrics chose this model (e.g. the evaluate node that won the compare step). */
  selectedBy?: { node: string; executionId: string };
  commit?: string;
  parameters?: Record<string, unknown>;
  /** Checksums of the producing execution's input files. */
  inputs?: { input: string; path: string; sha256?: string }[];
  /** The training data's profile registered with the version (for drift checks), and the execution that wrote it. */
  referenceProfile?: { path: string; sha256: string; node: string; executionId: string };
}

export interface ModelVersion {
  name: string;
  version: number;
  files: ModelFile[];
  metrics: Record<string, unknown>;
  lineage: Lineage;
  tags: Record<string, string>;
  createdAt: string;
  createdBy: string;
}

/** One line of an alias history. `from` is the version the alias pointed to before (absent: unset). */
export interface AliasEvent {
  at: string;
  by: string;
  action: 'promote' | 'rollback';
  alias: string;
  version: number;
  from?: number;
  reason?: string;
}

/** Current aliases; `stack` holds the versions a rollback returns to, oldest first, current last. */
export type AliasTable = Record<string, { version: number; stack: number[] }>;

/** What a caller hands to `register`: files on this machine plus metadata. */
export interface NewVersion {
  name: string;
  files: { path: string; localPath: string }[];
  metrics?: Record<string, unknown>;
  lineage?: Lineage;
  tags?: Record<string, string>;
}

export type Selector =
  | { kind: 'version'; version: number }
  | { kind: 'alias'; alias: string }
  | { kind: 'latest' }
  | { kind: 'best'; metric: string; goal: 'max' | 'min' };

/** The operations both backends offer. */
export interface ModelRegistry {
  register(version: NewVersion): Promise<ModelVersion>;
  /** Model names, sorted. */
  models(): Promise<string[]>;
  /** Complete versions of a model, lowest number first. */
  versions(name: string): Promise<ModelVersion[]>;
  aliases(name: string): Promise<AliasTable>;
  history(name: string): Promise<AliasEvent[]>;
  resolve(name: string, selector: Selector): Promise<ModelVersion>;
  promote(name: string, alias: string, selector: Selector, reason?: string): Promise<AliasEvent>;
  rollback(name: string, alias: string, reason?: string): Promise<AliasEvent>;
  /** Writes the version's files under `dest`, verifying every sha256; returns the paths written. */
  pull(version: ModelVersion, dest: string): Promise<string[]>;
}

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,62}$/;
const RESERVED_ALIASES = new Set(['latest', 'best']);

export function checkModelName(name: string): string {
  if (!MODEL_NAME.test(name) || name.includes('..')) {
    throw new ConfigurationError(`'${name}' is not a valid model name (letters, digits, '.', '_', '-'; up to 100 characters)`);
  }
  return name;
}

export function checkAliasName(alias: string): string {
  if (!ALIAS_NAME.test(alias) || RESERVED_ALIASES.has(alias)) {
    throw new ConfigurationError(`'${alias}' is not a valid alias (a letter, then letters, digits, '.', '_', '-'; not 'latest' or 'best')`);
  }
  return alias;
}

/** Rejects file paths that would leave the folder they are written to. */
export function checkRelativePath(path: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new ConfigurationError(`model file path '${path}' must be relative, '/'-separated and stay inside its folder`);
  }
  return path;
}

/** `3`, `v3`, `production`, `latest`, `best:accuracy`, `best:loss:min`. */
export function parseSelector(text: string): Selector {
  const trimmed = text.trim();
  if (/^v?\d+$/.test(trimmed)) {
    const version = Number(trimmed.replace(/^v/, ''));
    if (version < 1) throw new ConfigurationError(`model versions start at 1, got '${text}'`);
    return { kind: 'version', version };
  }
  if (trimmed === 'latest') return { kind: 'latest' };
  if (trimmed === 'best' || trimmed.startsWith('best:')) {
    const [, metric = '', goal = 'max', extra] = trimmed.split(':');
    if (metric === '' || (goal !== 'max' && goal !== 'min') || extra !== undefined) {
      throw new ConfigurationError(`'${text}' must be best:<metric> or best:<metric>:max|min`);
    }
    return { kind: 'best', metric, goal };
  }
  return { kind: 'alias', alias: checkAliasName(trimmed) };
}

/**
 * `NAME@SELECTOR` or just `SELECTOR` (then the model name is `defaultName`, which callers take from
 * the only model in the registry). Returns the name when given.
 */
export function splitModelReference(text: string): { name?: string; selector: Selector } {
  const at = text.indexOf('@');
  if (at < 0) return { selector: parseSelector(text) };
  return { name: checkModelName(text.slice(0, at)), selector: parseSelector(text.slice(at + 1)) };
}

export function formatSelector(selector: Selector): string {
  switch (selector.kind) {
    case 'version':
      return `v${selector.version}`;
    case 'alias':
      return selector.alias;
    case 'latest':
      return 'latest';
    case 'best':
      return `best:${selector.metric}:${selector.goal}`;
  }
}

/** Picks a version from complete versions and the alias table. */
export function selectVersion(name: string, versions: readonly ModelVersion[], aliases: AliasTable, selector: Selector): ModelVersion {
  const byNumber = (n: number): ModelVersion | undefined => versions.find((v) => v.version === n);
  if (versions.length === 0) throw new ConfigurationError(`model '${name}' has no versions (register one with \`mlops models register\`)`);
  switch (selector.kind) {
    case 'version': {
      const found = byNumber(selector.version);
      if (!found) throw new ConfigurationError(`model '${name}' has no version ${selector.version} (versions: ${versions.map((v) => v.version).join(', ')})`);
      return found;
    }
    case 'latest':
      return versions.reduce((a, b) => (b.version > a.version ? b : a));
    case 'alias': {
      const entry = aliases[selector.alias];
      if (!entry) {
        const known = Object.keys(aliases);
        throw new ConfigurationError(`model '${name}' has no alias '${selector.alias}'${known.length > 0 ? ` (aliases: ${known.join(', ')})` : ' (promote a version first)'}`);
      }
      const found = byNumber(entry.version);
      if (!found) throw new ConfigurationError(`alias '${selector.alias}' of model '${name}' points at version ${entry.version}, which is missing`);
      return found;
    }
    case 'best': {
      let best: { version: ModelVersion; value: number } | undefined;
      for (const version of versions) {
        const value = version.metrics[selector.metric];
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const better = !best || (selector.goal === 'max' ? value > best.value : value < best.value);
        if (better) best = { version, value };
      }
      if (!best) throw new ConfigurationError(`no version of model '${name}' has a numeric metric '${selector.metric}'`);
      return best.version;
    }
  }
}

/** Applies a promotion to the alias table; returns the event to append. */
export function applyPromotion(aliases: AliasTable, alias: string, version: number, by: string, reason: string | undefined, now: Date): AliasEvent {
  const current = aliases[alias];
  const event: AliasEvent = { at: now.toISOString(), by, action: 'promote', alias, version };
  if (current) event.from = current.version;
  if (reason) event.reason = reason;
  // Promoting the version the alias already has changes nothing a rollback would need to undo.
  const stack = current ? (current.version === version ? current.stack : [...current.stack, version]) : [version];
  aliases[alias] = { version, stack };
  return event;
}

/** Moves the alias back to the version it had before its latest promotion. */
export function applyRollback(name: string, aliases: AliasTable, alias: string, by: string, reason: string | undefined, now: Date): AliasEvent {
  const current = aliases[alias];
  if (!current) throw new ConfigurationError(`model '${name}' has no alias '${alias}' to roll back`);
  const stack = current.stack.slice(0, -1);
  const previous = stack.at(-1);
  if (previous === undefined) throw new ConfigurationError(`alias '${alias}' of model '${name}' has no earlier version to roll back to`);
  aliases[alias] = { version: previous, stack };
  const event: AliasEvent = { at: now.toISOString(), by, action: 'rollback', alias, version: previous, from: current.version };
  if (reason) event.reason = reason;
  return event;
}

/** Who is acting: the Actions actor, else the git user, else `$USER`. */
export function currentActor(cwd: string = process.cwd()): string {
  const actor = process.env['GITHUB_ACTOR'];
  if (actor) return actor;
  try {
    const name = execFileSync('git', ['config', 'user.name'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    if (name !== '') return name;
  } catch {
    // no git, or no user configured
  }
  return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
}

/** The commit of a checkout, when it is one (`GITHUB_SHA` on a runner). */
export function currentCommit(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || undefined;
  } catch {
    return process.env['GITHUB_SHA'] || undefined;
  }
}

/** Only the numeric metrics (what `best:` and the compare baseline use), plus strings for display. */
export function scalarMetrics(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key, value]) => !key.startsWith('_') && (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')));
}

/** `NAME@ALIAS` (or `NAME`, meaning `NAME@production`) as given to the compare action's `baseline-model`. */
export function parseBaselineModel(text: string): { model: string; alias: string } {
  const [model = '', alias = 'production', ...rest] = text.trim().split('@');
  if (rest.length > 0 || alias === '') throw new ConfigurationError(`baseline-model "${text}" is not NAME or NAME@ALIAS (e.g. digits@production)`);
  return { model: checkModelName(model), alias };
}
