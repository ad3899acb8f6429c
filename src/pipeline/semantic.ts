import { quotedPlaceholderWarnings } from './quoted-placeholders.js';
import picomatch from 'picomatch';
import { fnmatcher } from './fnmatch.js';
import { isScalar, isSeq } from 'yaml';
import { closestMatch, didYouMean, type DiagnosticSink } from './diagnostics.js';
import { checkExpression } from './expression.js';
import { dependencies, findCycle } from './graph.js';
import type { Parameter, ParameterValue, Pipeline, PipelineConfig, PipelineNode, SourcePosition, Step, Task } from './model.js';
import { applyOverride } from './override.js';
import { formatSocket } from './socket.js';
import type { PathSegment, SourceMap } from './source.js';
import { TIMESTAMP_FORMAT } from './yaml-dialect.js';

/**
 * Checks the schema cannot express: references between items, graph shape, parameter defaults,
 * expressions. Severities follow valohai-yaml's linter (FORMAT §2–§4): what it rejects is an error,
 * what it warns about is a warning; checks it lacks are warnings unless running would surely fail.
 */

const WELL_KNOWN_WHEN = new Set(['node-starting', 'node-complete', 'node-error']);
// `require-approval` is documented by Valohai and used by real files, though valohai-yaml warns on it.
const WELL_KNOWN_THEN = new Set(['noop', 'stop-pipeline', 'error-pipeline', 'require-approval']);
const SOURCE_TYPES = new Set(['output', 'input', 'parameter', 'metadata', 'deployment', 'environment-variable', 'dependency']);
const TARGET_TYPES = new Set(['input', 'parameter', 'file', 'environment-variable', 'dependency']);

type Origins = WeakMap<object, PathSegment[]>;

class SemanticChecker {
  constructor(
    private readonly config: PipelineConfig,
    private readonly origins: Origins,
    private readonly source: SourceMap,
    private readonly sink: DiagnosticSink,
  ) {}

  /** Position of `field` inside a model object (falls back to the object itself). */
  private at(object: object, ...field: PathSegment[]): SourcePosition {
    const path = this.origins.get(object);
    if (!path) return 'position' in object ? (object as { position: SourcePosition }).position : { file: this.source.file, line: 1, col: 1 };
    return this.source.position([...path, ...field]);
  }

  run(): void {
    for (const step of this.config.steps.values()) this.step(step);
    for (const task of this.config.tasks.values()) this.task(task);
    for (const pipeline of this.config.pipelines.values()) this.pipeline(pipeline);
    this.mlops();
  }

  private step(step: Step): void {
    const preset = step.extra['runtime-config-preset'];
    if (typeof preset === 'string' && step.environment === undefined) {
      this.sink.error('preset-without-environment', this.at(step, 'runtime-config-preset'), `Step "${step.name}", missing "environment". When specifying a runtime config preset, you must also specify an environment.`, 'add `environment: <environment slug>` to the step');
    }
    this.duplicates(step.parameters, (p) => `Step ${step.name}: parameter "${p.name}" is declared twice; the last one wins`);
    this.duplicates(step.inputs, (i) => `Step ${step.name}: input "${i.name}" is declared twice; the last one wins`);
    for (const parameter of step.parameters) this.parameter(step.name, parameter);
    if (step.stopCondition !== undefined) this.expression(step, 'stop-condition', step.stopCondition, `Step ${step.name}`);
    for (const warning of quotedPlaceholderWarnings(step.name, step.command, step.parameters)) {
      this.sink.warning('quoted-placeholder', this.at(step, 'command'), warning.message, warning.hint);
    }
  }

  private duplicates<T extends { name: string }>(items: readonly T[], message: (item: T) => string): void {
    const seen = new Set<string>();
    for (const item of items) {
      if (seen.has(item.name)) this.sink.warning('duplicate-name', this.at(item, 'name'), message(item));
      seen.add(item.name);
    }
  }

