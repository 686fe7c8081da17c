import { Decimal, ExchangeAPIError } from '@xport/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { quoteAmountFor, sizeSpotMarketBuy } from './spot-market-buy';

/** What the simulator (and Bitget's matching of a quote amount at one price) buys: whole steps. */
const bought = (quote: Decimal, price: Decimal, step: Decimal): Decimal => quote.div(price).div(step).floor().times(step);

describe('quoteAmountFor', () => {
  it.each([
    ['0.01', '65000', '0.01', '650'],
    ['0.001234', '65432.17', '0.01', '80.75'],
    ['0.5', '3500', '0.01', '1750'],
    ['123.45', '0.12345', '0.00001', '15.23991'],
  ])('%s at %s with tick %s spends %s', (quantity, price, tick, quote) => {
    expect(quoteAmountFor(new Decimal(quantity), new Decimal(price), new Decimal(tick)).toFixed()).toBe(new Decimal(quote).toFixed());
  });

  it('spends the exact product when the tick is unknown', () => {
    expect(quoteAmountFor(new Decimal('0.001234'), new Decimal('65432.17'), undefined).toFixed()).toBe('80.74329778');
  });

  it('buys back exactly the quantity whenever a tick is worth less than a step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 0, max: 6 }),
        (steps, stepPlaces, ticks, tickPlaces) => {
          const step = new Decimal(1).div(new Decimal(10).pow(stepPlaces));
          const tick = new Decimal(1).div(new Decimal(10).pow(tickPlaces));
          const quantity = step.times(steps);
          const price = tick.times(ticks);
          fc.pre(tick.div(price).lt(step));
          const quote = quoteAmountFor(quantity, price, tick);
          expect(quote.div(tick).isInteger()).toBe(true);
          expect(bought(quote, price, step).toFixed()).toBe(quantity.toFixed());
        },
      ),
    );
  });
});

type CcxtExchange = Parameters<typeof sizeSpotMarketBuy>[0];

/** A stand-in for a ccxt bitget instance: the two methods the hook may call, recorded. */
function fakeBitget(tick: number | undefined, ticker: { ask?: number; last?: number }) {
  const tickers: string[] = [];
  const exchange = {
    market: () => ({ precision: { price: tick } }),
    fetchTicker: (symbol: string) => {
      tickers.push(symbol);
      return Promise.resolve(ticker);
    },
  };
  return { tickers, exchange: exchange as unknown as CcxtExchange };
}

/** Sends at once; in the adapter this is the counted, retried read path. */
const direct = <T>(_operation: string, send: () => Promise<T>): Promise<T> => send();

const input = (market: 'spot' | 'futures', side: 'buy' | 'sell', quantity: string) => ({
  symbol: market === 'spot' ? 'BTC/USDT' : 'BTC/USDT:USDT',
  market,
  side,
  quantity: new Decimal(quantity),
  lastPrice: undefined,
});

describe('sizeSpotMarketBuy', () => {
  it('sizes a spot market buy of a base quantity as a quote cost at the ask, rounded up to the tick', async () => {
    const fake = fakeBitget(0.01, { ask: 65432.17, last: 65000 });
    await expect(sizeSpotMarketBuy(fake.exchange, input('spot', 'buy', '0.001234'), direct)).resolves.toEqual({ params: { cost: '80.75' } });
    expect(fake.tickers).toEqual(['BTC/USDT']);
  });

  it('falls back to the last price when the ticker has no ask', async () => {
    const fake = fakeBitget(0.01, { last: 3500 });
    await expect(sizeSpotMarketBuy(fake.exchange, input('spot', 'buy', '0.5'), direct)).resolves.toEqual({ params: { cost: '1750' } });
  });

  it.each([
    ['a spot sell', 'spot', 'sell'],
    ['a futures buy', 'futures', 'buy'],
    ['a futures sell', 'futures', 'sell'],
  ] as const)('leaves %s alone, without a request', async (_name, market, side) => {
    const fake = fakeBitget(0.01, { ask: 1 });
    await expect(sizeSpotMarketBuy(fake.exchange, input(market, side, '0.01'), direct)).resolves.toEqual({});
    expect(fake.tickers).toEqual([]);
  });

  it('refuses to guess when the venue quotes no price', async () => {
    const fake = fakeBitget(0.01, {});
    await expect(sizeSpotMarketBuy(fake.exchange, input('spot', 'buy', '0.01'), direct)).rejects.toSatisfy((error) => ExchangeAPIError.isInstance(error));
  });
});
