import type { Exchange } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createManualClock, type ManualClock } from './engine-clock';
import type { SimAccount } from './engine-account';
import type { Simulator } from './start-simulator';
import { createAccount } from './test-support/accounts';
import { createCcxtProClient, hearStreamFailures, signWithSimulatorClock } from './test-support/ccxt-client';
import { until } from './test-support/clock';
import { errorOf } from './test-support/errors';
import { startTestSimulator } from './test-support/simulator';

/**
 * The stream faults, seen by clients of the Binance USDⓈ-M user data stream (the fault rules are
 * venue-neutral; every venue's stream sends through the same socket layer).
 */
const PERP = 'BTC/USDT:USDT';

let sim: Simulator;
let clock: ManualClock;
let account: SimAccount;
const clients: Exchange[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  clock = createManualClock(() => Date.now());
  sim = await startTestSimulator({ clock });
  sim.prices.set('BTCUSDT', '50000', 'binance');
  account = createAccount(sim, 'binance', { futuresBalances: { USDT: '100000' } });
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const socket of sockets.splice(0)) socket.terminate();
  await sim.close();
});

async function pro(overrides: Record<string, unknown> = {}): Promise<Exchange> {
  const client = await createCcxtProClient('binance', sim, account, { ...overrides, options: { defaultType: 'future', fetchCurrencies: false, fetchMargins: false } });
  signWithSimulatorClock(client, sim);
  clients.push(client);
  await client.loadMarkets();
  return client;
}

