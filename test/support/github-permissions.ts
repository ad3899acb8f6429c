/**
 * The `GITHUB_TOKEN` permission model, for the fake REST API (test/support/github-api-server.ts): a token
 * carries the job's `permissions:` and a call needing a permission the token lacks gets GitHub's 403
 * "Resource not accessible by integration".
 *
 * - `permissions:` on a job replaces the workflow's; a mapping grants what it lists and `none` for every
 *   other scope; `read-all` / `write-all` grant every scope; `metadata: read` is always granted.
 * - Without `permissions:` anywhere the token has the repository's default; this models the restricted
 *   default of new repositories and organisations (contents and packages read), so a template must ask for
 *   what it uses.
 * - Which permission an operation needs comes from its category in GitHub's OpenAPI description
 *   (`x-github.category`); GET and HEAD need read, every other method write. Issue comments are also the
 *   pull-request conversation: `issues` or `pull-requests` serves them.
 */

export type PermissionLevel = 'read' | 'write' | 'none';
export type TokenPermissions = Record<string, PermissionLevel>;

/** The scopes `permissions:` accepts (GitHub's workflow syntax). */
export const PERMISSION_SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;

const RESTRICTED_DEFAULT: TokenPermissions = { contents: 'read', packages: 'read' };

function allScopes(level: PermissionLevel): TokenPermissions {
  return Object.fromEntries(PERMISSION_SCOPES.map((scope) => [scope, level]));
}

/** A `permissions:` value (parsed YAML: a mapping, `read-all`, `write-all`, or absent) as token permissions. */
export function permissionsFrom(value: unknown): TokenPermissions {
  let granted: TokenPermissions;
  if (value === undefined || value === null) granted = { ...allScopes('none'), ...RESTRICTED_DEFAULT };
  else if (value === 'read-all') granted = allScopes('read');
  else if (value === 'write-all') granted = allScopes('write');
  else if (typeof value === 'object' && !Array.isArray(value)) {
    granted = allScopes('none');
    for (const [scope, level] of Object.entries(value)) {
      if (!(PERMISSION_SCOPES as readonly string[]).includes(scope)) throw new Error(`unknown permission scope ${scope}`);
      if (level !== 'read' && level !== 'write' && level !== 'none') throw new Error(`permission ${scope}: ${String(level)} is not read, write or none`);
      granted[scope] = level;
    }
  } else throw new Error(`permissions: ${JSON.stringify(value)} is not a mapping, read-all or write-all`);
  return { ...granted, metadata: 'read' };
}

/** A job's token: the job's `permissions:` when it has one, else the workflow's. */
export function jobTokenPermissions(workflowPermissions: unknown, jobPermissions: unknown): TokenPermissions {
  return permissionsFrom(jobPermissions ?? workflowPermissions);
}

/** What an operation needs: any one of `scopes` at `level`. */
export interface RequiredPermission {
  scopes: string[];
  level: 'read' | 'write';
}

/** The permission a documented operation needs, from its OpenAPI `x-github` category and the method. */
export function requiredPermission(method: string, template: string, category: string | undefined, subcategory: string | undefined): RequiredPermission {
  const level = method === 'GET' || method === 'HEAD' ? 'read' : 'write';
  const scopes = ((): string[] => {
    switch (category) {
      case 'pulls':
        return ['pull-requests'];
      case 'issues':
        return subcategory === 'comments' ? ['issues', 'pull-requests'] : ['issues'];
      case 'releases':
      case 'git':
        return ['contents'];
      case 'deployments':
        return ['deployments'];
      case 'actions':
        return ['actions'];
      case 'checks':
        return ['checks'];
      case 'packages':
        return ['packages'];
      case 'pages':
        return ['pages'];
      case 'repos':
        // GET /repos/{owner}/{repo} is metadata; dispatches and contents are contents.
        if (template === '/repos/{owner}/{repo}' && level === 'read') return ['metadata'];
        return ['contents'];
      case 'commits':
        return subcategory === 'statuses' ? ['statuses'] : ['contents'];
      default:
        return ['metadata'];
    }
  })();
  return { scopes, level };
}

/** Whether `permissions` satisfy `required`. */
export function grants(permissions: TokenPermissions, required: RequiredPermission): boolean {
  return required.scopes.some((scope) => {
    const granted = permissions[scope] ?? 'none';
    return required.level === 'read' ? granted === 'read' || granted === 'write' : granted === 'write';
  });
}
