import { Decimal, IdempotencyConflictError, InvalidOrderError, InvalidValueError, JournalOwnershipError, journalOrderRequest } from '@xport/core';
import type { BeginResult, JournalEntry, JournalIntent, PendingJournalEntry } from '@xport/core';
import { describe, expect, it } from 'vitest';

import { expectRejection } from '../expectations';
import type { OrderJournalContractContext } from './journal-contract-context';
import { CONTRACT_LEASE_MS, CONTRACT_START_MS } from './journal-contract-context';
import { CONTRACT_REQUESTS, contractIntent, placedOrderFor, placedOutcomeFor } from './journal-fixtures';

const ALICE = { owner: 'alice', leaseMs: CONTRACT_LEASE_MS };
const BOB = { owner: 'bob', leaseMs: CONTRACT_LEASE_MS };

/** The entry a claim returned; fails the test on any other answer. */
export function claimedEntry(result: BeginResult): PendingJournalEntry {
  if (result.kind !== 'claimed') expect.fail(`expected "claimed", got ${JSON.stringify(result)}`);
  return result.entry;
}

/** Claims `intent` for alice and settles it with `outcome` (default: placed). */
export async function settledEntry(ctx: OrderJournalContractContext, intent: JournalIntent, outcome: 'placed' | 'refused' | 'unknown' = 'placed'): Promise<JournalEntry> {
  claimedEntry(await ctx.journal.begin(intent, ALICE));
  const recorded =
    outcome === 'placed'
      ? placedOutcomeFor(intent)
      : outcome === 'refused'
        ? { state: 'refused' as const, errorClass: 'InsufficientBalanceError', code: '-2010', message: 'Account has insufficient balance for requested action.' }
        : { state: 'unknown' as const, reason: 'no answer within the reconciliation budget' };
  return ctx.journal.settle(intent.key, recorded, { owner: ALICE.owner });
}

