import { createHash } from 'node:crypto';

import {
  AdapterClosedError,
  assertAccountStreamOptions,
  assertAsset,
  assertCallOptions,
  assertMarketType,
  assertPositionSide,
  Balance,
  Decimal,
  journalOwner,
  logEvent,
  noopLogger,
  OrderStatusUnknownError,
  parseSymbol,
  redact,
  redactUrls,
  Secret,
} from '@xport/core';
import type {
  AccountStream,
  AccountStreamOptions,
  AccountStreamPort,
  CallOptions,
  ExchangePort,
  LogFields,
  Logger,
  LogLevel,
  MarketOptions,
  OrderOptions,
  OrderResult,
  PositionMode,
  PositionSide,
  SymbolInfo,
} from '@xport/core';
import { systemClock } from '@xport/resilience';
import type { Clock } from '@xport/resilience';
import type { Exchange, MarketInterface as Market } from 'ccxt';
import { Agent as HttpAgent } from 'node:http';

import type { AccountStreamVenue, CcxtProExchange, StreamMarket } from './account-stream';
import { CcxtAccountStream } from './account-stream';
import type { CcxtAdapterOptions } from './adapter-options';
import { DEFAULT_LEASE_MS, DEFAULT_STREAM_SETTINGS, minimumLeaseMs, validateAdapterOptions, validateJournalOption } from './adapter-options';
import { contractSizeOf } from './contract-size';
import type { ExchangeFlavour } from './load-exchange-class';
import { loadExchangeClass } from './load-exchange-class';
import { operationAborted } from './operation-aborted';
import { DEFAULT_PLACEMENT } from './order-placement';
import { OrderSubmission } from './order-submission';
import type { AdapterJournal, OrderIntent } from './order-submission';
import { refuseUnreadableAnswers } from './refuse-unreadable-answers';
import { rewriteHosts } from './rewrite-hosts';
import { useConnectionPool } from './shared-connections';
import { DEFAULT_PRICE_MAX_AGE_MS } from './shared-reads';
import { findMarket, symbolInfoOf } from './symbol-rules';
import { openLeg } from './reduce-only-size';
import { checkedPositions, malformedAnswer, requireTradableMarkets, toBalances } from './to-domain';
import type { VenueProfile } from './venue-profile';
import { translateCcxtError } from './translate-error';
import { isOutage, VenueRequests } from './venue-requests';
import type { VenueRuntime } from './venue-runtime';
import { VenueRuntimeRegistry } from './venue-runtime';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * The ExchangePort over one ccxt exchange instance, for one account. Venue differences come from
 * the VenueProfile; what is the venue's rather than the account's (markets, breakers, the request
 * budget) is shared through a VenueRuntime.
 */
export class CcxtExchangeAdapter implements ExchangePort, AccountStreamPort {
  readonly exchange: string;
  readonly #profile: VenueProfile;
  readonly #apiKey: Secret;
  readonly #apiSecret: Secret;
  readonly #passphrase: Secret | undefined;
  /** The base URL as given (a proxy's `user:password@` included), used only to rewrite ccxt's hosts. */
  readonly #baseUrl: Secret | undefined;
  /** A proxy's user name and password from the base URL, scrubbed from upstream messages like the keys. */
  readonly #urlCredentials: readonly string[];
  readonly #options: CcxtAdapterOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #runtime: VenueRuntime;
  readonly #journal: AdapterJournal | undefined;
  /** Every request to the venue: budgets, error translation, rate-limit refusals, retries and breakers. */
  readonly #requests: VenueRequests;
  /** The order path: checks, journal, leverage, placement exactly once, result. */
  readonly #submission: OrderSubmission;
  #ccxt: Exchange | undefined;
  #initializing: Promise<void> | undefined;
  #positionMode: PositionMode | undefined;
  #closed = false;
  /** Open account streams, closed with the adapter. */
  readonly #streams = new Set<CcxtAccountStream>();

