import type { Decimal } from './decimal';
import { ConfigurationError, InvalidValueError } from './errors';
import type { OrderFee } from './order-result';
import { parseSymbol } from './symbol';
import type { MarketType, OrderSide, OrderStatus, PositionSide } from './types';
import { MARKET_TYPES, ORDER_SIDES, ORDER_STATUSES, POSITION_SIDES } from './types';
import { checkDecimal, checkOneOf, checkText, inspectCustom } from './value-checks';

function checkTimestamp(owner: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidValueError(`${owner}.timestamp must be epoch milliseconds, got ${String(value)}`, { field: 'timestamp', expected: 'a non-negative integer' });
  }
  return value;
}

function checkPositionSide(owner: string, marketType: MarketType, value: PositionSide | undefined): PositionSide | undefined {
  if (value === undefined) return undefined;
  if (marketType === 'spot') throw new InvalidValueError(`${owner}.positionSide is for futures only`, { field: 'positionSide', expected: 'undefined on spot' });
  return checkOneOf(owner, 'positionSide', value, POSITION_SIDES);
}

function checkOptionalText(owner: string, field: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : checkText(owner, field, value);
}

function checkFee(owner: string, fee: OrderFee | undefined): OrderFee | undefined {
  if (fee === undefined) return undefined;
  return Object.freeze({ amount: checkDecimal(owner, 'fee.amount', fee.amount, 'nonNegative'), asset: checkText(owner, 'fee.asset', fee.asset).toUpperCase() });
}

export interface AccountFillProps {
  readonly exchange: string;
  /** Any form parseSymbol takes; stored as `BASE/QUOTE`. */
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  /** Base asset filled by this trade. */
  readonly quantity: Decimal;
  readonly price: Decimal;
  /** Absent when the venue did not say. */
  readonly fee?: OrderFee | undefined;
  /** The venue's order id. */
  readonly orderId: string;
  /** Absent when the venue's event carries none (an order placed without one, on some venues). */
  readonly clientOrderId?: string | undefined;
  /** The venue's trade id, unique per venue and market: the key fills are de-duplicated by. */
  readonly tradeId: string;
  /** Epoch milliseconds of the trade, on the venue's clock. */
  readonly timestamp: number;
  /** Futures, where the venue says: the leg the trade belongs to (hedge mode, or the side in one-way). */
  readonly positionSide?: PositionSide | undefined;
  /** Futures, where the venue says. */
  readonly reduceOnly?: boolean | undefined;
  /** The venue's own payload, for debugging; kept out of toJSON, inspect and logs. */
  readonly raw?: unknown;
}

export interface AccountFillJSON {
  readonly type: 'fill';
  readonly exchange: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly quantity: string;
  readonly price: string;
  readonly fee: { readonly amount: string; readonly asset: string } | undefined;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly tradeId: string;
  readonly timestamp: number;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean | undefined;
}

const FILL = 'AccountFill';

/** One trade of the account's, as the venue reports it: immutable and validated. */
export class AccountFill {
  readonly type = 'fill' as const;
  readonly exchange: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly fee: OrderFee | undefined;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly tradeId: string;
  readonly timestamp: number;
  readonly positionSide: PositionSide | undefined;
  /** Undefined when the venue did not say. */
  readonly reduceOnly: boolean | undefined;
  declare readonly raw: unknown;

  constructor(props: AccountFillProps) {
    this.exchange = checkText(FILL, 'exchange', props.exchange);
    this.symbol = parseSymbol(props.symbol).unified;
    this.marketType = checkOneOf(FILL, 'marketType', props.marketType, MARKET_TYPES);
    this.side = checkOneOf(FILL, 'side', props.side, ORDER_SIDES);
    this.quantity = checkDecimal(FILL, 'quantity', props.quantity, 'positive');
    this.price = checkDecimal(FILL, 'price', props.price, 'positive');
    this.fee = checkFee(FILL, props.fee);
    this.orderId = checkText(FILL, 'orderId', props.orderId);
    this.clientOrderId = checkOptionalText(FILL, 'clientOrderId', props.clientOrderId);
    this.tradeId = checkText(FILL, 'tradeId', props.tradeId);
    this.timestamp = checkTimestamp(FILL, props.timestamp);
    this.positionSide = checkPositionSide(FILL, this.marketType, props.positionSide);
    if (props.reduceOnly !== undefined && typeof props.reduceOnly !== 'boolean') {
      throw new InvalidValueError(`${FILL}.reduceOnly must be a boolean`, { field: 'reduceOnly', expected: 'a boolean or undefined' });
    }
    this.reduceOnly = props.reduceOnly;
    // Non-enumerable: the venue payload must not reach logs.
    Object.defineProperty(this, 'raw', { value: props.raw, enumerable: false });
    Object.freeze(this);
  }

  /** quantity × price. */
  get cost(): Decimal {
    return this.quantity.mul(this.price);
  }

