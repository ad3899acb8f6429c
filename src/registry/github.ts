/**
 * The registry on GitHub, in releases, so that versions outlive artifact retention (90 days at most)
 * and any client (a batch job, an edge device) can download a model with nothing but a token:
 *
 * - one release per version, tag `model/<name>/v<N>`, assets = the model files + `manifest.json`
 *   (the ModelVersion: sha256 and size of every file, metrics, lineage, tags, and which asset holds
 *   which file). The manifest is uploaded last: a release without one is an interrupted registration
 *   and is ignored. Version numbers are allocated by creating the tag: GitHub answers 422 when the tag
 *   already has a release, and we retry with the next number.
 * - one release per model, tag `model/<name>/aliases`, holding the alias table and the whole alias
 *   history as an asset `aliases-<seq>.json`. Assets cannot be replaced in place (replace = delete +
 *   upload, with a window where none exists), so every change uploads the next sequence number instead:
 *   asset names are unique per release, so of two writers that read the same state only one upload
 *   succeeds (422 for the other, which re-reads and retries). After uploading, the writer checks that no
 *   higher sequence exists (a writer that read a state whose successor was already deleted), then
 *   deletes the older assets. Readers take the highest sequence and retry when it vanishes under them.
 *
 * Limits: listing goes through `GET /releases` (100 per page), because tags contain '/' and lookups by
 * tag would depend on how the slash is encoded; a repository with thousands of releases makes listing
 * slow. Alias history grows with every move (one small JSON per move; fine for thousands of moves).
 * Asset names are flat, so file paths are mapped to asset names in the manifest. Repositories with
 * immutable releases enabled refuse asset changes after publication: the aliases release then needs
 * that setting off. Releases are created with `make_latest: false` so they never become the
 * repository's "latest release". A token needs `contents: write` to register and promote, `contents:
 * read` to resolve and download.
 */
import { writeFileAtomic } from '../util/fs.js';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { httpFailure } from '../adapters/github-client.js';
import { ConfigurationError } from '../util/errors.js';
import {
  applyPromotion,
  applyRollback,
  checkAliasName,
  checkModelName,
  checkRelativePath,
  currentActor,
  selectVersion,
  type AliasEvent,
  type AliasTable,
  type ModelFile,
  type ModelRegistry,
  type ModelVersion,
  type NewVersion,
  type Selector,
} from './model.js';

export const MANIFEST_ASSET = 'manifest.json';

/** What `manifest.json` holds. */
export interface ReleaseManifest {
  format: 1;
  version: ModelVersion;
  /** File path → asset name. */
  assets: Record<string, string>;
}

/** What the aliases asset holds. */
export interface AliasDocument {
  format: 1;
  seq: number;
  aliases: AliasTable;
  history: AliasEvent[];
}

export interface GitHubRegistryOptions {
  owner: string;
  repo: string;
  /** Who is acting (default: GITHUB_ACTOR, git user.name, $USER). */
  actor?: string;
  now?: () => Date;
  /** Attempts for optimistic updates (default 8). */
  attempts?: number;
}

interface ReleaseInfo {
  id: number;
  tag_name: string;
  upload_url: string;
}

interface AssetInfo {
  id: number;
  name: string;
}

export function versionTag(name: string, version: number): string {
  return `model/${name}/v${version}`;
}

