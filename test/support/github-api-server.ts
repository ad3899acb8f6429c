/**
 * A fake GitHub REST API on 127.0.0.1 for the few endpoints the report uses (pull request, issue
 * comments), which checks every request it receives and every response it sends against GitHub's
 * published OpenAPI description (@octokit/openapi, api.github.com.json, OpenAPI 3.0.3).
 *
 * A request that matches no documented path/method, has a path or query parameter of the wrong type,
 * or a body that does not match the operation's requestBody schema is answered 400 and recorded in
 * `violations`; so is a response whose status is not declared for the operation or whose body does
 * not match the declared schema. Tests assert `violations` is empty.
 *
 * Tokens minted by `issueToken(permissions)` carry a job's `permissions:` (test/support/github-permissions.ts):
 * a call needing a permission such a token lacks is answered GitHub's 403 "Resource not accessible by
 * integration". Other tokens have every permission unless `readOnlyToken` is set.
 *
 * 403 and 429 answers can come from any endpoint (rate limits, docs.github.com "Rate limits for the
 * REST API"; a token without write permission, "Resource not accessible by integration") but are not
 * declared for every operation in the description; they are allowed for every operation and their
 * bodies validated against `basic-error`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { FakeGitData } from './github-git-data.js';
import { FakeWorkflowRuns } from './github-workflow-runs.js';
import { grants, permissionsFrom, requiredPermission, type TokenPermissions } from './github-permissions.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const require = createRequire(import.meta.url);
const specPath = require.resolve('@octokit/openapi/generated/api.github.com.json');

interface Spec {
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: JsonObject; parameters: JsonObject; responses: JsonObject; examples: JsonObject };
}

let cachedSpec: Spec | undefined;
function loadSpec(): Spec {
  cachedSpec ??= JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
  return cachedSpec;
}

/** Follows a local `#/components/...` reference (parameters, responses, examples). */
function resolve(spec: Spec, value: Json | undefined): Json | undefined {
  let current = value;
  for (let depth = 0; depth < 10 && isObject(current) && typeof current['$ref'] === 'string'; depth++) {
    const parts = current['$ref'].replace(/^#\//, '').split('/');
    let target: unknown = spec;
    for (const part of parts) target = isObject(target) ? target[part] : undefined;
    current = target as Json | undefined;
  }
  return current;
}

/** Points the schema's local refs at the components document registered in Ajv as `github`. */
function rehome(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rehome);
  if (!isObject(schema)) return schema;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    copy[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `github${value}` : rehome(value);
  }
  return copy;
}

/**
 * OpenAPI 3.0 ignores `nullable` without a `type` (the issue schemas put it beside `anyOf`), but Ajv
 * refuses to compile such a schema: drop it there (the `anyOf` branches carry their own nullability).
 */
function withoutTypelessNullable(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutTypelessNullable);
  if (!isObject(schema)) return schema;
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' && schema['type'] === undefined) continue;
    copy[key] = withoutTypelessNullable(value);
  }
  return copy;
}

