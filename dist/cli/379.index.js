export const id = 379;
export const ids = [379];
export const modules = {

/***/ 7379:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  p: () => (/* binding */ LocalRegistry)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/store/content-store.js
var content_store = __webpack_require__(3043);
// EXTERNAL MODULE: ./build/store/runs.js
var runs = __webpack_require__(9366);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./build/util/fs.js
var fs = __webpack_require__(6174);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./build/registry/lock.js
/**
 * A lock file taken with O_EXCL (`open(…, 'wx')`): exactly one process creates it, the others wait and
 * retry. A lock whose holder died is broken: its process no longer exists on this host, or the file is
 * older than `staleMs` (a holder on another host, e.g. a shared filesystem, or a hung process).
 * Breaking renames the lock away first, so of two processes that both find it stale only one removes it.
 */




function errnoCode(error) {
    return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}
function processAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        // EPERM: it exists but belongs to someone else.
        return errnoCode(error) === 'EPERM';
    }
}
async function readLock(path) {
    try {
        const info = await (0,promises_.stat)(path);
        let content;
        try {
            const parsed = JSON.parse(await (0,promises_.readFile)(path, 'utf8'));
            if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') {
                content = { pid: parsed.pid, host: parsed.host, token: parsed.token };
            }
        }
        catch {
            // being written right now, or garbage: only its age can tell
        }
        return content ? { content, mtimeMs: info.mtimeMs } : { mtimeMs: info.mtimeMs };
    }
    catch (error) {
        if (errnoCode(error) === 'ENOENT')
            return undefined;
        throw error;
    }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Runs `work` while holding the lock file at `path`. */
