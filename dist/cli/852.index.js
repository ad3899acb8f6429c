export const id = 852;
export const ids = [852];
export const modules = {

/***/ 9852:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  command: () => (/* binding */ command)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/util/errors.js
var util_errors = __webpack_require__(4478);
;// CONCATENATED MODULE: ./build/plan/job-ids.js
/** GitHub's rule for job ids. */
const JOB_ID_PATTERN = /^[_a-zA-Z][a-zA-Z0-9_-]*$/;
const MAX_JOB_ID_LENGTH = 90;
/**
 * Valid, unique job ids for `names`, in order: invalid characters become `_`, a leading digit or dash
 * gets a `_` prefix, and clashes (compared case-insensitively, as GitHub resolves `needs`) get `-2`, `-3`…
 */
function safeJobIds(names, reserved = []) {
    const taken = new Set(reserved.map((r) => r.toLowerCase()));
    return names.map((name) => {
        let base = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_JOB_ID_LENGTH);
        if (!/^[_a-zA-Z]/.test(base))
            base = `_${base}`;
        let id = base;
        for (let n = 2; taken.has(id.toLowerCase()); n++)
            id = `${base}-${n}`;
        taken.add(id.toLowerCase());
        return id;
    });
}

;// CONCATENATED MODULE: ./build/plan/levels.js

/**
 * Longest-path levelling (Kahn's algorithm), linear in nodes + edges so that 10,000-node pipelines
 * plan quickly. Edges of every type order their nodes; self-edges are ignored (a node cannot wait for
 * itself). A cycle is a user error naming the nodes on it.
 */
