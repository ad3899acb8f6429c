import { didYouMean, type DiagnosticSink } from './diagnostics.js';
import { DurationError, parseDuration } from './duration.js';
import type {
  Deployment,
  Edge,
  EdgeMergeMode,
  Endpoint,
  EnvironmentVariable,
  Input,
  KeepDirectories,
  MlopsExtension,
  Mount,
  MultipleMode,
  NodeAction,
  OnError,
  Override,
  Parameter,
  ParameterType,
  ParameterValue,
  Pipeline,
  PipelineConfig,
  PipelineNode,
  PipelineParameter,
  Socket,
  SourcePosition,
  Step,
  Task,
  TaskParameter,
  TaskParameterStyle,
} from './model.js';
import { normaliseEdgeType, parseSocket, SocketSyntaxError, EDGE_TYPES } from './socket.js';
import type { PathSegment, SourceMap } from './source.js';

/**
 * Turns validated data (plain JS from the YAML) into the typed model. Runs after the schema check, so
 * shapes are known to be right; what the schema cannot see (sockets, durations, target/targets) is
 * reported here. `origins` records where each model object came from, for later checks.
 */

type Data = Record<string, unknown>;

export const TOP_LEVEL_KINDS = ['step', 'task', 'endpoint', 'pipeline', 'blueprint', 'deployment', 'x-mlops'] as const;
export type TopLevelKind = (typeof TOP_LEVEL_KINDS)[number];

export const DEFAULT_MLOPS: Readonly<MlopsExtension> = {
  runners: { default: 'ubuntu-latest' },
  containers: 'host',
  deployTargets: {},
};


function isData(value: unknown): value is Data {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function toParameterValue(value: unknown): ParameterValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map(toParameterValue);
    return items.every((v) => v !== undefined) ? (items as ParameterValue[]) : undefined;
  }
  return undefined;
}

/** The kind of a top-level item: valohai-yaml checks keys in this order and the first one wins. */
export function itemKind(item: Data): TopLevelKind | undefined {
  return TOP_LEVEL_KINDS.find((kind) => kind in item);
}

export class ConfigBuilder {
  readonly origins = new WeakMap<object, PathSegment[]>();

  constructor(
    private readonly source: SourceMap,
    private readonly sink: DiagnosticSink,
  ) {}

  private pos(path: readonly PathSegment[]) {
    return this.source.position(path);
  }

  private remember<T extends object>(object: T, path: PathSegment[]): T {
    this.origins.set(object, path);
    return object;
  }

  build(items: unknown[]): PipelineConfig {
    const config: PipelineConfig = {
      file: this.source.file,
      steps: new Map(),
      pipelines: new Map(),
      endpoints: new Map(),
      tasks: new Map(),
      deployments: new Map(),
      mlops: { ...DEFAULT_MLOPS, runners: { ...DEFAULT_MLOPS.runners }, deployTargets: {} },
    };
    let mlopsSeen = false;
    items.forEach((item, index) => {
      if (!isData(item)) return;
      const kind = itemKind(item);
      if (!kind) return;
      const data = item[kind];
      if (!isData(data)) return;
      const path: PathSegment[] = [index, kind];
      const named = <T extends { name: string }>(map: Map<string, T>, value: T, what: string) => {
        if (map.has(value.name)) {
          this.sink.warning(
            'duplicate-name',
            this.pos([...path, 'name']),
            `Duplicate ${what} name: ${value.name}. The later one wins.`,
            `rename one of the ${what}s named "${value.name}"`,
          );
          map.delete(value.name);
        }
        map.set(value.name, value);
      };
      switch (kind) {
        case 'step':
          named(config.steps, this.step(data, path), 'step');
          break;
        case 'task':
          named(config.tasks, this.task(data, path), 'task');
          break;
        case 'endpoint':
          named(config.endpoints, this.endpoint(data, path), 'endpoint');
          break;
        case 'pipeline':
        case 'blueprint':
          named(config.pipelines, this.pipeline(data, path), 'pipeline');
          break;
        case 'deployment':
          named(config.deployments, this.deployment(data, path), 'deployment');
          break;
        case 'x-mlops':
          if (mlopsSeen) {
            this.sink.warning('duplicate-mlops', this.source.position([index, kind], 'key'), 'more than one `x-mlops` item; the last one wins', 'merge them into one `- x-mlops:` item');
          }
          mlopsSeen = true;
          config.mlops = this.mlops(data, path);
          break;
      }
    });
    // A blueprint node runs the blueprint's step (model.ts promises `step` is always the step to run);
    // tasks may be declared after the pipeline, so this is done once everything is read.
    for (const pipeline of config.pipelines.values()) {
      for (const node of pipeline.nodes) {
        if (node.type === 'task' && node.step === '' && node.task !== undefined) {
          node.step = config.tasks.get(node.task)?.step ?? '';
        }
      }
    }
    return config;
  }

