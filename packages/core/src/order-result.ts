import type { Decimal } from './decimal';
import { parseDecimal } from './decimal';
import { ExchangeError, InvalidValueError } from './errors';
import { parseSymbol } from './symbol';
import type { MarketType, OrderSide, OrderStatus, PositionSide } from './types';
import { MARKET_TYPES, ORDER_SIDES, ORDER_STATUSES, POSITION_SIDES } from './types';
import { checkDecimal, checkOneOf, checkText, inspectCustom } from './value-checks';

/**
 * How the adapter came to know the order:
 * - `placed`: sent by this call and answered by the venue;
 * - `recovered`: found on the venue by a lookup by client order id — after an attempt whose answer
 *   was lost, a "duplicate id" answer, or a journal entry an earlier process left in doubt;
 * - `journal`: read from the order journal, where an earlier call recorded it placed; no request
 *   was sent, so the fill is as recorded then.
 */
export type OrderOrigin = 'placed' | 'recovered' | 'journal';

export const ORDER_ORIGINS: readonly OrderOrigin[] = ['placed', 'recovered', 'journal'];

export interface OrderFee {
  readonly amount: Decimal;
  readonly asset: string;
}

export interface OrderResultProps {
  readonly exchange: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  /** Any form parseSymbol takes; stored as `BASE/QUOTE`. */
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  /** Futures only: the position leg the order opened or closed. */
  readonly positionSide?: PositionSide | undefined;
  readonly reduceOnly?: boolean | undefined;
  readonly status: OrderStatus;
  readonly requestedQuantity: Decimal;
  readonly filledQuantity: Decimal;
  /** Present once anything filled. */
  readonly averagePrice?: Decimal | undefined;
  readonly fee?: OrderFee | undefined;
  /** Epoch milliseconds of the venue's last update of the order. */
  readonly timestamp: number;
  /** How the adapter came to know the order (see `OrderOrigin`); undefined when not said. */
  readonly origin?: OrderOrigin | undefined;
  /** The venue's own payload, for debugging; kept out of toJSON, inspect and logs. */
  readonly raw?: unknown;
}

export interface OrderResultJSON {
  readonly exchange: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  readonly status: OrderStatus;
  readonly requestedQuantity: string;
  readonly filledQuantity: string;
  readonly averagePrice: string | undefined;
  readonly fee: { readonly amount: string; readonly asset: string } | undefined;
  readonly timestamp: number;
  /** Absent when the result does not say (JSON written before the field existed). */
  readonly origin?: OrderOrigin | undefined;
}

const OWNER = 'OrderResult';

function decimalField(field: string, value: unknown): Decimal {
  try {
    return parseDecimal(value, field);
  } catch (error) {
    if (!ExchangeError.isInstance(error)) throw error;
    throw new InvalidValueError(`${OWNER}.${error.message}`, { field, expected: 'a decimal string such as "0.01"' });
  }
}

/** The constructor's props from what `toJSON()` wrote (absent optional fields may be undefined or null). */
function propsFromJSON(value: unknown): OrderResultProps {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidValueError(`${OWNER} JSON must be an object, got ${value === null ? 'null' : typeof value}`, { field: 'order', expected: 'what OrderResult.toJSON() returns' });
  }
  const json = value as Readonly<Record<string, unknown>>;
  const optional = <T>(field: unknown, read: (present: unknown) => T): T | undefined => (field === undefined || field === null ? undefined : read(field));
  const fee = json.fee as Readonly<Record<string, unknown>> | null | undefined;
  return {
    exchange: json.exchange as string,
    orderId: json.orderId as string,
    clientOrderId: json.clientOrderId as string,
    symbol: json.symbol as string,
    marketType: json.marketType as MarketType,
    side: json.side as OrderSide,
    positionSide: optional(json.positionSide, (side) => side as PositionSide),
    reduceOnly: optional(json.reduceOnly, (flag) => {
      if (typeof flag !== 'boolean') throw new InvalidValueError(`${OWNER}.reduceOnly must be a boolean`, { field: 'reduceOnly', expected: 'a boolean' });
      return flag;
    }),
    status: json.status as OrderStatus,
    requestedQuantity: decimalField('requestedQuantity', json.requestedQuantity),
    filledQuantity: decimalField('filledQuantity', json.filledQuantity),
    averagePrice: optional(json.averagePrice, (price) => decimalField('averagePrice', price)),
    fee: optional(fee, (present) => {
      const { amount, asset } = present as Readonly<Record<string, unknown>>;
      return { amount: decimalField('fee.amount', amount), asset: asset as string };
    }),
    timestamp: json.timestamp as number,
    origin: optional(json.origin, (origin) => origin as OrderOrigin),
  };
}

/** An order as the venue reports it, in domain terms. Immutable and validated. */
export class OrderResult {
  readonly exchange: string;
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly marketType: MarketType;
  readonly side: OrderSide;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  readonly status: OrderStatus;
  readonly requestedQuantity: Decimal;
  readonly filledQuantity: Decimal;
  readonly averagePrice: Decimal | undefined;
  readonly fee: OrderFee | undefined;
  readonly timestamp: number;
  readonly origin: OrderOrigin | undefined;
  declare readonly raw: unknown;