  private expression(owner: object, field: string, text: string, context: string): void {
    const problem = checkExpression(text);
    if (!problem) return;
    this.sink.error('bad-expression', this.at(owner, field), `${context}: \`${field}\` "${text}" is not a valid expression: ${problem}`, 'write comparisons like `metric > 0.9`, combined with `and`/`or`; quote strings');
  }

  private parameter(stepName: string, parameter: Parameter): void {
    const context = `Step ${stepName}, parameter ${parameter.name}`;
    const path = this.origins.get(parameter) ?? [];
    if (parameter.type === 'flag' && this.source.has([...path, 'optional'])) {
      this.sink.warning('flag-optional', this.at(parameter, 'optional'), `${context}: \`optional\` has no effect on flag-type parameters`, 'remove `optional`; flags are always optional');
    }
    if (parameter.type !== 'flag' && (parameter.passTrueAs !== undefined || parameter.passFalseAs !== undefined)) {
      this.sink.warning('pass-true-as-non-flag', this.at(parameter, parameter.passTrueAs !== undefined ? 'pass-true-as' : 'pass-false-as'), `${context}: \`pass-true-as\`/\`pass-false-as\` only apply to flags`, 'set `type: flag` or use `pass-as`');
    }
    if (parameter.type === 'flag' && parameter.passAs !== undefined && (parameter.passTrueAs !== undefined || parameter.passFalseAs !== undefined)) {
      this.sink.warning('pass-as-ignored', this.at(parameter, 'pass-as'), `${context}: \`pass-as\` is ignored when \`pass-true-as\` or \`pass-false-as\` is set`, 'remove `pass-as`');
    }
    if (parameter.type === 'flag' && parameter.multiple !== 'none') {
      this.sink.error('flag-multiple', this.at(parameter, 'multiple'), `${context}: flag parameters cannot be \`multiple\``, 'remove `multiple` or change the type');
    }
    if (parameter.default === undefined || parameter.default === null) return;
    const scalar = this.source.scalarAt([...path, 'default']);
    if (scalar?.format === TIMESTAMP_FORMAT && parameter.type === 'string') {
      this.sink.warning('default-type', this.at(parameter, 'default'), `${context}: default \`default\` value ${String(parameter.default)} is not a string (PyYAML and so Valohai read it as a date/time)`, `quote it: default: "${String(parameter.default)}"`);
      return;
    }
    const values = parameter.multiple !== 'none' && Array.isArray(parameter.default) ? parameter.default : [parameter.default];
    for (const value of values) {
      const problem = defaultProblem(parameter, value);
      if (problem) {
        this.sink.warning('default-invalid', this.at(parameter, 'default'), `${context}: ${problem.message}`, problem.hint);
        return;
      }
    }
  }

  private task(task: Task): void {
    const step = this.config.steps.get(task.step);
    if (!step) {
      this.sink.warning('unknown-step', this.at(task, 'step'), `Task "${task.name}": step "${task.step}" does not exist`, didYouMean(task.step, this.config.steps.keys()) ?? 'a task blueprint runs a step declared in this file');
    } else {
      for (const variant of task.parameters) {
        if (!step.parameters.some((p) => p.name === variant.name)) {
          const index = task.parameters.indexOf(variant);
          this.sink.warning('unknown-parameter', this.at(task, 'parameters', index, 'name'), `Task "${task.name}": parameter "${variant.name}" does not exist in step "${step.name}"`, didYouMean(variant.name, step.parameters.map((p) => p.name)));
        }
      }
    }
    const path = this.origins.get(task) ?? [];
    const has = (key: string) => this.source.has([...path, key]);
    if (has('parameter-sets') && task.type !== 'manual_search') {
      this.sink.warning('task-parameter-sets', this.at(task, 'parameter-sets'), `Task "${task.name}": Parameter sets only make sense with manual search`, 'set `type: manual_search` or remove `parameter-sets`');
    }
    for (const key of ['optimization-target-metric', 'optimization-target-value', 'engine']) {
      if (has(key) && task.type !== 'bayesian_tpe') {
        this.sink.warning('task-bayesian-only', this.at(task, key), `Task "${task.name}": ${key.replace(/-/g, '_')} only makes sense for Bayesian TPE tasks`, 'set `type: bayesian_tpe` or remove it');
      }
    }
    // Only what differs from Valohai is worth a warning: up to 20 executions Valohai itself samples at random.
    if (task.type === 'bayesian_tpe' && (task.optimizationTargetMetric === undefined || (task.executionCount ?? 1) > 20)) {
      const how =
        task.optimizationTargetMetric === undefined
          ? 'without optimization-target-metric nothing guides it: every execution is random'
          : `\`mlops run\` runs 20 random executions, then TPE proposals batch by batch; a GitHub matrix (the plan action) is planned up front and runs all ${task.executionCount ?? 1} as a random search`;
      this.sink.warning('bayesian-tpe', this.at(task, 'type'), `Task "${task.name}" (bayesian_tpe): ${how}`);
    }
    const stopCondition = this.source.locate([...path, 'stop-condition']).value;
    if (isScalar(stopCondition) && typeof stopCondition.value === 'string') {
      this.expression(task, 'stop-condition', stopCondition.value, `Task ${task.name}`);
    }
  }

