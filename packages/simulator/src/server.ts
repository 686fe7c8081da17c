import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  EngineError,
  type Account,
  type RateLimitBudgets,
  type VenueContext,
  type VenueModule,
  type VenueName,
  type VenueProtocol,
  type VenueRequest,
  type VenueResponse,
  type VenueRoute,
} from './contract';
import type { SimTimer } from './engine-clock';
import type { SimEngine } from './engine';
import { DEFAULT_FAULT_MS, type FaultRegistry, type FaultRuleInput } from './faults';
import type { RequestLog } from './request-log';
import { StreamHub } from './stream-hub';

/** Bodies above this get the venue's bad-request answer; real venues cap far lower than this. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

const EMPTY_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
const EMPTY_BODY: Readonly<Record<string, unknown>> = Object.freeze({});
const EMPTY_QUERY: Readonly<Record<string, string>> = Object.freeze({});

/** The `/_sim/` control API as the server sees it. */
export type ControlHandler = (
  method: string,
  path: string,
  query: URLSearchParams,
  rawBody: string,
) => { readonly status: number; readonly body: unknown };

export interface SimulatorServerOptions {
  readonly engine: SimEngine;
  readonly venues: readonly VenueModule[];
  readonly faults: FaultRegistry;
  readonly log: RequestLog;
  readonly control: ControlHandler;
  readonly budgets?: RateLimitBudgets;
  /** Whether the streams enforce the venues' keep-alive rules (`VenueOptions.streamKeepAlive`); default true. */
  readonly streamKeepAlive?: boolean;
  readonly bodyLimit?: number;
  /** A venue handler threw something other than an EngineError (a bug): the client gets a 500. */
  readonly onHandlerError?: (error: unknown, request: VenueRequest) => void;
}

interface VenueBinding {
  readonly name: VenueName;
  readonly apiKeyHeader: string;
  protocol: VenueProtocol;
  /** `METHOD /path` → route. */
  routes: Map<string, VenueRoute>;
  paths: Set<string>;
}

interface Answer {
  readonly response: VenueResponse;
  readonly headers: Readonly<Record<string, string>>;
  /** The fault that shaped the answer, for the request log. */
  readonly fault?: string;
}

interface Pending {
  readonly timer: SimTimer;
  readonly res: ServerResponse;
  readonly venue: string | undefined;
}

/**
 * The HTTP front of the simulator: `/<venue>/<path>` goes to that venue's protocol, `/_sim/` to the
 * control API. Every request is answered (or deliberately not, under a fault); nothing a client
 * sends can throw out of here.
 */
export class SimulatorServer {
  private readonly http: Server;
  private readonly bindings = new Map<string, VenueBinding>();
  private readonly pending = new Set<Pending>();
  /** Venues down after a restart fault, until this instant of the simulator clock. */
  private readonly downUntil = new Map<VenueName, number>();
  private readonly bodyLimit: number;
  private readonly onHandlerError: (error: unknown, request: VenueRequest) => void;
  private closed = false;
  /** The venues' private WebSocket streams. */
  readonly streams: StreamHub;

