import { isOpen } from '../../client-order-ids';
import type { LedgerOrder, Market, VenueContext } from '../../contract';
import { BITGET_CODES, refusal } from './errors';
import { futuresOrderRow, spotOrderRow } from './format';
import { accountOf, futuresSymbol, isUsdtFutures, optionalParam, orderIdParam, requireInstrument, requiredParam, type ParamSource } from './params';
import { signedRoute, type BitgetRoute } from './route';
import { bitgetFill, bitgetTradeId } from './streams';

const DAY = 24 * 60 * 60 * 1000;

/** Both history endpoints reach back 90 days, and one query spans at most that much. */
export const HISTORY_RETENTION_MS = 90 * DAY;

const LIMIT_MAX = 100;

function optionalInteger(source: ParamSource, name: string): number | undefined {
  const text = optionalParam(source, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw refusal(BITGET_CODES.parameterError, name);
  return Number(text);
}

/**
 * The closed orders a history query selects: created in its window (the last 90 days unless told
 * otherwise, never older), older than `idLessThan` when paging, newest first, at most `limit`.
 */
function history(ctx: VenueContext, market: Market, source: ParamSource, narrow: (order: LedgerOrder) => boolean): LedgerOrder[] {
  const now = ctx.engine.now();
  const startTime = optionalInteger(source, 'startTime');
  const endTime = optionalInteger(source, 'endTime');
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > HISTORY_RETENTION_MS) {
    throw refusal(BITGET_CODES.parameterError, 'endTime');
  }
  const from = Math.max(startTime ?? 0, now - HISTORY_RETENTION_MS);
  const to = endTime ?? now;
  const before = optionalInteger(source, 'idLessThan');
  const limit = Math.min(optionalInteger(source, 'limit') ?? LIMIT_MAX, LIMIT_MAX);
  return ctx.engine
    .accountOrders(accountOf(ctx), market)
    .filter((order) => !isOpen(order) && order.time >= from && order.time <= to && (before === undefined || Number(order.orderId) < before) && narrow(order))
    .reverse()
    .slice(0, limit);
}

function spotHistory(ctx: VenueContext): unknown {
  const account = accountOf(ctx);
  const source = ctx.request.query;
  const symbol = optionalParam(source, 'symbol');
  if (symbol !== undefined) requireInstrument(ctx.engine, 'spot', symbol);
  const orderId = orderIdParam(source);
  const orders = history(ctx, 'spot', source, (order) => (symbol === undefined || order.symbol === symbol) && (orderId === undefined || order.orderId === orderId));
  return orders.map((order) => spotOrderRow(order, account, ctx.engine.instrument('bitget', 'spot', order.symbol)?.base ?? order.symbol.replace(/USDT$/, '')));
}

/**
 * The USDT-M symbol a futures listing narrows to: `productType` is required and another product
 * type lists nothing (null); `symbol` is optional.
 */
function futuresListing(ctx: VenueContext): { readonly symbol: string | undefined } | null {
  const source = ctx.request.query;
  if (optionalParam(source, 'symbol') !== undefined) return { symbol: futuresSymbol(ctx.engine, source, 'optional') };
  return isUsdtFutures(source) ? { symbol: undefined } : null;
}

function futuresHistory(ctx: VenueContext): unknown {
  const account = accountOf(ctx);
  const source = ctx.request.query;
  const listing = futuresListing(ctx);
  if (listing === null) return { entrustedList: [], endId: '' };
  const { symbol } = listing;
  const orderId = orderIdParam(source);
  const clientOid = optionalParam(source, 'clientOid');
  const orders = history(
    ctx,
    'futures',
    source,
    (order) =>
      (symbol === undefined || order.symbol === symbol) &&
      (orderId === undefined ? clientOid === undefined || order.clientOrderId === clientOid : order.orderId === orderId),
  );
  const entrustedList = orders.map((order) => {
    const { state, ...row } = futuresOrderRow(order, ctx.engine.leverage(account, order.symbol, order.positionSide ?? 'both'));
    // The list names the status `status`; the single-order detail names it `state`.
    return { ...row, status: state };
  });
  return { entrustedList, endId: orders.at(-1)?.orderId ?? '' };
}

/**
 * The filled orders a fills query selects, as `history` does, but paged by trade id: `idLessThan`
 * is the `endId` of the page before, the oldest trade id it listed.
 */
function fillHistory(ctx: VenueContext, market: Market, narrow: (order: LedgerOrder) => boolean): LedgerOrder[] {
  const { idLessThan: _paged, ...source } = ctx.request.query;
  const before = optionalInteger(ctx.request.query, 'idLessThan');
  return history(ctx, market, source, (order) => order.status === 'filled' && (before === undefined || Number(bitgetTradeId(order)) < before) && narrow(order));
}

/**
 * `GET /api/v2/spot/trade/fills`: the account's fills on one symbol, as the `fill` channel sends
 * them (same `tradeId`), newest first; a market order fills whole, so each filled order is one
 * fill. The REST entry's `feeDetail` is one object, where the channel's is a list.
 */
function spotFills(ctx: VenueContext): unknown {
  const source = ctx.request.query;
  const symbol = requireInstrument(ctx.engine, 'spot', requiredParam(source, 'symbol')).symbol;
  const orderId = orderIdParam(source);
  const orders = fillHistory(ctx, 'spot', (order) => order.symbol === symbol && (orderId === undefined || order.orderId === orderId));
  return orders.map((order) => {
    const fill = bitgetFill(order);
    const [feeDetail] = fill.feeDetail as readonly Record<string, unknown>[];
    return { ...fill, feeDetail };
  });
}

/** `GET /api/v2/mix/order/fills`: USDT-M fills, as the `fill` channel sends them, in `fillList` with the last entry's id as `endId`. */
function futuresFills(ctx: VenueContext): unknown {
  const source = ctx.request.query;
  const listing = futuresListing(ctx);
  if (listing === null) return { fillList: [], endId: '' };
  const { symbol } = listing;
  const orderId = orderIdParam(source);
  const orders = fillHistory(ctx, 'futures', (order) => (symbol === undefined || order.symbol === symbol) && (orderId === undefined || order.orderId === orderId));
  const fillList = orders.map((order) => ({ ...bitgetFill(order), enterPointSource: 'API' }));
  const last = orders.at(-1);
  return { fillList, endId: last === undefined ? '' : bitgetTradeId(last) };
}

/**
 * Order listings, spot and USDT-M. Every order fills when placed, so the open-order lists are
 * always empty; the history lists hold every filled order of the last 90 days.
 */
export const BITGET_ORDER_LIST_ROUTES: readonly BitgetRoute[] = [
  signedRoute('GET', '/api/v2/spot/trade/unfilled-orders', 'spot', 20, () => [], 'order.query'),
  signedRoute('GET', '/api/v2/spot/trade/history-orders', 'spot', 20, spotHistory, 'order.query'),
  signedRoute(
    'GET',
    '/api/v2/mix/order/orders-pending',
    'futures',
    10,
    (ctx) => {
      futuresListing(ctx);
      return { entrustedList: [], endId: '' };
    },
    'order.query',
  ),
  signedRoute('GET', '/api/v2/mix/order/orders-history', 'futures', 10, futuresHistory, 'order.query'),
  signedRoute('GET', '/api/v2/spot/trade/fills', 'spot', 10, spotFills),
  signedRoute('GET', '/api/v2/mix/order/fills', 'futures', 10, futuresFills),
];
