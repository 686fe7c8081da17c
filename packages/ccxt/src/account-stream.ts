import { AdapterClosedError, AuthenticationError, ConfigurationError, DEFAULT_DEDUPE_WINDOW, ExchangeError, SymbolNotFoundError } from '@xport/core';
import type { AccountEvent, AccountFill, AccountStream, LogFields, LogLevel, MarketType, WatchedMarket } from '@xport/core';
import { backoffDelayMs } from '@xport/resilience';
import type { BackoffSettings, Clock } from '@xport/resilience';

import type { AccountEventContext } from './account-events';
import { toAccountFill, toAccountOrderUpdate } from './account-events';
import type { CcxtExchange, CcxtOrder, CcxtTrade } from './ccxt-types';
import type { TradePage } from './gap-recovery';
import { firstPage, inTimeOrder, nextPage } from './gap-recovery';
import { TradeIdWindow } from './trade-id-window';

/** The members of a ccxt `pro` instance the stream uses (besides the REST ones of CcxtExchange). */
export interface CcxtProExchange extends CcxtExchange {
  watchMyTrades(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  watchOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  close(): Promise<unknown>;
  /** ccxt's hook, called on every WebSocket (re)connect. */
  onConnected(client: unknown, message?: unknown): void;
  /** ccxt's timer (Binance's listen-key keep-alive is scheduled through it). */
  delay(timeout: number, method: (...args: unknown[]) => Promise<unknown>, ...args: unknown[]): void;
  spawn(method: (...args: unknown[]) => Promise<unknown>, ...args: unknown[]): unknown;
  /** ccxt's WebSocket client of a URL, created on first use. */
  client(url: string): CcxtWsClient;
}

/** The part of ccxt's WebSocket client the stream touches: its futures (promises settled by messages). */
export interface CcxtWsClient {
  future(messageHash: string): Promise<unknown>;
  reusableFuture?(messageHash: string): Promise<unknown>;
}

/** One watched market as the venue's ccxt instance names it. */
export interface StreamMarket extends WatchedMarket {
  /** ccxt's symbol of the market (`BTC/USDT`, `BTC/USDT:USDT`). */
  readonly ccxtSymbol: string;
  readonly context: AccountEventContext;
}

/** What the adapter gives its streams: the venue's connection and the adapter's ways to read, translate and log. */
export interface AccountStreamVenue {
  readonly exchange: string;
  readonly clock: Clock;
  readonly backoff: BackoffSettings;
  readonly random: () => number;
  /** Trades per REST page of gap recovery. */
  readonly pageLimit: number;
  /** How long after a (re)connect a second recovery read runs, for venues that subscribe after the socket opens. */
  readonly settleMs: number;
  /** How often the recovery read runs regardless (0: never), for a socket that went silent. */
  readonly reconcileMs: number;
  /** A new ccxt `pro` instance with the hosts rewritten and the markets loaded, and the watched markets on it. */
  open(markets: readonly WatchedMarket[], signal: AbortSignal): Promise<{ readonly exchange: CcxtProExchange; readonly markets: readonly StreamMarket[] }>;
  /** A REST read of the account's trades, with the adapter's budget, retries and breakers. */
  readTrades(exchange: CcxtProExchange, market: StreamMarket, page: TradePage, signal: AbortSignal): Promise<CcxtTrade[]>;
  /** ccxt's error → xport's. */
  translate(error: unknown, operation: string): ExchangeError;
  log(level: LogLevel, event: string, fields: LogFields): void;
  /** Called once when the stream ends, so the adapter forgets it. */
  onEnd(stream: CcxtAccountStream): void;
}

interface MarketState {
  readonly market: StreamMarket;
  /** The newest delivered fill's time. */
  lastSeen: number | undefined;
  /**
   * Where the next REST read starts: `lastSeen` as it was when the previous successful read began.
   * Not `lastSeen` itself: a fill the socket missed (executed after a reconnect's read, before the
   * new subscription took) is older than the fills the socket delivers next, and a read from the
   * newest would never find it. Every fill executed after a read began is at least this new.
   */
  readFrom: number | undefined;
  /** While a REST recovery runs, fills from the socket wait here, to be delivered in time order with it. */
  held: AccountFill[] | undefined;
  /** A recovery was asked for while one was running. */
  again: boolean;
}

interface Waiter {
  readonly resolve: (result: IteratorResult<AccountEvent>) => void;
  readonly reject: (error: unknown) => void;
}

/** Read through a call: the flag changes across awaits, which TypeScript's narrowing does not see. */
const aborted = (signal: AbortSignal): boolean => signal.aborted;

/** Read through calls: a recovery's awaits let the socket and reconnects change both. */
const heldOf = (state: MarketState): AccountFill[] => state.held ?? [];
const againOf = (state: MarketState): boolean => state.again;

const keyOf = (market: MarketType, symbol: string): string => `${market}:${symbol}`;

/** Failures a reconnect cannot cure: refused credentials, a market the venue does not list. */
function isFatal(error: ExchangeError): boolean {
  return AuthenticationError.isInstance(error) || ConfigurationError.isInstance(error) || SymbolNotFoundError.isInstance(error);
}

/**
 * An account stream over one ccxt `pro` instance: per watched market a loop on `watchMyTrades` and
 * one on `watchOrders`, a REST read of the fills since the last one seen after every (re)connect,
 * and a bounded window of trade ids so no fill is delivered twice.
 */
export class CcxtAccountStream implements AccountStream {
  readonly #venue: AccountStreamVenue;
  readonly #watched: readonly WatchedMarket[];
  readonly #since: number;
  readonly #seen: TradeIdWindow;
  readonly #abort = new AbortController();
  readonly #queue: AccountEvent[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #states = new Map<string, MarketState>();
  #exchange: CcxtProExchange | undefined;
  #started = false;
  #settling = false;
  #iterated = false;
  #ended = false;
  #failure: ExchangeError | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(venue: AccountStreamVenue, watched: readonly WatchedMarket[], options: { readonly since: number; readonly dedupeWindow?: number | undefined; readonly signal?: AbortSignal | undefined }) {
    this.#venue = venue;
    this.#watched = watched;
    this.#since = options.since;
    this.#seen = new TradeIdWindow(options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW);
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) void this.close();
      else signal.addEventListener('abort', () => void this.close(), { once: true });
    }
  }

  /** How many trade ids the stream remembers now (bounded by the dedupe window). */
  get rememberedTradeIds(): number {
    return this.#seen.size;
  }

  [Symbol.asyncIterator](): AsyncIterator<AccountEvent> {
    if (this.#iterated) {
      throw new ConfigurationError(`${this.#venue.exchange} accountStream: a stream is iterated once; open another stream for a second consumer`, {
        exchange: this.#venue.exchange,
        operation: 'accountStream',
        field: 'stream',
        expected: 'one for-await loop per stream',
      });
    }
    this.#iterated = true;
    this.#start();
    return {
      next: () => this.#next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  /** Stops the stream; every iteration ends once what was already received is read. Idempotent. */
  async close(): Promise<void> {
    if (!this.#abort.signal.aborted) {
      this.#abort.abort(new AdapterClosedError(`${this.#venue.exchange} accountStream: closed`, { exchange: this.#venue.exchange, operation: 'accountStream' }));
      const exchange = this.#exchange;
      this.#exchange = undefined;
      await exchange?.close().catch(() => undefined);
      this.#venue.log('info', 'exchange.stream.closed', { remembered: this.#seen.size });
    }
    await this.#running;
    this.#end(undefined);
  }

  // ---------------------------------------------------------------------------------------------

  #next(): Promise<IteratorResult<AccountEvent>> {
    const event = this.#queue.shift();
    if (event !== undefined) return Promise.resolve({ done: false, value: event });
    if (this.#ended) return this.#failure === undefined ? Promise.resolve({ done: true, value: undefined }) : Promise.reject(this.#failure);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #push(event: AccountEvent): void {
    if (this.#ended) return;
    const waiter = this.#waiters.shift();
    if (waiter === undefined) this.#queue.push(event);
    else waiter.resolve({ done: false, value: event });
  }

  #end(failure: ExchangeError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure;
    for (const waiter of this.#waiters.splice(0)) {
      if (failure === undefined) waiter.resolve({ done: true, value: undefined });
      else waiter.reject(failure);
    }
    this.#venue.onEnd(this);
  }

  #fail(error: ExchangeError): void {
    if (this.#ended) return;
    this.#venue.log('error', 'exchange.stream.failed', { error: error.message, code: error.code });
    this.#abort.abort(error);
    const exchange = this.#exchange;
    this.#exchange = undefined;
    void exchange?.close().catch(() => undefined);
    // What was received is still read out; the failure then ends the iteration.
    this.#end(error);
  }

  #start(): void {
    if (this.#started) return;
    this.#started = true;
    const signal = this.#abort.signal;
    if (signal.aborted) return;
    this.#running = (async (): Promise<void> => {
      const opened = await this.#openWithRetry(signal);
      if (opened === undefined) return;
      const { exchange, markets } = opened;
      for (const market of markets) this.#states.set(keyOf(market.market, market.symbol), { market, lastSeen: undefined, readFrom: undefined, held: undefined, again: false });
      this.#hook(exchange, signal);
      await Promise.allSettled(markets.flatMap((market) => [this.#watchFills(exchange, market, signal), this.#watchOrders(exchange, market, signal)]));
    })().catch((error: unknown) => {
      // A bug, not the venue: end the stream rather than leave it silent.
      this.#fail(ExchangeError.isInstance(error) ? error : this.#venue.translate(error, 'accountStream'));
    });
  }

  async #openWithRetry(signal: AbortSignal): Promise<{ readonly exchange: CcxtProExchange; readonly markets: readonly StreamMarket[] } | undefined> {
    for (let failures = 0, previous = this.#venue.backoff.baseDelayMs; ; ) {
      try {
        const opened = await this.#venue.open(this.#watched, signal);
        if (signal.aborted) {
          await opened.exchange.close().catch(() => undefined);
          return undefined;
        }
        this.#exchange = opened.exchange;
        return opened;
      } catch (error) {
        if (signal.aborted) return undefined;
        const translated = ExchangeError.isInstance(error) ? error : this.#venue.translate(error, 'accountStream');
        if (isFatal(translated) || !translated.retryable) {
          this.#fail(translated);
          return undefined;
        }
        failures += 1;
        previous = await this.#backoff(failures, previous, translated, signal);
      }
    }
  }

  /** Every (re)connect of the instance's sockets starts a recovery, and another once the subscription has settled. */
  #hook(exchange: CcxtProExchange, signal: AbortSignal): void {
    // ccxt creates some futures that only a concurrent caller awaits (Binance's spot subscription);
    // when the socket closes it rejects them all, and one nobody awaited would end the process as
    // an unhandled rejection. Every future is marked handled; its awaiters still get the error.
    const client = exchange.client.bind(exchange);
    const patched = new WeakSet<object>();
    exchange.client = (url: string): CcxtWsClient => {
      const created = client(url);
      if (!patched.has(created)) {
        patched.add(created);
        for (const name of ['future', 'reusableFuture'] as const) {
          const make = created[name]?.bind(created);
          if (make === undefined) continue;
          created[name] = (messageHash: string): Promise<unknown> => {
            const future = make(messageHash);
            future.catch(() => undefined);
            return future;
          };
        }
      }
      return created;
    };
    const onConnected = exchange.onConnected.bind(exchange);
    exchange.onConnected = (client: unknown, message?: unknown): void => {
      onConnected(client, message);
      if (signal.aborted) return;
      this.#venue.log('info', 'exchange.stream.connected', {});
      this.#recoverAll(exchange, signal);
      // One settle read covers every connect before it: sockets reconnecting together share it.
      if (this.#settling) return;
      this.#settling = true;
      this.#venue.clock.sleep(this.#venue.settleMs, signal).then(
        () => {
          this.#settling = false;
          this.#recoverAll(exchange, signal);
        },
        () => undefined,
      );
    };
    if (this.#venue.reconcileMs > 0) void this.#reconcile(exchange, signal);
    // ccxt's own timers (Binance's listen-key keep-alive) run on the adapter's clock and stop with the stream.
    exchange.delay = (timeout, method, ...args): void => {
      this.#venue.clock.sleep(timeout, signal).then(
        () => { if (!signal.aborted) exchange.spawn(method, ...args); },
        () => undefined,
      );
    };
  }

  /** A socket can stay open and send nothing: the same read, every `reconcileMs`, delivers what it missed. */
  async #reconcile(exchange: CcxtProExchange, signal: AbortSignal): Promise<void> {
    for (;;) {
      try {
        await this.#venue.clock.sleep(this.#venue.reconcileMs, signal);
      } catch {
        return;
      }
      this.#recoverAll(exchange, signal);
    }
  }

  #recoverAll(exchange: CcxtProExchange, signal: AbortSignal): void {
    for (const state of this.#states.values()) {
      if (state.held !== undefined) {
        state.again = true;
        continue;
      }
      void this.#recover(exchange, state, signal);
    }
  }

  /**
   * Reads the market's trades since the last delivered one over REST and delivers what the window
   * has not seen, with the fills the socket brought meanwhile, in time order. A read that fails is
   * tried again after a backoff until it succeeds or the stream ends: until then the socket's fills
   * wait, so nothing after the gap is delivered before the gap is filled.
   */
  async #recover(exchange: CcxtProExchange, state: MarketState, signal: AbortSignal): Promise<void> {
    state.held = [];
    let failures = 0;
    let previous = this.#venue.backoff.baseDelayMs;
    for (;;) {
      state.again = false;
      const recovered: AccountFill[] = [];
      const readBegan = state.lastSeen;
      try {
        let page: TradePage | undefined = firstPage(state.market.ccxtSymbol, state.market.market, { lastSeen: state.readFrom, start: this.#since }, this.#venue.pageLimit);
        while (page !== undefined) {
          const trades = await this.#venue.readTrades(exchange, state.market, page, signal);
          const fills = trades.map((trade) => toAccountFill(trade, state.market.context));
          // The page starts at `since`; anything older is before the stream's start or already delivered.
          const since = page.since;
          recovered.push(...fills.filter((fill) => fill.timestamp >= since));
          const next = nextPage(page, fills.map((fill) => fill.timestamp));
          if (next.stuck) this.#venue.log('warn', 'exchange.stream.recovery_page_full', { symbol: state.market.symbol, market: state.market.market, since: page.since, limit: page.limit });
          page = next.page;
        }
      } catch (error) {
        if (signal.aborted) return;
        const translated = ExchangeError.isInstance(error) ? error : this.#venue.translate(error, 'fetchMyTrades');
        if (isFatal(translated)) {
          this.#fail(translated);
          return;
        }
        failures += 1;
        this.#venue.log('warn', 'exchange.stream.recovery_failed', { symbol: state.market.symbol, market: state.market.market, error: translated.message, attempt: failures });
        try {
          previous = await this.#backoff(failures, previous, translated, signal);
        } catch {
          return;
        }
        continue;
      }
      if (signal.aborted) return;
      if (readBegan !== undefined) state.readFrom = readBegan;
      // Synchronous from here: no socket fill can slip between the merge and the release.
      const held = heldOf(state);
      // The socket's copy of a trade first: it carries what REST trade lists may lack (Binance's client order id).
      const delivered = this.#deliverFills(state, inTimeOrder([...held, ...recovered]));
      if (recovered.length > 0) {
        this.#venue.log('info', 'exchange.stream.recovered', { symbol: state.market.symbol, market: state.market.market, read: recovered.length, delivered: delivered.recovered });
      }
      if (!againOf(state)) {
        state.held = undefined;
        return;
      }
      // Reconnected while reading: read again, still holding the socket's fills.
      state.held = [];
    }
  }

  #deliverFills(state: MarketState, fills: readonly AccountFill[]): { readonly recovered: number } {
    let delivered = 0;
    for (const fill of fills) {
      if (!this.#seen.add(`${fill.marketType}:${fill.symbol}:${fill.tradeId}`)) continue;
      delivered += 1;
      if (state.lastSeen === undefined || fill.timestamp > state.lastSeen) state.lastSeen = fill.timestamp;
      this.#push(fill);
    }
    return { recovered: delivered };
  }

  async #watchFills(exchange: CcxtProExchange, market: StreamMarket, signal: AbortSignal): Promise<void> {
    const state = this.#states.get(keyOf(market.market, market.symbol));
    if (state === undefined) return;
    await this.#watchLoop('watchMyTrades', market, signal, async () => {
      const trades = await exchange.watchMyTrades(market.ccxtSymbol);
      const fills = trades.filter((trade) => trade.symbol === undefined || trade.symbol === market.ccxtSymbol).map((trade) => toAccountFill(trade, market.context));
      if (state.held !== undefined) state.held.push(...fills);
      else this.#deliverFills(state, fills);
    });
  }

  async #watchOrders(exchange: CcxtProExchange, market: StreamMarket, signal: AbortSignal): Promise<void> {
    await this.#watchLoop('watchOrders', market, signal, async () => {
      const orders = await exchange.watchOrders(market.ccxtSymbol);
      for (const order of orders) {
        if (order.symbol !== undefined && order.symbol !== market.ccxtSymbol) continue;
        this.#push(toAccountOrderUpdate(order, market.context));
      }
    });
  }

  /** Calls `watch` until the stream ends; a failure waits a backoff (reset by the next success) and reconnects. */
  async #watchLoop(operation: string, market: StreamMarket, signal: AbortSignal, watch: () => Promise<void>): Promise<void> {
    let failures = 0;
    let previous = this.#venue.backoff.baseDelayMs;
    while (!signal.aborted) {
      try {
        await watch();
        failures = 0;
        previous = this.#venue.backoff.baseDelayMs;
      } catch (error) {
        if (aborted(signal)) return;
        const translated = ExchangeError.isInstance(error) ? error : this.#venue.translate(error, operation);
        if (isFatal(translated)) {
          this.#fail(translated);
          return;
        }
        failures += 1;
        this.#venue.log('warn', 'exchange.stream.disconnected', { operation, symbol: market.symbol, market: market.market, error: translated.message, attempt: failures });
        try {
          previous = await this.#backoff(failures, previous, translated, signal);
        } catch {
          return;
        }
      }
    }
  }

  /** Waits the backoff before attempt `failures + 1` on the adapter's clock; rejects when the stream ends. */
  async #backoff(failures: number, previous: number, error: ExchangeError, signal: AbortSignal): Promise<number> {
    const delayMs = backoffDelayMs(this.#venue.backoff, failures, previous, this.#venue.random());
    this.#venue.log('debug', 'exchange.stream.backoff', { delayMs, attempt: failures, code: error.code });
    await this.#venue.clock.sleep(delayMs, signal);
    return delayMs;
  }
}
