import type { RateLimitBudgets } from '@xport/simulator';

import type { SoakOptions } from './run-xport-soak';

/** The soak the test asserts on and the side-by-side benchmark repeats: one definition for both. */
export const STANDARD_SOAK: SoakOptions = {
  orders: 2_010,
  accountsPerVenue: 20,
  concurrency: 96,
  // Generous for one request while 96 orders share one event loop with the simulator on a loaded
  // 2-core machine (500 ms once let a leverage call time out six times); the slow faults answer
  // after it.
  timeoutMs: 1_000,
  faults: { probability: 0.04, slowMs: 1_100, queryLagMs: 100, queryLagProbability: 0.3 },
  runId: 'a',
};

/**
 * Simulator budgets out of reach: the only 429s are the injected ones. Every budget the simulator
 * takes is required here, so a venue that brings a new one cannot be soaked at its real limit by
 * mistake.
 */
export const SOAK_BUDGETS: Required<RateLimitBudgets> = { binanceWeightPerMinute: 10_000_000, bybitOrdersPerSecond: 100_000, bitgetRequestsPerSecond: 100_000 };
