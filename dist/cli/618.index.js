export const id = 618;
export const ids = [618];
export const modules = {

/***/ 6618:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployKubernetesFromCli: () => (/* binding */ deployKubernetesFromCli)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/util/errors.js
var errors = __webpack_require__(4478);
// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/index.js + 827 modules
var dist = __webpack_require__(1476);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./build/exec/shell.js
var shell = __webpack_require__(8137);
// EXTERNAL MODULE: ./build/deploy/model.js
var model = __webpack_require__(1343);
;// CONCATENATED MODULE: ./build/deploy/kubernetes/manifests.js





const DEFAULT_KUBERNETES_OPTIONS = {
    namespace: 'default',
    replicas: 2,
    minReplicas: 2,
    maxReplicas: 20,
    targetCpuPercent: 70,
    cpuRequest: '250m',
    memoryRequest: '256Mi',
    healthPath: '/healthz',
    fileUrls: {},
    fetchImage: 'busybox:1.36',
    canaryShare: 0.25,
    serviceType: 'ClusterIP',
};
const manifests_LABEL = {
    app: 'app.kubernetes.io/name',
    instance: 'app.kubernetes.io/instance',
    managedBy: 'app.kubernetes.io/managed-by',
    version: 'mlops.dev/model-version',
    track: 'mlops.dev/track',
};
const manifests_ANNOTATION = {
    version: 'mlops.dev/model-version',
    run: 'mlops.dev/run',
    pipeline: 'mlops.dev/pipeline',
    commit: 'mlops.dev/commit',
    files: 'mlops.dev/model-files',
    source: 'mlops.dev/source',
};
const MOUNT = '/models';
/** A DNS-1123 label: `<deployment>-<endpoint>` shortened with a hash when too long. */
function resourceName(deployment, endpoint, track = 'stable') {
    const base = `${deployment}-${endpoint}`;
    const suffix = track === 'stable' ? '' : `-${track}`;
    const max = 63 - suffix.length;
    const short = base.length <= max ? base : `${base.slice(0, max - 9)}-${(0,external_node_crypto_.createHash)('sha256').update(base).digest('hex').slice(0, 8)}`;
    return `${short}${suffix}`;
}
function fileUrl(request, name, sha256, options) {
    const url = options.fileUrls[name] ?? (options.artifactBaseUrl ? `${options.artifactBaseUrl.replace(/\/+$/, '')}/${sha256}` : undefined);
    if (!url)
        throw new errors/* ConfigurationError */.j(`no URL for model file '${name}' of ${request.endpoint.name}: set artifact-base-url (files at <url>/<sha256>) or file-urls.${name}`);
    if (!/^https?:\/\//.test(url))
        throw new errors/* ConfigurationError */.j(`model file URL must be http(s), got '${url}'`);
    return url;
}
/** Download, verify and move into place; any mismatch exits non-zero so the pod never starts. */
function fetchScript(request, options) {
    const lines = ['set -eu'];
    for (const file of request.version.files) {
        const target = external_node_path_.posix.join(MOUNT, file.path);
        const partial = `${target}.partial`;
        lines.push(`mkdir -p ${(0,shell/* shellQuote */.Z)(external_node_path_.posix.dirname(target))}`, `wget -q -O ${(0,shell/* shellQuote */.Z)(partial)} ${(0,shell/* shellQuote */.Z)(fileUrl(request, file.name, file.sha256, options))}`, `echo ${(0,shell/* shellQuote */.Z)(`${file.sha256}  ${partial}`)} | sha256sum -c -`, `mv ${(0,shell/* shellQuote */.Z)(partial)} ${(0,shell/* shellQuote */.Z)(target)}`);
    }
    return lines.join('\n');
}
function labelsFor(request, track) {
    return {
        [manifests_LABEL.app]: request.endpoint.name,
        [manifests_LABEL.instance]: request.deployment,
        [manifests_LABEL.managedBy]: 'mlops',
        [manifests_LABEL.version]: request.version.id,
        [manifests_LABEL.track]: track,
    };
}
/** The labels that select this endpoint's pods (all tracks) or one colour. */
function selectorFor(request, colour) {
    return { [manifests_LABEL.app]: request.endpoint.name, [manifests_LABEL.instance]: request.deployment, ...(colour ? { [manifests_LABEL.track]: colour } : {}) };
}
function annotationsFor(request, provenance) {
    const source = request.version.source;
    return {
        [manifests_ANNOTATION.version]: request.version.id,
        [manifests_ANNOTATION.files]: JSON.stringify(request.version.files.map((f) => ({ name: f.name, path: f.path, sha256: f.sha256, size: f.size }))),
        [manifests_ANNOTATION.source]: source.kind === 'run' ? `run ${source.runId} node ${source.node}` : `folder ${source.path}`,
        ...(provenance.runId ?? (source.kind === 'run' ? source.runId : undefined) ? { [manifests_ANNOTATION.run]: provenance.runId ?? (source.kind === 'run' ? source.runId : '') } : {}),
        ...(provenance.pipeline ?? (source.kind === 'run' ? source.pipeline : undefined) ? { [manifests_ANNOTATION.pipeline]: provenance.pipeline ?? (source.kind === 'run' ? source.pipeline : '') } : {}),
        ...(provenance.commit ?? request.version.commit ? { [manifests_ANNOTATION.commit]: provenance.commit ?? request.version.commit ?? '' } : {}),
    };
}
function deploymentManifest(request, options, track, replicas, provenance = {}) {
    const labels = labelsFor(request, track);
    const annotations = annotationsFor(request, provenance);
    const port = request.endpoint.port;
    const modelFile = request.version.files[0];
    const probe = (initialDelaySeconds, periodSeconds, failureThreshold) => ({
        httpGet: { path: options.healthPath, port: 'http' },
        initialDelaySeconds,
        periodSeconds,
        timeoutSeconds: 2,
        failureThreshold,
    });
    return {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: resourceName(request.deployment, request.endpoint.name, track), namespace: options.namespace, labels, annotations },
        spec: {
            replicas,
            revisionHistoryLimit: 5,
            selector: { matchLabels: { ...selectorFor(request), [manifests_LABEL.track]: track } },
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
            template: {
                metadata: { labels, annotations },
                spec: {
                    volumes: [{ name: 'models', emptyDir: {} }],
                    initContainers: [
                        {
                            name: 'fetch-model',
                            image: options.fetchImage,
                            command: ['/bin/sh', '-c', fetchScript(request, options)],
                            volumeMounts: [{ name: 'models', mountPath: MOUNT }],
                            resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { memory: '128Mi' } },
                        },
                    ],
                    containers: [
                        {
                            name: 'server',
                            image: request.endpoint.image,
                            command: ['/bin/sh', '-c', (0,model/* serverScript */.fj)(request.endpoint)],
                            ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
                            env: [
                                { name: 'PORT', value: String(port) },
                                { name: 'HOST', value: '0.0.0.0' },
                                { name: 'MLOPS_MODEL_DIR', value: MOUNT },
                                ...(modelFile ? [{ name: 'MODEL_PATH', value: external_node_path_.posix.join(MOUNT, modelFile.path) }] : []),
                            ],
                            volumeMounts: [{ name: 'models', mountPath: MOUNT, readOnly: true }],
                            readinessProbe: probe(2, 5, 3),
                            livenessProbe: probe(15, 10, 3),
                            resources: {
                                requests: { cpu: options.cpuRequest, memory: options.memoryRequest },
                                limits: { ...(options.cpuLimit ? { cpu: options.cpuLimit } : {}), memory: options.memoryLimit ?? options.memoryRequest },
                            },
                        },
                    ],
                },
            },
        },
    };
}
function serviceManifest(request, options, colour) {
    return {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: resourceName(request.deployment, request.endpoint.name), namespace: options.namespace, labels: selectorFor(request), annotations: { [manifests_ANNOTATION.version]: request.version.id } },
        spec: { type: options.serviceType, selector: selectorFor(request, colour), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    };
}
/** Scales on CPU between min and max replicas; scales up fast (10× demand), down slowly. */
function hpaManifest(request, options, track) {
    return {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: resourceName(request.deployment, request.endpoint.name, track), namespace: options.namespace, labels: labelsFor(request, track) },
        spec: {
            scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: resourceName(request.deployment, request.endpoint.name, track) },
            minReplicas: options.minReplicas,
            maxReplicas: options.maxReplicas,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: options.targetCpuPercent } } }],
            behavior: {
                scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }], selectPolicy: 'Max' },
                scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
            },
        },
    };
}
function pdbManifest(request, options) {
    return {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: resourceName(request.deployment, request.endpoint.name), namespace: options.namespace, labels: selectorFor(request) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selectorFor(request) } },
    };
}
function positiveInt(value, name, fallback) {
    if (value === undefined)
        return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
        throw new errors/* ConfigurationError */.j(`kubernetes ${name} must be a non-negative integer, got '${String(value)}'`);
    return n;
}
function manifests_text(value, name, fallback) {
    if (value === undefined)
        return fallback;
    if (typeof value !== 'string' || value === '')
        throw new errors/* ConfigurationError */.j(`kubernetes ${name} must be a non-empty string`);
    return value;
}
/** Options from `x-mlops.deploy-targets.<deployment>` (kebab-case keys), defaults filled in. */
function kubernetesOptions(raw) {
    const d = DEFAULT_KUBERNETES_OPTIONS;
    const replicas = positiveInt(raw['replicas'], 'replicas', d.replicas);
    const minReplicas = positiveInt(raw['min-replicas'], 'min-replicas', Math.max(1, replicas));
    const maxReplicas = positiveInt(raw['max-replicas'], 'max-replicas', Math.max(d.maxReplicas, minReplicas));
    if (maxReplicas < minReplicas)
        throw new errors/* ConfigurationError */.j(`kubernetes max-replicas (${maxReplicas}) is below min-replicas (${minReplicas})`);
    const share = raw['canary-share'] === undefined ? d.canaryShare : Number(raw['canary-share']);
    if (!(share > 0 && share < 1))
        throw new errors/* ConfigurationError */.j(`kubernetes canary-share must be between 0 and 1, got '${String(raw['canary-share'])}'`);
    const serviceType = manifests_text(raw['service-type'], 'service-type', d.serviceType);
    if (serviceType !== 'ClusterIP' && serviceType !== 'NodePort' && serviceType !== 'LoadBalancer')
        throw new errors/* ConfigurationError */.j(`kubernetes service-type must be ClusterIP, NodePort or LoadBalancer`);
    const fileUrls = {};
    const rawUrls = raw['file-urls'];
    if (rawUrls !== undefined) {
        if (typeof rawUrls !== 'object' || rawUrls === null || Array.isArray(rawUrls))
            throw new errors/* ConfigurationError */.j('kubernetes file-urls must map file names to URLs');
        for (const [name, url] of Object.entries(rawUrls))
            fileUrls[name] = manifests_text(url, `file-urls.${name}`, '');
    }
    const cpuLimit = manifests_text(raw['cpu-limit'], 'cpu-limit');
    const memoryLimit = manifests_text(raw['memory-limit'], 'memory-limit');
    const artifactBaseUrl = manifests_text(raw['artifact-base-url'], 'artifact-base-url');
    return {
        namespace: manifests_text(raw['namespace'], 'namespace', d.namespace),
        replicas,
        minReplicas,
        maxReplicas,
        targetCpuPercent: positiveInt(raw['target-cpu-percent'], 'target-cpu-percent', d.targetCpuPercent),
        cpuRequest: manifests_text(raw['cpu-request'], 'cpu-request', d.cpuRequest),
        memoryRequest: manifests_text(raw['memory-request'], 'memory-request', d.memoryRequest),
        ...(cpuLimit ? { cpuLimit } : {}),
        ...(memoryLimit ? { memoryLimit } : {}),
        healthPath: manifests_text(raw['health-path'], 'health-path', d.healthPath),
        ...(artifactBaseUrl ? { artifactBaseUrl } : {}),
        fileUrls,
        fetchImage: manifests_text(raw['fetch-image'], 'fetch-image', d.fetchImage),
        canaryShare: share,
        serviceType,
    };
}