/** begin / settle: every transition of one key, on the injected clock. */
export function describeClaims(ctx: OrderJournalContractContext): void {
  describe('claims and outcomes', () => {
    it('claims a new key: pending, owned, leased until now + leaseMs, and committed', async () => {
      const intent = contractIntent(1);
      const result = await ctx.journal.begin(intent, ALICE);
      expect(result).toEqual({
        kind: 'claimed',
        previous: undefined,
        entry: {
          key: intent.key,
          request: intent.request,
          state: 'pending',
          outcome: undefined,
          owner: 'alice',
          leaseExpiresAt: CONTRACT_START_MS + CONTRACT_LEASE_MS,
          claims: 1,
          createdAt: CONTRACT_START_MS,
          updatedAt: CONTRACT_START_MS,
        },
      });
      expect(await ctx.journal.get(intent.key)).toEqual(result.entry);
    });

    it('records placed: every later begin answers placed with the recorded order, and nothing can settle it again', async () => {
      const intent = contractIntent(2, CONTRACT_REQUESTS.futuresLong);
      claimedEntry(await ctx.journal.begin(intent, ALICE));
      ctx.clock.advance(250);
      const settled = await ctx.journal.settle(intent.key, placedOutcomeFor(intent), { owner: 'alice' });
      expect(settled).toMatchObject({ state: 'placed', owner: 'alice', updatedAt: CONTRACT_START_MS + 250, leaseExpiresAt: CONTRACT_START_MS + 250, claims: 1 });
      expect(settled.outcome).toEqual({ state: 'placed', order: placedOrderFor(intent) });
      ctx.clock.advance(10 * CONTRACT_LEASE_MS);
      for (const claim of [ALICE, BOB]) {
        const again = await ctx.journal.begin(intent, claim);
        expect(again).toEqual({ kind: 'placed', entry: settled });
      }
      const error = await expectRejection(ctx.journal.settle(intent.key, { state: 'unknown', reason: 'late' }, { owner: 'alice' }), JournalOwnershipError);
      expect(error).toMatchObject({ state: 'placed', holder: 'alice', owner: 'alice', clientOrderId: intent.key.clientOrderId, retryable: false });
      expect(await ctx.journal.get(intent.key)).toEqual(settled);
    });

    it('records refused with class, venue code and message; anyone may claim it again at once (a refusal consumed nothing)', async () => {
      const intent = contractIntent(3);
      const refused = await settledEntry(ctx, intent, 'refused');
      expect(refused).toMatchObject({
        state: 'refused',
        outcome: { state: 'refused', errorClass: 'InsufficientBalanceError', code: '-2010', message: 'Account has insufficient balance for requested action.' },
      });
      ctx.clock.advance(1);
      const again = await ctx.journal.begin(intent, BOB);
      expect(again).toEqual({
        kind: 'claimed',
        previous: refused,
        entry: { ...refused, state: 'pending', outcome: undefined, owner: 'bob', claims: 2, updatedAt: CONTRACT_START_MS + 1, leaseExpiresAt: CONTRACT_START_MS + 1 + CONTRACT_LEASE_MS },
      });
    });

    it('records unknown and ends the lease: another owner takes it over at once, told the earlier attempt is in doubt', async () => {
      const intent = contractIntent(4, CONTRACT_REQUESTS.closeLong);
      const unknown = await settledEntry(ctx, intent, 'unknown');
      expect(unknown).toMatchObject({ state: 'unknown', leaseExpiresAt: CONTRACT_START_MS, outcome: { state: 'unknown', reason: 'no answer within the reconciliation budget' } });
      expect(await ctx.journal.pending()).toEqual([unknown]);
      const again = await ctx.journal.begin(intent, BOB);
      expect(again.kind).toBe('claimed');
      expect(again).toMatchObject({ previous: unknown, entry: { state: 'pending', owner: 'bob', claims: 2 } });
    });

    it('answers busy to another owner while the lease is live, and changes nothing', async () => {
      const intent = contractIntent(5);
      const held = claimedEntry(await ctx.journal.begin(intent, ALICE));
      ctx.clock.advance(CONTRACT_LEASE_MS - 1);
      expect(await ctx.journal.begin(intent, BOB)).toEqual({ kind: 'busy', entry: held });
      expect(await ctx.journal.begin(intent, { owner: 'carol', leaseMs: 1 })).toEqual({ kind: 'busy', entry: held });
      expect(await ctx.journal.get(intent.key)).toEqual(held);
    });

    it('lets the same owner claim its own pending key again (renewing the lease), with the earlier claim as previous', async () => {
      const intent = contractIntent(6);
      const first = claimedEntry(await ctx.journal.begin(intent, ALICE));
      ctx.clock.advance(1000);
      const again = await ctx.journal.begin(intent, { owner: 'alice', leaseMs: 5000 });
      expect(again).toEqual({
        kind: 'claimed',
        previous: first,
        entry: { ...first, claims: 2, updatedAt: CONTRACT_START_MS + 1000, leaseExpiresAt: CONTRACT_START_MS + 6000 },
      });
    });

    it('lets another owner take a pending key over only once the lease has expired; the old owner can then settle nothing', async () => {
      const intent = contractIntent(7, CONTRACT_REQUESTS.futuresShort);
      const held = claimedEntry(await ctx.journal.begin(intent, ALICE));
      ctx.clock.advance(CONTRACT_LEASE_MS - 1);
      expect((await ctx.journal.begin(intent, BOB)).kind).toBe('busy');
      ctx.clock.advance(1);
      const takeover = await ctx.journal.begin(intent, BOB);
      expect(takeover).toEqual({
        kind: 'claimed',
        previous: held,
        entry: { ...held, owner: 'bob', claims: 2, updatedAt: CONTRACT_START_MS + CONTRACT_LEASE_MS, leaseExpiresAt: CONTRACT_START_MS + 2 * CONTRACT_LEASE_MS },
      });
      const error = await expectRejection(ctx.journal.settle(intent.key, placedOutcomeFor(intent), { owner: 'alice' }), JournalOwnershipError);
      expect(error).toMatchObject({ owner: 'alice', holder: 'bob', state: 'pending', exchange: 'binance', account: 'follower-1' });
      expect((error as Error).message).toContain('bob');
      expect(await ctx.journal.get(intent.key)).toEqual(takeover.kind === 'claimed' ? takeover.entry : undefined);
      expect((await ctx.journal.settle(intent.key, placedOutcomeFor(intent), { owner: 'bob' })).state).toBe('placed');
    });

    it('answers conflict for another order under a used key, in every state, and never changes the recorded request', async () => {
      const other = CONTRACT_REQUESTS.spotSell;
      for (const state of ['pending', 'placed', 'refused', 'unknown'] as const) {
        const intent = contractIntent(`conflict-${state}`);
        const before = state === 'pending' ? claimedEntry(await ctx.journal.begin(intent, ALICE)) : await settledEntry(ctx, intent, state);
        ctx.clock.advance(10 * CONTRACT_LEASE_MS);
        for (const claim of [ALICE, BOB]) {
          expect(await ctx.journal.begin({ key: intent.key, request: other }, claim), `${state}, ${claim.owner}`).toEqual({ kind: 'conflict', entry: before });
        }
        expect(await ctx.journal.get(intent.key)).toEqual(before);
      }
      // Every field of the request counts: symbol, quantity, leverage, side.
      const long = contractIntent('conflict-fields', CONTRACT_REQUESTS.futuresLong);
      claimedEntry(await ctx.journal.begin(long, ALICE));
      const variants = [
        journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'BTCUSDT', quantity: new Decimal('0.5'), leverage: 5 }),
        journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'ETHUSDT', quantity: new Decimal('0.6'), leverage: 5 }),
        journalOrderRequest({ operation: 'executeFuturesLong', symbol: 'ETHUSDT', quantity: new Decimal('0.5'), leverage: 10 }),
        CONTRACT_REQUESTS.futuresShort,
      ];
      for (const request of variants) expect((await ctx.journal.begin({ key: long.key, request }, ALICE)).kind, JSON.stringify(request)).toBe('conflict');
    });

    it('treats the same order written another way as the same request, not a conflict', async () => {
      const intent = contractIntent(8, journalOrderRequest({ operation: 'executeSpotBuy', symbol: 'BTCUSDT', quantity: new Decimal('0.010') }));
      claimedEntry(await ctx.journal.begin(intent, ALICE));
      const sameOrder = { key: intent.key, request: { ...intent.request, symbol: 'btc/usdt', quantity: '0.0100' } };
      expect((await ctx.journal.begin(sameOrder, ALICE)).kind).toBe('claimed');
      expect((await ctx.journal.get(intent.key))?.request).toEqual(intent.request);
    });

    it('refuses to settle for an owner that never claimed, or a key with no entry, and records nothing', async () => {
      const intent = contractIntent(9);
      const held = claimedEntry(await ctx.journal.begin(intent, ALICE));
      const error = await expectRejection(ctx.journal.settle(intent.key, placedOutcomeFor(intent), { owner: 'mallory' }), JournalOwnershipError);
      expect(error).toMatchObject({ owner: 'mallory', holder: 'alice', state: 'pending', clientOrderId: intent.key.clientOrderId });
      expect(await ctx.journal.get(intent.key)).toEqual(held);
      const missing = contractIntent('never-claimed');
      const none = await expectRejection(ctx.journal.settle(missing.key, placedOutcomeFor(missing), { owner: 'alice' }), JournalOwnershipError);
      expect(none).toMatchObject({ owner: 'alice', holder: undefined, state: undefined });
      expect(await ctx.journal.get(missing.key)).toBeUndefined();
    });

    it('refuses a placed outcome that is not the order under the key, and records nothing', async () => {
      const intent = contractIntent(10);
      const held = claimedEntry(await ctx.journal.begin(intent, ALICE));
      const order = placedOrderFor(intent);
      await expectRejection(ctx.journal.settle(intent.key, { state: 'placed', order: { ...order, clientOrderId: 'xp-another' } }, { owner: 'alice' }), InvalidOrderError);
      const conflict = await expectRejection(ctx.journal.settle(intent.key, { state: 'placed', order: { ...order, side: 'sell' } }, { owner: 'alice' }), IdempotencyConflictError);
      expect(conflict).toMatchObject({ clientOrderId: intent.key.clientOrderId, requested: intent.request, existing: { side: 'sell' }, retryable: false });
      await expectRejection(ctx.journal.settle(intent.key, { state: 'placed', order: { ...order, filledQuantity: 'lots' } }, { owner: 'alice' }), InvalidValueError);
      expect(await ctx.journal.get(intent.key)).toEqual(held);
    });

    it('keeps keys apart by exchange and account: one client order id claims once under each', async () => {
      const keys = [
        { exchange: 'binance', account: 'follower-1' },
        { exchange: 'binance', account: 'follower-2' },
        { exchange: 'bybit', account: 'follower-1' },
      ];
      for (const key of keys) expect((await ctx.journal.begin(contractIntent('shared-id', CONTRACT_REQUESTS.spotBuy, key), ALICE)).kind).toBe('claimed');
      for (const key of keys) expect((await ctx.journal.begin(contractIntent('shared-id', CONTRACT_REQUESTS.spotBuy, key), BOB)).kind).toBe('busy');
      expect(await ctx.journal.list()).toHaveLength(3);
    });

    it('lets exactly one of many concurrent begins on one key claim it', async () => {
      const intent = contractIntent(11);
      const results = await Promise.all(Array.from({ length: 25 }, (_, index) => ctx.journal.begin(intent, { owner: `owner-${index}`, leaseMs: CONTRACT_LEASE_MS })));
      const claimed = results.filter((result) => result.kind === 'claimed');
      expect(claimed).toHaveLength(1);
      const winner = claimed[0]?.entry.owner;
      for (const result of results.filter((answer) => answer.kind !== 'claimed')) expect(result).toMatchObject({ kind: 'busy', entry: { owner: winner } });
    });

    it('hands out frozen plain JSON', async () => {
      const intent = contractIntent(12, CONTRACT_REQUESTS.futuresLong);
      const result = await ctx.journal.begin(intent, ALICE);
      const settled = await ctx.journal.settle(intent.key, placedOutcomeFor(intent), { owner: 'alice' });
      for (const value of [result.entry, settled, settled.outcome, settled.request, settled.key]) {
        expect(Object.isFrozen(value)).toBe(true);
      }
      expect(JSON.parse(JSON.stringify(settled))).toEqual(settled);
    });
  });
}
