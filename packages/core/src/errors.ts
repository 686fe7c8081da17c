import { brandErrorClass, hasErrorBrand } from '@xport/error-brand';

import type { JournalKey, JournalOrderRequest, JournalState } from './order-journal';
import type { OrderResultJSON } from './order-result';
import type { PositionSide } from './types';

/** What every xport error carries besides its message. */
export interface ExchangeErrorOptions {
  /** The venue, e.g. `binance`; absent for errors raised before a venue was involved. */
  readonly exchange?: string | undefined;
  /** The port method or step, e.g. `executeSpotBuy`. */
  readonly operation?: string | undefined;
  /** The exchange's own error code (`-2010`, `110007`, `43012`), as a string. */
  readonly code?: string | undefined;
  /** The original error (ccxt's, a socket error, …). Kept for debugging; never serialised. */
  readonly cause?: unknown;
  /** Overrides the class default. */
  readonly retryable?: boolean | undefined;
}

type Brandable = abstract new (...args: never[]) => ExchangeError;

const PACKAGE = '@xport/core';

/** The root of every error xport throws on purpose. */
export class ExchangeError extends Error {
  static readonly brand: symbol = brandErrorClass(this, PACKAGE, 'ExchangeError');
  /** Whether the same request may be sent again as it is (see each subclass). */
  static readonly defaultRetryable: boolean = false;

  readonly exchange: string | undefined;
  readonly operation: string | undefined;
  readonly code: string | undefined;
  readonly retryable: boolean;

  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exchange = options.exchange;
    this.operation = options.operation;
    this.code = options.code;
    this.retryable =
      options.retryable ?? (this.constructor as { defaultRetryable?: boolean }).defaultRetryable ?? false;
  }

  /**
   * True when `value` is an instance of this class (or a subclass), from any copy of @xport/core.
   * Call it on the class you mean: `RateLimitError.isInstance(e)`.
   */
  static isInstance<T extends Brandable>(this: T & { readonly brand: symbol }, value: unknown): value is InstanceType<T> {
    return hasErrorBrand(value, this.brand);
  }

  /** A plain, secret-free shape for logs and JSON: the cause is reduced to its name and message. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) json[key] = value;
    }
    if (this.cause instanceof Error) json.cause = { name: this.cause.name, message: this.cause.message };
    return json;
  }
}

/**
 * The retry marker: the request may be sent again unchanged. Reads retry on it; order placement does not retry blindly (see @xport/ccxt's reconciliation).
 */
export class RetryableError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'RetryableError');
  static override readonly defaultRetryable: boolean = true;
}

/** A timeout, reset or refused connection: the venue may or may not have seen the request. */
export class NetworkError extends RetryableError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'NetworkError');
}

export interface RateLimitErrorOptions extends ExchangeErrorOptions {
  /** How long the venue asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number | undefined;
}

/** The venue refused for rate: 429, Binance's 418 ban, Bybit 10006, Bitget 429. */
export class RateLimitError extends RetryableError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'RateLimitError');
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: RateLimitErrorOptions = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** 5xx, maintenance, "system busy": the venue, not the request, is at fault. */
export class ExchangeUnavailableError extends RetryableError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'ExchangeUnavailableError');
}

/** The venue refused a request for a reason none of the other classes name. */
export class ExchangeAPIError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'ExchangeAPIError');
}

export interface InsufficientBalanceErrorOptions extends ExchangeErrorOptions {
  readonly asset?: string | undefined;
}

export class InsufficientBalanceError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'InsufficientBalanceError');
  readonly asset: string | undefined;

  constructor(message: string, options: InsufficientBalanceErrorOptions = {}) {
    super(message, options);
    this.asset = options.asset;
  }
}

/** Bad key, bad signature, wrong passphrase, missing permission. Never retried, never trips a breaker. */
export class AuthenticationError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'AuthenticationError');
}

export interface InvalidOrderErrorOptions extends ExchangeErrorOptions {
  /** The input at fault: `quantity`, `symbol`, `leverage`, `options.clientOrderId`, … */
  readonly field?: string | undefined;
  /** What would have been accepted, in words: `a positive Decimal`, `a multiple of 0.001`. */
  readonly expected?: string | undefined;
}

