import { Balance, Decimal, ExchangeUnavailableError, InvalidValueError, OrderResult, SymbolInfo } from '@xport/core';
import type { MarketType, OrderSide, OrderStatus, PositionSide } from '@xport/core';
import type { CcxtBalances as Balances, CcxtMarket as Market, CcxtOrder as Order, CcxtPosition } from './ccxt-types';

/**
 * An answer without what xport reads from it is the venue failing, like a 5xx: it is retried on
 * reads, counts against the breaker, and leaves an order's fate to be looked up — never data.
 */
export function malformedAnswer(exchange: string, what: string, cause?: unknown): ExchangeUnavailableError {
  return new ExchangeUnavailableError(`${exchange}: malformed answer: ${what}`, { exchange, operation: 'parse', cause });
}

/** Builds a value object from an answer; a value that breaks its rules is a malformed answer. */
export function fromAnswer<T>(exchange: string, what: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (InvalidValueError.isInstance(error)) throw malformedAnswer(exchange, `${what}: ${error.message}`, error);
    throw error;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * ccxt parses the venues' decimal strings into JS numbers; the shortest round-trip text of such a
 * number is the string it was parsed from (up to 15 significant digits), so that text is what goes
 * into a Decimal. Anything else is a malformed answer.
 */
export function decimalFrom(value: unknown, field: string, exchange: string): Decimal {
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value.toString());
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return new Decimal(value);
  throw malformedAnswer(exchange, `no usable ${field} (${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value)})`);
}

const optionalDecimal = (value: unknown, field: string, exchange: string): Decimal | undefined =>
  value === undefined || value === null ? undefined : decimalFrom(value, field, exchange);

/** A ccxt order's status in domain terms, from its status and fill. */
export function statusOf(order: Order, filled: Decimal, requested: Decimal): OrderStatus {
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
  /** The base quantity the caller asked for. */
  readonly requestedQuantity: Decimal;
  /** ccxt's contractSize of the market (1 on spot): an order's amount and fill are in contracts, the result in base. */
  readonly contractSize?: Decimal | undefined;
  readonly now: number;
}

/**
 * The venue's id of an order in its answer. An answer without one is unreadable (a malformed answer,
 * like a 5xx) — one place refuses it, with one class, for an order acknowledgement and a lookup
 * alike: the placement then looks the order up by its client order id, and what it cannot settle
 * reaches the caller as OrderStatusUnknownError with that id.
 */
export function orderIdOf(order: Order, exchange: string): string {
  const orderId: unknown = isRecord(order) ? order.id : undefined;
  if (typeof orderId !== 'string' || orderId === '') throw malformedAnswer(exchange, 'an order without an id');
  return orderId;
}

/** A ccxt order → OrderResult, with the intent filling what the venue leaves out. */
export function toOrderResult(order: Order, context: OrderContext): OrderResult {
  const { exchange } = context;
  const orderId = orderIdOf(order, exchange);
  const contractSize = context.contractSize ?? new Decimal(1);
  const requested = optionalDecimal(order.amount, 'amount', exchange)?.mul(contractSize) ?? context.requestedQuantity;
  const filled = optionalDecimal(order.filled, 'filled', exchange)?.mul(contractSize) ?? new Decimal(0);
  const average = optionalDecimal(order.average, 'average', exchange) ?? (filled.gt(0) ? optionalDecimal(order.price, 'price', exchange) : undefined);
  const fee = order.fee?.cost === undefined ? undefined : { amount: decimalFrom(order.fee.cost, 'fee', exchange), asset: order.fee.currency ?? '' };
  return fromAnswer(exchange, `order ${orderId}`, () => new OrderResult({
    exchange,
    orderId,
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
  }));
}

/**
 * A ccxt balance → Balances of one wallet, skipping assets with nothing in them. The venue's own
 * answer (`info`) must be there, and the totals ccxt read from it: an empty wallet is something the
 * venue says, not what an unreadable answer leaves.
 */
export function toBalances(balances: Balances, market: MarketType, exchange: string): Balance[] {
  const answer = balances as unknown;
  if (!isRecord(answer) || typeof answer.info !== 'object' || answer.info === null || !isRecord(answer.total)) {
    throw malformedAnswer(exchange, `a ${market} balance without the venue's answer or its totals`);
  }
  const out: Balance[] = [];
  const free = (isRecord(answer.free) ? answer.free : {});
  const used = (isRecord(answer.used) ? answer.used : {});
  const total = answer.total;
  for (const asset of Object.keys(total)) {
    const totalAmount = optionalDecimal(total[asset], `total ${asset}`, exchange) ?? new Decimal(0);
    const locked = optionalDecimal(used[asset], `used ${asset}`, exchange) ?? new Decimal(0);
    // Where a venue reports only total and used (Bybit's unified wallet), free is what remains.
    const freeAmount = optionalDecimal(free[asset], `free ${asset}`, exchange) ?? Decimal.max(totalAmount.minus(locked), 0);
    if (freeAmount.isZero() && locked.isZero()) continue;
    out.push(fromAnswer(exchange, `the ${asset} balance`, () => new Balance({ asset, free: freeAmount, locked, market })));
  }
  return out.sort((a, b) => a.asset.localeCompare(b.asset));
}

