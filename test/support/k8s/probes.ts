/**
 * Probe and lifecycle-handler actions as the kubelet performs them: httpGet and tcpSocket from the node's
 * network namespace to the pod IP (so a server bound to the pod's 127.0.0.1 fails them), exec inside the
 * container. An HTTP status in [200, 400) succeeds; redirects are not followed (a kubelet follows only
 * same-host ones; none of our servers redirect).
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface Handler {
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: string; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  exec?: { command?: string[] };
}

export interface Probe extends Handler {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export interface ProbeResult {
  ok: boolean;
  message: string;
}

export interface ProbeTarget {
  podIp: string;
  /** Resolves a named port of the container. */
  port(value: number | string): number | undefined;
  exec(argv: string[], timeoutMs: number): Promise<{ code: number; output: string; timedOut: boolean }>;
}

export async function runHandler(handler: Handler, target: ProbeTarget, timeoutMs: number): Promise<ProbeResult> {
  if (handler.exec) {
    const argv = handler.exec.command ?? [];
    if (argv.length === 0) return { ok: false, message: 'exec: empty command' };
    const result = await target.exec(argv, timeoutMs);
    if (result.timedOut) return { ok: false, message: `command ${JSON.stringify(argv)} timed out` };
    return result.code === 0 ? { ok: true, message: result.output } : { ok: false, message: `command ${JSON.stringify(argv)} exited with ${result.code}: ${result.output.trim().slice(0, 300)}` };
  }
  if (handler.httpGet) {
    const port = target.port(handler.httpGet.port);
    if (port === undefined) return { ok: false, message: `unknown port ${handler.httpGet.port}` };
    if ((handler.httpGet.scheme ?? 'HTTP').toUpperCase() !== 'HTTP') return { ok: false, message: 'HTTPS probes are not supported by the test kubelet' };
    const host = handler.httpGet.host ?? target.podIp;
    const path = handler.httpGet.path ?? '/';
    const url = `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
    return new Promise((resolve) => {
      const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.20', accept: '*/*' };
      for (const h of handler.httpGet?.httpHeaders ?? []) headers[h.name] = h.value;
      const req = httpRequest(url, { method: 'GET', headers, agent: false }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400 ? { ok: true, message: `HTTP ${status}` } : { ok: false, message: `HTTP probe failed with statuscode: ${status}` });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)));
      req.on('error', (error) => resolve({ ok: false, message: error.message.includes('ECONNREFUSED') ? `Get "${url}": dial tcp ${host}:${port}: connect: connection refused` : error.message }));
      req.end();
    });
  }
  if (handler.tcpSocket) {
    const port = target.port(handler.tcpSocket.port);
    if (port === undefined) return { ok: false, message: `unknown port ${handler.tcpSocket.port}` };
    const host = handler.tcpSocket.host ?? target.podIp;
    return new Promise((resolve) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
      }, timeoutMs);
      socket.on('connect', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ ok: true, message: 'connected' });
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        resolve({ ok: false, message: `dial tcp ${host}:${port}: ${error.message.includes('ECONNREFUSED') ? 'connect: connection refused' : error.message}` });
      });
    });
  }
  return { ok: false, message: 'probe has no handler' };
}

/**
 * A probe's loop: waits initialDelaySeconds, then runs every periodSeconds and calls `onChange` when the
 * result crosses successThreshold / failureThreshold. Stops when `stop()` is called.
 */
export function probeLoop(probe: Probe, target: ProbeTarget, onResult: (healthy: boolean, result: ProbeResult) => void, initial: boolean): { stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let state = initial;
  let successes = 0;
  let failures = 0;
  const period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
  const timeout = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  const tick = async () => {
    if (stopped) return;
    const result = await runHandler(probe, target, timeout);
    if (stopped) return;
    if (result.ok) {
      successes++;
      failures = 0;
      if (!state && successes >= (probe.successThreshold ?? 1)) state = true;
    } else {
      failures++;
      successes = 0;
      if (failures >= (probe.failureThreshold ?? 3)) state = false;
    }
    onResult(state, result);
    timer = setTimeout(() => void tick(), period);
  };
  timer = setTimeout(() => void tick(), Math.max(0, probe.initialDelaySeconds ?? 0) * 1000);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
