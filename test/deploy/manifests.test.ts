import { describe, expect, test } from 'vitest';
import { canarySplit, describeCanarySplit } from '../../src/deploy/kubernetes/canary.js';
import { planManifests } from '../../src/deploy/kubernetes/dry-run.js';
import {
  ANNOTATION,
  deploymentManifest,
  hpaManifest,
  kubernetesOptions,
  LABEL,
  pdbManifest,
  previewServiceManifest,
  resourceName,
  serviceManifest,
  type Track,
} from '../../src/deploy/kubernetes/manifests.js';
import { modelContentHash } from '../../src/deploy/kubernetes/model-image.js';
import { validateManifest } from '../../src/deploy/kubernetes/validate.js';
import { serverScript, type DeployRequest } from '../../src/deploy/model.js';
import { sampleRequest } from './helpers.js';

const SERVER = `ghcr.io/acme/digits/server@sha256:${'b'.repeat(64)}`;
const options = kubernetesOptions({ namespace: 'ml', 'model-image-repository': 'ghcr.io/acme/digits/models', image: SERVER, 'memory-limit': '512Mi', 'cpu-limit': '1' });

function withEndpoint(request: DeployRequest, endpoint: Partial<DeployRequest['endpoint']>): DeployRequest {
  return { ...request, endpoint: { ...request.endpoint, ...endpoint } };
}

