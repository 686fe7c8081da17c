import type { Decimal } from './decimal';
import { parseDecimal } from './decimal';
import { IdempotencyConflictError, InvalidOrderError } from './errors';
import type { JournalKey, JournalOrderRequest, OrderOperation } from './order-journal';
import { ORDER_OPERATIONS } from './order-journal';
import type { OrderResult, OrderResultJSON } from './order-result';
import { parseSymbol } from './symbol';
import type { PositionSide } from './types';
import { assertLeverage, assertPositionSide, assertQuantity } from './validation';

/** `BASE/QUOTE`; an unparseable symbol is refused under the caller's field name. */
function unifiedSymbol(symbol: string, field: string): string {
  try {
    return parseSymbol(symbol).unified;
  } catch (error) {
    if (!InvalidOrderError.isInstance(error) || field === 'symbol') throw error;
    throw new InvalidOrderError(error.message.replace(/^symbol/, field), { field, expected: error.expected });
  }
}

/** A port call that places an order, as its arguments: what `journalOrderRequest` records. */
export type JournalOrderCall =
  | { readonly operation: 'executeSpotBuy' | 'executeSpotSell'; readonly symbol: string; readonly quantity: Decimal }
  | { readonly operation: 'executeFuturesLong' | 'executeFuturesShort'; readonly symbol: string; readonly quantity: Decimal; readonly leverage: number }
  | { readonly operation: 'closeFuturesPosition'; readonly symbol: string; readonly positionSide: PositionSide }
  | { readonly operation: 'reduceFuturesPosition'; readonly symbol: string; readonly positionSide: PositionSide; readonly quantity: Decimal };

/**
 * The journal record of a port call: market, side, position side and reduce-only follow from the
 * operation as the port defines them; the symbol is written `BASE/QUOTE` and the quantity as a plain
 * decimal string, so two calls for the same order give equal records. Refuses bad input with
 * `InvalidOrderError`, like the port.
 */
export function journalOrderRequest(call: JournalOrderCall, field?: string): JournalOrderRequest {
  const named = (name: string): string => (field === undefined ? name : `${field}.${name}`);
  const symbol = unifiedSymbol(call.symbol, named('symbol'));
  switch (call.operation) {
    case 'executeSpotBuy':
    case 'executeSpotSell':
      assertQuantity(call.quantity, named('quantity'));
      return Object.freeze({
        operation: call.operation,
        symbol,
        market: 'spot',
        side: call.operation === 'executeSpotBuy' ? 'buy' : 'sell',
        quantity: call.quantity.toFixed(),
        reduceOnly: false,
      });
    case 'executeFuturesLong':
    case 'executeFuturesShort': {
      assertQuantity(call.quantity, named('quantity'));
      assertLeverage(call.leverage, named('leverage'));
      const long = call.operation === 'executeFuturesLong';
      return Object.freeze({
        operation: call.operation,
        symbol,
        market: 'futures',
        side: long ? 'buy' : 'sell',
        quantity: call.quantity.toFixed(),
        positionSide: long ? 'long' : 'short',
        leverage: call.leverage,
        reduceOnly: false,
      });
    }
    case 'closeFuturesPosition':
      assertPositionSide(call.positionSide, named('positionSide'));
      return Object.freeze({
        operation: call.operation,
        symbol,
        market: 'futures',
        side: call.positionSide === 'long' ? 'sell' : 'buy',
        positionSide: call.positionSide,
        reduceOnly: true,
      });
    case 'reduceFuturesPosition':
      assertPositionSide(call.positionSide, named('positionSide'));
      assertQuantity(call.quantity, named('quantity'));
      return Object.freeze({
        operation: call.operation,
        symbol,
        market: 'futures',
        side: call.positionSide === 'long' ? 'sell' : 'buy',
        quantity: call.quantity.toFixed(),
        positionSide: call.positionSide,
        reduceOnly: true,
      });
    default:
      throw new InvalidOrderError(`${named('operation')} must be one of ${ORDER_OPERATIONS.join(', ')}, got ${JSON.stringify((call as { operation: unknown }).operation)}`, {
        field: named('operation'),
        expected: ORDER_OPERATIONS.join(' | '),
      });
  }
}

/**
 * Checks a request record from outside (a caller's intent, JSON from a store) and returns it in the
 * form `journalOrderRequest` gives: every field must be what the operation implies. Throws
 * `InvalidOrderError` naming the field otherwise.
 */
