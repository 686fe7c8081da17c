import { loadExchangeClass } from '@xport/ccxt/internal';
import { describe, expect, it } from 'vitest';

import { bybitProfile } from './bybit-profile';

describe('bybitProfile.orderParams', () => {
  const clientOrderId = 'xp0123';
  it.each([
    ['spot', 'oneway', undefined, false, { clientOrderId }],
    ['futures', 'oneway', 'long', false, { clientOrderId, positionIdx: 0 }],
    ['futures', 'oneway', 'short', true, { clientOrderId, positionIdx: 0, reduceOnly: true }],
    ['futures', 'hedge', 'long', false, { clientOrderId, positionIdx: 1 }],
    ['futures', 'hedge', 'short', false, { clientOrderId, positionIdx: 2 }],
    ['futures', 'hedge', 'long', true, { clientOrderId, positionIdx: 1, reduceOnly: true }],
    ['futures', 'hedge', 'short', true, { clientOrderId, positionIdx: 2, reduceOnly: true }],
  ] as const)('%s %s %s reduceOnly=%s', (market, positionMode, positionSide, reduceOnly, params) => {
    expect(bybitProfile.orderParams({ market, positionMode, positionSide, reduceOnly, clientOrderId })).toEqual(params);
  });
});

describe('bybitProfile.classifyCode', () => {
  it.each([
    ['110043', 'leverage not modified', 'noChange'],
    ['110025', 'Position mode is not modified', 'noChange'],
    ['110017', 'current position is zero, cannot fix reduce-only order qty', 'positionNotFound'],
    ['110072', 'OrderLinkedID is duplicate', 'duplicateClientOrderId'],
    ['170141', 'Duplicate clientOrderId', 'duplicateClientOrderId'],
    ['110001', 'Order does not exist', 'orderNotFound'],
    ['170213', 'Order does not exist.', 'orderNotFound'],
    ['10002', 'invalid request, please check your server timestamp or recv_window param', 'timestamp'],
    ['110013', 'Due to risk limit, cannot set leverage', 'invalidLeverage'],
    ['110007', 'ab not enough for new order', 'insufficientBalance'],
    ['170131', 'Insufficient balance.', 'insufficientBalance'],
    ['110094', 'Order does not meet minimum order value 5USDT', 'invalidOrder'],
    ['10016', 'Internal server error', 'sendStatusUnknown'],
    ['10000', 'Server Timeout', 'sendStatusUnknown'],
    ['10001', 'leverage invalid', 'invalidLeverage'],
    ['10001', 'Not supported symbols', undefined],
    ['10001', 'position idx not match position mode', undefined],
    ['10006', 'Too many visits. Exceeded the API Rate Limit.', undefined],
  ])('%s %s → %s', (code, message, meaning) => {
    expect(bybitProfile.classifyCode(code, message)).toBe(meaning);
  });
});

describe('bybitProfile client order ids', () => {
  it.each([
    ['xp0123456789abcdef0123456789abcdef', true],
    ['Copy_Trade-42', true],
    ['a'.repeat(36), true],
    ['a'.repeat(37), false],
    ['has space', false],
    ['dot.ted', false],
    ['', false],
  ])('%s → %s', (id, accepted) => {
    expect(bybitProfile.clientOrderId.pattern.test(id) && id.length <= bybitProfile.clientOrderId.maxLength).toBe(accepted);
  });
});

describe('bybitProfile rate limits', () => {
  it("keeps both markets in one budget under Bybit's 600 requests per IP in any 5 s", () => {
    const { spot, futures, oneIpBudget } = bybitProfile.rateLimit;
    expect(oneIpBudget).toBe(true);
    expect(futures).toEqual(spot);
    // A rolling 5 s overlaps at most 5000 / interval + 1 fixed windows of the budget.
    expect((5_000 / spot.intervalMs + 1) * spot.capacity).toBeLessThanOrEqual(600);
  });

  it("keeps an account's orders under its per-UID limit in any rolling second (10 linear, 20 spot)", () => {
    const budgets = bybitProfile.rateLimit.accountBudgets;
    const worst = (market: 'spot' | 'futures'): number =>
      (budgets?.[market]?.createOrder ?? []).reduce((most, budget) => Math.max(most, (1_000 / budget.intervalMs + 1) * budget.capacity), 0);
    expect(worst('futures')).toBeLessThanOrEqual(10);
    expect(worst('spot')).toBeLessThanOrEqual(20);
    expect(worst('futures')).toBeGreaterThan(0);
  });
});

describe('bybitProfile.useTestnet', () => {
  it('points every REST endpoint, spot and derivatives, public and private, at api-testnet.bybit.com', async () => {
    const { exchangeClass } = await loadExchangeClass('bybit');
    const exchange = new exchangeClass(bybitProfile.ccxtConfig());
    bybitProfile.useTestnet(exchange);
    const api = exchange.urls.api as Record<string, string>;
    const hosts = Object.values(api).map((url) => exchange.implodeHostname(url));
    expect(Object.keys(api).sort()).toEqual(['futures', 'private', 'public', 'spot', 'v2']);
    expect(new Set(hosts)).toEqual(new Set(['https://api-testnet.bybit.com']));
  });
});
