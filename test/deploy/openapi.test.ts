/**
 * Strict validation against the official Kubernetes OpenAPI in ../shared/peers/kubernetes-openapi: the
 * shipped subset is exactly what the shared swagger gives, and what `mlops deploy --dry-run` prints for
 * the digits example validates against the whole swagger (made strict), strategy by strategy.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deploymentManifest, kubernetesOptions, serviceManifest } from '../../src/deploy/kubernetes/manifests.js';
import { MANIFEST_ROOTS, strictDefinitions, type OpenApiDefinitions } from '../../src/deploy/kubernetes/openapi.js';
import { createManifestValidator, ManifestValidationError, manifestValidator, validateManifest, type ManifestValidator } from '../../src/deploy/kubernetes/validate.js';
import { sampleRequest, tempDir } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SWAGGER = resolve(ROOT, '../shared/peers/kubernetes-openapi/swagger.json');
const swaggerMissing = existsSync(SWAGGER) ? undefined : `${SWAGGER} is absent`;
if (swaggerMissing) process.stderr.write(`SKIPPED: strict validation against the official Kubernetes OpenAPI: ${swaggerMissing}.\n`);
const withSwagger = describe.skipIf(swaggerMissing !== undefined);

let full: ManifestValidator;
const swagger = (): OpenApiDefinitions => JSON.parse(readFileSync(SWAGGER, 'utf8')) as OpenApiDefinitions;

const SERVER = `ghcr.io/acme/digits/server@sha256:${'b'.repeat(64)}`;
const options = kubernetesOptions({ namespace: 'ml', image: SERVER, 'model-image-repository': 'ghcr.io/acme/digits/models' });

function deployment(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(deploymentManifest(sampleRequest(), options, 'stable', 2))) as Record<string, unknown>;
}

withSwagger('the shipped schema subset', () => {
  test('is exactly what scripts/kubernetes-openapi-subset.ts makes of the shared swagger', async () => {
    const committed = JSON.parse(await readFile(join(ROOT, 'src/deploy/kubernetes/openapi-subset.json'), 'utf8')) as unknown;
    expect(committed).toEqual(strictDefinitions(swagger(), MANIFEST_ROOTS));
  });
});

withSwagger('strict validation (full official swagger, additionalProperties: false everywhere)', () => {
  beforeAll(() => {
    full = createManifestValidator(strictDefinitions(swagger()));
  });

  test('knows every kind of the swagger, the shipped one the four we generate', () => {
    expect(full.kinds()).toContain('apps/v1/Deployment');
    expect(full.kinds().length).toBeGreaterThan(50);
    expect(manifestValidator().kinds()).toEqual(['apps/v1/Deployment', 'autoscaling/v2/HorizontalPodAutoscaler', 'policy/v1/PodDisruptionBudget', 'v1/Service']);
  });

  /* eslint-disable @typescript-eslint/no-explicit-any -- each case edits a different place of a plain JSON object */
  test.each([
    ['an unknown field (a misspelt probe)', (d: any) => (d.spec.template.spec.containers[0].readinesProbe = { tcpSocket: { port: 'http' } }), /\/spec\/template\/spec\/containers\/0: unknown field 'readinesProbe'/],
    ['an unknown top-level field', (d: any) => (d.extra = 1), /\/: unknown field 'extra'/],
    ['an unknown field in metadata', (d: any) => (d.metadata.label = {}), /\/metadata: unknown field 'label'/],
    ['a missing required field', (d: any) => delete d.spec.template.spec.containers[0].name, /\/spec\/template\/spec\/containers\/0: missing required field 'name'/],
    ['a missing selector', (d: any) => delete d.spec.selector, /\/spec: missing required field 'selector'/],
    ['a wrong type', (d: any) => (d.spec.replicas = 'three'), /\/spec\/replicas: must be integer/],
    ['an int32 out of range', (d: any) => (d.spec.replicas = 2 ** 31), /\/spec\/replicas: must match format "int32"/],
    ['an int-or-string that is neither', (d: any) => (d.spec.strategy.rollingUpdate.maxSurge = true), /\/spec\/strategy\/rollingUpdate\/maxSurge: must be integer,string/],
    ['a quantity that does not parse', (d: any) => (d.spec.template.spec.containers[0].resources.requests.cpu = '250 m'), /\/spec\/template\/spec\/containers\/0\/resources\/requests\/cpu: must match format "quantity"/],
    ['two containers of one name (a list-map)', (d: any) => d.spec.template.spec.containers.push({ ...d.spec.template.spec.containers[0] }), /\/spec\/template\/spec\/containers: holds the same key more than once/],
    ['a label value Kubernetes refuses', (d: any) => (d.metadata.labels['mlops.dev/track'] = 'not ok!'), /\/metadata\/labels\/mlops\.dev\/track: label value 'not ok!'/],
    ['a name that is no DNS subdomain', (d: any) => (d.metadata.name = 'Digits_Predict'), /\/metadata\/name: 'Digits_Predict' is not a valid DNS subdomain/],
  ])('refuses %s', (_what, edit: (d: any) => unknown, message) => {
    /* eslint-enable @typescript-eslint/no-explicit-any */
    const manifest = deployment();
    expect(full.problems(manifest)).toEqual([]);
    expect(manifestValidator().problems(manifest)).toEqual([]);
    edit(manifest);
    expect(full.problems(manifest).join('\n')).toMatch(message);
    // The shipped subset says the same.
    expect(manifestValidator().problems(manifest).join('\n')).toMatch(message);
    expect(() => validateManifest(manifest)).toThrow(ManifestValidationError);
  });

  test('int-or-string takes an integer or a string; an unknown kind is refused', () => {
    const service = JSON.parse(JSON.stringify(serviceManifest(sampleRequest(), options))) as { spec: { ports: { targetPort: unknown }[] } };
    for (const targetPort of ['http', 8000]) {
      service.spec.ports[0]!.targetPort = targetPort;
      expect(full.problems(service)).toEqual([]);
    }
    expect(full.problems({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })[0]).toMatch(/no schema for example\.com\/v1 Widget/);
  });
});