async function withLock(path, work, options = {}) {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const staleMs = options.staleMs ?? 120_000;
    const token = (0,external_node_crypto_.randomBytes)(8).toString('hex');
    const mine = { pid: process.pid, host: (0,external_node_os_.hostname)(), token };
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(path), { recursive: true });
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0;; attempt++) {
        try {
            const handle = await (0,promises_.open)(path, 'wx');
            try {
                await handle.writeFile(JSON.stringify(mine));
            }
            finally {
                await handle.close();
            }
            break;
        }
        catch (error) {
            if (errnoCode(error) !== 'EEXIST')
                throw error;
        }
        const held = await readLock(path);
        if (held) {
            const deadHolder = held.content !== undefined && held.content.host === mine.host && !processAlive(held.content.pid);
            const tooOld = Date.now() - held.mtimeMs > staleMs;
            if (deadHolder || tooOld) {
                const aside = `${path}.stale-${token}`;
                try {
                    await (0,promises_.rename)(path, aside);
                    const moved = await readLock(aside);
                    // Another process may have broken the stale lock and taken a fresh one in between: give it back.
                    if (moved?.content && held.content && moved.content.token !== held.content.token) {
                        // link, not rename: it fails instead of replacing a lock a third process took meanwhile.
                        await (0,promises_.link)(aside, path).catch(() => undefined);
                    }
                    await (0,promises_.rm)(aside, { force: true });
                }
                catch (error) {
                    if (errnoCode(error) !== 'ENOENT')
                        throw error;
                }
                continue;
            }
        }
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for the lock ${path}`);
        await sleep(5 + Math.floor(Math.random() * Math.min(50, 5 * (attempt + 1))));
    }
    try {
        return await work();
    }
    finally {
        const current = await readLock(path);
        if (current?.content?.token === token)
            await (0,promises_.rm)(path, { force: true });
    }
}

// EXTERNAL MODULE: ./build/registry/model.js
var model = __webpack_require__(7415);
;// CONCATENATED MODULE: ./build/registry/local.js
/**
 * The local registry, inside the project folder:
 *
 *   <projectDir>/registry/models/<name>/versions/<N>.json   one ModelVersion each (files live in the content store)
 *   <projectDir>/registry/models/<name>/aliases.json        the current AliasTable
 *   <projectDir>/registry/models/<name>/history.jsonl       append-only: one AliasEvent per promotion / rollback
 *   <projectDir>/registry/models/<name>/scoring.jsonl       append-only: which version scored which data
 *   <projectDir>/registry/models/<name>/.lock               taken for version allocation and alias moves
 *
 * Safe under concurrent runs: files go into the content store first (atomic renames, no lock needed),
 * then the version number is allocated and its record written under the model's lock; alias moves
 * read, change and rewrite aliases.json (atomically) and append the history line under the same lock.
 */








function isMissing(error) {
    return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
async function readJsonFile(path) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        if (isMissing(error))
            return undefined;
        throw error;
    }
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j(`${path} is not valid JSON: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
}
async function readJsonLines(path) {
    let text;
    try {
        text = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        if (isMissing(error))
            return [];
        throw error;
    }
    // A line cut short by a crash mid-append is skipped rather than making the whole history unreadable.
    const lines = [];
    for (const line of text.split('\n')) {
        if (line.trim() === '')
            continue;
        try {
            lines.push(JSON.parse(line));
        }
        catch {
            // torn last line
        }
    }
    return lines;
}
class LocalRegistry {
    projectDir;
    root;
    store;
    options;
    constructor(projectDir, options = {}) {
        this.projectDir = projectDir;
        const paths = (0,runs/* projectPaths */.gW)(projectDir);
        this.root = (0,external_node_path_.join)(paths.root, 'registry');
        this.store = new content_store/* ContentStore */.Vh(paths.storeDir);
        this.options = options;
    }
    modelDir(name) {
        return (0,external_node_path_.join)(this.root, 'models', (0,model/* checkModelName */.Xs)(name));
    }
    now() {
        return this.options.now?.() ?? new Date();
    }
    actor() {
        return this.options.actor ?? (0,model/* currentActor */.H)();
    }
    locked(name, work) {
        return withLock((0,external_node_path_.join)(this.modelDir(name), '.lock'), work, this.options.lock);
    }
    async models() {
        try {
            const entries = await (0,promises_.readdir)((0,external_node_path_.join)(this.root, 'models'), { withFileTypes: true });
            return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
        }
        catch (error) {
            if (isMissing(error))
                return [];
            throw error;
        }
    }
    async versionNumbers(name) {
        try {
            const entries = await (0,promises_.readdir)((0,external_node_path_.join)(this.modelDir(name), 'versions'));
            return entries.map((e) => /^(\d+)\.json$/.exec(e)?.[1]).filter((n) => n !== undefined).map(Number).sort((a, b) => a - b);
        }
        catch (error) {
            if (isMissing(error))
                return [];
            throw error;
        }
    }
    async versions(name) {
        const versions = [];
        for (const n of await this.versionNumbers(name)) {
            const version = await readJsonFile((0,external_node_path_.join)(this.modelDir(name), 'versions', `${n}.json`));
            if (version)
                versions.push(version);
        }
        return versions;
    }
    async aliases(name) {
        return (await readJsonFile((0,external_node_path_.join)(this.modelDir(name), 'aliases.json')))?.aliases ?? {};
    }
    async history(name) {
        return readJsonLines((0,external_node_path_.join)(this.modelDir(name), 'history.jsonl'));
    }
    async scoring(name) {
        return readJsonLines((0,external_node_path_.join)(this.modelDir(name), 'scoring.jsonl'));
    }
    async resolve(name, selector) {
        return (0,model/* selectVersion */.fe)(name, await this.versions(name), await this.aliases(name), selector);
    }
    /** The model name when the registry holds exactly one (so `--model production` needs no name). */
    async defaultModelName() {
        const names = await this.models();
        if (names.length === 1 && names[0] !== undefined)
            return names[0];
        throw new errors/* ConfigurationError */.j(names.length === 0
            ? `the registry ${this.root} has no models (register one with \`mlops models register\`)`
            : `the registry has several models (${names.join(', ')}): name one, e.g. ${names[0] ?? 'NAME'}@production`);
    }
    async register(input) {
        (0,model/* checkModelName */.Xs)(input.name);
        if (input.files.length === 0)
            throw new errors/* ConfigurationError */.j(`a model version needs at least one file`);
        const files = [];
        const seen = new Set();
        for (const file of input.files) {
            (0,model/* checkRelativePath */._k)(file.path);
            if (seen.has(file.path))
                throw new errors/* ConfigurationError */.j(`model file '${file.path}' is given twice`);
            seen.add(file.path);
            const stored = await this.store.add(file.localPath);
            files.push({ path: file.path, sha256: stored.sha256, size: stored.size });
        }
        return this.locked(input.name, async () => {
            const numbers = await this.versionNumbers(input.name);
            const version = {
                name: input.name,
                version: (numbers.at(-1) ?? 0) + 1,
                files,
                metrics: input.metrics ?? {},
                lineage: input.lineage ?? {},
                tags: input.tags ?? {},
                createdAt: this.now().toISOString(),
                createdBy: this.actor(),
            };
            await (0,fs/* writeJsonAtomic */.q)((0,external_node_path_.join)(this.modelDir(input.name), 'versions', `${version.version}.json`), version);
            return version;
        });
    }
    /**
     * Stores a version under its own number (a mirror of a remote registry, e.g. the GitHub releases a
     * workflow resolved). The files must already be verified; an existing different version is an error.
     */
    async importVersion(version, localFiles) {
        for (const file of version.files) {
            const localPath = localFiles[(0,model/* checkRelativePath */._k)(file.path)];
            if (localPath === undefined)
                throw new Error(`no local copy of ${file.path} to import`);
            const stored = await this.store.add(localPath);
            if (stored.sha256 !== file.sha256)
                throw new errors/* ConfigurationError */.j(`${file.path}: sha256 ${stored.sha256} does not match the manifest's ${file.sha256}`);
        }
        return this.locked(version.name, async () => {
            const path = (0,external_node_path_.join)(this.modelDir(version.name), 'versions', `${version.version}.json`);
            const existing = await readJsonFile(path);
            if (existing) {
                const same = JSON.stringify(existing.files) === JSON.stringify(version.files);
                if (!same)
                    throw new errors/* ConfigurationError */.j(`local version ${version.version} of '${version.name}' has different files than the one being imported`);
                return existing;
            }
            await (0,fs/* writeJsonAtomic */.q)(path, version);
            return version;
        });
    }
    /** Sets an alias to exactly this table entry (mirroring a remote registry's alias). */
    async setAlias(name, alias, entry) {
        (0,model/* checkAliasName */.cY)(alias);
        await this.locked(name, async () => {
            const aliases = await this.aliases(name);
            aliases[alias] = entry;
            await (0,fs/* writeJsonAtomic */.q)((0,external_node_path_.join)(this.modelDir(name), 'aliases.json'), { aliases });
        });
    }
    async promote(name, alias, selector, reason) {
        (0,model/* checkAliasName */.cY)(alias);
        return this.locked(name, async () => {
            const aliases = await this.aliases(name);
            const target = (0,model/* selectVersion */.fe)(name, await this.versions(name), aliases, selector);
            const event = (0,model/* applyPromotion */.Mt)(aliases, alias, target.version, this.actor(), reason, this.now());
            await this.commitAliases(name, aliases, event);
            return event;
        });
    }
    async rollback(name, alias, reason) {
        (0,model/* checkAliasName */.cY)(alias);
        return this.locked(name, async () => {
            const aliases = await this.aliases(name);
            const event = (0,model/* applyRollback */.Pw)(name, aliases, alias, this.actor(), reason, this.now());
            await this.commitAliases(name, aliases, event);
            return event;
        });
    }
    /** History first: a crash between the two leaves a logged move that did not happen, never an unlogged one. */
    async commitAliases(name, aliases, event) {
        await (0,promises_.appendFile)((0,external_node_path_.join)(this.modelDir(name), 'history.jsonl'), `${JSON.stringify(event)}\n`);
        await (0,fs/* writeJsonAtomic */.q)((0,external_node_path_.join)(this.modelDir(name), 'aliases.json'), { aliases });
    }
    async recordScoring(record) {
        await this.locked(record.model, () => (0,promises_.appendFile)((0,external_node_path_.join)(this.modelDir(record.model), 'scoring.jsonl'), `${JSON.stringify(record)}\n`));
    }
    async pull(version, dest) {
        const written = [];
        for (const file of version.files) {
            const target = (0,external_node_path_.join)(dest, (0,model/* checkRelativePath */._k)(file.path));
            if (!(await this.store.has(file.sha256)))
                throw new errors/* ConfigurationError */.j(`the content store has no file ${file.sha256} (${file.path} of ${version.name} v${version.version})`);
            // Copy, not link: the destination is the caller's to change, and the copy is what gets verified.
            await this.store.materialise(file.sha256, target, { mode: 'copy' });
            const actual = await (0,content_store/* hashFile */.DC)(target);
            if (actual.sha256 !== file.sha256) {
                throw new errors/* ConfigurationError */.j(`${target}: sha256 ${actual.sha256} does not match ${file.sha256} recorded for ${version.name} v${version.version}; the store is damaged`);
            }
            written.push(target);
        }
        return written;
    }
}


