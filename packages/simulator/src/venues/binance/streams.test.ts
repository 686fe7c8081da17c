import type { Exchange } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../engine-clock';
import type { SimAccount } from '../../engine-account';
import type { Simulator } from '../../start-simulator';
import { createAccount } from '../../test-support/accounts';
import { createCcxtProClient } from '../../test-support/ccxt-client';
import { until } from '../../test-support/clock';
import { errorOf } from '../../test-support/errors';
import { startTestSimulator } from '../../test-support/simulator';
import { LISTEN_KEY_VALIDITY_MS } from './streams';

const SPOT = 'BTC/USDT';
const PERP = 'BTC/USDT:USDT';

let sim: Simulator;
let clock: ManualClock;
let account: SimAccount;
const clients: Exchange[] = [];

async function boot(options: { streamKeepAlive?: boolean } = {}): Promise<void> {
  // Follows the wall clock (ccxt signs with it) but fires timers only when advanced.
  clock = createManualClock(() => Date.now());
  sim = await startTestSimulator({ clock, ...options });
  sim.prices.set('BTCUSDT', '50000', 'binance');
  account = createAccount(sim, 'binance', { balances: { USDT: '100000' }, futuresBalances: { USDT: '100000' } });
}

beforeEach(async () => {
  await boot();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await sim.close();
});

async function pro(overrides: Record<string, unknown> = {}, credentials: Pick<SimAccount, 'apiKey' | 'secret'> = account): Promise<Exchange> {
  const client = await createCcxtProClient('binance', sim, credentials, { ...overrides, options: { fetchCurrencies: false, fetchMargins: false, ...(overrides.options as object | undefined) } });
  clients.push(client);
  return client;
}

/** Starts `watch` and waits until the simulator has the stream bound to the account. */
async function subscribed<T>(watch: () => Promise<T>): Promise<{ readonly next: Promise<T> }> {
  const next = watch();
  next.catch(() => undefined);
  await until(() => sim.streams.connections('binance', account.apiKey) > 0, 'a Binance stream bound to the account');
  // Wrapped: an async function returning the promise itself would wait for it.
  return { next };
}

