/**
 * The contract between the scheduler (local runner, GitHub run-node action) and the executor that
 * runs one execution. Both front doors build an `ExecutionRequest` and get an `ExecutionResult`, so the
 * semantics are the same on a laptop and on a GitHub runner.
 */
import type { ParameterValue, Step } from '../pipeline/model.js';

/** Where one input file comes from. Store files are materialised by hardlink (copy as fallback). */
export type InputSource =
  | { kind: 'store'; sha256: string }
  | { kind: 'path'; path: string }
  | { kind: 'url'; url: string };

export interface InputFile {
  /** Path under `inputs/<input-name>/`, relative, `/`-separated; never absolute, never `..`. */
  relativePath: string;
  source: InputSource;
  /** Expected sha256 when known; a mismatch fails the execution. */
  sha256?: string;
  size?: number;
}

export interface ExecutionRequest {
  /** Unique id of this execution, used for folder names and `VH_EXECUTION_ID`. */
  executionId: string;
  /** The step after the node's override has been merged. */
  step: Step;
  /**
   * Effective parameter values (defaults, pipeline parameters, edges, overrides, command line).
   * A missing key means "no value": the placeholder rules of FORMAT.md §2.1 decide what that renders to.
   */
  parameters: Record<string, ParameterValue>;
  /** Files per input name. */
  inputs: Record<string, InputFile[]>;
  /** Extra environment variables (step defaults are added by the executor). */
  environment: Record<string, string>;
  /** Working directory of the command: the user's repository. */
  repositoryDir: string;
  /** A fresh folder for this execution: `inputs/`, `outputs/`, `config/`, `log.txt` live here. */
  executionDir: string;
  /** Content-addressed store root (e.g. `.mlops/store`). Outputs are added to it. */
  storeDir: string;
  /** Cache folder for downloaded URL inputs. */
  downloadCacheDir: string;
  /** Identifiers exposed as VH_* variables and in config/execution.json. */
  context?: {
    pipelineId?: string;
    nodeName?: string;
    projectName?: string;
    /** The repository's commit; null when known to have none (then no `git` process per execution). */
    commit?: string | null;
    counter?: number;
    /** `valohai.execution-title`; default: the node and step names. */
    title?: string;
  };
  signal?: AbortSignal;
  /** Called with the process group id once the command has started (recorded for `--resume`). */
  onProcessGroup?: (pgid: number) => void;
  /** Called for every line the command prints (after metadata detection). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export type { ExecutionStatus, MetadataEvent, OutputFile } from '../store/records.js';
import type { ExecutionStatus, MetadataEvent, OutputFile } from '../store/records.js';

export interface ExecutionResult {
  executionId: string;
  status: ExecutionStatus;
  exitCode: number | null;
  /** Why it did not succeed, one line, e.g. "time-limit of 10s exceeded". */
  reason?: string;
  startedAt: string;
  finishedAt: string;
  /** The exact script that ran (after placeholder rendering). */
  command: string;
  outputs: OutputFile[];
  metadata: MetadataEvent[];
  /** Last value of each metadata key. */
  latestMetadata: Record<string, unknown>;
  logPath: string;
}
