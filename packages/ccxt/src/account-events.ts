import { AccountFill, AccountOrderUpdate, Decimal } from '@xport/core';
import type { MarketType, OrderSide } from '@xport/core';

import type { CcxtOrder, CcxtTrade } from './ccxt-types';
import { decimalFrom, fromAnswer, malformedAnswer, orderIdOf, statusOf } from './to-domain';
import type { AccountEventFacts } from './venue-profile';

/** What maps a ccxt trade or order of one watched market to a domain event. */
export interface AccountEventContext {
  readonly exchange: string;
  /** The watched market's unified symbol (`BTC/USDT`). */
  readonly symbol: string;
  readonly market: MarketType;
  /** ccxt's contractSize of the market: amounts are in contracts on a contract market, events in base. */
  readonly contractSize: Decimal;
  readonly facts?: ((info: unknown, market: MarketType) => AccountEventFacts) | undefined;
}

function sideOf(value: unknown, exchange: string, what: string): OrderSide {
  if (value === 'buy' || value === 'sell') return value;
  throw malformedAnswer(exchange, `${what} without a side (${String(value)})`);
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function timestampOf(value: unknown, exchange: string, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.trunc(value);
  throw malformedAnswer(exchange, `${what} without a timestamp`);
}

/**
 * A ccxt trade (watchMyTrades or fetchMyTrades) → AccountFill. A trade without an id, order id,
 * side, amount, price or time is a malformed answer (ExchangeUnavailableError): a fill that could
 * not be de-duplicated or attributed is never delivered.
 */
export function toAccountFill(trade: CcxtTrade, context: AccountEventContext): AccountFill {
  const { exchange } = context;
  const tradeId = textOf(trade.id);
  if (tradeId === undefined) throw malformedAnswer(exchange, 'a trade without an id');
  const what = `trade ${tradeId}`;
  const orderId = textOf(trade.order);
  if (orderId === undefined) throw malformedAnswer(exchange, `${what} without an order id`);
  const facts = context.facts?.(trade.info, context.market) ?? {};
  const fee = trade.fee?.cost === undefined || trade.fee.currency === undefined ? undefined : { amount: decimalFrom(trade.fee.cost, 'fee', exchange).abs(), asset: trade.fee.currency };
  return fromAnswer(exchange, what, () =>
    new AccountFill({
      exchange,
      symbol: context.symbol,
      marketType: context.market,
      side: sideOf(trade.side, exchange, what),
      quantity: decimalFrom(trade.amount, 'amount', exchange).mul(context.contractSize),
      price: decimalFrom(trade.price, 'price', exchange),
      fee,
      orderId,
      clientOrderId: facts.clientOrderId,
      tradeId,
      timestamp: timestampOf(trade.timestamp, exchange, what),
      positionSide: context.market === 'futures' ? facts.positionSide : undefined,
      reduceOnly: context.market === 'futures' ? facts.reduceOnly : undefined,
      raw: trade.info,
    }),
  );
}

/** A ccxt order (watchOrders) → AccountOrderUpdate. */
export function toAccountOrderUpdate(order: CcxtOrder, context: AccountEventContext): AccountOrderUpdate {
  const { exchange } = context;
  const orderId = orderIdOf(order, exchange);
  const what = `order ${orderId}`;
  const facts = context.facts?.(order.info, context.market) ?? {};
  const size = context.contractSize;
  const quantity = order.amount === undefined || order.amount === 0 ? undefined : decimalFrom(order.amount, 'amount', exchange).mul(size);
  const filled = order.filled === undefined ? new Decimal(0) : decimalFrom(order.filled, 'filled', exchange).mul(size);
  const average = order.average === undefined || order.average === 0 || filled.isZero() ? undefined : decimalFrom(order.average, 'average', exchange);
  const clientOrderId = textOf(order.clientOrderId) ?? facts.clientOrderId;
  return fromAnswer(exchange, what, () =>
    new AccountOrderUpdate({
      exchange,
      symbol: context.symbol,
      marketType: context.market,
      side: sideOf(order.side, exchange, what),
      orderId,
      clientOrderId,
      status: statusOf(order, filled, quantity ?? filled),
      quantity,
      filledQuantity: filled,
      averagePrice: average,
      timestamp: timestampOf(order.lastUpdateTimestamp ?? order.lastTradeTimestamp ?? order.timestamp, exchange, what),
      positionSide: context.market === 'futures' ? facts.positionSide : undefined,
      reduceOnly: context.market === 'futures' ? (order.reduceOnly ?? facts.reduceOnly) : undefined,
      raw: order.info,
    }),
  );
}