describe('kubernetes manifests: pods an operator accepts', () => {
  test.each<Track>(['stable', 'blue', 'green', 'canary'])('the %s Deployment is valid, restricted, probed and drained', (track) => {
    const manifest = deploymentManifest(sampleRequest(), options, track, 3);
    expect(() => validateManifest(manifest)).not.toThrow();
    const pod = manifest.spec?.template.spec;
    const server = pod?.containers[0];
    // The restricted Pod Security profile, pod and containers.
    expect(pod?.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(container.securityContext?.runAsUser).toBeGreaterThan(0);
    }
    expect(pod?.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
    expect(server?.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    // Startup, readiness and liveness probes on the health path.
    expect(server?.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 60 });
    expect(server?.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(server?.livenessProbe?.httpGet?.path).toBe('/healthz');
    // preStop sleep, then SIGTERM with time left to finish.
    expect(server?.lifecycle?.preStop?.exec?.command).toEqual(['/bin/sh', '-c', 'sleep 5']);
    expect(pod?.terminationGracePeriodSeconds).toBe(30);
    expect(server?.resources?.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(server?.resources?.limits).toEqual({ cpu: '1', memory: '512Mi' });
    expect(server?.env).toContainEqual({ name: 'MODEL_PATH', value: '/models/model.json' });
    expect(server?.env).toContainEqual({ name: 'HOST', value: '0.0.0.0' });
    expect(server?.image).toBe(SERVER);
    // Recommended labels, on the Deployment and its pods; the selector stays the immutable subset.
    for (const labels of [manifest.metadata?.labels, manifest.spec?.template.metadata?.labels]) {
      expect(labels).toMatchObject({
        'app.kubernetes.io/name': 'predict-digit',
        'app.kubernetes.io/instance': 'digits',
        'app.kubernetes.io/version': 'abc123def456',
        'app.kubernetes.io/component': 'model-server',
        'app.kubernetes.io/part-of': 'digits',
        'app.kubernetes.io/managed-by': 'mlops',
        [LABEL.track]: track,
      });
    }
    expect(manifest.spec?.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'predict-digit', 'app.kubernetes.io/instance': 'digits', 'mlops.dev/track': track });
    expect(manifest.metadata?.annotations).toMatchObject({
      [ANNOTATION.version]: 'abc123def456',
      [ANNOTATION.run]: '20261125T100000000Z-abcdef',
      [ANNOTATION.pipeline]: 'train-and-deploy',
      [ANNOTATION.commit]: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  test('the model comes from its image, tagged by content hash, pulled only when missing, and checked file by file', () => {
    const request = sampleRequest();
    const init = deploymentManifest(request, options, 'stable', 1).spec?.template.spec?.initContainers?.[0];
    const hash = modelContentHash(request.version.files);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash.slice(0, 12)).not.toBe('');
    expect(init?.image).toBe(`ghcr.io/acme/digits/models:${hash}`);
    expect(init?.imagePullPolicy).toBe('IfNotPresent');
    const script = init?.command?.[2] ?? '';
    expect(script).toContain('cp /models/model.json /mnt/models/model.json.partial');
    expect(script).toContain(`[ "$actual" = ${'a'.repeat(64)} ]`);
    expect(init?.volumeMounts).toEqual([{ name: 'models', mountPath: '/mnt/models' }]);
    // A published image (the digest the workflow pushed) is used as it is.
    const published = kubernetesOptions({ image: SERVER, 'model-image': `ghcr.io/acme/digits/models@sha256:${'c'.repeat(64)}` });
    expect(deploymentManifest(request, published, 'stable', 1).spec?.template.spec?.initContainers?.[0]?.image).toBe(`ghcr.io/acme/digits/models@sha256:${'c'.repeat(64)}`);
  });

  test('without a model image, files come from content-addressed URLs, each checked', () => {
    const byUrl = kubernetesOptions({ image: SERVER, 'artifact-base-url': 'https://artifacts.example.com/sha256/' });
    const script = deploymentManifest(sampleRequest(), byUrl, 'stable', 1).spec?.template.spec?.initContainers?.[0]?.command?.[2] ?? '';
    expect(script).toContain(`https://artifacts.example.com/sha256/${'a'.repeat(64)}`);
    expect(script).toContain(`echo '${'a'.repeat(64)}  /mnt/models/model.json.partial' | sha256sum -c -`);
    expect(() => deploymentManifest(sampleRequest(), kubernetesOptions({ image: SERVER }), 'stable', 1)).toThrow(/no URL for model file 'model'.*model-image-repository/);
  });

  test('health-path none probes the port (tcpSocket), never GET /none', () => {
    const server = deploymentManifest(sampleRequest(), kubernetesOptions({ image: SERVER, 'model-image-repository': 'ghcr.io/a/m', 'health-path': 'none' }), 'stable', 1).spec?.template.spec?.containers[0];
    for (const probe of [server?.startupProbe, server?.readinessProbe, server?.livenessProbe]) {
      expect(probe?.tcpSocket).toEqual({ port: 'http' });
      expect(probe?.httpGet).toBeUndefined();
    }
    expect(JSON.stringify(server)).not.toContain('/none');
  });

  test('the server image: --image as given, else image-repository at the commit, else a clear error', () => {
    const byRepo = kubernetesOptions({ 'image-repository': 'ghcr.io/acme/digits/server', 'model-image-repository': 'ghcr.io/a/m' });
    expect(deploymentManifest(sampleRequest(), byRepo, 'stable', 1).spec?.template.spec?.containers[0]?.image).toBe('ghcr.io/acme/digits/server:0123456789abcdef0123456789abcdef01234567');
    expect(() => deploymentManifest(sampleRequest(), kubernetesOptions({ 'model-image-repository': 'ghcr.io/a/m' }), 'stable', 1)).toThrow(/runs repository code, which node:20-slim does not contain: give a server image with --image REF/);
  });

  test('servers bind 0.0.0.0 in pods and 127.0.0.1 locally; a command bound to loopback is refused at its line', () => {
    const wsgi = withEndpoint(sampleRequest(), { serverCommand: undefined, wsgi: 'app:application' });
    expect(serverScript(wsgi.endpoint)).toBe('exec gunicorn --bind "${HOST:-127.0.0.1}:$PORT" app:application');
    const pod = deploymentManifest(wsgi, options, 'stable', 1).spec?.template.spec?.containers[0];
    expect(pod?.command?.[2]).toContain('${HOST:-127.0.0.1}');
    expect(pod?.env).toContainEqual({ name: 'HOST', value: '0.0.0.0' });
    const loopback = withEndpoint(sampleRequest(), { serverCommand: ['python -m http.server --bind 127.0.0.1 8000'], position: { file: 'valohai.yaml', line: 7, col: 5 } });
    expect(() => deploymentManifest(loopback, options, 'stable', 1)).toThrow(/^valohai\.yaml:7:5: endpoint predict-digit: server-command binds a loopback address \(127\.0\.0\.1\)/);
    const localhost = withEndpoint(sampleRequest(), { serverCommand: ['uvicorn app:app --host localhost'] });
    expect(() => deploymentManifest(localhost, options, 'stable', 1)).toThrow(/loopback address \(localhost\)/);
    // A URL naming localhost is not a bind address.
    const client = withEndpoint(sampleRequest(), { serverCommand: ['exec node serve.mjs --upstream http://localhost:9000'] });
    expect(() => deploymentManifest(client, options, 'stable', 1)).not.toThrow();
  });
});

describe('kubernetes manifests: Services, HPA, PDB, names', () => {
  test('Service, preview Services, HPA (autoscaling/v2) and PDB (policy/v1) are valid', () => {
    const request = sampleRequest();
    for (const colour of [undefined, 'blue', 'green'] as const) expect(() => validateManifest(serviceManifest(request, options, colour))).not.toThrow();
    const hpa = hpaManifest(request, options, 'stable');
    expect(() => validateManifest(hpa)).not.toThrow();
    expect(hpa.spec?.maxReplicas).toBe(20);
    expect(() => validateManifest(pdbManifest(request, options))).not.toThrow();
  });

  test('each colour has a preview Service that selects only that colour', () => {
    const request = sampleRequest('abc123def456', 'blue-green');
    const blue = previewServiceManifest(request, options, 'blue');
    const green = previewServiceManifest(request, options, 'green');
    expect(blue.metadata?.name).toBe('digits-predict-digit-blue-preview');
    expect(green.metadata?.name).toBe('digits-predict-digit-green-preview');
    expect(blue.spec?.selector).toEqual({ 'app.kubernetes.io/name': 'predict-digit', 'app.kubernetes.io/instance': 'digits', 'mlops.dev/track': 'blue' });
    expect(green.spec?.selector?.['mlops.dev/track']).toBe('green');
    expect(blue.spec?.type).toBe('ClusterIP');
    expect(blue.metadata?.annotations?.[ANNOTATION.previewOf]).toBe('digits-predict-digit');
    const names = planManifests(request, options).objects.map((o) => `${o.object.kind}/${o.object.metadata?.name ?? ''}`);
    expect(names).toEqual([
      'Deployment/digits-predict-digit-blue',
      'Service/digits-predict-digit-blue-preview',
      'Service/digits-predict-digit-green-preview',
      'Service/digits-predict-digit',
      'HorizontalPodAutoscaler/digits-predict-digit',
      'PodDisruptionBudget/digits-predict-digit',
    ]);
  });

  test('long names stay DNS labels, preview names too', () => {
    const name = resourceName('a'.repeat(40), 'b'.repeat(40), 'canary');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    const request = { ...sampleRequest(), deployment: 'd'.repeat(50), endpoint: { ...sampleRequest().endpoint, name: 'e'.repeat(50) } };
    const preview = previewServiceManifest(request, options, 'green');
    expect(preview.metadata?.name?.length).toBeLessThanOrEqual(63);
    expect(preview.metadata?.name).toMatch(/-green-preview$/);
    expect(() => validateManifest(preview)).not.toThrow();
  });
});

describe('canary replica arithmetic', () => {
  test.each([
    // share, replicas, max-replicas → canary, stable, real share
    [0.25, 2, 20, 1, 3, 0.25],
    [0.25, 3, 20, 1, 3, 0.25],
    [0.25, 8, 20, 2, 6, 0.25],
    [0.1, 2, 20, 1, 9, 0.1],
    [0.5, 2, 20, 1, 1, 0.5],
    [0.2, 2, 3, 1, 2, 1 / 3],
    [0.01, 2, 20, 1, 19, 1 / 20],
  ])('share %f with %i replicas (max %i) → %i canary : %i stable', (share, replicas, max, canary, stable, real) => {
    const split = canarySplit(share, replicas, max);
    expect(split).toMatchObject({ canary, stable });
    expect(split.share).toBeCloseTo(real, 10);
    expect(split.exact).toBe(Math.abs(real - share) < 1e-12);
  });

  test('says what share it really gives', () => {
    expect(describeCanarySplit(canarySplit(0.25, 2, 20))).toBe('25% (1 canary : 3 stable)');
    expect(describeCanarySplit(canarySplit(0.2, 2, 3))).toBe('33.3% (1 canary : 2 stable; 20% asked, the nearest the replica bounds allow)');
    const plan = planManifests(sampleRequest('abc123def456', 'canary'), options);
    expect(plan.canary).toMatchObject({ canary: 1, stable: 3, exact: true });
    const deployments = plan.objects.filter((o) => o.object.kind === 'Deployment').map((o) => [o.object.metadata?.name, (o.object as { spec: { replicas: number } }).spec.replicas]);
    expect(deployments).toEqual([
      ['digits-predict-digit', 3],
      ['digits-predict-digit-canary', 1],
    ]);
  });
});
