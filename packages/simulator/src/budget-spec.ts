/**
 * How a venue module declares the rate-limit budgets it takes. Each budget replaces one of the
 * venue's published limits (or, for a delay, one of its documented timings); the simulator's
 * options, the `xport-sim` flags and their help, and `LIFTED_BUDGETS` are all read from these
 * declarations, so a venue's budgets are named in its own folder only.
 */
export interface BudgetSpec {
  /** The `xport-sim` flag that sets it, without the dashes, e.g. `binance-weight-per-minute`. */
  readonly flag: string;
  /** What the venue limits, per what and over which window, for `--help`. */
  readonly meaning: string;
  /**
   * The venue's documented value, the one in force while the budget is unset (a text where the
   * limit differs by endpoint or market, e.g. `10 on linear, 20 on spot`); its source is in
   * FIDELITY.md.
   */
  readonly real: number | string;
  /**
   * `limit`: a count, at least 1, which `LIFTED_BUDGETS` sets to `lifted`, out of anything a load
   * test sends. `delay`: milliseconds, at least 0, left as they are by `LIFTED_BUDGETS`.
   */
  readonly kind: 'limit' | 'delay';
  /** A `limit`'s value in `LIFTED_BUDGETS`. */
  readonly lifted?: number;
}

/** A venue module's budgets by option name, e.g. `{ binanceWeightPerMinute: { … } }`. */
export type BudgetSpecs = Readonly<Record<string, BudgetSpec>>;

/** The values a caller may set for `Specs`: any of them, each a number; unset means the real limit. */
export type BudgetValues<Specs> = { readonly [Name in keyof Specs]?: number };

/** Out of reach of anything a load test or a fault soak sends. */
export const OUT_OF_REACH = 1_000_000_000;

/** The smallest value a budget takes: a limit of 0 would refuse everything, a delay of 0 is none. */
export function budgetMinimum(spec: BudgetSpec): number {
  return spec.kind === 'delay' ? 0 : 1;
}

/** `N` for a count, `MS` for a delay: the flag's argument in `--help`. */
export function budgetArgument(spec: BudgetSpec): string {
  return spec.kind === 'delay' ? 'MS' : 'N';
}
