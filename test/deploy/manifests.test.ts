import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, test } from 'vitest';
import {
  ANNOTATION,
  deploymentManifest,
  hpaManifest,
  kubernetesOptions,
  pdbManifest,
  resourceName,
  serviceManifest,
  type Track,
} from '../../src/deploy/kubernetes/manifests.js';
import { sampleRequest } from './helpers.js';

const options = kubernetesOptions({ namespace: 'ml', 'artifact-base-url': 'https://artifacts.example.com/sha256/', 'memory-limit': '512Mi', 'cpu-limit': '1' });

describe('kubernetes manifests', () => {
  test.each<Track>(['stable', 'blue', 'green', 'canary'])('the %s Deployment validates against the published schema', (track) => {
    const manifest = deploymentManifest(sampleRequest(), options, track, 3);
    expect(() => new Deployment(manifest as ConstructorParameters<typeof Deployment>[0]).validate()).not.toThrow();
    const pod = manifest.spec?.template.spec;
    const server = pod?.containers[0];
    expect(server?.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(server?.livenessProbe?.httpGet?.path).toBe('/healthz');
    expect(server?.resources?.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    expect(server?.resources?.limits).toEqual({ cpu: '1', memory: '512Mi' });
    expect(server?.env).toContainEqual({ name: 'MODEL_PATH', value: '/models/model.json' });
    const fetch = pod?.initContainers?.[0]?.command?.[2] ?? '';
    expect(fetch).toContain(`https://artifacts.example.com/sha256/${'a'.repeat(64)}`);
    expect(fetch).toContain(`echo '${'a'.repeat(64)}  /models/model.json.partial' | sha256sum -c -`);
    expect(manifest.metadata?.annotations).toMatchObject({
      [ANNOTATION.version]: 'abc123def456',
      [ANNOTATION.run]: '20261125T100000000Z-abcdef',
      [ANNOTATION.pipeline]: 'train-and-deploy',
      [ANNOTATION.commit]: '0123456789abcdef0123456789abcdef01234567',
    });
    expect(manifest.spec?.selector.matchLabels).toMatchObject({ 'mlops.dev/track': track });
  });

  test('Service, HPA (autoscaling/v2) and PDB (policy/v1) validate against the published schemas', () => {
    const request = sampleRequest();
    for (const colour of [undefined, 'blue', 'green'] as const) {
      expect(() => new Service(serviceManifest(request, options, colour) as ConstructorParameters<typeof Service>[0]).validate()).not.toThrow();
    }
    const hpa = hpaManifest(request, options, 'stable');
    expect(() => new HorizontalPodAutoscaler(hpa as ConstructorParameters<typeof HorizontalPodAutoscaler>[0]).validate()).not.toThrow();
    expect(hpa.spec?.maxReplicas).toBe(20);
    expect(() => new PodDisruptionBudget(pdbManifest(request, options) as ConstructorParameters<typeof PodDisruptionBudget>[0]).validate()).not.toThrow();
  });

  test('the schema check is real: a broken manifest is refused', () => {
    const manifest = deploymentManifest(sampleRequest(), options, 'stable', 3) as unknown as { spec: { replicas: unknown } };
    manifest.spec.replicas = 'three';
    expect(() => new Deployment(manifest as ConstructorParameters<typeof Deployment>[0]).validate()).toThrow();
  });

  test.each([
    [{ replicas: -1 }, /replicas must be a non-negative integer/],
    [{ 'min-replicas': 5, 'max-replicas': 2 }, /max-replicas \(2\) is below min-replicas \(5\)/],
    [{ 'canary-share': 1.5 }, /canary-share must be between 0 and 1/],
  ])('options %j are refused', (raw, message) => {
    expect(() => kubernetesOptions(raw)).toThrow(message);
  });

  test('a model file without a URL is a clear error; long names stay DNS labels', () => {
    expect(() => deploymentManifest(sampleRequest(), kubernetesOptions({}), 'stable', 1)).toThrow(/no URL for model file 'model'/);
    const name = resourceName('a'.repeat(40), 'b'.repeat(40), 'canary');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });
});
