import { beforeEach, describe, expect, it } from 'vitest';
import { OrderNotFound, type Order } from 'ccxt';
import type { SimAccount } from '../../engine-account';
import { createAccount, useSimulator } from '../../test-support';
import { bitgetClient, expectCcxtError, idOf, type BitgetClient } from '../../test-support/bitget-venue';

const BTC_PERP = 'BTC/USDT:USDT';
const ETH_PERP = 'ETH/USDT:USDT';

/** The fields xport's adapters read from every parsed order, for a market order that filled at once. */
function expectComplete(order: Order, expected: { amount: number; average: number; fee: number; feeCurrency?: string; clientOrderId: string }): void {
  expect(order.id).toMatch(/^\d+$/);
  expect(order.clientOrderId).toBe(expected.clientOrderId);
  expect(order.status).toBe('closed');
  expect(order.type).toBe('market');
  expect(order.filled).toBe(expected.amount);
  expect(order.amount).toBe(expected.amount);
  expect(order.average).toBe(expected.average);
  expect(order.fee?.cost).toBeCloseTo(expected.fee, 10);
  expect(order.fee?.currency).toBe(expected.feeCurrency ?? 'USDT');
}

describe('bitget trading through unmodified ccxt', () => {
  const sim = useSimulator();
  let account: SimAccount;
  let client: BitgetClient;

  beforeEach(async () => {
    sim().prices.set('BTCUSDT', '65000', 'bitget');
    sim().prices.set('ETHUSDT', '3500', 'bitget');
    account = createAccount(sim(), 'bitget');
    client = await bitgetClient(sim(), account);
  });

  const ledger = () => sim().ledger.orders({ venue: 'bitget', apiKey: account.apiKey });
  const positions = () => sim().positions('bitget', account.apiKey);

  it('fetchBalance reads the spot wallet and the USDT-M futures wallet', async () => {
    const spot = await client.fetchBalance();
    expect(spot.USDT).toEqual({ free: 10000, used: 0, total: 10000 });
    expect(spot.BTC).toEqual({ free: 1, used: 0, total: 1 });
    const futures = await client.fetchBalance({ type: 'swap' });
    expect(futures.USDT).toEqual({ free: 10000, used: 0, total: 10000 });

    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    sim().prices.set('BTCUSDT', '66000', 'bitget');
    const after = await client.fetchBalance({ type: 'swap' });
    const wallet = sim().balances('bitget', account.apiKey).futures.USDT;
    // Margin 650 / 20x = 32.5 locked, fee 0.39 paid, 10 of unrealised profit in the equity.
    expect(wallet?.locked.toFixed()).toBe('32.5');
    expect(after.USDT?.free).toBe(Number(wallet?.free.toFixed()));
    expect(after.USDT?.total).toBeCloseTo(10000 - 0.39 + 10, 8);
    expect(after.USDT?.used).toBeCloseTo(32.5 + 10, 8);
  });

  it('spot market buy and sell fill at the mark, and fetchOrder by id and by clientOid parses them completely', async () => {
    const buy = await client.createOrder('BTC/USDT', 'market', 'buy', 0.01, 65000, { clientOrderId: 'spot-buy-1' });
    expect(buy.clientOrderId).toBe('spot-buy-1');
    const sell = await client.createOrder('BTC/USDT', 'market', 'sell', 0.004);

    const [buyRow, sellRow] = ledger();
    expect(buyRow).toMatchObject({ orderId: buy.id, clientOrderId: 'spot-buy-1', market: 'spot', side: 'buy', status: 'filled' });
    expect(buyRow?.quantity.toFixed()).toBe('0.01');
    expect(sellRow).toMatchObject({ orderId: sell.id, market: 'spot', side: 'sell' });
    expect(sellRow?.clientOrderId).toBe(sell.clientOrderId);
    const wallet = sim().balances('bitget', account.apiKey).spot;
    // 0.01 bought less its 0.1% fee (0.00001 BTC), 0.004 sold.
    expect(wallet.BTC?.free.toFixed()).toBe('1.00599');
    // 650 spent, 260 − 0.26 fee received.
    expect(wallet.USDT?.free.toFixed()).toBe('9609.74');

    expectComplete(await client.fetchOrder(idOf(buy), 'BTC/USDT'), { amount: 0.01, average: 65000, fee: 0.00001, feeCurrency: 'BTC', clientOrderId: 'spot-buy-1' });
    // orderInfo finds a spot order by clientOid only while it is unfilled (client-order-ids.test.ts).
    await expectCcxtError(client.fetchOrder('', 'BTC/USDT', { clientOrderId: 'spot-buy-1' }), OrderNotFound, '43001');
    const fetchedSell = await client.fetchOrder(idOf(sell), 'BTC/USDT');
    expectComplete(fetchedSell, { amount: 0.004, average: 65000, fee: 0.26, clientOrderId: sell.clientOrderId ?? '' });
    expect(fetchedSell.side).toBe('sell');
  });

  it('a spot market buy by cost buys the whole steps that the quote amount pays for', async () => {
    const order = await client.createMarketBuyOrderWithCost('ETH/USDT', 100);
    const row = ledger()[0];
    expect(row?.orderId).toBe(order.id);
    // 100 / 3500 = 0.028571…, truncated to the 0.0001 step.
    expect(row?.quantity.toFixed()).toBe('0.0285');
    const fetched = await client.fetchOrder(idOf(order), 'ETH/USDT');
    expect(fetched.amount).toBe(0.0285);
    expect(fetched.filled).toBe(0.0285);
  });

  it('one-way mode: opens a long, reports the position, closes it reduce-only with realised PnL', async () => {
    const open = await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'open-1' });
    expect(open.id).toBe(ledger()[0]?.orderId);
    expect(ledger()[0]).toMatchObject({ market: 'futures', side: 'buy', positionSide: 'both', reduceOnly: false, clientOrderId: 'open-1' });
    expect(positions()).toHaveLength(1);
    expect(positions()[0]?.signedSize.toFixed()).toBe('0.01');

    const [position] = await client.fetchPositions([BTC_PERP]);
    expect(position).toMatchObject({ symbol: BTC_PERP, side: 'long', contracts: 0.01, entryPrice: 65000, leverage: 20, hedged: false, marginMode: 'cross' });
    expect(position?.initialMargin).toBe(32.5);
    const single = await client.fetchPosition(BTC_PERP);
    expect(single).toMatchObject({ side: 'long', contracts: 0.01 });

    const fetchedOpen = await client.fetchOrder('', BTC_PERP, { clientOrderId: 'open-1' });
    expectComplete(fetchedOpen, { amount: 0.01, average: 65000, fee: 0.39, clientOrderId: 'open-1' });
    expect(fetchedOpen).toMatchObject({ id: open.id, side: 'buy', reduceOnly: false });

    sim().prices.set('BTCUSDT', '66000', 'bitget');
    const close = await client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
    const closeRow = ledger()[1];
    expect(closeRow).toMatchObject({ orderId: close.id, side: 'sell', positionSide: 'both', reduceOnly: true });
    expect(closeRow?.realisedPnl.toFixed()).toBe('10');
    expect(positions()).toHaveLength(0);
    expect(await client.fetchPositions([BTC_PERP])).toEqual([]);
    const fetchedClose = await client.fetchOrder(idOf(close), BTC_PERP);
    expectComplete(fetchedClose, { amount: 0.01, average: 66000, fee: 0.396, clientOrderId: closeRow?.clientOrderId ?? '' });
    expect(fetchedClose).toMatchObject({ side: 'sell', reduceOnly: true });
  });

  it('one-way mode: a sell opens a short that fetchPositions reports as short', async () => {
    await client.createOrder(ETH_PERP, 'market', 'sell', 0.5);
    expect(positions()[0]?.signedSize.toFixed()).toBe('-0.5');
    const [position] = await client.fetchPositions([ETH_PERP]);
    expect(position).toMatchObject({ side: 'short', contracts: 0.5, entryPrice: 3500 });
  });

  it('hedge mode: setPositionMode, both legs with tradeSide open, a reduce-only close of one leg', async () => {
    await client.setPositionMode(true);
    expect(sim().accounts.get('bitget', account.apiKey)?.positionMode).toBe('hedge');
    // Asking again is a no-op on Bitget, not an error.
    await client.setPositionMode(true);
    // ccxt has no fetchPositionMode for Bitget; the symbol account view is where the venue reports it.
    expect((await client.fetchLeverage(BTC_PERP)).info).toMatchObject({ posMode: 'hedge_mode' });

    const long = await client.createOrder(BTC_PERP, 'market', 'buy', 0.02, undefined, { hedged: true });
    const short = await client.createOrder(BTC_PERP, 'market', 'sell', 0.01, undefined, { hedged: true });
    expect(ledger().map((row) => [row.side, row.positionSide, row.reduceOnly])).toEqual([
      ['buy', 'long', false],
      ['sell', 'short', false],
    ]);
    const legs = await client.fetchPositions([BTC_PERP]);
    expect(legs.map((leg) => [leg.side, leg.contracts, leg.hedged]).sort()).toEqual([
      ['long', 0.02, true],
      ['short', 0.01, true],
    ]);

    const close = await client.createOrder(BTC_PERP, 'market', 'sell', 0.02, undefined, { hedged: true, reduceOnly: true });
    expect(ledger()[2]).toMatchObject({ orderId: close.id, side: 'sell', positionSide: 'long', reduceOnly: true });
    expect(positions().map((position) => [position.side, position.size.toFixed()])).toEqual([['short', '0.01']]);

    expect(await client.fetchOrder(idOf(long), BTC_PERP)).toMatchObject({ side: 'buy', reduceOnly: false, status: 'closed' });
    expect(await client.fetchOrder(idOf(short), BTC_PERP)).toMatchObject({ side: 'sell', reduceOnly: false });
    const fetchedClose = await client.fetchOrder(idOf(close), BTC_PERP);
    expect(fetchedClose).toMatchObject({ side: 'sell', reduceOnly: true, filled: 0.02, status: 'closed' });
    expect(fetchedClose.info).toMatchObject({ posSide: 'long', tradeSide: 'close', posMode: 'hedge_mode' });

    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01, undefined, { hedged: true, reduceOnly: true });
    expect(positions()).toHaveLength(0);
    await client.setPositionMode(false);
    expect(sim().accounts.get('bitget', account.apiKey)?.positionMode).toBe('oneway');
  });

  it('setLeverage sets both sides of a cross-margin symbol, is idempotent, and sizes the margin of the next position', async () => {
    const response = await client.setLeverage(50, BTC_PERP);
    expect(response).toMatchObject({ code: '00000', data: { longLeverage: '50', shortLeverage: '50', marginMode: 'crossed' } });
    expect(sim().engine.leverage(account, 'BTCUSDT', 'both')).toBe(50);
    await expect(client.setLeverage(50, BTC_PERP)).resolves.toMatchObject({ code: '00000' });
    expect(await client.fetchLeverage(BTC_PERP)).toMatchObject({ longLeverage: 50, shortLeverage: 50, marginMode: 'cross' });

    await client.createOrder(BTC_PERP, 'market', 'buy', 0.01);
    expect(positions()[0]?.margin.toFixed()).toBe('13');
    const [position] = await client.fetchPositions([BTC_PERP]);
    expect(position?.leverage).toBe(50);
  });

  it('setLeverage with holdSide in hedge mode sets only that leg', async () => {
    await client.setPositionMode(true);
    await client.setLeverage(7, ETH_PERP, { holdSide: 'short' });
    expect(sim().engine.leverage(account, 'ETHUSDT', 'short')).toBe(7);
    expect(sim().engine.leverage(account, 'ETHUSDT', 'long')).toBe(20);
  });
});
