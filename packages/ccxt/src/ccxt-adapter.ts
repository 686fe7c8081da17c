import {
  AdapterClosedError,
  Decimal,
  assertAsset,
  assertCallOptions,
  assertLeverage,
  assertMarketType,
  assertPositionSide,
  assertQuantity,
  Balance,
  ExchangeError,
  IdempotencyConflictError,
  idempotencyConflict,
  InvalidOrderError,
  journalOrderRequest,
  journalOwner,
  JournalOwnershipError,
  JournalUnavailableError,
  logEvent,
  NetworkError,
  noopLogger,
  OperationAbortedError,
  OrderResult,
  OrderStatusUnknownError,
  parseSymbol,
  PositionNotFoundError,
  RateLimitError,
  redact,
  redactUrls,
  Secret,
  SymbolNotFoundError,
} from '@xport/core';
import type {
  CallOptions,
  ExchangePort,
  LogFields,
  Logger,
  LogLevel,
  MarketOptions,
  JournalKey,
  JournalOrderCall,
  JournalOrderRequest,
  JournalOutcome,
  MarketType,
  OrderJournal,
  OrderOperation,
  OrderOptions,
  OrderSide,
  PositionMode,
  PositionSide,
  SymbolInfo,
} from '@xport/core';
import { compose, RetryPolicy, systemClock } from '@xport/resilience';
import type { Clock } from '@xport/resilience';
import type { Exchange, MarketInterface as Market, Order } from 'ccxt';

import { acceptedButNotVisible, isAcceptedButNotVisible } from './accepted-not-visible';
import type { CcxtAdapterOptions } from './adapter-options';
import { DEFAULT_LEASE_MS, minimumLeaseMs, validateAdapterOptions, validateJournalOption } from './adapter-options';
import { resolveClientOrderId } from './client-order-id';
import { loadExchangeClass } from './load-exchange-class';
import { bindLocalAddress } from './local-address';
import { operationAborted } from './operation-aborted';
import { foundOrderMismatches, reportedOrder } from './intent-check';
import type { ExpectedOrder } from './intent-check';
import { DEFAULT_PLACEMENT, placeExactlyOnce, reconcile } from './order-placement';
import { accountBudgetOf, readRateLimitRefusal } from './rate-limit-refusal';
import type { VenueAnswer } from './rate-limit-refusal';
import type { AttemptVerdict, PlacementSettings } from './order-placement';
import { refuseUnreadableAnswers } from './refuse-unreadable-answers';
import { rewriteHosts } from './rewrite-hosts';
import { checkedPositions, decimalFrom, malformedAnswer, requireTradableMarkets, toBalances, toOrderResult, toSymbolInfo } from './to-domain';
import { ccxtErrorNames, translateCcxtError, venueCodeOf } from './translate-error';
import type { VenueOperation, VenueProfile } from './venue-profile';
import type { VenueRuntime } from './venue-runtime';
import { VenueRuntimeRegistry } from './venue-runtime';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

interface OrderIntent {
  readonly operation: OrderOperation;
  readonly symbol: string;
  readonly market: MarketType;
  readonly side: OrderSide;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  /** Undefined for a close: the open leg's size, read just before sending. */
  readonly quantity: Decimal | undefined;
  readonly leverage: number | undefined;
  readonly options: OrderOptions | undefined;
}

interface AdapterJournal {
  readonly store: OrderJournal;
  readonly account: string;
  readonly owner: string;
  readonly leaseMs: number;
}

/** Whether an earlier attempt under the client order id may be on the venue and no lookup has yet said it is not. */
interface Doubt {
  open: boolean;
}

/**
 * The ExchangePort over one ccxt exchange instance, for one account. Venue differences come from
 * the VenueProfile; what is the venue's rather than the account's (markets, breakers, the request
 * budget) is shared through a VenueRuntime.
 */
