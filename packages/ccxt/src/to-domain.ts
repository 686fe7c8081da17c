import { Balance, Decimal, ExchangeAPIError, OrderResult, SymbolInfo } from '@xport/core';
import type { MarketType, OrderSide, OrderStatus, PositionSide } from '@xport/core';
import type { CcxtBalances as Balances, CcxtMarket as Market, CcxtOrder as Order } from './ccxt-types';

/**
 * ccxt parses the venues' decimal strings into JS numbers; the shortest round-trip text of such a
 * number is the string it was parsed from (up to 15 significant digits), so that text is what goes
 * into a Decimal. Anything else is a malformed answer.
 */
export function decimalFrom(value: unknown, field: string, exchange: string): Decimal {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value.toString());
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return new Decimal(value);
  throw new ExchangeAPIError(`${exchange} answered without a usable ${field} (${String(value)})`, { exchange, operation: 'parse' });
}

const optionalDecimal = (value: unknown, field: string, exchange: string): Decimal | undefined =>
  value === undefined || value === null ? undefined : decimalFrom(value, field, exchange);

function statusOf(order: Order, filled: Decimal, requested: Decimal): OrderStatus {
  switch (order.status) {
    case 'closed':
      return filled.gte(requested) ? 'filled' : filled.gt(0) ? 'partially_filled' : 'canceled';
    case 'open':
      return filled.gt(0) ? 'partially_filled' : 'new';
    case 'canceled':
      return 'canceled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return filled.gt(0) ? (filled.gte(requested) ? 'filled' : 'partially_filled') : 'new';
  }
}

export interface OrderContext {
  readonly exchange: string;
  readonly symbol: string;
  readonly market: MarketType;
  readonly side: OrderSide;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  readonly clientOrderId: string;
  readonly requestedQuantity: Decimal;
  readonly now: number;
}

/** A ccxt order → OrderResult, with the intent filling what the venue leaves out. */
export function toOrderResult(order: Order, context: OrderContext): OrderResult {
  const { exchange } = context;
  if (typeof order.id !== 'string' || order.id === '') {
    throw new ExchangeAPIError(`${exchange} answered an order without an id`, { exchange, operation: 'parse' });
  }
  const requested = optionalDecimal(order.amount, 'amount', exchange) ?? context.requestedQuantity;
  const filled = optionalDecimal(order.filled, 'filled', exchange) ?? new Decimal(0);
  const average = optionalDecimal(order.average, 'average', exchange) ?? (filled.gt(0) ? optionalDecimal(order.price, 'price', exchange) : undefined);
  const fee = order.fee?.cost === undefined ? undefined : { amount: decimalFrom(order.fee.cost, 'fee', exchange), asset: order.fee.currency ?? '' };
  return new OrderResult({
    exchange,
    orderId: order.id,
    clientOrderId: typeof order.clientOrderId === 'string' && order.clientOrderId !== '' ? order.clientOrderId : context.clientOrderId,
    symbol: context.symbol,
    marketType: context.market,
    side: context.side,
    positionSide: context.market === 'futures' ? context.positionSide : undefined,
    reduceOnly: context.reduceOnly,
    status: statusOf(order, filled, requested),
    requestedQuantity: requested,
    filledQuantity: filled,
    averagePrice: average,
    fee: fee?.asset === '' ? undefined : fee,
    timestamp: Math.trunc(order.lastTradeTimestamp ?? order.timestamp ?? context.now),
    raw: order.info,
  });
}

/** A ccxt balance → Balances of one wallet, skipping assets with nothing in them. */
export function toBalances(balances: Balances, market: MarketType, exchange: string): Balance[] {
  const out: Balance[] = [];
  const free = (balances.free ?? {}) as unknown as Record<string, unknown>;
  const used = (balances.used ?? {}) as unknown as Record<string, unknown>;
  const total = (balances.total ?? {}) as unknown as Record<string, unknown>;
  for (const asset of Object.keys(total)) {
    const totalAmount = optionalDecimal(total[asset], `total ${asset}`, exchange) ?? new Decimal(0);
    const locked = optionalDecimal(used[asset], `used ${asset}`, exchange) ?? new Decimal(0);
    // Where a venue reports only total and used (Bybit's unified wallet), free is what remains.
    const freeAmount = optionalDecimal(free[asset], `free ${asset}`, exchange) ?? Decimal.max(totalAmount.minus(locked), 0);
    if (freeAmount.isZero() && locked.isZero()) continue;
    out.push(new Balance({ asset, free: freeAmount, locked, market }));
  }
  return out.sort((a, b) => a.asset.localeCompare(b.asset));
}

function marketLimits(market: Market): { min?: number | undefined; max?: number | undefined } | undefined {
  return (market.limits as { market?: { min?: number; max?: number } }).market;
}

function tightest(values: readonly (number | undefined)[], pick: 'min' | 'max', exchange: string): Decimal | undefined {
  const set = values.filter((value): value is number => value !== undefined && value > 0).map((value) => decimalFrom(value, 'limits', exchange));
  if (set.length === 0) return undefined;
  return pick === 'min' ? Decimal.min(...set) : Decimal.max(...set);
}

/** A ccxt market (precision mode TICK_SIZE, as all three venues use) → SymbolInfo. */
export function toSymbolInfo(market: Market, exchange: string, marketType: MarketType, knownMaxLeverage?: number, maxMarketOrderQuantity?: number): SymbolInfo {
  const step = decimalFrom(market.precision.amount, 'precision.amount', exchange);
  const tick = decimalFrom(market.precision.price, 'precision.price', exchange);
  const maxLeverage = marketType === 'futures' ? (market.limits.leverage?.max ?? knownMaxLeverage) : undefined;
  return new SymbolInfo({
    exchange,
    symbol: `${market.base}/${market.quote}`,
    exchangeSymbol: String(market.id),
    marketType,
    quantityStep: step,
    // xport sends market orders, which some venues bound separately (Binance MARKET_LOT_SIZE, in
    // ccxt's limits.market); the tighter of the two bounds applies. Zero means "not set".
    minQuantity: tightest([market.limits.amount?.min, marketLimits(market)?.min], 'max', exchange) ?? step,
    maxQuantity: tightest([market.limits.amount?.max, marketLimits(market)?.max, maxMarketOrderQuantity], 'min', exchange),
    priceTick: tick,
    minNotional: optionalDecimal(market.limits.cost?.min, 'limits.cost.min', exchange) ?? new Decimal(0),
    maxLeverage: maxLeverage === undefined ? undefined : Math.trunc(maxLeverage),
  });
}
