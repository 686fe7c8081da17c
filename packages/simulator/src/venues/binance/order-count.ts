import type { Market, VenueResponse, VenueRoute } from '../../contract';
import { binanceError, marketOfPath } from './errors';
import { BINANCE_BUDGETS, retryAfterSeconds, type BinanceBudgets } from './rate-limit';
import { FixedWindowCounter } from '../shared/fixed-window';

export type OrderInterval = 'SECOND' | 'MINUTE' | 'DAY';

/** One `ORDERS` rate limit, as `exchangeInfo.rateLimits` publishes it. */
export interface OrderRateLimit {
  readonly interval: OrderInterval;
  readonly intervalNum: number;
  readonly limit: number;
}

const INTERVAL_MS: Readonly<Record<OrderInterval, number>> = { SECOND: 1_000, MINUTE: 60_000, DAY: 86_400_000 };
const INTERVAL_LETTER: Readonly<Record<OrderInterval, string>> = { SECOND: 'S', MINUTE: 'M', DAY: 'D' };

/** Binance takes a filled spot order off the unfilled count "within 1000ms" of the fill. */
export const SPOT_FILL_DECREMENT_MS = BINANCE_BUDGETS.binanceSpotFillDecrementMs.real;

/** The `ORDERS` limits the simulator enforces on a market, which its exchangeInfo publishes. */
export function orderRateLimits(budgets: BinanceBudgets, market: Market): readonly OrderRateLimit[] {
  const limit = (name: 'binanceSpotOrdersPer10s' | 'binanceSpotOrdersPerDay' | 'binanceFuturesOrdersPer10s' | 'binanceFuturesOrdersPerMinute'): number =>
    budgets[name] ?? BINANCE_BUDGETS[name].real;
  if (market === 'spot') {
    return [
      { interval: 'SECOND', intervalNum: 10, limit: limit('binanceSpotOrdersPer10s') },
      { interval: 'DAY', intervalNum: 1, limit: limit('binanceSpotOrdersPerDay') },
    ];
  }
  return [
    { interval: 'SECOND', intervalNum: 10, limit: limit('binanceFuturesOrdersPer10s') },
    { interval: 'MINUTE', intervalNum: 1, limit: limit('binanceFuturesOrdersPerMinute') },
  ];
}

/**
 * `-1015` on HTTP 429: the order was refused before it reached the matching engine. Spot names the
 * wait in `Retry-After`; USDⓈ-M documents no Retry-After for it and sends none.
 */
export function tooManyOrders(limit: OrderRateLimit, retryAfterMs: number | undefined): VenueResponse {
  const msg = `Too many new orders; current limit is ${limit.limit} orders per ${limit.intervalNum} ${limit.interval}.`;
  return binanceError(429, -1015, msg, retryAfterMs === undefined ? undefined : { 'Retry-After': retryAfterSeconds(retryAfterMs) });
}

interface CountedWindow {
  readonly limit: OrderRateLimit;
  readonly counter: FixedWindowCounter;
  /** `X-MBX-ORDER-COUNT-10S`, `-1D`, `-1M`. */
  readonly header: string;
}

/**
 * Binance's per-account order counts: every accepted order counts in each `ORDERS` window of its
 * market (spot and USDⓈ-M are separate systems with separate counts), shared by every key and IP
 * of the account. Over a limit the order is refused with -1015 and not counted.
 *
 * Spot limits *unfilled* orders: when an order first fills, the count goes down by one again, a
 * moment later. The market orders the simulator fills at once therefore count only until their
 * decrement is due (`binanceSpotFillDecrementMs` after the fill), which is what a burst can run into.
 * The answer to the order itself still shows the count with the order in it.
 */
export class BinanceOrderCounter {
  private readonly windows: Readonly<Record<Market, readonly CountedWindow[]>>;
  private readonly decrementMs: number;
  /** Per account: when each filled spot order's decrement falls due, oldest first. */
  private readonly pendingDecrements = new Map<string, number[]>();

  constructor(budgets: BinanceBudgets) {
    const windowsOf = (market: Market): CountedWindow[] =>
      orderRateLimits(budgets, market).map((limit) => ({
        limit,
        counter: new FixedWindowCounter(limit.intervalNum * INTERVAL_MS[limit.interval]),
        header: `X-MBX-ORDER-COUNT-${String(limit.intervalNum)}${INTERVAL_LETTER[limit.interval]}`,
      }));
    this.windows = { spot: windowsOf('spot'), futures: windowsOf('futures') };
    this.decrementMs = budgets.binanceSpotFillDecrementMs ?? SPOT_FILL_DECREMENT_MS;
  }

  limits(market: Market): readonly OrderRateLimit[] {
    return this.windows[market].map((window) => window.limit);
  }

  /** Before placement: the -1015 refusal when one of the account's limits on `market` is spent. */
  check(uid: string, market: Market, now: number): VenueResponse | undefined {
    this.applyDueDecrements(uid, market, now);
    let spent: { window: CountedWindow; resetAt: number } | undefined;
    for (const window of this.windows[market]) {
      const use = window.counter.peek(uid, now);
      if (use.used >= window.limit.limit && (spent === undefined || use.resetAt > spent.resetAt)) spent = { window, resetAt: use.resetAt };
    }
    if (spent === undefined) return undefined;
    return tooManyOrders(spent.window.limit, market === 'spot' ? spent.resetAt - now : undefined);
  }

  /** After an accepted (and, here, filled) order: counts it and returns the order-count headers. */
  record(uid: string, market: Market, now: number): Readonly<Record<string, string>> {
    this.applyDueDecrements(uid, market, now);
    const headers: Record<string, string> = {};
    for (const window of this.windows[market]) headers[window.header] = String(window.counter.hit(uid, now).used);
    if (market === 'spot') {
      const pending = this.pendingDecrements.get(uid);
      if (pending === undefined) this.pendingDecrements.set(uid, [now + this.decrementMs]);
      else pending.push(now + this.decrementMs);
    }
    return headers;
  }

  private applyDueDecrements(uid: string, market: Market, now: number): void {
    if (market !== 'spot') return;
    const pending = this.pendingDecrements.get(uid);
    if (pending === undefined) return;
    let due = 0;
    for (const at of pending) {
      if (at > now) break;
      for (const window of this.windows.spot) window.counter.release(uid, at);
      due += 1;
    }
    if (due === pending.length) this.pendingDecrements.delete(uid);
    else if (due > 0) pending.splice(0, due);
  }
}

/**
 * An order-placement route under the account's order counts: refused with -1015 before anything
 * runs when a limit is spent, counted (with the `X-MBX-ORDER-COUNT-*` headers) when accepted.
 */
export function countOrders(route: VenueRoute, counter: BinanceOrderCounter): VenueRoute {
  const market = marketOfPath(route.path);
  return {
    ...route,
    handle: (ctx) => {
      const uid = ctx.account?.uid;
      if (uid === undefined) return route.handle(ctx);
      const now = ctx.engine.now();
      const refusal = counter.check(uid, market, now);
      if (refusal) return refusal;
      const response = route.handle(ctx);
      if (response.status !== 200) return response;
      return { ...response, headers: { ...response.headers, ...counter.record(uid, market, now) } };
    },
  };
}
