/**
 * The typed model of a pipeline file (valohai.yaml compatible), as every other module sees it.
 *
 * The loader (`load.ts`) turns YAML into these objects after schema and semantic checks; nothing
 * downstream reads raw YAML. Keys are camelCased; values keep the meaning documented in
 * ../shared/valohai-compat/FORMAT.md (section numbers in comments refer to it).
 */

/** A place in the source file, 1-based line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

export type Severity = 'error' | 'warning';

/** One finding of the loader: `file:line:col: message (hint)`. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  /** How to fix it, one sentence. */
  hint?: string;
  position: SourcePosition;
  /** Stable machine-readable code, e.g. `unknown-step`, `yaml-syntax`, `cycle`. */
  code: string;
}

/** A parameter value after YAML 1.1 loading: strings keep their text, numbers keep Python rendering. */
export type ParameterValue = string | number | boolean | null | ParameterValue[];

export type ParameterType = 'string' | 'integer' | 'float' | 'flag';
export type MultipleMode = 'none' | 'repeat' | 'separate';

/** §2.2 */
export interface Parameter {
  name: string;
  type: ParameterType;
  /** Absent (undefined) means "no default"; null is an explicit YAML null. */
  default?: ParameterValue;
  optional: boolean;
  passAs?: string;
  passTrueAs?: string;
  passFalseAs?: string;
  multiple: MultipleMode;
  multipleSeparator: string;
  choices?: ParameterValue[];
  min?: number;
  max?: number;
  description?: string;
  category?: string;
  position: SourcePosition;
}

export type KeepDirectories = 'none' | 'full' | 'suffix';

/** §2.3 */
export interface Input {
  name: string;
  /** Default URLs or local paths; empty when none. */
  default: string[];
  optional: boolean;
  filename?: string;
  keepDirectories: KeepDirectories;
  download: 'always' | 'on-demand';
  description?: string;
  position: SourcePosition;
}

export interface EnvironmentVariable {
  name: string;
  default?: string;
  optional: boolean;
  description?: string;
}

export interface Mount {
  source: string;
  destination: string;
  readonly: boolean;
}

/** §2 */
export interface Step {
  name: string;
  image: string;
  /** Always a list; a string command becomes a one-element list. */
  command: string[];
  parameters: Parameter[];
  inputs: Input[];
  outputs: { name: string; description?: string }[];
  environment?: string;
  environmentVariables: EnvironmentVariable[];
  environmentVariableGroups: string[];
  mounts: Mount[];
  /** Seconds; undefined when there is no limit. */
  timeLimit?: number;
  /** Seconds of silence on stdout/stderr after which the execution is killed. */
  noOutputTimeout?: number;
  stopCondition?: string;
  sourcePath?: string;
  description?: string;
  /** Everything else the step declares that this toolkit does not act on (resources, upload-store…). */
  extra: Record<string, unknown>;
  position: SourcePosition;
}

/** §3.2: what a node may replace on its step, merged by name. */
export interface Override {
  image?: string;
  command?: string[];
  parameters?: Parameter[];
  inputs?: Input[];
  environment?: string;
  environmentVariables?: EnvironmentVariable[];
  mounts?: Mount[];
  /** Runtime config preset ID or slug; valid only with `environment` in the same override (§3.2). */
  runtimeConfigPreset?: string;
}

export type OnError = 'stop-all' | 'stop-next' | 'continue' | 'retry';
export type EdgeMergeMode = 'replace' | 'append';

/** §3.4 */
export interface NodeAction {
  when: string[];
  if: string[];
  then: string[];
  position: SourcePosition;
}

interface NodeBase {
  name: string;
  actions: NodeAction[];
  onError: OnError;
  position: SourcePosition;
}

export interface ExecutionNode extends NodeBase {
  type: 'execution';
  step: string;
  override?: Override;
  edgeMergeMode: EdgeMergeMode;
  commit?: string;
}

export interface TaskNode extends NodeBase {
  type: 'task';
  /** The step it runs: the node's own `step`, or the blueprint's step when `task` is set. */
  step: string;
  /** Name of a top-level task blueprint, when the node uses one. */
  task?: string;
  override?: Override;
  edgeMergeMode: EdgeMergeMode;
  commit?: string;
}

export interface DeploymentNode extends NodeBase {
  type: 'deployment';
  deployment: string;
  endpoints: string[];
  aliases: string[];
}

export type PipelineNode = ExecutionNode | TaskNode | DeploymentNode;