  constructor(private readonly options: SimulatorServerOptions) {
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.onHandlerError =
      options.onHandlerError ??
      ((error, request) => {
        console.error(`xport-sim: ${request.method} ${request.path} failed:`, error);
      });
    this.streams = new StreamHub({
      engine: options.engine,
      faults: options.faults,
      onError: (error, where) => {
        this.onHandlerError(error, { method: 'GET', path: where, rawQuery: '', query: {}, rawBody: '', body: undefined, headers: {}, ip: '' });
      },
    });
    this.createProtocols();
    this.http = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      this.onRequest(req, res);
    });
    this.http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.onUpgrade(req, socket, head);
    });
  }

  /** A WebSocket upgrade: `/<venue>/<stream path>` goes to the venue's streams, anything else is a 404. */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {
      socket.destroy();
    });
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const second = pathname.indexOf('/', 1);
    const prefix = second === -1 ? pathname.slice(1) : pathname.slice(1, second);
    const rest = second === -1 ? '/' : pathname.slice(second);
    const binding = this.bindings.get(prefix);
    const streams = binding?.protocol.streams;
    if (this.closed || !binding || !streams?.accepts(rest)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    if (this.options.engine.now() < (this.downUntil.get(binding.name) ?? -Infinity)) {
      socket.destroy();
      return;
    }
    this.streams.upgrade(req, socket, head, binding.name, streams, rest, rawQuery);
  }

  /** Fresh protocol instances: rate-limit windows and bans start over, and no venue is down. */
  createProtocols(): void {
    this.downUntil.clear();
    // Streams belong to the protocol instances they were opened on.
    this.streams.dropAll();
    for (const module of this.options.venues) {
      const protocol = module.createProtocol({ budgets: this.options.budgets ?? {}, streamKeepAlive: this.options.streamKeepAlive ?? true });
      const routes = new Map<string, VenueRoute>();
      const paths = new Set<string>();
      for (const route of protocol.routes) {
        routes.set(`${route.method} ${route.path}`, route);
        paths.add(route.path);
      }
      this.bindings.set(module.name, { name: module.name, apiKeyHeader: module.accounts.apiKeyHeader, protocol, routes, paths });
    }
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    return (this.http.address() as AddressInfo).port;
  }

  /** Stops listening, releases withheld responses and open keep-alive sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.streams.close();
    for (const entry of this.pending) {
      entry.timer.cancel();
      entry.res.socket?.destroy();
    }
    this.pending.clear();
    const done = new Promise<void>((resolve) => {
      this.http.close(() => {
        resolve();
      });
    });
    this.http.closeAllConnections();
    await done;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const second = pathname.indexOf('/', 1);
    const prefix = second === -1 ? pathname.slice(1) : pathname.slice(1, second);
    const rest = second === -1 ? '/' : pathname.slice(second);
    const binding = this.bindings.get(prefix);
    readBody(req, this.bodyLimit, (rawBody, tooLarge, aborted) => {
      if (aborted) {
        req.socket.destroy();
        return;
      }
      try {
        if (prefix === '_sim') {
          this.onControl(req, res, rest, rawQuery, rawBody, tooLarge);
        } else if (binding) {
          this.onVenueRequest(binding, req, res, pathname, rest, rawQuery, rawBody, tooLarge);
        } else {
          sendJson(res, 404, { error: `Nothing at ${pathname}: use ${[...this.bindings.keys()].map((name) => `/${name}`).join(', ')} or /_sim` }, EMPTY_HEADERS);
        }
      } catch (error) {
        // Last line of defence: a bug must cost one 500, never the process.
        this.onHandlerError(error, { method: req.method ?? 'GET', path: pathname, rawQuery, query: {}, rawBody, body: undefined, headers: {}, ip: '' });
        if (!res.headersSent) sendJson(res, 500, { error: 'internal simulator error' }, EMPTY_HEADERS);
      }
    });
  }

  private onControl(req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string, rawBody: string, tooLarge: boolean): void {
    if (tooLarge) {
      sendJson(res, 413, { error: `body larger than ${this.bodyLimit} bytes` }, EMPTY_HEADERS);
      return;
    }
    const answer = this.options.control(req.method ?? 'GET', path, new URLSearchParams(rawQuery), rawBody);
    sendJson(res, answer.status, answer.body, EMPTY_HEADERS);
  }

  private onVenueRequest(
    binding: VenueBinding,
    req: IncomingMessage,
    res: ServerResponse,
    fullPath: string,
    path: string,
    rawQuery: string,
    rawBody: string,
    tooLarge: boolean,
  ): void {
    const { engine, faults } = this.options;
    const method = req.method ?? 'GET';
    const headers = req.headers as Readonly<Record<string, string | undefined>>;
    const apiKey = headers[binding.apiKeyHeader];
    const arrived = engine.now();
    const request = new IncomingVenueRequest(method, path, rawQuery, tooLarge ? undefined : rawBody, headers, sourceAddress(req.socket.remoteAddress));
    const route = binding.routes.get(`${method} ${path}`);
    const log = (status: number, fault?: string): void => {
      this.options.log.record({
        method,
        path: fullPath,
        status,
        time: arrived,
        exchange: binding.name,
        ...(apiKey === undefined ? {} : { apiKey }),
        ...(fault === undefined ? {} : { fault }),
      });
    };
    const proceed = (): void => {
      if (engine.now() < (this.downUntil.get(binding.name) ?? -Infinity)) {
        // Still restarting: nothing listens behind the venue's address.
        this.loseResponse(res, 'reset', 0);
        log(0, 'restart');
        return;
      }
      const fault = faults.match('before', binding.name, fullPath, apiKey, route?.kind);
      if (fault) {
        if (fault.kind === 'restart') this.restartVenue(binding.name, fault.ms ?? DEFAULT_FAULT_MS.restart);
        this.applyFault(fault, binding.protocol, res, log);
        return;
      }
      const result = this.dispatch(binding, route, request, { fullPath, apiKey, tooLarge });
      if ('lost' in result) {
        this.loseResponse(res, result.lost, result.ms, binding.name);
        log(0, 'commitThenFail');
        return;
      }
      sendVenue(res, result.response, result.headers);
      log(result.response.status, result.fault);
    };
    const latency = faults.match('delay', binding.name, fullPath, apiKey, route?.kind);
    if (latency) this.hold(res, latency.ms ?? DEFAULT_FAULT_MS.latency, () => { proceed(); }, binding.name);
    else proceed();
  }

  /**
   * The venue restarts: every request it holds (delayed, or with its answer withheld) loses its
   * connection, the engine forgets what the venue keeps only in memory, and for `downMs` nothing
   * answers. Accounts, balances, positions, the order ledger and rate-limit windows survive.
   */
  private restartVenue(venue: VenueName, downMs: number): void {
    this.options.engine.restartVenue(venue);
    this.streams.dropAll(venue);
    if (downMs > 0) this.downUntil.set(venue, this.options.engine.now() + downMs);
    for (const entry of this.pending) {
      if (entry.venue !== venue) continue;
      entry.timer.cancel();
      this.pending.delete(entry);
      entry.res.socket?.destroy();
    }
  }

  /** Authenticates, rate-limits and runs the route; commit-then-fail may replace the answer. */
  private dispatch(
    binding: VenueBinding,
    route: VenueRoute | undefined,
    request: IncomingVenueRequest,
    { fullPath, apiKey, tooLarge }: { readonly fullPath: string; readonly apiKey: string | undefined; readonly tooLarge: boolean },
  ): Answer | { readonly lost: 'reset' | 'timeout'; readonly ms: number } {
    const { protocol } = binding;
    const { engine, faults } = this.options;
    const refused = protocol.admit?.(request, engine.now());
    if (refused) return { response: refused, headers: EMPTY_HEADERS };
    if (tooLarge) return { response: protocol.badRequest(request, `Request body larger than ${this.bodyLimit} bytes`), headers: EMPTY_HEADERS };
    if (!route) {
      const response = binding.paths.has(request.path)
        ? protocol.badRequest(request, `Method ${request.method} is not supported on ${request.path}`)
        : protocol.notFound(request);
      return { response, headers: EMPTY_HEADERS };
    }
    if (request.bodyUnreadable()) return { response: protocol.badRequest(request, 'Malformed request body'), headers: EMPTY_HEADERS };
    let account: Account | undefined;
    if (route.signed) {
      const auth = protocol.authenticate(request, engine);
      if (isResponse(auth)) return { response: auth, headers: EMPTY_HEADERS };
      account = auth;
    }
    const ctx: VenueContext = { request, engine, account };
    const limit = protocol.rateLimit(ctx, route);
    if (limit.refusal) return { response: limit.refusal, headers: limit.headers };
    const ordersBefore = engine.orderCount();
    const lag = faults.match('query', binding.name, fullPath, apiKey, route.kind);
    let response: VenueResponse;
    try {
      response = lag ? engine.withQueryLag(lag.ms ?? DEFAULT_FAULT_MS.queryLag, () => route.handle(ctx)) : route.handle(ctx);
    } catch (error) {
      if (error instanceof EngineError) response = protocol.engineError(error, route);
      else {
        this.onHandlerError(error, request);
        response = protocol.serverError();
      }
    }
    if (route.kind === 'order.create' && engine.orderCount() > ordersBefore) {
      const commit = faults.match('commit', binding.name, fullPath, apiKey, route.kind);
      if (commit) {
        const mode = commit.mode ?? 'error5xx';
        if (mode === 'error5xx') return { response: protocol.sendStatusUnknown(), headers: limit.headers, fault: 'commitThenFail' };
        return { lost: mode, ms: commit.ms ?? DEFAULT_FAULT_MS.commitThenFail };
      }
    }
    return { response, headers: limit.headers, ...(lag ? { fault: 'queryLag' } : {}) };
  }

  private applyFault(
    fault: FaultRuleInput,
    protocol: VenueProtocol,
    res: ServerResponse,
    log: (status: number, fault?: string) => void,
  ): void {
    switch (fault.kind) {
      case 'error5xx': {
        const response = protocol.serverError();
        sendVenue(res, response, EMPTY_HEADERS);
        log(response.status, fault.kind);
        return;
      }
      case 'rateLimit': {
        const response = protocol.rateLimited(fault.ms ?? DEFAULT_FAULT_MS.rateLimit, false);
        sendVenue(res, response, EMPTY_HEADERS);
        log(response.status, fault.kind);
        return;
      }
      case 'malformed': {
        // A body cut off mid-object, as a proxy that dropped the upstream connection sends it.
        const body = '{"code":0,"msg":"success","data":{"orderId":"';
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        log(200, fault.kind);
        return;
      }
      case 'reset':
      case 'timeout':
        this.loseResponse(res, fault.kind, fault.ms ?? DEFAULT_FAULT_MS.timeout, protocol.name);
        log(0, fault.kind);
        return;
      case 'restart':
        // The request that meets the restart is dropped before it reaches the engine.
        this.loseResponse(res, 'reset', 0);
        log(0, fault.kind);
        return;
      case 'commitThenFail':
      case 'latency':
      case 'queryLag':
        return;
    }
  }

  /** Drops the connection now, or after withholding the answer for `ms` (past the client's timeout). */
  private loseResponse(res: ServerResponse, how: 'reset' | 'timeout', ms: number, venue?: string): void {
    if (how === 'reset') res.socket?.destroy();
    else this.hold(res, ms, () => res.socket?.destroy(), venue);
  }

  /**
   * Runs `then` after `ms` of simulator time unless the server closes, the client leaves or the
   * venue restarts first.
   */
  private hold(res: ServerResponse, ms: number, then: () => void, venue?: string): void {
    const entry: Pending = {
      timer: this.options.engine.clock.setTimeout(() => {
        this.pending.delete(entry);
        if (!res.destroyed) then();
      }, ms),
      res,
      venue,
    };
    this.pending.add(entry);
    res.once('close', () => {
      entry.timer.cancel();
      this.pending.delete(entry);
    });
  }
}