export function parseJournalOrderRequest(value: unknown, field = 'request'): JournalOrderRequest {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidOrderError(`${field} must be an order request record`, { field, expected: 'an object from journalOrderRequest()' });
  }
  const record = value as Readonly<Record<string, unknown>>;
  const operation = record.operation as OrderOperation;
  if (!ORDER_OPERATIONS.includes(operation)) {
    throw new InvalidOrderError(`${field}.operation must be one of ${ORDER_OPERATIONS.join(', ')}, got ${JSON.stringify(record.operation)}`, {
      field: `${field}.operation`,
      expected: ORDER_OPERATIONS.join(' | '),
    });
  }
  const quantity = (): Decimal => parseDecimal(record.quantity, `${field}.quantity`);
  const built = journalOrderRequest(
    operation === 'closeFuturesPosition'
      ? { operation, symbol: record.symbol as string, positionSide: record.positionSide as PositionSide }
      : operation === 'reduceFuturesPosition'
        ? { operation, symbol: record.symbol as string, positionSide: record.positionSide as PositionSide, quantity: quantity() }
        : operation === 'executeFuturesLong' || operation === 'executeFuturesShort'
        ? { operation, symbol: record.symbol as string, quantity: quantity(), leverage: record.leverage as number }
        : { operation, symbol: record.symbol as string, quantity: quantity() },
    field,
  );
  for (const name of ['market', 'side', 'positionSide', 'leverage', 'reduceOnly', 'quantity'] as const) {
    if (name === 'quantity' ? record.quantity !== undefined && built.quantity === undefined : record[name] !== built[name]) {
      const expected = built[name] === undefined ? 'absent' : JSON.stringify(built[name]);
      const got = record[name] === undefined ? 'nothing' : JSON.stringify(record[name]);
      throw new InvalidOrderError(`${field}.${name} must be ${expected} for ${operation}, got ${got}`, { field: `${field}.${name}`, expected });
    }
  }
  return built;
}

const sameQuantity = (a: string | undefined, b: string | undefined): boolean =>
  a === undefined || b === undefined ? a === b : parseDecimal(a, 'quantity').eq(parseDecimal(b, 'quantity'));

/**
 * True when `a` and `b` ask for the same order: same operation, symbol, market, side, quantity
 * (by value: `"0.010"` is `"0.01"`), position side, leverage and reduce-only. A key that names one
 * order must not be used for the other: that is an `IdempotencyConflictError`.
 */
export function sameOrderRequest(a: JournalOrderRequest, b: JournalOrderRequest): boolean {
  return (
    a.operation === b.operation &&
    parseSymbol(a.symbol).unified === parseSymbol(b.symbol).unified &&
    a.market === b.market &&
    a.side === b.side &&
    sameQuantity(a.quantity, b.quantity) &&
    a.positionSide === b.positionSide &&
    a.leverage === b.leverage &&
    a.reduceOnly === b.reduceOnly
  );
}

/** One line for messages and logs: `executeFuturesLong 0.01 BTC/USDT (futures buy long, 5x)`. */
export function describeOrderRequest(request: JournalOrderRequest): string {
  const what = [request.market, request.side, request.positionSide].filter((part) => part !== undefined).join(' ');
  const leverage = request.leverage === undefined ? '' : `, ${request.leverage}x`;
  return `${request.operation} ${request.quantity ?? 'whole leg'} ${request.symbol} (${what}${leverage})`;
}

/**
 * The fields in which an order the venue reports under a client order id contradicts the request
 * that id was claimed for: `market`, `symbol`, `side`, `positionSide`. Empty when it is the
 * requested order. Quantity is left to the caller, who knows the step the venue floored it to.
 */
export function orderMismatches(order: OrderResult | OrderResultJSON, request: JournalOrderRequest): string[] {
  const mismatches: string[] = [];
  if (order.marketType !== request.market) mismatches.push('market');
  if (parseSymbol(order.symbol).unified !== parseSymbol(request.symbol).unified) mismatches.push('symbol');
  if (order.side !== request.side) mismatches.push('side');
  if (request.market === 'futures' && order.positionSide !== undefined && order.positionSide !== request.positionSide) mismatches.push('positionSide');
  return mismatches;
}

const describeExisting = (existing: JournalOrderRequest | OrderResultJSON): string =>
  'operation' in existing
    ? `was recorded for ${describeOrderRequest(existing)}`
    : `names the venue's order ${existing.orderId}: ${existing.marketType} ${existing.side} ${existing.requestedQuantity} ${existing.symbol}`;

/**
 * The error for a key that already names another order, with a message that says both orders.
 * `existing` is the journal's recorded request, or the order the venue reported under the id.
 */
export function idempotencyConflict(input: {
  readonly key: JournalKey;
  readonly requested: JournalOrderRequest;
  readonly existing: JournalOrderRequest | OrderResultJSON;
  readonly operation?: string;
}): IdempotencyConflictError {
  const { key, requested, existing } = input;
  return new IdempotencyConflictError(
    `${key.exchange}: client order id ${key.clientOrderId} (account ${key.account}) ${describeExisting(existing)}; ` +
      `refusing ${describeOrderRequest(requested)} under it. Nothing was sent: give the new order its own id.`,
    {
      exchange: key.exchange,
      operation: input.operation ?? requested.operation,
      clientOrderId: key.clientOrderId,
      account: key.account,
      requested,
      existing,
    },
  );
}
