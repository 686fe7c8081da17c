/**
 * The seam between the venue-neutral simulator (engine, HTTP server, control API, faults, ledger)
 * and the venue protocols (one folder each under src/venues/, listed in src/venues/registry.ts).
 *
 * The server owns: reading the request (body limit, JSON/form parsing), the `/_sim/` control API,
 * the request log, fault injection, and dispatch by prefix `/<venue>/...` to a VenueProtocol.
 * A venue owns: its routes, its authentication, its response envelopes and error codes, and its
 * rate-limit style. The engine (engine.ts) owns all state and all trading rules.
 */
import type { Decimal } from 'decimal.js';
import type { SeededRandom } from './random';
import type { VenueName } from './venues/registry';

export type { VenueName };
export type Market = 'spot' | 'futures';
export type Side = 'buy' | 'sell';
/** `both` is one-way mode's net position. */
export type PositionSide = 'long' | 'short' | 'both';
export type PositionMode = 'oneway' | 'hedge';

export interface Instrument {
  readonly venue: VenueName;
  readonly market: Market;
  /** The venue's own id, e.g. `BTCUSDT` (all three venues use this form for these markets). */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly stepSize: Decimal;
  readonly minQty: Decimal;
  readonly maxQty: Decimal;
  readonly tickSize: Decimal;
  readonly minNotional: Decimal;
  /** 1 for spot. */
  readonly maxLeverage: number;
  readonly takerFeeRate: Decimal;
  /** Synthetic padding symbols (catalogue-size option) are listed but priced like any other. */
  readonly synthetic: boolean;
}

export interface Balance {
  readonly asset: string;
  readonly free: Decimal;
  readonly locked: Decimal;
}

export interface Position {
  readonly symbol: string;
  readonly side: PositionSide;
  /** Always positive; the side says the direction (in one-way mode `both` with `signedSize`). */
  readonly size: Decimal;
  /** Positive long, negative short; equals size for hedge legs of side long, -size for short. */
  readonly signedSize: Decimal;
  readonly entryPrice: Decimal;
  readonly leverage: number;
  readonly margin: Decimal;
  readonly unrealisedPnl: Decimal;
  readonly markPrice: Decimal;
}

export type OrderStatus = 'filled' | 'rejected';

/** One executed order as the ledger keeps it (GET /_sim/orders returns these, decimals as strings). */
export interface LedgerOrder {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly venue: VenueName;
  readonly apiKey: string;
  readonly symbol: string;
  readonly market: Market;
  readonly side: Side;
  /** Futures only; `both` in one-way mode. */
  readonly positionSide?: PositionSide;
  readonly reduceOnly: boolean;
  readonly quantity: Decimal;
  readonly price: Decimal;
  /** quantity × price */
  readonly cost: Decimal;
  readonly fee: Decimal;
  readonly feeAsset: string;
  readonly realisedPnl: Decimal;
  readonly status: OrderStatus;
  /** Simulator clock, ms. */
  readonly time: number;
}

export interface PlaceOrderRequest {
  readonly market: Market;
  readonly symbol: string;
  readonly side: Side;
  readonly quantity: Decimal;
  /** Futures: which leg; omit (or `both`) in one-way mode. */
  readonly positionSide?: PositionSide;
  readonly reduceOnly?: boolean;
  /** The venue's client id; the engine generates one when absent. */
  readonly clientOrderId?: string;
}

/**
 * Every refusal the engine makes. A venue maps each code to its own code, message and HTTP status.
 */
export type EngineErrorCode =
  | 'UNKNOWN_SYMBOL'
  | 'INSUFFICIENT_BALANCE'
  | 'QTY_STEP'
  | 'QTY_BELOW_MIN'
  | 'QTY_ABOVE_MAX'
  | 'NOTIONAL_BELOW_MIN'
  | 'LEVERAGE_TOO_HIGH'
  | 'LEVERAGE_INVALID'
  | 'LEVERAGE_NOT_MODIFIED'
  | 'POSITION_MODE_NOT_MODIFIED'
  | 'POSITION_MODE_HAS_POSITIONS'
  | 'POSITION_SIDE_MISMATCH'
  | 'REDUCE_ONLY_NO_POSITION'
  | 'REDUCE_ONLY_WOULD_INCREASE'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'ORDER_NOT_FOUND'
  | 'INVALID_PARAMETER';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface Account {
  readonly venue: VenueName;
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase?: string;
  /** Bybit's unified account id; any stable number elsewhere. */
  readonly uid: string;
  positionMode: PositionMode;
}

