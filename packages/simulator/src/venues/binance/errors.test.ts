import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import type { SimAccount } from '../../engine-account';
import { createAccount, createCcxtClient, useSimulator, type CcxtClient } from '../../test-support';
import { expectRefusal } from '../../test-support/binance-venue';

/**
 * Every refusal through the pinned ccxt: the exact class ccxt raises (not a subclass) and the
 * Binance code in its message, with the simulator's ledger and wallets unchanged.
 */
describe('binance refusals through ccxt', () => {
  const sim = useSimulator();

  function client(account?: SimAccount, overrides: Record<string, unknown> = {}): CcxtClient {
    return createCcxtClient('binance', sim(), account, overrides);
  }

  function placeRaw(ccxtClient: CcxtClient, api: 'private' | 'fapiPrivate', params: Record<string, string>): Promise<unknown> {
    return ccxtClient.request('order', api, 'POST', { type: 'MARKET', side: 'BUY', ...params });
  }

  function ledgerOf(account: SimAccount): readonly unknown[] {
    return sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey });
  }

  describe('balance and margin', () => {
    it('spot buy beyond the quote balance → InsufficientFunds (-2010), nothing moves', async () => {
      const account = createAccount(sim(), 'binance', { balances: { USDT: '100' } });
      const ccxtClient = client(account);
      await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT', 'market', 'buy', 0.01), ccxt.InsufficientFunds, -2010);
      expect(ledgerOf(account)).toEqual([]);
      expect(sim().balances('binance', account.apiKey).spot.USDT?.free.toFixed()).toBe('100');
    });

    it('spot sell beyond the base balance → InsufficientFunds (-2010)', async () => {
      const account = createAccount(sim(), 'binance', { balances: { USDT: '100', SOL: '1' } });
      const ccxtClient = client(account);
      await expectRefusal(ccxtClient, ccxtClient.createOrder('SOL/USDT', 'market', 'sell', 2), ccxt.InsufficientFunds, -2010);
    });

    it('futures order beyond the margin → -2019 "Margin is insufficient." (ccxt: ExchangeError off the fapi host)', async () => {
      const account = createAccount(sim(), 'binance', { futuresBalances: { USDT: '10' } });
      const ccxtClient = client(account);
      // ccxt raises InsufficientFunds for -2019 only from its fapi.binance.com table; the adapters
      // classify the code themselves.
      const error = await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01), ccxt.ExchangeError, -2019);
      expect(error.message).toContain('"msg":"Margin is insufficient."');
      expect(sim().positions('binance', account.apiKey)).toEqual([]);
    });
  });

  describe('lot and notional filters', () => {
    it('quantity off the step: spot -1013 LOT_SIZE (InvalidOrder), futures beyond quantityPrecision -1111 (BadRequest)', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      const spotCall = placeRaw(ccxtClient, 'private', { symbol: 'BTCUSDT', quantity: '0.000015' });
      const spot = await expectRefusal(ccxtClient, spotCall, ccxt.InvalidOrder, -1013);
      expect(spot.message).toContain('Filter failure: LOT_SIZE');
      // BTCUSDT perpetual: quantityPrecision 3, so a fourth decimal is refused before any filter.
      const futuresCall = placeRaw(ccxtClient, 'fapiPrivate', { symbol: 'BTCUSDT', quantity: '0.0015' });
      const futures = await expectRefusal(ccxtClient, futuresCall, ccxt.BadRequest, -1111);
      expect(futures.message).toContain('"msg":"Precision is over the maximum defined for this asset."');
      const solCall = placeRaw(ccxtClient, 'fapiPrivate', { symbol: 'SOLUSDT', quantity: '1.5' });
      await expectRefusal(ccxtClient, solCall, ccxt.BadRequest, -1111);
      expect(ledgerOf(account)).toEqual([]);
    });

    it('quantity below the minimum or above the maximum → InvalidOrder (-1013)', async () => {
      const account = createAccount(sim(), 'binance', { balances: { USDT: '1000000000' }, futuresBalances: { USDT: '1000000000' } });
      const ccxtClient = client(account);
      await expectRefusal(ccxtClient, placeRaw(ccxtClient, 'private', { symbol: 'ETHUSDT', quantity: '0' }), ccxt.InvalidOrder, -1013);
      await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT', 'market', 'buy', 9001), ccxt.InvalidOrder, -1013);
      // 121 BTC is within LOT_SIZE (1,000) but above MARKET_LOT_SIZE (120), which binds market orders.
      await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'buy', 121), ccxt.InvalidOrder, -1013);
      expect(ledgerOf(account)).toEqual([]);
    });

    it('notional below the minimum: spot -1013 NOTIONAL (ccxt: BadRequest), futures -4164', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      // 0.001 ETH is 3.5 USDT against the 5 USDT NOTIONAL filter. ccxt maps -1013 to BadRequest
      // unless the message names LOT_SIZE, against the real venue too.
      const spot = await expectRefusal(ccxtClient, ccxtClient.createOrder('ETH/USDT', 'market', 'buy', 0.001), ccxt.BadRequest, -1013);
      expect(spot.message).toContain('Filter failure: NOTIONAL');
      // 0.001 BTC is 65 USDT against BTCUSDT's 100. ccxt knows -4164 only under the fapi host.
      const futures = await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001), ccxt.ExchangeError, -4164);
      expect(futures.message).toContain("Order's notional must be no smaller than 100");
      expect(ledgerOf(account)).toEqual([]);
    });
  });

  it('leverage above the symbol maximum → BadRequest (-4028), leverage unchanged', async () => {
    const account = createAccount(sim(), 'binance');
    const ccxtClient = client(account);
    const error = await expectRefusal(ccxtClient, ccxtClient.setLeverage(101, 'SOL/USDT:USDT'), ccxt.BadRequest, -4028);
    expect(error.message).toContain('Leverage 101 is not valid');
    const simAccount = sim().accounts.get('binance', account.apiKey);
    if (!simAccount) throw new Error('account vanished');
    expect(sim().engine.leverage(simAccount, 'SOLUSDT', 'both')).toBe(20);
  });

  it('unknown symbol → BadSymbol (-1121), spot and futures', async () => {
    const ccxtClient = client(createAccount(sim(), 'binance'));
    await expectRefusal(ccxtClient, placeRaw(ccxtClient, 'private', { symbol: 'NOPEUSDT', quantity: '1' }), ccxt.BadSymbol, -1121);
    await expectRefusal(ccxtClient, placeRaw(ccxtClient, 'fapiPrivate', { symbol: 'NOPEUSDT', quantity: '1' }), ccxt.BadSymbol, -1121);
    const leverage = ccxtClient.request('leverage', 'fapiPrivate', 'POST', { symbol: 'NOPEUSDT', leverage: 5 });
    await expectRefusal(ccxtClient, leverage, ccxt.BadSymbol, -1121);
  });

  describe('reduce-only and position side', () => {
    it('reduce-only with no position → -2022 ReduceOnly Order is rejected', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      const error = await expectRefusal(
        ccxtClient,
        ccxtClient.createOrder('ETH/USDT:USDT', 'market', 'sell', 0.1, undefined, { reduceOnly: true }),
        ccxt.ExchangeError,
        -2022,
      );
      expect(error.message).toContain('ReduceOnly Order is rejected.');
      expect(ledgerOf(account)).toEqual([]);
    });

    it('reduce-only that would increase the position → -2022', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await ccxtClient.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.1);
      const increase = ccxtClient.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.1, undefined, { reduceOnly: true });
      await expectRefusal(ccxtClient, increase, ccxt.ExchangeError, -2022);
      expect(sim().positions('binance', account.apiKey)[0]?.size.toFixed()).toBe('0.1');
    });

    it('hedge mode: no positionSide → -4061 (OperationRejected); reduceOnly → -1106 (BadRequest)', async () => {
      const account = createAccount(sim(), 'binance', { positionMode: 'hedge' });
      const ccxtClient = client(account);
      await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01), ccxt.OperationRejected, -4061);
      await expectRefusal(
        ccxtClient,
        ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { positionSide: 'LONG', reduceOnly: true }),
        ccxt.BadRequest,
        -1106,
      );
      // Closing a leg that is not open is Binance's reduce-only refusal.
      const closeNothing = ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.01, undefined, { positionSide: 'LONG' });
      await expectRefusal(ccxtClient, closeNothing, ccxt.ExchangeError, -2022);
      expect(ledgerOf(account)).toEqual([]);
    });

    it('one-way mode: positionSide LONG → -4061', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await expectRefusal(
        ccxtClient,
        ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { positionSide: 'LONG' }),
        ccxt.OperationRejected,
        -4061,
      );
    });
  });

  describe('client order id format', () => {
    it.each([
      ['spot', 'BTC/USDT', 'has.dot', '^[a-zA-Z0-9-_]{1,36}$'],
      ['futures', 'BTC/USDT:USDT', 'has spaces', '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'],
      ['futures', 'BTC/USDT:USDT', 'x'.repeat(37), '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'],
    ] as const)('%s: %s → -1100 naming the legal range, nothing executed', async (_market, symbol, id, legalRange) => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await expectRefusal(ccxtClient, ccxtClient.createOrder(symbol, 'market', 'buy', 0.002, undefined, { clientOrderId: id }), ccxt.BadRequest, -1100);
      expect((JSON.parse(String(ccxtClient.last_http_response)) as { msg: string }).msg).toContain(`legal range is '${legalRange}'`);
      expect(ledgerOf(account)).toEqual([]);
    });
  });

  describe('idempotent setup answers', () => {
    it('position mode already set → -4059 No need to change position side. (OperationRejected)', async () => {
      const ccxtClient = client(createAccount(sim(), 'binance'));
      await ccxtClient.loadMarkets();
      const error = await expectRefusal(ccxtClient, ccxtClient.setPositionMode(false, 'BTC/USDT:USDT'), ccxt.OperationRejected, -4059);
      expect(error.message).toContain('No need to change position side.');
    });

    it('position mode change with an open position → -4068', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await ccxtClient.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.002);
      await expectRefusal(ccxtClient, ccxtClient.setPositionMode(true, 'BTC/USDT:USDT'), ccxt.OperationRejected, -4068);
      expect(sim().accounts.get('binance', account.apiKey)?.positionMode).toBe('oneway');
    });

    it('margin type: CROSSED is already set → -4046 (MarginModeAlreadySet); isolated is not simulated', async () => {
      const ccxtClient = client(createAccount(sim(), 'binance'));
      await expectRefusal(ccxtClient, ccxtClient.setMarginMode('cross', 'BTC/USDT:USDT'), ccxt.MarginModeAlreadySet, -4046);
      await expectRefusal(ccxtClient, ccxtClient.setMarginMode('isolated', 'BTC/USDT:USDT'), ccxt.BadRequest, -1130);
    });
  });

  describe('authentication', () => {
    it('unknown API key → AuthenticationError (-2015)', async () => {
      const stranger = client(undefined, { apiKey: 'x'.repeat(64), secret: 'y'.repeat(64) });
      await expectRefusal(stranger, stranger.fetchBalance(), ccxt.AuthenticationError, -2015);
    });

    it('signature under the wrong secret → AuthenticationError (-1022)', async () => {
      const account = createAccount(sim(), 'binance');
      const forger = client(undefined, { apiKey: account.apiKey, secret: `${account.secret}x` });
      await expectRefusal(forger, forger.fetchBalance(), ccxt.AuthenticationError, -1022);
    });

    it('a tampered parameter breaks the signature: the order is not placed', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await ccxtClient.loadMarkets();
      // Sign the request ccxt builds, then change the quantity on the wire.
      const original = ccxtClient.sign.bind(ccxtClient);
      ccxtClient.sign = (path, api, method, params, headers, body) => {
        const signed = original(path, api, method, params, headers, body) as { body?: string };
        if (typeof signed.body === 'string') signed.body = signed.body.replace('quantity=0.01', 'quantity=0.02');
        return signed;
      };
      await expectRefusal(ccxtClient, ccxtClient.createOrder('BTC/USDT', 'market', 'buy', 0.01), ccxt.AuthenticationError, -1022);
      expect(ledgerOf(account)).toEqual([]);
    });
  });

  describe('timestamps against the simulator clock', () => {
    it('a client behind the venue by more than recvWindow → InvalidNonce (-1021); time sync fixes it', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await ccxtClient.loadMarkets();
      sim().clock.skew(30_000);
      try {
        const error = await expectRefusal(ccxtClient, ccxtClient.fetchBalance(), ccxt.InvalidNonce, -1021);
        expect(error.message).toContain('outside of the recvWindow');
        await ccxtClient.loadTimeDifference();
        expect((await ccxtClient.fetchBalance()).USDT?.free).toBe(10000);
      } finally {
        sim().clock.skew(0);
      }
    });

    it('a client more than a second ahead → InvalidNonce (-1021)', async () => {
      const account = createAccount(sim(), 'binance');
      const ccxtClient = client(account);
      await ccxtClient.loadMarkets();
      sim().clock.skew(-5_000);
      try {
        const error = await expectRefusal(ccxtClient, ccxtClient.fetchBalance({ type: 'future' }), ccxt.InvalidNonce, -1021);
        expect(error.message).toContain("ahead of the server's time");
      } finally {
        sim().clock.skew(0);
      }
    });
  });
});
