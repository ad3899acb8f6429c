/**
 * The canary analysis and smoke test through the API server's service proxy: a request the proxy lost on a
 * connection the pod had closed idle is the measuring path failing and is sent again; anything the model
 * or a dead pod answered counts. The messages are kube-apiserver 1.20's own (proxy/transport errors).
 */
import { describe, expect, test } from 'vitest';
import { lostOnKeptAliveConnection, measure, type Answer, type Sender } from '../../src/deploy/kubernetes/traffic.js';

const status = (message: string, code = 503): Answer => ({ status: code, text: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code }) });

describe('requests lost on a kept-alive connection', () => {
  test('a read error on a reused connection is retried; a refused dial, a model 500 or a plain 503 is not', () => {
    expect(lostOnKeptAliveConnection(status('error trying to reach service: readfrom tcp 10.244.188.1:37264->10.244.188.4:8000: read: connection reset by peer', 500))).toMatch(/readfrom tcp/);
    expect(lostOnKeptAliveConnection(status('error trying to reach service: EOF'))).toBe('error trying to reach service: EOF');
    expect(lostOnKeptAliveConnection(status('error trying to reach service: dial tcp 10.244.188.4:8000: connect: connection refused'))).toBeUndefined();
    expect(lostOnKeptAliveConnection({ status: 500, text: '{"error":"prediction failed"}' })).toBeUndefined();
    expect(lostOnKeptAliveConnection(status('no endpoints available for service "x"'))).toBeUndefined();
    expect(lostOnKeptAliveConnection({ status: 200, text: '{"kind":"Status","message":"error trying to reach service: EOF"}' })).toBeUndefined();
  });

  test('a measurement counts the retry\'s answer and says how many were sent again', async () => {
    const answers: Answer[] = [{ status: 200, text: '{}' }, { status: 200, text: '{}', retriedAfter: 'error trying to reach service: EOF' }, { status: 500, text: 'model failed' }];
    let i = 0;
    const send: Sender = async () => answers[i++ % answers.length] ?? { status: 0, text: '' };
    const m = await measure(send, [{ path: '/predict', body: '{}' }], { count: 3, expectedStatus: 200 });
    expect(m).toMatchObject({ requests: 3, errors: 1, retried: 1 });
    expect(m.firstFailure).toBe('POST /predict answered 500 (expected 200): model failed');
  });
});
