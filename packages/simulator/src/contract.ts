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
import type { ClientOrderIdPolicy } from './client-order-ids';
import type { SeededRandom } from './random';
import type { VenueRules } from './venue-rules';
import type { VenueName } from './venues/registry';

export type { VenueName, ClientOrderIdPolicy, VenueRules };
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
  /**
   * Base units per contract on the wire, 1 when absent. No USDT perpetual of the three venues has
   * another: a test instrument made with the `binanceContractSizes` option, so that clients prove
   * they convert base quantities to contracts and back. The engine trades in base units.
   */
  readonly contractSize?: Decimal;
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
  /** Realised by partial closes since this position opened: (exit − entry) × size, fees not included. */
  readonly realisedPnl: Decimal;
  /** Trading fees this position has paid since it opened, in the margin asset. */
  readonly fees: Decimal;
}

/** What one leg (symbol and position side) has realised over the account's life, open or closed. */
export interface LegHistory {
  /** Gross realised PnL, fees not included. */
  readonly realisedPnl: Decimal;
  /** Every trading fee the leg's orders paid. */
  readonly fees: Decimal;
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
  /** The asset the fee was paid in: a spot order's received asset, the margin asset on futures. */
  readonly feeAsset: string;
  /** What the order realised by closing: (exit − entry) × closed size, fees not included. */
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
  /** Orders created before this instant (simulator clock, ms) are past the route's window: not found. */
  readonly createdFrom?: number | undefined;
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
  /** A leg's all-time realised PnL and fees; zero for a leg that never traded. */
  legHistory(account: Account, symbol: string, side: PositionSide): LegHistory;
  leverage(account: Account, symbol: string, side: PositionSide): number;
  /** Throws LEVERAGE_TOO_HIGH / LEVERAGE_INVALID / UNKNOWN_SYMBOL; LEVERAGE_NOT_MODIFIED when equal. */
  setLeverage(account: Account, symbol: string, leverage: number, side?: PositionSide): void;
  /** Throws POSITION_MODE_NOT_MODIFIED when equal, POSITION_MODE_HAS_POSITIONS when positions are open. */
  setPositionMode(account: Account, mode: PositionMode): void;
  /** Executes a market order at once or throws an EngineError. */
  placeOrder(account: Account, request: PlaceOrderRequest): LedgerOrder;
  /**
   * By order id or client order id, optionally narrowed to a symbol, market and window (a spot id
   * is not found on a futures route); throws ORDER_NOT_FOUND (also while a queryLag fault hides it).
   * When several orders carry the client id, `rules.sharedClientOrderIdLookup` picks one.
   */
  findOrder(account: Account, query: OrderQuery): LedgerOrder;
  /**
   * The account's executed orders, oldest first, as order listings see them: orders a queryLag
   * fault hides are left out.
   */
  accountOrders(account: Account, market?: Market): readonly LedgerOrder[];
  /** When the venue last restarted (a `restart` fault), simulator clock; -Infinity if never. */
  restartedAt(venue: VenueName): number;
  /** The venue rules in force, for the readings no source settles. */
  readonly rules: VenueRules;
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
  /**
   * The connection's source address (IPv4 in dotted form, also when it arrived as an IPv4-mapped
   * IPv6 address): the scope of every per-IP budget. Clients bound to different loopback addresses
   * (127.0.0.2, 127.0.0.3, …) count as different hosts.
   */
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
  /** The venue's private WebSocket streams, when it serves them (see {@link VenueStreams}). */
  readonly streams?: VenueStreams;
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
   * A limit on every request from one source address, whatever it asks for (Bybit's IP limit):
   * called first, before routing and authentication, with the refusal to send instead when over it.
   */
  admit?(request: VenueRequest, now: number): VenueResponse | undefined;
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

/**
 * One client WebSocket connection as a venue's stream session sees it. The server owns the socket,
 * the stream faults and the timers; the session owns the venue's protocol on top.
 */
export interface StreamSocket {
  /** Path below the venue prefix, e.g. `/v5/private`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** The account once the session bound one (after its login, or from a listen key). */
  readonly account: Account | undefined;
  /** Events of this account reach the session from now on, and account-scoped stream faults apply. */
  bind(account: Account): void;
  /** An answer to the client (subscription ack, pong, error): withheld while silenced, never delayed. */
  reply(message: unknown): void;
  /** An account event: dropped while silenced, subject to the delay and reorder stream faults. */
  event(message: unknown): void;
  /** A WebSocket ping frame (withheld while silenced). */
  ping(): void;
  /** Closes with a close frame. */
  close(code: number, reason: string): void;
  /** A timer on the simulator clock, cancelled when the socket closes. */
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

/** A venue's half of one connection. */
export interface StreamSession {
  /** A text frame from the client. */
  message(text: string): void;
  /** A pong frame from the client (answering a {@link StreamSocket.ping}). */
  pong?(): void;
  /** A ping frame from the client; the server answers the pong itself (unless silenced). */
  pingFrame?(): void;
  /** An order the engine executed for the bound account. */
  order(order: LedgerOrder): void;
  /** The topics or channels the client subscribed to, in the venue's names (for tests and the control API). */
  topics?(): readonly string[];
}

/** A venue's private WebSocket endpoints, declared in its own folder and served under its prefix. */
export interface VenueStreams {
  /** The stream paths below the venue prefix, as documentation reads them, e.g. `/v5/private`. */
  readonly paths: readonly string[];
  /** Whether a path below the venue prefix takes a WebSocket upgrade (some carry a key in the path). */
  accepts(path: string): boolean;
  /** Opens a session, or refuses the upgrade with an HTTP answer. */
  open(socket: StreamSocket, engine: EngineApi): StreamSession | VenueResponse;
}

/**
 * Rate-limit budgets a venue starts from, each defaulting to the venue's published limit; tests
 * shrink them to reach a limit in a few requests, load tests lift them. IP budgets are kept per
 * client source address, account budgets per account.
 */
export interface RateLimitBudgets {
  /** Binance: request weight per IP per minute, every API family (real: 6000 spot, 12000 sapi, 2400 futures). */
  readonly binanceWeightPerMinute?: number;
  /** Binance spot: unfilled orders per account per 10 s (real: 100). */
  readonly binanceSpotOrdersPer10s?: number;
  /** Binance spot: unfilled orders per account per UTC day (real: 200 000). */
  readonly binanceSpotOrdersPerDay?: number;
  /** Binance USDⓈ-M: orders per account per 10 s (real: 300). */
  readonly binanceFuturesOrdersPer10s?: number;
  /** Binance USDⓈ-M: orders per account per minute (real: 1200). */
  readonly binanceFuturesOrdersPerMinute?: number;
  /**
   * Binance spot: how long after a fill the order leaves the unfilled count (documented as "within
   * 1000ms"; default 1000). 0 takes it off at once, so market orders never accumulate.
   */
  readonly binanceSpotFillDecrementMs?: number;
  /** Bybit: requests per UID per second on the order endpoints (real: 10 on linear, 20 on spot). */
  readonly bybitOrdersPerSecond?: number;
  /** Bybit: requests per IP in any 5 s, all endpoints together (real: 600); beyond, a 10-minute ban. */
  readonly bybitIpRequestsPer5s?: number;
  /** Bitget: requests per endpoint per second, per UID (private) or IP (public) (real: 3-20 by endpoint). */
  readonly bitgetRequestsPerSecond?: number;
  /** Bitget: requests per IP per minute, all endpoints together (real: 6000). */
  readonly bitgetIpRequestsPerMinute?: number;
}

/**
 * Budgets so high that nothing a load test or a fault soak sends reaches them, for runs that test
 * something other than rate limits.
 */
export const LIFTED_BUDGETS: Required<Omit<RateLimitBudgets, 'binanceSpotFillDecrementMs'>> = {
  binanceWeightPerMinute: 1_000_000_000,
  binanceSpotOrdersPer10s: 1_000_000_000,
  binanceSpotOrdersPerDay: 1_000_000_000,
  binanceFuturesOrdersPer10s: 1_000_000_000,
  binanceFuturesOrdersPerMinute: 1_000_000_000,
  bybitOrdersPerSecond: 1_000_000_000,
  bybitIpRequestsPer5s: 1_000_000_000,
  bitgetRequestsPerSecond: 1_000_000_000,
  bitgetIpRequestsPerMinute: 1_000_000_000,
};

export interface VenueOptions {
  readonly budgets: RateLimitBudgets;
  /**
   * Whether the streams enforce the venues' keep-alive rules (pong deadlines, idle disconnects);
   * default true. A test that moves a manual clock by minutes in one step, faster than any client
   * can answer a ping, turns them off.
   */
  readonly streamKeepAlive?: boolean;
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
  /** How the venue keeps client order ids apart (some venues' scope is a rule option). */
  readonly clientOrderIds: (rules: VenueRules) => ClientOrderIdPolicy;
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