export function aliasesTag(name: string): string {
  return `model/${name}/aliases`;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function statusOf(error: unknown): number | undefined {
  return httpFailure(error)?.status;
}

/** Flat, unique asset names for file paths (GitHub renames unusual characters, so keep to a safe set). */
export function assetNames(paths: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  const used = new Set([MANIFEST_ASSET]);
  paths.forEach((path, index) => {
    const safe = basename(path).replace(/[^A-Za-z0-9._-]/g, '_') || 'file';
    let name = used.has(safe) || safe.startsWith('aliases-') ? `${index + 1}-${safe}` : safe;
    while (used.has(name)) name = `${index + 1}-${name}`;
    used.add(name);
    names[path] = name;
  });
  return names;
}

export class GitHubRegistry implements ModelRegistry {
  private readonly owner: string;
  private readonly repo: string;
  private readonly attempts: number;

  constructor(
    private readonly octokit: Octokit,
    private readonly options: GitHubRegistryOptions,
  ) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.attempts = options.attempts ?? 8;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private actor(): string {
    return this.options.actor ?? currentActor();
  }

  private async releases(): Promise<ReleaseInfo[]> {
    const all = await this.octokit.paginate(this.octokit.rest.repos.listReleases, { owner: this.owner, repo: this.repo, per_page: 100 });
    return all.map((r) => ({ id: r.id, tag_name: r.tag_name, upload_url: r.upload_url }));
  }

  private async assets(releaseId: number): Promise<AssetInfo[]> {
    const all = await this.octokit.paginate(this.octokit.rest.repos.listReleaseAssets, { owner: this.owner, repo: this.repo, release_id: releaseId, per_page: 100 });
    return all.map((a) => ({ id: a.id, name: a.name }));
  }

  private async download(assetId: number): Promise<Uint8Array> {
    const response = await this.octokit.rest.repos.getReleaseAsset({ owner: this.owner, repo: this.repo, asset_id: assetId, headers: { accept: 'application/octet-stream' } });
    const data: unknown = response.data;
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    if (typeof data === 'string') return new TextEncoder().encode(data);
    throw new Error(`asset ${assetId}: expected bytes, got ${typeof data}`);
  }

  /** Uploads to the release's own `upload_url` (uploads.github.com on github.com, the API host on GHES). */
  private async upload(release: ReleaseInfo, name: string, bytes: Uint8Array): Promise<AssetInfo> {
    // The upload operation declares only application/octet-stream; the manifest is JSON bytes like any file.
    const contentType = 'application/octet-stream';
    const response = await this.octokit.request({
      method: 'POST',
      url: release.upload_url,
      name,
      headers: { 'content-type': contentType, 'content-length': bytes.byteLength },
      data: bytes,
    });
    const data = response.data as { id: number; name: string };
    return { id: data.id, name: data.name };
  }

  private async createRelease(tag: string, title: string, body: string, commit?: string): Promise<ReleaseInfo | undefined> {
    try {
      const response = await this.octokit.rest.repos.createRelease({
        owner: this.owner,
        repo: this.repo,
        tag_name: tag,
        name: title,
        body,
        make_latest: 'false',
        ...(commit ? { target_commitish: commit } : {}),
      });
      return { id: response.data.id, tag_name: response.data.tag_name, upload_url: response.data.upload_url };
    } catch (error) {
      if (statusOf(error) === 422) return undefined;
      throw error;
    }
  }

  async models(): Promise<string[]> {
    const names = new Set<string>();
    for (const release of await this.releases()) {
      const match = /^model\/([^/]+)\/v\d+$/.exec(release.tag_name);
      if (match?.[1]) names.add(match[1]);
    }
    return [...names].sort();
  }

  private async manifests(name: string): Promise<{ release: ReleaseInfo; manifest: ReleaseManifest; assets: AssetInfo[] }[]> {
    checkModelName(name);
    const pattern = new RegExp(`^model/${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/v(\\d+)$`);
    const found: { release: ReleaseInfo; manifest: ReleaseManifest; assets: AssetInfo[] }[] = [];
    for (const release of await this.releases()) {
      const number = Number(pattern.exec(release.tag_name)?.[1]);
      if (!Number.isInteger(number) || number < 1) continue;
      const assets = await this.assets(release.id);
      const manifestAsset = assets.find((a) => a.name === MANIFEST_ASSET);
      if (!manifestAsset) continue;
      const manifest = JSON.parse(new TextDecoder().decode(await this.download(manifestAsset.id))) as ReleaseManifest;
      if (manifest.format !== 1 || manifest.version.version !== number || manifest.version.name !== name) {
        throw new ConfigurationError(`release ${release.tag_name}: manifest.json describes ${manifest.version?.name} v${manifest.version?.version}`);
      }
      found.push({ release, manifest, assets });
    }
    return found.sort((a, b) => a.manifest.version.version - b.manifest.version.version);
  }

  async versions(name: string): Promise<ModelVersion[]> {
    return (await this.manifests(name)).map((m) => m.manifest.version);
  }

  async register(input: NewVersion): Promise<ModelVersion> {
    checkModelName(input.name);
    if (input.files.length === 0) throw new ConfigurationError('a model version needs at least one file');
    const contents: { path: string; bytes: Uint8Array }[] = [];
    for (const file of input.files) contents.push({ path: checkRelativePath(file.path), bytes: await readFile(file.localPath) });
    const files: ModelFile[] = contents.map((c) => ({ path: c.path, sha256: sha256(c.bytes), size: c.bytes.byteLength }));
    const names = assetNames(files.map((f) => f.path));

    const pattern = new RegExp(`^model/${input.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/v(\\d+)$`);
    const taken = (await this.releases()).map((r) => Number(pattern.exec(r.tag_name)?.[1] ?? 0));
    let number = Math.max(0, ...taken) + 1;
    let release: ReleaseInfo | undefined;
    for (let attempt = 0; attempt < this.attempts && !release; attempt++, number++) {
      const metrics = Object.entries(input.metrics ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', ');
      release = await this.createRelease(versionTag(input.name, number), `${input.name} v${number}`, `Model ${input.name} version ${number}. ${metrics}\n\nFiles and checksums: ${MANIFEST_ASSET}.`, input.lineage?.commit);
      if (release) break;
    }
    if (!release) throw new Error(`could not allocate a version of ${input.name} after ${this.attempts} attempts`);

    const version: ModelVersion = {
      name: input.name,
      version: number,
      files,
      metrics: input.metrics ?? {},
      lineage: input.lineage ?? {},
      tags: input.tags ?? {},
      createdAt: this.now().toISOString(),
      createdBy: this.actor(),
    };
    for (const content of contents) await this.upload(release, names[content.path] ?? '', content.bytes);
    const manifest: ReleaseManifest = { format: 1, version, assets: names };
    await this.upload(release, MANIFEST_ASSET, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`));
    return version;
  }

  /** The aliases release and its current document (seq 0 and no release when nothing was promoted yet). */
  private async readAliases(name: string): Promise<{ release?: ReleaseInfo; document: AliasDocument; assets: AssetInfo[] }> {
    const tag = aliasesTag(checkModelName(name));
    const release = (await this.releases()).find((r) => r.tag_name === tag);
    const empty: AliasDocument = { format: 1, seq: 0, aliases: {}, history: [] };
    if (!release) return { document: empty, assets: [] };
    for (let attempt = 0; ; attempt++) {
      const assets = await this.assets(release.id);
      const newest = assets
        .map((a) => ({ asset: a, seq: Number(/^aliases-(\d+)\.json$/.exec(a.name)?.[1] ?? NaN) }))
        .filter((a) => Number.isInteger(a.seq))
        .sort((a, b) => b.seq - a.seq)[0];
      if (!newest) return { release, document: empty, assets };
      try {
        const document = JSON.parse(new TextDecoder().decode(await this.download(newest.asset.id))) as AliasDocument;
        return { release, document: { ...document, seq: newest.seq }, assets };
      } catch (error) {
        // Deleted by a writer between our listing and our download: list again.
        if (statusOf(error) !== 404 || attempt >= this.attempts) throw error;
      }
    }
  }

  async aliases(name: string): Promise<AliasTable> {
    return (await this.readAliases(name)).document.aliases;
  }

  async history(name: string): Promise<AliasEvent[]> {
    return (await this.readAliases(name)).document.history;
  }

  async resolve(name: string, selector: Selector): Promise<ModelVersion> {
    return selectVersion(name, await this.versions(name), await this.aliases(name), selector);
  }

  /** Read, change, upload the next sequence; retried when another writer got there first. */
  private async updateAliases(name: string, change: (aliases: AliasTable, versions: ModelVersion[]) => AliasEvent): Promise<AliasEvent> {
    const versions = await this.versions(name);
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      const state = await this.readAliases(name);
      let release = state.release;
      if (!release) {
        release = await this.createRelease(aliasesTag(name), `${name} aliases`, `Aliases and their history of model ${name} (newest aliases-<seq>.json).`);
        if (!release) continue; // created by someone else meanwhile
      }
      const aliases = structuredClone(state.document.aliases);
      const event = change(aliases, versions);
      const next: AliasDocument = { format: 1, seq: state.document.seq + 1, aliases, history: [...state.document.history, event] };
      let uploaded: AssetInfo;
      try {
        uploaded = await this.upload(release, `aliases-${next.seq}.json`, new TextEncoder().encode(`${JSON.stringify(next, null, 2)}\n`));
      } catch (error) {
        if (statusOf(error) === 422) continue; // that sequence number is taken: re-read
        throw error;
      }
      const after = await this.assets(release.id);
      const seqs = after.map((a) => Number(/^aliases-(\d+)\.json$/.exec(a.name)?.[1] ?? NaN)).filter(Number.isInteger);
      if (seqs.some((s) => s > next.seq)) {
        await this.deleteAsset(uploaded.id);
        continue;
      }
      for (const asset of after) {
        const seq = Number(/^aliases-(\d+)\.json$/.exec(asset.name)?.[1] ?? NaN);
        if (Number.isInteger(seq) && seq < next.seq) await this.deleteAsset(asset.id);
      }
      return event;
    }
    throw new Error(`could not update the aliases of ${name}: ${this.attempts} concurrent updates in a row`);
  }

  private async deleteAsset(id: number): Promise<void> {
    try {
      await this.octokit.rest.repos.deleteReleaseAsset({ owner: this.owner, repo: this.repo, asset_id: id });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  async promote(name: string, alias: string, selector: Selector, reason?: string): Promise<AliasEvent> {
    checkAliasName(alias);
    return this.updateAliases(name, (aliases, versions) => {
      const target = selectVersion(name, versions, aliases, selector);
      return applyPromotion(aliases, alias, target.version, this.actor(), reason, this.now());
    });
  }

  async rollback(name: string, alias: string, reason?: string): Promise<AliasEvent> {
    checkAliasName(alias);
    return this.updateAliases(name, (aliases) => applyRollback(name, aliases, alias, this.actor(), reason, this.now()));
  }

  /** Downloads every file of the version and checks its sha256 and size against the manifest. */
  async pull(version: ModelVersion, dest: string): Promise<string[]> {
    const entry = (await this.manifests(version.name)).find((m) => m.manifest.version.version === version.version);
    if (!entry) throw new ConfigurationError(`${version.name} v${version.version} has no release ${versionTag(version.name, version.version)}`);
    const written: string[] = [];
    for (const file of entry.manifest.version.files) {
      const assetName = entry.manifest.assets[file.path];
      const asset = entry.assets.find((a) => a.name === assetName);
      if (!asset) throw new ConfigurationError(`release ${entry.release.tag_name} has no asset ${assetName ?? '?'} for ${file.path}`);
      const bytes = await this.download(asset.id);
      const actual = sha256(bytes);
      if (actual !== file.sha256 || bytes.byteLength !== file.size) {
        throw new ConfigurationError(`asset ${asset.name} of ${entry.release.tag_name} does not match its manifest: sha256 ${actual} (${bytes.byteLength} bytes), expected ${file.sha256} (${file.size} bytes); refusing to use it`);
      }
      const target = join(dest, checkRelativePath(file.path));
      // Temp path then rename: an interrupted write never leaves a partial model in place.
      await writeFileAtomic(target, bytes);
      written.push(target);
    }
    return written;
  }
}
