export const id = 269;
export const ids = [269];
export const modules = {

/***/ 4269:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  command: () => (/* binding */ command)
});

// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./build/github/client.js
var client = __webpack_require__(4463);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
;// CONCATENATED MODULE: ./build/registry/dispatch.js

/** `owner/repo` → its parts. */
function parseRepository(text) {
    const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text.trim());
    if (!match?.[1] || !match[2])
        throw new errors/* ConfigurationError */.j(`'${text}' is not a repository (owner/name)`);
    return { owner: match[1], repo: match[2] };
}
async function dispatch(octokit, request) {
    if (request.kind === 'repository') {
        if (request.eventType === '' || request.eventType.length > 100)
            throw new errors/* ConfigurationError */.j('the event type must be 1 to 100 characters');
        // GitHub allows at most 10 top-level keys in client_payload.
        if (request.payload && Object.keys(request.payload).length > 10)
            throw new errors/* ConfigurationError */.j('client_payload may have at most 10 top-level keys');
        await octokit.rest.repos.createDispatchEvent({
            owner: request.owner,
            repo: request.repo,
            event_type: request.eventType,
            ...(request.payload ? { client_payload: request.payload } : {}),
        });
        return;
    }
    await octokit.rest.actions.createWorkflowDispatch({
        owner: request.owner,
        repo: request.repo,
        workflow_id: request.workflow,
        ref: request.ref,
        ...(request.inputs ? { inputs: request.inputs } : {}),
    });
}

;// CONCATENATED MODULE: ./build/cli/commands/trigger.js




const usage = `Usage: mlops trigger --repo OWNER/NAME (--event-type TYPE [--payload JSON] | --workflow FILE [--ref REF] [--input NAME=VALUE]...)

Starts training on GitHub: a repository_dispatch event (POST /repos/{owner}/{repo}/dispatches) that
workflows with \`on: repository_dispatch: types: [TYPE]\` react to, or a workflow_dispatch of one
workflow file on a ref. The token comes from GITHUB_TOKEN or GH_TOKEN (needs contents: write for
repository_dispatch, actions: write for workflow_dispatch).

Options:
  --repo OWNER/NAME   the repository (default: GITHUB_REPOSITORY)
  --event-type TYPE   repository_dispatch event type, e.g. retrain
  --payload JSON      client_payload object (at most 10 top-level keys)
  --workflow FILE     workflow file name or id, e.g. mlops-pipeline.yml
  --ref REF           branch or tag for workflow_dispatch (default: main)
  --input NAME=VALUE  a workflow_dispatch input (repeatable)
  --api-url URL       the REST API (default: GITHUB_API_URL or https://api.github.com)`;
const command = {
    summary: 'start training on GitHub (repository_dispatch or workflow_dispatch)',
    usage,
    async run(argv) {
        const { values, positionals } = (0,external_node_util_.parseArgs)({
            args: argv,
            options: {
                repo: { type: 'string' },
                'event-type': { type: 'string' },
                payload: { type: 'string' },
                workflow: { type: 'string' },
                ref: { type: 'string', default: 'main' },
                input: { type: 'string', multiple: true, default: [] },
                'api-url': { type: 'string' },
            },
            allowPositionals: true,
        });
        if (positionals.length > 0)
            throw new errors/* ConfigurationError */.j(`trigger takes no arguments.\n${usage}`);
        const repository = values.repo ?? process.env['GITHUB_REPOSITORY'];
        if (!repository)
            throw new errors/* ConfigurationError */.j('give --repo OWNER/NAME');
        const { owner, repo } = parseRepository(repository);
        const token = process.env['GITHUB_TOKEN'] || process.env['GH_TOKEN'];
        if (!token)
            throw new errors/* ConfigurationError */.j('set GITHUB_TOKEN (or GH_TOKEN) to a token that may dispatch workflows');
        if ((values['event-type'] === undefined) === (values.workflow === undefined))
            throw new errors/* ConfigurationError */.j(`give --event-type or --workflow.\n${usage}`);
        let request;
        if (values['event-type'] !== undefined) {
            request = { kind: 'repository', owner, repo, eventType: values['event-type'] };
            if (values.payload !== undefined) {
                let payload;
                try {
                    payload = JSON.parse(values.payload);
                }
                catch (error) {
                    throw new errors/* ConfigurationError */.j(`--payload is not JSON: ${(0,errors/* getErrorMessage */.u)(error)}`);
                }
                if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
                    throw new errors/* ConfigurationError */.j('--payload must be a JSON object');
                request.payload = payload;
            }
        }
        else {
            const inputs = {};
            for (const item of values.input) {
                const eq = item.indexOf('=');
                if (eq <= 0)
                    throw new errors/* ConfigurationError */.j(`--input expects NAME=VALUE, got ${JSON.stringify(item)}`);
                inputs[item.slice(0, eq)] = item.slice(eq + 1);
            }
            request = { kind: 'workflow', owner, repo, workflow: values.workflow ?? '', ref: values.ref, ...(values.input.length > 0 ? { inputs } : {}) };
        }
        const baseUrl = values['api-url'] ?? process.env['GITHUB_API_URL'];
        const octokit = (0,client/* createGitHubClient */.LX)({ token, ...(baseUrl ? { baseUrl } : {}), log: (m) => process.stderr.write(`${m}\n`) });
        try {
            await dispatch(octokit, request);
        }
        catch (error) {
            if (error instanceof errors/* ConfigurationError */.j)
                throw error;
            throw new errors/* ConfigurationError */.j(`GitHub refused the dispatch: ${(0,errors/* getErrorMessage */.u)(error)}`);
        }
        process.stdout.write(request.kind === 'repository' ? `dispatched repository_dispatch '${request.eventType}' to ${owner}/${repo}\n` : `dispatched workflow ${request.workflow} on ${request.ref} of ${owner}/${repo}\n`);
        return 0;
    },
};


