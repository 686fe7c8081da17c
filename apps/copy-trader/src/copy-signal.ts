import { Decimal, idempotencyConflict, journalOrderRequest, parseSymbol, PositionNotFoundError } from '@xport/core';
import type { ExchangePort, JournalEntry, JournalKey, JournalOrderCall, JournalOrderRequest, MarketType, OrderJournal, OrderOrigin, OrderResult, SymbolInfo } from '@xport/core';

import { clientOrderIdFor, idempotencyKeyFor } from './client-order-id';

import type { FollowerConfig, Venue } from './followers-config';
import { redactMessage } from './redact-message';
import { budgetedConcurrency } from './venue-concurrency';
import { KeyedSemaphores } from './semaphore';
import type { CloseSignal, OpenSignal, ReduceSignal, Signal } from './signals';
import { isCloseSignal, isOpenSignal, isReduceSignal, marketOf, positionSideOf, reducesWholeLeg } from './signals';
import type { SizingDecision } from './sizing';
import { sizeOrder, sizeReduce } from './sizing';

/** A follower ready to trade: its validated entry and the adapter for its account. */
export interface Follower {
  readonly config: FollowerConfig;
  readonly port: ExchangePort;
  /**
   * The order journal `port` records into (under account `config.id`), read before sizing: a pair
   * already in it is re-issued as recorded, never sized again. Undefined when running without one.
   */
  readonly journal?: OrderJournal | undefined;
}

/** What happened for one follower: an order placed, skipped before any order (with the reason), failed, or sized only (dry run). */
export type FollowerStatus = 'placed' | 'skipped' | 'failed' | 'dry-run';

/** One follower's outcome for one signal. */
export interface FollowerResult {
  readonly followerId: string;
  readonly exchange: Venue;
  readonly status: FollowerStatus;
  /** Why it was skipped or failed, in one line. */
  readonly reason?: string | undefined;
  /** What was (or, in a dry run, would be) sent. */
  readonly quantity?: Decimal | undefined;
  readonly leverage?: number | undefined;
  /** `${signalId}:${followerId}`: the pair's idempotency key. */
  readonly clientOrderKey: string;
  /** The client order id derived from `clientOrderKey` (see `clientOrderIdFor`). */
  readonly clientOrderId: string;
  readonly order?: OrderResult | undefined;
  /**
   * How the order came to be known, when one was returned: `placed` sent now; `journal` already
   * placed by an earlier run (read from the journal, no request); `recovered` found on the venue by
   * its client order id (an earlier run's order whose outcome was in doubt).
   */
  readonly origin?: OrderOrigin | undefined;
  /** The order call alone, from send to result, in whole milliseconds; absent when nothing was sent. */
  readonly latencyMs?: number | undefined;
}

/** How many orders may be in flight at once. */
export interface FanOutLimits {
  /** Orders in flight per venue and market across all its accounts: one number for all, or per venue and market. */
  readonly perVenue: number | ((venue: Venue, market: MarketType) => number);
  /** Orders in flight per account (an account's leverage change and order must not interleave). */
  readonly perAccount: number;
}

/** Per venue and market, what its request budget keeps busy (see `concurrencyFromBudget`); one per account. */
export const DEFAULT_LIMITS: FanOutLimits = { perVenue: (venue, market) => budgetedConcurrency(venue, market), perAccount: 1 };

/** How one signal is copied: for real or as a dry run, with a stop signal, a clock and a per-follower callback. */
export interface CopyOptions {
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds from any origin: latencies are differences. */
  readonly now?: (() => number) | undefined;
  /** Called as each follower finishes, before the whole signal has. */
  readonly onFollowerDone?: ((result: FollowerResult) => void) | undefined;
  /** Called with each symbol's rules as a follower's order is sized (the CLI shows figures to the symbol's step). */
  readonly onSymbolInfo?: ((exchange: Venue, info: SymbolInfo) => void) | undefined;
}

/** Bounds concurrency per venue and per account, and remembers equity reads for the whole run. */
export class FanOut {
  private readonly venues: KeyedSemaphores;
  private readonly accounts: KeyedSemaphores;
  private readonly equities = new Map<string, Promise<Decimal>>();

  constructor(readonly limits: FanOutLimits = DEFAULT_LIMITS) {
    const perVenue = limits.perVenue;
    this.venues = new KeyedSemaphores(typeof perVenue === 'number' ? perVenue : (key) => perVenue(...venueMarketOf(key)));
    this.accounts = new KeyedSemaphores(limits.perAccount);
  }

