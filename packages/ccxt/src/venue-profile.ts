import type { Decimal, MarketType, PositionMode, PositionSide } from '@xport/core';
import type { CcxtExchange as Exchange, CcxtMarket as MarketInterface, CcxtOrder as Order } from './ccxt-types';

import type { VenueErrorMeaning } from './translate-error';

/** The operations a venue's rate-limit weights are given for. */
export type VenueOperation =
  | 'loadMarkets'
  | 'fetchTime'
  | 'fetchTickers'
  | 'fetchBalance'
  | 'createOrder'
  | 'fetchOrder'
  | 'setLeverage'
  | 'fetchPositions'
  | 'fetchPositionMode'
  | 'fetchMyTrades';

/** A venue's client order id rules (Binance `newClientOrderId`, Bybit `orderLinkId`, Bitget `clientOid`). */
export interface ClientOrderIdRules {
  readonly maxLength: number;
  /** The characters the venue accepts, anchored. */
  readonly pattern: RegExp;
}

/** What a venue profile needs to know to build an order's venue parameters. */
export interface OrderParamsInput {
  readonly market: MarketType;
  readonly positionMode: PositionMode;
  /** Futures: the leg opened or closed. */
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  readonly clientOrderId: string;
}

export interface PrepareOrderInput {
  readonly symbol: string;
  readonly market: MarketType;
  readonly side: 'buy' | 'sell';
  /** The base quantity to trade, already floored to the step. */
  readonly quantity: Decimal;
  /** The last fill price seen on this venue and symbol, if any. */
  readonly lastPrice: Decimal | undefined;
}

/**
 * Single-flight reads of public data every account sees alike, shared by every adapter of the
 * venue: concurrent callers under one `key` wait for one `send`, later ones reuse its answer while
 * it is younger than the adapter's `priceMaxAgeMs`.
 */
export type ShareRead = <T>(key: string, send: () => Promise<T>) => Promise<T>;

/** One request budget: weight (or requests) per window, seeded from the venue's published limit. */
export interface RequestBudget {
  readonly capacity: number;
  readonly intervalMs: number;
}

/**
 * One of an account's own budgets on an operation (Binance's order counts per account), shared by
 * every adapter and worker using the account whatever its address.
 */
export interface AccountRequestBudget extends RequestBudget {
  /** Names the budget in keys and logs (`orders-10s`). */
  readonly name: string;
  /** A response header carrying the venue's count for this window (`x-mbx-order-count-10s`), adopted when higher. */
  readonly usedHeader?: string | undefined;
}

/** An account's budgets per market and operation. */
export type AccountRequestBudgets = Readonly<Partial<Record<MarketType, Readonly<Partial<Record<VenueOperation, readonly AccountRequestBudget[]>>>>>>;

/**
 * The venue's request budgets, one per market (Binance counts spot and USDT-M weight separately),
 * each shared by every adapter instance in the process.
 */
export interface VenueRateLimit {
  readonly spot: RequestBudget;
  readonly futures: RequestBudget;
  /**
   * Whether spot and futures draw from one IP budget (Bybit counts every endpoint of the address
   * together); the spot budget's limits then hold for both.
   */
  readonly oneIpBudget?: boolean | undefined;
  /**
   * The account's own budgets per market and operation (Binance's order counts), kept by venue ×
   * account in the shared state so that every worker trading the account draws from the same one.
   */
  readonly accountBudgets?: AccountRequestBudgets | undefined;
  /**
   * Tighter per-endpoint budgets inside a market's (Bitget allows 20 ticker requests a second per
   * IP whatever else is spent); a request waits for both.
   */
  readonly endpoints?: Readonly<Partial<Record<VenueOperation, RequestBudget>>> | undefined;
  /** A response header carrying the server's count for the window (Binance `x-mbx-used-weight-1m`). */
  readonly usedWeightHeader?: string | undefined;
  /**
   * Per-account budgets the venue reports as "remaining until reset" (Bybit: `x-bapi-limit-status`
   * and `x-bapi-limit-reset-timestamp`, per UID and endpoint). An account that has spent its
   * budget waits for the reset before signing its next request of that kind; `windowMs` is how
   * long that takes at most when the venue names no reset yet (Bybit: its rolling second).
   */
  readonly accountHeaders?: { readonly remaining: string; readonly resetAt: string; readonly windowMs?: number | undefined } | undefined;
  /**
   * Venue codes of rate-limit refusals that hold one account rather than every key on the IP
   * (Binance -1015 order counts, Bybit 10006 per-UID budgets): only that account waits.
   */
  readonly accountRefusalCodes?: readonly string[] | undefined;
  /**
   * The wait a rate-limit refusal names in its own text when no header does (Binance -1015 names
   * its window; Bybit's 403 "access too frequent" is a ban of at least ten minutes).
   */
  readonly refusalWaitMs?: ((message: string) => number | undefined) | undefined;
  readonly weights: Readonly<Partial<Record<VenueOperation, number>>>;
}

