import type { Exchange } from 'ccxt';
import { afterEach, beforeEach } from 'vitest';
import { WebSocket } from 'ws';
import type { VenueName } from '../contract';
import { createManualClock, type ManualClock } from '../engine-clock';
import type { SimAccount } from '../engine-account';
import type { Simulator } from '../start-simulator';
import { createAccount, type TestAccountOverrides } from './accounts';
import { startTestSimulator } from './simulator';

/** A raw WebSocket client of a simulator stream: every text message it received, and whether it closed. */
export interface RawStream {
  readonly ws: WebSocket;
  readonly messages: string[];
  readonly closed: () => boolean;
}

export interface StreamRig {
  readonly sim: Simulator;
  /** Follows the wall clock (ccxt signs with it) but fires timers only when advanced. */
  readonly clock: ManualClock;
  /** A fresh account on the venue, with the overrides given. */
  readonly account: SimAccount;
  /** Closes `client` after the test. */
  track<T extends Exchange>(client: T): T;
  /** Opens `ws://<sim>/<venue><path>`, closed after the test. */
  raw(path: string, options?: { readonly autoPong?: boolean }): Promise<RawStream>;
  /** Starts the simulator over with other options (a new clock and account). */
  restart(options?: { readonly streamKeepAlive?: boolean }): Promise<void>;
}

/**
 * A simulator per test on a manual clock, with one account on `venue` and `prices` set, for the
 * stream tests; clients and sockets opened through it are closed after each test.
 */
export function useStreamRig(venue: VenueName, accountOverrides: TestAccountOverrides, prices: Readonly<Record<string, string>>): StreamRig {
  let sim: Simulator | undefined;
  let clock: ManualClock | undefined;
  let account: SimAccount | undefined;
  const clients: Exchange[] = [];
  const sockets: WebSocket[] = [];
  const boot = async (options: { readonly streamKeepAlive?: boolean } = {}): Promise<void> => {
    clock = createManualClock(() => Date.now());
    sim = await startTestSimulator({ clock, ...options });
    for (const [symbol, price] of Object.entries(prices)) sim.prices.set(symbol, price, venue);
    account = createAccount(sim, venue, accountOverrides);
  };
  beforeEach(async () => {
    await boot();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const socket of sockets.splice(0)) socket.terminate();
    await sim?.close();
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useStreamRig(): read the rig inside a test');
    return value;
  };
  return {
    get sim() {
      return need(sim);
    },
    get clock() {
      return need(clock);
    },
    get account() {
      return need(account);
    },
    track: (client) => {
      clients.push(client);
      return client;
    },
    raw: async (path, options = {}) => {
      const ws = new WebSocket(`${need(sim).url.replace('http', 'ws')}/${venue}${path}`, { autoPong: options.autoPong ?? true });
      sockets.push(ws);
      const messages: string[] = [];
      let closed = false;
      ws.on('message', (data: Buffer) => messages.push(data.toString()));
      ws.on('close', () => {
        closed = true;
      });
      await new Promise((resolve) => ws.once('open', resolve));
      return { ws, messages, closed: () => closed };
    },
    restart: async (options) => {
      await need(sim).close();
      await boot(options);
    },
  };
}