  /** Sends `signal` to every follower at once; each settles on its own and none waits for another's failure. */
  async copySignal(signal: Signal, followers: readonly Follower[], options: CopyOptions = {}): Promise<FollowerResult[]> {
    return Promise.all(
      followers.map(async (follower) => {
        const account = `${follower.config.exchange}:${follower.config.credentials.apiKey}`;
        const venue = this.venues.for(`${follower.config.exchange}:${marketOf(signal)}`);
        const result = await this.accounts.for(account).use(() => venue.use(() => this.copyToFollower(signal, follower, options)));
        options.onFollowerDone?.(result);
        return result;
      }),
    );
  }

  /**
   * Reads, before the first signal, the equity of every `equity` follower in every wallet the
   * signals trade in. Sizing then starts from the balances as they stand before any order, whether
   * the run is real or dry: read lazily, a wallet shared by spot and futures (Bybit's unified
   * account) would be read after the session's spot buys had spent from it in a real run, and
   * before in a dry run, which sends none. A failed read is not remembered; the signal that needs
   * it reads again.
   */
  async readEquities(signals: readonly Signal[], followers: readonly Follower[], abort?: AbortSignal): Promise<void> {
    const markets = [...new Set(signals.filter(isOpenSignal).map(marketOf))];
    await Promise.allSettled(
      followers
        .filter((follower) => follower.config.sizing.rule === 'equity')
        .flatMap((follower) => markets.map((market) => this.venues.for(follower.config.exchange).use(() => this.equityOf(follower, market, abort)))),
    );
  }

  /**
   * The follower's equity in USDT in the signal's wallet, read once per run: sizing then stays
   * stable across the session and costs one request per follower and wallet.
   */
  private equityOf(follower: Follower, market: MarketType, abort: AbortSignal | undefined): Promise<Decimal> {
    const key = `${follower.config.id}:${market}`;
    let equity = this.equities.get(key);
    if (equity === undefined) {
      equity = follower.port.getBalance('USDT', { market, signal: abort }).then((balance) => balance.total);
      // A failed read is not remembered: the next signal tries again.
      equity.catch(() => this.equities.delete(key));
      this.equities.set(key, equity);
    }
    return equity;
  }

  private async copyToFollower(signal: Signal, follower: Follower, options: CopyOptions): Promise<FollowerResult> {
    const clientOrderKey = idempotencyKeyFor(signal.id, follower.config.id);
    const base = { followerId: follower.config.id, exchange: follower.config.exchange, clientOrderKey, clientOrderId: clientOrderIdFor(clientOrderKey) };
    try {
      // Before sizing: an earlier run's order is re-issued as it recorded it. Sizing again would read
      // the balance or position that order already changed ("holds no BTC to sell").
      const recorded = await recordedEntry(signal, follower, base.clientOrderId);
      if (recorded !== undefined) return await this.reissue(recorded, follower, base, options);
      if (isReduceSignal(signal) && !reducesWholeLeg(signal)) return await this.reduce(signal, follower, base, options);
      if (!isOpenSignal(signal)) return await this.close(signal, follower, base, options);
      const decision = await this.size(signal, follower, options);
      if (decision.kind === 'skip') return { ...base, status: 'skipped', reason: decision.reason };
      const sent = { ...base, quantity: decision.quantity, leverage: decision.leverage };
      if (options.dryRun === true) return { ...sent, status: 'dry-run' };
      const now = options.now ?? (() => performance.now());
      const started = now();
      const order = await placeOrder(follower.port, openCall(signal, decision.quantity, decision.leverage), { clientOrderId: base.clientOrderId, signal: options.signal });
      return { ...sent, status: 'placed', order, origin: order.origin, latencyMs: Math.round(now() - started) };
    } catch (error) {
      return { ...base, status: 'failed', reason: describeError(error) };
    }
  }

  /** Sends the journal's recorded request again under its id: the adapter answers from the journal or looks the order up first. */
  private async reissue(entry: JournalEntry, follower: Follower, base: Omit<FollowerResult, 'status'>, options: CopyOptions): Promise<FollowerResult> {
    const { request } = entry;
    const recorded = { ...base, quantity: request.quantity === undefined ? undefined : new Decimal(request.quantity), leverage: request.leverage };
    if (options.dryRun === true) return { ...recorded, status: 'dry-run', reason: `in the journal (${entry.state}): would re-issue the recorded order` };
    const now = options.now ?? (() => performance.now());
    const started = now();
    try {
      const order = await placeOrder(follower.port, recordedCall(request), { clientOrderId: base.clientOrderId, signal: options.signal });
      return { ...recorded, status: 'placed', quantity: recorded.quantity ?? order.requestedQuantity, order, origin: order.origin, latencyMs: Math.round(now() - started) };
    } catch (error) {
      if ((request.operation === 'closeFuturesPosition' || request.operation === 'reduceFuturesPosition') && PositionNotFoundError.isInstance(error)) {
        return { ...base, status: 'skipped', reason: `no ${request.positionSide ?? ''} position on ${request.symbol}` };
      }
      throw error;
    }
  }

