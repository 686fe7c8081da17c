import type { Balance } from './balance';
import type { Decimal } from './decimal';
import type { OrderResult } from './order-result';
import type { SymbolInfo } from './symbol-info';
import type { ExchangeName, MarketType, PositionSide } from './types';

/** Every port method takes these. */
export interface CallOptions {
  /**
   * Stops the call: once it has aborted nothing more is sent, and waits (retry backoff, the
   * rate-limit queue, reconciliation) end at once. The call then throws OperationAbortedError — or,
   * for an order that may already have been executed, OrderStatusUnknownError with its client order id.
   */
  readonly signal?: AbortSignal | undefined;
}

/** Order methods also take a client order id, or an idempotency key to derive one from. */
export interface OrderOptions extends CallOptions {
  /**
   * The venue's client order id. Fixed before the first attempt and reused for every retry and
   * lookup, so within one process an order is placed at most once per call. Across processes that
   * holds only with an order journal (`ExchangeConnectionOptions.journal`): Binance and Bitget
   * accept a filled order's id again, so without one a re-run with the same id can execute twice.
   * An id that names a different order (journal or venue) ends in IdempotencyConflictError.
   */
  readonly clientOrderId?: string | undefined;
  /**
   * A caller's key for the intent (e.g. `${signalId}:${followerId}`). The client order id is derived
   * from it deterministically, so a restarted process re-sending the same intent reuses the id
   * (which, with a journal, finds the earlier order instead of sending it again).
   * Give this or `clientOrderId`, not both.
   */
  readonly idempotencyKey?: string | undefined;
}

export interface MarketOptions extends CallOptions {
  /** Which wallet or market: `spot` (the default) or `futures` (USDT-M; Bybit's unified account). */
  readonly market?: MarketType | undefined;
}

/**
 * The one interface every exchange adapter implements. Symbols are written `BTCUSDT` or
 * `BTC/USDT`; the method says spot or USDT-margined perpetual. Amounts are Decimals. Every method
 * refuses bad input with a typed error before anything reaches the network, and throws only
 * `ExchangeError` subclasses (plus `CircuitOpenError` from @xport/resilience while a venue is out).
 */
export interface ExchangePort {
  readonly exchange: ExchangeName;

  /** Loads markets (shared per venue and process) and discovers the position mode. Idempotent. */
  initialize(options?: CallOptions): Promise<void>;
  /**
   * Releases what this instance holds; shared caches stay for the other instances. Idempotent.
   * Afterwards every other method throws AdapterClosedError and sends nothing.
   */
  close(): Promise<void>;

  /** Market buy of `quantity` base asset, rounded down to the symbol's step. */
  executeSpotBuy(symbol: string, quantity: Decimal, options?: OrderOptions): Promise<OrderResult>;
  /** Market sell of `quantity` base asset, rounded down to the symbol's step. */
  executeSpotSell(symbol: string, quantity: Decimal, options?: OrderOptions): Promise<OrderResult>;
  /** Opens or adds to a long on the USDT-M perpetual, setting `leverage` first if it changed. */
  executeFuturesLong(symbol: string, quantity: Decimal, leverage: number, options?: OrderOptions): Promise<OrderResult>;
  /** Opens or adds to a short on the USDT-M perpetual, setting `leverage` first if it changed. */
  executeFuturesShort(symbol: string, quantity: Decimal, leverage: number, options?: OrderOptions): Promise<OrderResult>;
  /**
   * Flattens the whole `positionSide` leg with a reduce-only market order. Throws
   * `PositionNotFoundError` when there is nothing on that side.
   */
  closeFuturesPosition(symbol: string, positionSide: PositionSide, options?: OrderOptions): Promise<OrderResult>;
  /**
   * Reduces the `positionSide` leg by `quantity` (base asset, rounded down to the symbol's step like
   * an open) with a reduce-only market order. The leg is read just before sending: throws
   * `PositionNotFoundError` when there is nothing on that side, and `InvalidOrderError` (field
   * `quantity`) when the rounded quantity is larger than the leg — nothing is sent in either case
   * (use `closeFuturesPosition` to flatten the whole leg).
   */
  reduceFuturesPosition(symbol: string, positionSide: PositionSide, quantity: Decimal, options?: OrderOptions): Promise<OrderResult>;
  /**
   * The open `positionSide` leg on the USDT-M perpetual, in base asset, as the venue reports it now
   * (one request, never cached): zero when there is nothing on that side. What a caller sizes a
   * `reduceFuturesPosition` from, e.g. a fraction of the leg.
   */
  getFuturesPosition(symbol: string, positionSide: PositionSide, options?: CallOptions): Promise<Decimal>;

  getBalances(options?: MarketOptions): Promise<readonly Balance[]>;
  /** A zero balance when the venue lists nothing for the asset. */
  getBalance(asset: string, options?: MarketOptions): Promise<Balance>;
  getSymbolInfo(symbol: string, options?: MarketOptions): Promise<SymbolInfo>;
}

/** What adapters report to a caller who wants to count decisions (placed, recovered, resubmitted…). */
export interface ExchangeEvent {
  /** Dotted name, the same as the log line's `event`: `exchange.order.placed`. */
  readonly name: string;
  readonly exchange: string;
  /** Epoch ms from the adapter's clock. */
  readonly time: number;
  /** Redacted, like the log line. */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type ExchangeEventListener = (event: ExchangeEvent) => void;
