export const id = 551;
export const ids = [551];
export const modules = {

/***/ 8551:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SL: () => (/* binding */ findDaemon),
/* harmony export */   l3: () => (/* binding */ ensureDaemon)
/* harmony export */ });
/* unused harmony exports cliLauncher, DaemonClient */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7067);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(4478);
/* harmony import */ var _daemon_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1708);
/* harmony import */ var _manager_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1291);
/**
 * The CLI's side of the local daemon: find it through state.json, start it detached when absent, and
 * call its admin API.
 */







function cliLauncher(projectDir) {
    const script = process.argv[1];
    if (script === undefined)
        throw new Error('cannot tell which script runs the CLI');
    return { command: process.execPath, args: [...process.execArgv, script, 'deploy', '--daemon', '--project-dir', projectDir] };
}
function call(daemon, method, path, body, timeoutMs = 120_000) {
    return new Promise((resolveCall, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const req = (0,node_http__WEBPACK_IMPORTED_MODULE_2__.request)({
            host: '127.0.0.1',
            port: daemon.adminPort,
            method,
            path,
            agent: false,
            timeout: timeoutMs,
            headers: { [_daemon_js__WEBPACK_IMPORTED_MODULE_4__/* .TOKEN_HEADER */ .w]: daemon.token, ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}) },
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
                let parsed;
                try {
                    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                }
                catch {
                    reject(new Error(`deploy daemon answered ${res.statusCode ?? '?'} with a non-JSON body`));
                    return;
                }
                if (res.statusCode === 200)
                    resolveCall(parsed);
                else {
                    const message = parsed.error;
                    reject(new _util_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigurationError */ .j(`deploy daemon: ${typeof message === 'string' ? message : `status ${res.statusCode ?? '?'}`}`));
                }
            });
        });
        req.on('timeout', () => req.destroy(new Error('deploy daemon did not answer in time')));
        req.on('error', reject);
        req.end(text);
    });
}
async function alive(daemon) {
    if (!daemon)
        return false;
    try {
        const answer = await call(daemon, 'GET', '/ping', undefined, 2000);
        return answer.pid === daemon.pid;
    }
    catch {
        return false;
    }
}
class DaemonClient {
    daemon;
    constructor(daemon) {
        this.daemon = daemon;
    }
    deploy(spec) {
        return call(this.daemon, 'POST', '/deploy', spec);
    }
    rollback(deployment, endpoint) {
        return call(this.daemon, 'POST', '/rollback', { deployment, endpoint });
    }
    stop(deployment, endpoint) {
        return call(this.daemon, 'POST', '/stop', { deployment, endpoint });
    }
    endpoints() {
        return call(this.daemon, 'GET', '/endpoints');
    }
}
/** The running daemon, or undefined. */
async function findDaemon(projectDir) {
    const { daemon } = await (0,_manager_js__WEBPACK_IMPORTED_MODULE_5__/* .readState */ .un)(projectDir);
    return daemon && (await alive(daemon)) ? new DaemonClient(daemon) : undefined;
}
/** The running daemon, started (detached, logging to deployments/daemon.log) when there is none. */
async function ensureDaemon(projectDir, launcher = cliLauncher(projectDir), timeoutMs = 15_000) {
    const running = await findDaemon(projectDir);
    if (running)
        return running;
    const folder = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(projectDir, 'deployments');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(folder, { recursive: true });
    const log = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(folder, 'daemon.log'), 'a');
    let pid;
    let exitCode;
    try {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(launcher.command, launcher.args, { detached: true, stdio: ['ignore', log.fd, log.fd] });
        pid = child.pid;
        child.once('exit', (code) => {
            exitCode = code;
        });
        child.unref();
    }
    finally {
        await log.close();
    }
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (exitCode !== undefined)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigurationError */ .j(`the deploy daemon exited (code ${String(exitCode)}); see ${(0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(folder, 'daemon.log')}`);
        const { daemon } = await (0,_manager_js__WEBPACK_IMPORTED_MODULE_5__/* .readState */ .un)(projectDir);
        if (daemon && daemon.pid === pid && (await alive(daemon)))
            return new DaemonClient(daemon);
        await new Promise((done) => setTimeout(done, 100));
    }
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_6__/* .ConfigurationError */ .j(`the deploy daemon did not start within ${timeoutMs} ms; see ${(0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(folder, 'daemon.log')}`);
}


/***/ }),

/***/ 1708:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ runDaemon),
/* harmony export */   w: () => (/* binding */ TOKEN_HEADER)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7067);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4478);
/* harmony import */ var _manager_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1291);
/**
 * The local deploy daemon: the proxies must outlive the `mlops deploy` command that started them, so a
 * detached process holds them and answers a small admin API on loopback (token in state.json, which only
 * the project's owner can read). `mlops deploy --daemon` runs it; the CLI talks to it via `client.ts`.
 *
 *   GET  /ping                          -> {pid}
 *   GET  /endpoints                     -> EndpointState[]
 *   POST /deploy   LocalDeploySpec      -> SwitchResult
 *   POST /rollback {deployment, endpoint} -> SwitchResult
 *   POST /stop     {deployment?, endpoint?} -> EndpointState[]  (the daemon exits when nothing serves)
 */






