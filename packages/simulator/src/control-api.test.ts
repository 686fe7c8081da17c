import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from './start-simulator';
import { fakeVenue } from './test-support/fake-venue';
import { startTestSimulator } from './test-support/simulator';

let sim: Simulator;

beforeAll(async () => {
  sim = await startTestSimulator({ venues: [fakeVenue('binance'), fakeVenue('bybit'), fakeVenue('bitget')] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.url}/_sim${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) };
}

describe('POST /_sim/accounts', () => {
  it('creates an account and answers 201 with it, decimals as strings', async () => {
    const reply = await control('POST', '/accounts', {
      exchange: 'binance',
      apiKey: 'key-1',
      secret: 'secret-1',
      balances: { USDT: '10000.5' },
      futuresBalances: { USDT: '5000' },
      positionMode: 'hedge',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({
      exchange: 'binance',
      apiKey: 'key-1',
      secret: 'secret-1',
      uid: expect.stringMatching(/^\d{9}$/) as unknown,
      positionMode: 'hedge',
      balances: { USDT: '10000.5' },
      futuresBalances: { USDT: '5000' },
    });
    expect(sim.accounts.get('binance', 'key-1')?.positionMode).toBe('hedge');
  });

  it('generates keys (and a Bitget passphrase) when absent', async () => {
    const reply = await control('POST', '/accounts', { exchange: 'bitget', balances: { USDT: '1' } });
    expect(reply.body).toMatchObject({ apiKey: expect.stringMatching(/^bg_[0-9a-f]{32}$/) as unknown, passphrase: expect.any(String) as unknown });
  });

  it.each([
    [{ exchange: 'kraken' }, 400, 'exchange must be one of binance, bybit, bitget'],
    [{ balances: {} }, 400, 'exchange must be one of binance, bybit, bitget'],
    [{ exchange: 'binance', balances: { USDT: 10000 } }, 400, 'balances.USDT must be a decimal string, e.g. "10000"'],
    [{ exchange: 'binance', balances: { USDT: 'lots' } }, 400, 'balances.USDT is not a decimal: "lots"'],
    [{ exchange: 'binance', futuresBalances: { USDT: '-1' } }, 400, 'futuresBalances.USDT must not be negative'],
    [{ exchange: 'binance', positionMode: 'both' }, 400, 'positionMode must be "oneway" or "hedge"'],
    [{ exchange: 'binance', apiKey: 7 }, 400, 'apiKey must be a non-empty string'],
    ['{"exchange":', 400, 'body is not valid JSON'],
    ['[1,2]', 400, 'body must be a JSON object'],
    [
      { exchange: 'binance', balances: { USDT: '1e9000000000000000' } },
      400,
      'balances.USDT must have at most 18 digits before the decimal point and 18 after it: "1e9000000000000000"',
    ],
    [
      { exchange: 'binance', futuresBalances: { USDT: '0.0000000000000000001' } },
      400,
      'futuresBalances.USDT must have at most 18 digits before the decimal point and 18 after it: "0.0000000000000000001"',
    ],
  ])('refuses %j with %i: %s', async (body, status, error) => {
    expect(await control('POST', '/accounts', body)).toEqual({ status, body: { error } });
  });

  it('refuses a key that already exists on that exchange with 409', async () => {
    await control('POST', '/accounts', { exchange: 'bybit', apiKey: 'dup' });
    expect(await control('POST', '/accounts', { exchange: 'bybit', apiKey: 'dup' })).toEqual({
      status: 409,
      body: { error: 'apiKey already exists on bybit' },
    });
    expect((await control('POST', '/accounts', { exchange: 'bitget', apiKey: 'dup' })).status).toBe(201);
  });

  it('lists accounts, the demo ones included', async () => {
    const reply = await control('GET', '/accounts?exchange=bybit');
    expect(reply.body).toEqual([expect.objectContaining({ exchange: 'bybit', apiKey: sim.accounts.demo()[1]?.apiKey })]);
  });
});

describe('POST /_sim/prices', () => {
  it('sets a price on every venue, or on one', async () => {
    expect(await control('POST', '/prices', { symbol: 'ETHUSDT', price: '3000.5' })).toEqual({
      status: 200,
      body: { symbol: 'ETHUSDT', price: '3000.5', exchanges: ['binance', 'bybit', 'bitget'] },
    });
    await control('POST', '/prices', { symbol: 'ETHUSDT', price: '2999', exchange: 'bitget' });
    expect(sim.prices.get('binance', 'ETHUSDT').toFixed()).toBe('3000.5');
    expect(sim.prices.get('bitget', 'ETHUSDT').toFixed()).toBe('2999');
    expect((await control('GET', '/prices?exchange=bitget&symbol=ETHUSDT')).body).toEqual([{ exchange: 'bitget', symbol: 'ETHUSDT', price: '2999' }]);
  });

  it.each([
    [{ price: '1' }, 'symbol is required'],
    [{ symbol: 'BTCUSDT', price: 65000 }, 'price must be a decimal string, e.g. "10000"'],
    [{ symbol: 'BTCUSDT', price: '0' }, 'price must be positive'],
    [{ symbol: 'BTCUSDT', price: '1', exchange: 'ftx' }, 'exchange must be one of binance, bybit, bitget'],
    [{ symbol: 'NOPEUSDT', price: '1' }, 'Unknown symbol NOPEUSDT'],
    [{ symbol: 'BTCUSDT', price: '1'.repeat(19) }, `price must have at most 18 digits before the decimal point and 18 after it: "${'1'.repeat(19)}"`],
  ])('refuses %j', async (body, error) => {
    const reply = await control('POST', '/prices', body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error });
  });
});

describe('/_sim/faults', () => {
  it('adds, lists, removes and clears rules', async () => {
    const added = await control('POST', '/faults', { kind: 'latency', exchange: 'bybit', path: '/v5/order', ms: 250, probability: 0.5, count: 3 });
    expect(added).toEqual({ status: 201, body: { id: 'fault-1' } });
    await control('POST', '/faults', { kind: 'commitThenFail', mode: 'reset' });
    expect((await control('GET', '/faults')).body).toEqual([
      { id: 'fault-1', kind: 'latency', exchange: 'bybit', path: '/v5/order', ms: 250, probability: 0.5, count: 3, remaining: 3, hits: 0 },
      { id: 'fault-2', kind: 'commitThenFail', mode: 'reset', hits: 0 },
    ]);
    expect(await control('DELETE', '/faults/fault-1')).toEqual({ status: 200, body: { removed: 'fault-1' } });
    expect(await control('DELETE', '/faults/fault-1')).toEqual({ status: 404, body: { error: 'no fault rule fault-1' } });
    expect((await control('DELETE', '/faults')).status).toBe(200);
    expect((await control('GET', '/faults')).body).toEqual([]);
  });

  it.each([
    [{ kind: 'explode' }, 'kind must be one of latency, error5xx, reset, timeout, rateLimit, malformed, commitThenFail, queryLag, restart, streamDisconnect, streamSilence, streamDelay, streamReorder'],
    [{ kind: 'reset', probability: 2 }, 'probability must be a number from 0 to 1'],
    [{ kind: 'reset', count: 0 }, 'count must be a positive integer'],
    [{ kind: 'latency', ms: -5 }, 'ms must be a non-negative number'],
    [{ kind: 'reset', exchange: 'okx' }, 'exchange must be one of binance, bybit, bitget'],
    [{ kind: 'reset', mode: 'reset' }, 'mode applies to commitThenFail only'],
    [{ kind: 'commitThenFail', mode: 'explode' }, 'mode must be one of error5xx, reset, timeout'],
    [{ kind: 'reset', path: '' }, 'path must be a non-empty string'],
  ])('refuses %j', async (body, error) => {
    expect(await control('POST', '/faults', body)).toEqual({ status: 400, body: { error } });
  });
});

describe('hostile control input', () => {
  it('answers each with a 4xx naming what is wrong, and the server keeps serving', async () => {
    const accounts = sim.accounts.list().length;
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/accounts', { exchange: 'bybit', balances: { USDT: '1e9000000000000000' } }, 400, 'balances.USDT must have at most 18 digits'],
      ['POST', '/prices', { symbol: 'BTCUSDT', price: '9'.repeat(5000) }, 400, 'price must have at most 18 digits'],
      ['DELETE', '/faults/%ZZ', undefined, 400, 'fault id is not valid percent-encoding: "%ZZ"'],
      ['POST', '/faults', { kind: 'latency', ms: 1e15 }, 400, 'ms must be at most 86400000 (one day)'],
      ['POST', '/faults', { kind: 'reset', count: 1e300 }, 400, 'count must be a positive integer'],
    ];
    for (const [method, path, body, status, error] of cases) {
      const reply = await control(method, path, body);
      expect(reply.status, `${method} ${path}`).toBe(status);
      expect((reply.body as { error: string }).error).toContain(error);
      expect((await control('GET', '/health')).status).toBe(200);
    }
    expect(sim.accounts.list()).toHaveLength(accounts);
    expect(await control('DELETE', '/faults/fault%2D9')).toEqual({ status: 404, body: { error: 'no fault rule fault-9' } });
  });
});

describe('ledger, balances, positions, requests', () => {
  it('show what the engine did, decimals as strings', async () => {
    const account = sim.accounts.create({ venue: 'binance', apiKey: 'k', balances: { USDT: '1000' }, futuresBalances: { USDT: '1000' } });
    sim.engine.placeOrder(account, { market: 'futures', symbol: 'BTCUSDT', side: 'sell', quantity: new Decimal('0.01'), clientOrderId: 'c' });
    const orders = await control('GET', '/orders?exchange=binance&apiKey=k');
    expect(orders.body).toEqual([
      {
        orderId: expect.stringMatching(/^\d+$/) as unknown,
        clientOrderId: 'c',
        exchange: 'binance',
        apiKey: 'k',
        symbol: 'BTCUSDT',
        market: 'futures',
        side: 'sell',
        positionSide: 'both',
        reduceOnly: false,
        quantity: '0.01',
        price: '65000',
        cost: '650',
        fee: '0.325',
        feeAsset: 'USDT',
        realisedPnl: '0',
        status: 'filled',
        time: expect.any(Number) as unknown,
      },
    ]);
    expect((await control('GET', '/orders?exchange=bybit')).body).toEqual([]);
    expect((await control('GET', '/balances?exchange=binance&apiKey=k')).body).toEqual({
      exchange: 'binance',
      apiKey: 'k',
      spot: { USDT: { free: '1000', locked: '0', total: '1000' } },
      futures: { USDT: { free: '967.175', locked: '32.5', total: '999.675' } },
    });
    expect((await control('GET', '/positions?apiKey=k')).body).toEqual([
      {
        symbol: 'BTCUSDT',
        side: 'both',
        size: '0.01',
        signedSize: '-0.01',
        entryPrice: '65000',
        leverage: 20,
        margin: '32.5',
        unrealisedPnl: '0',
        markPrice: '65000',
      },
    ]);
    await fetch(`${sim.url}/binance/time`, { headers: { 'x-mbx-apikey': 'k' } });
    expect((await control('GET', '/requests?exchange=binance&apiKey=k')).body).toEqual([
      { method: 'GET', path: '/binance/time', status: 200, time: expect.any(Number) as unknown, exchange: 'binance', apiKey: 'k' },
    ]);
  });

  it('needs an apiKey for account views and names what is missing', async () => {
    expect(await control('GET', '/balances')).toEqual({ status: 400, body: { error: 'apiKey query parameter is required' } });
    expect(await control('GET', '/positions?apiKey=nobody')).toEqual({ status: 404, body: { error: 'no account with apiKey nobody' } });
    expect(await control('GET', '/orders?exchange=nyse')).toEqual({ status: 400, body: { error: 'exchange must be one of binance, bybit, bitget' } });
    sim.accounts.create({ venue: 'binance', apiKey: 'twice' });
    sim.accounts.create({ venue: 'bybit', apiKey: 'twice' });
    expect(await control('GET', '/balances?apiKey=twice')).toEqual({
      status: 400,
      body: { error: 'apiKey twice exists on several exchanges; add exchange=' },
    });
  });
});

describe('clock, reset and routing', () => {
  it('skews the clock', async () => {
    const reply = await control('POST', '/clock', { skewMs: 5000 });
    expect(reply.body).toMatchObject({ skewMs: 5000 });
    expect(sim.clock.now() - Date.now()).toBeGreaterThanOrEqual(4900);
    expect(await control('POST', '/clock', { skewMs: '5s' })).toEqual({ status: 400, body: { error: 'skewMs must be a number of milliseconds' } });
    expect(await control('POST', '/clock', { skewMs: 1e300 })).toEqual({ status: 400, body: { error: 'skewMs must be within ±315360000000 (ten years)' } });
  });

  it('resets accounts, prices, faults, ledger and clock to the start', async () => {
    const demoKeys = sim.accounts.demo().map((a) => a.apiKey);
    await control('POST', '/accounts', { exchange: 'binance', apiKey: 'gone' });
    await control('POST', '/prices', { symbol: 'BTCUSDT', price: '1' });
    await control('POST', '/faults', { kind: 'reset' });
    await control('POST', '/clock', { skewMs: 1 });
    expect(await control('POST', '/reset')).toEqual({ status: 200, body: { reset: true } });
    expect(sim.accounts.get('binance', 'gone')).toBeUndefined();
    expect(sim.accounts.demo().map((a) => a.apiKey)).toEqual(demoKeys);
    expect(sim.prices.get('bybit', 'BTCUSDT').toFixed()).toBe('65000');
    expect((await control('GET', '/faults')).body).toEqual([]);
    expect((await control('GET', '/clock')).body).toMatchObject({ skewMs: 0 });
  });

  it('answers unknown routes 404 and wrong methods 405', async () => {
    expect(await control('GET', '/nothing')).toEqual({ status: 404, body: { error: 'no control route /_sim/nothing' } });
    expect(await control('PUT', '/orders')).toEqual({ status: 405, body: { error: 'PUT is not allowed on /_sim/orders' } });
    expect((await control('GET', '/health')).body).toMatchObject({ ok: true, exchanges: ['binance', 'bybit', 'bitget'], seed: 42 });
  });
});
