import type { LedgerOrder, Market, VenueContext, VenueResponse } from '../../contract';
import { binanceError, illegalParameter } from './errors';
import { futuresOrder, orderIdNumber, spotOrderQuery, tradeIdOf } from './orders';
import { isAnswer } from './params';
import { accountOf, ok, requireInstrument, type BinanceRouteKit } from './route-kit';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * USDⓈ-M order queries do not find an order created more than 90 days ago (nor a cancelled or
 * expired one without fills after 3 days, which the simulator never produces).
 */
export const FUTURES_ORDER_RETENTION_MS = 90 * DAY;

/** How each market's `allOrders` bounds a listing. */
const LISTING: Readonly<Record<Market, { readonly maxSpanMs: number; readonly defaultSpanMs: number | undefined }>> = {
  // Spot: startTime to endTime at most 24 hours; without either, the most recent orders.
  spot: { maxSpanMs: DAY, defaultSpanMs: undefined },
  // USDⓈ-M: a period under 7 days, the recent 7 days by default.
  futures: { maxSpanMs: 7 * DAY, defaultSpanMs: 7 * DAY },
};

const LIMIT_DEFAULT = 500;
const LIMIT_MAX = 1000;

function optionalInteger(params: Readonly<Record<string, string>>, name: string): number | undefined | VenueResponse {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  return /^[0-9]{1,20}$/.test(raw) ? Number(raw) : illegalParameter(name, '^[0-9]{1,20}$');
}

interface ListingParams {
  readonly orderId: number | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

function listingParams(params: Readonly<Record<string, string>>): ListingParams | VenueResponse {
  const orderId = optionalInteger(params, 'orderId');
  if (isAnswer(orderId)) return orderId;
  const startTime = optionalInteger(params, 'startTime');
  if (isAnswer(startTime)) return startTime;
  const endTime = optionalInteger(params, 'endTime');
  if (isAnswer(endTime)) return endTime;
  const limit = optionalInteger(params, 'limit');
  if (isAnswer(limit)) return limit;
  return { orderId, startTime, endTime, limit: Math.min(Math.max(limit ?? LIMIT_DEFAULT, 1), LIMIT_MAX) };
}

/**
 * Binance's order listing rule: with `orderId`, orders from that id on; with `startTime`, the oldest
 * from then on (not past `endTime`); with only `endTime`, the most recent up to it; with neither,
 * the most recent. Always chronological, at most `limit`.
 */
export function selectOrders(orders: readonly LedgerOrder[], market: Market, now: number, query: ListingParams): LedgerOrder[] | VenueResponse {
  const { maxSpanMs, defaultSpanMs } = LISTING[market];
  let { startTime, endTime } = query;
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > maxSpanMs) {
    return binanceError(400, -1127, `More than ${maxSpanMs / HOUR} hours between startTime and endTime.`);
  }
  if (defaultSpanMs !== undefined && query.orderId === undefined) {
    if (startTime === undefined && endTime === undefined) startTime = now - defaultSpanMs;
    else if (startTime === undefined && endTime !== undefined) startTime = endTime - defaultSpanMs;
    else if (startTime !== undefined && endTime === undefined) endTime = startTime + defaultSpanMs;
  }
  const inRange = orders.filter(
    (order) =>
      (query.orderId === undefined || orderIdNumber(order) >= query.orderId) &&
      (startTime === undefined || order.time >= startTime) &&
      (endTime === undefined || order.time <= endTime),
  );
  const fromOldest = query.orderId !== undefined || startTime !== undefined;
  return fromOldest ? inRange.slice(0, query.limit) : inRange.slice(-query.limit);
}

/** `GET /api/v3/allOrders` and `GET /fapi/v1/allOrders`: the account's orders on one symbol. */
export function allOrders(kit: BinanceRouteKit, ctx: VenueContext, market: Market): VenueResponse {
  const params = kit.params(ctx);
  const instrument = requireInstrument(ctx, params, market);
  if (isAnswer(instrument)) return instrument;
  const query = listingParams(params);
  if (isAnswer(query)) return query;
  const now = ctx.engine.now();
  const retained = market === 'futures' ? now - FUTURES_ORDER_RETENTION_MS : -Infinity;
  const orders = ctx.engine
    .accountOrders(accountOf(ctx), market)
    .filter((order) => order.symbol === instrument.symbol && order.time >= retained);
  const selected = selectOrders(orders, market, now, query);
  if (isAnswer(selected)) return selected;
  return ok(selected.map((order) => (market === 'spot' ? spotOrderQuery(order) : futuresOrder(order, instrument, true))));
}

/**
 * The account's fills on one symbol (`myTrades` / `userTrades`), narrowed by `orderId` when sent,
 * then bounded by `startTime`, `endTime` and `limit` as the order listing is (`selectOrders`: the
 * same spans, defaults and order). A market order fills at one price, so each order is one trade.
 */
export function tradeHistory(
  kit: BinanceRouteKit,
  ctx: VenueContext,
  market: Market,
  render: (order: LedgerOrder, tradeId: number) => Record<string, unknown>,
): VenueResponse {
  const params = kit.params(ctx);
  const instrument = requireInstrument(ctx, params, market);
  if (isAnswer(instrument)) return instrument;
  const query = listingParams({ ...params, orderId: '' });
  if (isAnswer(query)) return query;
  const wanted = params.orderId;
  const orders = (ctx.engine.orders?.({ venue: 'binance', apiKey: accountOf(ctx).apiKey, market, symbol: instrument.symbol }) ?? []).filter(
    (order) => wanted === undefined || order.orderId === wanted,
  );
  const selected = selectOrders(orders, market, ctx.engine.now(), query);
  if (isAnswer(selected)) return selected;
  return ok(selected.map((order) => render(order, tradeIdOf(order))));
}

/**
 * `GET /api/v3/openOrders` and `GET /fapi/v1/openOrders`: every order here fills when placed, so
 * none is ever open. A `symbol`, when sent, must be listed.
 */
export function openOrders(kit: BinanceRouteKit, ctx: VenueContext, market: Market): VenueResponse {
  const params = kit.params(ctx);
  if (params.symbol !== undefined && params.symbol !== '') {
    const instrument = requireInstrument(ctx, params, market);
    if (isAnswer(instrument)) return instrument;
  }
  return ok([]);
}
