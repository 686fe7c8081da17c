import { describe, expect, it } from 'vitest';
import { createAccount, createCcxtClient, useSimulator } from '../../test-support';
import { BITGET_REAL_SCALE } from './catalogue';
import { asBitget, bitgetClient } from '../../test-support/bitget-venue';

const LISTING_PATHS = [
  '/bitget/api/v2/spot/public/coins',
  '/bitget/api/v2/spot/public/symbols',
  '/bitget/api/v2/margin/currencies',
  '/bitget/api/v2/mix/market/contracts',
];

describe('bitget public data through unmodified ccxt', () => {
  const sim = useSimulator();

  it('loadMarkets without credentials reads every listing endpoint and parses the five spot pairs and five perpetuals', async () => {
    const client = asBitget(createCcxtClient('bitget', sim()));
    const markets = await client.loadMarkets();

    const paths = sim()
      .requests({ exchange: 'bitget' })
      .map((entry) => entry.path);
    for (const path of LISTING_PATHS) expect(paths).toContain(path);
    expect(paths.filter((path) => path === '/bitget/api/v2/mix/market/contracts')).toHaveLength(6);
    expect(paths).not.toContain('/bitget/api/v3/account/settings');
    expect(sim().requests({ exchange: 'bitget' }).every((entry) => entry.status === 200)).toBe(true);

    expect(Object.keys(markets).sort()).toEqual(
      ['BTC', 'DOGE', 'ETH', 'SOL', 'XRP'].flatMap((base) => [`${base}/USDT`, `${base}/USDT:USDT`]).sort(),
    );
    const spot = markets['BTC/USDT'];
    expect(spot).toMatchObject({ id: 'BTCUSDT', type: 'spot', spot: true, active: true, taker: 0.001 });
    expect(spot?.precision).toEqual({ amount: 0.000001, price: 0.01 });
    expect(spot?.limits.amount?.min).toBe(0.000001);
    expect(spot?.limits.cost?.min).toBe(1);

    const perp = markets['BTC/USDT:USDT'];
    expect(perp).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT', active: true, taker: 0.0006, maker: 0.0002 });
    expect(perp?.precision).toEqual({ amount: 0.0001, price: 0.1 });
    expect(perp?.limits.leverage?.max).toBe(125);
    expect(perp?.limits.amount?.min).toBe(0.0001);
    expect(perp?.limits.cost?.min).toBe(5);
    expect(markets['DOGE/USDT:USDT']?.precision).toEqual({ amount: 1, price: 0.00001 });
    expect(client.currencies.USDT?.networks).toHaveProperty('TRC20');
  });

  it('loadMarkets with credentials also probes the unified-account API, is told the account is classic, and lists the same markets', async () => {
    const account = createAccount(sim(), 'bitget');
    const client = asBitget(createCcxtClient('bitget', sim(), account));
    const markets = await client.loadMarkets();

    expect(Object.keys(markets)).toHaveLength(10);
    expect(client.options.uta).toBe(false);
    const probe = sim()
      .requests({ exchange: 'bitget', apiKey: account.apiKey })
      .find((entry) => entry.path === '/bitget/api/v3/account/settings');
    expect(probe?.status).toBe(400);
  });

  it('fetchTime answers the simulator clock, skew included', async () => {
    const client = await bitgetClient(sim());
    const before = sim().clock.now();
    const time = await client.fetchTime();
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(sim().clock.now());

    sim().clock.skew(90_000);
    try {
      const skewed = await client.fetchTime();
      expect(skewed).toBeGreaterThanOrEqual(before + 90_000);
    } finally {
      sim().clock.skew(0);
    }
  });

  it('fetchTicker quotes the mark price the control API sets, on spot and on the perpetual', async () => {
    const client = await bitgetClient(sim());
    sim().prices.set('SOLUSDT', '142.5', 'bitget');
    const spot = await client.fetchTicker('SOL/USDT');
    const perp = await client.fetchTicker('SOL/USDT:USDT');
    expect(spot.last).toBe(142.5);
    expect(perp.last).toBe(142.5);
    expect(perp.markPrice).toBe(142.5);
  });
});

describe('bitget at real-venue scale', () => {
  const sim = useSimulator({ catalogue: 'real' });

  it('pads the listings to about 800 spot pairs and 500 perpetuals, and ccxt loads them all', async () => {
    const client = asBitget(createCcxtClient('bitget', sim()));
    const markets = await client.loadMarkets();
    const values = Object.values(markets);
    expect(values.filter((market) => market?.spot)).toHaveLength(BITGET_REAL_SCALE.spot);
    expect(values.filter((market) => market?.swap)).toHaveLength(BITGET_REAL_SCALE.futures);
    expect(markets['SYN0000/USDT:USDT']?.precision).toEqual(markets['DOGE/USDT:USDT']?.precision);
  });
});