/** A raw user data stream client: every message it receives, parsed. */
async function rawStream(): Promise<{ readonly events: { e: string; o?: { x: string } }[]; readonly closed: () => boolean }> {
  const headers = { 'x-mbx-apikey': account.apiKey };
  const { listenKey } = (await (await fetch(`${sim.url}/binance/fapi/v1/listenKey`, { method: 'POST', headers })).json()) as { listenKey: string };
  const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/binance/private/ws?listenKey=${listenKey}`);
  sockets.push(ws);
  const events: { e: string; o?: { x: string } }[] = [];
  let closed = false;
  ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as { e: string }));
  ws.on('close', () => (closed = true));
  await new Promise((resolve) => ws.once('open', resolve));
  return { events, closed: () => closed };
}

async function placeOverRest(quantity = '0.01'): Promise<void> {
  const client = clients[0] ?? (await pro());
  await client.createOrder(PERP, 'market', 'buy', Number(quantity));
}

function kinds(events: readonly { e: string; o?: { x: string } }[]): string[] {
  return events.map((event) => (event.o ? `${event.e}:${event.o.x}` : event.e));
}

describe('stream faults', () => {
  it('streamDisconnect closes the account\'s sockets now (ccxt NetworkError); the next watch reconnects and hears the next fill', async () => {
    const client = await pro();
    const first = client.watchMyTrades(PERP);
    first.catch(() => undefined);
    await until(() => sim.streams.connections('binance', account.apiKey) === 1, 'the stream');
    hearStreamFailures(client);
    const other = createAccount(sim, 'binance', { futuresBalances: { USDT: '1000' } });
    expect(sim.faults.add({ kind: 'streamDisconnect', exchange: 'binance', apiKey: other.apiKey }).id).toBeDefined();
    expect(sim.streams.connections('binance', account.apiKey)).toBe(1);
    sim.faults.add({ kind: 'streamDisconnect', exchange: 'binance', apiKey: account.apiKey });
    expect(sim.streams.connections('binance', account.apiKey)).toBe(0);
    expect((await errorOf(first)).name).toBe('NetworkError');
    // The rule acted once and retired.
    expect(sim.faults.list()).toEqual([]);

    const second = client.watchMyTrades(PERP);
    await until(() => sim.streams.connections('binance', account.apiKey) === 1, 'the stream again');
    await placeOverRest();
    const [trade] = (await second);
    expect(trade?.order).toBe(sim.ledger.orders({ apiKey: account.apiKey })[0]?.orderId);
  });

  it('streamSilence: no events and no pongs for its window (ccxt times the stream out); events of the window are lost, later ones flow', async () => {
    const stream = await rawStream();
    sim.faults.add({ kind: 'streamSilence', exchange: 'binance', ms: 10_000 });
    await placeOverRest();
    // A ccxt client pinging every 200 ms gives up after two unanswered pings.
    const client = clients[0];
    if (!client) throw new Error('no client');
    client.streaming = { ...client.streaming, keepAlive: 200 };
    const watching = client.watchMyTrades(PERP);
    watching.catch(() => undefined);
    await until(() => sim.streams.connections('binance', account.apiKey) === 2, 'the ccxt stream');
    hearStreamFailures(client);
    const error = await errorOf(watching);
    expect(error.name).toBe('RequestTimeout');
    expect(stream.events).toEqual([]);

    clock.advance(10_000);
    expect(sim.faults.list()).toEqual([]);
    await placeOverRest('0.02');
    await until(() => stream.events.length >= 3, 'the events after the silence');
    expect(kinds(stream.events)).toEqual(['ORDER_TRADE_UPDATE:NEW', 'ORDER_TRADE_UPDATE:TRADE', 'ACCOUNT_UPDATE']);
    expect(sim.ledger.orders({ apiKey: account.apiKey })).toHaveLength(2);
  });

  it('streamDelay delivers each matching event ms later on the simulator clock', async () => {
    const stream = await rawStream();
    sim.faults.add({ kind: 'streamDelay', exchange: 'binance', apiKey: account.apiKey, ms: 5_000, count: 3 });
    const before = clock.pending();
    await placeOverRest();
    expect(clock.pending()).toBe(before + 3);
    expect(stream.events).toEqual([]);
    clock.advance(5_000);
    await until(() => stream.events.length === 3, 'the delayed events');
    expect(kinds(stream.events)).toEqual(['ORDER_TRADE_UPDATE:NEW', 'ORDER_TRADE_UPDATE:TRADE', 'ACCOUNT_UPDATE']);
  });

  it('streamReorder swaps a matching event with the next one', async () => {
    const stream = await rawStream();
    sim.faults.add({ kind: 'streamReorder', exchange: 'binance', count: 1 });
    await placeOverRest();
    await until(() => stream.events.length === 3, 'the events');
    expect(kinds(stream.events)).toEqual(['ORDER_TRADE_UPDATE:TRADE', 'ORDER_TRADE_UPDATE:NEW', 'ACCOUNT_UPDATE']);
  });

  it('streamReorder with nothing after the held event sends it alone after ms', async () => {
    const stream = await rawStream();
    sim.faults.add({ kind: 'streamReorder', exchange: 'binance', path: '/binance/private/ws', ms: 2_000 });
    await placeOverRest();
    // NEW is held, TRADE overtakes it, ACCOUNT_UPDATE is held in turn and waits for a successor.
    await until(() => stream.events.length === 2, 'the first two events');
    clock.advance(2_000);
    await until(() => stream.events.length === 3, 'the held event');
    expect(kinds(stream.events)).toEqual(['ORDER_TRADE_UPDATE:TRADE', 'ORDER_TRADE_UPDATE:NEW', 'ACCOUNT_UPDATE']);
  });

  it('the control API takes the stream faults and counts the open streams', async () => {
    await rawStream();
    const streams = (await (await fetch(`${sim.url}/_sim/streams`)).json()) as { exchange: string; connections: number }[];
    expect(streams.find((entry) => entry.exchange === 'binance')?.connections).toBe(1);
    const added = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: JSON.stringify({ kind: 'streamDisconnect', exchange: 'binance' }) });
    expect(added.status).toBe(201);
    await until(() => sim.streams.connections('binance') === 0, 'the disconnect');
  });
});
