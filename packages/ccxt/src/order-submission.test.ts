import { Decimal, InvalidOrderError } from '@xport/core';
import { afterEach, describe, expect, it } from 'vitest';

import type { CcxtMarket } from './ccxt-types';
import { DEFAULT_PLACEMENT } from './order-placement';
import { OrderSubmission } from './order-submission';
import type { OrderIntent } from './order-submission';
import { symbolInfoOf } from './symbol-rules';
import { simulatedAccount, simulatedBinance } from './test-support/simulated-venue';
import type { SimulatedAccount } from './test-support/simulated-venue';
import { VenueRequests } from './venue-requests';
import { DEFAULT_PRICE_MAX_AGE_MS } from './shared-reads';

const opened: SimulatedAccount[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((account) => account.sim.close()));
});

async function setup(options: Parameters<typeof simulatedAccount>[0] = {}): Promise<SimulatedAccount & { submission: OrderSubmission }> {
  const account = await simulatedAccount(options);
  opened.push(account);
  const requests = new VenueRequests({ profile: simulatedBinance, runtime: account.runtime, account: 'test-account', clock: account.clock, retry: { maxRetries: 0 }, secrets: [], log: () => undefined });
  const submission = new OrderSubmission({
    profile: simulatedBinance,
    runtime: account.runtime,
    requests,
    clock: account.clock,
    placement: DEFAULT_PLACEMENT,
    priceMaxAgeMs: DEFAULT_PRICE_MAX_AGE_MS,
    journal: undefined,
    log: () => undefined,
    ready: () => Promise.resolve(account.exchange),
    positionMode: () => 'oneway',
  });
  return { ...account, submission };
}

const spotBuy = (quantity: string, clientOrderId: string): OrderIntent => ({
  operation: 'executeSpotBuy',
  symbol: 'BTCUSDT',
  market: 'spot',
  side: 'buy',
  positionSide: undefined,
  reduceOnly: false,
  quantity: new Decimal(quantity),
  leverage: undefined,
  options: { clientOrderId },
});

describe('OrderSubmission, with ccxt against the simulator', () => {
  it("places an order once and answers what the venue's ledger holds", async () => {
    const { submission, sim, apiKey } = await setup();
    const result = await submission.submit(spotBuy('0.01239', 'part-spot-1'));
    const ledger = sim.ledger.orders({ venue: 'binance', apiKey });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]?.clientOrderId).toBe('part-spot-1');
    expect(ledger[0]?.quantity.toFixed()).toBe('0.01239');
    expect(result.orderId).toBe(ledger[0]?.orderId);
    expect(result.filledQuantity.toFixed()).toBe('0.01239');
    expect(result.origin).toBe('placed');
  });

  it('refuses what the caller got wrong before sending anything', async () => {
    const { submission, sim } = await setup();
    const before = sim.requests().length;
    await expect(submission.submit(spotBuy('0.01', 'has.dot'))).rejects.toThrow(InvalidOrderError);
    await expect(submission.submit(spotBuy('0.01', 'x'.repeat(37)))).rejects.toThrow(/at most 36 characters/);
    expect(sim.requests().slice(before)).toEqual([]);
  });

  it("does not prepare again a quantity the caller prepared with the venue runtime's SymbolInfo", async () => {
    const { submission, exchange, runtime, sim, apiKey } = await setup();
    const market = (exchange.markets as Record<string, CcxtMarket>)['BTC/USDT'];
    if (market === undefined) throw new Error('no BTC/USDT market');
    const info = symbolInfoOf(exchange, market, 'spot', runtime, simulatedBinance);
    // The same instance for the market while the loaded markets last.
    expect(symbolInfoOf(exchange, market, 'spot', runtime, simulatedBinance)).toBe(info);
    const sized = info.prepareQuantity(new Decimal('0.0200009'));
    const result = await submission.submit({ ...spotBuy('0', 'part-sized-1'), quantity: sized });
    expect(sim.ledger.orders({ venue: 'binance', apiKey })[0]?.quantity.toFixed()).toBe(sized.toFixed());
    expect(result.requestedQuantity.toFixed()).toBe(sized.toFixed());
  });

  it("sends contracts on a market whose contract size is not 1, opening and closing, and reads the fill and position back in the base asset", async () => {
    // A simulated test instrument: one contract of BTCUSDT is a thousandth of a BTC, so the base
    // quantity 0.005 is 5 contracts on the wire, and the venue reports the position in contracts.
    const { submission, exchange, sim, apiKey } = await setup({ binanceContractSizes: { BTCUSDT: '0.001' } });
    expect((exchange.markets as Record<string, CcxtMarket>)['BTC/USDT:USDT']?.contractSize).toBe(0.001);
    const open = await submission.submit({
      operation: 'executeFuturesLong',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      positionSide: 'long',
      reduceOnly: false,
      quantity: new Decimal('0.005'),
      leverage: 5,
      options: { clientOrderId: 'part-contracts-open' },
    });
    const sent = sim.requests({ exchange: 'binance', apiKey }).filter((entry) => entry.method === 'POST' && entry.path.endsWith('/fapi/v1/order'));
    expect(sent).toHaveLength(1);
    // The venue's answer counts contracts; the result, base units.
    expect((open.raw as { origQty?: unknown }).origQty).toBe('5');
    expect(sim.ledger.orders({ venue: 'binance', apiKey })[0]?.quantity.toFixed()).toBe('0.005'); // the engine trades base units
    expect(open.requestedQuantity.toFixed()).toBe('0.005');
    expect(open.filledQuantity.toFixed()).toBe('0.005');

    const close = await submission.submit({
      operation: 'closeFuturesPosition',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'sell',
      positionSide: 'long',
      reduceOnly: true,
      quantity: undefined,
      leverage: undefined,
      options: { clientOrderId: 'part-contracts-close' },
    });
    // The position's 5 contracts are 0.005 BTC, sent back as the same 5 contracts: the leg is flat.
    expect((close.raw as { origQty?: unknown }).origQty).toBe('5');
    expect(close.filledQuantity.toFixed()).toBe('0.005');
    expect(sim.ledger.orders({ venue: 'binance', apiKey }).map((order) => order.quantity.toFixed())).toEqual(['0.005', '0.005']);
    expect(sim.positions('binance', apiKey).filter((position) => position.size.gt(0))).toEqual([]);
  });
});
