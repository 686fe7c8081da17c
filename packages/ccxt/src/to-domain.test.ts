import { Decimal, ExchangeUnavailableError } from '@xport/core';
import type { Order } from 'ccxt';
import { describe, expect, it } from 'vitest';

import { checkedPositions, requireTradableMarkets, toBalances, toOrderResult } from './to-domain';

function malformed(read: () => unknown): ExchangeUnavailableError {
  try {
    read();
  } catch (error) {
    if (ExchangeUnavailableError.isInstance(error)) return error;
    throw new Error(`expected ExchangeUnavailableError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected ExchangeUnavailableError, the answer was read as data');
}

const context = {
  exchange: 'binance',
  symbol: 'BTC/USDT',
  market: 'spot',
  side: 'buy',
  positionSide: undefined,
  reduceOnly: false,
  clientOrderId: 'xp1',
  requestedQuantity: new Decimal('0.01'),
  now: 0,
} as const;

describe('answers are read only when they carry what xport reads from them', () => {
  it('a balance without the venue answer or its totals is malformed, not an empty wallet', () => {
    // What ccxt makes of a cut-off body: the text kept as `info`, no totals parsed.
    expect(malformed(() => toBalances({ info: undefined, total: {} }, 'spot', 'binance')).message).toMatch(/malformed answer/);
    malformed(() => toBalances({ info: {}, free: {}, used: {} }, 'spot', 'binance'));
    malformed(() => toBalances({ info: {}, total: { USDT: 'lots' } }, 'spot', 'binance'));
    expect(toBalances({ info: {}, free: {}, used: {}, total: {} }, 'spot', 'binance')).toEqual([]);
  });

  it('positions must be a list of positions with a symbol and a usable side and size', () => {
    malformed(() => checkedPositions('{"code":0,"data":[', 'bybit'));
    malformed(() => checkedPositions([{ side: 'long', contracts: 1 }], 'bybit'));
    malformed(() => checkedPositions([{ symbol: 'BTC/USDT:USDT', side: 'up', contracts: 1 }], 'bybit'));
    malformed(() => checkedPositions([{ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 'some' }], 'bybit'));
    expect(checkedPositions([{ symbol: 'BTC/USDT:USDT', side: undefined, contracts: undefined }], 'bybit')).toHaveLength(1);
    expect(checkedPositions([], 'bybit')).toEqual([]);
  });

  it('a market set without spot markets or USDT perpetuals is not a venue list', () => {
    const spot = { symbol: 'BTC/USDT', spot: true };
    const perpetual = { symbol: 'BTC/USDT:USDT', swap: true, linear: true, settle: 'USDT' };
    const empty = malformed(() => {
      requireTradableMarkets({}, 'bitget');
    });
    expect(empty.message).toContain('0 markets, no spot market and no USDT-settled perpetual');
    malformed(() => {
      requireTradableMarkets({ 'BTC/USDT': spot }, 'bitget');
    });
    malformed(() => {
      requireTradableMarkets({ 'BTC/USDT:USDT': perpetual }, 'bitget');
    });
    malformed(() => {
      requireTradableMarkets(undefined, 'bitget');
    });
    expect(() => {
      requireTradableMarkets({ 'BTC/USDT': spot, 'BTC/USDT:USDT': perpetual }, 'bitget');
    }).not.toThrow();
  });

  it('an order answer without an id or with an unreadable fill is malformed, so its fate is looked up', () => {
    malformed(() => toOrderResult({ id: undefined } as unknown as Order, context));
    malformed(() => toOrderResult('{"orderId":' as unknown as Order, context));
    malformed(() => toOrderResult({ id: '1', filled: 'NaN', status: 'closed' } as unknown as Order, context));
    // A value object's own rule broken by the answer (a negative fee) is the answer's fault too.
    malformed(() => toOrderResult({ id: '1', filled: 0.01, amount: 0.01, average: 65_000, status: 'closed', fee: { cost: -1, currency: 'USDT' } } as unknown as Order, context));
    expect(toOrderResult({ id: '1', filled: 0.01, amount: 0.01, average: 65_000, status: 'closed' } as unknown as Order, context).status).toBe('filled');
  });
});