/***/ }),

/***/ 7415:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ currentActor),
/* harmony export */   Hg: () => (/* binding */ currentCommit),
/* harmony export */   Mt: () => (/* binding */ applyPromotion),
/* harmony export */   Pw: () => (/* binding */ applyRollback),
/* harmony export */   VH: () => (/* binding */ formatSelector),
/* harmony export */   Xs: () => (/* binding */ checkModelName),
/* harmony export */   Yu: () => (/* binding */ scalarMetrics),
/* harmony export */   _k: () => (/* binding */ checkRelativePath),
/* harmony export */   cY: () => (/* binding */ checkAliasName),
/* harmony export */   f7: () => (/* binding */ splitModelReference),
/* harmony export */   fe: () => (/* binding */ selectVersion)
/* harmony export */ });
/* unused harmony export parseSelector */
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4478);
/**
 * The model registry's vocabulary, shared by the local backend (`.mlops/registry`) and the GitHub
 * backend (releases): a model version is a set of checksummed files plus metrics, lineage and tags;
 * aliases (`production`, `staging`, any name) point at versions, and every move of an alias is kept
 * in an append-only history.
 */


const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const ALIAS_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,62}$/;
const RESERVED_ALIASES = new Set(['latest', 'best']);
function checkModelName(name) {
    if (!MODEL_NAME.test(name) || name.includes('..')) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`'${name}' is not a valid model name (letters, digits, '.', '_', '-'; up to 100 characters)`);
    }
    return name;
}
function checkAliasName(alias) {
    if (!ALIAS_NAME.test(alias) || RESERVED_ALIASES.has(alias)) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`'${alias}' is not a valid alias (a letter, then letters, digits, '.', '_', '-'; not 'latest' or 'best')`);
    }
    return alias;
}
/** Rejects file paths that would leave the folder they are written to. */
function checkRelativePath(path) {
    const parts = path.split('/');
    if (path === '' || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || parts.some((p) => p === '' || p === '.' || p === '..')) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`model file path '${path}' must be relative, '/'-separated and stay inside its folder`);
    }
    return path;
}
/** `3`, `v3`, `production`, `latest`, `best:accuracy`, `best:loss:min`. */
function parseSelector(text) {
    const trimmed = text.trim();
    if (/^v?\d+$/.test(trimmed)) {
        const version = Number(trimmed.replace(/^v/, ''));
        if (version < 1)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`model versions start at 1, got '${text}'`);
        return { kind: 'version', version };
    }
    if (trimmed === 'latest')
        return { kind: 'latest' };
    if (trimmed === 'best' || trimmed.startsWith('best:')) {
        const [, metric = '', goal = 'max', extra] = trimmed.split(':');
        if (metric === '' || (goal !== 'max' && goal !== 'min') || extra !== undefined) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`'${text}' must be best:<metric> or best:<metric>:max|min`);
        }
        return { kind: 'best', metric, goal };
    }
    return { kind: 'alias', alias: checkAliasName(trimmed) };
}
/**
 * `NAME@SELECTOR` or just `SELECTOR` (then the model name is `defaultName`, which callers take from
 * the only model in the registry). Returns the name when given.
 */
