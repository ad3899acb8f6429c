/**
 * The per-run look-ups every node's first execution waits for (git processes: the code version, the
 * commit, who started the run), started as soon as a run is asked for so that they run while its record is
 * made. The CLI starts them before it even reads the pipeline file (`prefetchRunLookups`): the git processes
 * then run on another core while the YAML is parsed, instead of one after the other before the first start.
 */
import { resolve } from 'node:path';
import { runOrigin } from '../store/origin.js';
import { codeVersion } from './code-version.js';
import { repositoryCommit } from './config-files.js';
import type { RunPipelineOptions } from './run-options.js';

export interface RunLookups {
  /** The repository's code version (code-version.ts): part of every reuse key. */
  codeVersion: Promise<string>;
  /** Its commit (execution.json's commit-identifier); undefined outside a Git work tree. */
  commit: Promise<string | undefined>;
}

/** What the look-ups depend on: the repository, and the files left out of its code version. */
export interface RunLookupSubject {
  repositoryDir: string;
  /** The pipeline file, as the loaded configuration names it (`config.file`). */
  file: string;
  projectDir: string;
}

type Origin = Awaited<ReturnType<typeof runOrigin>>;

interface Prefetched extends RunLookups {
  key: string;
  origin: Promise<Origin>;
}

/** At most one prefetch waits to be taken; a run takes it only when it asks about the very same subject. */
let prefetched: Prefetched | undefined;

function subjectKey(subject: RunLookupSubject): string {
  return JSON.stringify([resolve(subject.repositoryDir), subject.file, subject.projectDir]);
}

function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function startLookups(subject: RunLookupSubject): RunLookups {
  return {
    codeVersion: quiet(codeVersion(subject.repositoryDir, { exclude: [subject.file, subject.projectDir] })),
    commit: quiet(repositoryCommit(subject.repositoryDir)),
  };
}

/**
 * Starts the look-ups of the run the caller is about to ask for. Taken by the next `runLookups` and
 * `takeRunOrigin` for the same subject; anything else (another repository, a resume) starts its own, so a
 * prefetch never answers a different question.
 */
export function prefetchRunLookups(subject: RunLookupSubject): void {
  const lookups = startLookups(subject);
  prefetched = { key: subjectKey(subject), ...lookups, origin: quiet(runOrigin(subject.repositoryDir, process.env, lookups.commit)) };
}

function subjectOf(options: RunPipelineOptions): RunLookupSubject {
  return { repositoryDir: options.repositoryDir, file: options.config.file, projectDir: options.projectDir };
}

export interface TakenRunLookups extends RunLookups {
  /** Who starts a new run and at which commit (store/origin.ts); asked only by a new run, not a resumed one. */
  origin(): Promise<Origin>;
}

/**
 * Starts the look-ups (or takes the prefetched ones, which are then gone); a failure surfaces where it is
 * awaited (a node's start), as if started there.
 */
export function runLookups(options: RunPipelineOptions): TakenRunLookups {
  const subject = subjectOf(options);
  const taken = prefetched;
  prefetched = undefined;
  if (taken?.key === subjectKey(subject)) return { codeVersion: taken.codeVersion, commit: taken.commit, origin: () => taken.origin };
  const lookups = startLookups(subject);
  return { ...lookups, origin: () => runOrigin(options.repositoryDir, process.env, lookups.commit) };
}

/** Drops a prefetch no run took (the pipeline file had errors): a later run asks afresh. */
export function discardPrefetchedRunLookups(): void {
  prefetched = undefined;
}