  /** The step a node runs, or undefined (reported) when it does not exist. */
  private nodeStep(pipeline: Pipeline, node: PipelineNode): Step | undefined {
    if (node.type === 'deployment') return undefined;
    const prefix = `Pipeline "${pipeline.name}" node "${node.name}"`;
    let stepName = node.step;
    if (node.type === 'task' && node.task !== undefined) {
      const blueprint = this.config.tasks.get(node.task);
      if (!blueprint) {
        this.sink.error('unknown-task', this.at(node, 'task'), `${prefix} task "${node.task}" does not exist`, didYouMean(node.task, this.config.tasks.keys()) ?? 'declare it as a top-level `- task:` item');
        return undefined;
      }
      stepName = blueprint.step;
    }
    const step = this.config.steps.get(stepName);
    if (!step) {
      if (node.commit !== undefined) return undefined; // The step lives in another commit or a library.
      this.sink.error('unknown-step', this.at(node, node.type === 'task' && node.task !== undefined ? 'task' : 'step'), `${prefix} step "${stepName}" does not exist`, didYouMean(stepName, this.config.steps.keys()) ?? `declared steps: ${[...this.config.steps.keys()].join(', ') || 'none'}`);
    }
    return step;
  }

  private pipeline(pipeline: Pipeline): void {
    const prefix = `Pipeline "${pipeline.name}"`;
    const nodes = new Map<string, PipelineNode>();
    for (const node of pipeline.nodes) {
      if (node.name.includes('.')) {
        this.sink.warning('dotted-node-name', this.at(node, 'name'), `${prefix} node "${node.name}": a name with a dot cannot be used in edges (\`<node>.<type>.<key>\` splits on the first dots)`, `rename it, e.g. "${node.name.replace(/\./g, '-')}"`);
      }
      if (nodes.has(node.name)) {
        this.sink.error('duplicate-node', this.at(node, 'name'), `${prefix} has more than one node named "${node.name}"`, 'node names must be unique within a pipeline');
      } else {
        nodes.set(node.name, node);
      }
    }
    if (pipeline.nodes.length === 0) this.sink.warning('empty-pipeline', this.at(pipeline, 'nodes'), `${prefix} has no nodes`);

    // The step each node runs, with its override applied.
    const effective = new Map<string, Step>();
    for (const node of nodes.values()) {
      this.actions(pipeline, node);
      if (node.type === 'deployment') {
        this.deploymentNode(pipeline, node);
        continue;
      }
      const step = this.nodeStep(pipeline, node);
      if (!step) continue;
      if (node.override) this.override(pipeline, node, step);
      effective.set(node.name, applyOverride(step, node.override));
    }

    this.edges(pipeline, nodes, effective);
    this.pipelineParameters(pipeline, nodes, effective);

    const upstream = dependencies(pipeline);
    const cycle = findCycle(upstream);
    if (cycle) {
      const first = pipeline.edges.find((e) => e.source.node === cycle[cycle.length - 2] && e.target.node === cycle[cycle.length - 1]);
      this.sink.error('cycle', first ? first.position : pipeline.position, `${prefix} has a cycle: ${cycle.join(' -> ')}`, 'remove one of these edges; a pipeline must be a DAG');
    }
    if (pipeline.nodes.length > 0 && [...upstream.values()].every((deps) => deps.size > 0)) {
      this.sink.error('no-entry-node', this.at(pipeline, 'nodes'), `${prefix} has no entry node: every node waits for another, so nothing can start`, 'at least one node must have no incoming edges');
    }
  }

