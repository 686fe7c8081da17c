import { Decimal } from 'decimal.js';
import {
  EngineError,
  type Account,
  type Balance,
  type EngineApi,
  type Instrument,
  type LedgerOrder,
  type LegHistory,
  type Market,
  type OrderQuery,
  type PlaceOrderRequest,
  type Position,
  type PositionMode,
  type PositionSide,
  type VenueModule,
  type VenueName,
} from './contract';
import { buildCatalogue, templateBaseOf, type CatalogueSize } from './catalogue';
import {
  credit,
  positionKey,
  SimAccount,
  walletBalances,
  type CreateAccountInput,
  type DecimalInput,
} from './engine-account';
import type { ClientOrderIdPolicy } from './client-order-ids';
import { systemClock, type SimClock } from './engine-clock';
import { executeFuturesOrder, executeSpotOrder } from './engine-trading';
import { ALPHANUMERIC, createSeededRandom, type SeededRandom } from './random';
import { resolveVenueRules, type VenueRules } from './venue-rules';

/** Mark prices every venue starts from, in USDT; a venue module may override them. */
export const DEFAULT_PRICES: Readonly<Record<string, string>> = {
  BTC: '65000',
  ETH: '3500',
  SOL: '150',
  XRP: '0.6',
  DOGE: '0.15',
};

const DEFAULT_LEVERAGE = 20;

export interface EngineOptions {
  readonly venues: readonly VenueModule[];
  readonly seed?: number;
  readonly clock?: SimClock;
  readonly catalogue?: CatalogueSize;
  /** Fraction of the mark price a market order pays away (buys above, sells below); default 0. */
  readonly slippage?: DecimalInput;
  /** Readings of venue rules no source settles; defaults in DEFAULT_VENUE_RULES. */
  readonly rules?: Partial<VenueRules>;
  /**
   * Test instruments: Binance USDⓈ-M symbol → base units per contract (`{ BTCUSDT: '0.001' }`).
   * Those perpetuals then list `contractSize` and take and answer quantities in contracts, as
   * Binance's COIN-M contracts do; no USDⓈ-M contract of the venue has a size other than 1 (FIDELITY.md).
   */
  readonly binanceContractSizes?: Readonly<Record<string, DecimalInput>>;
}

export interface LedgerFilter {
  readonly venue?: VenueName;
  readonly apiKey?: string;
  readonly symbol?: string;
  readonly market?: Market;
}

interface VenueState {
  readonly module: VenueModule;
  readonly byMarket: Record<Market, readonly Instrument[]>;
  readonly index: Record<Market, Map<string, Instrument>>;
  readonly prices: Map<string, Decimal>;
  readonly accounts: Map<string, SimAccount>;
  readonly clientOrderIds: ClientOrderIdPolicy;
  /** Simulator clock at the venue's last restart fault; -Infinity when it never restarted. */
  restartedAt: number;
}

/**
 * All simulator state and every trading rule. Venue protocols translate to and from it; the
 * server and the control API drive it. Single-threaded by construction: every method runs to
 * completion inside one request.
 */
export class SimEngine implements EngineApi {
  readonly seed: number;
  readonly clock: SimClock;
  readonly catalogue: CatalogueSize;
  readonly slippage: Decimal;
  readonly rules: VenueRules;
  private readonly venueStates = new Map<VenueName, VenueState>();
  private random!: SeededRandom;
  private idCounter = 0;
  private skew = 0;
  private queryLagMs = 0;
  private ledger: LedgerOrder[] = [];
  private demo: SimAccount[] = [];
  private readonly orderListeners = new Set<(order: LedgerOrder) => void>();