/**
 * An order the caller must change before sending again: bad quantity, off step, below the minimum
 * quantity or notional, bad symbol text. Raised before any request when xport can tell.
 */
export class InvalidOrderError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'InvalidOrderError');
  readonly field: string | undefined;
  readonly expected: string | undefined;

  constructor(message: string, options: InvalidOrderErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
    this.expected = options.expected;
  }
}

export interface InvalidLeverageErrorOptions extends InvalidOrderErrorOptions {
  readonly maxLeverage?: number | undefined;
}

/** Leverage that is not a whole number from 1 to the symbol's maximum. An `InvalidOrderError` too. */
export class InvalidLeverageError extends InvalidOrderError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'InvalidLeverageError');
  readonly maxLeverage: number | undefined;

  constructor(message: string, options: InvalidLeverageErrorOptions = {}) {
    super(message, { field: 'leverage', ...options });
    this.maxLeverage = options.maxLeverage;
  }
}

export interface SymbolNotFoundErrorOptions extends ExchangeErrorOptions {
  readonly symbol?: string | undefined;
}

export class SymbolNotFoundError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'SymbolNotFoundError');
  readonly symbol: string | undefined;

  constructor(message: string, options: SymbolNotFoundErrorOptions = {}) {
    super(message, options);
    this.symbol = options.symbol;
  }
}

export interface PositionNotFoundErrorOptions extends ExchangeErrorOptions {
  readonly symbol?: string | undefined;
  readonly positionSide?: PositionSide | undefined;
}

/** There is no open position on that symbol and side to close or reduce. */
export class PositionNotFoundError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'PositionNotFoundError');
  readonly symbol: string | undefined;
  readonly positionSide: PositionSide | undefined;

  constructor(message: string, options: PositionNotFoundErrorOptions = {}) {
    super(message, options);
    this.symbol = options.symbol;
    this.positionSide = options.positionSide;
  }
}

export interface OrderStatusUnknownErrorOptions extends ExchangeErrorOptions {
  readonly exchange: string;
  readonly clientOrderId: string;
  readonly symbol?: string | undefined;
}

/**
 * The order request may or may not have been executed, and reconciliation could not tell within its
 * budget (or another process holds the order's journal entry). Do NOT send a new order under a new
 * id. Look it up by `clientOrderId`; send again with the same id only once the venue has said it
 * does not have the order past its visibility window — Binance and Bitget accept a filled order's
 * id again, so a blind re-send with the same id can execute twice there. With an order journal,
 * calling again with the same id does exactly that lookup first.
 */
export class OrderStatusUnknownError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'OrderStatusUnknownError');
  declare readonly exchange: string;
  readonly clientOrderId: string;
  readonly symbol: string | undefined;

  constructor(message: string, options: OrderStatusUnknownErrorOptions) {
    super(message, { ...options, retryable: false });
    this.clientOrderId = options.clientOrderId;
    this.symbol = options.symbol;
  }
}

/**
 * The caller's AbortSignal fired and the call stopped. For an order this means nothing was placed:
 * it was aborted before anything was sent, or after every earlier attempt was proven absent (an
 * order that may have been executed ends in OrderStatusUnknownError instead). A read or setup call
 * may have reached the venue before it stopped. The signal's reason is the `cause`.
 */
export class OperationAbortedError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'OperationAbortedError');

  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

/** A method was called on an adapter after its close(): it sends nothing. Create a new adapter. */
export class AdapterClosedError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'AdapterClosedError');

  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

export interface IdempotencyConflictErrorOptions extends ExchangeErrorOptions {
  readonly exchange: string;
  readonly clientOrderId: string;
  /** The caller's account identifier in the journal key, when a journal was involved. */
  readonly account?: string | undefined;
  /** What the caller asked for under the id. */
  readonly requested: JournalOrderRequest;
  /** What the id already names: the request a journal recorded, or the order the venue holds. */
  readonly existing: JournalOrderRequest | OrderResultJSON;
}