  private actions(pipeline: Pipeline, node: PipelineNode): void {
    for (const action of node.actions) {
      const unknownWhen = action.when.filter((w) => !WELL_KNOWN_WHEN.has(w));
      if (unknownWhen.length > 0) {
        this.sink.warning('unknown-when', this.at(action, 'when'), `Pipeline "${pipeline.name}" node "${node.name}": "when" value ${unknownWhen.join(', ')} is not well-known; the action might never run`, didYouMean(unknownWhen[0] ?? '', WELL_KNOWN_WHEN) ?? `well-known: ${[...WELL_KNOWN_WHEN].join(', ')}`);
      }
      const unknownThen = action.then.filter((t) => !WELL_KNOWN_THEN.has(t));
      if (unknownThen.length > 0) {
        this.sink.warning('unknown-then', this.at(action, 'then'), `Pipeline "${pipeline.name}" node "${node.name}": "then" value ${unknownThen.join(', ')} is not well-known; the action might do nothing`, didYouMean(unknownThen[0] ?? '', WELL_KNOWN_THEN) ?? `well-known: ${[...WELL_KNOWN_THEN].join(', ')}`);
      }
    }
  }

  private deploymentNode(pipeline: Pipeline, node: Extract<PipelineNode, { type: 'deployment' }>): void {
    node.endpoints.forEach((endpoint, index) => {
      if (!this.config.endpoints.has(endpoint)) {
        this.sink.error('unknown-endpoint', this.at(node, 'endpoints', index), `Pipeline "${pipeline.name}" node "${node.name}": endpoint "${endpoint}" does not exist`, didYouMean(endpoint, this.config.endpoints.keys()) ?? 'declare it as a top-level `- endpoint:` item');
      }
    });
  }

  private override(pipeline: Pipeline, node: PipelineNode, step: Step): void {
    if (node.type === 'deployment' || !node.override) return;
    const prefix = `Pipeline "${pipeline.name}" node "${node.name}" step "${step.name}"`;
    const override = node.override;
    override.inputs?.forEach((input, index) => {
      if (!step.inputs.some((i) => i.name === input.name)) {
        this.sink.error('unknown-input', this.at(override, 'inputs', index, 'name'), `${prefix}: input ${input.name} does not exist in step`, didYouMean(input.name, step.inputs.map((i) => i.name)) ?? 'an override can only change inputs the step declares');
      }
    });
    override.parameters?.forEach((parameter, index) => {
      if (!step.parameters.some((p) => p.name === parameter.name)) {
        this.sink.error('unknown-parameter', this.at(override, 'parameters', index, 'name'), `${prefix}: parameter ${parameter.name} does not exist in step`, didYouMean(parameter.name, step.parameters.map((p) => p.name)) ?? 'an override can only change parameters the step declares');
      } else {
        this.parameter(`${step.name} (node ${node.name})`, parameter);
      }
    });
    if (override.runtimeConfigPreset !== undefined && override.environment === undefined) {
      this.sink.error('preset-without-environment', this.at(override, 'runtime-config-preset'), `Pipeline "${pipeline.name}" node "${node.name}" step "${step.name}": missing "environment". When specifying a runtime config preset, you must also specify an environment.`, 'add `environment:` to the same override');
    }
  }