  step(data: Data, path: PathSegment[]): Step {
    const known = new Set([
      'name', 'image', 'command', 'parameters', 'inputs', 'outputs', 'environment', 'environment-variables',
      'environment-variable-groups', 'mounts', 'time-limit', 'no-output-timeout', 'stop-condition', 'source-path', 'description',
    ]);
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) if (!known.has(key)) extra[key] = value;
    const step: Step = {
      name: str(data.name) ?? '',
      image: str(data.image) ?? '',
      command: strings(data.command),
      parameters: list(data.parameters).map((p, i) => this.parameter(p, [...path, 'parameters', i])),
      inputs: list(data.inputs).map((p, i) => this.input(p, [...path, 'inputs', i])),
      outputs: list(data.outputs).filter(isData).map((o) => {
        const output: { name: string; description?: string } = { name: str(o.name) ?? '' };
        const description = str(o.description);
        if (description !== undefined) output.description = description;
        return output;
      }),
      environmentVariables: list(data['environment-variables']).map((v) => this.environmentVariable(v)),
      environmentVariableGroups: strings(data['environment-variable-groups']),
      mounts: list(data.mounts).map((m) => this.mount(m)),
      extra,
      position: this.pos(path),
    };
    const environment = str(data.environment);
    if (environment !== undefined) step.environment = environment;
    const timeLimit = this.duration(data['time-limit'], [...path, 'time-limit']);
    if (timeLimit !== undefined) step.timeLimit = timeLimit;
    const noOutputTimeout = this.duration(data['no-output-timeout'], [...path, 'no-output-timeout']);
    if (noOutputTimeout !== undefined) step.noOutputTimeout = noOutputTimeout;
    const stopCondition = str(data['stop-condition']);
    if (stopCondition !== undefined) step.stopCondition = stopCondition;
    const sourcePath = str(data['source-path']);
    if (sourcePath !== undefined) step.sourcePath = sourcePath;
    const description = str(data.description);
    if (description !== undefined) step.description = description;
    return this.remember(step, path);
  }

  private duration(value: unknown, path: PathSegment[]): number | undefined {
    try {
      return parseDuration(value);
    } catch (error) {
      if (!(error instanceof DurationError)) throw error;
      this.sink.error('bad-duration', this.pos(path), `\`${String(path[path.length - 1])}\`: ${error.message}`, 'write seconds (e.g. 3600) or a duration like "1h 30m"');
      return undefined;
    }
  }

  parameter(value: unknown, path: PathSegment[]): Parameter {
    const data = isData(value) ? value : {};
    const type = (str(data.type) ?? 'string') as ParameterType;
    const multiple = (str(data.multiple) ?? 'none') as MultipleMode;
    const parameter: Parameter = {
      name: str(data.name) ?? '',
      type,
      optional: type === 'flag' ? true : data.optional === true,
      multiple,
      multipleSeparator: str(data['multiple-separator']) ?? ',',
      position: this.pos(path),
    };
    if ('default' in data) {
      const converted = toParameterValue(data.default);
      if (converted === undefined) {
        this.sink.warning('bad-default', this.pos([...path, 'default']), `parameter "${parameter.name}": a default must be a value or a list of values, not a mapping; it is ignored`);
      } else {
        // A multiple parameter's default is always a list (valohai-yaml wraps a single value).
        parameter.default = multiple !== 'none' && converted !== null && !Array.isArray(converted) ? [converted] : converted;
      }
    }
    for (const [key, field] of [['pass-as', 'passAs'], ['pass-true-as', 'passTrueAs'], ['pass-false-as', 'passFalseAs'], ['description', 'description'], ['category', 'category']] as const) {
      const text = str(data[key]);
      if (text !== undefined) parameter[field] = text;
    }
    if (Array.isArray(data.choices)) {
      const choices = toParameterValue(data.choices);
      if (Array.isArray(choices)) parameter.choices = choices;
    }
    if (typeof data.min === 'number') parameter.min = data.min;
    if (typeof data.max === 'number') parameter.max = data.max;
    return this.remember(parameter, path);
  }

  input(value: unknown, path: PathSegment[]): Input {
    const data = isData(value) ? value : {};
    const keep = data['keep-directories'];
    const keepDirectories: KeepDirectories = keep === true ? 'full' : keep === false || keep === undefined ? 'none' : (keep as KeepDirectories);
    const input: Input = {
      name: str(data.name) ?? '',
      default: strings(data.default),
      optional: data.optional === true,
      keepDirectories,
      download: data.download === 'on-demand' ? 'on-demand' : 'always',
      position: this.pos(path),
    };
    const filename = str(data.filename);
    if (filename !== undefined) input.filename = filename;
    const description = str(data.description);
    if (description !== undefined) input.description = description;
    return this.remember(input, path);
  }

  private environmentVariable(value: unknown): EnvironmentVariable {
    const data = isData(value) ? value : {};
    const variable: EnvironmentVariable = { name: str(data.name) ?? '', optional: data.optional !== false };
    const defaultValue = str(data.default);
    if (defaultValue !== undefined) variable.default = defaultValue;
    const description = str(data.description);
    if (description !== undefined) variable.description = description;
    return variable;
  }

  private mount(value: unknown): Mount {
    if (typeof value === 'string') {
      // valohai-yaml splits on the first `:` (objs/mount.py).
      const colon = value.indexOf(':');
      return { source: value.slice(0, colon), destination: value.slice(colon + 1), readonly: false };
    }
    const data = isData(value) ? value : {};
    return { source: str(data.source) ?? '', destination: str(data.destination) ?? '', readonly: data.readonly === true };
  }

  override(value: unknown, path: PathSegment[]): Override {
    const data = isData(value) ? value : {};
    const override: Override = {};
    const image = str(data.image);
    if (image !== undefined) override.image = image;
    if (data.command !== undefined) override.command = strings(data.command);
    if (Array.isArray(data.parameters)) override.parameters = data.parameters.map((p, i) => this.parameter(p, [...path, 'parameters', i]));
    if (Array.isArray(data.inputs)) override.inputs = data.inputs.map((p, i) => this.input(p, [...path, 'inputs', i]));
    const environment = str(data.environment);
    if (environment !== undefined) override.environment = environment;
    if (Array.isArray(data['environment-variables'])) override.environmentVariables = data['environment-variables'].map((v) => this.environmentVariable(v));
    if (Array.isArray(data.mounts)) override.mounts = data.mounts.map((m) => this.mount(m));
    const preset = str(data['runtime-config-preset']);
    if (preset !== undefined) override.runtimeConfigPreset = preset;
    return this.remember(override, path);
  }

  private actions(value: unknown, path: PathSegment[]): NodeAction[] {
    return list(value).map((item, i) => {
      const data = isData(item) ? item : {};
      const action: NodeAction = {
        when: [...new Set(strings(data.when))],
        if: strings(data.if),
        then: strings(data.then),
        position: this.pos([...path, i]),
      };
      return this.remember(action, [...path, i]);
    });
  }

  node(value: unknown, path: PathSegment[]): PipelineNode | undefined {
    if (!isData(value)) return undefined;
    const base = {
      name: str(value.name) ?? '',
      actions: this.actions(value.actions, [...path, 'actions']),
      onError: (str(value['on-error']) ?? 'stop-all') as OnError,
      position: this.pos(path),
    };
    let node: PipelineNode;
    if (value.type === 'deployment') {
      node = { ...base, type: 'deployment', deployment: str(value.deployment) ?? '', endpoints: strings(value.endpoints), aliases: strings(value.aliases) };
    } else {
      const common = {
        ...base,
        step: str(value.step) ?? '',
        edgeMergeMode: (str(value['edge-merge-mode']) ?? 'replace') as EdgeMergeMode,
      };
      if (value.type === 'task') {
        node = { ...common, type: 'task' };
        const task = str(value.task);
        if (task !== undefined) node.task = task;
      } else {
        node = { ...common, type: 'execution' };
      }
      if (value.override !== undefined) node.override = this.override(value.override, [...path, 'override']);
      const commit = str(value.commit);
      if (commit !== undefined) node.commit = commit;
    }
    return this.remember(node, path);
  }

  /** Parses one socket, reporting malformed ones; plural types are normalised with a warning. */
  socket(text: string, path: PathSegment[], role: 'source' | 'target', pipeline: string, quietPlural = false): Socket | undefined {
    let parsed;
    try {
      parsed = parseSocket(text);
    } catch (error) {
      if (!(error instanceof SocketSyntaxError)) throw error;
      const parts = text.split('.', 3).length;
      this.sink.error('bad-socket', this.pos(path), `${role === 'source' ? 'Source' : 'Target'} specifier '${text}' must have 3 parts (it has ${parts})`, 'write sockets as `<node>.<type>.<key>`, e.g. `train.output.model.pkl`');
      return undefined;
    }
    const normalised = normaliseEdgeType(parsed.rawType);
    if (!normalised) {
      this.sink.error(
        'bad-edge-type',
        this.pos(path),
        `Pipeline ${pipeline} ${role} type ${parsed.rawType} in \`${text}\` is not valid`,
        didYouMean(parsed.rawType, EDGE_TYPES) ?? `edge types are ${EDGE_TYPES.join(', ')}`,
      );
      return undefined;
    }
    if (normalised.plural && !quietPlural) {
      this.sink.warning(
        'plural-edge-type',
        this.pos(path),
        `Pipeline ${pipeline} ${role} type \`${parsed.rawType}\` in \`${text}\` is read as \`${normalised.type}\`; valohai-yaml's linter rejects the plural`,
        `write \`${parsed.node}.${normalised.type}.${parsed.key}\``,
      );
    }
    return { node: parsed.node, type: normalised.type, key: parsed.key };
  }

  edge(value: unknown, path: PathSegment[], pipeline: string): Edge | undefined {
    let sourceText: string | undefined;
    let targetText: string | undefined;
    let configuration: Record<string, unknown> = {};
    let sourcePath: PathSegment[];
    let targetPath: PathSegment[];
    if (Array.isArray(value)) {
      sourceText = str(value[0]);
      targetText = str(value[1]);
      sourcePath = [...path, 0];
      targetPath = [...path, 1];
      if (value.length !== 2) {
        this.sink.error('edge-shorthand', this.pos(path), `Malformed edge shorthand ${JSON.stringify(value)}`, 'write `[<source socket>, <target socket>]`, exactly 2 items');
        return undefined;
      }
    } else if (isData(value)) {
      sourceText = str(value.source);
      targetText = str(value.target);
      if (isData(value.configuration)) configuration = value.configuration;
      sourcePath = [...path, 'source'];
      targetPath = [...path, 'target'];
    } else {
      return undefined;
    }
    if (sourceText === undefined || targetText === undefined) return undefined;
    const source = this.socket(sourceText, sourcePath, 'source', pipeline);
    const target = this.socket(targetText, targetPath, 'target', pipeline);
    if (!source || !target) return undefined;
    return this.remember({ source, target, configuration, position: this.pos(path) }, path);
  }

  pipelineParameter(value: unknown, path: PathSegment[], pipeline: string): PipelineParameter | undefined {
    if (!isData(value)) return undefined;
    const name = str(value.name) ?? '';
    if ('target' in value && 'targets' in value) {
      this.sink.error('target-and-targets', this.pos([...path, 'targets']), `Pipeline "${pipeline}" parameter "${name}": set \`target\` or \`targets\`, not both`, 'move the `target` value into the `targets` list');
    }
    const texts = [...strings(value.target), ...strings(value.targets)];
    const targets: Socket[] = [];
    texts.forEach((text, i) => {
      const targetPath = 'targets' in value ? (Array.isArray(value.targets) ? [...path, 'targets', i] : [...path, 'targets']) : [...path, 'target'];
      // valohai-yaml accepts `parameters` here (it checks `startswith("parameter")`), so no warning.
      const socket = this.socket(text, targetPath, 'target', pipeline, true);
      if (socket) targets.push(socket);
    });
    const parameter: PipelineParameter = { name, targets, position: this.pos(path) };
    if ('default' in value) {
      const converted = toParameterValue(value.default);
      if (converted !== undefined) parameter.default = converted;
    }
    const description = str(value.description);
    if (description !== undefined) parameter.description = description;
    const category = str(value.category);
    if (category !== undefined) parameter.category = category;
    return this.remember(parameter, path);
  }

  pipeline(data: Data, path: PathSegment[]): Pipeline {
    const name = str(data.name) ?? '';
    const nodes = list(data.nodes)
      .map((n, i) => this.node(n, [...path, 'nodes', i]))
      .filter((n): n is PipelineNode => n !== undefined);
    const edges = list(data.edges)
      .map((e, i) => this.edge(e, [...path, 'edges', i], name))
      .filter((e): e is Edge => e !== undefined);
    const parameters = list(data.parameters)
      .map((p, i) => this.pipelineParameter(p, [...path, 'parameters', i], name))
      .filter((p): p is PipelineParameter => p !== undefined);
    return this.remember({ name, nodes, edges, parameters, reuseExecutions: data['reuse-executions'] === true, position: this.pos(path) }, path);
  }

  task(data: Data, path: PathSegment[]): Task {
    const rawType = (str(data.type) ?? 'grid_search').toLowerCase().replace(/-/g, '_');
    const types: Task['type'][] = ['grid_search', 'random_search', 'manual_search', 'bayesian_tpe', 'distributed'];
    let type: Task['type'] = 'grid_search';
    if ((types as string[]).includes(rawType)) type = rawType as Task['type'];
    else {
      this.sink.error('bad-task-type', this.pos([...path, 'type']), `task "${str(data.name) ?? ''}": unknown type \`${str(data.type) ?? ''}\``, didYouMean(rawType, types) ?? `task types are ${types.join(', ')}`);
    }
    const parameters: TaskParameter[] = list(data.parameters).filter(isData).map((p) => ({
      name: str(p.name) ?? '',
      style: (str(p.style) ?? 'single') as TaskParameterStyle,
      rules: isData(p.rules) ? p.rules : {},
    }));
    const parameterSets: Record<string, ParameterValue>[] = [];
    list(data['parameter-sets']).forEach((set) => {
      if (!isData(set)) return;
      const converted: Record<string, ParameterValue> = {};
      for (const [key, value] of Object.entries(set)) {
        const v = toParameterValue(value);
        if (v !== undefined) converted[key] = v;
      }
      parameterSets.push(converted);
    });
    const task: Task = { name: str(data.name) ?? '', step: str(data.step) ?? '', type, parameters, parameterSets, position: this.pos(path) };
    if (typeof data['execution-count'] === 'number') task.executionCount = data['execution-count'];
    if (typeof data['execution-batch-size'] === 'number') task.executionBatchSize = data['execution-batch-size'];
    const targetMetric = str(data['optimization-target-metric']);
    if (targetMetric !== undefined) task.optimizationTargetMetric = targetMetric;
    const targetValue = data['optimization-target-value'];
    if (typeof targetValue === 'number' || (typeof targetValue === 'string' && Number.isFinite(Number(targetValue)) && targetValue.trim() !== '')) {
      task.optimizationTargetValue = Number(targetValue);
    }
    const taskStop = str(data['stop-condition']);
    if (taskStop !== undefined) task.stopCondition = taskStop;
    const onChildError = str(data['on-child-error']);
    if (onChildError !== undefined) task.onChildError = onChildError.toLowerCase().replace(/_/g, '-');
    return this.remember(task, path);
  }

  endpoint(data: Data, path: PathSegment[]): Endpoint {
    const known = new Set(['name', 'image', 'server-command', 'wsgi', 'port', 'files', 'description']);
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) if (!known.has(key)) extra[key] = value;
    const endpoint: Endpoint = {
      name: str(data.name) ?? '',
      image: str(data.image) ?? '',
      port: typeof data.port === 'number' ? data.port : 8000,
      files: list(data.files).filter(isData).map((f) => {
        const file: { name: string; path: string; description?: string } = { name: str(f.name) ?? '', path: str(f.path) ?? '' };
        const description = str(f.description);
        if (description !== undefined) file.description = description;
        return file;
      }),
      extra,
      position: this.pos(path),
    };
    if (data['server-command'] !== undefined) endpoint.serverCommand = strings(data['server-command']);
    const wsgi = str(data.wsgi);
    if (wsgi !== undefined) endpoint.wsgi = wsgi;
    const description = str(data.description);
    if (description !== undefined) endpoint.description = description;
    return this.remember(endpoint, path);
  }

  deployment(data: Data, path: PathSegment[]): Deployment {
    const defaults = isData(data.defaults) ? data.defaults : {};
    if (typeof defaults.target !== 'string') {
      this.sink.warning('deployment-target', this.pos([...path, 'defaults']), `deployment "${str(data.name) ?? ''}": \`defaults.target\` is missing`, 'set `defaults: {target: <deployment target slug or UUID>}` so the platform can create the deployment');
    }
    return this.remember({ name: str(data.name) ?? '', defaults, position: this.pos(path) }, path);
  }

  /** Positions of the values of nested option maps, by dotted key (`endpoints.name.replicas`). */
  private optionPositions(data: Data, path: PathSegment[], prefix = '', into: Record<string, SourcePosition> = {}): Record<string, SourcePosition> {
    for (const [key, value] of Object.entries(data)) {
      into[`${prefix}${key}`] = this.pos([...path, key]);
      if (isData(value) && prefix.split('.').length < 4) this.optionPositions(value, [...path, key], `${prefix}${key}.`, into);
    }
    return into;
  }

  mlops(data: Data, path: PathSegment[]): MlopsExtension {
    const runners: Record<string, string | string[]> = { ...DEFAULT_MLOPS.runners };
    if (isData(data.runners)) {
      for (const [key, value] of Object.entries(data.runners)) {
        if (typeof value === 'string') runners[key] = value;
        else if (Array.isArray(value)) runners[key] = strings(value);
      }
    }
    const mlops: MlopsExtension = {
      runners,
      containers: data.containers === 'container' ? 'container' : 'host',
      deployTargets: {},
      position: this.source.position(path, 'key'),
    };
    if (isData(data['deploy-targets'])) {
      const positions: Record<string, Record<string, SourcePosition>> = {};
      for (const [key, value] of Object.entries(data['deploy-targets'])) {
        if (!isData(value)) continue;
        mlops.deployTargets[key] = value;
        positions[key] = this.optionPositions(value, [...path, 'deploy-targets', key]);
      }
      mlops.deployTargetPositions = positions;
    }
    if (isData(data.environment)) {
      mlops.environment = { forward: strings(data.environment.forward), secrets: strings(data.environment.secrets) };
    }
    const selection = data.selection;
    if (isData(selection)) {
      const goal = (value: unknown): 'max' | 'min' => (value === 'min' ? 'min' : 'max');
      const result: NonNullable<MlopsExtension['selection']> = {
        metric: str(selection.metric) ?? '',
        goal: goal(selection.goal),
        tieBreakers: list(selection['tie-breakers']).filter(isData).map((t) => ({ metric: str(t.metric) ?? '', goal: goal(t.goal) })),
        constraints: strings(selection.constraints),
      };
      const number = (key: string): number | undefined => {
        const value = selection[key];
        const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : undefined;
        return parsed !== undefined && Number.isFinite(parsed) ? parsed : undefined;
      };
      const absolute = number('min-absolute-improvement');
      if (absolute !== undefined) result.minAbsoluteImprovement = absolute;
      const relative = number('min-relative-improvement');
      if (relative !== undefined) result.minRelativeImprovement = relative;
      const tolerance = number('tolerance');
      if (tolerance !== undefined) result.tolerance = tolerance;
      mlops.selection = result;
    }
    return this.remember(mlops, path);
  }
}
