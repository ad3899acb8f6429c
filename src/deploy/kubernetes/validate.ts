/**
 * `validateManifest(obj)`: every object we generate is checked against the strict Kubernetes schemas
 * (openapi.ts: unknown fields are errors, required fields enforced, int-or-string and quantities as the API
 * server reads them) before `--dry-run` prints it or the rollout applies it, plus the name and label rules
 * the API server checks outside the schema. A failure here is a bug in what we generate, or a name in the
 * pipeline file Kubernetes cannot take; either way nothing reaches the cluster.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import subset from './openapi-subset.json' with { type: 'json' };
import { MANIFEST_ROOTS, type StrictSchemas } from './openapi.js';
import { isQuantity } from './quantity.js';

export class ManifestValidationError extends Error {
  override name = 'ManifestValidationError';
  constructor(
    readonly what: string,
    readonly problems: string[],
  ) {
    super(`${what} is not a valid Kubernetes object:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain (≤ 253), name ≤ 63. */
function keyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return `key '${key}': prefix must be a DNS subdomain`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return `key '${key}': name must be 1-63 letters, digits, '-', '_', '.', starting and ending alphanumeric`;
  return undefined;
}

/** Rules the API server applies to object metadata beyond the schema (apimachinery's validation). */
function metadataProblems(obj: Record<string, unknown>, kind: string): string[] {
  const problems: string[] = [];
  const metadata = obj['metadata'] as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata !== 'object') return ['/metadata: required'];
  const name = metadata['name'];
  // Services need a DNS label (they become DNS names); the others a DNS subdomain.
  const nameRule = kind === 'Service' ? DNS_LABEL : DNS_SUBDOMAIN;
  if (typeof name !== 'string' || name.length === 0) problems.push('/metadata/name: required');
  else if (name.length > (kind === 'Service' ? 63 : 253) || !nameRule.test(name)) problems.push(`/metadata/name: '${name}' is not a valid ${kind === 'Service' ? 'DNS label' : 'DNS subdomain'}`);
  const namespace = metadata['namespace'];
  if (namespace !== undefined && (typeof namespace !== 'string' || !DNS_LABEL.test(namespace) || namespace.length > 63)) problems.push(`/metadata/namespace: '${String(namespace)}' is not a DNS label`);
  const checkLabels = (where: string, labels: unknown): void => {
    if (labels === undefined || labels === null || typeof labels !== 'object') return;
    for (const [key, value] of Object.entries(labels)) {
      const problem = keyProblem(key);
      if (problem) problems.push(`${where}: ${problem}`);
      if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) problems.push(`${where}/${key}: label value '${value}' must be at most 63 letters, digits, '-', '_', '.', starting and ending alphanumeric`);
    }
  };
  const checkAnnotations = (where: string, annotations: unknown): void => {
    if (annotations === undefined || annotations === null || typeof annotations !== 'object') return;
    let size = 0;
    for (const [key, value] of Object.entries(annotations)) {
      const problem = keyProblem(key);
      if (problem) problems.push(`${where}: ${problem}`);
      size += key.length + (typeof value === 'string' ? value.length : 0);
    }
    if (size > 256 * 1024) problems.push(`${where}: annotations total ${size} bytes, above the 256 KiB the API server allows`);
  };
  checkLabels('/metadata/labels', metadata['labels']);
  checkAnnotations('/metadata/annotations', metadata['annotations']);
  const template = (obj['spec'] as { template?: { metadata?: Record<string, unknown> } } | undefined)?.template?.metadata;
  if (template) {
    checkLabels('/spec/template/metadata/labels', template['labels']);
    checkAnnotations('/spec/template/metadata/annotations', template['annotations']);
  }
  return problems;
}

function formatError(error: ErrorObject): string {
  const at = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') return `${at}: unknown field '${String((error.params as { additionalProperty?: string }).additionalProperty)}'`;
  if (error.keyword === 'required') return `${at}: missing required field '${String((error.params as { missingProperty?: string }).missingProperty)}'`;
  return `${at}: ${error.message ?? error.keyword}`;
}

export interface ManifestValidator {
  /** Problems with `obj` (empty when it is valid): `<JSON pointer>: <what is wrong>`. */
  problems(obj: unknown): string[];
  /** The apiVersion/kind pairs it knows. */
  kinds(): string[];
}

/** A validator over strict schemas (the committed subset at runtime; the full shared swagger in tests). */
export function createManifestValidator(schemas: StrictSchemas): ManifestValidator {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, validateFormats: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addFormat('date-time', { validate: (s: string) => !Number.isNaN(Date.parse(s)) });
  ajv.addFormat('quantity', { validate: (s: string) => isQuantity(s) });
  ajv.addKeyword({
    keyword: 'listMapKeys',
    type: 'array',
    schemaType: 'array',
    error: { message: 'holds the same key more than once (a list-map)' },
    validate: (keys: string[], items: unknown[]) => {
      const seen = new Set<string>();
      for (const item of items) {
        const key = JSON.stringify(keys.map((k) => (item as Record<string, unknown> | null)?.[k] ?? null));
        if (seen.has(key)) return false;
        seen.add(key);
      }
      return true;
    },
  });
  ajv.addSchema({ $id: 'k8s', definitions: schemas.definitions });
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (definition: string): ValidateFunction => {
    let validate = compiled.get(definition);
    if (!validate) {
      validate = ajv.compile({ $ref: `k8s#/definitions/${definition}` });
      compiled.set(definition, validate);
    }
    return validate;
  };
  return {
    kinds: () => Object.keys(schemas.kinds),
    problems(obj: unknown): string[] {
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return ['/: a Kubernetes object must be a JSON object'];
      const record = obj as Record<string, unknown>;
      const apiVersion = record['apiVersion'];
      const kind = record['kind'];
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['/: apiVersion and kind are required'];
      const definition = schemas.kinds[`${apiVersion}/${kind}`];
      if (!definition) return [`/: no schema for ${apiVersion} ${kind} (known: ${Object.keys(schemas.kinds).join(', ')})`];
      const validate = validatorFor(definition);
      const problems = validate(obj) ? [] : (validate.errors ?? []).map(formatError);
      return [...new Set([...problems, ...metadataProblems(record, kind)])];
    },
  };
}

let shipped: ManifestValidator | undefined;

/** The validator over the shipped subset (Deployment, Service, HorizontalPodAutoscaler v2, PodDisruptionBudget v1). */
export function manifestValidator(): ManifestValidator {
  shipped ??= createManifestValidator(subset as unknown as StrictSchemas);
  return shipped;
}

function describe(obj: unknown): string {
  const record = (obj ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
  return `${typeof record.kind === 'string' ? record.kind : 'object'} ${typeof record.metadata?.name === 'string' ? record.metadata.name : '(unnamed)'}`;
}

/** Throws a `ManifestValidationError` listing every problem of `obj`. */
export function validateManifest(obj: unknown, validator: ManifestValidator = manifestValidator()): void {
  const problems = validator.problems(obj);
  if (problems.length > 0) throw new ManifestValidationError(describe(obj), problems);
}

/** Validates every object; throws on the first invalid one. */
export function validateManifests(objects: readonly unknown[], validator?: ManifestValidator): void {
  for (const obj of objects) validateManifest(obj, validator);
}

export { MANIFEST_ROOTS };
