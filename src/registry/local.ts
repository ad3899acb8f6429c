/**
 * The local registry, inside the project folder:
 *
 *   <projectDir>/registry/models/<name>/versions/<N>.json   one ModelVersion each (files live in the content store)
 *   <projectDir>/registry/models/<name>/aliases.json        the current AliasTable
 *   <projectDir>/registry/models/<name>/history.jsonl       append-only: one AliasEvent per promotion / rollback
 *   <projectDir>/registry/models/<name>/scoring.jsonl       append-only: which version scored which data
 *   <projectDir>/registry/models/<name>/.lock               taken for version allocation and alias moves
 *
 * Safe under concurrent runs: files go into the content store first (atomic renames, no lock needed),
 * then the version number is allocated and its record written under the model's lock; alias moves
 * read, change and rewrite aliases.json (atomically) and append the history line under the same lock.
 */
import { randomBytes } from 'node:crypto';
import { appendFile, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ContentStore, CorruptObjectError, hashFile } from '../store/content-store.js';
import { projectPaths } from '../store/runs.js';
import { ConfigurationError, getErrorMessage } from '../util/errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { withLock, type LockOptions } from './lock.js';
import {
  applyPromotion,
  applyRollback,
  checkAliasName,
  checkModelName,
  checkRelativePath,
  currentActor,
  selectVersion,
  type AliasEvent,
  type AliasTable,
  type ModelFile,
  type ModelRegistry,
  type ModelVersion,
  type NewVersion,
  type Selector,
} from './model.js';

/** Which model version scored which data (written by `mlops run --model`). */
export interface ScoringRecord {
  at: string;
  model: string;
  version: number;
  runId: string;
  pipeline: string;
  /** `NODE.INPUT` that received the model files. */
  modelInput: string;
  /** Every input file of the scoring node other than the model, with its checksum. */
  data: { input: string; path: string; sha256?: string }[];
  /** The scoring node's outputs (the predictions). */
  outputs: { path: string; sha256: string }[];
  status: string;
}

export interface LocalRegistryOptions {
  lock?: LockOptions;
  /** Who is acting (default: GITHUB_ACTOR, git user.name, $USER). */
  actor?: string;
  now?: () => Date;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ConfigurationError(`${path} is not valid JSON: ${getErrorMessage(error)}`);
  }
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  // A line cut short by a crash mid-append is skipped rather than making the whole history unreadable.
  const lines: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      lines.push(JSON.parse(line) as T);
    } catch {
      // torn last line
    }
  }
  return lines;
}

export class LocalRegistry implements ModelRegistry {
  readonly root: string;
  readonly store: ContentStore;
  private readonly options: LocalRegistryOptions;

  constructor(
    readonly projectDir: string,
    options: LocalRegistryOptions = {},
  ) {
    const paths = projectPaths(projectDir);
    this.root = join(paths.root, 'registry');
    this.store = new ContentStore(paths.storeDir);
    this.options = options;
  }

