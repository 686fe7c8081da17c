import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { CcxtExchangeAdapter } from '@xport/ccxt';
import { Decimal } from '@xport/core';
import { startSimulator } from '@xport/simulator';
import type { SimAccount, Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBitgetAdapter } from './create-bitget-adapter';
import { quoteAmountFor } from './spot-market-buy';

const TICKERS = '/bitget/api/v2/spot/market/tickers';
const QUANTITY = new Decimal('0.001234');

/** Many accounts' quote-sized spot buys of one symbol in one process, against the simulator's request log and ledger. */
describe('bitget: one price read shared by every account buying a symbol', () => {
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 11 });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function followers(count: number, priceMaxAgeMs?: number): Promise<{ account: SimAccount; adapter: CcxtExchangeAdapter }[]> {
    // A registry per test: its own venue runtime, so no earlier read is reused.
    const registry = new VenueRuntimeRegistry();
    const made = Array.from({ length: count }, () => {
      const account = sim.accounts.create({ venue: 'bitget', balances: { USDT: '10000' }, positionMode: 'oneway' });
      const adapter = createBitgetAdapter({
        apiKey: account.apiKey,
        apiSecret: account.secret,
        passphrase: account.passphrase,
        baseUrl: `${sim.url}/bitget`,
        positionMode: 'oneway',
        registry,
        ...(priceMaxAgeMs === undefined ? {} : { priceMaxAgeMs }),
      });
      return { account, adapter };
    });
    for (const { adapter } of made) await adapter.initialize();
    return made;
  }

  const tickerReads = (since: number): number => sim.requests({ exchange: 'bitget' }).slice(since).filter((entry) => entry.path === TICKERS).length;
  const ledgerOf = (account: SimAccount) => sim.ledger.orders({ venue: 'bitget', apiKey: account.apiKey });

  it('concurrent buys of one symbol send one ticker request, and each buys the quantity at that price', async () => {
    sim.prices.set('BTCUSDT', '65432.17', 'bitget');
    const made = await followers(24);
    const before = sim.requests({ exchange: 'bitget' }).length;

    const results = await Promise.all(made.map(({ adapter }) => adapter.executeSpotBuy('BTC/USDT', QUANTITY)));

    expect(tickerReads(before)).toBe(1);
    for (const [index, { account }] of made.entries()) {
      const [order] = ledgerOf(account);
      expect(order?.quantity.toFixed()).toBe('0.001234');
      expect(order?.price.toFixed()).toBe('65432.17');
      expect(results[index]?.filledQuantity.toFixed()).toBe('0.001234');
    }
  });

  it('a later buy within priceMaxAgeMs is sized at the shared read, even after the price has moved', async () => {
    sim.prices.set('BTCUSDT', '65432.17', 'bitget');
    const made = await followers(6, 60_000);
    const before = sim.requests({ exchange: 'bitget' }).length;
    const [first, ...rest] = made;
    if (first === undefined) throw new Error('no follower');
    await first.adapter.executeSpotBuy('BTC/USDT', QUANTITY);
    // The book moves after the read: the quote amount stays the one sized at the read's ask.
    sim.prices.set('BTCUSDT', '66000', 'bitget');

    await Promise.all(rest.map(({ adapter }) => adapter.executeSpotBuy('BTC/USDT', QUANTITY)));

    expect(tickerReads(before)).toBe(1);
    const info = await first.adapter.getSymbolInfo('BTC/USDT');
    const spent = quoteAmountFor(QUANTITY, new Decimal('65432.17'), new Decimal('0.01'));
    const bought = spent.div('66000').div(info.quantityStep).floor().times(info.quantityStep);
    expect(ledgerOf(first.account)[0]?.quantity.toFixed()).toBe('0.001234');
    for (const { account } of rest) {
      const [order] = ledgerOf(account);
      expect(order?.price.toFixed()).toBe('66000');
      // Less base for the same quote: the shared read's risk is in quantity, never in money spent.
      expect(order?.quantity.toFixed()).toBe(bought.toFixed());
      expect(order?.cost.lte(spent)).toBe(true);
    }
  });

  it('priceMaxAgeMs 0 reads the price for every order', async () => {
    sim.prices.set('BTCUSDT', '65000', 'bitget');
    const made = await followers(5, 0);
    const before = sim.requests({ exchange: 'bitget' }).length;

    await Promise.all(made.map(({ adapter }) => adapter.executeSpotBuy('BTC/USDT', QUANTITY)));

    expect(tickerReads(before)).toBe(5);
    for (const { account } of made) expect(ledgerOf(account)[0]?.quantity.toFixed()).toBe('0.001234');
  });
});
