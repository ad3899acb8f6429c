export const id = 362;
export const ids = [362];
export const modules = {

/***/ 4362:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  command: () => (/* binding */ command)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/deploy/local/client.js
var client = __webpack_require__(8551);
// EXTERNAL MODULE: ./build/deploy/local/daemon.js
var local_daemon = __webpack_require__(1708);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/deploy/model.js
var model = __webpack_require__(1343);
;// CONCATENATED MODULE: ./build/deploy/local/deploy.js
/** The local target from a `DeployRequest`: a spec for the daemon, with the target's options applied. */


function numberOption(value, name) {
    if (value === undefined)
        return undefined;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n) || n < 0)
        throw new errors/* ConfigurationError */.j(`${name} must be a non-negative number, got '${String(value)}'`);
    return n;
}
function localSpec(request, repositoryDir, options = {}) {
    const target = request.target.options;
    const healthPath = options.healthPath ?? (typeof target['health-path'] === 'string' ? target['health-path'] : undefined);
    const timeout = options.healthTimeoutSeconds ?? numberOption(target['health-timeout'], 'health-timeout');
    const port = options.port ?? numberOption(target['port'], 'port');
    const health = {};
    if (healthPath !== undefined) {
        if (healthPath === 'none' || healthPath === 'tcp')
            health.path = null;
        else if (!healthPath.startsWith('/'))
            throw new errors/* ConfigurationError */.j(`health path must start with '/', got '${healthPath}'`);
        else {
            health.path = healthPath;
            health.tcpFallback = false; // a path the user chose must answer 2xx
        }
    }
    if (timeout !== undefined)
        health.timeoutMs = timeout * 1000;
    return {
        deployment: request.deployment,
        endpoint: request.endpoint.name,
        modelVersion: request.version.id,
        source: request.version.source,
        files: request.version.files,
        script: (0,model/* serverScript */.fj)(request.endpoint),
        cwd: repositoryDir,
        health,
        ...(port !== undefined ? { port } : {}),
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./build/pipeline/diagnostics.js
var diagnostics = __webpack_require__(7479);
// EXTERNAL MODULE: ./build/pipeline/load.js + 8 modules
var load = __webpack_require__(9395);
// EXTERNAL MODULE: ./build/store/project.js
var project = __webpack_require__(879);
// EXTERNAL MODULE: ./build/store/runs.js
var runs = __webpack_require__(9366);
;// CONCATENATED MODULE: ./build/deploy/resolve.js
/**
 * From command-line/action options to a `DeployRequest`: which pipeline file, endpoint, model version
 * (a run's deployment record or a folder), deployment, target and strategy. Shared by `mlops deploy`
 * and `actions/deploy`.
 */








async function loadConfig(file) {
    if (!(0,external_node_fs_.existsSync)(file))
        throw new errors/* ConfigurationError */.j(`no pipeline file ${file}`);
    const loaded = await (0,load/* loadPipelineFile */.fH)(file);
    if (!loaded.config)
        throw new errors/* ConfigurationError */.j(`cannot load ${file}:\n${loaded.diagnostics.map(diagnostics/* formatDiagnostic */.xy).join('\n')}`);
    return loaded.config;
}
async function resolveDeploy(options) {
    if ((options.run === undefined) === (options.folder === undefined)) {
        throw new errors/* ConfigurationError */.j('give the model version with exactly one of --run RUN (a run id or latest) or --folder DIR');
    }
    if (options.run !== undefined) {
        // The run names its own pipeline file; load it once to know the endpoint, then read its record.
        // `latest` means the newest run that deployed something: a batch run since then deploys nothing.
        const run = options.run === 'latest'
            ? ((await (0,runs/* listRuns */.v)(options.projectDir)).reverse().find((r) => (r.deployments ?? []).length > 0) ?? (await (0,runs/* loadRun */.Sj)(options.projectDir, 'latest')))
            : await (0,runs/* loadRun */.Sj)(options.projectDir, options.run);
        const file = (0,external_node_path_.resolve)(options.file ?? run.file);
        const config = await loadConfig(file);
        const endpoint = (0,model/* findEndpoint */.vS)(config, options.endpoint ?? soleRecordedEndpoint(run.deployments ?? [], options.node));
        const { version, record } = await (0,model/* modelVersionFromRun */.Fp)(options.projectDir, run.id, endpoint, options.node);
        const deployment = (0,model/* checkName */.I3)('deployment', options.deployment ?? record.deployment);
        return {
            request: { deployment, endpoint, version, target: (0,model/* targetFor */.x1)(config, deployment, options.target), strategy: (0,model/* parseStrategy */.pw)(options.strategy ?? config.mlops.deployTargets[deployment]?.['strategy']) },
            config,
            repositoryDir: run.request?.repositoryDir ?? (0,project/* repositoryRoot */.Hn)((0,external_node_path_.dirname)(file)),
        };
    }
    const file = (0,external_node_path_.resolve)(options.file ?? 'valohai.yaml');
    const config = await loadConfig(file);
    const endpoint = (0,model/* findEndpoint */.vS)(config, options.endpoint);
    const version = await (0,model/* modelVersionFromFolder */.KV)(options.folder ?? '.', endpoint);
    const declared = [...config.deployments.keys()];
    const deployment = (0,model/* checkName */.I3)('deployment', options.deployment ?? (declared.length === 1 && declared[0] ? declared[0] : endpoint.name));
    return {
        request: { deployment, endpoint, version, target: (0,model/* targetFor */.x1)(config, deployment, options.target), strategy: (0,model/* parseStrategy */.pw)(options.strategy ?? config.mlops.deployTargets[deployment]?.['strategy']) },
        config,
        repositoryDir: (0,project/* repositoryRoot */.Hn)((0,external_node_path_.dirname)(file)),
    };
}
function soleRecordedEndpoint(records, node) {
    const names = new Set(records.filter((r) => node === undefined || r.node === node).flatMap((r) => [...r.endpoints, ...r.files.map((f) => f.endpoint)]));
    return names.size === 1 ? [...names][0] : undefined;
}
/**
 * Names only, for operations on what already runs (rollback, promote, reject): the endpoint and
 * deployment from the pipeline file, with no model version (its id is empty and it has no files).
 */
async function resolveExisting(options) {
    const file = resolve(options.file ?? 'valohai.yaml');
    const config = await loadConfig(file);
    const endpoint = findEndpoint(config, options.endpoint);
    const declared = [...config.deployments.keys()];
    const deployment = checkName('deployment', options.deployment ?? (declared.length === 1 && declared[0] ? declared[0] : endpoint.name));
    return {
        request: {
            deployment,
            endpoint,
            version: { id: '', endpoint: endpoint.name, files: [], source: { kind: 'folder', path: '' } },
            target: targetFor(config, deployment, options.target),
            strategy: parseStrategy(options.strategy ?? config.mlops.deployTargets[deployment]?.['strategy']),
        },
        config,
        repositoryDir: repositoryRoot(dirname(file)),
    };
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./build/deploy/load-test.js
/**
 * The inference performance check after a rollout: a bounded load test (fixed duration, fixed number of
 * concurrent keep-alive connections) cycling through sample payloads, recording requests per second
 * and p50/p99 latency, failing when p99 (or the error count) is above the declared limit. Plain
 * node:http, so the action bundle needs no load-testing dependency.
 */


function percentile(sorted, p) {
    if (sorted.length === 0)
        return NaN;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
function once(url, agent, body) {
    return new Promise((done) => {
        const started = process.hrtime.bigint();
        const send = url.protocol === 'https:' ? external_node_https_.request : external_node_http_.request;
        const req = send(url, {
            method: body === undefined ? 'GET' : 'POST',
            agent: url.protocol === 'https:' ? undefined : agent,
            headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            timeout: 30_000,
        }, (res) => {
            res.resume();
            res.once('end', () => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 }));
            res.once('error', () => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false }));
        });
        req.once('timeout', () => req.destroy(new Error('timeout')));
        req.once('error', () => done({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: false }));
        req.end(body);
    });
}
async function runLoadTest(options) {
    const url = new URL(options.url);
    const agent = new external_node_http_.Agent({ keepAlive: true, maxSockets: options.connections });
    const latencies = [];
    let errors = 0;
    let next = 0;
    const started = Date.now();
    const deadline = started + options.durationMs;
    const worker = async () => {
        while (Date.now() < deadline) {
            const body = options.payloads.length === 0 ? undefined : options.payloads[next++ % options.payloads.length];
            const result = await once(url, agent, body);
            latencies.push(result.ms);
            if (!result.ok)
                errors += 1;
        }
    };
    try {
        await Promise.all(Array.from({ length: Math.max(1, options.connections) }, () => worker()));
    }
    finally {
        agent.destroy();
    }
    const durationMs = Date.now() - started;
    latencies.sort((a, b) => a - b);
    const p50Ms = percentile(latencies, 50);
    const p99Ms = percentile(latencies, 99);
    const failures = [];
    const errorRate = latencies.length === 0 ? 1 : errors / latencies.length;
    if (latencies.length === 0)
        failures.push('no request completed');
    if (errorRate > (options.maxErrorRate ?? 0))
        failures.push(`${errors} of ${latencies.length} requests failed (${(errorRate * 100).toFixed(1)}%)`);
    if (options.maxP99Ms !== undefined && p99Ms > options.maxP99Ms)
        failures.push(`p99 latency ${p99Ms.toFixed(1)} ms is above the ${options.maxP99Ms} ms limit`);
    if (options.maxP50Ms !== undefined && p50Ms > options.maxP50Ms)
        failures.push(`p50 latency ${p50Ms.toFixed(1)} ms is above the ${options.maxP50Ms} ms limit`);
    return {
        ok: failures.length === 0,
        requests: latencies.length,
        errors,
        rps: latencies.length / (durationMs / 1000),
        p50Ms,
        p99Ms,
        maxMs: latencies.at(-1) ?? NaN,
        durationMs,
        failures,
    };
}
function formatLoadTest(result) {
    return `${result.requests} requests in ${(result.durationMs / 1000).toFixed(1)} s: ${result.rps.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ${result.errors} errors${result.ok ? '' : ` — FAILED: ${result.failures.join('; ')}`}`;
}

// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
;// CONCATENATED MODULE: ./build/cli/commands/deploy.js











const usage = `Usage: mlops deploy [FILE] (--run RUN | --folder DIR) [options]
       mlops deploy --stop [--deployment NAME] [--endpoint NAME]

Deploys an endpoint of the pipeline file (default: the run's file, else ./valohai.yaml) with a model
version: the files a run's deployment node recorded (--run RUN, a run id or 'latest'), or a folder
holding them (--folder DIR). The local target (default) serves it behind a proxy on a stable loopback
port: the new version gets traffic only once its health check passes, the previous one drains.

Model version:
  --run RUN               a run with a deployment node (id, unique prefix or latest)
  --node NODE             the deployment node, when the run has several
  --folder DIR            a folder with the endpoint's files (at their declared paths or names)
Where:
  --endpoint NAME         the endpoint (default: the only one)
  --deployment NAME       the deployment (default: the run's deployment node's, or the file's only one)
  --target local|kubernetes   (default: x-mlops deploy-targets.<deployment>.kind, else local)
  --strategy rolling|blue-green|canary  (Kubernetes; default rolling)
Local target:
  --port N                proxy port for a new endpoint (default: deploy target's port, else a free one)
  --health-path PATH      GET PATH must answer 2xx (default /healthz, an open port when it answers 404);
                          'none' checks only that the port accepts connections
  --health-timeout S      seconds to become healthy (default 30)
  --stop                  stop the endpoint(s) (all of them without --deployment/--endpoint)
Inference performance check (after a successful deploy):
  --load-test-seconds S   bounded load test of S seconds (at most 60; default: none)
  --load-test-path PATH   request path (default /predict), POSTing each --payload FILE in turn
  --payload FILE          a sample request body (repeatable; none: GET)
  --max-p99-ms MS         fail above this p99; the local target then rolls back to the previous version
Kubernetes target:
  --kubeconfig FILE       (default $KUBECONFIG, else ~/.kube/config)
  --namespace NAME        (default the deploy target's namespace)
  --smoke-url URL         smoke test after the rollout (--smoke-body JSON, expects 200 within 1000 ms)
Other:
  --project-dir DIR       the project folder (default: .mlops in the repository)
  --json                  print the result as JSON`;
