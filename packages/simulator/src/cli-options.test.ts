import { describe, expect, it } from 'vitest';
import { parseCliOptions, USAGE } from './cli-options';
import { RATE_LIMIT_BUDGETS } from './rate-limit-budgets';

describe('xport-sim flags', () => {
  it('defaults to the venues\' real budgets (none set)', () => {
    expect(parseCliOptions([])).toEqual({ port: 8899, seed: 42, host: '127.0.0.1', catalogue: 'minimal', slippage: '0', budgets: {} });
  });

  it('sets every rate-limit budget from its flag', () => {
    const options = parseCliOptions([
      ...['--binance-weight-per-minute', '60', '--binance-spot-orders-per-10s', '2', '--binance-spot-orders-per-day', '3'],
      ...['--binance-futures-orders-per-10s', '4', '--binance-futures-orders-per-minute', '5', '--binance-spot-fill-decrement-ms', '0'],
      ...['--bybit-orders-per-second', '6', '--bybit-ip-requests-per-5s', '7', '--bitget-requests-per-second', '8'],
      ...['--bitget-ip-requests-per-minute', '9'],
    ]);
    expect(options).toMatchObject({
      budgets: {
        binanceWeightPerMinute: 60,
        binanceSpotOrdersPer10s: 2,
        binanceSpotOrdersPerDay: 3,
        binanceFuturesOrdersPer10s: 4,
        binanceFuturesOrdersPerMinute: 5,
        binanceSpotFillDecrementMs: 0,
        bybitOrdersPerSecond: 6,
        bybitIpRequestsPer5s: 7,
        bitgetRequestsPerSecond: 8,
        bitgetIpRequestsPerMinute: 9,
      },
    });
  });

  it('refuses a budget below 1, a negative delay and an unknown flag, naming the flag', () => {
    expect(() => parseCliOptions(['--bybit-ip-requests-per-5s', '0'])).toThrow('--bybit-ip-requests-per-5s must be an integer from 1 to');
    expect(() => parseCliOptions(['--binance-spot-fill-decrement-ms=-1'])).toThrow('--binance-spot-fill-decrement-ms must be an integer from 0 to');
    expect(() => parseCliOptions(['--binance-orders', '5'])).toThrow(/binance-orders/);
  });

  it('takes a flag for every budget the venue modules declare, and --help names each with its real value', () => {
    for (const budget of RATE_LIMIT_BUDGETS) {
      expect(parseCliOptions([`--${budget.flag}`, '7'])).toMatchObject({ budgets: { [budget.name]: 7 } });
      expect(USAGE).toContain(`--${budget.flag} ${budget.kind === 'delay' ? 'MS' : 'N'}`);
      expect(USAGE).toContain(`${budget.meaning} (real: ${String(budget.real)})`);
    }
  });
});
