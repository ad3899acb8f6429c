/**
 * The local registry: models, versions, aliases and history (lineage is in each version), and
 * promote / rollback through the same LocalRegistry methods `mlops models promote|rollback` call, so the
 * move is locked, logged in history.jsonl with who did it, and visible to `mlops models history`.
 */
import { LocalRegistry } from '../../registry/local.js';
import { checkAliasName, checkModelName } from '../../registry/model.js';
import type { ModelInfo } from '../api-types.js';
import { HttpError, readJsonBody, route, stringField, type Route, type RouteContext } from '../http.js';

async function models({ projectDir }: RouteContext): Promise<ModelInfo[]> {
  const registry = new LocalRegistry(projectDir);
  const infos: ModelInfo[] = [];
  for (const name of await registry.models()) {
    infos.push({ name, versions: await registry.versions(name), aliases: await registry.aliases(name), history: await registry.history(name) });
  }
  return infos;
}

function requireWritable(context: RouteContext): void {
  if (!context.writable) throw new HttpError(403, 'this UI was started with --read-only: promote and roll back with `mlops models`');
}

/** The reason recorded with a move from the UI says where it came from. */
function reasonOf(body: Record<string, unknown>): string {
  const given = stringField(body, 'reason');
  return given ? `${given} (from mlops ui)` : 'from mlops ui';
}

async function promote(context: RouteContext): Promise<unknown> {
  requireWritable(context);
  const body = await readJsonBody(context.request);
  const name = checkModelName(context.params['name'] ?? '');
  const alias = checkAliasName(stringField(body, 'alias') ?? 'production');
  const version = body['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new HttpError(400, "'version' must be a version number");
  const registry = new LocalRegistry(context.projectDir);
  return registry.promote(name, alias, { kind: 'version', version }, reasonOf(body));
}

async function rollback(context: RouteContext): Promise<unknown> {
  requireWritable(context);
  const body = await readJsonBody(context.request);
  const name = checkModelName(context.params['name'] ?? '');
  const alias = checkAliasName(stringField(body, 'alias') ?? 'production');
  const registry = new LocalRegistry(context.projectDir);
  return registry.rollback(name, alias, reasonOf(body));
}

export const modelRoutes: Route[] = [
  route('GET', '/api/models', models),
  route('POST', '/api/models/:name/promote', promote),
  route('POST', '/api/models/:name/rollback', rollback),
];
