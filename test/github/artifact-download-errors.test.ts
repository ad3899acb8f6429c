/**
 * Download failures told apart, through the real @actions/artifact client: a fault-injecting proxy sits
 * in front of the test artifact service (Twirp calls and blob downloads both pass through it) and answers
 * what GitHub answers in the bad cases: `404 workflow run not found` during a partial re-run, and 5xx from
 * blob storage. A damaged archive must still be named as damaged, and a failed transfer never as one.
 */
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { classifyArtifactServiceError, downloadNodeArtifact, uploadNodeArtifact } from '../../src/adapters/artifacts.js';
import type { NodeManifest } from '../../src/adapters/node-manifest.js';
import { startArtifactServer, type ArtifactServer } from '../support/artifact-server.js';

let server: ArtifactServer;
let scratch: string;
let proxy: Server;
let proxyOrigin: string;
const saved = new Map<string, string | undefined>();

/** Faults the proxy injects; counters go down as they are used. */
const faults = { runNotFound: 0, blobStatus: 0, listCalls: 0, blobCalls: 0 };

function setEnv(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    process.env[key] = value;
  }
}

/** Blob storage (Azurite, under its Azure host name) as the signed URLs name it; set from the first one seen. */
let blobHost: { host: string; port: string } | undefined;

async function forward(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
  const path = request.url ?? '/';
  const toBlob = path.startsWith('/azure/') && blobHost !== undefined;
  const target = toBlob ? new URL(path.slice('/azure'.length), `http://127.0.0.1:${blobHost?.port ?? ''}`) : new URL(path, server.url);
  const host = toBlob ? `${blobHost?.host ?? ''}:${blobHost?.port ?? ''}` : target.host;
  const upstream = httpRequest(target, { method: request.method ?? 'GET', headers: { ...request.headers, host } }, (answer) => {
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('end', () => {
      let data = Buffer.concat(chunks);
      // Signed URLs point at blob storage: send the blob downloads through the proxy too.
      if (/GetSignedArtifactURL/.test(path)) {
        data = Buffer.from(
          data.toString('utf8').replace(/http:\/\/([a-z0-9]+\.blob\.core\.windows\.net):(\d+)/g, (_all, name: string, port: string) => {
            blobHost = { host: name, port };
            return `${proxyOrigin}/azure`;
          }),
        );
      }
      const { 'transfer-encoding': _chunked, ...rest } = answer.headers;
      const headers = { ...rest, 'content-length': String(data.length) };
      response.writeHead(answer.statusCode ?? 500, headers);
      response.end(data);
    });
  });
  upstream.on('error', () => response.destroy());
  upstream.end(body);
}

const manifest: Omit<NodeManifest, 'version' | 'files'> = {
  pipeline: 'digits',
  node: 'preprocess',
  step: 'preprocess-dataset',
  executionId: 'preprocess-0001',
  parameters: {},
  commit: '0123456789abcdef0123456789abcdef01234567',
  metadata: { latest: {}, events: [] },
  status: 'succeeded',
  reuseKey: 'sha256:abc',
};

async function produce(name: string): Promise<void> {
  const jobDir = await mkdtemp(join(scratch, 'producer-'));
  setEnv({ ...server.envFor({}), GITHUB_WORKSPACE: jobDir, RUNNER_TEMP: join(jobDir, 'temp') });
  await mkdir(join(jobDir, 'out/outputs'), { recursive: true });
  await writeFile(join(jobDir, 'out/outputs/train.csv'), randomBytes(50_000).toString('hex'));
  await uploadNodeArtifact({ name, rootDirectory: join(jobDir, 'out'), files: ['outputs/train.csv'], manifest });
}

/** A consumer job whose artifact calls go through the proxy. */
async function consume(name: string): Promise<{ error?: string; destination: string }> {
  const jobDir = await mkdtemp(join(scratch, 'consumer-'));
  await mkdir(join(jobDir, 'temp'));
  setEnv({ ...server.envFor({}), ACTIONS_RESULTS_URL: `${proxyOrigin}/`, GITHUB_WORKSPACE: jobDir, RUNNER_TEMP: join(jobDir, 'temp') });
  const destination = join(jobDir, 'inputs');
  try {
    await downloadNodeArtifact({ name, destination });
    return { destination };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error), destination };
  }
}

