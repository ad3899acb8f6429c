/**
 * The blob store behind the test results service is Azurite, not our code: these tests show that what
 * GitHub's storage would refuse, Azurite refuses (a SAS used beyond its permissions, an expired SAS, a
 * tampered one), that `@actions/cache` takes its Azure SDK download path on the signed URLs, and how the
 * service treats re-run attempts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { restoreCache, saveCache } from '@actions/cache';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';

let server: ArtifactServer;
let scratch: string;
const originalCwd = process.cwd();
const savedEnv = new Map<string, string | undefined>();

function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!savedEnv.has(key)) savedEnv.set(key, process.env[key]);
    process.env[key] = value;
  }
}

/** Makes this process one job of the run: its token, workspace (also the working directory) and temp. */
async function enterJob(jobEnv: Record<string, string>): Promise<string> {
  const jobDir = await mkdtemp(join(scratch, 'job-'));
  const workspace = join(jobDir, 'workspace');
  await mkdir(workspace);
  await mkdir(join(jobDir, 'temp'));
  setEnv({ ...jobEnv, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: join(jobDir, 'temp') });
  process.chdir(workspace);
  return workspace;
}

/** Calls one Twirp method of the results service with the current job's token. */
async function twirp(service: 'ArtifactService' | 'CacheService', method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}/twirp/github.actions.results.api.v1.${service}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${process.env['ACTIONS_RUNTIME_TOKEN'] ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function uploadOne(name: string, content: string): Promise<void> {
  const workspace = process.cwd();
  await writeFile(join(workspace, 'file.txt'), content);
  await new DefaultArtifactClient().uploadArtifact(name, [join(workspace, 'file.txt')], workspace);
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-blob-store-test-'));
});

afterAll(async () => {
  await server.close();
  await rm(scratch, { recursive: true, force: true });
});

afterEach(() => {
  process.chdir(originalCwd);
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  savedEnv.clear();
});

