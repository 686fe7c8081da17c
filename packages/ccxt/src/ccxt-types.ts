// The ccxt shapes this package's public declarations mention, declared here rather than imported
// from 'ccxt': ccxt's one entry point declares every one of its hundred exchanges, so a `.d.ts`
// that imports a type from 'ccxt' makes each consumer's `tsc` read some 300 more declaration files.
// Each shape follows ccxt 4.x's field for field (ccxt's `any` is `unknown` here);
// ccxt-types.test.ts checks that the installed ccxt's types and these stay assignable to each other.

/** ccxt's `MarketInterface`: one market (symbol) of a venue, with its precision and limits. */
export interface CcxtMarket {
  id: string | undefined;
  numericId?: number | undefined;
  uppercaseId?: string | undefined;
  lowercaseId?: string | undefined;
  symbol: string;
  base: string;
  quote: string;
  baseId: string | undefined;
  quoteId: string | undefined;
  active: boolean | undefined;
  type: string;
  subType?: 'linear' | 'inverse' | undefined;
  spot: boolean | undefined;
  margin: boolean | undefined;
  swap: boolean | undefined;
  future: boolean | undefined;
  option: boolean | undefined;
  index?: boolean | undefined;
  stock?: boolean | undefined;
  prediction?: boolean | undefined;
  contract: boolean | undefined;
  settle: string | undefined;
  settleId: string | undefined;
  contractSize: number | undefined;
  linear: boolean | undefined;
  inverse: boolean | undefined;
  quanto?: boolean | undefined;
  expiry: number | undefined;
  expiryDatetime: string | undefined;
  strike: number | undefined;
  optionType: string | undefined;
  taker?: number | undefined;
  maker?: number | undefined;
  percentage?: boolean | undefined;
  tierBased?: boolean | undefined;
  feeSide?: string | undefined;
  precision: { amount: number | undefined; price: number | undefined; cost?: number | undefined; base?: number | undefined; quote?: number | undefined };
  marginModes?: { isolated: boolean | undefined; cross: boolean | undefined };
  limits: {
    amount?: { min: number | undefined; max: number | undefined };
    cost?: { min: number | undefined; max: number | undefined };
    leverage?: { min: number | undefined; max: number | undefined };
    price?: { min: number | undefined; max: number | undefined };
    market?: { min: number | undefined; max: number | undefined };
  };
  created: number | undefined;
  /** The venue's own market row. */
  info: unknown;
}

/** ccxt's `Order`: an order as ccxt parsed the venue's answer. */
export interface CcxtOrder {
  id: string | undefined;
  clientOrderId: string | undefined;
  datetime: string | undefined;
  timestamp: number | undefined;
  lastTradeTimestamp: number | undefined;
  lastUpdateTimestamp?: number | undefined;
  status: string | undefined;
  symbol: string | undefined;
  type: string | undefined;
  timeInForce?: string | undefined;
  side: string | undefined;
  price: number | undefined;
  average?: number | undefined;
  amount: number | undefined;
  filled: number | undefined;
  remaining: number | undefined;
  stopPrice?: number | undefined;
  triggerPrice?: number | undefined;
  takeProfitPrice?: number | undefined;
  stopLossPrice?: number | undefined;
  cost: number | undefined;
  trades: {
    info: unknown;
    amount: number | undefined;
    datetime: string | undefined;
    id: string | undefined;
    order: string | undefined;
    price: number | undefined;
    timestamp: number | undefined;
    type: string | undefined;
    side: string | undefined;
    symbol: string | undefined;
    takerOrMaker: string | undefined;
    cost: number | undefined;
    fee: { currency: string | undefined; cost: number | undefined; rate?: number | undefined } | undefined;
  }[];
  fee: { currency: string | undefined; cost: number | undefined; rate?: number | undefined } | undefined;
  reduceOnly: boolean | undefined;
  postOnly: boolean | undefined;
  /** The venue's own answer. */
  info: unknown;
}

/** ccxt's `Trade`: one of the account's trades (`fetchMyTrades`, `watchMyTrades`). */
export type CcxtTrade = CcxtOrder['trades'][number];

/** ccxt's `Balances`: per asset `{ free, used, total }`, and the same three as maps of asset → amount. */
export interface CcxtBalances {
  [asset: string]: unknown;
  /** The venue's own answer. */
  info: unknown;
}

