import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { createAccount, useSimulator } from '../../test-support';
import { ACK, BTC_PERP, bybitClient, expectCcxtError, idOf } from '../../test-support/bybit-venue';

describe('Bybit position mode and leverage through ccxt', () => {
  const sim = useSimulator();

  it('switches to hedge mode and back, answering 110025 when the mode is already set', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.setPositionMode(true);
    expect(sim().accounts.get('bybit', account.apiKey)?.positionMode).toBe('hedge');
    await expectCcxtError(client.setPositionMode(true), ccxt.NoChange, 110025);
    await client.setPositionMode(false, BTC_PERP);
    expect(sim().accounts.get('bybit', account.apiKey)?.positionMode).toBe('oneway');
  });

  it('refuses to switch mode while a position is open (110024)', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    await expectCcxtError(client.setPositionMode(true), ccxt.BadRequest, 110024);
    expect(sim().accounts.get('bybit', account.apiKey)?.positionMode).toBe('oneway');
  });

  it('answers 110043 for an unchanged leverage and 110013 above the symbol maximum', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.setLeverage(25, BTC_PERP);
    await expectCcxtError(client.setLeverage(25, BTC_PERP), ccxt.BadRequest, 110043);
    await expectCcxtError(client.setLeverage(101, BTC_PERP), ccxt.BadRequest, 110013);
    await expectCcxtError(client.setLeverage(76, 'XRP/USDT:USDT'), ccxt.BadRequest, 110013);
    await client.setLeverage(75, 'XRP/USDT:USDT');
    expect(sim().engine.leverage(account, 'BTCUSDT', 'both')).toBe(25);
    expect(sim().engine.leverage(account, 'XRPUSDT', 'both')).toBe(75);
  });

  it('refuses different buy and sell leverage, as cross margin does', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await expectCcxtError(client.setLeverage(10, BTC_PERP, { buyLeverage: '10', sellLeverage: '5' }), ccxt.BadRequest, 10001);
  });
});

describe('Bybit USDT perpetuals in hedge mode through ccxt', () => {
  const sim = useSimulator();

  it('opens both legs with positionIdx 1 and 2 and lists them as hedged long and short', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit', { positionMode: 'hedge' });
    const client = bybitClient(sim(), account);
    const long = await client.createOrder(BTC_PERP, 'market', 'buy', 0.02, undefined, { hedged: true });
    await client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { hedged: true });

    const legs = sim().positions('bybit', account.apiKey, 'BTCUSDT').map((position) => [position.side, position.signedSize.toFixed()]);
    expect(legs).toEqual(expect.arrayContaining([['long', '0.02'], ['short', '-0.01']]));
    const positions = await client.fetchPositions([BTC_PERP]);
    expect(positions.map((position) => [position.side, position.contracts, position.hedged])).toEqual([
      ['long', 0.02, true],
      ['short', 0.01, true],
    ]);
    expect((await client.fetchOrder(idOf(long), BTC_PERP, ACK)).info).toMatchObject({ positionIdx: 1 });
  });

  it('closes a leg reduce-only: ccxt sends the opposite side on the same positionIdx', async () => {
    sim().prices.set('ETHUSDT', '3000', 'bybit');
    const account = createAccount(sim(), 'bybit', { positionMode: 'hedge' });
    const client = bybitClient(sim(), account);
    await client.createOrder('ETH/USDT:USDT', 'market', 'buy', 1, undefined, { hedged: true });
    await client.createOrder('ETH/USDT:USDT', 'market', 'sell', 2, undefined, { hedged: true });
    sim().prices.set('ETHUSDT', '3100', 'bybit');
    const close = await client.createOrder('ETH/USDT:USDT', 'market', 'sell', 1, undefined, { hedged: true, reduceOnly: true });

    const ledger = sim().ledger.orders({ apiKey: account.apiKey });
    expect(ledger.map((order) => [order.side, order.positionSide, order.realisedPnl.toFixed()])).toEqual([
      ['buy', 'long', '0'],
      ['sell', 'short', '0'],
      ['sell', 'long', '100'],
    ]);
    expect(sim().positions('bybit', account.apiKey).map((position) => position.side)).toEqual(['short']);
    const positions = await client.fetchPositions(['ETH/USDT:USDT']);
    expect(positions.map((position) => [position.side, position.contracts])).toEqual([
      ['long', 0],
      ['short', 2],
    ]);
    expect((await client.fetchOrder(idOf(close), 'ETH/USDT:USDT', ACK)).info).toMatchObject({ positionIdx: 1, side: 'Sell' });
  });

  it('refuses to close a leg that is not open (110017) and an order without positionIdx (10001)', async () => {
    const account = createAccount(sim(), 'bybit', { positionMode: 'hedge' });
    const client = bybitClient(sim(), account);
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { hedged: true, reduceOnly: true }), ccxt.InvalidOrder, 110017);
    await expectCcxtError(client.createOrder(BTC_PERP, 'market', 'buy', 0.01), ccxt.BadRequest, 10001);
    expect(sim().ledger.orders({ apiKey: account.apiKey })).toHaveLength(0);
  });

  it('keeps the leverage it was set to on both legs', async () => {
    sim().prices.set('BTCUSDT', '60000', 'bybit');
    const account = createAccount(sim(), 'bybit', { positionMode: 'hedge' });
    const client = bybitClient(sim(), account);
    await client.setLeverage(50, BTC_PERP);
    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { hedged: true });
    const positions = await client.fetchPositions([BTC_PERP]);
    expect(positions.map((position) => [position.side, position.leverage])).toEqual([
      ['long', 50],
      ['short', 50],
    ]);
    expect(sim().balances('bybit', account.apiKey).futures.USDT?.locked.toFixed()).toBe('12');
  });
});