  constructor(profile: VenueProfile, options: CcxtAdapterOptions) {
    validateAdapterOptions(options, profile.id, profile.requiresPassphrase);
    this.exchange = profile.id;
    this.#profile = profile;
    this.#apiKey = new Secret(options.apiKey);
    this.#apiSecret = new Secret(options.apiSecret);
    this.#passphrase = options.passphrase === undefined ? undefined : new Secret(options.passphrase);
    this.#baseUrl = options.baseUrl === undefined ? undefined : new Secret(options.baseUrl);
    this.#urlCredentials = userinfoOf(options.baseUrl);
    // Keep the options without credentials: they are held only as Secrets, and the base URL is
    // shown without a proxy's userinfo.
    const shownBaseUrl = options.baseUrl === undefined ? undefined : redactUrls(options.baseUrl);
    // The journal is held apart: its store is a live object (a database handle) and only its account is shown.
    this.#options = { ...options, apiKey: '', apiSecret: '', passphrase: undefined, baseUrl: shownBaseUrl, journal: undefined };
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
    this.#positionMode = options.positionMode;
    const placement = { ...DEFAULT_PLACEMENT, visibilityMs: profile.orderVisibilityMs, ...definedOnly(options.placement) };
    validateJournalOption(options.journal, profile.id, minimumLeaseMs(options.timeoutMs ?? 10_000, placement.visibilityMs));
    this.#journal =
      options.journal === undefined
        ? undefined
        : {
            store: options.journal.store,
            account: options.journal.account,
            owner: options.journal.owner ?? journalOwner(`xport-${profile.id}`),
            leaseMs: options.journal.leaseMs ?? DEFAULT_LEASE_MS,
          };
    // A proxy's credentials do not make another venue environment.
    const environment = shownBaseUrl ?? (options.testnet === true ? 'testnet' : 'live');
    this.#runtime = (options.registry ?? VenueRuntimeRegistry.process).runtime(profile, environment, {
      clock: this.#clock,
      logger: this.#logger,
      marketsTtlMs: options.marketsTtlMs ?? 3_600_000,
      budgets: options.requestBudgets,
      venueState: options.venueState,
      localAddress: options.localAddress,
      accountBudgets: options.accountBudgets,
      // An order whose fate stayed unknown is an outage too: the venue could not answer.
      breaker: { isFailure: (error) => isOutage(error) || OrderStatusUnknownError.isInstance(error), ...options.breaker },
    });
    this.#runtime.events.add(options.onVenueEvent);
    const log = (level: LogLevel, event: string, fields: LogFields): void => { this.#log(level, event, fields); };
    this.#requests = new VenueRequests({
      profile,
      runtime: this.#runtime,
      account: options.accountId ?? accountLabel(options.apiKey),
      clock: this.#clock,
      retry: options.retry,
      secrets: [this.#apiKey, this.#apiSecret, this.#passphrase, ...this.#urlCredentials],
      log,
    });
    this.#submission = new OrderSubmission({
      profile,
      runtime: this.#runtime,
      requests: this.#requests,
      clock: this.#clock,
      placement,
      priceMaxAgeMs: options.priceMaxAgeMs ?? DEFAULT_PRICE_MAX_AGE_MS,
      journal: this.#journal,
      log,
      ready: (operation, signal) => this.#ready(operation, signal),
      positionMode: () => this.#positionMode,
    });
  }

  /** The venue-wide state this adapter shares (breakers, budget, markets); for tests and metrics. */
  get runtime(): VenueRuntime {
    return this.#runtime;
  }

  get positionMode(): PositionMode | undefined {
    return this.#positionMode;
  }

  async initialize(options?: CallOptions): Promise<void> {
    this.#assertOpen('initialize');
    assertCallOptions(options);
    this.#assertNotAborted('initialize', options?.signal);
    this.#initializing ??= this.#initialize(options?.signal).catch((error: unknown) => {
      this.#initializing = undefined;
      throw error;
    });
    await this.#initializing;
    // close() while the load was under way: the adapter stays closed.
    this.#assertOpen('initialize');
  }

  /** Idempotent; afterwards every method throws AdapterClosedError and sends nothing. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#initializing = undefined;
    this.#ccxt = undefined;
    await Promise.all([...this.#streams].map((stream) => stream.close()));
  }

  /**
   * The account's fills and order updates on `options.markets`, over ccxt's `pro` WebSocket class
   * (loaded on the first stream, so adapters that never stream never load it). Reconnects with
   * backoff on the adapter's clock; after every (re)connect the fills since the last one seen are
   * read over REST (`fetchMyTrades`) and merged, de-duplicated by trade id. Closed with the adapter.
   */
  accountStream(options: AccountStreamOptions): AccountStream {
    const operation = 'accountStream';
    this.#assertOpen(operation);
    const watched = assertAccountStreamOptions(options);
    const settings = { ...DEFAULT_STREAM_SETTINGS, ...definedOnly(this.#options.stream) };
    const venue: AccountStreamVenue = {
      exchange: this.exchange,
      clock: this.#clock,
      backoff: { baseDelayMs: settings.baseDelayMs, maxDelayMs: settings.maxDelayMs, factor: 2, jitter: 'full' },
      random: Math.random,
      pageLimit: settings.pageLimit,
      settleMs: settings.settleMs,
      reconcileMs: settings.reconcileMs,
      open: async (markets, signal) => {
        await this.#ready(operation, signal);
        const built = await this.#build('pro');
        this.#profile.prepareStream?.(built);
        await this.#shareMarkets(built, signal);
        // ccxt's pro subclass: every REST member of Exchange, and the watch methods.
        const exchange = built as unknown as CcxtProExchange;
        const streamMarkets = markets.map((watchedMarket): StreamMarket => {
          const market = findMarket(built, watchedMarket.symbol, watchedMarket.market, operation, this.exchange);
          return {
            ...watchedMarket,
            ccxtSymbol: market.symbol,
            context: { exchange: this.exchange, symbol: watchedMarket.symbol, market: watchedMarket.market, contractSize: contractSizeOf(market, this.exchange), facts: this.#profile.accountEventFacts },
          };
        });
        return { exchange, markets: streamMarkets };
      },
      readTrades: (exchange, market, page, signal) =>
        this.#requests.read({ operation: 'fetchMyTrades', market: market.market, portOperation: operation, exchange, signal }, () => exchange.fetchMyTrades(page.symbol, page.since, page.limit)),
      translate: (error, failed) => translateCcxtError(error, { exchange: this.exchange, operation: failed, secrets: [this.#apiKey, this.#apiSecret, this.#passphrase, ...this.#urlCredentials], classifyCode: (code, message) => this.#profile.classifyCode(code, message) }),
      log: (level, event, fields) => { this.#log(level, event, fields); },
      onEnd: (stream) => { this.#streams.delete(stream); },
    };
    const stream = new CcxtAccountStream(venue, watched, { since: options.since ?? this.#clock.now(), dedupeWindow: options.dedupeWindow, signal: options.signal });
    this.#streams.add(stream);
    return stream;
  }

  executeSpotBuy(symbol: string, quantity: Decimal, options?: OrderOptions): Promise<OrderResult> {
    return this.#order({ operation: 'executeSpotBuy', symbol, market: 'spot', side: 'buy', positionSide: undefined, reduceOnly: false, quantity, leverage: undefined, options });
  }

  executeSpotSell(symbol: string, quantity: Decimal, options?: OrderOptions): Promise<OrderResult> {
    return this.#order({ operation: 'executeSpotSell', symbol, market: 'spot', side: 'sell', positionSide: undefined, reduceOnly: false, quantity, leverage: undefined, options });
  }

  executeFuturesLong(symbol: string, quantity: Decimal, leverage: number, options?: OrderOptions): Promise<OrderResult> {
    return this.#order({ operation: 'executeFuturesLong', symbol, market: 'futures', side: 'buy', positionSide: 'long', reduceOnly: false, quantity, leverage, options });
  }

  executeFuturesShort(symbol: string, quantity: Decimal, leverage: number, options?: OrderOptions): Promise<OrderResult> {
    return this.#order({ operation: 'executeFuturesShort', symbol, market: 'futures', side: 'sell', positionSide: 'short', reduceOnly: false, quantity, leverage, options });
  }

  closeFuturesPosition(symbol: string, positionSide: PositionSide, options?: OrderOptions): Promise<OrderResult> {
    return this.#order({
      operation: 'closeFuturesPosition',
      symbol,
      market: 'futures',
      side: positionSide === 'long' ? 'sell' : 'buy',
      positionSide,
      reduceOnly: true,
      quantity: undefined,
      leverage: undefined,
      options,
    });
  }

  reduceFuturesPosition(symbol: string, positionSide: PositionSide, quantity: Decimal, options?: OrderOptions): Promise<OrderResult> {
    return this.#order({
      operation: 'reduceFuturesPosition',
      symbol,
      market: 'futures',
      side: positionSide === 'long' ? 'sell' : 'buy',
      positionSide,
      reduceOnly: true,
      quantity,
      leverage: undefined,
      options,
    });
  }

  async getFuturesPosition(symbol: string, positionSide: PositionSide, options?: CallOptions): Promise<Decimal> {
    const operation = 'getFuturesPosition';
    this.#assertOpen(operation);
    const parsed = parseSymbol(symbol);
    assertPositionSide(positionSide);
    assertCallOptions(options);
    const signal = options?.signal;
    this.#assertNotAborted(operation, signal);
    const exchange = await this.#ready(operation, signal);
    const market = findMarket(exchange, parsed.unified, 'futures', operation, this.exchange);
    // The same read, check and leg as a close's (reduce-only-size.ts), so the two never disagree on a leg.
    const positions = await this.#requests.read({ operation: 'fetchPositions', market: 'futures', portOperation: operation, exchange, signal }, async () =>
      checkedPositions(await exchange.fetchPositions([market.symbol]), this.exchange),
    );
    return openLeg(positions, market, positionSide, this.exchange) ?? new Decimal(0);
  }

  getBalances(options?: MarketOptions): Promise<readonly Balance[]> {
    return this.#balances('getBalances', options);
  }

  async getBalance(asset: string, options?: MarketOptions): Promise<Balance> {
    this.#assertOpen('getBalance');
    assertAsset(asset);
    const code = asset.trim().toUpperCase();
    const market = options?.market ?? 'spot';
    // A zero balance only when the venue's whole, readable answer lists nothing for the asset.
    return (await this.#balances('getBalance', options)).find((balance) => balance.asset === code) ?? Balance.zero(code, market);
  }

  async getSymbolInfo(symbol: string, options?: MarketOptions): Promise<SymbolInfo> {
    const operation = 'getSymbolInfo';
    this.#assertOpen(operation);
    const parsed = parseSymbol(symbol);
    assertCallOptions(options);
    const market = options?.market ?? 'spot';
    assertMarketType(market, 'options.market');
    this.#assertNotAborted(operation, options?.signal);
    const exchange = await this.#ready(operation, options?.signal);
    return symbolInfoOf(exchange, findMarket(exchange, parsed.unified, market, operation, this.exchange), market, this.#runtime, this.#profile);
  }

  toJSON(): Record<string, unknown> {
    const journal = this.#journal === undefined ? {} : { journal: { account: this.#journal.account } };
    return { exchange: this.exchange, positionMode: this.#positionMode, closed: this.#closed, options: { ...(redact(this.#options) as Record<string, unknown>), ...journal } };
  }

  [inspectCustom](): string {
    return `CcxtExchangeAdapter ${JSON.stringify(this.toJSON())}`;
  }

  // ---------------------------------------------------------------------------------------------

  async #initialize(signal: AbortSignal | undefined): Promise<void> {
    const exchange = await this.#build('rest');
    await this.#shareMarkets(exchange, signal);
    if (this.#closed) return;
    this.#ccxt = exchange;
    if (this.#positionMode === undefined) {
      const markets = exchange.markets as Record<string, Market | undefined>;
      // The USDT-settled perpetuals xport trades; a venue's USDC perpetuals can have their own mode.
      const probe = exchange.symbols.find((symbol) => {
        const candidate = markets[symbol];
        return candidate?.swap === true && candidate.linear === true && candidate.settle === 'USDT';
      });
      if (probe !== undefined) {
        this.#positionMode = await this.#requests.read({ operation: 'fetchPositionMode', market: 'futures', portOperation: 'initialize', exchange, signal }, () =>
          this.#profile.fetchPositionMode(exchange, probe),
        );
      }
    }
    this.#log('info', 'exchange.initialized', { positionMode: this.#positionMode, markets: exchange.symbols.length });
  }

  /**
   * A ccxt instance for this account: REST (`rest`) or ccxt's WebSocket subclass (`pro`, loaded only
   * when a stream opens), with the keys, the testnet switch and every host, WebSocket ones included,
   * pointed at the base URL.
   */
  async #build(flavour: ExchangeFlavour): Promise<Exchange> {
    // The class is ccxt's own; its public type is the narrow CcxtExchange so our .d.ts need not import ccxt.
    const exchangeClass = (await loadExchangeClass(this.#profile.id, flavour)).exchangeClass as unknown as new (config: Record<string, unknown>) => Exchange;
    const config = this.#profile.ccxtConfig();
    const exchange = new exchangeClass({
      apiKey: this.#apiKey.reveal(),
      secret: this.#apiSecret.reveal(),
      ...(this.#passphrase === undefined ? {} : { password: this.#passphrase.reveal() }),
      // One budget per venue, shared by every instance, replaces ccxt's per-instance throttle.
      enableRateLimit: false,
      timeout: this.#options.timeoutMs ?? 10_000,
      ...config,
      // A stream reconnects with xport's backoff on the adapter's clock, so ccxt dials at once.
      ...(flavour === 'pro' ? { options: { ...(config.options as Record<string, unknown> | undefined), ws: { backoff: { base: 0 } } } } : {}),
    });
    refuseUnreadableAnswers(exchange);
    if (this.#options.testnet === true) this.#profile.useTestnet(exchange);
    if (this.#baseUrl !== undefined) {
      const urls = exchange.urls as { api: unknown };
      urls.api = rewriteHosts(urls.api, this.#baseUrl.reveal());
    }
    await useConnectionPool(exchange, this.#runtime, { shared: this.#options.sharedConnections !== false, localAddress: this.#options.localAddress });
    if (flavour === 'pro') {
      // ccxt dials a plain `ws://` endpoint (a base URL on http://) only through an HTTP agent it is
      // given; this one also binds the socket to the adapter's local address.
      const localAddress = this.#options.localAddress;
      (exchange as unknown as { httpAgent: unknown }).httpAgent = new HttpAgent(localAddress === undefined ? {} : { localAddress });
    }
    return exchange;
  }

  /** Loads the venue's markets onto `exchange`, or adopts those another instance loaded. */
  async #shareMarkets(exchange: Exchange, signal: AbortSignal | undefined): Promise<void> {
    await this.#runtime.shareMarkets(exchange, async () => {
      // The market list is no one market's: its load goes through no breaker.
      await this.#requests.read({ operation: 'loadMarkets', market: 'spot', portOperation: 'initialize', exchange, signal, breaker: false }, async () => {
        await exchange.loadMarkets(true);
        requireTradableMarkets(exchange.markets, this.exchange);
      });
      const fetchMaxLeverage = this.#profile.fetchMaxLeverage;
      if (fetchMaxLeverage === undefined) return {};
      return this.#requests.read({ operation: 'loadMarkets', market: 'futures', portOperation: 'initialize', exchange, signal }, async () => {
        const maxLeverage = await fetchMaxLeverage(exchange);
        if (Object.keys(maxLeverage).length === 0) throw malformedAnswer(this.exchange, 'no maximum leverage for any perpetual');
        return maxLeverage;
      });
    });
  }

  #assertOpen(operation: string): void {
    if (this.#closed) {
      throw new AdapterClosedError(`${this.exchange} ${operation}: the adapter is closed; create a new one`, { exchange: this.exchange, operation });
    }
  }

  #assertNotAborted(operation: string, signal: AbortSignal | undefined): void {
    if (signal?.aborted === true) throw operationAborted(this.exchange, operation, signal, 'before sending');
  }

  async #ready(operation: string, signal: AbortSignal | undefined): Promise<Exchange> {
    await this.initialize(signal === undefined ? undefined : { signal });
    this.#assertOpen(operation);
    if (this.#ccxt === undefined) throw new AdapterClosedError(`${this.exchange} ${operation}: the adapter is closed; create a new one`, { exchange: this.exchange, operation });
    return this.#ccxt;
  }

  async #balances(operation: string, options: MarketOptions | undefined): Promise<readonly Balance[]> {
    this.#assertOpen(operation);
    assertCallOptions(options);
    const market = options?.market ?? 'spot';
    assertMarketType(market, 'options.market');
    const signal = options?.signal;
    this.#assertNotAborted(operation, signal);
    const exchange = await this.#ready(operation, signal);
    // Read and checked in one step, so an unreadable answer is retried and counted like a 5xx.
    return this.#requests.read({ operation: 'fetchBalance', market, portOperation: operation, exchange, signal }, async () =>
      toBalances(await exchange.fetchBalance(this.#profile.balanceParams(market)), market, this.exchange),
    );
  }

  async #order(intent: OrderIntent): Promise<OrderResult> {
    this.#assertOpen(intent.operation);
    return this.#submission.submit(intent);
  }

  #log(level: LogLevel, event: string, fields: LogFields): void {
    logEvent(this.#logger, level, event, { exchange: this.exchange, ...fields });
    const listener = this.#options.onEvent;
    if (listener !== undefined) {
      listener({ name: event, exchange: this.exchange, time: this.#clock.now(), fields: redact(fields) as Readonly<Record<string, unknown>> });
    }
  }
}

/** The account's label in shared budgets when none is given: a hash of the API key, which says nothing of it. */
function accountLabel(apiKey: string): string {
  return `key-${createHash('sha256').update(apiKey).digest('hex').slice(0, 20)}`;
}

/** The user name and password of a base URL's userinfo (a proxy's), decoded as a client would send them. */
function userinfoOf(baseUrl: string | undefined): string[] {
  if (baseUrl === undefined || !URL.canParse(baseUrl)) return [];
  const { username, password } = new URL(baseUrl);
  return [username, password].filter((part) => part !== '').flatMap((part) => [part, decodeURIComponent(part)]);
}

/** Options objects from untyped callers can hold explicit undefineds, which must not hide a default. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return value === undefined ? {} : (Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as Partial<T>);
}