const command = {
    summary: 'deploy a model version behind an endpoint (local proxy or Kubernetes)',
    usage,
    async run(argv) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: argv,
            allowPositionals: true,
            options: {
                run: { type: 'string' },
                node: { type: 'string' },
                folder: { type: 'string' },
                endpoint: { type: 'string' },
                deployment: { type: 'string' },
                target: { type: 'string' },
                strategy: { type: 'string' },
                port: { type: 'string' },
                'health-path': { type: 'string' },
                'health-timeout': { type: 'string' },
                stop: { type: 'boolean', default: false },
                'load-test-seconds': { type: 'string' },
                'load-test-path': { type: 'string' },
                payload: { type: 'string', multiple: true },
                'max-p99-ms': { type: 'string' },
                kubeconfig: { type: 'string' },
                namespace: { type: 'string' },
                'smoke-url': { type: 'string' },
                'smoke-body': { type: 'string' },
                daemon: { type: 'boolean', default: false },
                'project-dir': { type: 'string' },
                json: { type: 'boolean', default: false },
            },
        });
        if (positionals.length > 1)
            throw new errors/* ConfigurationError */.j(`expected at most one pipeline file, got ${positionals.join(' ')}`);
        const file = positionals[0];
        const projectDir = (0,project/* projectDirFor */.cv)(values['project-dir'], file ?? process.cwd(), file !== undefined);
        if (values.daemon) {
            await (0,local_daemon/* runDaemon */.O)(projectDir);
            return 0;
        }
        if (values.stop) {
            const daemon = await (0,client/* findDaemon */.SL)(projectDir);
            if (!daemon) {
                process.stdout.write('no local deployment is running\n');
                return 0;
            }
            const stopped = await daemon.stop(values.deployment, values.endpoint);
            if (values.json)
                process.stdout.write(`${JSON.stringify(stopped, null, 2)}\n`);
            else
                process.stdout.write(stopped.length === 0 ? 'nothing matched\n' : `stopped ${stopped.map((e) => `${e.deployment}/${e.endpoint}`).join(', ')}\n`);
            return 0;
        }
        const resolved = await resolveDeploy({
            projectDir,
            ...(file !== undefined ? { file } : {}),
            ...(values.run !== undefined ? { run: values.run } : {}),
            ...(values.folder !== undefined ? { folder: values.folder } : {}),
            ...(values.endpoint !== undefined ? { endpoint: values.endpoint } : {}),
            ...(values.deployment !== undefined ? { deployment: values.deployment } : {}),
            ...(values.node !== undefined ? { node: values.node } : {}),
            ...(values.target !== undefined ? { target: values.target } : {}),
            ...(values.strategy !== undefined ? { strategy: values.strategy } : {}),
        });
        const { request } = resolved;
        if (request.target.kind === 'kubernetes') {
            const { deployKubernetesFromCli } = await Promise.all(/* import() */[__webpack_require__.e(476), __webpack_require__.e(618)]).then(__webpack_require__.bind(__webpack_require__, 6618));
            return deployKubernetesFromCli(resolved, values.json, {
                ...(values.kubeconfig !== undefined ? { kubeconfigPath: values.kubeconfig } : {}),
                ...(values.namespace !== undefined ? { namespace: values.namespace } : {}),
                ...(values['smoke-url'] !== undefined
                    ? { smoke: { url: values['smoke-url'], ...(values['smoke-body'] !== undefined ? { body: values['smoke-body'] } : {}), expectedStatus: 200, maxLatencyMs: 1000 } }
                    : {}),
            });
        }
        const port = values.port === undefined ? undefined : Number(values.port);
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
            throw new errors/* ConfigurationError */.j(`--port must be a port number, got '${values.port ?? ''}'`);
        const timeout = values['health-timeout'] === undefined ? undefined : Number(values['health-timeout']);
        if (timeout !== undefined && !(timeout > 0))
            throw new errors/* ConfigurationError */.j(`--health-timeout must be a positive number of seconds`);
        const spec = localSpec(request, resolved.repositoryDir, {
            ...(port !== undefined ? { port } : {}),
            ...(values['health-path'] !== undefined ? { healthPath: values['health-path'] } : {}),
            ...(timeout !== undefined ? { healthTimeoutSeconds: timeout } : {}),
        });
        const loadSeconds = values['load-test-seconds'] === undefined ? 0 : Number(values['load-test-seconds']);
        if (!(loadSeconds >= 0 && loadSeconds <= 60))
            throw new errors/* ConfigurationError */.j('--load-test-seconds must be between 0 and 60');
        const maxP99 = values['max-p99-ms'] === undefined ? undefined : Number(values['max-p99-ms']);
        if (maxP99 !== undefined && !(maxP99 > 0))
            throw new errors/* ConfigurationError */.j('--max-p99-ms must be a positive number');
        const payloads = await Promise.all((values.payload ?? []).map((file) => (0,promises_.readFile)(file, 'utf8').catch(() => {
            throw new errors/* ConfigurationError */.j(`cannot read payload file ${file}`);
        })));
        const daemon = await (0,client/* ensureDaemon */.l3)(projectDir);
        const result = await daemon.deploy(spec);
        const out = { ...result };
        const lines = [`${result.ok ? '' : 'deploy failed: '}${request.deployment}/${request.endpoint.name} ${result.message}`];
        let ok = result.ok;
        if (ok)
            lines.push(`url: ${result.endpoint.url}`, `metrics: ${result.endpoint.url}/metrics`);
        if (ok && loadSeconds > 0) {
            const path = values['load-test-path'] ?? '/predict';
            const load = await runLoadTest({ url: `${result.endpoint.url}${path.startsWith('/') ? path : `/${path}`}`, payloads, durationMs: loadSeconds * 1000, connections: 8, ...(maxP99 !== undefined ? { maxP99Ms: maxP99 } : {}) });
            // Kept with the version it measured.
            await (0,fs/* writeJsonAtomic */.q)((0,external_node_path_.join)(result.version.dir, 'load-test.json'), load);
            out['loadTest'] = load;
            lines.push(`inference performance: ${formatLoadTest(load)}`);
            if (!load.ok) {
                ok = false;
                const back = await daemon.rollback(request.deployment, request.endpoint.name).catch((error) => ({ ok: false, message: (0,errors/* getErrorMessage */.u)(error) }));
                out['rollback'] = back;
                lines.push(back.ok ? `rolled back: ${back.message}` : `no rollback: ${back.message}`);
            }
        }
        process.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : `${lines.join('\n')}\n`);
        return ok ? 0 : 1;
    },
};


/***/ })

};