beforeAll(async () => {
  server = await startArtifactServer();
  scratch = await mkdtemp(join(tmpdir(), 'mlops-artifact-errors-'));
  proxy = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      if (/ListArtifacts/.test(path)) {
        faults.listCalls += 1;
        if (faults.runNotFound > 0) {
          faults.runNotFound -= 1;
          response.writeHead(404, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ code: 'not_found', msg: 'workflow run not found' }));
          return;
        }
      }
      if (path.startsWith('/azure/') && request.method === 'GET') {
        faults.blobCalls += 1;
        if (faults.blobStatus !== 0) {
          response.writeHead(faults.blobStatus, { 'content-type': 'application/xml' });
          response.end('<Error><Code>ServerBusy</Code></Error>');
          return;
        }
      }
      void forward(request, response, Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolveListen) => proxy.listen(0, '127.0.0.1', resolveListen));
  proxyOrigin = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  // Short backoff for the partial re-run retries (the real default is seconds).
  setEnv({ MLOPS_ARTIFACT_RETRY_MS: '5' });
  saved.delete('MLOPS_ARTIFACT_RETRY_MS');
});

afterEach(() => {
  for (const [key, value] of saved) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  saved.clear();
  Object.assign(faults, { runNotFound: 0, blobStatus: 0, listCalls: 0, blobCalls: 0 });
});

afterAll(async () => {
  delete process.env['MLOPS_ARTIFACT_RETRY_MS'];
  await new Promise((resolveClose) => proxy?.close(resolveClose));
  await server?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('classifyArtifactServiceError', () => {
  it.each([
    ['Received non-retryable error: Failed request: (404) Not Found: workflow run not found', 'run-not-found'],
    ['Failed to make request after 5 attempts: Failed request: (503) Service Unavailable', 'unavailable'],
    ['Unable to download and extract artifact: Unexpected HTTP response from blob storage: 500 Internal Server Error', 'unavailable'],
    ['Unable to download and extract artifact: Artifact download failed after 5 retries.', 'other'],
    ['Received non-retryable error: Failed request: (404) Not Found: artifact not found', 'other'],
  ])('%s → %s', (message, kind) => {
    expect(classifyArtifactServiceError(new Error(message))).toBe(kind);
  });
});

describe('downloadNodeArtifact on a bad day', () => {
  it('retries GitHub\'s partial re-run 404 "workflow run not found" and then downloads', async () => {
    await produce('mlops--digits--rerun--attempt-1');
    faults.runNotFound = 3;
    const result = await consume('mlops--digits--rerun--attempt-1');
    expect(result.error).toBeUndefined();
    expect(faults.runNotFound).toBe(0);
    expect(faults.listCalls).toBeGreaterThanOrEqual(5);
    expect((await readFile(join(result.destination, 'outputs/train.csv'), 'utf8')).length).toBe(100_000);
  });

  it('gives up on a 404 that lasts, saying so and not calling the archive damaged', async () => {
    await produce('mlops--digits--gone--attempt-1');
    faults.runNotFound = 1000;
    const result = await consume('mlops--digits--gone--attempt-1');
    expect(result.error).toMatch(/^Artifact "mlops--digits--gone--attempt-1": looking it up failed: GitHub still answers "workflow run not found" after 6 attempts/);
    expect(result.error).not.toMatch(/damaged/);
  });

  it('names blob storage 5xx a download failure, and a cut archive a damaged one', async () => {
    await produce('mlops--digits--busy--attempt-1');
    faults.blobStatus = 503;
    const busy = await consume('mlops--digits--busy--attempt-1');
    expect(busy.error).toMatch(/^Artifact "mlops--digits--busy--attempt-1": downloading it failed: /);
    expect(busy.error).not.toMatch(/damaged/);
    expect(faults.blobCalls).toBeGreaterThan(1);

    faults.blobStatus = 0;
    await produce('mlops--digits--cut--attempt-1');
    await server.truncate('mlops--digits--cut--attempt-1', Math.floor((await server.archive('mlops--digits--cut--attempt-1')).length / 2));
    const cut = await consume('mlops--digits--cut--attempt-1');
    expect(cut.error).toMatch(/^Artifact "mlops--digits--cut--attempt-1": the archive is damaged or incomplete and cannot be unpacked/);
  }, 180_000);
});
