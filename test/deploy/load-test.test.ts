import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from 'vitest';
import { formatLoadTest, runLoadTest } from '../../src/deploy/load-test.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A model server whose answer takes `delayMs`; bodies it sees are counted by content. */
async function start(delayMs: number, seen: Map<string, number>): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.set(body, (seen.get(body) ?? 0) + 1);
      setTimeout(() => res.end('{"ok":true}'), delayMs);
    });
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/predict`;
}

describe('inference performance check', () => {
  test('records rps and p50/p99 over the sample payloads, within the limit', async () => {
    const seen = new Map<string, number>();
    const url = await start(0, seen);
    const result = await runLoadTest({ url, payloads: ['{"a":1}', '{"a":2}'], durationMs: 600, connections: 4, maxP99Ms: 5000 });
    expect(result.ok).toBe(true);
    expect(result.errors).toBe(0);
    expect(result.requests).toBeGreaterThan(10);
    expect(result.rps).toBeGreaterThan(0);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect([...seen.keys()].sort()).toEqual(['{"a":1}', '{"a":2}']);
    expect(formatLoadTest(result)).toMatch(/^\d+ requests in 0\.\d s: \d+ req\/s, p50 [\d.]+ ms, p99 [\d.]+ ms, 0 errors$/);
  });

  test('fails above the declared latency limit, saying so', async () => {
    const url = await start(40, new Map());
    const result = await runLoadTest({ url, payloads: ['{}'], durationMs: 400, connections: 2, maxP99Ms: 10 });
    expect(result.ok).toBe(false);
    expect(result.p99Ms).toBeGreaterThanOrEqual(40);
    expect(result.failures[0]).toMatch(/^p99 latency [\d.]+ ms is above the 10 ms limit$/);
  });

  test('an unreachable endpoint fails with every request counted as an error', async () => {
    const url = await start(0, new Map());
    await new Promise<void>((done) => server?.close(() => done()));
    server = undefined;
    const result = await runLoadTest({ url, payloads: [], durationMs: 200, connections: 1 });
    expect(result.ok).toBe(false);
    expect(result.errors).toBe(result.requests);
    expect(result.failures[0]).toMatch(/requests failed \(100\.0%\)/);
  });
});