  private modelDir(name: string): string {
    return join(this.root, 'models', checkModelName(name));
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private actor(): string {
    return this.options.actor ?? currentActor();
  }

  private locked<T>(name: string, work: () => Promise<T>): Promise<T> {
    return withLock(join(this.modelDir(name), '.lock'), work, this.options.lock);
  }

  async models(): Promise<string[]> {
    try {
      const entries = await readdir(join(this.root, 'models'), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  private async versionNumbers(name: string): Promise<number[]> {
    try {
      const entries = await readdir(join(this.modelDir(name), 'versions'));
      return entries.map((e) => /^(\d+)\.json$/.exec(e)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => a - b);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async versions(name: string): Promise<ModelVersion[]> {
    const versions: ModelVersion[] = [];
    for (const n of await this.versionNumbers(name)) {
      const version = await readJsonFile<ModelVersion>(join(this.modelDir(name), 'versions', `${n}.json`));
      if (version) versions.push(version);
    }
    return versions;
  }

  async aliases(name: string): Promise<AliasTable> {
    return (await readJsonFile<{ aliases: AliasTable }>(join(this.modelDir(name), 'aliases.json')))?.aliases ?? {};
  }

  async history(name: string): Promise<AliasEvent[]> {
    return readJsonLines<AliasEvent>(join(this.modelDir(name), 'history.jsonl'));
  }

  async scoring(name: string): Promise<ScoringRecord[]> {
    return readJsonLines<ScoringRecord>(join(this.modelDir(name), 'scoring.jsonl'));
  }

  async resolve(name: string, selector: Selector): Promise<ModelVersion> {
    return selectVersion(name, await this.versions(name), await this.aliases(name), selector);
  }

  /** The model name when the registry holds exactly one (so `--model production` needs no name). */
  async defaultModelName(): Promise<string> {
    const names = await this.models();
    if (names.length === 1 && names[0] !== undefined) return names[0];
    throw new ConfigurationError(
      names.length === 0
        ? `the registry ${this.root} has no models (register one with \`mlops models register\`)`
        : `the registry has several models (${names.join(', ')}): name one, e.g. ${names[0] ?? 'NAME'}@production`,
    );
  }

  async register(input: NewVersion): Promise<ModelVersion> {
    checkModelName(input.name);
    if (input.files.length === 0) throw new ConfigurationError(`a model version needs at least one file`);
    const files: ModelFile[] = [];
    const seen = new Set<string>();
    for (const file of input.files) {
      checkRelativePath(file.path);
      if (seen.has(file.path)) throw new ConfigurationError(`model file '${file.path}' is given twice`);
      seen.add(file.path);
      const stored = await this.store.add(file.localPath);
      files.push({ path: file.path, sha256: stored.sha256, size: stored.size });
    }
    return this.locked(input.name, async () => {
      const numbers = await this.versionNumbers(input.name);
      const version: ModelVersion = {
        name: input.name,
        version: (numbers.at(-1) ?? 0) + 1,
        files,
        metrics: input.metrics ?? {},
        lineage: input.lineage ?? {},
        tags: input.tags ?? {},
        createdAt: this.now().toISOString(),
        createdBy: this.actor(),
      };
      await writeJsonAtomic(join(this.modelDir(input.name), 'versions', `${version.version}.json`), version);
      return version;
    });
  }

  /**
   * Stores a version under its own number (a mirror of a remote registry, e.g. the GitHub releases a
   * workflow resolved). The files must already be verified; an existing different version is an error.
   */
  async importVersion(version: ModelVersion, localFiles: Record<string, string>): Promise<ModelVersion> {
    for (const file of version.files) {
      const localPath = localFiles[checkRelativePath(file.path)];
      if (localPath === undefined) throw new Error(`no local copy of ${file.path} to import`);
      const stored = await this.store.add(localPath);
      if (stored.sha256 !== file.sha256) throw new ConfigurationError(`${file.path}: sha256 ${stored.sha256} does not match the manifest's ${file.sha256}`);
    }
    return this.locked(version.name, async () => {
      const path = join(this.modelDir(version.name), 'versions', `${version.version}.json`);
      const existing = await readJsonFile<ModelVersion>(path);
      if (existing) {
        const same = JSON.stringify(existing.files) === JSON.stringify(version.files);
        if (!same) throw new ConfigurationError(`local version ${version.version} of '${version.name}' has different files than the one being imported`);
        return existing;
      }
      await writeJsonAtomic(path, version);
      return version;
    });
  }

  /** Sets an alias to exactly this table entry (mirroring a remote registry's alias). */
  async setAlias(name: string, alias: string, entry: { version: number; stack: number[] }): Promise<void> {
    checkAliasName(alias);
    await this.locked(name, async () => {
      const aliases = await this.aliases(name);
      aliases[alias] = entry;
      await writeJsonAtomic(join(this.modelDir(name), 'aliases.json'), { aliases });
    });
  }

  async promote(name: string, alias: string, selector: Selector, reason?: string): Promise<AliasEvent> {
    checkAliasName(alias);
    return this.locked(name, async () => {
      const aliases = await this.aliases(name);
      const target = selectVersion(name, await this.versions(name), aliases, selector);
      const event = applyPromotion(aliases, alias, target.version, this.actor(), reason, this.now());
      await this.commitAliases(name, aliases, event);
      return event;
    });
  }

  async rollback(name: string, alias: string, reason?: string): Promise<AliasEvent> {
    checkAliasName(alias);
    return this.locked(name, async () => {
      const aliases = await this.aliases(name);
      const event = applyRollback(name, aliases, alias, this.actor(), reason, this.now());
      await this.commitAliases(name, aliases, event);
      return event;
    });
  }

  /** History first: a crash between the two leaves a logged move that did not happen, never an unlogged one. */
  private async commitAliases(name: string, aliases: AliasTable, event: AliasEvent): Promise<void> {
    await appendFile(join(this.modelDir(name), 'history.jsonl'), `${JSON.stringify(event)}\n`);
    await writeJsonAtomic(join(this.modelDir(name), 'aliases.json'), { aliases });
  }

  async recordScoring(record: ScoringRecord): Promise<void> {
    await this.locked(record.model, () => appendFile(join(this.modelDir(record.model), 'scoring.jsonl'), `${JSON.stringify(record)}\n`));
  }

  async pull(version: ModelVersion, dest: string): Promise<string[]> {
    const written: string[] = [];
    for (const file of version.files) {
      const target = join(dest, checkRelativePath(file.path));
      if (!(await this.store.has(file.sha256))) throw new ConfigurationError(`the content store has no file ${file.sha256} (${file.path} of ${version.name} v${version.version})`);
      // Copy, not link: the destination is the caller's to change, and the copy is what gets verified.
      // Written to a temporary sibling and renamed only once its checksum matches: a bad copy never
      // takes the place of the file.
      const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await this.store.materialise(file.sha256, temp, { mode: 'copy' });
        const actual = await hashFile(temp);
        if (actual.sha256 !== file.sha256) {
          await this.store.quarantine(file.sha256);
          throw new ConfigurationError(`${target}: sha256 ${actual.sha256} does not match ${file.sha256} recorded for ${version.name} v${version.version}; the store is damaged (the object was quarantined, run mlops store verify)`);
        }
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        if (error instanceof CorruptObjectError) throw new ConfigurationError(`${file.path} of ${version.name} v${version.version}: ${error.message}`);
        throw error;
      }
      written.push(target);
    }
    return written;
  }
}
