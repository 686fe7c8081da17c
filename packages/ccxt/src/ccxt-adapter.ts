import {
  assertAsset,
  assertCallOptions,
  assertLeverage,
  assertMarketType,
  assertPositionSide,
  assertQuantity,
  Balance,
  ExchangeError,
  ExchangeUnavailableError,
  InvalidOrderError,
  logEvent,
  NetworkError,
  noopLogger,
  OrderStatusUnknownError,
  parseSymbol,
  PositionNotFoundError,
  RateLimitError,
  redact,
  Secret,
  SymbolNotFoundError,
} from '@xport/core';
import type {
  CallOptions,
  Decimal,
  ExchangePort,
  LogFields,
  Logger,
  LogLevel,
  MarketOptions,
  MarketType,
  OrderOptions,
  OrderResult,
  OrderSide,
  PositionMode,
  PositionSide,
  SymbolInfo,
} from '@xport/core';
import { compose, RetryPolicy, systemClock } from '@xport/resilience';
import type { Clock } from '@xport/resilience';
import type { Exchange, MarketInterface as Market, Order } from 'ccxt';

import type { CcxtAdapterOptions } from './adapter-options';
import { validateAdapterOptions } from './adapter-options';
import { resolveClientOrderId } from './client-order-id';
import { loadExchangeClass } from './load-exchange-class';
import { DEFAULT_PLACEMENT, placeExactlyOnce } from './order-placement';
import type { AttemptVerdict, PlacementSettings } from './order-placement';
import { rewriteHosts } from './rewrite-hosts';
import { toBalances, toOrderResult, toSymbolInfo, decimalFrom } from './to-domain';
import { ccxtErrorNames, translateCcxtError, venueCodeOf } from './translate-error';
import type { VenueOperation, VenueProfile } from './venue-profile';
import type { VenueRuntime } from './venue-runtime';
import { VenueRuntimeRegistry } from './venue-runtime';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

interface OrderIntent {
  readonly operation: string;
  readonly symbol: string;
  readonly market: MarketType;
  readonly side: OrderSide;
  readonly positionSide: PositionSide | undefined;
  readonly reduceOnly: boolean;
  readonly quantity: Decimal;
  readonly leverage: number | undefined;
  readonly options: OrderOptions | undefined;
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
  readonly #options: CcxtAdapterOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #runtime: VenueRuntime;
  readonly #retry: RetryPolicy;
  readonly #placement: PlacementSettings;
  readonly #leverage = new Map<string, number>();
  readonly #accountBudget = new Map<VenueOperation, { remaining: number; resetAt: number }>();
  #ccxt: Exchange | undefined;
  #initializing: Promise<void> | undefined;
  #positionMode: PositionMode | undefined;

