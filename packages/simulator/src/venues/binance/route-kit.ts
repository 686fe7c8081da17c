import type { Account, Instrument, Market, RouteKind, Side, VenueContext, VenueResponse, VenueRoute } from '../../contract';
import type { ExchangeInfoCache } from './market-data';
import type { OrderRateLimit } from './order-count';
import { INVALID_SIDE, INVALID_SYMBOL, UNSUPPORTED_ORDER_TYPE, binanceError, missingParameter } from './errors';
import { isAnswer, requireString } from './params';
import type { WeightPool } from './rate-limit';

/** What every Binance route handler shares with the protocol. */
export interface BinanceRouteKit {
  params(ctx: VenueContext): Readonly<Record<string, string>>;
  readonly exchangeInfo: ExchangeInfoCache;
  weightBudget(pool: WeightPool): number;
  /** The account order-count limits enforced on a market, published in its exchangeInfo. */
  orderLimits(market: Market): readonly OrderRateLimit[];
}

export function ok(body: unknown): VenueResponse {
  return { status: 200, body };
}

/** A pre-serialised JSON body: the server sends strings as they are, under this content type. */
export function okJson(body: string): VenueResponse {
  return { status: 200, body, headers: { 'content-type': 'application/json' } };
}

/** Signed routes always run with the account the protocol authenticated. */
export function accountOf(ctx: VenueContext): Account {
  if (!ctx.account) throw new Error('signed Binance route reached without an authenticated account');
  return ctx.account;
}

/** The instrument a required `symbol` names on `market`, or Binance's -1102 / -1121. */
export function requireInstrument(ctx: VenueContext, params: Readonly<Record<string, string>>, market: Market): Instrument | VenueResponse {
  const symbol = requireString(params, 'symbol');
  if (isAnswer(symbol)) return symbol;
  return ctx.engine.instrument('binance', market, symbol) ?? INVALID_SYMBOL;
}

export interface OrderBasics {
  readonly params: Readonly<Record<string, string>>;
  readonly account: Account;
  readonly instrument: Instrument;
  readonly side: Side;
}

/**
 * What both order endpoints check first, in Binance's order: symbol present, side BUY or SELL, type
 * MARKET (the only type the simulator fills; the others answer as an unsupported combination),
 * symbol listed.
 */
export function orderBasics(kit: BinanceRouteKit, ctx: VenueContext, market: Market): OrderBasics | VenueResponse {
  const params = kit.params(ctx);
  const symbol = requireString(params, 'symbol');
  if (isAnswer(symbol)) return symbol;
  const side = params.side;
  if (side === undefined || side === '') return missingParameter('side');
  if (side !== 'BUY' && side !== 'SELL') return INVALID_SIDE;
  const type = params.type;
  if (type === undefined || type === '') return missingParameter('type');
  if (type !== 'MARKET') return UNSUPPORTED_ORDER_TYPE;
  const instrument = ctx.engine.instrument('binance', market, symbol);
  if (!instrument) return INVALID_SYMBOL;
  return { params, account: accountOf(ctx), instrument, side: side === 'BUY' ? 'buy' : 'sell' };
}

/** `orderId` or `origClientOrderId`, as both order-query endpoints take them. */
export function orderQuery(params: Readonly<Record<string, string>>): { orderId: string } | { clientOrderId: string } | VenueResponse {
  const { orderId, origClientOrderId } = params;
  if (orderId !== undefined && orderId !== '') return { orderId };
  if (origClientOrderId !== undefined && origClientOrderId !== '') return { clientOrderId: origClientOrderId };
  return binanceError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
}

type Handler = (ctx: VenueContext) => VenueResponse;

/** An unsigned GET (MARKET_DATA) route. */
export function publicRoute(path: string, weight: number, handle: Handler): VenueRoute {
  return { method: 'GET', path, kind: 'other', signed: false, weight, handle };
}

/** A SIGNED (TRADE / USER_DATA) route. */
export function signedRoute(method: VenueRoute['method'], path: string, weight: number, handle: Handler, kind: RouteKind = 'other'): VenueRoute {
  return { method, path, kind, signed: true, weight, handle };
}

/** `ping` and `time` under one API root (`/api/v3`, `/fapi/v1`, `/dapi/v1`). */
export function pingAndTime(root: string): VenueRoute[] {
  return [publicRoute(`${root}/ping`, 1, () => ok({})), publicRoute(`${root}/time`, 1, (ctx) => ok({ serverTime: ctx.engine.now() }))];
}
