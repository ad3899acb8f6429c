/**
 * A loopback test double of GitHub's results service, speaking the protocol the real
 * `@actions/artifact` (v6) and `@actions/cache` (v6, cache service v2) clients use:
 *
 * - Twirp JSON RPCs at `/twirp/github.actions.results.api.v1.ArtifactService/<Method>` and
 *   `/twirp/github.actions.results.api.v1.CacheService/<Method>`, authenticated by the
 *   `ACTIONS_RUNTIME_TOKEN` JWT whose `scp` claim holds `Actions.Results:<runId>:<jobId>`.
 * - The blobs themselves live in Azurite (real Azure Blob Storage, test/support/azurite.ts): the Twirp
 *   front hands out real service SAS URLs signed with Azurite's account key (upload: create + write;
 *   download: read; one hour, or `sasLifetimeMs`), and Azurite enforces their permissions, expiry, block
 *   ids and ranges. The URLs name `<account>.blob.core.windows.net:<Azurite's port>` as GitHub's do, and
 *   test/support/azure-blob-dns.mjs resolves that name to loopback (in this process, and in every
 *   process started with `env`), so `@actions/cache` takes the Azure SDK path it takes on GitHub.
 *
 * Artifacts are kept per workflow run; a name can be created once per run, re-run attempts included
 * (409 Conflict, like GitHub: a re-run job that uploads the same name fails unless it deletes the
 * earlier one first), and a job of a later attempt sees the artifacts of earlier attempts. `corrupt`
 * and `truncate` damage a stored archive (in Azurite) so tests can check detection.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type ContainerClient,
} from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY, useAzurite } from './azurite.js';

/** The preload that maps `*.blob.core.windows.net` to loopback (plain JavaScript: Node 24 loads it without tsx). */
export const AZURE_BLOB_DNS_HOOK = join(import.meta.dirname, 'azure-blob-dns.mjs');

const ARTIFACT_SERVICE = 'github.actions.results.api.v1.ArtifactService';
const CACHE_SERVICE = 'github.actions.results.api.v1.CacheService';

interface StoredArtifact {
  id: number;
  runId: string;
  jobId: string;
  /** The run attempt of the job that created it. */
  attempt: number;
  name: string;
  /** The blob's name in this server's Azurite container. */
  blobName: string;
  createdAt: Date;
  finalized: boolean;
  size: number;
  digest?: string;
}

interface StoredCacheEntry {
  id: number;
  key: string;
  version: string;
  blobName: string;
  finalized: boolean;
  createdAt: Date;
}

export interface JobIdentity {
  runId: string;
  jobId: string;
  /** `GITHUB_RUN_ATTEMPT` of the job, 1 unless a re-run. */
  attempt?: number;
}

export interface ArtifactServerOptions {
  /** How long the SAS URLs handed out stay valid; negative: already expired (default one hour). */
  sasLifetimeMs?: number;
}

