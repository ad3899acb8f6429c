/**
 * The UI server without a browser: its defences (loopback names only, same-origin JSON posts, the
 * token), its answers for errors, downloads that refuse damaged bytes, drift history reading, and the
 * endpoint metrics read from a real EndpointProxy's /metrics.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointProxy } from '../../src/deploy/local/proxy.js';
import { ContentStore } from '../../src/store/content-store.js';
import { projectPaths, RunWriter, saveRun, type RunRecord } from '../../src/store/runs.js';
import { endpointMetrics, histogramQuantile } from '../../src/ui/routes/endpoints.js';
import { readMonitoring } from '../../src/ui/routes/monitoring.js';
import { startUiServer, type UiServer } from '../../src/ui/server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let root: string;
let projectDir: string;
let assets: string;
let server: UiServer;
const RUN_ID = '20261206T000000000Z-abcdef';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlops-ui-server-'));
  projectDir = join(root, '.mlops');
  assets = join(root, 'assets');
  await mkdir(assets, { recursive: true });
  await writeFile(join(assets, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'secret.txt'), 'not for the browser');
  // A run with one output in the content store.
  const output = join(root, 'model.json');
  await writeFile(output, '{"weights":[1,2,3]}');
  const stored = await new ContentStore(projectPaths(projectDir).storeDir).add(output);
  const run: RunRecord = {
    id: RUN_ID,
    pipeline: 'p',
    file: join(root, 'valohai.yaml'),
    status: 'succeeded',
    createdAt: '2026-12-06T00:00:00.000Z',
    parameters: {},
    nodes: {
      train: {
        state: 'succeeded',
        executions: [
          { executionId: 'train-0', status: 'succeeded', parameters: {}, latestMetadata: {}, outputs: [{ path: 'model.json', size: stored.size, sha256: stored.sha256 }], startedAt: '2026-12-06T00:00:00.000Z', reuseKey: 'k', logPath: join(root, 'log.txt') },
        ],
      },
    },
  };
  await saveRun(projectDir, run);
  server = await startUiServer({ projectDir, assetsDir: assets, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('defences', () => {
  it('refuses requests addressed to a name that is not loopback (DNS rebinding)', async () => {
    const answer = await call(server.port, '/api/project', { headers: { host: `attacker.example:${server.port}` } });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ error: 'requests must be addressed to localhost, not attacker.example' });
    expect((await call(server.port, '/api/project', { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('refuses a cross-origin post and a post that is not JSON', async () => {
    const foreign = await call(server.port, '/api/models/m/promote', { method: 'POST', headers: { origin: 'http://attacker.example', 'content-type': 'application/json' }, body: '{"version":1}' });
    expect(foreign.status).toBe(403);
    const form = await call(server.port, '/api/models/m/promote', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'version=1' });
    expect(form.status).toBe(415);
    const missing = await call(server.port, '/api/models/m/promote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"version":1}' });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toContain("model 'm' has no versions");
  });

  it('serves no file outside the app folder', async () => {
    for (const path of ['/assets/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt']) {
      const answer = await call(server.port, path);
      expect(answer.body).not.toContain('not for the browser');
    }
  });

  it('with a token, nothing answers without it; the printed URL sets a cookie', async () => {
    const token = 'x'.repeat(24);
    const guarded = await startUiServer({ projectDir, assetsDir: assets, port: 0, token });
    try {
      expect((await call(guarded.port, '/api/project')).status).toBe(401);
      expect((await call(guarded.port, '/runs')).status).toBe(401);
      expect((await call(guarded.port, '/api/project', { headers: { authorization: `Bearer ${'y'.repeat(24)}` } })).status).toBe(401);
      const opened = await call(guarded.port, `/runs?token=${token}`);
      expect(opened.status).toBe(303);
      expect(opened.headers['location']).toBe('/runs');
      const cookie = String(opened.headers['set-cookie']).split(';')[0] ?? '';
      expect(cookie).toBe(`mlops_ui_token=${token}`);
      expect(String(opened.headers['set-cookie'])).toContain('HttpOnly');
      expect((await call(guarded.port, '/api/project', { headers: { cookie } })).status).toBe(200);
      expect((await call(guarded.port, '/api/project', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('will not listen beyond loopback without a token', async () => {
    await expect(startUiServer({ projectDir, assetsDir: assets, port: 0, host: '0.0.0.0' })).rejects.toThrow('needs a token');
  });
});

describe('answers', () => {
  it('unknown APIs and runs are JSON errors with a message', async () => {
    const unknown = await call(server.port, '/api/nothing');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'no API /api/nothing' });
    const run = await call(server.port, '/api/runs/20990101');
    expect(run.status).toBe(404);
    expect(JSON.parse(run.body).error).toContain("no run '20990101'");
  });

  it('pages of the app are the app (deep links work)', async () => {
    const page = await call(server.port, `/runs/${RUN_ID}?node=train`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('an output downloads with its checksum, and damaged stored bytes are refused', async () => {
    const ok = await call(server.port, `/api/runs/${RUN_ID}/executions/train-0/outputs/model.json`);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('{"weights":[1,2,3]}');
    expect(ok.headers['content-disposition']).toContain('model.json');
    const sha = String(ok.headers['x-content-sha256']);
    const blob = new ContentStore(projectPaths(projectDir).storeDir).pathOf(sha);
    await chmod(blob, 0o644);
    await writeFile(blob, '{"weights":[6,6,6]}');
    const damaged = await call(server.port, `/api/runs/${RUN_ID}/executions/train-0/outputs/model.json`);
    expect(damaged.status).toBe(500);
    expect(JSON.parse(damaged.body).error).toContain('the store is damaged');
    const absent = await call(server.port, `/api/runs/${RUN_ID}/executions/train-0/outputs/other.bin`);
    expect(absent.status).toBe(404);
  });
});

/** Reads server-sent events from `path` until `until` says stop; returns them as [event, data]. */
function events(port: number, path: string, until: (event: string, data: unknown) => boolean, onOpen: () => void): Promise<[string, unknown][]> {
  return new Promise((resolve, reject) => {
    const seen: [string, unknown][] = [];
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      let opened = false;
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event === undefined || data === undefined) continue;
          const value: unknown = JSON.parse(data);
          seen.push([event, value]);
          if (!opened) {
            opened = true;
            onOpen();
          }
          if (until(event, value)) {
            req.destroy();
            resolve(seen);
          }
        }
      });
      res.on('end', () => resolve(seen));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('live streams', () => {
  it('a run’s state change reaches the stream through fs.watch, with the safety poll an hour away', async () => {
    // Its own server: only a file event can wake the stream up before the test's time runs out.
    const watched = await startUiServer({ projectDir, assetsDir: assets, port: 0, watch: { safetyPollMs: 3_600_000 } });
    const id = '20261206T000001000Z-live01';
    const record: RunRecord = { id, pipeline: 'p', file: join(root, 'valohai.yaml'), status: 'running', createdAt: '2026-12-06T00:00:01.000Z', parameters: {}, nodes: { train: { state: 'running', executions: [] } } };
    await saveRun(projectDir, record);
    const writer = new RunWriter(projectDir, record, { snapshotIntervalMs: 3_600_000 });
    try {
      const seen = await events(
        watched.port,
        `/api/runs/${id}/events`,
        (event) => event === 'end',
        () => {
          // The stream has sent the record as it was; change it as a runner does, through the journal.
          void (async () => {
            record.nodes['train'] = { state: 'succeeded', executions: [] };
            await writer.saveNode('train');
            record.status = 'succeeded';
            await writer.saveRunFields();
          })();
        },
      );
      const states = seen.filter(([event]) => event === 'run').map(([, data]) => (data as RunRecord).nodes['train']?.state);
      expect(states[0]).toBe('running');
      expect(states.at(-1)).toBe('succeeded');
      expect(seen.at(-1)).toEqual(['end', { status: 'succeeded' }]);
    } finally {
      await writer.close();
      await watched.close();
    }
  });
});

