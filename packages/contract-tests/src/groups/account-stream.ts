import { AdapterClosedError, ConfigurationError, isAccountStreamPort } from '@xport/core';
import type { AccountEvent, AccountFill, AccountStream, AccountStreamPort, ExchangePort, MarketType } from '@xport/core';
import type { LedgerOrder, SimAccount } from '@xport/simulator';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import { ledgerOrders } from '../expectations';
import { toDecimal } from '../market-fixtures';

/** Real time for the stream's waits: its backoff and keep-alive timers must not run instantly. */
const realClock = { now: (): number => Date.now(), sleep: (ms: number, signal?: AbortSignal): Promise<void> => sleepFor(ms, signal) };

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reads a stream in the background, keeping every event, until it ends. */
class Collector {
  readonly events: AccountEvent[] = [];
  readonly done: Promise<unknown>;

  constructor(stream: AccountStream) {
    this.done = (async (): Promise<unknown> => {
      try {
        for await (const event of stream) this.events.push(event);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
  }

  get fills(): AccountFill[] {
    return this.events.filter((event): event is AccountFill => event.type === 'fill');
  }

  /** Waits (real time, polled, a wide margin for a loaded machine) until `count` fills arrived. */
  async waitForFills(count: number, timeoutMs = 60_000): Promise<void> {
    await waitUntil(() => this.fills.length >= count, () => `${this.fills.length} of ${count} fills`, timeoutMs);
  }
}

/** Waits (real time, polled, a wide margin for a loaded machine) until `done()` holds. */
async function waitUntil(done: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`account stream: ${what()} after ${timeoutMs} ms`);
    await sleepFor(50);
  }
}

function streamPort(adapter: ExchangePort): AccountStreamPort {
  if (!isAccountStreamPort(adapter)) throw new Error(`${adapter.exchange}: the adapter does not implement AccountStreamPort`);
  return adapter;
}

/** Each delivered fill against the ledger: one fill per executed order (the simulator fills a market order whole, at one price). */
function expectFillsMatchLedger(fills: readonly AccountFill[], ledger: readonly LedgerOrder[]): void {
  const byOrder = new Map(fills.map((fill) => [fill.orderId, fill]));
  expect(fills.map((fill) => fill.orderId).sort(), 'every executed order arrived once, nothing else').toEqual(ledger.map((order) => order.orderId).sort());
  expect(new Set(fills.map((fill) => `${fill.marketType}:${fill.tradeId}`)).size, 'no trade id twice').toBe(fills.length);
  for (const order of ledger) {
    const fill = byOrder.get(order.orderId);
    expect(fill, `order ${order.orderId}`).toBeDefined();
    if (fill === undefined) continue;
    expect({ side: fill.side, market: fill.marketType, symbol: fill.symbol.replace('/', '') }).toEqual({ side: order.side, market: order.market, symbol: order.symbol.replace('/', '') });
    expect(fill.quantity.toFixed(), `order ${order.orderId} quantity`).toBe(toDecimal(order.quantity).toFixed());
    expect(fill.price.toFixed(), `order ${order.orderId} price`).toBe(toDecimal(order.price).toFixed());
    if (fill.clientOrderId !== undefined) expect(fill.clientOrderId).toBe(order.clientOrderId);
  }
}

/**
 * `accountStream` (AccountStreamPort): the account's fills and order updates, each fill exactly
 * once — checked against the simulator's ledger, not the adapter — across forced disconnects in the
 * middle of a run of fills. Orders are placed by a second adapter on the same account, as another
 * process of the account's owner would.
 */
export function describeAccountStream<Registry>(ctx: ContractContext<Registry>, skip: boolean): void {
  const markets: readonly { readonly symbol: string; readonly market: MarketType }[] = [
    { symbol: CONTRACT_SYMBOL, market: 'spot' },
    { symbol: CONTRACT_SYMBOL, market: 'futures' },
  ];

  async function open(account: SimAccount): Promise<{ stream: AccountStream; collector: Collector; watcher: ExchangePort; trader: ExchangePort }> {
    const watcher = ctx.createAdapter(account, { clock: realClock });
    const trader = ctx.createAdapter(account);
    await Promise.all([watcher.initialize(), trader.initialize()]);
    // From a little before now: the stream reads what it missed from here, whenever it connects.
    const stream = streamPort(watcher).accountStream({ markets, since: Date.now() - 1_000 });
    return { stream, collector: new Collector(stream), watcher, trader };
  }

  /** Waits for `count` fills, leaves time for late repeats, closes, and checks the fills against the ledger. */
  async function finish(run: { readonly stream: AccountStream; readonly collector: Collector }, count: number, account: SimAccount): Promise<void> {
    await run.collector.waitForFills(count);
    // Late repeats (a recovery overlapping the socket) would show up now.
    await sleepFor(1_500);
    await run.stream.close();
    expect(await run.collector.done).toBeUndefined();
    expectFillsMatchLedger(run.collector.fills, ledgerOrders(ctx, account.apiKey));
  }

  async function trade(trader: ExchangePort, index: number): Promise<void> {
    if (index % 2 === 0) await trader.executeSpotBuy(CONTRACT_SYMBOL, ctx.orderQuantity('spot'));
    else await trader.executeFuturesLong(CONTRACT_SYMBOL, ctx.orderQuantity('futures'), 5);
  }

  describe.skipIf(skip)('account stream', () => {
    ctx.test(
      'fills placed by another adapter arrive once each, as the ledger has them, spot and futures',
      async () => {
        const account = ctx.createAccount();
        const run = await open(account);
        const { collector, trader } = run;

        for (let index = 0; index < 6; index += 1) await trade(trader, index);
        await finish(run, 6, account);

        const futures = collector.fills.filter((fill) => fill.marketType === 'futures');
        expect(futures.every((fill) => fill.positionSide === undefined || fill.positionSide === 'long')).toBe(true);
      },
      120_000,
    );

    ctx.test(
      'forced disconnects in the middle of a run of fills: every fill delivered exactly once, none missed',
      async () => {
        const account = ctx.createAccount();
        const run = await open(account);
        const total = 24;
        let disconnects = 0;

        const connects = (): number => ctx.events.filter((event) => event.name === 'exchange.stream.connected').length;

        for (let index = 0; index < total; index += 1) {
          await trade(run.trader, index);
          if (index % 4 === 1) {
            // Each disconnect cuts a live socket: a fault while the stream is still reconnecting
            // from the one before would cut nothing. Fills keep coming while it reconnects.
            await waitUntil(() => connects() > disconnects, () => `${connects()} connects for ${disconnects} disconnects`);
            ctx.sim.faults.add({ kind: 'streamDisconnect', exchange: ctx.name });
            disconnects += 1;
          }
        }
        await finish(run, total, account);

        expect(connects(), 'the stream reconnected after the disconnects').toBeGreaterThan(disconnects / 2);
      },
      180_000,
    );

    ctx.test(
      'fills the venue never pushed (a silent stream) arrive through the recovery read after the reconnect, once',
      async () => {
        const account = ctx.createAccount();
        const run = await open(account);
        const { collector, trader } = run;
        await trade(trader, 0);
        await collector.waitForFills(1);

        // While silent the simulator drops every event and pong: these fills are never pushed.
        ctx.sim.faults.add({ kind: 'streamSilence', exchange: ctx.name, ms: 60_000 });
        for (let index = 1; index <= 4; index += 1) await trade(trader, index);
        ctx.sim.faults.clear();
        ctx.sim.faults.add({ kind: 'streamDisconnect', exchange: ctx.name });
        await finish(run, 5, account);

        const recovered = ctx.events
          .filter((event) => event.name === 'exchange.stream.recovered')
          .reduce((sum, event) => sum + Number(event.fields.delivered), 0);
        expect(recovered, 'the four silent fills came from the recovery read').toBeGreaterThanOrEqual(4);
      },
      120_000,
    );

    ctx.test(
      "close() ends the iteration, and the adapter's close() ends its streams",
      async () => {
        const account = ctx.createAccount();
        const { stream, collector, watcher } = await open(account);
        await stream.close();
        expect(await collector.done).toBeUndefined();

        const second = streamPort(watcher).accountStream({ markets });
        const reading = new Collector(second);
        await watcher.close();
        expect(await reading.done).toBeUndefined();
        expect(() => streamPort(watcher).accountStream({ markets })).toThrow(AdapterClosedError);
      },
      60_000,
    );

    ctx.test('bad options are refused with a ConfigurationError naming the field, before anything connects', async () => {
      const { adapter, account } = await ctx.setup();
      const from = ctx.sim.requests({ apiKey: account.apiKey }).length;
      const port = streamPort(adapter);
      for (const [options, field] of [
        [{ markets: [] }, 'options.markets'],
        [{ markets: [{ symbol: CONTRACT_SYMBOL, market: 'margin' }] }, 'options.markets[0].market'],
        [{ markets, dedupeWindow: 1 }, 'options.dedupeWindow'],
      ] as const) {
        let caught: unknown;
        try {
          port.accountStream(options as never);
        } catch (error) {
          caught = error;
        }
        expect(ConfigurationError.isInstance(caught), JSON.stringify(options)).toBe(true);
        expect((caught as ConfigurationError).field).toBe(field);
      }
      expect(ctx.sim.requests({ apiKey: account.apiKey }).length).toBe(from);
    });
  });
}
