import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import type { AccountFillProps } from './account-stream';
import { AccountFill, AccountOrderUpdate, assertAccountStreamOptions, isAccountStreamPort } from './account-stream';
import { Decimal } from './decimal';
import { ConfigurationError, InvalidValueError } from './errors';

const d = (value: string): Decimal => new Decimal(value);

const fillProps: AccountFillProps = {
  exchange: 'binance',
  symbol: 'BTCUSDT',
  marketType: 'futures',
  side: 'sell',
  quantity: d('0.002'),
  price: d('65000.1'),
  fee: { amount: d('0.052'), asset: 'usdt' },
  orderId: '42',
  clientOrderId: 'xp-1',
  tradeId: '7',
  timestamp: 1_700_000_000_000,
  positionSide: 'long',
  reduceOnly: true,
  raw: { apiKey: 'never-shown' },
};

describe('AccountFill', () => {
  it('is immutable, unifies the symbol and keeps the venue payload out of JSON and inspect', () => {
    const fill = new AccountFill(fillProps);
    expect(fill.symbol).toBe('BTC/USDT');
    expect(fill.fee?.asset).toBe('USDT');
    expect(fill.cost.toFixed()).toBe('130.0002');
    expect(Object.isFrozen(fill)).toBe(true);
    expect(Object.isFrozen(fill.fee)).toBe(true);
    expect(() => {
      (fill as unknown as { price: Decimal }).price = d('1');
    }).toThrow(TypeError);
    expect(JSON.stringify(fill)).not.toContain('never-shown');
    expect(inspect(fill)).not.toContain('never-shown');
    expect(fill.toJSON()).toMatchObject({ type: 'fill', quantity: '0.002', price: '65000.1', tradeId: '7', positionSide: 'long', reduceOnly: true });
  });

  it.each([
    ['quantity', { quantity: d('0') }],
    ['price', { price: d('-1') }],
    ['tradeId', { tradeId: '' }],
    ['orderId', { orderId: ' ' }],
    ['timestamp', { timestamp: 1.5 }],
    ['fee.amount', { fee: { amount: d('-0.1'), asset: 'USDT' } }],
    ['positionSide', { marketType: 'spot', positionSide: 'long' }],
    ['side', { side: 'hold' }],
  ] as const)('refuses a bad %s with InvalidValueError naming it', (field, override) => {
    const error = (() => {
      try {
        new AccountFill({ ...fillProps, ...(override as Partial<AccountFillProps>) });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidValueError.isInstance(error)).toBe(true);
    expect((error as InvalidValueError).field).toBe(field);
  });

  it('takes a fill without client order id, fee, position side or reduce-only, where the venue does not say', () => {
    const fill = new AccountFill({ ...fillProps, marketType: 'spot', clientOrderId: undefined, fee: undefined, positionSide: undefined, reduceOnly: undefined });
    expect(fill.clientOrderId).toBeUndefined();
    expect(fill.reduceOnly).toBeUndefined();
  });
});

describe('AccountOrderUpdate', () => {
  const update = {
    exchange: 'bybit',
    symbol: 'ETH/USDT',
    marketType: 'spot',
    side: 'buy',
    orderId: '9',
    status: 'partially_filled',
    quantity: d('1'),
    filledQuantity: d('0.4'),
    averagePrice: d('3000'),
    timestamp: 5,
  } as const;

  it('is immutable and validated', () => {
    const built = new AccountOrderUpdate(update);
    expect(Object.isFrozen(built)).toBe(true);
    expect(built.toJSON()).toMatchObject({ type: 'order', status: 'partially_filled', filledQuantity: '0.4', quantity: '1' });
    expect(() => new AccountOrderUpdate({ ...update, filledQuantity: d('2') })).toThrow(/exceeds quantity/);
    expect(() => new AccountOrderUpdate({ ...update, status: 'open' as never })).toThrow(InvalidValueError);
  });
});

describe('assertAccountStreamOptions', () => {
  const fieldOf = (options: unknown): string | undefined => {
    try {
      assertAccountStreamOptions(options);
    } catch (error) {
      expect(ConfigurationError.isInstance(error)).toBe(true);
      return (error as ConfigurationError).field;
    }
    return undefined;
  };

  it('returns the markets with unified symbols', () => {
    expect(assertAccountStreamOptions({ markets: [{ symbol: 'btcusdt', market: 'spot' }, { symbol: 'BTC/USDT', market: 'futures' }] })).toEqual([
      { symbol: 'BTC/USDT', market: 'spot' },
      { symbol: 'BTC/USDT', market: 'futures' },
    ]);
  });

  it('refuses bad options with a ConfigurationError naming the field', () => {
    expect(fieldOf(undefined)).toBe('options');
    expect(fieldOf({ markets: [] })).toBe('options.markets');
    expect(fieldOf({ markets: [{ symbol: 'BTCUSDT', market: 'margin' }] })).toBe('options.markets[0].market');
    expect(fieldOf({ markets: [{ symbol: 1, market: 'spot' }] })).toBe('options.markets[0].symbol');
    expect(fieldOf({ markets: [{ symbol: 'BTCUSDT', market: 'spot' }, { symbol: 'BTC/USDT', market: 'spot' }] })).toBe('options.markets[1]');
    const markets = [{ symbol: 'BTCUSDT', market: 'spot' }];
    expect(fieldOf({ markets, since: -1 })).toBe('options.since');
    expect(fieldOf({ markets, dedupeWindow: 10 })).toBe('options.dedupeWindow');
    expect(fieldOf({ markets, signal: {} })).toBe('options.signal');
  });

  it('recognises an adapter that implements the port', () => {
    expect(isAccountStreamPort({ accountStream: () => undefined })).toBe(true);
    expect(isAccountStreamPort({})).toBe(false);
  });
});