withSwagger('mlops deploy --target kubernetes --dry-run (examples/digits)', () => {
  const run = promisify(execFile);
  let work = '';
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeAll(async () => {
    full ??= createManifestValidator(strictDefinitions(swagger()));
    ({ dir: work, cleanup } = await tempDir('mlops-dry-run-'));
    await mkdir(join(work, 'model'), { recursive: true });
    await writeFile(join(work, 'model', 'model.json'), '{"classes":[0,1]}');
  });
  afterAll(() => cleanup());

  async function dryRun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const argv = ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'deploy', 'examples/digits/valohai.yaml', '--folder', join(work, 'model'), '--target', 'kubernetes', '--dry-run', ...args];
    try {
      const { stdout, stderr } = await run(process.execPath, argv, { cwd: ROOT });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  test.each(['rolling', 'blue-green', 'canary'])('%s: every document validates against the official swagger', async (strategy) => {
    const result = await dryRun('--strategy', strategy, '--namespace', 'ml', '--image-repository', 'ghcr.io/acme/digits/server', '--model-image-repository', 'ghcr.io/acme/digits/models', '--rollout-timeout', '2m');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith(strategy === 'canary' ? '# canary traffic share: 25% (1 canary : 3 stable)\n---\n' : '---\n')).toBe(true);
    const documents = parseAllDocuments(result.stdout);
    const objects = (Array.isArray(documents) ? documents : [documents]).map((d) => d.toJS() as Record<string, unknown>);
    const kinds = objects.map((o) => o['kind']);
    expect(kinds).toEqual(
      strategy === 'blue-green'
        ? ['Deployment', 'Service', 'Service', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']
        : strategy === 'canary'
          ? ['Deployment', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']
          : ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'],
    );
    for (const object of objects) expect(full.problems(object), `${String(object['kind'])}`).toEqual([]);
    const first = objects[0] as { spec: { progressDeadlineSeconds: number; template: { spec: { containers: { image: string }[] } } }; metadata: { namespace: string } };
    expect(first.metadata.namespace).toBe('ml');
    expect(first.spec.progressDeadlineSeconds).toBe(120);
    // The server image is the repository at the commit being deployed (HEAD here).
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: ROOT })).stdout.trim();
    expect(first.spec.template.spec.containers[0]?.image).toBe(`ghcr.io/acme/digits/server:${head}`);
    // And a deliberately unknown field in that output fails.
    const broken = structuredClone(objects[0]) as { spec: { template: { spec: Record<string, unknown> } } };
    broken.spec.template.spec['hostNetwrok'] = true;
    expect(full.problems(broken)).toEqual(["/spec/template/spec: unknown field 'hostNetwrok'"]);
  }, 120_000);

  test('a mistake in the options is one line, before anything else happens', async () => {
    const result = await dryRun('--image', SERVER, '--model-image-repository', 'ghcr.io/acme/digits/models', '--rollout-timeout', 'soon');
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--rollout-timeout must be seconds or a duration/);
  }, 120_000);
});
