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
  const { from, to } = windowOf(engine, params);
  const limit = limitOf(params);
  const closed = engine
    .accountOrders(account, marketOf(category))
    .filter((order) => !isOpen(order) && order.time >= from && order.time <= to);
  return named(params, closed).slice(0, limit);
}

/**
 * The window of `startTime` / `endTime` that `/v5/order/history` and `/v5/execution/list` share:
 * at most 7 days, the last 7 days when neither bound is sent, 7 days from or up to the one that
 * is; nothing older than 2 years.
 */
function windowOf(engine: EngineApi, params: BybitParams): { readonly from: number; readonly to: number } {
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
  return { from: Math.max(startTime, now - HISTORY_RETENTION_MS), to: endTime ?? now };
}

/** `/v5/execution/list` pages hold 1 to 100 executions, 50 by default. */
const EXECUTION_LIMIT_DEFAULT = 50;
const EXECUTION_LIMIT_MAX = 100;

/** One page of `/v5/execution/list`, and the cursor of the next (empty on the last). */
export interface ExecutionPage {
  readonly list: readonly LedgerOrder[];
  readonly nextPageCursor: string;
}

/**
 * `GET /v5/execution/list`: the account's executions of the category in the order-history window,
 * newest first, narrowed by `symbol`, `orderId`, `orderLinkId` and `execType` (every execution
 * here is a `Trade`: a market order fills whole, at one price, so each executed order is one
 * execution). `cursor` is the `nextPageCursor` of the page before.
 */
export function executionList(engine: EngineApi, account: Account, category: BybitCategory, params: BybitParams): ExecutionPage {
  const { from, to } = windowOf(engine, params);
  const limit = optionalInteger(params, 'limit') ?? EXECUTION_LIMIT_DEFAULT;
  if (limit < 1 || limit > EXECUTION_LIMIT_MAX) throw invalid(`limit must be from 1 to ${EXECUTION_LIMIT_MAX}`);
  const cursor = optionalString(params, 'cursor');
  if (cursor !== undefined && !/^\d{1,9}$/.test(cursor)) throw invalid('cursor is invalid');
  const execType = optionalString(params, 'execType');
  const executed = engine
    .accountOrders(account, marketOf(category))
    .filter((order) => order.status === 'filled' && order.time >= from && order.time <= to && (execType === undefined || execType === 'Trade'));
  const all = named(params, executed);
  const start = cursor === undefined ? 0 : Number(cursor);
  const list = all.slice(start, start + limit);
  return { list, nextPageCursor: start + limit < all.length ? String(start + limit) : '' };
}
