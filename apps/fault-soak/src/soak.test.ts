import { startSimulator } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatSoakReport } from './report-table';
import { runXportSoak } from './run-xport-soak';
import { SOAK_BUDGETS, STANDARD_SOAK } from './standard-soak';

describe('exactly-once placement under faults, on all three venues at once', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7, budgets: SOAK_BUDGETS });
  });

  afterAll(async () => {
    await sim.close();
  });

  it('places 2,010 orders with zero duplicates and zero lost', async () => {
    const report = await runXportSoak(sim, STANDARD_SOAK);
    console.log(formatSoakReport('xport fault soak', report));
    const injected = Object.values(report.faultsByKind).reduce((sum, hits) => sum + hits, 0);
    expect(injected).toBeGreaterThan(report.orders / 4);
    for (const kind of ['commitThenFail/error5xx', 'commitThenFail/reset', 'commitThenFail/timeout', 'reset', 'error5xx', 'rateLimit', 'latency', 'queryLag']) {
      expect(report.faultsByKind[kind], kind).toBeGreaterThan(0);
    }
    expect(report.recoveredByLookup).toBeGreaterThan(0);
    expect(report.resubmitted).toBeGreaterThan(0);
    expect(report.otherErrors).toEqual([]);
    expect(report.unknownResolved).toBe(report.unknown);
    expect(report.duplicates).toBe(0);
    expect(report.lost).toBe(0);
  }, 180_000);
});
