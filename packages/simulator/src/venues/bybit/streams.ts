import { createHash } from 'node:crypto';
import type { Account, EngineApi, LedgerOrder, StreamSession, StreamSocket, VenueStreams } from '../../contract';
import { closeWhenIdle } from '../shared/stream-idle';
import { hmacSha256Hex, signaturesMatch } from '../shared/hmac';
import { ORDER_STATUS } from './order-queries';

/** The private stream closes a connection that sent no `ping` for this long, unless `max_active_time` says otherwise. */
export const DEFAULT_MAX_ACTIVE_MS = 10 * 60 * 1000;
const MIN_ACTIVE_MS = 30 * 1000;
const MAX_ACTIVE_MS = 10 * 60 * 1000;

type Topic = 'order' | 'execution';
type Category = 'spot' | 'linear';

/**
 * The execution id of an order's one fill: UUID-shaped as Bybit's `execId`, derived from the order
 * id so every view of the fill (the stream, `GET /v5/execution/list`) names it alike.
 */
export function bybitExecId(order: LedgerOrder): string {
  const hex = createHash('sha256').update(`bybit-exec:${order.orderId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `max_active_time` on the URL: `30s` to `600s` or `1m` to `10m`; anything else keeps the default. */
export function maxActiveMs(raw: string | null): number {
  const match = raw === null ? null : /^(\d{1,4})([sm])$/.exec(raw);
  if (!match) return DEFAULT_MAX_ACTIVE_MS;
  const ms = Number(match[1]) * (match[2] === 'm' ? 60_000 : 1000);
  return ms >= MIN_ACTIVE_MS && ms <= MAX_ACTIVE_MS ? ms : DEFAULT_MAX_ACTIVE_MS;
}

function categoryOf(order: LedgerOrder): Category {
  return order.market === 'spot' ? 'spot' : 'linear';
}

function sideWire(order: LedgerOrder): 'Buy' | 'Sell' {
  return order.side === 'buy' ? 'Buy' : 'Sell';
}

function positionIdx(order: LedgerOrder): number {
  if (order.positionSide === 'long') return 1;
  if (order.positionSide === 'short') return 2;
  return 0;
}

/** One `order` topic entry: the market order as it stands filled. */
export function bybitOrderUpdate(order: LedgerOrder): Record<string, unknown> {
  const time = String(order.time);
  return {
    category: categoryOf(order),
    symbol: order.symbol,
    orderId: order.orderId,
    orderLinkId: order.clientOrderId,
    blockTradeId: '',
    side: sideWire(order),
    positionIdx: positionIdx(order),
    orderStatus: ORDER_STATUS[order.status],
    cancelType: 'UNKNOWN',
    rejectReason: 'EC_NoError',
    timeInForce: 'IOC',
    isLeverage: '0',
    price: order.price.toFixed(),
    qty: order.quantity.toFixed(),
    avgPrice: order.price.toFixed(),
    leavesQty: '0',
    leavesValue: '0',
    cumExecQty: order.quantity.toFixed(),
    cumExecValue: order.cost.toFixed(),
    cumExecFee: order.fee.toFixed(),
    orderType: 'Market',
    stopOrderType: '',
    orderIv: '',
    triggerPrice: '0',
    takeProfit: '0',
    stopLoss: '0',
    triggerBy: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: 0,
    placeType: '',
    lastPriceOnCreated: order.price.toFixed(),
    closeOnTrigger: false,
    reduceOnly: order.reduceOnly,
    smpGroup: 0,
    smpType: 'None',
    smpOrderId: '',
    slLimitPrice: '0',
    tpLimitPrice: '0',
    marketUnit: '',
    createdTime: time,
    updatedTime: time,
    feeCurrency: order.market === 'spot' ? order.feeAsset : '',
    // Contract orders carry these; spot orders do not (ccxt tells the two apart by `tpslMode`).
    ...(order.market === 'spot' ? {} : { tpslMode: 'UNKNOWN', createType: 'CreateByUser' }),
  };
}

/** One `execution` topic entry: the order's one fill. */
export function bybitExecution(order: LedgerOrder, engine: EngineApi): Record<string, unknown> {
  const instrument = engine.instrument('bybit', order.market, order.symbol);
  return {
    category: categoryOf(order),
    symbol: order.symbol,
    closedSize: order.reduceOnly ? order.quantity.toFixed() : '0',
    execFee: order.fee.toFixed(),
    execId: bybitExecId(order),
    execPrice: order.price.toFixed(),
    execQty: order.quantity.toFixed(),
    execType: 'Trade',
    execValue: order.cost.toFixed(),
    feeRate: instrument ? instrument.takerFeeRate.toFixed() : '0',
    tradeIv: '',
    markIv: '',
    blockTradeId: '',
    markPrice: order.price.toFixed(),
    indexPrice: '',
    underlyingPrice: '',
    leavesQty: '0',
    orderId: order.orderId,
    orderLinkId: order.clientOrderId,
    orderPrice: order.price.toFixed(),
    orderQty: order.quantity.toFixed(),
    orderType: 'Market',
    stopOrderType: 'UNKNOWN',
    side: sideWire(order),
    execTime: String(order.time),
    isLeverage: '0',
    isMaker: false,
    seq: Number(order.orderId),
    marketUnit: '',
    execPnl: order.realisedPnl.toFixed(),
    createType: 'CreateByUser',
    feeCurrency: order.feeAsset,
  };
}

interface AuthFailure {
  readonly message: string;
}

/** `auth` args: api key, `expires` (ms, in the future), hex HMAC-SHA256 of `GET/realtime<expires>`. */
function verifyAuth(args: unknown, engine: EngineApi): Account | AuthFailure {
  if (!Array.isArray(args) || args.length < 3) return { message: 'Params Error' };
  const [apiKey, expires, signature] = args as unknown[];
  const account = typeof apiKey === 'string' ? engine.account('bybit', apiKey) : undefined;
  if (!account) return { message: 'Invalid apikey' };
  const expiresText = typeof expires === 'number' ? String(expires) : typeof expires === 'string' ? expires : '';
  if (!/^\d{1,16}$/.test(expiresText) || Number(expiresText) <= engine.now()) return { message: 'Params Error' };
  if (typeof signature !== 'string' || !signaturesMatch(hmacSha256Hex(account.secret, `GET/realtime${expiresText}`), signature.toLowerCase())) {
    return { message: 'Error sign, please check your signature generation algorithm.' };
  }
  return account;
}

function isAccount(value: Account | AuthFailure): value is Account {
  return 'apiKey' in value;
}

/** `/v5/private`: auth, subscribe to `order` / `execution` (all categories, or `.spot` / `.linear`), ping. */
function privateSession(socket: StreamSocket, engine: EngineApi, enforceKeepAlive: boolean, connId: string): StreamSession {
  const subscribed = new Set<string>();
  const idleMs = maxActiveMs(socket.query.get('max_active_time'));
  const heard = closeWhenIdle(socket, engine, idleMs, enforceKeepAlive, 'no ping within max_active_time');

  const wants = (topic: Topic, category: Category): boolean => subscribed.has(topic) || subscribed.has(`${topic}.${category}`);

  return {
    topics: () => [...subscribed],
    message: (text) => {
      let request: { op?: unknown; args?: unknown; req_id?: unknown };
      try {
        request = JSON.parse(text) as typeof request;
      } catch {
        socket.reply({ success: false, ret_msg: 'error:invalid op', conn_id: connId, request: { op: '', args: null } });
        return;
      }
      const reqId = typeof request.req_id === 'string' ? { req_id: request.req_id } : {};
      switch (request.op) {
        case 'ping':
          heard();
          socket.reply({ ...reqId, op: 'pong', args: [String(engine.now())], conn_id: connId });
          return;
        case 'auth': {
          const account = verifyAuth(request.args, engine);
          if (!isAccount(account)) {
            socket.reply({ success: false, ret_msg: account.message, op: 'auth', conn_id: connId, request: { op: 'auth', args: request.args } });
            return;
          }
          socket.bind(account);
          socket.reply({ success: true, ret_msg: '', op: 'auth', conn_id: connId, ...reqId });
          return;
        }
        case 'subscribe':
        case 'unsubscribe': {
          const args = Array.isArray(request.args) ? (request.args as unknown[]) : [];
          if (!socket.account) {
            socket.reply({ success: false, ret_msg: 'Request not authorized', op: request.op, conn_id: connId, ...reqId });
            return;
          }
          for (const topic of args) {
            if (typeof topic !== 'string') continue;
            if (request.op === 'subscribe') subscribed.add(topic);
            else subscribed.delete(topic);
          }
          socket.reply({ success: true, ret_msg: '', op: request.op, conn_id: connId, ...reqId });
          return;
        }
        default:
          socket.reply({ success: false, ret_msg: 'error:invalid op', conn_id: connId, request: { op: request.op ?? '', args: request.args ?? null } });
      }
    },
    order: (order) => {
      const category = categoryOf(order);
      const creationTime = order.time;
      if (wants('order', category)) {
        socket.event({ id: `${order.orderId}-order`, topic: 'order', creationTime, data: [bybitOrderUpdate(order)] });
      }
      if (wants('execution', category)) {
        socket.event({ id: `${order.orderId}-execution`, topic: 'execution', creationTime, data: [bybitExecution(order, engine)] });
      }
    },
  };
}

/** Bybit's one private stream for unified accounts, spot and linear alike. */
export function bybitStreams(enforceKeepAlive: boolean): VenueStreams {
  let connections = 0;
  return {
    paths: ['/v5/private'],
    accepts: (path) => path === '/v5/private',
    open: (socket, engine) => privateSession(socket, engine, enforceKeepAlive, `sim-conn-${++connections}`),
  };
}
