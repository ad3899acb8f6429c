/**
 * Git data (blobs, trees, commits, refs) for the fake GitHub REST API (github-api-server.ts), as GitHub
 * documents them (docs.github.com/rest/git): object ids are git's SHA-1 of the object, `POST /git/trees`
 * takes `base_tree` and nested paths and deletes an entry whose `sha` is null, `POST /git/refs` answers 422
 * when the ref exists, and `PATCH /git/refs/{ref}` refuses (422) an update that is not a fast forward
 * unless `force` is set. Requests and responses are checked against the OpenAPI description by the server.
 */
import { createHash } from 'node:crypto';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Blob {
  type: 'blob';
  content: Buffer;
}
interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree';
  sha: string;
}
interface Tree {
  type: 'tree';
  entries: TreeEntry[];
}
interface Commit {
  type: 'commit';
  tree: string;
  parents: string[];
  message: string;
  date: string;
}
type GitObject = Blob | Tree | Commit;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function gitSha(kind: string, content: Buffer): string {
  return createHash('sha1').update(`${kind} ${content.length}\0`).update(content).digest('hex');
}

export type Reply = (status: number, json: Json | undefined, headers?: Record<string, string>) => void;

export class FakeGitData {
  readonly objects = new Map<string, GitObject>();
  /** `heads/<branch>` → commit sha. */
  readonly refs = new Map<string, string>();

  constructor(
    private readonly api: () => string,
    private readonly example: (name: string) => JsonObject,
    private readonly htmlBase: string,
  ) {}

  private store(object: GitObject): string {
    let sha: string;
    if (object.type === 'blob') sha = gitSha('blob', object.content);
    else if (object.type === 'tree') {
      const body = Buffer.concat(
        [...object.entries].sort((a, b) => (a.path < b.path ? -1 : 1)).map((e) => Buffer.concat([Buffer.from(`${e.mode === '040000' ? '40000' : e.mode} ${e.path}\0`), Buffer.from(e.sha, 'hex')])),
      );
      sha = gitSha('tree', body);
    } else {
      const lines = [`tree ${object.tree}`, ...object.parents.map((p) => `parent ${p}`), `author mlops <mlops@example.com> ${Date.parse(object.date) / 1000} +0000`, '', object.message];
      sha = gitSha('commit', Buffer.from(lines.join('\n')));
    }
    this.objects.set(sha, object);
    return sha;
  }

  /** Every file of a tree, by path: `{path → {mode, sha}}`. */
  files(treeSha: string, prefix = ''): Map<string, { mode: string; sha: string }> {
    const found = new Map<string, { mode: string; sha: string }>();
    const tree = this.objects.get(treeSha);
    if (tree?.type !== 'tree') return found;
    for (const entry of tree.entries) {
      const path = `${prefix}${entry.path}`;
      if (entry.type === 'tree') for (const [sub, file] of this.files(entry.sha, `${path}/`)) found.set(sub, file);
      else found.set(path, { mode: entry.mode, sha: entry.sha });
    }
    return found;
  }

  /** Builds the nested trees of a flat file map; returns the root tree's sha. */
  private build(files: Map<string, { mode: string; sha: string }>): string {
    const here: TreeEntry[] = [];
    const folders = new Map<string, Map<string, { mode: string; sha: string }>>();
    for (const [path, file] of files) {
      const slash = path.indexOf('/');
      if (slash < 0) here.push({ path, mode: file.mode, type: 'blob', sha: file.sha });
      else {
        const folder = path.slice(0, slash);
        if (!folders.has(folder)) folders.set(folder, new Map());
        folders.get(folder)?.set(path.slice(slash + 1), file);
      }
    }
    for (const [folder, inner] of folders) here.push({ path: folder, mode: '040000', type: 'tree', sha: this.build(inner) });
    return this.store({ type: 'tree', entries: here });
  }

  /** The file of `path` at the tip of `branch`, if any (for tests). */
  fileAt(branch: string, path: string): Buffer | undefined {
    const tip = this.refs.get(`heads/${branch}`);
    const commit = tip === undefined ? undefined : this.objects.get(tip);
    if (commit?.type !== 'commit') return undefined;
    const file = this.files(commit.tree).get(path);
    const blob = file ? this.objects.get(file.sha) : undefined;
    return blob?.type === 'blob' ? blob.content : undefined;
  }