export interface ArtifactServer {
  /** Origin of the server, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Runtime token of the default job (see `runId` / `jobId`). */
  token: string;
  runId: string;
  jobId: string;
  /** Environment the real clients read, for the default job. */
  env: Record<string, string>;
  /** Environment for another job, of the same run (and attempt 1) unless `runId` (`attempt`) is given. */
  envFor(identity: Partial<JobIdentity>): Record<string, string>;
  /** Finalized artifact names of a run (default run when omitted). */
  artifactNames(runId?: string): string[];
  /** Finalized artifacts of a run with the attempt that created each. */
  artifacts(runId?: string): { name: string; attempt: number }[];
  /** Finalized artifacts of a run as the public REST API lists them (test/support/github-workflow-runs.ts). */
  artifactDetails(runId: string): { id: number; name: string; size: number; digest?: string; createdAt: string }[];
  /** A read SAS URL of a finalized artifact's blob: where the REST API's archive download redirects. */
  signedDownloadUrl(runId: string, id: number): string;
  /** The stored archive bytes of an artifact of the default run. */
  archive(name: string): Promise<Buffer>;
  /**
   * Flips the byte in the middle of one zip entry's stored data (`entryPath`, default the largest
   * entry). The zip structure stays intact: with a stored (or incompressible) entry the archive
   * extracts with wrong content; with a deflated entry the client's unzip may reject it instead.
   */
  corrupt(name: string, entryPath?: string): Promise<void>;
  /**
   * Cuts the stored archive. Without `keepBytes`, cuts at the start of the last entry (the archive
   * loses its last file and central directory, and still extracts cleanly); with `keepBytes`, keeps
   * exactly that many bytes (usually mid-entry: the client's unzip rejects it). Returns the name of the
   * entry cut off (without `keepBytes`): the client zips files in the order their stats complete, so
   * which entry is last is not fixed.
   */
  truncate(name: string, keepBytes?: number): Promise<string | undefined>;
  /** Keys of finalized cache entries. */
  cacheKeys(): string[];
  /** Azurite's container holding this server's blobs (to inspect or to call Azurite directly). */
  container: ContainerClient;
  close(): Promise<void>;
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** An HS256 JWT shaped like the runner's `ACTIONS_RUNTIME_TOKEN`. */
export function makeRuntimeToken(identity: JobIdentity, secret: Buffer): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const now = Math.floor(Date.now() / 1000);
  const payload = base64url(
    JSON.stringify({
      scp: `Actions.GenericRead:${identity.runId} Actions.Results:${identity.runId}:${identity.jobId} Actions.UploadArtifacts:${identity.runId}:${identity.jobId}`,
      // Not a claim GitHub documents: how this double learns which attempt a job belongs to.
      run_attempt: identity.attempt ?? 1,
      iat: now,
      exp: now + 6 * 3600,
    }),
  );
  const signature = base64url(createHmac('sha256', secret).update(`${header}.${payload}`).digest());
  return `${header}.${payload}.${signature}`;
}

function verifyRuntimeToken(authorization: string | undefined, secret: Buffer): JobIdentity {
  const token = authorization?.match(/^Bearer (.+)$/)?.[1];
  if (!token) throw new TwirpError(401, 'unauthenticated', 'missing bearer token');
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) throw new TwirpError(401, 'unauthenticated', 'malformed token');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const actual = Buffer.from(signature, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new TwirpError(401, 'unauthenticated', 'bad token signature');
  }
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const scp = typeof claims === 'object' && claims !== null && 'scp' in claims ? claims.scp : undefined;
  if (typeof scp !== 'string') throw new TwirpError(401, 'unauthenticated', 'token has no scp claim');
  const attemptClaim = typeof claims === 'object' && claims !== null && 'run_attempt' in claims ? claims.run_attempt : 1;
  const attempt = typeof attemptClaim === 'number' ? attemptClaim : 1;
  for (const scope of scp.split(' ')) {
    const [kind, runId, jobId] = scope.split(':');
    if (kind === 'Actions.Results' && runId && jobId) return { runId, jobId, attempt };
  }
  throw new TwirpError(403, 'permission_denied', 'token has no Actions.Results scope');
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') {
    throw new TwirpError(400, 'invalid_argument', `${name} is required`);
  }
  return value;
}

/** The entries of a zip's central directory with where each entry's data starts in the archive. */
interface ZipEntryLocation {
  name: string;
  localHeaderOffset: number;
  dataOffset: number;
  compressedSize: number;
}