export class OpenApiValidator {
  private readonly spec = loadSpec();
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; pattern: RegExp; names: string[]; literals: number }[];

  constructor() {
    // OpenAPI 3.0 schemas carry `nullable`, `example`, `x-*` keys: nullable is supported by Ajv, the
    // annotations are ignored (strict off). Formats get small checks of our own (ajv-formats is not a dependency).
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    this.ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    this.ajv.addFormat('uri', { validate: (text: string) => URL.canParse(text) });
    this.ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    this.ajv.addFormat('uri-template', true);
    this.ajv.addFormat('int64', true);
    this.ajv.addFormat('int32', true);
    this.ajv.addFormat('binary', true);
    this.ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    this.ajv.addFormat('repo.nwo', true);
    this.ajv.addFormat('ssh-key', true);
    this.ajv.addFormat('uuid', true);
    this.ajv.addFormat('hostname', true);
    this.ajv.addFormat('ipv4', true);
    this.ajv.addFormat('ipv6', true);
    this.ajv.addFormat('uri-reference', true);
    this.ajv.addSchema(withoutTypelessNullable({ components: { schemas: this.spec.components.schemas } }) as object, 'github');
    this.templates = Object.keys(this.spec.paths).map((template) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) => {
          const param = /^\{(.+)\}$/.exec(segment);
          if (param?.[1]) {
            names.push(param[1]);
            return '([^/]+)';
          }
          return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      return { template, pattern: new RegExp(`^${source}$`), names, literals: template.split('/').length - names.length };
    });
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rehome(withoutTypelessNullable(schema)) as object);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** The documented operation for a method and a concrete path, with its path parameters. */
  match(method: string, path: string): { template: string; operation: JsonObject; params: Record<string, string> } | undefined {
    const candidates = this.templates
      .map((entry) => ({ entry, match: entry.pattern.exec(path) }))
      .filter((item) => item.match && this.spec.paths[item.entry.template]?.[method.toLowerCase()])
      .sort((a, b) => b.entry.literals - a.entry.literals);
    const best = candidates[0];
    if (!best?.match) return undefined;
    const params: Record<string, string> = {};
    best.entry.names.forEach((name, index) => {
      params[name] = decodeURIComponent(best.match?.[index + 1] ?? '');
    });
    const operation = this.spec.paths[best.entry.template]?.[method.toLowerCase()];
    return operation ? { template: best.entry.template, operation, params } : undefined;
  }

  private errors(validate: ValidateFunction): string {
    return this.ajv.errorsText(validate.errors, { separator: '; ' });
  }

  /** Problems with a request; empty when it conforms. */
  validateRequest(method: string, url: URL, contentType: string | undefined, body: unknown): string[] {
    const matched = this.match(method, url.pathname);
    if (!matched) return [`${method} ${url.pathname}: no such operation in GitHub's OpenAPI description`];
    const where = `${method} ${matched.template}`;
    const problems: string[] = [];
    const parameters = Array.isArray(matched.operation['parameters']) ? matched.operation['parameters'] : [];
    const known = new Set<string>();
    for (const reference of parameters) {
      const parameter = resolve(this.spec, reference);
      if (!isObject(parameter) || typeof parameter['name'] !== 'string') continue;
      const name = parameter['name'];
      const location = parameter['in'];
      known.add(`${String(location)}:${name}`);
      const raw = location === 'path' ? matched.params[name] : location === 'query' ? url.searchParams.get(name) ?? undefined : undefined;
      if (raw === undefined) {
        if (parameter['required'] === true && (location === 'path' || location === 'query')) problems.push(`${where}: missing ${String(location)} parameter ${name}`);
        continue;
      }
      const schema = parameter['schema'] ?? {};
      const type = isObject(schema) ? schema['type'] : undefined;
      const value: unknown = type === 'integer' || type === 'number' ? (/^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw) : type === 'boolean' ? raw === 'true' ? true : raw === 'false' ? false : raw : raw;
      const validate = this.validator(`${where}:param:${name}`, schema);
      if (!validate(value)) problems.push(`${where}: ${String(location)} parameter ${name}=${raw}: ${this.errors(validate)}`);
    }
    for (const name of url.searchParams.keys()) {
      if (!known.has(`query:${name}`)) problems.push(`${where}: undocumented query parameter ${name}`);
    }
    const requestBody = resolve(this.spec, matched.operation['requestBody']);
    const declaredTypes = isObject(requestBody) && isObject(requestBody['content']) ? Object.keys(requestBody['content']) : [];
    if (body instanceof Uint8Array) {
      // A raw body (e.g. a release asset upload): its media type must be one the operation declares.
      const type = (contentType ?? '').split(';')[0]?.trim() ?? '';
      if (!declaredTypes.includes(type) && !declaredTypes.includes('*/*')) problems.push(`${where}: content-type ${contentType ?? 'missing'}, declared: ${declaredTypes.join(', ') || 'no body'}`);
    } else if (isObject(requestBody)) {
      const content = requestBody['content'];
      const schema = isObject(content) && isObject(content['application/json']) ? content['application/json']['schema'] : undefined;
      if (body === undefined) {
        if (requestBody['required'] === true) problems.push(`${where}: request body required`);
      } else {
        if (!contentType?.startsWith('application/json')) problems.push(`${where}: content-type ${contentType ?? 'missing'}, expected application/json`);
        else if (!declaredTypes.includes('application/json')) problems.push(`${where}: a JSON body, but the operation takes ${declaredTypes.join(', ')}`);
        if (schema !== undefined) {
          const validate = this.validator(`${where}:request`, schema);
          if (!validate(body)) problems.push(`${where}: request body: ${this.errors(validate)}`);
        }
      }
    } else if (body !== undefined) {
      problems.push(`${where}: this operation takes no request body`);
    }
    return problems;
  }

  /** Problems with a response; empty when it conforms. */
  validateResponse(method: string, path: string, status: number, body: unknown): string[] {
    const matched = this.match(method, path);
    if (!matched) return [`${method} ${path}: no such operation`];
    const where = `${method} ${matched.template} → ${status}`;
    const responses = matched.operation['responses'];
    let response = isObject(responses) ? resolve(this.spec, responses[String(status)]) : undefined;
    if (response === undefined && (status === 403 || status === 429)) {
      response = { content: { 'application/json': { schema: { $ref: '#/components/schemas/basic-error' } } } };
    }
    if (!isObject(response)) return [`${where}: status ${status} is not declared for this operation`];
    const content = response['content'];
    const schema = isObject(content) && isObject(content['application/json']) ? content['application/json']['schema'] : undefined;
    if (schema === undefined) return body === undefined ? [] : [`${where}: declared without a body, but one was sent`];
    const validate = this.validator(`${where}:response`, schema);
    return validate(body) ? [] : [`${where}: response body: ${this.errors(validate)}`];
  }

  /** An example object from the description (e.g. `pull-request`), deep-copied. */
  example(name: string): JsonObject {
    const example = this.spec.components.examples[name];
    const value = isObject(example) ? example['value'] : undefined;
    if (!isObject(value)) throw new Error(`no example ${name}`);
    return structuredClone(value);
  }
}