describe('drift history', () => {
  it('reads verdict files and JSON Lines histories, oldest first, and lists what it skipped', async () => {
    const dir = join(projectDir, 'monitoring');
    await mkdir(join(dir, 'nightly'), { recursive: true });
    const verdict = (share: number) => ({ format: 'mlops-drift', version: 1, drifted: share >= 0.5, reasons: [], reference: { file: 'r', rows: 1, createdAt: '' }, current: { file: 'c', rows: 1 }, dataset: { drifted: share >= 0.5, driftedColumns: 0, columns: 1, share, threshold: 0.5 }, columns: [], prediction: null, performance: null, quality: { failed: false, issues: [] } });
    await writeFile(join(dir, 'b.json'), JSON.stringify({ at: '2026-12-02T00:00:00Z', verdict: verdict(0.7) }));
    await writeFile(join(dir, 'nightly', 'history.jsonl'), `${JSON.stringify({ at: '2026-12-01T00:00:00Z', verdict: verdict(0.1) })}\n{"not":"a verdict"}\n`);
    await writeFile(join(dir, 'notes.json'), '{"hello":1}');
    // A history line as `mlops drift` appends it: the verdict in brief.
    const brief = { at: '2026-12-03T00:00:00Z', drifted: false, reasons: [], reference: 'train.csv', current: 'new.csv', rows: 9, share: 0.2, driftedColumns: 1, columns: { age: { method: 'ks', score: 0.01, threshold: 0.05, drifted: true } }, schemaChanges: 0, qualityIssues: 2 };
    await mkdir(join(dir, 'digits'), { recursive: true });
    await writeFile(join(dir, 'digits', 'history.jsonl'), `${JSON.stringify(brief)}\n`);
    const info = await readMonitoring(projectDir);
    expect(info.checks.map((c) => [c.at, c.share, c.pipeline])).toEqual([
      ['2026-12-01T00:00:00Z', 0.1, 'nightly'],
      ['2026-12-02T00:00:00Z', 0.7, undefined],
      ['2026-12-03T00:00:00Z', 0.2, 'digits'],
    ]);
    expect(info.checks[2]?.columns).toEqual([{ column: 'age', method: 'ks', score: 0.01, threshold: 0.05, drifted: true }]);
    expect(info.checks[2]?.qualityIssueCount).toBe(2);
    // A verdict written before distributions were stored has none; a damaged one is left out, not drawn wrong.
    expect(info.checks[0]?.columns.every((c) => c.distribution === undefined)).toBe(true);
    const column = (distribution: unknown) => ({ column: 'x', type: 'numeric', comparedAs: 'numeric', role: 'feature', method: 'wasserstein', threshold: 0.1, score: 0.3, drifted: true, n_ref: 3, n_cur: 3, scores: {}, distribution });
    const good = { kind: 'bins', edges: [0, 1, 2], reference: [1, 2], current: [2, 0], currentBelow: 0, currentAbove: 1 };
    await writeFile(join(dir, 'c.json'), JSON.stringify({ at: '2026-12-04T00:00:00Z', verdict: { ...verdict(0.9), columns: [column(good), { ...column({ ...good, edges: [0, 1] }), column: 'y' }] } }));
    const withDistributions = (await readMonitoring(projectDir)).checks.at(-1);
    expect(withDistributions?.columns.map((c) => [c.column, c.distribution])).toEqual([
      ['x', good],
      ['y', undefined],
    ]);
    await rm(join(dir, 'c.json'));
    expect(info.skipped).toEqual([
      { file: join('nightly', 'history.jsonl'), problem: '1 of 2 lines are not drift verdicts or history lines' },
      { file: 'notes.json', problem: 'not a drift verdict (format "mlops-drift") or history line' },
    ]);
  });
});

