/**
 * A local Kubernetes API server for tests: the REST endpoints @kubernetes/client-node calls for
 * deployments, services, horizontalpodautoscalers and poddisruptionbudgets (GET/POST/PUT/DELETE), with
 * bearer-token auth, resourceVersion conflicts, `Status` error bodies, and a simulated Deployment
 * controller. Every object written is validated with kubernetes-models (the published schemas), and so
 * is every object returned, so the client under test sees API-shaped data.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';

type Json = Record<string, unknown>;

interface Kind {
  apiVersion: string;
  kind: string;
  validate: (body: Json) => void;
}

const KINDS: Record<string, Kind> = {
  'apis/apps/v1/deployments': { apiVersion: 'apps/v1', kind: 'Deployment', validate: (b) => new Deployment(b as ConstructorParameters<typeof Deployment>[0]).validate() },
  'api/v1/services': { apiVersion: 'v1', kind: 'Service', validate: (b) => new Service(b as ConstructorParameters<typeof Service>[0]).validate() },
  'apis/autoscaling/v2/horizontalpodautoscalers': {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    validate: (b) => new HorizontalPodAutoscaler(b as ConstructorParameters<typeof HorizontalPodAutoscaler>[0]).validate(),
  },
  'apis/policy/v1/poddisruptionbudgets': { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', validate: (b) => new PodDisruptionBudget(b as ConstructorParameters<typeof PodDisruptionBudget>[0]).validate() },
};

const ROUTE = /^\/(apis\/apps\/v1|api\/v1|apis\/autoscaling\/v2|apis\/policy\/v1)\/namespaces\/([a-z0-9-]+)\/([a-z]+)(?:\/([a-z0-9.-]+))?$/;

export interface RecordedCall {
  method: string;
  path: string;
}

/** Whether the pods of a Deployment ever become ready; decided per test from the object. */
export type Readiness = (deployment: Json) => boolean;

export function templateVersion(deployment: Json): string | undefined {
  const spec = deployment['spec'] as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined;
  return spec?.template?.metadata?.annotations?.['mlops.dev/model-version'];
}

