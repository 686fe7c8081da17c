import { Decimal, InsufficientBalanceError, InvalidOrderError, OrderResult } from '@xport/core';
import type { OrderResultProps } from '@xport/core';
import type { LedgerOrder, RequestLogEntry } from '@xport/simulator';
import { describe, expect, it } from 'vitest';

import type { ContractContext } from './contract-context';
import { expectOrderMatchesLedger, expectRefusedWithoutRequests, expectRejection, rejectionOf } from './expectations';

const ledger: LedgerOrder = {
  orderId: '8000000123',
  clientOrderId: 'xp0123abcd',
  venue: 'binance',
  apiKey: 'key',
  symbol: 'BTCUSDT',
  market: 'spot',
  side: 'buy',
  reduceOnly: false,
  quantity: new Decimal('0.01'),
  price: new Decimal('65000'),
  cost: new Decimal('650'),
  fee: new Decimal('0.65'),
  feeAsset: 'USDT',
  realisedPnl: new Decimal(0),
  status: 'filled',
  time: 1,
};

function result(overrides: Partial<OrderResultProps> = {}): OrderResult {
  return new OrderResult({
    exchange: 'binance',
    orderId: '8000000123',
    clientOrderId: 'xp0123abcd',
    symbol: 'BTC/USDT',
    marketType: 'spot',
    side: 'buy',
    status: 'filled',
    requestedQuantity: new Decimal('0.01'),
    filledQuantity: new Decimal('0.01'),
    averagePrice: new Decimal('65000'),
    fee: { amount: new Decimal('0.65'), asset: 'USDT' },
    timestamp: 1,
    ...overrides,
  });
}

/** Just enough of a ContractContext for the request-counting helper: a request log that actions append to. */
function fakeContext(log: RequestLogEntry[]): ContractContext {
  return { name: 'binance', sim: { requests: () => [...log] } } as unknown as ContractContext;
}

const sent: RequestLogEntry = { method: 'POST', path: '/binance/api/v3/order', status: 200, time: 1 };

describe('expectOrderMatchesLedger', () => {
  it('accepts the result that says what the engine executed, with or without a fee', () => {
    expectOrderMatchesLedger(result(), ledger);
    expectOrderMatchesLedger(result({ fee: undefined }), ledger);
  });

  it.each<[string, Partial<OrderResultProps>]>([
    ['another order id', { orderId: '8000000124' }],
    ['another client order id', { clientOrderId: 'xp0123abce' }],
    ['a partial fill', { filledQuantity: new Decimal('0.009'), status: 'partially_filled' }],
    ['another average price', { averagePrice: new Decimal('65000.01') }],
    ['another fee', { fee: { amount: new Decimal('0.66'), asset: 'USDT' } }],
    ['another fee asset', { fee: { amount: new Decimal('0.65'), asset: 'BNB' } }],
    ['the other side', { side: 'sell' }],
    ['the other market', { marketType: 'futures' }],
    ['another symbol', { symbol: 'ETH/USDT' }],
  ])('catches %s', (_what, overrides) => {
    expect(() => {
      expectOrderMatchesLedger(result(overrides), ledger);
    }).toThrow();
  });
});

describe('expectRefusedWithoutRequests', () => {
  it('passes when the action is refused with the type and nothing reaches the simulator', async () => {
    const log: RequestLogEntry[] = [];
    const error = await expectRefusedWithoutRequests(fakeContext(log), InvalidOrderError, () => Promise.reject(new InvalidOrderError('no')));
    expect(InvalidOrderError.isInstance(error)).toBe(true);
  });

  it('fails when a request was sent before the refusal', async () => {
    const log: RequestLogEntry[] = [];
    const sending = (): Promise<never> => {
      log.push(sent);
      return Promise.reject(new InvalidOrderError('refused by the venue'));
    };
    await expect(expectRefusedWithoutRequests(fakeContext(log), InvalidOrderError, sending)).rejects.toThrow(/refused before sending/);
  });

  it('fails on the wrong error type, and on success', async () => {
    const ctx = fakeContext([]);
    await expect(expectRefusedWithoutRequests(ctx, InvalidOrderError, () => Promise.reject(new InsufficientBalanceError('funds')))).rejects.toThrow(/expected InvalidOrderError/);
    await expect(expectRefusedWithoutRequests(ctx, InvalidOrderError, () => Promise.resolve('placed'))).rejects.toThrow(/expected a rejection/);
  });
});

describe('rejectionOf / expectRejection', () => {
  it('returns what the promise rejected with, by brand across copies', async () => {
    const error = new InsufficientBalanceError('funds', { code: '-2010' });
    expect(await rejectionOf(Promise.reject(error))).toBe(error);
    expect(await expectRejection(Promise.reject(error), InsufficientBalanceError)).toBe(error);
    await expect(expectRejection(Promise.reject(new Error('plain')), InsufficientBalanceError)).rejects.toThrow(/expected InsufficientBalanceError/);
  });
});
