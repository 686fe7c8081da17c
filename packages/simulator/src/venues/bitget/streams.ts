import type { Account, EngineApi, LedgerOrder, StreamSession, StreamSocket, VenueStreams } from '../../contract';
import { closeWhenIdle } from '../shared/stream-idle';
import { hmacSha256Base64, signaturesMatch } from '../shared/hmac';
import { formatDecimal } from '../shared/decimal';

/** A connection that sent no `ping` for this long is closed. */
export const BITGET_IDLE_MS = 2 * 60 * 1000;
/** The login `timestamp` (seconds) must be within this of the server's clock. */
export const LOGIN_WINDOW_MS = 30 * 1000;

type InstType = 'SPOT' | 'USDT-FUTURES';
type Channel = 'orders' | 'fill';

interface Subscription {
  readonly instType: InstType;
  readonly channel: Channel;
  readonly instId: string;
}

/** The trade id of an order's one fill: numeric like Bitget's, derived from the order id. */
export function bitgetTradeId(order: LedgerOrder): string {
  return String(Number(order.orderId) + 1);
}

function instTypeOf(order: LedgerOrder): InstType {
  return order.market === 'spot' ? 'SPOT' : 'USDT-FUTURES';
}

function feeDetail(order: LedgerOrder): { feeCoin: string; fee: string; totalFee: string; deduction: string; totalDeductionFee: string }[] {
  const fee = formatDecimal(order.fee.neg());
  return [{ feeCoin: order.feeAsset, fee, totalFee: fee, deduction: 'no', totalDeductionFee: '0' }];
}

function legOf(order: LedgerOrder): { posSide: string; tradeSide: string; posMode: string } {
  const leg = order.positionSide;
  if (leg === 'long' || leg === 'short') return { posSide: leg, tradeSide: order.reduceOnly ? 'close' : 'open', posMode: 'hedge_mode' };
  return { posSide: 'net', tradeSide: `${order.side}_single`, posMode: 'one_way_mode' };
}

/** One `orders` channel entry: the market order filled. */
export function bitgetOrderUpdate(order: LedgerOrder, leverage: number): Record<string, unknown> {
  const time = String(order.time);
  const common = {
    instId: order.symbol,
    orderId: order.orderId,
    clientOid: order.clientOrderId,
    orderType: 'market',
    force: 'gtc',
    side: order.side,
    fillPrice: formatDecimal(order.price),
    tradeId: bitgetTradeId(order),
    baseVolume: formatDecimal(order.quantity),
    fillTime: time,
    fillFee: formatDecimal(order.fee.neg()),
    fillFeeCoin: order.feeAsset,
    tradeScope: 'T',
    accBaseVolume: formatDecimal(order.quantity),
    priceAvg: formatDecimal(order.price),
    status: 'filled',
    cTime: time,
    uTime: time,
    stpMode: 'none',
    feeDetail: feeDetail(order).map(({ feeCoin, fee }) => ({ feeCoin, fee })),
    enterPointSource: 'API',
  };
  if (order.market === 'spot') {
    // A spot market buy's size is the quote amount spent, as on the REST order detail.
    return { ...common, size: formatDecimal(order.side === 'buy' ? order.cost : order.quantity), notional: formatDecimal(order.cost) };
  }
  const leg = legOf(order);
  return {
    ...common,
    price: '0',
    size: formatDecimal(order.quantity),
    notionalUsd: formatDecimal(order.cost),
    posSide: leg.posSide,
    tradeSide: leg.tradeSide,
    marginMode: 'crossed',
    marginCoin: order.feeAsset,
    leverage: String(leverage),
    reduceOnly: order.reduceOnly ? 'yes' : 'no',
    pnl: formatDecimal(order.realisedPnl),
  };
}

/** One `fill` channel entry. Contract fills carry `posMode`, spot fills do not (ccxt tells them apart so). */
export function bitgetFill(order: LedgerOrder): Record<string, unknown> {
  const time = String(order.time);
  const common = {
    orderId: order.orderId,
    tradeId: bitgetTradeId(order),
    symbol: order.symbol,
    orderType: 'market',
    side: order.side,
    priceAvg: formatDecimal(order.price),
    tradeScope: 'taker',
    feeDetail: feeDetail(order),
    cTime: time,
    uTime: time,
  };
  if (order.market === 'spot') return { ...common, size: formatDecimal(order.quantity), amount: formatDecimal(order.cost) };
  const leg = legOf(order);
  return {
    ...common,
    price: formatDecimal(order.price),
    baseVolume: formatDecimal(order.quantity),
    quoteVolume: formatDecimal(order.cost),
    profit: formatDecimal(order.realisedPnl),
    posMode: leg.posMode,
    tradeSide: leg.tradeSide,
  };
}

const ERRORS = {
  param: { code: 30016, msg: 'Param error' },
  key: { code: 30011, msg: 'Invalid ACCESS_KEY' },
  passphrase: { code: 30012, msg: 'Invalid ACCESS_PASSPHRASE' },
  timestamp: { code: 30014, msg: 'Request timestamp expired' },
  sign: { code: 30015, msg: 'Invalid sign' },
  login: { code: 30004, msg: 'User needs to log in' },
  op: { code: 30003, msg: 'Invalid op' },
} as const;

