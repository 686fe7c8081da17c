import type { ExchangePort, MarketType } from '@xport/core';

/**
 * What a ccxt-backed adapter exposes of its venue-wide state (`adapter.runtime`). Other adapters may
 * have none of it, so every probe answers undefined rather than failing.
 */
interface RuntimeLike {
  readonly marketLoads?: unknown;
  breaker?(market: MarketType): unknown;
  limiter?(market: MarketType): unknown;
}

function runtimeOf(adapter: ExchangePort): RuntimeLike | undefined {
  const runtime = (adapter as { runtime?: unknown }).runtime;
  return typeof runtime === 'object' && runtime !== null ? runtime : undefined;
}

/** The venue-market breaker's state (`closed`, `open`, `half_open`, `isolated`), when the adapter shows it. */
export function breakerState(adapter: ExchangePort, market: MarketType): string | undefined {
  const runtime = runtimeOf(adapter);
  if (typeof runtime?.breaker !== 'function') return undefined;
  const state = (runtime.breaker(market) as { state?: unknown } | undefined)?.state;
  return typeof state === 'string' ? state : undefined;
}

/** The venue-market breaker object itself, to prove two adapters share one. */
export function breakerOf(adapter: ExchangePort, market: MarketType): unknown {
  const runtime = runtimeOf(adapter);
  return typeof runtime?.breaker === 'function' ? runtime.breaker(market) : undefined;
}

/** How many times the venue's markets were actually loaded, when the adapter counts it. */
export function marketLoadsOf(adapter: ExchangePort): number | undefined {
  const loads = runtimeOf(adapter)?.marketLoads;
  return typeof loads === 'number' ? loads : undefined;
}

/** The part of a venue's request budget a test reads: what is spent of how much. */
export interface RequestBudgetLike {
  readonly usage: { readonly used: number; readonly capacity: number };
  /** Adopts a server-reported count for the current window (RateLimiter.observe). */
  observe?(used: number): void;
}

/** The shared request budget of one market, when the adapter exposes it. */
export function requestBudgetOf(adapter: ExchangePort, market: MarketType): RequestBudgetLike | undefined {
  const runtime = runtimeOf(adapter);
  if (typeof runtime?.limiter !== 'function') return undefined;
  const limiter = runtime.limiter(market) as Partial<RequestBudgetLike> | undefined;
  return typeof limiter?.usage?.used === 'number' ? (limiter as RequestBudgetLike) : undefined;
}
