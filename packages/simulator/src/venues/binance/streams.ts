import { createHash } from 'node:crypto';
import type {
  Account,
  EngineApi,
  LedgerOrder,
  Market,
  StreamSession,
  StreamSocket,
  VenueResponse,
  VenueRoute,
  VenueStreams,
} from '../../contract';
import { hmacSha256Hex, signaturesMatch } from '../shared/hmac';
import { API_KEY_FORMAT_INVALID, INVALID_API_KEY, INVALID_SIGNATURE, TIMESTAMP_AHEAD, TIMESTAMP_OUTSIDE_WINDOW, binanceError } from './errors';
import { futuresOrder, orderIdNumber, positionSideWire, spot8, tradeIdOf } from './orders';
import { ok } from './route-kit';

/** A listen key lives 60 minutes from its creation or its last keep-alive. */
export const LISTEN_KEY_VALIDITY_MS = 60 * 60 * 1000;
/** Every stream connection is cut 24 hours after it opened. */
export const CONNECTION_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** USDⓈ-M streams: a ping frame every 3 minutes; no pong within 10 minutes closes the connection. */
export const FUTURES_PING_EVERY_MS = 3 * 60 * 1000;
export const FUTURES_PONG_WITHIN_MS = 10 * 60 * 1000;
/** Spot WebSocket API: a ping frame every 20 seconds; no pong within a minute closes the connection. */
export const SPOT_API_PING_EVERY_MS = 20 * 1000;
export const SPOT_API_PONG_WITHIN_MS = 60 * 1000;

const LISTEN_KEY_NOT_FOUND = binanceError(400, -1125, 'This listenKey does not exist.');
const WS_RECV_WINDOW = 5000;
const MAX_AHEAD_MS = 1000;

interface ListenKey {
  readonly key: string;
  readonly account: Account;
  readonly market: Market;
  expiresAt: number;
}

/**
 * The listen keys of one protocol instance. One key per account and market: creating again while
 * one is valid answers that key and extends it, as Binance documents.
 */
export class ListenKeys {
  private readonly byKey = new Map<string, ListenKey>();
  private readonly byAccount = new Map<string, ListenKey>();
  private counter = 0;

  create(account: Account, market: Market, now: number): ListenKey {
    const current = this.active(account, market, now);
    if (current) {
      current.expiresAt = now + LISTEN_KEY_VALIDITY_MS;
      return current;
    }
    // Deterministic, 64 characters like Binance's, and unguessable enough for a local simulator.
    const key = createHash('sha256').update(`${account.apiKey}:${market}:${++this.counter}`).digest('base64url').slice(0, 64).padEnd(64, '0');
    const entry: ListenKey = { key, account, market, expiresAt: now + LISTEN_KEY_VALIDITY_MS };
    this.byKey.set(key, entry);
    this.byAccount.set(`${market}:${account.apiKey}`, entry);
    return entry;
  }