const TOKEN_HEADER = 'x-mlops-token';
async function readJson(request) {
    const chunks = [];
    for await (const chunk of request)
        chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text)
        return {};
    const parsed = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j('request body must be a JSON object');
    return parsed;
}
function optionalString(body, name) {
    const value = body[name];
    if (value === undefined)
        return undefined;
    if (typeof value !== 'string')
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${name} must be a string`);
    return value;
}
function send(response, status, body) {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    response.end(text);
}
/** Runs until stopped (SIGTERM/SIGINT, or a `/stop` that leaves nothing serving). */
async function runDaemon(projectDir) {
    // state.json holds the admin token: only the owner may read the folder.
    const folder = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(projectDir, 'deployments');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(folder, { recursive: true });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.chmod)(folder, 0o700);
    const manager = new _manager_js__WEBPACK_IMPORTED_MODULE_4__/* .LocalDeployments */ .MX(projectDir);
    const token = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(24).toString('hex');
    let shutdown;
    const finished = new Promise((done) => {
        shutdown = done;
    });
    const server = (0,node_http__WEBPACK_IMPORTED_MODULE_3__.createServer)((request, response) => {
        void (async () => {
            if (request.headers[TOKEN_HEADER] !== token)
                return send(response, 401, { error: 'bad or missing token' });
            const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
            try {
                if (request.method === 'GET' && path === '/ping')
                    return send(response, 200, { pid: process.pid });
                if (request.method === 'GET' && path === '/endpoints')
                    return send(response, 200, manager.list());
                if (request.method === 'POST' && path === '/deploy') {
                    return send(response, 200, await manager.deploy((await readJson(request))));
                }
                if (request.method === 'POST' && path === '/rollback') {
                    const body = await readJson(request);
                    const deployment = optionalString(body, 'deployment');
                    const endpoint = optionalString(body, 'endpoint');
                    if (!deployment || !endpoint)
                        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j('rollback needs deployment and endpoint');
                    return send(response, 200, await manager.rollback(deployment, endpoint));
                }
                if (request.method === 'POST' && path === '/stop') {
                    const body = await readJson(request);
                    const stopped = await manager.stop(optionalString(body, 'deployment'), optionalString(body, 'endpoint'));
                    send(response, 200, stopped);
                    if (manager.serving === 0)
                        shutdown?.();
                    return;
                }
                send(response, 404, { error: `no route ${request.method ?? ''} ${path}` });
            }
            catch (error) {
                send(response, error instanceof _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j ? 400 : 500, { error: (0,_util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .getErrorMessage */ .u)(error) });
            }
        })();
    });
    await new Promise((done, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => done());
    });
    const address = server.address();
    const adminPort = typeof address === 'object' && address ? address.port : 0;
    await manager.restore({ pid: process.pid, adminPort, token, startedAt: new Date().toISOString() });
    process.once('SIGTERM', () => shutdown?.());
    process.once('SIGINT', () => shutdown?.());
    await finished;
    server.close();
    server.closeAllConnections();
    await manager.close();
    await manager.clearDaemon();
}


/***/ }),

/***/ 1291:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MX: () => (/* binding */ LocalDeployments),
  un: () => (/* binding */ readState)
});

// UNUSED EXPORTS: statePath

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
// EXTERNAL MODULE: ./build/deploy/model.js
var model = __webpack_require__(1343);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
;// CONCATENATED MODULE: ./build/deploy/local/proxy.js
/**
 * The stable front of a local endpoint: a reverse proxy on a fixed port that forwards to the active
 * version, switches atomically, lets the previous version drain, and exposes Prometheus metrics at
 * `/metrics` (answered by the proxy itself, never forwarded).
 */

/** Seconds; Prometheus' usual latency buckets, finer at the low end where a proxy lives. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate']);
function forwardHeaders(headers) {
    const out = {};
    for (const [key, value] of Object.entries(headers))
        if (!HOP_BY_HOP.has(key))
            out[key] = value;
    return out;
}
/** Bodies up to this size are kept so that a request hitting a stale keep-alive socket can be resent. */
const RETRY_BODY_LIMIT = 1024 * 1024;
function labelValue(value) {
    return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
class EndpointProxy {
    endpoint;
    server;
    active;
    requests = new Map();
    errors = 0;
    bucketCounts = BUCKETS.map(() => 0);
    durationSum = 0;
    durationCount = 0;
    constructor(endpoint) {
        this.endpoint = endpoint;
    }
    /** Listens on `port` (0 picks one) on loopback; resolves to the port. */
    async listen(port, host = '127.0.0.1') {
        const server = (0,external_node_http_.createServer)((req, res) => this.handle(req, res));
        server.keepAliveTimeout = 65_000;
        this.server = server;
        await new Promise((done, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => done());
        });
        const address = server.address();
        return typeof address === 'object' && address ? address.port : port;
    }
    get activeVersion() {
        return this.active?.version;
    }
    /** Sends new requests to `next` from now on; returns a promise that resolves when the previous one is idle. */
    switchTo(next) {
        const previous = this.active;
        this.active = next ? { ...next, agent: new external_node_http_.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 }), inFlight: 0, idle: [] } : undefined;
        if (!previous)
            return { drained: Promise.resolve() };
        const drained = new Promise((done) => {
            if (previous.inFlight === 0)
                done();
            else
                previous.idle.push(done);
        }).then(() => previous.agent.destroy());
        return { previous: { port: previous.port, version: previous.version }, drained };
    }
    record(version, status, startedNs) {
        const key = `${version}\u0000${status}`;
        this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
        if (status >= 500)
            this.errors += 1;
        const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
        this.durationSum += seconds;
        this.durationCount += 1;
        for (let i = 0; i < BUCKETS.length; i++)
            if (seconds <= (BUCKETS[i] ?? Infinity))
                this.bucketCounts[i] = (this.bucketCounts[i] ?? 0) + 1;
    }
    handle(req, res) {
        const started = process.hrtime.bigint();
        if (req.url === '/metrics' && req.method === 'GET') {
            const text = this.metrics();
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
            res.end(text);
            return;
        }
        const upstream = this.active;
        if (!upstream) {
            this.fail(res, 503, 'no version is serving', 'none', started);
            req.resume();
            return;
        }
        upstream.inFlight += 1;
        let finished = false;
        const done = () => {
            if (finished)
                return;
            finished = true;
            upstream.inFlight -= 1;
            if (upstream.inFlight === 0)
                for (const wake of upstream.idle.splice(0))
                    wake();
        };
        res.once('close', done);
        const body = [];
        let bodySize = 0;
        let bodyComplete = false;
        req.on('data', (chunk) => {
            bodySize += chunk.length;
            if (bodySize <= RETRY_BODY_LIMIT)
                body.push(chunk);
        });
        req.once('end', () => {
            bodyComplete = true;
        });
        const send = (attempt) => {
            const outgoing = (0,external_node_http_.request)({ host: '127.0.0.1', port: upstream.port, method: req.method, path: req.url, headers: forwardHeaders(req.headers), agent: upstream.agent }, (answer) => {
                res.writeHead(answer.statusCode ?? 502, forwardHeaders(answer.headers));
                answer.pipe(res);
                answer.once('end', () => this.record(upstream.version, answer.statusCode ?? 502, started));
                answer.once('error', () => res.destroy());
            });
            outgoing.once('error', (error) => {
                // A keep-alive socket the server closed between requests: resend once on a fresh one.
                if (attempt === 0 && outgoing.reusedSocket && !res.headersSent && bodyComplete && bodySize <= RETRY_BODY_LIMIT) {
                    send(1);
                    return;
                }
                if (!res.headersSent)
                    this.fail(res, 502, `upstream ${upstream.version} failed: ${error.message}`, upstream.version, started);
                else
                    res.destroy();
            });
            if (attempt === 0)
                req.pipe(outgoing);
            else
                outgoing.end(Buffer.concat(body));
        };
        send(0);
    }
    fail(res, status, message, version, started) {
        const text = JSON.stringify({ error: message });
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        this.record(version, status, started);
    }
    /** Prometheus text exposition format 0.0.4. */
    metrics() {
        const endpoint = labelValue(this.endpoint);
        const lines = [
            '# HELP mlops_proxy_requests_total Requests answered through the proxy, by serving version and status code.',
            '# TYPE mlops_proxy_requests_total counter',
        ];
        for (const [key, count] of [...this.requests.entries()].sort()) {
            const [version = '', code = ''] = key.split('\u0000');
            lines.push(`mlops_proxy_requests_total{endpoint="${endpoint}",version="${labelValue(version)}",code="${code}"} ${count}`);
        }
        lines.push('# HELP mlops_proxy_errors_total Requests answered with a 5xx status (upstream failures included).', '# TYPE mlops_proxy_errors_total counter', `mlops_proxy_errors_total{endpoint="${endpoint}"} ${this.errors}`, '# HELP mlops_proxy_request_duration_seconds Time from request to the end of the response, through the proxy.', '# TYPE mlops_proxy_request_duration_seconds histogram');
        BUCKETS.forEach((bound, i) => lines.push(`mlops_proxy_request_duration_seconds_bucket{endpoint="${endpoint}",le="${bound}"} ${this.bucketCounts[i] ?? 0}`));
        lines.push(`mlops_proxy_request_duration_seconds_bucket{endpoint="${endpoint}",le="+Inf"} ${this.durationCount}`, `mlops_proxy_request_duration_seconds_sum{endpoint="${endpoint}"} ${this.durationSum}`, `mlops_proxy_request_duration_seconds_count{endpoint="${endpoint}"} ${this.durationCount}`, '# HELP mlops_proxy_active_version The version receiving new requests (1), by version label.', '# TYPE mlops_proxy_active_version gauge');
        if (this.active)
            lines.push(`mlops_proxy_active_version{endpoint="${endpoint}",version="${labelValue(this.active.version)}"} 1`);
        return `${lines.join('\n')}\n`;
    }
    async close() {
        const server = this.server;
        this.active?.agent.destroy();
        this.active = undefined;
        if (!server)
            return;
        await new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
        });
    }
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: ./build/store/content-store.js
var content_store = __webpack_require__(3043);
;// CONCATENATED MODULE: ./build/deploy/local/supervisor.js
/**
 * One version of a local endpoint: its folder with the model files in place (checksums verified), and
 * the endpoint's server command running under `/bin/sh` in its own process group on a free loopback port.
 */








const DEFAULT_HEALTH = { path: '/healthz', tcpFallback: true, timeoutMs: 30_000 };
/** Copies each file to `<versionDir>/<path>` and re-hashes the copy: a corrupt store object never serves. */
async function placeModelFiles(versionDir, files) {
    await (0,promises_.mkdir)(versionDir, { recursive: true });
    for (const file of files) {
        const target = (0,external_node_path_.join)(versionDir, (0,model/* safeRelativePath */.lV)(file.path, `file ${file.name} path`));
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
        await (0,promises_.rm)(target, { force: true });
        try {
            await (0,promises_.copyFile)(file.location, target);
        }
        catch {
            throw new errors/* ConfigurationError */.j(`model file ${file.name} (${file.sha256}) is missing at ${file.location}`);
        }
        const copied = await (0,content_store/* hashFile */.DC)(target);
        if (copied.sha256 !== file.sha256) {
            throw new errors/* ConfigurationError */.j(`model file ${file.name}: checksum mismatch (expected ${file.sha256}, got ${copied.sha256})`);
        }
    }
}
/** A free loopback port: bind port 0, read it, release it. */
async function freePort(host = '127.0.0.1') {
    return new Promise((resolvePort, reject) => {
        const server = (0,external_node_net_.createServer)();
        server.once('error', reject);
        server.listen(0, host, () => {
            const address = server.address();
            const port = typeof address === 'object' && address ? address.port : 0;
            server.close(() => resolvePort(port));
        });
    });
}
function sleep(ms) {
    return new Promise((done) => setTimeout(done, ms));
}
function httpStatus(port, path, timeoutMs) {
    return new Promise((done) => {
        const req = (0,external_node_http_.request)({ host: '127.0.0.1', port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
            res.resume();
            done(res.statusCode);
        });
        req.on('timeout', () => req.destroy());
        req.on('error', () => done(undefined));
        req.end();
    });
}
function tcpOpen(port) {
    return new Promise((done) => {
        const socket = (0,external_node_net_.createConnection)({ host: '127.0.0.1', port });
        socket.once('connect', () => {
            socket.destroy();
            done(true);
        });
        socket.once('error', () => done(false));
    });
}
class ServerProcess {
    spec;
    port;
    child;
    exit;
    exited = Promise.resolve();
    /** Set once `stop()` was asked for, so an exit after it is not taken for a crash. */
    stopping = false;
    logPath;
    constructor(spec, port) {
        this.spec = spec;
        this.port = port;
        this.logPath = (0,external_node_path_.join)(spec.versionDir, 'server.log');
    }
    get pid() {
        return this.child?.pid;
    }
    get running() {
        return this.child !== undefined && this.exit === undefined;
    }
    async start() {
        const log = await (0,promises_.open)(this.logPath, 'a');
        try {
            const env = {};
            for (const [key, value] of Object.entries(process.env))
                if (value !== undefined)
                    env[key] = value;
            Object.assign(env, this.spec.env, { PORT: String(this.port), HOST: '127.0.0.1' });
            // Own process group (detached), so stopping the version also stops what its shell started.
            const child = (0,external_node_child_process_.spawn)('/bin/sh', ['-c', this.spec.script], {
                cwd: this.spec.cwd,
                env,
                detached: true,
                stdio: ['ignore', log.fd, log.fd],
            });
            this.child = child;
            this.exited = new Promise((done) => {
                child.once('exit', (code, signal) => {
                    this.exit = { code, signal };
                    done();
                });
                child.once('error', () => {
                    this.exit = { code: null, signal: null };
                    done();
                });
            });
        }
        finally {
            await log.close();
        }
    }
    /** Resolves when healthy; throws a ConfigurationError naming the cause (exit, timeout) with the log's tail. */
    async waitHealthy() {
        const { health } = this.spec;
        const deadline = Date.now() + health.timeoutMs;
        let last = 'no answer';
        while (Date.now() < deadline) {
            if (this.exit)
                throw new errors/* ConfigurationError */.j(`server exited (${this.exit.signal ?? `code ${String(this.exit.code)}`}) before it was healthy${await this.logTail()}`);
            if (health.path === null) {
                if (await tcpOpen(this.port))
                    return;
            }
            else {
                const status = await httpStatus(this.port, health.path, 2000);
                if (status !== undefined && status >= 200 && status < 300)
                    return;
                if (status === 404 && health.tcpFallback)
                    return; // it listens, and has no health route
                last = status === undefined ? 'no answer' : `status ${status}`;
            }
            await sleep(50);
        }
        throw new errors/* ConfigurationError */.j(`health check ${health.path ?? 'tcp'} on port ${this.port} failed after ${health.timeoutMs} ms (${last})${await this.logTail()}`);
    }
    async logTail() {
        const text = await (0,promises_.readFile)(this.logPath, 'utf8').catch(() => '');
        const lines = text.trimEnd().split('\n').slice(-5).join('\n');
        return lines ? `; last log lines:\n${lines}` : '';
    }
    /** Resolves when the server process has exited, for whatever reason. */
    whenExited() {
        return this.exited;
    }
    /** SIGTERM to the process group, SIGKILL after `graceMs`. */
    async stop(graceMs = 5000) {
        this.stopping = true;
        const pid = this.child?.pid;
        if (pid === undefined || this.exit)
            return;
        const signal = (name) => {
            try {
                process.kill(-pid, name);
            }
            catch {
                // already gone
            }
        };
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), graceMs);
        await this.exited;
        clearTimeout(timer);
        signal('SIGKILL'); // anything the shell left behind in the group
    }
}

;// CONCATENATED MODULE: ./build/deploy/local/manager.js
/**
 * The local target's brain, run inside the daemon (or a test): per endpoint, a proxy on a stable port and
 * numbered versions under `<projectDir>/deployments/<deployment>/<endpoint>/v<N>/`. A new version starts
 * beside the serving one and gets traffic only once healthy; the old one drains, then stops. A version
 * that fails its health check never gets traffic. State is in `<projectDir>/deployments/state.json`.
 */







function statePath(projectDir) {
    return (0,external_node_path_.join)(projectDir, 'deployments', 'state.json');
}
async function readState(projectDir) {
    try {
        const parsed = JSON.parse(await (0,promises_.readFile)(statePath(projectDir), 'utf8'));
        return { ...parsed, endpoints: parsed.endpoints ?? [] };
    }
    catch {
        return { endpoints: [] };
    }
}
/** Restarts of a crashed serving version before it is given up. */
const MAX_RESTARTS = 5;
function key(deployment, endpoint) {
    return `${deployment}/${endpoint}`;
}
class LocalDeployments {
    projectDir;
    options;
    state = { endpoints: [] };
    live = new Map();
    saving = Promise.resolve();
    constructor(projectDir, options = {}) {
        this.projectDir = projectDir;
        this.options = options;
    }
    /** Loads state.json and restarts what was serving (after a daemon restart). */
    async restore(daemon) {
        this.state = await readState(this.projectDir);
        if (daemon)
            this.state.daemon = daemon;
        for (const endpoint of this.state.endpoints) {
            for (const version of endpoint.versions)
                if (version.status !== 'failed')
                    version.status = 'stopped';
            const active = endpoint.active;
            endpoint.active = undefined;
            if (active === undefined)
                continue;
            const version = endpoint.versions.find((v) => v.number === active);
            if (version)
                await this.serialise(endpoint, () => this.activate(endpoint, version));
        }
        await this.save();
    }
    list() {
        return this.state.endpoints;
    }
    get daemonInfo() {
        return this.state.daemon;
    }
    async save() {
        const snapshot = JSON.parse(JSON.stringify(this.state));
        this.saving = this.saving.catch(() => undefined).then(() => (0,fs/* writeJsonAtomic */.q)(statePath(this.projectDir), snapshot));
        await this.saving;
    }
    async liveFor(endpoint) {
        const id = key(endpoint.deployment, endpoint.endpoint);
        let live = this.live.get(id);
        if (!live) {
            const proxy = new EndpointProxy(id);
            try {
                endpoint.proxyPort = await proxy.listen(endpoint.proxyPort);
            }
            catch (error) {
                throw new errors/* ConfigurationError */.j(`cannot listen on 127.0.0.1:${endpoint.proxyPort} for ${id}: ${(0,errors/* getErrorMessage */.u)(error)}`);
            }
            endpoint.url = `http://127.0.0.1:${endpoint.proxyPort}`;
            live = { proxy, processes: new Map(), queue: Promise.resolve() };
            this.live.set(id, live);
        }
        return live;
    }
    serialise(endpoint, work) {
        const id = key(endpoint.deployment, endpoint.endpoint);
        const live = this.live.get(id);
        const previous = live?.queue ?? Promise.resolve();
        const next = previous.catch(() => undefined).then(work);
        if (live)
            live.queue = next;
        return next;
    }
    async deploy(spec) {
        (0,model/* checkName */.I3)('deployment', spec.deployment);
        (0,model/* checkName */.I3)('endpoint', spec.endpoint);
        let endpoint = this.state.endpoints.find((e) => e.deployment === spec.deployment && e.endpoint === spec.endpoint);
        if (!endpoint) {
            endpoint = { deployment: spec.deployment, endpoint: spec.endpoint, proxyPort: spec.port ?? 0, url: '', history: [], versions: [] };
            this.state.endpoints.push(endpoint);
        }
        const target = endpoint;
        await this.liveFor(target);
        return this.serialise(target, async () => {
            const number = Math.max(0, ...target.versions.map((v) => v.number)) + 1;
            const version = {
                number,
                modelVersion: spec.modelVersion,
                source: spec.source,
                dir: (0,external_node_path_.join)(this.projectDir, 'deployments', spec.deployment, spec.endpoint, `v${number}`),
                script: spec.script,
                cwd: spec.cwd,
                env: spec.env ?? {},
                health: { ...DEFAULT_HEALTH, ...spec.health },
                status: 'starting',
                createdAt: new Date().toISOString(),
            };
            target.versions.push(version);
            try {
                await placeModelFiles(version.dir, spec.files);
            }
            catch (error) {
                version.status = 'failed';
                version.reason = (0,errors/* getErrorMessage */.u)(error);
                await this.save();
                return this.result(false, target, version, `v${number} not deployed: ${version.reason}`);
            }
            const modelFile = spec.files[0];
            if (modelFile && version.env['MODEL_PATH'] === undefined)
                version.env['MODEL_PATH'] = (0,external_node_path_.join)(version.dir, modelFile.path);
            version.env['MLOPS_MODEL_DIR'] = version.dir;
            return this.activate(target, version);
        });
    }
    /** Switches traffic back to the version that served before the current one. */
    async rollback(deployment, endpointName) {
        const endpoint = this.find(deployment, endpointName);
        await this.liveFor(endpoint);
        return this.serialise(endpoint, async () => {
            const current = endpoint.active;
            const earlier = endpoint.history.filter((n) => n !== current);
            const previousNumber = earlier.at(-1);
            const previous = endpoint.versions.find((v) => v.number === previousNumber);
            if (!previous)
                throw new errors/* ConfigurationError */.j(`${deployment}/${endpointName} has no earlier version to roll back to`);
            // Drop the current version from the history so that a second rollback goes further back.
            endpoint.history = endpoint.history.filter((n) => n !== current && n !== previous.number);
            return this.activate(endpoint, previous);
        });
    }
    find(deployment, endpointName) {
        const endpoint = this.state.endpoints.find((e) => e.deployment === deployment && e.endpoint === endpointName);
        if (!endpoint) {
            throw new errors/* ConfigurationError */.j(`no local endpoint ${deployment}/${endpointName} (have: ${this.state.endpoints.map((e) => key(e.deployment, e.endpoint)).join(', ') || 'none'})`);
        }
        return endpoint;
    }
    result(ok, endpoint, version, message) {
        return { ok, endpoint, version, ...(endpoint.active !== undefined ? { serving: endpoint.active } : {}), message };
    }
    /** Starts `version` beside the serving one, switches once healthy, drains and stops the old one. */
    async activate(endpoint, version) {
        const live = await this.liveFor(endpoint);
        const port = await freePort();
        const server = new ServerProcess({ script: version.script, cwd: version.cwd, versionDir: version.dir, env: version.env, health: version.health }, port);
        version.status = 'starting';
        version.port = port;
        delete version.reason;
        try {
            await server.start();
            version.pid = server.pid;
            await this.save();
            await server.waitHealthy();
        }
        catch (error) {
            await server.stop(this.options.stopGraceMs);
            version.status = 'failed';
            version.reason = (0,errors/* getErrorMessage */.u)(error);
            delete version.pid;
            delete version.port;
            await this.save();
            const serving = endpoint.active === undefined ? 'nothing is serving' : `v${endpoint.active} keeps serving`;
            return this.result(false, endpoint, version, `v${version.number} failed its health check, ${serving}: ${version.reason}`);
        }
        const replaced = live.processes.get(version.number);
        live.processes.set(version.number, server);
        void server.whenExited().then(() => this.onExit(endpoint, version, server));
        const oldNumber = endpoint.active;
        const { drained } = live.proxy.switchTo({ port, version: `v${version.number}` });
        version.status = 'serving';
        endpoint.active = version.number;
        endpoint.history = [...endpoint.history.filter((n) => n !== version.number), version.number];
        await this.save();
        // A restarted version replaces its own crashed process: nothing to drain.
        if (replaced && replaced !== server)
            await replaced.stop(this.options.stopGraceMs);
        if (oldNumber !== undefined && oldNumber !== version.number) {
            const old = endpoint.versions.find((v) => v.number === oldNumber);
            if (old)
                old.status = 'draining';
            await this.save();
            await Promise.race([drained, new Promise((done) => setTimeout(done, this.options.drainTimeoutMs ?? 30_000))]);
            await live.processes.get(oldNumber)?.stop(this.options.stopGraceMs);
            live.processes.delete(oldNumber);
            if (old) {
                old.status = 'stopped';
                delete old.pid;
                delete old.port;
            }
            await this.save();
        }
        return this.result(true, endpoint, version, `v${version.number} (model ${version.modelVersion}) serving at ${endpoint.url}`);
    }
    /**
     * The serving version's server exited without being asked to: start it again (beside nothing, so
     * requests meanwhile get 502), at most MAX_RESTARTS times; after that it is marked failed.
     */
    async onExit(endpoint, version, server) {
        if (server.stopping || endpoint.active !== version.number)
            return;
        const live = this.live.get(key(endpoint.deployment, endpoint.endpoint));
        if (!live || live.processes.get(version.number) !== server)
            return;
        version.restarts = (version.restarts ?? 0) + 1;
        if (version.restarts > MAX_RESTARTS) {
            version.status = 'failed';
            version.reason = `server exited ${MAX_RESTARTS + 1} times; not restarted again`;
            live.proxy.switchTo(undefined);
            endpoint.active = undefined;
            await this.save();
            return;
        }
        await this.serialise(endpoint, async () => {
            if (endpoint.active !== version.number || live.processes.get(version.number) !== server)
                return;
            await new Promise((done) => setTimeout(done, 200 * 2 ** ((version.restarts ?? 1) - 1)));
            const result = await this.activate(endpoint, version);
            // activate() marks a failed start as failed; the endpoint still points at it, so keep it as the one to retry.
            if (!result.ok)
                void this.onExit(endpoint, version, server); // queued behind this work, not awaited inside it
        }).catch(() => undefined);
    }
    /** Stops one endpoint, or all of a deployment, or everything; their state entries stay, inactive. */
    async stop(deployment, endpointName) {
        const chosen = this.state.endpoints.filter((e) => (deployment === undefined || e.deployment === deployment) && (endpointName === undefined || e.endpoint === endpointName));
        for (const endpoint of chosen) {
            await this.serialise(endpoint, async () => {
                const id = key(endpoint.deployment, endpoint.endpoint);
                const live = this.live.get(id);
                if (live) {
                    const { drained } = live.proxy.switchTo(undefined);
                    await Promise.race([drained, new Promise((done) => setTimeout(done, this.options.drainTimeoutMs ?? 30_000))]);
                    for (const server of live.processes.values())
                        await server.stop(this.options.stopGraceMs);
                    await live.proxy.close();
                    this.live.delete(id);
                }
                for (const version of endpoint.versions) {
                    if (version.status !== 'failed')
                        version.status = 'stopped';
                    delete version.pid;
                    delete version.port;
                }
                endpoint.active = undefined;
            });
        }
        await this.save();
        return chosen;
    }
    get serving() {
        return this.state.endpoints.filter((e) => e.active !== undefined).length;
    }
    async close() {
        for (const [id, live] of this.live) {
            for (const server of live.processes.values())
                await server.stop(this.options.stopGraceMs);
            await live.proxy.close();
            this.live.delete(id);
        }
    }
    async setDaemon(daemon) {
        this.state.daemon = daemon;
        await this.save();
    }
    async clearDaemon() {
        delete this.state.daemon;
        await this.save();
    }
}