/** ccxt's `Position`: one open position as ccxt parsed the venue's answer (the fields xport reads). */
export interface CcxtPosition {
  symbol: string | undefined;
  side: string | undefined;
  contracts?: number | undefined;
  hedged?: boolean | undefined;
  /** The venue's own answer. */
  info: unknown;
}

/**
 * The members of a ccxt `Exchange` instance that venue profiles and the shared runtime use. Any
 * ccxt exchange instance (`new ccxt.binance()`) is one.
 */
export interface CcxtExchange {
  /** ccxt's id of the venue (`binance`). */
  id: string;
  /** ccxt's per-instance settings (`defaultType`, `timeDifference`, …). */
  options: Record<string, unknown>;
  /** Every loaded symbol, after `loadMarkets()`. */
  symbols: string[];
  /** The loaded markets by symbol, after `loadMarkets()`. */
  markets: Record<string, unknown> | undefined;
  /** The venue's endpoints by API section (`urls.api`), which `rewriteHosts` points elsewhere. */
  urls: { api: unknown; [key: string]: unknown };
  /** Which unified methods the venue supports (`has.fetchCurrencies`). */
  has: Record<string, boolean | 'emulated' | undefined>;
  /** Builds a signed request (url, method, headers, body) without sending it. */
  sign(path: string, api?: unknown, method?: string, params?: Record<string, unknown>, headers?: Record<string, unknown>, body?: string): Record<string, unknown>;
  /** Fills ccxt's `{hostname}` placeholder of an endpoint. */
  implodeHostname(url: string): string;
  /** Loads (or with `reload`, reloads) the venue's markets. */
  loadMarkets(reload?: boolean, params?: object): Promise<Record<string, CcxtMarket | undefined>>;
  /** The market of a loaded symbol; throws ccxt's BadSymbol for an unknown one. */
  market(symbol: string | undefined): CcxtMarket;
  /** The venue's markets, fetched (without caching them on the instance). */
  fetchMarkets(params?: Record<string, unknown>): Promise<(CcxtMarket | undefined)[]>;
  /** Points the instance at the venue's sandbox (testnet) endpoints. */
  setSandboxMode(enabled: boolean): void;
  /** Points the instance at the venue's demo-trading environment. */
  enableDemoTrading(enable: boolean): void;
  /** Places an order. */
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  /** The account's balances (`params` choose the wallet). */
  fetchBalance(params?: Record<string, unknown>): Promise<CcxtBalances>;
  /** Sets a symbol's leverage (`params` choose the leg, where the venue has two). */
  setLeverage(leverage: number, symbol?: string, params?: Record<string, unknown>): Promise<unknown>;
  /** One order, by id or (through `params`) by client order id. */
  fetchOrder(id: string, symbol?: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  /** Closed orders of a symbol, newest last (`params` page and filter them the venue's way). */
  fetchClosedOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  /** Canceled and closed orders of a symbol, from the venue's order history. */
  fetchCanceledAndClosedOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  /** A symbol's best bid and ask and last price. */
  fetchTicker(symbol: string, params?: Record<string, unknown>): Promise<{ symbol: string | undefined; timestamp: number | undefined; bid: number | undefined; ask: number | undefined; last: number | undefined; info: unknown }>;
  /** Open positions, of the given symbols or all. */
  fetchPositions(symbols?: string[], params?: Record<string, unknown>): Promise<CcxtPosition[]>;
  /** Whether the account holds both legs of a symbol at once (hedge mode). */
  fetchPositionMode(symbol?: string, params?: Record<string, unknown>): Promise<{ hedged: boolean | undefined; info: unknown }>;
  /** A symbol's current leverage per leg. */
  fetchLeverage(symbol: string, params?: Record<string, unknown>): Promise<{ symbol: string | undefined; marginMode: string | undefined; longLeverage: number | undefined; shortLeverage: number | undefined; info: unknown }>;
  /** Leverage tiers (maximum leverage by notional) per symbol. */
  fetchLeverageTiers(
    symbols?: string[],
    params?: Record<string, unknown>,
): Promise<Record<string, { tier?: number | undefined; symbol?: string | undefined; currency?: string | undefined; minNotional?: number | undefined; maxNotional?: number | undefined; maintenanceMarginRate?: number | undefined; maxLeverage?: number | undefined; info: unknown }[]>>;
}
