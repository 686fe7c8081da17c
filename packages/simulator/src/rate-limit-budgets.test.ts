import { describe, expect, it } from 'vitest';
import { LIFTED_BUDGETS, RATE_LIMIT_BUDGETS } from './rate-limit-budgets';
import { VENUE_MODULES } from './venues/registry';

describe('the rate-limit budgets the venue modules declare', () => {
  it('are every budget of every venue module, each named and flagged after its venue, no name or flag twice', () => {
    const declared = VENUE_MODULES.flatMap((venue) => Object.keys(venue.budgets));
    expect(RATE_LIMIT_BUDGETS.map((budget) => budget.name)).toEqual(declared);
    for (const budget of RATE_LIMIT_BUDGETS) {
      expect(budget.name.startsWith(budget.venue)).toBe(true);
      expect(budget.flag.startsWith(`${budget.venue}-`)).toBe(true);
      expect(budget.flag).toMatch(/^[a-z0-9-]+$/);
    }
    expect(new Set(RATE_LIMIT_BUDGETS.map((budget) => budget.name)).size).toBe(RATE_LIMIT_BUDGETS.length);
    expect(new Set(RATE_LIMIT_BUDGETS.map((budget) => budget.flag)).size).toBe(RATE_LIMIT_BUDGETS.length);
  });

  it('LIFTED_BUDGETS sets every limit to its lifted value, out of reach, and leaves delays alone', () => {
    const limits = RATE_LIMIT_BUDGETS.filter((budget) => budget.kind === 'limit');
    expect(limits.every((budget) => budget.lifted !== undefined && budget.lifted >= 1_000_000_000)).toBe(true);
    expect(LIFTED_BUDGETS).toEqual(Object.fromEntries(limits.map((budget) => [budget.name, budget.lifted])));
    const delays = RATE_LIMIT_BUDGETS.filter((budget) => budget.kind === 'delay').map((budget) => budget.name);
    expect(delays).toEqual(['binanceSpotFillDecrementMs']);
    expect(Object.keys(LIFTED_BUDGETS)).not.toContain('binanceSpotFillDecrementMs');
  });
});