/**
 * Everything that differs between venues, in one small object per venue package. The shared
 * adapter in this package does the rest.
 */
/**
 * What a venue's account-stream payload says beyond ccxt's unified trade and order: the client
 * order id where ccxt leaves it out of a trade, the position leg, reduce-only. Undefined where the
 * venue does not say.
 */
export interface AccountEventFacts {
  readonly clientOrderId?: string | undefined;
  readonly positionSide?: PositionSide | undefined;
  readonly reduceOnly?: boolean | undefined;
}

export interface VenueProfile<Id extends string = string> {
  /** ccxt's id and xport's exchange name, as a literal type (`VenueProfile<'binance'>`) so the descriptor keeps it. */
  readonly id: Id;
  /** The package that ships it, named in errors when it is not installed. */
  readonly packageName: string;
  readonly requiresPassphrase: boolean;
  readonly clientOrderId: ClientOrderIdRules;
  readonly rateLimit: VenueRateLimit;
  /**
   * How long after placement an order may still be invisible to lookups. A "not found" earlier
   * than this proves nothing.
   */
  readonly orderVisibilityMs: number;
  /** Plain-words testnet endpoints, for the README and errors. */
  readonly testnetDescription: string;
  /** Extra ccxt constructor settings (options, defaultType, time sync). */
  ccxtConfig(): Record<string, unknown>;
  /** Switches a constructed ccxt instance to the venue's testnet or demo environment. */
  useTestnet(exchange: Exchange): void;
  /** ccxt `params` for a market order. */
  orderParams(input: OrderParamsInput): Record<string, unknown>;
  /** ccxt `params` for setLeverage on one leg. */
  leverageParams(input: { readonly positionMode: PositionMode; readonly positionSide: PositionSide }): Record<string, unknown>;
  /** ccxt `params` for fetchBalance of a wallet. */
  balanceParams(market: MarketType): Record<string, unknown>;
  /** Looks an order up by client order id; throws ccxt's OrderNotFound when the venue says so. */
  fetchOrderByClientId(exchange: Exchange, input: { readonly clientOrderId: string; readonly symbol: string; readonly market: MarketType }): Promise<Order>;
  /** One-way or hedge, asked of the venue once per account. */
  fetchPositionMode(exchange: Exchange, futuresSymbol: string): Promise<PositionMode>;
  /** Venue codes whose meaning ccxt's class does not carry (the message disambiguates shared codes). */
  classifyCode(code: string, message: string): VenueErrorMeaning | undefined;
  /**
   * Per-symbol maximum leverage (ccxt symbol → max) where the venue's markets do not carry it
   * (Binance publishes it as leverage brackets). Loaded once per venue with the markets.
   */
  readonly fetchMaxLeverage?: ((exchange: Exchange) => Promise<Readonly<Record<string, number>>>) | undefined;
  /** A market-order size cap the venue publishes beside ccxt's limits (Bybit `maxMktOrderQty`). */
  readonly maxMarketOrderQuantity?: ((market: MarketInterface) => number | undefined) | undefined;
  /** Whether createOrder's answer lacks fills (Bybit answers ids only), so the order must be fetched. */
  readonly fetchAfterCreate: boolean;
  /**
   * Venue-specific preparation of a market order that needs more than parameters — Bitget sizes a
   * spot market buy in quote currency, so it needs a price. Every request it makes goes through
   * `request`, which counts it in the budget (and the endpoint's), retries and breaks like any read;
   * an order that needs nothing costs nothing. A read every account would make alike (a price) goes
   * through `share`, so that a fan-out to many accounts sends it once.
   */
  readonly prepareOrder?:
    | ((
        exchange: Exchange,
        input: PrepareOrderInput,
        request: <T>(operation: VenueOperation, send: () => Promise<T>) => Promise<T>,
        share?: ShareRead,
      ) => Promise<{ readonly price?: number; readonly params?: Record<string, unknown> }>)
    | undefined;
  /**
   * Reads AccountEventFacts from the venue's own payload (`info`) of a trade or an order, from the
   * stream or a REST read. Without it, only ccxt's unified fields are used.
   */
  readonly accountEventFacts?: ((info: unknown, market: MarketType) => AccountEventFacts) | undefined;
  /**
   * Adjusts a fresh ccxt `pro` instance before an account stream uses it, where the venue's ccxt
   * class needs it (Binance: the listen-key renewal's market type).
   */
  readonly prepareStream?: ((exchange: Exchange) => void) | undefined;
}