  constructor(profile: VenueProfile, options: CcxtAdapterOptions) {
    validateAdapterOptions(options, profile.id, profile.requiresPassphrase);
    this.exchange = profile.id;
    this.#profile = profile;
    this.#apiKey = new Secret(options.apiKey);
    this.#apiSecret = new Secret(options.apiSecret);
    this.#passphrase = options.passphrase === undefined ? undefined : new Secret(options.passphrase);
    // Keep the options without credentials: they are held only as Secrets.
    this.#options = { ...options, apiKey: '', apiSecret: '', passphrase: undefined };
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
    this.#positionMode = options.positionMode;
    this.#placement = { ...DEFAULT_PLACEMENT, visibilityMs: profile.orderVisibilityMs, ...options.placement };
    const environment = options.baseUrl ?? (options.testnet === true ? 'testnet' : 'live');
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

  initialize(options?: CallOptions): Promise<void> {
    assertCallOptions(options);
    this.#initializing ??= this.#initialize(options?.signal).catch((error: unknown) => {
      this.#initializing = undefined;
      throw error;
    });
    return this.#initializing;
  }

  close(): Promise<void> {
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

  async closeFuturesPosition(symbol: string, positionSide: PositionSide, options?: OrderOptions): Promise<OrderResult> {
    const operation = 'closeFuturesPosition';
    const parsed = parseSymbol(symbol);
    assertPositionSide(positionSide);
    assertCallOptions(options);
    const exchange = await this.#ready(options?.signal);
    const market = this.#market(exchange, parsed.unified, 'futures', operation);
    const positions = await this.#read('fetchPositions', 'futures', operation, () => exchange.fetchPositions([market.symbol]), options?.signal);
    const open = positions.find((position) => position.symbol === market.symbol && position.side === positionSide && (position.contracts ?? 0) > 0);
    if (open === undefined) {
      throw new PositionNotFoundError(`${this.exchange}: no open ${positionSide} position on ${parsed.unified} to close`, {
        exchange: this.exchange,
        operation,
        symbol: parsed.unified,
        positionSide,
      });
    }
    const size = decimalFrom(open.contracts, 'contracts', this.exchange).mul(decimalFrom(market.contractSize ?? 1, 'contractSize', this.exchange));
    return this.#order({
      operation,
      symbol,
      market: 'futures',
      side: positionSide === 'long' ? 'sell' : 'buy',
      positionSide,
      reduceOnly: true,
      quantity: size,
      leverage: undefined,
      options,
    });
  }

  async getBalances(options?: MarketOptions): Promise<readonly Balance[]> {
    assertCallOptions(options);
    const market = options?.market ?? 'spot';
    assertMarketType(market, 'options.market');
    const exchange = await this.#ready(options?.signal);
    const balances = await this.#read('fetchBalance', market, 'getBalances', () => exchange.fetchBalance(this.#profile.balanceParams(market)), options?.signal);
    return toBalances(balances, market, this.exchange);
  }

  async getBalance(asset: string, options?: MarketOptions): Promise<Balance> {
    assertAsset(asset);
    const code = asset.trim().toUpperCase();
    const market = options?.market ?? 'spot';
    return (await this.getBalances(options)).find((balance) => balance.asset === code) ?? Balance.zero(code, market);
  }

  async getSymbolInfo(symbol: string, options?: MarketOptions): Promise<SymbolInfo> {
    const parsed = parseSymbol(symbol);
    assertCallOptions(options);
    const market = options?.market ?? 'spot';
    assertMarketType(market, 'options.market');
    const exchange = await this.#ready(options?.signal);
    const found = this.#market(exchange, parsed.unified, market, 'getSymbolInfo');
    return this.#symbolInfo(found, market);
  }

  toJSON(): Record<string, unknown> {
    return { exchange: this.exchange, positionMode: this.#positionMode, options: redact(this.#options) };
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
    if (this.#options.testnet === true) this.#profile.useTestnet(exchange);
    if (this.#options.baseUrl !== undefined) {
      const urls = exchange.urls as { api: unknown };
      urls.api = rewriteHosts(urls.api, this.#options.baseUrl);
    }
    await this.#runtime.shareMarkets(exchange, async () => {
      await this.#read('loadMarkets', undefined, 'initialize', () => exchange.loadMarkets(true), signal, exchange);
      const fetchMaxLeverage = this.#profile.fetchMaxLeverage;
      if (fetchMaxLeverage === undefined) return {};
      return this.#read('loadMarkets', 'futures', 'initialize', () => fetchMaxLeverage(exchange), signal, exchange);
    });
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

  async #ready(signal: AbortSignal | undefined): Promise<Exchange> {
    await this.initialize(signal === undefined ? undefined : { signal });
    if (this.#ccxt === undefined) throw new ExchangeError(`${this.exchange}: adapter is closed`, { exchange: this.exchange });
    return this.#ccxt;
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
    // Everything a caller can get wrong is refused here, before any request.
    const parsed = parseSymbol(intent.symbol);
    assertQuantity(intent.quantity);
    if (intent.leverage !== undefined) assertLeverage(intent.leverage);
    assertCallOptions(intent.options);
    const clientOrderId = resolveClientOrderId(intent.options, this.#profile.clientOrderId, this.exchange);
    const signal = intent.options?.signal;
    const exchange = await this.#ready(signal);
    const market = this.#market(exchange, parsed.unified, intent.market, intent.operation);
    const info = this.#symbolInfo(market, intent.market);
    const priceKey = `${intent.market}:${market.symbol}`;
    const quantity = intent.reduceOnly ? info.floorQuantity(intent.quantity) : info.prepareQuantity(intent.quantity, this.#runtime.lastPrice(priceKey));
    if (quantity.lte(0)) {
      throw new InvalidOrderError(`${this.exchange}: position size ${intent.quantity.toFixed()} rounds to zero`, { exchange: this.exchange, field: 'quantity' });
    }
    if (intent.leverage !== undefined) info.checkLeverage(intent.leverage);
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
    const fields = { operation: intent.operation, symbol: parsed.unified, market: intent.market, side: intent.side, quantity, clientOrderId };
    const lookup = async (): Promise<Order | undefined> => {
      try {
        const found = await this.#call('fetchOrder', intent.market, intent.operation, () =>
          this.#profile.fetchOrderByClientId(exchange, { clientOrderId, symbol: market.symbol, market: intent.market }),
        );
        return requireOrderId(found, this.exchange, intent.operation);
      } catch (error) {
        if (ccxtErrorNames((error as ExchangeError).cause).includes('OrderNotFound') || this.#meaning(error) === 'orderNotFound') return undefined;
        throw error;
      }
    };
    const { order, how } = await breaker.execute(() =>
      placeExactlyOnce<Order>(
        {
          submit: async () => {
            const created = requireOrderId(
              await this.#call('createOrder', intent.market, intent.operation, () =>
                exchange.createOrder(market.symbol, 'market', intent.side, amount, prepared?.price, orderParams),
              ),
              this.exchange,
              intent.operation,
            );
            if (!this.#profile.fetchAfterCreate && created.filled !== undefined && created.status !== undefined) return created;
            // The venue answered with ids only: the fill is read back by client order id, and an
            // order not yet visible goes through reconciliation like any unknown outcome.
            const found = await lookup();
            if (found !== undefined) return found;
            throw new NetworkError(`${this.exchange}: order ${clientOrderId} accepted but not yet visible`, { exchange: this.exchange, operation: intent.operation });
          },
          lookup,
          verdict: (error) => this.#verdict(error),
          decide: (decision, extra) => {
            this.#log(decision === 'exchange.order.placed' ? 'info' : 'warn', decision, { ...fields, ...extra });
          },
        },
        { exchange: this.exchange, operation: intent.operation, clientOrderId, symbol: parsed.unified },
        this.#placement,
        this.#clock,
        signal,
      ),
    );
    const result = toOrderResult(order, {
      exchange: this.exchange,
      symbol: parsed.unified,
      market: intent.market,
      side: intent.side,
      positionSide: intent.positionSide,
      reduceOnly: intent.reduceOnly,
      clientOrderId,
      requestedQuantity: quantity,
      now: this.#clock.now(),
    });
    if (result.averagePrice !== undefined) this.#runtime.rememberPrice(priceKey, result.averagePrice);
    this.#log('info', 'exchange.order.completed', { ...fields, how, orderId: result.orderId, status: result.status, latencyMs: this.#clock.now() - started });
    return result;
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

  /** One request: waits for the venue budget first (before ccxt signs), then translates errors. */
  async #call<T>(operation: VenueOperation, market: MarketType, portOperation: string, fn: () => Promise<T>, exchange = this.#ccxt): Promise<T> {
    const limiter = this.#runtime.limiter(market);
    await limiter.acquire(this.#profile.rateLimit.weights[operation] ?? 1);
    await this.#runtime.endpointLimiter(market, operation)?.acquire(1);
    await this.#waitForAccountBudget(operation);
    try {
      const result = await fn();
      this.#observeUsage(exchange, market, operation);
      return result;
    } catch (error) {
      this.#observeUsage(exchange, market, operation);
      const translated = translateCcxtError(error, {
        exchange: this.exchange,
        operation: portOperation,
        secrets: [this.#apiKey, this.#apiSecret, this.#passphrase],
        classifyCode: (code, message) => this.#profile.classifyCode(code, message),
        retryAfterMs: retryAfterOf(exchange),
        bodyCode: bodyCodeOf(exchange),
      });
      if (RateLimitError.isInstance(translated)) limiter.penalise(translated.retryAfterMs ?? 1_000);
      if (this.#meaning(translated) === 'timestamp' && exchange !== undefined) await this.#resyncClock(exchange);
      throw translated;
    }
  }

  /** A read or setup call: retried with backoff on outages, through the venue-market breaker. */
  #read<T>(operation: VenueOperation, market: MarketType | undefined, portOperation: string, fn: () => Promise<T>, signal?: AbortSignal, exchange = this.#ccxt): Promise<T> {
    const once = (): Promise<T> => this.#call(operation, market ?? 'spot', portOperation, fn, exchange);
    if (market === undefined) return this.#retry.execute(once, signal);
    return compose(this.#retry, this.#runtime.breaker(market)).execute(once, signal);
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
      const remaining = Number(headerOf(exchange, accountHeaders.remaining));
      const resetAt = Number(headerOf(exchange, accountHeaders.resetAt));
      if (Number.isFinite(remaining) && Number.isFinite(resetAt)) this.#accountBudget.set(operation, { remaining, resetAt });
    }
  }

  /** Waits out an account budget the venue said is spent (Bybit: per UID and endpoint). */
  async #waitForAccountBudget(operation: VenueOperation): Promise<void> {
    const budget = this.#accountBudget.get(operation);
    if (budget === undefined || budget.remaining > 0) return;
    const waitMs = budget.resetAt - this.#clock.now();
    this.#accountBudget.delete(operation);
    if (waitMs > 0) await this.#clock.sleep(Math.min(waitMs, 1_000));
  }

  #log(level: LogLevel, event: string, fields: LogFields): void {
    logEvent(this.#logger, level, event, { exchange: this.exchange, ...fields });
    const listener = this.#options.onEvent;
    if (listener !== undefined) {
      listener({ name: event, exchange: this.exchange, time: this.#clock.now(), fields: redact(fields) as Readonly<Record<string, unknown>> });
    }
  }
}

/**
 * ccxt returns an order without an id, rather than throwing, when a venue's body was cut off: that
 * answer proves nothing about the order, so it is an unreadable answer like any other.
 */
function requireOrderId(order: Order, exchange: string, operation: string): Order {
  if (typeof order.id === 'string' && order.id !== '') return order;
  throw new ExchangeUnavailableError(`${exchange}: malformed answer: an order without an id`, { exchange, operation });
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

function retryAfterOf(exchange: Exchange | undefined): number | undefined {
  if (exchange === undefined) return undefined;
  const seconds = Number(headerOf(exchange, 'retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : undefined;
}
