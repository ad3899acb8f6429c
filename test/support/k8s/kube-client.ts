/**
 * The harness's own small client for the real kube-apiserver (HTTPS with the cluster's CA, bearer token):
 * JSON requests and list+watch streams. The kubelet and kube-proxy stand-ins use it; the code under test
 * brings its own client.
 */
import { Agent, request as httpsRequest } from 'node:https';

export type Json = Record<string, unknown>;

export class KubeError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    creationTimestamp?: string;
    ownerReferences?: Json[];
  };
  [key: string]: unknown;
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: T;
}

export class KubeClient {
  private readonly agent: Agent;

  constructor(
    readonly server: string,
    private readonly token: string,
    ca: string,
  ) {
    this.agent = new Agent({ ca, keepAlive: true, maxSockets: 32 });
  }

  async request<T = Json>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const text = await this.raw(method, path, body, contentType);
    return (text ? JSON.parse(text) : {}) as T;
  }

  get<T = Json>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** GET that answers undefined for 404. */
  async find<T = Json>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (error instanceof KubeError && error.status === 404) return undefined;
      throw error;
    }
  }

  mergePatch<T = Json>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body, 'application/merge-patch+json');
  }

  private raw(method: string, path: string, body: unknown, contentType: string): Promise<string> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) return resolve(text);
            let reason = 'Unknown';
            let message = `${method} ${path}: HTTP ${status} ${text.slice(0, 500)}`;
            try {
              const parsed = JSON.parse(text) as { reason?: string; message?: string };
              reason = parsed.reason ?? reason;
              if (parsed.message) message = `${method} ${path}: ${parsed.message}`;
            } catch {
              // not a Status body; keep the raw text
            }
            reject(new KubeError(status, reason, message));
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /**
   * List then watch `path` (a collection URL, query allowed) until `stop()` is called, re-listing when the
   * watch ends or its resourceVersion expired. `onEvent` sees every object once as ADDED on each (re)list.
   */
  informer<T extends KubeObject>(path: string, onEvent: (event: WatchEvent<T>) => void, onError?: (error: unknown) => void): Informer {
    let stopped = false;
    let current: { destroy(): void } | undefined;
    const known = new Map<string, T>();
    const key = (o: T) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    const emit = (event: WatchEvent<T>) => {
      try {
        onEvent(event);
      } catch (error) {
        onError?.(error);
      }
    };
    let resolveSynced: () => void = () => undefined;
    const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
    const loop = async () => {
      while (!stopped) {
        try {
          const list = await this.get<{ metadata: { resourceVersion: string }; items: T[] }>(path);
          const seen = new Set<string>();
          for (const item of list.items) {
            seen.add(key(item));
            known.set(key(item), item);
            emit({ type: 'ADDED', object: item });
          }
          for (const [k, old] of known) {
            if (!seen.has(k)) {
              known.delete(k);
              emit({ type: 'DELETED', object: old });
            }
          }
          resolveSynced();
          await this.watchOnce<T>(path, list.metadata.resourceVersion, (event) => {
            if (event.type === 'DELETED') known.delete(key(event.object));
            else known.set(key(event.object), event.object);
            emit(event);
          }, (handle) => (current = handle));
        } catch (error) {
          if (!stopped) onError?.(error);
          if (!stopped) await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    void loop();
    return {
      synced,
      stop: () => {
        stopped = true;
        current?.destroy();
      },
    };
  }

  private watchOnce<T>(path: string, resourceVersion: string, onEvent: (event: WatchEvent<T>) => void, register: (handle: { destroy(): void }) => void): Promise<void> {
    const url = new URL(path, this.server);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('resourceVersion', resourceVersion);
    url.searchParams.set('allowWatchBookmarks', 'false');
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method: 'GET', agent: this.agent, headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        }
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline).trim();
            buffered = buffered.slice(newline + 1);
            if (!line) continue;
            const event = JSON.parse(line) as { type: string; object: T };
            // ERROR (410 Gone: resourceVersion too old) ends this watch; the loop re-lists.
            if (event.type === 'ERROR') {
              req.destroy();
              return resolve();
            }
            if (event.type === 'BOOKMARK') continue;
            onEvent(event as WatchEvent<T>);
          }
        });
        res.on('end', () => resolve());
        res.on('error', () => resolve());
        res.on('close', () => resolve());
      });
      register(req);
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Informer {
  /** Resolves after the first list has been delivered. */
  synced: Promise<void>;
  stop(): void;
}