export interface FakeComment {
  id: number;
  body: string;
  createdAt: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization?: string;
  contentType?: string;
  accept?: string;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
}

export type RateLimitKind = 'primary' | 'secondary';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  /** Listed by the issues endpoint like GitHub does for pull requests. */
  pullRequest: boolean;
}

export interface FakeAsset {
  id: number;
  name: string;
  contentType: string;
  data: Buffer;
  createdAt: string;
}

export interface FakeRelease {
  id: number;
  tag: string;
  name: string;
  body: string;
  targetCommitish: string;
  createdAt: string;
  assets: FakeAsset[];
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Pull requests that exist, by number; `fork` makes the head repository a different one. */
  readonly pulls = new Map<number, { fork: boolean }>();
  readonly comments = new Map<number, FakeComment[]>();
  /** Releases by id, with their assets' bytes (the registry's GitHub backend). */
  readonly releases = new Map<number, FakeRelease>();
  /** Bodies of POST /dispatches and workflow dispatches, in order. */
  readonly dispatches: { kind: 'repository' | 'workflow'; workflow?: string; body: unknown }[] = [];
  /** Deployments (POST /deployments) and their statuses, by deployment id. */
  readonly deployments = new Map<number, { request: JsonObject; statuses: JsonObject[] }>();
  /** Issues (and pull requests, as the issues endpoint lists them), by number. */
  readonly issues = new Map<number, FakeIssue>();
  /** Write requests (POST/PATCH/DELETE) answer 403 "Resource not accessible by integration". */
  readOnlyToken = false;
  /** Tokens minted by `issueToken`, with what each may do. */
  private readonly tokens = new Map<string, TokenPermissions>();
  /** Calls refused for a missing permission: `METHOD path: needs scope:level`. */
  readonly refusedForPermission: string[] = [];
  /** The next N requests answer with a rate-limit error. */
  rateLimitQueue: RateLimitKind[] = [];
  /** Seconds from now at which a primary rate limit resets (`x-ratelimit-reset`). */
  rateLimitResetSeconds = 1;
  private nextId = 1000;
  private server: Server | undefined;
  private readonly validator = new OpenApiValidator();
  url = '';
  /** Blobs, trees, commits and refs (the Git Data API), e.g. the report's image branch. */
  readonly git: FakeGitData;
  /** Workflow runs and their artifacts (set `workflowRuns.artifactServer` to serve its archives). */
  readonly workflowRuns: FakeWorkflowRuns;

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? 'octo-org';
    this.repo = options.repo ?? 'models';
    this.workflowRuns = new FakeWorkflowRuns(() => `${this.url}/repos/${this.owner}/${this.repo}`, () => ({ owner: this.owner, repo: this.repo }), (name) => this.validator.example(name));
    this.git = new FakeGitData(() => `${this.url}/repos/${this.owner}/${this.repo}`, (name) => this.validator.example(name), `https://github.com/${this.owner}/${this.repo}`);
  }

  /**
   * A `GITHUB_TOKEN` for a job with these `permissions:` (a parsed mapping, `read-all`, `write-all`, or
   * undefined for the repository's restricted default): GitHub refuses it what they do not grant.
   */
  issueToken(permissions: unknown): string {
    const token = `ghs_fake${String(this.tokens.size + 1).padStart(4, '0')}${createHash('sha256').update(JSON.stringify(permissions ?? null)).digest('hex').slice(0, 28)}`;
    this.tokens.set(token, permissionsFrom(permissions));
    return token;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.violations.push(`server error: ${String(error)}`);
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    await new Promise<void>((resolveListen) => this.server?.listen(0, '127.0.0.1', resolveListen));
    const address = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolveClose) => (this.server ? this.server.close(() => resolveClose()) : resolveClose()));
  }

  addComments(issue: number, bodies: string[]): FakeComment[] {
    const list = this.comments.get(issue) ?? [];
    const added = bodies.map((body) => ({ id: this.nextId++, body, createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, list.length)).toISOString().replace('.000Z', 'Z') }));
    list.push(...added);
    this.comments.set(issue, list);
    return added;
  }

  addIssue(issue: Omit<FakeIssue, 'number'>): FakeIssue {
    const number = this.issues.size + 1;
    const created = { number, ...issue };
    this.issues.set(number, created);
    return created;
  }

  private issueJson(issue: FakeIssue): JsonObject {
    const json = this.validator.example('issue');
    const base = `${this.url}/repos/${this.owner}/${this.repo}`;
    json['number'] = issue.number;
    json['id'] = 5000 + issue.number;
    json['title'] = issue.title;
    json['body'] = issue.body;
    json['state'] = issue.state;
    json['url'] = `${base}/issues/${issue.number}`;
    json['html_url'] = `https://github.com/${this.owner}/${this.repo}/issues/${issue.number}`;
    json['labels'] = issue.labels.map((name, index) => ({ id: index + 1, node_id: `L_${index + 1}`, url: `${base}/labels/${name}`, name, color: 'ededed', default: false, description: null }));
    if (issue.pullRequest) {
      json['pull_request'] = { url: `${base}/pulls/${issue.number}`, html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue.number}`, diff_url: null, patch_url: null };
    } else {
      delete json['pull_request'];
    }
    return json;
  }

  private commentJson(issue: number, comment: FakeComment): JsonObject {
    const base = `${this.url}/repos/${this.owner}/${this.repo}`;
    const user = this.validator.example('issue-comment')['user'] ?? null;
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${base}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${issue}#issuecomment-${comment.id}`,
      issue_url: `${base}/issues/${issue}`,
      body: comment.body,
      user,
      created_at: comment.createdAt,
      updated_at: comment.createdAt,
      author_association: 'NONE',
    };
  }

  private pullJson(number: number, fork: boolean): JsonObject {
    const pull = this.validator.example('pull-request');
    pull['number'] = number;
    // The published example itself does not conform (its requested team lacks the required `type`).
    pull['requested_teams'] = [];
    const head = pull['head'];
    const base = pull['base'];
    if (isObject(head) && isObject(head['repo']) && isObject(base) && isObject(base['repo'])) {
      base['repo']['full_name'] = `${this.owner}/${this.repo}`;
      head['repo']['full_name'] = fork ? `contributor/${this.repo}` : `${this.owner}/${this.repo}`;
      head['repo']['fork'] = fork;
    }
    return pull;
  }

  private findAsset(id: number): { release: FakeRelease; asset: FakeAsset } | undefined {
    for (const release of this.releases.values()) {
      const asset = release.assets.find((a) => a.id === id);
      if (asset) return { release, asset };
    }
    return undefined;
  }

  /** Test helper: replaces an asset's bytes behind the API's back (a tampered or corrupted upload). */
  tamperAsset(tag: string, name: string, data: Buffer): void {
    const asset = [...this.releases.values()].find((r) => r.tag === tag)?.assets.find((a) => a.name === name);
    if (!asset) throw new Error(`no asset ${name} on ${tag}`);
    asset.data = data;
  }

  private releaseJson(release: FakeRelease): JsonObject {
    const json = this.validator.example('release');
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    Object.assign(json, {
      id: release.id,
      node_id: `RE_${release.id}`,
      url: `${api}/releases/${release.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/releases/tag/${release.tag}`,
      assets_url: `${api}/releases/${release.id}/assets`,
      // Uploads go to a separate origin on github.com (uploads.github.com); here the same server.
      upload_url: `${this.url}/repos/${this.owner}/${this.repo}/releases/${release.id}/assets{?name,label}`,
      tarball_url: `${api}/tarball/${release.tag}`,
      zipball_url: `${api}/zipball/${release.tag}`,
      tag_name: release.tag,
      target_commitish: release.targetCommitish,
      name: release.name,
      body: release.body,
      draft: false,
      prerelease: false,
      created_at: release.createdAt,
      published_at: release.createdAt,
      assets: release.assets.map((a) => this.assetJson(a)),
    });
    delete json['discussion_url'];
    return json;
  }

  private assetJson(asset: FakeAsset): JsonObject {
    const json = this.validator.example('release-asset');
    Object.assign(json, {
      id: asset.id,
      node_id: `RA_${asset.id}`,
      url: `${this.url}/repos/${this.owner}/${this.repo}/releases/assets/${asset.id}`,
      browser_download_url: `${this.url}/_downloads/${asset.id}`,
      name: asset.name,
      label: null,
      content_type: asset.contentType,
      size: asset.data.length,
      // What GitHub reports for the bytes it stored; a tampered asset keeps the digest of the original upload.
      digest: json['digest'] === undefined ? undefined : `sha256:${createHash('sha256').update(asset.data).digest('hex')}`,
      created_at: asset.createdAt,
      updated_at: asset.createdAt,
    });
    if (json['digest'] === undefined) delete json['digest'];
    return json;
  }

  private paginate<T>(url: URL, items: T[]): { page: T[]; headers: Record<string, string> } {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
    const page = Number(url.searchParams.get('page') ?? '1');
    const lastPage = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string => `<${this.url}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links: string[] = [];
    if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return { page: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
  }

  /** Releases, release assets and dispatches; true when the request was answered. */
  private async handleReleases(
    template: string,
    method: string,
    url: URL,
    params: Record<string, string>,
    body: unknown,
    reply: (status: number, json: Json | undefined, headers?: Record<string, string>) => void,
    response: ServerResponse,
    record: RecordedRequest,
  ): Promise<boolean> {
    const notFound = (): true => {
      reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/releases' });
      return true;
    };
    const forbidden = (): true => {
      reply(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/releases', status: '403' });
      return true;
    };
    const noContent = (): true => {
      record.status = 204;
      this.send(response, method, url.pathname, 204, undefined);
      return true;
    };
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, this.nextId % 60)).toISOString().replace('.000Z', 'Z');
    const release = params['release_id'] !== undefined ? this.releases.get(Number(params['release_id'])) : undefined;
    if (template === '/repos/{owner}/{repo}/releases' && method === 'GET') {
      const sorted = [...this.releases.values()].sort((a, b) => b.id - a.id);
      const { page, headers } = this.paginate(url, sorted);
      reply(200, page.map((r) => this.releaseJson(r)), headers);
      return true;
    }
    if (template === '/repos/{owner}/{repo}/releases' && method === 'POST') {
      if (this.readOnlyToken) return forbidden();
      const input = isObject(body) ? body : {};
      const tag = typeof input['tag_name'] === 'string' ? input['tag_name'] : '';
      if ([...this.releases.values()].some((r) => r.tag === tag)) {
        reply(422, { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }], documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release' });
        return true;
      }
      const created: FakeRelease = {
        id: this.nextId++,
        tag,
        name: typeof input['name'] === 'string' ? input['name'] : tag,
        body: typeof input['body'] === 'string' ? input['body'] : '',
        targetCommitish: typeof input['target_commitish'] === 'string' ? input['target_commitish'] : 'main',
        createdAt: now,
        assets: [],
      };
      this.releases.set(created.id, created);
      reply(201, this.releaseJson(created), { location: `${this.url}/repos/${this.owner}/${this.repo}/releases/${created.id}` });
      return true;
    }
    if (template === '/repos/{owner}/{repo}/releases/tags/{tag}' && method === 'GET') {
      const found = [...this.releases.values()].find((r) => r.tag === params['tag']);
      if (!found) return notFound();
      reply(200, this.releaseJson(found));
      return true;
    }
    if (template === '/repos/{owner}/{repo}/releases/{release_id}/assets') {
      if (!release) return notFound();
      if (method === 'GET') {
        const { page, headers } = this.paginate(url, release.assets);
        reply(200, page.map((a) => this.assetJson(a)), headers);
        return true;
      }
      if (method === 'POST') {
        if (this.readOnlyToken) return forbidden();
        const name = url.searchParams.get('name') ?? '';
        if (release.assets.some((a) => a.name === name)) {
          // Declared without a body: "if you upload an asset with the same filename as another uploaded asset".
          record.status = 422;
          this.send(response, method, url.pathname, 422, undefined);
          return true;
        }
        const data = body instanceof Uint8Array ? Buffer.from(body) : Buffer.alloc(0);
        const asset: FakeAsset = { id: this.nextId++, name, contentType: record.contentType ?? 'application/octet-stream', data, createdAt: now };
        release.assets.push(asset);
        reply(201, this.assetJson(asset));
        return true;
      }
    }
    if (template === '/repos/{owner}/{repo}/releases/assets/{asset_id}') {
      const found = this.findAsset(Number(params['asset_id']));
      if (!found) return notFound();
      if (method === 'GET') {
        if (record.accept === 'application/octet-stream') {
          record.status = 302;
          this.send(response, method, url.pathname, 302, undefined, { location: `${this.url}/_downloads/${found.asset.id}` });
          return true;
        }
        reply(200, this.assetJson(found.asset));
        return true;
      }
      if (method === 'DELETE') {
        if (this.readOnlyToken) return forbidden();
        found.release.assets = found.release.assets.filter((a) => a.id !== found.asset.id);
        return noContent();
      }
    }
    if (template === '/repos/{owner}/{repo}/dispatches' && method === 'POST') {
      if (this.readOnlyToken) return forbidden();
      this.dispatches.push({ kind: 'repository', body });
      return noContent();
    }
    if (template === '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' && method === 'POST') {
      if (this.readOnlyToken) return forbidden();
      this.dispatches.push({ kind: 'workflow', workflow: params['workflow_id'] ?? '', body });
      return noContent();
    }
    return false;
  }

  private send(response: ServerResponse, method: string, path: string, status: number, body: Json | undefined, headers: Record<string, string> = {}): void {
    const problems = this.validator.validateResponse(method, path, status, body);
    this.violations.push(...problems.map((problem) => `response: ${problem}`));
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  }

  /** Deployments and deployment statuses (the deploy action); true when the request was answered. */
  private handleDeployments(
    template: string,
    method: string,
    params: Record<string, string>,
    body: unknown,
    reply: (status: number, json: Json | undefined, headers?: Record<string, string>) => void,
  ): boolean {
    const api = `${this.url}/repos/${this.owner}/${this.repo}`;
    const deploymentJson = (id: number, request: JsonObject): JsonObject => {
      const json = this.validator.example('deployment');
      Object.assign(json, {
        id,
        node_id: `DE_${id}`,
        url: `${api}/deployments/${id}`,
        statuses_url: `${api}/deployments/${id}/statuses`,
        repository_url: api,
        ref: request['ref'] ?? 'main',
        task: request['task'] ?? 'deploy',
        payload: request['payload'] ?? {},
        environment: request['environment'] ?? 'production',
        description: request['description'] ?? null,
        production_environment: request['production_environment'] ?? true,
        transient_environment: request['transient_environment'] ?? false,
      });
      return json;
    };
    if (template === '/repos/{owner}/{repo}/deployments' && method === 'POST') {
      if (this.readOnlyToken) {
        reply(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/deployments/deployments' });
        return true;
      }
      const request = isObject(body) ? body : {};
      const id = this.nextId++;
      this.deployments.set(id, { request, statuses: [] });
      reply(201, deploymentJson(id, request));
      return true;
    }
    if (template === '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses') {
      const id = Number(params['deployment_id']);
      const deployment = this.deployments.get(id);
      if (!deployment) {
        reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/deployments/statuses' });
        return true;
      }
      if (method === 'GET') {
        reply(200, deployment.statuses);
        return true;
      }
      if (method === 'POST') {
        const request = isObject(body) ? body : {};
        const status = this.validator.example('deployment-status');
        const statusId = this.nextId++;
        Object.assign(status, {
          id: statusId,
          node_id: `DES_${statusId}`,
          url: `${api}/deployments/${id}/statuses/${statusId}`,
          deployment_url: `${api}/deployments/${id}`,
          repository_url: api,
          state: request['state'] ?? 'pending',
          description: request['description'] ?? '',
          environment: request['environment'] ?? deployment.request['environment'] ?? 'production',
        });
        // Absent URLs stay absent (the schema wants a URI when one is given).
        for (const key of ['environment_url', 'log_url', 'target_url']) delete status[key];
        if (typeof request['environment_url'] === 'string') status['environment_url'] = request['environment_url'];
        if (typeof request['log_url'] === 'string') status['log_url'] = status['target_url'] = request['log_url'];
        deployment.statuses.unshift(status);
        reply(201, status);
        return true;
      }
    }
    return false;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    let body: unknown;
    const requestType = request.headers['content-type'];
    if (method === 'GET' && url.pathname.startsWith('/_downloads/')) {
      // Where asset downloads redirect to (objects.githubusercontent.com on github.com): not an API path.
      const asset = this.findAsset(Number(url.pathname.slice('/_downloads/'.length)));
      response.writeHead(asset ? 200 : 404, { 'content-type': 'application/octet-stream' });
      response.end(asset?.asset.data);
      return;
    }
    if (raw.length > 0 && requestType !== undefined && !requestType.startsWith('application/json')) {
      body = new Uint8Array(raw);
    } else if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        this.violations.push(`request: ${method} ${url.pathname}: body is not JSON`);
      }
    }
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, status: 0 };
    if (requestType !== undefined) record.contentType = requestType;
    if (request.headers.accept !== undefined) record.accept = request.headers.accept;
    if (typeof request.headers.authorization === 'string') record.authorization = request.headers.authorization;
    this.requests.push(record);
    const reply = (status: number, json: Json | undefined, headers?: Record<string, string>): void => {
      record.status = status;
      this.send(response, method, url.pathname, status, json, headers);
    };

    const problems = this.validator.validateRequest(method, url, request.headers['content-type'], body);
    if (!request.headers.authorization) problems.push(`${method} ${url.pathname}: no authorization header`);
    if (problems.length > 0) {
      this.violations.push(...problems.map((problem) => `request: ${problem}`));
      record.status = 400;
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: problems.join('; ') }));
      return;
    }

    const limited = this.rateLimitQueue.shift();
    if (limited === 'primary') {
      reply(403, { message: 'API rate limit exceeded for installation ID 1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + this.rateLimitResetSeconds),
      });
      return;
    }
    if (limited === 'secondary') {
      reply(429, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' }, { 'retry-after': '1' });
      return;
    }

    const matched = this.validator.match(method, url.pathname);
    const params = matched?.params ?? {};
    if (params['owner'] !== this.owner || params['repo'] !== this.repo) {
      reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
      return;
    }
    const bearer = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const permissions = bearer === undefined ? undefined : this.tokens.get(bearer);
    if (permissions && matched) {
      const xGitHub = matched.operation['x-github'];
      const category = isObject(xGitHub) && typeof xGitHub['category'] === 'string' ? xGitHub['category'] : undefined;
      const subcategory = isObject(xGitHub) && typeof xGitHub['subcategory'] === 'string' ? xGitHub['subcategory'] : undefined;
      const required = requiredPermission(method, matched.template, category, subcategory);
      if (!grants(permissions, required)) {
        this.refusedForPermission.push(`${method} ${url.pathname}: needs ${required.scopes.map((scope) => `${scope}: ${required.level}`).join(' or ')}`);
        const docs = isObject(matched.operation['externalDocs']) ? matched.operation['externalDocs']['url'] : undefined;
        reply(403, { message: 'Resource not accessible by integration', documentation_url: typeof docs === 'string' ? docs : 'https://docs.github.com/rest', status: '403' });
        return;
      }
    }
    const notFound = (): void => reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    const forbidden = (): void => reply(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/issues/comments', status: '403' });
    const template = matched?.template;

    if (template === '/repos/{owner}/{repo}/pulls/{pull_number}' && method === 'GET') {
      const number = Number(params['pull_number']);
      const pull = this.pulls.get(number);
      if (!pull) return notFound();
      return reply(200, this.pullJson(number, pull.fork));
    }
    if (template === '/repos/{owner}/{repo}/issues/{issue_number}/comments') {
      const issue = Number(params['issue_number']);
      if (!this.pulls.has(issue)) return notFound();
      const list = this.comments.get(issue) ?? [];
      if (method === 'GET') {
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
        const page = Number(url.searchParams.get('page') ?? '1');
        const slice = list.slice((page - 1) * perPage, page * perPage);
        const lastPage = Math.max(1, Math.ceil(list.length / perPage));
        const link = (p: number, rel: string): string => `<${this.url}${url.pathname}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links: string[] = [];
        if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        return reply(200, slice.map((comment) => this.commentJson(issue, comment)), links.length > 0 ? { link: links.join(', ') } : {});
      }
      if (method === 'POST') {
        if (this.readOnlyToken) return forbidden();
        const [created] = this.addComments(issue, [isObject(body) && typeof body['body'] === 'string' ? body['body'] : '']);
        if (!created) return notFound();
        return reply(201, this.commentJson(issue, created), { location: `${this.url}/repos/${this.owner}/${this.repo}/issues/comments/${created.id}` });
      }
    }
    if (template === '/repos/{owner}/{repo}/issues/comments/{comment_id}') {
      const id = Number(params['comment_id']);
      for (const [issue, list] of this.comments) {
        const index = list.findIndex((comment) => comment.id === id);
        const comment = list[index];
        if (!comment) continue;
        if (method === 'GET') return reply(200, this.commentJson(issue, comment));
        if (this.readOnlyToken) return forbidden();
        if (method === 'PATCH') {
          comment.body = isObject(body) && typeof body['body'] === 'string' ? body['body'] : comment.body;
          return reply(200, this.commentJson(issue, comment));
        }
        if (method === 'DELETE') {
          list.splice(index, 1);
          record.status = 204;
          this.send(response, method, url.pathname, 204, undefined);
          return;
        }
      }
      return notFound();
    }
    if (template !== undefined && this.git.handle(template, method, params, body, reply)) return;
    if (template !== undefined && this.workflowRuns.handle(template, method, url, params, reply)) return;
    if (template !== undefined && (await this.handleReleases(template, method, url, params, body, reply, response, record))) return;
    if (template !== undefined && this.handleDeployments(template, method, params, body, reply)) return;
    if (template === '/repos/{owner}/{repo}/issues') {
      if (method === 'GET') {
        const state = url.searchParams.get('state') ?? 'open';
        const list = [...this.issues.values()].filter((issue) => state === 'all' || issue.state === state).sort((a, b) => b.number - a.number);
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '30'), 100);
        const page = Number(url.searchParams.get('page') ?? '1');
        const lastPage = Math.max(1, Math.ceil(list.length / perPage));
        const link = (p: number, rel: string): string => `<${this.url}${url.pathname}?state=${state}&per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links: string[] = [];
        if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        return reply(200, list.slice((page - 1) * perPage, page * perPage).map((issue) => this.issueJson(issue)), links.length > 0 ? { link: links.join(', ') } : {});
      }
      if (method === 'POST') {
        if (this.readOnlyToken) return forbidden();
        const fields = isObject(body) ? body : {};
        const labels = Array.isArray(fields['labels']) ? fields['labels'].filter((label): label is string => typeof label === 'string') : [];
        const created = this.addIssue({ title: String(fields['title'] ?? ''), body: typeof fields['body'] === 'string' ? fields['body'] : '', state: 'open', labels, pullRequest: false });
        return reply(201, this.issueJson(created), { location: `${this.url}/repos/${this.owner}/${this.repo}/issues/${created.number}` });
      }
    }
    if (template === '/repos/{owner}/{repo}/issues/{issue_number}') {
      const issue = this.issues.get(Number(params['issue_number']));
      if (!issue) return notFound();
      if (method === 'GET') return reply(200, this.issueJson(issue));
      if (method === 'PATCH') {
        if (this.readOnlyToken) return forbidden();
        const fields = isObject(body) ? body : {};
        if (typeof fields['title'] === 'string') issue.title = fields['title'];
        if (typeof fields['body'] === 'string') issue.body = fields['body'];
        if (fields['state'] === 'open' || fields['state'] === 'closed') issue.state = fields['state'];
        return reply(200, this.issueJson(issue));
      }
    }
    this.violations.push(`request: ${method} ${url.pathname}: documented, but not implemented by the fake server`);
    record.status = 501;
    response.writeHead(501);
    response.end();
  }
}