/**
 * A request as venues see it. Query and body are parsed on first read: most venues read their
 * parameters once, and some parse the raw strings themselves for their signatures.
 */
class IncomingVenueRequest implements VenueRequest {
  private parsedQuery: Readonly<Record<string, string>> | undefined;
  private parsedBody: Readonly<Record<string, unknown>> | undefined | null = null;
  readonly rawBody: string;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly rawQuery: string,
    /** undefined when the body was over the limit (then `body` is undefined too). */
    body: string | undefined,
    readonly headers: Readonly<Record<string, string | undefined>>,
    readonly ip: string,
  ) {
    this.rawBody = body ?? '';
    if (body === undefined) this.parsedBody = undefined;
  }

  get query(): Readonly<Record<string, string>> {
    this.parsedQuery ??= this.rawQuery === '' ? EMPTY_QUERY : Object.fromEntries(new URLSearchParams(this.rawQuery));
    return this.parsedQuery;
  }

  get body(): Readonly<Record<string, unknown>> | undefined {
    if (this.parsedBody === null) this.parsedBody = parseBody(this.rawBody, this.headers['content-type']);
    return this.parsedBody;
  }

  /** Only a JSON body can fail to parse; a form body always reads, so it stays unparsed here. */
  bodyUnreadable(): boolean {
    if (this.rawBody === '') return false;
    return looksLikeJson(this.rawBody, this.headers['content-type']) && this.body === undefined;
  }
}

