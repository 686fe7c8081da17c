import { IdempotencyConflictError, InvalidOrderError, MemoryOrderJournal, PositionNotFoundError } from '@xport/core';
import type { Decimal, PositionSide } from '@xport/core';
import type { LedgerOrder } from '@xport/simulator';
import { describe, expect } from 'vitest';

import type { ContractContext } from '../contract-context';
import { CONTRACT_SYMBOL } from '../contract-context';
import type { ContractJournalOptions } from '../contract-options';
import { expectOrderMatchesLedger, expectRejection, ledgerOrder, ledgerOrders } from '../expectations';
import { toDecimal } from '../market-fixtures';
import { openLegs, summariseLegs } from '../wallets';

type Mode = 'oneway' | 'hedge';

/** The leg side the simulator keeps a position under: `both` in one-way mode. */
const legSide = (mode: Mode, positionSide: PositionSide): string => (mode === 'oneway' ? 'both' : positionSide);

/** What the reduce realised, from the ledger's own prices: (exit − entry) × quantity, signed by the leg. */
function expectedPnl(open: LedgerOrder, reduce: LedgerOrder, positionSide: PositionSide): Decimal {
  const move = toDecimal(reduce.price).minus(toDecimal(open.price));
  return (positionSide === 'long' ? move : move.neg()).times(toDecimal(reduce.quantity));
}

/**
 * `reduceFuturesPosition`: a reduce-only market order for part of one leg, in one-way and hedge
 * mode. The simulator's ledger and positions say what happened: the leg shrinks by exactly the
 * (step-floored) quantity, the order realises its share of the PnL and pays its fee, and what the
 * leg cannot take is refused before any order is sent.
 */
