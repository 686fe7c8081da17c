import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from './engine-clock';
import type { SimAccount } from './engine-account';
import type { Simulator } from './start-simulator';
import { fakeVenue } from './test-support/fake-venue';
import { startTestSimulator } from './test-support/simulator';
import { untilTimersPending } from './test-support/clock';

const clock = createManualClock();
let sim: Simulator;
let account: SimAccount;

beforeAll(async () => {
  sim = await startTestSimulator({ venues: [fakeVenue('binance'), fakeVenue('bybit')], clock, bodyLimit: 1024 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  account = sim.accounts.create({ venue: 'binance', balances: { USDT: '10000' } });
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

async function call(path: string, init: RequestInit & { key?: string } = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.key !== undefined) headers.set('x-mbx-apikey', init.key);
  const response = await fetch(`${sim.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

/** A POST through node:http that writes the whole body before reading, as most clients do. */
function rawPost(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
  { chunked = false }: { chunked?: boolean } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: chunked ? headers : { ...headers, 'content-length': String(body.length) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.on('error', reject);
    // Chunked: several writes without a content-length, so the server cannot tell the size ahead.
    if (chunked) for (let at = 0; at < body.length; at += 1024 * 1024) request.write(body.subarray(at, at + 1024 * 1024));
    request.end(chunked ? undefined : body);
  });
}

function placeOrder(extra: Record<string, string> = {}, key = account.apiKey): Promise<Reply> {
  return call('/binance/order', {
    method: 'POST',
    key,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ symbol: 'BTCUSDT', side: 'buy', quantity: '0.01', ...extra }),
  });
}

describe('dispatch', () => {
  it('routes /<venue>/<path> to the venue with the path below the prefix', async () => {
    const reply = await call('/binance/time');
    expect(reply.status).toBe(200);
    expect(reply.json()).toEqual({ ok: true, serverTime: clock.now() });
    expect((await call('/bybit/time')).status).toBe(200);
  });

  it('answers unknown prefixes, unknown paths and wrong methods without a venue handler', async () => {
    expect((await call('/kraken/time')).status).toBe(404);
    expect(await call('/binance/nope').then((r) => [r.status, r.json()])).toEqual([404, { ok: false, error: 'not found' }]);
    const wrongMethod = await call('/binance/time', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.json()).toEqual({ ok: false, error: 'Method DELETE is not supported on /time' });
  });

  it('authenticates signed routes through the venue, then executes on the engine', async () => {
    expect(await placeOrder({}, 'bad-key').then((r) => [r.status, r.json()])).toEqual([401, { ok: false, error: 'invalid key' }]);
    const reply = await placeOrder({ clientOrderId: 'c1' });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ ok: true, clientOrderId: 'c1', price: '65000' });
    expect(sim.ledger.orders({ apiKey: account.apiKey }).map((o) => o.clientOrderId)).toEqual(['c1']);
  });

  it('maps engine refusals through the venue', async () => {
    const reply = await placeOrder({ quantity: '0.0015' });
    expect([reply.status, reply.json()]).toEqual([400, { ok: false, error: 'QTY_STEP' }]);
  });

  it('answers oversized and unparseable bodies with the venue bad request and keeps serving', async () => {
    const huge = await placeOrder({ pad: 'x'.repeat(2048) });
    expect([huge.status, huge.json()]).toEqual([400, { ok: false, error: 'Request body larger than 1024 bytes' }]);
    const broken = await call('/binance/order', { method: 'POST', key: account.apiKey, headers: { 'content-type': 'application/json' }, body: '{"symbol":' });
    expect([broken.status, broken.json()]).toEqual([400, { ok: false, error: 'Malformed request body' }]);
    expect((await placeOrder()).status).toBe(200);
  });

  it('answers a body far past the limit (venue and control API alike) instead of resetting, and keeps serving', async () => {
    // 9 MiB, sent whole before the client reads: the answer must be waiting, not lost in a reset.
    const huge = Buffer.alloc(9 * 1024 * 1024, 'x');
    const venue = await rawPost(`${sim.url}/binance/order`, huge, { 'content-type': 'application/json', 'x-mbx-apikey': account.apiKey });
    expect([venue.status, JSON.parse(venue.body)]).toEqual([400, { ok: false, error: 'Request body larger than 1024 bytes' }]);
    const control = await rawPost(`${sim.url}/_sim/accounts`, huge, { 'content-type': 'application/json' });
    expect([control.status, JSON.parse(control.body)]).toEqual([413, { error: 'body larger than 1024 bytes' }]);
    const chunked = await rawPost(`${sim.url}/binance/order`, huge, { 'content-type': 'application/json' }, { chunked: true });
    expect(chunked.status).toBe(400);
    expect((await placeOrder()).status).toBe(200);
    expect((await call('/_sim/health')).status).toBe(200);
  });

  it('turns a throwing handler into the venue 500 and reports it', async () => {
    const errors: unknown[] = [];
    const local = await startTestSimulator({ venues: [fakeVenue()], onHandlerError: (error) => errors.push(error) });
    try {
      const reply = await fetch(`${local.url}/binance/boom`);
      expect(reply.status).toBe(500);
      expect(errors).toHaveLength(1);
      expect((await fetch(`${local.url}/binance/time`)).status).toBe(200);
    } finally {
      await local.close();
    }
  });

  it('parses form bodies and the query string for the venue', async () => {
    const reply = await call('/binance/order', {
      method: 'POST',
      key: account.apiKey,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'symbol=ETHUSDT&side=buy&quantity=0.1&clientOrderId=form%2F1',
    });
    expect(reply.json()).toMatchObject({ ok: true, clientOrderId: 'form/1' });
    const found = await call('/binance/order?clientOrderId=form%2F1', { key: account.apiKey });
    expect(found.json()).toMatchObject({ ok: true, status: 'filled' });
  });

  it('passes rate-limit headers and refusals from the venue, with fresh windows after reset', async () => {
    const local = await startTestSimulator({ venues: [fakeVenue()], budgets: { binanceWeightPerMinute: 2 } });
    try {
      const statuses: (number | string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const reply = await fetch(`${local.url}/binance/time`);
        statuses.push(reply.status, reply.headers.get('x-used'));
      }
      expect(statuses).toEqual([200, '1', 200, '2', 429, '3']);
      local.reset();
      expect((await fetch(`${local.url}/binance/time`)).status).toBe(200);
    } finally {
      await local.close();
    }
  });
});

describe('faults', () => {
  it('error5xx answers the venue 500 for `count` requests, then the rule retires', async () => {
    const rule = sim.faults.add({ kind: 'error5xx', count: 2 });
    expect(rule).toMatchObject({ id: 'fault-1', kind: 'error5xx', remaining: 2, hits: 0 });
    expect((await call('/binance/time')).status).toBe(500);
    expect(sim.faults.list()).toMatchObject([{ remaining: 1, hits: 1 }]);
    expect((await call('/binance/time')).status).toBe(500);
    expect((await call('/binance/time')).status).toBe(200);
    expect(sim.faults.list()).toEqual([]);
  });

  it('matches by exchange, path substring and apiKey', async () => {
    sim.faults.add({ kind: 'error5xx', exchange: 'bybit' });
    sim.faults.add({ kind: 'rateLimit', path: '/binance/ord', apiKey: account.apiKey, ms: 3000 });
    expect((await call('/bybit/time')).status).toBe(500);
    expect((await call('/binance/time')).status).toBe(200);
    const other = sim.accounts.create({ venue: 'binance', balances: { USDT: '1000' } });
    expect((await placeOrder({}, other.apiKey)).status).toBe(200);
    const limited = await placeOrder();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(sim.ledger.orders({ apiKey: account.apiKey })).toEqual([]);
  });

  it('reset drops the connection without an answer', async () => {
    sim.faults.add({ kind: 'reset', count: 1 });
    await expect(call('/binance/time')).rejects.toThrow();
    expect((await call('/binance/time')).status).toBe(200);
  });

  it('malformed answers 200 with a body that is not JSON and executes nothing', async () => {
    sim.faults.add({ kind: 'malformed', count: 1 });
    const reply = await placeOrder();
    expect(reply.status).toBe(200);
    expect(() => reply.json()).toThrow(SyntaxError);
    expect(sim.ledger.orders()).toEqual([]);
  });

  it('latency holds the request for `ms` of simulator time, then answers normally', async () => {
    sim.faults.add({ kind: 'latency', ms: 5000, count: 1 });
    let settled = false;
    const pending = placeOrder().finally(() => {
      settled = true;
    });
    await untilTimersPending(clock, 1);
    clock.advance(4999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    expect(sim.ledger.orders()).toEqual([]);
    clock.advance(1);
    expect((await pending).status).toBe(200);
    expect(sim.ledger.orders()).toHaveLength(1);
  });

  it('timeout withholds the answer for `ms`, then drops the connection', async () => {
    sim.faults.add({ kind: 'timeout', ms: 30_000, count: 1 });
    const pending = call('/binance/time');
    await untilTimersPending(clock, 1);
    clock.advance(30_000);
    await expect(pending).rejects.toThrow();
    expect(clock.pending()).toBe(0);
  });

  it('commitThenFail executes the order, then answers send-status-unknown by default', async () => {
    sim.faults.add({ kind: 'commitThenFail', count: 1 });
    expect((await call('/binance/time')).status).toBe(200); // only order placement is hit
    const lost = await placeOrder({ clientOrderId: 'ctf-1' });
    expect([lost.status, lost.json()]).toEqual([503, { ok: false, error: 'send status unknown' }]);
    expect(sim.ledger.orders().map((o) => o.clientOrderId)).toEqual(['ctf-1']);
    const retry = await placeOrder({ clientOrderId: 'ctf-1' });
    expect(retry.json()).toEqual({ ok: false, error: 'DUPLICATE_CLIENT_ORDER_ID' });
  });

  it('commitThenFail in reset and timeout modes executes, then loses the connection', async () => {
    sim.faults.add({ kind: 'commitThenFail', mode: 'reset', count: 1 });
    await expect(placeOrder({ clientOrderId: 'r' })).rejects.toThrow();
    sim.faults.add({ kind: 'commitThenFail', mode: 'timeout', ms: 10_000, count: 1 });
    const withheld = placeOrder({ clientOrderId: 't' });
    await untilTimersPending(clock, 1);
    expect(sim.ledger.orders().map((o) => o.clientOrderId)).toEqual(['r', 't']);
    clock.advance(10_000);
    await expect(withheld).rejects.toThrow();
  });

  it('commitThenFail leaves a refused order alone and keeps its hit for a real commit', async () => {
    sim.faults.add({ kind: 'commitThenFail', count: 1 });
    expect((await placeOrder({ quantity: '0.0001' })).status).toBe(400);
    expect(sim.faults.list()).toMatchObject([{ remaining: 1 }]);
  });

  it('queryLag hides orders placed within the last `ms` from order queries only', async () => {
    sim.faults.add({ kind: 'queryLag', ms: 2000 });
    const placed = (await placeOrder()).json() as { orderId: string };
    const query = () => call(`/binance/order?orderId=${placed.orderId}`, { key: account.apiKey });
    expect((await query()).json()).toEqual({ ok: false, error: 'ORDER_NOT_FOUND' });
    clock.advance(2001);
    expect((await query()).json()).toMatchObject({ ok: true, orderId: placed.orderId });
  });

  it('probability draws come from the seed: the same rules hit the same requests after reset', async () => {
    const run = async () => {
      sim.faults.add({ kind: 'error5xx', probability: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await call('/binance/time')).status);
      sim.reset();
      return statuses;
    };
    const first = await run();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  it('releases withheld sockets when the server closes', async () => {
    const local = await startTestSimulator({ venues: [fakeVenue()], clock });
    local.faults.add({ kind: 'timeout' });
    const pending = fetch(`${local.url}/binance/time`);
    await untilTimersPending(clock, 1);
    await local.close();
    await expect(pending).rejects.toThrow();
    expect(clock.pending()).toBe(0);
  });
});

describe('request log', () => {
  it('records method, path, status, time, exchange, key and fault, filterable by exchange and key', async () => {
    sim.faults.add({ kind: 'error5xx', exchange: 'bybit', count: 1 });
    await placeOrder();
    await call('/bybit/time');
    expect(sim.requests({ apiKey: account.apiKey })).toEqual([
      { method: 'POST', path: '/binance/order', status: 200, time: clock.now(), exchange: 'binance', apiKey: account.apiKey },
    ]);
    expect(sim.requests({ exchange: 'bybit' })).toEqual([
      { method: 'GET', path: '/bybit/time', status: 500, time: clock.now(), exchange: 'bybit', fault: 'error5xx' },
    ]);
  });
});
