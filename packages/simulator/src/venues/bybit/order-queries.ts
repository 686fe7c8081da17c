import { EngineError, type Account, type EngineApi, type LedgerOrder } from '../../contract';
import { isOpen } from '../../client-order-ids';
import type { BybitCategory } from './errors';
import { marketOf, optionalString, type BybitParams } from './params';

const DAY = 24 * 60 * 60 * 1000;

/** `/v5/order/realtime` keeps an account's most recent closed orders per category, this many. */
export const REALTIME_CLOSED_KEPT = 500;
/** `/v5/order/history` spans at most 7 days per query, the last 7 days by default. */
export const HISTORY_SPAN_MS = 7 * DAY;
/** `/v5/order/history` reaches back 2 years, for orders with fills. */
export const HISTORY_RETENTION_MS = 730 * DAY;

const LIMIT_DEFAULT = 20;
const LIMIT_MAX = 50;

function invalid(message: string): EngineError {
  return new EngineError('INVALID_PARAMETER', message);
}

function optionalInteger(params: BybitParams, key: string): number | undefined {
  const text = optionalString(params, key);
  if (text === undefined) return undefined;
  if (!/^\d{1,16}$/.test(text)) throw invalid(`${key} must be an integer`);
  return Number(text);
}

function limitOf(params: BybitParams): number {
  const limit = optionalInteger(params, 'limit') ?? LIMIT_DEFAULT;
  if (limit < 1 || limit > LIMIT_MAX) throw invalid(`limit must be from 1 to ${LIMIT_MAX}`);
  return limit;
}

/** Bybit's `orderStatus` names for the statuses the ledger holds. */
export const ORDER_STATUS: Readonly<Record<LedgerOrder['status'], string>> = { filled: 'Filled', rejected: 'Rejected' };

/**
 * The orders a query names: by `orderId`, else by `orderLinkId` (Bybit's priority), narrowed by
 * `symbol` and `orderStatus` when sent. Newest first, as Bybit sorts both order endpoints.
 */
function named(params: BybitParams, orders: readonly LedgerOrder[]): LedgerOrder[] {
  const orderId = optionalString(params, 'orderId');
  const orderLinkId = optionalString(params, 'orderLinkId');
  const symbol = optionalString(params, 'symbol');
  const status = optionalString(params, 'orderStatus');
  return orders
    .filter(
      (order) =>
        (orderId === undefined ? orderLinkId === undefined || order.clientOrderId === orderLinkId : order.orderId === orderId) &&
        (symbol === undefined || order.symbol === symbol) &&
        (status === undefined || ORDER_STATUS[order.status] === status),
    )
    .reverse();
}

/**
 * `GET /v5/order/realtime`: open orders, plus the category's most recent 500 closed orders since
 * the venue last restarted. A query by id answers whatever of these it names; otherwise `openOnly`
 * 0 (the default) lists open orders only and 1 lists the kept closed ones.
 */
export function realtimeOrders(engine: EngineApi, account: Account, category: BybitCategory, params: BybitParams): LedgerOrder[] {
  if (
    category === 'linear' &&
    [optionalString(params, 'symbol'), optionalString(params, 'baseCoin'), optionalString(params, 'settleCoin')].every((value) => value === undefined)
  ) {
    throw invalid('symbol, baseCoin or settleCoin is required for linear');
  }
  const limit = limitOf(params);
  const orders = engine.accountOrders(account, marketOf(category));
  const restartedAt = engine.restartedAt('bybit');
  const open = orders.filter(isOpen);
  const keptClosed = orders.filter((order) => !isOpen(order) && order.time >= restartedAt).slice(-REALTIME_CLOSED_KEPT);
  const byId = optionalString(params, 'orderId') !== undefined || optionalString(params, 'orderLinkId') !== undefined;
  const openOnly = optionalString(params, 'openOnly') ?? '0';
  if (!byId && openOnly !== '0' && openOnly !== '1' && openOnly !== '2') throw invalid('openOnly must be 0, 1 or 2');
  const pool = byId ? [...open, ...keptClosed] : openOnly === '0' ? open : keptClosed;
  return named(params, pool.sort((a, b) => Number(a.orderId) - Number(b.orderId))).slice(0, limit);
}

/**
 * `GET /v5/order/history`: closed orders created within the query's window of at most 7 days
 * (the last 7 days when neither bound is sent; 7 days from or up to the one that is), no older
 * than 2 years.
 */
export function historyOrders(engine: EngineApi, account: Account, category: BybitCategory, params: BybitParams): LedgerOrder[] {
  const now = engine.now();
  let startTime = optionalInteger(params, 'startTime');
  let endTime = optionalInteger(params, 'endTime');
  if (startTime !== undefined && endTime !== undefined && endTime - startTime > HISTORY_SPAN_MS) {
    throw invalid('endTime - startTime must not exceed 7 days');
  }
  if (startTime === undefined && endTime === undefined) {
    endTime = now;
    startTime = now - HISTORY_SPAN_MS;
  } else if (startTime === undefined) startTime = (endTime ?? now) - HISTORY_SPAN_MS;
  else endTime ??= startTime + HISTORY_SPAN_MS;
  const from = Math.max(startTime, now - HISTORY_RETENTION_MS);
  const to = endTime ?? now;
  const limit = limitOf(params);
  const closed = engine
    .accountOrders(account, marketOf(category))
    .filter((order) => !isOpen(order) && order.time >= from && order.time <= to);
  return named(params, closed).slice(0, limit);
}
