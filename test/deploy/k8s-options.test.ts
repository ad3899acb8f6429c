import { describe, expect, test } from 'vitest';
import { kubernetesOptions, kubernetesOptionsFor } from '../../src/deploy/kubernetes/options.js';
import { parseQuantity } from '../../src/deploy/kubernetes/quantity.js';
import { targetFor } from '../../src/deploy/model.js';
import { loadPipelineText } from '../../src/pipeline/load.js';
import { ConfigurationError } from '../../src/util/errors.js';

const PIPELINE = (options: string): string => `
- endpoint:
    name: predict
    image: python:3.12-slim
    wsgi: app:application
    port: 8000
    files:
      - name: model
        path: model.json
- deployment:
    name: web
- x-mlops:
    deploy-targets:
      web:
        kind: kubernetes
${options
  .trim()
  .split('\n')
  .map((line) => `        ${line}`)
  .join('\n')}
`;

/** Options of the `web` target as `mlops deploy` reads them, positions included. */
function fromFile(options: string, overrides: Record<string, unknown> = {}): ReturnType<typeof kubernetesOptions> {
  const loaded = loadPipelineText(PIPELINE(options), 'valohai.yaml');
  if (!loaded.config) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return kubernetesOptionsFor(targetFor(loaded.config, 'web'), 'web', 'predict', overrides);
}

describe('Kubernetes deploy-target options are checked before any API call', () => {
  test.each([
    // option lines, line:col of the value, message
    ['replicas: 0', '16:19', /x-mlops\.deploy-targets\.web\.replicas must be a whole number from 1 to 1000, got '0'/],
    ['min-replicas: 0', '16:23', /min-replicas must be a whole number from 1 to 1000, got '0'/],
    ['min-replicas: 5\nmax-replicas: 2', '17:23', /max-replicas \(2\) is below min-replicas \(5\)/],
    ['target-cpu-percent: 0', '16:29', /target-cpu-percent must be a whole number from 1 to 100, got '0'/],
    ['target-cpu-percent: 150', '16:29', /target-cpu-percent must be a whole number from 1 to 100/],
    ['memory-request: 512Mi\nmemory-limit: 256Mi', '17:23', /memory-limit \(256Mi\) is below memory-request \(512Mi\); a limit must be at least the request/],
    ['cpu-request: "2"\ncpu-limit: 500m', '17:20', /cpu-limit \(500m\) is below cpu-request \(2\)/],
    ['memory-request: 512MB', '16:25', /memory-request must be a Kubernetes quantity such as '512Mi' or '2Gi', got '512MB'/],
    ['cpu-request: "-1"', '16:22', /cpu-request must be more than zero/],
    ['canary-share: 1.5', '16:23', /canary-share must be a share between 0 and 1/],
    ['health-path: healthz', '16:22', /health-path must be a path starting with '\/' \(or none/],
    ['rollout-timeout-seconds: 0', '16:34', /rollout-timeout-seconds must be seconds or a duration/],
    ['rollout-timeout-seconds: 5h', '16:34', /rollout-timeout-seconds must be from 5 s to 7200 s, got '5h'/],
    ['pre-stop-seconds: 40', '16:27', /pre-stop-seconds \(40\) must be below termination-grace-seconds \(30\)/],
    ['run-as-user: 0', '16:22', /run-as-user must be a whole number from 1/],
    ['image: "Not An Image"', '16:16', /image must be an image reference/],
    ['model-image-repository: ghcr.io/a/b:tag', '16:33', /model-image-repository must be a repository without tag or digest/],
    ['namespace: ML_Prod', '16:20', /namespace must be a DNS label/],
    ['service-type: Ingress', '16:23', /service-type must be ClusterIP, NodePort or LoadBalancer/],
    ['max-replica: 3', '16:22', /unknown option 'max-replica' \(did you mean 'max-replicas'\?\)/],
    ['endpoints:\n  predict:\n    replicas: 0', '18:23', /endpoints\.predict\.replicas must be a whole number from 1/],
  ])('%s → valohai.yaml:%s', (options, at, message) => {
    let error: unknown;
    try {
      fromFile(options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message.startsWith(`valohai.yaml:${at}: `)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  test('defaults are sane and valid values pass through; the endpoint section overrides the target', () => {
    const options = fromFile('replicas: 3\nmemory-request: 1Gi\nmemory-limit: 1536Mi\ncpu-limit: "2"\nhealth-path: none\nrollout-timeout-seconds: 10m\nendpoints:\n  predict:\n    max-replicas: 8');
    expect(options).toMatchObject({ replicas: 3, minReplicas: 3, maxReplicas: 8, memoryRequest: '1Gi', memoryLimit: '1536Mi', cpuLimit: '2', healthPath: 'none', rolloutTimeoutSeconds: 600 });
    expect(kubernetesOptions({})).toMatchObject({ replicas: 2, minReplicas: 2, maxReplicas: 20, targetCpuPercent: 70, runAsUser: 65532, terminationGraceSeconds: 30, preStopSeconds: 5, rolloutTimeoutSeconds: 300 });
  });

  test('command-line values win and are named by their flag', () => {
    expect(fromFile('replicas: 2', { 'rollout-timeout-seconds': '90s' }).rolloutTimeoutSeconds).toBe(90);
    expect(() => kubernetesOptionsFor({ options: {} }, 'web', 'predict', { 'rollout-timeout-seconds': 'soon' }, { 'rollout-timeout-seconds': '--rollout-timeout' })).toThrow(
      /^--rollout-timeout must be seconds or a duration/,
    );
  });

  test('a file written for the local target still works with --target kubernetes', () => {
    expect(() => kubernetesOptions({ kind: 'local', 'sample-requests': [{ body: {} }], 'fallback-grace': 60, 'min-replicas': 1, 'spare-replicas': 1, 'start-parallelism': 4 })).not.toThrow();
  });
});

describe('quantities', () => {
  test.each([
    ['250m', 0.25],
    ['1', 1],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['2Gi', 2 * 2 ** 30],
    ['1k', 1000],
    ['1e3', 1000],
    ['1M', 1e6],
    ['.5', 0.5],
  ])('%s = %d', (text, value) => expect(parseQuantity(text)).toBeCloseTo(value, 6));

  test.each(['', '512MB', '1 Gi', 'Mi', '1.2.3', 'one'])('%j is not a quantity', (text) => expect(parseQuantity(text)).toBeUndefined());
});