function splitModelReference(text) {
    const at = text.indexOf('@');
    if (at < 0)
        return { selector: parseSelector(text) };
    return { name: checkModelName(text.slice(0, at)), selector: parseSelector(text.slice(at + 1)) };
}
function formatSelector(selector) {
    switch (selector.kind) {
        case 'version':
            return `v${selector.version}`;
        case 'alias':
            return selector.alias;
        case 'latest':
            return 'latest';
        case 'best':
            return `best:${selector.metric}:${selector.goal}`;
    }
}
/** Picks a version from complete versions and the alias table. */
function selectVersion(name, versions, aliases, selector) {
    const byNumber = (n) => versions.find((v) => v.version === n);
    if (versions.length === 0)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`model '${name}' has no versions (register one with \`mlops models register\`)`);
    switch (selector.kind) {
        case 'version': {
            const found = byNumber(selector.version);
            if (!found)
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`model '${name}' has no version ${selector.version} (versions: ${versions.map((v) => v.version).join(', ')})`);
            return found;
        }
        case 'latest':
            return versions.reduce((a, b) => (b.version > a.version ? b : a));
        case 'alias': {
            const entry = aliases[selector.alias];
            if (!entry) {
                const known = Object.keys(aliases);
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`model '${name}' has no alias '${selector.alias}'${known.length > 0 ? ` (aliases: ${known.join(', ')})` : ' (promote a version first)'}`);
            }
            const found = byNumber(entry.version);
            if (!found)
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`alias '${selector.alias}' of model '${name}' points at version ${entry.version}, which is missing`);
            return found;
        }
        case 'best': {
            let best;
            for (const version of versions) {
                const value = version.metrics[selector.metric];
                if (typeof value !== 'number' || !Number.isFinite(value))
                    continue;
                const better = !best || (selector.goal === 'max' ? value > best.value : value < best.value);
                if (better)
                    best = { version, value };
            }
            if (!best)
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`no version of model '${name}' has a numeric metric '${selector.metric}'`);
            return best.version;
        }
    }
}
/** Applies a promotion to the alias table; returns the event to append. */
function applyPromotion(aliases, alias, version, by, reason, now) {
    const current = aliases[alias];
    const event = { at: now.toISOString(), by, action: 'promote', alias, version };
    if (current)
        event.from = current.version;
    if (reason)
        event.reason = reason;
    // Promoting the version the alias already has changes nothing a rollback would need to undo.
    const stack = current ? (current.version === version ? current.stack : [...current.stack, version]) : [version];
    aliases[alias] = { version, stack };
    return event;
}
/** Moves the alias back to the version it had before its latest promotion. */
function applyRollback(name, aliases, alias, by, reason, now) {
    const current = aliases[alias];
    if (!current)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`model '${name}' has no alias '${alias}' to roll back`);
    const stack = current.stack.slice(0, -1);
    const previous = stack.at(-1);
    if (previous === undefined)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j(`alias '${alias}' of model '${name}' has no earlier version to roll back to`);
    aliases[alias] = { version: previous, stack };
    const event = { at: now.toISOString(), by, action: 'rollback', alias, version: previous, from: current.version };
    if (reason)
        event.reason = reason;
    return event;
}
/** Who is acting: the Actions actor, else the git user, else `$USER`. */
function currentActor(cwd = process.cwd()) {
    const actor = process.env['GITHUB_ACTOR'];
    if (actor)
        return actor;
    try {
        const name = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('git', ['config', 'user.name'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
        if (name !== '')
            return name;
    }
    catch {
        // no git, or no user configured
    }
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
}
/** The commit of a checkout, when it is one (`GITHUB_SHA` on a runner). */
function currentCommit(cwd) {
    try {
        return (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || undefined;
    }
    catch {
        return process.env['GITHUB_SHA'] || undefined;
    }
}
/** Only the numeric metrics (what `best:` and the compare baseline use), plus strings for display. */
function scalarMetrics(values) {
    return Object.fromEntries(Object.entries(values).filter(([key, value]) => !key.startsWith('_') && (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')));
}


/***/ })

};