/**
 * The client's source address, the scope of per-IP budgets. A server listening on a dual-stack
 * socket sees IPv4 clients as `::ffff:a.b.c.d`; they are the same host as `a.b.c.d`.
 */
export function sourceAddress(remoteAddress: string | undefined): string {
  const address = remoteAddress ?? '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

function isResponse(value: Account | VenueResponse): value is VenueResponse {
  return 'status' in value && 'body' in value;
}

/**
 * Reads the body, keeping at most `limit` bytes. An oversized body is answered as soon as it
 * crosses the limit, and the rest of it is read and thrown away: a client that sends its whole
 * body before reading (most do) then finds the answer waiting, where closing the socket under it
 * would have lost the answer in a reset. Node's request timeout bounds a body that never ends.
 */
function readBody(req: IncomingMessage, limit: number, done: (body: string, tooLarge: boolean, aborted: boolean) => void): void {
  const method = req.method;
  if ((method === 'GET' || method === 'HEAD') && req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    // Node still emits 'end' for an empty body; skip the listeners on the hot path of GETs.
    req.resume();
    done('', false, false);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  req.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else {
      finished = true;
      chunks.length = 0;
      done('', true, false);
    }
  });
  req.on('end', () => {
    if (finished) return;
    finished = true;
    const only = chunks.length === 1 ? chunks[0] : undefined;
    done((only ?? Buffer.concat(chunks)).toString('utf8'), false, false);
  });
  req.on('error', () => {
    if (finished) return;
    finished = true;
    done('', false, true);
  });
}

function looksLikeJson(raw: string, contentType: string | undefined): boolean {
  return contentType === undefined || contentType === '' ? raw.trimStart().startsWith('{') : contentType.includes('json');
}

/** JSON or form by content type; `{}` when empty; undefined when it cannot be read as an object. */
export function parseBody(raw: string, contentType: string | undefined): Readonly<Record<string, unknown>> | undefined {
  if (raw === '') return EMPTY_BODY;
  if (looksLikeJson(raw, contentType)) {
    try {
      const parsed: unknown = JSON.parse(raw);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function sendVenue(res: ServerResponse, response: VenueResponse, extra: Readonly<Record<string, string>>): void {
  const headers: Record<string, string> = Object.assign({}, extra, response.headers);
  if (typeof response.body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    writeRaw(res, response.status, headers, response.body);
    return;
  }
  headers['content-type'] = 'application/json';
  writeRaw(res, response.status, headers, JSON.stringify(response.body));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Readonly<Record<string, string>>): void {
  writeRaw(res, status, { ...extra, 'content-type': 'application/json' }, JSON.stringify(body));
}

function writeRaw(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.destroyed || res.headersSent) return;
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(body);
}