/**
 * The positions ccxt read from a venue's answer, checked for what closing one relies on: a list of
 * positions, each with its symbol, and a side and size that are either absent or usable.
 */
export function checkedPositions(positions: unknown, exchange: string): (CcxtPosition & { symbol: string })[] {
  if (!Array.isArray(positions)) throw malformedAnswer(exchange, 'positions that are not a list');
  for (const position of positions as unknown[]) {
    if (!isRecord(position) || typeof position.symbol !== 'string') throw malformedAnswer(exchange, 'a position without a symbol');
    const { side, contracts } = position;
    if (side !== undefined && side !== null && side !== 'long' && side !== 'short') throw malformedAnswer(exchange, `a position on ${position.symbol} with side ${JSON.stringify(side)}`);
    if (contracts !== undefined && contracts !== null) decimalFrom(contracts, `contracts of ${position.symbol}`, exchange);
  }
  return positions as (CcxtPosition & { symbol: string })[];
}

/**
 * Markets are what every later check stands on, and one load is shared by every adapter of the venue
 * for an hour: a set without a spot market or a USDT-settled perpetual is not the venue's list (a
 * venue lists hundreds of each) but an answer that was lost, and is never kept.
 */
export function requireTradableMarkets(markets: unknown, exchange: string): void {
  const list = isRecord(markets) ? Object.values(markets) : [];
  const spot = list.some((market) => isRecord(market) && market.spot === true);
  const perpetual = list.some((market) => isRecord(market) && market.swap === true && market.linear === true && market.settle === 'USDT');
  if (!spot || !perpetual) {
    throw malformedAnswer(exchange, `a market list with ${list.length} markets, ${spot ? '' : 'no spot market'}${!spot && !perpetual ? ' and ' : ''}${perpetual ? '' : 'no USDT-settled perpetual'}`);
  }
}

function marketLimits(market: Market): { min?: number | undefined; max?: number | undefined } | undefined {
  return (market.limits as { market?: { min?: number; max?: number } }).market;
}

function tightest(values: readonly (number | undefined)[], pick: 'min' | 'max', exchange: string): Decimal | undefined {
  const set = values.filter((value): value is number => value !== undefined && value > 0).map((value) => decimalFrom(value, 'limits', exchange));
  if (set.length === 0) return undefined;
  return pick === 'min' ? Decimal.min(...set) : Decimal.max(...set);
}

/**
 * A ccxt market (precision mode TICK_SIZE, as all three venues use) → SymbolInfo, in the base asset:
 * a contract market's amounts (step, limits, a market-order cap) are in contracts, each
 * `contractSize` base units (1 on spot and on the three venues' USDT perpetuals).
 */
export function toSymbolInfo(market: Market, exchange: string, marketType: MarketType, knownMaxLeverage?: number, maxMarketOrderQuantity?: number, contractSize: Decimal = new Decimal(1)): SymbolInfo {
  const inBase = (value: Decimal | undefined): Decimal | undefined => value?.mul(contractSize);
  const step = decimalFrom(market.precision.amount, 'precision.amount', exchange).mul(contractSize);
  const tick = decimalFrom(market.precision.price, 'precision.price', exchange);
  const maxLeverage = marketType === 'futures' ? (market.limits.leverage?.max ?? knownMaxLeverage) : undefined;
  return fromAnswer(exchange, `market ${market.symbol}`, () => new SymbolInfo({
    exchange,
    symbol: `${market.base}/${market.quote}`,
    exchangeSymbol: String(market.id),
    marketType,
    quantityStep: step,
    // xport sends market orders, which some venues bound separately (Binance MARKET_LOT_SIZE, in
    // ccxt's limits.market); the tighter of the two bounds applies. Zero means "not set".
    minQuantity: inBase(tightest([market.limits.amount?.min, marketLimits(market)?.min], 'max', exchange)) ?? step,
    maxQuantity: inBase(tightest([market.limits.amount?.max, marketLimits(market)?.max, maxMarketOrderQuantity], 'min', exchange)),
    priceTick: tick,
    minNotional: optionalDecimal(market.limits.cost?.min, 'limits.cost.min', exchange) ?? new Decimal(0),
    maxLeverage: maxLeverage === undefined ? undefined : Math.trunc(maxLeverage),
  }));
}