export function describePartialCloses<Registry>(ctx: ContractContext<Registry>, skipHedge: boolean): void {
  const quantity = (): Decimal => ctx.orderQuantity('futures');
  const step = (): Decimal => toDecimal(ctx.instrument('futures').stepSize);

  for (const mode of ['oneway', 'hedge'] as const) {
    describe.skipIf(mode === 'hedge' && skipHedge)(`partial closes in ${mode === 'oneway' ? 'one-way' : 'hedge'} mode`, () => {
      for (const positionSide of ['long', 'short'] as const) {
        ctx.test(`reducing a ${positionSide} shrinks the leg by exactly the quantity, and the order realises its PnL and pays its fee`, async () => {
          const { account, adapter } = await ctx.setup({ positionMode: mode });
          const size = quantity();
          const opened = positionSide === 'long' ? await adapter.executeFuturesLong(CONTRACT_SYMBOL, size.mul(3), 5) : await adapter.executeFuturesShort(CONTRACT_SYMBOL, size.mul(3), 5);
          ctx.sim.prices.set(CONTRACT_SYMBOL, ctx.markPrice().mul('1.02'), ctx.name);

          const reduced = await adapter.reduceFuturesPosition(CONTRACT_SYMBOL, positionSide, size);

          const order = ledgerOrder(ctx, account.apiKey, reduced.orderId);
          expect(order).toMatchObject({ market: 'futures', side: positionSide === 'long' ? 'sell' : 'buy', status: 'filled' });
          if (mode === 'oneway') expect(order.reduceOnly).toBe(true);
          else expect(order.positionSide).toBe(positionSide);
          expect(toDecimal(order.quantity).toFixed()).toBe(size.toFixed());
          expectOrderMatchesLedger(reduced, order);
          expect(reduced).toMatchObject({ reduceOnly: true, positionSide, origin: 'placed' });
          const pnl = expectedPnl(ledgerOrder(ctx, account.apiKey, opened.orderId), order, positionSide);
          expect(pnl.isZero(), 'the price moved, so the reduce realises something').toBe(false);
          expect(toDecimal(order.realisedPnl).toFixed()).toBe(pnl.toFixed());
          expect(toDecimal(order.fee).gt(0), 'the reduce pays a fee').toBe(true);
          const legs = openLegs(ctx, account.apiKey);
          expect(summariseLegs(legs)).toEqual([{ direction: positionSide, size: size.mul(2).toFixed(), leverage: 5, side: legSide(mode, positionSide) }]);
          expect(toDecimal(legs[0]?.realisedPnl ?? 0).toFixed(), 'the leg books what the reduce realised').toBe(pnl.toFixed());
        });
      }

      ctx.test('getFuturesPosition reads the leg the simulator holds, zero for a side with nothing open', async () => {
        const { account, adapter } = await ctx.setup({ positionMode: mode });
        const size = quantity();
        expect((await adapter.getFuturesPosition(CONTRACT_SYMBOL, 'long')).toFixed()).toBe('0');
        await adapter.executeFuturesShort(CONTRACT_SYMBOL, size.mul(3), 5);

        const [leg] = openLegs(ctx, account.apiKey);
        expect((await adapter.getFuturesPosition(CONTRACT_SYMBOL, 'short')).toFixed()).toBe(toDecimal(leg?.size ?? '0').toFixed());
        expect((await adapter.getFuturesPosition(CONTRACT_SYMBOL, 'long')).toFixed()).toBe('0');
        expect(ledgerOrders(ctx, account.apiKey), 'a read places nothing').toHaveLength(1);
      });

      ctx.test('the quantity is floored to the symbol step, as an open is', async () => {
        const { account, adapter } = await ctx.setup({ positionMode: mode });
        const size = quantity();
        await adapter.executeFuturesLong(CONTRACT_SYMBOL, size.mul(3), 5);

        const reduced = await adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size.plus(step().div(2)));

        expect(toDecimal(ledgerOrder(ctx, account.apiKey, reduced.orderId).quantity).toFixed()).toBe(size.toFixed());
        expect(reduced.requestedQuantity.toFixed()).toBe(size.toFixed());
        expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.mul(2).toFixed(), leverage: 5, side: legSide(mode, 'long') }]);
      });

      ctx.test('reducing by the whole leg flattens it', async () => {
        const { account, adapter } = await ctx.setup({ positionMode: mode });
        const size = quantity();
        await adapter.executeFuturesShort(CONTRACT_SYMBOL, size, 5);

        const reduced = await adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'short', size);

        expectOrderMatchesLedger(reduced, ledgerOrder(ctx, account.apiKey, reduced.orderId));
        expect(openLegs(ctx, account.apiKey)).toEqual([]);
      });

      ctx.test('a quantity larger than the leg is InvalidOrderError naming quantity, and no order reaches the ledger', async () => {
        const { account, adapter } = await ctx.setup({ positionMode: mode });
        const size = quantity();
        await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);

        const error = await expectRejection(adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size.plus(step())), InvalidOrderError);

        expect(error).toMatchObject({ exchange: ctx.name, field: 'quantity' });
        expect((error as InvalidOrderError).expected).toContain(size.toFixed());
        expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
        expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.toFixed(), leverage: 5, side: legSide(mode, 'long') }]);
      });

      ctx.test('reducing a leg that is not open is PositionNotFoundError, and leaves the open one alone', async () => {
        const { account, adapter } = await ctx.setup({ positionMode: mode });
        const size = quantity();

        await expectRejection(adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size), PositionNotFoundError);
        expect(ledgerOrders(ctx, account.apiKey)).toEqual([]);

        await adapter.executeFuturesLong(CONTRACT_SYMBOL, size, 5);
        const error = await expectRejection(adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'short', size), PositionNotFoundError);

        expect(error).toMatchObject({ exchange: ctx.name, positionSide: 'short' });
        expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(1);
        expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.toFixed(), leverage: 5, side: legSide(mode, 'long') }]);
      });

      if (mode === 'hedge') {
        ctx.test('reducing one leg leaves the other leg untouched', async () => {
          const { account, adapter } = await ctx.setup({ positionMode: mode });
          const size = quantity();
          await adapter.executeFuturesLong(CONTRACT_SYMBOL, size.mul(2), 5);
          await adapter.executeFuturesShort(CONTRACT_SYMBOL, size.mul(3), 5);

          const reduced = await adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'short', size);

          expect(ledgerOrder(ctx, account.apiKey, reduced.orderId)).toMatchObject({ side: 'buy', positionSide: 'short' });
          const legs = summariseLegs(openLegs(ctx, account.apiKey)).sort((a, b) => a.side.localeCompare(b.side));
          expect(legs).toEqual([
            { direction: 'long', size: size.mul(2).toFixed(), leverage: 5, side: 'long' },
            { direction: 'short', size: size.mul(2).toFixed(), leverage: 5, side: 'short' },
          ]);
        });
      }
    });
  }

  describe('partial closes are placed exactly once', () => {
    ctx.test('a reduce executed but answered with a 5xx is found by its client order id, not sent again', async () => {
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' });
      const size = quantity();
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, size.mul(3), 5);
      ctx.sim.faults.add({ kind: 'commitThenFail', exchange: ctx.name, apiKey: account.apiKey, count: 1, mode: 'error5xx' });

      const reduced = await adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size);

      const orders = ledgerOrders(ctx, account.apiKey);
      expect(orders).toHaveLength(2);
      expectOrderMatchesLedger(reduced, orders[1] ?? expect.fail('no reduce order'));
      expect(ctx.requests(account.apiKey).filter((entry) => entry.fault === 'commitThenFail'), 'the fault hit the reduce').toHaveLength(1);
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.mul(2).toFixed(), leverage: 5, side: 'both' }]);
    });

    ctx.test('a reduce replayed through the order journal by a restarted process is returned from the journal, with zero requests', async () => {
      const store = new MemoryOrderJournal({ clock: ctx.clock });
      const journal = (): { journal: ContractJournalOptions } => ({ journal: { store, account: 'follower-reduce', leaseMs: 60_000 } });
      const { account, adapter } = await ctx.setup({ positionMode: 'oneway' }, journal());
      const size = quantity();
      await adapter.executeFuturesLong(CONTRACT_SYMBOL, size.mul(3), 5, { idempotencyKey: 'signal-1:open' });
      const first = await adapter.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size, { idempotencyKey: 'signal-2:reduce' });
      expect(first.origin).toBe('placed');

      const restarted = ctx.createAdapter(account, { ...ctx.separateRegistry(), ...journal() });
      const before = ctx.sim.requests().length;
      const again = await restarted.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size, { idempotencyKey: 'signal-2:reduce' });

      expect(ctx.sim.requests().slice(before), 'a journal hit sends nothing').toEqual([]);
      expect(again.origin).toBe('journal');
      expect({ ...again.toJSON(), origin: 'placed' }).toEqual(first.toJSON());
      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(2);
      expect(summariseLegs(openLegs(ctx, account.apiKey))).toEqual([{ direction: 'long', size: size.mul(2).toFixed(), leverage: 5, side: 'both' }]);

      // The key names that reduce: another quantity under it is a conflict, and nothing is sent.
      await expectRejection(restarted.reduceFuturesPosition(CONTRACT_SYMBOL, 'long', size.mul(2), { idempotencyKey: 'signal-2:reduce' }), IdempotencyConflictError);
      expect(ledgerOrders(ctx, account.apiKey)).toHaveLength(2);
    });
  });
}
