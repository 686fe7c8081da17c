import { parseArgs } from 'node:util';
import { budgetArgument, budgetMinimum } from './budget-spec';
import type { CatalogueSize } from './catalogue';
import type { RateLimitBudgets } from './contract';
import { RATE_LIMIT_BUDGETS } from './rate-limit-budgets';
import { VENUE_NAMES } from './venues/registry';

/** One line per budget flag, from the venue modules' declarations: flag, meaning, real value. */
function budgetHelp(): string {
  const flags = RATE_LIMIT_BUDGETS.map((budget) => `--${budget.flag} ${budgetArgument(budget)}`);
  const width = Math.max(...flags.map((flag) => flag.length));
  return RATE_LIMIT_BUDGETS.map((budget, index) => `  ${(flags[index] ?? '').padEnd(width)}  ${budget.meaning} (real: ${String(budget.real)})`).join('\n');
}

/** `a, b and c` */
function listed(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

const venueList = listed(VENUE_NAMES.map((venue) => `${venue.charAt(0).toUpperCase()}${venue.slice(1)}`));
const prefixList = listed(VENUE_NAMES.map((venue) => `/${venue}`));

export const USAGE = `Usage: xport-sim [--port 8899] [--seed 42] [--host 127.0.0.1] [--catalogue minimal|real] [--slippage 0]
                 [rate-limit budget flags, below]

A local exchange speaking ${venueList} REST under ${prefixList},
with a JSON control API under /_sim. --port 0 picks a free port. The budget flags replace the
venues' real rate limits (raise them for load tests, lower them to reach a limit quickly). IP
budgets are kept per client source address: clients bound to 127.0.0.2, 127.0.0.3, … count as
different hosts.

Rate-limit budgets (each unset one is the venue's real limit):
${budgetHelp()}`;

export interface CliOptions {
  readonly port: number;
  readonly seed: number;
  readonly host: string;
  readonly catalogue: CatalogueSize;
  readonly slippage: string;
  readonly budgets: RateLimitBudgets;
}

function integer(value: string, name: string, min: number, max: number): number {
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got ${value}`);
  return parsed;
}

/** The command line (without node and the script) as simulator options; throws on a bad flag. */
export function parseCliOptions(argv: readonly string[]): CliOptions | 'help' {
  const budgetOptions = Object.fromEntries(RATE_LIMIT_BUDGETS.map((budget) => [budget.flag, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '8899' },
      seed: { type: 'string', default: '42' },
      host: { type: 'string', default: '127.0.0.1' },
      catalogue: { type: 'string', default: 'minimal' },
      slippage: { type: 'string', default: '0' },
      ...budgetOptions,
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  // The budget flags come from the venue modules, which parseArgs' typing cannot follow.
  const flags = values as Readonly<Record<string, string | boolean | undefined>>;
  if (flags.help === true) return 'help';
  const text = (name: string): string => String(flags[name]);
  const catalogue = text('catalogue');
  if (catalogue !== 'minimal' && catalogue !== 'real') throw new Error(`--catalogue must be minimal or real, got ${catalogue}`);
  const slippage = text('slippage');
  if (!/^\d+(\.\d+)?$/.test(slippage)) throw new Error(`--slippage must be a non-negative decimal, got ${slippage}`);
  const budgets: Partial<Record<keyof RateLimitBudgets, number>> = {};
  for (const budget of RATE_LIMIT_BUDGETS) {
    const value = flags[budget.flag];
    if (typeof value !== 'string') continue;
    budgets[budget.name] = integer(value, budget.flag, budgetMinimum(budget), Number.MAX_SAFE_INTEGER);
  }
  return {
    port: integer(text('port'), 'port', 0, 65535),
    seed: integer(text('seed'), 'seed', 0, 2 ** 32 - 1),
    host: text('host'),
    catalogue,
    slippage,
    budgets,
  };
}
