import { AccountFill, Decimal, ExchangeUnavailableError } from '@xport/core';
import { describe, expect, it } from 'vitest';

import type { AccountEventContext } from './account-events';
import { toAccountFill, toAccountOrderUpdate } from './account-events';
import type { CcxtOrder, CcxtTrade } from './ccxt-types';
import { firstPage, inTimeOrder, nextPage } from './gap-recovery';
import { TradeIdWindow } from './trade-id-window';

describe('TradeIdWindow', () => {
  it('drops a repeat and forgets the oldest id past its capacity, so memory stays bounded', () => {
    const window = new TradeIdWindow(3);
    expect(window.add('a')).toBe(true);
    expect(window.add('a')).toBe(false);
    window.add('b');
    window.add('c');
    window.add('d');
    expect(window.size).toBe(3);
    expect(window.has('a')).toBe(false);
    expect(window.has('d')).toBe(true);
    for (let index = 0; index < 10_000; index += 1) window.add(`t${index}`);
    expect(window.size).toBe(3);
    expect(() => new TradeIdWindow(0)).toThrow(RangeError);
  });
});

describe('gap recovery pages', () => {
  it('reads from the last delivered fill inclusive, or from the stream start before any', () => {
    expect(firstPage('BTC/USDT', 'spot', { lastSeen: 1_000, start: 500 }, 100)).toEqual({ symbol: 'BTC/USDT', market: 'spot', since: 1_000, limit: 100 });
    expect(firstPage('BTC/USDT', 'spot', { lastSeen: undefined, start: 500 }, 100).since).toBe(500);
  });

  it('continues a full page from its newest time, ends on a short page, and stops a page that cannot advance', () => {
    const page = { symbol: 'BTC/USDT', market: 'futures' as const, since: 10, limit: 3 };
    expect(nextPage(page, [10, 11])).toEqual({ page: undefined, stuck: false });
    expect(nextPage(page, [10, 12, 15])).toEqual({ page: { ...page, since: 15 }, stuck: false });
    expect(nextPage(page, [10, 10, 10])).toEqual({ page: undefined, stuck: true });
  });

  it('orders fills by time, keeping the received order for equal times', () => {
    const fills = [{ timestamp: 3, id: 'a' }, { timestamp: 1, id: 'b' }, { timestamp: 3, id: 'c' }, { timestamp: 2, id: 'd' }];
    expect(inTimeOrder(fills).map((fill) => fill.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

// ccxt's unified trade and order structures, as its manual documents them.
const trade = (overrides: Partial<CcxtTrade> = {}): CcxtTrade => ({
  info: { c: 'xp-1', ps: 'SHORT', R: true },
  id: '12345',
  order: '678',
  timestamp: 1_700_000_000_123,
  datetime: '2023-11-14T22:13:20.123Z',
  symbol: 'BTC/USDT:USDT',
  type: 'market',
  side: 'buy',
  takerOrMaker: 'taker',
  price: 65_000.5,
  amount: 0.003,
  cost: 195.0015,
  fee: { cost: 0.078, currency: 'USDT' },
  ...overrides,
});

const futures: AccountEventContext = {
  exchange: 'binance',
  symbol: 'BTC/USDT',
  market: 'futures',
  contractSize: new Decimal(1),
  facts: (info) => {
    const fields = info as { c?: string; ps?: string; R?: boolean };
    return { clientOrderId: fields.c, positionSide: fields.ps === 'SHORT' ? 'short' : undefined, reduceOnly: fields.R };
  },
};

describe('toAccountFill', () => {
  it("maps ccxt's trade to a fill with Decimal amounts from ccxt's numbers, and the venue's facts", () => {
    const fill = toAccountFill(trade(), futures);
    expect(fill).toBeInstanceOf(AccountFill);
    expect(fill.toJSON()).toEqual({
      type: 'fill',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      marketType: 'futures',
      side: 'buy',
      quantity: '0.003',
      price: '65000.5',
      fee: { amount: '0.078', asset: 'USDT' },
      orderId: '678',
      clientOrderId: 'xp-1',
      tradeId: '12345',
      timestamp: 1_700_000_000_123,
      positionSide: 'short',
      reduceOnly: true,
    });
  });

  it('turns contracts into base quantity, and leaves out legs on spot', () => {
    expect(toAccountFill(trade({ amount: 3 }), { ...futures, contractSize: new Decimal('0.001') }).quantity.toFixed()).toBe('0.003');
    const spot = toAccountFill(trade(), { ...futures, market: 'spot' });
    expect(spot.positionSide).toBeUndefined();
    expect(spot.reduceOnly).toBeUndefined();
  });

  it('refuses a trade it could not de-duplicate or attribute as a malformed answer, never delivering it', () => {
    for (const broken of [{ id: undefined }, { order: undefined }, { side: undefined }, { amount: undefined }, { timestamp: undefined }, { price: 0 }]) {
      expect(() => toAccountFill(trade(broken as Partial<CcxtTrade>), futures)).toThrow(ExchangeUnavailableError);
    }
  });
});

describe('toAccountOrderUpdate', () => {
  const order = (overrides: Partial<CcxtOrder> = {}): CcxtOrder => ({
    id: '678',
    clientOrderId: 'xp-1',
    datetime: undefined,
    timestamp: 1_700_000_000_000,
    lastTradeTimestamp: 1_700_000_000_123,
    status: 'closed',
    symbol: 'BTC/USDT:USDT',
    type: 'market',
    side: 'sell',
    price: undefined,
    average: 65_000.5,
    amount: 0.003,
    filled: 0.003,
    remaining: 0,
    cost: 195.0015,
    trades: [],
    fee: undefined,
    reduceOnly: true,
    postOnly: false,
    info: { ps: 'SHORT' },
    ...overrides,
  });

  it("maps ccxt's order states to the domain's", () => {
    expect(toAccountOrderUpdate(order(), futures).toJSON()).toMatchObject({ type: 'order', status: 'filled', orderId: '678', clientOrderId: 'xp-1', filledQuantity: '0.003', averagePrice: '65000.5', positionSide: 'short', reduceOnly: true });
    expect(toAccountOrderUpdate(order({ status: 'open', filled: 0, average: undefined }), futures).status).toBe('new');
    expect(toAccountOrderUpdate(order({ status: 'open', filled: 0.001 }), futures).status).toBe('partially_filled');
    expect(toAccountOrderUpdate(order({ status: 'canceled', filled: 0 }), futures).status).toBe('canceled');
  });
});
