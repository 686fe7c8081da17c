import type { MarketType } from '@xport/core';
import { descriptorOf } from '@xport/venues';

import type { Venue } from './followers-config';

/** One request budget as a venue profile publishes it: `capacity` requests (or weight) per `intervalMs`. */
export interface BudgetShape {
  readonly capacity: number;
  readonly intervalMs: number;
}

/** How in-flight orders per venue follow from its budget (see `concurrencyFromBudget`). */
export interface ConcurrencySettings {
  /** The round trip one request is expected to take, ms: a venue's from a host near it, plus signing and queueing. */
  readonly latencyMs: number;
  /** Never fewer in flight than this, however small the budget (a slow venue still gets parallel sends). */
  readonly floor: number;
  /** Never more than this, however large the budget (sockets, memory, and a burst no venue needs). */
  readonly cap: number;
}

/** 250 ms expected latency, at least 4 and at most 64 orders in flight. */
export const DEFAULT_CONCURRENCY: ConcurrencySettings = { latencyMs: 250, floor: 4, cap: 64 };

/**
 * Orders in flight that keep a budget busy and no more (Little's law: in flight = rate × latency).
 * The budget admits `capacity / intervalMs` requests a second; an order's requests go one after
 * another, so however many requests an order takes, `rate × latency` orders in flight send at the
 * budget's rate. More would only queue inside the adapter's rate limiter (holding a slot a later
 * follower could use for its sizing); fewer would leave budget unspent.
 *
 * Binance spot (6,000 weight a minute, an order weighs 1): 100/s × 0.25 s = 25. Bybit (40 a second
 * per market): 10. Bitget (3,000 a minute per market): 13. Binance USDⓈ-M (2,400 a minute): 10.
 */
export function concurrencyFromBudget(budget: BudgetShape, settings: ConcurrencySettings = DEFAULT_CONCURRENCY): number {
  const perSecond = (budget.capacity * 1_000) / budget.intervalMs;
  const inFlight = Math.ceil((perSecond * settings.latencyMs) / 1_000);
  return Math.min(settings.cap, Math.max(settings.floor, inFlight));
}

/**
 * The in-flight limit of one venue and market from the budget its package publishes (its
 * descriptor's `requestBudgets`); a venue that publishes none gets the floor.
 */
export function budgetedConcurrency(venue: Venue, market: MarketType, settings: ConcurrencySettings = DEFAULT_CONCURRENCY): number {
  const budget = descriptorOf(venue).requestBudgets?.[market];
  return budget === undefined ? settings.floor : concurrencyFromBudget(budget, settings);
}