  constructor(options: EngineOptions) {
    this.seed = options.seed ?? 42;
    this.clock = options.clock ?? systemClock;
    this.catalogue = options.catalogue ?? 'minimal';
    this.slippage = new Decimal(options.slippage ?? 0);
    this.rules = resolveVenueRules(options.rules);
    for (const module of options.venues) {
      const spot = buildCatalogue(module, 'spot', this.catalogue);
      const futures = withContractSizes(buildCatalogue(module, 'futures', this.catalogue), module.name === 'binance' ? options.binanceContractSizes : undefined);
      this.venueStates.set(module.name, {
        module,
        byMarket: { spot, futures },
        index: { spot: indexBySymbol(spot), futures: indexBySymbol(futures) },
        prices: new Map(),
        accounts: new Map(),
        clientOrderIds: module.clientOrderIds(this.rules),
        restartedAt: -Infinity,
      });
    }
    this.reset();
  }

  /** Back to the state right after construction: same seed, same ids, same demo accounts. */
  reset(): void {
    this.random = createSeededRandom(this.seed);
    this.idCounter = 8_000_000_000 + this.random.int(1_000_000_000);
    this.skew = 0;
    this.queryLagMs = 0;
    this.ledger = [];
    for (const state of this.venueStates.values()) {
      state.restartedAt = -Infinity;
      state.accounts.clear();
      state.prices.clear();
      const defaults = { ...DEFAULT_PRICES, ...state.module.defaultPrices };
      for (const instrument of [...state.byMarket.spot, ...state.byMarket.futures]) {
        if (state.prices.has(instrument.symbol)) continue;
        state.prices.set(instrument.symbol, new Decimal(defaults[templateBaseOf(instrument)] ?? '1'));
      }
    }
    this.demo = [...this.venueStates.keys()].map((venue) =>
      this.createAccount({ venue, balances: { USDT: '100000', BTC: '1', ETH: '10' }, futuresBalances: { USDT: '100000' } }),
    );
  }

  /** One demo account per venue, created at start and after every reset. */
  demoAccounts(): readonly SimAccount[] {
    return this.demo;
  }

  venues(): VenueName[] {
    return [...this.venueStates.keys()];
  }

  module(venue: VenueName): VenueModule {
    return this.state(venue).module;
  }

  now(): number {
    return this.clock.now() + this.skew;
  }

  clockSkew(): number {
    return this.skew;
  }

  setClockSkew(ms: number): void {
    this.skew = ms;
  }

  instruments(venue: VenueName, market: Market): readonly Instrument[] {
    return this.venueStates.get(venue)?.byMarket[market] ?? [];
  }

  instrument(venue: VenueName, market: Market, symbol: string): Instrument | undefined {
    return this.venueStates.get(venue)?.index[market].get(symbol);
  }

  markPrice(venue: VenueName, symbol: string): Decimal {
    const price = this.venueStates.get(venue)?.prices.get(symbol);
    if (!price) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    return price;
  }

  /** Sets the mark price on one venue, or on every venue that lists the symbol. */
  setPrice(symbol: string, price: DecimalInput, venue?: VenueName): void {
    const value = new Decimal(price);
    if (!value.isFinite() || value.lte(0)) throw new EngineError('INVALID_PARAMETER', `price must be a positive decimal`);
    const targets = venue ? [this.state(venue)] : [...this.venueStates.values()];
    const listing = targets.filter((state) => state.prices.has(symbol));
    if (listing.length === 0) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    for (const state of listing) state.prices.set(symbol, value);
  }

  prices(venue: VenueName): ReadonlyMap<string, Decimal> {
    return this.state(venue).prices;
  }

  account(venue: VenueName, apiKey: string): SimAccount | undefined {
    return this.venueStates.get(venue)?.accounts.get(apiKey);
  }

  accounts(venue?: VenueName): SimAccount[] {
    const states = venue ? [this.state(venue)] : [...this.venueStates.values()];
    return states.flatMap((state) => [...state.accounts.values()]);
  }

