import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Account, LedgerOrder, StreamSession, StreamSocket, VenueName, VenueResponse, VenueStreams } from './contract';
import type { SimTimer } from './engine-clock';
import type { SimEngine } from './engine';
import { DEFAULT_FAULT_MS, type FaultRegistry, type FaultRule } from './faults';

/** Frames a client may send before the simulator drops it: far above any subscribe or ping. */
const MAX_FRAME_BYTES = 64 * 1024;

export interface StreamHubOptions {
  readonly engine: SimEngine;
  readonly faults: FaultRegistry;
  /** A session threw (a bug): the socket closes with 1011, the simulator carries on. */
  readonly onError: (error: unknown, where: string) => void;
}

interface SilenceWindow {
  readonly ruleId: string;
  readonly rule: FaultRule;
  readonly until: number;
}

/**
 * The simulator's private WebSocket streams: upgrades under a venue prefix go to that venue's
 * {@link VenueStreams}, executed orders reach the sessions bound to their account, and the stream
 * faults (streamDisconnect, streamSilence, streamDelay, streamReorder) act on what the sockets send.
 */
export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false, maxPayload: MAX_FRAME_BYTES });
  private readonly connections = new Set<Connection>();
  private silences: SilenceWindow[] = [];
  private readonly unsubscribe: () => void;

  constructor(private readonly options: StreamHubOptions) {
    this.unsubscribe = options.engine.onOrder((order) => {
      this.deliver(order);
    });
  }

  /**
   * Open connections (of one venue; bound to one account; subscribed to a topic in the venue's
   * name), for tests and the control API.
   */
  count(venue?: VenueName, apiKey?: string, topic?: string): number {
    let n = 0;
    for (const connection of this.connections) {
      if (venue !== undefined && connection.venue !== venue) continue;
      if (apiKey !== undefined && connection.account?.apiKey !== apiKey) continue;
      if (topic !== undefined && !(connection.session?.topics?.() ?? []).includes(topic)) continue;
      n++;
    }
    return n;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, venue: VenueName, streams: VenueStreams, path: string, rawQuery: string): void {
    const connection = new Connection(this, venue, path, new URLSearchParams(rawQuery));
    let opened: StreamSession | VenueResponse;
    try {
      opened = streams.open(connection, this.options.engine);
    } catch (error) {
      this.options.onError(error, `upgrade /${venue}${path}`);
      opened = { status: 500, body: { error: 'internal simulator error' } };
    }
    if (!isSession(opened)) {
      connection.dispose();
      refuseUpgrade(socket, opened);
      return;
    }
    connection.session = opened;
    this.connections.add(connection);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      connection.attach(ws);
    });
  }

  /**
   * Applies a streamDisconnect or streamSilence rule to the streams open now: a disconnect closes
   * every matching socket (and retires), a silence starts its window.
   */
  applyNow(rule: FaultRule): void {
    const { faults, engine } = this.options;
    if (rule.kind === 'streamDisconnect') {
      for (const connection of [...this.connections]) if (connection.matches(rule)) connection.terminate();
      faults.remove(rule.id);
      return;
    }
    if (rule.kind === 'streamSilence') {
      const ms = rule.ms ?? DEFAULT_FAULT_MS.streamSilence;
      this.silences.push({ ruleId: rule.id, rule, until: engine.now() + ms });
      engine.clock.setTimeout(() => {
        faults.remove(rule.id);
        this.silences = this.silences.filter((window) => window.ruleId !== rule.id);
      }, ms);
    }
  }

  silenced(connection: Connection): boolean {
    if (this.silences.length === 0) return false;
    const now = this.options.engine.now();
    return this.silences.some((window) => now < window.until && this.options.faults.has(window.ruleId) && connection.matches(window.rule));
  }

  /** Closes every socket of `venue` (a restart), or of every venue. */
  dropAll(venue?: VenueName): void {
    for (const connection of [...this.connections]) if (venue === undefined || connection.venue === venue) connection.terminate();
    if (venue === undefined) this.silences = [];
  }

  close(): void {
    this.unsubscribe();
    this.dropAll();
    this.wss.close();
  }

  get engine(): SimEngine {
    return this.options.engine;
  }

  get faults(): FaultRegistry {
    return this.options.faults;
  }

  forget(connection: Connection): void {
    this.connections.delete(connection);
  }

  report(error: unknown, where: string): void {
    this.options.onError(error, where);
  }

  private deliver(order: LedgerOrder): void {
    for (const connection of this.connections) {
      if (connection.venue !== order.venue || connection.account?.apiKey !== order.apiKey) continue;
      // The engine calls here inside placeOrder: a session's bug must not fail an executed order.
      try {
        connection.session?.order(order);
      } catch (error) {
        this.options.onError(error, `stream event /${connection.venue}${connection.path}`);
      }
    }
  }
}

