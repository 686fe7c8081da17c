import type { MarketType } from '@xport/core';
import type { CircuitState } from '@xport/resilience';

import type { VenueOperation } from './venue-profile';

/** Which budget a request waited for: the address's (per venue market), an endpoint's within it, or the account's own. */
export type BudgetScope = 'ip' | 'endpoint' | 'account';

/** The venue refused a request for rate: HTTP 429, a 418 ban, Bybit's 403, Binance -1003/-1015, Bybit 10006. */
export interface RateLimitedEvent {
  readonly type: 'rate_limited';
  readonly venue: string;
  readonly market: MarketType;
  readonly operation: VenueOperation;
  /**
   * What the venue said: the code of an account's refusal (`-1015`, `10006`), else the HTTP status
   * (`429`, `418` for a ban, `403`), else the venue's code.
   */
  readonly refusal: string;
  /** `account`: the account's own budget is spent; `ip`: every key on the address waits. */
  readonly scope: 'account' | 'ip';
  /** How long the venue asked everyone holding the budget to wait; undefined when it named no wait. */
  readonly waitMs: number | undefined;
  readonly time: number;
}

/** One request's wait for one of its budgets before it was signed (0 when it fitted at once). */
export interface BudgetWaitEvent {
  readonly type: 'budget_wait';
  readonly venue: string;
  readonly market: MarketType;
  readonly operation: VenueOperation;
  readonly scope: BudgetScope;
  /** Adapter clock milliseconds between asking and being granted. */
  readonly waitedMs: number;
  readonly time: number;
}

/** A venue-market breaker changed state (as this process saw it). */
export interface BreakerStateEvent {
  readonly type: 'breaker_state';
  readonly venue: string;
  readonly market: MarketType;
  readonly from: CircuitState;
  readonly to: CircuitState;
  readonly time: number;
}

/**
 * What the adapter reports about the venue's limits and health, for metrics: rate-limit refusals,
 * budget waits and breaker states. Listeners are called synchronously; one that throws is ignored.
 */
export type VenueEvent = RateLimitedEvent | BudgetWaitEvent | BreakerStateEvent;

export type VenueEventListener = (event: VenueEvent) => void;

/** The listeners of one venue runtime: every adapter's (each listener once), told of every event. */
export class VenueEventHub {
  readonly #listeners = new Set<VenueEventListener>();

  add(listener: VenueEventListener | undefined): void {
    if (listener !== undefined) this.#listeners.add(listener);
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  emit(event: VenueEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A metrics listener's failure must not fail a request.
      }
    }
  }
}