function zipEntries(zip: Buffer): ZipEntryLocation[] {
  // End of central directory record: signature, then at +10 entry count, +16 directory offset.
  let eocd = -1;
  for (let offset = zip.length - 22; offset >= Math.max(0, zip.length - 22 - 0xffff); offset--) {
    if (zip.readUInt32LE(offset) === 0x06054b50) {
      eocd = offset;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntryLocation[] = [];
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('bad central directory entry');
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeaderOffset = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const localNameLength = zip.readUInt16LE(localHeaderOffset + 26);
    const localExtraLength = zip.readUInt16LE(localHeaderOffset + 28);
    entries.push({
      name,
      localHeaderOffset,
      dataOffset: localHeaderOffset + 30 + localNameLength + localExtraLength,
      compressedSize,
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export async function startArtifactServer(options: ArtifactServerOptions = {}): Promise<ArtifactServer> {
  // This process's own clients (tests calling @actions/* in-process) resolve the blob hostname too.
  await import(pathToFileURL(AZURE_BLOB_DNS_HOOK).href);
  const azurite = await useAzurite();
  const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_ACCOUNT_KEY);
  // Administration (container, inspection, damage) goes to Azurite by IP with the account key.
  const service = new BlobServiceClient(`${azurite.origin}/${AZURITE_ACCOUNT}`, credential);
  const container = service.getContainerClient(`results-${randomUUID()}`);
  await container.create();

  const secret = randomBytes(32);
  const defaultIdentity: JobIdentity = { runId: randomUUID(), jobId: randomUUID(), attempt: 1 };
  const artifacts: StoredArtifact[] = [];
  const cacheEntries: StoredCacheEntry[] = [];
  let nextId = 1;
  let origin = '';

  /** A service SAS for one blob, as GitHub's results service hands out; Azurite checks it. */
  const signedUrl = (blobName: string, permissions: 'cw' | 'r'): string => {
    const expiresOn = new Date(Date.now() + (options.sasLifetimeMs ?? 3600_000));
    const sas = generateBlobSASQueryParameters(
      { containerName: container.containerName, blobName, permissions: BlobSASPermissions.parse(permissions), expiresOn },
      credential,
    ).toString();
    const path = `/${container.containerName}/${blobName.split('/').map(encodeURIComponent).join('/')}`;
    return `http://${AZURITE_ACCOUNT}.blob.core.windows.net:${azurite.port}${path}?${sas}`;
  };
  const blobExists = async (blobName: string): Promise<boolean> => container.getBlockBlobClient(blobName).exists();

  const findArtifact = (runId: string, name: string): StoredArtifact | undefined =>
    artifacts.find((artifact) => artifact.runId === runId && artifact.name === name);

  type Method = (caller: JobIdentity, body: Record<string, unknown>) => unknown;
  const artifactMethods: Record<string, Method> = {
    CreateArtifact(caller, body) {
      const name = stringField(body, 'name');
      if (stringField(body, 'workflow_run_backend_id') !== caller.runId) {
        throw new TwirpError(403, 'permission_denied', 'workflow run does not match token');
      }
      if (/["':<>|*?\r\n\\/]/.test(name)) throw new TwirpError(400, 'invalid_argument', 'invalid artifact name');
      // Unique per workflow run, across its attempts: a re-run is the same run.
      if (findArtifact(caller.runId, name)) {
        throw new TwirpError(409, 'already_exists', 'an artifact with this name already exists on the workflow run');
      }
      const id = nextId++;
      const blobName = `artifacts/${caller.runId}/${id}/${name}.zip`;
      artifacts.push({
        id,
        runId: caller.runId,
        jobId: stringField(body, 'workflow_job_run_backend_id'),
        attempt: caller.attempt ?? 1,
        name,
        blobName,
        createdAt: new Date(),
        finalized: false,
        size: 0,
      });
      return { ok: true, signed_upload_url: signedUrl(blobName, 'cw') };
    },
    async FinalizeArtifact(caller, body) {
      const artifact = findArtifact(caller.runId, stringField(body, 'name'));
      if (!artifact || artifact.finalized) throw new TwirpError(404, 'not_found', 'artifact not found');
      if (!(await blobExists(artifact.blobName))) {
        throw new TwirpError(400, 'failed_precondition', 'artifact content was not uploaded');
      }
      const content = await container.getBlockBlobClient(artifact.blobName).downloadToBuffer();
      artifact.finalized = true;
      artifact.size = content.length;
      const hash = body['hash'];
      artifact.digest = typeof hash === 'string' ? hash : `sha256:${createHash('sha256').update(content).digest('hex')}`;
      return { ok: true, artifact_id: String(artifact.id) };
    },
    ListArtifacts(caller, body) {
      const nameFilter = body['name_filter'];
      const idFilter = body['id_filter'];
      const listed = artifacts.filter(
        (artifact) =>
          artifact.finalized &&
          artifact.runId === caller.runId &&
          artifact.attempt <= (caller.attempt ?? 1) &&
          (typeof nameFilter !== 'string' || artifact.name === nameFilter) &&
          (idFilter === undefined || String(artifact.id) === String(idFilter)),
      );
      return {
        artifacts: listed.map((artifact) => ({
          workflow_run_backend_id: artifact.runId,
          workflow_job_run_backend_id: artifact.jobId,
          database_id: String(artifact.id),
          name: artifact.name,
          size: String(artifact.size),
          created_at: artifact.createdAt.toISOString(),
          ...(artifact.digest ? { digest: artifact.digest } : {}),
        })),
      };
    },
    GetSignedArtifactURL(caller, body) {
      const artifact = findArtifact(caller.runId, stringField(body, 'name'));
      if (!artifact?.finalized) throw new TwirpError(404, 'not_found', 'artifact not found');
      return { signed_url: signedUrl(artifact.blobName, 'r') };
    },
    async DeleteArtifact(caller, body) {
      const artifact = findArtifact(caller.runId, stringField(body, 'name'));
      if (!artifact?.finalized) throw new TwirpError(404, 'not_found', 'artifact not found');
      artifacts.splice(artifacts.indexOf(artifact), 1);
      await container.getBlockBlobClient(artifact.blobName).deleteIfExists();
      return { ok: true, artifact_id: String(artifact.id) };
    },
  };

  // Cache service v2. Scoping by branch is not modelled: every entry is readable by every caller.
  const cacheMethods: Record<string, Method> = {
    CreateCacheEntry(_caller, body) {
      const key = stringField(body, 'key');
      const version = stringField(body, 'version');
      if (cacheEntries.some((entry) => entry.key === key && entry.version === version)) {
        // What GitHub answers when a key is already taken (the client turns it into a warning).
        throw new TwirpError(409, 'already_exists', 'cache entry with the same key, version, and scope already exists');
      }
      const id = nextId++;
      const blobName = `caches/${id}/cache.tzst`;
      cacheEntries.push({ id, key, version, blobName, finalized: false, createdAt: new Date() });
      return { ok: true, signed_upload_url: signedUrl(blobName, 'cw') };
    },
    async FinalizeCacheEntryUpload(_caller, body) {
      const key = stringField(body, 'key');
      const version = stringField(body, 'version');
      const entry = cacheEntries.find((candidate) => candidate.key === key && candidate.version === version);
      if (!entry || entry.finalized) throw new TwirpError(404, 'not_found', 'cache entry not found');
      if (!(await blobExists(entry.blobName))) {
        throw new TwirpError(400, 'failed_precondition', 'cache content was not uploaded');
      }
      entry.finalized = true;
      return { ok: true, entry_id: String(entry.id) };
    },
    GetCacheEntryDownloadURL(_caller, body) {
      const key = stringField(body, 'key');
      const version = stringField(body, 'version');
      const restoreKeys = Array.isArray(body['restore_keys']) ? body['restore_keys'].map(String) : [];
      const candidates = cacheEntries.filter((entry) => entry.finalized && entry.version === version);
      // Exact key first, then restore keys as prefixes, newest entry first (GitHub's matching).
      const newestFirst = [...candidates].sort((a, b) => b.id - a.id);
      const match =
        newestFirst.find((entry) => entry.key === key) ??
        restoreKeys.map((prefix) => newestFirst.find((entry) => entry.key.startsWith(prefix))).find(Boolean);
      if (!match) return { ok: false, signed_download_url: '', matched_key: '' };
      return { ok: true, signed_download_url: signedUrl(match.blobName, 'r'), matched_key: match.key };
    },
  };

  async function handleTwirp(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const [, , service, method] = path.split('/');
    const methods = service === ARTIFACT_SERVICE ? artifactMethods : service === CACHE_SERVICE ? cacheMethods : {};
    const handler = method === undefined ? undefined : methods[method];
    if (request.method !== 'POST' || !handler) throw new TwirpError(404, 'bad_route', `no handler for ${path}`);
    const caller = verifyRuntimeToken(request.headers.authorization, secret);
    const raw = (await readBody(request)).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(raw === '' ? '{}' : raw);
    } catch {
      throw new TwirpError(400, 'malformed', 'request body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new TwirpError(400, 'malformed', 'request body is not a JSON object');
    }
    const result = await handler(caller, body as Record<string, unknown>);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(result));
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const handle = url.pathname.startsWith('/twirp/')
      ? handleTwirp(request, response, url.pathname)
      : Promise.reject(new TwirpError(404, 'bad_route', `no route for ${url.pathname}`));
    handle.catch((error: unknown) => {
      const twirp =
        error instanceof TwirpError ? error : new TwirpError(500, 'internal', error instanceof Error ? error.message : String(error));
      if (!response.headersSent) {
        response.writeHead(twirp.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: twirp.code, msg: twirp.message }));
      } else {
        response.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const envFor = (identity: Partial<JobIdentity>): Record<string, string> => {
    const full: JobIdentity = {
      runId: identity.runId ?? defaultIdentity.runId,
      jobId: identity.jobId ?? randomUUID(),
      attempt: identity.attempt ?? 1,
    };
    return {
      ACTIONS_RUNTIME_TOKEN: makeRuntimeToken(full, secret),
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      // Not a GHES host: both clients refuse to run against GHES.
      GITHUB_SERVER_URL: 'https://github.com',
      // The action's Node resolves the storage hostname of the signed URLs to Azurite.
      NODE_OPTIONS: `--import=${pathToFileURL(AZURE_BLOB_DNS_HOOK).href}`,
      // The artifact client's retry pauses (5 s between its five download attempts, and our own backoff
      // on "workflow run not found") become 20 ms: a damaged archive is still tried as often as on GitHub.
      MLOPS_ARTIFACT_RETRY_MS: '20',
    };
  };
  const env = envFor(defaultIdentity);

  const storedArchive = async (name: string): Promise<{ artifact: StoredArtifact; content: Buffer }> => {
    const artifact = artifacts.find((candidate) => candidate.runId === defaultIdentity.runId && candidate.name === name);
    if (!artifact?.finalized || !(await blobExists(artifact.blobName))) throw new Error(`no finalized artifact named "${name}"`);
    return { artifact, content: await container.getBlockBlobClient(artifact.blobName).downloadToBuffer() };
  };
  /** Replaces a stored blob's content in Azurite (what a damaged store would serve). */
  const overwrite = async (blobName: string, content: Buffer): Promise<void> => {
    await container.getBlockBlobClient(blobName).uploadData(content);
  };

  return {
    url: origin,
    token: env['ACTIONS_RUNTIME_TOKEN'] ?? '',
    runId: defaultIdentity.runId,
    jobId: defaultIdentity.jobId,
    env,
    envFor,
    artifactNames: (runId = defaultIdentity.runId) =>
      artifacts.filter((artifact) => artifact.finalized && artifact.runId === runId).map((artifact) => artifact.name),
    artifacts: (runId = defaultIdentity.runId) =>
      artifacts
        .filter((artifact) => artifact.finalized && artifact.runId === runId)
        .map((artifact) => ({ name: artifact.name, attempt: artifact.attempt })),
    artifactDetails: (runId) =>
      artifacts
        .filter((artifact) => artifact.finalized && artifact.runId === runId)
        .map((artifact) => ({ id: artifact.id, name: artifact.name, size: artifact.size, createdAt: artifact.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), ...(artifact.digest ? { digest: artifact.digest } : {}) })),
    signedDownloadUrl: (runId, id) => {
      const artifact = artifacts.find((candidate) => candidate.runId === runId && candidate.id === id && candidate.finalized);
      if (!artifact) throw new Error(`no finalized artifact ${id} in run ${runId}`);
      return signedUrl(artifact.blobName, 'r');
    },
    archive: async (name) => (await storedArchive(name)).content,
    async corrupt(name, entryPath) {
      const { artifact, content } = await storedArchive(name);
      const entries = zipEntries(content).filter((entry) => entry.compressedSize > 0);
      const target = entryPath
        ? entries.find((entry) => entry.name === entryPath)
        : [...entries].sort((a, b) => b.compressedSize - a.compressedSize)[0];
      if (!target) throw new Error(`artifact "${name}" has no non-empty entry ${entryPath ?? ''}`);
      const offset = target.dataOffset + Math.floor(target.compressedSize / 2);
      content[offset] = (content[offset] ?? 0) ^ 0xff;
      await overwrite(artifact.blobName, content);
    },
    async truncate(name, keepBytes) {
      const { artifact, content } = await storedArchive(name);
      let cut = keepBytes;
      let removed: string | undefined;
      if (cut === undefined) {
        const entries = zipEntries(content);
        const last = [...entries].sort((a, b) => b.localHeaderOffset - a.localHeaderOffset)[0];
        if (!last) throw new Error(`artifact "${name}" is empty`);
        cut = last.localHeaderOffset;
        removed = last.name;
      }
      await overwrite(artifact.blobName, content.subarray(0, cut));
      return removed;
    },
    cacheKeys: () => cacheEntries.filter((entry) => entry.finalized).map((entry) => entry.key),
    container,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      await container.deleteIfExists().catch(() => undefined);
      await azurite.owned?.stop();
    },
  };
}
