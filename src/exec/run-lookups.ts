/**
 * The per-run look-ups every node's first execution waits for (git processes: the code version, the
 * commit), started as soon as a run is asked for so that they run while its record is made.
 */
import { codeVersion } from './code-version.js';
import { repositoryCommit } from './config-files.js';
import type { RunPipelineOptions } from './run-options.js';

export interface RunLookups {
  /** The repository's code version (code-version.ts): part of every reuse key. */
  codeVersion: Promise<string>;
  /** Its commit (execution.json's commit-identifier); undefined outside a Git work tree. */
  commit: Promise<string | undefined>;
}

/** Starts both; a failure surfaces where it is awaited (a node's start), as if started there. */
export function runLookups(options: RunPipelineOptions): RunLookups {
  const lookups = {
    codeVersion: codeVersion(options.repositoryDir, { exclude: [options.config.file, options.projectDir] }),
    commit: repositoryCommit(options.repositoryDir),
  };
  lookups.codeVersion.catch(() => undefined);
  lookups.commit.catch(() => undefined);
  return lookups;
}
