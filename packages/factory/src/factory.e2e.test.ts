import { binance } from '@xport/binance';
import { bitget } from '@xport/bitget';
import { bybit } from '@xport/bybit';
import { VenueRuntimeRegistry } from '@xport/ccxt';
import { ConfigurationError, Decimal } from '@xport/core';
import { startSimulator } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ExchangeFactory } from './exchange-factory';
import { thrownBy } from './test-support/fake-descriptor';

describe('ExchangeFactory with @xport/binance against the simulator', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, host: '127.0.0.1', seed: 11 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('creates a Binance adapter that places a spot buy the ledger and the balances confirm', async () => {
    const account = sim.accounts.create({ venue: 'binance', balances: { USDT: '10000' } });
    const registry = new VenueRuntimeRegistry();
    const factory = new ExchangeFactory([binance]);
    const port = factory.createExchange({
      exchange: 'Binance',
      apiKey: account.apiKey,
      apiSecret: account.secret,
      baseUrl: `${sim.url}/binance`,
      extra: { registry },
    });
    expect(port.exchange).toBe('binance');

    const result = await port.executeSpotBuy('BTCUSDT', new Decimal('0.01'), { idempotencyKey: 'factory-e2e-buy' });

    const ledger = sim.ledger.orders({ venue: 'binance', apiKey: account.apiKey });
    expect(ledger).toHaveLength(1);
    const [order] = ledger;
    expect(order).toMatchObject({ orderId: result.orderId, clientOrderId: result.clientOrderId, symbol: 'BTCUSDT', market: 'spot', side: 'buy', status: 'filled' });
    expect(order?.quantity.toFixed()).toBe('0.01');
    expect(result.filledQuantity.toFixed()).toBe('0.01');
    expect(result.averagePrice?.toFixed()).toBe(order?.price.toFixed());
    const balances = sim.balances('binance', account.apiKey).spot;
    // Binance takes a spot buy's fee from the base received.
    expect(order?.feeAsset).toBe('BTC');
    expect(result.fee).toMatchObject({ asset: 'BTC' });
    expect(balances.BTC?.free.toFixed()).toBe(new Decimal('0.01').minus(order?.fee.toFixed() ?? 'NaN').toFixed());
    expect(balances.USDT?.free.toFixed()).toBe(new Decimal('10000').minus(order?.cost.toFixed() ?? 'NaN').toFixed());
    // `extra` reached the adapter: the venue state it loaded lives in the registry this test passed.
    expect(registry.runtimes().map((runtime) => [runtime.profile.id, runtime.marketLoads])).toEqual([['binance', 1]]);
  });

  it('gives every account its own adapter over one shared market load', async () => {
    const registry = new VenueRuntimeRegistry();
    const factory = new ExchangeFactory([binance]);
    const accounts = [0, 1, 2].map(() => sim.accounts.create({ venue: 'binance', balances: { USDT: '1000' } }));
    const before = sim.requests({ exchange: 'binance' }).length;
    const ports = accounts.map((account) =>
      factory.createExchange({ exchange: 'binance', apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${sim.url}/binance`, positionMode: 'oneway', extra: { registry } }),
    );
    await Promise.all(ports.map((port) => port.initialize()));
    // Three initialize() calls, one set of market requests: what one ccxt loadMarkets sends, plus
    // the leverage brackets xport reads for the maximum-leverage check.
    const sent = sim.requests({ exchange: 'binance' }).slice(before).map((entry) => entry.path);
    expect(sent.sort()).toEqual([
      '/binance/api/v3/exchangeInfo',
      '/binance/api/v3/time',
      '/binance/fapi/v1/exchangeInfo',
      '/binance/fapi/v1/leverageBracket',
      '/binance/sapi/v1/margin/allPairs',
      '/binance/sapi/v1/margin/isolated/allPairs',
    ]);
    const placed = await Promise.all(ports.map((port, index) => port.executeSpotBuy('ETHUSDT', new Decimal('0.01'), { idempotencyKey: `factory-e2e-${index}` })));
    for (const [index, account] of accounts.entries()) {
      expect(sim.ledger.orders({ venue: 'binance', apiKey: account.apiKey }).map((order) => order.orderId)).toEqual([placed[index]?.orderId]);
    }
  });

  it('refuses a missing secret at creation, before any request', () => {
    const factory = new ExchangeFactory([binance]);
    const before = sim.requests().length;
    const error = thrownBy(() => factory.createExchange({ exchange: 'binance', apiKey: 'some-key', apiSecret: '', baseUrl: `${sim.url}/binance` }));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).field).toBe('apiSecret');
    expect(sim.requests()).toHaveLength(before);
  });

  it('refuses Bitget without its passphrase at creation, naming the field, before any request', () => {
    const factory = new ExchangeFactory([binance, bybit, bitget]);
    expect(factory.supportedExchanges()).toEqual(['binance', 'bybit', 'bitget']);
    const account = sim.accounts.create({ venue: 'bitget', balances: { USDT: '1000' } });
    const before = sim.requests().length;
    const error = thrownBy(() => factory.createExchange({ exchange: 'bitget', apiKey: account.apiKey, apiSecret: account.secret, baseUrl: `${sim.url}/bitget` }));
    expect(ConfigurationError.isInstance(error)).toBe(true);
    expect((error as ConfigurationError).field).toBe('passphrase');
    expect((error as ConfigurationError).message).toBe('bitget: passphrase is required: bitget API keys come with a passphrase');
    expect(sim.requests()).toHaveLength(before);
    const port = factory.createExchange({ exchange: 'bitget', apiKey: account.apiKey, apiSecret: account.secret, passphrase: account.passphrase, baseUrl: `${sim.url}/bitget` });
    expect(port.exchange).toBe('bitget');
  });
});
