import { Decimal, InvalidOrderError, PositionNotFoundError, SymbolInfo } from '@xport/core';
import type { MarketInterface as Market } from 'ccxt';
import { describe, expect, it } from 'vitest';

import type { CcxtPosition } from './ccxt-types';
import { reduceOnlySize } from './reduce-only-size';
import type { ReduceOnlyRequest } from './reduce-only-size';

const info = new SymbolInfo({
  exchange: 'bybit',
  symbol: 'ETH/USDT',
  exchangeSymbol: 'ETHUSDT',
  marketType: 'futures',
  quantityStep: new Decimal('0.01'),
  minQuantity: new Decimal('0.01'),
  maxQuantity: new Decimal('1000'),
  priceTick: new Decimal('0.01'),
  minNotional: new Decimal('5'),
  maxLeverage: 100,
});
const market = { symbol: 'ETH/USDT:USDT', contractSize: 1 } as Market;
const request = (quantity: Decimal | undefined, positionSide: 'long' | 'short' = 'long'): ReduceOnlyRequest => ({
  exchange: 'bybit',
  operation: quantity === undefined ? 'closeFuturesPosition' : 'reduceFuturesPosition',
  symbol: 'ETH/USDT',
  market,
  positionSide,
  quantity,
  info,
});
const leg = (side: 'long' | 'short', contracts: number): CcxtPosition & { symbol: string } => ({ symbol: 'ETH/USDT:USDT', side, contracts }) as CcxtPosition & { symbol: string };

describe('reduceOnlySize', () => {
  it('a close sends the whole leg floored to the step; a partial close sends its quantity up to the leg', () => {
    const positions = [leg('long', 1.257), leg('short', 2)];
    expect(reduceOnlySize(positions, request(undefined)).toFixed()).toBe('1.25');
    expect(reduceOnlySize(positions, request(new Decimal('0.5'))).toFixed()).toBe('0.5');
    expect(reduceOnlySize(positions, request(new Decimal('1.25'))).toFixed()).toBe('1.25');
    expect(reduceOnlySize(positions, request(new Decimal('2'), 'short')).toFixed()).toBe('2');
  });

  it('a partial close larger than the leg is InvalidOrderError naming quantity and the leg', () => {
    const error = (() => {
      try {
        reduceOnlySize([leg('long', 1)], request(new Decimal('1.01')));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidOrderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field: 'quantity', expected: 'at most the open long position, 1', operation: 'reduceFuturesPosition' });
  });

  it('no open leg on that side (or an empty one) is PositionNotFoundError, for a close and a partial close', () => {
    for (const quantity of [undefined, new Decimal('0.1')]) {
      expect(() => reduceOnlySize([leg('short', 1), leg('long', 0)], request(quantity))).toThrow(PositionNotFoundError);
      expect(() => reduceOnlySize([], request(quantity, 'short'))).toThrow(/no open short position on ETH\/USDT/);
    }
  });
});