export class FakeKubeApi {
  readonly token = `test-token-${randomUUID()}`;
  readonly objects = new Map<string, Json>();
  readonly calls: RecordedCall[] = [];
  /** Bodies that failed schema validation (requests) — tests assert this stays empty. */
  readonly invalid: string[] = [];
  readiness: Readiness = () => true;
  /** Controller delay before a rollout's status changes. */
  controllerDelayMs = 30;
  private server: Server | undefined;
  private revision = 1;
  url = '';

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => this.status(res, 500, 'InternalError', String(error)));
    });
    this.server = server;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    const address = server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  kubeconfig(token = this.token): string {
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: fake\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`, // plain HTTP on loopback: client-node allows it only with this flag
      'users:',
      `- name: ci\n  user:\n    token: ${token}`,
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: ci\n    namespace: ml',
      'current-context: fake',
    ].join('\n');
  }

  get(collection: string, namespace: string, name: string): Json | undefined {
    return this.objects.get(`${collection}/${namespace}/${name}`);
  }

  /** The model version a Deployment's ready pods run: what users of the Service get from it. */
  readyVersion(namespace: string, name: string): string | undefined {
    const deployment = this.get('deployments', namespace, name);
    return deployment ? (deployment['mlopsReadyVersion'] as string | undefined) : undefined;
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private send(res: ServerResponse, code: number, object: Json, collectionKey: string): void {
    const { mlopsReadyVersion: _hidden, ...visible } = object;
    try {
      KINDS[collectionKey]?.validate(visible);
    } catch (error) {
      this.invalid.push(`response ${collectionKey}: ${String(error)}`);
    }
    const body = JSON.stringify(visible);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.calls.push({ method: req.method ?? '', path: url.pathname });
    if (req.headers.authorization !== `Bearer ${this.token}`) return this.status(res, 401, 'Unauthorized', 'Unauthorized');
    const match = ROUTE.exec(url.pathname);
    const [, group = '', namespace = '', collection = '', name] = match ?? [];
    const collectionKey = `${group}/${collection}`;
    const kind = KINDS[collectionKey];
    if (!match || !kind) return this.status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const key = `${collection}/${namespace}/${name ?? ''}`;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json) : undefined;

    if (req.method === 'GET' && name) {
      const object = this.objects.get(key);
      if (!object) return this.status(res, 404, 'NotFound', `${collection} "${name}" not found`);
      return this.send(res, 200, object, collectionKey);
    }
    if (req.method === 'DELETE' && name) {
      const object = this.objects.get(key);
      if (!object) return this.status(res, 404, 'NotFound', `${collection} "${name}" not found`);
      this.objects.delete(key);
      const status = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: collection } });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(status);
      return;
    }
    if ((req.method === 'POST' && !name) || (req.method === 'PUT' && name)) {
      if (!body) return this.status(res, 400, 'BadRequest', 'no body');
      try {
        kind.validate(body);
      } catch (error) {
        this.invalid.push(`request ${req.method} ${url.pathname}: ${String(error)}`);
        return this.status(res, 422, 'Invalid', `${kind.kind} is invalid: ${String(error)}`);
      }
      const metadata = (body['metadata'] ?? {}) as Json;
      const objectName = (name ?? metadata['name']) as string;
      const objectKey = `${collection}/${namespace}/${objectName}`;
      const existing = this.objects.get(objectKey);
      if (req.method === 'POST' && existing) return this.status(res, 409, 'AlreadyExists', `${collection} "${objectName}" already exists`);
      if (req.method === 'PUT' && !existing) return this.status(res, 404, 'NotFound', `${collection} "${objectName}" not found`);
      const existingMeta = (existing?.['metadata'] ?? {}) as Json;
      if (req.method === 'PUT' && metadata['resourceVersion'] !== undefined && metadata['resourceVersion'] !== existingMeta['resourceVersion']) {
        return this.status(res, 409, 'Conflict', `Operation cannot be fulfilled on ${collection} "${objectName}": the object has been modified`);
      }
      const specChanged = JSON.stringify(existing?.['spec']) !== JSON.stringify(body['spec']);
      const generation = ((existingMeta['generation'] as number | undefined) ?? 0) + (existing && !specChanged ? 0 : 1);
      const stored: Json = {
        ...body,
        apiVersion: kind.apiVersion,
        kind: kind.kind,
        metadata: {
          ...metadata,
          name: objectName,
          namespace,
          uid: (existingMeta['uid'] as string | undefined) ?? randomUUID(),
          resourceVersion: String(++this.revision),
          generation,
          creationTimestamp: (existingMeta['creationTimestamp'] as string | undefined) ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        },
      };
      if (collection === 'deployments') {
        stored['status'] = existing?.['status'] ?? { observedGeneration: 0, replicas: 0, updatedReplicas: 0, availableReplicas: 0, readyReplicas: 0 };
        stored['mlopsReadyVersion'] = existing?.['mlopsReadyVersion'];
        if (collection === 'deployments') this.scheduleController(objectKey, generation);
      }
      if (collection === 'services') {
        const spec = (stored['spec'] ?? {}) as Json;
        const existingSpec = (existing?.['spec'] ?? {}) as Json;
        stored['spec'] = { ...spec, clusterIP: spec['clusterIP'] ?? existingSpec['clusterIP'] ?? '10.96.0.10' };
      }
      this.objects.set(objectKey, stored);
      return this.send(res, req.method === 'POST' ? 201 : 200, stored, collectionKey);
    }
    return this.status(res, 405, 'MethodNotAllowed', `${req.method ?? ''} not supported here`);
  }

  /** The Deployment controller: after a delay, the new pods become ready, or never do (old ones stay). */
  private scheduleController(key: string, generation: number): void {
    setTimeout(() => {
      const object = this.objects.get(key);
      if (!object || (object['metadata'] as Json)['generation'] !== generation) return;
      const spec = object['spec'] as { replicas?: number };
      const want = spec.replicas ?? 1;
      const previous = (object['status'] ?? {}) as { availableReplicas?: number };
      if (this.readiness(object)) {
        object['status'] = { observedGeneration: generation, replicas: want, updatedReplicas: want, readyReplicas: want, availableReplicas: want, conditions: [{ type: 'Available', status: 'True' }] };
        object['mlopsReadyVersion'] = templateVersion(object);
      } else {
        // maxUnavailable 0: one surge pod that never gets ready; the old pods keep serving.
        const old = Math.min(previous.availableReplicas ?? 0, want);
        object['status'] = { observedGeneration: generation, replicas: old + 1, updatedReplicas: 1, readyReplicas: old, availableReplicas: old, unavailableReplicas: 1 };
      }
      object['metadata'] = { ...(object['metadata'] as Json), resourceVersion: String(++this.revision) };
    }, this.controllerDelayMs);
  }
}