  createAccount(input: CreateAccountInput): SimAccount {
    const state = this.state(input.venue);
    const rules = state.module.accounts;
    const generated = rules.generateCredentials(this.random);
    const apiKey = input.apiKey ?? generated.apiKey;
    if (state.accounts.has(apiKey)) throw new EngineError('INVALID_PARAMETER', `apiKey already exists on ${input.venue}`);
    const passphrase = input.passphrase ?? generated.passphrase;
    const account = new SimAccount(
      input.venue,
      apiKey,
      input.secret ?? generated.secret,
      input.uid ?? String(100_000_000 + this.random.int(900_000_000)),
      input.positionMode ?? 'oneway',
      passphrase,
      rules.sharedWallet,
      state.clientOrderIds,
    );
    fund(account.spot, input.balances);
    fund(account.futures, input.futuresBalances);
    state.accounts.set(apiKey, account);
    return account;
  }

  balances(account: Account, wallet: Market | 'unified'): readonly Balance[] {
    const own = this.own(account);
    return walletBalances(wallet === 'futures' ? own.futures : own.spot);
  }

  positions(account: Account, symbol?: string): readonly Position[] {
    const out: Position[] = [];
    for (const position of this.own(account).positions.values()) {
      if (symbol !== undefined && position.symbol !== symbol) continue;
      const markPrice = this.markPrice(account.venue, position.symbol);
      out.push({
        symbol: position.symbol,
        side: position.side,
        size: position.signedSize.abs(),
        signedSize: position.signedSize,
        entryPrice: position.entryPrice,
        leverage: this.leverage(account, position.symbol, position.side),
        margin: position.margin,
        unrealisedPnl: markPrice.minus(position.entryPrice).times(position.signedSize),
        markPrice,
        realisedPnl: position.realisedPnl,
        fees: position.fees,
      });
    }
    return out;
  }

  legHistory(account: Account, symbol: string, side: PositionSide): LegHistory {
    const totals = this.own(account).legTotals.get(positionKey(symbol, side));
    return totals ? { realisedPnl: totals.realisedPnl, fees: totals.fees } : { realisedPnl: new Decimal(0), fees: new Decimal(0) };
  }

  leverage(account: Account, symbol: string, side: PositionSide): number {
    const set = this.own(account).leverages.get(positionKey(symbol, side));
    if (set !== undefined) return set;
    const maxLeverage = this.instrument(account.venue, 'futures', symbol)?.maxLeverage ?? DEFAULT_LEVERAGE;
    return Math.min(this.state(account.venue).module.defaultLeverage ?? DEFAULT_LEVERAGE, maxLeverage);
  }

