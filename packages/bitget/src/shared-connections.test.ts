import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

import { VenueRuntimeRegistry } from '@xport/ccxt';
import type { CcxtExchangeAdapter } from '@xport/ccxt';
import { startSimulator } from '@xport/simulator';
import type { Simulator } from '@xport/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBitgetAdapter } from './create-bitget-adapter';

/** A TCP relay in front of the simulator that counts the connections clients open, by source address. */
async function connectionCounter(target: number): Promise<{ readonly port: number; readonly opened: string[]; close(): Promise<void> }> {
  const opened: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    opened.push(client.remoteAddress ?? '');
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    opened,
    close: async () => {
      // Keep-alive sockets would hold close() open.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

const ADAPTERS = 40;
const IN_FLIGHT = 4;
/**
 * The most requests ever in flight at once: the venue's one market load sends its nine requests
 * (the clock, six contract lists, the spot symbols, the margin currencies) together; afterwards at
 * most IN_FLIGHT. A shared pool opens no more sockets than that, whatever the number of accounts.
 */
const WIDEST = 9;

/** Runs `work` over `items`, at most `limit` at a time, as a venue's fan-out does. */
async function inWaves<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += limit) await Promise.all(items.slice(start, start + limit).map(work));
}

describe('bitget: one keep-alive pool per venue host shared by every account', () => {
  let sim: Simulator;
  let relay: Awaited<ReturnType<typeof connectionCounter>>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 5 });
    relay = await connectionCounter(sim.port);
  });
  afterAll(async () => {
    await relay.close();
    await sim.close();
  });

  async function accounts(options: { readonly sharedConnections?: boolean; readonly localAddress?: string }): Promise<CcxtExchangeAdapter[]> {
    const registry = new VenueRuntimeRegistry();
    const adapters = Array.from({ length: ADAPTERS }, () => {
      const account = sim.accounts.create({ venue: 'bitget', balances: { USDT: '1000' }, positionMode: 'oneway' });
      return createBitgetAdapter({
        apiKey: account.apiKey,
        apiSecret: account.secret,
        passphrase: account.passphrase,
        baseUrl: `http://127.0.0.1:${String(relay.port)}/bitget`,
        positionMode: 'oneway',
        registry,
        ...options,
      });
    });
    await inWaves(adapters, IN_FLIGHT, (adapter) => adapter.initialize());
    return adapters;
  }

  it('many accounts reading their balances open no more connections than the most requests ever in flight', async () => {
    const before = relay.opened.length;
    const adapters = await accounts({});
    await inWaves(adapters, IN_FLIGHT, (adapter) => adapter.getBalances());
    await inWaves(adapters, IN_FLIGHT, (adapter) => adapter.getBalances());
    const opened = relay.opened.length - before;
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThanOrEqual(WIDEST);
  });

  it('sharedConnections false gives each account a pool of its own: one connection or more per account', async () => {
    const before = relay.opened.length;
    const adapters = await accounts({ sharedConnections: false });
    await inWaves(adapters, IN_FLIGHT, (adapter) => adapter.getBalances());
    expect(relay.opened.length - before).toBeGreaterThanOrEqual(ADAPTERS);
  });

  it('a localAddress binds the pool: connections come from that address, one pool per address', async () => {
    const before = relay.opened.length;
    const adapters = await accounts({ localAddress: '127.0.0.2' });
    await inWaves(adapters, IN_FLIGHT, (adapter) => adapter.getBalances());
    const opened = relay.opened.slice(before);
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.length).toBeLessThanOrEqual(WIDEST);
    expect(new Set(opened)).toEqual(new Set(['127.0.0.2']));
  });
});