  private edges(pipeline: Pipeline, nodes: Map<string, PipelineNode>, effective: Map<string, Step>): void {
    const filledParameters = new Map<string, number>();
    for (const edge of pipeline.edges) {
      const shorthand = this.isList(edge);
      const sourceField: PathSegment = shorthand ? 0 : 'source';
      const targetField: PathSegment = shorthand ? 1 : 'target';
      const between = `(between ${edge.source.node} and ${edge.target.node})`;
      let ok = true;
      for (const [socket, field, role] of [[edge.source, sourceField, 'source'], [edge.target, targetField, 'target']] as const) {
        if (!nodes.has(socket.node)) {
          ok = false;
          this.sink.error('unknown-node', this.at(edge, field), `Pipeline "${pipeline.name}" edge ${role} node "${socket.node}" does not exist ${between}`, didYouMean(socket.node, nodes.keys()) ?? `nodes: ${[...nodes.keys()].join(', ')}`);
        }
      }
      if (!SOURCE_TYPES.has(edge.source.type)) {
        this.sink.warning('edge-direction', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source type ${edge.source.type} ${between} cannot provide data`, `sources are ${[...SOURCE_TYPES].join(', ')}`);
      }
      if (!TARGET_TYPES.has(edge.target.type)) {
        this.sink.warning('edge-direction', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target type ${edge.target.type} ${between} cannot receive data`, `targets are ${[...TARGET_TYPES].join(', ')}`);
      }
      const globProblem = badGlob(edge.source.key);
      if (globProblem) this.sink.error('bad-glob', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source key \`${edge.source.key}\`: ${globProblem}`, 'write a path or glob relative to /valohai/outputs, e.g. `model/*.pkl`');
      const targetGlobProblem = edge.target.type === 'input' || edge.target.type === 'parameter' ? badGlob(edge.target.key) : undefined;
      if (targetGlobProblem) this.sink.error('bad-glob', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target key \`${edge.target.key}\`: ${targetGlobProblem}`);
      if (!ok) continue;

      // valohai-yaml does not check edge keys (FORMAT §3 "Not checked"): these are warnings.
      const targetStep = effective.get(edge.target.node);
      if (targetStep && edge.target.type === 'input' && !targetStep.inputs.some((i) => i.name === edge.target.key)) {
        this.sink.warning('undeclared-input', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: step "${targetStep.name}" has no input "${edge.target.key}"`, didYouMean(edge.target.key, targetStep.inputs.map((i) => i.name)) ?? 'declare the input in the step, or the files arrive in an input nobody reads');
      }
      if (targetStep && edge.target.type === 'parameter') {
        // Valohai's own examples feed undeclared parameters, so only a likely typo is worth a warning.
        const guess = targetStep.parameters.some((p) => p.name === edge.target.key) ? undefined : didYouMean(edge.target.key, targetStep.parameters.map((p) => p.name));
        if (guess) {
          this.sink.warning('undeclared-parameter', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: step "${targetStep.name}" has no parameter "${edge.target.key}"`, guess);
        }
        const key = `${edge.target.node}\u0000${edge.target.key}`;
        const count = (filledParameters.get(key) ?? 0) + 1;
        filledParameters.set(key, count);
        if (count === 2) {
          this.sink.warning('parameter-filled-twice', this.at(edge, targetField), `Pipeline "${pipeline.name}": parameter ${formatSocket(edge.target)} is filled by more than one edge; only one value can win`, 'keep one edge per target parameter');
        }
      }
      const sourceStep = effective.get(edge.source.node);
      const sourceGuess = sourceStep && edge.source.type === 'parameter' && !sourceStep.parameters.some((p) => p.name === edge.source.key) ? didYouMean(edge.source.key, sourceStep.parameters.map((p) => p.name)) : undefined;
      if (sourceStep && sourceGuess) {
        this.sink.warning('undeclared-parameter', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source ${formatSocket(edge.source)}: step "${sourceStep.name}" has no parameter "${edge.source.key}"`, sourceGuess);
      }
      // Declared outputs are optional (FORMAT §2.4); where a step lists them, an edge that matches none
      // of them most likely has a typo. At run time the same check runs against the real outputs.
      if (sourceStep && edge.source.type === 'output' && sourceStep.outputs.length > 0 && !globProblem) {
        const matches = fnmatcher(edge.source.key);
        if (!sourceStep.outputs.some((output) => matches(output.name))) {
          this.sink.warning('edge-matches-nothing', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source ${formatSocket(edge.source)} matches none of the outputs step "${sourceStep.name}" declares (${sourceStep.outputs.map((o) => o.name).join(', ')})`, 'keys match like fnmatch against paths inside /valohai/outputs (`*` crosses `/`)');
        }
      }
      const targetNode = nodes.get(edge.target.node);
      if (edge.target.type === 'file' && targetNode?.type === 'deployment') {
        const endpointName = edge.target.key.split('.')[0] ?? '';
        if (!targetNode.endpoints.includes(endpointName)) {
          this.sink.warning('unknown-endpoint', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: endpoint "${endpointName}" is not among node "${targetNode.name}"'s endpoints`, 'write `<deployment node>.file.<endpoint>.<file name>`');
        }
      } else if (edge.target.type === 'file') {
        this.sink.warning('edge-direction', this.at(edge, targetField), `Pipeline "${pipeline.name}" edge target ${formatSocket(edge.target)}: \`file\` targets are for deployment nodes`);
      }
      const sourceNode = nodes.get(edge.source.node);
      if (edge.source.type === 'deployment' && sourceNode?.type !== 'deployment') {
        this.sink.warning('edge-direction', this.at(edge, sourceField), `Pipeline "${pipeline.name}" edge source ${formatSocket(edge.source)}: \`deployment\` sources must be deployment nodes`);
      }
    }
  }

  /** Whether the YAML at the object's (or its field's) path is a list. */
  private isList(object: object, ...field: PathSegment[]): boolean {
    const path = this.origins.get(object);
    return path !== undefined && isSeq(this.source.locate([...path, ...field]).value);
  }

  private pipelineParameters(pipeline: Pipeline, nodes: Map<string, PipelineNode>, effective: Map<string, Step>): void {
    for (const parameter of pipeline.parameters) {
      const prefix = `Pipeline "${pipeline.name}" parameter "${parameter.name}"`;
      if (parameter.targets.length === 0) {
        this.sink.warning('no-targets', this.at(parameter, 'name'), `${prefix}: no targets.`, 'add `targets: [<node>.parameter.<name>]`, or remove the parameter');
      }
      const path = this.origins.get(parameter) ?? [];
      const field = this.source.has([...path, 'targets']) ? 'targets' : 'target';
      parameter.targets.forEach((target, index) => {
        const at = this.isList(parameter, field) ? this.at(parameter, field, index) : this.at(parameter, field);
        if (target.type !== 'parameter') {
          this.sink.error('bad-target', at, `${prefix}: target ${formatSocket(target)} is not a parameter`, 'pipeline parameters target `<node>.parameter.<name>`');
          return;
        }
        const node = nodes.get(target.node);
        if (!node) {
          this.sink.error('unknown-node', at, `${prefix}: target node "${target.node}" does not exist`, didYouMean(target.node, nodes.keys()));
          return;
        }
        const step = effective.get(target.node);
        if (node.type === 'execution' && step && !step.parameters.some((p) => p.name === target.key)) {
          this.sink.error('unknown-parameter', at, `${prefix}: parameter ${target.key} does not exist in step "${step.name}" of node "${node.name}"`, didYouMean(target.key, step.parameters.map((p) => p.name)));
        }
      });
    }
  }

  private mlops(): void {
    const mlops = this.config.mlops;
    const deploymentNames = new Set<string>();
    for (const pipeline of this.config.pipelines.values()) {
      for (const node of pipeline.nodes) if (node.type === 'deployment') deploymentNames.add(node.deployment);
    }
    for (const name of this.config.deployments.keys()) deploymentNames.add(name);
    for (const name of Object.keys(mlops.deployTargets)) {
      if (!deploymentNames.has(name)) {
        const guess = closestMatch(name, deploymentNames);
        this.sink.warning('unused-deploy-target', this.at(mlops, 'deploy-targets', name), `x-mlops deploy target "${name}" matches no deployment in this file`, guess ? `did you mean \`${guess}\`?` : 'keys of `deploy-targets` are deployment names used by deployment nodes');
      }
    }
    const environments = new Set([...this.config.steps.values()].map((s) => s.environment).filter((e): e is string => e !== undefined));
    for (const name of Object.keys(mlops.runners)) {
      if (name !== 'default' && environments.size > 0 && !environments.has(name)) {
        const guess = closestMatch(name, environments);
        if (guess) this.sink.warning('unused-runner', this.at(mlops, 'runners', name), `x-mlops runner "${name}" matches no step environment`, `did you mean \`${guess}\`?`);
      }
    }
    if (mlops.selection) {
      mlops.selection.constraints.forEach((constraint, index) => {
        const problem = checkExpression(constraint);
        if (problem) this.sink.error('bad-expression', this.at(mlops, 'selection', 'constraints', index), `x-mlops selection constraint "${constraint}" is not a valid expression: ${problem}`, 'write e.g. `accuracy >= 0.9`');
      });
    }
  }
}

