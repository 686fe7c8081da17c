import type { Exchange } from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createManualClock, type ManualClock } from '../../engine-clock';
import type { SimAccount } from '../../engine-account';
import type { Simulator } from '../../start-simulator';
import { createAccount } from '../../test-support/accounts';
import { createCcxtProClient, hearStreamFailures } from '../../test-support/ccxt-client';
import { until } from '../../test-support/clock';
import { errorOf } from '../../test-support/errors';
import { startTestSimulator } from '../../test-support/simulator';
import { hmacSha256Hex } from '../shared/hmac';
import { DEFAULT_MAX_ACTIVE_MS, bybitExecId } from './streams';

const SPOT = 'BTC/USDT';
const PERP = 'BTC/USDT:USDT';

let sim: Simulator;
let clock: ManualClock;
let account: SimAccount;
const clients: Exchange[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  clock = createManualClock(() => Date.now());
  sim = await startTestSimulator({ clock });
  sim.prices.set('BTCUSDT', '60000', 'bybit');
  account = createAccount(sim, 'bybit');
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const socket of sockets.splice(0)) socket.terminate();
  await sim.close();
});

async function pro(secret = account.secret): Promise<Exchange> {
  const client = await createCcxtProClient('bybit', sim, account);
  clients.push(client);
  await client.loadMarkets();
  // ccxt asks over REST whether the account is unified before it opens a private stream.
  await (client as unknown as { isUnifiedEnabled(): Promise<unknown> }).isUnifiedEnabled();
  // From here on only the stream's auth signs with this secret.
  client.secret = secret;
  return client;
}

async function subscribed<T>(watch: () => Promise<T>, topic: string): Promise<{ readonly next: Promise<T> }> {
  const next = watch();
  next.catch(() => undefined);
  await until(() => sim.streams.connections('bybit', account.apiKey, topic) === 1, `the Bybit private stream subscribed to ${topic}`);
  return { next };
}

/** A raw `/v5/private` client, authenticated, with every message it received. */
async function rawPrivate(query = ''): Promise<{ readonly ws: WebSocket; readonly messages: Record<string, unknown>[]; readonly closed: () => boolean }> {
  const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/bybit/v5/private${query}`);
  sockets.push(ws);
  const messages: Record<string, unknown>[] = [];
  let closed = false;
  ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  ws.on('close', () => {
    closed = true;
  });
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, messages, closed: () => closed };
}

function auth(ws: WebSocket, secret = account.secret, expires = sim.clock.now() + 10_000): void {
  ws.send(JSON.stringify({ op: 'auth', args: [account.apiKey, String(expires), hmacSha256Hex(secret, `GET/realtime${String(expires)}`)] }));
}

describe('Bybit v5 private stream through ccxt pro', () => {
  it('linear: an order placed over REST arrives on `order` and `execution` with execId, amounts and fee', async () => {
    const client = await pro();
    const trades = await subscribed(() => client.watchMyTrades(PERP), 'execution');
    const orders = await subscribed(() => client.watchOrders(PERP), 'order');
    await client.createOrder(PERP, 'market', 'buy', 0.01);
    const [trade] = (await trades.next);
    const ledger = sim.ledger.orders({ apiKey: account.apiKey });
    const order = ledger[0];
    if (!trade || !order) throw new Error('no trade');
    expect(trade.id).toBe(bybitExecId(order));
    expect(trade.order).toBe(order.orderId);
    expect(trade.amount).toBe(0.01);
    expect(trade.price).toBe(60000);
    expect(trade.fee?.cost).toBe(order.fee.toNumber());
    expect(trade.fee?.currency).toBe('USDT');
    const [update] = (await orders.next);
    expect(update).toMatchObject({ id: order.orderId, status: 'closed', filled: 0.01, symbol: PERP });
  });

  it('spot shares the one private stream: a spot fill arrives on the same connection, its fee in the base asset', async () => {
    const client = await pro();
    const trades = await subscribed(() => client.watchMyTrades(SPOT), 'execution');
    await client.createOrder(SPOT, 'market', 'buy', 0.01);
    const [trade] = (await trades.next);
    const order = sim.ledger.orders({ apiKey: account.apiKey })[0];
    if (!trade || !order) throw new Error('no trade');
    expect(trade).toMatchObject({ id: bybitExecId(order), order: order.orderId, symbol: SPOT, amount: 0.01 });
    expect(trade.fee).toMatchObject({ cost: order.fee.toNumber(), currency: 'BTC' });
    expect(sim.streams.connections('bybit')).toBe(1);
  });

  it('refuses an auth signed with another secret ("Error sign…", ccxt AuthenticationError), and subscribes only after auth', async () => {
    const client = await pro('not-the-secret');
    const watching = client.watchMyTrades(PERP);
    watching.catch(() => undefined);
    await until(() => Object.keys(client.clients).length > 0, 'ccxt connecting');
    await until(() => Object.values(client.clients as Record<string, { futures: Record<string, unknown> }>).some((c) => 'authenticated' in c.futures), 'ccxt authenticating');
    hearStreamFailures(client);
    const error = await errorOf(watching);
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toContain('Error sign, please check your signature generation algorithm.');

    const raw = await rawPrivate();
    raw.ws.send(JSON.stringify({ op: 'subscribe', args: ['order'] }));
    auth(raw.ws, account.secret, sim.clock.now() - 1);
    await until(() => raw.messages.length === 2, 'two answers');
    expect(raw.messages[0]).toMatchObject({ success: false, ret_msg: 'Request not authorized', op: 'subscribe' });
    expect(raw.messages[1]).toMatchObject({ success: false, ret_msg: 'Params Error', op: 'auth' });
  });

  it('answers {"op":"ping"} with a pong and closes a connection that sent no ping for max_active_time (default 10 minutes)', async () => {
    const pinging = await rawPrivate();
    const idle = await rawPrivate();
    const short = await rawPrivate('?max_active_time=30s');
    pinging.ws.send(JSON.stringify({ op: 'ping', req_id: '7' }));
    await until(() => pinging.messages.length === 1, 'the pong');
    expect(pinging.messages[0]).toMatchObject({ op: 'pong', req_id: '7' });

    clock.advance(30_000);
    await until(() => short.closed(), 'the 30 s connection closed');
    expect(idle.closed()).toBe(false);
    for (let elapsed = 30_000; elapsed < DEFAULT_MAX_ACTIVE_MS; elapsed += 60_000) {
      const pongs = pinging.messages.length;
      pinging.ws.send(JSON.stringify({ op: 'ping' }));
      await until(() => pinging.messages.length > pongs, 'a pong');
      clock.advance(60_000);
    }
    await until(() => idle.closed(), 'the idle connection closed');
    expect(pinging.closed()).toBe(false);
  });

  it('a stream fault reaches Bybit sockets too: streamDisconnect for the account', async () => {
    const raw = await rawPrivate();
    auth(raw.ws);
    await until(() => sim.streams.connections('bybit', account.apiKey) === 1, 'the authenticated socket');
    sim.faults.add({ kind: 'streamDisconnect', exchange: 'bybit', apiKey: account.apiKey });
    await until(() => raw.closed(), 'the socket closed');
  });
});
