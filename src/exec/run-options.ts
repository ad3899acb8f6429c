/**
 * What a local pipeline run is asked to do (`RunPipelineOptions`) and what it reports while it runs
 * (`RunEvent`): the contract between the scheduler and its front ends (the CLI, the root action, the UI).
 */
import type { PipelineConfig } from '../pipeline/model.js';
import type { NodeState, RunStatus } from '../store/runs.js';
import type { ContainerRuntime } from './container.js';
import type { DeploymentGate } from './deployment-gate.js';

export type RunEvent =
  | { kind: 'run-started'; runId: string; pipeline: string; nodes: string[]; resumed: boolean }
  | {
      kind: 'node';
      node: string;
      state: NodeState;
      time: string;
      durationMs?: number;
      reason?: string;
      executions?: number;
    }
  | { kind: 'notice'; message: string; node?: string }
  | { kind: 'line'; node: string; executionId: string; line: string; stream: 'stdout' | 'stderr' }
  | { kind: 'run-finished'; runId: string; status: RunStatus; reason?: string };

export interface RunPipelineOptions {
  config: PipelineConfig;
  pipeline: string;
  /** Working directory of the commands: the user's repository. */
  repositoryDir: string;
  /** Project folder holding runs, the store and the reuse index (default `.mlops`). */
  projectDir: string;
  /** `--param` values: pipeline parameter names, or `node.parameter`. */
  parameters?: Record<string, string>;
  /** `--input node.input=value` values (a key may repeat). */
  inputs?: Record<string, string[]>;
  /** Decides deployment nodes under an `x-mlops` selection rule (src/compare/gate.ts). */
  gate?: DeploymentGate;
  /** Concurrent executions; default: the number of cores. */
  jobs?: number;
  /** Reuse earlier identical executions (default true locally, see reuse.ts). */
  reuse?: boolean;
  /** Nodes approved in advance (`--approve NODE`). */
  approve?: string[];
  /** Asks a person (on a terminal) whether a node may run; absent means no one can be asked. */
  askApproval?: (node: string) => Promise<boolean>;
  /** Run id to continue (`--resume`): succeeded nodes are kept, the rest run again. */
  resume?: string;
  /** Aborting cancels every execution and marks the run cancelled. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Passes every line the commands print as `line` events (used by `mlops exec`). */
  streamLines?: boolean;
  /** Run every execution in its step's image with this engine (`--container`); absent: on this machine. */
  container?: ContainerRuntime;
  /**
   * A prepared Valohai root (`prepareValohaiRoot`, on a machine the runner owns): executions whose
   * commands hard-code paths under it get it linked to their folders, one such execution at a time.
   */
  valohaiRoot?: string;
}
