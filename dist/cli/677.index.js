export const id = 677;
export const ids = [677];
export const modules = {

/***/ 5677:
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
// EXTERNAL MODULE: ./build/store/project.js
var project = __webpack_require__(879);
// EXTERNAL MODULE: ./build/registry/local.js + 1 modules
var local = __webpack_require__(7379);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(4006);
// EXTERNAL MODULE: ./build/compare/compare.js
var compare = __webpack_require__(1407);
// EXTERNAL MODULE: ./build/store/content-store.js
var content_store = __webpack_require__(3043);
// EXTERNAL MODULE: ./build/store/runs.js
var runs = __webpack_require__(9366);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/registry/model.js
var registry_model = __webpack_require__(7415);
;// CONCATENATED MODULE: ./build/registry/from-run.js
/**
 * What to register from a finished run: the model files, their metrics and lineage.
 *
 * Either the winner of the run's compare decision (computed with the pipeline file's selection rule
 * when the run has none stored yet), or the outputs of a named node. The winner is often an evaluate
 * node whose own outputs are only metrics: the model is then the file it received on its model input,
 * and the lineage follows that file's sha256 back to the execution that produced it (the training node).
 * The nearest `profile.json` written upstream of that producer (the training data's profile, e.g. by the
 * preprocess node) is registered with the model, so that batch inference can check drift against it.
 */







function allExecutions(run) {
    return Object.entries(run.nodes).flatMap(([node, record]) => record.executions.map((execution) => ({ node, execution })));
}
function findExecution(run, node, executionId) {
    const record = run.nodes[node];
    if (!record)
        throw new errors/* ConfigurationError */.j(`run ${run.id} has no node '${node}' (nodes: ${Object.keys(run.nodes).join(', ')})`);
    const usable = record.executions.filter((e) => (executionId === undefined ? e.status === 'succeeded' : e.executionId === executionId));
    const [only] = usable;
    if (!only)
        throw new errors/* ConfigurationError */.j(`node '${node}' of run ${run.id} has no ${executionId ? `execution ${executionId}` : 'succeeded execution'}`);
    if (usable.length > 1)
        throw new errors/* ConfigurationError */.j(`node '${node}' of run ${run.id} has ${usable.length} succeeded executions (a task); register the compare winner instead`);
    return only;
}
/** The name of the reference profile a data step writes (`mlops profile DATA -o profile.json`). */
const PROFILE_FILE = 'profile.json';
function isProfile(output) {
    return output.path === PROFILE_FILE || output.path.endsWith(`/${PROFILE_FILE}`);
}
/**
 * The nearest profile output upstream of `producer`: its input files are followed by sha256 to the
 * executions that wrote them, breadth first (train ← preprocess, or further back).
 */
function upstreamProfile(executions, producer) {
    const seen = new Set([producer.execution]);
    let frontier = [producer];
    while (frontier.length > 0) {
        const next = [];
        for (const current of frontier) {
            for (const file of Object.values(current.execution.inputs ?? {}).flat()) {
                if (file.sha256 === undefined)
                    continue;
                for (const candidate of executions) {
                    if (seen.has(candidate.execution) || candidate.execution.status !== 'succeeded')
                        continue;
                    if (!candidate.execution.outputs.some((o) => o.sha256 === file.sha256))
                        continue;
                    seen.add(candidate.execution);
                    const output = candidate.execution.outputs.find(isProfile);
                    if (output)
                        return { from: candidate, output };
                    next.push(candidate);
                }
            }
        }
        frontier = next;
    }
    return undefined;
}
function lineageOf(run, node, execution) {
    const lineage = { pipeline: run.pipeline, runId: run.id, node, executionId: execution.executionId, parameters: execution.parameters };
    const inputs = Object.entries(execution.inputs ?? {}).flatMap(([input, files]) => files.map((f) => ({ input, path: f.relativePath, ...(f.sha256 !== undefined ? { sha256: f.sha256 } : {}) })));
    if (inputs.length > 0)
        lineage.inputs = inputs;
    const commit = (0,registry_model/* currentCommit */.Hg)(run.request?.repositoryDir ?? (0,external_node_path_.dirname)(run.file));
    if (commit !== undefined)
        lineage.commit = commit;
    return lineage;
}
function keep(globs) {
    if (!globs || globs.length === 0)
        return () => true;
    const matches = picomatch(globs);
    return (item) => matches(item.path ?? item.relativePath ?? '');
}
/** Reads a run and returns what `register` needs, files pointing into the content store. */
async function modelFromRun(projectDir, runIdOrPrefix, options = {}) {
    const run = await (0,runs/* loadRun */.Sj)(projectDir, runIdOrPrefix);
    const { model, producer } = await modelFiles(projectDir, run, options);
    const profile = producer ? upstreamProfile(allExecutions(run), producer) : undefined;
    // A file of the same name already chosen (e.g. --node preprocess) is kept as it is.
    if (profile && keep(options.files)(profile.output) && !model.files.some((f) => f.path === profile.output.path)) {
        const store = new content_store/* ContentStore */.Vh((0,runs/* projectPaths */.gW)(projectDir).storeDir);
        model.files.push({ path: (0,registry_model/* checkRelativePath */._k)(profile.output.path), localPath: store.pathOf(profile.output.sha256) });
        model.lineage = {
            ...model.lineage,
            referenceProfile: { path: profile.output.path, sha256: profile.output.sha256, node: profile.from.node, executionId: profile.from.execution.executionId },
        };
    }
    return model;
}
/** The model's files and metadata, and the execution that produced the files (when known). */
async function modelFiles(projectDir, run, options) {
    const store = new content_store/* ContentStore */.Vh((0,runs/* projectPaths */.gW)(projectDir).storeDir);
    const stored = (path, sha256) => ({ path: (0,registry_model/* checkRelativePath */._k)(path), localPath: store.pathOf(sha256) });
    if (options.node !== undefined) {
        const execution = findExecution(run, options.node);
        const outputs = execution.outputs.filter(keep(options.files));
        if (outputs.length === 0)
            throw new errors/* ConfigurationError */.j(`node '${options.node}' of run ${run.id} has no outputs matching ${(options.files ?? ['*']).join(', ')}`);
        return {
            model: { runId: run.id, files: outputs.map((o) => stored(o.path, o.sha256)), metrics: (0,registry_model/* scalarMetrics */.Yu)(execution.latestMetadata), lineage: lineageOf(run, options.node, execution) },
            producer: { node: options.node, execution },
        };
    }
    let decision = await (0,compare/* readStoredDecision */.mG)(projectDir, run.id);
    if (!decision) {
        const rule = (0,compare/* resolveRule */.rj)(await (0,compare/* ruleFromPipelineFile */.bc)(run.file), {});
        decision = (await (0,compare/* compareRun */.XZ)(projectDir, run.id, { rule })).stored;
    }
    const winner = decision.winner;
    if (!winner)
        throw new errors/* ConfigurationError */.j(`run ${run.id} has no winner to register (${decision.decision}: ${decision.reason}); name a node with --node`);
    const winnerExecution = findExecution(run, winner.node, winner.executionId);
    const metrics = (0,registry_model/* scalarMetrics */.Yu)(winner.metrics);
    const modelInput = options.modelInput ?? 'model';
    const inputFiles = (winnerExecution.inputs?.[modelInput] ?? []).filter(keep(options.files));
    if (inputFiles.length === 0) {
        // The winner produced the model itself (a training node that reports the metric).
        const outputs = winnerExecution.outputs.filter(keep(options.files));
        if (outputs.length === 0) {
            throw new errors/* ConfigurationError */.j(`the winner ${winner.node} of run ${run.id} has no '${modelInput}' input and no outputs to register; use --node NODE --files GLOB`);
        }
        return {
            model: { runId: run.id, decision: decision.decision, files: outputs.map((o) => stored(o.path, o.sha256)), metrics, lineage: lineageOf(run, winner.node, winnerExecution) },
            producer: { node: winner.node, execution: winnerExecution },
        };
    }
    const executions = allExecutions(run);
    const files = [];
    let producer;
    for (const input of inputFiles) {
        if (input.sha256 === undefined)
            throw new errors/* ConfigurationError */.j(`input '${modelInput}' of ${winner.node} (${input.relativePath}) has no recorded sha256`);
        const from = executions.find((e) => e.execution.status === 'succeeded' && e.execution.outputs.some((o) => o.sha256 === input.sha256));
        const output = from?.execution.outputs.find((o) => o.sha256 === input.sha256);
        producer ??= from;
        files.push(stored(output?.path ?? input.relativePath, input.sha256));
    }
    const lineage = producer ? lineageOf(run, producer.node, producer.execution) : lineageOf(run, winner.node, winnerExecution);
    lineage.selectedBy = { node: winner.node, executionId: winner.executionId };
    return { model: { runId: run.id, decision: decision.decision, files, metrics, lineage }, ...(producer ? { producer } : {}) };
}

;// CONCATENATED MODULE: ./build/cli/commands/models.js







const usage = `Usage: mlops models <subcommand> [options]

The local model registry (.mlops/registry). REF is [NAME@]SELECTOR: SELECTOR is a version number
(3 or v3), an alias (production), latest, or best:METRIC[:max|min]; NAME may be left out when the
registry holds one model.

Subcommands:
  list [NAME]                       models, or the versions of one model with their aliases
  show REF                          one version: files (sha256), metrics, lineage, tags
  register --run RUN [--name NAME]  the compare winner's model (follows the winner's model input back
                                    to the execution that produced it; --model-input INPUT, default model)
           [--node NODE] [--files GLOB,...]  or the outputs of one node
           [--tag KEY=VALUE]...     (NAME defaults to the run's pipeline name)
  promote REF [--alias production] [--reason TEXT]
  rollback [NAME] [--alias production] [--reason TEXT]   back to the alias's previous version
  pull REF --dest DIR               write the files to DIR, verifying every sha256
  history [NAME]                    every promotion and rollback (who, when, why, from which version)

Options:
  --project-dir DIR   the project folder (default: .mlops in the repository)
  --json              print JSON`;
function parsePairs(values) {
    const pairs = {};
    for (const item of values) {
        const eq = item.indexOf('=');
        if (eq <= 0)
            throw new errors/* ConfigurationError */.j(`--tag expects KEY=VALUE, got ${JSON.stringify(item)}`);
        pairs[item.slice(0, eq)] = item.slice(eq + 1);
    }
    return pairs;
}
function describeVersion(version, aliases) {
    const metrics = Object.entries(version.metrics)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
    const from = version.lineage.node ? ` ${version.lineage.pipeline ?? ''}/${version.lineage.node}` : '';
    return `v${version.version}${aliases.length > 0 ? ` [${aliases.join(', ')}]` : ''}  ${version.createdAt}  ${metrics}${from}`;
}
function describeEvent(event) {
    const from = event.from === undefined ? 'unset' : `v${event.from}`;
    return `${event.at}  ${event.action.padEnd(8)}  ${event.alias}: ${from} -> v${event.version}  by ${event.by}${event.reason ? `  (${event.reason})` : ''}`;
}
const command = {
    summary: 'model registry: list, show, register, promote, rollback, pull, history',
    usage,
    async run(argv) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: argv,
            options: {
                'project-dir': { type: 'string' },
                json: { type: 'boolean', default: false },
                run: { type: 'string' },
                name: { type: 'string' },
                node: { type: 'string' },
                files: { type: 'string' },
                'model-input': { type: 'string' },
                tag: { type: 'string', multiple: true, default: [] },
                alias: { type: 'string', default: 'production' },
                reason: { type: 'string' },
                dest: { type: 'string' },
            },
            allowPositionals: true,
        });
        const [sub, arg, extra] = positionals;
        if (extra !== undefined)
            throw new errors/* ConfigurationError */.j(`too many arguments.\n${usage}`);
        const registry = new local/* LocalRegistry */.p((0,project/* projectDirFor */.cv)(values['project-dir']));
        const out = (human, json) => {
            process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
        };
        const modelName = async (given) => (given !== undefined ? (0,registry_model/* checkModelName */.Xs)(given) : registry.defaultModelName());
        const resolveRef = async (ref) => {
            if (ref === undefined)
                throw new errors/* ConfigurationError */.j(`${sub ?? ''} needs a model reference, e.g. digits@production or 3`);
            const parsed = (0,registry_model/* splitModelReference */.f7)(ref);
            return registry.resolve(parsed.name ?? (await registry.defaultModelName()), parsed.selector);
        };
        switch (sub) {
            case 'list': {
                if (arg === undefined) {
                    const names = await registry.models();
                    const rows = [];
                    for (const name of names) {
                        const versions = await registry.versions(name);
                        const aliases = await registry.aliases(name);
                        rows.push({ name, versions: versions.length, latest: versions.at(-1)?.version ?? null, aliases: Object.fromEntries(Object.entries(aliases).map(([a, e]) => [a, e.version])) });
                    }
                    out(rows.map((r) => `${r.name}  ${r.versions} version(s)  ${Object.entries(r.aliases).map(([a, v]) => `${a}=v${v}`).join(' ')}`).join('\n') || '(no models)', rows);
                    return 0;
                }
                const name = (0,registry_model/* checkModelName */.Xs)(arg);
                const versions = await registry.versions(name);
                const aliases = await registry.aliases(name);
                const aliasesOf = (v) => Object.entries(aliases).filter(([, e]) => e.version === v).map(([a]) => a);
                out(versions.map((v) => describeVersion(v, aliasesOf(v.version))).join('\n') || `(model ${name} has no versions)`, { versions, aliases });
                return 0;
            }
            case 'show': {
                const version = await resolveRef(arg);
                const lines = [
                    `${version.name} v${version.version}  (${version.createdAt} by ${version.createdBy})`,
                    'files:',
                    ...version.files.map((f) => `  ${f.path}  ${f.sha256}  ${f.size} bytes`),
                    `metrics: ${JSON.stringify(version.metrics)}`,
                    `lineage: ${JSON.stringify(version.lineage)}`,
                    `tags: ${JSON.stringify(version.tags)}`,
                ];
                out(lines.join('\n'), version);
                return 0;
            }
            case 'register': {
                if (values.run === undefined)
                    throw new errors/* ConfigurationError */.j('register needs --run RUN (a run id, a prefix, or latest)');
                const fromRun = await modelFromRun(registry.projectDir, values.run, {
                    ...(values.node !== undefined ? { node: values.node } : {}),
                    ...(values.files !== undefined ? { files: values.files.split(',').map((f) => f.trim()).filter((f) => f !== '') } : {}),
                    ...(values['model-input'] !== undefined ? { modelInput: values['model-input'] } : {}),
                });
                const name = (0,registry_model/* checkModelName */.Xs)(values.name ?? arg ?? fromRun.lineage?.pipeline ?? 'model');
                const version = await registry.register({ ...fromRun, name, tags: { ...parsePairs(values.tag), ...(fromRun.decision ? { decision: fromRun.decision } : {}) } });
                out(`registered ${version.name} v${version.version} from run ${fromRun.runId} (${version.files.map((f) => f.path).join(', ')})`, version);
                return 0;
            }
            case 'promote': {
                const parsed = (0,registry_model/* splitModelReference */.f7)(arg ?? '');
                const name = parsed.name ?? (await registry.defaultModelName());
                const event = await registry.promote(name, values.alias, parsed.selector, values.reason);
                out(`${name}: ${describeEvent(event)}`, event);
                return 0;
            }
            case 'rollback': {
                const name = await modelName(arg);
                const event = await registry.rollback(name, values.alias, values.reason);
                out(`${name}: ${describeEvent(event)}`, event);
                return 0;
            }
            case 'pull': {
                if (values.dest === undefined)
                    throw new errors/* ConfigurationError */.j('pull needs --dest DIR');
                const version = await resolveRef(arg);
                const written = await registry.pull(version, (0,external_node_path_.resolve)(values.dest));
                out(`${version.name} v${version.version}: ${written.join(', ')} (sha256 verified)`, { version, files: written });
                return 0;
            }
            case 'history': {
                const name = await modelName(arg);
                const events = await registry.history(name);
                out(events.map(describeEvent).join('\n') || `(no promotions of ${name} yet)`, events);
                return 0;
            }
            default:
                throw new errors/* ConfigurationError */.j(`unknown subcommand '${sub ?? ''}'.\n${usage}`);
        }
    },
};


/***/ })

};