export class CcxtExchangeAdapter implements ExchangePort {
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
  readonly #retry: RetryPolicy;
  readonly #placement: PlacementSettings;
  readonly #leverage = new Map<string, number>();
  readonly #accountBudget = new Map<VenueOperation, { remaining: number; resetAt: number }>();
  readonly #journal: AdapterJournal | undefined;
  #ccxt: Exchange | undefined;
  #initializing: Promise<void> | undefined;
  #positionMode: PositionMode | undefined;
  #closed = false;

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
    this.#placement = { ...DEFAULT_PLACEMENT, visibilityMs: profile.orderVisibilityMs, ...definedOnly(options.placement) };
    validateJournalOption(options.journal, profile.id, minimumLeaseMs(options.timeoutMs ?? 10_000, this.#placement.visibilityMs));
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
      // An order whose fate stayed unknown is an outage too: the venue could not answer.
      breaker: { isFailure: (error) => isOutage(error) || OrderStatusUnknownError.isInstance(error), ...options.breaker },
    });
    this.#retry = new RetryPolicy({
      ...options.retry,
      name: `${profile.id}.read`,
      clock: this.#clock,
      isRetryable: (error) => isOutage(error),
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
  close(): Promise<void> {
    this.#closed = true;
    this.#initializing = undefined;
    this.#ccxt = undefined;
    return Promise.resolve();
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
    const found = this.#market(exchange, parsed.unified, market, operation);
    return this.#symbolInfo(found, market);
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
    // The class is ccxt's own; its public type is the narrow CcxtExchange so our .d.ts need not import ccxt.
    const exchangeClass = (await loadExchangeClass(this.#profile.id)).exchangeClass as unknown as new (config: Record<string, unknown>) => Exchange;
    const exchange = new exchangeClass({
      apiKey: this.#apiKey.reveal(),
      secret: this.#apiSecret.reveal(),
      ...(this.#passphrase === undefined ? {} : { password: this.#passphrase.reveal() }),
      // One budget per venue, shared by every instance, replaces ccxt's per-instance throttle.
      enableRateLimit: false,
      timeout: this.#options.timeoutMs ?? 10_000,
      ...this.#profile.ccxtConfig(),
    });
    refuseUnreadableAnswers(exchange);
    if (this.#options.localAddress !== undefined) await bindLocalAddress(exchange, this.#options.localAddress);
    if (this.#options.testnet === true) this.#profile.useTestnet(exchange);
    if (this.#baseUrl !== undefined) {
      const urls = exchange.urls as { api: unknown };
      urls.api = rewriteHosts(urls.api, this.#baseUrl.reveal());
    }
    await this.#runtime.shareMarkets(exchange, async () => {
      await this.#read(
        'loadMarkets',
        undefined,
        'initialize',
        async () => {
          await exchange.loadMarkets(true);
          requireTradableMarkets(exchange.markets, this.exchange);
        },
        signal,
        exchange,
      );
      const fetchMaxLeverage = this.#profile.fetchMaxLeverage;
      if (fetchMaxLeverage === undefined) return {};
      return this.#read(
        'loadMarkets',
        'futures',
        'initialize',
        async () => {
          const maxLeverage = await fetchMaxLeverage(exchange);
          if (Object.keys(maxLeverage).length === 0) throw malformedAnswer(this.exchange, 'no maximum leverage for any perpetual');
          return maxLeverage;
        },
        signal,
        exchange,
      );
    });
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
        this.#positionMode = await this.#read('fetchPositionMode', 'futures', 'initialize', () => this.#profile.fetchPositionMode(exchange, probe), signal);
      }
    }
    this.#log('info', 'exchange.initialized', { positionMode: this.#positionMode, markets: exchange.symbols.length });
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
    return this.#read('fetchBalance', market, operation, async () => toBalances(await exchange.fetchBalance(this.#profile.balanceParams(market)), market, this.exchange), signal);
  }