/** Why a default does not fit its parameter, mirroring valohai-yaml's value validation. */
function defaultProblem(parameter: Parameter, value: ParameterValue): { message: string; hint?: string } | undefined {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  switch (parameter.type) {
    case 'string':
      if (typeof value !== 'string') {
        return { message: `default \`default\` value ${shown} is not a string (got ${Array.isArray(value) ? 'a list' : typeof value})`, hint: `quote it (\`"${shown}"\`) or set the parameter's \`type\`` };
      }
      break;
    case 'integer': {
      // Python's int(str(v), 10).
      const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : undefined;
      if (text === undefined || !/^[-+]?\d+$/.test(text.replace(/_/g, ''))) return { message: `default ${shown} is not an integer` };
      break;
    }
    case 'float': {
      const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : undefined;
      if (text === undefined || !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?(?:inf|infinity|nan)$/i.test(text)) return { message: `default ${shown} is not a float` };
      break;
    }
    case 'flag':
      if (typeof value !== 'boolean') return { message: `default ${shown} is not a boolean`, hint: 'flags take true or false' };
      return undefined;
  }
  if ((parameter.type === 'integer' || parameter.type === 'float') && (typeof value === 'number' || typeof value === 'string')) {
    const number = Number(value);
    if (parameter.min !== undefined && number < parameter.min) return { message: `default ${shown} is less than the minimum allowed (${parameter.min})` };
    if (parameter.max !== undefined && number > parameter.max) return { message: `default ${shown} is greater than the maximum allowed (${parameter.max})` };
  }
  if (parameter.choices && !parameter.choices.some((choice) => choice === value || (typeof choice === 'number' && typeof value === 'number' && choice === value))) {
    return { message: `default ${shown} is not among the choices (${parameter.choices.map((c) => JSON.stringify(c)).join(', ')})` };
  }
  return undefined;
}

/** A reason the text is not a usable glob, or undefined. */
function badGlob(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  if (key.startsWith('/')) return 'keys are relative to the outputs folder and cannot start with `/`';
  if (key.split('/').includes('..')) return '`..` would leave the outputs folder';
  let brackets = 0;
  let braces = 0;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    if (ch === '\\') i++;
    else if (ch === '[') brackets++;
    else if (ch === ']') brackets = Math.max(0, brackets - 1);
    else if (ch === '{') braces++;
    else if (ch === '}') braces--;
    if (braces < 0) return 'a `}` has no matching `{`';
  }
  if (brackets > 0) return 'a `[` is never closed';
  if (braces > 0) return 'a `{` is never closed';
  try {
    picomatch.makeRe(key);
  } catch (error) {
    return `invalid glob (${error instanceof Error ? error.message : String(error)})`;
  }
  return undefined;
}

export function checkSemantics(config: PipelineConfig, origins: Origins, source: SourceMap, sink: DiagnosticSink): void {
  new SemanticChecker(config, origins, source, sink).run();
}
