// The ccxt shapes this package's public declarations mention, declared here rather than imported
// from 'ccxt': ccxt's one entry point declares every one of its hundred exchanges, so a `.d.ts`
// that imports a type from 'ccxt' makes each consumer's `tsc` read some 300 more declaration files.
// Each shape follows ccxt 4.x's field for field (ccxt's `any` is `unknown` here);
// ccxt-types.test.ts checks that the installed ccxt's types and these stay assignable to each other.

type Str = string | undefined;
type Num = number | undefined;
type Bool = boolean | undefined;
type Params = Record<string, unknown>;

/** A fee as ccxt reports it on an order or a trade. */
type Fee = { currency: Str; cost: Num; rate?: Num } | undefined;

/** ccxt's `MarketInterface`: one market (symbol) of a venue, with its precision and limits. */
export interface CcxtMarket {
  id: Str;
  numericId?: Num;
  uppercaseId?: Str;
  lowercaseId?: Str;
  symbol: string;
  base: string;
  quote: string;
  baseId: Str;
  quoteId: Str;
  active: Bool;
  type: string;
  subType?: 'linear' | 'inverse' | undefined;
  spot: Bool;
  margin: Bool;
  swap: Bool;
  future: Bool;
  option: Bool;
  index?: Bool;
  stock?: Bool;
  prediction?: Bool;
  contract: Bool;
  settle: Str;
  settleId: Str;
  contractSize: Num;
  linear: Bool;
  inverse: Bool;
  quanto?: Bool;
  expiry: Num;
  expiryDatetime: Str;
  strike: Num;
  optionType: Str;
  taker?: Num;
  maker?: Num;
  percentage?: Bool;
  tierBased?: Bool;
  feeSide?: Str;
  precision: { amount: Num; price: Num; cost?: Num; base?: Num; quote?: Num };
  marginModes?: { isolated: Bool; cross: Bool };
  limits: {
    amount?: { min: Num; max: Num };
    cost?: { min: Num; max: Num };
    leverage?: { min: Num; max: Num };
    price?: { min: Num; max: Num };
    market?: { min: Num; max: Num };
  };
  created: Num;
  /** The venue's own market row. */
  info: unknown;
}

/** ccxt's `Order`: an order as ccxt parsed the venue's answer. */
export interface CcxtOrder {
  id: Str;
  clientOrderId: Str;
  datetime: Str;
  timestamp: Num;
  lastTradeTimestamp: Num;
  lastUpdateTimestamp?: Num;
  status: Str;
  symbol: Str;
  type: Str;
  timeInForce?: Str;
  side: Str;
  price: Num;
  average?: Num;
  amount: Num;
  filled: Num;
  remaining: Num;
  stopPrice?: Num;
  triggerPrice?: Num;
  takeProfitPrice?: Num;
  stopLossPrice?: Num;
  cost: Num;
  trades: {
    info: unknown;
    amount: Num;
    datetime: Str;
    id: Str;
    order: Str;
    price: Num;
    timestamp: Num;
    type: Str;
    side: Str;
    symbol: Str;
    takerOrMaker: Str;
    cost: Num;
    fee: Fee;
  }[];
  fee: Fee;
  reduceOnly: Bool;
  postOnly: Bool;
  /** The venue's own answer. */
  info: unknown;
}

/** ccxt's `Balances`: per asset `{ free, used, total }`, and the same three as maps of asset → amount. */
export interface CcxtBalances {
  [asset: string]: unknown;
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
  options: Params;
  /** Every loaded symbol, after `loadMarkets()`. */
  symbols: string[];
  /** The loaded markets by symbol, after `loadMarkets()`. */
  markets: Record<string, unknown> | undefined;
  /** The venue's endpoints by API section (`urls.api`), which `rewriteHosts` points elsewhere. */
  urls: { api: unknown; [key: string]: unknown };
  /** Which unified methods the venue supports (`has.fetchCurrencies`). */
  has: Record<string, boolean | 'emulated' | undefined>;
  /** Builds a signed request (url, method, headers, body) without sending it. */
  sign(path: string, api?: unknown, method?: string, params?: Params, headers?: Params, body?: Str): Params;
  /** Fills ccxt's `{hostname}` placeholder of an endpoint. */
  implodeHostname(url: string): string;
  /** Loads (or with `reload`, reloads) the venue's markets. */
  loadMarkets(reload?: boolean, params?: object): Promise<Record<string, CcxtMarket | undefined>>;
  /** The market of a loaded symbol; throws ccxt's BadSymbol for an unknown one. */
  market(symbol: Str): CcxtMarket;
  fetchMarkets(params?: Params): Promise<(CcxtMarket | undefined)[]>;
  setSandboxMode(enabled: boolean): void;
  enableDemoTrading(enable: boolean): void;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: Num, params?: Params): Promise<CcxtOrder>;
  fetchBalance(params?: Params): Promise<CcxtBalances>;
  setLeverage(leverage: number, symbol?: Str, params?: Params): Promise<unknown>;
  fetchOrder(id: string, symbol?: Str, params?: Params): Promise<CcxtOrder>;
  fetchTicker(symbol: string, params?: Params): Promise<{ symbol: Str; timestamp: Num; bid: Num; ask: Num; last: Num; info: unknown }>;
  fetchPositions(symbols?: string[], params?: Params): Promise<{ symbol: Str; side: Str; contracts?: Num; hedged?: Bool; info: unknown }[]>;
  fetchPositionMode(symbol?: Str, params?: Params): Promise<{ hedged: Bool; info: unknown }>;
  fetchLeverage(symbol: string, params?: Params): Promise<{ symbol: Str; marginMode: Str; longLeverage: Num; shortLeverage: Num; info: unknown }>;
  fetchLeverageTiers(
    symbols?: string[],
    params?: Params,
  ): Promise<Record<string, { tier?: Num; symbol?: Str; currency?: Str; minNotional?: Num; maxNotional?: Num; maintenanceMarginRate?: Num; maxLeverage?: Num; info: unknown }[]>>;
}
