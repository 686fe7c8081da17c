import ccxt from 'ccxt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VenueName } from './contract';
import { createManualClock } from './engine-clock';
import { sourceAddress } from './server';
import { startSimulator } from './start-simulator';
import { IP_RECOVERY_MS } from './venues/bitget/rate-limit';
import { IP_BAN_MS } from './venues/bybit/rate-limit';
import { bindToAddress, createCcxtClient, errorOf, useSimulator, type CcxtClient } from './test-support';
import { bitgetClient } from './test-support/bitget-venue';

/** 20 s into a minute: no window of these tests rolls over unless a test moves the clock. */
const START = 1_750_000_040_000;
const BUDGET = 3;

/**
 * What each venue answers a client over its IP budget: the ccxt class, the HTTP status, and what
 * identifies the answer in ccxt's message.
 */
const REFUSAL: Readonly<Record<VenueName, { readonly error: typeof ccxt.BaseError; readonly status: number; readonly says: string }>> = {
  binance: { error: ccxt.DDoSProtection, status: 429, says: '"code":-1003' },
  bybit: { error: ccxt.RateLimitExceeded, status: 403, says: 'access too frequent' },
  bitget: { error: ccxt.DDoSProtection, status: 429, says: '"code":"429"' },
};

describe('IP budgets are kept per source address', () => {
  const clock = createManualClock(START);
  const sim = useSimulator({
    clock,
    budgets: { binanceWeightPerMinute: BUDGET, bybitIpRequestsPer5s: BUDGET, bitgetRequestsPerSecond: BUDGET, bitgetIpRequestsPerMinute: 5 },
  });
  const unlimited = useSimulator();
  const clients: CcxtClient[] = [];

  beforeEach(() => {
    sim().reset();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  async function clientFrom(venue: VenueName, address: string): Promise<CcxtClient> {
    const client = await bindToAddress(createCcxtClient(venue, sim()), address);
    clients.push(client);
    return client;
  }

  it.each(['binance', 'bybit', 'bitget'] as const)(
    '%s: clients on 127.0.0.2 and 127.0.0.3 each get the whole budget; a second client on 127.0.0.2 shares the first one\'s',
    async (venue) => {
      const first = await clientFrom(venue, '127.0.0.2');
      const elsewhere = await clientFrom(venue, '127.0.0.3');
      const sameHost = await clientFrom(venue, '127.0.0.2');

      for (let i = 0; i < BUDGET; i++) await first.fetchTime();
      for (let i = 0; i < BUDGET; i++) await elsewhere.fetchTime();
      const refused = await errorOf(sameHost.fetchTime());

      expect(refused).toBeInstanceOf(REFUSAL[venue].error);
      expect(refused.message).toContain(REFUSAL[venue].says);
      const statuses = sim().requests({ exchange: venue }).map((entry) => entry.status);
      expect(statuses).toEqual([...Array<number>(2 * BUDGET).fill(200), REFUSAL[venue].status]);
    },
  );

  it('bitget: besides each endpoint\'s budget, an address has one overall budget a minute across every endpoint, and past it recovers in five minutes', async () => {
    const busy = await clientFrom('bitget', '127.0.0.8');
    const quiet = await clientFrom('bitget', '127.0.0.9');
    // Markets from a simulator without these budgets (a load is several requests), so that each
    // call below is one request.
    const markets = (await bitgetClient(unlimited(), undefined)).markets;
    busy.setMarkets(markets);
    quiet.setMarkets(markets);
    for (let i = 0; i < 3; i++) await busy.fetchTime();
    await busy.fetchTicker('BTC/USDT');
    await busy.fetchTicker('BTC/USDT');
    // The ticker endpoint has room for one more this second; the address has none this minute.
    const refused = await errorOf(busy.fetchTicker('BTC/USDT'));
    expect(refused).toBeInstanceOf(ccxt.DDoSProtection);
    expect(busy.last_response_headers?.['Retry-After']).toBe(String(IP_RECOVERY_MS / 1000));
    await expect(quiet.fetchTicker('BTC/USDT')).resolves.toHaveProperty('last');
    // A new minute does not lift it: the address recovers five minutes after it went over.
    clock.advance(40_000);
    expect(await errorOf(busy.fetchTicker('BTC/USDT'))).toBeInstanceOf(ccxt.DDoSProtection);
    clock.advance(IP_RECOVERY_MS - 40_001);
    expect(await errorOf(busy.fetchTime())).toBeInstanceOf(ccxt.DDoSProtection);
    clock.advance(1);
    await expect(busy.fetchTicker('BTC/USDT')).resolves.toHaveProperty('last');
  });

  it('bybit: an address over the IP limit is refused for ten minutes, whatever it asks, while other addresses carry on', async () => {
    const banned = await clientFrom('bybit', '127.0.0.4');
    const neighbour = await clientFrom('bybit', '127.0.0.5');
    for (let i = 0; i < BUDGET; i++) await banned.fetchTime();
    expect(await errorOf(banned.fetchTime())).toBeInstanceOf(ccxt.RateLimitExceeded);

    clock.advance(IP_BAN_MS - 1);
    expect(await errorOf(banned.fetchTicker('BTC/USDT'))).toBeInstanceOf(ccxt.RateLimitExceeded);
    await expect(neighbour.fetchTime()).resolves.toBeGreaterThan(0);
    clock.advance(1);
    await expect(banned.fetchTime()).resolves.toBeGreaterThan(0);
  });
});

describe('a simulator listening on a dual-stack socket', () => {
  it('sees IPv4 clients by their IPv4 address and keeps their budgets apart as on an IPv4 socket', async () => {
    const sim = await startSimulator({ port: 0, host: '::', clock: createManualClock(START), budgets: { binanceWeightPerMinute: 2 } });
    const url = `http://127.0.0.1:${String(sim.port)}`;
    const from = (address: string): Promise<CcxtClient> => bindToAddress(createCcxtClient('binance', { url }), address);
    const first = await from('127.0.0.6');
    const second = await from('127.0.0.6');
    const other = await from('127.0.0.7');
    try {
      await first.fetchTime();
      await second.fetchTime();
      expect(second.last_response_headers?.['X-Mbx-Used-Weight-1m']).toBe('2');
      expect(await errorOf(first.fetchTime())).toBeInstanceOf(ccxt.DDoSProtection);
      await other.fetchTime();
      expect(other.last_response_headers?.['X-Mbx-Used-Weight-1m']).toBe('1');
    } finally {
      await Promise.all([first.close(), second.close(), other.close(), sim.close()]);
    }
  });

  it('turns an IPv4-mapped IPv6 address into the IPv4 address it maps', () => {
    expect(sourceAddress('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(sourceAddress('127.0.0.3')).toBe('127.0.0.3');
    expect(sourceAddress('::1')).toBe('::1');
    expect(sourceAddress('::ffff:7f00:2')).toBe('::ffff:7f00:2');
    expect(sourceAddress(undefined)).toBe('');
  });
});
