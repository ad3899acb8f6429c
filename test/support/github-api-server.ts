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
 * 403 and 429 answers can come from any endpoint (rate limits, docs.github.com "Rate limits for the
 * REST API"; a token without write permission, "Resource not accessible by integration") but are not
 * declared for every operation in the description; they are allowed for every operation and their
 * bodies validated against `basic-error`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

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
    this.ajv.addSchema({ components: { schemas: this.spec.components.schemas } }, 'github');
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
      validate = this.ajv.compile(rehome(schema) as object);
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
    if (isObject(requestBody)) {
      const content = requestBody['content'];
      const schema = isObject(content) && isObject(content['application/json']) ? content['application/json']['schema'] : undefined;
      if (body === undefined) {
        if (requestBody['required'] === true) problems.push(`${where}: request body required`);
      } else {
        if (!contentType?.startsWith('application/json')) problems.push(`${where}: content-type ${contentType ?? 'missing'}, expected application/json`);
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
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
}

export type RateLimitKind = 'primary' | 'secondary';

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Pull requests that exist, by number; `fork` makes the head repository a different one. */
  readonly pulls = new Map<number, { fork: boolean }>();
  readonly comments = new Map<number, FakeComment[]>();
  /** Write requests (POST/PATCH/DELETE) answer 403 "Resource not accessible by integration". */
  readOnlyToken = false;
  /** The next N requests answer with a rate-limit error. */
  rateLimitQueue: RateLimitKind[] = [];
  /** Seconds from now at which a primary rate limit resets (`x-ratelimit-reset`). */
  rateLimitResetSeconds = 1;
  private nextId = 1000;
  private server: Server | undefined;
  private readonly validator = new OpenApiValidator();
  url = '';

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? 'octo-org';
    this.repo = options.repo ?? 'models';
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

  private send(response: ServerResponse, method: string, path: string, status: number, body: Json | undefined, headers: Record<string, string> = {}): void {
    const problems = this.validator.validateResponse(method, path, status, body);
    this.violations.push(...problems.map((problem) => `response: ${problem}`));
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', this.url);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        this.violations.push(`request: ${method} ${url.pathname}: body is not JSON`);
      }
    }
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, status: 0 };
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
    this.violations.push(`request: ${method} ${url.pathname}: documented, but not implemented by the fake server`);
    record.status = 501;
    response.writeHead(501);
    response.end();
  }
}
