import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VenueName } from './contract';
import { LIFTED_BUDGETS } from './rate-limit-budgets';
import { createSeededRandom, type SeededRandom } from './random';
import { ALL_VENUES, type Simulator } from './start-simulator';
import { createAccount, createCcxtClient, startTestSimulator } from './test-support';

const handlerErrors: unknown[] = [];
let sim: Simulator;

beforeAll(async () => {
  sim = await startTestSimulator({
    onHandlerError: (error) => handlerErrors.push(error),
    // Garbage must reach the handlers, not stop at the venues' rate limits.
    budgets: LIFTED_BUDGETS,
  });
});
afterAll(async () => {
  await sim.close();
});

const PRINTABLE = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
const PATH_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%/';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-8', '', 'multipart/form-data'];
const PARAM_NAMES = ['symbol', 'side', 'type', 'quantity', 'qty', 'size', 'category', 'productType', 'marginCoin', 'orderId', 'clientOid', 'orderLinkId',
  'origClientOrderId', 'newClientOrderId', 'leverage', 'positionSide', 'positionIdx', 'holdSide', 'tradeSide', 'reduceOnly', 'timestamp', 'recvWindow',
  'signature', 'dualSidePosition', 'mode', 'buyLeverage', 'sellLeverage', 'marginMode', 'orderType', 'exchange', 'price', 'skewMs', 'kind'];

function pick<T>(random: SeededRandom, values: readonly T[]): T {
  return values[random.int(values.length)] as T;
}

/** A value that is sometimes plausible and usually not. */
function garbageValue(random: SeededRandom): unknown {
  switch (random.int(12)) {
    case 0: return random.chars(random.int(40), PRINTABLE);
    case 1: return String(random.next() * 10 ** random.int(30));
    case 2: return -random.int(1000);
    case 3: return null;
    case 4: return [garbageValue(random)];
    case 5: return { nested: garbageValue(random) };
    case 6: return pick(random, ['BTCUSDT', 'ETHUSDT', 'BTC/USDT', 'linear', 'spot', 'USDT-FUTURES', 'BUY', 'sell', 'MARKET', 'open', 'close', 'long']);
    case 7: return pick(random, ['NaN', 'Infinity', '-0', '1e400', '0x10', '', ' ', '0.0000000000000000001']);
    case 8: return random.next() < 0.5;
    case 9: return 'x'.repeat(random.int(5000));
    case 10: return pick(random, ['true', 'false', '1', '2', '125', '0', '1000000000000']);
    default: return random.int(10) === 0 ? String(Date.now()) : random.chars(8, PATH_CHARS);
  }
}

function garbageParams(random: SeededRandom): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (let i = random.int(8); i > 0; i--) params[random.int(4) === 0 ? random.chars(6, PRINTABLE) : pick(random, PARAM_NAMES)] = garbageValue(random);
  return params;
}

