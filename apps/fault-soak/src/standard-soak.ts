import { LIFTED_BUDGETS } from '@xport/simulator';
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

/** Simulator budgets out of reach (every one of them, IP and account): the only 429s are the injected ones. */
export const SOAK_BUDGETS: RateLimitBudgets = LIFTED_BUDGETS;
