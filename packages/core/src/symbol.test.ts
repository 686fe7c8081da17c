import { describe, expect, it } from 'vitest';

import { InvalidOrderError } from './errors';
import { parseSymbol } from './symbol';

describe('parseSymbol', () => {
  it.each([
    ['BTCUSDT', 'BTC', 'USDT'],
    ['btcusdt', 'BTC', 'USDT'],
    ['BTC/USDT', 'BTC', 'USDT'],
    [' eth/usdc ', 'ETH', 'USDC'],
    ['BTC/USDT:USDT', 'BTC', 'USDT'],
    ['1000PEPEUSDT', '1000PEPE', 'USDT'],
    ['ETHBTC', 'ETH', 'BTC'],
    ['BTCFDUSD', 'BTC', 'FDUSD'],
  ])('reads %s as %s/%s', (input, base, quote) => {
    expect(parseSymbol(input)).toEqual({ base, quote, unified: `${base}/${quote}`, compact: `${base}${quote}` });
  });

  it.each([[''], ['   '], ['USDT'], ['BTC/USDT/ETH'], ['BTC-USDT'], ['BTCXYZ'], [42], [undefined]])('refuses %s with the field named', (input) => {
    try {
      parseSymbol(input);
      expect.unreachable();
    } catch (error) {
      expect(InvalidOrderError.isInstance(error)).toBe(true);
      expect((error as InvalidOrderError).field).toBe('symbol');
    }
  });
});