/***/ }),

/***/ 1343:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fp: () => (/* binding */ modelVersionFromRun),
/* harmony export */   I3: () => (/* binding */ checkName),
/* harmony export */   KV: () => (/* binding */ modelVersionFromFolder),
/* harmony export */   fj: () => (/* binding */ serverScript),
/* harmony export */   lV: () => (/* binding */ safeRelativePath),
/* harmony export */   pw: () => (/* binding */ parseStrategy),
/* harmony export */   vS: () => (/* binding */ findEndpoint),
/* harmony export */   x1: () => (/* binding */ targetFor)
/* harmony export */ });
/* unused harmony exports DEPLOY_STRATEGIES, versionId, pickDeploymentRecord */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var _exec_shell_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8137);
/* harmony import */ var _store_content_store_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3043);
/* harmony import */ var _store_runs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9366);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4478);
/**
 * The deploy model every target codes against: an endpoint (from the pipeline file) plus a model
 * version (checksummed files) plus a target and a strategy. The local target, the Kubernetes target
 * and the GitHub Deployments record all take a `DeployRequest`.
 */







const DEPLOY_STRATEGIES = ['rolling', 'blue-green', 'canary'];
const NAME = /^[a-z][a-z0-9-]*$/;
function checkName(kind, name) {
    if (!NAME.test(name) || name.length > 50) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${kind} name '${name}' must be lowercase letters, digits and '-', starting with a letter (max 50)`);
    }
    return name;
}
function versionId(files) {
    const lines = files.map((f) => `${f.path}:${f.sha256}`).sort().join('\n');
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(lines).digest('hex').slice(0, 12);
}
/** A relative path that stays inside its folder (no `..`, not absolute). */
function safeRelativePath(path, what) {
    const normal = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.normalize)(path);
    if (path === '' || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(path) || normal === '..' || normal.startsWith(`..${node_path__WEBPACK_IMPORTED_MODULE_2__.sep}`)) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`${what} '${path}' must be a relative path inside its folder`);
    }
    return normal;
}
function findEndpoint(config, name) {
    const endpoints = [...config.endpoints.values()];
    if (name === undefined) {
        const only = endpoints[0];
        if (endpoints.length === 1 && only)
            return only;
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(endpoints.length === 0 ? `${config.file} declares no endpoint` : `choose an endpoint with --endpoint: ${endpoints.map((e) => e.name).join(', ')}`);
    }
    const endpoint = config.endpoints.get(name);
    if (!endpoint)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`no endpoint '${name}' in ${config.file} (have: ${endpoints.map((e) => e.name).join(', ') || 'none'})`);
    return endpoint;
}
/** The target of a deployment: `x-mlops.deploy-targets.<name>`, else `deployment.defaults.target`, else local. */
function targetFor(config, deployment, kindOverride) {
    const declared = config?.mlops.deployTargets[deployment] ?? {};
    const defaultsTarget = config?.deployments.get(deployment)?.defaults['target'];
    const kind = kindOverride ?? declared['kind'] ?? (defaultsTarget === 'kubernetes' ? 'kubernetes' : 'local');
    if (kind !== 'local' && kind !== 'kubernetes')
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`deploy target kind must be local or kubernetes, got '${String(kind)}'`);
    return { kind, options: declared };
}
function parseStrategy(value) {
    if (value === undefined)
        return 'rolling';
    if (typeof value === 'string' && DEPLOY_STRATEGIES.includes(value))
        return value;
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`strategy must be one of ${DEPLOY_STRATEGIES.join(', ')}, got '${String(value)}'`);
}
/** The deployment record of a run that deploys `endpoint` (or the only one), with its run. */
function pickDeploymentRecord(run, endpoint, node) {
    const records = (run.deployments ?? []).filter((d) => (node === undefined || d.node === node) && (endpoint === undefined || d.endpoints.includes(endpoint) || d.files.some((f) => f.endpoint === endpoint)));
    const first = records[0];
    if (!first) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`run ${run.id} has no succeeded deployment node${endpoint ? ` for endpoint ${endpoint}` : ''} (run a pipeline with a deployment node, or use --folder)`);
    }
    if (records.length > 1)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`run ${run.id} has several deployment nodes (${records.map((r) => r.node).join(', ')}); choose one with --node`);
    return first;
}
/** The model version a run's deployment node recorded: files from the content store, checksums verified later on placement. */
async function modelVersionFromRun(projectDir, runIdOrLatest, endpoint, node) {
    const run = await (0,_store_runs_js__WEBPACK_IMPORTED_MODULE_4__/* .loadRun */ .Sj)(projectDir, runIdOrLatest);
    const record = pickDeploymentRecord(run, endpoint.name, node);
    const store = new _store_content_store_js__WEBPACK_IMPORTED_MODULE_3__/* .ContentStore */ .Vh((0,_store_runs_js__WEBPACK_IMPORTED_MODULE_4__/* .projectPaths */ .gW)(projectDir).storeDir);
    const files = [];
    for (const declared of endpoint.files) {
        const file = record.files.find((f) => f.endpoint === endpoint.name && f.name === declared.name);
        if (!file)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`run ${run.id} node ${record.node} gives no file '${declared.name}' to endpoint ${endpoint.name}`);
        files.push({
            name: declared.name,
            path: safeRelativePath(declared.path, `endpoint ${endpoint.name} file path`),
            sha256: file.sha256,
            size: file.size,
            location: store.pathOf(file.sha256),
        });
    }
    return {
        version: {
            id: versionId(files),
            endpoint: endpoint.name,
            files,
            source: { kind: 'run', runId: run.id, node: record.node, pipeline: run.pipeline },
        },
        record,
        run,
    };
}
/** A model version from a folder holding the endpoint's files at their declared paths (symlinks refused). */
async function modelVersionFromFolder(folder, endpoint) {
    const root = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(folder);
    const files = [];
    const names = new Set(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.readdir)(root).catch(() => {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`cannot read model folder ${root}`);
    }));
    for (const declared of endpoint.files) {
        const path = safeRelativePath(declared.path, `endpoint ${endpoint.name} file path`);
        // Accept the file at its declared path, or under its name, so a plain folder of outputs works too.
        const candidates = [path, declared.name].filter((p, i, all) => all.indexOf(p) === i);
        let location;
        for (const candidate of candidates) {
            const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, candidate);
            if ((0,node_path__WEBPACK_IMPORTED_MODULE_2__.relative)(root, absolute).startsWith('..'))
                continue;
            const info = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.lstat)(absolute).catch(() => undefined);
            if (info?.isSymbolicLink())
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`model file ${absolute} is a symbolic link; give a regular file`);
            if (info?.isFile()) {
                location = absolute;
                break;
            }
        }
        if (!location) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`model folder ${root} has no ${candidates.join(' or ')} for endpoint ${endpoint.name} file '${declared.name}' (has: ${[...names].join(', ') || 'nothing'})`);
        }
        const hashed = await (0,_store_content_store_js__WEBPACK_IMPORTED_MODULE_3__/* .hashFile */ .DC)(location);
        files.push({ name: declared.name, path, sha256: hashed.sha256, size: hashed.size, location });
    }
    return { id: versionId(files), endpoint: endpoint.name, files, source: { kind: 'folder', path: root } };
}
/** The endpoint's server command as one `/bin/sh` script, the way a step's command list is run. */
function serverScript(endpoint) {
    if (endpoint.serverCommand && endpoint.serverCommand.length > 0)
        return endpoint.serverCommand.join('\n');
    if (endpoint.wsgi) {
        // A WSGI endpoint is `module:app`; gunicorn is what Valohai runs it with.
        return `exec gunicorn --bind "127.0.0.1:$PORT" ${(0,_exec_shell_js__WEBPACK_IMPORTED_MODULE_6__/* .shellQuote */ .Z)(endpoint.wsgi)}`;
    }
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ConfigurationError */ .j(`endpoint ${endpoint.name} has neither server-command nor wsgi`);
}


/***/ }),

/***/ 8137:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ shellQuote)
/* harmony export */ });
/**
 * POSIX shell quoting, the same as Python's `shlex.quote`, so rendered commands match Valohai's
 * byte for byte and no value can break out of its argument.
 */
// shlex uses `[^\w@%+=:,./-]` with re.ASCII: anything else makes the string need quotes.
const UNSAFE = /[^A-Za-z0-9_@%+=:,./-]/;
function shellQuote(s) {
    if (s === '')
        return "''";
    if (!UNSAFE.test(s))
        return s;
    // Inside single quotes nothing is special except the quote itself, which is closed, escaped, reopened.
    return `'${s.replace(/'/g, `'"'"'`)}'`;
}


/***/ })

};
