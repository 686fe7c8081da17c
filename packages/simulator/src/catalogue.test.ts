import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogue } from './catalogue';
import type { VenueName } from './contract';
import { ALL_VENUES, type Simulator } from './start-simulator';
import { createCcxtClient, startTestSimulator } from './test-support';

describe('real-size catalogue', () => {
  it.each(ALL_VENUES.map((venue) => [venue.name, venue] as const))('pads %s to its real listing counts with unique symbols', (_name, venue) => {
    for (const market of ['spot', 'futures'] as const) {
      const base = buildCatalogue(venue, market, 'minimal');
      const real = buildCatalogue(venue, market, 'real');
      expect(base.map((i) => i.base)).toEqual(expect.arrayContaining(['BTC', 'ETH', 'SOL', 'XRP', 'DOGE']));
      expect(real).toHaveLength(Math.max(venue.realScale[market], base.length));
      expect(new Set(real.map((i) => i.symbol)).size).toBe(real.length);
      expect(real.slice(base.length).every((i) => i.synthetic && i.quote === 'USDT' && i.market === market)).toBe(true);
    }
  });

  describe('through ccxt', () => {
    let sim: Simulator;
    beforeAll(async () => {
      sim = await startTestSimulator({ catalogue: 'real' });
    });
    afterAll(async () => {
      await sim.close();
    });

    it.each(['binance', 'bybit', 'bitget'] as const)('%s: loadMarkets sees every padded spot and perpetual symbol', async (venue: VenueName) => {
      const client = createCcxtClient(venue, sim);
      const markets = Object.values(await client.loadMarkets());
      const spot = markets.filter((m) => m?.spot === true && m.quote === 'USDT').length;
      const swaps = markets.filter((m) => m?.swap === true && m.linear === true && m.settle === 'USDT').length;
      expect(spot).toBe(sim.engine.instruments(venue, 'spot').length);
      expect(swaps).toBe(sim.engine.instruments(venue, 'futures').length);
      expect(client.market('SYN0001/USDT:USDT').id).toBe('SYN0001USDT');
    }, 30_000);
  });
});
