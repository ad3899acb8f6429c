/**
 * The drift history of a pipeline kept on GitHub, so that the trend outlives the runner: one release per
 * pipeline, tag `monitoring/<pipeline>`, holding the history file as an asset `history-<seq>.jsonl`. As in
 * the registry's alias table (src/registry/github.ts), assets cannot be replaced in place, so every check
 * uploads the next sequence number: asset names are unique per release, so of two writers that read the
 * same state only one upload succeeds (422 for the other, which re-reads and retries); older assets are
 * deleted afterwards. Readers take the highest sequence. The release is created with `make_latest: false`.
 * The token needs `contents: write`.
 */
import type { Octokit } from '@octokit/rest';
import { httpFailure } from '../adapters/github-client.js';
import { ConfigurationError } from '../util/errors.js';
import type { Repository } from './alerts.js';

/** Lines kept in the stored history (the oldest go first). */
export const MAX_STORED_CHECKS = 1000;

interface Release {
  id: number;
  upload_url: string;
}

function statusOf(error: unknown): number | undefined {
  return httpFailure(error)?.status;
}

export function historyTag(pipeline: string): string {
  return `monitoring/${pipeline.replace(/[^A-Za-z0-9._-]+/g, '_') || 'default'}`;
}

const ASSET = /^history-(\d+)\.jsonl$/;

/** Checks that keep their columns' binned distributions; older lines drop them (the asset stays small). */
export const CHECKS_WITH_DISTRIBUTIONS = 30;

/** The lines, with `distribution` removed from every column of all but the newest CHECKS_WITH_DISTRIBUTIONS. */
function withoutOldDistributions(lines: string[]): string[] {
  return lines.map((text, index) => {
    if (index >= lines.length - CHECKS_WITH_DISTRIBUTIONS || !text.includes('"distribution"')) return text;
    try {
      const entry = JSON.parse(text) as { verdict?: { columns?: { distribution?: unknown }[]; prediction?: { distribution?: unknown } | null } };
      for (const column of entry.verdict?.columns ?? []) delete column.distribution;
      if (entry.verdict?.prediction) delete entry.verdict.prediction.distribution;
      return JSON.stringify(entry);
    } catch {
      // Not ours to fix: a line that does not parse is kept as it is (readers report it).
      return text;
    }
  });
}

export class GitHubHistoryStore {
  constructor(
    private readonly octokit: Octokit,
    private readonly repository: Repository,
    private readonly pipeline: string,
  ) {}

  private async release(create: boolean): Promise<Release | undefined> {
    const tag = historyTag(this.pipeline);
    const releases = await this.octokit.paginate(this.octokit.rest.repos.listReleases, { ...this.repository, per_page: 100 });
    const found = releases.find((release) => release.tag_name === tag);
    if (found) return { id: found.id, upload_url: found.upload_url };
    if (!create) return undefined;
    try {
      const { data } = await this.octokit.rest.repos.createRelease({
        ...this.repository,
        tag_name: tag,
        name: `Drift history: ${this.pipeline}`,
        body: `The drift checks of pipeline ${this.pipeline}, one JSON line each (newest history-<seq>.jsonl), kept by the mlops monitor action.`,
        make_latest: 'false',
      });
      return { id: data.id, upload_url: data.upload_url };
    } catch (error) {
      // Another writer created it first.
      if (statusOf(error) === 422) return this.release(false);
      throw error;
    }
  }

  private async latest(release: Release): Promise<{ seq: number; id: number; others: number[] } | undefined> {
    const assets = await this.octokit.paginate(this.octokit.rest.repos.listReleaseAssets, { ...this.repository, release_id: release.id, per_page: 100 });
    let best: { seq: number; id: number } | undefined;
    const all: number[] = [];
    for (const asset of assets) {
      const match = ASSET.exec(asset.name);
      if (!match) continue;
      all.push(asset.id);
      const seq = Number(match[1]);
      if (!best || seq > best.seq) best = { seq, id: asset.id };
    }
    return best ? { ...best, others: all.filter((id) => id !== best.id) } : undefined;
  }

  private async download(assetId: number): Promise<string> {
    const response = await this.octokit.rest.repos.getReleaseAsset({ ...this.repository, asset_id: assetId, headers: { accept: 'application/octet-stream' } });
    const data: unknown = response.data;
    if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
    if (typeof data === 'string') return data;
    throw new Error(`history asset ${assetId}: expected bytes, got ${typeof data}`);
  }

  /** The stored history text ('' when there is none yet). */
  async read(): Promise<string> {
    const release = await this.release(false);
    if (!release) return '';
    const latest = await this.latest(release);
    return latest ? this.download(latest.id) : '';
  }

  /** Appends `line` to the stored history and returns the whole text now stored. */
  async append(line: string): Promise<string> {
    const release = await this.release(true);
    if (!release) throw new Error(`the release ${historyTag(this.pipeline)} vanished while it was being created`);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.latest(release);
      const before = latest ? await this.download(latest.id) : '';
      const lines = withoutOldDistributions([...before.split('\n').filter((text) => text.trim() !== ''), line.trim()].slice(-MAX_STORED_CHECKS));
      const text = `${lines.join('\n')}\n`;
      const bytes = new TextEncoder().encode(text);
      const name = `history-${(latest?.seq ?? 0) + 1}.jsonl`;
      try {
        await this.octokit.request({ method: 'POST', url: release.upload_url, name, headers: { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength }, data: bytes });
      } catch (error) {
        // Another check uploaded this sequence number first: read its history and append to that.
        if (statusOf(error) === 422) continue;
        throw error;
      }
      if (latest) {
        for (const id of [latest.id, ...latest.others]) {
          try {
            await this.octokit.rest.repos.deleteReleaseAsset({ ...this.repository, asset_id: id });
          } catch (error) {
            if (statusOf(error) !== 404) throw error;
          }
        }
      }
      return text;
    }
    throw new ConfigurationError(`could not append to the drift history ${historyTag(this.pipeline)}: other checks kept writing it (5 attempts)`);
  }
}