  /** The one sizing path of a real run and a dry run alike: the same reads, then `sizeOrder`. */
  private async size(signal: OpenSignal, follower: Follower, options: CopyOptions): Promise<SizingDecision> {
    const abort = options.signal;
    const market = marketOf(signal);
    const symbolInfo = await follower.port.getSymbolInfo(signal.symbol, { market, signal: abort });
    options.onSymbolInfo?.(follower.config.exchange, symbolInfo);
    const followerEquity = follower.config.sizing.rule === 'equity' ? await this.equityOf(follower, market, abort) : undefined;
    const held = signal.action === 'spotSell' ? (await follower.port.getBalance(symbolInfo.base, { market: 'spot', signal: abort })).free : undefined;
    return sizeOrder({ signal, follower: follower.config, symbolInfo, followerEquity, held });
  }

  /**
   * A close, or a reduce of the master's whole leg: the adapter reads the leg and sends it whole in
   * one step, so the follower's whole leg goes as the master's did, whatever changed it since.
   */
  private async close(signal: CloseSignal | ReduceSignal, follower: Follower, base: Omit<FollowerResult, 'status'>, options: CopyOptions): Promise<FollowerResult> {
    const side = positionSideOf(signal);
    if (options.dryRun === true) return { ...base, status: 'dry-run', reason: `would close the whole ${side} leg` };
    const now = options.now ?? (() => performance.now());
    const started = now();
    try {
      const order = await placeOrder(follower.port, closeCall(signal), { clientOrderId: base.clientOrderId, signal: options.signal });
      return { ...base, status: 'placed', quantity: order.requestedQuantity, order, origin: order.origin, latencyMs: Math.round(now() - started) };
    } catch (error) {
      // A follower who never opened (skipped, or joined later) has nothing to close: not a failure.
      if (PositionNotFoundError.isInstance(error)) return { ...base, status: 'skipped', reason: `no ${side} position on ${signal.symbol}` };
      throw error;
    }
  }

  /**
   * A partial close: the follower's own leg is read just before sending, its share sized
   * (`sizeReduce`), then reduced by it. The adapter reads the leg again as it sends and refuses a
   * quantity above it, so a leg that shrank in between is not over-closed.
   */
  private async reduce(signal: ReduceSignal, follower: Follower, base: Omit<FollowerResult, 'status'>, options: CopyOptions): Promise<FollowerResult> {
    const abort = options.signal;
    const side = positionSideOf(signal);
    const symbolInfo = await follower.port.getSymbolInfo(signal.symbol, { market: 'futures', signal: abort });
    options.onSymbolInfo?.(follower.config.exchange, symbolInfo);
    const leg = await follower.port.getFuturesPosition(signal.symbol, side, { signal: abort });
    const decision = sizeReduce({ signal, leg, symbolInfo });
    if (decision.kind === 'skip') return { ...base, status: 'skipped', reason: decision.reason };
    const sent = { ...base, quantity: decision.quantity };
    if (options.dryRun === true) return { ...sent, status: 'dry-run', reason: `would reduce the ${side} leg ${leg.toFixed()} by ${decision.quantity.toFixed()}` };
    const now = options.now ?? (() => performance.now());
    const started = now();
    try {
      const order = await placeOrder(follower.port, reduceCall(signal, decision.quantity), { clientOrderId: base.clientOrderId, signal: abort });
      return { ...sent, status: 'placed', order, origin: order.origin, latencyMs: Math.round(now() - started) };
    } catch (error) {
      // The leg was closed between the read and the order: nothing to reduce, not a failure.
      if (PositionNotFoundError.isInstance(error)) return { ...base, status: 'skipped', reason: `no ${side} position on ${signal.symbol}` };
      throw error;
    }
  }
}

/** The venue and market of a `venue:market` semaphore key. */
function venueMarketOf(key: string): [Venue, MarketType] {
  const [venue, market] = key.split(':');
  return [venue as Venue, market === 'futures' ? 'futures' : 'spot'];
}

