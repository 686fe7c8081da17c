import { Decimal } from '@xport/core';
import type { OrderResult, OrderResultJSON } from '@xport/core';
import type { Order } from 'ccxt';

/** What an order found under a client order id must be for it to be the order the caller meant. */
export interface ExpectedOrder {
  /** ccxt's symbol of the market the intent resolved to (`BTC/USDT`, `BTC/USDT:USDT`): symbol and market at once. */
  readonly ccxtSymbol: string;
  readonly side: 'buy' | 'sell';
  readonly reduceOnly: boolean;
  /** The base quantity sent (after rounding to the step); undefined when it cannot be compared. */
  readonly quantity: Decimal | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The fields in which a ccxt order the venue reports under the caller's client order id contradicts
 * the intent: `symbol` (which also says spot or perpetual), `side`, `reduceOnly` and `quantity`.
 * A field the venue leaves out is not held against the order.
 */
export function foundOrderMismatches(order: Order, expected: ExpectedOrder): string[] {
  const mismatches: string[] = [];
  const found: unknown = order;
  if (!isRecord(found)) return ['order'];
  if (typeof found.symbol === 'string' && found.symbol !== expected.ccxtSymbol) mismatches.push('symbol');
  if (typeof found.side === 'string' && found.side !== expected.side) mismatches.push('side');
  // Only a reduce-only order found for an opening intent is held against it: Binance reports a
  // hedge-mode close as not reduce-only (the position side does the reducing there).
  if (found.reduceOnly === true && !expected.reduceOnly) mismatches.push('reduceOnly');
  const amount = found.amount;
  if (expected.quantity !== undefined && (typeof amount === 'number' || typeof amount === 'string') && Number.isFinite(Number(amount))) {
    if (!new Decimal(String(amount)).eq(expected.quantity)) mismatches.push('quantity');
  }
  return mismatches;
}

/**
 * The found order as the venue reports it, for the conflict's message and `existing`: the result
 * was read with the intent filling gaps, so the venue's own symbol, market and side replace it.
 */
export function reportedOrder(order: Order, result: OrderResult): OrderResultJSON {
  const json = result.toJSON();
  const symbol = typeof order.symbol === 'string' && order.symbol !== '' ? order.symbol : undefined;
  const side = order.side === 'buy' || order.side === 'sell' ? order.side : json.side;
  if (symbol === undefined) return { ...json, side };
  const marketType = symbol.includes(':') ? 'futures' : 'spot';
  return { ...json, symbol: symbol.split(':')[0] ?? json.symbol, marketType, side, positionSide: marketType === 'spot' ? undefined : json.positionSide };
}