function formOf(params: Record<string, unknown>): string {
  return Object.entries(params).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`).join('&');
}

function garbageBody(random: SeededRandom): string {
  switch (random.int(8)) {
    case 0: return '';
    case 1: return JSON.stringify(garbageParams(random));
    case 2: return formOf(garbageParams(random));
    case 3: return JSON.stringify(garbageParams(random)).slice(0, random.int(30));
    case 4: return random.chars(random.int(300), PRINTABLE);
    case 5: return JSON.stringify(pick(random, [[], 1, 'text', null, true]));
    case 6: return '{"a":'.repeat(2000);
    default: return 'y'.repeat(64 * 1024 + random.int(4096));
  }
}

function garbagePath(random: SeededRandom, knownPaths: readonly string[]): string {
  const venue = pick(random, ['binance', 'bybit', 'bitget', '_sim', 'nope', '']);
  const known = venue === '_sim' ? pick(random, ['/accounts', '/prices', '/orders', '/balances', '/positions', '/requests', '/clock', '/health']) : pick(random, knownPaths);
  const tail = random.int(4) === 0 ? `/${random.chars(random.int(12), PATH_CHARS)}` : '';
  const query = random.int(2) === 0 ? `?${formOf(garbageParams(random))}${random.int(5) === 0 ? '&%zz=%' : ''}` : '';
  return `/${venue}${random.int(6) === 0 ? `/${random.chars(random.int(20), PATH_CHARS)}` : known}${tail}${query}`.replace(/\/\/+/g, '/');
}

function garbageHeaders(random: SeededRandom, keys: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const contentType = pick(random, CONTENT_TYPES);
  if (contentType !== '') headers['content-type'] = contentType;
  const key = random.int(3) === 0 ? random.chars(random.int(70), PATH_CHARS) : pick(random, keys);
  for (const name of ['x-mbx-apikey', 'x-bapi-api-key', 'access-key']) if (random.int(2) === 0) headers[name] = key;
  for (const name of ['x-bapi-sign', 'x-bapi-timestamp', 'x-bapi-recv-window', 'access-sign', 'access-timestamp', 'access-passphrase']) {
    if (random.int(3) === 0) headers[name] = String(garbageValue(random)).replace(/[^\x21-\x7e]/g, '').slice(0, 200) || '0';
  }
  return headers;
}

describe('garbage in', () => {
  it('answers a few hundred random requests without crashing, resetting or wedging, then still trades', async () => {
    const random = createSeededRandom(2024);
    const knownPaths = [...new Set(ALL_VENUES.flatMap((venue) => venue.createProtocol({ budgets: {} }).routes.map((route) => route.path)))];
    const keys = (['binance', 'bybit', 'bitget'] as const).map((venue) => createAccount(sim, venue).apiKey);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 25; batch++) {
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          const method = pick(random, METHODS);
          const path = garbagePath(random, knownPaths);
          const body = method === 'GET' || method === 'HEAD' ? undefined : garbageBody(random);
          try {
            const response = await request(`${sim.url}${path}`, {
              method,
              headers: garbageHeaders(random, keys),
              ...(body === undefined ? {} : { body }),
            });
            const text = await response.body.text();
            statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
            const contentType = String(response.headers['content-type'] ?? '');
            // Every JSON answer must be whole (a venue may answer an unknown path with an empty 404, as Binance does).
            if (method !== 'HEAD' && contentType.includes('json')) JSON.parse(text);
            if (response.statusCode >= 500) failures.push(`${method} ${path.slice(0, 120)} → ${response.statusCode} ${text.slice(0, 200)}`);
          } catch (error) {
            failures.push(`${method} ${path.slice(0, 120)} → ${String(error)}`);
          }
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(handlerErrors).toEqual([]);
    expect([...statuses.keys()].every((status) => status >= 200 && status < 500)).toBe(true);
    await expectStillTrades(sim);
  }, 60_000);

  it('survives raw bytes that are not HTTP at all', async () => {
    const random = createSeededRandom(7);
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(sim.port, '127.0.0.1', () => {
          socket.end(i % 2 === 0 ? random.chars(200 + random.int(2000), PRINTABLE) : `POST /binance/api/v3/order HTTP/1.1\r\nContent-Length: 99999\r\n\r\n{"a"`);
        });
        socket.on('error', () => {
          resolve();
        });
        socket.on('close', () => {
          resolve();
        });
        socket.resume();
      });
    }
    await expectStillTrades(sim);
  });
});

async function expectStillTrades(target: Simulator): Promise<void> {
  const ordersBefore = target.ledger.orders().length;
  const venues: readonly VenueName[] = ['binance', 'bybit', 'bitget'];
  for (const venue of venues) {
    const account = createAccount(target, venue);
    const client = createCcxtClient(venue, target, account);
    const order = await client.createOrder('BTC/USDT', 'market', 'sell', 0.001);
    // Bybit and Bitget answer a placement with ids only; the ledger is the proof of execution.
    const executed = target.ledger.orders({ venue, apiKey: account.apiKey });
    expect(executed.map((o) => [o.orderId, o.quantity.toFixed()])).toEqual([[order.id, '0.001']]);
  }
  expect(target.ledger.orders()).toHaveLength(ordersBefore + venues.length);
}