describe('Binance private streams through ccxt pro', () => {
  it('spot: an order placed over REST arrives as an order update and a fill with its trade id, amounts and fee (WebSocket API userDataStream.subscribe.signature)', async () => {
    const client = await pro();
    await client.loadMarkets();
    const trades = await subscribed(() => client.watchMyTrades(SPOT));
    const placed = await client.createOrder(SPOT, 'market', 'buy', 0.01);
    const [trade] = (await trades.next);
    const ledger = sim.ledger.orders({ apiKey: account.apiKey });
    expect(ledger).toHaveLength(1);
    const order = ledger[0];
    if (!trade || !order) throw new Error('no trade');
    expect(trade.order).toBe(placed.id);
    expect(trade.id).toBe(String(Number(order.orderId) + 1));
    expect(trade.amount).toBe(0.01);
    expect(trade.price).toBe(50000);
    expect(trade.fee?.cost).toBe(order.fee.toNumber());
    expect(trade.fee?.currency).toBe('BTC');
    const [fromRest] = await client.fetchMyTrades(SPOT);
    expect(fromRest?.id).toBe(trade.id);

    const orders = client.watchOrders(SPOT);
    await client.createOrder(SPOT, 'market', 'sell', 0.005);
    const updates = (await orders);
    const last = updates[updates.length - 1];
    expect(last?.status).toBe('closed');
    expect(last?.filled).toBe(0.005);
    expect(last?.id).toBe(sim.ledger.orders({ apiKey: account.apiKey })[1]?.orderId);
  });

  it('USDⓈ-M: an order placed over REST arrives as ORDER_TRADE_UPDATE, a fill with trade id, amounts and fee (listen key stream)', async () => {
    const client = await pro({ options: { defaultType: 'future' } });
    await client.loadMarkets();
    const trades = await subscribed(() => client.watchMyTrades(PERP));
    expect(sim.requests({ exchange: 'binance' }).some((entry) => entry.method === 'POST' && entry.path === '/binance/fapi/v1/listenKey')).toBe(true);
    await client.createOrder(PERP, 'market', 'buy', 0.01);
    const [trade] = (await trades.next);
    const order = sim.ledger.orders({ apiKey: account.apiKey })[0];
    if (!trade || !order) throw new Error('no trade');
    expect(trade.id).toBe(String(Number(order.orderId) + 1));
    expect(trade.order).toBe(order.orderId);
    expect(trade.amount).toBe(0.01);
    expect(trade.fee?.cost).toBe(order.fee.toNumber());
    expect(trade.fee?.currency).toBe('USDT');

    const orders = client.watchOrders(PERP);
    await client.createOrder(PERP, 'market', 'sell', 0.004, undefined, { reduceOnly: true });
    const updates = (await orders);
    expect(updates[updates.length - 1]).toMatchObject({ status: 'closed', filled: 0.004, reduceOnly: true });
  });

  it('listen key: valid 60 minutes, a keep-alive PUT extends it, an expired key is listenKeyExpired and -1125 "This listenKey does not exist."', async () => {
    // Hours pass in a few steps here, faster than a client answers pings: no pong deadlines.
    await sim.close();
    await boot({ streamKeepAlive: false });
    const headers = { 'x-mbx-apikey': account.apiKey };
    const post = await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'POST', headers });
    const { listenKey } = (await post.json()) as { listenKey: string };
    expect(listenKey).toMatch(/^[\w-]{64}$/);
    // A second POST while the key is valid answers the same key.
    const again = (await (await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'POST', headers })).json()) as { listenKey: string };
    expect(again.listenKey).toBe(listenKey);

    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/binance/private/ws?listenKey=${listenKey}`);
    const messages: unknown[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.once('open', resolve));

    clock.advance(LISTEN_KEY_VALIDITY_MS - 60_000);
    expect((await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'PUT', headers })).status).toBe(200);
    clock.advance(LISTEN_KEY_VALIDITY_MS - 60_000);
    expect(messages).toEqual([]);
    clock.advance(120_000);
    await until(() => messages.length > 0, 'the listenKeyExpired event');
    expect(messages[0]).toMatchObject({ e: 'listenKeyExpired', listenKey });

    const put = await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'PUT', headers });
    expect({ status: put.status, body: await put.json() }).toEqual({ status: 400, body: { code: -1125, msg: 'This listenKey does not exist.' } });
    // The expired key opens no new stream.
    const refused = new WebSocket(`${sim.url.replace('http', 'ws')}/binance/private/ws?listenKey=${listenKey}`);
    const status = await new Promise<number | undefined>((resolve) => {
      refused.on('unexpected-response', (_request, response) => { resolve(response.statusCode); });
      refused.on('error', () => { resolve(undefined); });
    });
    expect(status).toBe(400);
    ws.close();
  });

  it('a bad signature on userDataStream.subscribe.signature is refused with -1022 (ccxt AuthenticationError)', async () => {
    const client = await pro({}, { apiKey: account.apiKey, secret: 'not-the-secret' });
    await client.loadMarkets();
    const watching = client.watchMyTrades(SPOT);
    watching.catch(() => undefined);
    // ccxt parks a second promise for concurrent subscribers and rejects it unheard: hear it here.
    const url = (client.urls as unknown as { api: { ws: { 'ws-api': { spot: string } } } }).api.ws['ws-api'].spot;
    const futures = (): Record<string, Promise<unknown>> | undefined => (client.clients[url] as { futures?: Record<string, Promise<unknown>> } | undefined)?.futures;
    await until(() => futures()?.['authenticate:signature:spot'] !== undefined, 'ccxt subscribing');
    futures()?.['authenticate:signature:spot']?.catch(() => undefined);
    const error = await errorOf(watching);
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toContain('Signature for this request is not valid.');
    expect(sim.streams.connections('binance', account.apiKey)).toBe(0);
  });

  it('the WebSocket API answers a method it does not serve with -1020 and a frame that is not JSON with -1102', async () => {
    const { WebSocket } = await import('ws');
    const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/binance/ws-api/v3`);
    const answers: unknown[] = [];
    ws.on('message', (data: Buffer) => answers.push(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ id: 'a', method: 'order.place', params: {} }));
    ws.send('not json');
    ws.send(JSON.stringify({ id: 'b', method: 'ping' }));
    await until(() => answers.length === 3, 'three answers');
    expect(answers).toEqual([
      { id: 'a', status: 400, error: { code: -1020, msg: 'This operation is not supported.' } },
      { id: null, status: 400, error: { code: -1102, msg: 'Mandatory parameter was not sent, was empty/null, or malformed.' } },
      { id: 'b', status: 200, result: {} },
    ]);
    ws.close();
  });

  it('server pings: a USDⓈ-M stream that answers no pong for 10 minutes is closed; one that answers stays', async () => {
    const headers = { 'x-mbx-apikey': account.apiKey };
    const { listenKey } = (await (await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'POST', headers })).json()) as { listenKey: string };
    const { WebSocket } = await import('ws');
    const open = async (autoPong: boolean): Promise<{ closed: () => boolean; pings: () => number }> => {
      const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/binance/private/ws?listenKey=${listenKey}`, { autoPong });
      let closed = false;
      let pings = 0;
      ws.on('close', () => {
        closed = true;
      });
      ws.on('ping', () => {
        pings++;
      });
      await new Promise((resolve) => ws.once('open', resolve));
      return { closed: () => closed, pings: () => pings };
    };
    const silent = await open(false);
    const polite = await open(true);
    for (let minute = 0; minute < 12; minute += 3) {
      clock.advance(3 * 60_000);
      await until(() => polite.pings() >= minute / 3 + 1, 'a ping frame');
      // Let the pong travel back before the next tick.
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await until(() => silent.closed(), 'the silent client closed');
    expect(polite.closed()).toBe(false);
  });
});