;// CONCATENATED MODULE: ./build/deploy/kubernetes/apply.js
/**
 * Rolls a model version out to a cluster with the official client (@kubernetes/client-node 1.4):
 * create-or-replace the manifests, wait for the rollout, run the smoke test, and on failure put the
 * previous version back automatically, then report what is serving.
 *
 * Strategies:
 *   rolling     one Deployment; Kubernetes replaces pods (maxUnavailable 0, so old pods serve until new
 *               ones are ready). Failure: the previous pod template is re-applied.
 *   blue-green  two Deployments (-blue, -green); the Service selector moves to the new colour only once
 *               it is ready and has passed the smoke test (run before the switch when a preview URL is
 *               given, else after it, switching back on failure).
 *   canary      a -canary Deployment with a share of the replicas behind the same Service; `promote`
 *               moves its template to the stable Deployment, `reject` deletes it.
 */



/** Annotation on a Deployment holding the pod template it ran before the last change (for rollback). */
const PREVIOUS_TEMPLATE = 'mlops.dev/previous-template';
function kubeClients(kubeconfig, context) {
    const config = new dist/* KubeConfig */.ypW();
    try {
        config.loadFromString(kubeconfig);
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j(`cannot read the kubeconfig: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
    if (context)
        config.setCurrentContext(context);
    const cluster = config.getCurrentCluster();
    if (!cluster)
        throw new errors/* ConfigurationError */.j('the kubeconfig has no current cluster');
    return {
        apps: config.makeApiClient(dist/* AppsV1Api */.eY6),
        core: config.makeApiClient(dist/* CoreV1Api */.f5Y),
        autoscaling: config.makeApiClient(dist/* AutoscalingV2Api */.ffz),
        policy: config.makeApiClient(dist/* PolicyV1Api */.G9s),
        server: cluster.server,
    };
}
function statusMessage(body) {
    if (typeof body === 'string') {
        try {
            return statusMessage(JSON.parse(body));
        }
        catch {
            return body.slice(0, 200);
        }
    }
    const message = body?.message;
    return typeof message === 'string' ? message : '';
}
/** API failures as user-facing messages: refused credentials and missing permissions are the common ones. */
function describeKubeError(error, server) {
    if (error instanceof dist/* ApiException */.UJ4) {
        const code = error.code;
        const detail = statusMessage(error.body);
        if (code === 401)
            return new errors/* ConfigurationError */.j(`the cluster at ${server} refused the credentials (401 Unauthorized${detail ? `: ${detail}` : ''}); check the kubeconfig secret's token or certificate`);
        if (code === 403)
            return new errors/* ConfigurationError */.j(`the cluster at ${server} forbids this (403 Forbidden${detail ? `: ${detail}` : ''}); the service account needs get/create/update on deployments, services, horizontalpodautoscalers and poddisruptionbudgets`);
        return new errors/* ConfigurationError */.j(`Kubernetes API error ${code}${detail ? `: ${detail}` : ''}`);
    }
    if (error instanceof errors/* ConfigurationError */.j)
        return error;
    return new errors/* ConfigurationError */.j(`cannot reach the cluster at ${server}: ${(0,errors/* getErrorMessage */.u)(error)}`);
}
function isNotFound(error) {
    return error instanceof dist/* ApiException */.UJ4 && error.code === 404;
}
async function orUndefined(read) {
    try {
        return await read;
    }
    catch (error) {
        if (isNotFound(error))
            return undefined;
        throw error;
    }
}
function sleep(ms) {
    return new Promise((done) => setTimeout(done, ms));
}
class Rollout {
    request;
    opts;
    steps = [];
    clients;
    namespace;
    constructor(request, opts) {
        this.request = request;
        this.opts = opts;
        this.clients = kubeClients(opts.kubeconfig, opts.context);
        this.namespace = opts.options.namespace;
    }
    step(line) {
        this.steps.push(line);
        this.opts.log?.(line);
    }
    name(track = 'stable') {
        return resourceName(this.request.deployment, this.request.endpoint.name, track);
    }
    readDeployment(name) {
        return orUndefined(this.clients.apps.readNamespacedDeployment({ name, namespace: this.namespace }));
    }
    /** Create, or replace keeping the live replica count (the HPA's choice) and recording the previous template. */
    async applyDeployment(manifest, existing, keepReplicas = true) {
        const name = manifest.metadata?.name ?? '';
        if (!existing) {
            this.step(`create Deployment ${name}`);
            return this.clients.apps.createNamespacedDeployment({ namespace: this.namespace, body: manifest });
        }
        const body = {
            ...manifest,
            metadata: {
                ...manifest.metadata,
                resourceVersion: existing.metadata?.resourceVersion,
                annotations: { ...manifest.metadata?.annotations, [PREVIOUS_TEMPLATE]: JSON.stringify(existing.spec?.template) },
            },
            spec: { ...manifest.spec, replicas: keepReplicas ? (existing.spec?.replicas ?? manifest.spec?.replicas) : manifest.spec?.replicas },
        };
        this.step(`replace Deployment ${name}`);
        return this.clients.apps.replaceNamespacedDeployment({ name, namespace: this.namespace, body });
    }
    async applySupporting(track, colour, service = true) {
        const { autoscaling, policy } = this.clients;
        const namespace = this.namespace;
        const options = this.opts.options;
        if (service)
            await this.applyService(colour);
        const pdb = pdbManifest(this.request, options);
        const pdbName = pdb.metadata?.name ?? '';
        const existingPdb = await orUndefined(policy.readNamespacedPodDisruptionBudget({ name: pdbName, namespace }));
        if (existingPdb)
            await policy.replaceNamespacedPodDisruptionBudget({ name: pdbName, namespace, body: { ...pdb, metadata: { ...pdb.metadata, resourceVersion: existingPdb.metadata?.resourceVersion } } });
        else
            await policy.createNamespacedPodDisruptionBudget({ namespace, body: pdb });
        const hpa = hpaManifest(this.request, options, track);
        // One HPA per endpoint, pointed at the Deployment that takes the traffic.
        hpa.metadata = { ...hpa.metadata, name: this.name() };
        const existingHpa = await orUndefined(autoscaling.readNamespacedHorizontalPodAutoscaler({ name: this.name(), namespace }));
        if (existingHpa)
            await autoscaling.replaceNamespacedHorizontalPodAutoscaler({ name: this.name(), namespace, body: { ...hpa, metadata: { ...hpa.metadata, resourceVersion: existingHpa.metadata?.resourceVersion } } });
        else
            await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: hpa });
        this.step(`apply PodDisruptionBudget and HorizontalPodAutoscaler → ${hpa.spec?.scaleTargetRef.name ?? ''} (${options.minReplicas}..${options.maxReplicas} replicas)`);
    }
    async applyService(colour) {
        const { core } = this.clients;
        const service = serviceManifest(this.request, this.opts.options, colour);
        const name = service.metadata?.name ?? '';
        const existing = await orUndefined(core.readNamespacedService({ name, namespace: this.namespace }));
        if (existing) {
            // clusterIP is immutable: keep the one the cluster assigned.
            const body = { ...service, metadata: { ...service.metadata, resourceVersion: existing.metadata?.resourceVersion }, spec: { ...service.spec, clusterIP: existing.spec?.clusterIP } };
            await core.replaceNamespacedService({ name, namespace: this.namespace, body });
        }
        else
            await core.createNamespacedService({ namespace: this.namespace, body: service });
        this.step(`apply Service ${name}${colour ? ` → ${colour}` : ''}`);
    }
    async serviceColour() {
        const service = await orUndefined(this.clients.core.readNamespacedService({ name: this.name(), namespace: this.namespace }));
        const track = service?.spec?.selector?.[manifests_LABEL.track];
        return track === 'blue' || track === 'green' ? track : undefined;
    }
    /** Waits until the controller has seen the change and every replica is updated and available. */
    async waitRollout(name, generation, timeoutMs = this.opts.rolloutTimeoutMs ?? 300_000) {
        const deadline = Date.now() + timeoutMs;
        // Several looks within short timeouts, at most one every 2 s otherwise; the last look is at the deadline.
        const poll = this.opts.pollMs ?? Math.min(2000, Math.max(50, timeoutMs / 20));
        let last = 'no status yet';
        for (let final = false; !final;) {
            final = Date.now() >= deadline;
            const live = await this.clients.apps.readNamespacedDeployment({ name, namespace: this.namespace });
            const status = live.status ?? {};
            const want = live.spec?.replicas ?? 1;
            const seen = (status.observedGeneration ?? 0) >= (generation ?? live.metadata?.generation ?? 0);
            last = `updated ${status.updatedReplicas ?? 0}/${want}, available ${status.availableReplicas ?? 0}/${want}, total ${status.replicas ?? 0}`;
            const stalled = status.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
            if (seen && stalled)
                return `rollout of ${name} exceeded its progress deadline (${last})`;
            if (seen && (status.updatedReplicas ?? 0) === want && (status.availableReplicas ?? 0) >= want && (status.replicas ?? 0) === want) {
                this.step(`rollout of ${name} complete (${last})`);
                return undefined;
            }
            if (!final)
                await sleep(Math.min(poll, Math.max(0, deadline - Date.now())));
        }
        return `rollout of ${name} not ready within ${Math.round(timeoutMs / 1000)} s (${last})`;
    }
    async smoke(url) {
        const smoke = this.opts.smoke;
        if (!smoke)
            return undefined;
        const target = url ?? smoke.url;
        const started = performance.now();
        let status;
        try {
            const response = await fetch(target, {
                method: smoke.method ?? (smoke.body ? 'POST' : 'GET'),
                ...(smoke.body !== undefined ? { body: smoke.body } : {}),
                headers: { ...(smoke.body !== undefined ? { 'content-type': 'application/json' } : {}), ...smoke.headers },
                signal: AbortSignal.timeout(Math.max(smoke.maxLatencyMs * 5, 5000)),
            });
            await response.arrayBuffer();
            status = response.status;
        }
        catch (error) {
            return `smoke test ${target} failed: ${(0,errors/* getErrorMessage */.u)(error)}`;
        }
        const ms = performance.now() - started;
        if (status !== smoke.expectedStatus)
            return `smoke test ${target} answered ${status}, expected ${smoke.expectedStatus}`;
        if (ms > smoke.maxLatencyMs)
            return `smoke test ${target} took ${ms.toFixed(0)} ms, above the ${smoke.maxLatencyMs} ms limit`;
        this.step(`smoke test ${target}: ${status} in ${ms.toFixed(0)} ms`);
        return undefined;
    }
    servingVersion(deployment) {
        return deployment?.spec?.template.metadata?.annotations?.[manifests_ANNOTATION.version];
    }
    result(ok, outcome, summary, serving) {
        return { ok, outcome, strategy: this.request.strategy, ...(serving ? { serving } : {}), summary, steps: this.steps };
    }
    /** Puts `template` back on Deployment `name` and waits for it; returns an error text when that fails too. */
    async restore(name, template) {
        const live = await this.clients.apps.readNamespacedDeployment({ name, namespace: this.namespace });
        this.step(`roll back ${name} to model ${template.metadata?.annotations?.[manifests_ANNOTATION.version] ?? '?'}`);
        const replaced = await this.clients.apps.replaceNamespacedDeployment({
            name,
            namespace: this.namespace,
            body: { ...live, metadata: { ...live.metadata, annotations: { ...live.metadata?.annotations, [manifests_ANNOTATION.version]: template.metadata?.annotations?.[manifests_ANNOTATION.version] ?? '' } }, spec: { ...live.spec, template }, status: undefined },
        });
        return this.waitRollout(name, replaced.metadata?.generation);
    }
}
async function rolling(r) {
    const { request, opts } = r;
    const name = r.name();
    const existing = await r.readDeployment(name);
    const previous = existing?.spec?.template;
    const previousVersion = r.servingVersion(existing);
    await r.applySupporting('stable');
    const applied = await r.applyDeployment(deploymentManifest(request, opts.options, 'stable', opts.options.replicas, opts.provenance), existing);
    const failure = (await r.waitRollout(name, applied.metadata?.generation)) ?? (await r.smoke());
    if (!failure)
        return r.result(true, 'deployed', `model ${request.version.id} deployed to ${opts.options.namespace}/${name} (rolling)`, request.version.id);
    if (!previous) {
        return r.result(false, 'failed', `deploy of model ${request.version.id} failed: ${failure}. There was no previous version to fall back to.`, undefined);
    }
    const restoreFailure = await r.restore(name, previous);
    return r.result(false, restoreFailure ? 'failed' : 'rolled-back', `deploy of model ${request.version.id} failed: ${failure}. ${restoreFailure ? `Rolling back to ${previousVersion ?? 'the previous version'} also failed: ${restoreFailure}` : `Rolled back automatically: model ${previousVersion ?? '?'} is serving.`}`, restoreFailure ? undefined : previousVersion);
}
async function blueGreen(r) {
    const { request, opts } = r;
    const current = await r.serviceColour();
    const next = current === 'blue' ? 'green' : 'blue';
    const currentDeployment = current ? await r.readDeployment(r.name(current)) : undefined;
    const currentVersion = r.servingVersion(currentDeployment);
    const name = r.name(next);
    const existing = await r.readDeployment(name);
    const applied = await r.applyDeployment(deploymentManifest(request, opts.options, next, opts.options.replicas, opts.provenance), existing, false);
    const notReady = await r.waitRollout(name, applied.metadata?.generation);
    const earlySmoke = notReady ? undefined : opts.smoke?.previewUrl ? await r.smoke(opts.smoke.previewUrl) : undefined;
    const before = notReady ?? earlySmoke;
    if (before) {
        return r.result(false, current ? 'rolled-back' : 'failed', `deploy of model ${request.version.id} (${next}) failed: ${before}. The Service was not switched${current ? `: ${current} (model ${currentVersion ?? '?'}) keeps serving` : ''}.`, currentVersion);
    }
    await r.applySupporting(next, next);
    const after = opts.smoke?.previewUrl ? undefined : await r.smoke();
    if (after) {
        if (current)
            await r.applyService(current);
        return r.result(false, current ? 'rolled-back' : 'failed', `deploy of model ${request.version.id} (${next}) failed: ${after}. ${current ? `The Service was switched back to ${current} (model ${currentVersion ?? '?'}).` : 'There was no previous colour to switch back to.'}`, current ? currentVersion : undefined);
    }
    return r.result(true, 'deployed', `model ${request.version.id} serving from ${next}${current ? ` (${current} kept for rollback)` : ''}`, request.version.id);
}
async function canary(r) {
    const { request, opts } = r;
    const stable = await r.readDeployment(r.name());
    if (!stable) {
        r.step('no stable Deployment yet: the first version is deployed rolling');
        return rolling(r);
    }
    const stableReplicas = stable.spec?.replicas ?? opts.options.replicas;
    const share = opts.options.canaryShare;
    const replicas = Math.max(1, Math.round((share * stableReplicas) / (1 - share)));
    const name = r.name('canary');
    const existing = await r.readDeployment(name);
    const applied = await r.applyDeployment(deploymentManifest(request, opts.options, 'canary', replicas, opts.provenance), existing, false);
    const failure = (await r.waitRollout(name, applied.metadata?.generation)) ?? (await r.smoke(opts.smoke?.previewUrl));
    const stableVersion = r.servingVersion(stable);
    if (failure) {
        await r.clients.apps.deleteNamespacedDeployment({ name, namespace: r.namespace });
        r.step(`delete Deployment ${name}`);
        return r.result(false, 'rolled-back', `canary of model ${request.version.id} failed: ${failure}. The canary was removed; model ${stableVersion ?? '?'} keeps serving.`, stableVersion);
    }
    return r.result(true, 'canary', `canary of model ${request.version.id}: ${replicas} replica(s) beside ${stableReplicas} stable (model ${stableVersion ?? '?'}); promote or reject it`, stableVersion);
}
async function deployToKubernetes(request, opts) {
    const r = new Rollout(request, opts);
    try {
        if (request.strategy === 'blue-green')
            return await blueGreen(r);
        if (request.strategy === 'canary')
            return await canary(r);
        return await rolling(r);
    }
    catch (error) {
        throw describeKubeError(error, r.clients.server);
    }
}
/** Canary verdict: `promote` gives its template to the stable Deployment (rolling, with fallback); `reject` deletes it. */
async function finishCanary(request, opts, verdict) {
    const r = new Rollout(request, opts);
    try {
        const name = r.name('canary');
        const canaryDeployment = await r.readDeployment(name);
        if (!canaryDeployment?.spec)
            throw new ConfigurationError(`no canary ${opts.options.namespace}/${name} to ${verdict}`);
        const stableName = r.name();
        const stable = await r.readDeployment(stableName);
        if (verdict === 'reject' || !stable?.spec) {
            await r.clients.apps.deleteNamespacedDeployment({ name, namespace: r.namespace });
            r.step(`delete Deployment ${name}`);
            return r.result(verdict === 'reject', verdict === 'reject' ? 'rolled-back' : 'failed', verdict === 'reject' ? `canary rejected; model ${r.servingVersion(stable) ?? '?'} keeps serving` : 'no stable Deployment to promote into', r.servingVersion(stable));
        }
        const previous = stable.spec.template;
        const promoted = canaryDeployment.spec.template;
        const template = { ...promoted, metadata: { ...promoted.metadata, labels: { ...promoted.metadata?.labels, [LABEL.track]: 'stable' } } };
        const version = template.metadata?.annotations?.[ANNOTATION.version];
        const replaced = await r.clients.apps.replaceNamespacedDeployment({
            name: stableName,
            namespace: r.namespace,
            body: { ...stable, metadata: { ...stable.metadata, annotations: { ...stable.metadata?.annotations, [ANNOTATION.version]: version ?? '', [PREVIOUS_TEMPLATE]: JSON.stringify(previous) } }, spec: { ...stable.spec, template }, status: undefined },
        });
        r.step(`promote canary model ${version ?? '?'} into ${stableName}`);
        const failure = (await r.waitRollout(stableName, replaced.metadata?.generation)) ?? (await r.smoke());
        await r.clients.apps.deleteNamespacedDeployment({ name, namespace: r.namespace });
        r.step(`delete Deployment ${name}`);
        if (!failure)
            return r.result(true, 'deployed', `canary model ${version ?? '?'} promoted to ${stableName}`, version);
        const restoreFailure = await r.restore(stableName, previous);
        const before = previous.metadata?.annotations?.[ANNOTATION.version];
        return r.result(false, restoreFailure ? 'failed' : 'rolled-back', `promotion failed: ${failure}. ${restoreFailure ? `Rollback failed too: ${restoreFailure}` : `Rolled back: model ${before ?? '?'} is serving.`}`, restoreFailure ? undefined : before);
    }
    catch (error) {
        throw describeKubeError(error, r.clients.server);
    }
}
/** Manual rollback: re-applies the pod template recorded before the last change (rolling), or switches blue-green back. */
async function rollbackKubernetes(request, opts) {
    const r = new Rollout(request, opts);
    try {
        if (request.strategy === 'blue-green') {
            const current = await r.serviceColour();
            const other = current === 'blue' ? 'green' : 'blue';
            const standby = await r.readDeployment(r.name(other));
            if (!current || !standby)
                throw new ConfigurationError('no previous colour to switch back to');
            const failure = await r.waitRollout(r.name(other), standby.metadata?.generation, opts.rolloutTimeoutMs);
            if (failure)
                return r.result(false, 'failed', `cannot switch back to ${other}: ${failure}`, r.servingVersion(await r.readDeployment(r.name(current))));
            await r.applyService(other);
            return r.result(true, 'rolled-back', `Service switched back to ${other} (model ${r.servingVersion(standby) ?? '?'})`, r.servingVersion(standby));
        }
        const name = r.name();
        const live = await r.readDeployment(name);
        const recorded = live?.metadata?.annotations?.[PREVIOUS_TEMPLATE];
        if (!live || !recorded)
            throw new ConfigurationError(`${opts.options.namespace}/${name} has no recorded previous version`);
        const previous = JSON.parse(recorded);
        const failure = await r.restore(name, previous);
        const version = previous.metadata?.annotations?.[ANNOTATION.version];
        return r.result(!failure, failure ? 'failed' : 'rolled-back', failure ? `rollback failed: ${failure}` : `rolled back to model ${version ?? '?'}`, failure ? undefined : version);
    }
    catch (error) {
        throw describeKubeError(error, r.clients.server);
    }
}

