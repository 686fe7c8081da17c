import { parseArgs } from 'node:util';
import type { CatalogueSize } from './catalogue';
import type { RateLimitBudgets } from './contract';

export const USAGE = `Usage: xport-sim [--port 8899] [--seed 42] [--host 127.0.0.1] [--catalogue minimal|real] [--slippage 0]
                 [--binance-weight-per-minute N] [--binance-spot-orders-per-10s N] [--binance-spot-orders-per-day N]
                 [--binance-futures-orders-per-10s N] [--binance-futures-orders-per-minute N]
                 [--binance-spot-fill-decrement-ms MS] [--bybit-orders-per-second N] [--bybit-ip-requests-per-5s N]
                 [--bitget-requests-per-second N] [--bitget-ip-requests-per-minute N]

A local exchange speaking Binance, Bybit and Bitget REST under /binance, /bybit and /bitget,
with a JSON control API under /_sim. --port 0 picks a free port. The budget flags replace the
venues' real rate limits (raise them for load tests, lower them to reach a limit quickly). IP
budgets are kept per client source address: clients bound to 127.0.0.2, 127.0.0.3, … count as
different hosts.`;

/** Each budget flag and the budget it sets; all take an integer of at least 1, except the delay. */
const BUDGET_FLAGS = {
  'binance-weight-per-minute': 'binanceWeightPerMinute',
  'binance-spot-orders-per-10s': 'binanceSpotOrdersPer10s',
  'binance-spot-orders-per-day': 'binanceSpotOrdersPerDay',
  'binance-futures-orders-per-10s': 'binanceFuturesOrdersPer10s',
  'binance-futures-orders-per-minute': 'binanceFuturesOrdersPerMinute',
  'binance-spot-fill-decrement-ms': 'binanceSpotFillDecrementMs',
  'bybit-orders-per-second': 'bybitOrdersPerSecond',
  'bybit-ip-requests-per-5s': 'bybitIpRequestsPer5s',
  'bitget-requests-per-second': 'bitgetRequestsPerSecond',
  'bitget-ip-requests-per-minute': 'bitgetIpRequestsPerMinute',
} as const satisfies Record<string, keyof RateLimitBudgets>;

type BudgetFlag = keyof typeof BUDGET_FLAGS;

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
  const budgetOptions = Object.fromEntries(Object.keys(BUDGET_FLAGS).map((flag) => [flag, { type: 'string' as const }]));
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
  // The budget flags are spread in from a table, which parseArgs' typing cannot follow.
  const flags = values as Readonly<Record<string, string | boolean | undefined>>;
  if (flags.help === true) return 'help';
  const text = (name: string): string => String(flags[name]);
  const catalogue = text('catalogue');
  if (catalogue !== 'minimal' && catalogue !== 'real') throw new Error(`--catalogue must be minimal or real, got ${catalogue}`);
  const slippage = text('slippage');
  if (!/^\d+(\.\d+)?$/.test(slippage)) throw new Error(`--slippage must be a non-negative decimal, got ${slippage}`);
  const budgets: Partial<Record<keyof RateLimitBudgets, number>> = {};
  for (const [flag, budget] of Object.entries(BUDGET_FLAGS) as [BudgetFlag, keyof RateLimitBudgets][]) {
    const value = flags[flag];
    if (typeof value !== 'string') continue;
    budgets[budget] = integer(value, flag, budget === 'binanceSpotFillDecrementMs' ? 0 : 1, Number.MAX_SAFE_INTEGER);
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
