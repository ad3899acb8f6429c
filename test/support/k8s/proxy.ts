/**
 * The kube-proxy stand-in: a loopback TCP listener per Service port that sends each new connection to one
 * of the Service's ready endpoints, picked at random as kube-proxy's iptables mode does, from the real
 * Endpoints object the endpoints controller maintains (watched, so traffic follows readiness and rollouts
 * as soon as the controller updates it). Like kube-proxy it balances connections, not requests: a client
 * that keeps a connection alive stays on one pod. No ready endpoint: the connection is reset at once.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Informer, KubeClient, KubeObject } from './kube-client.js';

interface EndpointsObject extends KubeObject {
  subsets?: Array<{ addresses?: Array<{ ip: string }>; ports?: Array<{ name?: string; port: number; protocol?: string }> }>;
}

interface ServiceObject extends KubeObject {
  spec: { ports?: Array<{ name?: string; port: number; protocol?: string }>; selector?: Record<string, string> };
}

export class ServiceProxy {
  private readonly endpoints = new Map<string, EndpointsObject>();
  private readonly listeners = new Map<string, { server: Server; url: string }>();
  private readonly sockets = new Set<Socket>();
  private readonly informer: Informer;
  /** Connections per backend address, for tests that want to see the spread. */
  readonly connections = new Map<string, number>();

  constructor(private readonly client: KubeClient) {
    this.informer = client.informer<EndpointsObject>('/api/v1/endpoints', (event) => {
      const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
      if (event.type === 'DELETED') this.endpoints.delete(key);
      else this.endpoints.set(key, event.object);
    });
  }

  /** Ready backends (ip:port) of a Service port right now. */
  backends(namespace: string, service: string, portName: string | undefined): string[] {
    const object = this.endpoints.get(`${namespace}/${service}`);
    const out: string[] = [];
    for (const subset of object?.subsets ?? []) {
      const port = subset.ports?.find((p) => (p.name ?? '') === (portName ?? '') && (p.protocol ?? 'TCP') === 'TCP');
      if (!port) continue;
      for (const address of subset.addresses ?? []) out.push(`${address.ip}:${port.port}`);
    }
    return out;
  }

  async serviceUrl(namespace: string, service: string, port?: number): Promise<string> {
    await this.informer.synced;
    const svc = await this.client.get<ServiceObject>(`/api/v1/namespaces/${namespace}/services/${service}`);
    const ports = (svc.spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
    const chosen = port === undefined ? ports[0] : ports.find((p) => p.port === port);
    if (!chosen || (port === undefined && ports.length > 1)) {
      throw new Error(`service ${namespace}/${service}: ${port === undefined ? 'has several ports; name one' : `has no TCP port ${port}`} (ports: ${ports.map((p) => p.port).join(', ')})`);
    }
    const key = `${namespace}/${service}:${chosen.port}`;
    const existing = this.listeners.get(key);
    if (existing) return existing.url;
    const server = createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      const backends = this.backends(namespace, service, chosen.name);
      const target = backends[Math.floor(Math.random() * backends.length)];
      if (!target) {
        client.resetAndDestroy();
        return;
      }
      this.connections.set(target, (this.connections.get(target) ?? 0) + 1);
      const [host, p] = target.split(':') as [string, string];
      const upstream = connect({ host, port: Number(p) });
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      client.pipe(upstream);
      upstream.pipe(client);
      // A reset on one side is a reset on the other, as with a NATed connection.
      upstream.on('error', () => client.resetAndDestroy());
      client.on('error', () => upstream.resetAndDestroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address !== 'object') throw new Error('proxy listener has no address');
    const url = `http://127.0.0.1:${address.port}`;
    this.listeners.set(key, { server, url });
    return url;
  }

  async close(): Promise<void> {
    this.informer.stop();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.listeners.values()].map((l) => new Promise<void>((resolve) => l.server.close(() => resolve()))));
    this.listeners.clear();
  }
}