export type EdgeType =
  | 'output'
  | 'input'
  | 'parameter'
  | 'metadata'
  | 'file'
  | 'deployment'
  | 'environment-variable'
  | 'dependency';

/** `<node>.<type>.<key>`; the key may contain dots, slashes and globs (§3.3). */
export interface Socket {
  node: string;
  type: EdgeType;
  key: string;
}

export interface Edge {
  source: Socket;
  target: Socket;
  configuration: Record<string, unknown>;
  position: SourcePosition;
}

/** §3.6 */
export interface PipelineParameter {
  name: string;
  /** Sockets of type `parameter`. */
  targets: Socket[];
  default?: ParameterValue;
  description?: string;
  category?: string;
  position: SourcePosition;
}

/** §3 */
export interface Pipeline {
  name: string;
  nodes: PipelineNode[];
  edges: Edge[];
  parameters: PipelineParameter[];
  reuseExecutions: boolean;
  position: SourcePosition;
}

export type TaskParameterStyle = 'single' | 'linear' | 'logspace' | 'multiple' | 'random';

/** §4: one varied parameter of a task. */
export interface TaskParameter {
  name: string;
  style: TaskParameterStyle;
  rules: Record<string, unknown>;
}

/** §4: a top-level task blueprint. */
export interface Task {
  name: string;
  step: string;
  type: 'grid_search' | 'random_search' | 'manual_search' | 'bayesian_tpe' | 'distributed';
  parameters: TaskParameter[];
  parameterSets: Record<string, ParameterValue>[];
  executionCount?: number;
  /** How many executions run before the next batch is planned (bayesian_tpe; task stop-condition). */
  executionBatchSize?: number;
  /** bayesian_tpe: the metadata key to optimise, and the value to bring it to (absent: maximise it). */
  optimizationTargetMetric?: string;
  optimizationTargetValue?: number;
  /** Early stopping across the task's executions: once one's metadata makes it true, no more start. */
  stopCondition?: string;
  onChildError?: string;
  position: SourcePosition;
}

/** §5 */
export interface Endpoint {
  name: string;
  image: string;
  serverCommand?: string[];
  wsgi?: string;
  port: number;
  files: { name: string; path: string; description?: string }[];
  description?: string;
  extra: Record<string, unknown>;
  position: SourcePosition;
}

/** §7 */
export interface Deployment {
  name: string;
  defaults: Record<string, unknown>;
  position: SourcePosition;
}

/**
 * This toolkit's extension (see README "The `x-mlops` extension"): things Valohai's format has no
 * place for. Kept under a top-level `- x-mlops:` item, which Valohai's parser ignores with a warning
 * ("No parser for …") and so keeps the file loadable by Valohai itself.
 */
export interface MlopsExtension {
  /** Valohai `environment` slug → GitHub `runs-on` label(s). `default` is used for steps without one. */
  runners: Record<string, string | string[]>;
  /** Step image → job container, or not: `container` runs the job in the step's image. */
  containers: 'host' | 'container';
  /** How the best model is chosen; the compare module owns the detailed meaning. */
  selection?: {
    metric: string;
    goal: 'max' | 'min';
    tieBreakers: { metric: string; goal: 'max' | 'min' }[];
    constraints: string[];
    minAbsoluteImprovement?: number;
    minRelativeImprovement?: number;
    tolerance?: number;
  };
  /** Deployment name → target (kind, cluster context, namespace…); owned by the deploy module. */
  deployTargets: Record<string, Record<string, unknown>>;
  /**
   * Where each deploy-target option was written: deployment name → dotted option path (`replicas`,
   * `endpoints.predict-digit.max-replicas`) → position of its value, so option errors read `file:line:col`.
   */
  deployTargetPositions?: Record<string, Record<string, SourcePosition>>;
  /**
   * `environment:` what steps get from the runner's environment besides the allow-list (exec/step-env.ts):
   * `forward` names passed to every step, `secrets` names whose values are redacted wherever written.
   */
  environment?: { forward: string[]; secrets: string[] };
  position?: SourcePosition;
}

/** A whole loaded file. Maps keep declaration order; a later duplicate name wins (with a warning). */
export interface PipelineConfig {
  file: string;
  steps: Map<string, Step>;
  pipelines: Map<string, Pipeline>;
  endpoints: Map<string, Endpoint>;
  tasks: Map<string, Task>;
  deployments: Map<string, Deployment>;
  mlops: MlopsExtension;
}

/** Result of loading: the config is present unless there were errors. */
export interface LoadResult {
  config?: PipelineConfig;
  diagnostics: Diagnostic[];
}