  constructor(props: OrderResultProps) {
    this.exchange = checkText(OWNER, 'exchange', props.exchange);
    this.orderId = checkText(OWNER, 'orderId', props.orderId);
    this.clientOrderId = checkText(OWNER, 'clientOrderId', props.clientOrderId);
    this.symbol = parseSymbol(props.symbol).unified;
    this.marketType = checkOneOf(OWNER, 'marketType', props.marketType, MARKET_TYPES);
    this.side = checkOneOf(OWNER, 'side', props.side, ORDER_SIDES);
    if (props.positionSide !== undefined && this.marketType === 'spot') {
      throw new InvalidValueError(`${OWNER}.positionSide is for futures orders only`, { field: 'positionSide', expected: 'undefined on spot' });
    }
    this.positionSide = props.positionSide === undefined ? undefined : checkOneOf(OWNER, 'positionSide', props.positionSide, POSITION_SIDES);
    this.reduceOnly = props.reduceOnly ?? false;
    this.status = checkOneOf(OWNER, 'status', props.status, ORDER_STATUSES);
    this.requestedQuantity = checkDecimal(OWNER, 'requestedQuantity', props.requestedQuantity, 'positive');
    this.filledQuantity = checkDecimal(OWNER, 'filledQuantity', props.filledQuantity, 'nonNegative');
    if (this.filledQuantity.gt(this.requestedQuantity)) {
      throw new InvalidValueError(
        `${OWNER}.filledQuantity ${this.filledQuantity.toFixed()} exceeds requestedQuantity ${this.requestedQuantity.toFixed()}`,
        { field: 'filledQuantity', expected: '<= requestedQuantity' },
      );
    }
    if (this.status === 'filled' && this.filledQuantity.isZero()) {
      throw new InvalidValueError(`${OWNER} is "filled" with nothing filled`, { field: 'filledQuantity', expected: '> 0 when filled' });
    }
    this.averagePrice = props.averagePrice === undefined ? undefined : checkDecimal(OWNER, 'averagePrice', props.averagePrice, 'positive');
    if (this.averagePrice === undefined && this.filledQuantity.gt(0)) {
      throw new InvalidValueError(`${OWNER}.averagePrice is required once anything filled`, { field: 'averagePrice', expected: 'a positive Decimal' });
    }
    this.fee =
      props.fee === undefined
        ? undefined
        : Object.freeze({
            amount: checkDecimal(OWNER, 'fee.amount', props.fee.amount, 'nonNegative'),
            asset: checkText(OWNER, 'fee.asset', props.fee.asset).toUpperCase(),
          });
    if (!Number.isSafeInteger(props.timestamp) || props.timestamp < 0) {
      throw new InvalidValueError(`${OWNER}.timestamp must be epoch milliseconds, got ${String(props.timestamp)}`, {
        field: 'timestamp',
        expected: 'a non-negative integer',
      });
    }
    this.timestamp = props.timestamp;
    this.origin = props.origin === undefined ? undefined : checkOneOf(OWNER, 'origin', props.origin, ORDER_ORIGINS);
    // Non-enumerable: the venue payload may echo request parameters and must not reach logs.
    Object.defineProperty(this, 'raw', { value: props.raw, enumerable: false });
    Object.freeze(this);
  }

  /**
   * Reads back what `toJSON()` wrote (from a journal, a file, a queue), with every rule of the
   * constructor checked again. Absent optional fields may be `undefined` or `null`. The venue's
   * payload is not in the JSON, so `raw` is undefined.
   */
  static fromJSON(value: unknown): OrderResult {
    return new OrderResult(propsFromJSON(value));
  }

  /** The same order with another origin (the venue payload kept). */
  withOrigin(origin: OrderOrigin): OrderResult {
    // Through the JSON form: decimals written with toFixed() read back exactly.
    return new OrderResult({ ...propsFromJSON(this.toJSON()), origin, raw: this.raw });
  }

  /** filledQuantity × averagePrice, zero when nothing filled. */
  get cost(): Decimal {
    return this.averagePrice === undefined ? this.filledQuantity.mul(0) : this.filledQuantity.mul(this.averagePrice);
  }

  get isFilled(): boolean {
    return this.status === 'filled';
  }

  toJSON(): OrderResultJSON {
    return {
      exchange: this.exchange,
      orderId: this.orderId,
      clientOrderId: this.clientOrderId,
      symbol: this.symbol,
      marketType: this.marketType,
      side: this.side,
      positionSide: this.positionSide,
      reduceOnly: this.reduceOnly,
      status: this.status,
      requestedQuantity: this.requestedQuantity.toFixed(),
      filledQuantity: this.filledQuantity.toFixed(),
      averagePrice: this.averagePrice?.toFixed(),
      fee: this.fee === undefined ? undefined : { amount: this.fee.amount.toFixed(), asset: this.fee.asset },
      timestamp: this.timestamp,
      ...(this.origin === undefined ? {} : { origin: this.origin }),
    };
  }

  [inspectCustom](): string {
    return `OrderResult ${JSON.stringify(this.toJSON())}`;
  }
}