function isSession(value: StreamSession | VenueResponse): value is StreamSession {
  return typeof (value as StreamSession).message === 'function';
}

function refuseUpgrade(socket: Duplex, response: VenueResponse): void {
  const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  const reason = response.status === 401 ? 'Unauthorized' : response.status === 404 ? 'Not Found' : response.status === 400 ? 'Bad Request' : 'Error';
  socket.end(
    `HTTP/1.1 ${response.status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

class Connection implements StreamSocket {
  session: StreamSession | undefined;
  private ws: WebSocket | undefined;
  private bound: Account | undefined;
  private readonly timers = new Set<SimTimer>();
  /** What was sent before the upgrade completed. */
  private readonly early: (() => void)[] = [];
  /** An event a streamReorder rule holds back until the next one has gone out. */
  private held: { readonly text: string; readonly timer: SimTimer } | undefined;
  private closed = false;

  constructor(
    private readonly hub: StreamHub,
    readonly venue: VenueName,
    readonly path: string,
    readonly query: URLSearchParams,
  ) {}

  get account(): Account | undefined {
    return this.bound;
  }

  bind(account: Account): void {
    this.bound = account;
  }

  matches(rule: Pick<FaultRule, 'exchange' | 'apiKey' | 'path'>): boolean {
    if (rule.exchange !== undefined && rule.exchange !== this.venue) return false;
    if (rule.apiKey !== undefined && rule.apiKey !== this.bound?.apiKey) return false;
    if (rule.path !== undefined && !`/${this.venue}${this.path}`.includes(rule.path)) return false;
    return true;
  }

  attach(ws: WebSocket): void {
    this.ws = ws;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      this.guard(() => this.session?.message(rawText(data)));
    });
    ws.on('ping', (data: Buffer) => {
      if (!this.hub.silenced(this)) ws.pong(data);
      this.guard(() => this.session?.pingFrame?.());
    });
    ws.on('pong', () => {
      this.guard(() => this.session?.pong?.());
    });
    ws.on('close', () => {
      this.dispose();
    });
    ws.on('error', () => {
      this.dispose();
    });
    for (const send of this.early.splice(0)) send();
  }

  reply(message: unknown): void {
    if (this.hub.silenced(this)) return;
    this.write(text(message));
  }

  event(message: unknown): void {
    if (this.hub.silenced(this)) return;
    const payload = text(message);
    const rule = this.hub.faults.match('stream', this.venue, `/${this.venue}${this.path}`, this.bound?.apiKey, undefined);
    if (rule?.kind === 'streamDelay') {
      this.setTimer(() => {
        this.write(payload);
      }, rule.ms ?? DEFAULT_FAULT_MS.streamDelay);
      return;
    }
    const held = this.held;
    if (held) {
      // The swap: this event overtakes the one held back.
      held.timer.cancel();
      this.held = undefined;
      this.write(payload);
      this.write(held.text);
      return;
    }
    if (rule?.kind === 'streamReorder') {
      const timer = this.setTimer(() => {
        this.held = undefined;
        this.write(payload);
      }, rule.ms ?? DEFAULT_FAULT_MS.streamReorder);
      this.held = { text: payload, timer };
      return;
    }
    this.write(payload);
  }

  ping(): void {
    if (this.hub.silenced(this)) return;
    this.whenOpen(() => {
      this.ws?.ping();
    });
  }

  close(code: number, reason: string): void {
    this.whenOpen(() => {
      this.ws?.close(code, reason);
    });
  }

  /** Drops the connection without a close frame, as a network cut does. */
  terminate(): void {
    this.ws?.terminate();
    this.dispose();
  }

  setTimer(callback: () => void, ms: number): SimTimer {
    const timer = this.hub.engine.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) this.guard(callback);
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.held = undefined;
    this.hub.forget(this);
  }

  private write(payload: string): void {
    this.whenOpen(() => {
      this.ws?.send(payload);
    });
  }

  private whenOpen(action: () => void): void {
    if (this.closed) return;
    if (this.ws === undefined) {
      this.early.push(action);
      return;
    }
    if (this.ws.readyState === this.ws.OPEN) action();
  }

  private guard(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.hub.report(error, `stream /${this.venue}${this.path}`);
      this.ws?.close(1011, 'internal simulator error');
    }
  }
}

function text(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
