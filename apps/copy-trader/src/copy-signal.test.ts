import { Balance, Decimal, OrderResult, PositionNotFoundError, SymbolInfo } from '@xport/core';
import type { ExchangePort, OrderOptions } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { clientOrderIdFor } from './client-order-id';
import type { Follower } from './copy-signal';
import { FanOut } from './copy-signal';
import type { FollowerConfig, Venue } from './followers-config';
import type { Signal } from './signals';

const symbolInfo = new SymbolInfo({
  exchange: 'fake',
  symbol: 'BTCUSDT',
  exchangeSymbol: 'BTCUSDT',
  marketType: 'futures',
  quantityStep: new Decimal('0.001'),
  minQuantity: new Decimal('0.001'),
  priceTick: new Decimal('0.1'),
  minNotional: new Decimal('5'),
  maxLeverage: 50,
});

interface Probe {
  inFlight: Map<string, number>;
  peak: Map<string, number>;
  calls: { venue: string; quantity: string; leverage: number; options: OrderOptions | undefined }[];
}

function fakePort(venue: Venue, probe: Probe, behaviour: { fail?: Error; gate?: Promise<void> } = {}): ExchangePort {
  const order = async (quantity: Decimal, leverage: number, options?: OrderOptions): Promise<OrderResult> => {
    probe.inFlight.set(venue, (probe.inFlight.get(venue) ?? 0) + 1);
    probe.peak.set(venue, Math.max(probe.peak.get(venue) ?? 0, probe.inFlight.get(venue) ?? 0));
    probe.calls.push({ venue, quantity: quantity.toFixed(), leverage, options });
    try {
      await (behaviour.gate ?? Promise.resolve());
      await new Promise((resolve) => setImmediate(resolve));
      if (behaviour.fail !== undefined) throw behaviour.fail;
      return new OrderResult({
        exchange: venue,
        orderId: String(probe.calls.length),
        clientOrderId: options?.clientOrderId ?? 'x',
        symbol: 'BTC/USDT',
        marketType: 'futures',
        side: 'buy',
        positionSide: 'long',
        reduceOnly: false,
        status: 'filled',
        requestedQuantity: quantity,
        filledQuantity: quantity,
        averagePrice: new Decimal('65000'),
        fee: { amount: new Decimal(0), asset: 'USDT' },
        timestamp: 0,
      });
    } finally {
      probe.inFlight.set(venue, (probe.inFlight.get(venue) ?? 1) - 1);
    }
  };
  const port: Partial<ExchangePort> = {
    exchange: venue,
    getSymbolInfo: () => Promise.resolve(symbolInfo),
    getBalance: (asset) => Promise.resolve(new Balance({ asset, free: new Decimal('1000'), locked: new Decimal(0), market: 'futures' })),
    executeFuturesLong: (_symbol, quantity, leverage, options) => order(quantity, leverage, options),
    closeFuturesPosition: (symbol, positionSide) => Promise.reject(new PositionNotFoundError(`no ${positionSide} position`, { exchange: venue, symbol, positionSide })),
  };
  return port as ExchangePort;
}

function follower(id: string, venue: Venue, port: ExchangePort, overrides: Partial<FollowerConfig> = {}): Follower {
  return {
    config: { id, exchange: venue, credentials: { apiKey: `${id.toUpperCase()}_KEY`, apiSecret: 'S' }, sizing: { rule: 'ratio', ratio: new Decimal('0.1') }, ...overrides },
    port,
  };
}

const long: Signal = { id: 'sig-7', action: 'futuresLong', symbol: 'BTCUSDT', quantity: new Decimal('1'), price: new Decimal('65000'), masterEquity: new Decimal('100000'), leverage: 20 };
const newProbe = (): Probe => ({ inFlight: new Map(), peak: new Map(), calls: [] });

describe('FanOut.copySignal', () => {
  it('bounds orders in flight per venue and keys each order by (signal, follower)', async () => {
    const probe = newProbe();
    const followers = Array.from({ length: 12 }, (_, index) => {
      const venue: Venue = index % 2 === 0 ? 'binance' : 'bybit';
      return follower(`f${index}`, venue, fakePort(venue, probe));
    });
    const results = await new FanOut({ perVenue: 2, perAccount: 1 }).copySignal(long, followers);
    expect(results.map((result) => result.status)).toEqual(Array(12).fill('placed'));
    expect(probe.peak.get('binance')).toBe(2);
    expect(probe.peak.get('bybit')).toBe(2);
    expect(probe.calls.map((call) => call.options?.clientOrderId).sort()).toEqual(followers.map((entry) => clientOrderIdFor(`sig-7:${entry.config.id}`)).sort());
    expect(probe.calls.every((call) => call.quantity === '0.1' && call.leverage === 20)).toBe(true);
  });

  it('lets every other follower finish while one is stuck or failing', async () => {
    const probe = newProbe();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const done: string[] = [];
    const fanOut = new FanOut({ perVenue: 4, perAccount: 1 });
    const running = fanOut.copySignal(
      long,
      [
        follower('stuck', 'binance', fakePort('binance', probe, { gate })),
        follower('broken', 'binance', fakePort('binance', probe, { fail: new Error('venue said no') })),
        follower('capped', 'bitget', fakePort('bitget', probe), { maxLeverage: 3, maxNotional: new Decimal('1300') }),
      ],
      { onFollowerDone: (result) => done.push(result.followerId) },
    );
    // No timers: turn the event loop until the two others settle, while the stuck one still waits.
    for (let turn = 0; turn < 100 && done.length < 2; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual(['broken', 'capped']);
    release();
    const results = await running;
    expect(results.map((result) => [result.followerId, result.status, result.reason, result.quantity?.toFixed(), result.leverage])).toEqual([
      ['stuck', 'placed', undefined, '0.1', 20],
      ['broken', 'failed', 'Error: venue said no', undefined, undefined],
      ['capped', 'placed', undefined, '0.02', 3],
    ]);
  });

  it('sends nothing in a dry run, and a close without a position is a skip', async () => {
    const probe = newProbe();
    const followers = [follower('a', 'bybit', fakePort('bybit', probe))];
    const fanOut = new FanOut();
    expect(await fanOut.copySignal(long, followers, { dryRun: true })).toMatchObject([{ status: 'dry-run', quantity: new Decimal('0.1'), leverage: 20 }]);
    expect(probe.calls).toHaveLength(0);
    expect(await fanOut.copySignal({ id: 's2', action: 'closeLong', symbol: 'BTCUSDT' }, followers)).toMatchObject([{ status: 'skipped', reason: 'no long position on BTCUSDT' }]);
  });
});