  #market(exchange: Exchange, unified: string, market: MarketType, operation: string): Market {
    const [base, quote] = unified.split('/') as [string, string];
    const ccxtSymbol = market === 'spot' ? unified : `${unified}:${quote}`;
    const found = (exchange.markets as Record<string, Market | undefined> | undefined)?.[ccxtSymbol];
    if (found === undefined || (market === 'futures' && found.swap !== true)) {
      throw new SymbolNotFoundError(`${this.exchange} lists no ${market} market ${base}/${quote}`, { exchange: this.exchange, operation, symbol: unified });
    }
    return found;
  }

  #symbolInfo(market: Market, marketType: MarketType): SymbolInfo {
    return toSymbolInfo(market, this.exchange, marketType, this.#runtime.maxLeverage(market.symbol), this.#profile.maxMarketOrderQuantity?.(market));
  }

  async #order(intent: OrderIntent): Promise<OrderResult> {
    this.#assertOpen(intent.operation);
    // Everything a caller can get wrong is refused here, before any request (and before the journal).
    const parsed = parseSymbol(intent.symbol);
    if (intent.quantity !== undefined) assertQuantity(intent.quantity);
    if (intent.reduceOnly && intent.positionSide !== undefined) assertPositionSide(intent.positionSide);
    // Opening a futures position takes a leverage; untyped callers can leave it out.
    if (intent.market === 'futures' && !intent.reduceOnly) assertLeverage(intent.leverage);
    assertCallOptions(intent.options);
    const clientOrderId = resolveClientOrderId(intent.options, this.#profile.clientOrderId, this.exchange);
    this.#assertNotAborted(intent.operation, intent.options?.signal);
    const request = journalOrderRequest(journalCallOf(intent));
    const journal = this.#journal;
    if (journal === undefined) return this.#place(intent, parsed.unified, clientOrderId, request, { open: false }, undefined);
    const key: JournalKey = { exchange: this.exchange, account: journal.account, clientOrderId };
    // Claimed (and committed by the store) before anything is sent, markets included: a journal hit
    // costs no request at all.
    const begun = await this.#begin(journal, key, request, intent.operation);
    const fields = { operation: intent.operation, symbol: parsed.unified, clientOrderId, account: journal.account };
    switch (begun.kind) {
      case 'placed':
        this.#log('info', 'exchange.journal.hit', { ...fields, orderId: begun.entry.outcome.order.orderId });
        return OrderResult.fromJSON(begun.entry.outcome.order).withOrigin('journal');
      case 'conflict':
        throw idempotencyConflict({ key, requested: request, existing: begun.entry.request, operation: intent.operation });
      case 'busy':
        this.#log('warn', 'exchange.journal.busy', { ...fields, holder: begun.entry.owner, leaseExpiresAt: begun.entry.leaseExpiresAt });
        throw new OrderStatusUnknownError(
          `${this.exchange} ${intent.operation}: the order with client order id ${clientOrderId} (account ${journal.account}) is being placed by another process, ` +
            `which holds it in the order journal until ${new Date(begun.entry.leaseExpiresAt).toISOString()}; nothing was sent. Call again after that: the order is then looked up before anything is sent`,
          { exchange: this.exchange, operation: intent.operation, clientOrderId, symbol: parsed.unified },
        );
      case 'claimed':
        break;
    }
    // An entry an earlier process left pending or unknown may be on the venue: it is looked up first.
    const previous = begun.previous?.state;
    const doubt: Doubt = { open: previous === 'pending' || previous === 'unknown' };
    // The claim is renewed between the steps of a long placement (reconciliation, resubmits), so
    // the lease has to outlast one step only, not the whole placement.
    let claimedAt = this.#clock.now();
    const renew = async (): Promise<void> => {
      if (this.#clock.now() - claimedAt < journal.leaseMs / 3) return;
      let again: Awaited<ReturnType<OrderJournal['begin']>> | undefined;
      let failure: unknown;
      try {
        again = await journal.store.begin({ key, request }, { owner: journal.owner, leaseMs: journal.leaseMs });
      } catch (error) {
        failure = error;
      }
      if (again?.kind === 'claimed') {
        claimedAt = this.#clock.now();
        this.#log('info', 'exchange.journal.renewed', { ...fields, leaseExpiresAt: again.entry.leaseExpiresAt });
        return;
      }
      this.#log('error', 'exchange.journal.claim_lost', { ...fields, kind: again?.kind, error: failure });
      throw new OrderStatusUnknownError(
        `${this.exchange} ${intent.operation}: the order journal claim on client order id ${clientOrderId} (account ${journal.account}) could not be renewed ` +
          `(${again === undefined ? 'the journal failed' : `the entry is ${again.kind}`}); nothing more is sent. An attempt may have reached the venue: the next claim of the key looks it up first`,
        { exchange: this.exchange, operation: intent.operation, clientOrderId, symbol: parsed.unified, cause: failure },
      );
    };
    let result: OrderResult;
    try {
      result = await this.#place(intent, parsed.unified, clientOrderId, request, doubt, renew);
    } catch (error) {
      await this.#settle(journal, key, failureOutcome(error, doubt), fields);
      throw error;
    }
    await this.#settle(journal, key, { state: 'placed', order: result.toJSON() }, fields);
    return result;
  }

  /** `begin`, with a store's own failure (a database down) turned into JournalUnavailableError: nothing was sent. */
  async #begin(journal: AdapterJournal, key: JournalKey, request: JournalOrderRequest, operation: string): ReturnType<OrderJournal['begin']> {
    try {
      return await journal.store.begin({ key, request }, { owner: journal.owner, leaseMs: journal.leaseMs });
    } catch (error) {
      if (IdempotencyConflictError.isInstance(error) || InvalidOrderError.isInstance(error) || JournalOwnershipError.isInstance(error)) throw error;
      throw new JournalUnavailableError(
        `${this.exchange} ${operation}: the order journal could not claim client order id ${key.clientOrderId} (account ${key.account}); nothing was sent: ${error instanceof Error ? error.message : String(error)}`,
        { exchange: this.exchange, operation, cause: error },
      );
    }
  }

  /**
   * Records the outcome. The caller gets the venue's truth whatever happens here: a failure is
   * logged and leaves the entry pending, which the next claim of the key resolves by a lookup.
   */
  async #settle(journal: AdapterJournal, key: JournalKey, outcome: JournalOutcome, fields: LogFields): Promise<void> {
    try {
      await journal.store.settle(key, outcome, { owner: journal.owner });
    } catch (error) {
      this.#log('error', 'exchange.journal.settle_failed', { ...fields, state: outcome.state, error });
    }
  }

  async #place(
    intent: OrderIntent,
    unified: string,
    clientOrderId: string,
    request: JournalOrderRequest,
    doubt: Doubt,
    renew: (() => Promise<void>) | undefined,
  ): Promise<OrderResult> {
    const signal = intent.options?.signal;
    const exchange = await this.#ready(intent.operation, signal);
    const market = this.#market(exchange, unified, intent.market, intent.operation);
    const info = this.#symbolInfo(market, intent.market);
    const priceKey = `${intent.market}:${market.symbol}`;
    const rounded = intent.quantity === undefined ? undefined : info.prepareQuantity(intent.quantity, this.#runtime.lastPrice(priceKey));
    if (rounded?.lte(0) === true) {
      throw new InvalidOrderError(`${this.exchange}: quantity ${intent.quantity?.toFixed() ?? ''} rounds to zero`, { exchange: this.exchange, field: 'quantity' });
    }
    if (intent.leverage !== undefined) info.checkLeverage(intent.leverage);
    const key: JournalKey = { exchange: this.exchange, account: this.#journal?.account ?? '(no journal)', clientOrderId };
    // What an order found under the id must be. Quantity is compared where the venue reports it in
    // the base asset it was sent in: not a spot market buy sized in quote (Bitget), not a close
    // (its size is read from the position just before sending).
    const quoteSized = intent.market === 'spot' && intent.side === 'buy' && this.#profile.prepareOrder !== undefined;
    const expected: ExpectedOrder = { ccxtSymbol: market.symbol, side: intent.side, reduceOnly: intent.reduceOnly, quantity: quoteSized ? undefined : rounded };
    const mismatched = new WeakMap<OrderResult, { readonly fields: string[]; readonly order: Order }>();
    const toResult = (order: Order, requestedQuantity: Decimal | undefined): OrderResult => {
      const result = toOrderResult(order, {
        exchange: this.exchange,
        symbol: unified,
        market: intent.market,
        side: intent.side,
        positionSide: intent.positionSide,
        reduceOnly: intent.reduceOnly,
        clientOrderId,
        requestedQuantity: requestedQuantity ?? decimalFrom(order.amount, 'amount', this.exchange),
        now: this.#clock.now(),
      });
      const fields = foundOrderMismatches(order, expected);
      if (fields.length > 0) mismatched.set(result, { fields, order });
      return result;
    };
    // The venue's id of the order this call sent, once the venue acknowledged it.
    let acknowledgedId: string | undefined;
    // Whether the last attempt's fate was open (no answer) rather than refused as a duplicate.
    let lastVerdict: AttemptVerdict | 'journal' = 'journal';
    /**
     * An order found under the id must be the one asked for. When the venue refused this call's
     * order as a duplicate, the other order is all there is: IdempotencyConflictError, nothing more
     * sent. When this call's (or an earlier process's) attempt may have reached the venue, the
     * venue may hold both orders under the id (Binance and Bitget accept a filled order's id
     * again, and may answer a lookup with either): the fate of ours is unknown.
     */
    const checkFound = (found: OrderResult): OrderResult => {
      const mismatch = mismatched.get(found);
      if (mismatch === undefined) return found;
      this.#log('error', 'exchange.order.conflict', { operation: intent.operation, symbol: unified, clientOrderId, mismatches: mismatch.fields, orderId: found.orderId, verdict: lastVerdict });
      const conflict = idempotencyConflict({ key, requested: request, existing: reportedOrder(mismatch.order, found), operation: intent.operation });
      if (lastVerdict === 'duplicate') throw conflict;
      throw new OrderStatusUnknownError(
        `${this.exchange} ${intent.operation}: client order id ${clientOrderId} names another order on the venue (${conflict.message}); ` +
          'an attempt of this order may also have reached the venue, so its fate is unknown: look it up by order history before giving the order a new id',
        { exchange: this.exchange, operation: intent.operation, clientOrderId, symbol: unified, cause: conflict },
      );
    };
    const fetchOrder = (read: () => Promise<Order>): Promise<Order> => this.#call('fetchOrder', intent.market, intent.operation, read, exchange, signal);
    const lookupOf = (requestedQuantity: Decimal | undefined) => async (): Promise<OrderResult | undefined> => {
      await renew?.();
      try {
        const found = await fetchOrder(() => this.#profile.fetchOrderByClientId(exchange, { clientOrderId, symbol: market.symbol, market: intent.market }));
        // Where ids are reusable a lookup by client id may answer with an older order carrying it;
        // an order the venue acknowledged is then read by its own id.
        if (acknowledgedId !== undefined && found.id !== acknowledgedId) return toResult(await fetchOrder(() => exchange.fetchOrder(acknowledgedId ?? '', market.symbol)), requestedQuantity);
        return toResult(found, requestedQuantity);
      } catch (error) {
        if (ccxtErrorNames((error as ExchangeError).cause).includes('OrderNotFound') || this.#meaning(error) === 'orderNotFound') return undefined;
        throw error;
      }
    };
    const logFields = { operation: intent.operation, symbol: unified, market: intent.market, side: intent.side, clientOrderId };
    const decide = (decision: string, extra: Readonly<Record<string, unknown>>): void => {
      this.#log(decision === 'exchange.order.placed' ? 'info' : 'warn', decision, { ...logFields, ...extra });
    };
    const identity = { exchange: this.exchange, operation: intent.operation, clientOrderId, symbol: unified };
    if (doubt.open) {
      // The journal says an earlier process may have sent this order: it is looked up across the
      // venue's visibility window before anything is sent (the venue may accept the id again).
      decide('exchange.journal.in_doubt', {});
      const reconciled = await reconcile({ submit: () => Promise.reject(new Error('unused')), lookup: lookupOf(rounded), verdict: () => 'ambiguous', decide }, this.#placement, this.#clock, signal);
      if ('found' in reconciled) {
        const found = checkFound(reconciled.found).withOrigin('recovered');
        decide('exchange.order.recovered', { verdict: 'journal', orderId: found.orderId });
        return found;
      }
      if (!('absent' in reconciled)) {
        decide('exchange.order.status_unknown', { verdict: 'journal' });
        throw new OrderStatusUnknownError(
          `${this.exchange} ${intent.operation}: an earlier attempt with client order id ${clientOrderId} may or may not have been executed and the venue could not be asked; ` +
            'nothing was sent. Call again with the same id later: the order is looked up first',
          { ...identity, cause: 'unknown' in reconciled ? reconciled.unknown : signal?.reason },
        );
      }
      doubt.open = false;
    }
    const quantity = rounded ?? (await this.#closeSize(exchange, market, intent, unified, info, signal));
    const positionMode = this.#positionMode ?? 'oneway';
    if (intent.leverage !== undefined && intent.positionSide !== undefined) {
      await this.#ensureLeverage(exchange, market, intent.positionSide, intent.leverage, positionMode, signal);
    }
    const params = this.#profile.orderParams({
      market: intent.market,
      positionMode,
      positionSide: intent.positionSide,
      reduceOnly: intent.reduceOnly,
      clientOrderId,
    });
    const amount = Number(quantity.toFixed());
    const prepareOrder = this.#profile.prepareOrder;
    const prepared =
      prepareOrder === undefined
        ? undefined
        : await prepareOrder(
            exchange,
            { symbol: market.symbol, market: intent.market, side: intent.side, quantity, lastPrice: this.#runtime.lastPrice(priceKey) },
            (operation, send) => this.#read(operation, intent.market, intent.operation, send, signal),
          );
    const orderParams = prepared?.params === undefined ? params : { ...params, ...prepared.params };
    const breaker = this.#runtime.breaker(intent.market);
    const started = this.#clock.now();
    const lookup = lookupOf(quantity);
    const { order: result, how } = await breaker.execute(() =>
      placeExactlyOnce<OrderResult>(
        {
          submit: async () => {
            await renew?.();
            const created = await this.#call(
              'createOrder',
              intent.market,
              intent.operation,
              () => exchange.createOrder(market.symbol, 'market', intent.side, amount, prepared?.price, orderParams),
              exchange,
              signal,
            );
            if (!this.#profile.fetchAfterCreate && created.filled !== undefined && created.status !== undefined) return toResult(created, quantity);
            if (typeof created.id !== 'string' || created.id === '') throw malformedAnswer(this.exchange, 'an order acknowledgement without an id');
            acknowledgedId = created.id;
            // The venue answered with ids only (or without the fill): the fill is read back by client
            // order id. The order is placed whatever that read-back meets, so neither a miss nor a
            // failed read may count as a failed placement (a re-send would be a second order where
            // ids are reusable).
            const found = await lookup().catch((error: unknown) => {
              throw acceptedButNotVisible(this.exchange, intent.operation, clientOrderId, error);
            });
            if (found !== undefined) return found;
            throw acceptedButNotVisible(this.exchange, intent.operation, clientOrderId);
          },
          lookup,
          verdict: (error) => {
            lastVerdict = this.#verdict(error);
            return lastVerdict;
          },
          decide,
        },
        identity,
        this.#placement,
        this.#clock,
        signal,
      ),
    );
    const checked = checkFound(result).withOrigin(how === 'recovered' ? 'recovered' : 'placed');
    if (checked.averagePrice !== undefined) this.#runtime.rememberPrice(priceKey, checked.averagePrice);
    this.#log('info', 'exchange.order.completed', { ...logFields, quantity, how, orderId: checked.orderId, status: checked.status, latencyMs: this.#clock.now() - started });
    return checked;
  }

  /** The size of the open leg a close sends: read from the venue just before sending. */
  async #closeSize(exchange: Exchange, market: Market, intent: OrderIntent, unified: string, info: SymbolInfo, signal: AbortSignal | undefined): Promise<Decimal> {
    const operation = intent.operation;
    const positionSide = intent.positionSide ?? 'long';
    const positions = await this.#read('fetchPositions', 'futures', operation, async () => checkedPositions(await exchange.fetchPositions([market.symbol]), this.exchange), signal);
    const open = positions.find((position) => position.symbol === market.symbol && position.side === positionSide && (position.contracts ?? 0) > 0);
    if (open === undefined) {
      throw new PositionNotFoundError(`${this.exchange}: no open ${positionSide} position on ${unified} to close`, {
        exchange: this.exchange,
        operation,
        symbol: unified,
        positionSide,
      });
    }
    const size = info.floorQuantity(decimalFrom(open.contracts, 'contracts', this.exchange).mul(decimalFrom(market.contractSize ?? 1, 'contractSize', this.exchange)));
    if (size.lte(0)) {
      throw new InvalidOrderError(`${this.exchange}: position size ${size.toFixed()} rounds to zero`, { exchange: this.exchange, field: 'quantity' });
    }
    return size;
  }

  async #ensureLeverage(exchange: Exchange, market: Market, side: PositionSide, leverage: number, positionMode: PositionMode, signal: AbortSignal | undefined): Promise<void> {
    const key = `${market.symbol}|${positionMode === 'hedge' ? side : 'both'}`;
    if (this.#leverage.get(key) === leverage) return;
    try {
      await this.#read('setLeverage', 'futures', 'setLeverage', () => exchange.setLeverage(leverage, market.symbol, this.#profile.leverageParams({ positionMode, positionSide: side })), signal);
    } catch (error) {
      if (this.#meaning(error) !== 'noChange') throw error;
    }
    this.#leverage.set(key, leverage);
  }

  #meaning(error: unknown): ReturnType<VenueProfile['classifyCode']> {
    const message = error instanceof Error ? error.message : '';
    const code = ExchangeError.isInstance(error) ? error.code : venueCodeOf(message);
    return code === undefined ? undefined : this.#profile.classifyCode(code, message);
  }

  #verdict(error: unknown): AttemptVerdict {
    if (isAcceptedButNotVisible(error)) return 'accepted';
    const meaning = this.#meaning(error);
    if (meaning === 'duplicateClientOrderId') return 'duplicate';
    if (meaning === 'timestamp') return 'notSent';
    if (meaning === 'sendStatusUnknown') return 'ambiguous';
    if (RateLimitError.isInstance(error)) return 'notSent';
    if (NetworkError.isInstance(error) || isOutage(error)) {
      const message = error instanceof Error ? error.message : '';
      return /ECONNREFUSED|ConnectionRefused/.test(message) ? 'notSent' : 'ambiguous';
    }
    return 'rejected';
  }

  /**
   * One request: waits for the venue budget first (before ccxt signs), then translates errors. An
   * abort during those waits ends the call before anything is sent (OperationAbortedError).
   */
  async #call<T>(operation: VenueOperation, market: MarketType, portOperation: string, fn: () => Promise<T>, exchange = this.#ccxt, signal?: AbortSignal): Promise<T> {
    const limiter = this.#runtime.limiter(market);
    try {
      await limiter.acquire(this.#profile.rateLimit.weights[operation] ?? 1, signal);
      await this.#runtime.endpointLimiter(market, operation)?.acquire(1, signal);
      await this.#waitForAccountBudget(operation, signal);
    } catch (error) {
      if (signal?.aborted === true) throw operationAborted(this.exchange, portOperation, signal, 'next request');
      throw error;
    }
    try {
      const result = await fn();
      this.#observeUsage(exchange, market, operation);
      return result;
    } catch (error) {
      this.#observeUsage(exchange, market, operation);
      const message = error instanceof Error ? error.message : '';
      const bodyCode = bodyCodeOf(exchange);
      const refusal = readRateLimitRefusal(this.#profile.rateLimit, answerOf(exchange), { code: venueCodeOf(message) ?? bodyCode, message }, this.#clock.now());
      const translated = translateCcxtError(error, {
        exchange: this.exchange,
        operation: portOperation,
        secrets: [this.#apiKey, this.#apiSecret, this.#passphrase, ...this.#urlCredentials],
        classifyCode: (code, text) => this.#profile.classifyCode(code, text),
        retryAfterMs: refusal.waitMs,
        bodyCode,
      });
      if (RateLimitError.isInstance(translated)) {
        // An account's own budget holds that account only; an IP-wide refusal holds every key.
        if (refusal.scope === 'account') this.#accountBudget.set(operation, { remaining: 0, resetAt: this.#clock.now() + (refusal.waitMs ?? 1_000) });
        else limiter.penalise(refusal.waitMs ?? 1_000);
      }
      if (this.#meaning(translated) === 'timestamp' && exchange !== undefined && signal?.aborted !== true) await this.#resyncClock(exchange);
      throw translated;
    }
  }

  /**
   * A read or setup call: retried with backoff on outages, through the venue-market breaker. Once
   * the signal aborts, nothing more is sent and the call ends in OperationAbortedError.
   */
  async #read<T>(operation: VenueOperation, market: MarketType | undefined, portOperation: string, fn: () => Promise<T>, signal?: AbortSignal, exchange = this.#ccxt): Promise<T> {
    const once = (): Promise<T> => this.#call(operation, market ?? 'spot', portOperation, fn, exchange, signal);
    const policy = market === undefined ? this.#retry : compose(this.#retry, this.#runtime.breaker(market));
    try {
      return await policy.execute(once, signal);
    } catch (error) {
      if (signal?.aborted === true && !OperationAbortedError.isInstance(error)) throw operationAborted(this.exchange, portOperation, signal, 'read');
      throw error;
    }
  }

  async #resyncClock(exchange: Exchange): Promise<void> {
    const sync = (exchange as unknown as { loadTimeDifference?: () => Promise<unknown> }).loadTimeDifference;
    if (typeof sync !== 'function') return;
    try {
      await sync.call(exchange);
      const difference = (exchange.options as Record<string, unknown>).timeDifference;
      if (typeof difference === 'number') this.#runtime.timeDifference = difference;
      this.#log('info', 'exchange.clock.resynced', { timeDifference: difference });
    } catch {
      // The retry that follows reports the failure.
    }
  }

  #observeUsage(exchange: Exchange | undefined, market: MarketType, operation: VenueOperation): void {
    if (exchange === undefined) return;
    const { usedWeightHeader, accountHeaders } = this.#profile.rateLimit;
    if (usedWeightHeader !== undefined) {
      const used = Number(headerOf(exchange, usedWeightHeader));
      if (Number.isFinite(used) && used > 0) this.#runtime.limiter(market).observe(used, this.#clock.now());
    }
    if (accountHeaders !== undefined) {
      const budget = accountBudgetOf(this.#profile.rateLimit, answerOf(exchange), this.#clock.now());
      if (budget !== undefined) this.#accountBudget.set(operation, budget);
    }
  }

  /** Waits out an account budget the venue said is spent (Bybit: per UID and endpoint). */
  async #waitForAccountBudget(operation: VenueOperation, signal: AbortSignal | undefined): Promise<void> {
    const budget = this.#accountBudget.get(operation);
    if (budget === undefined || budget.remaining > 0) return;
    const waitMs = budget.resetAt - this.#clock.now();
    this.#accountBudget.delete(operation);
    if (waitMs > 0) await this.#clock.sleep(Math.min(waitMs, 1_000), signal);
  }

  #log(level: LogLevel, event: string, fields: LogFields): void {
    logEvent(this.#logger, level, event, { exchange: this.exchange, ...fields });
    const listener = this.#options.onEvent;
    if (listener !== undefined) {
      listener({ name: event, exchange: this.exchange, time: this.#clock.now(), fields: redact(fields) as Readonly<Record<string, unknown>> });
    }
  }
}

/** The port call an intent stands for, as the journal records it: the caller's quantity, as given. */
function journalCallOf(intent: OrderIntent): JournalOrderCall {
  switch (intent.operation) {
    case 'closeFuturesPosition':
      return { operation: intent.operation, symbol: intent.symbol, positionSide: intent.positionSide ?? 'long' };
    case 'executeFuturesLong':
    case 'executeFuturesShort':
      return { operation: intent.operation, symbol: intent.symbol, quantity: intent.quantity ?? new Decimal(0), leverage: intent.leverage ?? 0 };
    default:
      return { operation: intent.operation, symbol: intent.symbol, quantity: intent.quantity ?? new Decimal(0) };
  }
}

/**
 * What a failed placement records. Unknown while an earlier attempt may be on the venue and no
 * lookup said otherwise, for an OrderStatusUnknownError, and for an id the venue shows under another
 * order (so a re-run looks it up again rather than sending under it). Any other failure means
 * nothing was placed — the venue refused it, it was aborted before anything was sent, or it failed
 * before sending (a market missing, no position to close): recorded refused, so the key may be
 * claimed and sent again.
 */
function failureOutcome(error: unknown, doubt: Doubt): JournalOutcome {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
  if (doubt.open || OrderStatusUnknownError.isInstance(error) || IdempotencyConflictError.isInstance(error)) return { state: 'unknown', reason: message };
  const code = ExchangeError.isInstance(error) ? error.code : undefined;
  const errorClass = error instanceof Error ? error.constructor.name : typeof error;
  return code === undefined ? { state: 'refused', errorClass, message } : { state: 'refused', errorClass, code, message };
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

/** Outages count against the breaker and are retried on reads; refusals are the caller's. */
function isOutage(error: unknown): boolean {
  if (ExchangeError.isInstance(error)) return error.retryable;
  return (error as { retryable?: unknown } | null)?.retryable === true;
}

function headerOf(exchange: Exchange, name: string): string | undefined {
  const headers = (exchange as unknown as { last_response_headers?: Record<string, string> }).last_response_headers;
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The venue code in the body ccxt just read, for errors whose ccxt message carries only text. */
function bodyCodeOf(exchange: Exchange | undefined): string | undefined {
  const body = (exchange as { last_http_response?: unknown } | undefined)?.last_http_response;
  return typeof body === 'string' ? venueCodeOf(body) : undefined;
}

/** The last answer ccxt received, for reading the venue's rate-limit headers. */
function answerOf(exchange: Exchange | undefined): VenueAnswer {
  const body = (exchange as { last_http_response?: unknown } | undefined)?.last_http_response;
  return { header: (name) => (exchange === undefined ? undefined : headerOf(exchange, name)), body: typeof body === 'string' ? body : undefined };
}