/** How a venue looks an order up: by order id, else by client order id, optionally narrowed. */
export interface OrderQuery {
  readonly orderId?: string | undefined;
  readonly clientOrderId?: string | undefined;
  readonly symbol?: string | undefined;
  readonly market?: Market | undefined;
}

/** What the engine offers a venue protocol. All state lives here; venues only translate. */
export interface EngineApi {
  /** Simulator clock in ms (real time plus the skew set with POST /_sim/clock). */
  now(): number;
  instruments(venue: VenueName, market: Market): readonly Instrument[];
  instrument(venue: VenueName, market: Market, symbol: string): Instrument | undefined;
  markPrice(venue: VenueName, symbol: string): Decimal;
  account(venue: VenueName, apiKey: string): Account | undefined;
  /** Bybit passes 'unified' and gets one wallet; the others 'spot' or 'futures'. */
  balances(account: Account, wallet: Market | 'unified'): readonly Balance[];
  positions(account: Account, symbol?: string): readonly Position[];
  leverage(account: Account, symbol: string, side: PositionSide): number;
  /** Throws LEVERAGE_TOO_HIGH / LEVERAGE_INVALID / UNKNOWN_SYMBOL; LEVERAGE_NOT_MODIFIED when equal. */
  setLeverage(account: Account, symbol: string, leverage: number, side?: PositionSide): void;
  /** Throws POSITION_MODE_NOT_MODIFIED when equal, POSITION_MODE_HAS_POSITIONS when positions are open. */
  setPositionMode(account: Account, mode: PositionMode): void;
  /** Executes a market order at once or throws an EngineError. */
  placeOrder(account: Account, request: PlaceOrderRequest): LedgerOrder;
  /**
   * By order id or client order id, optionally narrowed to a symbol and market (a spot id is not
   * found on a futures route); throws ORDER_NOT_FOUND (also while a queryLag fault hides it).
   */
  findOrder(account: Account, query: OrderQuery): LedgerOrder;
  /** Deterministic ids from the seeded source. */
  nextId(): string;
  /**
   * Executed orders, oldest first, narrowed by the filter; trade-history routes (Binance
   * `myTrades` / `userTrades`) read it. Optional: without it those routes answer an empty history.
   */
  orders?(filter: {
    readonly venue?: VenueName;
    readonly apiKey?: string;
    readonly symbol?: string;
    readonly market?: Market;
  }): readonly LedgerOrder[];
}

/**
 * A parsed incoming request as a venue handler sees it. The server parses `query` and `body` on
 * first read (getters), so copy fields by name rather than spreading the object.
 */
export interface VenueRequest {
  readonly method: string;
  /** Path below the venue prefix, e.g. `/fapi/v1/order`. */
  readonly path: string;
  /** Raw query string without `?` (signatures cover it byte for byte). */
  readonly rawQuery: string;
  readonly query: Readonly<Record<string, string>>;
  /** Raw body as received (signatures cover it byte for byte). */
  readonly rawBody: string;
  /** Body parsed as JSON or form, by content type; `{}` when empty; undefined when unparseable. */
  readonly body: Readonly<Record<string, unknown>> | undefined;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Client address, the scope of Binance's per-IP weight. */
  readonly ip: string;
}

export interface VenueResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Which routes the fault rules treat specially. */
export type RouteKind = 'order.create' | 'order.query' | 'other';