function computeLevels(pipeline) {
    const upstreamSets = new Map();
    const downstream = new Map();
    for (const node of pipeline.nodes) {
        upstreamSets.set(node.name, new Set());
        downstream.set(node.name, []);
    }
    for (const edge of pipeline.edges) {
        const from = edge.source.node;
        const to = edge.target.node;
        if (from === to)
            continue;
        const into = upstreamSets.get(to);
        const out = downstream.get(from);
        // The loader reports edges to unknown nodes; the planner skips them rather than failing twice.
        if (!into || !out || into.has(from))
            continue;
        into.add(from);
        out.push(to);
    }
    const remaining = new Map();
    const level = new Map();
    let current = [];
    for (const [name, set] of upstreamSets) {
        remaining.set(name, set.size);
        if (set.size === 0)
            current.push(name);
    }
    const order = new Map(pipeline.nodes.map((node, index) => [node.name, index]));
    const byDeclaration = (a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    const waves = [];
    let placed = 0;
    while (current.length > 0) {
        // Declaration order inside a wave keeps plans stable and readable whatever the edge order.
        current.sort(byDeclaration);
        waves.push(current);
        placed += current.length;
        const next = [];
        for (const name of current) {
            level.set(name, waves.length - 1);
            for (const target of downstream.get(name) ?? []) {
                const left = (remaining.get(target) ?? 0) - 1;
                remaining.set(target, left);
                if (left === 0)
                    next.push(target);
            }
        }
        current = next;
    }
    if (placed < upstreamSets.size) {
        const stuck = [...upstreamSets.keys()].filter((name) => !level.has(name));
        throw new util_errors/* ConfigurationError */.j(`pipeline "${pipeline.name}" has a cycle among nodes ${stuck.map((n) => `"${n}"`).join(', ')}; ` +
            'remove an edge so that the nodes form a DAG');
    }
    const upstream = new Map();
    for (const [name, set] of upstreamSets)
        upstream.set(name, [...set]);
    return { waves, upstream };
}

// EXTERNAL MODULE: ./build/exec/variants.js
var exec_variants = __webpack_require__(6568);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./build/plan/artifact-name.js

/**
 * Artifact names of node outputs, without the `--attempt-<n>` suffix that the uploader adds (the run
 * attempt is only known inside the job). One place for planning and for `src/github/artifacts.ts`, and
 * free of the artifact client so that planning does not load it.
 */
const UNSAFE_NAME_CHARACTERS = /[^A-Za-z0-9._-]+/g;
const MAX_NAME_PART_LENGTH = 60;
function nameSlug(value) {
    const slug = value.replace(UNSAFE_NAME_CHARACTERS, '_').replace(/^[._]+|[._]+$/g, '');
    return (slug === '' ? '_' : slug).slice(0, MAX_NAME_PART_LENGTH);
}
/** Execution id of a node's variant: the node name, or `<node>.<index>` for task variants (node names have no dots). */
function variantExecutionId(node, variantIndex) {
    return variantIndex === undefined ? node : `${node}.${variantIndex}`;
}
/**
 * Base name of the artifact a node (and task variant) uploads; the uploader appends
 * `--attempt-<GITHUB_RUN_ATTEMPT>` and a downloader takes the highest attempt present.
 */
function nodeArtifactBaseName(pipeline, node, variantIndex) {
    return artifactBaseName(pipeline, node, variantIndex === undefined ? undefined : variantExecutionId(node, variantIndex));
}
/**
 * Readable slugs plus a hash of the exact names, so two nodes whose names slug alike ("a/b", "a:b")
 * still get different artifacts. Only `[A-Za-z0-9._-]` appear, which GitHub accepts on every platform.
 */
function artifactBaseName(pipeline, node, variant) {
    const identity = (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify([pipeline, node, variant ?? null]))
        .digest('hex')
        .slice(0, 10);
    const parts = ['mlops', nameSlug(pipeline), nameSlug(node)];
    if (variant !== undefined)
        parts.push(nameSlug(variant));
    return `${parts.join('--')}--${identity}`;
}

// EXTERNAL MODULE: ./build/pipeline/graph.js
var graph = __webpack_require__(7095);
;// CONCATENATED MODULE: ./build/plan/mermaid.js

/**
 * Above this many nodes the picture is replaced by a note: GitHub's Mermaid renderer refuses large
 * graphs (500 edges, 50,000 characters), the job summary is capped at 1 MiB, and the picture would
 * eat into the 1 MB of job outputs the matrices need.
 */
const MERMAID_MAX_NODES = 200;
/** The same flowchart as `mlops graph`, or a one-box note for pipelines too large to draw. */
function renderPipelineMermaid(pipeline, maxNodes = MERMAID_MAX_NODES) {
    if (pipeline.nodes.length > maxNodes) {
        const name = pipeline.name.replace(/[&"<>#|]/g, (ch) => `#${ch.charCodeAt(0)};`);
        return `flowchart LR\n  note["${name}: ${pipeline.nodes.length} nodes, too many to draw"]\n`;
    }
    return (0,graph/* pipelineToMermaid */.jB)(pipeline);
}

;// CONCATENATED MODULE: ./build/plan/plan.js
/**
 * Plans a pipeline into GitHub job matrices: one matrix per topological wave, split into chunks of at
 * most 256 entries (GitHub's matrix limit), each entry carrying everything one job needs.
 */





/** GitHub refuses a matrix of more than 256 jobs. */
const MAX_MATRIX_SIZE = 256;
/** Used when the extension maps neither the step's environment nor `default`. */
const FALLBACK_RUNNER = 'ubuntu-latest';
function runnerFor(config, environment) {
    const runners = config.mlops.runners;
    return (environment !== undefined ? runners[environment] : undefined) ?? runners['default'] ?? FALLBACK_RUNNER;
}
/** Pipeline parameter values (defaults, then overrides) by target node and step parameter. */
function parameterValuesByNode(pipeline, overrides) {
    const known = new Set(pipeline.parameters.map((p) => p.name));
    const unknown = Object.keys(overrides).filter((name) => !known.has(name));
    if (unknown.length > 0) {
        const allowed = known.size > 0 ? [...known].join(', ') : '(none)';
        throw new util_errors/* ConfigurationError */.j(`pipeline "${pipeline.name}" has no parameter ${unknown.map((n) => `"${n}"`).join(', ')}; its parameters are: ${allowed}`);
    }
    const byNode = new Map();
    for (const parameter of pipeline.parameters) {
        const value = Object.hasOwn(overrides, parameter.name) ? overrides[parameter.name] : parameter.default;
        if (value === undefined)
            continue;
        for (const target of parameter.targets) {
            const values = byNode.get(target.node) ?? {};
            values[target.key] = value;
            byNode.set(target.node, values);
        }
    }
    return byNode;
}
function chunk(items, size) {
    if (items.length === 0)
        return [[]];
    const chunks = [];
    for (let i = 0; i < items.length; i += size)
        chunks.push(items.slice(i, i + size));
    return chunks;
}
function planNode(config, pipelineName, node, nodeParameters) {
    if (node.type === 'deployment') {
        const artifact = nodeArtifactBaseName(pipelineName, node.name);
        const entry = {
            node: node.name,
            kind: 'deployment',
            variant: 0,
            'execution-id': variantExecutionId(node.name),
            'runs-on': runnerFor(config, undefined),
            parameters: nodeParameters,
            artifact,
            upstream: [],
        };
        return { entries: [entry], artifacts: [artifact] };
    }
    // A node with `commit:` may name a step that is not in this file; it then runs on the default runner.
    const step = config.steps.get(node.step);
    const environment = node.override?.environment ?? step?.environment;
    const image = node.override?.image ?? step?.image;
    const base = {
        node: node.name,
        kind: node.type,
        step: node.step,
        'runs-on': runnerFor(config, environment),
        ...(config.mlops.containers === 'container' && image ? { container: image } : {}),
    };
    if (node.type === 'execution') {
        const artifact = nodeArtifactBaseName(pipelineName, node.name);
        const entry = {
            ...base,
            variant: 0,
            'execution-id': variantExecutionId(node.name),
            parameters: nodeParameters,
            artifact,
            upstream: [],
        };
        return { entries: [entry], artifacts: [artifact] };
    }
    const task = node.task !== undefined ? config.tasks.get(node.task) : undefined;
    // Override parameters replace the step's by name (FORMAT §3.2); `multiple` decides what a list means.
    const declared = new Map((step?.parameters ?? []).map((p) => [p.name, p]));
    for (const parameter of node.override?.parameters ?? [])
        declared.set(parameter.name, parameter);
    const variants = (0,exec_variants/* expandVariants */.Ts)(nodeParameters, [...declared.values()], task);
    const entries = variants.map(({ parameters }, index) => ({
        ...base,
        variant: index,
        'execution-id': variantExecutionId(node.name, index),
        parameters,
        artifact: nodeArtifactBaseName(pipelineName, node.name, index),
        upstream: [],
    }));
    return { entries, artifacts: entries.map((e) => e.artifact) };
}
/**
 * Plans `pipelineName` of `config` into wave matrices. Throws a ConfigurationError for an unknown
 * pipeline or parameter, a cycle, or a pipeline deeper (or wider) than the workflow has jobs for.
 */
function planPipeline(config, pipelineName, options) {
    const chunkSize = options.chunkSize ?? MAX_MATRIX_SIZE;
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_MATRIX_SIZE) {
        throw new util_errors/* ConfigurationError */.j(`chunk size must be an integer from 1 to ${MAX_MATRIX_SIZE} (got ${chunkSize})`);
    }
    if (!Number.isInteger(options.maxWaves) || options.maxWaves < 1) {
        throw new util_errors/* ConfigurationError */.j(`max-waves must be a positive integer (got ${options.maxWaves})`);
    }
    const pipeline = config.pipelines.get(pipelineName);
    if (!pipeline) {
        const names = [...config.pipelines.keys()];
        throw new util_errors/* ConfigurationError */.j(`no pipeline named "${pipelineName}" in ${config.file}; ` +
            (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'));
    }
    const { waves: levels, upstream } = computeLevels(pipeline);
    if (levels.length > options.maxWaves) {
        throw new util_errors/* ConfigurationError */.j(`pipeline "${pipelineName}" needs ${levels.length} waves of jobs but the workflow has ${options.maxWaves} ` +
            `(max-waves); raise max-waves to at least ${levels.length} and add the matching wave jobs to the workflow, ` +
            'or generate a static workflow with `mlops compile`');
    }
    const parameters = parameterValuesByNode(pipeline, options.parameters ?? {});
    const nodesByName = new Map(pipeline.nodes.map((n) => [n.name, n]));
    const jobs = new Map();
    const waves = [];
    levels.forEach((level, waveIndex) => {
        const entries = [];
        for (const name of level) {
            const node = nodesByName.get(name);
            if (!node)
                continue;
            const planned = planNode(config, pipelineName, node, parameters.get(name) ?? {});
            // Upstream artifacts are shared by every variant of the node: one array, referenced by each entry.
            const upstreamArtifacts = (upstream.get(name) ?? []).flatMap((from) => jobs.get(from)?.artifacts ?? []);
            for (const entry of planned.entries)
                entry.upstream = upstreamArtifacts;
            jobs.set(name, planned);
            entries.push(...planned.entries);
        }
        const chunks = chunk(entries, chunkSize);
        if (options.maxChunks !== undefined && chunks.length > options.maxChunks) {
            throw new util_errors/* ConfigurationError */.j(`wave ${waveIndex} of pipeline "${pipelineName}" has ${entries.length} jobs, which needs ${chunks.length} ` +
                `matrices of at most ${chunkSize} but the workflow has ${options.maxChunks} per wave (chunks-per-wave); ` +
                'raise chunks-per-wave and add the matching chunk jobs, or generate a static workflow with `mlops compile`');
        }
        waves.push(chunks);
    });
    return {
        pipeline: pipelineName,
        waves,
        nodes: pipeline.nodes.map((n) => n.name),
        depth: levels.length,
        mermaid: renderPipelineMermaid(pipeline),
    };
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./build/plan/workflow-parts.js
/**
 * Pieces shared by the generated workflows (`mlops compile`) and the workflow templates.
 */

/** actions/checkout pinned by full commit SHA; the version rides along as a YAML comment. */
const CHECKOUT_ACTION = 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683';
const CHECKOUT_VERSION = 'v4.2.2';
const CONCURRENCY = {
    group: 'mlops-${{ github.workflow }}-${{ github.ref }}',
    // A new push to a pull request makes the running one obsolete; runs on branches finish.
    'cancel-in-progress': "${{ github.event_name == 'pull_request' }}",
};
const CHECKOUT_STEP = {
    name: 'Check out the repository',
    uses: CHECKOUT_ACTION,
    with: { 'persist-credentials': false },
};
/** GitHub shows at most 100 characters of a job name. */
const MAX_JOB_NAME_LENGTH = 100;
function jobDisplayName(name) {
    return name.length <= MAX_JOB_NAME_LENGTH ? name : `${name.slice(0, MAX_JOB_NAME_LENGTH - 1)}…`;
}
/** YAML text of a workflow, with the pinned versions of third-party actions as trailing comments. */
function workflowYaml(header, workflow) {
    const body = (0,dist/* stringify */.As)(workflow, { lineWidth: 0, aliasDuplicateObjects: false }).replaceAll(`uses: ${CHECKOUT_ACTION}\n`, `uses: ${CHECKOUT_ACTION} # ${CHECKOUT_VERSION}\n`);
    const comment = header
        .split('\n')
        .map((line) => (line === '' ? '#' : `# ${line}`))
        .join('\n');
    return `${comment}\n${body}`;
}

;// CONCATENATED MODULE: ./build/plan/compile.js





/** Default path of the compiled workflow of a pipeline. */
function defaultWorkflowPath(pipelineName) {
    const slug = pipelineName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'pipeline';
    return `.github/workflows/mlops-${slug}.yml`;
}
/** A workflow YAML text running `pipelineName` of `config` as one job per node. */
function compileWorkflow(config, pipelineName, options) {
    const pipeline = config.pipelines.get(pipelineName);
    if (!pipeline) {
        const names = [...config.pipelines.keys()];
        throw new util_errors/* ConfigurationError */.j(`no pipeline named "${pipelineName}" in ${config.file}; ` +
            (names.length > 0 ? `pipelines: ${names.join(', ')}` : 'the file defines no pipelines'));
    }
    // A `${{` in a name would be evaluated by GitHub as an expression inside the generated file.
    for (const text of [pipelineName, options.file, ...pipeline.nodes.map((n) => n.name)]) {
        if (text.includes('${{'))
            throw new util_errors/* ConfigurationError */.j(`cannot compile "${text}": names must not contain "\${{"`);
    }
    const { upstream } = computeLevels(pipeline);
    /**
     * `require-approval` before a node (`when: node-starting`) becomes a GitHub environment on its job: the
     * job waits there until a required reviewer of that environment approves. The environment is named after
     * the deployment for deployment nodes, else `approve-<node>`; create it with required reviewers in the
     * repository settings (an environment that does not exist is created without protection).
     */
    const approvalEnvironment = (node) => {
        if (!node)
            return undefined;
        const gated = node.actions.some((action) => action.then.includes('require-approval') && action.when.includes('node-starting'));
        if (!gated)
            return undefined;
        return node.type === 'deployment' ? node.deployment : `approve-${node.name}`;
    };
    // One wave per node depth is the whole DAG; planning reuses the runner mapping and variant expansion.
    const plan = planPipeline(config, pipelineName, { maxWaves: Math.max(1, pipeline.nodes.length) });
    const entriesByNode = new Map();
    for (const chunks of plan.waves) {
        for (const entries of chunks) {
            for (const entry of entries) {
                const list = entriesByNode.get(entry.node) ?? [];
                list.push(entry);
                entriesByNode.set(entry.node, list);
            }
        }
    }
    // A task node with more than 256 variants becomes several jobs of at most 256 each.
    const jobNames = [];
    const jobParts = [];
    for (const node of pipeline.nodes) {
        const entries = entriesByNode.get(node.name) ?? [];
        const parts = Math.max(1, Math.ceil(entries.length / MAX_MATRIX_SIZE));
        for (let part = 0; part < parts; part++) {
            jobParts.push({ node: node.name, entries: entries.slice(part * MAX_MATRIX_SIZE, (part + 1) * MAX_MATRIX_SIZE), part, parts });
            jobNames.push(parts === 1 ? node.name : `${node.name}-${part + 1}`);
        }
    }
    const ids = safeJobIds(jobNames);
    const jobIdsByNode = new Map();
    jobParts.forEach(({ node }, index) => {
        const list = jobIdsByNode.get(node) ?? [];
        list.push(ids[index] ?? '');
        jobIdsByNode.set(node, list);
    });
    const runNode = options.runNodeAction ?? './actions/run-node';
    const jobs = {};
    jobParts.forEach(({ node, entries, part, parts }, index) => {
        const first = entries[0];
        const isTask = first?.kind === 'task';
        const needs = (upstream.get(node) ?? []).flatMap((from) => jobIdsByNode.get(from) ?? []);
        const job = {
            name: jobDisplayName(parts === 1 ? node : `${node} (${part + 1}/${parts})`),
        };
        if (needs.length > 0)
            job['needs'] = needs;
        if (isTask) {
            job['strategy'] = { 'fail-fast': false, matrix: { variant: entries.map((e) => e.variant) } };
        }
        job['runs-on'] = first?.['runs-on'] ?? 'ubuntu-latest';
        if (first?.container)
            job['container'] = first.container;
        const approval = approvalEnvironment(pipeline.nodes.find((n) => n.name === node));
        if (approval)
            job['environment'] = approval;
        job['steps'] = [
            CHECKOUT_STEP,
            {
                name: 'Run the node',
                uses: runNode,
                with: {
                    file: options.file,
                    pipeline: pipelineName,
                    node,
                    variant: isTask ? '${{ matrix.variant }}' : '0',
                    // Pipeline parameter overrides by pipeline parameter name; the node resolves its own values.
                    'pipeline-parameters': '${{ inputs.parameters }}',
                    'github-token': '${{ github.token }}',
                },
            },
        ];
        jobs[ids[index] ?? ''] = job;
    });
    const workflow = {
        name: jobDisplayName(`mlops ${pipelineName}`),
        on: {
            push: {},
            pull_request: {},
            workflow_dispatch: {
                inputs: {
                    parameters: {
                        description: 'Pipeline parameters: JSON object, or name=value lines',
                        type: 'string',
                        required: false,
                        default: '',
                    },
                },
            },
        },
        permissions: { contents: 'read' },
        concurrency: CONCURRENCY,
        jobs,
    };
    const regenerate = options.regenerateCommand ?? `mlops compile ${options.file} --pipeline ${pipelineName}`;
    return workflowYaml(`Generated by \`mlops compile\` from ${options.file} (pipeline "${pipelineName}").
DO NOT EDIT: changes are lost when the file is regenerated. After changing the pipeline, run:
  ${regenerate.replace(/\n/g, ' ')}`, workflow);
}

// EXTERNAL MODULE: ./build/pipeline/diagnostics.js
var diagnostics = __webpack_require__(7479);
// EXTERNAL MODULE: ./build/pipeline/load.js + 8 modules
var load = __webpack_require__(9395);
;// CONCATENATED MODULE: ./build/plan/load-config.js



/**
 * Loads a pipeline file for planning or compiling. Errors become one ConfigurationError listing every
 * error as `file:line:col: error: message (hint: …)`.
 */
async function loadConfigOrThrow(path) {
    const result = await (0,load/* loadPipelineFile */.fH)(path);
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map(diagnostics/* formatDiagnostic */.xy);
    if ((0,diagnostics/* hasErrors */.Cs)(result.diagnostics) || !result.config) {
        const errors = result.diagnostics.filter((d) => d.severity === 'error').map(diagnostics/* formatDiagnostic */.xy);
        throw new util_errors/* ConfigurationError */.j(`${path} has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.join('\n') || `${path}:1:1: error: could not be loaded`}`);
    }
    return { config: result.config, warnings };
}
/**
 * Pipeline parameter overrides from a workflow_dispatch input: a JSON object, or `name=value` lines
 * (blank lines and `#` comments ignored). A `name=value` value that is valid JSON (a number, a list,
 * `true`) is taken as that value, anything else as text.
 */
function parseParameterOverrides(text) {
    const trimmed = text.trim();
    if (trimmed === '')
        return {};
    if (trimmed.startsWith('{')) {
        let parsed;
        try {
            parsed = JSON.parse(trimmed);
        }
        catch (error) {
            throw new ConfigurationError(`parameters: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
            throw new ConfigurationError('parameters: the JSON must be an object of name: value');
        }
        return parsed;
    }
    const values = {};
    trimmed.split(/\r?\n/).forEach((rawLine, index) => {
        const line = rawLine.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const equals = line.indexOf('=');
        const name = equals === -1 ? '' : line.slice(0, equals).trim();
        if (name === '') {
            throw new ConfigurationError(`parameters line ${index + 1}: expected name=value, got "${line}"`);
        }
        const raw = line.slice(equals + 1).trim();
        let value = raw;
        try {
            const parsed = JSON.parse(raw);
            if (parsed === null || ['number', 'boolean', 'string'].includes(typeof parsed) || Array.isArray(parsed)) {
                value = parsed;
            }
        }
        catch {
            // Not JSON: the text itself is the value.
        }
        values[name] = value;
    });
    return values;
}

// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
;// CONCATENATED MODULE: ./build/cli/commands/compile.js






const usage = `Usage: mlops compile [FILE] --pipeline NAME [-o PATH] [--action REF] [--stdout]

Writes a GitHub Actions workflow with one job per node of the pipeline (a task node is one job with a
matrix of its variants) and exact \`needs:\`. The file is generated: regenerate it after changing the
pipeline instead of editing it. Run it from the repository root.

Options:
  -p, --pipeline NAME   the pipeline to compile (optional when the file has exactly one)
  -o, --output PATH     where to write (default .github/workflows/mlops-<pipeline>.yml)
      --action REF      the run-node action (default ./actions/run-node),
                        e.g. OWNER/mlops-actions/actions/run-node@v1
      --stdout          print the workflow instead of writing it`;
const command = {
    summary: 'write a static GitHub Actions workflow with one job per pipeline node',
    usage,
    async run(argv) {
        let parsed;
        try {
            parsed = (0,external_node_util_.parseArgs)({
                args: argv,
                options: {
                    pipeline: { type: 'string', short: 'p' },
                    output: { type: 'string', short: 'o' },
                    action: { type: 'string' },
                    stdout: { type: 'boolean' },
                },
                allowPositionals: true,
            });
        }
        catch (error) {
            throw new util_errors/* ConfigurationError */.j(`${(0,util_errors/* getErrorMessage */.u)(error)}\n${usage}`);
        }
        const { values, positionals } = parsed;
        if (positionals.length > 1)
            throw new util_errors/* ConfigurationError */.j(`expected at most one FILE, got ${positionals.length}\n${usage}`);
        const file = positionals[0] ?? 'valohai.yaml';
        // The workflow names the file relative to the repository root, which is where this runs.
        const fileInRepository = (0,external_node_path_.relative)(process.cwd(), (0,external_node_path_.resolve)(file)).split(external_node_path_.sep).join('/');
        if (fileInRepository === '' || fileInRepository.startsWith('../') || (0,external_node_path_.isAbsolute)(fileInRepository)) {
            throw new util_errors/* ConfigurationError */.j(`${file} is outside the current folder; run mlops compile from the repository root`);
        }
        const { config, warnings } = await loadConfigOrThrow(file);
        for (const warning of warnings)
            process.stderr.write(`${warning}\n`);
        const names = [...config.pipelines.keys()];
        const pipeline = values.pipeline ?? (names.length === 1 ? names[0] : undefined);
        if (pipeline === undefined) {
            throw new util_errors/* ConfigurationError */.j(names.length === 0
                ? `${file} declares no pipeline; add a '- pipeline:' item.`
                : `choose a pipeline with --pipeline NAME (one of: ${names.join(', ')}).`);
        }
        const output = values.output ?? defaultWorkflowPath(pipeline);
        const regenerate = ['mlops compile', fileInRepository, '--pipeline', JSON.stringify(pipeline)];
        if (values.output !== undefined)
            regenerate.push('-o', values.output);
        if (values.action !== undefined)
            regenerate.push('--action', values.action);
        const text = compileWorkflow(config, pipeline, {
            file: fileInRepository,
            ...(values.action !== undefined ? { runNodeAction: values.action } : {}),
            regenerateCommand: regenerate.join(' '),
        });
        if (values.stdout) {
            process.stdout.write(text);
            return 0;
        }
        await (0,fs/* writeFileAtomic */.Z)(output, text);
        process.stderr.write(`wrote ${output} (${config.pipelines.get(pipeline)?.nodes.length ?? 0} nodes)\n`);
        return 0;
    },
};


/***/ }),

/***/ 6568:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ts: () => (/* binding */ expandVariants)
/* harmony export */ });
/* unused harmony exports seededRandom, parameterValues, grid, blueprintVariants */
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4478);

/** Floats computed by stepping (0.1 + 0.2) are rounded to 12 significant digits, as a person would write them. */
function tidy(value) {
    return Number.isInteger(value) ? value : Number(value.toPrecision(12));
}
function numberRule(task, parameter, rule, fallback) {
    const raw = parameter.rules[rule];
    const value = typeof raw === 'string' ? Number(raw) : raw;
    if (typeof value === 'number' && Number.isFinite(value))
        return value;
    if (raw === undefined && fallback !== undefined)
        return fallback;
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name} (style ${parameter.style}): rule \`${rule}\` must be a number`);
}
function integerify(parameter, values) {
    const flag = parameter.rules['integerify'];
    return values.map((v) => (flag === true || flag === 'true' ? Math.round(v) : tidy(v)));
}
/** mulberry32: small, fast, and the same sequence on every platform for a given seed. */
function seededRandom(seed) {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
function seedOf(text) {
    let hash = 2166136261;
    for (const char of text)
        hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    return hash;
}
/** The values one blueprint parameter takes. `count` overrides the random style's own count (random search). */
function parameterValues(task, parameter, count) {
    const rules = parameter.rules;
    switch (parameter.style) {
        case 'single': {
            const value = rules['value'];
            return [value === undefined ? null : value];
        }
        case 'multiple': {
            const items = rules['items'] ?? rules['value'];
            if (!Array.isArray(items)) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: style multiple needs a list in \`items\``);
            }
            return items;
        }
        case 'linear': {
            const start = numberRule(task, parameter, 'start');
            const end = numberRule(task, parameter, 'end');
            const values = [];
            if (rules['step'] !== undefined) {
                const step = numberRule(task, parameter, 'step');
                if (step === 0 || Math.sign(step) !== Math.sign(end - start || step)) {
                    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: \`step\` never reaches \`end\``);
                }
                // The epsilon keeps `end` itself when float stepping lands a hair past it.
                const epsilon = Math.abs(step) * 1e-9;
                for (let v = start; step > 0 ? v <= end + epsilon : v >= end - epsilon; v += step)
                    values.push(v);
            }
            else {
                const n = numberRule(task, parameter, 'count');
                for (let i = 0; i < n; i++)
                    values.push(n === 1 ? start : start + ((end - start) * i) / (n - 1));
            }
            return integerify(parameter, values);
        }
        case 'logspace': {
            const start = numberRule(task, parameter, 'start');
            const end = numberRule(task, parameter, 'end');
            const n = numberRule(task, parameter, 'count');
            const base = numberRule(task, parameter, 'base', 10);
            const values = [];
            for (let i = 0; i < n; i++)
                values.push(base ** (n === 1 ? start : start + ((end - start) * i) / (n - 1)));
            return integerify(parameter, values);
        }
        case 'random': {
            const min = numberRule(task, parameter, 'min');
            const max = numberRule(task, parameter, 'max');
            const n = count ?? numberRule(task, parameter, 'count', task.executionCount ?? 1);
            const seedRule = rules['seed'];
            const seed = typeof seedRule === 'number' ? seedRule : seedOf(`${task.name}/${parameter.name}`);
            const random = seededRandom(seed);
            const distribution = String(rules['distribution'] ?? 'uniform');
            const values = [];
            for (let i = 0; i < n; i++) {
                const u = random();
                if (distribution === 'loguniform' || distribution === 'log-uniform') {
                    if (min <= 0)
                        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: loguniform needs min > 0`);
                    values.push(Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))));
                }
                else {
                    values.push(min + u * (max - min));
                }
            }
            return integerify(parameter, values);
        }
        default:
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j(`task ${task.name}, parameter ${parameter.name}: unknown style`);
    }
}
/** Cartesian product of named value lists, first name varying slowest. */
function grid(axes) {
    let sets = [{}];
    for (const [name, values] of axes) {
        const next = [];
        for (const set of sets)
            for (const value of values)
                next.push({ ...set, [name]: value });
        sets = next;
    }
    return sets;
}
/** The parameter sets a task blueprint defines. */
function blueprintVariants(task) {
    if (task.type === 'manual_search' || (task.parameters.length === 0 && task.parameterSets.length > 0)) {
        return task.parameterSets.map((set) => ({ ...set }));
    }
    if (task.type === 'random_search' || task.type === 'bayesian_tpe') {
        // Random search: execution-count samples; a non-random parameter cycles through its values.
        const count = task.executionCount ?? 1;
        const columns = task.parameters.map((p) => [p.name, parameterValues(task, p, count)]);
        const sets = [];
        for (let i = 0; i < count; i++) {
            const set = {};
            for (const [name, values] of columns) {
                const value = values[i % Math.max(values.length, 1)];
                if (value !== undefined)
                    set[name] = value;
            }
            sets.push(set);
        }
        return sets;
    }
    const sets = grid(task.parameters.map((p) => [p.name, parameterValues(task, p)]));
    if (task.type === 'distributed') {
        // Distributed tasks run execution-count identical members.
        const count = task.executionCount ?? 1;
        return Array.from({ length: count }, () => ({ ...(sets[0] ?? {}) }));
    }
    return sets;
}
/**
 * Expands a task node's parameters into variants: the blueprint's sets (if any), crossed with every
 * list value of a parameter that is not itself `multiple` (a list reaching a task node spreads).
 * Returns each variant's full parameter values and which of them were varied.
 */
function expandVariants(baseParameters, stepParameters, task) {
    const byName = new Map(stepParameters.map((p) => [p.name, p]));
    const spreadAxes = [];
    for (const [name, value] of Object.entries(baseParameters)) {
        const declared = byName.get(name);
        if (Array.isArray(value) && (declared === undefined || declared.multiple === 'none'))
            spreadAxes.push([name, value]);
    }
    const blueprintSets = task ? blueprintVariants(task) : [{}];
    const spreadSets = grid(spreadAxes);
    const variants = [];
    for (const fromBlueprint of blueprintSets) {
        for (const fromSpread of spreadSets) {
            const varied = { ...fromSpread, ...fromBlueprint };
            variants.push({ parameters: { ...baseParameters, ...varied }, varied });
        }
    }
    return variants;
}


/***/ }),

/***/ 6174:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ writeFileAtomic),
/* harmony export */   q: () => (/* binding */ writeJsonAtomic)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);



/**
 * Writes a file so that readers see either the old or the whole new content, never a half-written one:
 * write to a temporary sibling, then rename over the target (atomic on one filesystem).
 */
async function writeFileAtomic(path, data) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), { recursive: true });
    const tmp = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(path), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(path)}.${process.pid}.${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(4).toString('hex')}.tmp`);
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.writeFile)(tmp, data);
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rename)(tmp, path);
    }
    catch (error) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(tmp, { force: true });
        throw error;
    }
}
async function writeJsonAtomic(path, value) {
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}


/***/ })

};