/** The port call an opening signal makes, sized. */
function openCall(signal: OpenSignal, quantity: Decimal, leverage: number | undefined): JournalOrderCall {
  switch (signal.action) {
    case 'spotBuy':
      return { operation: 'executeSpotBuy', symbol: signal.symbol, quantity };
    case 'spotSell':
      return { operation: 'executeSpotSell', symbol: signal.symbol, quantity };
    case 'futuresLong':
      return { operation: 'executeFuturesLong', symbol: signal.symbol, quantity, leverage: leverage ?? 1 };
    case 'futuresShort':
      return { operation: 'executeFuturesShort', symbol: signal.symbol, quantity, leverage: leverage ?? 1 };
  }
}

/** The port call a reduce makes, sized. */
function reduceCall(signal: ReduceSignal, quantity: Decimal): JournalOrderCall {
  return { operation: 'reduceFuturesPosition', symbol: signal.symbol, positionSide: positionSideOf(signal), quantity };
}

/** The port call a close makes (a reduce of the master's whole leg is one). */
function closeCall(signal: CloseSignal | ReduceSignal): JournalOrderCall {
  return { operation: 'closeFuturesPosition', symbol: signal.symbol, positionSide: positionSideOf(signal) };
}

/** The port call a journal entry recorded. */
function recordedCall(request: JournalOrderRequest): JournalOrderCall {
  const quantity = new Decimal(request.quantity ?? '0');
  switch (request.operation) {
    case 'executeSpotBuy':
    case 'executeSpotSell':
      return { operation: request.operation, symbol: request.symbol, quantity };
    case 'executeFuturesLong':
    case 'executeFuturesShort':
      return { operation: request.operation, symbol: request.symbol, quantity, leverage: request.leverage ?? 1 };
    case 'closeFuturesPosition':
      return { operation: request.operation, symbol: request.symbol, positionSide: request.positionSide ?? (request.side === 'sell' ? 'long' : 'short') };
    case 'reduceFuturesPosition':
      return { operation: request.operation, symbol: request.symbol, positionSide: request.positionSide ?? (request.side === 'sell' ? 'long' : 'short'), quantity };
  }
}

function placeOrder(port: ExchangePort, call: JournalOrderCall, options: { readonly clientOrderId: string; readonly signal: AbortSignal | undefined }): Promise<OrderResult> {
  switch (call.operation) {
    case 'executeSpotBuy':
      return port.executeSpotBuy(call.symbol, call.quantity, options);
    case 'executeSpotSell':
      return port.executeSpotSell(call.symbol, call.quantity, options);
    case 'executeFuturesLong':
      return port.executeFuturesLong(call.symbol, call.quantity, call.leverage, options);
    case 'executeFuturesShort':
      return port.executeFuturesShort(call.symbol, call.quantity, call.leverage, options);
    case 'closeFuturesPosition':
      return port.closeFuturesPosition(call.symbol, call.positionSide, options);
    case 'reduceFuturesPosition':
      return port.reduceFuturesPosition(call.symbol, call.positionSide, call.quantity, options);
  }
}

/**
 * The port call a signal makes, as far as it is known before sizing: an open and a partial reduce
 * with the master's quantity (the follower's is sized later), a close whole.
 */
function unsizedCall(signal: Signal): JournalOrderCall {
  if (isCloseSignal(signal)) return closeCall(signal);
  if (isOpenSignal(signal)) return openCall(signal, signal.quantity, signal.leverage);
  return reducesWholeLeg(signal) ? closeCall(signal) : reduceCall(signal, signal.quantity);
}

/**
 * The journal entry an earlier run left for this pair, when it must be re-issued rather than sized:
 * placed, pending or unknown (a refusal consumed nothing, so the pair is sized afresh). An entry
 * recorded for another order — a signal id reused for a different trade — is an
 * IdempotencyConflictError before anything is sent.
 */
async function recordedEntry(signal: Signal, follower: Follower, clientOrderId: string): Promise<JournalEntry | undefined> {
  if (follower.journal === undefined) return undefined;
  const key: JournalKey = { exchange: follower.config.exchange, account: follower.config.id, clientOrderId };
  const entry = await follower.journal.get(key);
  if (entry === undefined || entry.state === 'refused') return undefined;
  const call = unsizedCall(signal);
  const positionSide = isOpenSignal(signal) ? undefined : positionSideOf(signal);
  const same = entry.request.operation === call.operation && entry.request.symbol === parseSymbol(signal.symbol).unified && (positionSide === undefined || entry.request.positionSide === positionSide);
  if (same) return entry;
  // Not sized (the conflict is certain whatever the size): an open or a reduce is described with the master's quantity.
  throw idempotencyConflict({ key, requested: journalOrderRequest(call), existing: entry.request });
}

/** One line a user can act on: the error's class and message, never a stack, never a signature or password. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactMessage(`${error.name}: ${error.message.split('\n')[0] ?? ''}`);
  return redactMessage(String(error));
}