type LoginError = (typeof ERRORS)[keyof typeof ERRORS];

/** `login` args[0]: apiKey, passphrase, timestamp (seconds), base64 HMAC-SHA256 of `timestamp + "GET" + "/user/verify"`. */
function verifyLogin(args: unknown, engine: EngineApi): Account | LoginError {
  const first: unknown = Array.isArray(args) ? (args as unknown[])[0] : undefined;
  if (typeof first !== 'object' || first === null) return ERRORS.param;
  const { apiKey, passphrase, timestamp, sign } = first as Record<string, unknown>;
  const account = typeof apiKey === 'string' ? engine.account('bitget', apiKey) : undefined;
  if (!account) return ERRORS.key;
  if (typeof passphrase !== 'string' || passphrase !== account.passphrase) return ERRORS.passphrase;
  const seconds = typeof timestamp === 'string' || typeof timestamp === 'number' ? String(timestamp) : '';
  if (!/^\d{1,13}$/.test(seconds) || Math.abs(Number(seconds) * 1000 - engine.now()) > LOGIN_WINDOW_MS) return ERRORS.timestamp;
  if (typeof sign !== 'string' || !signaturesMatch(hmacSha256Base64(account.secret, `${seconds}GET/user/verify`), sign)) return ERRORS.sign;
  return account;
}

function isAccount(value: Account | LoginError): value is Account {
  return 'apiKey' in value;
}

function subscriptionOf(arg: unknown): Subscription | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const { instType, channel, instId } = arg as Record<string, unknown>;
  if ((instType !== 'SPOT' && instType !== 'USDT-FUTURES') || (channel !== 'orders' && channel !== 'fill')) return undefined;
  return { instType, channel, instId: typeof instId === 'string' ? instId : 'default' };
}

/** `/v2/ws/private`: login, subscribe to `orders` / `fill` (SPOT, USDT-FUTURES), plain-text ping/pong. */
function privateSession(socket: StreamSocket, engine: EngineApi, enforceKeepAlive: boolean): StreamSession {
  const subscriptions: Subscription[] = [];
  const heard = closeWhenIdle(socket, engine, BITGET_IDLE_MS, enforceKeepAlive, 'no ping within 2 minutes');

  const send = (channel: Channel, order: LedgerOrder, data: Record<string, unknown>): void => {
    const instType = instTypeOf(order);
    const subscription = subscriptions.find(
      (entry) => entry.channel === channel && entry.instType === instType && (entry.instId === 'default' || entry.instId === order.symbol),
    );
    if (!subscription) return;
    socket.event({ action: 'snapshot', arg: { instType, channel, instId: subscription.instId }, data: [data], ts: order.time });
  };

  return {
    topics: () => subscriptions.map((entry) => entry.channel),
    message: (text) => {
      if (text === 'ping') {
        heard();
        socket.reply('pong');
        return;
      }
      let request: { op?: unknown; args?: unknown };
      try {
        request = JSON.parse(text) as typeof request;
      } catch {
        socket.reply({ event: 'error', ...ERRORS.op });
        return;
      }
      if (request.op === 'login') {
        const account = verifyLogin(request.args, engine);
        if (!isAccount(account)) {
          socket.reply({ event: 'error', ...account });
          return;
        }
        socket.bind(account);
        socket.reply({ event: 'login', code: 0, msg: '' });
        return;
      }
      if (request.op === 'subscribe' || request.op === 'unsubscribe') {
        if (!socket.account) {
          socket.reply({ event: 'error', ...ERRORS.login });
          return;
        }
        for (const arg of Array.isArray(request.args) ? (request.args as unknown[]) : []) {
          const subscription = subscriptionOf(arg);
          if (!subscription) {
            socket.reply({ event: 'error', arg, code: 30001, msg: 'channel does not exist' });
            continue;
          }
          const at = subscriptions.findIndex(
            (entry) => entry.channel === subscription.channel && entry.instType === subscription.instType && entry.instId === subscription.instId,
          );
          if (request.op === 'subscribe' && at === -1) subscriptions.push(subscription);
          if (request.op === 'unsubscribe' && at !== -1) subscriptions.splice(at, 1);
          socket.reply({ event: request.op, arg: { instType: subscription.instType, channel: subscription.channel, instId: subscription.instId } });
        }
        return;
      }
      socket.reply({ event: 'error', ...ERRORS.op });
    },
    order: (order) => {
      const account = socket.account;
      if (!account) return;
      const leverage = order.market === 'futures' ? engine.leverage(account, order.symbol, order.positionSide ?? 'both') : 1;
      send('orders', order, bitgetOrderUpdate(order, leverage));
      send('fill', order, bitgetFill(order));
    },
  };
}

/** Bitget's classic-account private stream. */
export function bitgetStreams(enforceKeepAlive: boolean): VenueStreams {
  return {
    paths: ['/v2/ws/private'],
    accepts: (path) => path === '/v2/ws/private',
    open: (socket, engine) => privateSession(socket, engine, enforceKeepAlive),
  };
}