  /** Paths at the tip of `branch` (for tests). */
  pathsAt(branch: string): string[] {
    const tip = this.refs.get(`heads/${branch}`);
    const commit = tip === undefined ? undefined : this.objects.get(tip);
    return commit?.type === 'commit' ? [...this.files(commit.tree).keys()].sort() : [];
  }

  private isAncestor(ancestor: string, of: string): boolean {
    const pending = [of];
    for (let sha = pending.pop(); sha !== undefined; sha = pending.pop()) {
      if (sha === ancestor) return true;
      const commit = this.objects.get(sha);
      if (commit?.type === 'commit') pending.push(...commit.parents);
    }
    return false;
  }

  private refJson(ref: string, sha: string): JsonObject {
    const json = this.example('git-ref');
    Object.assign(json, { ref: `refs/${ref}`, node_id: `REF_${sha.slice(0, 8)}`, url: `${this.api()}/git/refs/${ref}`, object: { type: 'commit', sha, url: `${this.api()}/git/commits/${sha}` } });
    return json;
  }

  private commitJson(sha: string, commit: Commit): JsonObject {
    const json = this.example('git-commit');
    const person = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com', date: commit.date };
    Object.assign(json, {
      sha,
      node_id: `C_${sha.slice(0, 8)}`,
      url: `${this.api()}/git/commits/${sha}`,
      html_url: `${this.htmlBase}/commit/${sha}`,
      author: person,
      committer: person,
      message: commit.message,
      tree: { sha: commit.tree, url: `${this.api()}/git/trees/${commit.tree}` },
      parents: commit.parents.map((parent) => ({ sha: parent, url: `${this.api()}/git/commits/${parent}`, html_url: `${this.htmlBase}/commit/${parent}` })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    });
    return json;
  }

  private treeJson(sha: string, tree: Tree): JsonObject {
    return {
      sha,
      url: `${this.api()}/git/trees/${sha}`,
      truncated: false,
      tree: tree.entries.map((entry) => {
        const object = this.objects.get(entry.sha);
        return {
          path: entry.path,
          mode: entry.mode,
          type: entry.type,
          sha: entry.sha,
          url: `${this.api()}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`,
          ...(object?.type === 'blob' ? { size: object.content.length } : {}),
        };
      }),
    };
  }

  /** Answers a git data operation; false when `template` is not one. */
  handle(template: string, method: string, params: Record<string, string>, body: unknown, reply: Reply): boolean {
    const unprocessable = (message: string): true => {
      reply(422, { message, documentation_url: 'https://docs.github.com/rest/git', status: '422' });
      return true;
    };
    const notFound = (): true => {
      reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git', status: '404' });
      return true;
    };
    const input = isObject(body) ? body : {};
    const date = new Date(Date.UTC(2026, 0, 1, 0, 0, this.objects.size % 60)).toISOString().replace('.000Z', 'Z');
    switch (`${method} ${template}`) {
      case 'POST /repos/{owner}/{repo}/git/blobs': {
        const content = typeof input['content'] === 'string' ? input['content'] : '';
        const bytes = input['encoding'] === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
        const sha = this.store({ type: 'blob', content: bytes });
        reply(201, { url: `${this.api()}/git/blobs/${sha}`, sha }, { location: `${this.api()}/git/blobs/${sha}` });
        return true;
      }
      case 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': {
        const blob = this.objects.get(params['file_sha'] ?? '');
        if (blob?.type !== 'blob') return notFound();
        const sha = params['file_sha'] ?? '';
        reply(200, { content: blob.content.toString('base64'), encoding: 'base64', url: `${this.api()}/git/blobs/${sha}`, sha, size: blob.content.length, node_id: `B_${sha.slice(0, 8)}` });
        return true;
      }
      case 'GET /repos/{owner}/{repo}/git/ref/{ref}': {
        const ref = decodeURIComponent(params['ref'] ?? '');
        const sha = this.refs.get(ref);
        if (sha === undefined) return notFound();
        reply(200, this.refJson(ref, sha));
        return true;
      }
      case 'POST /repos/{owner}/{repo}/git/refs': {
        const full = typeof input['ref'] === 'string' ? input['ref'] : '';
        const sha = typeof input['sha'] === 'string' ? input['sha'] : '';
        if (!full.startsWith('refs/') || full.split('/').length < 3) return unprocessable('Reference name must start with refs/ and have at least two slashes');
        if (this.objects.get(sha)?.type !== 'commit') return unprocessable('Object does not exist');
        const ref = full.slice('refs/'.length);
        if (this.refs.has(ref)) return unprocessable('Reference already exists');
        this.refs.set(ref, sha);
        reply(201, this.refJson(ref, sha), { location: `${this.api()}/git/refs/${ref}` });
        return true;
      }
      case 'PATCH /repos/{owner}/{repo}/git/refs/{ref}': {
        const ref = decodeURIComponent(params['ref'] ?? '');
        const current = this.refs.get(ref);
        const sha = typeof input['sha'] === 'string' ? input['sha'] : '';
        if (current === undefined) return unprocessable('Reference does not exist');
        if (this.objects.get(sha)?.type !== 'commit') return unprocessable('Object does not exist');
        if (input['force'] !== true && !this.isAncestor(current, sha)) return unprocessable('Update is not a fast forward');
        this.refs.set(ref, sha);
        reply(200, this.refJson(ref, sha));
        return true;
      }
      case 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': {
        const sha = params['commit_sha'] ?? '';
        const commit = this.objects.get(sha);
        if (commit?.type !== 'commit') return notFound();
        reply(200, this.commitJson(sha, commit));
        return true;
      }
      case 'POST /repos/{owner}/{repo}/git/commits': {
        const tree = typeof input['tree'] === 'string' ? input['tree'] : '';
        const parents = Array.isArray(input['parents']) ? input['parents'].filter((p): p is string => typeof p === 'string') : [];
        if (this.objects.get(tree)?.type !== 'tree') return unprocessable('Tree SHA does not exist');
        if (parents.some((parent) => this.objects.get(parent)?.type !== 'commit')) return unprocessable('Parent SHA does not exist or is not a commit object');
        const commit: Commit = { type: 'commit', tree, parents, message: typeof input['message'] === 'string' ? input['message'] : '', date };
        const sha = this.store(commit);
        reply(201, this.commitJson(sha, commit), { location: `${this.api()}/git/commits/${sha}` });
        return true;
      }
      case 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': {
        const sha = params['tree_sha'] ?? '';
        const tree = this.objects.get(sha);
        if (tree?.type !== 'tree') return notFound();
        reply(200, this.treeJson(sha, tree));
        return true;
      }
      case 'POST /repos/{owner}/{repo}/git/trees': {
        const base = typeof input['base_tree'] === 'string' ? input['base_tree'] : undefined;
        if (base !== undefined && this.objects.get(base)?.type !== 'tree') return unprocessable('base_tree is not a valid tree oid');
        const files = base !== undefined ? this.files(base) : new Map<string, { mode: string; sha: string }>();
        for (const item of Array.isArray(input['tree']) ? input['tree'] : []) {
          if (!isObject(item) || typeof item['path'] !== 'string') return unprocessable('tree.path is required');
          const path = item['path'];
          const sha = item['sha'];
          if (sha === null) {
            // Deletes the file, or every file below the folder.
            for (const key of [...files.keys()]) if (key === path || key.startsWith(`${path}/`)) files.delete(key);
            continue;
          }
          if (typeof sha !== 'string') return unprocessable('tree.sha is required (content is not supported by this fake)');
          const object = this.objects.get(sha);
          if (item['type'] === 'tree') {
            if (object?.type !== 'tree') return unprocessable(`tree.sha ${sha} is not a tree`);
            for (const key of [...files.keys()]) if (key.startsWith(`${path}/`)) files.delete(key);
            for (const [sub, file] of this.files(sha, `${path}/`)) files.set(sub, file);
          } else {
            if (object?.type !== 'blob') return unprocessable(`tree.sha ${sha} is not a blob`);
            files.set(path, { mode: typeof item['mode'] === 'string' ? item['mode'] : '100644', sha });
          }
        }
        const sha = this.build(files);
        const tree = this.objects.get(sha) as Tree;
        reply(201, this.treeJson(sha, tree), { location: `${this.api()}/git/trees/${sha}` });
        return true;
      }
      default:
        return false;
    }
  }
}
