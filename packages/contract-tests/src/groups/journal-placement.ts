import { Decimal, IdempotencyConflictError, InsufficientBalanceError, journalOrderRequest, JournalUnavailableError, MemoryOrderJournal, OrderStatusUnknownError } from '@xport/core';
import type { JournalKey, OrderJournal } from '@xport/core';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import type { ContractJournalOptions } from '../contract-options';
import { expectOrderMatchesLedger, expectRejection, ledgerOrders } from '../expectations';

const SPOT_QUANTITY = new Decimal('0.01');
const ACCOUNT = 'follower-7';
const LEASE_MS = 60_000;

/** The account's order submissions (create or place) the simulator received. */
function orderPosts(ctx: ContractContext, apiKey: string): number {
  return ctx.requests(apiKey).filter((entry) => entry.method === 'POST' && /order/i.test(entry.path)).length;
}

/** A store whose `settle` fails: a process that died after the venue answered, before it recorded the outcome. */
function crashingBeforeSettle(store: OrderJournal): OrderJournal {
  return {
    begin: (intent, claim) => store.begin(intent, claim),
    settle: () => Promise.reject(new Error('process killed before settle')),
    get: (key) => store.get(key),
    pending: (query) => store.pending(query),
    list: (query) => store.list(query),
    close: () => store.close(),
  };
}

/**
 * Placement with an order journal: what an earlier call (in this process or a dead one) recorded
 * decides whether anything is sent, and every venue holds one order per intended order whatever
 * its client order id rule.
 */
