import { loadExchangeClass } from '@xport/ccxt/internal';
import type { VenueErrorMeaning, VenueProfile } from '@xport/ccxt';
import { ExchangeUnavailableError } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { bitgetProfile } from './bitget-profile';
import { marketOrderCap } from './market-order-cap';
import { sizeSpotMarketBuy } from './spot-market-buy';

/** The ccxt instance a profile is handed. */
type Exchange = Parameters<VenueProfile['fetchPositionMode']>[0];

describe('bitgetProfile.classifyCode', () => {
  const table: readonly (readonly [string, VenueErrorMeaning | undefined])[] = [
    ['40797', 'invalidLeverage'],
    ['22002', 'positionNotFound'],
    ['40786', 'duplicateClientOrderId'],
    ['43118', 'duplicateClientOrderId'],
    ['43001', 'orderNotFound'],
    ['40109', 'orderNotFound'],
    ['40008', 'timestamp'],
    ['40005', 'timestamp'],
    ['43012', 'insufficientBalance'],
    ['40762', 'insufficientBalance'],
    ['45111', 'invalidOrder'],
    ['45112', 'invalidOrder'],
    ['43006', 'invalidOrder'],
    ['43007', 'invalidOrder'],
    // Left to ccxt's own classes: authentication, bad symbol, rate limit.
    ['40012', undefined],
    ['40309', undefined],
    ['429', undefined],
  ];
  it.each(table)('%s → %s', (code, meaning) => {
    expect(bitgetProfile.classifyCode(code, `bitget {"code":"${code}","msg":"x"}`)).toBe(meaning);
  });
});

describe('bitgetProfile order and setup parameters', () => {
  const base = { clientOrderId: 'xp1', positionSide: undefined } as const;
  it.each([
    ['spot buy', { ...base, market: 'spot', positionMode: 'oneway', reduceOnly: false }, { clientOrderId: 'xp1' }],
    ['one-way open', { ...base, market: 'futures', positionMode: 'oneway', positionSide: 'long', reduceOnly: false }, { clientOrderId: 'xp1' }],
    ['one-way close', { ...base, market: 'futures', positionMode: 'oneway', positionSide: 'long', reduceOnly: true }, { clientOrderId: 'xp1', reduceOnly: true }],
    ['hedge open', { ...base, market: 'futures', positionMode: 'hedge', positionSide: 'short', reduceOnly: false }, { clientOrderId: 'xp1', hedged: true }],
    ['hedge close', { ...base, market: 'futures', positionMode: 'hedge', positionSide: 'short', reduceOnly: true }, { clientOrderId: 'xp1', hedged: true, reduceOnly: true }],
  ] as const)('%s', (_name, input, params) => {
    expect(bitgetProfile.orderParams(input)).toEqual(params);
  });

  it('names the leg with holdSide only in hedge mode', () => {
    expect(bitgetProfile.leverageParams({ positionMode: 'hedge', positionSide: 'long' })).toEqual({ holdSide: 'long' });
    expect(bitgetProfile.leverageParams({ positionMode: 'hedge', positionSide: 'short' })).toEqual({ holdSide: 'short' });
    expect(bitgetProfile.leverageParams({ positionMode: 'oneway', positionSide: 'short' })).toEqual({});
  });

  it('reads the spot wallet and the USDT-M wallet', () => {
    expect(bitgetProfile.balanceParams('spot')).toEqual({ type: 'spot' });
    expect(bitgetProfile.balanceParams('futures')).toEqual({ type: 'swap', productType: 'USDT-FUTURES' });
  });

  it('accepts only client order ids every reading of the Bitget pages accepts: 32 of letters, digits and _:#-', () => {
    const { pattern, maxLength } = bitgetProfile.clientOrderId;
    expect(maxLength).toBe(32);
    for (const id of ['xp0123abc', 'a-b_c:d#e', 'x'.repeat(32)]) expect(pattern.test(id)).toBe(true);
    for (const id of ['', 'x'.repeat(33), 'has space', 'ünï', 'a.b', 'a@b', 'a/b', 'a+b']) expect(pattern.test(id)).toBe(false);
  });
});

describe('bitgetProfile on a real ccxt bitget instance', () => {
  async function instance(testnet: boolean) {
    const { exchangeClass } = await loadExchangeClass('bitget');
    const exchange = new exchangeClass({ apiKey: 'key', secret: 'secret', password: 'passphrase', ...bitgetProfile.ccxtConfig() });
    if (testnet) bitgetProfile.useTestnet(exchange);
    return exchange;
  }

  const headersOf = (signed: Record<string, unknown>): Record<string, string> => (signed.headers ?? {}) as Record<string, string>;

  it('testnet is demo trading: the live host with PAPTRADING: 1 on private and market requests', async () => {
    const demo = await instance(true);
    const privateCall = demo.sign('v2/spot/account/assets', ['private', 'spot'], 'GET', {});
    expect(privateCall.url).toBe('https://api.bitget.com/api/v2/spot/account/assets');
    expect(headersOf(privateCall).PAPTRADING).toBe('1');
    expect(headersOf(privateCall)['ACCESS-PASSPHRASE']).toBe('passphrase');
    const futuresCall = demo.sign('v2/mix/order/place-order', ['private', 'mix'], 'POST', { productType: 'USDT-FUTURES' });
    expect(futuresCall.url).toBe('https://api.bitget.com/api/v2/mix/order/place-order');
    expect(headersOf(futuresCall).PAPTRADING).toBe('1');
    expect(headersOf(demo.sign('v2/mix/market/contracts', ['public', 'mix'], 'GET', { productType: 'USDT-FUTURES' })).PAPTRADING).toBe('1');

    const live = await instance(false);
    expect(headersOf(live.sign('v2/spot/account/assets', ['private', 'spot'], 'GET', {})).PAPTRADING).toBeUndefined();
  });

  it('pins the classic account API, skips the coin list and reads the contracts\' market-order cap', async () => {
    const exchange = await instance(false);
    expect(exchange.options.uta).toBe(false);
    expect(exchange.has.fetchCurrencies).toBe(false);
    expect(exchange.options.adjustForTimeDifference).toBe(true);
    // The market-order cap ccxt does not read reaches SymbolInfo through the profile hook.
    expect(bitgetProfile.maxMarketOrderQuantity).toBe(marketOrderCap);
    // A spot buy is sized by the hook and sent as `cost`, which ccxt takes whatever this option says.
    expect(bitgetProfile.prepareOrder).toBe(sizeSpotMarketBuy);
  });
});

describe('bitgetProfile.fetchPositionMode', () => {
  const answering = (info: unknown): Exchange => ({ fetchLeverage: () => Promise.resolve({ info }) }) as unknown as Exchange;

  it('reads the two documented modes', async () => {
    await expect(bitgetProfile.fetchPositionMode(answering({ posMode: 'hedge_mode' }), 'BTC/USDT:USDT')).resolves.toBe('hedge');
    await expect(bitgetProfile.fetchPositionMode(answering({ posMode: 'one_way_mode' }), 'BTC/USDT:USDT')).resolves.toBe('oneway');
  });

  it('never guesses one-way from an answer without the mode: it is a malformed answer', async () => {
    for (const info of [{}, { posMode: 'both' }, undefined]) {
      const error: unknown = await bitgetProfile.fetchPositionMode(answering(info), 'BTC/USDT:USDT').catch((caught: unknown) => caught);
      expect(ExchangeUnavailableError.isInstance(error), String(error)).toBe(true);
    }
  });
});
