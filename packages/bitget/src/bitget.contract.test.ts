import { VenueRuntimeRegistry } from '@xport/ccxt';
import { describeExchangeContract, expectOrderMatchesLedger, expectRejection, ledgerOrders, openLegs, summariseLegs } from '@xport/contract-tests';
import type { ContractContext } from '@xport/contract-tests';
import { AuthenticationError, ConfigurationError, Decimal } from '@xport/core';
import type { PositionMode } from '@xport/core';
import { expect } from 'vitest';

import { bitget, createBitgetAdapter } from './create-bitget-adapter';

/** One account's requests as `METHOD path`, without the venue prefix. */
function requestsOf(ctx: ContractContext<VenueRuntimeRegistry>, apiKey: string): string[] {
  return ctx.requests(apiKey).map((entry) => `${entry.method} ${entry.path.replace(/^\/bitget/, '')}`);
}

function bitgetExtras(ctx: ContractContext<VenueRuntimeRegistry>): void {
  ctx.test('a missing or empty passphrase is a ConfigurationError at creation, with zero requests', () => {
    const account = ctx.createAccount();
    const before = ctx.sim.requests().length;
    const { passphrase: _dropped, ...withoutPassphrase } = ctx.adapterOptions(account);

    for (const options of [withoutPassphrase, { ...withoutPassphrase, passphrase: '' }, { ...withoutPassphrase, passphrase: '   ' }]) {
      let thrown: unknown;
      try {
        createBitgetAdapter(options);
      } catch (error) {
        thrown = error;
      }
      expect(ConfigurationError.isInstance(thrown), String(thrown)).toBe(true);
      expect((thrown as ConfigurationError).message).toContain('passphrase');
    }
    // The factory's path refuses it the same way.
    expect(() => bitget.create({ apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${ctx.sim.url}/bitget` })).toThrow(/passphrase/);
    expect(ctx.sim.requests().slice(before)).toEqual([]);
  });

  ctx.test('a wrong passphrase is AuthenticationError with Bitget 40012, and places nothing', async () => {
    const account = ctx.createAccount();
    const adapter = ctx.createAdapter(account, { passphrase: 'not-the-passphrase' });

    const error = await expectRejection(adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 5), AuthenticationError);

    expect((error as AuthenticationError).code).toBe('40012');
    expect((error as Error).message).not.toContain('not-the-passphrase');
    expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
  });

  ctx.test('discovers the position mode from the USDT-M account view, with one signed request', async () => {
    for (const mode of ['oneway', 'hedge'] satisfies PositionMode[]) {
      const account = ctx.createAccount({ positionMode: mode });
      // Built directly for its positionMode; ctx.createAdapter would type it as a plain ExchangePort.
      const adapter = createBitgetAdapter(ctx.adapterOptions(account));
      await adapter.initialize();
      expect(adapter.positionMode).toBe(mode);
      await adapter.close();
      expect(requestsOf(ctx, account.apiKey)).toEqual(['GET /api/v2/mix/account/account']);
    }
  });

  ctx.test('hedge mode: leverage carries holdSide, so each leg keeps its own', async () => {
    const { account, adapter } = await ctx.setup({ positionMode: 'hedge' });

    await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 7);
    await adapter.executeFuturesShort('BTC/USDT', new Decimal('0.02'), 3);

    // Without holdSide the venue would set the symbol's leverage, and the long leg would read 3.
    expect(ctx.sim.engine.leverage(account, 'BTCUSDT', 'long')).toBe(7);
    expect(ctx.sim.engine.leverage(account, 'BTCUSDT', 'short')).toBe(3);
    expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([
      { direction: 'long', size: '0.01', leverage: 7, side: 'long' },
      { direction: 'short', size: '0.02', leverage: 3, side: 'short' },
    ]);
    expect(ctx.setLeverageRequests(account.apiKey)).toHaveLength(2);
  });

  ctx.test('a spot market buy buys exactly the base quantity asked for, sized at the ask in quote', async () => {
    ctx.sim.prices.set('BTCUSDT', '65432.17', 'bitget');
    const { account, adapter } = await ctx.setup();
    const before = requestsOf(ctx, account.apiKey).length;

    const result = await adapter.executeSpotBuy('BTC/USDT', new Decimal('0.001234'));

    const [order] = ledgerOrders(ctx, account.apiKey);
    expect(order?.quantity.toFixed()).toBe('0.001234');
    if (order !== undefined) expectOrderMatchesLedger(result, order);
    // The ask is public (no key), so only the order and its read-back are the account's: orderInfo
    // does not find a filled order by clientOid, the spot history does.
    expect(requestsOf(ctx, account.apiKey).slice(before)).toEqual([
      'POST /api/v2/spot/trade/place-order',
      'GET /api/v2/spot/trade/orderInfo',
      'GET /api/v2/spot/trade/history-orders',
    ]);
    expect(ctx.requests().filter((entry) => entry.path === '/bitget/api/v2/spot/market/tickers')).toHaveLength(1);
  });

  ctx.test('a venue clock 40 s ahead: the load measures the offset, and a later jump is resynced on 40008', async () => {
    ctx.sim.clock.skew(40_000);
    const { account, adapter } = await ctx.setup();
    const first = await adapter.executeFuturesLong('BTC/USDT', new Decimal('0.01'), 4);
    expect(first.status).toBe('filled');
    expect(ctx.requests(account.apiKey).filter((entry) => entry.status !== 200)).toEqual([]);

    // Past Bitget's 30 s window again: one refusal, a resync, the same order re-sent once.
    ctx.sim.clock.skew(80_000);
    const second = await adapter.executeSpotSell('BTC/USDT', new Decimal('0.01'));
    expect(second.status).toBe('filled');
    expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(2);
    // Besides orderInfo's "not found" for the filled spot order (read back from the history instead).
    const refused = ctx.requests(account.apiKey).filter((entry) => entry.status !== 200 && !entry.path.endsWith('/spot/trade/orderInfo'));
    expect(refused).toHaveLength(1);
  });
}

describeExchangeContract({
  name: 'bitget',
  createAdapter: (options) => createBitgetAdapter(options),
  createRegistry: () => new VenueRuntimeRegistry(),
  extra: bitgetExtras,
});