  toJSON(): AccountFillJSON {
    return {
      type: 'fill',
      exchange: this.exchange,
      symbol: this.symbol,
      marketType: this.marketType,
      side: this.side,
      quantity: this.quantity.toFixed(),
      price: this.price.toFixed(),
      fee: this.fee === undefined ? undefined : { amount: this.fee.amount.toFixed(), asset: this.fee.asset },
      orderId: this.orderId,
      clientOrderId: this.clientOrderId,
      tradeId: this.tradeId,
      timestamp: this.timestamp,
      positionSide: this.positionSide,
      reduceOnly: this.reduceOnly,
    };
  }

  [inspectCustom](): string {
    return `AccountFill ${JSON.stringify(this.toJSON())}`;
  }
}

export interface AccountOrderUpdateProps {
  readonly exchange: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly orderId: string;
  readonly clientOrderId?: string | undefined;
  readonly status: OrderStatus;
  /** The order's quantity in base asset; absent when the venue's event does not carry it. */
  readonly quantity?: Decimal | undefined;
  readonly filledQuantity: Decimal;
  /** Present once anything filled and the venue says. */
  readonly averagePrice?: Decimal | undefined;
  readonly timestamp: number;
  readonly positionSide?: PositionSide | undefined;
  readonly reduceOnly?: boolean | undefined;
  readonly raw?: unknown;
}

export interface AccountOrderUpdateJSON {
  readonly type: 'order';
  readonly exchange: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly status: OrderStatus;
  readonly quantity: string | undefined;
  readonly filledQuantity: string;
  readonly averagePrice: string | undefined;
  readonly timestamp: number;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean | undefined;
}

const UPDATE = 'AccountOrderUpdate';

/**
 * A change of one of the account's orders (accepted, partly or wholly filled, canceled…), as the
 * venue pushed it: immutable and validated. The fills themselves arrive as AccountFill.
 */
export class AccountOrderUpdate {
  readonly type = 'order' as const;
  readonly exchange: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly status: OrderStatus;
  readonly quantity: Decimal | undefined;
  readonly filledQuantity: Decimal;
  readonly averagePrice: Decimal | undefined;
  readonly timestamp: number;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean | undefined;
  declare readonly raw: unknown;

  constructor(props: AccountOrderUpdateProps) {
    this.exchange = checkText(UPDATE, 'exchange', props.exchange);
    this.symbol = parseSymbol(props.symbol).unified;
    this.marketType = checkOneOf(UPDATE, 'marketType', props.marketType, MARKET_TYPES);
    this.side = checkOneOf(UPDATE, 'side', props.side, ORDER_SIDES);
    this.orderId = checkText(UPDATE, 'orderId', props.orderId);
    this.clientOrderId = checkOptionalText(UPDATE, 'clientOrderId', props.clientOrderId);
    this.status = checkOneOf(UPDATE, 'status', props.status, ORDER_STATUSES);
    this.quantity = props.quantity === undefined ? undefined : checkDecimal(UPDATE, 'quantity', props.quantity, 'positive');
    this.filledQuantity = checkDecimal(UPDATE, 'filledQuantity', props.filledQuantity, 'nonNegative');
    if (this.quantity !== undefined && this.filledQuantity.gt(this.quantity)) {
      throw new InvalidValueError(`${UPDATE}.filledQuantity ${this.filledQuantity.toFixed()} exceeds quantity ${this.quantity.toFixed()}`, {
        field: 'filledQuantity',
        expected: '<= quantity',
      });
    }
    this.averagePrice = props.averagePrice === undefined ? undefined : checkDecimal(UPDATE, 'averagePrice', props.averagePrice, 'positive');
    this.timestamp = checkTimestamp(UPDATE, props.timestamp);
    this.positionSide = checkPositionSide(UPDATE, this.marketType, props.positionSide);
    if (props.reduceOnly !== undefined && typeof props.reduceOnly !== 'boolean') {
      throw new InvalidValueError(`${UPDATE}.reduceOnly must be a boolean`, { field: 'reduceOnly', expected: 'a boolean or undefined' });
    }
    this.reduceOnly = props.reduceOnly;
    Object.defineProperty(this, 'raw', { value: props.raw, enumerable: false });
    Object.freeze(this);
  }

  toJSON(): AccountOrderUpdateJSON {
    return {
      type: 'order',
      exchange: this.exchange,
      symbol: this.symbol,
      marketType: this.marketType,
      side: this.side,
      orderId: this.orderId,
      clientOrderId: this.clientOrderId,
      status: this.status,
      quantity: this.quantity?.toFixed(),
      filledQuantity: this.filledQuantity.toFixed(),
      averagePrice: this.averagePrice?.toFixed(),
      timestamp: this.timestamp,
      positionSide: this.positionSide,
      reduceOnly: this.reduceOnly,
    };
  }

  [inspectCustom](): string {
    return `AccountOrderUpdate ${JSON.stringify(this.toJSON())}`;
  }
}

/** What an account stream yields; tell them apart by `type` (`fill` or `order`). */
export type AccountEvent = AccountFill | AccountOrderUpdate;