  /** The account's valid key on the market, if any. */
  active(account: Account, market: Market, now: number): ListenKey | undefined {
    const entry = this.byAccount.get(`${market}:${account.apiKey}`);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  get(key: string): ListenKey | undefined {
    return this.byKey.get(key);
  }

  delete(entry: ListenKey): void {
    this.byKey.delete(entry.key);
    this.byAccount.delete(`${entry.market}:${entry.account.apiKey}`);
  }
}

/** USER_STREAM security: the API key alone, no signature. */
function apiKeyAccount(request: { readonly headers: Readonly<Record<string, string | undefined>> }, engine: EngineApi): Account | VenueResponse {
  const apiKey = request.headers['x-mbx-apikey'];
  if (apiKey === undefined || apiKey === '') return API_KEY_FORMAT_INVALID;
  return engine.account('binance', apiKey) ?? INVALID_API_KEY;
}

function isAccount(value: Account | VenueResponse): value is Account {
  return 'apiKey' in value;
}

/** `POST` / `PUT` / `DELETE /fapi/v1/listenKey`: the USDⓈ-M user data stream's key, API key only. */
export function listenKeyRoutes(keys: ListenKeys): VenueRoute[] {
  const route = (method: 'POST' | 'PUT' | 'DELETE', handle: (account: Account, engine: EngineApi) => VenueResponse): VenueRoute => ({
    method,
    path: '/fapi/v1/listenKey',
    kind: 'other',
    signed: false,
    weight: 1,
    handle: (ctx) => {
      const account = apiKeyAccount(ctx.request, ctx.engine);
      return isAccount(account) ? handle(account, ctx.engine) : account;
    },
  });
  return [
    route('POST', (account, engine) => ok({ listenKey: keys.create(account, 'futures', engine.now()).key })),
    route('PUT', (account, engine) => {
      const entry = keys.active(account, 'futures', engine.now());
      if (!entry) return LISTEN_KEY_NOT_FOUND;
      entry.expiresAt = engine.now() + LISTEN_KEY_VALIDITY_MS;
      return ok({ listenKey: entry.key });
    }),
    route('DELETE', (account, engine) => {
      const entry = keys.active(account, 'futures', engine.now());
      if (entry) keys.delete(entry);
      return ok({});
    }),
  ];
}

/**
 * Server pings every `every` ms; a connection whose last pong is older than `within` is closed.
 * Returns what the session calls when a pong arrives.
 */
function keepAlive(socket: StreamSocket, every: number, within: number, now: () => number, enforce: boolean): () => void {
  let lastPong = now();
  const tick = (): void => {
    if (enforce && now() - lastPong > within) {
      socket.close(1008, 'pong timeout');
      return;
    }
    socket.ping();
    socket.setTimer(tick, every);
  };
  socket.setTimer(tick, every);
  socket.setTimer(() => {
    socket.close(1000, 'connection lifetime of 24 hours reached');
  }, CONNECTION_LIFETIME_MS);
  return () => {
    lastPong = now();
  };
}

/** The USDⓈ-M user data stream of one listen key: `/private/ws?listenKey=` (and `/ws/<listenKey>`). */
function futuresUserStream(socket: StreamSocket, engine: EngineApi, entry: ListenKey, keys: ListenKeys, enforce: boolean): StreamSession {
  socket.bind(entry.account);
  let expired = false;
  const watchExpiry = (): void => {
    socket.setTimer(() => {
      if (keys.get(entry.key) === entry && entry.expiresAt > engine.now()) {
        watchExpiry();
        return;
      }
      expired = true;
      socket.event({ e: 'listenKeyExpired', E: engine.now(), listenKey: entry.key });
    }, Math.max(0, entry.expiresAt - engine.now()));
  };
  watchExpiry();
  const pong = keepAlive(socket, FUTURES_PING_EVERY_MS, FUTURES_PONG_WITHIN_MS, () => engine.now(), enforce);
  return {
    message: () => undefined,
    pong,
    order: (order) => {
      if (expired || order.market !== 'futures') return;
      for (const event of futuresEvents(order, engine, entry.account)) socket.event(event);
    },
  };
}

/** ORDER_TRADE_UPDATE (NEW, then TRADE/FILLED) and the ACCOUNT_UPDATE the fill causes. */
export function futuresEvents(order: LedgerOrder, engine: EngineApi, account: Account): Record<string, unknown>[] {
  const instrument = engine.instrument('binance', 'futures', order.symbol);
  const wire = futuresOrder(order, instrument, false);
  const quantity = String(wire.origQty);
  const base = {
    s: order.symbol,
    c: order.clientOrderId,
    S: order.side === 'buy' ? 'BUY' : 'SELL',
    o: 'MARKET',
    f: 'GTC',
    q: quantity,
    p: '0',
    sp: '0',
    i: orderIdNumber(order),
    T: order.time,
    b: '0',
    a: '0',
    m: false,
    R: order.reduceOnly,
    wt: 'CONTRACT_PRICE',
    ot: 'MARKET',
    ps: positionSideWire(order.positionSide),
    cp: false,
    pP: false,
    si: 0,
    ss: 0,
    V: 'EXPIRE_MAKER',
    pm: 'NONE',
    gtd: 0,
  };
  const accepted = { ...base, ap: '0', x: 'NEW', X: 'NEW', l: '0', z: '0', L: '0', n: '0', N: order.feeAsset, t: 0, rp: '0' };
  const filled = {
    ...base,
    ap: order.price.toFixed(),
    x: 'TRADE',
    X: 'FILLED',
    l: quantity,
    z: quantity,
    L: order.price.toFixed(),
    n: order.fee.toFixed(8),
    N: order.feeAsset,
    t: tradeIdOf(order),
    rp: order.realisedPnl.toFixed(8),
  };
  const positions = engine.positions(account, order.symbol);
  const legs = positions.length > 0 ? positions : [];
  const accountUpdate = {
    e: 'ACCOUNT_UPDATE',
    E: order.time,
    T: order.time,
    a: {
      m: 'ORDER',
      B: engine.balances(account, 'futures').map((balance) => ({ a: balance.asset, wb: balance.free.plus(balance.locked).toFixed(8), cw: balance.free.toFixed(8), bc: '0' })),
      P: (legs.length > 0 ? legs : [undefined]).map((position) => ({
        s: order.symbol,
        pa: position ? position.signedSize.toFixed() : '0',
        ep: position ? position.entryPrice.toFixed() : '0',
        bep: position ? position.entryPrice.toFixed() : '0',
        cr: '0',
        up: position ? position.unrealisedPnl.toFixed(8) : '0',
        mt: 'cross',
        iw: '0',
        ps: position ? positionSideWire(position.side) : positionSideWire(order.positionSide),
        ma: order.feeAsset,
      })),
    },
  };
  return [
    { e: 'ORDER_TRADE_UPDATE', E: order.time, T: order.time, o: accepted },
    { e: 'ORDER_TRADE_UPDATE', E: order.time, T: order.time, o: filled },
    accountUpdate,
  ];
}

/** executionReport (NEW, then TRADE/FILLED) and the outboundAccountPosition the fill causes. */
export function spotEvents(order: LedgerOrder, engine: EngineApi, account: Account): Record<string, unknown>[] {
  const zero = '0.00000000';
  const base = {
    e: 'executionReport',
    E: order.time,
    s: order.symbol,
    c: order.clientOrderId,
    S: order.side === 'buy' ? 'BUY' : 'SELL',
    o: 'MARKET',
    f: 'GTC',
    q: spot8(order.quantity),
    p: zero,
    P: zero,
    F: zero,
    g: -1,
    C: '',
    r: 'NONE',
    i: orderIdNumber(order),
    T: order.time,
    m: false,
    O: order.time,
    Q: zero,
    W: order.time,
    V: 'EXPIRE_MAKER',
  };
  const accepted = { ...base, x: 'NEW', X: 'NEW', l: zero, z: zero, L: zero, n: '0', N: null, t: -1, I: orderIdNumber(order) * 2, w: true, M: false, Z: zero, Y: zero };
  const filled = {
    ...base,
    x: 'TRADE',
    X: 'FILLED',
    l: spot8(order.quantity),
    z: spot8(order.quantity),
    L: spot8(order.price),
    n: spot8(order.fee),
    N: order.feeAsset,
    t: tradeIdOf(order),
    I: orderIdNumber(order) * 2 + 1,
    w: false,
    M: true,
    Z: spot8(order.cost),
    Y: spot8(order.cost),
  };
  const instrument = engine.instrument('binance', 'spot', order.symbol);
  const assets = new Set([instrument?.base, instrument?.quote, order.feeAsset]);
  const position = {
    e: 'outboundAccountPosition',
    E: order.time,
    u: order.time,
    B: engine
      .balances(account, 'spot')
      .filter((balance) => assets.has(balance.asset))
      .map((balance) => ({ a: balance.asset, f: spot8(balance.free), l: spot8(balance.locked) })),
  };
  return [accepted, filled, position];
}

function wsError(id: unknown, answer: VenueResponse): Record<string, unknown> {
  return { id, status: answer.status, error: answer.body };
}

/**
 * `userDataStream.subscribe.signature`: the request's params other than `signature`, sorted by name
 * and joined as `key=value&…`, signed with HMAC-SHA256 under the account's secret.
 */
function verifySubscription(params: Record<string, unknown>, engine: EngineApi): Account | VenueResponse {
  const apiKey = params.apiKey;
  if (typeof apiKey !== 'string' || apiKey === '') return API_KEY_FORMAT_INVALID;
  const account = engine.account('binance', apiKey);
  if (!account) return INVALID_API_KEY;
  const signature = params.signature;
  const payload = Object.keys(params)
    .filter((key) => key !== 'signature')
    .sort()
    .map((key) => `${key}=${String(params[key])}`)
    .join('&');
  if (typeof signature !== 'string' || !signaturesMatch(hmacSha256Hex(account.secret, payload), signature.toLowerCase())) return INVALID_SIGNATURE;
  const timestamp = Number(params.timestamp);
  const recvWindow = params.recvWindow === undefined ? WS_RECV_WINDOW : Number(params.recvWindow);
  const now = engine.now();
  if (!Number.isFinite(timestamp) || timestamp > now + MAX_AHEAD_MS) return TIMESTAMP_AHEAD;
  if (now - timestamp > recvWindow) return TIMESTAMP_OUTSIDE_WINDOW;
  return account;
}

const BAD_REQUEST = binanceError(400, -1102, 'Mandatory parameter was not sent, was empty/null, or malformed.');
const UNKNOWN_METHOD = binanceError(400, -1020, 'This operation is not supported.');

/** The spot WebSocket API (`/ws-api/v3`) as far as the user data stream goes. */
function spotWebSocketApi(socket: StreamSocket, engine: EngineApi, enforce: boolean): StreamSession {
  let subscriptionId: number | undefined;
  let nextSubscription = 0;
  const pong = keepAlive(socket, SPOT_API_PING_EVERY_MS, SPOT_API_PONG_WITHIN_MS, () => engine.now(), enforce);
  return {
    pong,
    message: (text) => {
      let request: unknown;
      try {
        request = JSON.parse(text);
      } catch {
        socket.reply(wsError(null, BAD_REQUEST));
        return;
      }
      if (typeof request !== 'object' || request === null) {
        socket.reply(wsError(null, BAD_REQUEST));
        return;
      }
      const { id, method, params } = request as { id?: unknown; method?: unknown; params?: unknown };
      switch (method) {
        case 'ping':
          socket.reply({ id, status: 200, result: {} });
          return;
        case 'userDataStream.subscribe.signature': {
          const account = verifySubscription(typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {}, engine);
          if (!isAccount(account)) {
            socket.reply(wsError(id, account));
            return;
          }
          socket.bind(account);
          subscriptionId = nextSubscription++;
          socket.reply({ id, status: 200, result: { subscriptionId } });
          return;
        }
        case 'userDataStream.unsubscribe':
          subscriptionId = undefined;
          socket.reply({ id, status: 200, result: {} });
          return;
        default:
          socket.reply(wsError(id, UNKNOWN_METHOD));
      }
    },
    order: (order) => {
      const account = socket.account;
      if (subscriptionId === undefined || !account || order.market !== 'spot') return;
      for (const event of spotEvents(order, engine, account)) socket.event({ subscriptionId, event });
    },
  };
}

const FUTURES_PATHS = ['/private/ws', '/ws'];

/** The Binance streams ccxt pro uses: spot over the WebSocket API, USDⓈ-M over a listen key. */
export function binanceStreams(keys: ListenKeys, enforceKeepAlive: boolean): VenueStreams {
  return {
    paths: ['/ws-api/v3', '/private/ws?listenKey=<key>', '/ws/<key>'],
    accepts: (path) => path === '/ws-api/v3' || FUTURES_PATHS.includes(path) || /^\/ws\/[^/]+$/.test(path),
    open: (socket, engine) => {
      if (socket.path === '/ws-api/v3') return spotWebSocketApi(socket, engine, enforceKeepAlive);
      const key = socket.path.startsWith('/ws/') ? socket.path.slice('/ws/'.length) : (socket.query.get('listenKey') ?? '');
      const entry = keys.get(key);
      if (!entry || entry.expiresAt <= engine.now()) return LISTEN_KEY_NOT_FOUND;
      return futuresUserStream(socket, engine, entry, keys, enforceKeepAlive);
    },
  };
}
