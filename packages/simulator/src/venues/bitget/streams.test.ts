import type { Exchange } from 'ccxt';
import { beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { ManualClock } from '../../engine-clock';
import type { SimAccount } from '../../engine-account';
import type { Simulator } from '../../start-simulator';
import { createCcxtProClient, hearStreamFailures } from '../../test-support/ccxt-client';
import { until } from '../../test-support/clock';
import { errorOf } from '../../test-support/errors';
import { useStreamRig, type RawStream } from '../../test-support/streams';
import { hmacSha256Base64 } from '../shared/hmac';
import { BITGET_IDLE_MS, bitgetTradeId } from './streams';

const SPOT = 'BTC/USDT';
const PERP = 'BTC/USDT:USDT';

const rig = useStreamRig('bitget', { balances: { USDT: '100000', BTC: '1' }, futuresBalances: { USDT: '100000' } }, { BTCUSDT: '60000' });
let sim: Simulator;
let clock: ManualClock;
let account: SimAccount;
beforeEach(() => {
  ({ sim, clock, account } = rig);
});

async function pro(secret = account.secret): Promise<Exchange> {
  const client = await createCcxtProClient('bitget', sim, account);
  rig.track(client);
  await client.loadMarkets();
  // From here on only the stream's login signs with this secret.
  client.secret = secret;
  return client;
}

async function subscribed<T>(watch: () => Promise<T>, channel: string): Promise<{ readonly next: Promise<T> }> {
  const next = watch();
  next.catch(() => undefined);
  await until(() => sim.streams.connections('bitget', account.apiKey, channel) >= 1, `the Bitget private stream subscribed to ${channel}`);
  return { next };
}

function rawPrivate(): Promise<RawStream> {
  return rig.raw('/v2/ws/private');
}

function login(ws: WebSocket, overrides: { passphrase?: string; seconds?: number } = {}): void {
  const timestamp = String(overrides.seconds ?? Math.floor(sim.clock.now() / 1000));
  const sign = hmacSha256Base64(account.secret, `${timestamp}GET/user/verify`);
  ws.send(JSON.stringify({ op: 'login', args: [{ apiKey: account.apiKey, passphrase: overrides.passphrase ?? account.passphrase, timestamp, sign }] }));
}

describe('Bitget v2 private stream through ccxt pro', () => {
  it('USDT-FUTURES: an order placed over REST arrives on `orders` and `fill` with trade id, amounts and fee', async () => {
    const client = await pro();
    const trades = await subscribed(() => client.watchMyTrades(PERP), 'fill');
    const orders = await subscribed(() => client.watchOrders(PERP), 'orders');
    await client.createOrder(PERP, 'market', 'buy', 0.01);
    const order = sim.ledger.orders({ apiKey: account.apiKey })[0];
    const [trade] = await trades.next;
    if (!trade || !order) throw new Error('no trade');
    expect(trade).toMatchObject({ id: bitgetTradeId(order), order: order.orderId, symbol: PERP, amount: 0.01, price: 60000 });
    expect(trade.fee).toMatchObject({ cost: order.fee.toNumber(), currency: 'USDT' });
    const [update] = await orders.next;
    expect(update).toMatchObject({ id: order.orderId, symbol: PERP, status: 'closed', filled: 0.01 });
  });

  it('SPOT: a spot sell arrives on `fill` with its fee in the asset received (USDT)', async () => {
    const client = await pro();
    const trades = await subscribed(() => client.watchMyTrades(SPOT), 'fill');
    await client.createOrder(SPOT, 'market', 'sell', 0.01);
    const order = sim.ledger.orders({ apiKey: account.apiKey })[0];
    const [trade] = await trades.next;
    if (!trade || !order) throw new Error('no trade');
    expect(trade).toMatchObject({ id: bitgetTradeId(order), order: order.orderId, symbol: SPOT, amount: 0.01, side: 'sell' });
    expect(trade.fee).toMatchObject({ cost: order.fee.toNumber(), currency: 'USDT' });
  });

  it('refuses a login signed with another secret with 30015 "Invalid sign" (ccxt AuthenticationError), a wrong passphrase with 30012, a subscribe before login with 30004', async () => {
    const client = await pro('not-the-secret');
    const watching = client.watchMyTrades(PERP);
    watching.catch(() => undefined);
    await until(() => Object.values(client.clients as Record<string, { futures: Record<string, unknown> }>).some((c) => 'authenticated' in c.futures), 'ccxt logging in');
    hearStreamFailures(client);
    const error = await errorOf(watching);
    expect(error.name).toBe('AuthenticationError');
    expect(error.message).toContain('30015');

    const raw = await rawPrivate();
    raw.ws.send(JSON.stringify({ op: 'subscribe', args: [{ instType: 'SPOT', channel: 'fill', instId: 'default' }] }));
    login(raw.ws, { passphrase: 'wrong' });
    login(raw.ws, { seconds: Math.floor(sim.clock.now() / 1000) - 60 });
    await until(() => raw.messages.length === 3, 'three answers');
    expect(raw.messages.map((text) => JSON.parse(text) as unknown)).toEqual([
      { event: 'error', code: 30004, msg: 'User needs to log in' },
      { event: 'error', code: 30012, msg: 'Invalid ACCESS_PASSPHRASE' },
      { event: 'error', code: 30014, msg: 'Request timestamp expired' },
    ]);
  });

  it('answers the text "ping" with "pong" and closes a connection that sent no ping for 2 minutes', async () => {
    const pinging = await rawPrivate();
    const idle = await rawPrivate();
    for (let elapsed = 0; elapsed < BITGET_IDLE_MS; elapsed += 30_000) {
      const before = pinging.messages.length;
      pinging.ws.send('ping');
      await until(() => pinging.messages.length > before, 'a pong');
      expect(pinging.messages[pinging.messages.length - 1]).toBe('pong');
      clock.advance(30_000);
    }
    await until(() => idle.closed(), 'the idle connection closed');
    expect(pinging.closed()).toBe(false);
  });
});