export function describeJournalPlacement<Registry>(ctx: ContractContext<Registry>): void {
  const journalOf = (store: OrderJournal, extra: Partial<ContractJournalOptions> = {}): { journal: ContractJournalOptions } => ({
    journal: { store, account: ACCOUNT, leaseMs: LEASE_MS, ...extra },
  });
  const newStore = (): MemoryOrderJournal => new MemoryOrderJournal({ clock: ctx.clock });
  const keyOf = (clientOrderId: string): JournalKey => ({ exchange: ctx.name, account: ACCOUNT, clientOrderId });

  describe('orders placed through an order journal', () => {
    ctx.test('a re-run through a new adapter (a restarted process) returns every recorded order from the journal, with zero requests', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' }, journalOf(store));
      const futuresQuantity = ctx.orderQuantity('futures');
      const run = (port: typeof adapter) => [
        () => port.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { idempotencyKey: 's1:buy' }),
        () => port.executeFuturesLong(CONTRACT_SYMBOL, futuresQuantity, 5, { idempotencyKey: 's2:long' }),
        () => port.closeFuturesPosition(CONTRACT_SYMBOL, 'long', { idempotencyKey: 's3:close' }),
      ];
      const first = [];
      for (const step of run(adapter)) first.push(await step());
      expect(first.map((result) => result.origin)).toEqual(['placed', 'placed', 'placed']);
      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(3);
      first.forEach((result, index) => {
        expectOrderMatchesLedger(result, orders[index] ?? expect.fail('no order'));
      });

      const restarted = ctx.createAdapter(account, { ...ctx.separateRegistry(), ...journalOf(store) });
      const before = ctx.sim.requests().length;
      const again = [];
      for (const step of run(restarted)) again.push(await step());

      expect(ctx.sim.requests().slice(before), 'a journal hit sends nothing, not even a market load').toEqual([]);
      expect(again.map((result) => result.origin)).toEqual(['journal', 'journal', 'journal']);
      expect(again.map((result) => ({ ...result.toJSON(), origin: 'placed' }))).toEqual(first.map((result) => result.toJSON()));
      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(3);
    });

    ctx.test('an order whose process died before recording it is found by a new process and not sent again, even where the venue accepts the id again', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({}, journalOf(crashingBeforeSettle(store)));
      const placed = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-crash-1' });
      expect(ctx.logger.events()).toContain('exchange.journal.settle_failed');
      expect((await store.get(keyOf('journal-crash-1')))?.state, 'left pending').toBe('pending');
      ctx.clock.advance(LEASE_MS + 1);

      const restarted = ctx.createAdapter(account, { ...ctx.separateRegistry(), ...journalOf(store) });
      const posts = orderPosts(ctx, account.apiKey);
      const recovered = await restarted.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-crash-1' });

      expect(orderPosts(ctx, account.apiKey), 'no order sent by the new process').toBe(posts);
      expect(recovered.origin).toBe('recovered');
      expect(recovered.orderId).toBe(placed.orderId);
      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(1);
      expectOrderMatchesLedger(recovered, orders[0] ?? expect.fail('no order'));
      expect((await store.get(keyOf('journal-crash-1')))?.state).toBe('placed');
    });

    ctx.test('an entry left pending whose order never reached the venue is looked up, found absent, and sent once with the same id', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({}, journalOf(store));
      const request = journalOrderRequest({ operation: 'executeSpotBuy', symbol: CONTRACT_SYMBOL, quantity: SPOT_QUANTITY });
      await store.begin({ key: keyOf('journal-absent-1'), request }, { owner: 'dead-process', leaseMs: 1_000 });
      ctx.clock.advance(1_001);
      const lookupsBefore = ctx.requests(account.apiKey).length;

      const result = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-absent-1' });

      expect(result.origin).toBe('placed');
      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(1);
      expect(orders[0]?.clientOrderId).toBe('journal-absent-1');
      expectOrderMatchesLedger(result, orders[0] ?? expect.fail('no order'));
      expect(ctx.requests(account.apiKey).length - lookupsBefore, 'looked up before sending').toBeGreaterThan(1);
      expect((await store.get(keyOf('journal-absent-1')))?.state).toBe('placed');
    });

    ctx.test('a placement longer than a third of the lease renews its claim, so no other process can take it over meanwhile', async () => {
      const store = newStore();
      // Lookups spread over 30 s before the send: the claim is renewed on the way (lease 60 s).
      const { account, adapter } = await ctx.setup({}, { timeoutMs: 1_000, placement: { visibilityMs: 30_000 }, ...journalOf(store) });
      const request = journalOrderRequest({ operation: 'executeSpotBuy', symbol: CONTRACT_SYMBOL, quantity: SPOT_QUANTITY });
      await store.begin({ key: keyOf('journal-renew-1'), request }, { owner: 'dead-process', leaseMs: 1_000 });
      ctx.clock.advance(1_001);

      const result = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-renew-1' });

      expect(ctx.logger.events()).toContain('exchange.journal.renewed');
      const entry = await store.get(keyOf('journal-renew-1'));
      expect(entry?.state).toBe('placed');
      expect(entry?.claims, 'the dead claim, this one, and at least one renewal').toBeGreaterThanOrEqual(3);
      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(1);
      expectOrderMatchesLedger(result, orders[0] ?? expect.fail('no order'));
    });

    ctx.test('a claim that cannot be renewed stops the placement: OrderStatusUnknownError, nothing sent, the entry left for a lookup', async () => {
      const store = newStore();
      let begins = 0;
      const failingRenewal: OrderJournal = {
        ...crashingBeforeSettle(store),
        begin: (intent, claim) => {
          begins += 1;
          return begins === 1 ? store.begin(intent, claim) : Promise.reject(new Error('journal database went away'));
        },
        settle: (key, outcome, options) => store.settle(key, outcome, options),
      };
      const { account, adapter } = await ctx.setup({}, { timeoutMs: 1_000, placement: { visibilityMs: 30_000 }, ...journalOf(failingRenewal) });
      const request = journalOrderRequest({ operation: 'executeSpotBuy', symbol: CONTRACT_SYMBOL, quantity: SPOT_QUANTITY });
      await store.begin({ key: keyOf('journal-renew-2'), request }, { owner: 'dead-process', leaseMs: 1_000 });
      ctx.clock.advance(1_001);

      const error = await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-renew-2' }), OrderStatusUnknownError);

      expect((error as OrderStatusUnknownError).clientOrderId).toBe('journal-renew-2');
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
      expect(orderPosts(ctx, account.apiKey)).toBe(0);
      expect((await store.get(keyOf('journal-renew-2')))?.state, 'recorded unknown: the next claim looks it up').toBe('unknown');
    });

    ctx.test('an order the venue refused is recorded refused and sent again on the next call', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({ balances: { USDT: '1' }, futuresBalances: {} }, journalOf(store));
      await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-refused-1' }), InsufficientBalanceError);
      const entry = await store.get(keyOf('journal-refused-1'));
      expect(entry?.state).toBe('refused');
      expect(entry?.outcome).toMatchObject({ state: 'refused', errorClass: 'InsufficientBalanceError' });
      const posts = orderPosts(ctx, account.apiKey);

      await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-refused-1' }), InsufficientBalanceError);

      expect(orderPosts(ctx, account.apiKey), 'a refusal consumed nothing: the order was sent again').toBeGreaterThan(posts);
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
      expect((await store.get(keyOf('journal-refused-1')))?.claims).toBe(2);
    });

    ctx.test('a journal that cannot claim the order is JournalUnavailableError and nothing is sent', async () => {
      const store = newStore();
      const broken: OrderJournal = { ...crashingBeforeSettle(store), begin: () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error')) };
      const { account, adapter } = await ctx.setup({}, journalOf(broken));
      const before = ctx.sim.requests().length;

      const error = await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-down-1' }), JournalUnavailableError);

      expect((error as JournalUnavailableError).retryable, 'nothing was sent, so the call may be made again').toBe(true);
      expect(ctx.sim.requests().slice(before)).toEqual([]);
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('an order another live process holds is not sent: OrderStatusUnknownError naming the client order id', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({}, journalOf(store));
      const request = journalOrderRequest({ operation: 'executeSpotBuy', symbol: CONTRACT_SYMBOL, quantity: SPOT_QUANTITY });
      await store.begin({ key: keyOf('journal-busy-1'), request }, { owner: 'other-process', leaseMs: LEASE_MS });
      const before = ctx.sim.requests().length;

      const error = await expectRejection(adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-busy-1' }), OrderStatusUnknownError);

      expect((error as OrderStatusUnknownError).clientOrderId).toBe('journal-busy-1');
      expect((error as Error).message).toMatch(/another process/);
      expect(ctx.sim.requests().slice(before)).toEqual([]);
      expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);
    });

    ctx.test('a sell under a buy\'s client order id is IdempotencyConflictError: nothing sent, the ledger holds only the buy', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({}, journalOf(store));
      const buy = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-conflict-1' });
      const before = ctx.sim.requests().length;

      await expectRejection(adapter.executeSpotSell(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-conflict-1' }), IdempotencyConflictError);

      expect(ctx.sim.requests().slice(before)).toEqual([]);
      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders.map((order) => order.side)).toEqual(['buy']);
      expectOrderMatchesLedger(buy, orders[0] ?? expect.fail('no order'));
    });

    ctx.test('an ETH buy under a BTC order\'s client order id is IdempotencyConflictError, with zero requests', async () => {
      const store = newStore();
      const { account, adapter } = await ctx.setup({}, journalOf(store));
      await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'journal-conflict-2' });
      const before = ctx.sim.requests().length;

      await expectRejection(adapter.executeSpotBuy('ETHUSDT', ctx.orderQuantity('spot', 'ETHUSDT'), { clientOrderId: 'journal-conflict-2' }), IdempotencyConflictError);

      expect(ctx.sim.requests().slice(before)).toEqual([]);
      expect(ledgerOrders(ctx, account.apiKey).map((order) => order.symbol)).toEqual(['BTCUSDT']);
    });
  });

  describe('orders found under their client order id, without a journal', () => {
    ctx.test('a sell under a buy\'s client order id is never reported as a filled sell it is not', async () => {
      // Bybit refuses the reused id and the order found under it is a buy: IdempotencyConflictError.
      // Binance and Bitget accept a filled order's id again, so there the sell is a real new order.
      const { account, adapter } = await ctx.setup();
      const buy = await adapter.executeSpotBuy(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'reused-id-1' });

      const outcome = await adapter.executeSpotSell(CONTRACT_SYMBOL, SPOT_QUANTITY, { clientOrderId: 'reused-id-1' }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );

      const orders = ledgerOrders(ctx, account.apiKey);
      if ('error' in outcome) {
        expect(IdempotencyConflictError.isInstance(outcome.error), `expected IdempotencyConflictError, got ${String(outcome.error)}`).toBe(true);
        expect(orders.map((order) => order.orderId)).toEqual([buy.orderId]);
      } else {
        expect(outcome.result.orderId).not.toBe(buy.orderId);
        expect(orders).toHaveLength(2);
        expectOrderMatchesLedger(outcome.result, orders[1] ?? expect.fail('no sell'));
      }
    });
  });
}
