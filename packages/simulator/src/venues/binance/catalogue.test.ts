import { describe, expect, it } from 'vitest';
import { createCcxtClient, startTestSimulator, useSimulator } from '../../test-support';
import { binanceVenue } from './venue';
import { BINANCE_REAL_SCALE } from './catalogue';

describe('binance base instruments', () => {
  const instruments = binanceVenue.baseInstruments;

  it('lists BTC, ETH, SOL, XRP and DOGE against USDT on spot and USDⓈ-M', () => {
    for (const market of ['spot', 'futures'] as const) {
      expect(instruments.filter((instrument) => instrument.market === market).map((instrument) => instrument.symbol)).toEqual([
        'BTCUSDT',
        'ETHUSDT',
        'SOLUSDT',
        'XRPUSDT',
        'DOGEUSDT',
      ]);
    }
  });

  it('has self-consistent filters: minimum and maximum on the step, positive tick and notional', () => {
    for (const instrument of instruments) {
      expect(instrument.venue).toBe('binance');
      expect(instrument.minQty.mod(instrument.stepSize).isZero()).toBe(true);
      expect(instrument.maxQty.mod(instrument.stepSize).isZero()).toBe(true);
      expect(instrument.maxQty.gt(instrument.minQty)).toBe(true);
      expect(instrument.tickSize.gt(0)).toBe(true);
      expect(instrument.minNotional.gt(0)).toBe(true);
      expect(instrument.synthetic).toBe(false);
      if (instrument.market === 'spot') {
        expect(instrument.maxLeverage).toBe(1);
        expect(instrument.takerFeeRate.toFixed()).toBe('0.001');
      } else {
        expect(instrument.maxLeverage).toBeGreaterThanOrEqual(75);
        expect(instrument.maxLeverage).toBeLessThanOrEqual(125);
        expect(instrument.takerFeeRate.toFixed()).toBe('0.0005');
      }
    }
  });
});

describe('binance at real scale', () => {
  const sim = useSimulator({ catalogue: 'real' });

  it('lists thousands of spot symbols and hundreds of perpetuals, and ccxt loads them all', async () => {
    const client = createCcxtClient('binance', sim());
    const markets = await client.loadMarkets();
    const all = Object.values(markets);
    expect(all.filter((market) => market?.spot)).toHaveLength(BINANCE_REAL_SCALE.spot);
    expect(all.filter((market) => market?.swap)).toHaveLength(BINANCE_REAL_SCALE.futures);
    expect(BINANCE_REAL_SCALE.spot).toBeGreaterThanOrEqual(2000);
    expect(BINANCE_REAL_SCALE.futures).toBeGreaterThanOrEqual(300);
    // Synthetic symbols are real markets to ccxt, with the template's filters.
    expect(markets['SYN0000/USDT:USDT']).toMatchObject({ linear: true, precision: { amount: 1 }, limits: { cost: { min: 5 } } });

    // The serialised catalogue is reused; a second load sees the same markets and a fresh server time.
    const again = await createCcxtClient('binance', sim()).loadMarkets(true);
    expect(Object.keys(again)).toEqual(Object.keys(markets));
    // Megabytes of exchangeInfo parsed twice: about a second each alone, more on a shared machine.
  }, 30_000);
});

describe('binance test instrument with a contract size (option binanceContractSizes)', () => {
  const sim = useSimulator({ binanceContractSizes: { BTCUSDT: '0.001' } });

  it('lists contractSize and its filters in contracts, takes and answers quantities in contracts, and trades base units', async () => {
    const account = sim().accounts.create({ venue: 'binance', futuresBalances: { USDT: '100000' } });
    const client = createCcxtClient('binance', sim(), account);
    const markets = await client.loadMarkets();
    const btc = markets['BTC/USDT:USDT'];
    expect(btc?.contractSize).toBe(0.001);
    expect(btc?.precision.amount).toBe(1);
    expect(btc?.limits.amount?.min).toBe(1);
    expect(markets['ETH/USDT:USDT']?.contractSize).toBe(1);

    const order = await client.createOrder('BTC/USDT:USDT', 'market', 'buy', 7);
    expect(order.amount).toBe(7);
    expect(order.filled).toBe(7);
    // The engine's ledger and position are in base units: 7 contracts of 0.001 BTC.
    expect(sim().ledger.orders({ venue: 'binance', apiKey: account.apiKey }).map((entry) => entry.quantity.toFixed())).toEqual(['0.007']);
    expect(sim().positions('binance', account.apiKey).map((position) => position.size.toFixed())).toEqual(['0.007']);
    const [position] = await client.fetchPositions(['BTC/USDT:USDT']);
    expect(position?.contracts).toBe(7);
    expect(position?.contractSize).toBe(0.001);
  });

  it('refuses a contract size for a symbol it does not list', async () => {
    await expect(startTestSimulator({ binanceContractSizes: { NOPEUSDT: '0.1' } })).rejects.toThrow(/binanceContractSizes\.NOPEUSDT/);
  });
});
