/**
 * Who owns the proxies' listening sockets. Under the keeper (daemon.ts), the keeper does: it listens on
 * each endpoint's port, accepts connections paused and hands each one to the worker over IPC (as Node's
 * cluster does). When the worker dies the ports stay open: new connections wait in the keeper until
 * the next worker asks for its ports again, so a worker crash costs only the requests it had in flight.
 * Without a keeper (tests, or after the keeper died) the worker listens itself.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { getErrorMessage } from '../../util/errors.js';

export interface ListenerProvider {
  /** Listens for `key` on loopback `port` (0: any); every connection goes to `onSocket`. Resolves to the port. */
  listen(key: string, port: number, onSocket: (socket: Socket) => void): Promise<number>;
  close(key: string): void;
}

type ToKeeper = { type: 'listen'; key: string; port: number } | { type: 'close'; key: string } | { type: 'ready'; key: string };
type ToWorker = { type: 'listening'; key: string; port: number } | { type: 'listen-failed'; key: string; error: string } | { type: 'connection'; key: string };

function listenDirect(port: number, onSocket: (socket: Socket) => void): Promise<Server> {
  const server = createServer(onSocket);
  return new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

/** The worker listening itself. */
export class DirectListeners implements ListenerProvider {
  private readonly servers = new Map<string, Server>();

  async listen(key: string, port: number, onSocket: (socket: Socket) => void): Promise<number> {
    const server = await listenDirect(port, onSocket);
    this.servers.set(key, server);
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  close(key: string): void {
    this.servers.get(key)?.close();
    this.servers.delete(key);
  }
}

/** The worker's side under a keeper; falls back to listening itself when the keeper goes away. */
export class KeeperListeners implements ListenerProvider {
  private readonly handlers = new Map<string, { port: number; onSocket: (socket: Socket) => void }>();
  private readonly pending = new Map<string, { done: (port: number) => void; fail: (error: Error) => void }>();
  private direct: DirectListeners | undefined;

  constructor() {
    process.on('message', (message: ToWorker, socket?: Socket) => {
      if (message.type === 'connection') {
        const handler = this.handlers.get(message.key);
        if (!socket) return;
        if (!handler) {
          socket.destroy();
          return;
        }
        handler.onSocket(socket);
        socket.resume();
      } else if (message.type === 'listening') {
        this.pending.get(message.key)?.done(message.port);
        this.pending.delete(message.key);
      } else {
        this.pending.get(message.key)?.fail(new Error(message.error));
        this.pending.delete(message.key);
      }
    });
    process.once('disconnect', () => {
      if (this.handlers.size > 0) void this.takeOver();
    });
  }

  static available(): boolean {
    return typeof process.send === 'function' && process.env['MLOPS_DEPLOY_KEEPER'] === String(process.ppid);
  }

  private send(message: ToKeeper): void {
    process.send?.(message);
  }

  async listen(key: string, port: number, onSocket: (socket: Socket) => void): Promise<number> {
    if (this.direct) return this.direct.listen(key, port, onSocket);
    const bound = await new Promise<number>((done, fail) => {
      this.pending.set(key, { done, fail });
      this.send({ type: 'listen', key, port });
    });
    this.handlers.set(key, { port: bound, onSocket });
    this.send({ type: 'ready', key });
    return bound;
  }

  close(key: string): void {
    this.handlers.delete(key);
    if (this.direct) this.direct.close(key);
    else this.send({ type: 'close', key });
  }

  /** The keeper died: its listening sockets closed with it, so the same ports are free to listen on. */
  private async takeOver(): Promise<void> {
    this.direct = new DirectListeners();
    for (const [key, handler] of this.handlers) {
      await this.direct.listen(key, handler.port, handler.onSocket).catch(() => undefined);
    }
  }
}

export function listenerProvider(): ListenerProvider {
  return KeeperListeners.available() ? new KeeperListeners() : new DirectListeners();
}

/** The keeper's side: holds the listening sockets across worker restarts. */
export class SocketKeeper {
  private readonly servers = new Map<string, Server>();
  /** Keys the current worker is ready for; connections for others wait. */
  private readonly ready = new Set<string>();
  private readonly waiting = new Map<string, Socket[]>();
  private worker: ChildProcess | undefined;

  attach(worker: ChildProcess): void {
    this.worker = worker;
    this.ready.clear();
    worker.on('message', (message: ToKeeper) => void this.onMessage(worker, message));
  }

  detach(): void {
    this.worker = undefined;
    this.ready.clear();
  }

  private async onMessage(worker: ChildProcess, message: ToKeeper): Promise<void> {
    if (message.type === 'listen') {
      try {
        let server = this.servers.get(message.key);
        if (!server) {
          server = createServer({ pauseOnConnect: true }, (socket) => this.route(message.key, socket));
          const listening = server;
          await new Promise<void>((done, reject) => {
            listening.once('error', reject);
            listening.listen(message.port, '127.0.0.1', () => done());
          });
          this.servers.set(message.key, server);
        }
        const address = server.address();
        worker.send({ type: 'listening', key: message.key, port: typeof address === 'object' && address ? address.port : message.port } satisfies ToWorker);
      } catch (error) {
        worker.send({ type: 'listen-failed', key: message.key, error: getErrorMessage(error) } satisfies ToWorker);
      }
    } else if (message.type === 'ready') {
      this.ready.add(message.key);
      for (const socket of this.waiting.get(message.key) ?? []) this.route(message.key, socket);
      this.waiting.delete(message.key);
    } else {
      this.ready.delete(message.key);
      this.servers.get(message.key)?.close();
      this.servers.delete(message.key);
      for (const socket of this.waiting.get(message.key) ?? []) socket.destroy();
      this.waiting.delete(message.key);
    }
  }

  private route(key: string, socket: Socket): void {
    const worker = this.worker;
    if (worker && worker.connected && this.ready.has(key)) {
      worker.send({ type: 'connection', key } satisfies ToWorker, socket, { keepOpen: false }, (error) => {
        if (error) socket.destroy();
      });
      return;
    }
    // No worker right now (it is restarting): the connection waits, bounded.
    const queue = this.waiting.get(key) ?? [];
    if (queue.length >= 1024) {
      socket.destroy();
      return;
    }
    queue.push(socket);
    this.waiting.set(key, queue);
    socket.once('close', () => {
      const list = this.waiting.get(key);
      const index = list ? list.indexOf(socket) : -1;
      if (list && index >= 0) list.splice(index, 1);
    });
  }

  close(): void {
    for (const server of this.servers.values()) server.close();
    for (const sockets of this.waiting.values()) for (const socket of sockets) socket.destroy();
    this.servers.clear();
    this.waiting.clear();
  }
}