/** One market the stream watches: a symbol on spot or on the USDT-M perpetual. */
export interface WatchedMarket {
  /** Any form parseSymbol takes (`BTCUSDT`, `BTC/USDT`). */
  readonly symbol: string;
  readonly market: MarketType;
}

export interface AccountStreamOptions {
  /**
   * The markets whose fills and order updates the stream delivers (at least one, no repeats).
   * Gap recovery after a reconnect reads these markets' trades over REST.
   */
  readonly markets: readonly WatchedMarket[];
  /**
   * Epoch ms (venue clock): fills from this time on are delivered, read over REST when the stream
   * first connects. Default: when the stream is opened, by the adapter's clock.
   */
  readonly since?: number | undefined;
  /** How many trade ids the stream remembers to drop repeats (default 10 000, at least 100). */
  readonly dedupeWindow?: number | undefined;
  /** Ends the stream, like `close()`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * An open account stream: iterate it (`for await`) to receive the account's fills and order
 * updates in the order the venue sent them. Each fill is delivered once — fills missed while
 * disconnected are read back over REST after the reconnect, repeats are dropped by trade id. The
 * iteration ends after `close()`, the adapter's `close()` or the signal's abort; it throws only
 * when the stream cannot go on (credentials refused), with an `ExchangeError`.
 */
export interface AccountStream extends AsyncIterable<AccountEvent> {
  /** Stops the stream and ends every iteration. Idempotent. */
  close(): Promise<void>;
}

/**
 * What an adapter that can watch the account implements, beside ExchangePort. A separate port:
 * apps that only trade never load a venue's streaming code, and a consumer that needs the stream
 * (a copy-trader watching its master) asks for `ExchangePort & AccountStreamPort` in its types.
 */
export interface AccountStreamPort {
  /**
   * Opens a stream of the account's fills and order updates on `options.markets`. Options are
   * checked before anything connects (ConfigurationError naming the field); the connection is
   * made when iteration begins. Closing the adapter closes its streams.
   */
  accountStream(options: AccountStreamOptions): AccountStream;
}

/** True when `port` implements AccountStreamPort (an adapter that can watch the account). */
export function isAccountStreamPort(port: unknown): port is AccountStreamPort {
  return typeof port === 'object' && port !== null && typeof (port as { accountStream?: unknown }).accountStream === 'function';
}

export const DEFAULT_DEDUPE_WINDOW = 10_000;
const MIN_DEDUPE_WINDOW = 100;

function optionError(field: string, message: string, expected: string): ConfigurationError {
  return new ConfigurationError(`accountStream ${field} ${message}`, { field, expected, operation: 'accountStream' });
}

/** Checks accountStream's options; throws ConfigurationError naming the field. Returns the markets with unified symbols. */
export function assertAccountStreamOptions(value: unknown): readonly WatchedMarket[] {
  if (typeof value !== 'object' || value === null) throw optionError('options', 'must be an object', 'an object with markets');
  const { markets, since, dedupeWindow, signal } = value as Record<string, unknown>;
  if (!Array.isArray(markets) || markets.length === 0) throw optionError('options.markets', 'must be a non-empty array', 'an array of { symbol, market }');
  const seen = new Set<string>();
  const checked = markets.map((entry: unknown, index): WatchedMarket => {
    const field = `options.markets[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw optionError(field, 'must be an object', '{ symbol, market }');
    const { symbol, market } = entry as Record<string, unknown>;
    if (!MARKET_TYPES.includes(market as MarketType)) throw optionError(`${field}.market`, `must be "spot" or "futures", got ${String(market)}`, '"spot" or "futures"');
    if (typeof symbol !== 'string') throw optionError(`${field}.symbol`, 'must be a string', 'a symbol such as "BTCUSDT"');
    const unified = parseSymbol(symbol).unified;
    const key = `${market as MarketType}:${unified}`;
    if (seen.has(key)) throw optionError(field, `repeats ${key}`, 'each market once');
    seen.add(key);
    return Object.freeze({ symbol: unified, market: market as MarketType });
  });
  if (since !== undefined && (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0)) {
    throw optionError('options.since', `must be epoch milliseconds, got ${typeof since === 'number' ? String(since) : typeof since}`, 'a non-negative integer');
  }
  if (dedupeWindow !== undefined && (typeof dedupeWindow !== 'number' || !Number.isSafeInteger(dedupeWindow) || dedupeWindow < MIN_DEDUPE_WINDOW)) {
    throw optionError('options.dedupeWindow', `must be a whole number of at least ${MIN_DEDUPE_WINDOW}, got ${typeof dedupeWindow === 'number' ? String(dedupeWindow) : typeof dedupeWindow}`, `an integer >= ${MIN_DEDUPE_WINDOW}`);
  }
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal && 'addEventListener' in signal)) {
    throw optionError('options.signal', 'must be an AbortSignal', 'an AbortSignal');
  }
  return Object.freeze(checked);
}