;// CONCATENATED MODULE: ./build/deploy/kubernetes/cli.js
/** `mlops deploy --target kubernetes`: the same rollout as the action, from a workstation or a script. */






async function deployKubernetesFromCli(resolved, json, cli = {}) {
    const path = cli.kubeconfigPath ?? process.env['KUBECONFIG']?.split(':')[0] ?? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.kube', 'config');
    let kubeconfig;
    try {
        kubeconfig = await (0,promises_.readFile)(path, 'utf8');
    }
    catch (error) {
        throw new errors/* ConfigurationError */.j(`cannot read the kubeconfig ${path}: ${(0,errors/* getErrorMessage */.u)(error)}`);
    }
    const target = { ...resolved.request.target.options, ...(cli.namespace ? { namespace: cli.namespace } : {}) };
    const source = resolved.request.version.source;
    const result = await deployToKubernetes(resolved.request, {
        kubeconfig,
        options: kubernetesOptions(target),
        provenance: source.kind === 'run' ? { runId: source.runId, pipeline: source.pipeline } : {},
        ...(cli.smoke ? { smoke: cli.smoke } : {}),
        ...(cli.rolloutTimeoutSeconds ? { rolloutTimeoutMs: cli.rolloutTimeoutSeconds * 1000 } : {}),
        log: json ? undefined : (line) => process.stdout.write(`  ${line}\n`),
    });
    if (json)
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else
        process.stdout.write(`${result.ok ? '' : 'deploy failed: '}${result.summary}\n`);
    return result.ok ? 0 : 1;
}


/***/ })

};
