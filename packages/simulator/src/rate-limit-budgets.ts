import type { BudgetSpec, BudgetValues } from './budget-spec';
import { VENUE_MODULES, type VenueName } from './venues/registry';

/** The budget declarations of each venue module, as a union. */
export type DeclaredBudgets = (typeof VENUE_MODULES)[number]['budgets'];
/** A union of objects merged into one object type (an intersection). */
export type Together<Union> = (Union extends unknown ? (each: Union) => void : never) extends (all: infer All) => void ? All : never;
/** Every venue module's budget declarations together, by option name. */
export type AllBudgets = Together<DeclaredBudgets>;

/** A budget's option name, e.g. `binanceWeightPerMinute`. */
export type BudgetName = keyof AllBudgets;
/** The budgets that have an out-of-reach value (limits, not delays). */
export type LiftedName = { [Name in BudgetName]: AllBudgets[Name] extends { readonly lifted: number } ? Name : never }[BudgetName];

/**
 * Rate-limit budgets the venues start from, each unset one at the venue's published limit; tests
 * shrink them to reach a limit in a few requests, load tests lift them. IP budgets are kept per
 * client source address, account budgets per account. The names and their meaning come from the
 * venue modules (`RATE_LIMIT_BUDGETS` lists them, `xport-sim --help` prints them).
 */
export type RateLimitBudgets = BudgetValues<AllBudgets>;

/** One budget a venue module declares, with its name and venue. */
export interface DeclaredBudget extends BudgetSpec {
  readonly name: BudgetName;
  readonly venue: VenueName;
}

/** Every budget the venue modules take, venue by venue in their declared order. */
export const RATE_LIMIT_BUDGETS: readonly DeclaredBudget[] = VENUE_MODULES.flatMap((venue) =>
  Object.entries(venue.budgets).map(([name, spec]: [string, BudgetSpec]) => ({ ...spec, name: name as BudgetName, venue: venue.name })),
);

/**
 * Budgets so high that nothing a load test or a fault soak sends reaches them, for runs that test
 * something other than rate limits: every limit a venue module declares at its `lifted` value
 * (delays, such as Binance's spot fill decrement, stay as they are).
 */
export const LIFTED_BUDGETS: Readonly<Record<LiftedName, number>> = Object.fromEntries(
  RATE_LIMIT_BUDGETS.flatMap((budget) => (budget.lifted === undefined ? [] : [[budget.name, budget.lifted]])),
) as Record<LiftedName, number>;
