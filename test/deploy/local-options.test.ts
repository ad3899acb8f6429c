import { describe, expect, test } from 'vitest';
import { localSpec } from '../../src/deploy/local/deploy.js';
import type { DeployRequest } from '../../src/deploy/model.js';
import { sampleRequest } from './helpers.js';

function request(options: Record<string, unknown>): DeployRequest {
  return { ...sampleRequest(), target: { kind: 'local', options: { kind: 'local', ...options } } };
}

describe('local deploy target options', () => {
  test('declared sample requests, scaling, fallback, timeouts and the request log become the spec', () => {
    const spec = localSpec(
      request({
        'sample-requests': [{ body: { pixels: [1, 2] } }, { path: '/healthz' }],
        'smoke-max-latency-ms': 250,
        'warmup-requests': 3,
        'min-replicas': 2,
        'max-replicas': 6,
        'target-concurrency': 2,
        'spare-replicas': 1,
        'start-parallelism': 16,
        'queue-limit': 10,
        'fallback-grace': 60,
        'fallback-max-p99-ms': 80,
        'response-timeout': 5,
        'request-log': { 'sample-rate': 0.5 },
        endpoints: { 'predict-digit': { 'max-replicas': 8 } },
      }),
      '/repo',
    );
    expect(spec.checks).toEqual({
      samples: [
        { method: 'POST', path: '/predict', body: '{"pixels":[1,2]}' },
        { method: 'GET', path: '/healthz' },
      ],
      maxLatencyMs: 250,
      warmupRequests: 3,
    });
    expect(spec.scaling).toMatchObject({ minReplicas: 2, maxReplicas: 8, targetConcurrency: 2, spareReplicas: 1, startParallelism: 16, queueLimit: 10, queueTimeoutMs: 5000 });
    expect(spec.fallback).toEqual({ graceMs: 60_000, maxP99Ms: 80 });
    expect(spec.timeouts).toEqual({ responseMs: 5000 });
    expect(spec.requestLog).toEqual({ sampleRate: 0.5 });
    expect(spec.health).toEqual({});
  });

  test('--payload replaces the declared samples; the load test uses them against the candidate', () => {
    const spec = localSpec(request({ 'sample-requests': [{ body: 'declared' }] }), '/repo', { payloads: ['{"a":1}'], loadTestSeconds: 2, maxP99Ms: 50, graceSeconds: 0 });
    expect(spec.checks?.samples).toEqual([{ method: 'POST', path: '/predict', body: '{"a":1}' }]);
    expect(spec.checks?.loadTest).toEqual({ seconds: 2, path: '/predict', payloads: ['{"a":1}'], connections: 8, maxErrorRate: 0, maxP99Ms: 50 });
    expect(spec.fallback).toEqual({ graceMs: 0 });
  });

  test('mistakes are one clear message', () => {
    expect(() => localSpec(request({ 'max-replica': 3 }), '/repo')).toThrow(/x-mlops\.deploy-targets\.digits: unknown option 'max-replica'/);
    expect(() => localSpec(request({ 'sample-requests': [{ body: {}, header: 1 }] }), '/repo')).toThrow(/sample-requests\[0\]: unknown key 'header'/);
    expect(() => localSpec(request({ 'sample-requests': [{ path: 'predict' }] }), '/repo')).toThrow(/sample-requests\[0\]\.path must start with '\/'/);
    expect(() => localSpec(request({ 'min-replicas': 3, 'max-replicas': 2 }), '/repo')).toThrow(/max-replicas \(2\) is below min-replicas \(3\)/);
    expect(() => localSpec(request({ 'warmup-requests': 1.5 }), '/repo')).toThrow(/warmup-requests must be an integer from 0 to 10000/);
    expect(() => localSpec(request({ 'fallback-max-error-rate': 2 }), '/repo')).toThrow(/fallback-max-error-rate must be a number from 0 to 1/);
    expect(() => localSpec(request({ 'request-log': { rate: 1 } }), '/repo')).toThrow(/request-log: unknown key 'rate'/);
    expect(() => localSpec(request({}), '/repo', { healthPath: 'healthz' })).toThrow(/health path must start with '\/'/);
  });
});

describe('starting the daemon', () => {
  test('a daemon that cannot start is reported with its exit and the end of its log', async () => {
    const { ensureDaemon } = await import('../../src/deploy/local/client.js');
    const { tempDir } = await import('./helpers.js');
    const { dir, cleanup } = await tempDir('mlops-daemon-');
    try {
      const launcher = { command: process.execPath, args: ['-e', 'console.error("cannot bind the admin port"); process.exit(3)'] };
      await expect(ensureDaemon(dir, launcher, 20_000)).rejects.toThrow(/the deploy daemon exited \(code 3\) before it answered; its log ends with:\ncannot bind the admin port/);
    } finally {
      await cleanup();
    }
  }, 30_000);
});