  /** Without a side, sets every leg of the symbol (one-way `both`, hedge `long` and `short`). */
  setLeverage(account: Account, symbol: string, leverage: number, side?: PositionSide): void {
    const instrument = this.instrument(account.venue, 'futures', symbol);
    if (!instrument) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${symbol}`);
    if (!Number.isInteger(leverage) || leverage < 1) throw new EngineError('LEVERAGE_INVALID', `Leverage must be an integer of at least 1`);
    if (leverage > instrument.maxLeverage) {
      throw new EngineError('LEVERAGE_TOO_HIGH', `Leverage ${leverage} exceeds the maximum ${instrument.maxLeverage} for ${symbol}`);
    }
    const legs: readonly PositionSide[] = side ? [side] : ['both', 'long', 'short'];
    if (legs.every((leg) => this.leverage(account, symbol, leg) === leverage)) {
      throw new EngineError('LEVERAGE_NOT_MODIFIED', `Leverage of ${symbol} is already ${leverage}`);
    }
    const own = this.own(account);
    for (const leg of legs) own.leverages.set(positionKey(symbol, leg), leverage);
  }

  setPositionMode(account: Account, mode: PositionMode): void {
    if (account.positionMode === mode) throw new EngineError('POSITION_MODE_NOT_MODIFIED', `Position mode is already ${mode}`);
    if (this.own(account).positions.size > 0) throw new EngineError('POSITION_MODE_HAS_POSITIONS', 'Position mode cannot change while positions are open');
    account.positionMode = mode;
  }

  placeOrder(venueAccount: Account, request: PlaceOrderRequest): LedgerOrder {
    const account = this.own(venueAccount);
    const instrument = this.instrument(account.venue, request.market, request.symbol);
    if (!instrument) throw new EngineError('UNKNOWN_SYMBOL', `Unknown symbol ${request.symbol}`);
    const quantity = request.quantity;
    if (!quantity.isFinite() || quantity.lte(0)) throw new EngineError('INVALID_PARAMETER', 'Quantity must be a positive decimal');
    if (request.clientOrderId !== undefined) account.clientOrderIds.checkFree(request.market, request.clientOrderId);
    if (quantity.lt(instrument.minQty)) {
      throw new EngineError('QTY_BELOW_MIN', `Quantity ${quantity.toString()} is below the minimum ${instrument.minQty.toString()}`);
    }
    if (quantity.gt(instrument.maxQty)) {
      throw new EngineError('QTY_ABOVE_MAX', `Quantity ${quantity.toString()} is above the maximum ${instrument.maxQty.toString()}`);
    }
    if (!quantity.mod(instrument.stepSize).isZero()) {
      throw new EngineError('QTY_STEP', `Quantity ${quantity.toString()} is not a multiple of the step ${instrument.stepSize.toString()}`);
    }
    const price = this.fillPrice(instrument, request.side);
    const fill =
      request.market === 'spot'
        ? executeSpotOrder(account, instrument, request, price)
        : executeFuturesOrder(account, instrument, request, price, (leg) => this.leverage(account, request.symbol, leg), this.rules.reduceOnlyAbovePosition);
    const order: LedgerOrder = {
      orderId: this.nextId(),
      clientOrderId: request.clientOrderId ?? `xsim${this.random.chars(20, ALPHANUMERIC)}`,
      venue: account.venue,
      apiKey: account.apiKey,
      symbol: request.symbol,
      market: request.market,
      side: request.side,
      ...(fill.positionSide === undefined ? {} : { positionSide: fill.positionSide }),
      reduceOnly: request.reduceOnly === true,
      quantity: fill.quantity,
      price,
      cost: fill.quantity.times(price),
      fee: fill.fee,
      feeAsset: fill.feeAsset,
      realisedPnl: fill.realisedPnl,
      status: 'filled',
      time: this.now(),
    };
    account.orders.push(order);
    account.ordersById.set(order.orderId, order);
    account.clientOrderIds.add(order);
    this.ledger.push(order);
    for (const listener of this.orderListeners) listener(order);
    return order;
  }

  /**
   * The account event feed: `listener` hears every order the engine executes, on every venue and
   * account, right after it is in the ledger (the private streams read it). Returns the unsubscribe.
   */
  onOrder(listener: (order: LedgerOrder) => void): () => void {
    this.orderListeners.add(listener);
    return () => {
      this.orderListeners.delete(listener);
    };
  }

  findOrder(account: Account, query: OrderQuery): LedgerOrder {
    const own = this.own(account);
    let candidates: readonly LedgerOrder[];
    if (query.orderId !== undefined) {
      const byId = own.ordersById.get(query.orderId);
      candidates = byId ? [byId] : [];
    } else if (query.clientOrderId !== undefined) candidates = own.clientOrderIds.find(query.clientOrderId, query.market);
    else throw new EngineError('INVALID_PARAMETER', 'Either orderId or clientOrderId is required');
    const matching = candidates.filter(
      (order) =>
        (query.symbol === undefined || order.symbol === query.symbol) &&
        (query.market === undefined || order.market === query.market) &&
        (query.createdFrom === undefined || order.time >= query.createdFrom) &&
        this.visible(order),
    );
    const order = this.rules.sharedClientOrderIdLookup === 'oldest' ? matching[0] : matching[matching.length - 1];
    if (!order) throw new EngineError('ORDER_NOT_FOUND', 'Order does not exist');
    return order;
  }

  accountOrders(account: Account, market?: Market): readonly LedgerOrder[] {
    return this.own(account).orders.filter((order) => (market === undefined || order.market === market) && this.visible(order));
  }

  /** A restart of the venue: see the `restart` fault. Orders, balances and positions survive it. */
  restartVenue(venue: VenueName): void {
    this.state(venue).restartedAt = this.now();
  }

  restartedAt(venue: VenueName): number {
    return this.state(venue).restartedAt;
  }

  /** Orders placed within the last `ms` are invisible to order queries while `run` executes. */
  withQueryLag<T>(ms: number, run: () => T): T {
    const previous = this.queryLagMs;
    this.queryLagMs = ms;
    try {
      return run();
    } finally {
      this.queryLagMs = previous;
    }
  }

  /** Every executed order, oldest first. */
  orders(filter: LedgerFilter = {}): LedgerOrder[] {
    return this.ledger.filter(
      (order) =>
        (filter.venue === undefined || order.venue === filter.venue) &&
        (filter.apiKey === undefined || order.apiKey === filter.apiKey) &&
        (filter.symbol === undefined || order.symbol === filter.symbol) &&
        (filter.market === undefined || order.market === filter.market),
    );
  }

  /** How many orders have executed since the last reset; the server watches it for commit-then-fail. */
  orderCount(): number {
    return this.ledger.length;
  }

  nextId(): string {
    this.idCounter += 1 + this.random.int(8);
    return String(this.idCounter);
  }

  /** Draws from the engine's seeded source (venues use it for ids of their own shape). */
  randomChars(length: number, alphabet: string): string {
    return this.random.chars(length, alphabet);
  }

  /** False while a queryLag fault hides the order. */
  private visible(order: LedgerOrder): boolean {
    return !(this.queryLagMs > 0 && order.time > this.now() - this.queryLagMs);
  }

  private fillPrice(instrument: Instrument, side: 'buy' | 'sell'): Decimal {
    const mark = this.markPrice(instrument.venue, instrument.symbol);
    if (this.slippage.isZero()) return mark;
    const moved = side === 'buy' ? mark.times(this.slippage.plus(1)) : mark.times(new Decimal(1).minus(this.slippage));
    const ticks = moved.div(instrument.tickSize);
    return (side === 'buy' ? ticks.ceil() : ticks.floor()).times(instrument.tickSize);
  }

  /** The engine's own record of an account a venue hands back. */
  private own(account: Account): SimAccount {
    const found = account instanceof SimAccount ? account : this.account(account.venue, account.apiKey);
    if (!found) throw new EngineError('INVALID_PARAMETER', `Unknown account ${account.apiKey}`);
    return found;
  }

  private state(venue: VenueName): VenueState {
    const state = this.venueStates.get(venue);
    if (!state) throw new EngineError('INVALID_PARAMETER', `Unknown exchange ${venue}`);
    return state;
  }
}

/** The catalogue with the test instruments' contract sizes set; an unlisted symbol is refused, naming it. */
function withContractSizes(instruments: Instrument[], sizes: Readonly<Record<string, DecimalInput>> | undefined): Instrument[] {
  if (sizes === undefined) return instruments;
  for (const symbol of Object.keys(sizes)) {
    if (!instruments.some((instrument) => instrument.symbol === symbol)) throw new TypeError(`binanceContractSizes.${symbol}: no such USDⓈ-M perpetual in the catalogue`);
  }
  return instruments.map((instrument) => {
    const size = sizes[instrument.symbol];
    if (size === undefined) return instrument;
    const contractSize = new Decimal(size);
    if (!contractSize.gt(0)) throw new TypeError(`binanceContractSizes.${instrument.symbol} must be a positive number`);
    return { ...instrument, contractSize };
  });
}

function indexBySymbol(instruments: readonly Instrument[]): Map<string, Instrument> {
  return new Map(instruments.map((instrument) => [instrument.symbol, instrument]));
}

function fund(wallet: Map<string, { free: Decimal; locked: Decimal }>, balances: Readonly<Record<string, DecimalInput>> | undefined): void {
  if (!balances) return;
  for (const [asset, amount] of Object.entries(balances)) {
    const value = new Decimal(amount);
    if (!value.isFinite() || value.lt(0)) throw new EngineError('INVALID_PARAMETER', `Balance of ${asset} must be a non-negative decimal`);
    credit(wallet, asset, value);
  }
}