describe('endpoint metrics', () => {
  let proxy: EndpointProxy;
  let proxyPort: number;

  beforeAll(async () => {
    proxy = new EndpointProxy('d/e');
    proxyPort = await proxy.listen(0);
  });

  afterAll(async () => {
    await proxy.close();
  });

  it('counts requests and errors from the real proxy’s /metrics, and reads p50/p99 from its histogram', async () => {
    // Nothing routed: every request is answered 503 by the proxy itself, and counted.
    for (let i = 0; i < 18; i++) expect((await call(proxyPort, '/predict')).status).toBe(503);
    const text = (await call(proxyPort, '/metrics')).body;
    const metrics = endpointMetrics(text);
    expect(metrics.total).toBe(18);
    expect(metrics.errors).toBe(18);
    expect(metrics.requests.map((r) => [r.code, r.count])).toEqual([['503', 18]]);
    expect(metrics.versions.map((v) => [v.requests, v.errors])).toEqual([[18, 18]]);
    expect(metrics.p50).toBeGreaterThan(0);
    expect(metrics.p99).toBeGreaterThanOrEqual(metrics.p50 ?? 0);
  });

  it.each([
    [0.5, [{ le: 0.1, count: 50 }, { le: 0.2, count: 100 }], 0.1],
    [0.75, [{ le: 0.1, count: 50 }, { le: 0.2, count: 100 }], 0.15],
    [0.99, [{ le: 0.1, count: 0 }, { le: 1, count: 100 }], 0.991],
    [0.5, [{ le: 0.1, count: 10 }, { le: Infinity, count: 100 }], 0.1],
  ])('histogramQuantile(%s) interpolates inside the bucket as Prometheus does', (q, buckets, expected) => {
    expect(histogramQuantile(q, buckets)).toBeCloseTo(expected, 10);
  });

  it('has no quantile for an empty histogram', () => {
    expect(histogramQuantile(0.5, [{ le: 0.1, count: 0 }])).toBeUndefined();
  });
});

describe('mlops ui options', () => {
  it('refuses a host beyond loopback without --allow-remote, and a short token', async () => {
    const { main } = await import('../../src/cli/main.js');
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await main(['ui', '--host', '0.0.0.0', '--project-dir', projectDir])).toBe(1);
      expect(await main(['ui', '--token', 'short', '--project-dir', projectDir])).toBe(1);
      expect(await main(['ui', '--port', 'eighty', '--project-dir', projectDir])).toBe(1);
    } finally {
      process.stderr.write = original;
    }
    expect(written).toEqual([
      'mlops: --host 0.0.0.0 is not loopback: add --allow-remote to serve the project beyond this machine (a token is then required)\n',
      'mlops: --token must be at least 16 characters\n',
      "mlops: --port must be a port number, got 'eighty'\n",
    ]);
  });
});
