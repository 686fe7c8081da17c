import { PositionNotFoundError } from '@xport/core';
import type { Decimal, ExchangePort, MarketType, OrderResult } from '@xport/core';

import type { FollowerConfig, Venue } from './followers-config';
import { redactMessage } from './redact-message';
import { KeyedSemaphores } from './semaphore';
import type { CloseSignal, OpenSignal, Signal } from './signals';
import { isCloseSignal, marketOf } from './signals';
import type { SizingDecision } from './sizing';
import { sizeOrder } from './sizing';

/** A follower ready to trade: its validated entry and the adapter for its account. */
export interface Follower {
  readonly config: FollowerConfig;
  readonly port: ExchangePort;
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
  readonly clientOrderKey: string;
  readonly order?: OrderResult | undefined;
  /** The order call alone, from send to result; absent when nothing was sent. */
  readonly latencyMs?: number | undefined;
}

/** How many orders may be in flight at once. */
export interface FanOutLimits {
  /** Orders in flight per venue across all its accounts. */
  readonly perVenue: number;
  /** Orders in flight per account (an account's leverage change and order must not interleave). */
  readonly perAccount: number;
}

/** 16 orders in flight per venue, one per account. */
export const DEFAULT_LIMITS: FanOutLimits = { perVenue: 16, perAccount: 1 };

/** How one signal is copied: for real or as a dry run, with a stop signal, a clock and a per-follower callback. */
export interface CopyOptions {
  readonly dryRun?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds from any origin: latencies are differences. */
  readonly now?: (() => number) | undefined;
  /** Called as each follower finishes, before the whole signal has. */
  readonly onFollowerDone?: ((result: FollowerResult) => void) | undefined;
}

/** Bounds concurrency per venue and per account, and remembers equity reads for the whole run. */
export class FanOut {
  private readonly venues: KeyedSemaphores;
  private readonly accounts: KeyedSemaphores;
  private readonly equities = new Map<string, Promise<Decimal>>();

  constructor(readonly limits: FanOutLimits = DEFAULT_LIMITS) {
    this.venues = new KeyedSemaphores(limits.perVenue);
    this.accounts = new KeyedSemaphores(limits.perAccount);
  }

  /** Sends `signal` to every follower at once; each settles on its own and none waits for another's failure. */
  async copySignal(signal: Signal, followers: readonly Follower[], options: CopyOptions = {}): Promise<FollowerResult[]> {
    return Promise.all(
      followers.map(async (follower) => {
        const account = `${follower.config.exchange}:${follower.config.credentials.apiKey}`;
        const result = await this.accounts.for(account).use(() => this.venues.for(follower.config.exchange).use(() => this.copyToFollower(signal, follower, options)));
        options.onFollowerDone?.(result);
        return result;
      }),
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
    const base = { followerId: follower.config.id, exchange: follower.config.exchange, clientOrderKey: `${signal.id}:${follower.config.id}` };
    try {
      if (isCloseSignal(signal)) return await this.close(signal, follower, base, options);
      const decision = await this.size(signal, follower, options.signal);
      if (decision.kind === 'skip') return { ...base, status: 'skipped', reason: decision.reason };
      const sent = { ...base, quantity: decision.quantity, leverage: decision.leverage };
      if (options.dryRun === true) return { ...sent, status: 'dry-run' };
      const now = options.now ?? (() => performance.now());
      const started = now();
      const order = await placeOpen(follower.port, signal, decision.quantity, decision.leverage, { idempotencyKey: base.clientOrderKey, signal: options.signal });
      return { ...sent, status: 'placed', order, latencyMs: now() - started };
    } catch (error) {
      return { ...base, status: 'failed', reason: describeError(error) };
    }
  }

  private async size(signal: OpenSignal, follower: Follower, abort: AbortSignal | undefined): Promise<SizingDecision> {
    const market = marketOf(signal);
    const symbolInfo = await follower.port.getSymbolInfo(signal.symbol, { market, signal: abort });
    const followerEquity = follower.config.sizing.rule === 'equity' ? await this.equityOf(follower, market, abort) : undefined;
    const held = signal.action === 'spotSell' ? (await follower.port.getBalance(symbolInfo.base, { market: 'spot', signal: abort })).free : undefined;
    return sizeOrder({ signal, follower: follower.config, symbolInfo, followerEquity, held });
  }

  private async close(signal: CloseSignal, follower: Follower, base: Omit<FollowerResult, 'status'>, options: CopyOptions): Promise<FollowerResult> {
    const side = signal.action === 'closeLong' ? 'long' : 'short';
    if (options.dryRun === true) return { ...base, status: 'dry-run', reason: `would close the whole ${side} leg` };
    const now = options.now ?? (() => performance.now());
    const started = now();
    try {
      const order = await follower.port.closeFuturesPosition(signal.symbol, side, { idempotencyKey: base.clientOrderKey, signal: options.signal });
      return { ...base, status: 'placed', quantity: order.requestedQuantity, order, latencyMs: now() - started };
    } catch (error) {
      // A follower who never opened (skipped, or joined later) has nothing to close: not a failure.
      if (PositionNotFoundError.isInstance(error)) return { ...base, status: 'skipped', reason: `no ${side} position on ${signal.symbol}` };
      throw error;
    }
  }
}

function placeOpen(
  port: ExchangePort,
  signal: OpenSignal,
  quantity: Decimal,
  leverage: number | undefined,
  options: { readonly idempotencyKey: string; readonly signal: AbortSignal | undefined },
): Promise<OrderResult> {
  switch (signal.action) {
    case 'spotBuy':
      return port.executeSpotBuy(signal.symbol, quantity, options);
    case 'spotSell':
      return port.executeSpotSell(signal.symbol, quantity, options);
    case 'futuresLong':
      return port.executeFuturesLong(signal.symbol, quantity, leverage ?? 1, options);
    case 'futuresShort':
      return port.executeFuturesShort(signal.symbol, quantity, leverage ?? 1, options);
  }
}

/** One line a user can act on: the error's class and message, never a stack, never a signature or password. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return redactMessage(`${error.name}: ${error.message.split('\n')[0] ?? ''}`);
  return redactMessage(String(error));
}