/***/ }),

/***/ 4463:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LX: () => (/* binding */ createGitHubClient)
/* harmony export */ });
/* unused harmony exports defaultRetryPolicy, httpFailure, rateLimitDelay, RateLimitError */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6421);
/* harmony import */ var _octokit_rest__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(891);
/**
 * The Octokit client used by the report (and anything else that talks to the GitHub REST API):
 * bounded retries on rate limits, and a token that is masked in Actions logs and never printed.
 */


const defaultRetryPolicy = {
    retries: 3,
    backoffMs: (attempt) => 1000 * 2 ** (attempt - 1),
    maxDelayMs: 60_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
function httpFailure(error) {
    if (typeof error !== 'object' || error === null || !('status' in error) || typeof error.status !== 'number')
        return undefined;
    const response = 'response' in error && typeof error.response === 'object' && error.response !== null ? error.response : undefined;
    const rawHeaders = response && 'headers' in response && typeof response.headers === 'object' && response.headers !== null ? response.headers : {};
    const headers = {};
    for (const [key, value] of Object.entries(rawHeaders)) {
        if (typeof value === 'string' || typeof value === 'number')
            headers[key.toLowerCase()] = value;
    }
    const message = error instanceof Error ? error.message : `HTTP ${error.status}`;
    return { status: error.status, headers, message };
}
/**
 * How long GitHub asks us to wait, when the failure is a rate limit; undefined when it is not one.
 * Primary limit: 403/429 with `x-ratelimit-remaining: 0` (wait until `x-ratelimit-reset`). Secondary
 * limit: 403/429 with `retry-after` seconds, or a 429 without headers (exponential backoff).
 */
function rateLimitDelay(failure, attempt, policy, now) {
    if (failure.status !== 403 && failure.status !== 429)
        return undefined;
    const retryAfter = Number(failure.headers['retry-after']);
    if (failure.headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
        return Math.max(0, retryAfter * 1000);
    if (String(failure.headers['x-ratelimit-remaining']) === '0') {
        const reset = Number(failure.headers['x-ratelimit-reset']);
        return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : policy.backoffMs(attempt);
    }
    // A 403 without rate-limit headers is a permission problem, not something a retry fixes.
    if (failure.status === 429)
        return policy.backoffMs(attempt);
    return undefined;
}
/** Thrown when the retries are spent: says what was asked, how often it was tried, and what to do. */
class RateLimitError extends Error {
    name = 'RateLimitError';
}
/** An Octokit whose every request (including pages of `paginate`) retries rate limits within bounds. */
function createGitHubClient(options) {
    if (options.token === '')
        throw new Error('a GitHub token is required');
    // `::add-mask::` makes the runner redact the value; outside Actions it would only echo the token.
    if (process.env['GITHUB_ACTIONS'] === 'true')
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(options.token);
    const policy = { ...defaultRetryPolicy, ...options.retry };
    const log = options.log ?? ((message) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(message));
    const octokit = new _octokit_rest__WEBPACK_IMPORTED_MODULE_1__/* .Octokit */ .E({
        auth: options.token,
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        userAgent: 'mlops-actions',
        // Octokit logs deprecation warnings (kept) and every failed request (dropped: failures are thrown
        // and reported once by the caller, and retries are logged below).
        log: { debug: () => undefined, info: () => undefined, warn: (message) => log(message), error: () => undefined },
    });
    octokit.hook.wrap('request', async (request, requestOptions) => {
        for (let attempt = 1;; attempt++) {
            try {
                return await request(requestOptions);
            }
            catch (error) {
                const failure = httpFailure(error);
                const delay = failure ? rateLimitDelay(failure, attempt, policy, Date.now()) : undefined;
                if (failure === undefined || delay === undefined)
                    throw error;
                const what = `${requestOptions.method} ${String(requestOptions.url)}`;
                if (attempt > policy.retries || delay > policy.maxDelayMs) {
                    const resetAt = Number(failure.headers['x-ratelimit-reset']);
                    const when = Number.isFinite(resetAt) ? ` The limit resets at ${new Date(resetAt * 1000).toISOString()}.` : '';
                    throw new RateLimitError(`GitHub API rate limit hit on ${what} (HTTP ${failure.status}: ${failure.message}); gave up after ${attempt - 1} ${attempt - 1 === 1 ? 'retry' : 'retries'}.${when} Re-run the job later, or spread the jobs that call the API.`);
                }
                log(`GitHub API rate limit on ${what} (HTTP ${failure.status}); retry ${attempt} of ${policy.retries} in ${Math.ceil(delay / 1000)} s`);
                await policy.sleep(delay);
            }
        }
    });
    return octokit;
}


/***/ })

};