export interface VenueRoute {
  readonly method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  readonly path: string;
  readonly kind: RouteKind;
  /** Signed (private) routes need an account; the venue authenticates them itself. */
  readonly signed: boolean;
  /** Binance: request weight; others: ignored or used as they see fit. */
  readonly weight?: number;
  handle(ctx: VenueContext): VenueResponse;
}

export interface VenueContext {
  readonly request: VenueRequest;
  readonly engine: EngineApi;
  /** Set for signed routes once the venue's authenticate() accepted the request. */
  readonly account: Account | undefined;
}

export interface VenueProtocol {
  readonly name: VenueName;
  readonly routes: readonly VenueRoute[];
  /**
   * Verifies key, signature, passphrase and timestamp window against engine.now(); returns the
   * account or the venue's own error response (AuthenticationError / InvalidNonce in ccxt).
   */
  authenticate(request: VenueRequest, engine: EngineApi): Account | VenueResponse;
  /** Maps an EngineError to the venue's code, message and HTTP status. */
  engineError(error: EngineError, route: VenueRoute): VenueResponse;
  /** Answers for the server's own refusals and for faults. */
  notFound(request: VenueRequest): VenueResponse;
  badRequest(request: VenueRequest, message: string): VenueResponse;
  rateLimited(retryAfterMs: number, banned: boolean): VenueResponse;
  serverError(): VenueResponse;
  /** Binance: the real -1007 "send status unknown" answer; the others: their 5xx / timeout answer. */
  sendStatusUnknown(): VenueResponse;
  /**
   * Rate-limit accounting in the venue's own style and scope, called before every routed request
   * (after authentication for signed routes, so `account` is set where the scope is per account).
   * Returns headers to add (usage headers) and, when over budget, the refusal to send instead.
   */
  rateLimit(
    ctx: VenueContext,
    route: VenueRoute,
  ): { readonly headers: Readonly<Record<string, string>>; readonly refusal?: VenueResponse };
}

/** Rate-limit budgets a venue starts from; tests shrink them to reach a limit quickly. */
export interface RateLimitBudgets {
  /** Binance: request weight per IP per minute (real: 6000 spot, 2400 futures). */
  readonly binanceWeightPerMinute?: number;
  /** Bybit: requests per UID per second on order endpoints (real: 10-20). */
  readonly bybitOrdersPerSecond?: number;
  /** Bitget: requests per endpoint per second (real: 10-20 per UID on order endpoints). */
  readonly bitgetRequestsPerSecond?: number;
}

export interface VenueOptions {
  readonly budgets: RateLimitBudgets;
}

/**
 * What each venue module exports as `create<Name>Protocol(options)` plus its base catalogue.
 * The engine pads the catalogue with synthetic symbols (copies of a template instrument under
 * generated names like `SYN0042USDT`) up to `realScale` when the catalogue-size option asks for it.
 */
export interface VenueModule<Name extends string = VenueName> {
  readonly name: Name;
  /** How the venue's accounts look, for the engine, the server and the control API. */
  readonly accounts: VenueAccountRules;
  readonly baseInstruments: readonly Instrument[];
  readonly realScale: { readonly spot: number; readonly futures: number };
  /** Default mark prices of the base assets in USDT, e.g. { BTC: '65000' }; the engine has its own. */
  readonly defaultPrices?: Readonly<Record<string, string>>;
  /** Leverage a symbol starts with before any setLeverage (capped at its maximum); engine default 20. */
  readonly defaultLeverage?: number;
  readonly createProtocol: (options: VenueOptions) => VenueProtocol;
}

/** What the venue-neutral parts need to know about a venue's accounts and credentials. */
export interface VenueAccountRules {
  /** Lower-case header carrying the API key on signed requests (the request log records it). */
  readonly apiKeyHeader: string;
  /** Whether requests are signed with a passphrase as well as key and secret. */
  readonly passphrase: boolean;
  /** One wallet for spot and futures (Bybit's unified account) instead of two. */
  readonly sharedWallet: boolean;
  /** Credentials in the venue's own format, so logs and tests read naturally. */
  generateCredentials(random: SeededRandom): { apiKey: string; secret: string; passphrase?: string };
}