/**
 * A client order id (or idempotency key) that already names a different order: another side,
 * symbol, market, quantity or leverage. Nothing was sent and nothing is reported as placed; the
 * caller picks a new id for the new order. Never retryable: the same call fails the same way.
 */
export class IdempotencyConflictError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'IdempotencyConflictError');
  declare readonly exchange: string;
  readonly clientOrderId: string;
  readonly account: string | undefined;
  readonly requested: JournalOrderRequest;
  readonly existing: JournalOrderRequest | OrderResultJSON;

  constructor(message: string, options: IdempotencyConflictErrorOptions) {
    super(message, { ...options, retryable: false });
    this.clientOrderId = options.clientOrderId;
    this.account = options.account;
    this.requested = options.requested;
    this.existing = options.existing;
  }
}

export interface JournalOwnershipErrorOptions extends ExchangeErrorOptions {
  readonly key: JournalKey;
  /** The owner that tried to settle. */
  readonly owner: string;
  /** Who holds the entry now, when it exists. */
  readonly holder?: string | undefined;
  /** The entry's state now; undefined when there is no entry under the key. */
  readonly state?: JournalState | undefined;
}

/**
 * An order journal refused to record an outcome: the caller does not hold the entry (its lease
 * expired and another owner took it over), the entry is no longer pending, or there is none. The
 * outcome was not recorded; the entry's holder resolves the order. Not retryable.
 */
export class JournalOwnershipError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'JournalOwnershipError');
  declare readonly exchange: string;
  readonly clientOrderId: string;
  readonly account: string;
  readonly owner: string;
  readonly holder: string | undefined;
  readonly state: JournalState | undefined;

  constructor(message: string, options: JournalOwnershipErrorOptions) {
    super(message, { ...options, exchange: options.key.exchange, retryable: false });
    this.clientOrderId = options.key.clientOrderId;
    this.account = options.key.account;
    this.owner = options.owner;
    this.holder = options.holder;
    this.state = options.state;
  }
}

/**
 * The order journal could not be read or written (its database is down, its file locked): the
 * store's error is the `cause`. Raised before an order is sent, it means nothing was sent, so the
 * same call may be made again (hence retryable). Not the venue's failure: it never counts against a
 * venue's breaker.
 */
export class JournalUnavailableError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'JournalUnavailableError');

  constructor(message: string, options: ExchangeErrorOptions = {}) {
    super(message, { ...options, retryable: true });
  }
}

export interface UnsupportedExchangeErrorOptions extends ExchangeErrorOptions {
  /** The package that would provide it, e.g. `@xport/bybit`, when one is known. */
  readonly packageName?: string | undefined;
  readonly supported?: readonly string[] | undefined;
}

/** An exchange name nobody registered. Names the package to install. */
export class UnsupportedExchangeError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'UnsupportedExchangeError');
  readonly packageName: string | undefined;
  readonly supported: readonly string[] | undefined;

  constructor(message: string, options: UnsupportedExchangeErrorOptions = {}) {
    super(message, options);
    this.packageName = options.packageName;
    this.supported = options.supported;
  }
}

export interface ConfigurationErrorOptions extends ExchangeErrorOptions {
  readonly field?: string | undefined;
  readonly expected?: string | undefined;
}

/** Options that cannot work (missing credentials, a bad URL); raised at creation, not at first call. */
export class ConfigurationError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'ConfigurationError');
  readonly field: string | undefined;
  readonly expected: string | undefined;

  constructor(message: string, options: ConfigurationErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
    this.expected = options.expected;
  }
}

export interface InvalidValueErrorOptions extends ExchangeErrorOptions {
  readonly field?: string | undefined;
  readonly expected?: string | undefined;
}

/**
 * A value object was built from values that break its rules (negative fee, total ≠ free + locked).
 * From an adapter this means the venue's answer was not what it documents.
 */
export class InvalidValueError extends ExchangeError {
  static override readonly brand: symbol = brandErrorClass(this, PACKAGE, 'InvalidValueError');
  readonly field: string | undefined;
  readonly expected: string | undefined;

  constructor(message: string, options: InvalidValueErrorOptions = {}) {
    super(message, options);
    this.field = options.field;
    this.expected = options.expected;
  }
}
