import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { FanOutMetrics } from './fan-out-metrics';

/** An answer of a route the app adds (`POST /signals`). */
export interface OpsAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Where the endpoints listen, what they report, and the app's own routes. */
export interface OpsServerOptions {
  /** Default 127.0.0.1: the endpoints are for the host's own monitoring and producers, not the world. */
  readonly host?: string | undefined;
  /** 0 for any free port. */
  readonly port: number;
  readonly metrics?: FanOutMetrics | undefined;
  /** `GET /healthz`: 200 when it resolves `{ ok: true }`, 503 otherwise; the details go into the JSON body. */
  readonly health: () => Promise<{ readonly ok: boolean; readonly [detail: string]: unknown }>;
  /** More routes, keyed `METHOD /path`, each given the request body as text. */
  readonly routes?: Readonly<Record<string, (body: string) => Promise<OpsAnswer>>> | undefined;
  /** The largest request body read. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
}

/** The running server: its address and a way to stop it. */
export interface OpsServer {
  readonly url: string;
  readonly server: Server;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = typeof body === 'string' && type !== 'application/json' ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Answered at once; the rest of the body is read and dropped, never kept.
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

/** `GET /healthz`, `GET /metrics` (Prometheus text) and the app's routes, on 127.0.0.1 by default. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      const health = await options.health().catch((error: unknown) => ({ ok: false, error: error instanceof Error ? error.message : String(error) }));
      send(res, health.ok ? 200 : 503, health);
      return;
    }
    if (req.method === 'GET' && path === '/metrics' && options.metrics !== undefined) {
      send(res, 200, await options.metrics.text(), options.metrics.registry.contentType);
      return;
    }
    const route = options.routes?.[`${req.method ?? 'GET'} ${path}`];
    if (route === undefined) {
      send(res, 404, { error: `no route ${req.method ?? ''} ${path}` });
      return;
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      res.setHeader('connection', 'close');
      send(res, 413, { error: `request body larger than ${maxBodyBytes} bytes` });
      return;
    }
    const answer = await route(body);
    send(res, answer.status, answer.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => { resolve(); });
        server.closeAllConnections();
      }),
  };
}
