import { describe, expect, it } from 'vitest';
import { createAccount, useSimulator } from '../../test-support';
import { BYBIT_REAL_SCALE } from './catalogue';
import { BTC_PERP, BTC_SPOT, bybitClient } from '../../test-support/bybit-venue';

interface InstrumentsPage {
  result: { list: { symbol: string }[]; nextPageCursor: string };
}

describe('Bybit market data through ccxt (minimal catalogue)', () => {
  const sim = useSimulator();

  it('loads markets without credentials from public endpoints only, every one answered', async () => {
    const client = bybitClient(sim());
    const logged = sim().requests({ exchange: 'bybit' }).length;
    const markets = await client.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual(
      ['BTC', 'DOGE', 'ETH', 'SOL', 'XRP'].flatMap((base) => [`${base}/USDT`, `${base}/USDT:USDT`]).sort(),
    );
    const requests = sim().requests({ exchange: 'bybit' }).slice(logged);
    // spot, linear and inverse (each also asked for pre-launch listings), options for six coins.
    expect(requests).toHaveLength(11);
    expect(requests.every((entry) => entry.status === 200 && entry.path === '/bybit/v5/market/instruments-info')).toBe(true);
  });

  it('gives ccxt the step, tick, minimum quantity, minimum notional and maximum leverage of each market', async () => {
    const client = bybitClient(sim());
    await client.loadMarkets();
    const perp = client.market(BTC_PERP);
    expect(perp).toMatchObject({ type: 'swap', linear: true, settle: 'USDT', contractSize: 1, active: true });
    expect(perp.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(perp.limits.amount?.min).toBe(0.001);
    expect(perp.limits.cost?.min).toBe(5);
    expect(perp.limits.leverage?.max).toBe(100);
    expect(client.market('XRP/USDT:USDT').limits.leverage?.max).toBe(75);
    const spot = client.market(BTC_SPOT);
    expect(spot).toMatchObject({ type: 'spot', spot: true, active: true });
    expect(spot.precision.amount).toBe(0.000001);
    expect(spot.precision.price).toBe(0.01);
    expect(spot.limits.amount?.min).toBe(0.000048);
    expect(spot.limits.cost?.min).toBe(1);
  });

  it('with credentials also loads currencies from the signed coin endpoint', async () => {
    const account = createAccount(sim(), 'bybit');
    const client = bybitClient(sim(), account);
    await client.loadMarkets();
    expect(Object.keys(client.currencies)).toEqual(expect.arrayContaining(['USDT', 'BTC', 'ETH', 'SOL', 'XRP', 'DOGE']));
    const coinQuery = sim().requests({ exchange: 'bybit', apiKey: account.apiKey });
    expect(coinQuery.map((entry) => [entry.path, entry.status])).toEqual([['/bybit/v5/asset/coin/query-info', 200]]);
  });

  it("answers fetchTime with the simulator's clock, skew included", async () => {
    const client = bybitClient(sim());
    sim().clock.skew(120_000);
    try {
      const before = sim().clock.now();
      const time = await client.fetchTime();
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(sim().clock.now());
    } finally {
      sim().clock.skew(0);
    }
  });

  it('quotes tickers at the mark price', async () => {
    sim().prices.set('ETHUSDT', '3210.5', 'bybit');
    const client = bybitClient(sim());
    await client.loadMarkets();
    const ticker = await client.fetchTicker('ETH/USDT:USDT');
    expect(ticker.last).toBe(3210.5);
    expect(ticker.markPrice).toBe(3210.5);
    expect(ticker.bid).toBe(3210.49);
    expect(ticker.ask).toBe(3210.51);
  });
});

describe('Bybit market data at real-venue scale', () => {
  const sim = useSimulator({ catalogue: 'real' });

  it('lists hundreds of spot pairs and perpetuals, which ccxt loads in full', async () => {
    const client = bybitClient(sim());
    const markets = await client.loadMarkets();
    const values = Object.values(markets);
    expect(values.filter((market) => market?.spot)).toHaveLength(BYBIT_REAL_SCALE.spot);
    expect(values.filter((market) => market?.swap)).toHaveLength(BYBIT_REAL_SCALE.futures);
    expect(client.market('SYN0042/USDT:USDT').limits.amount?.min).toBe(1);
  });

  it('pages linear instruments by limit and nextPageCursor', async () => {
    const client = bybitClient(sim());
    const first = (await client.publicGetV5MarketInstrumentsInfo({ category: 'linear' })) as InstrumentsPage;
    expect(first.result.list).toHaveLength(500);
    expect(first.result.nextPageCursor).not.toBe('');
    const rest = (await client.publicGetV5MarketInstrumentsInfo({ category: 'linear', cursor: first.result.nextPageCursor })) as InstrumentsPage;
    expect(rest.result.list).toHaveLength(BYBIT_REAL_SCALE.futures - 500);
    expect(rest.result.nextPageCursor).toBe('');
    const symbols = new Set([...first.result.list, ...rest.result.list].map((entry) => entry.symbol));
    expect(symbols.size).toBe(BYBIT_REAL_SCALE.futures);
  });
});