describe('shared access signatures, enforced by Azurite', () => {
  it('hands out URLs on the Azure storage hostname, signed for one blob', async () => {
    await enterJob(server.envFor({}));
    await uploadOne('sas-shape', 'hello');
    const { signed_url: signedUrl } = await twirp('ArtifactService', 'GetSignedArtifactURL', {
      workflow_run_backend_id: server.runId,
      workflow_job_run_backend_id: server.jobId,
      name: 'sas-shape',
    });
    const url = new URL(String(signedUrl));
    expect(url.hostname).toBe('devstoreaccount1.blob.core.windows.net');
    expect(url.searchParams.get('sp')).toBe('r');
    expect(url.searchParams.get('sr')).toBe('b');
    expect(url.searchParams.get('sig')).toBeTruthy();
    // Read is what the signature grants: Azurite serves the blob.
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('refuses a write with a read-only (download) SAS: 403 AuthorizationPermissionMismatch from Azurite', async () => {
    await enterJob(server.envFor({}));
    await uploadOne('read-only', 'original');
    const { signed_url: signedUrl } = await twirp('ArtifactService', 'GetSignedArtifactURL', {
      workflow_run_backend_id: server.runId,
      workflow_job_run_backend_id: server.jobId,
      name: 'read-only',
    });
    const put = await fetch(String(signedUrl), {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-version': '2025-11-05' },
      body: 'overwritten',
    });
    expect(put.status).toBe(403);
    expect(put.headers.get('x-ms-error-code')).toBe('AuthorizationPermissionMismatch');
    // The stored archive is untouched.
    const workspace = await enterJob(server.envFor({}));
    const client = new DefaultArtifactClient();
    const { artifact } = await client.getArtifact('read-only');
    await client.downloadArtifact(artifact.id, { path: join(workspace, 'in') });
    expect(await readFile(join(workspace, 'in/file.txt'), 'utf8')).toBe('original');
  });

  it('refuses a read with an upload SAS (create + write only)', async () => {
    await enterJob(server.envFor({}));
    const created = await twirp('ArtifactService', 'CreateArtifact', {
      workflow_run_backend_id: server.runId,
      workflow_job_run_backend_id: server.jobId,
      name: 'write-only',
      version: 4,
    });
    const uploadUrl = String(created['signed_upload_url']);
    expect(new URL(uploadUrl).searchParams.get('sp')).toBe('cw');
    const put = await fetch(uploadUrl, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'zip bytes' });
    expect(put.status).toBe(201);
    const get = await fetch(uploadUrl);
    expect(get.status).toBe(403);
    expect(get.headers.get('x-ms-error-code')).toBe('AuthorizationPermissionMismatch');
  });

  it('refuses a SAS whose permissions were edited (the signature no longer matches)', async () => {
    await enterJob(server.envFor({}));
    await uploadOne('tampered', 'content');
    const { signed_url: signedUrl } = await twirp('ArtifactService', 'GetSignedArtifactURL', {
      workflow_run_backend_id: server.runId,
      workflow_job_run_backend_id: server.jobId,
      name: 'tampered',
    });
    const url = new URL(String(signedUrl));
    url.searchParams.set('sp', 'rw');
    const put = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
    expect(put.status).toBe(403);
    // Azure answers AuthenticationFailed; Azurite AuthorizationFailure. Either way: refused, not written.
    expect(put.headers.get('x-ms-error-code')).toMatch(/^(AuthenticationFailed|AuthorizationFailure)$/);
  });

  it('refuses an expired SAS: the real client cannot upload', async () => {
    const expired = await startArtifactServer({ sasLifetimeMs: -60_000 });
    try {
      await enterJob(expired.envFor({}));
      await expect(uploadOne('too-late', 'content')).rejects.toThrow(/Server failed to authenticate the request/);
      expect(expired.artifactNames()).toEqual([]);
    } finally {
      await expired.close();
    }
  });
});

describe('@actions/cache on the signed URLs', () => {
  it('downloads through its Azure SDK path (the hostname is *.blob.core.windows.net), in ranged segments', async () => {
    const producer = await enterJob(server.envFor({}));
    await writeFile(join(producer, 'data.bin'), Buffer.alloc(300_000, 7));
    expect(await saveCache(['data.bin'], 'azure-path-key')).toBeGreaterThan(0);

    const consumer = await enterJob(server.envFor({}));
    const printed: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      expect(await restoreCache(['data.bin'], 'azure-path-key')).toBe('azure-path-key');
    } finally {
      write.mockRestore();
    }
    // downloadCacheStorageSDK's own debug line: only the Azure SDK path downloads in segments.
    expect(printed.join('')).toMatch(/::debug::Downloading segment at offset 0 with length \d+/);
    expect(await readFile(join(consumer, 'data.bin'))).toEqual(Buffer.alloc(300_000, 7));
  });
});

describe('re-run attempts', () => {
  it('a later attempt sees the earlier attempts\' artifacts and cannot reuse their names (409, as on GitHub)', async () => {
    const runId = 'rerun-run';
    await enterJob(server.envFor({ runId, attempt: 1 }));
    await uploadOne('model--attempt-1', 'first attempt');

    const rerun = await enterJob(server.envFor({ runId, attempt: 2 }));
    const client = new DefaultArtifactClient();
    // A job not re-run keeps its attempt-1 artifact; the re-run attempt downloads it.
    const { artifact } = await client.getArtifact('model--attempt-1');
    await client.downloadArtifact(artifact.id, { path: join(rerun, 'in') });
    expect(await readFile(join(rerun, 'in/file.txt'), 'utf8')).toBe('first attempt');
    // A re-run is the same workflow run: the same name is taken.
    await expect(uploadOne('model--attempt-1', 'second attempt')).rejects.toThrow(/409|already exists/);
    // Names carrying the attempt do not collide.
    await uploadOne('model--attempt-2', 'second attempt');
    expect(server.artifacts(runId)).toEqual([
      { name: 'model--attempt-1', attempt: 1 },
      { name: 'model--attempt-2', attempt: 2 },
    ]);
  });
});
